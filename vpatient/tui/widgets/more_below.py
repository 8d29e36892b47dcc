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
        self.set_class(self.max_scroll_y - self.scroll_y >= 1, "-more")
