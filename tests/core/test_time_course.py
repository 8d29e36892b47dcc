"""Ref §6: how the same lesion looks at different times since onset."""

from __future__ import annotations

from clinical import BRISK, REDUCED, exam, lesion


def cord(onset_days: float):
    return exam(lesion("spinal_cord", "bilateral", level="T8", pattern="complete",
                       severity="complete", onset_days=onset_days))


def test_spinal_shock_first_day_flaccid_areflexic_mute_plantars():
    f = cord(0.5)
    for side in ("left", "right"):
        assert f[f"tone.{side}.leg"] == "decreased"
        assert f[f"reflex.{side}.knee"] == "0" and f[f"reflex.{side}.ankle"] == "0"
        assert f[f"plantar.{side}"] == "mute"
        assert f[f"clonus.{side}"] == "absent"


def test_reflexes_return_over_days_then_become_brisk_with_babinski_by_weeks():
    early, week2, month3 = cord(4), cord(10), cord(90)
    assert early["reflex.left.knee"] in REDUCED and early["plantar.left"] == "mute"
    assert week2["plantar.left"] == "extensor"
    assert month3["reflex.left.knee"] == "4+" and month3["tone.left.leg"] == "spastic"
    assert month3["clonus.left"] == "sustained"


def test_hyperacute_stroke_is_flaccid_without_brisk_reflexes():
    f = exam(lesion("internal_capsule", "left", onset_days=0.25, severity="moderate"))
    assert f["tone.right.arm"] == f["tone.right.leg"] == "decreased"
    assert f["reflex.right.biceps"] not in BRISK
    assert f["face.right.lower"] == "weak"  # the distribution still points upwards


def test_stroke_becomes_spastic_and_hyperreflexic_over_weeks():
    hours = exam(lesion("cortex", "right", territory="whole", onset_days=0.2))
    days = exam(lesion("cortex", "right", territory="whole", onset_days=4))
    months = exam(lesion("cortex", "right", territory="whole", onset_days=120))
    order = ("0", "1+", "2+", "3+", "4+")
    knee = [order.index(f["reflex.left.knee"]) for f in (hours, days, months)]
    assert knee == sorted(knee) and knee[0] < knee[-1]
    assert hours["tone.left.leg"] == "decreased" and months["tone.left.leg"] == "spastic"
    assert months["plantar.left"] == "extensor"


def test_wasting_needs_weeks_of_denervation():
    acute = exam(lesion("root", "left", level="C7", severity="severe", onset_days=5))
    chronic = exam(lesion("root", "left", level="C7", severity="severe", onset_days=60))
    assert acute["power.left.elbow_extension"] == chronic["power.left.elbow_extension"] < 5
    assert acute["reflex.left.triceps"] in REDUCED  # the arc is lost at once
    assert not acute["wasting.left.arm_proximal"]
    assert chronic["wasting.left.arm_proximal"]


def test_fasciculations_mark_chronic_anterior_horn_disease_not_acute_polio():
    acute = exam(lesion("anterior_horn", "left", levels="L2-S1", onset_days=5))
    old = exam(lesion("anterior_horn", "left", levels="L2-S1", onset_days=3000))
    assert not acute["fasciculations.left.leg_distal"] and not acute["wasting.left.leg_distal"]
    assert acute["reflex.left.knee"] in REDUCED
    assert old["fasciculations.left.leg_distal"] and old["wasting.left.leg_distal"]


def test_root_lesions_do_not_fasciculate_even_when_chronic():
    f = exam(lesion("root", "right", level="L5", severity="severe", onset_days=365))
    assert not any(v for k, v in f.items() if k.startswith("fasciculations."))


def test_spinal_shock_does_not_apply_to_the_cauda_equina():
    f = exam(lesion("cauda_equina", "bilateral", severity="severe", onset_days=1))
    # Areflexia from the roots, but no UMN signs will ever follow: no extensor plantar.
    later = exam(lesion("cauda_equina", "bilateral", severity="severe", onset_days=90))
    assert f["reflex.left.ankle"] == "0" and later["plantar.left"] != "extensor"
    assert later["tone.left.leg"] == "decreased"


def test_als_has_no_acute_form():
    import pydantic
    import pytest

    with pytest.raises(pydantic.ValidationError, match="no acute form"):
        lesion("motor_neuron_disease", "bilateral", onset_days=3)


def test_spinal_shock_is_the_time_of_mute_plantars_below_the_lesion():
    """Grading and feedback call a cord lesion "in spinal shock" exactly while the examination
    shows it: areflexia and mute plantars below the level (ref §6.2, phases 1-2), not once the
    plantars have turned extensor."""
    from vpatient.core.timecourse import in_spinal_shock

    for day in (0, 0.5, 2, 4, 6.5, 7, 10, 20, 40, 200):
        f = cord(day)
        assert in_spinal_shock(day) == (f["plantar.left"] == "mute"), day


def test_an_expression_shared_by_many_patients_cannot_be_changed():
    """The engine caches and shares expressions between patients; one patient's code must not be
    able to alter another's."""
    import dataclasses

    import pytest

    from vpatient.core.timecourse import cord_sacral_function, umn_expression

    with pytest.raises(dataclasses.FrozenInstanceError):
        umn_expression("cord", 90, "severe").tone = "normal"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        cord_sacral_function(90).bladder = "normal"  # type: ignore[misc]


def test_a_phase_table_must_start_on_day_zero_and_run_upwards():
    """A mistyped phase table fails at import instead of giving some onsets no phase."""
    import pytest

    from vpatient.core.timecourse import _starts_of

    assert _starts_of([0, 3, 7, 14]) == (0, 3, 7, 14)
    for bad in ([1, 7], [-1, 7], [0, 7, 3], [0, 1, 1, 2]):
        with pytest.raises(ValueError):
            _starts_of(bad)
