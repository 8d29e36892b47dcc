"""The classes of equivalent time-course mutants (issue 9) cover what their reasons say, no more.

``benchmarks/mutation_effects.py`` judges a surviving mutant of the time course by what it changes;
``benchmarks/mutation_equivalents.toml`` names the classes a neutral change may fall in. These tests
mutate the real module by hand and check which mutants the classes take and which they refuse.
"""

from __future__ import annotations

import difflib
import importlib.util
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = (ROOT / "vpatient" / "core" / "timecourse.py").read_text()
MODULE = "vpatient/core/timecourse.py"


def _effects_module():
    spec = importlib.util.spec_from_file_location(
        "mutation_effects", ROOT / "benchmarks" / "mutation_effects.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["mutation_effects"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


effects = _effects_module()
RULES = [rule for rule in tomllib.loads(
    (ROOT / "benchmarks" / "mutation_equivalents.toml").read_text())["equivalent_effect"]
    if rule["module"] == MODULE]


def _class_of(line: str, mutated: str) -> str | None:
    """The class (effect and phases) that takes the mutant changing ``line`` to ``mutated``."""
    assert SOURCE.count(line) == 1, line
    diff = "".join(difflib.unified_diff(SOURCE.splitlines(keepends=True),
                                        SOURCE.replace(line, mutated).splitlines(keepends=True)))
    rule = effects.matching_rule(SOURCE, diff, RULES)
    return None if rule is None else f"{rule['effect']} {rule.get('phases', [])}"


def test_a_diff_applies_back_to_the_mutant():
    mutated = SOURCE.replace("WASTING_AFTER_DAYS = 21", "WASTING_AFTER_DAYS = 20")
    diff = "".join(difflib.unified_diff(SOURCE.splitlines(keepends=True),
                                        mutated.splitlines(keepends=True)))
    assert effects.apply_diff(SOURCE, diff) == mutated


@pytest.mark.parametrize(("line", "mutated"), [
    ('("brisk reflexes, rising tone", 14, {', '("brisk reflexes, rising tone", 15, {'),
    ("WASTING_AFTER_DAYS = 21", "WASTING_AFTER_DAYS = 20"),
    ("CORD_FASCICULATIONS_AFTER_DAYS = 60", "CORD_FASCICULATIONS_AFTER_DAYS = 61"),
    ("return onset_days >= needed", "return onset_days > needed"),
    ('("spinal shock, reflexes returning", 3,', '("spinal shock, reflexes returning", 2,'),
])
def test_a_boundary_moved_by_a_day_from_day_two_is_within_the_sources(line, mutated):
    assert _class_of(line, mutated) == "day []"


@pytest.mark.parametrize(("line", "mutated"), [
    # hyperacute (hours) to acute: timed closer than a day
    ('("acute", 1, _same(', '("acute", 2, _same('),
    # a week, not a day
    ("WASTING_AFTER_DAYS = 21", "WASTING_AFTER_DAYS = 28"),
    # the first day is timed in hours: not a free boundary
    ('(1, SacralFunction("reduced", "present", "retention")),',
     '(2, SacralFunction("reduced", "present", "retention")),'),
])
def test_early_or_larger_moves_are_not_taken(line, mutated):
    assert _class_of(line, mutated) is None


def test_reflex_grades_the_sources_leave_open_are_taken():
    hyperacute = '_MO: ("decreased", 0, "flexor", "absent"),'
    assert _class_of(hyperacute, hyperacute.replace(" 0,", " -1,")) == "reflex_shift ['hyperacute']"
    chronic = '_MO: ("spastic", 2, "extensor", "unsustained"),'
    assert _class_of(chronic, chronic.replace(" 2,", " 1,")).startswith("reflex_shift")


@pytest.mark.parametrize(("line", "mutated"), [
    # a hyperacute stroke with brisk reflexes on the weak side (ref §6.1: normal or reduced)
    ('_MO: ("decreased", 0, "flexor", "absent"),', '_MO: ("decreased", 1, "flexor", "absent"),'),
    # a chronic lesion without brisk reflexes
    ('_M: ("normal", 1, "extensor", "absent"),\n    _MO: ("spastic"',
     '_M: ("normal", 0, "extensor", "absent"),\n    _MO: ("spastic"'),
    # tone, plantar and clonus are never in a class
    ('_S: ("spastic", 2, "extensor", "sustained"),\n    _C: ("spastic", 2, "extensor", "sus',
     '_S: ("normal", 2, "extensor", "sustained"),\n    _C: ("spastic", 2, "extensor", "sus'),
    ('_MO: ("spastic", 2, "flexor", "unsustained"),',
     '_MO: ("spastic", 2, "extensor", "unsustained"),'),
    # spinal shock over too early
    ("return onset_days < CORD_PHASES[2][1]", "return onset_days < CORD_PHASES[1][1]"),
    # a module that no longer loads
    ("CHRONIC = ", "CHRONIC = 1 / 0 or "),
])
def test_a_clinical_change_is_never_taken(line, mutated):
    assert _class_of(line, mutated) is None


def test_every_brisk_row_keeps_an_upper_motor_neuron_sign_besides_its_grade():
    """The 3+/4+ class is neutral only because a row at 3+ still shows an UMN sign the sources
    name: an extensor plantar, a Hoffmann sign (established phase) or clonus (ref §1.3: 3+ alone
    is within normal)."""
    from vpatient.core import timecourse as T

    brisk = next(rule for rule in RULES if 3 in rule.get("values", []))
    for phases in (T.CEREBRAL_PHASES, T.CORD_PHASES, T.MND_PHASES):
        for name, _, rows in phases:
            if name not in brisk["phases"]:
                continue
            for severity, (_, shift, plantar, clonus) in rows.items():
                expression = T.UmnExpression(name, "normal", 1, plantar, clonus)
                assert shift in brisk["values"], (name, severity)
                assert plantar == "extensor" or expression.hoffmann or clonus != "absent", \
                    (name, severity)


def test_every_listed_equivalent_still_names_a_line_or_table_of_its_module():
    """An entry whose line has left the module can never match a mutant again: it is dropped
    rather than left to make the list look reasoned about code that no longer exists."""
    listed = tomllib.loads((ROOT / "benchmarks" / "mutation_equivalents.toml").read_text())
    for entry in listed["equivalent"]:
        source = (ROOT / entry["module"]).read_text()
        if "table" in entry:
            assert f"\n{entry['table']}" in source, entry["table"]
        else:
            assert entry["line"] in source, entry["line"]
        assert entry["reason"].strip()
