"""Fixtures for every test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """No test writes to the real user data or config folder."""
    monkeypatch.setenv("VPATIENT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VPATIENT_CONFIG_DIR", str(tmp_path / "config"))
