"""The exam app's rules, driven with Textual's pilot and stand-in game screens (the contract in
``vpatient.exam.contract``), and a few with the game's real screens."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.exam import standin
from tests.exam.conftest import make_exam
from vpatient.exam.app import ExamApp, SharedCssParseCache
from vpatient.exam.config import load_exam
from vpatient.exam.screens import AnswerScreen, SummaryScreen, WelcomeScreen
from vpatient.exam.store import Store
from vpatient.tui.screens.confirm import ConfirmScreen
from vpatient.tui.screens.too_small import TooSmallScreen


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def app_for(root: Path, student: str = "alice", clock: Clock | None = None,
            **kwargs) -> ExamApp:
    kwargs.setdefault("screens", standin.SCREENS)
    return ExamApp(load_exam(root), student, clock=clock or Clock(), **kwargs)


def rows(root: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(root / "results.sqlite") as db:
        return db.execute(sql).fetchall()


async def begin(pilot) -> None:
    await pilot.pause()
    assert isinstance(pilot.app.screen, WelcomeScreen)
    await pilot.press("enter")
    await pilot.pause()


async def test_welcome_then_begin_starts_the_clock(exam_dir: Path) -> None:
    clock = Clock()
    app = app_for(exam_dir, clock=clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WelcomeScreen)
        rules = "\n".join(screen.rules)
        assert "2 cases" in rules and "30 minutes" in rules and "press Enter" in rules
        assert "log in again" in rules and "Ctrl+Q" in rules
        assert rows(exam_dir, "SELECT count(*) FROM students") == [(0,)]  # no clock yet
        clock.now += 300  # reading the rules costs no exam time
        await pilot.click("#welcome-keys", offset=(8, 0))  # "Begin", for the mouse
        await pilot.pause()
        assert isinstance(app.screen, standin.EncounterScreen)
        assert rows(exam_dir, "SELECT started_at FROM students") == [(clock.now,)]
        assert app.screen.sub_title.startswith("Case 1 of 2 · 30 min left")
        assert app.screen.case.title == "Case 1 of 2" and app.screen.case.id == "exam-case-1"
    # The session's end is recorded with how it ended.
    assert rows(exam_dir, "SELECT ended_at IS NOT NULL, end_reason FROM sessions") == [
        (1, "left")]


async def test_maneuvers_and_answers_are_committed_at_once(exam_dir: Path) -> None:
    app = app_for(exam_dir)
    async with app.run_test() as pilot:
        await begin(pilot)
        await pilot.press("m", "m")
        await pilot.pause()
        # Committed while the app is still running, seen from another connection.
        assert rows(exam_dir, "SELECT case_id, maneuver FROM maneuvers") == [
            ("capsular-stroke-chronic", "face"), ("capsular-stroke-chronic", "eyes")]
        await pilot.press("a")
        await pilot.pause()
        assert rows(exam_dir, "SELECT case_index, site FROM answers") == [(0, "internal_capsule")]
        assert isinstance(app.screen, standin.EncounterScreen)
        assert app.screen.case.title == "Case 2 of 2"
        assert "Case 2 of 2" in app.screen.sub_title and "left" in app.screen.sub_title
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = "\n".join(app.screen.lines)
        assert "You have finished the exam." in text and "You answered 2 of 2 cases" in text


async def test_reconnecting_resumes_at_the_same_case_with_the_same_log(exam_dir: Path) -> None:
    clock = Clock()
    app = app_for(exam_dir, clock=clock)
    async with app.run_test() as pilot:
        await begin(pilot)
        await pilot.press("m", "a", "m", "m")
        await pilot.pause()
    clock.now += 120
    again = app_for(exam_dir, clock=clock)
    async with again.run_test() as pilot:
        await pilot.pause()
        screen = again.screen  # no welcome the second time: straight back to the case
        assert isinstance(screen, standin.EncounterScreen)
        assert screen.case.title == "Case 2 of 2"
        assert screen.performed == ["face", "eyes"]
        assert "28 min left" in screen.sub_title  # the clock kept running from "begin"


async def test_no_way_back_to_an_answered_case(exam_dir: Path) -> None:
    app = app_for(exam_dir)
    async with app.run_test() as pilot:
        await begin(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, standin.EncounterScreen)
        assert app.screen.case.title == "Case 2 of 2"
        # A stale or repeated submission for case 1 changes nothing, nor a late maneuver.
        assert app._submit(0, standin.EncounterScreen.ANSWER) is False
        assert app._record(0, "face") is False
        await pilot.pause()
        assert app.screen.case.title == "Case 2 of 2"
    assert rows(exam_dir, "SELECT count(*) FROM answers") == [(1,)]
    assert rows(exam_dir, "SELECT count(*) FROM maneuvers") == [(0,)]


async def test_time_up_ends_the_exam_refuses_late_answers_and_shows_every_answer(
        exam_dir: Path) -> None:
    clock = Clock()
    app = app_for(exam_dir, clock=clock)
    async with app.run_test() as pilot:
        await begin(pilot)
        await pilot.press("m")
        clock.now += 31 * 60
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert rows(exam_dir, "SELECT count(*) FROM answers") == [(0,)]
        text = "\n".join(app.screen.lines)
        assert "Time is up" in text and "You answered 0 of 2 cases" in text
        # feedback = "end": every case can be reviewed, answered or not.
        assert [i for _, i in app.screen.options] == [0, 1]
        app.review(1)
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    # Logging in again after time is up goes straight to the end screen.
    again = app_for(exam_dir, clock=clock)
    async with again.run_test() as pilot:
        await pilot.pause()
        assert isinstance(again.screen, SummaryScreen)
        assert "Time is up" in "\n".join(again.screen.lines)


@pytest.mark.parametrize("feedback", ["end", "never", "immediate"])
async def test_feedback_follows_exam_toml(tmp_path: Path, feedback: str) -> None:
    root = tmp_path / "exam"
    make_exam(root, feedback=feedback)
    app = app_for(root)
    async with app.run_test() as pilot:
        await begin(pilot)
        await pilot.press("a")
        await pilot.pause()
        if feedback == "immediate":
            assert isinstance(app.screen, standin.FeedbackScreen)
            assert app.screen.review is False
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, standin.EncounterScreen)
        await pilot.press("a")
        await pilot.pause()
        if feedback == "immediate":
            await pilot.press("enter")
            await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        text = "\n".join(summary.lines)
        assert ("Your score:" in text) == (feedback != "never")
        assert bool(summary.options) == (feedback != "never")
        app.review(0)
        await pilot.pause()
        if feedback == "never":
            assert app.screen is summary
        else:
            assert isinstance(app.screen, standin.FeedbackScreen) and app.screen.review
            # After the answer: what finds the case in the library still does not show.
            assert app.screen.case.title == "Case 1 of 2" and app.screen.case.id == "exam-case-1"


async def test_the_instructor_starts_the_exam_for_everyone(tmp_path: Path) -> None:
    root = tmp_path / "exam"
    make_exam(root, start="instructor")
    clock = Clock()
    app = app_for(root, clock=clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WelcomeScreen)
        assert "instructor will start" in screen.status
        await pilot.press("enter")  # nothing happens before the start
        await pilot.pause()
        assert app.screen is screen
        store = Store(root / "results.sqlite")
        store.start_exam(clock.now - 120)  # `vpatient exam start`, two minutes ago
        store.close()
        clock.now += app.START_POLL_SECONDS
        app.tick()
        await pilot.pause()
        assert "The exam has started: 28 min left" in screen.status
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, standin.EncounterScreen)
        assert "28 min left" in app.screen.sub_title  # everyone's clock runs from the start


async def test_leaving_asks_first_and_records_the_end(exam_dir: Path) -> None:
    app = app_for(exam_dir)
    async with app.run_test() as pilot:
        await begin(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "clock keeps running" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, standin.EncounterScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
    assert rows(exam_dir, "SELECT end_reason FROM sessions") == [("left",)]
    assert rows(exam_dir, "SELECT finished_at FROM students") == [(None,)]


async def test_a_small_terminal_asks_to_be_enlarged(exam_dir: Path) -> None:
    app = app_for(exam_dir)
    async with app.run_test(size=(70, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.press("enter")  # nothing but leaving works while too small
        await pilot.pause()
        assert rows(exam_dir, "SELECT count(*) FROM students") == [(0,)]
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)


async def test_a_full_disk_loses_nothing_and_the_step_can_be_redone(exam_dir: Path) -> None:
    app = app_for(exam_dir)
    async with app.run_test() as pilot:
        await begin(pilot)
        assert app.store is not None
        pages = app.store.db.execute("PRAGMA page_count").fetchone()[0]
        app.store.db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full
        for _ in range(5000):  # fill the last free pages of the maneuvers
            if not app._record(0, "face"):
                break
        else:
            pytest.fail("the results file never filled up")
        for i in range(5000):  # and of the answers (other students': this one's is bigger)
            try:
                app.store.db.execute(
                    "INSERT INTO answers VALUES (?, 0, 'x', 'UMN', 'cortex', 'left', NULL, 0, "
                    "'{}', 0)", (f"filler{i}",))
            except sqlite3.OperationalError:
                break
        saved = rows(exam_dir, "SELECT count(*) FROM maneuvers")[0][0]
        before = list(app.screen.performed)
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.performed == before  # nothing revealed: it was not saved
        assert any("not saved" in n.message and "disk is full" in n.message
                   for n in app._notifications)
        logs = list((exam_dir / "logs").glob("crash-alice-*.log"))
        assert logs and "full" in logs[0].read_text()
        await pilot.press("a")  # the answer fails the same way and the case stays
        await pilot.pause()
        assert isinstance(app.screen, standin.EncounterScreen)
        app.store.db.execute("PRAGMA max_page_count = 1000000")  # space again
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.performed == [*before, "face"]  # the same step, redone
        await pilot.press("a")
        await pilot.pause()
    assert rows(exam_dir, "SELECT count(*) FROM maneuvers")[0][0] == saved + 1
    assert rows(exam_dir, "SELECT case_index FROM answers WHERE student = 'alice'") == [(0,)]


async def test_served_sessions_do_not_blink_or_take_screenshots(exam_dir: Path) -> None:
    app = app_for(exam_dir, served=True)
    async with app.run_test() as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles and "Quit" not in titles and "Leave" in titles
        field = Input()
        await app.screen.mount(field)
        field.focus()
        await pilot.pause()
        assert field.cursor_blink is False
    local = app_for(exam_dir, "bob")
    async with local.run_test():
        assert "Screenshot" in [c.title for c in local.get_system_commands(local.screen)]


async def test_a_crash_is_logged_not_shown(exam_dir: Path) -> None:
    class Broken(standin.EncounterScreen):
        def action_examine(self) -> None:
            raise RuntimeError("boom in the encounter")

    screens = standin.SCREENS.__class__(encounter=Broken, feedback=standin.FeedbackScreen,
                                        stylesheets=standin.SCREENS.stylesheets)
    app = app_for(exam_dir, screens=screens, served=False)
    async with app.run_test() as pilot:
        await begin(pilot)
        # Not pilot.press: it waits for the broken screen to take more messages.
        app.simulate_key("m")
        for _ in range(100):
            if app.return_code:
                break
            await asyncio.sleep(0.05)
    assert app.return_code == 1
    logs = list((exam_dir / "logs").glob("crash-alice-*.log"))
    assert logs and "boom in the encounter" in logs[0].read_text()
    assert all("boom" not in str(r) for r in app._exit_renderables)
    assert rows(exam_dir, "SELECT end_reason FROM sessions") == [("crashed",)]


async def test_css_parsed_once_per_process_is_shared(exam_dir: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The private-attribute speed-up (SharedCssParseCache) is in place and used: a second app
    parses no CSS. If a Textual upgrade moves the attribute, this fails rather than the exam
    silently getting slower."""
    import textual.css.stylesheet as stylesheet_module

    first = app_for(exam_dir)
    async with first.run_test() as pilot:
        await begin(pilot)
    calls = []
    real = stylesheet_module.parse
    monkeypatch.setattr(stylesheet_module, "parse", lambda *a, **k: calls.append(1) or real(
        *a, **k))
    second = app_for(exam_dir, "bob")
    assert isinstance(second.stylesheet._parse_cache, SharedCssParseCache)
    async with second.run_test() as pilot:
        await begin(pilot)
    assert calls == []


async def test_real_game_screens_keep_the_exam_keys(exam_dir: Path) -> None:
    """With the game's encounter: no Leave key (Escape does nothing), the clock in the header;
    the review's feedback offers 'Back to your results', not the game's 'Next patient'."""
    from vpatient.exam.contract import game_screens

    app = app_for(exam_dir, screens=game_screens())
    async with app.run_test(size=(100, 30)) as pilot:
        await begin(pilot)
        encounter = app.screen
        shown = {key: b.binding.description for key, b in encounter.active_bindings.items()
                 if b.binding.show and b.enabled}
        assert "escape" not in shown and shown["l"] == "Localize"
        assert shown["ctrl+q"] == "Leave"  # the one way out, the same on every screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is encounter
        assert "Case 1 of 2" in encounter.sub_title and "left" in encounter.sub_title
        assert encounter.case.title == "Case 1 of 2"
        app._submit(0, standin.EncounterScreen.ANSWER)
        await pilot.pause()
        app._submit(1, standin.EncounterScreen.ANSWER)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")  # the first case is highlighted: Enter reviews it
        await pilot.pause()
        descriptions = {b.binding.description for b in app.screen.active_bindings.values()
                        if b.binding.show and b.enabled}
        assert "Back to your results" in descriptions
        assert not descriptions & {"Next patient", "Next case"}
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)


def test_store_state_and_results(exam_dir: Path) -> None:
    from vpatient.exam import report

    exam = load_exam(exam_dir)
    store = Store(exam.results_path)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.login("alice")
    store.begin("alice", 1000.0)
    store.start_case("alice", 0, exam.cases[0].id)
    store.record_maneuver("alice", 0, exam.cases[0].id, "plantar.right")
    found, _ = report.collect(exam, store, ["alice", "bob"], now=1001.0)
    assert [r.status for r in found] == ["in progress", "not reached", "not started",
                                         "not started"]
    assert found[0].maneuvers == ["plantar.right"]
    store.finish("alice")
    assert report.collect(exam, store, ["alice"], now=1002.0)[0][0].status == "not answered"
    store.close()


def test_the_clock_shows_minutes_then_seconds() -> None:
    from vpatient.exam.clock import format_remaining

    assert format_remaining(30 * 60) == "30 min"
    assert format_remaining(29 * 60 + 1) == "30 min"  # never less time than is left
    assert format_remaining(119) == "1:59"
    assert format_remaining(-5) == "0:00"
