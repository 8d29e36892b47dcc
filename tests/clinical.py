"""Helpers for tests: build lesions and read findings in clinical terms."""

from __future__ import annotations

from vpatient.core.engine import derive_findings
from vpatient.core.lesion import parse_lesion


def lesion(site: str, side: str = "left", onset_days: float = 90, severity: str = "severe",
           **extra):
    return parse_lesion({"site": site, "side": side, "onset_days": onset_days,
                         "severity": severity, **extra})


def exam(*lesions):
    return derive_findings(lesions)


def weak(findings: dict, side: str, *movements: str) -> bool:
    return all(findings[f"power.{side}.{m}"] < 5 for m in movements)


def normal_power(findings: dict, side: str, *movements: str) -> bool:
    return all(findings[f"power.{side}.{m}"] == 5 for m in movements)


BRISK = ("3+", "4+")
REDUCED = ("0", "1+")
