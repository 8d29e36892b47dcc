"""A scrolling column that says when there is more below: a long history must not look whole."""

from __future__ import annotations

from textual.containers import VerticalScroll


class MoreBelowScroll(VerticalScroll):
    """A VerticalScroll whose bottom edge reads "more below" while the content goes on."""

    DEFAULT_CSS = """
    MoreBelowScroll.-more {
        border-bottom: solid $panel-lighten-2;
        border-subtitle-align: right;
        border-subtitle-color: $text-muted;
    }
    """
    HINT = "↓ more: Tab here, then ↓"

    def on_mount(self) -> None:
        self.border_subtitle = self.HINT
        self.watch(self, "scroll_y", self._update, init=False)
        self.watch(self, "virtual_size", self._update, init=False)
        self.call_after_refresh(self._update)

    def on_resize(self) -> None:
        self.call_after_refresh(self._update)

    def _update(self, *_: object) -> None:
        # Judged as if the hint's line were not there, so that the answer does not depend on
        # whether the hint is showing (content that fits exactly would otherwise keep it).
        hint_line = 1 if self.has_class("-more") else 0
        below = (self.virtual_size.height - self.scrollable_content_region.height - hint_line
                 - self.scroll_y)
        self.set_class(below >= 1, "-more")
