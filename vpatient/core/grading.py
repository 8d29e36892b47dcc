"""Grading a localization: credit per part, the evidence behind it, and why not the student's
answer.

Three modules share the work: ``scoring`` holds the weights and anatomical distances (the
credit), ``evidence`` turns findings into structure (which way each points, whether the student
examined it, where the patient parts from a simulation of the student's answer), and
``feedback`` words that structure. This module puts them together per part.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from vpatient.core import anatomy as A
from vpatient.core import evidence as E
from vpatient.core import feedback as F
from vpatient.core import timecourse as T
from vpatient.core.answer import NEURONS, Answer, AnswerKey, level_problem
from vpatient.core.case import Case
from vpatient.core.examination import MANEUVERS, revealed
from vpatient.core.lesion import Lesion, SpinalCordLesion, lesion_level
from vpatient.core.notes import lookalikes, notes_for_part
from vpatient.core.scoring import (  # noqa: F401  (the scoring data, importable from here too)
    LEVEL_CREDIT_BY_DISTANCE,
    NEURON_CREDIT,
    PART_WEIGHTS,
    REFUTED_PARTIAL_CREDIT,
    SIDE_CREDIT_UNILATERAL_VS_BILATERAL,
    SITE_CREDIT,
    SITE_NEIGHBOURS,
    level_credit,
    neuron_credit,
    refuted_credit,
    side_credit,
    site_credit,
)
from vpatient.core.wording import kind_of

# A lesion an answer could stand for, and the kinds of finding it is judged on (None: all).
Alternative = tuple[Lesion, "frozenset[str] | None"]
# A maneuver that would have refuted the student's own answer counts this many times more than
# one that separates the lesion from a look-alike the student did not name.
OWN_ANSWER_WEIGHT = 3
# Per alternative, the maneuvers that would have ruled it out, at most this many.
DECISIVE_PER_ALTERNATIVE = 2
# Neighbouring levels (segments or roots) a careful examination should exclude.
LEVEL_NEIGHBOURS = 2


@dataclass(frozen=True)
class PartGrade:
    part: str
    score: float
    weight: float
    given: str | None
    correct: str | None
    sentence: str
    evidence: tuple[E.Evidence, ...] = ()
    why_not: tuple[E.Contrast, ...] = ()
    accepted: bool = False       # the given value is one of the case's accepted alternatives
    refuted: bool = False        # partial credit withdrawn: examined findings refute the answer
    decider: str | None = None   # the maneuver not performed that would have decided it
    notes: tuple[str, ...] = ()  # the clinical notes that explain it

    def to_json(self) -> dict:
        out = {"part": self.part, "score": round(self.score, 3),
               "weight": round(self.weight, 3), "given": self.given, "correct": self.correct,
               "accepted": self.accepted, "sentence": self.sentence,
               "evidence": [e.to_json() for e in self.evidence]}
        if self.score < 1:
            out["why_not"] = [c.to_json() for c in self.why_not]
            out["refuted"] = self.refuted
            if self.decider:
                out["decider"] = {"id": self.decider, "label": missed_label(self.decider)}
        out["notes"] = list(self.notes)
        return out


@dataclass(frozen=True)
class MissedManeuver:
    id: str
    label: str

    def to_json(self) -> dict:
        return {"id": self.id, "label": self.label}


@dataclass(frozen=True)
class GradeResult:
    score: float
    parts: tuple[PartGrade, ...]
    answer: AnswerKey
    given: Answer
    missed_maneuvers: tuple[MissedManeuver, ...] = ()
    teaching: tuple[str, ...] = field(default_factory=tuple)
    log_known: bool = False  # graded with the exam log (the game, the exam, --performed)

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for p in self.parts for t in p.notes))

    def to_json(self) -> dict:
        out = {"score": round(self.score, 3), "parts": [p.to_json() for p in self.parts],
               "answer": self.answer.as_json(), "given": self.given.model_dump()}
        if self.log_known:
            out["missed_maneuvers"] = [m.to_json() for m in self.missed_maneuvers]
        if self.teaching:
            out["teaching"] = list(self.teaching)
        return out

    def as_text(self) -> str:
        lines = [f"Score: {self.score * 100:.0f}%"]
        for p in self.parts:
            mark = "right" if p.score >= 1 else "partly" if p.score > 0 else "wrong"
            lines.append(f"  {p.part:<7} {mark:<7} {p.score * 100:3.0f}%  {p.sentence}")
        correct = self.answer.canonical
        lines.append("Answer: " + ", ".join(
            f"{k} {F.value_label(k, v, correct.site)}" for k, v in correct.model_dump().items()
            if v is not None))
        if self.log_known:
            if self.missed_maneuvers:
                lines.append("Not examined, and it would have helped: "
                             + "; ".join(m.label for m in self.missed_maneuvers))
            else:
                lines.append("Examination: you performed every maneuver that separates this "
                             "lesion from its look-alikes.")
        for point in self.teaching:
            lines.append(f"  * {point}")
        if self.notes:
            lines.append("Read more: " + ", ".join(f"vpatient notes {t}" for t in self.notes))
        return "\n".join(lines) + "\n"


def _best(key: AnswerKey, name: str, score: Callable[[str | None], float]
          ) -> tuple[float, str | None]:
    """Best credit over a case's accepted values for one field, and the value that earned it."""
    options = [(score(value), value) for value in key.accepted(name)]
    return max(options, key=lambda o: o[0])


def _valid_level(site: str, level: str | None) -> str | None:
    return level if level is not None and level_problem(site, level) is None else None


@dataclass
class _Part:
    """One part while it is graded: the credit, then the evidence and the why-not."""

    name: str
    credit: float
    matched: str | None
    given: str | None
    canonical: str | None
    evidence: list[E.Evidence]
    reading: str
    hypothesis: Lesion | None = None
    contrasts: tuple[E.Contrast, ...] = ()
    grouped: bool = False


def grade(case: Case, given: Answer, performed: Sequence[str] | None = None) -> GradeResult:
    """Score ``given`` against the case's answer key, part by part, in 0..1; with the exam log
    (``performed``), the evidence tells what the student found from what was not examined."""
    key = case.answer_key
    correct = key.canonical
    patient = E.Patient(case, revealed(list(performed)) if performed is not None else None)
    lesion = patient.lesion
    has_level = correct.level is not None
    total = sum(w for p, w in PART_WEIGHTS.items() if has_level or p != "level")
    given_level = _valid_level(given.site, given.level)

    parts: list[_Part] = []
    # Neuron: the signs, and the most charitable lesion of the student's neuron type.
    credit, matched = _best(key, "neuron", lambda v: neuron_credit(given.neuron, v or ""))
    neuron_ev = E.neuron_evidence(patient)
    part = _Part("neuron", credit, matched, given.neuron, correct.neuron, neuron_ev,
                 F.neuron_reading(patient, correct.neuron, neuron_ev), grouped=True)
    if credit < 1:
        part.hypothesis, part.contrasts = E.best(
            patient, E.neuron_lesions(patient, given.neuron), kinds=E.NEURON_SIGN_KINDS)
    parts.append(part)

    # Site: the pattern, what its neighbours would have weakened, and the student's site.
    credit, matched = _best(key, "site", lambda v: site_credit(given.site, v or ""))
    neighbours = _neighbour_sites(patient, correct.site)
    site_ev = [*E.pattern_evidence(patient, correct.site, correct.site, neighbours),
               *E.spared_evidence(patient, neighbours, correct.site)]
    reading = F.site_reading(patient, correct.site)
    where = F.distribution(patient)
    part = _Part("site", credit, matched, given.site, correct.site, site_ev,
                 f"{reading}; {where}" if where else reading)
    if credit < 1:
        part.hypothesis, part.contrasts = E.best(
            patient, E.answer_lesions(patient, given.site, given_level))
    parts.append(part)

    neighbour_levels: list[Lesion] = []
    if has_level:
        credit, matched = _best(key, "level", lambda v: level_credit(
            given.site, given.level, correct.site, v or ""))
        classic = _lookalikes(patient)
        neighbour_levels = _neighbour_levels(patient) + classic
        # The classic look-alike counts twice: its discriminators are cited first.
        level_ev = [*E.pattern_evidence(patient, correct.level or "", correct.site,
                                        neighbour_levels + classic),
                    *E.spared_evidence(patient, neighbour_levels, correct.level or "")]
        part = _Part("level", credit, matched, given.level, correct.level, level_ev,
                     F.level_reading(correct.site, correct.level or ""))
        if credit < 1 and given_level is not None:
            part.hypothesis, part.contrasts = E.best(
                patient, E.answer_lesions(patient, given.site, given_level))
        parts.append(part)

    credit, matched = _best(key, "side", lambda v: side_credit(given.side, v or ""))
    part = _Part("side", credit, matched, given.side, correct.side,
                 E.side_evidence(patient, correct.side),
                 F.side_reading(patient, correct.site, correct.side))
    if credit < 1:
        moved = E.with_side(lesion, given.side) or E.answer_lesions(
            patient, lesion.site, lesion_level(lesion), (given.side,))
        part.hypothesis, part.contrasts = E.best(patient, moved)
    parts.append(part)

    cited_unseen: set[str] = set()
    said_found: list[str] = []  # the findings the part above listed
    graded = tuple(_finish(p, patient, given, correct, total, cited_unseen, said_found)
                   for p in parts)
    score = sum(p.score * p.weight for p in graded)
    missed: tuple[MissedManeuver, ...] = ()
    if performed is not None:
        own: list[Alternative] = [
            (p.hypothesis, E.NEURON_SIGN_KINDS if p.name == "neuron" else None)
            for p in parts if p.hypothesis is not None]
        others: list[Alternative] = [
            *((lesion, None) for lesion in [*neighbours, *neighbour_levels,
                                            *_other_sides(patient)]),
            *((lesion, E.NEURON_SIGN_KINDS) for lesion in _other_neurons(patient, key))]
        missed = tuple(missed_maneuvers(patient, performed, own, others))
    teaching = tuple(F.other_lesion_notes(case.lesions)) + tuple(case.teaching.points)
    return GradeResult(score, graded, key, given, missed, teaching, performed is not None)


def _finish(p: _Part, patient: E.Patient, given: Answer, correct: Answer, total: float,
            cited_unseen: set[str], said_found: list[str]) -> PartGrade:
    lesion = patient.lesion
    refuted = any(c.examined for c in p.contrasts)
    score = refuted_credit(p.name, p.credit, refuted)
    accepted = p.credit >= 1 and p.given != p.canonical
    decider = F.decider_maneuver(p.contrasts, patient) if p.credit < 1 else None
    sentence = F.verdict(p.name, score, p.credit, p.given, p.canonical or "", accepted,
                         correct.site, lesion.side, given.site)
    if p.credit < 1 and p.given is not None:
        shown = F.value_label(p.name, p.given, given.site if p.name == "level" else
                              correct.site)
        label = F.hypothesis_label(p.name, p.hypothesis, given.neuron)
        sentence += " " + F.why_not_text(shown, p.contrasts, label, decider, patient)
        if p.name in ("site", "level") and given.site == "nerve":
            sentence += F.nerves_text(patient, given.level)
    evidence, reading = p.evidence, p.reading
    if accepted and p.name == "neuron" and p.given:
        # Say what the student said: the signs of the type they named (the canonical answer's
        # other signs are in the accepted note).
        evidence = [e for e in p.evidence if e.points_to == p.given] or p.evidence
        reading = F.NEURON_READING[p.given]
    elif accepted and p.name == "side" and p.given:
        reading = F.side_reading(patient, correct.site, p.given)
    sentence += " " + F.support_text(evidence, reading, patient, grouped=p.grouped,
                                     cited_unseen=cited_unseen, said_found=said_found)
    notes = notes_for_part(
        p.name, site=correct.site, given_site=given.site, level=correct.level,
        given_level=given.level, neuron=correct.neuron, given_neuron=given.neuron,
        spinal_shock=isinstance(lesion, SpinalCordLesion)
        and T.in_spinal_shock(lesion.onset_days),
        hyperacute=lesion.site in F.CEREBRAL and lesion.onset_days < 1,
        acute_demyelinating=getattr(lesion, "pattern", None) == "acute_demyelinating",
        facial=getattr(lesion, "name", None) == "facial")
    return PartGrade(p.name, score, PART_WEIGHTS[p.name] / total, p.given, p.canonical,
                     sentence, tuple(p.evidence), p.contrasts, accepted, score < p.credit,
                     decider.id if decider else None, notes)


# === The look-alikes a careful examination excludes ==============================================


def _neighbour_sites(patient: E.Patient, site: str) -> list[Lesion]:
    """The most charitable lesion of each neighbouring structure (those earning part credit)."""
    out = []
    for other in A.UMN_STATIONS + tuple(s for s in _all_sites() if s not in A.UMN_STATIONS):
        if other != site and site_credit(other, site) > 0:
            lesion, _ = E.best(patient, E.answer_lesions(patient, other, None))
            if lesion is not None:
                out.append(lesion)
    return out


def _all_sites() -> tuple[str, ...]:
    from vpatient.core.lesion import SITES

    return SITES


def _neighbour_levels(patient: E.Patient) -> list[Lesion]:
    """The same structure a segment or two away (cord and roots), or its sibling parts."""
    lesion = patient.lesion
    level = lesion_level(lesion)
    if level is None or lesion.site not in ("root", "spinal_cord", "plexus"):
        return []
    if lesion.site == "plexus":
        siblings = [p for p, (limb, _) in A.PLEXUS_PARTS.items()
                    if p != level and limb == A.PLEXUS_PARTS[level][0]]
    else:
        order = A.ROOT_LEVELS if lesion.site == "root" else A.SEGMENTS
        index = order.index(level)
        siblings = [order[i] for i in range(index - LEVEL_NEIGHBOURS, index + LEVEL_NEIGHBOURS + 1)
                    if 0 <= i < len(order) and i != index
                    and (lesion.site != "root" or _limb(order[i]) == _limb(level))]
    out = []
    for other in siblings:
        best, _ = E.best(patient, E.answer_lesions(patient, lesion.site, other))
        if best is not None:
            out.append(best)
    return out


def _lookalikes(patient: E.Patient) -> list[Lesion]:
    """The classic look-alikes of the lesion (ref §5.15): the peroneal nerve for L5, ..."""
    lesion = patient.lesion
    out = []
    for site, level in lookalikes(lesion.site, lesion_level(lesion)):
        best, _ = E.best(patient, E.answer_lesions(patient, site, level))
        if best is not None:
            out.append(best)
    return out


def _limb(root: str) -> str:
    return "arm" if root[0] in "CT" else "leg"


def _other_sides(patient: E.Patient) -> list[Lesion]:
    return [moved for side in E.ALL_SIDES if side != patient.lesion.side
            for moved in E.with_side(patient.lesion, side)]


def _other_neurons(patient: E.Patient, key: AnswerKey) -> list[Lesion]:
    out = []
    for neuron in NEURONS:
        if not key.accepts("neuron", neuron):
            lesion, _ = E.best(patient, E.neuron_lesions(patient, neuron),
                               kinds=E.NEURON_SIGN_KINDS)
            if lesion is not None:
                out.append(lesion)
    return out


# === Missed maneuvers ============================================================================


def missed_label(mid: str) -> str:
    return F.maneuver_label(MANEUVERS[mid])


def missed_maneuvers(patient: E.Patient, performed: Sequence[str],
                     own: Sequence[Alternative], others: Sequence[Alternative]
                     ) -> list[MissedManeuver]:
    """The maneuvers never performed that would have decided: for the student's own answer
    (always) and for each look-alike the examination left open (nothing examined refutes it),
    its most decisive maneuvers; ranked by how much they decide (the student's answer counts
    OWN_ANSWER_WEIGHT times a look-alike), then by how decisive the sign. An alternative that
    stands for a neuron type is judged on the signs of neuron type only."""
    done = set(performed)
    weight: dict[str, float] = {}
    first_key: dict[str, str] = {}
    own_lesions = [lesion for lesion, _ in own]
    alternatives = [(alt, OWN_ANSWER_WEIGHT) for alt in own] + \
        [(alt, 1) for alt in others if alt[0] not in own_lesions]
    for (lesion, kinds), w in alternatives:
        contrasts = [c for c in patient.contrasts(lesion)
                     if kinds is None or kind_of(c.key) in kinds]
        if w == 1 and any(c.examined for c in contrasts):
            continue  # already ruled out by what the student found
        decisive: list[str] = []
        # What the patient shows first (the lesion's own signs), then what it spares.
        for c in sorted(contrasts, key=lambda c: not E.is_abnormal(c.key, c.found)):
            mid = E.maneuver_of(c.key)
            if mid not in done and mid not in decisive:
                decisive.append(mid)
                first_key.setdefault(mid, c.key)
            if len(decisive) == DECISIVE_PER_ALTERNATIVE:
                break
        for mid in decisive:
            weight[mid] = weight.get(mid, 0) + w
    ranked = sorted(weight, key=lambda m: (-weight[m], *E.cite_rank(first_key[m])))
    return [MissedManeuver(m, missed_label(m)) for m in ranked]
