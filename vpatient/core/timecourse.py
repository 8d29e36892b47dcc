"""How signs change with time since onset (ref §6), as phase tables.

An upper motor neuron lesion's *expression* (tone, reflexes, plantar, clonus, Hoffmann) depends on
where it is and how long ago it began: a hyperacute stroke is flaccid (ref §6.1), an acute cord
lesion is in spinal shock (ref §6.2), both become spastic and hyperreflexic over weeks. Lower motor
neuron signs have their own clock (ref §6.3): weakness and areflexia at once, wasting after weeks,
fasciculations in chronic denervation.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

UmnKind = Literal["cerebral", "cord", "mnd"]


@dataclass(frozen=True)
class UmnExpression:
    phase: str
    tone: Literal["decreased", "normal", "spastic"]
    # Reflex grade steps from normal (2+): -2 areflexic, +2 pathologically brisk (4+).
    reflex_shift: int
    plantar: Literal["flexor", "extensor", "mute"]
    clonus: Literal["absent", "unsustained", "sustained"]

    @property
    def hoffmann(self) -> bool:
        """Whether a finger jerk at 3+ brings a Hoffmann sign: in the established (chronic) phase
        only (ref §5 "as UMN", §6.1). At 4+ the engine always shows it."""
        return self.phase == CHRONIC


# One row per phase: (phase name, starts at day, {severity: (tone, shift, plantar, clonus)}).
# Severity keys: "mild", "moderate", "severe", "complete".
_Row = tuple[str, int, str, str]
_M, _MO, _S, _C = "mild", "moderate", "severe", "complete"
# The first hours of a stroke; the established phase, last in every table.
HYPERACUTE, CHRONIC = "hyperacute", "chronic"


def _same(tone, shift, plantar, clonus) -> dict[str, _Row]:
    return {s: (tone, shift, plantar, clonus) for s in (_M, _MO, _S, _C)}


# ref §6.1: hyperacute flaccid, reflexes normal or reduced, plantar may already be extensor
# (about a third; the engine shows it in severe lesions); hyperreflexia over 1-2 weeks;
# spasticity established by about a month. Mild lesions may never become spastic.
# Every chronic row carries a pathological sign (ref §1.3: 3+ alone is upper-normal): a mild
# lesion shows 3+ reflexes with an extensor plantar and a Hoffmann sign (established phase),
# moderate and worse 4+.
_CHRONIC_UMN: dict[str, _Row] = {
    _M: ("normal", 1, "extensor", "absent"),
    _MO: ("spastic", 2, "extensor", "unsustained"),
    _S: ("spastic", 2, "extensor", "sustained"),
    _C: ("spastic", 2, "extensor", "sustained"),
}
CEREBRAL_PHASES: tuple[tuple[str, float, dict[str, _Row]], ...] = (
    (HYPERACUTE, 0, {
        _M: ("decreased", 0, "flexor", "absent"),
        _MO: ("decreased", 0, "flexor", "absent"),
        _S: ("decreased", -1, "extensor", "absent"),
        _C: ("decreased", -1, "extensor", "absent"),
    }),
    ("acute", 1, _same("normal", 1, "extensor", "absent")),
    # Reflexes brisk by 1-2 weeks, tone still rising: spasticity is established by about a
    # month (ref §6.1: 4% spastic at days 2-10, §8).
    ("subacute", 7, {
        _M: ("normal", 1, "extensor", "absent"),
        _MO: ("normal", 2, "extensor", "absent"),
        _S: ("normal", 2, "extensor", "unsustained"),
        _C: ("normal", 2, "extensor", "unsustained"),
    }),
    (CHRONIC, 28, _CHRONIC_UMN),
)

# ref §6.2, four-phase model: areflexia and mute plantars (day 0-1), first reflexes return
# (days 1-3), deep tendon reflexes return and become brisk with a Babinski (1-4 weeks),
# established spasticity (1-12 months).
CORD_PHASES: tuple[tuple[str, float, dict[str, _Row]], ...] = (
    ("spinal shock", 0, _same("decreased", -2, "mute", "absent")),
    ("spinal shock, reflexes returning", 3, _same("decreased", -1, "mute", "absent")),
    ("emerging upper motor neuron signs", 7, _same("normal", 0, "extensor", "absent")),
    # Phase 3 (1-4 weeks): reflexes return and become brisk, the Babinski sign appears;
    # spasticity belongs to phase 4, from about a month (ref §6.2).
    ("brisk reflexes, rising tone", 14, {
        _M: ("normal", 1, "extensor", "absent"),
        _MO: ("normal", 1, "extensor", "unsustained"),
        _S: ("normal", 2, "extensor", "unsustained"),
        _C: ("normal", 2, "extensor", "unsustained"),
    }),
    (CHRONIC, 28, _CHRONIC_UMN),
)

# ref §5.11 and §8: ALS is progressive over months; the Babinski sign is often absent, so the
# engine shows it only in severe disease.
MND_PHASES: tuple[tuple[str, float, dict[str, _Row]], ...] = (
    (CHRONIC, 0, {
        # Reflexes kept brisk in wasted muscle are the UMN sign of ALS (ref §5.11, pitfall 3).
        _M: ("normal", 2, "flexor", "absent"),
        _MO: ("spastic", 2, "flexor", "unsustained"),
        _S: ("spastic", 2, "extensor", "unsustained"),
        _C: ("spastic", 2, "extensor", "sustained"),
    }),
)
_PHASES: dict[UmnKind, tuple[tuple[str, float, dict[str, _Row]], ...]] = {
    "cerebral": CEREBRAL_PHASES, "cord": CORD_PHASES, "mnd": MND_PHASES,
}


def _phase_index(starts: tuple[float, ...], onset_days: float) -> int:
    """The phase holding ``onset_days``: the last whose start day has come (onsets are >= 0)."""
    return bisect_right(starts, onset_days) - 1


def _starts_of(phases: Iterable[float]) -> tuple[float, ...]:
    """A phase table's start days, checked: from day 0 (every onset has a phase), increasing."""
    starts = tuple(phases)
    if starts[0] != 0 or list(starts) != sorted(set(starts)):
        raise ValueError(f"phase start days must run upwards from day 0, not {starts}")
    return starts


_PHASE_STARTS: dict[UmnKind, tuple[float, ...]] = {
    kind: _starts_of(row[1] for row in phases) for kind, phases in _PHASES.items()}


def _phase_row(kind: UmnKind, onset_days: float) -> tuple[str, dict[str, _Row]]:
    name, _, rows = _PHASES[kind][_phase_index(_PHASE_STARTS[kind], onset_days)]
    return name, rows


def umn_expression(kind: UmnKind, onset_days: float, severity: str) -> UmnExpression:
    phase, rows = _phase_row(kind, onset_days)
    tone, shift, plantar, clonus = rows[severity]
    return UmnExpression(phase, tone, shift, plantar, clonus)  # type: ignore[arg-type]


def in_spinal_shock(onset_days: float) -> bool:
    return onset_days < CORD_PHASES[2][1]


# ref §6.3: visible wasting needs several weeks of denervation; a mild partial lesion takes longer.
WASTING_AFTER_DAYS = 21
WASTING_AFTER_DAYS_MILD = 90
# Fasciculations mark chronic denervation of the anterior horn (ref §4.1, §6.3); in a
# compressive myelopathy the grey matter at the level takes longer to show them (ref §5.5).
FASCICULATIONS_AFTER_DAYS = 30
CORD_FASCICULATIONS_AFTER_DAYS = 60
# Myopathic wasting develops much more slowly than neurogenic wasting (ref §5.18).
MYOPATHIC_WASTING_AFTER_DAYS = 180
# Unilateral UMN tongue deviation towards the hemiparesis is an acute sign that fades (ref §5.4).
UMN_TONGUE_DEVIATION_UNTIL_DAYS = 14
# Conjugate gaze deviation towards a large hemispheric lesion lasts days (ref §5.1).
GAZE_DEVIATION_UNTIL_DAYS = 3
# Dysphagia after a severe hemispheric stroke is an early problem that mostly resolves.
STROKE_DYSPHAGIA_UNTIL_DAYS = 14


@dataclass(frozen=True)
class SacralFunction:
    anal_tone: Literal["normal", "reduced", "absent"]
    bulbocavernosus: Literal["present", "absent"]
    bladder: Literal["normal", "urgency", "reflex", "retention"]


# The sacral reflexes below an acute cord lesion (ref §2.6, §6.2): all absent in the first day,
# the bulbocavernosus reflex among the first to return (days 1-3) while the bladder stays in
# retention; the reflex (uninhibited) bladder, emptying without warning and incompletely, once
# shock is over.
CORD_SACRAL_PHASES: tuple[tuple[float, SacralFunction], ...] = (
    (0, SacralFunction("absent", "absent", "retention")),
    (1, SacralFunction("reduced", "present", "retention")),
    (14, SacralFunction("normal", "present", "reflex")),
)


_SACRAL_STARTS = _starts_of(start for start, _ in CORD_SACRAL_PHASES)


def cord_sacral_function(onset_days: float) -> SacralFunction:
    return CORD_SACRAL_PHASES[_phase_index(_SACRAL_STARTS, onset_days)][1]


def wasting_visible(onset_days: float, severity: str) -> bool:
    needed = WASTING_AFTER_DAYS_MILD if severity == "mild" else WASTING_AFTER_DAYS
    return onset_days >= needed


# Every onset threshold the engine compares against. Findings depend on onset_days only through
# these, so two onsets in the same band give identical findings (the engine caches by band; a
# property test checks the invariant).
TIME_THRESHOLDS: tuple[float, ...] = tuple(sorted({
    *(row[1] for phases in _PHASES.values() for row in phases),
    WASTING_AFTER_DAYS, WASTING_AFTER_DAYS_MILD, FASCICULATIONS_AFTER_DAYS,
    CORD_FASCICULATIONS_AFTER_DAYS, MYOPATHIC_WASTING_AFTER_DAYS,
    UMN_TONGUE_DEVIATION_UNTIL_DAYS, GAZE_DEVIATION_UNTIL_DAYS, STROKE_DYSPHAGIA_UNTIL_DAYS,
    *(start for start, _ in CORD_SACRAL_PHASES),
}))


def time_band_start(onset_days: float) -> float:
    """The start of the band holding ``onset_days``: the same findings as ``onset_days``."""
    return TIME_THRESHOLDS[_phase_index(TIME_THRESHOLDS, onset_days)]  # day 0 is a threshold
