"""Presentation files (issue 12): validated like cases, with `path:line: key: message` errors;
a broken file is reported and the rest still load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vpatient.cli import main
from vpatient.presentations import bundled_presentations_dir, load_presentations

LACUNAR = Path("internal_capsule") / "lacunar-stroke.toml"


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the bundled presentations to break."""
    target = tmp_path / "presentations"
    shutil.copytree(bundled_presentations_dir(), target)
    return target


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def line_of(path: Path, fragment: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if fragment in line)


def line_after(path: Path, section: str, fragment: str) -> int:
    """The first line holding ``fragment`` after the line ``section`` (a TOML table)."""
    start = line_of(path, section)
    lines = path.read_text().splitlines()
    return next(i for i in range(start + 1, len(lines) + 1) if fragment in lines[i - 1])


def validate(capsys, *paths: Path) -> tuple[int, list[str], str]:
    code = main(["presentation", "validate", *map(str, paths)])
    out = capsys.readouterr()
    return code, out.err.strip().splitlines(), out.out


def test_the_bundled_presentations_are_valid(capsys):
    code, errors, out = validate(capsys)
    assert code == 0 and errors == []
    assert "0 files with errors" in out


def test_placeholder_typo_in_people_points_at_its_line(folder, capsys):
    people = folder / "people.toml"
    replace(people, "  \"{His} {relative} called an ambulance.\"",
            "  \"{His} {relatve} called an ambulance.\"")
    code, errors, _ = validate(capsys, folder)
    assert code == 1
    line = line_of(people, "{relatve}")
    assert errors[0].startswith(f"{people}:{line}: presenting_hyperacute[0]: unknown "
                                "placeholder {relatve}")


def test_each_kind_of_mistake_is_one_line_with_its_place(folder, capsys):
    lacunar = folder / LACUNAR
    replace(lacunar, '"while reading the paper",', '"while reading the {newspaper}",')
    replace(lacunar, "male_share = 0.6", "male_share = 1.6")
    mca = folder / "cortex" / "mca-stroke.toml"
    replace(mca, 'variants = [{ territory = "face_arm" }]', 'variants = [{ territory = "arm" }]')
    bs = folder / "spinal_cord" / "cord-hemisection.toml"
    T8 = '{ level = "T8"'
    replace(bs, 'sides = ["left", "right"]', 'sides = ["bilateral"]')
    peroneal = folder / "nerve" / "common-peroneal.toml"
    replace(peroneal, 'occupations = ["farmer", "gardener"]',
            'occupations = ["farmer", "gardner"]')
    facial = folder / "nerve" / "facial-palsy.toml"
    replace(facial, 'id = "facial-palsy"', 'id = "bells-palsy"')
    gbs = folder / "polyneuropathy" / "acute-inflammatory-neuropathy.toml"
    replace(gbs, "[course]\ntempo = \"days\"", "[course]\ntempo = \"fortnight\"")

    code, errors, out = validate(capsys, folder)
    assert code == 1
    expected = [
        f"{lacunar}:{line_of(lacunar, '{newspaper}')}: circumstances[5]: unknown placeholder "
        "{newspaper}",
        f"{lacunar}:{line_of(lacunar, 'male_share')}: patient.male_share: must be less than or "
        "equal to 1 (got 1.6)",
        f"{mca}:{line_of(mca, 'variants')}: lesion.variants[0]: side 'left', severity "
        "'moderate': must be 'face_arm', 'leg' or 'whole' (got 'arm')",
        f"{bs}:{line_of(bs, T8)}: lesion.variants[0]: side 'bilateral', severity "
        "'moderate': a hemisection is one-sided: side must be 'left' or 'right'",
        f"{peroneal}:{line_of(peroneal, 'gardner')}: causes[1].occupations[1]: 'gardner' is "
        "not an occupation in people.toml",
        f"{facial}:{line_of(facial, 'bells-palsy')}: id: 'bells-palsy' must be the file name "
        "('facial-palsy')",
        f"{gbs}:{line_of(gbs, 'fortnight')}: course.tempo: must be 'injury', 'found', "
        "'sudden', 'hours', 'days', 'weeks', 'months' or 'years' (got 'fortnight')",
    ]
    for line in expected:
        assert any(e.startswith(line) for e in errors), (line, [e[:200] for e in errors])
    assert "6 files with errors" in out
    # The rest still load.
    load = load_presentations([folder])
    assert len(load.presentations) == len(load_presentations(
        [bundled_presentations_dir()]).presentations) - 6


def test_a_site_in_the_mix_without_a_presentation_is_reported_in_the_mix(folder, capsys):
    for path in (folder / "conus").glob("*.toml"):
        path.unlink()
    mix = folder / "mix.toml"
    code, errors, _ = validate(capsys, folder)
    assert code == 1
    assert f"{mix}:{line_after(mix, '[core]', 'conus =')}: core.sites.conus: no presentation of " \
           "'conus' has a weight for core" in errors


def test_broken_toml_and_missing_keys(folder, capsys):
    lacunar = folder / LACUNAR
    text = lacunar.read_text()
    lacunar.write_text(text.replace("[course]\ntempo = \"sudden\"\nthen = \"improving\"\n", ""))
    pons = folder / "brainstem" / "pontine-stroke.toml"
    replace(pons, 'tempo = "sudden"', 'tempo = "sudden')
    code, errors, _ = validate(capsys, lacunar, pons)
    assert code == 1
    assert f"{lacunar}:1: course: required key is missing" in errors
    assert any(e.startswith(f"{pons}:{line_of(pons, 'tempo')}: not valid TOML") for e in errors)


def test_every_deficit_kind_needs_words(folder, capsys):
    phrases = folder / "phrases.toml"
    text = phrases.read_text()
    start = text.index("[deficits.trip]")
    end = text.index("[deficits.push_off]")
    phrases.write_text(text[:start] + text[end:])
    code, errors, _ = validate(capsys, folder)
    assert code == 1
    assert any("deficits: missing deficit kind 'trip'" in e for e in errors), errors


def test_the_mix_lists_every_site_with_its_share(capsys):
    assert main(["presentation", "list"]) == 0
    out = capsys.readouterr().out
    rows = [line.split() for line in out.splitlines()[1:-1]]
    for column in (1, 2, 3):
        total = sum(float(row[column].rstrip("%")) for row in rows)
        assert abs(total - 100) < 0.5
    assert len(rows) == 16
