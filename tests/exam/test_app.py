"""The exam app's rules, driven with Textual's pilot and stand-in game screens."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.exam import standin
from tests.exam.conftest import make_exam
from vpatient.exam.app import ExamApp, SummaryScreen
from vpatient.exam.config import load_exam
from vpatient.exam.store import Store


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def app_for(root: Path, student: str = "alice", clock: Clock | None = None,
            **kwargs) -> ExamApp:
    return ExamApp(load_exam(root), student, clock=clock or Clock(),
                   encounter_factory=standin.EncounterScreen,
                   feedback_factory=standin.FeedbackScreen, **kwargs)


def rows(root: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(root / "results.sqlite") as db:
        return db.execute(sql).fetchall()


async def test_maneuvers_and_answers_are_committed_at_once(exam_dir: Path) -> None:
    app = app_for(exam_dir)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, standin.EncounterScreen)
        assert app.screen.case.id == "exam-case-1"  # redacted: the id names the diagnosis
        await pilot.press("m", "m")
        await pilot.pause()
        # Committed while the app is still running, seen from another connection.
        assert rows(exam_dir, "SELECT case_id, maneuver FROM maneuvers") == [
            ("capsular-stroke-chronic", "face"), ("capsular-stroke-chronic", "eyes")]
        await pilot.press("a")
        await pilot.pause()
        assert rows(exam_dir, "SELECT case_index, site FROM answers") == [(0, "internal_capsule")]
        assert isinstance(app.screen, standin.EncounterScreen)
        assert app.screen.header_note.startswith("Case 2 of 2 · ")
        assert "case 2 of 2" in app.sub_title and "left" in app.sub_title
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "answered 2 of 2" in "\n".join(app.screen.lines)


async def test_reconnecting_resumes_at_the_same_case_with_the_same_log(exam_dir: Path) -> None:
    clock = Clock()
    app = app_for(exam_dir, clock=clock)
    async with app.run_test() as pilot:
        await pilot.press("m", "a", "m", "m")
        await pilot.pause()
    clock.now += 120
    again = app_for(exam_dir, clock=clock)
    async with again.run_test() as pilot:
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, standin.EncounterScreen)
        assert screen.header_note.startswith("Case 2 of 2 · ")
        assert screen.performed == ["face", "eyes"]
        assert "28 min left" in screen.header_note  # the clock kept running from the first login


async def test_no_way_back_to_an_answered_case(exam_dir: Path) -> None:
    app = app_for(exam_dir)
    async with app.run_test() as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("escape")  # the screen closes itself: the exam puts case 2 back
        await pilot.pause()
        assert isinstance(app.screen, standin.EncounterScreen)
        assert app.screen.header_note.startswith("Case 2 of 2 · ")
        # A stale or repeated submission for case 1 changes nothing.
        app.post_message(standin.EncounterScreen.AnswerSubmitted(
            "exam-case-1", standin.EncounterScreen.ANSWER, []))
        await pilot.pause()
    assert rows(exam_dir, "SELECT count(*) FROM answers") == [(1,)]


async def test_time_up_ends_the_exam_and_refuses_late_answers(exam_dir: Path) -> None:
    clock = Clock()
    app = app_for(exam_dir, clock=clock)
    async with app.run_test() as pilot:
        await pilot.press("m")
        clock.now += 31 * 60
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert rows(exam_dir, "SELECT count(*) FROM answers") == [(0,)]
        assert "Time is up" in "\n".join(app.screen.lines)
    # Logging in again after time is up goes straight to the summary.
    again = app_for(exam_dir, clock=clock)
    async with again.run_test() as pilot:
        await pilot.pause()
        assert isinstance(again.screen, SummaryScreen)


@pytest.mark.parametrize("feedback", ["end", "never", "immediate"])
async def test_feedback_follows_exam_toml(tmp_path: Path, feedback: str) -> None:
    root = tmp_path / "exam"
    make_exam(root, feedback=feedback)
    app = app_for(root)
    async with app.run_test() as pilot:
        await pilot.press("a")
        await pilot.pause()
        if feedback == "immediate":
            assert isinstance(app.screen, standin.FeedbackScreen)
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
        assert ("Score:" in text) == (feedback != "never")
        assert bool(summary.options) == (feedback != "never")
        if feedback != "never":
            app.show_feedback(0)
            await pilot.pause()
            assert isinstance(app.screen, standin.FeedbackScreen)
            assert app.screen.case.id == "capsular-stroke-chronic"


async def test_served_sessions_do_not_blink_or_take_screenshots(exam_dir: Path) -> None:
    app = app_for(exam_dir, served=True)
    async with app.run_test() as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles and "Quit" in titles
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

    app = ExamApp(load_exam(exam_dir), "alice", encounter_factory=Broken,
                  feedback_factory=standin.FeedbackScreen, served=True)
    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            await pilot.press("m")
            await pilot.pause()
    logs = list((exam_dir / "logs").glob("crash-alice-*.log"))
    assert logs and "boom in the encounter" in logs[0].read_text()
    assert all("boom" not in str(r) for r in app._exit_renderables)


def test_store_state_and_results(exam_dir: Path) -> None:
    exam = load_exam(exam_dir)
    store = Store(exam.results_path)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.login("alice")
    store.start_case("alice", 0, exam.cases[0].id)
    store.record_maneuver("alice", 0, exam.cases[0].id, "plantar.right")
    rows_ = store.result_rows(exam.cases, ["alice", "bob"])
    assert [r["status"] for r in rows_] == ["in progress", "not reached", "not started",
                                             "not started"]
    assert rows_[0]["maneuvers"] == "plantar.right"
    store.finish("alice")
    assert store.result_rows(exam.cases, ["alice"])[0]["status"] == "not answered"
    store.close()


def test_the_clock_shows_minutes_then_seconds() -> None:
    from vpatient.exam.app import format_remaining

    assert format_remaining(30 * 60) == "30 min"
    assert format_remaining(29 * 60 + 1) == "30 min"  # never less time than is left
    assert format_remaining(119) == "1:59"
    assert format_remaining(-5) == "0:00"
