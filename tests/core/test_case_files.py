"""Case files: every kind of bad input is reported as path:line: key: message, and skipped."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vpatient.core.casefile import parse_case
from vpatient.library import bundled_cases_dir, load_bundled, load_library

GOOD = textwrap.dedent('''\
    id = "left-capsule"
    title = "Weak right side"
    difficulty = "core"
    tags = ["stroke"]

    [patient]
    age = 70
    sex = "female"
    complaint = "My right side is weak."
    history = "She woke with it three months ago."

    [[lesions]]
    site = "internal_capsule"
    side = "left"
    onset_days = 90
    severity = "severe"

    [answer]
    neuron = "UMN"
    site = "internal_capsule"
    side = "left"

    [teaching]
    points = ["Forehead sparing marks a central facial palsy."]
''')


def problems_of(text: str | bytes, name: str = "cases/x.toml") -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    return [str(p) for p in parse_case(data, name).problems]


def test_a_good_case_parses_without_problems():
    parsed = parse_case(GOOD.encode(), "cases/x.toml")
    assert parsed.ok and parsed.problems == ()
    assert parsed.case.answer_key.canonical.side == "left"


def test_toml_syntax_error_names_the_parser_line():
    text = GOOD.replace('age = 70', 'age = = 70')
    [problem] = problems_of(text)
    assert problem.startswith("cases/x.toml:7: not valid TOML")


def test_misspelt_key_is_an_error_at_its_line():
    text = GOOD.replace('title = "Weak right side"', 'titel = "Weak right side"')
    out = problems_of(text)
    assert out[0].startswith("cases/x.toml:2: titel: unknown key")
    assert any("title: required key is missing" in p for p in out)


def test_unknown_site_is_reported_at_the_site_line_with_the_choices():
    text = GOOD.replace('site = "internal_capsule"\nside', 'site = "brain"\nside', 1)
    [problem] = problems_of(text)
    assert problem.startswith("cases/x.toml:13: lesions[0].site: unknown site 'brain'")
    assert "'internal_capsule'" in problem


def test_level_that_does_not_exist_for_the_site():
    text = GOOD.replace('site = "internal_capsule"\nside = "left"\nonset_days = 90',
                        'site = "root"\nlevel = "C4"\nside = "left"\nonset_days = 90', 1)
    out = problems_of(text)
    assert "cases/x.toml:14: lesions[0].level: must be 'C5'" in out[0]
    assert "(got 'C4')" in out[0]


def test_extra_field_that_belongs_to_another_site():
    text = GOOD.replace('severity = "severe"\n', 'severity = "severe"\nlevel = "C5"\n', 1)
    [problem] = problems_of(text)
    assert problem.startswith("cases/x.toml:17: lesions[0].level: unknown key")


def test_side_contradicting_the_cord_pattern_points_at_side():
    cord = 'site = "spinal_cord"\nlevel = "T10"\npattern = "complete"\nside = "left"'
    text = GOOD.replace('site = "internal_capsule"\nside = "left"', cord, 1)
    [problem] = problems_of(text)
    assert problem.startswith("cases/x.toml:16: lesions[0].side:")
    assert "must be 'bilateral'" in problem


def test_findings_override_with_bad_key_and_bad_value():
    text = GOOD + '\n[findings]\n"reflex.right.ankel" = "3+"\n"plantar.right" = "upgoing"\n'
    out = problems_of(text)
    assert out[0].startswith('cases/x.toml:27: findings."reflex.right.ankel": not a findings key')
    assert out[1].startswith('cases/x.toml:28: findings."plantar.right": must be one of')


def test_power_override_must_be_an_mrc_grade():
    [problem] = problems_of(GOOD + '\n[findings]\n"power.left.hip_flexion" = 7\n')
    assert "MRC grade" in problem and ":27:" in problem


def test_answer_level_for_a_site_without_levels():
    [problem] = [p for p in problems_of(GOOD.replace('side = "left"\n\n[teaching]',
                                                     'side = "left"\nlevel = "C5"\n\n[teaching]'))
                 if "warning" not in p]
    assert problem.startswith("cases/x.toml:22: answer.level: site 'internal_capsule' has no level")


def test_answer_disagreeing_with_the_lesion_is_a_warning_not_an_error():
    text = GOOD.replace('side = "left"\n\n[teaching]', 'side = "right"\n\n[teaching]')
    parsed = parse_case(text.encode(), "cases/x.toml")
    assert parsed.ok  # still loads
    [warning] = [str(p) for p in parsed.problems]
    assert warning.startswith("cases/x.toml:21: answer.side: warning: 'right' differs")


def test_bad_kebab_case_id():
    [problem] = problems_of(GOOD.replace('"left-capsule"', '"Left Capsule"'))
    assert problem == "cases/x.toml:1: id: must be kebab-case: lowercase letters, digits " \
                      "and single hyphens"


def test_empty_file():
    [problem] = problems_of("  \n")
    assert problem.startswith("cases/x.toml:1: the file is empty")


def test_non_utf8_file_names_the_line():
    data = GOOD.encode().replace(b"My right side", b"My \xe9 side")
    [problem] = problems_of(data)
    assert problem.startswith("cases/x.toml:9: not UTF-8 text (byte 0xe9)")


def test_a_file_that_is_not_toml_at_all():
    [problem] = problems_of("<html><body>not a case</body></html>\n")
    assert problem.startswith("cases/x.toml:1: not valid TOML")


def test_missing_keys_point_at_the_table_they_belong_in():
    out = problems_of('id = "x"\ntitle = "t"\n')
    assert "cases/x.toml:1: patient: required key is missing" in out  # the top level: line 1
    assert "cases/x.toml:1: lesions: required key is missing" in out
    out = problems_of(GOOD.replace('sex = "female"\n', ""))
    assert out == ["cases/x.toml:6: patient.sex: required key is missing"]  # at [patient]


def write_library(folder: Path) -> None:
    (folder / "sub").mkdir(parents=True)
    (folder / "good.toml").write_text(GOOD)
    (folder / "sub" / "second.toml").write_text(GOOD.replace("left-capsule", "second-one"))
    (folder / "broken.toml").write_text(GOOD.replace("age = 70", "age = seventy"))
    (folder / "dupe.toml").write_text(GOOD)
    (folder / "latin1.toml").write_bytes("id = \"caf\xe9\"\n".encode("latin-1"))


def test_a_folder_mixing_good_and_broken_files_loads_the_good_ones(tmp_path):
    write_library(tmp_path)
    lib = load_library([tmp_path])
    assert sorted(c.id for c in lib.cases) == ["left-capsule", "second-one"]
    messages = [str(p) for p in lib.errors]
    assert any(m.startswith(f"{tmp_path / 'broken.toml'}:7: not valid TOML") for m in messages)
    assert any(m.startswith(f"{tmp_path / 'latin1.toml'}:1: not UTF-8") for m in messages)
    dupe = next(m for m in messages if "duplicate id" in m)
    assert str(tmp_path / "dupe.toml") in dupe and str(tmp_path / "good.toml") in dupe
    assert lib.files_read == 5 and len(lib.bad_files) == 3


def test_a_missing_path_is_a_problem_not_a_crash(tmp_path):
    lib = load_library([tmp_path / "nope"])
    assert [str(p) for p in lib.problems] == [f"{tmp_path / 'nope'}: no such file or folder"]


# --- fuzzing: the loader returns problems, it never raises ----------------------------------------

MUTATIONS = st.sampled_from([
    ("= ", "== "), ("]", ""), ('"', ""), ("severe", "fatal"), ("left", "up"), ("90", "-3"),
    ("internal_capsule", "spinal_cord"), ("[patient]", "[patients]"), ("age", "age.x"),
    ("\n", "\n\n[[lesions]]\n"), ("UMN", "[]"), ("site", "sit"), ("70", "1e400"),
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MUTATIONS, max_size=4), st.integers(0, 2000))
def test_mutated_cases_give_problems_never_exceptions(mutations, cut):
    text = GOOD
    for old, new in mutations:
        text = text.replace(old, new, 1)
    for data in (text.encode(), text[:cut].encode()):
        parsed = parse_case(data, "f.toml")
        assert parsed.ok or parsed.problems
        assert all(str(p).startswith("f.toml") for p in parsed.problems)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_give_problems_never_exceptions(data):
    parsed = parse_case(data, "f.toml")
    assert parsed.case is None and parsed.problems


# --- the bundled library -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled():
    return load_bundled()


def test_every_bundled_case_validates(bundled):
    assert bundled.errors == []
    assert len(bundled.cases) >= 40
    assert len(bundled.cases) == len(list(bundled_cases_dir().rglob("*.toml")))


def test_every_bundled_case_answer_agrees_with_its_lesions(bundled):
    for case in bundled.cases:
        derived = case.derived_answer
        authored = case.answer_key
        for name in ("neuron", "site", "side", "level"):
            assert derived.accepts(name, authored.accepted(name)[0]), (case.id, name)


def test_bundled_library_covers_every_site_both_sides_and_both_tempos(bundled):
    from vpatient.core.lesion import SITES

    first = [c.lesions[0] for c in bundled.cases]
    assert {lesion.site for c in bundled.cases for lesion in c.lesions} == set(SITES)
    assert {"left", "right", "bilateral"} <= {lesion.side for lesion in first}
    assert any(lesion.onset_days < 1 for lesion in first)
    assert any(lesion.site == "spinal_cord" and lesion.onset_days <= 3 for lesion in first)
    roots = {lesion.level for lesion in first if lesion.site == "root"}
    assert {"C5", "C6", "C7", "C8", "L4", "L5", "S1"} <= roots


def test_every_bundled_case_teaches_and_cites(bundled):
    for case in bundled.cases:
        assert case.teaching.points, case.id
        assert case.sources or case.teaching.references, case.id


def test_case_schema_is_valid_json_schema():
    from jsonschema import Draft202012Validator

    from vpatient.core.case import Case

    schema = Case.model_json_schema()
    Draft202012Validator.check_schema(schema)
    import tomllib

    Draft202012Validator(schema).validate(tomllib.loads(GOOD))
    assert json.dumps(schema)


@pytest.mark.parametrize("field", ["neuron", "site", "side", "level"])
def test_an_empty_list_of_accepted_answers_is_an_error_at_its_line(field):
    """Issue 16: `[answer] neuron = []` raised IndexError."""
    answer = {"neuron": '"UMN"', "site": '"internal_capsule"', "side": '"left"', field: "[]"}
    section = "[answer]\n" + "".join(f"{k} = {v}\n" for k, v in answer.items())
    text = GOOD.replace('[answer]\nneuron = "UMN"\nsite = "internal_capsule"\nside = "left"\n',
                        section)
    assert section in text
    parsed = parse_case(text.encode(), "cases/x.toml")
    line = 19 + list(answer).index(field)
    assert not parsed.ok and str(parsed.problems[0]).startswith(
        f"cases/x.toml:{line}: answer.{field}: ")
