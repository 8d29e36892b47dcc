"""Solvable by construction (issue 13): every generated patient's answer can be singled out from
its full examination, by the solver, at the onset its history tells."""

from __future__ import annotations

import pytest

from vpatient.core.generator import generate_patient
from vpatient.core.solver import case_rivalry

PATIENTS = 200  # per difficulty; benchmarks/solver.py measures 3,000

# Answers the current engine cannot tell apart from the full examination, reported to the lead
# (issue 10): (the patient's site, the rival's site, whether the patient has a second lesion).
# - anterior horn ranges one segment apart (L2-S1 vs L3-S1, L2-S1 vs L2-S2): the end segment
#   adds at most a grade of weakness in one movement, within patient-to-patient variation.
# - a severe L5 root whose great toe varies to 2/5 keeps a mute plantar (decided before the
#   variation), which no lesion of the table gives with that grade: the anterior horn cells of
#   L5 then fit nearly as well.
# - bilateral myasthenia: each eye shows ptosis or weak eye movements as the patient varies, so
#   one-sided ocular myasthenia (the worse eye) fits nearly as well.
# - cord hemisections a segment apart (C5 vs C4 or C6): with the grades and reflexes varied,
#   the pinprick level's one segment is all that separates them, and the rest can outweigh it.
# - a mild root lesion whose dermatome is not numb (or whose numbness a second lesion's hides):
#   its anterior horn cells fit as well.
KNOWN_ENGINE_COLLISIONS: frozenset[tuple[str, str, bool]] = frozenset({
    ("anterior_horn", "anterior_horn", False),
    ("root", "anterior_horn", False),
    ("root", "anterior_horn", True),
    ("spinal_cord", "spinal_cord", False),
    ("nmj", "nmj", False),
    ("spinal_cord", "spinal_cord", True),
})


def unsolvable(difficulty: str) -> list[tuple[str, str, str, bool]]:
    """(patient id, the patient's site, the rival's, two lesions) for each patient the full
    exam cannot decide."""
    out = []
    for index in range(PATIENTS):
        case = generate_patient(2026, index, difficulty)
        race = case_rivalry(case)
        if not race.decided:
            rival = race.rival.answer if race.rival else None
            out.append((case.id, case.answer_key.canonical.site,
                        rival.site if rival else "?", len(case.lesions) > 1))
    return out


@pytest.mark.parametrize("difficulty", ["intro", "core", "advanced"])
def test_generated_patients_are_solvable_but_for_known_engine_collisions(difficulty):
    unexpected = [found for found in unsolvable(difficulty)
                  if found[1:] not in KNOWN_ENGINE_COLLISIONS]
    assert unexpected == []


@pytest.mark.xfail(strict=True, reason="engine collisions reported for issue 10 (see "
                   "KNOWN_ENGINE_COLLISIONS); remove this mark once the engine separates them")
@pytest.mark.parametrize("difficulty", ["intro", "core", "advanced"])
def test_every_generated_patient_is_uniquely_solvable_from_the_full_exam(difficulty):
    assert unsolvable(difficulty) == []
