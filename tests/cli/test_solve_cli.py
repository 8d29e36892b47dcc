"""``vpatient solve`` (design §6.1) and the ambiguity warning of ``case validate``."""

from __future__ import annotations

import json
import textwrap

from vpatient.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def case_findings(capsys, case_id: str) -> dict:
    code, out, _ = run(capsys, "case", "show", case_id, "--json")
    assert code == 0
    return json.loads(out)


def test_solve_json_ranks_the_case_answer_first_with_support(tmp_path, capsys):
    data = case_findings(capsys, "radiculopathy-c7")
    path = tmp_path / "findings.json"
    path.write_text(json.dumps(data["findings"]))
    code, out, _ = run(capsys, "solve", str(path), "--json")
    assert code == 0
    result = json.loads(out)
    best = result["candidates"][0]
    assert set(best["answer"]) == {"neuron", "site", "side", "level"}
    expected = {k: data["answer"][k] for k in ("neuron", "site", "side", "level")}
    assert best["answer"] == expected
    supports = [c["support"] for c in result["candidates"]]
    assert supports == sorted(supports, reverse=True) and 0 < supports[0] <= 1
    assert "next_maneuver" in result and result["decided"] is True


def test_solve_reads_a_subset_from_stdin_and_suggests_a_maneuver(monkeypatch, capsys):
    import io

    subset = {"plantar.left": "extensor", "plantar.right": "flexor"}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(subset)))
    code, out, _ = run(capsys, "solve", "-", "--json", "--top", "3")
    assert code == 0
    result = json.loads(out)
    assert len(result["candidates"]) == 3 and result["decided"] is False
    nxt = result["next_maneuver"]
    assert nxt["id"] and nxt["reason"].startswith("it separates ")


def test_solve_accepts_a_whole_case_json_and_prints_a_ranking(tmp_path, capsys):
    data = case_findings(capsys, "ulnar-nerve-elbow")
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data))
    code, out, _ = run(capsys, "solve", str(path))
    assert code == 0
    assert "1. left ulnar nerve" in out.splitlines()[1]
    assert "Decided." in out


def test_solve_bad_input_is_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"plantar.left": "upgoing"}')
    code, _, err = run(capsys, "solve", str(bad))
    assert code == 1 and err.count("\n") == 1 and "plantar.left" in err
    bad.write_text("{not json")
    code, _, err = run(capsys, "solve", str(bad))
    assert code == 1 and "not JSON" in err and err.count("\n") == 1
    code, _, err = run(capsys, "solve", str(tmp_path / "missing.json"))
    assert code == 1 and err.count("\n") == 1


def test_validate_warns_when_the_findings_cannot_tell_the_answer_from_a_rival(tmp_path, capsys):
    (tmp_path / "polio.toml").write_text(textwrap.dedent('''\
        id = "polio-range"
        title = "An old weak leg"

        [patient]
        age = 60
        sex = "male"
        complaint = "My right side is weak."
        history = "Three months ago."

        [[lesions]]
        site = "anterior_horn"
        levels = "L4-S1"
        side = "left"
        onset_days = 3650
        severity = "severe"
        '''))
    code, out, _ = run(capsys, "case", "validate", str(tmp_path))
    assert code == 0  # a warning, not an error
    assert "answer: warning: indistinguishable from anterior_horn L" in out
    assert "1 warning" in out
