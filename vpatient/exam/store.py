"""``results.sqlite``: every login, maneuver and answer, committed the moment it happens.

Each session process opens its own connection; WAL mode lets a hundred of them write while the
instructor reads results, and ``synchronous=FULL`` means a committed answer survives the server
being killed (or the machine losing power) mid-exam. The resume state of a student is derived
from these rows alone, so a reconnecting student, or a restarted server, picks up exactly where
the log ends.

Readers (``exam results``, ``exam watch``) open the file read-only and never change it, so they
work beside a running server and on a copy of the folder. A write that fails (a full disk)
raises ``sqlite3.Error`` to the caller, which tells the student and lets them try again: nothing
is half-written, each write is one statement.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from vpatient.core.answer import Answer

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS students (
    id TEXT PRIMARY KEY,
    started_at REAL NOT NULL,          -- when the student's clock started (server clock)
    finished_at REAL                   -- the last case answered, or time ran out
);
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    student TEXT NOT NULL,
    started_at REAL NOT NULL,
    ended_at REAL,
    peer TEXT
);
CREATE TABLE IF NOT EXISTS case_starts (
    student TEXT NOT NULL,
    case_index INTEGER NOT NULL,
    case_id TEXT NOT NULL,
    started_at REAL NOT NULL,
    PRIMARY KEY (student, case_index)
);
CREATE TABLE IF NOT EXISTS maneuvers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    student TEXT NOT NULL,
    case_index INTEGER NOT NULL,
    case_id TEXT NOT NULL,
    maneuver TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS maneuvers_by_student ON maneuvers (student, case_index);
CREATE TABLE IF NOT EXISTS answers (
    student TEXT NOT NULL,
    case_index INTEGER NOT NULL,
    case_id TEXT NOT NULL,
    neuron TEXT NOT NULL,
    site TEXT NOT NULL,
    side TEXT NOT NULL,
    level TEXT,
    score REAL NOT NULL,
    grade_json TEXT NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (student, case_index)   -- one answer per case: there is no way back
);
"""
# Version 2: who is connected (pid and host of each session, how it ended) and the exam-wide
# start for exams that the instructor starts.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: ("ALTER TABLE sessions ADD COLUMN pid INTEGER",
        "ALTER TABLE sessions ADD COLUMN host TEXT",
        "ALTER TABLE sessions ADD COLUMN end_reason TEXT",
        "CREATE TABLE IF NOT EXISTS exam (key TEXT PRIMARY KEY, value REAL NOT NULL)"),
}

# How a session ended (sessions.end_reason).
ENDED_FINISHED = "finished"       # left the end screen
ENDED_LEFT = "left"               # chose to leave before the end (confirmed)
ENDED_DROPPED = "connection lost"
ENDED_BY_SERVER = "closed by the server"  # replaced by a new login, idle, server stopping
ENDED_CRASHED = "crashed"
ENDED_UNKNOWN = "unknown (the server stopped)"


class ResultsError(Exception):
    """results.sqlite cannot be read: one line that says why."""


@dataclass
class StudentState:
    """Where a student is: what the app needs to resume them."""

    student: str
    started_at: float | None
    finished_at: float | None
    answered: dict[int, dict] = field(default_factory=dict)  # case index -> answer row
    performed: dict[int, list[str]] = field(default_factory=dict)  # case index -> maneuvers

    def current_index(self, case_count: int) -> int | None:
        """The first unanswered case, or None when every case has an answer."""
        return next((i for i in range(case_count) if i not in self.answered), None)


class AlreadyAnswered(Exception):
    """The case has an answer; answers are final."""


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    if readonly:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10,
                             isolation_level=None, check_same_thread=False)
    else:
        # autocommit (isolation_level=None): each statement is its own transaction unless we
        # open one, so a maneuver is durable the moment execute() returns.
        db = sqlite3.connect(str(path), timeout=10, isolation_level=None,
                             check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA busy_timeout = 10000")
    return db


class Store:
    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        self.db = _connect(path, readonly=readonly)
        if readonly:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:  # an older file: read it as it is
                self._columns = {r[1] for r in self.db.execute("PRAGMA table_info(sessions)")}
            else:
                self._columns = {"pid", "host", "end_reason"}
            return
        self.db.execute("PRAGMA synchronous = FULL")
        if self.db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
            # WAL mode stays with the file: set once, when the file is made (or upgraded).
            self.db.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        self._columns = {"pid", "host", "end_reason"}

    def _migrate(self) -> None:
        """Create or upgrade the schema once, in one transaction (sessions open concurrently)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:
                fresh = not self.db.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = 'sessions'").fetchone()
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                for target in range(max(version, 1) + 1, SCHEMA_VERSION + 1):
                    for statement in MIGRATIONS[target]:
                        if fresh or not self._has_column_for(statement):
                            self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _has_column_for(self, statement: str) -> bool:
        words = statement.split()
        if words[:2] != ["ALTER", "TABLE"]:
            return False
        table, column = words[2], words[5]
        return column in {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}

    def close(self) -> None:
        self.db.close()

    # --- writes ---------------------------------------------------------------------------------
    def login(self, student: str, peer: str | None = None, *, pid: int | None = None,
              host: str | None = None, now: float | None = None) -> int:
        """Record a session; earlier sessions of the student still marked open (a server that
        was killed never closed them) are closed first. Returns the session id."""
        now = time.time() if now is None else now
        self.db.execute("BEGIN IMMEDIATE")  # one commit (one sync to disk), not two
        try:
            self.db.execute("UPDATE sessions SET ended_at = started_at, end_reason = ? "
                            "WHERE student = ? AND ended_at IS NULL", (ENDED_UNKNOWN, student))
            cur = self.db.execute(
                "INSERT INTO sessions (student, started_at, peer, pid, host) "
                "VALUES (?, ?, ?, ?, ?)", (student, now, peer, pid, host))
            self.db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            raise
        return int(cur.lastrowid or 0)

    def logout(self, session_id: int, reason: str, now: float | None = None) -> None:
        self.db.execute("UPDATE sessions SET ended_at = ?, end_reason = ? "
                        "WHERE id = ? AND ended_at IS NULL",
                        (time.time() if now is None else now, reason, session_id))

    def begin(self, student: str, now: float) -> float:
        """Start the student's clock (once); returns when it started."""
        self.db.execute("INSERT OR IGNORE INTO students (id, started_at) VALUES (?, ?)",
                        (student, now))
        row = self.db.execute("SELECT started_at FROM students WHERE id = ?",
                              (student,)).fetchone()
        return float(row["started_at"])

    def start_exam(self, now: float) -> float:
        """The instructor starts the exam for everyone (once); returns when it started."""
        self.db.execute("INSERT OR IGNORE INTO exam (key, value) VALUES ('started_at', ?)",
                        (now,))
        started = self.exam_started_at()
        assert started is not None
        return started

    def start_case(self, student: str, index: int, case_id: str) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO case_starts (student, case_index, case_id, started_at) "
            "VALUES (?, ?, ?, ?)", (student, index, case_id, time.time()))

    def record_maneuver(self, student: str, index: int, case_id: str, maneuver: str) -> None:
        self.db.execute(
            "INSERT INTO maneuvers (student, case_index, case_id, maneuver, at) "
            "VALUES (?, ?, ?, ?, ?)", (student, index, case_id, maneuver, time.time()))

    def record_answer(self, student: str, index: int, case_id: str, answer: Answer,
                      grade_json: dict) -> None:
        try:
            self.db.execute(
                "INSERT INTO answers (student, case_index, case_id, neuron, site, side, level, "
                "score, grade_json, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (student, index, case_id, answer.neuron, answer.site, answer.side, answer.level,
                 float(grade_json["score"]), json.dumps(grade_json), time.time()))
        except sqlite3.IntegrityError:
            raise AlreadyAnswered(f"case {index + 1} already has an answer") from None

    def finish(self, student: str, now: float | None = None) -> None:
        self.db.execute("UPDATE students SET finished_at = ? WHERE id = ? AND finished_at IS NULL",
                        (time.time() if now is None else now, student))

    # --- reads ----------------------------------------------------------------------------------
    def exam_started_at(self) -> float | None:
        """When the instructor started the exam, if they have."""
        try:
            row = self.db.execute("SELECT value FROM exam WHERE key = 'started_at'").fetchone()
        except sqlite3.OperationalError:  # a file from before the table existed
            return None
        return float(row[0]) if row else None

    def state(self, student: str) -> StudentState:
        row = self.db.execute("SELECT started_at, finished_at FROM students WHERE id = ?",
                              (student,)).fetchone()
        state = StudentState(student, row["started_at"] if row else None,
                             row["finished_at"] if row else None)
        for answer in self.db.execute("SELECT * FROM answers WHERE student = ?", (student,)):
            state.answered[answer["case_index"]] = dict(answer)
        for m in self.db.execute(
                "SELECT case_index, maneuver FROM maneuvers WHERE student = ? ORDER BY id",
                (student,)):
            state.performed.setdefault(m["case_index"], []).append(m["maneuver"])
        return state

    def students(self) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT id FROM students UNION SELECT student FROM sessions ORDER BY 1")]

    def case_starts(self, student: str) -> dict[int, float]:
        return {r["case_index"]: r["started_at"] for r in self.db.execute(
            "SELECT case_index, started_at FROM case_starts WHERE student = ?", (student,))}

    def sessions(self) -> list[dict]:
        """Every session, oldest first, with its pid/host/end_reason (None in older files)."""
        columns = "id, student, started_at, ended_at, peer" + "".join(
            f", {c}" if c in self._columns else f", NULL AS {c}"
            for c in ("pid", "host", "end_reason"))
        return [dict(r) for r in self.db.execute(f"SELECT {columns} FROM sessions ORDER BY id")]


def open_results(path: Path) -> Store:
    """results.sqlite for reading (``exam results``, ``exam watch``), or ResultsError with one
    line that says what is wrong with it."""
    if not path.exists():
        raise ResultsError(f"{path}: no such file")
    if not path.is_file():
        raise ResultsError(f"{path}: not a file")
    try:
        store = Store(path, readonly=True)
        # Touch every table the readers use, so a damaged file fails here, in one place.
        for table in ("students", "sessions", "case_starts", "maneuvers", "answers"):
            store.db.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()
        return store
    except sqlite3.Error as err:
        raise ResultsError(f"{path}: cannot read the results ({err}); is it a vpatient "
                           "results file? A copy from a backup can replace it") from None
