"""Shown instead of the game while the terminal is smaller than the game can draw."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 80, 24


class TooSmallScreen(ModalScreen[None]):
    """A polite request to enlarge the terminal; it goes away by itself once big enough."""

    DEFAULT_CSS = """
    TooSmallScreen { background: $background; align: center middle; }
    TooSmallScreen #too-small-message {
        width: auto; max-width: 100%; height: auto; padding: 0 1; text-align: center;
    }
    """

    @staticmethod
    def message(width: int, height: int) -> str:
        return (f"Please enlarge your terminal to at least {MIN_WIDTH}×{MIN_HEIGHT} "
                f"(now {width}×{height}).\n\nCtrl+Q quits.")

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(self.message(self.app.size.width, self.app.size.height),
                         id="too-small-message", markup=False)
