"""Grading: fair partial anatomical credit, and feedback that cites the deciding findings."""

from __future__ import annotations

import pytest

from vpatient.core.answer import Answer
from vpatient.core.grading import grade, level_credit, site_credit
from vpatient.library import load_bundled


def wild_guess(case) -> Answer:
    """Wrong on every part: the wrong kind of lesion, in the wrong place, on the wrong side."""
    truth = case.answer_key.canonical
    neuron, site = ("NMJ", "nmj") if truth.neuron != "NMJ" else ("UMN", "cortex")
    return Answer(neuron=neuron, site=site, side="right" if truth.side != "right" else "left")


@pytest.fixture(scope="module")
def library():
    return load_bundled()


def score(case, **answer) -> float:
    return grade(case, Answer(**answer)).score


def right(case) -> dict:
    return case.answer_key.canonical.model_dump()


def test_every_bundled_case_scores_one_with_its_own_answer(library):
    for case in library.cases:
        result = grade(case, case.answer_key.canonical)
        assert result.score == pytest.approx(1.0), case.id
        assert all(p.score == 1 for p in result.parts)


def test_accepted_alternatives_score_as_correct(library):
    weber = library.by_id("weber-midbrain")
    assert weber.answer_key.accepted("neuron") == ["mixed", "UMN"]
    assert score(weber, **(right(weber) | {"neuron": "UMN"})) == pytest.approx(1.0)


@pytest.mark.parametrize("case_id", ["capsular-stroke-chronic", "cervical-spondylotic-myelopathy",
                                     "radiculopathy-l5", "common-peroneal-nerve",
                                     "facial-nerve-bells", "als-limb-onset"])
def test_each_kind_of_near_miss_lies_between_right_and_a_wild_guess(library, case_id):
    case = library.by_id(case_id)
    truth = right(case)
    wild = grade(case, wild_guess(case)).score
    near_misses = []
    wrong_side = {"left": "right", "right": "left", "bilateral": "left"}[truth["side"]]
    near_misses.append(truth | {"side": wrong_side})
    near_neuron = {"UMN": "mixed", "LMN": "mixed", "mixed": "UMN"}[truth["neuron"]]
    near_misses.append(truth | {"neuron": near_neuron})
    neighbour_site = {"internal_capsule": "cortex", "spinal_cord": "root", "root": "plexus",
                      "nerve": "plexus", "motor_neuron_disease": "anterior_horn"}[truth["site"]]
    near_misses.append(truth | {"site": neighbour_site, "level": None})
    for answer in near_misses:
        assert wild < score(case, **answer) < 1.0, answer
    assert wild < 0.2


def test_neighbouring_segment_earns_most_of_the_level_credit(library):
    case = library.by_id("cervical-spondylotic-myelopathy")
    truth = right(case)
    assert truth["level"] == "C6"
    scores = [score(case, **(truth | {"level": lv})) for lv in ("C6", "C5", "C4", "C3", "T4")]
    assert scores == sorted(scores, reverse=True) and len(set(scores[:4])) == 4
    assert level_credit("spinal_cord", "C5", "spinal_cord", "C6") >= 0.5


def test_site_credit_falls_with_distance_along_the_pathway():
    chain = ["internal_capsule", "midbrain", "pons", "medulla", "spinal_cord"]
    credits = [site_credit(s, "internal_capsule") for s in chain]
    assert credits == sorted(credits, reverse=True) and credits[0] == 1 and credits[-1] < 0.1
    assert 0 < site_credit("cortex", "internal_capsule") < 1


def test_root_answer_for_a_plexus_lesion_beats_a_cortex_answer(library):
    case = library.by_id("upper-trunk-plexus")
    truth = right(case)
    as_root = score(case, **(truth | {"site": "root", "level": "C5"}))
    as_cortex = score(case, **(truth | {"site": "cortex", "level": None}))
    assert as_root > as_cortex


def test_umn_for_a_mixed_picture_earns_part_of_the_neuron_credit(library):
    als = library.by_id("als-limb-onset")
    neuron = next(p for p in grade(als, Answer(**(right(als) | {"neuron": "UMN"}))).parts
                  if p.part == "neuron")
    assert 0 < neuron.score < 1


def test_wrong_side_of_the_right_structure_keeps_the_site_credit(library):
    case = library.by_id("capsular-stroke-chronic")
    result = grade(case, Answer(neuron="UMN", site="internal_capsule", side="right"))
    parts = {p.part: p for p in result.parts}
    assert parts["site"].score == 1 and parts["side"].score == 0
    # The commonest slip: naming the side of the weak limbs. The feedback says why.
    assert "opposite side" in parts["side"].sentence and "decussation" in parts["side"].sentence


# --- feedback cites the findings a clinician would -----------------------------------------------


def sentences(case, **answer) -> dict[str, str]:
    return {p.part: p.sentence.lower() for p in grade(case, Answer(**answer)).parts}


def test_capsular_stroke_feedback_cites_plantar_reflexes_and_forehead(library):
    case = library.by_id("capsular-stroke-chronic")
    text = sentences(case, **right(case))
    assert "extensor right plantar" in text["neuron"]
    assert "brisk right" in text["neuron"]
    assert "forehead spared" in text["neuron"]


def test_c6_myelopathy_feedback_cites_inverted_supinator_and_reduced_biceps(library):
    case = library.by_id("cervical-spondylotic-myelopathy")
    text = sentences(case, **right(case))
    assert "inverted supinator" in text["neuron"]
    assert "reduced" in text["level"] and "biceps" in text["level"]
    assert "below" in text["level"]


def test_peroneal_feedback_names_the_spared_inversion_and_hip_abduction(library):
    case = library.by_id("common-peroneal-nerve")
    truth = right(case)
    text = sentences(case, **(truth | {"site": "root", "level": "L5"}))
    assert "ankle inversion" in text["level"] and "hip abduction" in text["level"]
    assert "normal" in text["level"]


def test_l5_root_feedback_names_weak_inversion(library):
    case = library.by_id("radiculopathy-l5")
    text = sentences(case, **right(case))
    assert "ankle inversion" in text["level"] and "l5" in text["level"]


def test_bells_palsy_feedback_says_forehead_included(library):
    case = library.by_id("facial-nerve-bells")
    text = sentences(case, **right(case))
    assert "forehead included" in text["neuron"] or "forehead included" in text["level"]


def test_als_feedback_names_both_upper_and_lower_motor_neuron_signs(library):
    case = library.by_id("als-limb-onset")
    text = sentences(case, **right(case))["neuron"]
    assert "lower motor neuron signs" in text and "upper motor neuron signs" in text
    assert "wasting" in text or "fasciculations" in text


def test_spinal_shock_feedback_explains_the_flaccid_cord(library):
    case = library.by_id("thoracic-cord-injury-acute")
    text = sentences(case, **right(case))["neuron"]
    assert "spinal shock" in text and "mute" in text


def test_missed_maneuvers_include_the_plantar_when_umn_was_a_candidate(library):
    case = library.by_id("capsular-stroke-chronic")
    performed = ["tone.right.arm", "tone.right.leg", "power.right.shoulder_abduction",
                 "reflex.right.biceps"]
    result = grade(case, Answer(**right(case)), performed)
    assert any(m.startswith("Plantar response") for m in result.missed_maneuvers)
    assert len(set(result.missed_maneuvers)) == len(result.missed_maneuvers)
    assert not any(m.startswith("Tone") for m in result.missed_maneuvers)
    everything = grade(case, Answer(**right(case)), list(_all_maneuvers()))
    assert everything.missed_maneuvers == ()


def _all_maneuvers():
    from vpatient.core.examination import MANEUVERS

    return MANEUVERS


def test_feedback_accounts_for_a_second_lesion(library):
    two = [c for c in library.cases if len(c.lesions) > 1]
    assert two
    for case in two:
        result = grade(case, case.answer_key.canonical)
        assert result.teaching[0].startswith("This patient also has a ")
        assert "explains" in result.teaching[0]


def test_site_feedback_compares_arm_and_leg_for_cortex_vs_capsule(library):
    mca = sentences(library.by_id("mca-cortical-stroke-chronic"),
                    neuron="UMN", site="internal_capsule", side="left")["site"]
    capsule = sentences(library.by_id("capsular-stroke-chronic"),
                        neuron="UMN", site="cortex", side="left")["site"]
    assert "arm" in mca and "weaker than the leg" in mca
    assert "similar degree" in capsule
