"""The exam app: one student, the exam's cases in order, the clock in the header.

The game's screens do the examining (``vpatient.exam.contract``); this app enforces the rules:
- a welcome screen with the rules; the clock starts when the student presses Enter, or, with
  ``start = "instructor"``, when the instructor starts the exam for everyone;
- every maneuver and answer is committed to ``results.sqlite`` before the screen goes on, so a
  dropped connection or a killed server loses nothing and a new session resumes from the log; a
  write that fails (a full disk) is reported to the student in one line, written to a crash
  report, and can be redone;
- an answered case never comes back, and no feedback is shown before the end unless
  ``feedback = "immediate"``; after the end, every case's answer can be reviewed;
- the case handed to the screens is a redacted copy (no title, id, tags, teaching points or
  sources), so nothing that names the diagnosis or finds it in the library is drawn on the
  student's terminal before the answer is in;
- when the time is up the exam ends wherever the student is.

Served sessions also turn off the cursor blink (an idle blinking cursor costs about 1% of a core
per session), drop the command palette's screenshot command (it would write files on the server)
and record how the session ended when the server hangs it up.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen

from vpatient.core.answer import Answer
from vpatient.core.case import Case, Teaching
from vpatient.core.grading import grade
from vpatient.exam.clock import format_remaining, time_left
from vpatient.exam.config import Exam
from vpatient.exam.contract import GameScreens, game_screens
from vpatient.exam.crash import write_crash_log
from vpatient.exam.screens import (
    AnswerScreen,
    BlankScreen,
    ExamTooSmallScreen,
    SummaryScreen,
    WelcomeScreen,
)
from vpatient.exam.store import (
    ENDED_BY_SERVER,
    ENDED_CRASHED,
    ENDED_DROPPED,
    ENDED_FINISHED,
    ENDED_LEFT,
    AlreadyAnswered,
    Store,
    StudentState,
)
from vpatient.tui.screens.confirm import ConfirmScreen
from vpatient.tui.screens.too_small import TooSmallScreen, fit_to_terminal

FEEDBACK_AT_END = ("end", "immediate")
MSG_CRASH = ("vpatient hit an internal error. Your answers so far are saved; log in again to "
             "continue.")


def redacted(case: Case, index: int, total: int) -> Case:
    """The case as the student may see it: its title, id, tags, teaching points and sources can
    name the diagnosis or find it in the library (``capsular-stroke-chronic``, "Generated
    patient 2026-0"), so they are replaced."""
    return case.model_copy(update={
        "id": f"exam-case-{index + 1}", "title": f"Case {index + 1} of {total}", "tags": [],
        "teaching": Teaching(), "sources": [], "reviewed_by": None,
    })


def for_review(case: Case, index: int, total: int) -> Case:
    """After the answer: the teaching points may show, but not what finds the case elsewhere."""
    return case.model_copy(update={"id": f"exam-case-{index + 1}",
                                   "title": f"Case {index + 1} of {total}",
                                   "sources": [], "reviewed_by": None})


class SharedCssParseCache:
    """Stands in for a stylesheet's own cache of parsed CSS (``Stylesheet._parse_cache``), so
    that every app in the process shares one.

    Each app parses all its CSS (its own, every widget's defaults, each screen's) into rules when
    it starts: some 20 ms of CPU per session. The rules depend only on the CSS text and the
    theme's variables, so a session forked from the exam server's zygote reuses those its warm-up
    parsed. Entries are keyed by the variables as well, so a change of theme (the command
    palette offers one) parses afresh and never hands another app rules of the wrong colours.

    Textual has no public way to share parsed CSS, so this replaces a private attribute. Textual
    is pinned below 9, and tests/exam/test_app.py fails loudly if the attribute moves or the
    cache stops being used (``install`` raises rather than silently losing the speed-up).
    """

    _store: ClassVar[LRUCache[tuple, list]] = LRUCache(1024)

    def __init__(self, stylesheet: Stylesheet) -> None:
        self._stylesheet = stylesheet
        self._variables: dict[str, str] | None = None
        self._variables_key: tuple = ()

    @classmethod
    def install(cls, stylesheet: Stylesheet) -> None:
        if not (hasattr(stylesheet, "_parse_cache") and hasattr(stylesheet, "_variables")):
            raise RuntimeError("Textual's Stylesheet no longer has _parse_cache/_variables: "
                               "update SharedCssParseCache for this Textual version")
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


class ExamApp(App[int]):
    """One student's sitting of an exam."""

    TITLE = "vpatient exam"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "leave", "Leave", id="exam.leave", priority=True),
    ]
    # The clock is the only thing that moves by itself; once a second is plenty.
    TICK_SECONDS = 1.0
    # While students wait for the instructor's start, how often each looks for it.
    START_POLL_SECONDS = 2.0

    def __init__(self, exam: Exam, student: str, *, served: bool = False,
                 peer: str | None = None, clock: Callable[[], float] = time.time,
                 screens: GameScreens | None = None) -> None:
        self.screens = screens or game_screens()
        super().__init__(css_path=list(self.screens.stylesheets))
        SharedCssParseCache.install(self.stylesheet)
        self.exam = exam
        self.student = student
        self.served = served
        self.peer = peer
        self.clock = clock
        self.store: Store | None = None
        self.session_id: int | None = None
        self.state: StudentState | None = None
        self.exam_started: float | None = None  # the instructor's start, if the exam uses it
        self.current: int | None = None  # the case on screen, if any
        self.over = False
        self.end_note = ""
        self.end_reason = ENDED_LEFT
        self.title = exam.config.title
        self._last_poll = 0.0
        self.leaving = False  # exit() called: the app is closing

    # --- lifecycle ------------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        """The bottom of the stack: the welcome for a student who has not begun (the screen a
        whole class draws at once, so nothing is drawn before it), otherwise a blank one that
        the case or the end screen covers at once. It stays below what comes next."""
        self.store = Store(self.exam.results_path)
        self.state = self.store.state(self.student)
        self.exam_started = self.store.exam_started_at()
        if self.state.started_at is None and not self.time_is_up():
            return WelcomeScreen(self._rules(), self._welcome_status(),
                                 can_begin=self._can_begin())
        return BlankScreen()

    def on_mount(self) -> None:
        if self.served:
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGHUP, self._hung_up, ENDED_DROPPED)
            loop.add_signal_handler(signal.SIGTERM, self._hung_up, ENDED_BY_SERVER)
        self.set_interval(self.TICK_SECONDS, self.tick)
        if isinstance(self.screen, BlankScreen):  # resuming: the case, or the end
            self._show(self._first_screen())
        self.call_after_refresh(self.tick)  # the clock in the first screen's header
        self._check_size(self.size.width, self.size.height)
        # The first screen first; then the login row (a write, which waits its turn).
        self.call_after_refresh(self._record_login)

    def _record_login(self) -> None:
        if self.store is None or self.session_id is not None:
            return
        try:
            self.session_id = self.store.login(
                self.student, self.peer, pid=os.getpid() if self.served else None,
                host=os.uname().nodename if self.served else None, now=self.clock())
        except sqlite3.Error as err:  # the exam can still go on; the next write will say
            self._write_failed(err, "Your login could not be recorded")

    def on_unmount(self) -> None:
        if self.store is not None:
            if self.session_id is not None:
                with contextlib.suppress(sqlite3.Error):
                    self.store.logout(self.session_id, self.end_reason)
            self.store.close()

    def _hung_up(self, reason: str) -> None:
        """The server hung up the terminal (the connection dropped, or it closed the session):
        record how the session ended and stop at once; the terminal is gone or going."""
        if self.store is not None and self.session_id is not None:
            with contextlib.suppress(sqlite3.Error):
                self.store.logout(self.session_id, reason)
        os._exit(0)

    # --- the clock ------------------------------------------------------------------------------
    def time_left(self) -> float | None:
        """Seconds left, or None while the clock has not started."""
        assert self.state is not None
        return time_left(self.exam, self.state.started_at, self.exam_started, self.clock())

    def time_is_up(self) -> bool:
        left = self.time_left() if self.state is not None else None
        return left is not None and left <= 0

    def header_note(self) -> str:
        if self.over:
            return f"{self.student} · finished"
        left = self.time_left()
        if left is None:
            return f"{self.student} · {self.exam.config.time_limit_minutes:g} min"
        where = f"Case {self.current + 1} of {len(self.exam.cases)} · " \
            if self.current is not None else ""
        return f"{where}{format_remaining(left)} left · {self.student}"

    def tick(self) -> None:
        if self.state is None:
            return
        if (not self.over and self.exam.config.start == "instructor"
                and self.exam_started is None
                and self.clock() - self._last_poll >= self.START_POLL_SECONDS):
            self._last_poll = self.clock()
            self._poll_start()
        note = self.header_note()
        # Each screen's header shows its own sub_title (the game's screens set theirs): give the
        # one on show the clock; one that comes back gets it at the next tick. (Not the app's
        # sub_title: every header, also one on its way out, watches that.)
        screen = self.screen
        if screen.is_mounted and screen.sub_title != note:
            screen.sub_title = note
        if not self.over and self.time_is_up():
            self.end_exam("Time is up.")

    def _poll_start(self) -> None:
        assert self.store is not None
        with contextlib.suppress(sqlite3.Error):
            self.exam_started = self.store.exam_started_at()
        if self.exam_started is not None and isinstance(self.screen, WelcomeScreen):
            self.screen.update_status(self._welcome_status(), can_begin=True)

    # --- what is on screen ----------------------------------------------------------------------
    def _first_screen(self) -> Screen:
        assert self.state is not None
        if self.state.finished_at is not None or self.time_is_up():
            return self._end_screen("Time is up." if self.time_is_up() else "")
        return self._next_screen()

    def _show(self, screen: Screen) -> None:
        """Make ``screen`` the exam's screen (second on the stack), closing whatever was open
        above it."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) == 2:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self.call_later(self._check_size, self.size.width, self.size.height)
        self.call_after_refresh(self.tick)  # the clock in the new screen's header

    def _can_begin(self) -> bool:
        return self.exam.config.start == "student" or self.exam_started is not None

    def _rules(self) -> list[str]:
        n = len(self.exam.cases)
        minutes = f"{self.exam.config.time_limit_minutes:g} minutes"
        clock = ("counted from when you press Enter" if self.exam.config.start == "student"
                 else "counted for everyone from when your instructor starts the exam")
        feedback = {
            "end": "Your scores and the answers are shown when the exam is over.",
            "immediate": "After each answer you see its score and the reasoning.",
            "never": "Your instructor will share the results; the exam shows no scores.",
        }[self.exam.config.feedback]
        return [
            f"{n} case{'s' * (n != 1)}, one after the other: examine the patient, then "
            "localize the lesion (l). An answer is final: an answered case does not come back.",
            f"{minutes} in all, {clock}. The clock keeps running if you disconnect.",
            "Every step is saved as you go. If your connection drops, log in again the same "
            "way: you continue where you were.",
            feedback,
            "In a case, ? shows the help. Ctrl+Q leaves the exam (you are asked first).",
        ]

    def _welcome_status(self) -> str:
        if self.exam.config.start == "student":
            return "Press Enter to begin."
        if self.exam_started is None:
            return "Your instructor will start the exam; this screen changes when they do."
        left = self.time_left()
        return (f"The exam has started: {format_remaining(left or 0)} left. "
                "Press Enter to begin.")

    def begin(self) -> None:
        """The student pressed Enter on the welcome screen: start their clock, show case 1."""
        if self.store is None or self.state is None or not self._can_begin():
            return
        if self.time_is_up():
            self.end_exam("Time is up.")
            return
        try:
            self.state.started_at = self.store.begin(self.student, self.clock())
        except sqlite3.Error as err:
            self._write_failed(err, "The exam could not start")
            return
        self.advance()

    def advance(self) -> None:
        """Show the first unanswered case, or the end."""
        if self.over or self.state is None or self.store is None:
            return
        self._show(self._next_screen())

    def _next_screen(self) -> Screen:
        """The first unanswered case, or the end (time up, or every case answered)."""
        assert self.state is not None and self.store is not None
        if self.time_is_up():
            return self._end_screen("Time is up.")
        index = self.state.current_index(len(self.exam.cases))
        if index is None:
            return self._end_screen()
        case = self.exam.cases[index]
        self.current = index
        with contextlib.suppress(sqlite3.Error):  # only times the case; never worth a stop
            self.store.start_case(self.student, index, case.id)
        return self.screens.encounter(
            redacted(case, index, len(self.exam.cases)),
            tuple(self.state.performed.get(index, ())),
            note="",  # the card's title says which case it is
            record=partial(self._record, index),
            submit=partial(self._submit, index))

    # --- what the student does ------------------------------------------------------------------
    def _record(self, index: int, maneuver_id: str) -> bool:
        """Save a maneuver before its findings show; False if it was not saved."""
        if self.over or index != self.current or self.store is None or self.state is None:
            return False
        if self.time_is_up():
            self.end_exam("Time is up.")
            return False
        try:
            self.store.record_maneuver(self.student, index, self.exam.cases[index].id,
                                       maneuver_id)
        except sqlite3.Error as err:
            self._write_failed(err, "That examination step was not saved")
            return False
        self.state.performed.setdefault(index, []).append(maneuver_id)
        return True

    def _submit(self, index: int, answer: Answer) -> bool:
        """Save an answer; False (the case stays on screen) if it was not saved."""
        if self.over or index != self.current or self.store is None or self.state is None:
            return False
        if self.time_is_up():
            self.end_exam("Time is up: that answer came too late and was not recorded.")
            return False
        case = self.exam.cases[index]
        performed = list(self.state.performed.get(index, []))
        result = grade(case, answer, performed)
        try:
            self.store.record_answer(self.student, index, case.id, answer, result.to_json())
        except AlreadyAnswered:
            pass  # a double submit: the first answer stands
        except sqlite3.Error as err:
            self._write_failed(err, "Your answer was not saved")
            return False
        try:
            self.state = self.store.state(self.student)
        except sqlite3.Error:  # the answer is saved; keep going on what we know
            self.state.answered[index] = {"score": result.score, **answer.model_dump()}
        self.current = None
        if self.exam.config.feedback == "immediate":
            # The answered case goes; its feedback shows over a blank screen, and closing it
            # moves on to the next case.
            self._show(BlankScreen())
            shown = for_review(case, index, len(self.exam.cases))
            self.push_screen(self.screens.feedback(shown, result, performed, review=False),
                             callback=lambda _result: self.advance())
        else:
            self.notify(f"Answer to case {index + 1} saved.", timeout=3)
            self.advance()
        return True

    def _write_failed(self, error: sqlite3.Error, what: str) -> None:
        """A write to results.sqlite failed: the crash report first, then one line for the
        student. Nothing changed on screen, so they can do it again."""
        write_crash_log(self.exam.logs_dir, self.student, error)
        full = getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
        reason = "its disk is full" if full else "a storage error"
        self.notify(f"{what}: the exam server could not save it ({reason}). Nothing else is "
                    "lost; try again in a moment. Your instructor has been told.",
                    severity="error", timeout=10)

    def end_exam(self, note: str = "") -> None:
        if self.over or self.store is None or self.state is None:
            return
        self._show(self._end_screen(note))

    def _end_screen(self, note: str = "") -> Screen:
        """The exam is over for this student: record it, and the end screen."""
        assert self.store is not None and self.state is not None
        self.over = True
        self.current = None
        self.end_note = note
        self.end_reason = ENDED_FINISHED
        with contextlib.suppress(sqlite3.Error):
            self.store.finish(self.student, self.clock())
            self.state = self.store.state(self.student)
        return SummaryScreen(*self.summary(note))

    def summary(self, note: str) -> tuple[list[str], list[tuple[str, int]]]:
        assert self.state is not None
        n = len(self.exam.cases)
        answered = self.state.answered
        lines = [note or "You have finished the exam."]
        lines.append(f"You answered {len(answered)} of {n} case{'s' * (n != 1)}; your answers "
                     "are saved.")
        options: list[tuple[str, int]] = []
        if self.exam.config.feedback in FEEDBACK_AT_END:
            total = sum(a["score"] for a in answered.values())
            lines.append(f"Your score: {total / n * 100:.0f}%. Choose a case to review it; "
                         "Ctrl+Q or q leaves.")
            for i in range(n):
                if i in answered:
                    options.append((f"Case {i + 1}   {answered[i]['score'] * 100:.0f}%", i))
                else:
                    options.append((f"Case {i + 1}   not answered: see the answer", i))
        else:
            lines.append("Your instructor will share the results. Ctrl+Q or q leaves.")
        return lines, options

    def review(self, index: int) -> None:
        """From the end screen: a case's feedback, or the answer of a case not answered."""
        if (not self.over or self.state is None
                or self.exam.config.feedback not in FEEDBACK_AT_END):
            return
        case = self.exam.cases[index]
        row = self.state.answered.get(index)
        if row is None:
            self.push_screen(AnswerScreen(case, index + 1))
            return
        answer = Answer(neuron=row["neuron"], site=row["site"], side=row["side"],
                        level=row["level"])
        performed = list(self.state.performed.get(index, []))
        shown = for_review(case, index, len(self.exam.cases))
        self.push_screen(self.screens.feedback(shown,
                                               grade(case, answer, performed), performed,
                                               review=True))

    def exit(self, result: int | None = None, return_code: int = 0,
             message: object = None) -> None:
        self.leaving = True
        super().exit(result, return_code, message)  # type: ignore[arg-type]

    def action_leave(self) -> None:
        """Ctrl+Q: leave; while the clock runs, only after a confirmation."""
        if self.over or self.state is None or self.state.started_at is None:
            self.exit()
            return
        if isinstance(self.screen, ConfirmScreen):
            return
        left = self.time_left()
        clock = f" ({format_remaining(left)} left)" if left is not None else ""

        def leave(yes: bool | None) -> None:
            if yes:
                self.end_reason = ENDED_LEFT
                self.exit()

        self.push_screen(ConfirmScreen(
            "Leave the exam? Everything so far is saved, and the clock keeps running"
            f"{clock}: log in again to continue.", yes="Leave", no="Stay"), callback=leave)

    # --- terminal size --------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        fit_to_terminal(self, width, height, ExamTooSmallScreen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys typed after leaving (a paste) must not act on an app that is closing; while the
        # terminal is too small only leaving makes sense.
        if self.leaving:
            return False
        return not (isinstance(self.screen, TooSmallScreen) and action != "leave")

    def on_paste(self, event: events.Paste) -> None:
        if event.text.strip():
            self.notify("Pasted text is not used in the exam.", timeout=3)

    # --- served sessions: no blinking, no files written on the server ---------------------------
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # The blink timer only runs while an input has focus, so switching it off on focus
        # catches every Input and TextArea, the command palette's included.
        if self.served and getattr(event.widget, "cursor_blink", False):
            event.widget.cursor_blink = False  # type: ignore[attr-defined]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title == "Quit":  # the palette's way out asks first, as Ctrl+Q does
                yield SystemCommand("Leave", "Leave the exam (you are asked first)",
                                    self.action_leave)
            elif not (self.served and command.title == "Screenshot"):
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
        # Textual's only hook for an unhandled error (pinned below 9; tests/exam/test_app.py
        # fails if it stops being called). Report first, then exit by the public API.
        self.end_reason = ENDED_CRASHED
        write_crash_log(self.exam.logs_dir, self.student, error)
        self.exit(return_code=1, message=MSG_CRASH)
