"""Snapshots of the main screens at the smallest supported terminal and a roomy one.

A fixed bundled case and fixed progress records keep them stable; Textual is pinned in the test
extra so they render identically everywhere. Regenerate with ``pytest --snapshot-update`` after
an intended change, and look at the report before committing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vpatient.core.answer import Answer
from vpatient.core.case import Case
from vpatient.core.grading import grade
from vpatient.progress import ProgressStore
from vpatient.tui.app import VPatientApp
from vpatient.tui.screens.encounter import EncounterScreen
from vpatient.tui.screens.feedback import FeedbackScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
PERFORMED = ["face", "inspect.right.arm", "tone.right.arm", "power.right.elbow_extension",
             "reflex.right.biceps", "hoffmann.right", "tone.right.leg", "reflex.right.knee",
             "plantar.right", "clonus.right", "plantar.left"]
# A thoughtful near miss: the right neuron and side, the neighbouring structure.
NEAR_MISS = Answer(neuron="UMN", site="cortex", side="left")


def fresh_app() -> VPatientApp:
    return VPatientApp(seed=1, theme="textual-dark")


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, size) -> None:
    assert snap_compare(fresh_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_encounter(snap_compare, size, fixed_case: Case) -> None:
    async def examined(pilot) -> None:
        await pilot.app.push_screen(EncounterScreen(fixed_case, PERFORMED))
        await pilot.pause()

    assert snap_compare(fresh_app(), terminal_size=size, run_before=examined)


@pytest.mark.parametrize("size", SIZES)
def test_encounter_patient_card(snap_compare, size, fixed_case: Case) -> None:
    async def start(pilot) -> None:
        await pilot.app.push_screen(EncounterScreen(fixed_case))
        await pilot.pause()

    assert snap_compare(fresh_app(), terminal_size=size, run_before=start)


@pytest.mark.parametrize("size", SIZES)
def test_localize(snap_compare, size, fixed_case: Case) -> None:
    async def choosing(pilot) -> None:
        await pilot.app.push_screen(EncounterScreen(fixed_case, PERFORMED))
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        # LMN; nerve root; C7: the root list appears, and the side is next.
        await pilot.press("down", "enter", *["down"] * 9, "enter", *["down"] * 3, "enter")
        await pilot.pause()

    assert snap_compare(fresh_app(), terminal_size=size, run_before=choosing)


@pytest.mark.parametrize("size", SIZES)
def test_feedback(snap_compare, size, fixed_case: Case, notes) -> None:
    async def graded(pilot) -> None:
        result = grade(fixed_case, NEAR_MISS, performed=PERFORMED)
        await pilot.app.push_screen(FeedbackScreen(fixed_case, result, PERFORMED))
        await pilot.pause()

    assert snap_compare(fresh_app(), terminal_size=size, run_before=graded)


def record_history() -> None:
    """Six answers a week apart, fixed, so the stats screen is the same on every run."""
    start = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    history = [("pons", "mixed", 0.4), ("root", "LMN", 0.7), ("internal_capsule", "UMN", 1.0),
               ("pons", "mixed", 0.65), ("nerve", "LMN", 0.9), ("root", "LMN", 0.85)]
    with ProgressStore() as store:
        for week, (site, neuron, score) in enumerate(history):
            store.record(case_id=f"case-{week}", source="library", difficulty="core", site=site,
                         neuron=neuron, score=score,
                         part_scores={"neuron": score, "site": score, "side": 1.0},
                         given={"neuron": neuron, "site": site, "side": "left", "level": None},
                         maneuvers=["face"], answered_at=start + timedelta(weeks=week))


@pytest.mark.parametrize("size", SIZES)
def test_stats(snap_compare, size) -> None:
    record_history()
    assert snap_compare(fresh_app(), terminal_size=size, press=["s"])
