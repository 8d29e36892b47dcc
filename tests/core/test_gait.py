"""Gait and Romberg: what the legs' findings make of walking and standing."""

from __future__ import annotations

import pytest
from clinical import exam, lesion


@pytest.mark.parametrize(("case", "gait"), [
    (lesion("internal_capsule", "left", severity="moderate"), "hemiplegic_right"),
    (lesion("cortex", "right", territory="leg", severity="moderate"), "hemiplegic_left"),
    (lesion("spinal_cord", "bilateral", level="T8", pattern="complete", severity="moderate",
            onset_days=300), "spastic_paraparetic"),
    (lesion("nerve", "left", name="common_peroneal", severity="moderate"), "steppage_left"),
    (lesion("root", "right", level="L5", severity="severe"), "steppage_right"),
    (lesion("muscle", "bilateral", severity="moderate", onset_days=120), "waddling"),
    (lesion("spinal_cord", "bilateral", level="T8", pattern="complete", severity="complete",
            onset_days=1), "unable"),
    (lesion("root", "left", level="C7"), "normal"),
    (lesion("nerve", "right", name="facial", onset_days=2), "normal"),
])
def test_gait_follows_the_legs(case, gait):
    assert exam(case)["gait"] == gait


def test_length_dependent_neuropathy_high_steps_and_is_romberg_positive():
    f = exam(lesion("polyneuropathy", "bilateral", pattern="length_dependent",
                    severity="moderate", onset_days=900))
    assert f["gait"] == "steppage_bilateral" and f["romberg"] == "positive"


def test_anterior_cord_syndrome_keeps_romberg_negative_as_the_dorsal_columns_are_spared():
    anterior = exam(lesion("spinal_cord", "bilateral", level="T8", pattern="anterior",
                           severity="moderate", onset_days=300))
    assert anterior["romberg"] == "negative" and anterior["gait"] == "spastic_paraparetic"


def test_a_patient_who_cannot_stand_cannot_do_romberg():
    f = exam(lesion("polyneuropathy", "bilateral", pattern="acute_demyelinating",
                    severity="complete", onset_days=10))
    assert f["gait"] == "unable" and f["romberg"] == "unable"


def test_motor_neuron_disease_in_the_legs_is_spastic_not_ataxic():
    f = exam(lesion("motor_neuron_disease", "bilateral", severity="moderate", onset_days=300))
    assert f["gait"] == "spastic_paraparetic" and f["romberg"] == "negative"
