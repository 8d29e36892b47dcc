"""The reasoning tools in the game (issue 13): hints, the examination economy in feedback, the
lesion lab and the differential, driven by keys through the Pilot, with snapshots at 80x24."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static

from vpatient.core.case import Case
from vpatient.core.engine import derive_findings
from vpatient.core.examination import MANEUVERS
from vpatient.core.grading import grade
from vpatient.core.lesion import parse_lesion
from vpatient.tui.app import VPatientApp
from vpatient.tui.screens.differential import DifferentialScreen
from vpatient.tui.screens.encounter import EncounterScreen
from vpatient.tui.screens.feedback import FeedbackScreen
from vpatient.tui.screens.help import HelpScreen
from vpatient.tui.screens.home import HomeScreen
from vpatient.tui.screens.lab import TIME_STOPS, LabScreen, differences_table
from vpatient.tui.widgets.body_map import BodyMap

from .test_tui_game import ExamLikeApp, answer_first_choices

FOCUSED = ["gait", "plantar.right", "reflex.right.knee", "tone.right.arm", "face"]


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_hint_names_the_maneuver_and_why_and_is_recorded(fixed_case: Case) -> None:
    app = VPatientApp(seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        app._current = (fixed_case, "library")
        await app.push_screen(EncounterScreen(fixed_case, ["gait"]))
        await pilot.pause()
        screen = app.screen
        await pilot.press("h")
        await settle(pilot)
        assert len(screen.hints) == 1
        suggested = screen.hints[0]
        assert suggested in MANEUVERS and suggested not in screen.performed
        # The menu is on the suggested maneuver: Enter performs it.
        menu = screen.query_one("#maneuvers", OptionList)
        assert menu.get_option_at_index(menu.highlighted).id == suggested
        notes = [n.message for n in app._notifications]
        assert any("Why: it separates" in m for m in notes)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.performed == ["gait", suggested]
        await answer_first_choices(pilot)
        feedback = app.screen
        assert isinstance(feedback, FeedbackScreen)
        assert feedback.hints == [suggested]
        details = text_of(feedback, "#economy")
        assert "Hints used:" in details
        assert "1 hint" in details


async def test_no_hints_in_an_exam(fixed_case: Case) -> None:
    app = ExamLikeApp(fixed_case, ["gait"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("h", "d")
        await settle(pilot)
        assert screen.hints == [] and app.screen is screen
        assert not screen.check_action("hint", ())


async def test_focused_and_exhaustive_exams_get_different_examination_feedback(
        fixed_case: Case) -> None:
    answer = fixed_case.answer_key.canonical
    shown = {}
    for name, performed in (("focused", FOCUSED), ("everything", list(MANEUVERS))):
        app = VPatientApp(seed=1)
        async with app.run_test(size=(80, 24)) as pilot:
            result = grade(fixed_case, answer, performed=performed)
            await app.push_screen(FeedbackScreen(fixed_case, result, performed))
            await pilot.pause()
            shown[name] = (text_of(app.screen, "#examination-score"),
                           text_of(app.screen, "#economy"))
    focused_line, focused_details = shown["focused"]
    full_line, full_details = shown["everything"]
    assert "5 maneuvers" in focused_line and f"{len(MANEUVERS)} maneuvers" in full_line
    assert focused_line.split()[1] != full_line.split()[1]  # the examination percentages
    assert "Added nothing" in full_details
    assert "The fewest maneuvers that decide this patient" in focused_details


async def test_the_lab_shows_time_and_differences() -> None:
    app = VPatientApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LabScreen)
        # Site: spinal cord; the default details (C1 complete) are an upper cervical lesion.
        site = screen.query_one("#lesion-a-site")
        site.select("spinal_cord")
        await pilot.pause()
        screen.query_one("#lesion-a-detail").select({"level": "T8", "pattern": "complete"})
        await pilot.pause()
        await pilot.press(*["["] * len(TIME_STOPS))  # back to hours after onset
        await pilot.pause()
        early = dict(screen.query_one(BodyMap).findings)
        assert early["plantar.left"] == "mute"  # spinal shock
        assert "spinal shock" in text_of(screen, "#lab-phase")
        await pilot.press(*["]"] * len(TIME_STOPS))  # years later
        await pilot.pause()
        late = screen.query_one(BodyMap).findings
        assert late["plantar.left"] == "extensor" and late["tone.left.leg"] == "spastic"
        # Two lesions: only the findings that differ.
        site.select("root")
        await pilot.pause()
        screen.query_one("#lesion-a-detail").select({"level": "L5"})
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        first, second = screen.lesions()
        a, b = derive_findings((first,)), derive_findings((second,))
        assert first.site == "root" and second.site == "nerve"
        differing = [k for k in a if a[k] != b[k]]
        assert "power.left.ankle_inversion" in differing  # L5 root, not the peroneal nerve
        assert differences_table(a, b).row_count == len(differing)
        assert screen.query_one("#lab-tabs").active == "lab-findings"


async def test_the_differential_ranks_the_findings_entered() -> None:
    ulnar = derive_findings((parse_lesion({"site": "nerve", "name": "ulnar", "at": "elbow",
                                           "side": "left", "severity": "severe",
                                           "onset_days": 120}),))
    given = {k: ulnar[k] for k in ("power.left.finger_abduction", "numb_area.left",
                                   "tone.left.arm", "reflex.left.triceps")}
    app = VPatientApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(DifferentialScreen(given, 120))
        await settle(pilot)
        screen = app.screen
        assert screen.solution.best.label == "left ulnar nerve"
        ranking = text_of(screen, "#ranking")
        assert "left ulnar nerve" in ranking.splitlines()[1]
        # Clearing a finding by keys widens the differential.
        before = len(screen.solution.in_play_indices())
        entry = screen.query_one("#entry", OptionList)
        entry.highlighted = entry.get_option_index("numb_area.left")
        await pilot.press("delete")
        await settle(pilot)
        assert "numb_area.left" not in screen.findings
        assert len(screen.solution.in_play_indices()) > before
        # A power grade by its digit.
        entry.highlighted = entry.get_option_index("power.left.hip_flexion")
        await pilot.press("3")
        await settle(pilot)
        assert screen.findings["power.left.hip_flexion"] == 3


async def test_the_tools_are_reachable_from_home_help_and_the_palette() -> None:
    app = VPatientApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, DifferentialScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"lesion lab", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, LabScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Lesion lab" in app.screen.query_one("#help-text").source
        assert "Differential" in app.screen.query_one("#help-text").source


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24")])
def test_lab_snapshot(snap_compare, size) -> None:
    async def compare(pilot) -> None:
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()

    assert snap_compare(VPatientApp(seed=1, theme="textual-dark"), terminal_size=size,
                        run_before=compare)


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24")])
def test_differential_snapshot(snap_compare, size, fixed_case: Case) -> None:
    async def entered(pilot) -> None:
        seen = {k: fixed_case.all_findings[k] for k in ("plantar.right", "tone.right.arm",
                                                       "face.right.lower", "gait")}
        await pilot.app.push_screen(DifferentialScreen(seen, fixed_case.lesions[0].onset_days))
        await settle(pilot)

    assert snap_compare(VPatientApp(seed=1, theme="textual-dark"), terminal_size=size,
                        run_before=entered)
