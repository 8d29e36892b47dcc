"""Findings as evidence: which way each finding points, whether the student examined it, and
where the patient differs from the lesion the student named.

Everything here is structure (keys, values, directions); the words are ``feedback``'s. A
patient is compared with a simulated lesion *by direction* (weak vs normal, brisk vs reduced,
present vs absent), never by exact grade: grades vary from patient to patient.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from pydantic import ValidationError

from vpatient.core import anatomy as A
from vpatient.core.answer import derive_answer
from vpatient.core.case import Case
from vpatient.core.engine import derive_findings, explained_by
from vpatient.core.examination import MANEUVER_FOR_KEY
from vpatient.core.findings import FINDING_KEYS, FINDING_SPECS, NORMAL_FINDINGS, FindingValue
from vpatient.core.lesion import Lesion, lesion_level, parse_lesion
from vpatient.core.lesion_space import site_parameters
from vpatient.core.wording import areas, kind_of, movement_of, pattern_of

Findings = Mapping[str, FindingValue]

# === Directions ==================================================================================

# How a reflex grade reads (ref §1.3): 3+ is the upper half of normal and also "brisk", so it
# agrees with both; only a clear difference (reduced vs brisk, 2+ vs 4+) counts.
REFLEX_READINGS: dict[str, frozenset[str]] = {
    "0": frozenset({"reduced"}), "1+": frozenset({"reduced"}), "2+": frozenset({"normal"}),
    "3+": frozenset({"normal", "brisk"}), "4+": frozenset({"brisk"}),
}
# A few beats of clonus can be normal: unsustained agrees with both absent and present.
CLONUS_READINGS: dict[str, frozenset[str]] = {
    "absent": frozenset({"absent"}), "unsustained": frozenset({"absent", "present"}),
    "sustained": frozenset({"present"}),
}
# A sensory level is found to within a segment (ref §2.5): levels one apart agree.
SENSORY_LEVEL_TOLERANCE = 1


def readings(key: str, value: FindingValue) -> frozenset[str]:
    """The directions a value reads as; two values agree when their readings overlap."""
    memo = (key, value if not isinstance(value, list) else tuple(value))
    cached = _READINGS.get(memo)
    if cached is None:
        cached = _READINGS[memo] = _readings(key, value)
    return cached


_READINGS: dict[tuple, frozenset[str]] = {}


def _readings(key: str, value: FindingValue) -> frozenset[str]:
    spec = FINDING_SPECS.get(key)
    kind = kind_of(key)
    if spec is not None and spec.kind == "power":
        return frozenset({"normal" if int(value) >= 5 else "weak"})
    if kind == "reflex":
        return REFLEX_READINGS.get(str(value), frozenset({str(value)}))
    if kind == "clonus":
        return CLONUS_READINGS.get(str(value), frozenset({str(value)}))
    if kind == "sensory_level" and value in A.SEGMENT_INDEX:
        index = A.SEGMENT_INDEX[str(value)]
        return frozenset({str(index + step) for step in range(SENSORY_LEVEL_TOLERANCE + 1)})
    if kind == "numb_area":
        return frozenset({"|".join(sorted(areas(value)))})
    return frozenset({str(value)})


def agree(key: str, a: FindingValue, b: FindingValue) -> bool:
    if a == b:
        return True
    memo = (key, a, b) if not isinstance(a, list) and not isinstance(b, list) else None
    cached = _AGREE.get(memo) if memo else None
    if cached is None:
        cached = bool(readings(key, a) & readings(key, b))
        if memo:
            _AGREE[memo] = cached
    return cached


_AGREE: dict[tuple, bool] = {}


def is_abnormal(key: str, value: FindingValue) -> bool:
    return not agree(key, value, NORMAL_FINDINGS[key])


# === Signs: which neuron a finding points to (ref §4.1) ==========================================

# (kind or side-free pattern, value) -> the neuron type the sign points to.
NEURON_SIGNS: dict[tuple[str, FindingValue], str] = {
    ("plantar", "extensor"): "UMN", ("tone", "spastic"): "UMN", ("hoffmann", "present"): "UMN",
    ("clonus", "sustained"): "UMN", ("clonus", "unsustained"): "UMN",
    ("reflex", "3+"): "UMN", ("reflex", "4+"): "UMN",
    ("gait", "hemiplegic_left"): "UMN", ("gait", "hemiplegic_right"): "UMN",
    ("gait", "spastic_paraparetic"): "UMN",
    # A broken C5-6 arc with brisk reflexes below it (ref §3.2): both neurons at once.
    ("inverted_supinator", "present"): "mixed",
    ("wasting", True): "LMN", ("fasciculations", True): "LMN", ("reflex", "0"): "LMN",
    ("reflex", "1+"): "LMN", ("tone", "decreased"): "LMN", ("plantar", "mute"): "LMN",
    ("gait", "steppage_left"): "LMN", ("gait", "steppage_right"): "LMN",
    ("gait", "steppage_bilateral"): "LMN",
    ("face.upper", "weak"): "LMN",  # the forehead is weak only in a lower motor neuron palsy
    ("eyes", "third_nerve_palsy"): "LMN", ("eyes", "sixth_nerve_palsy"): "LMN",
    # (A drooping lid alone may be Horner's: the pupil tells; weak eye movements that fit no
    # single nerve are the junction's.)
    ("fatigability", True): "NMJ", ("eyes", "ophthalmoparesis"): "NMJ",
    ("eyes", "ptosis_ophthalmoparesis"): "NMJ",
    ("gait", "waddling"): "muscle",
    # Bulbar (LMN) vs pseudobulbar (UMN) palsy (ref §2.2); superficial and sacral reflexes
    # (ref §2.6, §3.2).
    ("gag", "brisk"): "UMN", ("gag", "reduced"): "LMN",
    ("speech", "spastic_dysarthria"): "UMN", ("speech", "flaccid_dysarthria"): "LMN",
    ("speech", "mixed_dysarthria"): "mixed",
    ("abdominal", "absent"): "UMN",
    ("anal_tone", "reduced"): "LMN", ("anal_tone", "absent"): "LMN",
    ("bulbocavernosus", "absent"): "LMN",
}
# The kinds of finding that tell the neuron types apart.
NEURON_SIGN_KINDS: frozenset[str] = frozenset(
    {kind.split(".")[0] for kind, _ in NEURON_SIGNS} | {"face", "tongue"}
)


def neuron_sign(key: str, value: FindingValue, findings: Findings) -> str | None:
    """The neuron type a finding points to, in the context of the patient's other findings."""
    kind = kind_of(key)
    if kind == "face" and key.endswith(".lower") and value == "weak":
        # Lower face weak with the forehead spared: a central (upper motor neuron) palsy.
        upper = findings.get(key.replace(".lower", ".upper"), "normal")
        return "UMN" if upper == "normal" else "LMN"
    if key == "tongue.deviation" and value != "none":
        return "LMN" if findings.get("wasting.tongue") is True else None
    for name in (pattern_of(key), kind):
        sign = NEURON_SIGNS.get((name, value))
        if sign is not None:
            return sign
    return None


# === The order in which a clinician cites findings ===============================================

# Most decisive first: the plantar before the tone.
CITE_ORDER: tuple[str, ...] = (
    "plantar", "face", "eyes", "clonus", "hoffmann", "inverted_supinator", "wasting",
    "fasciculations", "reflex", "power", "language", "neglect", "visual_fields",
    "cortical_sensation", "gaze", "pupils", "tongue", "speech", "gag", "swallowing",
    "fatigability", "sensory_level", "suspended_loss", "numb_area", "position_sense",
    "vibration", "abdominal", "anal_tone", "bulbocavernosus", "bladder", "tone", "gait",
    "romberg",
)
_RANK = {kind: i for i, kind in enumerate(CITE_ORDER)}
_KEY_INDEX = {key: i for i, key in enumerate(FINDING_SPECS)}


def cite_rank(key: str) -> tuple[int, int]:
    rank = _CITE_RANKS.get(key)
    return rank if rank is not None else (_RANK.get(kind_of(key), len(_RANK)), 0)


_CITE_RANKS: dict[str, tuple[int, int]] = {
    key: (_RANK.get(key.split(".")[0], len(_RANK)), i) for key, i in _KEY_INDEX.items()}


# === Evidence ====================================================================================


@dataclass(frozen=True)
class Evidence:
    """One finding cited for a part: what it is, which way it points, whether it was seen."""

    key: str
    value: FindingValue
    side: str | None
    points_to: str
    examined: bool

    def to_json(self) -> dict:
        return {"key": self.key, "value": self.value, "side": self.side,
                "points_to": self.points_to, "examined": self.examined}


@dataclass(frozen=True)
class Contrast:
    """A finding where the patient and the lesion the student named part ways (a why_not)."""

    key: str
    expected: FindingValue  # under the student's answer
    found: FindingValue     # in this patient
    examined: bool

    def to_json(self) -> dict:
        return {"key": self.key, "expected": self.expected, "found": self.found,
                "examined": self.examined}


@lru_cache(maxsize=16384)
def _derived(lesions: tuple[Lesion, ...]) -> tuple[FindingValue, ...]:
    """A simulation's findings as a tuple in FINDING_KEYS order (compared thousands of times
    per grading)."""
    findings = derive_findings(lesions)
    return tuple(findings[k] for k in FINDING_KEYS)


class Patient:
    """A case as the grader weighs it: its findings, what its graded lesion explains, what the
    student examined, and the simulations it is compared with (cached per grading)."""

    def __init__(self, case: Case, examined: Iterable[str] | None) -> None:
        self.case = case
        self.lesion: Lesion = case.lesions[0]
        self.findings: dict[str, FindingValue] = case.all_findings
        # None: no exam log (the command line without --performed).
        self.examined: frozenset[str] | None = None if examined is None else frozenset(examined)
        own = explained_by(self.lesion)
        # The graded lesion's signs, as this patient shows them.
        self.explained: dict[str, FindingValue] = {
            k: self.findings[k] for k in own if is_abnormal(k, self.findings[k])}
        # Keys the lesions account for: where an override or the patient's own variation turns
        # a finding the other way, no simulation can be blamed for disagreeing with it.
        truth = derive_findings(case.lesions)
        self.comparable: tuple[str, ...] = tuple(
            k for k in FINDING_SPECS if agree(k, truth[k], self.findings[k]))
        self._values = tuple(self.findings[k] for k in FINDING_KEYS)
        comparable = set(self.comparable)
        self._comparable_index = tuple((i, k) for i, k in enumerate(FINDING_KEYS)
                                       if k in comparable)
        self._simulated: dict[Lesion, tuple[Contrast, ...]] = {}

    @property
    def log_known(self) -> bool:
        return self.examined is not None

    def seen(self, key: str) -> bool:
        return self.examined is not None and key in self.examined

    def evidence(self, key: str, points_to: str) -> Evidence:
        return Evidence(key, self.findings[key], FINDING_SPECS[key].side, points_to,
                        self.seen(key))

    def contrasts(self, lesion: Lesion) -> tuple[Contrast, ...]:
        """Where this patient differs, by direction, from one with ``lesion`` instead of the
        graded lesion (the patient's other lesions kept), examined first, most decisive first."""
        cached = self._simulated.get(lesion)
        if cached is not None:
            return cached
        expected = _derived((lesion, *self.case.lesions[1:]))
        found = self._values
        out = [Contrast(key, expected[i], found[i], self.seen(key))
               for i, key in self._comparable_index
               if expected[i] != found[i] and not agree(key, expected[i], found[i])]
        out.sort(key=lambda c: (not c.examined, _CITE_RANKS[c.key]))
        self._simulated[lesion] = result = tuple(out)
        return result


# === Hypotheses: the lesions an answer can stand for =============================================

MND_MIN_ONSET_DAYS = 30  # the lesion model's own floor (ref §5.11: no acute form)


def candidates(site: str, level: str | None, sides: Iterable[str], onset_days: float,
               severity: str) -> list[Lesion]:
    """Every lesion of this kind the answer can stand for (at ``level`` when given), at this
    severity and onset: the site's part of the lesion space."""
    return list(_candidates(site, level, tuple(sides), onset_days, severity))


@lru_cache(maxsize=4096)
def _candidates(site: str, level: str | None, sides: tuple[str, ...], onset_days: float,
                severity: str) -> tuple[Lesion, ...]:
    if site == "motor_neuron_disease":
        onset_days = max(onset_days, MND_MIN_ONSET_DAYS)
    out: list[Lesion] = []
    for fields in site_parameters(site):
        if fields["side"] not in sides:
            continue
        try:
            lesion = parse_lesion({"site": site, "onset_days": onset_days, "severity": severity,
                                   **fields})
        except ValidationError:
            continue
        if level is None or lesion_level(lesion) == level:
            out.append(lesion)
    return tuple(out)


ALL_SIDES: tuple[str, ...] = ("left", "right", "bilateral")


def affected_sides(findings: Iterable[str]) -> frozenset[str]:
    return frozenset(s for k in findings if (s := FINDING_SPECS[k].side) is not None)


@lru_cache(maxsize=8192)
def _sides_affected_by(lesion: Lesion) -> frozenset[str]:
    return affected_sides(explained_by(lesion))


def best(patient: Patient, lesions: Iterable[Lesion], kinds: frozenset[str] | None = None
         ) -> tuple[Lesion | None, tuple[Contrast, ...]]:
    """The most charitable reading of an answer: of the lesions it can stand for that affect
    the same side(s) of the body as this patient's (a side error is the side part's to judge),
    the one the student's examination refutes least (then the whole examination), and its
    contrasts (restricted to ``kinds`` of finding when given)."""
    lesions = list(lesions)
    sides = affected_sides(patient.explained)
    same = [lesion for lesion in lesions if _sides_affected_by(lesion) == sides]
    chosen: Lesion | None = None
    chosen_contrasts: tuple[Contrast, ...] = ()
    best_key: tuple[int, int] | None = None
    for lesion in same or lesions:
        contrasts = patient.contrasts(lesion)
        if kinds is not None:
            contrasts = tuple(c for c in contrasts if kind_of(c.key) in kinds)
        key = (sum(c.examined for c in contrasts), len(contrasts))
        if best_key is None or key < best_key:
            chosen, chosen_contrasts, best_key = lesion, contrasts, key
    return chosen, chosen_contrasts


def answer_lesions(patient: Patient, site: str, level: str | None,
                   sides: Iterable[str] = ALL_SIDES) -> list[Lesion]:
    lesion = patient.lesion
    return candidates(site, level, sides, lesion.onset_days, lesion.severity)


def neuron_lesions(patient: Patient, neuron: str) -> list[Lesion]:
    """Lesions of every site whose answer accepts this neuron type."""
    from vpatient.core.lesion import SITES

    out = []
    for site in SITES:
        for lesion in answer_lesions(patient, site, None):
            if derive_answer((lesion,)).accepts("neuron", neuron):
                out.append(lesion)
    return out


def with_side(lesion: Lesion, side: str) -> list[Lesion]:
    """The same lesion on another side, if it can be on that side."""
    data = {**lesion.model_dump(exclude_none=True), "site": lesion.site, "side": side}
    try:
        return [parse_lesion(data)]
    except ValidationError:
        return []


def level_of(lesion: Lesion) -> str | None:
    return lesion_level(lesion)


def maneuver_of(key: str) -> str:
    return MANEUVER_FOR_KEY[key]


# === What each part cites ========================================================================

# When a lesion weakens many movements, the site and side cite the weakest of each limb part.
MAX_POWER_CITED = 5
MAX_SPARED_CITED = 3


def _ranked(patient: Patient, items: Iterable[Evidence]) -> list[Evidence]:
    """Examined first, then most decisive first (the order the feedback cites them in)."""
    return sorted(items, key=lambda e: (not e.examined, *cite_rank(e.key)))


def _power_digest(keys: list[str], patient: Patient) -> list[str]:
    """All the weak movements when they are few; else the weakest of each side and limb part
    (of those examined, when the student examined any there)."""
    power = [k for k in keys if FINDING_SPECS[k].kind == "power"]
    if len(power) <= MAX_POWER_CITED:
        return keys
    weakest: dict[tuple, str] = {}
    for key in power:
        spec = FINDING_SPECS[key]
        movement = movement_of(key)
        group = (spec.side, movement.part if movement else key)
        rank = (not patient.seen(key), int(patient.findings[key]))
        if group not in weakest or rank < (not patient.seen(weakest[group]),
                                           int(patient.findings[weakest[group]])):
            weakest[group] = key
    kept = set(weakest.values())
    return [k for k in keys if FINDING_SPECS[k].kind != "power" or k in kept]


def neuron_evidence(patient: Patient) -> list[Evidence]:
    """The signs that say which neuron: each points to UMN, LMN, mixed, NMJ or muscle."""
    items = []
    for key, value in patient.explained.items():
        sign = neuron_sign(key, value, patient.findings)
        if sign is not None:
            items.append(patient.evidence(key, sign))
        if sign == "UMN" and kind_of(key) == "face":
            # A central facial palsy is told by the forehead it spares (ref §2.1).
            items.append(patient.evidence(key.replace(".lower", ".upper"), "UMN"))
    return _ranked(patient, items)


# The kinds of finding that show where a lesion is, most telling first, by site (ref §5.0):
# the distribution of weakness for the hemisphere, the cranial nerves for the brainstem, a
# level for the cord, a territory for roots and nerves.
SITE_EVIDENCE_KINDS: dict[str, tuple[str, ...]] = {
    "cortex": ("language", "neglect", "visual_fields", "cortical_sensation", "gaze", "power",
               "face", "tongue", "numb_area"),
    "internal_capsule": ("power", "face", "tongue", "language", "neglect", "visual_fields",
                         "cortical_sensation", "numb_area"),
    "midbrain": ("eyes", "pupils", "face", "tongue", "power"),
    "pons": ("eyes", "gaze", "face", "tongue", "power"),
    "medulla": ("tongue", "wasting", "face", "power"),
    "spinal_cord": ("sensory_level", "suspended_loss", "inverted_supinator", "reflex", "power",
                    "abdominal", "position_sense", "vibration", "wasting", "numb_area",
                    "bladder", "anal_tone"),
    "conus": ("numb_area", "anal_tone", "bulbocavernosus", "bladder", "reflex", "plantar",
              "power"),
    "cauda_equina": ("power", "reflex", "numb_area", "anal_tone", "bladder", "plantar"),
    "anterior_horn": ("wasting", "fasciculations", "reflex", "power"),
    "root": ("power", "reflex", "numb_area", "wasting"),
    "plexus": ("power", "reflex", "numb_area", "wasting", "pupils"),
    "nerve": ("power", "face", "tongue", "reflex", "numb_area", "wasting"),
    "polyneuropathy": ("power", "reflex", "numb_area", "vibration", "position_sense", "face"),
    "nmj": ("fatigability", "eyes", "speech", "swallowing", "power"),
    "muscle": ("power", "gait"),
    "motor_neuron_disease": ("wasting", "fasciculations", "reflex", "tongue", "speech", "gag",
                             "power"),
}


# Sites whose weakness is a territory (every weak muscle tells): no digest of the weakest.
TERRITORY_SITES: frozenset[str] = frozenset({"root", "plexus", "nerve", "cauda_equina", "conus",
                                             "anterior_horn"})


def _refuting(patient: Patient, alternatives: Iterable[Lesion]) -> dict[str, int]:
    """For each finding: how many of these neighbouring lesions it rules out."""
    count: dict[str, int] = {}
    for lesion in alternatives:
        for c in patient.contrasts(lesion):
            count[c.key] = count.get(c.key, 0) + 1
    return count


def pattern_evidence(patient: Patient, points_to: str, site: str,
                     alternatives: Iterable[Lesion] = ()) -> list[Evidence]:
    """The lesion's own signs that show where it is (the weakest of each limb part when a
    diffuse lesion weakens many), examined first, then those that rule out the most
    neighbouring lesions (the look-alikes' discriminators), then in the site's order."""
    order = SITE_EVIDENCE_KINDS.get(site, CITE_ORDER)
    keys = [k for k in patient.explained if kind_of(k) in order]
    if site not in TERRITORY_SITES:
        keys = _power_digest(keys, patient)
    refutes = _refuting(patient, alternatives)
    keys.sort(key=lambda k: (not patient.seen(k), -refutes.get(k, 0), order.index(kind_of(k)),
                             cite_rank(k)))
    return [patient.evidence(k, points_to) for k in keys]


def spared_evidence(patient: Patient, alternatives: Iterable[Lesion], points_to: str
                    ) -> list[Evidence]:
    """Normal findings that neighbouring lesions would have made abnormal (what this lesion
    spares), those that rule out the most neighbours first, examined first."""
    count = {k: n for k, n in _refuting(patient, alternatives).items()
             if not is_abnormal(k, patient.findings[k])}
    keys = sorted(count, key=lambda k: (not patient.seen(k), -count[k], cite_rank(k)))
    return [patient.evidence(k, points_to) for k in keys[:MAX_SPARED_CITED]]


SIDE_KINDS: frozenset[str] = frozenset({"power", "plantar", "face", "eyes", "tongue",
                                        "numb_area", "sensory_level", "reflex"})


def side_evidence(patient: Patient, points_to: str) -> list[Evidence]:
    """Where the signs are: the weakest movement of each affected limb and the one-sided signs."""
    keys = [k for k in patient.explained if kind_of(k) in SIDE_KINDS]
    weakest: dict[tuple, str] = {}
    for key in keys:
        spec = FINDING_SPECS[key]
        if spec.kind == "power":
            movement = movement_of(key)
            group = (spec.side, movement.limb if movement else key)
            if group not in weakest or int(patient.findings[key]) < \
                    int(patient.findings[weakest[group]]):
                weakest[group] = key
    kept = [k for k in keys if FINDING_SPECS[k].kind != "power" or k in weakest.values()]
    if patient.findings.get("tongue.deviation", "none") != "none" and "tongue.deviation" in \
            patient.explained and "tongue.deviation" not in kept:
        kept.append("tongue.deviation")
    return _ranked(patient, (patient.evidence(k, points_to) for k in kept))
