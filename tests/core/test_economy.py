"""Examination economy (issue 13): computed with the solver, never authored."""

from __future__ import annotations

import pytest

from vpatient.core import economy, solver
from vpatient.core.examination import MANEUVERS
from vpatient.library import load_bundled


@pytest.fixture(scope="module")
def l5_case():
    return load_bundled().by_id("radiculopathy-l5")


FOCUSED = ["gait", "plantar.left", "reflex.left.ankle", "power.left.ankle_inversion",
           "numb_area"]


def test_a_focused_exam_outscores_examining_everything(l5_case):
    focused = economy.assess(l5_case, FOCUSED)
    everything = economy.assess(l5_case, list(MANEUVERS))
    assert focused.sufficiency == everything.sufficiency == 1.0  # both decide the answer
    assert focused.focus == 1.0 and everything.focus < 0.2
    assert focused.score == 1.0 and everything.score < 0.7
    # Most of the full exam added nothing once the answer was clear.
    assert len(everything.uninformative) > 50
    assert any(step.after_decided for step in everything.uninformative)
    assert everything.minimal == focused.minimal  # the patient's, not the student's


def test_each_informative_step_names_what_it_ruled_out(l5_case):
    result = economy.assess(l5_case, FOCUSED)
    gait = result.steps[0]
    assert gait.maneuver == "gait" and gait.informative and gait.ruled_out > 10
    assert gait.examples and all(isinstance(e, str) for e in gait.examples)
    # The minimal set is the solver's: its findings alone decide the answer.
    findings, onset = l5_case.all_findings, l5_case.lesions[0].onset_days
    assert solver.rivalry(solver.restrict(findings, result.minimal), l5_case.answer_key,
                          onset).decided


def test_an_exam_that_decides_nothing_is_not_sufficient(l5_case):
    nothing = economy.assess(l5_case, [])
    assert nothing.sufficiency == 0 and nothing.steps == ()
    # The jaw jerk and the eyes are normal in a root lesion: they cannot decide it.
    head = economy.assess(l5_case, ["jaw", "eyes"])
    assert head.sufficiency < 1.0


def test_hints_cost_focus_and_are_recorded(l5_case):
    plain = economy.assess(l5_case, FOCUSED)
    hinted = economy.assess(l5_case, FOCUSED, hints=["numb_area", "reflex.left.ankle"])
    assert hinted.hints == ("numb_area", "reflex.left.ankle")
    assert hinted.focus == pytest.approx(plain.focus - 2 * economy.HINT_COST)
    assert hinted.to_json()["hints"] == ["numb_area", "reflex.left.ankle"]


def test_the_examination_part_counts_only_when_asked():
    assert economy.combined_score(0.8, 0.3, counts=False) == 0.8
    expected = (1 - economy.EXAMINATION_WEIGHT) * 0.8 + economy.EXAMINATION_WEIGHT * 0.3
    assert economy.combined_score(0.8, 0.3) == pytest.approx(expected)
    assert economy.focus_credit(3, 2) == 1.0
    assert economy.focus_credit(60, 2) == pytest.approx((2 + economy.FREE_EXTRA_MANEUVERS) / 60)
