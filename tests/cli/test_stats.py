"""vpatient stats [--json]: the game's progress, headless (design §6.1)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from graded_answers import record_graded

from vpatient.cli import main
from vpatient.progress import DATABASE_NAME, ProgressStore


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_no_answers_yet_creates_nothing(capsys, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "nothing-here"
    monkeypatch.setenv("VPATIENT_DATA_DIR", str(folder))
    code, out, _ = run(capsys, "stats")
    assert code == 0 and out.startswith("No answers yet")
    assert not folder.exists()
    code, out, _ = run(capsys, "stats", "--json")
    assert code == 0 and json.loads(out)["attempts"] == 0


def test_by_site_neuron_and_error_kind(capsys) -> None:
    start = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
    with ProgressStore() as store:
        for minutes, case_id in enumerate(["capsular-stroke-chronic", "radiculopathy-l5",
                                           "capsular-stroke-chronic"]):
            record_graded(store, case_id, {"side": "other"}, start + timedelta(minutes=minutes))
    code, out, _ = run(capsys, "stats", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["attempts"] == 3
    assert {s["site"] for s in data["by_site"]} == {"internal_capsule", "root"}
    assert {n["neuron"] for n in data["by_neuron"]} == {"UMN", "LMN"}
    assert data["by_error"] == [{"kind": "side", "label": "wrong side", "count": 3,
                                 "recent": 3, "share": 1.0}]
    assert data["weak_spots"][0]["topic"] == "side"
    code, out, _ = run(capsys, "stats")
    assert code == 0
    assert "1. wrong side: wrong 3x" in out and "side" in out and "internal capsule" in out


def test_a_damaged_database_is_one_line(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VPATIENT_DATA_DIR", str(tmp_path))
    (tmp_path / DATABASE_NAME).write_bytes(b"this is not a database" * 100)
    code, out, err = run(capsys, "stats")
    assert code == 1 and out == ""
    assert err.startswith("vpatient: error: ") and err.count("\n") == 1
    assert "Traceback" not in err
