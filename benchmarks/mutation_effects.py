"""What a surviving mutant changes, read from its behaviour (issue 9).

Two judgements, both by running the mutant rather than by reading its text: the time course's
classes (below), and whether a mutant of any module changes a finding of any lesion at all (the
end of this file).

A list of equivalent mutants named line by line does not carry over to a new sample: the next
sample meets new members of the same reasoned classes. So a survivor of
``vpatient/core/timecourse.py`` is judged by its *effect*: the mutated module is loaded beside the
original and both are asked, day by day over the first year and more, for everything the engine
reads from them (the upper motor neuron expression of every kind and severity, spinal shock, the
sacral reflexes, when wasting shows, every day threshold). The differences are then compared with
the classes of ``[[equivalent_effect]]`` in ``benchmarks/mutation_equivalents.toml``:

- ``day``: every difference is a boundary moved by at most one day, on day 2 or later (the
  sources time these phases in days to weeks, never to the day);
- ``reflex_shift``: only the reflex grade of the named phases changes, between the named values.

A mutant with no difference at all is not judged here (it needs a test or a reasoned entry).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import astuple
from functools import cache
from pathlib import Path
from types import ModuleType

SEVERITIES = ("mild", "moderate", "severe", "complete")
KINDS = ("cerebral", "cord", "mnd")
# Every half day of the first 60 days, then weekly to two years: finer than any phase boundary
# the tables hold (whole days), and past the last one.
DAYS = tuple([d / 2 for d in range(0, 121)] + list(range(61, 731, 7)))
# The first day (hyperacute stroke, phase 1 of spinal shock) is timed in hours (ref §6.1, §6.2).
EARLIEST_DAY_SHIFT = 2


def apply_diff(source: str, diff: str) -> str:
    """The source after a unified diff of it (as cosmic-ray records each mutant)."""
    lines = source.splitlines(keepends=True)
    out: list[str] = []
    at = 0
    for hunk in re.finditer(r"^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@.*\n((?:[ +\-].*\n?)*)",
                            diff, re.M):
        start = int(hunk.group(1)) - 1
        out += lines[at:start]
        at = start
        for row in hunk.group(2).splitlines(keepends=True):
            if row.startswith("+"):
                out.append(row[1:])
            elif row.startswith("-"):
                at += 1
            else:
                out.append(lines[at])
                at += 1
    out += lines[at:]
    return "".join(out)


def load(source: str, name: str) -> ModuleType:
    spec = importlib.util.spec_from_loader(name, loader=None)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    try:
        exec(compile(source, name, "exec"), module.__dict__)
    finally:
        del sys.modules[name]
    return module


Observation = dict[tuple, object]


@cache  # the same module and day are read again for every difference near that day
def _observe(tc: ModuleType, day: float) -> Observation:
    """Everything the engine reads from the time course at ``day``, keyed by what it is."""
    def safely(read: Callable[..., object], *args: object) -> object:
        try:
            return read(*args)
        except Exception as error:  # a mutant that breaks a lookup is an effect too
            return f"error: {type(error).__name__}"

    seen: Observation = {}
    for kind in KINDS:
        for severity in SEVERITIES:
            expression = safely(tc.umn_expression, kind, day, severity)
            if isinstance(expression, str):
                seen[("umn", kind, severity, "error")] = expression
                continue
            for field, value in zip(("phase", "tone", "reflex_shift", "plantar", "clonus"),
                                    astuple(expression), strict=True):
                seen[("umn", kind, severity, field)] = value
            seen[("umn", kind, severity, "hoffmann")] = expression.hoffmann
    seen[("in_spinal_shock",)] = safely(tc.in_spinal_shock, day)
    seen[("sacral",)] = safely(lambda: astuple(tc.cord_sacral_function(day)))
    for severity in SEVERITIES:
        seen[("wasting_visible", severity)] = safely(tc.wasting_visible, day, severity)
    for name, value in vars(tc).items():
        if name.isupper() and isinstance(value, int | float) and not isinstance(value, bool):
            seen[("reached", name)] = day >= value  # a threshold the engine compares onsets with
    seen[("time_band_start",)] = safely(tc.time_band_start, day)
    return seen


def effects(original: ModuleType, mutant: ModuleType) -> list[tuple[float, tuple, object, object]]:
    """(day, what, original value, mutant value) wherever the two differ."""
    out = []
    for day in DAYS:
        before, after = _observe(original, day), _observe(mutant, day)
        for key in before.keys() | after.keys():
            if before.get(key) != after.get(key):
                out.append((day, key, before.get(key), after.get(key)))
    return out


def _within_a_day(original: ModuleType, mutant: ModuleType, diffs: list) -> bool:
    """Every difference is the original's value of the same reading a day earlier or later,
    from day 2 on. The time bands (the engine's cache key) must stay the bands of the mutant's
    own thresholds, each within a day of an original one."""
    old, new = set(original.TIME_THRESHOLDS), set(getattr(mutant, "TIME_THRESHOLDS", ()))
    if any(t < EARLIEST_DAY_SHIFT or min(abs(t - o) for o in old) > 1 for t in old ^ new):
        return False
    for day, key, _, after in diffs:
        if day < EARLIEST_DAY_SHIFT:
            return False
        if key == ("time_band_start",):
            if after != max(t for t in new if t <= day):
                return False
        elif after not in (_observe(original, day - 1)[key], _observe(original, day + 1)[key]):
            return False
    return True


def _reflex_shift_only(original: ModuleType, rule: dict, diffs: list) -> bool:
    allowed = set(rule["values"])
    for day, key, before, after in diffs:
        if key[0] != "umn" or key[3] != "reflex_shift" or key[1] not in rule["kinds"]:
            return False
        phase = _observe(original, day)[("umn", key[1], key[2], "phase")]
        if phase not in rule["phases"] or before not in allowed or after not in allowed:
            return False
    return True


def matching_rule(original_source: str, diff: str, rules: list[dict]) -> dict | None:
    """The first rule whose class holds every difference the mutant makes, or None."""
    original = load(original_source, "_mutation_original")
    try:
        mutant = load(apply_diff(original_source, diff), "_mutation_mutant")
    except Exception:
        return None  # it does not even load: not an equivalent
    diffs = effects(original, mutant)
    if not diffs:
        return None
    for rule in rules:
        if rule["effect"] == "day" and _within_a_day(original, mutant, diffs):
            return rule
        if rule["effect"] == "reflex_shift" and _reflex_shift_only(original, rule, diffs):
            return rule
    return None


# --- Inert over the lesion space -----------------------------------------------------------------
# The expectations table and most clinical tests state what one lesion shows. A mutant that
# changes no finding of any lesion in the enumerated lesion space (every site, level, side,
# severity, pattern and time band the engine models: the solver's table), neither in its textbook
# picture nor in two patients' own expressions of it (the per-patient variation, at two ages), is
# indistinguishable by anything a test could say about one lesion.

DIGEST_SCRIPT = """
import hashlib, sys
from vpatient.core.engine import Variation, derive_findings
from vpatient.core.lesion_space import lesion_space
def rows():
    for n, lesion in enumerate(lesion_space()):
        yield repr(sorted(derive_findings((lesion,)).items()))
        for variation in (Variation(2 * n + 1), Variation(2 * n + 2, age=78)):
            yield repr(sorted(derive_findings((lesion,), variation).items()))
sys.stdout.write(hashlib.sha256("\\n".join(rows()).encode()).hexdigest())
"""


def lesion_space_digest(src: Path, module: str, module_source: str, work: Path) -> str | None:
    """A hash of the findings of every lesion of the space, with ``module`` (a path inside the
    copy ``src``) replaced by ``module_source``; None when the package does not load."""
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(src / "vpatient", work / "vpatient",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (work / module).write_text(module_source)
    env = {**os.environ, "PYTHONPATH": str(work), "PYTHONHASHSEED": "0"}
    run = subprocess.run([sys.executable, "-c", DIGEST_SCRIPT], cwd=work, capture_output=True,
                         text=True, env=env)
    return run.stdout.strip() if run.returncode == 0 else None
