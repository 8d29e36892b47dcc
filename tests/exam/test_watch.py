"""``vpatient exam watch``: the room view, driven with the pilot against a live exam folder (the
sessions' rows written as sessions write them, while the view runs) and against a copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from textual.widgets import DataTable

from tests.exam.conftest import make_exam
from vpatient.exam.config import load_exam
from vpatient.exam.store import ENDED_DROPPED, ENDED_UNKNOWN, Store
from vpatient.exam.watch import WatchApp
from vpatient.tui.screens.confirm import ConfirmScreen

HOST = os.uname().nodename


def table(app: WatchApp) -> dict[str, dict[str, str]]:
    grid = app.query_one(DataTable)
    names = [str(c.label) for c in grid.columns.values()]
    return {str(key.value): dict(zip(names, map(str, grid.get_row(key)), strict=True))
            for key in grid.rows}


async def test_the_room_follows_the_results_live(tmp_path: Path) -> None:
    root = tmp_path / "exam"
    make_exam(root, students=("alice", "bob", "carol", "dave"))
    exam = load_exam(root)
    store = Store(exam.results_path)
    now = time.time()
    # alice: connected (a live session process), on case 1
    session = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)",
                                "vpatient-session-stand-in"])
    alice = store.login("alice", pid=session.pid, host=HOST, now=now)
    store.begin("alice", now - 60)
    store.start_case("alice", 0, exam.cases[0].id)
    # bob: began, then his connection dropped
    bob = store.login("bob", pid=999_999_999, host=HOST, now=now - 100)
    store.begin("bob", now - 100)
    store.logout(bob, ENDED_DROPPED, now=now - 50)
    app = WatchApp(exam, refresh_seconds=0.1)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        rows = table(app)
        assert set(rows) == {"alice", "bob", "carol", "dave"}
        assert rows["alice"]["status"] == "connected" and rows["alice"]["case"] == "1 of 2"
        assert rows["alice"]["time left"] == "29 min"
        assert rows["bob"]["status"] == "dropped"
        assert rows["carol"]["status"] == "not started"
        summary = str(app.query_one("#room-summary").render())
        assert "4 students" in summary and "1 connected" in summary and "1 dropped" in summary
        # alice answers case 1 while the view runs: it follows.
        from tests.exam.standin import EncounterScreen

        store.record_maneuver("alice", 0, exam.cases[0].id, "face")
        store.record_answer("alice", 0, exam.cases[0].id, EncounterScreen.ANSWER,
                            {"score": 1.0, "parts": []})
        await pilot.pause(0.3)
        rows = table(app)
        assert rows["alice"]["answered"] == "1/2" and rows["alice"]["case"] == "2 of 2"
        assert rows["alice"]["maneuvers"] == "1" and rows["alice"]["score"] == "50%"
        store.record_answer("alice", 1, exam.cases[1].id, EncounterScreen.ANSWER,
                            {"score": 0.5, "parts": []})
        store.finish("alice")
        await pilot.pause(0.3)
        assert table(app)["alice"]["status"] == "finished, connected"  # on the end screen
        store.logout(alice, "finished")
        session.kill()
        session.wait()
        await pilot.pause(0.3)
        assert table(app)["alice"]["status"] == "finished"
    store.close()


async def test_on_a_copy_of_the_folder_nobody_is_connected(tmp_path: Path) -> None:
    root = tmp_path / "exam"
    make_exam(root)
    exam = load_exam(root)
    store = Store(exam.results_path)
    store.login("alice", pid=999_999_999, host=HOST)  # the server was killed: never closed
    store.begin("alice", time.time())
    store.close()
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    app = WatchApp(load_exam(copy), refresh_seconds=0.1)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert table(app)["alice"]["status"] == "offline"
        assert ENDED_UNKNOWN  # (closed as unknown at her next login)


async def test_the_instructor_starts_the_exam_from_the_room(tmp_path: Path) -> None:
    root = tmp_path / "exam"
    make_exam(root, start="instructor")
    exam = load_exam(root)
    Store(exam.results_path).close()
    app = WatchApp(exam, refresh_seconds=0.1)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert "s starts it" in str(app.query_one("#room-summary").render())
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.exam_started is not None
        await pilot.press("s")  # only once
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
    store = Store(exam.results_path)
    assert store.exam_started_at() == app.exam_started
    store.close()


async def test_no_results_yet(tmp_path: Path) -> None:
    root = tmp_path / "exam"
    make_exam(root)
    app = WatchApp(load_exam(root), refresh_seconds=0.1)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        assert "nobody has logged in" in str(app.query_one("#room-summary").render())
