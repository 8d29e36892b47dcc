"""An OptionList that repaints only what a highlight move changes.

Textual's OptionList repaints the whole list when the highlight moves (``highlighted`` is a
plain reactive), so every arrow key re-renders every visible option and the compositor sends the
whole list to the terminal again. Here a move repaints only the lines of the option that lost the
highlight and of the one that gained it (and likewise for the mouse hover); a move that scrolls
the list still repaints it all, through the scroll. What is drawn is the same.

This needs three private members of Textual's OptionList (``_mouse_hovering_over``,
``_index_to_line``, ``_heights``): the runtime dependency pins Textual's minor version, and
``tests/tui/test_textual_internals.py`` fails loudly if one of them changes.
"""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import OptionList

# The private members of OptionList this module relies on (checked by the test above).
PRIVATE_OPTION_LIST_MEMBERS: tuple[str, ...] = ("_mouse_hovering_over", "_index_to_line",
                                                "_heights")


class OptionMenu(OptionList):
    """Drop-in OptionList: same options, messages, bindings and look; cheaper highlight moves."""

    highlighted: reactive[int | None] = reactive(None, repaint=False)
    _mouse_hovering_over: reactive[int | None] = reactive(None, repaint=False)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:  # type: ignore[override]
        super().watch_highlighted(new)  # scrolls to it and posts OptionHighlighted
        self._refresh_options(old, new)

    def _watch__mouse_hovering_over(self, old: int | None, new: int | None) -> None:
        self._refresh_options(old, new)

    def _refresh_options(self, *indexes: int | None) -> None:
        """Repaint the lines of the given options (by index); all of it if not laid out yet."""
        if not self.is_mounted or not self.scrollable_content_region:
            self.refresh()
            return
        lines, heights = self._index_to_line, self._heights
        for index in indexes:
            if index is not None and index in lines:
                self.refresh_lines(lines[index], heights[index])
