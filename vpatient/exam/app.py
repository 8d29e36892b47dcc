"""The exam app: one student, the exam's cases in order, the clock in the header.

The game's EncounterScreen does the examining; this app only enforces the exam's rules:
- every maneuver and answer is committed to ``results.sqlite`` the moment it happens, so a
  dropped connection or a killed server loses nothing, and a new session resumes from the log;
- an answered case never comes back (the answer row is the lock), and no feedback is shown
  before the end unless ``feedback = "immediate"``;
- the case handed to the screen is a redacted copy (no id, tags or teaching points), so nothing
  that names the diagnosis can be drawn on the student's terminal before the answer is in;
- the clock runs from the first login on the server's clock; when it runs out the exam ends.

Served sessions also turn off the cursor blink (an idle blinking cursor costs about 1% of a core
per session) and drop the command palette's screenshot command, which would write files on the
server.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import time
import traceback
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import ClassVar

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from vpatient.core.answer import Answer
from vpatient.core.case import Case, Teaching
from vpatient.core.grading import GradeResult, grade
from vpatient.exam.config import Exam
from vpatient.exam.store import AlreadyAnswered, Store, StudentState

FEEDBACK_AT_END = ("end", "immediate")


# Tests of the server can swap in screens with the same contract (a module defining
# EncounterScreen and FeedbackScreen), so that they do not depend on the game's layout.
SCREENS_ENV = "VPATIENT_EXAM_SCREENS"


def _screens_module(default: str) -> ModuleType:
    return importlib.import_module(os.environ.get(SCREENS_ENV) or default)


def encounter_screen_class() -> type[Screen]:
    # Imported lazily: the game's screens are heavy, and the headless exam commands never need
    # them.
    return _screens_module("vpatient.tui.screens.encounter").EncounterScreen


def feedback_screen_class() -> type[Screen]:
    return _screens_module("vpatient.tui.screens.feedback").FeedbackScreen


def redacted(case: Case, index: int) -> Case:
    """The case as the student may see it before answering: its id, tags, teaching points and
    sources can name the diagnosis (``capsular-stroke-chronic``), so they are replaced."""
    return case.model_copy(update={
        "id": f"exam-case-{index + 1}", "tags": [], "teaching": Teaching(), "sources": [],
        "reviewed_by": None,
    })


# Whole minutes until the last ones, then seconds: the header then changes once a minute, and an
# idle session sends nothing and costs (almost) no CPU.
SECONDS_SHOWN_BELOW = 120


def format_remaining(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds >= SECONDS_SHOWN_BELOW:
        return f"{(seconds + 59) // 60} min"
    return f"{seconds // 60}:{seconds % 60:02d}"


class WaitingScreen(Screen):
    """The bottom of the stack. Whenever it shows, the app moves the student on: a screen that
    closes itself (an encounter's back key, a feedback screen's close) lands here, and the exam
    continues where its log says, never at an earlier case."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading the next case…", id="waiting")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.app.call_later(self.app.advance)  # type: ignore[attr-defined]


class SummaryScreen(Screen):
    """The end of the exam: what was answered and, if the exam allows, the scores."""

    BINDINGS: ClassVar = [Binding("q", "leave", "Leave the exam")]
    DEFAULT_CSS = """
    SummaryScreen #summary { padding: 1 2; height: auto; }
    SummaryScreen OptionList { height: 1fr; margin: 0 2; }
    """

    def __init__(self, lines: list[str], options: list[tuple[str, int]]) -> None:
        super().__init__()
        self.lines = lines
        self.options = options

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static("\n".join(self.lines), id="summary")
            if self.options:
                yield OptionList(*[Option(text, id=str(i)) for text, i in self.options])
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.app.show_feedback(int(event.option.id))  # type: ignore[attr-defined]

    def action_leave(self) -> None:
        self.app.exit()


class SharedCssParseCache:
    """Stands in for a stylesheet's own cache of parsed CSS (``Stylesheet._parse_cache``), so
    that every app in the process shares one.

    Each app parses all its CSS (its own, every widget's defaults, each screen's) into rules when
    it starts: some 20 ms of CPU per session. The rules depend only on the CSS text and the
    theme's variables, so a session forked from the exam server's zygote reuses those its warm-up
    parsed. Entries are keyed by the variables as well, so a change of theme (the command
    palette offers one) parses afresh and never hands another app rules of the wrong colours.
    """

    _store: ClassVar[LRUCache[tuple, list]] = LRUCache(1024)

    def __init__(self, stylesheet: Stylesheet) -> None:
        self._stylesheet = stylesheet
        self._variables: dict[str, str] | None = None
        self._variables_key: tuple = ()

    @classmethod
    def install(cls, stylesheet: Stylesheet) -> None:
        # Private Textual attributes (pinned < 9): if they move, lose the speed-up, not the exam.
        if hasattr(stylesheet, "_parse_cache") and hasattr(stylesheet, "_variables"):
            stylesheet._parse_cache = cls(stylesheet)  # type: ignore[assignment]

    def _key(self, key: tuple) -> tuple:
        variables = self._stylesheet._variables
        if variables is not self._variables:
            self._variables = variables
            self._variables_key = tuple(sorted(variables.items()))
        return (self._variables_key, key)

    def __getitem__(self, key: tuple) -> list:
        value = self._store.get(self._key(key))
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key: tuple, value: list) -> None:
        self._store[self._key(key)] = value

    def clear(self) -> None:
        """Stylesheet.set_variables clears its cache; entries here carry their variables."""


class ExamApp(App):
    """One student's sitting of an exam."""

    TITLE = "vpatient exam"
    # The game's shared styles (panels, hints), which its screens expect from their app.
    CSS_PATH: ClassVar = [Path(__file__).resolve().parent.parent / "tui" / "app.tcss"]
    # The clock is the only thing that moves by itself; once a second is plenty.
    TICK_SECONDS = 1.0

    def __init__(self, exam: Exam, student: str, *, served: bool = False,
                 peer: str | None = None, clock: Callable[[], float] = time.time,
                 encounter_factory: Callable[..., Screen] | None = None,
                 feedback_factory: Callable[..., Screen] | None = None) -> None:
        super().__init__()
        SharedCssParseCache.install(self.stylesheet)
        self.exam = exam
        self.student = student
        self.served = served
        self.peer = peer
        self.clock = clock
        self._encounter_factory = encounter_factory
        self._feedback_factory = feedback_factory
        self.store: Store | None = None
        self.session_id: int | None = None
        self.state: StudentState | None = None
        self.current: int | None = None  # the case on screen, if any
        self.over = False
        self.title = exam.config.title

    # --- lifecycle ------------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.store = Store(self.exam.results_path)
        self.session_id = self.store.login(self.student, self.peer, now=self.clock())
        self.state = self.store.state(self.student)
        self.push_screen(WaitingScreen())
        self.set_interval(self.TICK_SECONDS, self.tick)
        self.tick()

    def on_unmount(self) -> None:
        if self.store is not None:
            if self.session_id is not None:
                self.store.logout(self.session_id)
            self.store.close()

    @property
    def started_at(self) -> float:
        assert self.state is not None and self.state.started_at is not None
        return self.state.started_at

    def remaining(self) -> float:
        return self.exam.time_limit_seconds - (self.clock() - self.started_at)

    def tick(self) -> None:
        if self.state is None:
            return
        n = len(self.exam.cases)
        if self.over:
            self.sub_title = f"{self.student} · finished"
            return
        remaining = self.remaining()
        where = f"case {self.current + 1} of {n} · " if self.current is not None else ""
        self.sub_title = f"{self.student} · {where}{format_remaining(remaining)} left"
        # The game's screens set their own header text, which hides the app's: hand them the
        # clock (EncounterScreen.set_header_note; LocalizeScreen shows its ``note``).
        note = self.header_note()
        for screen in self.screen_stack:
            if hasattr(screen, "set_header_note"):
                screen.set_header_note(note)
            elif hasattr(screen, "note") and isinstance(getattr(screen, "note", None), str):
                screen.note = note
                screen.sub_title = note
        if remaining <= 0:
            self.end_exam("Time is up. Your answers were saved as you gave them.")

    def header_note(self) -> str:
        where = f"Case {self.current + 1} of {len(self.exam.cases)} · " \
            if self.current is not None else ""
        return f"{where}{format_remaining(self.remaining())} left · {self.student}"

    # --- moving through the exam ----------------------------------------------------------------
    def advance(self) -> None:
        """Show what comes next: the first unanswered case, or the summary."""
        if self.over or self.state is None or self.store is None:
            return
        if self.state.finished_at is not None or self.remaining() <= 0:
            self.end_exam("Time is up." if self.remaining() <= 0 else "")
            return
        index = self.state.current_index(len(self.exam.cases))
        if index is None:
            self.end_exam("You have answered every case.")
            return
        if not isinstance(self.screen, WaitingScreen):
            return  # something is on screen already; it will land here again when it closes
        case = self.exam.cases[index]
        self.current = index
        self.store.start_case(self.student, index, case.id)
        performed = tuple(self.state.performed.get(index, ()))
        screen = self._make_encounter(
            redacted(case, index), performed,
            show_answer_feedback=False,  # the exam app decides what feedback is shown, and when
            # The patient card keeps this note; the header gets the running clock from tick().
            header_note=f"Case {index + 1} of {len(self.exam.cases)}",
            allow_leave=False,  # no abandoning a case: it is answered or the time runs out
        )
        self.push_screen(screen)
        self.tick()

    def _make_encounter(self, case: Case, performed: tuple[str, ...], **kwargs) -> Screen:
        factory = self._encounter_factory or encounter_screen_class()
        return factory(case, performed, **kwargs)

    def _make_feedback(self, case: Case, result: GradeResult, performed: list[str]) -> Screen:
        factory = self._feedback_factory or feedback_screen_class()
        return factory(case, result, performed)

    def _case_for_message(self, case_id: str) -> int | None:
        """The index of the case on screen, if the message is about it (stale ones are not)."""
        if self.over or self.current is None:
            return None
        return self.current if case_id == redacted(self.exam.cases[self.current],
                                                   self.current).id else None

    # Handler names follow Textual's convention for EncounterScreen.ManeuverPerformed and
    # EncounterScreen.AnswerSubmitted, so the game's screens need not be imported here.
    def on_encounter_screen_maneuver_performed(self, message) -> None:
        index = self._case_for_message(message.case_id)
        if index is None or self.store is None or self.state is None:
            return
        if self.remaining() <= 0:
            self.end_exam("Time is up.")
            return
        self.store.record_maneuver(self.student, index, self.exam.cases[index].id,
                                   message.maneuver_id)
        self.state.performed.setdefault(index, []).append(message.maneuver_id)

    def on_encounter_screen_answer_submitted(self, message) -> None:
        index = self._case_for_message(message.case_id)
        if index is None or self.store is None or self.state is None:
            return
        if self.remaining() <= 0:
            self.end_exam("Time is up: that answer came too late and was not recorded.")
            return
        case = self.exam.cases[index]
        answer: Answer = message.answer
        performed = list(self.state.performed.get(index, []))
        result = grade(case, answer, performed)
        with contextlib.suppress(AlreadyAnswered):  # a double submit: the first answer stands
            self.store.record_answer(self.student, index, case.id, answer, result.to_json())
        self.state = self.store.state(self.student)
        self.current = None
        if self.exam.config.feedback == "immediate":
            # Swap the encounter for its feedback; closing the feedback lands on the waiting
            # screen, which moves on to the next case.
            self.switch_screen(self._make_feedback(case, result, performed))
        else:
            self.pop_screen()
            self.notify(f"Answer to case {index + 1} saved.", timeout=3)

    def on_feedback_screen_next_case(self, message) -> None:
        # "Next" on a feedback screen: during the exam the waiting screen below moves on; after
        # it, the summary is below.
        if type(self.screen).__name__ == "FeedbackScreen":
            self.pop_screen()

    def end_exam(self, note: str = "") -> None:
        if self.over or self.store is None:
            return
        self.over = True
        self.current = None
        self.store.finish(self.student)
        self.state = self.store.state(self.student)
        self.tick()
        # Drop everything above the waiting screen: no way back into a case.
        while len(self.screen_stack) > 2:
            self.pop_screen()
        lines, options = self.summary(note)
        self.push_screen(SummaryScreen(lines, options))

    def summary(self, note: str) -> tuple[list[str], list[tuple[str, int]]]:
        assert self.state is not None
        n = len(self.exam.cases)
        answered = self.state.answered
        lines = [f"{self.exam.config.title}: the exam is over for {self.student}."]
        if note:
            lines.append(note)
        lines.append(f"You answered {len(answered)} of {n} case{'s' if n != 1 else ''}.")
        options: list[tuple[str, int]] = []
        if self.exam.config.feedback in FEEDBACK_AT_END:
            total = sum(a["score"] for a in answered.values())
            lines.append(f"Score: {total / n * 100:.0f}% overall. "
                         "Choose a case to see its feedback; q leaves.")
            for i, case in enumerate(self.exam.cases):
                if i in answered:
                    options.append((f"Case {i + 1}: {case.title}  "
                                    f"{answered[i]['score'] * 100:.0f}%", i))
                else:
                    options.append((f"Case {i + 1}: {case.title}  (not answered)", -1 - i))
        else:
            lines.append("Your answers are recorded; your instructor will share the results. "
                         "Press q to leave.")
        return lines, options

    def show_feedback(self, index: int) -> None:
        if index < 0 or self.state is None or self.exam.config.feedback not in FEEDBACK_AT_END:
            return
        row = self.state.answered.get(index)
        if row is None:
            return
        case = self.exam.cases[index]
        answer = Answer(neuron=row["neuron"], site=row["site"], side=row["side"],
                        level=row["level"])
        performed = list(self.state.performed.get(index, []))
        self.push_screen(self._make_feedback(case, grade(case, answer, performed), performed))

    # --- served sessions: no blinking, no files written on the server ---------------------------
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # The blink timer only runs while an input has focus, so switching it off on focus
        # catches every Input and TextArea, the command palette's included.
        if self.served and getattr(event.widget, "cursor_blink", False):
            event.widget.cursor_blink = False  # type: ignore[attr-defined]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if self.served and command.title == "Screenshot":
                continue
            yield command

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        if not self.served:
            super().action_screenshot(filename, path)

    def action_suspend_process(self) -> None:
        # Suspending (ctrl+z) would stop the session's process with nothing to resume it.
        if not self.served:
            super().action_suspend_process()

    # --- crashes: the traceback goes to the exam's log, never to the student's screen -----------
    def _handle_exception(self, error: Exception) -> None:
        log = write_crash_log(self.exam.root / "logs", self.student, error)
        self._return_code = 1
        if self._exception is None:  # pilot (tests) re-raises the first error
            self._exception = error
            self._exception_event.set()
        self._exit_renderables.append(
            "vpatient hit an internal error. Your answers so far are saved; log in again to "
            f"continue. (The details are in the exam's log, {log.name}.)")
        self._close_messages_no_wait()


def write_crash_log(folder: Path, student: str, error: BaseException) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"crash-{student}-{stamp}.log"
    with path.open("a", encoding="utf-8") as out:
        out.write(f"student {student} at {datetime.now().isoformat()}\n")
        out.write("".join(traceback.format_exception(error)))
    return path
