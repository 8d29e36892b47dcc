"""The progress database: one committed row per answer, summaries weakest first; answers saved
off the UI thread survive a locked database, a full disk and a closing game; a damaged row costs
one row."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from vpatient.core.answer import Answer
from vpatient.core.grading import grade
from vpatient.library import load_bundled
from vpatient.progress import (
    DATABASE_NAME,
    GOOD_ANSWER,
    UNSAVED_NAME,
    NewAnswer,
    ProgressSaver,
    ProgressStore,
    SaveReport,
    load_history,
    summarize,
    summary_json,
)


def record(store: ProgressStore, site: str, neuron: str, score: float, when: datetime) -> None:
    store.record(case_id=f"{site}-{when:%j}", source="generated", difficulty="core", site=site,
                 neuron=neuron, score=score,
                 part_scores={"neuron": 1.0, "site": score, "side": 1.0, "level": 0.5},
                 given={"neuron": neuron, "site": site, "side": "left", "level": "C6"},
                 maneuvers=["face", "tone.left.arm"], answered_at=when)


def test_data_dir_follows_the_environment(data_dir: Path) -> None:
    from vpatient import progress

    assert progress.data_dir() == data_dir


def test_each_answer_is_committed_at_once(data_dir: Path) -> None:
    start = datetime(2025, 1, 6, tzinfo=UTC)
    store = ProgressStore()
    record(store, "pons", "mixed", 0.5, start)
    # A second connection (another process, or after a crash) already sees it.
    other = sqlite3.connect(data_dir / DATABASE_NAME)
    assert other.execute("SELECT case_id, score_level FROM answers").fetchall() == \
        [("pons-006", 0.5)]
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()
    store.close()
    with ProgressStore() as again:
        (attempt,) = again.attempts()
    assert attempt.maneuvers == ("face", "tone.left.arm")
    assert attempt.given["level"] == "C6"
    assert attempt.part_scores == {"neuron": 1.0, "site": 0.5, "side": 1.0, "level": 0.5}
    assert attempt.answered_at == start


def test_summary_orders_weakest_first_and_counts_streaks() -> None:
    start = datetime(2025, 1, 6, tzinfo=UTC)
    scores = [("root", "LMN", 0.9), ("pons", "mixed", 0.3), ("root", "LMN", 0.85),
              ("nerve", "LMN", 0.6), ("internal_capsule", "UMN", 1.0),
              ("internal_capsule", "UMN", 0.95)]
    with ProgressStore() as store:
        for day, (site, neuron, score) in enumerate(scores):
            record(store, site, neuron, score, start + timedelta(days=day))
        summary = store.summary()
    assert summary.attempts == 6
    assert [t.topic for t in summary.by_site] == ["pons", "nerve", "root", "internal_capsule"]
    assert summary.by_neuron[0].topic == "mixed"
    assert summary.streak == 2 and summary.best_streak == 2
    assert all(t.mean >= GOOD_ANSWER for t in summary.by_site[2:])
    assert summary.recent_scores == tuple(s for _, _, s in scores)


def test_empty_summary() -> None:
    summary = summarize([])
    assert summary.attempts == 0 and summary.weak_spots == () and summary.streak == 0


# --- Mistakes in the record ----------------------------------------------------------------------


def graded(case_id: str, given: Answer, when: datetime) -> NewAnswer:
    case = load_bundled().by_id(case_id)
    result = grade(case, given)
    key = case.answer_key
    return NewAnswer(case.id, "library", case.difficulty, key.canonical.site,
                     key.canonical.neuron, result.score,
                     {p.part: p.score for p in result.parts}, given.model_dump(), ("face",),
                     key.as_json(), when)


def test_mistakes_by_kind_come_from_the_stored_answer_and_key() -> None:
    start = datetime(2025, 2, 3, tzinfo=UTC)
    with ProgressStore() as store:
        store.add(graded("radiculopathy-l5", Answer(neuron="LMN", site="nerve", side="left",
                                                    level="common_peroneal"), start))
        store.add(graded("capsular-stroke-chronic",
                         Answer(neuron="UMN", site="internal_capsule", side="right"),
                         start + timedelta(hours=1)))
        store.add(graded("capsular-stroke-chronic",
                         Answer(neuron="UMN", site="internal_capsule", side="left"),
                         start + timedelta(hours=2)))
        summary = store.summary(now=start + timedelta(days=1))
    assert summary.classified == 3
    assert {m.kind: m.made for m in summary.by_mistake} == {
        "side": (False, True, False), "lookalike": (True, False, False)}
    assert [i.topic for i in summary.weak_spots] == ["side", "lookalike:l5-root-vs-peroneal"]
    data = summary_json(summary)
    assert {e["kind"]: e["count"] for e in data["by_error"]} == {"side": 1, "lookalike": 1}
    assert data["weak_spots"][0]["label"] == "wrong side"
    assert json.dumps(data)  # all plain values


def test_answers_from_before_keys_were_kept_still_count() -> None:
    start = datetime(2025, 2, 3, tzinfo=UTC)
    with ProgressStore() as store:
        record(store, "pons", "mixed", 0.5, start)
        summary = store.summary()
    assert summary.attempts == 1 and summary.classified == 0 and summary.by_mistake == ()


def test_a_damaged_row_costs_one_row(data_dir: Path) -> None:
    start = datetime(2025, 2, 3, tzinfo=UTC)
    with ProgressStore() as store:
        for day in range(3):
            store.add(graded("radiculopathy-l5", Answer(neuron="LMN", site="root", side="left",
                                                        level="L4"), start + timedelta(days=day)))
    db = sqlite3.connect(data_dir / DATABASE_NAME)
    with db:
        db.execute("UPDATE answers SET given = '{not json' WHERE id = 1")
        db.execute("UPDATE answers SET answered_at = 'yesterday' WHERE id = 2")
    db.close()
    history = load_history()
    assert (len(history.attempts), history.unreadable) == (1, 2)
    summary = summarize(history)
    assert summary.attempts == 1 and summary.unreadable == 2
    assert summary.by_mistake[0].kind == "level_by_one"


# --- Saving off the UI thread --------------------------------------------------------------------


class Reports:
    def __init__(self) -> None:
        self.seen: list[SaveReport] = []
        self.event = threading.Event()

    def __call__(self, report: SaveReport) -> None:
        self.seen.append(report)
        self.event.set()

    def wait(self, status: str, timeout: float = 10) -> SaveReport:
        deadline = datetime.now() + timedelta(seconds=timeout)
        while datetime.now() < deadline:
            for report in self.seen:
                if report.status == status:
                    return report
            self.event.wait(0.05)
            self.event.clear()
        raise AssertionError(f"no {status!r} report in {timeout} s: {self.seen}")


def answers(count: int) -> list[NewAnswer]:
    start = datetime(2025, 2, 3, tzinfo=UTC)
    return [graded("radiculopathy-l5", Answer(neuron="LMN", site="root", side="left",
                                               level="L5"), start + timedelta(minutes=i))
            for i in range(count)]


def stored_uids(data_dir: Path) -> list[str]:
    db = sqlite3.connect(data_dir / DATABASE_NAME)
    try:
        return [uid for (uid,) in db.execute("SELECT uid FROM answers ORDER BY id")]
    finally:
        db.close()


def test_an_answer_given_while_the_database_is_locked_is_kept_and_saved_later(
        data_dir: Path) -> None:
    ProgressStore().close()
    locker = sqlite3.connect(data_dir / DATABASE_NAME, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # another program holds the database
    reports = Reports()
    saver = ProgressSaver(report=reports, timeout=0.2, retry_delays=(0.05,))
    mine = answers(3)
    for answer in mine:
        saver.save(answer)  # returns at once: nothing waits on the lock here
    waiting = reports.wait("waiting")
    assert "locked" in waiting.error
    assert len(saver.pending) == 3
    # The game's view of progress counts the answers still waiting.
    assert load_history(pending=saver.pending).attempts[-1].saved is False
    locker.execute("COMMIT")
    locker.close()
    assert saver.wait_until_saved(10)
    assert saver.close() == []
    assert stored_uids(data_dir) == [a.uid for a in mine]
    assert any(r.status == "saved" and r.waited for r in reports.seen)


class FullDisk(ProgressStore):
    """A store on a disk that is full: sqlite may not grow the file (SQLITE_FULL)."""

    full = True

    def add(self, answer: NewAnswer) -> None:
        if FullDisk.full:
            pages = self._db.execute("PRAGMA page_count").fetchone()[0]
            self._db.execute(f"PRAGMA max_page_count = {pages}")
        super().add(answer)


def test_answers_given_while_the_disk_is_full_are_saved_once_there_is_room(
        data_dir: Path) -> None:
    reports = Reports()
    FullDisk.full = True
    saver = ProgressSaver(report=reports, retry_delays=(0.05,),
                          open_store=lambda path, timeout: FullDisk(path, timeout=timeout))
    mine = answers(40)  # more than the free room of the last page
    for answer in mine:
        saver.save(answer)
    waiting = reports.wait("waiting")
    assert "full" in waiting.error
    assert saver.pending  # kept, not dropped
    FullDisk.full = False  # room again
    assert saver.wait_until_saved(10)
    saver.close()
    assert stored_uids(data_dir) == [a.uid for a in mine]


def test_answers_still_unsaved_at_exit_are_taken_in_at_the_next_start(data_dir: Path) -> None:
    ProgressStore().close()
    locker = sqlite3.connect(data_dir / DATABASE_NAME, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    reports = Reports()
    saver = ProgressSaver(report=reports, timeout=0.1, retry_delays=(0.05,))
    mine = answers(2)
    for answer in mine:
        saver.save(answer)
    reports.wait("waiting")
    assert saver.close(timeout=2) == []  # written to the fallback file instead
    assert (data_dir / UNSAVED_NAME).exists()
    # Not saved yet, but not lost: the summary counts them.
    assert summarize(load_history()).unsaved == 2
    locker.execute("COMMIT")
    locker.close()
    with ProgressStore() as store:  # the next start
        assert [a.answered_at for a in store.attempts()] == [a.answered_at for a in mine]
    assert not (data_dir / UNSAVED_NAME).exists()
    assert stored_uids(data_dir) == [a.uid for a in mine]


def test_an_answer_saved_twice_is_stored_once(data_dir: Path) -> None:
    (answer,) = answers(1)
    with ProgressStore() as store:
        store.add(answer)
        store.add(answer)
    assert stored_uids(data_dir) == [answer.uid]


def test_a_closed_saver_refuses_new_answers() -> None:
    saver = ProgressSaver()
    saver.close()
    with pytest.raises(RuntimeError):
        saver.save(answers(1)[0])
