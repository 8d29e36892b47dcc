"""Runs the clinical expectations table (issue 9): every statement in tests/expectations/*.toml.

Each case is derived once; a failure prints the statement, what the engine found and the source.
A group marked ``known_gap`` is a strict xfail: it must fail until the engine is fixed, and
then fails loudly so that the flag is removed.
"""

from __future__ import annotations

from functools import cache

import pytest
from expectation_table import Expectation, Unjudgeable, judge, load

from vpatient.core.engine import derive_findings
from vpatient.core.findings import NORMAL_FINDINGS
from vpatient.core.lesion import parse_lesion

EXPECTATIONS = load()


@cache
def _findings(lesions: tuple[str, ...]) -> dict:
    import json

    return derive_findings([parse_lesion(json.loads(data)) for data in lesions])


def findings_for(expectation: Expectation) -> dict:
    import json

    return _findings(tuple(json.dumps(d, sort_keys=True) for d in expectation.lesions))


def _param(e: Expectation):
    marks = [pytest.mark.xfail(strict=True, reason=f"known gap: {e.known_gap}")] \
        if e.known_gap else []
    return pytest.param(e, id=e.id, marks=marks)


@pytest.mark.parametrize("expectation", [_param(e) for e in EXPECTATIONS])
def test_clinical_expectation(expectation: Expectation) -> None:
    findings = findings_for(expectation)
    try:
        holds, found = judge(expectation, findings, NORMAL_FINDINGS)
    except Unjudgeable as problem:
        holds, found = False, str(problem)
    lesions = "; ".join(", ".join(f"{k}={v}" for k, v in d.items()) for d in expectation.lesions)
    assert holds, (f"\n  expected: {expectation.statement}\n  found:    {found}\n"
                   f"  source:   {expectation.source}\n  case:     {expectation.case} "
                   f"({lesions})")
