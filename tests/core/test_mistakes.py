"""Mistakes by kind: each kind from a structured answer and a case's answer key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from vpatient.core.answer import Answer, AnswerKey
from vpatient.core.mistakes import (
    LOOKALIKES,
    MISTAKE_KINDS,
    classify,
    practises,
    topic_label,
    topic_sites,
)
from vpatient.core.review import Answered, next_review, reason, schedule, weak_spots
from vpatient.library import load_bundled

CASES = load_bundled()


def key_of(case_id: str) -> AnswerKey:
    case = CASES.by_id(case_id)
    assert case is not None, case_id
    return case.answer_key


def kinds(given: Answer, key: AnswerKey) -> list[str]:
    return [m.kind for m in classify(given, key)]


def test_the_right_answer_has_no_mistake() -> None:
    key = key_of("radiculopathy-l5")
    assert classify(key.canonical, key) == ()


def test_an_accepted_alternative_is_no_mistake() -> None:
    key = key_of("pontine-crossed-syndrome")  # crossed syndrome: mixed, UMN accepted
    assert key.accepted("neuron") == ["mixed", "UMN"]
    given = key.canonical.model_copy(update={"neuron": "UMN"})
    assert classify(given, key) == ()


@pytest.mark.parametrize(("case_id", "change", "kind"), [
    ("capsular-stroke-chronic", {"side": "right"}, "side"),
    ("capsular-stroke-chronic", {"side": "bilateral"}, "one_or_both_sides"),
    ("capsular-stroke-chronic", {"neuron": "LMN"}, "umn_vs_lmn"),
    ("als-limb-onset", {"neuron": "UMN"}, "mixed_vs_pure"),
    ("myasthenia-generalized", {"neuron": "muscle"}, "motor_unit"),
    ("ulnar-nerve-elbow", {"neuron": "NMJ"}, "motor_unit"),
    ("capsular-stroke-chronic", {"neuron": "muscle"}, "neuron_far"),
    ("capsular-stroke-chronic", {"site": "midbrain"}, "neighbour_site"),
    ("capsular-stroke-chronic", {"site": "plexus", "level": "upper_trunk"}, "site_far"),
    ("radiculopathy-l5", {"level": "L4"}, "level_by_one"),
    ("radiculopathy-l5", {"level": "L5"}, None),
    ("radiculopathy-c6", {"level": "C8"}, "level_by_more"),
    ("radiculopathy-l5", {"level": None}, "level_missing"),
    ("radial-nerve-spiral-groove", {"level": "median"}, "wrong_nerve"),
    ("upper-trunk-plexus", {"level": "lower_trunk"}, "wrong_nerve"),
])
def test_each_kind(case_id: str, change: dict, kind: str | None) -> None:
    key = key_of(case_id)
    given = key.canonical.model_copy(update=change)
    assert kinds(given, key) == ([kind] if kind else [])
    if kind:
        assert MISTAKE_KINDS[kind]


@pytest.mark.parametrize(("case_id", "given", "pair"), [
    ("radiculopathy-l5", Answer(neuron="LMN", site="nerve", side="left",
                                level="common_peroneal"), "l5-root-vs-peroneal"),
    ("common-peroneal-nerve", Answer(neuron="LMN", site="root", side="left", level="L5"),
     "l5-root-vs-peroneal"),
    ("radiculopathy-c8", Answer(neuron="LMN", site="nerve", side="left", level="ulnar"),
     "c8-root-vs-ulnar"),
    ("conus-medullaris", Answer(neuron="mixed", site="cauda_equina", side="bilateral"),
     "conus-vs-cauda-equina"),
    ("capsular-stroke-chronic", Answer(neuron="UMN", site="cortex", side="left"),
     "capsule-vs-cortex"),
    ("facial-nerve-bells", Answer(neuron="UMN", site="internal_capsule", side="left"),
     "bells-vs-central-facial"),
])
def test_lookalike_pairs(case_id: str, given: Answer, pair: str) -> None:
    key = key_of(case_id)
    given = given.model_copy(update={"side": key.canonical.side})
    site_mistakes = [m for m in classify(given, key) if m.kind in ("lookalike", "neighbour_site",
                                                                     "site_far")]
    assert [m.topic for m in site_mistakes] == [f"lookalike:{pair}"]
    assert practises(f"lookalike:{pair}", key)
    assert key.canonical.site in topic_sites(f"lookalike:{pair}")


def test_a_root_at_another_level_is_no_lookalike() -> None:
    key = key_of("radiculopathy-l5")
    given = Answer(neuron="LMN", site="nerve", side=key.canonical.side, level="ulnar")
    assert kinds(given, key) == ["site_far"]


def test_several_mistakes_in_one_answer() -> None:
    key = key_of("capsular-stroke-chronic")
    given = Answer(neuron="LMN", site="cortex", side="right")
    assert kinds(given, key) == ["umn_vs_lmn", "lookalike", "side"]


def test_every_pair_has_a_label_and_cases_on_both_sides() -> None:
    for pair in LOOKALIKES:
        assert " vs " in topic_label(f"lookalike:{pair.id}")


# --- Spaced review (FSRS) with a fake clock ------------------------------------------------------

START = datetime(2025, 5, 5, 9, 0, tzinfo=UTC)


OTHER = {"left": "right", "right": "left"}


def answered(case_id: str, change: dict, minutes: float) -> Answered:
    """An answer to a bundled case; ``{"side": "other"}`` puts the lesion on the wrong side."""
    key = key_of(case_id)
    if change.get("side") == "other":
        change = {**change, "side": OTHER[key.canonical.side]}
    given = key.canonical.model_copy(update=change)
    return Answered(START + timedelta(minutes=minutes), key, classify(given, key))


def test_three_wrong_sides_make_side_the_top_weak_spot_and_due() -> None:
    history = [answered("capsular-stroke-chronic", {"side": "other"}, 0),
               answered("radiculopathy-l5", {"level": "L4"}, 3),
               answered("pontine-crossed-syndrome", {"side": "other"}, 6),
               answered("ulnar-nerve-elbow", {"side": "other"}, 9)]
    items = schedule(history)
    spots = weak_spots(items)
    assert [s.topic for s in spots] == ["side", "level_by_one"]
    side = spots[0]
    assert (side.mistakes, side.recent) == (3, 3)
    # Just got wrong: in FSRS's first learning step (a minute), then due.
    assert side.due == history[-1].at + timedelta(minutes=1)
    now = history[-1].at + timedelta(seconds=30)
    assert next_review(items, now) == side
    assert "practised early" in reason(side, now)
    later = history[-1].at + timedelta(minutes=2)
    assert reason(side, later) == ("Chosen for your weak spot “wrong side”: wrong 3 times "
                                   "(due now).")


def test_getting_a_topic_right_spaces_its_reviews_out() -> None:
    history = [answered("capsular-stroke-chronic", {"side": "other"}, 0)]
    intervals = []
    for _ in range(4):  # four right answers on one-sided patients, each when due
        due = schedule(history)[0].due
        intervals.append(due - history[-1].at)
        history.append(Answered(due, key_of("radiculopathy-l5"), ()))
    due = schedule(history)[0].due
    intervals.append(due - history[-1].at)
    assert intervals[0] == timedelta(minutes=1)
    assert all(b > a for a, b in pairwise(intervals))
    assert intervals[-1] >= timedelta(days=1)
    (item,) = schedule(history)
    assert item.reviews == 5 and item.mistakes == 1


def test_a_patient_that_cannot_show_the_mistake_does_not_review_it() -> None:
    # A bilateral lesion cannot test left-for-right: the side card is left alone.
    first = answered("capsular-stroke-chronic", {"side": "other"}, 0)
    (before,) = schedule([first])
    after = schedule([first, answered("guillain-barre", {}, 5)])
    assert after == (before,)


def test_no_mistakes_no_weak_spots() -> None:
    assert weak_spots(schedule([answered("radiculopathy-l5", {}, 0)])) == []
    assert next_review((), START) is None
