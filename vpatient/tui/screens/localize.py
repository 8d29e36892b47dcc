"""Localize: neuron type, site, level or nerve (only where the site has one), side; confirm.

Dismisses with the confirmed ``Answer``, or None when the student goes back to the patient.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from vpatient.core import anatomy
from vpatient.core.answer import LEVEL_KIND, NEURONS, Answer, level_problem
from vpatient.core.findings import FindingValue
from vpatient.core.lesion import SITE_LABELS, SITES
from vpatient.tui import STYLES
from vpatient.tui.widgets.findings_log import FindingsLog

NEURON_CHOICES: dict[str, str] = {
    "UMN": "UMN    upper motor neuron",
    "LMN": "LMN    lower motor neuron",
    "mixed": "mixed  UMN and LMN",
    "NMJ": "NMJ    NM junction",
    "muscle": "muscle myopathy",
}
assert set(NEURON_CHOICES) == set(NEURONS)
SIDES: tuple[str, ...] = ("left", "right", "bilateral")
NO_LEVEL = "-"  # option id of "leave the level out"
LEVEL_TITLES: dict[str, str] = {
    "segment": "Cord level", "root": "Root", "segment range": "Segments from",
    "plexus part": "Plexus part", "nerve": "Nerve",
}
assert set(LEVEL_TITLES) == set(LEVEL_KIND.values())


def level_choices(site: str | None) -> list[tuple[str, str]]:
    """(value, label) pairs for the site's kind of level; empty when it takes none."""
    kind = LEVEL_KIND.get(site or "")
    if kind in ("segment", "segment range"):
        return [(s, s) for s in anatomy.SEGMENTS]
    if kind == "root":
        return [(r, r) for r in anatomy.ROOT_LEVELS]
    if kind == "plexus part":
        return [(p, p.replace("_", " ")) for p in anatomy.PLEXUS_PARTS]
    if kind == "nerve":
        return [(n, nerve.label.removesuffix(" nerve")) for n, nerve in anatomy.NERVES.items()]
    return []


def _choice(label: str, chosen: bool) -> Text:
    # The dot marks the choice without colour; bold repeats it for those who see colour.
    return Text(("● " if chosen else "  ") + label, style="bold" if chosen else "")


class LocalizeScreen(Screen["Answer | None"]):
    """Where is the lesion? Enter picks a choice and moves on; s submits after a confirm."""

    CSS_PATH = STYLES / "localize.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "submit", "Submit", id="localize.submit"),
        Binding("escape", "back", "Back to patient", id="localize.back"),
    ]

    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]

    def __init__(self, *, final: bool = False, note: str | None = None,
                 examined: Sequence[tuple[str, FindingValue]] = ()) -> None:
        """``final``: no feedback follows (an exam), which the confirmation says.
        ``examined``: the findings elicited so far, shown for reference where there is room."""
        super().__init__()
        self.final = final
        self.note = note
        self.examined = tuple(examined)
        self.neuron: str | None = None
        self.site: str | None = None
        self.side: str | None = None
        self.level: str | None = None
        self.level_to: str | None = None  # the caudal end of an anterior horn range

    def compose(self) -> ComposeResult:
        yield Header()
        # A grid in the order of the numbers, so that Tab goes 1 Neuron, 2 Site, 3 Level, 4 Side
        # (focus follows the order of the widgets); the CSS places Side under Neuron.
        with Grid(id="localize"):
            neuron = OptionList(id="neuron", markup=False)
            neuron.border_title = "1 Neuron type"
            yield neuron
            site = OptionList(id="site", markup=False)
            site.border_title = "2 Site"
            yield site
            with Vertical(id="level-column"):
                yield OptionList(id="level", markup=False)
                yield OptionList(id="level-to", markup=False)
            log = FindingsLog(id="examined", classes="panel")
            log.border_title = "Your findings"
            log.can_focus = False
            yield log
            side = OptionList(id="side", markup=False)
            side.border_title = "4 Side of the lesion"
            yield side
        yield Static(id="answer-summary", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Localize the lesion"
        self.sub_title = self.note or ""
        self.query_one(FindingsLog).entries = self.examined
        self._refresh_choices()
        self.query_one("#neuron", OptionList).focus()

    # --- drawing --------------------------------------------------------------------------------

    def _fill(self, list_id: str, choices: list[tuple[str, str]], chosen: str | None) -> None:
        options = self.query_one(f"#{list_id}", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(Option(_choice(label, value == chosen), id=value)
                            for value, label in choices)
        if choices:
            options.highlighted = min(highlighted or 0, len(choices) - 1)

    def _refresh_choices(self) -> None:
        self._fill("neuron", list(NEURON_CHOICES.items()), self.neuron)
        self._fill("site", [(s, SITE_LABELS[s]) for s in SITES], self.site)
        self._fill("side", [(s, s) for s in SIDES], self.side)
        kind = LEVEL_KIND.get(self.site or "")
        level, level_to = self.query_one("#level", OptionList), self.query_one("#level-to",
                                                                              OptionList)
        choices = level_choices(self.site)
        if kind is None:
            level.border_title = "3 Level"
            level.clear_options()
            level.add_option(Option("(choose a site first)" if self.site is None
                                    else "(this site has no level)", disabled=True))
            level.disabled = True
        else:
            level.disabled = False
            level.border_title = f"3 {LEVEL_TITLES[kind]}"
            self._fill("level", [(NO_LEVEL, "not sure"), *choices], self.level or NO_LEVEL)
        level_to.display = kind == "segment range"
        level_to.border_title = "to"
        if kind == "segment range":
            self._fill("level-to", [(NO_LEVEL, "same"), *choices], self.level_to or NO_LEVEL)
        self._show_summary()

    def answer_level(self) -> str | None:
        """The level as the answer gives it: a segment, root, part, nerve or 'C5-T1' range."""
        if LEVEL_KIND.get(self.site or "") is None or self.level is None:
            return None
        if LEVEL_KIND[self.site or ""] == "segment range" and self.level_to:
            ends = sorted((self.level, self.level_to), key=anatomy.SEGMENT_INDEX.__getitem__)
            return ends[0] if ends[0] == ends[1] else f"{ends[0]}-{ends[1]}"
        return self.level

    def missing(self) -> list[str]:
        return [name for name, value in (("neuron type", self.neuron), ("site", self.site),
                                         ("side", self.side)) if value is None]

    def _show_summary(self) -> None:
        text = Text("Your answer: ", style="bold")
        parts = [self.neuron or "neuron ?",
                 SITE_LABELS[self.site] if self.site else "site ?"]
        level = self.answer_level()
        if LEVEL_KIND.get(self.site or ""):
            parts.append(level or "level not given")
        parts.append(self.side or "side ?")
        text.append(" · ".join(parts))
        missing = self.missing()
        text.append("\n")
        if missing:
            text.append("Still to choose: " + ", ".join(missing)
                        + ". Enter picks and moves on; Tab switches list.", style="dim")
        else:
            text.append("Press s to submit (you will be asked to confirm).", style="dim")
        self.query_one("#answer-summary", Static).update(text)

    # --- choosing -------------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        value = event.option.id
        which = event.option_list.id
        if which == "neuron":
            self.neuron = value
        elif which == "site":
            if value != self.site:
                self.level = self.level_to = None
            self.site = value
        elif which == "level":
            self.level = None if value == NO_LEVEL else value
        elif which == "level-to":
            self.level_to = None if value == NO_LEVEL else value
        elif which == "side":
            self.side = value
        self._refresh_choices()
        self._advance(which)

    def _advance(self, after: str | None) -> None:
        """Move to the next thing to choose, or to the confirmation once all is chosen."""
        order = ["neuron", "site", "level", "level-to", "side"]
        kind = LEVEL_KIND.get(self.site or "")
        skip = {"level", "level-to"} if kind is None else \
            ({"level-to"} if kind != "segment range" else set())
        following = order[order.index(after) + 1:] if after in order else order
        for list_id in following:
            if list_id not in skip:
                self.query_one(f"#{list_id}", OptionList).focus()
                return
        if not self.missing():
            self.action_submit()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        from vpatient.tui.screens.confirm import ConfirmScreen

        missing = self.missing()
        if missing:
            self.notify("Choose the " + ", ".join(missing) + " first.", severity="warning",
                        timeout=3)
            first = {"neuron type": "neuron", "site": "site", "side": "side"}[missing[0]]
            self.query_one(f"#{first}", OptionList).focus()
            return
        level = self.answer_level()
        problem = level_problem(self.site or "", level)
        if problem:  # cannot happen with these lists; guard the contract anyway
            self.notify(problem, severity="error")
            return
        answer = Answer(neuron=self.neuron, site=self.site, side=self.side,  # type: ignore[arg-type]
                        level=level)
        described = f"{answer.neuron}, {SITE_LABELS[answer.site]}"
        if level:
            described += f" {level.replace('_', ' ')}"
        described += f", {answer.side}"
        follow = ("This answer is final: there is no feedback until the exam ends."
                  if self.final else "You will see your score and the reasoning next.")

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.dismiss(answer)

        self.app.push_screen(ConfirmScreen(f"Submit: {described}?\n\n{follow}",
                                           yes="Submit", no="Change"), callback=confirmed)
