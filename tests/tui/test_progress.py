"""The progress database: one committed row per answer, summaries weakest first."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from vpatient.progress import DATABASE_NAME, GOOD_ANSWER, ProgressStore, summarize


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
    assert summary.weak_sites == ("pons", "nerve")  # below the good-answer mark only
    assert all(t.mean >= GOOD_ANSWER for t in summary.by_site[2:])
    assert summary.recent_scores == tuple(s for _, _, s in scores)


def test_empty_summary() -> None:
    summary = summarize([])
    assert summary.attempts == 0 and summary.weak_sites == () and summary.streak == 0
