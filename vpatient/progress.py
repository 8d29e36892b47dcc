"""A student's progress: every graded answer, kept in SQLite under the user's data folder.

Each answer is committed the moment it is graded, so closing the terminal (or a crash) loses
nothing. The folder is ``platformdirs.user_data_dir("vpatient")`` unless ``VPATIENT_DATA_DIR``
names another one (the tests point it at a temporary folder).

This module knows nothing of Textual or of the clinical core: it stores and summarizes plain
values, so the game, the exam and the tests can all use it.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

DATA_DIR_ENV = "VPATIENT_DATA_DIR"
DATABASE_NAME = "progress.sqlite3"

# An answer at or above this overall score counts towards a streak ("a good localization").
GOOD_ANSWER = 0.8
# How many weakest sites "practise my weak spots" samples from.
WEAK_SPOT_COUNT = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    answered_at   TEXT    NOT NULL,   -- ISO 8601, UTC
    case_id       TEXT    NOT NULL,
    source        TEXT    NOT NULL,   -- 'generated' | 'library' | 'weak-spots'
    difficulty    TEXT    NOT NULL,
    site          TEXT    NOT NULL,   -- the true site (the topic the answer is scored under)
    neuron        TEXT    NOT NULL,   -- the true neuron type
    score         REAL    NOT NULL,   -- 0..1 overall
    score_neuron  REAL    NOT NULL,
    score_site    REAL    NOT NULL,
    score_level   REAL,               -- NULL when the case has no level
    score_side    REAL    NOT NULL,
    given         TEXT    NOT NULL,   -- JSON: the student's answer
    maneuvers     TEXT    NOT NULL    -- JSON: maneuver ids in the order performed
);
CREATE INDEX IF NOT EXISTS answers_by_time ON answers (answered_at);
"""


def data_dir() -> Path:
    """The folder the progress database lives in (created on first write)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir  # only needed when no override is given

    return Path(user_data_dir("vpatient", appauthor=False))


@dataclass(frozen=True)
class Attempt:
    """One graded answer, as stored."""

    answered_at: datetime
    case_id: str
    source: str
    difficulty: str
    site: str
    neuron: str
    score: float
    part_scores: dict[str, float]
    given: dict[str, str | None]
    maneuvers: tuple[str, ...]


@dataclass(frozen=True)
class TopicStats:
    """Accuracy on one topic (a site or a neuron type), oldest score first."""

    topic: str
    scores: tuple[float, ...]

    @property
    def attempts(self) -> int:
        return len(self.scores)

    @property
    def mean(self) -> float:
        return sum(self.scores) / len(self.scores)

    @property
    def recent_mean(self) -> float:
        """The mean of the last five: 'over time' is recent form against the whole record."""
        recent = self.scores[-5:]
        return sum(recent) / len(recent)


@dataclass(frozen=True)
class Summary:
    attempts: int = 0
    mean: float = 0.0
    streak: int = 0
    best_streak: int = 0
    recent_scores: tuple[float, ...] = ()
    by_site: tuple[TopicStats, ...] = ()    # weakest first
    by_neuron: tuple[TopicStats, ...] = ()  # weakest first
    first_answer: datetime | None = None
    last_answer: datetime | None = None
    weak_sites: tuple[str, ...] = field(default_factory=tuple)


def _topics(attempts: Sequence[Attempt], key: str) -> tuple[TopicStats, ...]:
    grouped: dict[str, list[float]] = {}
    for attempt in attempts:
        grouped.setdefault(getattr(attempt, key), []).append(attempt.score)
    stats = [TopicStats(topic, tuple(scores)) for topic, scores in grouped.items()]
    # Weakest first; among equals, the more practised topic first (its mean is surer).
    stats.sort(key=lambda s: (s.mean, -s.attempts, s.topic))
    return tuple(stats)


def summarize(attempts: Sequence[Attempt]) -> Summary:
    """Accuracy by site and neuron type, streaks and weak spots, from oldest-first attempts."""
    if not attempts:
        return Summary()
    streak = best = 0
    for attempt in attempts:
        streak = streak + 1 if attempt.score >= GOOD_ANSWER else 0
        best = max(best, streak)
    by_site = _topics(attempts, "site")
    weak = tuple(s.topic for s in by_site if s.mean < GOOD_ANSWER)[:WEAK_SPOT_COUNT]
    return Summary(
        attempts=len(attempts),
        mean=sum(a.score for a in attempts) / len(attempts),
        streak=streak,
        best_streak=best,
        recent_scores=tuple(a.score for a in attempts[-30:]),
        by_site=by_site,
        by_neuron=_topics(attempts, "neuron"),
        first_answer=attempts[0].answered_at,
        last_answer=attempts[-1].answered_at,
        weak_sites=weak,
    )


class ProgressStore:
    """The answers database. Open it once; every ``record`` is its own committed transaction."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / DATABASE_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        # WAL keeps a half-written answer from corrupting earlier ones if the process dies.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._db.commit()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(
        self,
        *,
        case_id: str,
        source: str,
        difficulty: str,
        site: str,
        neuron: str,
        score: float,
        part_scores: dict[str, float],
        given: dict[str, str | None],
        maneuvers: Iterable[str],
        answered_at: datetime | None = None,
    ) -> None:
        """Store one graded answer and commit at once."""
        when = (answered_at or datetime.now(UTC)).astimezone(UTC)
        with self._db:  # commits, or rolls back on error
            self._db.execute(
                "INSERT INTO answers (answered_at, case_id, source, difficulty, site, neuron, "
                "score, score_neuron, score_site, score_level, score_side, given, maneuvers) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    when.isoformat(timespec="seconds"), case_id, source, difficulty, site, neuron,
                    score, part_scores.get("neuron", 0.0), part_scores.get("site", 0.0),
                    part_scores.get("level"), part_scores.get("side", 0.0),
                    json.dumps(given), json.dumps(list(maneuvers)),
                ),
            )

    def attempts(self) -> list[Attempt]:
        """Every stored answer, oldest first."""
        rows = self._db.execute(
            "SELECT answered_at, case_id, source, difficulty, site, neuron, score, score_neuron, "
            "score_site, score_level, score_side, given, maneuvers FROM answers "
            "ORDER BY answered_at, id"
        ).fetchall()
        out = []
        for (at, case_id, source, difficulty, site, neuron, score, s_neuron, s_site, s_level,
             s_side, given, maneuvers) in rows:
            parts = {"neuron": s_neuron, "site": s_site, "side": s_side}
            if s_level is not None:
                parts["level"] = s_level
            out.append(Attempt(
                datetime.fromisoformat(at), case_id, source, difficulty, site, neuron, score,
                parts, json.loads(given), tuple(json.loads(maneuvers)),
            ))
        return out

    def summary(self) -> Summary:
        return summarize(self.attempts())
