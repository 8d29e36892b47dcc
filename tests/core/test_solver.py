"""The localization solver (issue 13): the lesion space, graded scoring, ranking on the bundled
cases, the next maneuver, minimal deciding sets and the ambiguity warning."""

from __future__ import annotations

import pytest
from clinical import exam, lesion

from vpatient.core import solver
from vpatient.core import timecourse as T
from vpatient.core import vocabulary as V
from vpatient.core.examination import MANEUVERS
from vpatient.core.findings import NORMAL_FINDINGS
from vpatient.library import load_bundled

# Bundled cases whose full examination cannot tell their anterior horn range from the range one
# segment longer or shorter (the segment at the end adds one grade of weakness at most); reported
# to the lead with the other engine collisions.
# (The polio cases were ambiguous in their range of segments until gait followed the weight-bearing
# muscles: a leg that gives way (quadriceps, hip extensors and calf below MRC 3) now tells the
# ranges apart.)
KNOWN_AMBIGUOUS = {"sma-proximal"}


@pytest.fixture(scope="module")
def library():
    return load_bundled()


def test_the_lesion_space_covers_every_site_level_nerve_and_time_band():
    table = solver.table()
    sites = {a.site for a in table.answers}
    assert sites == set(V.SITES)
    assert {a.level for a in table.answers if a.site == "root"} == set(V.ROOT_LEVELS)
    assert {a.level for a in table.answers if a.site == "nerve"} == set(V.NERVE_NAMES)
    assert {a.level for a in table.answers if a.site == "spinal_cord"} == set(V.SEGMENTS)
    # Every band of the time course is covered by the rows of an acute-capable site.
    every_band = (1 << len(T.TIME_THRESHOLDS)) - 1
    root_rows = [i for i, a in enumerate(table.answer_of) if table.answers[a].site == "root"]
    covered = 0
    for row in root_rows:
        covered |= int(table.bands[row])
    assert covered == every_band
    # Nerve lesions at every site along each nerve (radial at the axilla spares nothing above).
    ats = {(les.name, les.lesion_at) for les in table.lesions if les.site == "nerve"}
    assert ("radial", "axilla") in ats and ("radial", "posterior_interosseous") in ats


def test_a_difference_of_direction_costs_a_mismatch_a_difference_of_grade_a_fraction():
    assert solver.finding_cost("power.left.hip_flexion", 4, 5) == 1.0
    assert solver.finding_cost("power.left.hip_flexion", 3, 4) < 0.5
    assert solver.finding_cost("power.left.hip_flexion", 0, 4) >= 1.0
    assert solver.finding_cost("reflex.left.knee", "3+", "4+") < 0.5
    assert solver.finding_cost("reflex.left.knee", "0", "4+") > 1.0
    assert solver.finding_cost("plantar.left", "extensor", "flexor") == 1.0
    assert solver.finding_cost("plantar.left", "extensor", "extensor") == 0.0


@pytest.mark.parametrize("case_id", sorted(c.stem for c in __import__("pathlib").Path(
    __file__).resolve().parents[2].joinpath("cases").glob("*.toml")))
def test_every_bundled_case_ranks_its_answer_first_or_is_flagged(library, case_id):
    case = library.by_id(case_id)
    findings, onset = case.all_findings, case.lesions[0].onset_days
    race = solver.case_rivalry(case)
    if case_id in KNOWN_AMBIGUOUS:
        assert not race.decided and solver.ambiguity_warning(case)
        return
    assert race.decided, solver.ambiguity_warning(case)
    assert solver.ambiguity_warning(case) is None
    if len(case.lesions) == 1:
        best = solver.solve(findings, onset_days=onset, suggest=False).best
        assert solver.accepted_by(case.answer_key, best.answer), best.label
        if not case.findings:  # no overrides: the engine's own lesion fits exactly
            assert best.distance == 0 and best.unexplained == ()


def test_a_patient_whose_grades_and_reflexes_vary_is_still_solved():
    findings = exam(lesion("root", side="left", level="C7", severity="severe"))
    varied = dict(findings)
    for key, value in findings.items():
        if key.startswith("power.") and 0 < value < 5:
            varied[key] = value - 1  # one grade weaker than the pattern
        if key.startswith("reflex.") and value == "2+":
            varied[key] = "3+"  # upper-normal
    best = solver.solve(varied, suggest=False).best
    assert best.answer.site == "root" and best.answer.level == "C7"
    assert best.answer.side == "left"


def test_no_findings_leave_every_answer_in_play_and_suggest_a_maneuver():
    solution = solver.solve({})
    assert not solution.decided
    assert len(solution.in_play) == len(solver.table().answers)
    assert solution.next_maneuver is not None and solution.next_maneuver.gain > 1


def test_the_next_maneuver_splits_an_ulnar_nerve_from_a_c8_root():
    ulnar = exam(lesion("nerve", side="left", name="ulnar", at="elbow"))
    c8 = exam(lesion("root", side="left", level="C8"))
    # Weak finger abduction with a normal tone, triceps and Hoffmann: lower motor neuron, hand.
    seen = solver.restrict(ulnar, ["power.left.finger_abduction", "tone.left.arm",
                                   "reflex.left.triceps", "hoffmann.left", "inspect.left.arm"])
    solution = solver.solve(seen)
    labels = {c.label for c in solution.in_play}
    assert {"left ulnar nerve", "left C8 root"} <= labels
    suggestion = solution.next_maneuver
    assert suggestion is not None
    revealed = MANEUVERS[suggestion.maneuver].reveals
    # The suggested maneuver shows something different in the two.
    assert any(solver.outcome_class(k, ulnar[k]) != solver.outcome_class(k, c8[k])
               for k in revealed)
    assert suggestion.reason.startswith("it separates ")


def test_after_the_suggested_maneuvers_the_answer_is_decided():
    ulnar = exam(lesion("nerve", side="left", name="ulnar", at="elbow"))
    performed = ["power.left.finger_abduction"]
    for _ in range(8):
        solution = solver.solve(solver.restrict(ulnar, performed), performed=performed)
        if solution.decided:
            break
        performed.append(solution.next_maneuver.maneuver)
    assert solution.decided and solution.best.label == "left ulnar nerve"
    assert len(performed) <= 8  # hints maximize information, not the shortest path


def test_a_minimal_set_decides_and_no_maneuver_of_it_can_be_spared(library):
    case = library.by_id("radiculopathy-l5")
    findings, onset, key = case.all_findings, case.lesions[0].onset_days, case.answer_key
    minimal = solver.minimal_maneuvers(findings, key, onset)
    assert minimal
    assert solver.rivalry(solver.restrict(findings, minimal), key, onset).decided
    for dropped in minimal:
        rest = [m for m in minimal if m != dropped]
        assert not solver.rivalry(solver.restrict(findings, rest), key, onset).decided
    # An examination of normal findings alone decides nothing.
    normal = {k: v for k, v in findings.items() if v == NORMAL_FINDINGS[k]}
    assert not solver.rivalry(normal, key, onset).decided


def test_an_indistinguishable_case_names_its_rival(library):
    from vpatient.core.case import Case

    case = Case.model_validate({
        "id": "horn-range", "title": "t",
        "patient": {"age": 60, "sex": "male", "complaint": "c", "history": "h"},
        "lesions": [{"site": "anterior_horn", "levels": "L4-S1", "side": "left",
                     "onset_days": 3650, "severity": "severe"}],
    })
    warning = solver.ambiguity_warning(case)
    assert warning is not None and warning.startswith("indistinguishable from anterior_horn L")


def test_answer_labels_read_as_a_clinician_says_them():
    from vpatient.core.answer import Answer

    assert solver.answer_label(Answer(neuron="LMN", site="root", side="left", level="C8")) \
        == "left C8 root"
    assert solver.with_article("L5 root") == "an L5 root"
    assert solver.with_article("C8 root") == "a C8 root"
    assert solver.answer_label(Answer(neuron="mixed", site="spinal_cord", side="bilateral",
                                      level="C2")) == "cord at C2"


def test_many_different_examinations_in_one_process_never_outgrow_the_table():
    """Regression: the stacked cost rows were counted by their keys (more keys than rows), so
    after a few hundred distinct findings the matrix was indexed past its end."""
    from vpatient.core.generator import generate_patient

    for index in range(150):
        patient = generate_patient(31, index, "advanced")
        solver.solve(patient.all_findings, suggest=False)
