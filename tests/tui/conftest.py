"""Fixtures for the game's tests: an isolated progress folder, a fixed case, an instructor folder
with one good case (its history holds markup that must show literally) and one broken file."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpatient.core.case import Case
from vpatient.library import bundled_cases_dir, load_bundled

FIXED_CASE = "capsular-stroke-chronic"
BROKEN_CASE = """\
id = "broken-case"
title = "Broken"

[patient]
age = 500
sex = "male"
complaint = "x"
history = "y"

[[lesions]]
site = "brain"
side = "left"
onset_days = 1
severity = "severe"
"""


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Progress goes to a fresh folder in every test, never the student's own."""
    folder = tmp_path / "vpatient-data"
    monkeypatch.setenv("VPATIENT_DATA_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def fixed_case() -> Case:
    case = load_bundled().by_id(FIXED_CASE)
    assert case is not None
    return case


@pytest.fixture
def instructor_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "instructor"
    folder.mkdir()
    source = (bundled_cases_dir() / f"{FIXED_CASE}.toml").read_text()
    mine = source.replace(f'id = "{FIXED_CASE}"', 'id = "my-own-case"', 1)
    mine = mine.replace('title = "', 'title = "Mine: ', 1)
    mine = mine.replace('history = """', 'history = """[bold]Not bold[/bold]. ', 1)
    mine = mine.replace('difficulty = "intro"', 'difficulty = "advanced"', 1)
    (folder / "mine.toml").write_text(mine)
    (folder / "broken.toml").write_text(BROKEN_CASE)
    return folder


@pytest.fixture
def notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Short stand-in notes for every topic, so screens (and snapshots) do not change when the
    note texts do."""
    from vpatient.core.notes import NOTE_TOPICS

    folder = tmp_path / "notes"
    folder.mkdir()
    for topic in NOTE_TOPICS:
        (folder / f"{topic}.md").write_text(f"# Note on {topic}\n\nText of {topic}.\n")
    monkeypatch.setattr("vpatient.notes.notes_dir", lambda: folder)
    return folder
