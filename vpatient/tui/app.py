"""The practice game: ``vpatient`` with no command.

Start-up is kept lean on purpose (issue 5, benchmark): this module imports only Textual and the
home screen. The clinical core (pydantic), the case library, the progress database and every
other screen are imported the first time they are needed.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.theme import BUILTIN_THEMES

from vpatient.core import vocabulary
from vpatient.tui import STYLES
from vpatient.tui.commands import PracticeCommands
from vpatient.tui.screens.home import HomeScreen
from vpatient.tui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

if TYPE_CHECKING:  # the core is imported lazily at run time
    from vpatient.core.case import Case
    from vpatient.library import CaseLibrary
    from vpatient.progress import ProgressStore, Summary
    from vpatient.tui.screens.encounter import EncounterScreen
    from vpatient.tui.screens.feedback import FeedbackScreen
    from vpatient.tui.screens.library import LibraryScreen

# Textual 8 calls its terminal-palette theme "ansi-dark"; the name users are told about
# (README, --theme) is "textual-ansi", so it is registered under that name too.
ANSI_THEME = "textual-ansi"
DIFFICULTIES = vocabulary.DIFFICULTIES


def ansi_theme():
    return replace(BUILTIN_THEMES["ansi-dark"], name=ANSI_THEME)


class VPatientApp(App[int]):
    """Practice on generated patients and library cases; progress is stored after each answer."""

    TITLE = "vpatient"
    SUB_TITLE = "examine, localize, learn"
    # The home screen is the default screen, whose own CSS_PATH Textual does not load.
    CSS_PATH: ClassVar[list[str | Path]] = [STYLES / "app.tcss", STYLES / "home.tcss"]
    COMMANDS = App.COMMANDS | {PracticeCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help", show=False),
        Binding("ctrl+q", "quit", "Quit", id="quit", show=False, priority=True),
    ]

    def __init__(self, cases_dir: Path | str | None = None, theme: str | None = None, *,
                 seed: int | None = None) -> None:
        super().__init__()
        self.register_theme(ansi_theme())
        self.cases_dir = Path(cases_dir) if cases_dir is not None else None
        # An unknown name keeps the default; run() reports it before starting. Assigning the
        # theme only when it changes spares a stylesheet refresh at start-up.
        if theme and theme != self.theme and theme in self.available_themes:
            self.theme = theme
        # Generated patients are reproducible: seed.index is shown on the patient card.
        self.seed = seed if seed is not None else int.from_bytes(os.urandom(3)) % 10**6 + 1
        self.patient_index = 0
        self.difficulty = "core"
        self._library: CaseLibrary | None = None
        self._progress: ProgressStore | None = None
        # The case being examined and where it came from ("generated", "weak-spots", "library"),
        # so that "next patient" knows what to offer.
        self._current: tuple[Case, str] | None = None

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen()

    # --- terminal size -------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._check_size(self.size.width, self.size.height)

    def on_ready(self) -> None:
        # The first frame is on screen: now read the progress database for the home screen.
        # call_later lets anything else waiting on Ready run first.
        if isinstance(self.screen, HomeScreen):
            self.call_later(self.screen.show_progress)

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if too_small and not showing:
            self.push_screen(TooSmallScreen())
        elif too_small and showing:
            self.screen.query_one("#too-small-message").update(TooSmallScreen.message(width,
                                                                                      height))
        elif not too_small and showing:
            self.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys typed after "quit" (a fast typist, a paste) must not open screens on an app
        # that is closing; while the terminal is too small only quitting makes sense.
        if self._exit:
            return False
        return not (isinstance(self.screen, TooSmallScreen) and action != "quit")

    # --- lazily opened resources ---------------------------------------------------------------

    @property
    def library(self) -> CaseLibrary:
        if self._library is None:
            from vpatient.library import bundled_cases_dir, load_library

            paths = [bundled_cases_dir()]
            if self.cases_dir is not None:
                paths.append(self.cases_dir)
            self._library = load_library(paths)
        return self._library

    @property
    def progress(self) -> ProgressStore:
        if self._progress is None:
            from vpatient.progress import ProgressStore

            self._progress = ProgressStore()
        return self._progress

    def on_unmount(self) -> None:
        if self._progress is not None:
            self._progress.close()

    # --- actions (bindings, home menu and command palette) --------------------------------------

    def action_practice(self, difficulty: str | None = None) -> None:
        """A new generated patient at the chosen difficulty."""
        from vpatient.core.generator import generate_patient

        if difficulty in DIFFICULTIES:
            self.difficulty = difficulty
        case = generate_patient(self.seed, self._next_index(), self.difficulty)
        self._start(case, "generated")

    def action_weak_spots(self) -> None:
        """A generated patient whose lesion is at one of the student's weakest sites."""
        from vpatient.core.generator import generable_sites, generate_patient

        summary = self._summary()
        if summary is None:
            return
        generable = generable_sites()
        weak = [s for s in summary.weak_sites if s in generable]
        if not weak:
            self.notify("No weak spots yet: answer a few patients first (or you are doing "
                        "well everywhere).", title="Weak spots", severity="warning")
            return
        case = generate_patient(self.seed, self._next_index(), self.difficulty, sites=set(weak))
        self._start(case, "weak-spots")

    def action_library(self) -> None:
        from vpatient.tui.screens.library import LibraryScreen

        if isinstance(self.screen, LibraryScreen):
            return
        self._pop_to_home()
        self.push_screen(LibraryScreen(self.library, instructor_dir=self.cases_dir))

    def action_stats(self) -> None:
        from vpatient.tui.screens.stats import StatsScreen

        if isinstance(self.screen, StatsScreen):
            return
        summary = self._summary()
        if summary is None:
            return
        self._pop_to_home()
        self.push_screen(StatsScreen(summary))

    def action_help(self) -> None:
        from vpatient.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_home(self) -> None:
        self._pop_to_home()

    def action_theme_ansi(self) -> None:
        self.theme = ANSI_THEME

    def action_set_difficulty(self, difficulty: str) -> None:
        if difficulty in DIFFICULTIES:
            self.difficulty = difficulty

    # --- messages from the screens --------------------------------------------------------------

    def on_home_screen_difficulty_changed(self, message: HomeScreen.DifficultyChanged) -> None:
        self.difficulty = message.difficulty

    def on_library_screen_case_chosen(self, message: LibraryScreen.CaseChosen) -> None:
        self._start(message.case, "library", from_library=True)

    def on_encounter_screen_answer_submitted(
            self, message: EncounterScreen.AnswerSubmitted) -> None:
        from vpatient.core.grading import grade
        from vpatient.tui.screens.feedback import FeedbackScreen

        if self._current is None or self._current[0].id != message.case_id:
            return  # not a case this app started (cannot happen in practice)
        case, source = self._current
        result = grade(case, message.answer, performed=list(message.performed))
        try:
            self.progress.record(
                case_id=case.id, source=source, difficulty=case.difficulty,
                site=case.answer_key.canonical.site, neuron=case.answer_key.canonical.neuron,
                score=result.score, part_scores={p.part: p.score for p in result.parts},
                given=message.answer.model_dump(), maneuvers=message.performed,
            )
        except Exception as err:  # a full disk must not cost the student the feedback
            self.notify(f"Could not save your progress: {err}", severity="error")
        self.switch_screen(FeedbackScreen(case, result, message.performed))

    def on_feedback_screen_next_case(self, message: FeedbackScreen.NextCase) -> None:
        source = self._current[1] if self._current else "generated"
        if source == "library":
            self.pop_screen()  # back to the library, filters as they were
        elif source == "weak-spots":
            self.pop_screen()
            self.action_weak_spots()
        else:
            self.pop_screen()
            self.action_practice()

    # --- helpers --------------------------------------------------------------------------------

    def _summary(self) -> Summary | None:
        """The student's progress, or None (and a message) when it cannot be read."""
        try:
            return self.progress.summary()
        except Exception as err:  # an unwritable data folder or a damaged database
            self.notify(f"Your progress could not be read: {err}", severity="error")
            return None

    def _next_index(self) -> int:
        index = self.patient_index
        self.patient_index += 1
        return index

    def _start(self, case: Case, source: str, *, from_library: bool = False) -> None:
        from vpatient.tui.screens.encounter import EncounterScreen

        if not from_library:
            self._pop_to_home()
        self._current = (case, source)
        self.push_screen(EncounterScreen(case))

    def _pop_to_home(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, TooSmallScreen):
            self.pop_screen()


def run(cases_dir: Path | str | None = None, theme: str | None = None) -> int:
    """Run the game in this terminal; the exit code for the command line."""
    app = VPatientApp(cases_dir=cases_dir, theme=theme)
    if theme is not None and theme not in app.available_themes:
        names = ", ".join(sorted(app.available_themes))
        print(f"vpatient: error: unknown theme '{theme}' (choose from: {names})", file=sys.stderr)
        return 2
    if cases_dir is not None and not Path(cases_dir).is_dir():
        print(f"vpatient: error: --cases {cases_dir}: no such folder", file=sys.stderr)
        return 2
    app.run()
    return app.return_code or 0
