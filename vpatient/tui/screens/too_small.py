"""Shown instead of the game while the terminal is smaller than the game can draw."""

from __future__ import annotations

from textual.app import App, ComposeResult
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


def fit_to_terminal(app: App, width: int, height: int,
                    screen: type[TooSmallScreen] = TooSmallScreen) -> None:
    """Show ``screen`` while the terminal is too small, update its message, drop it once big
    enough (the game and the SSH exam both call this on every resize)."""
    too_small = width < MIN_WIDTH or height < MIN_HEIGHT
    showing = isinstance(app.screen, TooSmallScreen)
    if too_small and not showing:
        app.push_screen(screen())
    elif too_small and showing:
        app.screen.query_one("#too-small-message", Static).update(screen.message(width, height))
    elif not too_small and showing:
        app.pop_screen()
