"""The headless command line (design §6): contracts, reproducibility, and one-line errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest

from vpatient.cli import json_text, main
from vpatient.core.findings import FINDING_KEYS
from vpatient.core.lesion import SITES

# One minimal lesion per site of design §3.
SITE_LESIONS = {
    "cortex": 'territory = "face_arm"\nside = "left"',
    "internal_capsule": 'side = "left"',
    "midbrain": 'side = "right"',
    "pons": 'side = "left"',
    "medulla": 'side = "right"',
    "spinal_cord": 'level = "C6"\npattern = "complete"\nside = "bilateral"',
    "conus": 'side = "bilateral"',
    "cauda_equina": 'side = "left"',
    "anterior_horn": 'levels = "C5-T1"\nside = "right"',
    "root": 'level = "L5"\nside = "left"',
    "plexus": 'part = "upper_trunk"\nside = "right"',
    "nerve": 'name = "radial"\nat = "axilla"\nside = "left"',
    "polyneuropathy": 'pattern = "length_dependent"\nside = "bilateral"',
    "nmj": 'side = "bilateral"',
    "muscle": 'side = "bilateral"',
    "motor_neuron_disease": 'regions = ["bulbar", "cervical"]\nside = "bilateral"',
}


def case_text(site: str, extra: str) -> str:
    return textwrap.dedent(f'''\
        id = "test-{site.replace("_", "-")}"
        title = "A test patient"

        [patient]
        age = 50
        sex = "male"
        complaint = "I am weak."
        history = "For months."

        [[lesions]]
        site = "{site}"
        onset_days = 120
        severity = "moderate"
        ''') + extra + "\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_generate_seed_json_is_complete_and_identical_twice(capsys):
    code, first, _ = run(capsys, "generate", "--seed", "7", "--json")
    _, second, _ = run(capsys, "generate", "--seed", "7", "--json")
    assert code == 0 and first == second
    patient = json.loads(first)
    assert {"id", "lesions", "answer", "findings"} <= set(patient)
    assert tuple(patient["findings"]) == FINDING_KEYS
    assert {"neuron", "site", "side", "level"} <= set(patient["answer"])


def test_generate_count_gives_an_array_of_distinct_patients(capsys):
    code, out, _ = run(capsys, "generate", "--seed", "3", "--count", "5", "--difficulty",
                       "advanced", "--json")
    patients = json.loads(out)
    assert code == 0 and len(patients) == 5 and len({p["id"] for p in patients}) == 5
    assert all(p["difficulty"] == "advanced" for p in patients)


def test_generate_without_json_is_a_readable_summary(capsys):
    code, out, _ = run(capsys, "generate", "--seed", "7")
    assert code == 0 and "Answer: neuron" in out and "year-old" in out and "{" not in out


@pytest.mark.parametrize("site", SITES)
def test_every_site_loads_from_a_case_file_through_case_show(site, tmp_path, capsys):
    path = tmp_path / f"{site}.toml"
    path.write_text(case_text(site, SITE_LESIONS[site]))
    code, out, err = run(capsys, "case", "show", str(path), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["lesions"][0]["site"] == site and data["answer"]["site"] == site
    assert tuple(data["findings"]) == FINDING_KEYS


def test_case_show_honours_overrides_and_authored_answers(tmp_path, capsys):
    text = case_text("root", SITE_LESIONS["root"]) + textwrap.dedent('''
        [findings]
        "reflex.left.ankle" = "1+"

        [answer]
        neuron = "LMN"
        site = ["root", "cauda_equina"]
        side = "left"
        level = "L5"
        ''')
    path = tmp_path / "c.toml"
    path.write_text(text)
    code, out, _ = run(capsys, "case", "show", str(path), "--json")
    data = json.loads(out)
    assert code == 0 and data["findings"]["reflex.left.ankle"] == "1+"
    assert data["answer"]["site"] == "root"
    assert data["answer"]["accepted"] == {"site": ["root", "cauda_equina"]}


def test_case_show_accepts_a_bundled_case_id(capsys):
    code, out, _ = run(capsys, "case", "show", "capsular-stroke-chronic")
    assert code == 0 and "internal_capsule" in out


@pytest.mark.parametrize(("argv", "code", "message"), [
    (["case", "show", "missing.toml"], 1, "missing.toml: no such file"),
    (["case", "show", "no-such-case-id"], 1, "no bundled case with id 'no-such-case-id'"),
    (["generate", "--seed", "seven"], 2, "invalid int value: 'seven'"),
    (["generate", "--seed", "1", "--difficulty", "expert"], 2, "invalid choice: 'expert'"),
    (["grade", "capsular-stroke-chronic", "--neuron", "UMN", "--site", "brain", "--side",
      "left"], 2, "invalid choice: 'brain'"),
    (["grade", "capsular-stroke-chronic", "--neuron", "UMN", "--site", "root", "--side",
      "left", "--level", "C4"], 2, "'C4' is not a root level"),
    (["grade", "capsular-stroke-chronic", "--neuron", "UMN", "--site", "cortex", "--side",
      "left", "--level", "C5"], 2, "site 'cortex' has no level"),
])
def test_bad_input_is_one_clear_line_and_a_nonzero_exit(argv, code, message, capsys):
    try:
        result = main(argv)
    except SystemExit as exc:  # argparse's own errors
        result = exc.code
    _, err = capsys.readouterr()
    assert result == code
    assert message in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_unknown_site_in_a_case_file_is_one_line(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(case_text("brain", 'side = "left"'))
    code, _, err = run(capsys, "case", "show", str(path))
    assert code == 1 and err.count("\n") == 1
    assert f"{path}:11: lesions[0].site: unknown site 'brain'" in err


def test_validate_reports_every_broken_file_and_exits_1(tmp_path, capsys):
    (tmp_path / "good.toml").write_text(case_text("root", SITE_LESIONS["root"]))
    (tmp_path / "bad.toml").write_text(case_text("root", 'level = "C4"\nside = "left"'))
    (tmp_path / "worse.toml").write_text("id = = 1\n")
    code, out, err = run(capsys, "case", "validate", str(tmp_path))
    assert code == 1
    assert f"{tmp_path / 'bad.toml'}:14: lesions[0].level:" in err
    assert f"{tmp_path / 'worse.toml'}:1: not valid TOML" in err
    assert "1 case valid, 2 files with errors" in out


def test_validate_passes_on_the_bundled_library(capsys):
    from vpatient.library import bundled_cases_dir

    code, out, _ = run(capsys, "case", "validate", str(bundled_cases_dir()))
    assert code == 0 and ", 0 files with errors" in out


def test_schema_is_json(capsys):
    code, out, _ = run(capsys, "case", "schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "vpatient case" and "lesions" in schema["properties"]


def test_grade_json_follows_the_contract(capsys):
    code, out, _ = run(capsys, "grade", "capsular-stroke-chronic", "--neuron", "UMN", "--site",
                       "internal_capsule", "--side", "left", "--json")
    data = json.loads(out)
    assert code == 0 and data["score"] == 1.0
    assert [p["part"] for p in data["parts"]] == ["neuron", "site", "side"]
    assert all({"score", "sentence"} <= set(p) for p in data["parts"])
    assert data["answer"]["site"] == "internal_capsule"


def test_console_script_and_module_entry_points_work_without_textual():
    for argv in (["-m", "vpatient", "generate", "--seed", "7", "--json"],):
        out = subprocess.run([sys.executable, *argv], capture_output=True, text=True,
                             check=True)
        assert json.loads(out.stdout)["id"] == "generated-core-7-0"
    code = ("import sys, vpatient.cli; vpatient.cli.main(['generate', '--seed', '1', '--json']);"
            "assert 'textual' not in sys.modules, 'headless commands must not import Textual'")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_grade_with_an_exam_log_lists_the_discriminating_maneuvers_missed(capsys):
    code, out, _ = run(capsys, "grade", "capsular-stroke-chronic", "--neuron", "UMN", "--site",
                       "internal_capsule", "--side", "left", "--performed",
                       "power.right.hip_flexion", "--json")
    missed = json.loads(out)["missed_maneuvers"]
    assert code == 0 and all(set(m) == {"id", "label"} for m in missed)
    assert {"id": "plantar.right", "label": "Plantar response, right leg"} in missed
    assert not any(m["id"] == "power.right.hip_flexion" for m in missed)


def test_grade_rejects_an_unknown_maneuver(capsys):
    code, _, err = run(capsys, "grade", "capsular-stroke-chronic", "--neuron", "UMN", "--site",
                       "internal_capsule", "--side", "left", "--performed", "babinski.left")
    assert code == 2 and "unknown maneuver 'babinski.left'" in err


def test_grade_json_explains_a_wrong_answer_with_evidence_and_why_not(capsys):
    code, out, _ = run(capsys, "grade", "radiculopathy-s1", "--neuron", "LMN", "--site", "root",
                       "--side", "right", "--level", "L5", "--performed",
                       "power.right.ankle_dorsiflexion,power.right.great_toe_extension,"
                       "reflex.right.ankle", "--json")
    data = json.loads(out)
    assert code == 0 and data["score"] <= 0.85
    level = next(p for p in data["parts"] if p["part"] == "level")
    assert {"key": "power.right.ankle_dorsiflexion", "expected": 4, "found": 5,
            "examined": True} in level["why_not"]
    assert all(set(e) == {"key", "value", "side", "points_to", "examined"}
               for e in level["evidence"])
    assert level["decider"]["id"] == "power.right.ankle_plantarflexion"
    assert "l5-vs-peroneal" in level["notes"]


def test_grade_text_names_the_level_in_words(capsys):
    code, out, _ = run(capsys, "grade", "common-peroneal-nerve", "--neuron", "LMN", "--site",
                       "root", "--side", "right", "--level", "L5")
    assert code == 0 and "common_peroneal" not in out and "lower_trunk" not in out
    assert "common peroneal (fibular) nerve" in out


# --- what the student reads (issue 11, 7) --------------------------------------------------------

# Names that would give the answer away: roots and segments, nerves, plexus parts, dermatomes.
ANATOMICAL = re.compile(
    r"\b([CTLS][1-8]|T1[0-2]|dermatome|plexus|trunk|root|nerve|median|ulnar|radial|axillary|"
    r"musculocutaneous|femoral|sciatic|peroneal|fibular|tibial|hypoglossal|facial)\b",
    re.IGNORECASE)


def test_as_student_prints_every_finding_as_the_student_reads_it(capsys):
    from vpatient.core.findings import FINDING_KEYS

    code, out, _ = run(capsys, "case", "show", "carpal-tunnel", "--as-student")
    lines = out.splitlines()
    assert code == 0 and [line.split(": ", 1)[0] for line in lines] == list(FINDING_KEYS)
    assert "numb_area.right: Right numb areas: numb skin over the palm side of the thumb, index "\
        "and middle fingers" in lines
    assert "power.right.thumb_abduction: Right thumb abduction: 3/5 (moves against gravity, not "\
        "against resistance)" in lines


def test_as_student_never_names_the_answer_for_any_bundled_case():
    from vpatient.core.wording import as_student
    from vpatient.library import load_bundled

    for case in load_bundled().cases:
        for line in as_student(case.all_findings):
            text = line.split(": ", 1)[1]
            assert not ANATOMICAL.search(text), (case.id, line)
            assert "ref §" not in text and "pitfall" not in text.lower()


# --- notes ---------------------------------------------------------------------------------------


def test_notes_lists_the_topics_and_prints_one(capsys):
    from vpatient.notes import list_notes

    code, out, _ = run(capsys, "notes")
    notes = list_notes()
    assert code == 0 and len(out.splitlines()) == len(notes)
    for note, line in zip(notes, out.splitlines(), strict=True):
        assert line.split()[0] == note.topic and line.endswith(note.title)
    if notes:
        code, out, _ = run(capsys, "notes", notes[0].topic)
        assert code == 0 and out.startswith(f"# {notes[0].title}")


def test_an_unknown_note_is_a_one_line_error(capsys):
    code, out, err = run(capsys, "notes", "no-such-topic")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "no note 'no-such-topic'" in err

def test_generate_streams_its_array_one_patient_at_a_time(capsys, monkeypatch):
    """Constant memory (issue 16): no patient outlives its turn, and the array is the same JSON
    a list would give."""
    import gc
    import weakref

    import vpatient.core.generator as generator

    real, alive, most = generator.generate_patient, [], [0]

    def tracked(*args, **kwargs):
        gc.collect()
        most[0] = max(most[0], sum(ref() is not None for ref in alive))
        patient = real(*args, **kwargs)
        alive.append(weakref.ref(patient))
        return patient

    monkeypatch.setattr(generator, "generate_patient", tracked)
    code, out, _ = run(capsys, "generate", "--seed", "4", "--count", "30", "--json")
    assert code == 0 and most[0] <= 1
    patients = json.loads(out)
    assert [p["id"] for p in patients] == [f"generated-core-4-{i}" for i in range(30)]
    assert out == json_text([real(4, i, "core").to_json() for i in range(30)])


def test_generate_output_starts_before_the_run_ends():
    """The first patient arrives while the largest allowed run is still going."""
    proc = subprocess.Popen([sys.executable, "-m", "vpatient", "generate", "--seed", "1",
                             "--count", "100000", "--json"], stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        first = b""
        while not first.endswith(b"\n  },\n"):
            first += proc.stdout.readline()
        assert proc.poll() is None  # still generating
        assert json.loads(first[1:].rstrip(b",\n"))["id"] == "generated-core-1-0"
    finally:
        proc.kill()
        proc.wait()
