"""``results.sqlite``: every login, maneuver and answer, committed the moment it happens.

Each session process opens its own connection; WAL mode lets a hundred of them write while the
instructor reads results, and ``synchronous=FULL`` means a committed answer survives the server
being killed (or the machine losing power) mid-exam. The resume state of a student is derived
from these rows alone, so a reconnecting student, or a restarted server, picks up exactly where
the log ends.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from vpatient.core.answer import Answer

SCHEMA = """
CREATE TABLE IF NOT EXISTS students (
    id TEXT PRIMARY KEY,
    started_at REAL NOT NULL,          -- first login, server clock (time.time())
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

CSV_COLUMNS = (
    "student", "case_number", "case_id", "case_title", "status", "neuron", "site", "side",
    "level", "score", "score_neuron", "score_site", "score_level", "score_side",
    "maneuver_count", "maneuvers", "seconds", "answered_at",
)


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


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        # autocommit (isolation_level=None): each statement is its own transaction unless we
        # open one, so a maneuver is durable the moment execute() returns.
        self.db = sqlite3.connect(str(path), timeout=10, isolation_level=None,
                                  check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA busy_timeout = 10000")
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = FULL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    # --- writes ---------------------------------------------------------------------------------
    def login(self, student: str, peer: str | None = None, now: float | None = None) -> int:
        """Record a session; the first one starts the student's clock. Returns the session id."""
        now = time.time() if now is None else now
        self.db.execute("INSERT OR IGNORE INTO students (id, started_at) VALUES (?, ?)",
                        (student, now))
        cur = self.db.execute(
            "INSERT INTO sessions (student, started_at, peer) VALUES (?, ?, ?)",
            (student, now, peer))
        return int(cur.lastrowid or 0)

    def logout(self, session_id: int) -> None:
        self.db.execute("UPDATE sessions SET ended_at = ? WHERE id = ?", (time.time(), session_id))

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

    def finish(self, student: str) -> None:
        self.db.execute("UPDATE students SET finished_at = ? WHERE id = ? AND finished_at IS NULL",
                        (time.time(), student))

    # --- reads ----------------------------------------------------------------------------------
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
        return [r[0] for r in self.db.execute("SELECT id FROM students ORDER BY id")]

    def result_rows(self, cases: list, students: Iterable[str],
                    time_limit: float | None = None) -> list[dict]:
        """One row per student and case, for the gradebook (``CSV_COLUMNS``)."""
        rows: list[dict] = []
        now = time.time()
        for student in students:
            state = self.state(student)
            # Over when the app said so, or when the time ran out while nobody was logged in.
            over = state.finished_at is not None or (
                time_limit is not None and state.started_at is not None
                and now - state.started_at > time_limit)
            starts = {r["case_index"]: r["started_at"] for r in self.db.execute(
                "SELECT case_index, started_at FROM case_starts WHERE student = ?", (student,))}
            for index, case in enumerate(cases):
                answer = state.answered.get(index)
                performed = state.performed.get(index, [])
                row: dict = {c: "" for c in CSV_COLUMNS}
                row.update(student=student, case_number=index + 1, case_id=case.id,
                           case_title=case.title, maneuver_count=len(performed),
                           maneuvers=" ".join(performed))
                if state.started_at is None:
                    row["status"] = "not started"
                elif answer is None:
                    row["status"] = "not answered" if over else \
                        "in progress" if index in starts else "not reached"
                elif answer["case_id"] != case.id:
                    # The exam's case list changed after this answer: flag it, don't misfile it.
                    row["status"] = f"answered a different case ({answer['case_id']})"
                else:
                    row["status"] = "answered"
                if answer is not None:
                    grade = json.loads(answer["grade_json"])
                    row.update(neuron=answer["neuron"], site=answer["site"], side=answer["side"],
                               level=answer["level"] or "", score=f"{answer['score']:.3f}",
                               answered_at=_iso(answer["at"]))
                    for part in grade.get("parts", []):
                        row[f"score_{part['part']}"] = f"{part['score']:.3f}"
                    if index in starts:
                        row["seconds"] = f"{answer['at'] - starts[index]:.0f}"
                rows.append(row)
        return rows


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(ts))


def rows_to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def rows_to_text(rows: list[dict]) -> str:
    """A readable table: one line per student and case."""
    header = f"{'student':<14} {'#':>2} {'case':<30} {'score':>5}  {'answer':<40} {'man':>3} " \
             f"{'time':>6}"
    lines = [header, "-" * len(header)]
    for r in rows:
        answer = " ".join(x for x in (r["neuron"], r["site"], r["side"], r["level"]) if x) \
            or r["status"]
        score = f"{float(r['score']) * 100:.0f}%" if r["score"] != "" else "-"
        secs = f"{int(r['seconds']) // 60}:{int(r['seconds']) % 60:02d}" if r["seconds"] else "-"
        lines.append(f"{r['student']:<14} {r['case_number']:>2} {r['case_id'][:30]:<30} "
                     f"{score:>5}  {answer[:40]:<40} {r['maneuver_count']:>3} {secs:>6}")
    return "\n".join(lines) + "\n"
