"""The game relies on a few private members of Textual (for speed, where no public API does the
same). The runtime dependency pins Textual's minor version; this test fails loudly, naming the
member, when an upgrade removes or changes one, instead of the game breaking at run time."""

from __future__ import annotations

from importlib.metadata import requires, version

from textual.reactive import Reactive
from textual.widgets import OptionList

from vpatient.tui.widgets.option_menu import PRIVATE_OPTION_LIST_MEMBERS, OptionMenu


def test_the_runtime_textual_is_the_pinned_minor_version() -> None:
    (pin,) = [r for r in requires("vpatient") or [] if r.startswith("textual") and
              "extra ==" not in r]
    major_minor = ".".join(version("textual").split(".")[:2])
    assert f"<{major_minor.split('.')[0]}.{int(major_minor.split('.')[1]) + 1}" in pin, (
        f"Textual {version('textual')} is outside the pinned range '{pin}': check "
        "vpatient/tui/widgets/option_menu.py against the new OptionList, then move the pin")


async def test_the_option_list_members_the_menu_uses_still_exist() -> None:
    from textual.app import App, ComposeResult

    class Menu(App[None]):
        def compose(self) -> ComposeResult:
            yield OptionMenu("first", "second", id="menu")

    assert isinstance(OptionList.__dict__.get("_mouse_hovering_over"), Reactive), (
        "Textual's OptionList no longer has the reactive _mouse_hovering_over that OptionMenu "
        "overrides")
    async with Menu().run_test() as pilot:
        menu = pilot.app.query_one(OptionMenu)
        for name in PRIVATE_OPTION_LIST_MEMBERS:
            assert hasattr(menu, name), f"Textual's OptionList lost {name}, used by OptionMenu"
        assert menu._index_to_line == {0: 0, 1: 1} and menu._heights == {0: 1, 1: 1}
        menu.highlighted = 1
        await pilot.pause()
        assert menu.highlighted == 1 and menu.highlighted_option.prompt == "second"
