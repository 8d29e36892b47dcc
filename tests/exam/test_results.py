"""``vpatient exam results`` and the exam folder: totals and item statistics on a fixture with
known values, the three output forms, a damaged results file, exam.toml problems all at once,
the exam's secret and the folder's privacy."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.exam.conftest import make_exam
from vpatient.core.answer import Answer
from vpatient.exam import report
from vpatient.exam.config import (
    ExamError,
    exam_patient_seed,
    init_exam,
    load_exam,
    read_secret,
)
from vpatient.exam.privacy import check_folder
from vpatient.exam.store import Store

THREE_CASES = """\
title = "Item analysis"
time_limit_minutes = 30
[cases]
include = ["capsular-stroke-chronic", "carpal-tunnel", "radiculopathy-c6"]
"""
# Scores per student and case, and the answers that earned them (the wrong ones are what the
# statistics list as the most common wrong answers).
SCORES = {"s1": [1.0, 1.0, 1.0], "s2": [1.0, 0.5, 0.0], "s3": [0.0, 1.0, 0.0],
          "s4": [1.0, 0.0, 0.0]}
WRONG = Answer(neuron="UMN", site="cortex", side="left")


def vpatient(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vpatient", *args], capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def graded(tmp_path: Path) -> Path:
    root = tmp_path / "exam"
    init_exam(root)
    (root / "exam.toml").write_text(THREE_CASES)
    exam = load_exam(root)
    store = Store(exam.results_path)
    for student, scores in SCORES.items():
        store.login(student)
        store.begin(student, 1000.0)
        for index, score in enumerate(scores):
            case = exam.cases[index]
            answer = case.answer_key.canonical if score >= 1 else WRONG
            parts = [{"part": "neuron", "score": score}, {"part": "site", "score": score},
                     {"part": "side", "score": 1.0}]
            store.record_answer(student, index, case.id, answer, {"score": score, "parts": parts})
        store.finish(student, 2000.0)
    store.close()
    return root


def test_item_statistics_match_values_worked_by_hand(graded: Path) -> None:
    exam = load_exam(graded)
    store = Store(exam.results_path, readonly=True)
    rows, statuses = report.collect(exam, store, sorted(SCORES))
    store.close()
    items = report.item_statistics(rows, statuses, exam.cases)
    # Case 1: scores 1,1,0,1 against the rest 2,.5,1,0: r = -0.125 / sqrt(.75 * 2.1875).
    assert items[0].mean_score == pytest.approx(0.75)
    assert items[0].difficulty == pytest.approx(0.75)
    assert items[0].discrimination == pytest.approx(-0.0976, abs=1e-4)
    # Case 2: 1,.5,1,0 against 2,1,0,1: no relation at all.
    assert items[1].mean_score == pytest.approx(0.625)
    assert items[1].difficulty == pytest.approx(0.5)
    assert items[1].discrimination == pytest.approx(0.0, abs=1e-9)
    # Case 3: only the strongest student got it: r = .625 / sqrt(.75 * .6875).
    assert items[2].difficulty == pytest.approx(0.25)
    assert items[2].discrimination == pytest.approx(0.8704, abs=1e-4)
    assert items[2].wrong_answers == [{"answer": {"neuron": "UMN", "site": "cortex",
                                                  "level": None, "side": "left"}, "count": 3}]
    summaries = {s.student: s for s in report.student_summaries(rows, statuses, exam.cases)}
    assert summaries["s2"].score == pytest.approx(0.5)
    assert summaries["s2"].parts["neuron"] == pytest.approx(0.5)
    assert summaries["s2"].parts["side"] == pytest.approx(1.0)
    assert summaries["s1"].status == "finished" and summaries["s1"].answered == 3


def test_results_as_table_csv_and_json(graded: Path) -> None:
    table = vpatient("exam", "results", str(graded))
    assert table.returncode == 0, table.stderr
    assert "s1" in table.stdout and "100%" in table.stdout and "discrim" in table.stdout
    assert "Stiff right side three" in table.stdout  # readable titles, for the instructor
    csv = vpatient("exam", "results", str(graded), "--csv").stdout.splitlines()
    assert csv[0] == ",".join(report.CSV_COLUMNS) and len(csv) == 1 + 4 * 3
    data = json.loads(vpatient("exam", "results", str(graded), "--json").stdout)
    assert {s["student"]: s["score"] for s in data["students"]}["s4"] == pytest.approx(1 / 3)
    assert [c["difficulty"] for c in data["cases"]] == [0.75, 0.5, 0.25]
    assert "discrimination" in data["cases"][0] and len(data["students"][0]["answers"]) == 3


@pytest.mark.parametrize("damage", ["garbage", "truncated", "no tables", "a folder",
                                    "bad rows"])
def test_a_damaged_results_file_is_one_line_not_a_traceback(graded: Path, damage: str) -> None:
    path = graded / "results.sqlite"
    for extra in ("results.sqlite-wal", "results.sqlite-shm"):
        (graded / extra).unlink(missing_ok=True)
    if damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:3000])
    elif damage == "no tables":
        path.unlink()
        sqlite3.connect(path).execute("CREATE TABLE other (x)").connection.commit()
    elif damage == "a folder":
        path.unlink()
        path.mkdir()
    else:
        db = sqlite3.connect(path)
        db.execute("UPDATE answers SET grade_json = 'not json', score = 'x' WHERE student='s1'")
        db.commit()
        db.close()
    result = vpatient("exam", "results", str(graded))
    assert "Traceback" not in result.stderr
    if damage == "bad rows":  # one bad row costs that row, not the results
        assert result.returncode == 0 and "s2" in result.stdout
        assert "unreadable" in vpatient("exam", "results", str(graded), "--csv").stdout
    else:
        assert result.returncode == 1
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("vpatient: error: ")


def test_exam_toml_problems_are_reported_all_at_once(tmp_path: Path) -> None:
    root = tmp_path / "exam"
    init_exam(root)
    (root / "exam.toml").write_text(
        'title = ""\ntime_limit_minutes = 30\ncolour = 1\n[cases]\n'
        'include = ["no-such-case",\n  "missing.toml"]\n')
    with pytest.raises(ExamError) as caught:
        load_exam(root)
    problems = caught.value.problems
    assert any(":1: title:" in p for p in problems)
    assert any(":3: colour: unknown key" in p for p in problems)
    assert any(":5: cases.include: no bundled case with id 'no-such-case'" in p
               for p in problems)
    assert any(":6: cases.include: 'missing.toml'" in p for p in problems)


def test_generated_exam_patients_are_not_the_public_generators(tmp_path: Path) -> None:
    from vpatient.core.generator import generate_patients

    root = tmp_path / "exam"
    make_exam(root, seed=2026)
    exam = load_exam(root)
    salted = exam.cases[-1]
    public = generate_patients(2026, 1, "core")[0]
    assert (salted.patient, salted.lesions) != (public.patient, public.lesions)
    assert salted.title == "Generated patient 2026-0"  # readable, for the instructor
    # Only the exam's secret finds them: the same secret, the same patient; another, another.
    secret = read_secret(root)
    assert secret is not None
    again = generate_patients(exam_patient_seed(secret, 2026), 1, "core")[0]
    assert (again.patient, again.lesions) == (salted.patient, salted.lesions)
    other = tmp_path / "other"
    make_exam(other, seed=2026)
    assert load_exam(other).cases[-1].id != salted.id


def test_an_exam_without_its_secret_says_how_to_make_one(tmp_path: Path) -> None:
    root = tmp_path / "exam"
    make_exam(root)
    (root / "exam.secret").unlink()
    with pytest.raises(ExamError, match="exam init"):
        load_exam(root)
    assert [p.name for p in init_exam(root)] == ["exam.secret"]  # nothing else touched
    load_exam(root)
    again = vpatient("exam", "init", str(root))
    assert again.returncode == 1 and "already an exam folder" in again.stderr


def test_the_exam_folder_is_private(tmp_path: Path) -> None:
    root = tmp_path / "exam"
    init_exam(root)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [root, *root.iterdir()]}
    assert modes == {"exam": 0o700, "students": 0o700, "exam.toml": 0o600,
                     "exam.secret": 0o600, "README.txt": 0o600}
    assert check_folder(root) == ([], [])


def test_serve_refuses_a_readable_secret_and_warns_on_a_readable_folder(tmp_path: Path) -> None:
    root = tmp_path / "exam"
    make_exam(root)
    os.chmod(root / "exam.toml", 0o644)
    os.chmod(root, 0o755)
    errors, warnings = check_folder(root)
    assert errors == [] and len(warnings) == 1 and "chmod -R go-rwx" in warnings[0]
    os.chmod(root / "exam.secret", 0o644)
    os.chmod(root / "students", 0o777)
    errors, _ = check_folder(root)
    assert any("exam.secret: permissions 0644 are too open" in e for e in errors)
    assert any("students: permissions 0777 let others write it" in e for e in errors)
    result = vpatient("serve", str(root), "--host", "127.0.0.1", "--port", "0")
    assert result.returncode == 1 and "too open" in result.stderr
    assert not (root / "ssh_host_ed25519_key").exists()  # refused before anything was made


def test_bundled_cases_are_called_public(tmp_path: Path) -> None:
    root = tmp_path / "exam"
    result = vpatient("exam", "init", str(root))
    assert result.returncode == 0 and "warning" not in result.stderr  # the template generates
    make_exam(tmp_path / "bundled")
    (tmp_path / "bundled" / "exam.secret").unlink()  # an older folder: init adds its secret
    result = vpatient("exam", "init", str(tmp_path / "bundled"))
    assert result.returncode == 0
    assert "bundled cases (capsular-stroke-chronic)" in result.stderr
    assert "case show" in result.stderr


def test_the_sessions_end_is_recorded_when_the_server_hangs_up(tmp_path: Path) -> None:
    """SIGHUP (the connection dropped) and SIGTERM (the server closed it): the session writes
    its end before it goes."""
    import pty
    import signal
    import time

    root = tmp_path / "exam"
    make_exam(root)
    repo = Path(__file__).resolve().parents[2]
    for sig, reason in ((signal.SIGHUP, "connection lost"), (signal.SIGTERM,
                                                             "closed by the server")):
        pid, fd = pty.fork()
        if pid == 0:  # the session, on its own terminal
            os.chdir(repo)
            os.execv(sys.executable, [sys.executable, "-m", "vpatient.exam.session", str(root),
                                      "alice", "--screens", "tests.exam.standin:SCREENS"])
        try:
            output = b""
            deadline = time.monotonic() + 60
            while b"Enter" not in output and time.monotonic() < deadline:
                try:
                    output += os.read(fd, 65536)
                except OSError:
                    break
            assert b"Enter" in output, output[-500:]
            time.sleep(0.5)  # the login row follows the first screen
            os.kill(pid, sig)
            os.waitpid(pid, 0)
        finally:
            os.close(fd)
        with sqlite3.connect(root / "results.sqlite") as db:
            last = db.execute("SELECT ended_at IS NOT NULL, end_reason FROM sessions "
                              "ORDER BY id DESC LIMIT 1").fetchone()
        assert last == (1, reason)
