"""A student's progress: every graded answer, kept in SQLite under the user's data folder.

The folder is ``platformdirs.user_data_dir("vpatient")`` unless ``VPATIENT_DATA_DIR`` names
another one (the tests point it at a temporary folder).

Nothing is lost: the game hands each answer to a ``ProgressSaver``, which writes it off the UI
thread and retries while the database is locked or the disk is full; an answer still unsaved when
the game closes goes to ``unsaved-answers.jsonl`` beside the database and is taken in at the next
start. Every answer carries a unique id, so one saved twice is stored once. Reading is as
forgiving: a damaged row costs that row, not the summary.

Each answer stores the case's answer key, so its mistakes (``core.mistakes``) and the spaced
review schedule (``core.review``) are recomputed from the record rather than stored beside it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the clinical core (pydantic) is imported when a summary is made
    from vpatient.core.answer import AnswerKey
    from vpatient.core.mistakes import Mistake
    from vpatient.core.review import ReviewItem

DATA_DIR_ENV = "VPATIENT_DATA_DIR"
DATABASE_NAME = "progress.sqlite3"
UNSAVED_NAME = "unsaved-answers.jsonl"

# An answer at or above this overall score counts towards a streak ("a good localization").
GOOD_ANSWER = 0.8
# How long a write waits for a locked database before it is retried later (sqlite's timeout),
# and how long a read from the game waits (the screen must not freeze).
WRITE_TIMEOUT = 5.0
READ_TIMEOUT = 0.5
# Seconds between retries of an answer that could not be saved (the last repeats).
RETRY_DELAYS: tuple[float, ...] = (0.5, 1, 2, 5, 10, 30)
# Answers in the trend of a mistake kind: the share of the last TREND_WINDOW answers.
TREND_WINDOW = 5

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    answered_at   TEXT    NOT NULL,   -- ISO 8601, UTC
    case_id       TEXT    NOT NULL,
    source        TEXT    NOT NULL,   -- 'generated' | 'library' | 'review'
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
# Columns added after the first release: (name, declaration). Old databases gain them.
_ADDED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("answer_key", "TEXT"),  # JSON: the case's answer key (design §6 'answer' object)
    ("uid", "TEXT"),         # unique per answer: a retried or recovered save is stored once
)
_COLUMNS = ("answered_at, case_id, source, difficulty, site, neuron, score, score_neuron, "
            "score_site, score_level, score_side, given, maneuvers, answer_key, uid")


def data_dir() -> Path:
    """The folder the progress database lives in (created on first write)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir  # only needed when no override is given

    return Path(user_data_dir("vpatient", appauthor=False))


def database_path() -> Path:
    return data_dir() / DATABASE_NAME


# --- One answer ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewAnswer:
    """A graded answer on its way to the database (plain values, JSON-able)."""

    case_id: str
    source: str
    difficulty: str
    site: str
    neuron: str
    score: float
    part_scores: dict[str, float]
    given: dict[str, str | None]
    maneuvers: tuple[str, ...]
    answer_key: dict[str, Any] | None = None
    answered_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    uid: str = field(default_factory=lambda: uuid.uuid4().hex)

    def row(self) -> tuple:
        p = self.part_scores
        return (
            self.answered_at.astimezone(UTC).isoformat(timespec="seconds"), self.case_id,
            self.source, self.difficulty, self.site, self.neuron, self.score,
            p.get("neuron", 0.0), p.get("site", 0.0), p.get("level"), p.get("side", 0.0),
            json.dumps(self.given), json.dumps(list(self.maneuvers)),
            json.dumps(self.answer_key) if self.answer_key is not None else None, self.uid,
        )

    def to_json(self) -> str:
        data = asdict(self)
        data["answered_at"] = self.answered_at.isoformat()
        return json.dumps(data)

    @classmethod
    def from_json(cls, line: str) -> NewAnswer:
        data = json.loads(line)
        data["answered_at"] = datetime.fromisoformat(data["answered_at"])
        data["maneuvers"] = tuple(data["maneuvers"])
        return cls(**data)


@dataclass(frozen=True)
class Attempt(NewAnswer):
    """One graded answer, as stored (or, ``saved`` false, still waiting to be written)."""

    saved: bool = True

    def key(self) -> AnswerKey | None:
        """The case's answer key, or None for answers stored before keys were kept."""
        if self.answer_key is None:
            return None
        from vpatient.core.answer import ANSWER_FIELDS, AnswerKey

        accepted = self.answer_key.get("accepted") or {}
        return AnswerKey.model_validate(
            {f: accepted.get(f, self.answer_key.get(f)) for f in ANSWER_FIELDS})

    def mistakes(self) -> tuple[Mistake, ...] | None:
        """The mistakes this answer made; None when it cannot be classified."""
        from pydantic import ValidationError

        from vpatient.core.answer import Answer
        from vpatient.core.mistakes import classify

        try:
            key = self.key()
            return None if key is None else classify(Answer.model_validate(self.given), key)
        except (ValidationError, TypeError, AttributeError):
            return None


def _attempt(new: NewAnswer, *, saved: bool) -> Attempt:
    parts = {p: s for p, s in new.part_scores.items() if s is not None}
    return Attempt(**{**vars(new), "answered_at": new.answered_at.astimezone(UTC),
                      "part_scores": parts, "given": dict(new.given),
                      "maneuvers": tuple(new.maneuvers)}, saved=saved)


def _parse_row(row: tuple) -> Attempt:
    """One stored row; raises (ValueError, TypeError, KeyError) when it is damaged."""
    (at, case_id, source, difficulty, site, neuron, score, s_neuron, s_site, s_level, s_side,
     given, maneuvers, answer_key, uid) = row
    when = datetime.fromisoformat(at)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    parts = {"neuron": float(s_neuron), "site": float(s_site), "side": float(s_side)}
    if s_level is not None:
        parts["level"] = float(s_level)
    given_value = json.loads(given)
    performed = json.loads(maneuvers)
    key_value = json.loads(answer_key) if answer_key is not None else None
    if not isinstance(given_value, dict) or not isinstance(performed, list) or \
            not (key_value is None or isinstance(key_value, dict)):
        raise TypeError("not the stored shape")
    if not all(isinstance(x, str) for x in (case_id, source, difficulty, site, neuron)):
        raise TypeError("not text")
    return Attempt(case_id, source, difficulty, site, neuron, float(score), parts, given_value,
                   tuple(str(m) for m in performed), key_value, when.astimezone(UTC),
                   uid or "")


@dataclass(frozen=True)
class History:
    """Every readable answer, oldest first, and how many rows could not be read."""

    attempts: tuple[Attempt, ...] = ()
    unreadable: int = 0


def _read_rows(db: sqlite3.Connection) -> History:
    try:
        rows = db.execute(f"SELECT {_COLUMNS} FROM answers ORDER BY answered_at, id").fetchall()
    except sqlite3.OperationalError as err:
        if "no such table" in str(err):
            return History()
        if "no such column" not in str(err):
            raise
        # A database from before answer keys were kept, opened read-only: no keys.
        rows = [(*r, None, None) for r in db.execute(
            f"SELECT {_COLUMNS.rsplit(', answer_key', 1)[0]} FROM answers "
            "ORDER BY answered_at, id").fetchall()]
    attempts, bad = [], 0
    for row in rows:
        try:
            attempts.append(_parse_row(row))
        except (ValueError, TypeError, KeyError):
            bad += 1
    attempts.sort(key=lambda a: a.answered_at)  # stored times may mix formats
    return History(tuple(attempts), bad)


def best_scores(history: History) -> dict[str, float]:
    """The best score per case id (library cases the student has done)."""
    best: dict[str, float] = {}
    for attempt in history.attempts:
        best[attempt.case_id] = max(attempt.score, best.get(attempt.case_id, 0.0))
    return best


def read_unsaved(folder: Path | None = None) -> list[NewAnswer]:
    """Answers a closing game could not save (the fallback file), in order; bad lines skipped."""
    path = (folder or data_dir()) / UNSAVED_NAME
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        try:
            out.append(NewAnswer.from_json(line))
        except (ValueError, TypeError, KeyError):
            continue
    return out


def load_history(path: Path | None = None, *, timeout: float = READ_TIMEOUT,
                 pending: Iterable[NewAnswer] = ()) -> History:
    """The stored answers, plus ``pending`` ones and those in the fallback file (marked
    unsaved). Creates nothing: a missing database is an empty history."""
    path = path or database_path()
    stored = History()
    if path.exists():
        db = sqlite3.connect(path, timeout=timeout)
        try:
            stored = _read_rows(db)
        finally:
            db.close()
    extra = [_attempt(a, saved=False) for a in (*read_unsaved(path.parent), *pending)]
    if not extra:
        return stored
    attempts = sorted((*stored.attempts, *extra), key=lambda a: a.answered_at)
    return History(tuple(attempts), stored.unreadable)


# --- The store -----------------------------------------------------------------------------------


class ProgressStore:
    """The answers database, for writing. Every ``add`` is its own committed transaction.

    Opening it takes in any answers a previous game left in the fallback file."""

    def __init__(self, path: Path | None = None, *, timeout: float = WRITE_TIMEOUT) -> None:
        self.path = path or database_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=timeout)
        try:
            # WAL keeps a half-written answer from corrupting earlier ones if the process dies.
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            with self._db:
                self._db.executescript(_SCHEMA)
                present = {r[1] for r in self._db.execute("PRAGMA table_info(answers)")}
                for name, declaration in _ADDED_COLUMNS:
                    if name not in present:
                        self._db.execute(f"ALTER TABLE answers ADD COLUMN {name} {declaration}")
                self._db.execute("CREATE UNIQUE INDEX IF NOT EXISTS answers_by_uid "
                                 "ON answers (uid)")
            self._take_in_unsaved()
        except BaseException:
            self._db.close()
            raise

    def _take_in_unsaved(self) -> None:
        unsaved = read_unsaved(self.path.parent)
        if unsaved:
            for answer in unsaved:
                self.add(answer)
        (self.path.parent / UNSAVED_NAME).unlink(missing_ok=True)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, answer: NewAnswer) -> None:
        """Store one graded answer and commit at once (a second save of it is ignored)."""
        with self._db:  # commits, or rolls back on error
            self._db.execute(
                f"INSERT OR IGNORE INTO answers ({_COLUMNS}) "
                f"VALUES ({', '.join('?' * len(answer.row()))})", answer.row())

    def record(self, *, case_id: str, source: str, difficulty: str, site: str, neuron: str,
               score: float, part_scores: dict[str, float], given: dict[str, str | None],
               maneuvers: Iterable[str], answer_key: dict | None = None,
               answered_at: datetime | None = None) -> None:
        """``add`` from keyword arguments."""
        self.add(NewAnswer(case_id, source, difficulty, site, neuron, score, part_scores,
                           given, tuple(maneuvers), answer_key,
                           (answered_at or datetime.now(UTC)).astimezone(UTC)))

    def history(self) -> History:
        return _read_rows(self._db)

    def attempts(self) -> list[Attempt]:
        """Every readable answer, oldest first."""
        return list(self.history().attempts)

    def summary(self, now: datetime | None = None) -> Summary:
        return summarize(self.history(), now)


# --- Writing off the UI thread -------------------------------------------------------------------


@dataclass(frozen=True)
class SaveReport:
    """What happened to an answer: ``waiting`` (could not be saved yet; it is kept and retried)
    or ``saved`` (after waiting, when ``waited`` is true)."""

    status: str
    answer: NewAnswer
    waiting: int          # answers still waiting after this
    error: str | None = None
    waited: bool = False


class ProgressSaver:
    """Saves answers on a thread of its own, in order; retries what cannot be written yet.

    ``report`` is called on the saver's thread (the game forwards it to the UI thread)."""

    def __init__(self, path: Path | None = None, *,
                 report: Callable[[SaveReport], None] = lambda r: None,
                 timeout: float = WRITE_TIMEOUT,
                 retry_delays: Sequence[float] = RETRY_DELAYS,
                 open_store: Callable[[Path, float], ProgressStore] | None = None) -> None:
        self.path = path or database_path()
        self.report = report
        self.timeout = timeout
        self.retry_delays = tuple(retry_delays)
        self._open_store = open_store or (lambda p, t: ProgressStore(p, timeout=t))
        self._queue: deque[NewAnswer] = deque()
        self._cond = threading.Condition()
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="vpatient-progress", daemon=True)
        self._thread.start()

    def save(self, answer: NewAnswer) -> None:
        with self._cond:
            if self._closing:
                raise RuntimeError("the progress saver is closed")
            self._queue.append(answer)
            self._cond.notify_all()

    @property
    def pending(self) -> tuple[NewAnswer, ...]:
        """Answers not written yet, oldest first."""
        with self._cond:
            return tuple(self._queue)

    def wait_until_saved(self, timeout: float) -> bool:
        """Wait (up to ``timeout`` seconds) until nothing is waiting; True if so."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._queue, timeout)

    def close(self, timeout: float | None = None) -> list[NewAnswer]:
        """Stop, after one more try of anything waiting; what is still unsaved goes to the
        fallback file. Returns the answers that could not even be written there."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join(self.timeout + 1.0 if timeout is None else timeout)
        with self._cond:
            left = list(self._queue)
            self._queue.clear()
        return _write_unsaved(self.path.parent, left)

    def _run(self) -> None:
        store: ProgressStore | None = None
        failures = 0
        try:
            while True:
                with self._cond:
                    self._cond.wait_for(lambda: self._queue or self._closing)
                    if not self._queue:
                        return
                    answer = self._queue[0]
                try:
                    if store is None:
                        store = self._open_store(self.path, self.timeout)
                    store.add(answer)
                except (sqlite3.Error, OSError) as err:
                    if store is not None:  # reopen next time: the failure may be the file's
                        store.close()
                        store = None
                    if failures == 0:
                        self.report(SaveReport("waiting", answer, len(self.pending),
                                               _plain(err)))
                    failures += 1
                    with self._cond:
                        if self._closing:
                            return
                        delay = self.retry_delays[min(failures - 1, len(self.retry_delays) - 1)]
                        self._cond.wait(delay)
                    continue
                with self._cond:
                    self._queue.popleft()
                    waiting = len(self._queue)
                    self._cond.notify_all()
                self.report(SaveReport("saved", answer, waiting, waited=failures > 0))
                failures = 0
        finally:
            if store is not None:
                store.close()


def _plain(err: BaseException) -> str:
    text = str(err) or type(err).__name__
    return text.splitlines()[0][:120]


def _write_unsaved(folder: Path, answers: list[NewAnswer]) -> list[NewAnswer]:
    """Append answers to the fallback file; those it cannot hold are returned."""
    if not answers:
        return []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / UNSAVED_NAME).open("a", encoding="utf-8") as out:
            for answer in answers:
                out.write(answer.to_json() + "\n")
            out.flush()
            os.fsync(out.fileno())
        return []
    except OSError:
        return answers


def print_unsaved(answers: Sequence[NewAnswer]) -> None:
    """The last resort: answers nothing could hold are printed, so the student can keep them."""
    if answers:
        print(f"vpatient: {len(answers)} answer(s) could not be saved; here they are:",
              file=sys.stderr)
        for answer in answers:
            print(answer.to_json(), file=sys.stderr)


# --- Summaries -----------------------------------------------------------------------------------


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
class MistakeStats:
    """One kind of mistake over the classified answers, oldest first."""

    kind: str
    made: tuple[bool, ...]  # per classified answer: did it make this mistake?
    recent_answers: int     # how many of the latest answers ``recent`` counts over

    @property
    def count(self) -> int:
        return sum(self.made)

    @property
    def recent(self) -> int:
        return sum(self.made[-self.recent_answers:])

    @property
    def label(self) -> str:
        from vpatient.core.mistakes import MISTAKE_KINDS

        return MISTAKE_KINDS.get(self.kind, self.kind)

    def trend(self, window: int = TREND_WINDOW) -> tuple[float, ...]:
        """Share of answers with this mistake over the last ``window``, after each answer."""
        out = []
        for end in range(1, len(self.made) + 1):
            part = self.made[max(0, end - window):end]
            out.append(sum(part) / len(part))
        return tuple(out)


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
    by_mistake: tuple[MistakeStats, ...] = ()   # most made lately first
    classified: int = 0       # answers whose mistakes are known (stored with their key)
    review: tuple[ReviewItem, ...] = ()         # every topic ever got wrong
    weak_spots: tuple[ReviewItem, ...] = ()     # still going wrong lately, worst first
    unreadable: int = 0       # damaged rows skipped
    unsaved: int = 0          # answers waiting to be written
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def due(self) -> list[ReviewItem]:
        from vpatient.core.review import due_items

        return due_items(self.review, self.now)


def _topics(attempts: Sequence[Attempt], key: str) -> tuple[TopicStats, ...]:
    grouped: dict[str, list[float]] = {}
    for attempt in attempts:
        grouped.setdefault(getattr(attempt, key), []).append(attempt.score)
    stats = [TopicStats(topic, tuple(scores)) for topic, scores in grouped.items()]
    # Weakest first; among equals, the more practised topic first (its mean is surer).
    stats.sort(key=lambda s: (s.mean, -s.attempts, s.topic))
    return tuple(stats)


def summarize(history: History | Sequence[Attempt], now: datetime | None = None) -> Summary:
    """Accuracy by site and neuron type, mistakes by kind, streaks and the review schedule."""
    if not isinstance(history, History):
        history = History(tuple(history))
    attempts = history.attempts
    now = now or datetime.now(UTC)
    if not attempts:
        return Summary(unreadable=history.unreadable, now=now)
    from vpatient.core.mistakes import MISTAKE_KINDS
    from vpatient.core.review import RECENT_ANSWERS, Answered, schedule, weak_spots

    streak = best = 0
    for attempt in attempts:
        streak = streak + 1 if attempt.score >= GOOD_ANSWER else 0
        best = max(best, streak)
    answered: list[Answered] = []
    for attempt in attempts:
        mistakes = attempt.mistakes()
        key = attempt.key() if mistakes is not None else None
        if key is not None and mistakes is not None:
            answered.append(Answered(attempt.answered_at, key, mistakes))
    made = {kind: tuple(any(m.kind == kind for m in a.mistakes) for a in answered)
            for kind in MISTAKE_KINDS}
    by_mistake = [MistakeStats(kind, flags, RECENT_ANSWERS) for kind, flags in made.items()
                  if any(flags)]
    by_mistake.sort(key=lambda m: (-m.recent, -m.count, list(MISTAKE_KINDS).index(m.kind)))
    review = schedule(answered)
    return Summary(
        attempts=len(attempts),
        mean=sum(a.score for a in attempts) / len(attempts),
        streak=streak,
        best_streak=best,
        recent_scores=tuple(a.score for a in attempts[-30:]),
        by_site=_topics(attempts, "site"),
        by_neuron=_topics(attempts, "neuron"),
        first_answer=attempts[0].answered_at,
        last_answer=attempts[-1].answered_at,
        by_mistake=tuple(by_mistake),
        classified=len(answered),
        review=review,
        weak_spots=tuple(weak_spots(review)),
        unreadable=history.unreadable,
        unsaved=sum(not a.saved for a in attempts),
        now=now,
    )


def summary_json(summary: Summary) -> dict:
    """``vpatient stats --json`` (design §6.1): by site, by neuron type, by error kind."""
    from vpatient.core.review import when

    def topics(stats: tuple[TopicStats, ...], name: str) -> list[dict]:
        return [{name: t.topic, "attempts": t.attempts, "mean": round(t.mean, 3),
                 "recent_mean": round(t.recent_mean, 3)} for t in stats]

    def item(i: ReviewItem) -> dict:
        return {"topic": i.topic, "label": i.label, "mistakes": i.mistakes, "recent": i.recent,
                "due": i.due.isoformat(timespec="seconds"), "is_due": i.is_due(summary.now),
                "when": when(i.due, summary.now)}

    return {
        "attempts": summary.attempts,
        "mean": round(summary.mean, 3),
        "streak": summary.streak,
        "best_streak": summary.best_streak,
        "first_answer": summary.first_answer.isoformat() if summary.first_answer else None,
        "last_answer": summary.last_answer.isoformat() if summary.last_answer else None,
        "by_site": topics(summary.by_site, "site"),
        "by_neuron": topics(summary.by_neuron, "neuron"),
        "by_error": [{"kind": m.kind, "label": m.label, "count": m.count, "recent": m.recent,
                      "share": round(m.count / summary.classified, 3)}
                     for m in summary.by_mistake],
        "classified": summary.classified,
        "weak_spots": [item(i) for i in summary.weak_spots],
        "due": [item(i) for i in summary.due()],
        "unreadable_rows": summary.unreadable,
        "unsaved": summary.unsaved,
    }


def summary_text(summary: Summary) -> str:
    """``vpatient stats``: the same summary as the game's progress screen, as plain text."""
    from vpatient.core.answer import NEURON_LABELS
    from vpatient.core.lesion import SITE_LABELS
    from vpatient.core.review import when

    s = summary
    if not s.attempts:
        return f"No answers yet (progress is kept in {database_path()}).\n"
    lines = [f"{s.attempts} answers since {s.first_answer:%d %b %Y}, mean {s.mean * 100:.0f}%, "
             f"streak {s.streak} (best {s.best_streak})."]
    if s.unsaved or s.unreadable:
        lines.append(f"({s.unsaved} waiting to be saved, {s.unreadable} damaged records "
                     "skipped.)")
    lines += ["", "Weak spots, worst first:"]
    lines += [f"  {i}. {item.label}: wrong {item.mistakes}x, {item.recent} lately; "
              f"{when(item.due, s.now)}" for i, item in enumerate(s.weak_spots, start=1)]
    if not s.weak_spots:
        lines.append("  none")
    lines += ["", f"By error kind (of {s.classified} classified answers):"]
    lines += [f"  {m.kind:<18} {m.count:>4}  {m.label}" for m in s.by_mistake]
    for title, topics, labels in (("By site", s.by_site, SITE_LABELS),
                                  ("By neuron type", s.by_neuron, NEURON_LABELS)):
        lines += ["", f"{title}, weakest first:"]
        lines += [f"  {labels.get(t.topic, t.topic):<36} {t.attempts:>4} answers  "
                  f"mean {t.mean * 100:3.0f}%" for t in topics]
    return "\n".join(lines) + "\n"
