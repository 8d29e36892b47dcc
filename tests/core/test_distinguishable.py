"""Every answer can be told apart (issue 10): over the whole lesion vocabulary, two lesions whose
answers share no accepted value never produce identical findings, except the pairs below, which
no bedside examination can separate."""

from __future__ import annotations

from collections import defaultdict

from vpatient.core import anatomy as A
from vpatient.core.answer import ANSWER_FIELDS, derive_answer
from vpatient.core.engine import derive_findings
from vpatient.core.lesion import Lesion, describe, parse_lesion
from vpatient.core.lesion_space import lesion_space


def _upper_cervical(lesion: Lesion) -> bool:
    return lesion.site == "spinal_cord" and lesion.level in ("C1", "C2")


def _low_sacral_hemisection(lesion: Lesion) -> bool:
    return lesion.site == "spinal_cord" and lesion.pattern == "hemisection" and \
        A.SEGMENT_INDEX[lesion.level] >= A.SEGMENT_INDEX["S4"]


def _overlapping_horns(a: Lesion, b: Lesion) -> bool:
    return a.site == b.site == "anterior_horn" and bool(set(a.segments) & set(b.segments))


# (test, reason): pairs the bedside cannot separate, and why.
INDISTINGUISHABLE = (
    (lambda a, b: _upper_cervical(a) and _upper_cervical(b),
     "C1 vs C2 cord: the skin has no C1 dermatome and every examined muscle lies below both"),
    (lambda a, b: _low_sacral_hemisection(a) and _low_sacral_hemisection(b),
     "S4 vs S5 hemisection: the contralateral pinprick loss starts at the last sacral dermatome "
     "either way, and a hemisection spares the sphincters"),
    (_overlapping_horns,
     "anterior horn ranges that overlap differ only at an end whose share of every examined "
     "muscle is too small to see (the level is scored by overlap)"),
)


def _compatible(a: Lesion, b: Lesion) -> bool:
    """The two answers share an accepted value in every field."""
    key_a, key_b = derive_answer([a]), derive_answer([b])
    return all(set(key_a.accepted(f)) & set(key_b.accepted(f)) for f in ANSWER_FIELDS)


def test_no_two_answers_look_the_same_at_the_bedside():
    groups: dict[tuple, list[Lesion]] = defaultdict(list)
    for lesion in lesion_space():
        groups[tuple(derive_findings([lesion]).values())].append(lesion)
    clashes = []
    for lesions in groups.values():
        for i, a in enumerate(lesions):
            for b in lesions[i + 1:]:
                if _compatible(a, b) or any(same(a, b) for same, _ in INDISTINGUISHABLE):
                    continue
                clashes.append(f"{describe(a)} looks exactly like {describe(b)}")
    assert not clashes, f"{len(clashes)} clashes, e.g. {clashes[:5]}"


def _lesion(**fields) -> Lesion:
    return parse_lesion({"onset_days": 200, "severity": "moderate", "side": "left", **fields})


EXAMPLES = (  # one pair per exception, in the same order
    (_lesion(site="spinal_cord", level="C1", pattern="complete", side="bilateral"),
     _lesion(site="spinal_cord", level="C2", pattern="complete", side="bilateral")),
    (_lesion(site="spinal_cord", level="S4", pattern="hemisection"),
     _lesion(site="spinal_cord", level="S5", pattern="hemisection")),
    (_lesion(site="anterior_horn", levels="L4-S1"), _lesion(site="anterior_horn", levels="L4-S2")),
)


def test_each_listed_exception_is_real_and_its_answers_differ():
    assert len(EXAMPLES) == len(INDISTINGUISHABLE)
    for (same, reason), (a, b) in zip(INDISTINGUISHABLE, EXAMPLES, strict=True):
        assert same(a, b) and not _compatible(a, b), reason
        assert derive_findings([a]) == derive_findings([b]), reason
