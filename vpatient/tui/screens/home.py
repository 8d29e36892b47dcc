"""Home: practise, the case library, progress, help, quit.

Imported at start-up, so it imports nothing of the clinical core.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from vpatient.tui import STYLES

DIFFICULTY_TEXT: dict[str, str] = {
    "intro": "intro     textbook pictures",
    "core": "core      common, some acute",
    "advanced": "advanced  pitfalls, two lesions",
}

MENU: tuple[tuple[str, str, str], ...] = (
    # (option id = app action, label, key)
    ("practice", "Practise a new patient", "p"),
    ("weak_spots", "Practise my weak spots", "w"),
    ("library", "Case library", "l"),
    ("stats", "My progress", "s"),
    ("lab", "Lesion lab", "b"),
    ("differential", "Differential", "x"),
    ("help", "How to play", "?"),
    ("quit", "Quit", "q"),
)

BANNER = (
    "A virtual neurology patient. Read the history, examine the patient,\n"
    "then say where the motor lesion is: upper or lower motor neuron, which\n"
    "structure, which level, which side. The feedback shows the reasoning."
)


class DifficultyPanel(Static):
    """The three difficulties, the chosen one marked (•); a click picks one, d cycles.

    A Static rather than a list widget: the home screen is the first frame, and every widget
    class on it adds to start-up.
    """

    difficulty: reactive[str] = reactive("core")

    class Chosen(Message):
        def __init__(self, difficulty: str) -> None:
            super().__init__()
            self.difficulty = difficulty

    def __init__(self, difficulty: str, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.set_reactive(DifficultyPanel.difficulty, difficulty)

    def render(self) -> Text:
        text = Text()
        for index, (name, words) in enumerate(DIFFICULTY_TEXT.items()):
            chosen = name == self.difficulty
            if index:
                text.append("\n")
            text.append(f"({'•' if chosen else ' '}) {words}", style="bold" if chosen else "")
        return text

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and 0 <= offset.y < len(DIFFICULTY_TEXT):
            self.post_message(self.Chosen(list(DIFFICULTY_TEXT)[offset.y]))


class HomeScreen(Screen[None]):
    CSS_PATH = STYLES / "home.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "app.practice", "Practise", id="home.practice"),
        Binding("w", "app.weak_spots", "Weak spots", id="home.weak_spots"),
        Binding("l", "app.library", "Library", id="home.library"),
        Binding("s", "app.stats", "Progress", id="home.stats"),
        Binding("b", "app.lab", "Lab", id="home.lab", show=False),
        Binding("x", "app.differential", "Differential", id="home.differential", show=False),
        Binding("d", "cycle_difficulty", "Difficulty", id="home.difficulty", show=False),
        Binding("question_mark", "app.help", "Help", id="home.help", show=False),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    class DifficultyChanged(Message):
        """The student chose the difficulty of generated patients."""

        def __init__(self, difficulty: str) -> None:
            super().__init__()
            self.difficulty = difficulty

    def __init__(self, difficulty: str = "core") -> None:
        super().__init__()
        self.difficulty = difficulty
        self._progress_shown = False

    def compose(self) -> ComposeResult:
        # A plain title line rather than Textual's Header: it is the first frame the student
        # sees, and the Header widget alone costs a noticeable part of start-up.
        yield Static("vpatient · examine, localize, learn", id="home-title", markup=False)
        with Vertical(id="home-body"):
            yield Static(BANNER, id="banner", markup=False)
            with Horizontal(id="home-columns"):
                menu = OptionList(
                    *(Option(self._menu_prompt(label, key), id=action)
                      for action, label, key in MENU),
                    id="menu", markup=False,
                )
                menu.border_title = "What next?"
                yield menu
                levels = DifficultyPanel(self.difficulty, id="difficulty")
                levels.border_title = "Difficulty (d)"
                yield levels
            yield Static("", id="progress-line", markup=False)
        yield Footer()

    def on_screen_resume(self) -> None:
        # The palette may have changed the difficulty while another screen was up.
        self.difficulty = getattr(self.app, "difficulty", self.difficulty)
        self._show_difficulty()
        if self._progress_shown:  # the first showing waits for the app's first frame
            self._show_progress()

    @staticmethod
    def _menu_prompt(label: str, key: str) -> Text:
        text = Text(label.ljust(26))
        text.append(key, style="bold")
        return text

    def _show_difficulty(self) -> None:
        self.query_one(DifficultyPanel).difficulty = self.difficulty

    def show_progress(self) -> None:
        """The line about the student's progress; the app calls it once the first frame is up,
        so that opening the database never delays start-up."""
        self._show_progress()

    def _show_progress(self) -> None:
        self._progress_shown = True
        line = self.query_one("#progress-line", Static)
        read = getattr(self.app, "progress_summary", None)
        summary = read(quiet=True) if read is not None else None
        if summary is None:
            line.update("Progress could not be read just now (it is kept; see My progress)."
                        if read is not None else "")
            return
        if not summary.attempts:
            line.update("No answers yet. Press p for your first patient.")
            return
        patients = "patient" if summary.attempts == 1 else "patients"
        text = (f"{summary.attempts} {patients} answered, mean score "
                f"{summary.mean * 100:.0f}%, current streak {summary.streak}.")
        if summary.weak_spots:
            text += f" Top weak spot: {summary.weak_spots[0].label}"
            due = len(summary.due())
            text += f" ({due} due for review; press w)." if due else " (press w)."
        line.update(text)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.run_action(f"app.{event.option.id}")

    def on_difficulty_panel_chosen(self, event: DifficultyPanel.Chosen) -> None:
        self._choose(event.difficulty)

    def action_cycle_difficulty(self) -> None:
        names = list(DIFFICULTY_TEXT)
        self._choose(names[(names.index(self.difficulty) + 1) % len(names)])

    def _choose(self, difficulty: str) -> None:
        self.difficulty = difficulty
        self.post_message(self.DifficultyChanged(difficulty))
        self._show_difficulty()
