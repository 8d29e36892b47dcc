"""Runs the clinical expectations table (issue 9): every statement in tests/expectations/*.toml.

One test per expect group (a handful of statements sharing a source; fewer test items keep the
per-mutant run of the mutation benchmark short). Each case is derived once; a failure prints
every statement that does not hold, what the engine found and the source. A group marked
``known_gap`` is a strict xfail: it must fail until the engine is fixed, and then fails loudly
so that the flag is removed.
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
    """The derived findings, plus the case's answer as ``answer.neuron`` ... ``answer.level``
    (ref §5.0 gives the neuron type of each site)."""
    import json

    from vpatient.core.answer import derive_answer

    parsed = [parse_lesion(json.loads(data)) for data in lesions]
    answer = derive_answer(parsed).canonical
    return {**derive_findings(parsed),
            **{f"answer.{k}": v if v is not None else "none"
               for k, v in answer.model_dump().items()}}


def findings_for(expectation: Expectation) -> dict:
    import json

    return _findings(tuple(json.dumps(d, sort_keys=True) for d in expectation.lesions))


def _groups() -> list:
    groups: dict[tuple, list[Expectation]] = {}
    for e in EXPECTATIONS:
        groups.setdefault((e.file, e.case, e.source, e.known_gap), []).append(e)
    params = []
    for (file, case, source, gap), members in groups.items():
        marks = [pytest.mark.xfail(strict=True, reason=f"known gap: {gap}")] if gap else []
        params.append(pytest.param(members, id=f"{file}: {case}: {source[:60]}", marks=marks))
    return params


@pytest.mark.parametrize("group", _groups())
def test_clinical_expectations(group: list[Expectation]) -> None:
    failures = []
    for expectation in group:
        try:
            holds, found = judge(expectation, findings_for(expectation), NORMAL_FINDINGS)
        except Unjudgeable as problem:
            holds, found = False, str(problem)
        if not holds:
            failures.append(f"\n  expected: {expectation.statement}\n  found:    {found}")
    first = group[0]
    lesions = "; ".join(", ".join(f"{k}={v}" for k, v in d.items()) for d in first.lesions)
    assert not failures, ("".join(failures) + f"\n  source:   {first.source}\n"
                          f"  case:     {first.case} ({lesions})")


# --- The table itself -----------------------------------------------------------------------------


def test_the_table_holds_at_least_600_sourced_expectations():
    assert len(EXPECTATIONS) >= 600
    assert all(e.source for e in EXPECTATIONS)


def _lesions_where(**fields) -> list[dict]:
    return [d for e in EXPECTATIONS for d in e.lesions
            if all(d.get(k) == v for k, v in fields.items())]


def test_every_site_nerve_branch_plexus_part_and_cord_pattern_is_covered():
    """Coverage over the lesion vocabulary of design §3 (the vocabulary, not the engine's facts):
    a new site, nerve branch or plexus part needs expectations before it can ship."""
    from typing import get_args

    from vpatient.core.anatomy import NERVES, PLEXUS_PARTS
    from vpatient.core.lesion import SITES, SpinalCordLesion

    assert {s for s in SITES if not _lesions_where(site=s)} == set()
    for name, nerve in NERVES.items():
        for at in nerve.sites:
            covered = [d for d in _lesions_where(site="nerve", name=name)
                       if d.get("at", nerve.default_at) == at]
            assert covered, f"no expectation for the {name} nerve at {at}"
    assert {p for p in PLEXUS_PARTS if not _lesions_where(site="plexus", part=p)} == set()
    patterns = get_args(SpinalCordLesion.model_fields["pattern"].annotation)
    for pattern in patterns:
        for region in ("C", "T", "L"):
            assert [d for d in _lesions_where(site="spinal_cord", pattern=pattern)
                    if d["level"].startswith(region)], f"no {pattern} cord lesion at {region}"


def test_every_movement_and_reflex_is_weighed_by_a_root_lesion():
    """Each movement's myotome and each limb reflex arc is stated for at least one root lesion
    (weak or depressed) and spared by another (ref §2.3, §2.4, §3.1)."""
    from vpatient.core.findings import FINDING_SPECS

    by_root = [e for e in EXPECTATIONS if e.lesions[0]["site"] == "root"]
    names = {k.split(".")[2] for k in FINDING_SPECS if k.startswith(("power.", "reflex."))
             and k.count(".") == 2}
    for name in names:
        said = [e.statement for e in by_root if e.key.split(".")[-1] == name]
        affected = [s for s in said if s.endswith(("is weak", "is depressed", "is reduced"))]
        spared = [s for s in said if s.endswith(("is spared", "is normal"))]
        assert affected and spared, f"{name}: no root lesion weakens and spares it"
