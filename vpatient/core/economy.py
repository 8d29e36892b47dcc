"""Examination economy (issue 13): which maneuvers decided this patient, which of the student's
added information, and the "examination" part of the score.

Everything is computed with the solver, never authored: the smallest set of maneuvers whose
findings decide this patient's answer, and, step by step through the student's log, the answers
each maneuver ruled out. The student knows the onset from the history, so the solver is given it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vpatient.core.case import Case
from vpatient.core.examination import MANEUVERS

# === Scoring data (README "How answers are scored") ==============================================
# The examination part's share of the total, where it counts (always in practice; in an exam,
# as exam.toml says). The localization parts share the rest as before.
EXAMINATION_WEIGHT = 0.2
# Within the examination part: a sufficient exam (its findings decide the answer) ...
SUFFICIENCY_WEIGHT = 0.6
# ... and a focused one (no more maneuvers than needed).
FOCUS_WEIGHT = 0.4
# Maneuvers beyond the minimal set that cost nothing: a screening look is good practice.
FREE_EXTRA_MANEUVERS = 4
# Sufficiency credit when the answer led the ranking but a rival still explained the findings
# about as well, and when the findings examined pointed elsewhere.
LEADING_BUT_UNDECIDED = 0.5
NOT_LEADING = 0.0
# Each hint taken costs this much of the focus credit (a hint does part of the reasoning).
HINT_COST = 0.1


@dataclass(frozen=True)
class Step:
    """One maneuver of the student's log and what it added."""

    maneuver: str
    label: str
    ruled_out: int                 # answers it ruled out
    examples: tuple[str, ...]      # a few of them, in words
    after_decided: bool            # performed when the answer was already decided

    @property
    def informative(self) -> bool:
        return self.ruled_out > 0

    def to_json(self) -> dict:
        return {"id": self.maneuver, "label": self.label, "informative": self.informative,
                "ruled_out": self.ruled_out, "examples": list(self.examples),
                "after_decided": self.after_decided}


@dataclass(frozen=True)
class Economy:
    performed: tuple[str, ...]
    minimal: tuple[str, ...] | None      # None: even the whole examination cannot decide
    steps: tuple[Step, ...]
    hints: tuple[str, ...]
    sufficiency: float
    focus: float

    @property
    def score(self) -> float:
        return SUFFICIENCY_WEIGHT * self.sufficiency + FOCUS_WEIGHT * self.focus

    @property
    def informative(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.informative)

    @property
    def uninformative(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if not s.informative)

    def to_json(self) -> dict:
        return {"score": round(self.score, 4), "weight": EXAMINATION_WEIGHT,
                "sufficiency": self.sufficiency, "focus": round(self.focus, 4),
                "performed": list(self.performed),
                "minimal": list(self.minimal) if self.minimal is not None else None,
                "steps": [s.to_json() for s in self.steps], "hints": list(self.hints)}


def combined_score(localization: float, examination: float, counts: bool = True) -> float:
    """The total: the localization score, with the examination part weighed in if it counts."""
    if not counts:
        return localization
    return (1 - EXAMINATION_WEIGHT) * localization + EXAMINATION_WEIGHT * examination


def focus_credit(performed: int, minimal: int | None, hints: int = 0) -> float:
    """Full credit up to the minimal set plus the free extras, then in proportion."""
    allowed = (minimal or 0) + FREE_EXTRA_MANEUVERS
    base = 1.0 if performed <= allowed else allowed / performed
    return max(0.0, base - HINT_COST * hints)


def assess(case: Case, performed: Sequence[str], hints: Sequence[str] = ()) -> Economy:
    """The economy of one examination of this case."""
    from vpatient.core import solver

    performed = tuple(m for m in dict.fromkeys(performed) if m in MANEUVERS)
    findings = solver.answer_findings(case)  # less what another lesion explains
    onset = case.lesions[0].onset_days
    key = case.answer_key
    minimal = solver.minimal_maneuvers(findings, key, onset)
    answers = solver.table().answers
    steps: list[Step] = []
    in_play = solver.solve({}, onset_days=onset, suggest=False).in_play_indices()
    decided = False
    for index, maneuver_id in enumerate(performed):
        seen = solver.restrict(findings, performed[: index + 1])
        after = solver.solve(seen, onset_days=onset, suggest=False)
        now = after.in_play_indices()
        remaining = set(now)
        gone = [a for a in in_play if a not in remaining]
        steps.append(Step(maneuver_id, MANEUVERS[maneuver_id].label, len(gone),
                          tuple(solver.answer_label(answers[a]) for a in gone[:3]), decided))
        in_play = now
        decided = decided or after.decided
    race = solver.rivalry(solver.restrict(findings, performed), key, onset)
    if race.decided:
        sufficiency = 1.0
    elif race.answer_distance <= (race.rival.distance if race.rival else race.answer_distance):
        sufficiency = LEADING_BUT_UNDECIDED if performed else NOT_LEADING
    else:
        sufficiency = NOT_LEADING
    focus = focus_credit(len(performed), len(minimal) if minimal is not None else None,
                         len(hints))
    return Economy(performed, minimal, tuple(steps), tuple(hints), sufficiency, focus)
