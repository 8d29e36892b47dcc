"""Snapshots of the main screens at the smallest supported terminal and a roomy one.

A fixed bundled case and fixed progress records keep them stable; Textual is pinned in the test
extra so they render identically everywhere. Regenerate with ``pytest --snapshot-update`` after
an intended change, and look at the report before committing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from graded_answers import record_graded

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


HISTORY_START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def record_history() -> None:
    """Eight graded answers to bundled cases, a few days apart, fixed, so the progress screen
    (mistakes by kind, weak spots and their review dates, by site, by neuron) is the same on
    every run."""
    history = [
        ("capsular-stroke-chronic", {"side": "right"}),
        ("radiculopathy-l5", {"site": "nerve", "level": "common_peroneal"}),
        ("pontine-crossed-syndrome", {"side": "right"}),
        ("ulnar-nerve-elbow", {}),
        ("radiculopathy-c6", {"level": "C7"}),
        ("conus-medullaris", {"site": "cauda_equina", "neuron": "LMN"}),
        ("capsular-stroke-chronic", {"side": "right"}),
        ("myasthenia-generalized", {"neuron": "muscle", "site": "muscle"}),
    ]
    with ProgressStore() as store:
        for day, (case_id, change) in enumerate(history):
            record_graded(store, case_id, change, HISTORY_START + timedelta(days=3 * day))


@pytest.mark.parametrize("size", SIZES)
def test_stats(snap_compare, size) -> None:
    record_history()
    app = VPatientApp(seed=1, theme="textual-dark",
                      clock=lambda: HISTORY_START + timedelta(days=22))
    assert snap_compare(app, terminal_size=size, press=["s"])


@pytest.mark.parametrize("size", SIZES)
def test_stats_scrolled_to_the_end(snap_compare, size) -> None:
    record_history()
    app = VPatientApp(seed=1, theme="textual-dark",
                      clock=lambda: HISTORY_START + timedelta(days=22))
    assert snap_compare(app, terminal_size=size, press=["s", "end"])


@pytest.mark.parametrize("size", SIZES)
def test_library(snap_compare, size) -> None:
    record_history()  # a few cases done: marked with their best score
    assert snap_compare(fresh_app(), terminal_size=size, press=["l"])
