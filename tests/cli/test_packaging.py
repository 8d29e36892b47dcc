"""The bundled library ships inside a normal (non-editable) install."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_non_editable_install_lists_every_bundled_case(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    [wheel] = wheels.glob("vpatient-*.whl")
    expected = sorted(p.name for p in (ROOT / "cases").glob("*.toml"))
    with zipfile.ZipFile(wheel) as archive:
        shipped = sorted(Path(n).name for n in archive.namelist()
                         if n.startswith("vpatient/_bundled_cases/") and n.endswith(".toml"))
    assert shipped == expected
    notes = sorted(p.name for p in (ROOT / "vpatient" / "data" / "notes").glob("*.md"))
    with zipfile.ZipFile(wheel) as archive:
        shipped_notes = sorted(Path(n).name for n in archive.namelist()
                               if n.startswith("vpatient/data/notes/") and n.endswith(".md"))
    assert notes and shipped_notes == notes

    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run([sys.executable, "-m", "vpatient", "case", "list"], cwd=tmp_path,
                         env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith(f"{len(expected)} cases")
    listed = subprocess.run([sys.executable, "-m", "vpatient", "notes"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, check=True).stdout
    assert len(listed.splitlines()) == len(notes)
    check = subprocess.run(
        [sys.executable, "-c", "import vpatient.library as l; print(l.bundled_cases_dir())"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert check.strip() == str(target / "vpatient" / "_bundled_cases")

    # The presentations generated patients come from ship too, and generation works from them.
    presentations = sorted(str(p.relative_to(ROOT / "presentations"))
                           for p in (ROOT / "presentations").rglob("*.toml"))
    with zipfile.ZipFile(wheel) as archive:
        prefix = "vpatient/_bundled_presentations/"
        shipped = sorted(n.removeprefix(prefix) for n in archive.namelist()
                         if n.startswith(prefix) and n.endswith(".toml"))
    assert shipped == presentations
    out = subprocess.run([sys.executable, "-m", "vpatient", "generate", "--seed", "3"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert "Generated patient 3-0" in out
