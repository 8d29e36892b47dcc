"""The feedback screen tells the truth about the answer given, and links its notes (issue 11)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Markdown, OptionList, Static

from vpatient.core.answer import Answer
from vpatient.core.examination import MANEUVERS
from vpatient.core.grading import grade
from vpatient.library import load_bundled
from vpatient.tui.app import VPatientApp
from vpatient.tui.commands import COMMANDS
from vpatient.tui.screens.feedback import (
    NO_MISSED,
    FeedbackScreen,
    as_plain,
    missed_heading,
    score_table,
)
from vpatient.tui.screens.help import HelpScreen
from vpatient.tui.screens.notes import NotesScreen

LIBRARY = load_bundled()
S1_EXAM = ["power.right.ankle_dorsiflexion", "power.right.great_toe_extension",
           "reflex.right.ankle"]
L5_FOR_S1 = Answer(neuron="LMN", site="root", side="right", level="L5")


def s1_feedback() -> FeedbackScreen:
    case = LIBRARY.by_id("radiculopathy-s1")
    return FeedbackScreen(case, grade(case, L5_FOR_S1, S1_EXAM), S1_EXAM)


async def test_feedback_for_a_wrong_answer_explains_the_wrong_answer(notes: Path) -> None:
    app = VPatientApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(s1_feedback())
        await pilot.pause()
        screen = app.screen
        table = as_plain(score_table(screen.result), 78)
        assert "Root   L5" in table and "0% wrong" in table
        level = str(screen.query_one("#reason-level", Static).render())
        assert "Why not L5: you found" in level and "ankle dorsiflexion 5/5" in level
        assert "Power: ankle plantarflexion" in level  # the test that would have decided it

        # 'o' opens the notes this feedback links, first in the list.
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        linked = list(screen.result.notes)
        menu = app.screen.query_one("#note-list", OptionList)
        assert [menu.get_option_at_index(i).id for i in range(len(linked))] == linked
        assert app.screen.shown == linked[0]
        await pilot.press("down")
        await pilot.pause()
        assert app.screen.shown == linked[1]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_a_reasons_note_link_opens_that_note(notes: Path) -> None:
    app = VPatientApp(seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.push_screen(s1_feedback())
        await pilot.pause()
        links = app.screen.query(".note-links").first(Static)
        first = app.screen.result.parts[0].notes[0]
        await pilot.click(links, offset=(8, 0))  # on the first title, after "Read: "
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen) and app.screen.shown == first
        text = app.screen.query_one("#note-text", Markdown).source
        assert text.startswith(f"# Note on {first}")


async def test_notes_open_from_help_and_from_the_command_palette(notes: Path) -> None:
    assert any(action == "notes" for _, action, _ in COMMANDS)
    app = VPatientApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        await app.run_action("notes")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        assert app.screen.shown == "umn-vs-lmn"  # the first topic in reading order


def test_the_answer_column_keeps_long_values_whole_at_80_columns() -> None:
    case = LIBRARY.by_id("als-limb-onset")
    result = grade(case, Answer(neuron="mixed", site="motor_neuron_disease", side="left"))
    table = as_plain(score_table(result), 78)
    assert "motor neuron disease (ALS)" in table


def test_the_level_row_is_named_for_what_the_site_has() -> None:
    case = LIBRARY.by_id("common-peroneal-nerve")
    truth = case.answer_key.canonical
    table = as_plain(score_table(grade(case, truth)), 78)
    assert "Nerve" in table and "Level" not in table
    assert "Nerve  common peroneal (fibular)" in table and "common_peroneal" not in table


def test_the_missed_heading_fits_what_is_under_it() -> None:
    case = LIBRARY.by_id("capsular-stroke-chronic")
    truth = case.answer_key.canonical
    everything = grade(case, truth, list(MANEUVERS))
    assert everything.missed_maneuvers == () and missed_heading(everything) == "Examination"
    some = grade(case, truth, ["power.right.hip_flexion"])
    assert some.missed_maneuvers and missed_heading(some).startswith("Not examined")
    assert NO_MISSED.startswith("You performed every maneuver")


def test_no_text_a_student_sees_cites_the_reference_or_its_pitfalls() -> None:
    for case in LIBRARY.cases:
        truth = case.answer_key.canonical
        for given in (truth, L5_FOR_S1, Answer(neuron="UMN", site="pons", side="left")):
            result = grade(case, given, ["plantar.left", "reflex.right.knee"])
            texts = [p.sentence for p in result.parts] + list(result.teaching) + \
                [m.label for m in result.missed_maneuvers]
            for text in texts:
                assert "ref §" not in text and "pitfall" not in text.lower(), (case.id, text)
