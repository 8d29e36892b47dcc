"""``vpatient exam watch DIR``: the instructor's view of the room, live.

Follows results.sqlite (read-only, every ``REFRESH_SECONDS``): who is connected, each student's
case and time left, answers so far, who finished and who dropped. It never writes to the exam,
except ``s`` (after a confirmation) to start it for everyone when exam.toml says
``start = "instructor"``. It works beside a running server and on a copy of the folder after
the exam (nobody is connected there).

Who is connected: a session without an end whose process is alive on this machine. Sessions
record how they ended (sessions.end_reason), which is how "dropped" is told from "left".
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static

from vpatient.exam.clock import format_remaining, time_left
from vpatient.exam.config import Exam, list_students
from vpatient.exam.store import (
    ENDED_BY_SERVER,
    ENDED_CRASHED,
    ENDED_DROPPED,
    ENDED_LEFT,
    ResultsError,
    Store,
    open_results,
)
from vpatient.tui.screens.confirm import ConfirmScreen

COLUMNS = ("student", "status", "case", "time left", "answered", "score", "maneuvers",
           "since")
REASON_STATUS = {ENDED_DROPPED: "dropped", ENDED_LEFT: "left", ENDED_CRASHED: "crashed",
                 ENDED_BY_SERVER: "disconnected"}


def session_alive(session: dict, host: str) -> bool:
    """Is this session's process running here? (On another machine, or in a copy of the folder
    after the server stopped, it is not.)"""
    if session["ended_at"] is not None or session["pid"] is None or session["host"] != host:
        return False
    try:
        os.kill(session["pid"], 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):  # a reused pid is some other program
        return b"vpatient" in Path(f"/proc/{session['pid']}/cmdline").read_bytes()
    return True


@dataclass
class RoomRow:
    student: str
    status: str
    case: str
    time_left: str
    answered: str
    score: str
    maneuvers: int
    since: str

    def cells(self) -> tuple:
        return (self.student, self.status, self.case, self.time_left, self.answered, self.score,
                str(self.maneuvers), self.since)


def room(exam: Exam, store: Store, now: float, host: str) -> tuple[list[RoomRow], float | None]:
    """One row per student (registered, or seen in the results), and the instructor's start."""
    exam_started = store.exam_started_at()
    sessions: dict[str, list[dict]] = {}
    for session in store.sessions():
        sessions.setdefault(session["student"], []).append(session)
    students = sorted(set(list_students(exam.root)) | set(store.students()))
    n = len(exam.cases)
    out = []
    for student in students:
        state = store.state(student)
        own = sessions.get(student, [])
        live = next((s for s in reversed(own) if session_alive(s, host)), None)
        last = own[-1] if own else None
        left = time_left(exam, state.started_at, exam_started, now)
        over = state.finished_at is not None or (left is not None and left <= 0)
        answered = len(state.answered)
        if state.started_at is None:
            status = "welcome screen" if live else "not started"
        elif state.finished_at is not None and answered >= n:
            status = "finished"
        elif over:
            status = "time up"
        elif live:
            status = "connected"
        elif last is not None:
            status = REASON_STATUS.get(last["end_reason"] or "", "offline")
        else:
            status = "offline"
        if live and status in ("finished", "time up"):
            status += ", connected"
        index = state.current_index(n)
        case = f"{index + 1} of {n}" if state.started_at is not None and not over and \
            index is not None else "-"
        shown_left = "-" if left is None else ("over" if left <= 0 else format_remaining(left))
        if state.started_at is None and exam_started is None:
            shown_left = f"{exam.config.time_limit_minutes:g} min"
        scores = [a["score"] for a in state.answered.values()
                  if isinstance(a.get("score"), int | float)]
        score = f"{sum(scores) / n * 100:.0f}%" if scores else "-"
        since_ts = live["started_at"] if live else (last["ended_at"] if last else None)
        since = time.strftime("%H:%M", time.localtime(since_ts)) if since_ts else "-"
        out.append(RoomRow(student, status, case, shown_left, f"{answered}/{n}", score,
                           sum(len(m) for m in state.performed.values()), since))
    return out, exam_started


class WatchApp(App[None]):
    """The room, refreshed every few seconds."""

    TITLE = "vpatient exam watch"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "start_exam", "Start the exam", id="watch.start"),
        Binding("r", "refresh", "Refresh", id="watch.refresh"),
        Binding("q", "quit", "Quit", id="watch.quit"),
    ]
    DEFAULT_CSS = """
    #room-summary { height: auto; padding: 0 1; }
    #room { height: 1fr; }
    """
    REFRESH_SECONDS = 2.0

    def __init__(self, exam: Exam, *, refresh_seconds: float | None = None) -> None:
        super().__init__()
        self.exam = exam
        self.refresh_seconds = refresh_seconds or self.REFRESH_SECONDS
        self.host = os.uname().nodename
        self.exam_started: float | None = None
        self.rows: list[RoomRow] = []
        self.title = exam.config.title

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="room-summary", markup=False)
        table = DataTable(id="room", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"watching {self.exam.root}"
        self.action_refresh()
        self.set_interval(self.refresh_seconds, self.action_refresh)
        self.query_one(DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start_exam":
            return self.exam.config.start == "instructor" and self.exam_started is None
        return True

    def action_refresh(self) -> None:
        summary = self.query_one("#room-summary", Static)
        if not self.exam.results_path.exists():
            summary.update("No results yet: nobody has logged in. "
                           f"{len(list_students(self.exam.root))} students registered.")
            return
        try:
            store = open_results(self.exam.results_path)
            try:
                rows, started = room(self.exam, store, time.time(), self.host)
            finally:
                store.close()
        except (ResultsError, sqlite3.Error) as err:
            summary.update(f"Cannot read the results: {err}")
            return
        if started != self.exam_started:
            self.exam_started = started
            self.refresh_bindings()
        self.rows = rows
        self._show(rows)
        summary.update(self._summary(rows))

    def _summary(self, rows: list[RoomRow]) -> str:
        counts: dict[str, int] = {}
        for row in rows:
            key = row.status.split(",")[0]
            counts[key] = counts.get(key, 0) + 1
        connected = sum(1 for r in rows if r.status in ("connected", "welcome screen")
                        or r.status.endswith(", connected"))
        parts = [f"{len(rows)} students", f"{connected} connected"]
        parts += [f"{counts[k]} {k}" for k in ("finished", "time up", "dropped", "left",
                                              "crashed", "not started") if counts.get(k)]
        if self.exam.config.start == "instructor":
            parts.append("started at " + time.strftime("%H:%M", time.localtime(
                self.exam_started)) if self.exam_started else "not started yet: s starts it")
        return " · ".join(parts) + f"   (refreshed {time.strftime('%H:%M:%S')})"

    def _show(self, rows: list[RoomRow]) -> None:
        table = self.query_one(DataTable)
        keys = {str(k.value) for k in table.rows}
        for row in rows:
            if row.student not in keys:
                table.add_row(*row.cells(), key=row.student)
                continue
            for column, value in zip(table.columns, row.cells(), strict=True):
                if table.get_cell(row.student, column) != value:
                    table.update_cell(row.student, column, value, update_width=True)

    def action_start_exam(self) -> None:
        if self.exam.config.start != "instructor" or self.exam_started is not None:
            return

        def start(yes: bool | None) -> None:
            if not yes:
                return
            os.umask(0o077)
            store = Store(self.exam.results_path)
            try:
                self.exam_started = store.start_exam(time.time())
            finally:
                store.close()
            self.notify(f"Started: every student's {self.exam.config.time_limit_minutes:g} "
                        "minutes run from now.")
            self.refresh_bindings()
            self.action_refresh()

        self.push_screen(ConfirmScreen(
            f"Start '{self.exam.config.title}' for everyone now? Each student's "
            f"{self.exam.config.time_limit_minutes:g} minutes run from this moment.",
            yes="Start", no="Not yet"), callback=start)
