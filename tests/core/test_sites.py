"""Each site of ref §5.0, stated as the clinical fact the engine must reproduce."""

from __future__ import annotations

import pytest
from clinical import BRISK, REDUCED, exam, lesion, normal_power, weak

ARM = ("shoulder_abduction", "elbow_extension", "wrist_extension", "finger_abduction")
LEG = ("hip_flexion", "knee_flexion", "ankle_dorsiflexion")


def test_chronic_left_capsular_lesion_gives_right_pyramidal_signs_and_central_face():
    f = exam(lesion("internal_capsule", "left", onset_days=90, severity="severe"))
    assert f["tone.right.arm"] == f["tone.right.leg"] == "spastic"
    assert f["reflex.right.biceps"] in BRISK and f["reflex.right.knee"] in BRISK
    assert f["plantar.right"] == "extensor"
    assert not any(f[f"wasting.right.{p}"] for p in ("arm_proximal", "arm_distal",
                                                     "leg_proximal", "leg_distal"))
    assert not any(v for k, v in f.items() if k.startswith("fasciculations."))
    assert f["face.right.lower"] == "weak" and f["face.right.upper"] == "normal"
    # The other side is untouched.
    assert f["tone.left.arm"] == "normal" and f["plantar.left"] == "flexor"
    assert normal_power(f, "left", *ARM, *LEG)


def test_capsule_weakens_face_arm_and_leg_alike():
    f = exam(lesion("internal_capsule", "right", severity="moderate"))
    assert weak(f, "left", *ARM) and weak(f, "left", *LEG)
    assert f["face.left.lower"] == "weak"


def test_pyramidal_pattern_spares_arm_flexors_and_leg_extensors_relatively():
    f = exam(lesion("internal_capsule", "left", severity="severe"))
    assert f["power.right.elbow_flexion"] > f["power.right.elbow_extension"]
    assert f["power.right.knee_extension"] > f["power.right.knee_flexion"]
    assert f["power.right.ankle_plantarflexion"] > f["power.right.ankle_dorsiflexion"]


def test_mca_cortex_weakens_face_and_hand_more_than_leg():
    f = exam(lesion("cortex", "left", territory="face_arm", severity="moderate"))
    assert f["face.right.lower"] == "weak"
    assert f["power.right.finger_abduction"] < f["power.right.hip_flexion"]
    assert f["power.right.wrist_extension"] < 5


def test_aca_cortex_weakens_leg_and_spares_face_and_hand():
    f = exam(lesion("cortex", "right", territory="leg", severity="severe"))
    assert weak(f, "left", *LEG)
    assert f["face.left.lower"] == "normal"
    assert normal_power(f, "left", "finger_abduction", "wrist_extension")
    assert f["plantar.left"] == "extensor"


def test_weber_ipsilateral_third_nerve_and_contralateral_hemiparesis_with_lower_face():
    f = exam(lesion("midbrain", "left"))
    assert f["eyes.left"] == "third_nerve_palsy" and f["eyes.right"] == "normal"
    assert weak(f, "right", *ARM, *LEG) and normal_power(f, "left", *ARM, *LEG)
    assert f["face.right.lower"] == "weak" and f["face.right.upper"] == "normal"


def test_pontine_crossed_syndrome_whole_ipsilateral_face_and_sixth_nerve():
    f = exam(lesion("pons", "right"))
    assert f["eyes.right"] == "sixth_nerve_palsy"
    assert f["face.right.upper"] == f["face.right.lower"] == "weak"
    assert weak(f, "left", *ARM, *LEG) and f["plantar.left"] == "extensor"


def test_medial_medulla_tongue_to_lesion_and_hemiparesis_sparing_face():
    f = exam(lesion("medulla", "left", onset_days=60))
    assert f["tongue.deviation"] == "left"
    assert f["wasting.tongue"] is True  # that half of the tongue wastes later
    assert weak(f, "right", *ARM, *LEG)
    assert f["face.right.lower"] == f["face.left.lower"] == "normal"


def test_high_cervical_cord_gives_four_limb_umn_signs_with_normal_jaw_jerk():
    f = exam(lesion("spinal_cord", "bilateral", level="C3", pattern="complete",
                    severity="moderate", onset_days=200))
    for side in ("left", "right"):
        assert f[f"reflex.{side}.biceps"] in BRISK and f[f"reflex.{side}.ankle"] in BRISK
        assert f[f"hoffmann.{side}"] == "present" and f[f"plantar.{side}"] == "extensor"
    assert f["reflex.jaw"] == "2+"


def test_c6_cord_lmn_at_level_umn_below_inverted_supinator():
    f = exam(lesion("spinal_cord", "bilateral", level="C6", pattern="complete",
                    severity="moderate", onset_days=400))
    for side in ("left", "right"):
        assert f[f"reflex.{side}.biceps"] in REDUCED
        assert f[f"reflex.{side}.brachioradialis"] in REDUCED
        assert f[f"reflex.{side}.triceps"] in BRISK and f[f"reflex.{side}.finger"] in BRISK
        assert f[f"inverted_supinator.{side}"] == "present"
        assert f[f"plantar.{side}"] == "extensor"
        assert f[f"wasting.{side}.arm_proximal"] is True


def test_thoracic_cord_spares_the_arms_and_gives_spastic_paraparesis():
    f = exam(lesion("spinal_cord", "bilateral", level="T10", pattern="complete",
                    onset_days=120))
    for side in ("left", "right"):
        assert normal_power(f, side, *ARM) and f[f"tone.{side}.arm"] == "normal"
        assert f[f"reflex.{side}.biceps"] == "2+"
        assert weak(f, side, *LEG) and f[f"tone.{side}.leg"] == "spastic"
        assert f[f"reflex.{side}.knee"] in BRISK and f[f"plantar.{side}"] == "extensor"
        assert not f[f"wasting.{side}.leg_distal"]


def test_brown_sequard_motor_signs_are_ipsilateral():
    f = exam(lesion("spinal_cord", "left", level="T10", pattern="hemisection", onset_days=60))
    assert weak(f, "left", *LEG) and f["plantar.left"] == "extensor"
    assert normal_power(f, "right", *LEG) and f["plantar.right"] == "flexor"


def test_conus_loses_ankle_jerks_keeps_knee_jerks_symmetrically():
    f = exam(lesion("conus", "bilateral", severity="severe", onset_days=10))
    for side in ("left", "right"):
        assert f[f"reflex.{side}.ankle"] in REDUCED
        assert f[f"reflex.{side}.knee"] == "2+"
        assert f[f"plantar.{side}"] in ("flexor", "mute")
        assert f[f"power.{side}.hip_flexion"] == 5  # little leg weakness
    assert f["reflex.left.ankle"] == f["reflex.right.ankle"]


def test_cauda_equina_is_flaccid_areflexic_and_asymmetric():
    f = exam(lesion("cauda_equina", "left", severity="severe", onset_days=5))
    assert f["reflex.left.ankle"] == "0" and f["reflex.left.knee"] in REDUCED
    assert f["tone.left.leg"] == "decreased"
    assert f["power.left.ankle_dorsiflexion"] < f["power.right.ankle_dorsiflexion"]
    assert f["plantar.left"] in ("flexor", "mute") and f["plantar.right"] != "extensor"


def test_anterior_horn_is_pure_lmn_with_wasting_and_fasciculations_when_chronic():
    f = exam(lesion("anterior_horn", "right", levels="L2-S1", onset_days=3650))
    assert f["tone.right.leg"] == "decreased"
    assert f["reflex.right.knee"] in REDUCED and f["reflex.right.ankle"] in REDUCED
    assert f["wasting.right.leg_distal"] and f["fasciculations.right.leg_proximal"]
    assert f["plantar.right"] in ("flexor", "mute")
    assert normal_power(f, "left", *LEG)


def test_als_combines_umn_and_lmn_signs_in_the_same_limb():
    f = exam(lesion("motor_neuron_disease", "bilateral", severity="moderate", onset_days=365))
    for side in ("left", "right"):
        assert f[f"wasting.{side}.arm_distal"] and f[f"fasciculations.{side}.arm_distal"]
        assert f[f"reflex.{side}.biceps"] in BRISK  # brisk reflexes in a wasted arm
    assert f["fasciculations.tongue"] and f["reflex.jaw"] in BRISK


@pytest.mark.parametrize(("root", "movement", "reflex"), [
    ("C5", "shoulder_abduction", "biceps"),
    ("C6", "wrist_extension", "brachioradialis"),
    ("C7", "elbow_extension", "triceps"),
    ("C8", "finger_flexion", "finger"),
    ("L4", "knee_extension", "knee"),
    ("S1", "ankle_plantarflexion", "ankle"),
])
def test_each_root_weakens_its_myotome_and_reduces_its_reflex(root, movement, reflex):
    f = exam(lesion("root", "right", level=root, severity="severe"))
    assert f[f"power.right.{movement}"] <= 3
    assert f[f"reflex.right.{reflex}"] in REDUCED
    assert f["plantar.right"] == "flexor" and f["tone.right.arm"] == "normal"
    assert f[f"reflex.left.{reflex}"] == "2+"


def test_l5_root_weakens_inversion_and_hip_abduction_with_normal_reflexes():
    f = exam(lesion("root", "left", level="L5", severity="severe"))
    assert weak(f, "left", "great_toe_extension", "ankle_dorsiflexion", "ankle_inversion",
                "hip_abduction")
    assert f["reflex.left.knee"] == f["reflex.left.ankle"] == "2+"


def test_common_peroneal_spares_inversion_and_hip_abduction():
    f = exam(lesion("nerve", "left", name="common_peroneal", severity="severe"))
    assert weak(f, "left", "ankle_dorsiflexion", "great_toe_extension", "ankle_eversion")
    assert normal_power(f, "left", "ankle_inversion", "hip_abduction", "ankle_plantarflexion")
    assert f["reflex.left.ankle"] == f["reflex.left.knee"] == "2+"


def test_upper_trunk_weakens_shoulder_and_elbow_flexion_sparing_the_hand():
    f = exam(lesion("plexus", "right", part="upper_trunk"))
    assert weak(f, "right", "shoulder_abduction", "shoulder_external_rotation",
                "elbow_flexion")
    assert f["reflex.right.biceps"] in REDUCED and f["reflex.right.triceps"] == "2+"
    assert normal_power(f, "right", "finger_abduction", "thumb_abduction")


def test_lower_trunk_weakens_all_hand_muscles_with_arm_reflexes_kept():
    f = exam(lesion("plexus", "left", part="lower_trunk"))
    assert weak(f, "left", "finger_abduction", "thumb_abduction", "finger_flexion")
    assert f["reflex.left.biceps"] == f["reflex.left.triceps"] == "2+"
    assert f["reflex.left.finger"] in REDUCED


def test_radial_spiral_groove_spares_triceps_but_axilla_does_not():
    groove = exam(lesion("nerve", "right", name="radial"))
    axilla = exam(lesion("nerve", "right", name="radial", at="axilla"))
    assert weak(groove, "right", "wrist_extension", "finger_extension")
    assert groove["power.right.elbow_extension"] == 5 and groove["reflex.right.triceps"] == "2+"
    assert groove["reflex.right.brachioradialis"] in REDUCED
    assert axilla["power.right.elbow_extension"] < 5 and axilla["reflex.right.triceps"] in REDUCED


def test_ulnar_at_elbow_spares_thumb_abduction_and_carpal_tunnel_weakens_it():
    ulnar = exam(lesion("nerve", "left", name="ulnar"))
    median = exam(lesion("nerve", "left", name="median"))
    assert weak(ulnar, "left", "finger_abduction") and ulnar["power.left.thumb_abduction"] == 5
    assert weak(median, "left", "thumb_abduction") and median["power.left.finger_flexion"] == 5


def test_femoral_weakens_knee_extension_loses_knee_jerk_spares_adduction():
    f = exam(lesion("nerve", "right", name="femoral"))
    assert weak(f, "right", "knee_extension") and f["reflex.right.knee"] in REDUCED
    assert f["power.right.hip_adduction"] == 5


def test_bells_palsy_weakens_the_whole_face_on_its_side():
    f = exam(lesion("nerve", "right", name="facial", onset_days=2))
    assert f["face.right.upper"] == f["face.right.lower"] == "weak"
    assert f["face.left.upper"] == "normal"
    assert all(f[f"power.{s}.hip_flexion"] == 5 for s in ("left", "right"))


def test_hypoglossal_palsy_deviates_tongue_to_the_lesion():
    f = exam(lesion("nerve", "right", name="hypoglossal", onset_days=60))
    assert f["tongue.deviation"] == "right" and f["wasting.tongue"]


def test_length_dependent_neuropathy_is_distal_and_loses_ankle_jerks_first():
    f = exam(lesion("polyneuropathy", "bilateral", pattern="length_dependent",
                    severity="moderate", onset_days=1500))
    for side in ("left", "right"):
        assert weak(f, side, "great_toe_extension")
        assert normal_power(f, side, "hip_flexion", "shoulder_abduction")
        assert f[f"reflex.{side}.ankle"] == "0" and f[f"reflex.{side}.knee"] == "2+"
        assert f[f"reflex.{side}.biceps"] == "2+"


def test_gbs_is_areflexic_flaccid_and_weaker_in_legs_without_wasting_early():
    f = exam(lesion("polyneuropathy", "bilateral", pattern="acute_demyelinating",
                    severity="severe", onset_days=10))
    for side in ("left", "right"):
        assert all(f[f"reflex.{side}.{r}"] == "0" for r in ("biceps", "knee", "ankle"))
        assert f[f"tone.{side}.leg"] == "decreased"
        assert f[f"power.{side}.hip_flexion"] < f[f"power.{side}.shoulder_abduction"]
        assert not f[f"wasting.{side}.leg_distal"]
        assert f[f"plantar.{side}"] != "extensor"


def test_myasthenia_is_fatigable_with_ptosis_and_normal_reflexes():
    f = exam(lesion("nmj", "bilateral", severity="moderate", onset_days=120))
    assert f["fatigability"] is True
    # Ptosis with eye movements limited in several directions: the diplopia (ref §5.17)
    assert f["eyes.left"] == f["eyes.right"] == "ptosis_ophthalmoparesis"
    assert f["pupils.left"] == f["pupils.right"] == "normal"  # pupils always spared
    assert weak(f, "left", "shoulder_abduction", "hip_flexion")
    assert all(f[f"reflex.left.{r}"] == "2+" for r in ("biceps", "knee", "ankle"))
    assert not any(v for k, v in f.items() if k.startswith(("wasting.", "fasciculations.")))


def test_myopathy_is_proximal_symmetric_with_reflexes_kept():
    f = exam(lesion("muscle", "bilateral", severity="moderate", onset_days=120))
    for side in ("left", "right"):
        assert weak(f, side, "shoulder_abduction", "hip_flexion")
        assert normal_power(f, side, "finger_abduction", "ankle_dorsiflexion")
        assert f[f"reflex.{side}.knee"] == "2+" and f[f"plantar.{side}"] == "flexor"
    assert f["power.left.hip_flexion"] == f["power.right.hip_flexion"]
    assert not any(v for k, v in f.items() if k.startswith("fasciculations."))


@pytest.mark.parametrize(("name", "weak", "spared"), [
    # ref §5.15: inversion and hip abduction tell L5 root from peroneal palsy
    ("common_peroneal", "ankle_dorsiflexion", ("ankle_inversion", "hip_abduction")),
    # ref §5.15: thumb abduction (median) tells C8 root from ulnar palsy
    ("ulnar", "finger_abduction", ("thumb_abduction",)),
    # ref §5.14, §5.15: the spiral groove spares triceps and the long finger flexors (C7 root)
    ("radial", "wrist_extension", ("elbow_extension", "finger_flexion")),
    # ref §5.15: hip adduction (obturator) tells L3-L4 root from femoral neuropathy
    ("femoral", "knee_extension", ("hip_adduction",)),
    # ref §5.14: carpal tunnel spares the ulnar-supplied interossei
    ("median", "thumb_abduction", ("finger_abduction",)),
])
def test_each_nerve_spares_the_movements_that_tell_it_from_its_look_alike(name, weak, spared):
    f = exam(lesion("nerve", "left", name=name, severity="severe"))
    assert f[f"power.left.{weak}"] < 5, name
    assert normal_power(f, "left", *spared), name


def test_only_two_cord_levels_have_a_distance_in_segments():
    """Grading gives near-miss credit by segments; a brainstem or cerebral level has none to a
    cord level, whichever way round they are given."""
    from vpatient.core.anatomy import segment_distance

    assert segment_distance("C5", "C7") == 2
    assert segment_distance("C5-C6", "C6") == 0
    for pair in (("C5", "pons"), ("pons", "C5"), ("pons", "medulla")):
        assert segment_distance(*pair) is None, pair


@pytest.mark.parametrize("shares", [
    ({"wrist_extension": 0.7}, {"wrist_extension": 0.4}),   # more than the whole movement
    ({"wrist_extension": -0.3}, {"finger_extension": 1.0}),  # a share below none
    ({"wrist_extension": 0.0}, {"finger_extension": 1.0}),
])
def test_a_nerve_cannot_supply_more_than_a_whole_movement_or_less_than_none(shares):
    from vpatient.core.anatomy import Branch, Nerve

    first, second = shares
    with pytest.raises(ValueError):
        Nerve("radial", "radial nerve", "arm",
              (Branch("spiral_groove", first), Branch("posterior_interosseous", second)),
              "spiral_groove")
    # The same two branches are accepted when their shares add up to the whole.
    Nerve("radial", "radial nerve", "arm",
          (Branch("spiral_groove", {"wrist_extension": 0.7}),
           Branch("posterior_interosseous", {"wrist_extension": 0.3})), "spiral_groove")
