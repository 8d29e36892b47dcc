"""The practice game: ``vpatient`` with no command.

Start-up is kept lean on purpose (issue 5, benchmark): this module imports only Textual and the
home screen. The clinical core (pydantic), the case library, the progress database and every
other screen are imported the first time they are needed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.theme import BUILTIN_THEMES, Theme

from vpatient.core import vocabulary
from vpatient.settings import LoadedSettings, SettingsKeeper, load_settings
from vpatient.tui import STYLES
from vpatient.tui.commands import PracticeCommands
from vpatient.tui.screens.home import HomeScreen
from vpatient.tui.screens.too_small import TooSmallScreen, fit_to_terminal

if TYPE_CHECKING:  # the core is imported lazily at run time
    from vpatient.core.answer import Answer
    from vpatient.core.case import Case
    from vpatient.library import CaseLibrary
    from vpatient.progress import NewAnswer, ProgressSaver, SaveReport, Summary
    from vpatient.tui.screens.encounter import EncounterScreen
    from vpatient.tui.screens.feedback import FeedbackScreen
    from vpatient.tui.screens.library import LibraryScreen

# Textual 8 calls its terminal-palette theme "ansi-dark"; the name users are told about
# (README, --theme) is "textual-ansi", so it is registered under that name too.
ANSI_THEME = "textual-ansi"
DIFFICULTIES = vocabulary.DIFFICULTIES
# Seconds the game waits at exit for answers still being saved (then they go to a file).
SAVE_AT_EXIT = 6.0


def game_bindings() -> list[Binding]:
    """Every key binding of the game that has an id (what settings.toml's [keys] may name)."""
    from vpatient.tui.screens import confirm, encounter, feedback, help, library, localize, stats

    owners = [VPatientApp, HomeScreen, encounter.EncounterScreen, localize.LocalizeScreen,
              confirm.ConfirmScreen, feedback.FeedbackScreen, library.LibraryScreen,
              stats.StatsScreen, help.HelpScreen]
    return [b for owner in owners for b in owner.BINDINGS
            if isinstance(b, Binding) and b.id is not None]


def binding_ids() -> set[str]:
    return {b.id for b in game_bindings() if b.id is not None}


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

    class SaveReported(Message):
        """The progress saver's news about an answer (posted from its thread)."""

        def __init__(self, report: SaveReport) -> None:
            super().__init__()
            self.report = report

    def __init__(self, cases_dir: Path | str | None = None, theme: str | None = None, *,
                 seed: int | None = None, settings_path: Path | None = None,
                 clock: Callable[[], datetime] | None = None,
                 saver: Callable[..., ProgressSaver] | None = None) -> None:
        """``settings_path``, ``clock`` (now, in UTC) and ``saver`` (makes the progress saver,
        given its ``report`` callback) are for tests."""
        super().__init__()
        self.register_theme(ansi_theme())
        self.cases_dir = Path(cases_dir) if cases_dir is not None else None
        self.clock = clock or (lambda: datetime.now(UTC))
        loaded = load_settings(settings_path, themes=self.available_themes)
        if loaded.settings.keys:  # checking binding ids imports every screen: only if needed
            loaded = load_settings(settings_path, themes=self.available_themes,
                                   binding_ids=binding_ids())
        self.settings = SettingsKeeper(loaded)
        self.set_keymap(dict(loaded.settings.keys))
        # The command line's theme wins over the settings'. An unknown name keeps the default
        # (run() reports it before starting). Assigning the theme only when it changes spares a
        # stylesheet refresh at start-up.
        theme = theme or loaded.settings.theme
        if theme and theme != self.theme and theme in self.available_themes:
            self.theme = theme
        # Generated patients are reproducible: seed.index is shown on the patient card.
        self.seed = seed if seed is not None else int.from_bytes(os.urandom(3)) % 10**6 + 1
        self.patient_index = 0
        # The presentations of the last few generated patients (none comes back among them).
        self._recent_presentations: list[str] = []
        self.difficulty = loaded.settings.difficulty
        self._library: CaseLibrary | None = None
        self._make_saver = saver
        self._saver: ProgressSaver | None = None
        self.unsaved_at_exit: list[NewAnswer] = []
        self._quitting = False
        # The case being examined, where it came from ("generated", "weak-spots", "library"),
        # and the review topic it was chosen for, so that "next patient" knows what to offer.
        self._current: tuple[Case, str] | None = None
        self._review_topic: str | None = None

    @property
    def loaded_settings(self) -> LoadedSettings:
        return self.settings.loaded

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen(self.difficulty)

    # --- terminal size -------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._check_size(self.size.width, self.size.height)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        problems = self.loaded_settings.problems
        if problems:
            self.notify("\n".join(str(p) for p in problems[:5])
                        + "\nThe game uses the defaults for these.",
                        title="Settings file has problems", severity="warning", timeout=12,
                        markup=False)

    def on_ready(self) -> None:
        # The first frame is on screen: now read the progress database for the home screen.
        # call_later lets anything else waiting on Ready run first.
        if isinstance(self.screen, HomeScreen):
            self.call_later(self.screen.show_progress)

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        fit_to_terminal(self, width, height, TooSmallScreen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys typed after "quit" (a fast typist, a paste) must not open screens on an app
        # that is closing; while the terminal is too small only quitting makes sense.
        if self._quitting:
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
    def saver(self) -> ProgressSaver:
        """Writes answers off the UI thread (opened with the first answer)."""
        if self._saver is None:
            from vpatient.progress import ProgressSaver

            make = self._make_saver or ProgressSaver
            self._saver = make(report=lambda report: self.post_message(self.SaveReported(report)))
        return self._saver

    def progress_summary(self, *, quiet: bool = False) -> Summary | None:
        """The student's progress, answers waiting to be saved included; None (and a message
        unless ``quiet``) when it cannot be read."""
        from vpatient.progress import load_history, summarize

        try:
            pending = self._saver.pending if self._saver is not None else ()
            return summarize(load_history(pending=pending), self.clock())
        except Exception as err:  # an unreadable folder or a damaged database: play on
            if not quiet:
                self.notify(f"Your progress could not be read: {err}", severity="error",
                            markup=False)
            return None

    def _best_scores(self) -> dict[str, float]:
        from vpatient.progress import best_scores, load_history

        try:
            pending = self._saver.pending if self._saver is not None else ()
            return best_scores(load_history(pending=pending))
        except Exception:  # the library works without scores; the progress screen says why
            return {}

    def exit(self, result: int | None = None, return_code: int = 0,
             message: object | None = None) -> None:
        self._quitting = True
        super().exit(result, return_code, message)  # type: ignore[arg-type]

    def on_unmount(self) -> None:
        if self._saver is not None:
            self.unsaved_at_exit = self._saver.close(SAVE_AT_EXIT)

    # --- actions (bindings, home menu and command palette) --------------------------------------

    def action_practice(self, difficulty: str | None = None) -> None:
        """A new generated patient at the chosen difficulty."""
        from vpatient.core.generator import (
            NO_REPEAT_WITHIN,
            generate_patient,
            next_new_index,
            presentation_of,
        )

        if difficulty in DIFFICULTIES:
            self.set_difficulty(difficulty)
        recent = self._recent_presentations
        self.patient_index = next_new_index(self.seed, self.patient_index, self.difficulty, recent)
        index = self._next_index()
        recent[:] = [*recent, presentation_of(self.seed, index, self.difficulty)][
            -NO_REPEAT_WITHIN:]
        self._start(generate_patient(self.seed, index, self.difficulty), "generated")

    def action_weak_spots(self) -> None:
        """Spaced review: a patient that tests the student's worst weak spot that is due."""
        from vpatient.core.review import next_review, reason, review_patient

        summary = self.progress_summary()
        if summary is None:
            return
        item = next_review(summary.review, summary.now)
        if item is None:
            self.notify("No weak spots yet: answer a few patients first (or you are doing "
                        "well everywhere).", title="Weak spots", severity="warning")
            return
        case, used = review_patient(item, seed=self.seed, index=self.patient_index,
                                    difficulty=self.difficulty, cases=lambda: self.library.cases)
        self.patient_index += used
        why = reason(item, summary.now)
        self._start(case, "weak-spots", note=why)
        self._review_topic = item.topic
        self.notify(why, title="Weak-spot review", timeout=8, markup=False)

    def action_library(self) -> None:
        from vpatient.tui.screens.library import LibraryScreen

        if isinstance(self.screen, LibraryScreen):
            return
        self._pop_to_home()
        self.push_screen(LibraryScreen(self.library, instructor_dir=self.cases_dir,
                                       best_scores=self._best_scores))

    def action_stats(self) -> None:
        from vpatient.tui.screens.stats import StatsScreen

        if isinstance(self.screen, StatsScreen):
            return
        summary = self.progress_summary()
        if summary is None:
            return
        self._pop_to_home()
        self.push_screen(StatsScreen(summary))

    def action_lab(self) -> None:
        from vpatient.tui.screens.lab import LabScreen

        if not isinstance(self.screen, LabScreen):
            self._pop_to_home()
            self.push_screen(LabScreen())

    def action_differential(self) -> None:
        from vpatient.tui.screens.differential import DifferentialScreen

        if not isinstance(self.screen, DifferentialScreen):
            self._pop_to_home()
            self.push_screen(DifferentialScreen())

    def action_help(self) -> None:
        from vpatient.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_notes(self) -> None:
        from vpatient.tui.screens.notes import NotesScreen

        if not isinstance(self.screen, NotesScreen):
            self.push_screen(NotesScreen())

    def action_home(self) -> None:
        self._pop_to_home()

    def action_theme_ansi(self) -> None:
        self.theme = ANSI_THEME

    def action_set_difficulty(self, difficulty: str) -> None:
        if difficulty in DIFFICULTIES:
            self.set_difficulty(difficulty)

    # --- settings -------------------------------------------------------------------------------

    def set_difficulty(self, difficulty: str) -> None:
        self.difficulty = difficulty
        self._keep_setting(difficulty=difficulty)

    def _theme_changed(self, theme: Theme) -> None:
        self._keep_setting(theme=theme.name)

    def _keep_setting(self, **values: object) -> None:
        problem = self.settings.change(**values)
        if problem:
            self.notify(problem, title="Settings", severity="warning", markup=False)

    # --- messages from the screens --------------------------------------------------------------

    def on_home_screen_difficulty_changed(self, message: HomeScreen.DifficultyChanged) -> None:
        self.set_difficulty(message.difficulty)

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
        from vpatient.progress import NewAnswer

        self.saver.save(NewAnswer(
            case_id=case.id, source=source, difficulty=case.difficulty,
            site=case.answer_key.canonical.site, neuron=case.answer_key.canonical.neuron,
            score=result.score, part_scores={p.part: p.score for p in result.parts},
            given=message.answer.model_dump(), maneuvers=tuple(message.performed),
            answer_key=case.answer_key.as_json(), answered_at=self.clock(),
        ))
        self.switch_screen(FeedbackScreen(case, result, message.performed, message.hints))
        if source == "weak-spots" and self._review_topic:
            self._tell_review_result(self._review_topic, message.answer, case)

    def _tell_review_result(self, topic: str, answer: Answer, case: Case) -> None:
        from vpatient.core.mistakes import classify, topic_label

        again = any(m.topic == topic for m in classify(answer, case.answer_key))
        label = topic_label(topic)
        self.notify(f"“{label}” again: it comes back for review soon." if again else
                    f"“{label}”: right this time; its next review is spaced further out.",
                    title="Weak-spot review", markup=False)

    def on_vpatient_app_save_reported(self, message: SaveReported) -> None:
        report = message.report
        if report.status == "waiting":
            self.notify(f"Your answer could not be saved yet ({report.error}). It is kept and "
                        "saved as soon as the progress file can be written; nothing is lost.",
                        title="Progress", severity="warning", timeout=10, markup=False)
        elif report.waited:
            self.notify("Your answer is saved now." if not report.waiting else
                        f"An answer is saved now; {report.waiting} still waiting.",
                        title="Progress", markup=False)

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

    def _next_index(self) -> int:
        index = self.patient_index
        self.patient_index += 1
        return index

    def _start(self, case: Case, source: str, *, from_library: bool = False,
               note: str | None = None) -> None:
        from vpatient.tui.screens.encounter import EncounterScreen

        if not from_library:
            self._pop_to_home()
        self._current = (case, source)
        self._review_topic = None
        self.push_screen(EncounterScreen(case, header_note=note))

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
    if app.unsaved_at_exit:
        from vpatient.progress import print_unsaved

        print_unsaved(app.unsaved_at_exit)
    return app.return_code or 0
