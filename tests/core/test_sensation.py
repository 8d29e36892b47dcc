"""Sensation: what separates cord from root from nerve, and motor-only disease from the rest."""

from __future__ import annotations

import pytest
from clinical import exam, lesion


def test_complete_thoracic_cord_gives_a_level_and_loses_position_sense_both_sides():
    f = exam(lesion("spinal_cord", "bilateral", level="T10", pattern="complete"))
    assert f["sensory_level.left"] == f["sensory_level.right"] == "T10"
    assert f["position_sense.left"] == f["position_sense.right"] == "impaired"


def test_anterior_cord_syndrome_spares_the_dorsal_columns():
    f = exam(lesion("spinal_cord", "bilateral", level="T8", pattern="anterior"))
    assert f["sensory_level.left"] == "T8"
    assert f["position_sense.left"] == f["position_sense.right"] == "normal"


def test_brown_sequard_position_sense_ipsilateral_pain_contralateral_a_segment_lower():
    f = exam(lesion("spinal_cord", "left", level="T10", pattern="hemisection"))
    assert f["position_sense.left"] == "impaired" and f["position_sense.right"] == "normal"
    assert f["sensory_level.right"] == "T11" and f["sensory_level.left"] == "none"


def test_medial_medullary_syndrome_loses_contralateral_position_sense():
    f = exam(lesion("medulla", "right"))
    assert f["position_sense.left"] == "impaired" and f["position_sense.right"] == "normal"
    assert f["sensory_level.left"] == "none"


def test_pure_motor_capsular_stroke_has_no_sensory_loss():
    f = exam(lesion("internal_capsule", "left"))
    assert all(f[f"{k}.{s}"] in ("none", "normal") for k in
               ("sensory_level", "position_sense", "vibration", "cortical_sensation")
               for s in ("left", "right"))
    assert f["numb_area.left"] == f["numb_area.right"] == ()


@pytest.mark.parametrize("case", [
    lesion("motor_neuron_disease", "bilateral", onset_days=300),
    lesion("anterior_horn", "right", levels="L2-S1", onset_days=3000),
    lesion("nmj", "bilateral"),
    lesion("muscle", "bilateral"),
])
def test_motor_only_disease_leaves_sensation_normal(case):
    f = exam(case)
    for side in ("left", "right"):
        assert f[f"numb_area.{side}"] == () and f[f"sensory_level.{side}"] == "none"
        assert f[f"position_sense.{side}"] == "normal"


def test_c8_root_numbs_its_dermatome_and_ulnar_nerve_its_own_territory():
    assert exam(lesion("root", "left", level="C8"))["numb_area.left"] == ("C8",)
    ulnar = exam(lesion("nerve", "left", name="ulnar"))
    assert ulnar["numb_area.left"] == ("ulnar",) and ulnar["reflex.left.finger"] == "2+"


def test_posterior_interosseous_palsy_numbs_nothing():
    f = exam(lesion("nerve", "right", name="radial", at="posterior_interosseous"))
    assert f["numb_area.right"] == () and f["power.right.finger_extension"] < 5


def test_length_dependent_neuropathy_is_stocking_then_glove():
    mild = exam(lesion("polyneuropathy", "bilateral", pattern="length_dependent",
                       severity="mild", onset_days=900))
    moderate = exam(lesion("polyneuropathy", "bilateral", pattern="length_dependent",
                           severity="moderate", onset_days=900))
    assert mild["numb_area.left"] == ("stocking",)
    assert mild["vibration.left"] == "impaired"  # vibration goes first
    assert moderate["numb_area.left"] == ("stocking_glove",)
    assert moderate["position_sense.right"] == "impaired"


def test_conus_and_cauda_equina_numb_the_saddle_without_a_trunk_level():
    for case in (lesion("conus", "bilateral"), lesion("cauda_equina", "left")):
        f = exam(case)
        assert "saddle" in f["numb_area.left"] and "saddle" in f["numb_area.right"]
        assert f["sensory_level.left"] == "none"
    assert exam(lesion("conus", "bilateral"))["numb_area.left"] == ("saddle",)


def test_cauda_equina_numbs_dermatomes_beyond_the_saddle_worse_on_the_worse_side():
    f = exam(lesion("cauda_equina", "left", severity="severe"))
    assert {"saddle", "L5", "S1"} <= set(f["numb_area.left"])
    assert len(f["numb_area.right"]) < len(f["numb_area.left"])


def test_a_lateral_cortical_stroke_loses_cortical_sensation_of_face_and_arm_only():
    f = exam(lesion("cortex", "left", territory="face_arm", severity="severe"))
    assert f["cortical_sensation.right"] == "face_arm" and f["cortical_sensation.left"] == "normal"
    assert f["numb_area.right"] == () and f["sensory_level.right"] == "none"


def test_an_anterior_cerebral_stroke_loses_cortical_sensation_of_the_leg():
    f = exam(lesion("cortex", "right", territory="leg", severity="moderate"))
    assert f["cortical_sensation.left"] == "leg"


def test_central_cord_gives_a_suspended_band_without_a_level():
    for level in ("C5", "T6", "T9"):
        f = exam(lesion("spinal_cord", "bilateral", level=level, pattern="central"))
        assert f["suspended_loss.left"] == f["suspended_loss.right"] == level
        assert f["sensory_level.left"] == "none"
        assert f["position_sense.left"] == "normal"


def test_a_sacral_cord_lesion_spares_joint_position_at_the_toes():
    f = exam(lesion("spinal_cord", "bilateral", level="S3", pattern="complete"))
    assert f["position_sense.left"] == "normal" and f["romberg"] == "negative"
    assert f["gait"] != "sensory_ataxic"


def test_thoracic_level_feedback_cites_the_sensory_level():
    from vpatient.core.answer import Answer
    from vpatient.core.grading import grade
    from vpatient.library import load_bundled

    case = load_bundled().by_id("thoracic-cord-injury-chronic")
    truth = case.answer_key.canonical
    [level] = [p for p in grade(case, Answer(**(truth.model_dump() | {"level": "T4"}))).parts
               if p.part == "level"]
    assert f"(a {truth.level} level)" in level.sentence
