"""Fixtures for the exam: a small exam folder with two students and their key pairs."""

from __future__ import annotations

from pathlib import Path

import asyncssh
import pytest

from vpatient.exam.config import init_exam

EXAM_TOML = """\
title = "Test exam"
time_limit_minutes = {minutes}
feedback = "{feedback}"
start = "{start}"
[cases]
include = ["capsular-stroke-chronic"]
generate = {{ count = 1, seed = {seed}, difficulty = "core" }}
"""


def make_exam(root: Path, *, minutes: float = 30, feedback: str = "end", start: str = "student",
              seed: int = 7, students: tuple[str, ...] = ("alice", "bob")
              ) -> dict[str, asyncssh.SSHKey]:
    init_exam(root)
    (root / "exam.toml").write_text(EXAM_TOML.format(minutes=minutes, feedback=feedback,
                                                     start=start, seed=seed))
    keys = {}
    for student in students:
        key = asyncssh.generate_private_key("ssh-ed25519")
        (root / "students" / f"{student}.pub").write_bytes(key.export_public_key())
        keys[student] = key
    return keys


@pytest.fixture
def exam_dir(tmp_path: Path) -> Path:
    root = tmp_path / "exam"
    make_exam(root)
    return root


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: drives the real SSH server on loopback (runs in CI; a few seconds)")
