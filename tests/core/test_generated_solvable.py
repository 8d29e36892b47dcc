"""Solvable by construction (issue 13): every generated patient's answer can be singled out from
its full examination, by the solver, at the onset its history tells."""

from __future__ import annotations

import pytest

from vpatient.core.anatomy import segment_distance
from vpatient.core.generator import generate_patient
from vpatient.core.solver import case_rivalry

PATIENTS = 200  # per difficulty; benchmarks/solver.py measures 3,000



def unsolvable(difficulty: str) -> list[tuple[str, str, str, bool]]:
    """(patient id, the patient's site, the rival's, two lesions) for each patient the full
    exam cannot decide.

    Polio is patchy: which segments at the ends of its range escaped cannot be told at the
    bedside, so a rival anterior horn range that overlaps the patient's is the same answer
    (the level is scored by overlap)."""
    out = []
    for index in range(PATIENTS):
        case = generate_patient(2026, index, difficulty)
        race = case_rivalry(case)
        if race.decided:
            continue
        answer, rival = case.answer_key.canonical, race.rival.answer if race.rival else None
        if (rival is not None and answer.site == rival.site == "anterior_horn"
                and segment_distance(answer.level, rival.level) == 0):
            continue
        out.append((case.id, answer.site, rival.site if rival else "?", len(case.lesions) > 1))
    return out


@pytest.mark.parametrize("difficulty", ["intro", "core", "advanced"])
def test_every_generated_patient_is_uniquely_solvable_from_the_full_exam(difficulty):
    assert unsolvable(difficulty) == []
