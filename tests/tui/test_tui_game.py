"""The game played by keys through Textual's Pilot (issue 5, item 7)."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console
from textual.app import App
from textual.widgets import DataTable, OptionList, Select, Static

from vpatient.core.answer import Answer
from vpatient.core.case import Case
from vpatient.core.examination import REGIONS, maneuvers_in, revealed
from vpatient.core.lesion import SITE_LABELS
from vpatient.library import load_bundled
from vpatient.progress import ProgressStore
from vpatient.tui.app import VPatientApp
from vpatient.tui.display import finding_line
from vpatient.tui.screens.encounter import EncounterScreen
from vpatient.tui.screens.feedback import FeedbackScreen, as_plain, score_table
from vpatient.tui.screens.help import HelpScreen
from vpatient.tui.screens.home import HomeScreen
from vpatient.tui.screens.library import LibraryScreen
from vpatient.tui.screens.localize import LocalizeScreen
from vpatient.tui.screens.stats import StatsScreen
from vpatient.tui.screens.too_small import TooSmallScreen
from vpatient.tui.widgets.body_map import BodyMap, render_body_map
from vpatient.tui.widgets.findings_log import FindingsLog


def region_key(region: str) -> str:
    return str(REGIONS.index(region) + 1)


async def examine(pilot, region: str, position: int) -> str:
    """Jump to a region, move down to the maneuver at ``position`` and perform it."""
    await pilot.press(region_key(region), *(["down"] * position), "enter")
    return maneuvers_in(region)[position].id


async def answer_first_choices(pilot) -> None:
    """Localize with the first neuron, the first site (motor cortex: no level), the first side,
    and confirm: a complete answer by keys alone."""
    await pilot.press("l")
    await pilot.pause()
    assert isinstance(pilot.app.screen, LocalizeScreen)
    await pilot.press("enter", "enter", "enter")  # neuron, site, side; then the confirmation
    await pilot.pause()
    await pilot.press("y")
    await pilot.pause()


def plain(static: Static) -> str:
    """What a Static shows (a Rich table or text), as plain text."""
    console = Console(width=100, file=io.StringIO())
    with console.capture() as captured:
        console.print(static.content)
    return captured.get()


def body_map_text(screen: EncounterScreen) -> str:
    return render_body_map(screen.query_one(BodyMap).findings).plain


async def test_play_a_generated_patient_by_keys(data_dir: Path) -> None:
    app = VPatientApp(seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EncounterScreen)
        case: Case = screen.case

        # Nothing is shown before anything is examined.
        assert screen.query_one(FindingsLog).entries == ()
        assert screen.query_one(BodyMap).findings == {}

        performed = [
            await examine(pilot, "head", 0),          # face
            await examine(pilot, "left arm", 0),      # inspect
            await examine(pilot, "left arm", 1),      # tone
            await examine(pilot, "right leg", 0),     # inspect
        ]
        right_leg = [m.id for m in maneuvers_in("right leg")]
        performed.append(await examine(pilot, "right leg", right_leg.index("plantar.right")))
        performed.append(await examine(pilot, "right leg", right_leg.index("reflex.right.knee")))
        await examine(pilot, "head", 0)  # repeating a maneuver adds nothing
        await pilot.pause()
        assert screen.performed == performed

        findings = case.all_findings
        keys = revealed(performed)
        log = screen.query_one(FindingsLog)
        # The log shows exactly the revealed findings, in the order examined, and nothing else.
        assert [k for k, _ in log.entries] == keys
        assert log.lines == [finding_line(k, findings[k]) for k in keys]
        # So does the body map.
        body = screen.query_one(BodyMap).findings
        assert body == {k: findings[k] for k in keys}
        text = body_map_text(screen)
        assert f"knee {findings['reflex.right.knee']}" in text
        assert "toe ·" in text  # the left plantar was not examined
        assert "biceps ·" in text  # no reflex in the arms was examined

        await answer_first_choices(pilot)
        feedback = app.screen
        assert isinstance(feedback, FeedbackScreen)
        score = feedback.result.score
        table = as_plain(score_table(feedback.result), 78)
        assert table.startswith("Score") and f"{score * 100:.0f}%" in table
        assert feedback.sub_title == f"Score {score * 100:.0f}%"
        assert feedback.result.given == Answer(neuron="UMN", site="cortex", side="left")

        # The answer was stored (off the UI thread), with what was examined and the key.
        assert app.saver.wait_until_saved(10)
        with ProgressStore() as store:
            attempts = store.attempts()
        assert len(attempts) == 1
        assert attempts[0].case_id == case.id
        assert attempts[0].maneuvers == tuple(performed)
        assert attempts[0].site == case.answer_key.canonical.site
        assert abs(attempts[0].score - score) < 1e-9
        assert attempts[0].key() == case.answer_key

        await pilot.press("n")  # the next generated patient
        await pilot.pause()
        assert isinstance(app.screen, EncounterScreen)
        assert app.screen.case.id != case.id


async def test_library_filters_by_difficulty_and_tag(instructor_dir: Path) -> None:
    app = VPatientApp(cases_dir=instructor_dir, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        bundled = load_bundled().cases
        assert len(screen.shown) == len(bundled) + 1  # the instructor's good case joins them

        # By keys: focus the difficulty filter, open it, pick "advanced".
        await pilot.press("d", "enter", "down", "down", "down", "enter")
        await pilot.pause()
        assert screen.query_one("#difficulty-filter", Select).value == "advanced"
        assert screen.shown and all(c.difficulty == "advanced" for c in screen.shown)
        assert "my-own-case" in [c.id for c in screen.shown]
        assert screen.query_one("#cases", DataTable).row_count == len(screen.shown)

        screen.query_one("#tag-filter", Select).value = "pitfall"
        await pilot.pause()
        expected = {c.id for c in bundled if c.difficulty == "advanced" and "pitfall" in c.tags}
        assert {c.id for c in screen.shown} == expected

        await pilot.press("c")  # clear filters
        await pilot.pause()
        assert len(screen.shown) == len(bundled) + 1

        # Play the instructor's case: its history's markup shows literally.
        table = screen.query_one("#cases", DataTable)
        table.focus()
        table.move_cursor(row=[c.id for c in screen.shown].index("my-own-case"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EncounterScreen)
        card = app.screen.query_one("#patient-card", Static)
        assert "[bold]Not bold[/bold]." in str(card.render())


async def test_broken_instructor_case_is_listed_with_its_error(instructor_dir: Path) -> None:
    app = VPatientApp(cases_dir=instructor_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        problems = str(screen.query_one("#problem-lines", Static).render())
        broken = str(instructor_dir / "broken.toml")
        assert f"{broken}:5: patient.age:" in problems
        assert f"{broken}:11: lesions[0].site:" in problems
        assert "1 file could not be loaded" in screen.query_one("#problems").border_title


async def test_stats_after_two_answers() -> None:
    app = VPatientApp(seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(2):
            await pilot.press("p")
            await pilot.pause()
            await examine(pilot, "left leg", 0)
            await answer_first_choices(pilot)
            assert isinstance(app.screen, FeedbackScreen)
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "2 patients answered" in str(app.screen.query_one("#progress-line",
                                                                 Static).render())
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert screen.summary.attempts == 2
        assert "2 answers" in str(screen.query_one("#overview", Static).render())
        by_site = plain(screen.query_one("#by-site", Static))
        assert len(screen.summary.by_site) >= 1
        assert all(SITE_LABELS[t.topic] in by_site for t in screen.summary.by_site)
        # Weakest first.
        means = [t.mean for t in screen.summary.by_site]
        assert means == sorted(means)


async def test_progress_survives_a_restart() -> None:
    async with VPatientApp(seed=5).run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        await answer_first_choices(pilot)
    app = VPatientApp(seed=6)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "1 patient answered" in str(app.screen.query_one("#progress-line",
                                                                Static).render())


async def test_tiny_terminal_asks_to_enlarge() -> None:
    app = VPatientApp()
    async with app.run_test(size=(70, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        message = str(app.screen.query_one("#too-small-message", Static).render())
        assert "Please enlarge your terminal to at least 80×24 (now 70×20)" in message
        await pilot.press("p", "l", "s", "enter", "escape", "ctrl+p", "tab")  # all ignored
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.1)
        assert isinstance(app.screen, HomeScreen)
        await pilot.resize_terminal(79, 24)
        await pilot.pause(0.1)
        assert isinstance(app.screen, TooSmallScreen)


async def test_command_palette_opens_the_library() -> None:
    app = VPatientApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"case library")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, LibraryScreen)


async def test_ansi_theme_is_available() -> None:
    app = VPatientApp(theme="textual-ansi")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-ansi"
        assert app.current_theme.ansi


async def test_help_screen_explains_scoring() -> None:
    app = VPatientApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


# Every key bound somewhere in the game, a few unbound ones, and navigation.
KEYS = [*"bcdflnpstwxz16?", "enter", "escape", "tab", "shift+tab", "up", "down", "left",
        "end", "space", "f1"]


async def test_no_traceback_on_any_key(fixed_case: Case) -> None:
    """Every key on every screen: the app keeps running (a traceback would end run_test)."""
    app = VPatientApp(seed=11)
    async with app.run_test(size=(80, 24)) as pilot:
        for opener in ("p", "l", "s", "question_mark"):
            app.action_home()
            await pilot.pause()
            await pilot.press(opener)
            await pilot.pause()
            for key in KEYS:
                if key == "q" and isinstance(app.screen, HomeScreen):
                    continue  # q quits from home, by design
                await pilot.press(key)
            await pilot.pause()
            assert app.is_running
        # Feedback and localize too.
        app.action_home()
        await pilot.pause()
        app.push_screen(EncounterScreen(fixed_case, ["tone.right.arm"]))
        app._current = (fixed_case, "library")
        await pilot.pause()
        await answer_first_choices(pilot)
        assert isinstance(app.screen, FeedbackScreen)
        for key in KEYS:
            if key in ("n", "escape"):
                continue
            await pilot.press(key)
        assert app.is_running


class ExamLikeApp(App[None]):
    """What the SSH exam does: its own App pushing the encounter, handling its messages."""

    def __init__(self, case: Case, performed: list[str]) -> None:
        super().__init__()
        self.case, self.performed = case, performed
        self.messages: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(EncounterScreen(self.case, self.performed, show_answer_feedback=False,
                                         header_note="Exam: case 1 of 3", allow_leave=False))

    def on_encounter_screen_maneuver_performed(
            self, message: EncounterScreen.ManeuverPerformed) -> None:
        self.messages.append(message)

    def on_encounter_screen_answer_submitted(
            self, message: EncounterScreen.AnswerSubmitted) -> None:
        self.messages.append(message)


async def test_encounter_contract_for_the_exam(fixed_case: Case) -> None:
    restored = ["face", "tone.right.arm", "bogus", "face"]
    app = ExamLikeApp(fixed_case, restored)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EncounterScreen)
        assert screen.performed == ["face", "tone.right.arm"]  # resumed; unknown/repeats dropped
        assert [k for k, _ in screen.query_one(FindingsLog).entries] == \
            revealed(["face", "tone.right.arm"])
        assert screen.sub_title == "Exam: case 1 of 3"
        menu = screen.query_one("#maneuvers", OptionList)
        assert menu.get_option("face").prompt is not None

        await examine(pilot, "right leg", 0)
        await pilot.press("escape")  # an exam cannot be left
        await pilot.pause()
        assert app.screen is screen
        await answer_first_choices(pilot)
        performed_messages = [m for m in app.messages
                              if isinstance(m, EncounterScreen.ManeuverPerformed)]
        assert [(m.case_id, m.maneuver_id) for m in performed_messages] == \
            [(fixed_case.id, "inspect.right.leg")]
        submitted = [m for m in app.messages if isinstance(m, EncounterScreen.AnswerSubmitted)]
        assert len(submitted) == 1
        assert submitted[0].case_id == fixed_case.id
        assert submitted[0].answer == Answer(neuron="UMN", site="cortex", side="left")
        assert submitted[0].performed == ["face", "tone.right.arm", "inspect.right.leg"]
        # The encounter does not grade or move on: the exam app decides.
        assert app.screen is screen


async def test_keys_typed_after_quit_open_nothing() -> None:
    app = VPatientApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.exit()
        assert not app.check_action("stats", ())
        assert not app.check_action("practice", ())
