"""Lesion -> findings: the simulation engine (design §2).

Each lesion is traced along the motor pathway. It contributes

* lower motor neuron loss to the movements whose myotome, plexus part or nerve branch it
  interrupts, and to the reflex arcs running through it;
* an upper motor neuron *effect* (a severity and a time-dependent expression, see
  ``timecourse``) to every movement, reflex and pathological reflex whose corticospinal
  supply it cuts, on the side fixed by the decussation;
* cranial signs (face, tongue, eyes, jaw jerk) by the same rules.

The contributions of all lesions are then combined into every findings key of design §4. The
anatomy comes from ``anatomy``; this module holds only the rules, citing the reference.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from vpatient.core import anatomy as A
from vpatient.core import timecourse as T
from vpatient.core import vocabulary as V
from vpatient.core.findings import FINDING_KEYS, NORMAL_FINDINGS, FindingValue
from vpatient.core.lesion import (
    SITES,
    AnteriorHornLesion,
    CaudaEquinaLesion,
    ConusLesion,
    CortexLesion,
    Lesion,
    MotorNeuronDiseaseLesion,
    MuscleLesion,
    NerveLesion,
    NmjLesion,
    PlexusLesion,
    PolyneuropathyLesion,
    RootLesion,
    SpinalCordLesion,
)

Findings = dict[str, FindingValue]

# Share of a reflex arc lost per lesion severity (ref §1.3: a partial lesion reduces the reflex,
# a severe one abolishes it).
REFLEX_ARC_LOSS: dict[str, float] = {"mild": 0.3, "moderate": 0.45, "severe": 0.8,
                                     "complete": 1.0}
ARC_REDUCED_FROM = 0.2   # arc loss from which the reflex is one grade down
ARC_ABSENT_FROM = 0.5    # arc loss from which the reflex is absent
# In the pyramidal pattern (ref §4.2) the relatively preserved movements lose one MRC grade less.
PYRAMIDAL_SPARING = 1.0
# Denervation visibly wastes a muscle only once it is clearly weak (MRC 3 or less).
WASTING_LOSS = 1.5
# LMN loss at which the great toe extensor cannot move, silencing the plantar (ref §1.5).
TOE_PARALYSED_LOSS = 3.5
# LMN weakness this deep in at least this many of a limb's movements makes the limb floppy.
FLACCID_LOSS, FLACCID_MOVEMENTS = 3.0, 4

_ARM_MOVEMENTS = tuple(m for m in A.MOVEMENTS.values() if m.limb == "arm")
_LEG_MOVEMENTS = tuple(m for m in A.MOVEMENTS.values() if m.limb == "leg")
_PART_MOVEMENTS: dict[str, tuple[A.Movement, ...]] = {
    part: tuple(m for m in A.MOVEMENTS.values() if m.part == part) for part in A.PARTS
}
_SEVERITY_RANK = {s: i for i, s in enumerate(A.SEVERITIES)}


@dataclass(frozen=True)
class UmnEffect:
    severity: str
    expression: T.UmnExpression

    @property
    def rank(self) -> tuple[int, int]:
        return (_SEVERITY_RANK[self.severity], self.expression.reflex_shift)


@dataclass
class _SideState:
    lmn_loss: dict[str, float] = field(default_factory=dict)      # movement -> MRC points
    arc_loss: dict[str, float] = field(default_factory=dict)      # reflex -> 0..1
    umn: dict[str, UmnEffect] = field(default_factory=dict)       # movement/reflex/sign -> effect
    wasting: set[str] = field(default_factory=set)                # parts
    fasciculations: set[str] = field(default_factory=set)         # parts
    flaccid_limbs: set[str] = field(default_factory=set)          # limbs made floppy (LMN)
    face_upper: bool = False
    face_lower: bool = False
    tongue_weakness: int = 0  # 2 = LMN hemi-tongue, 1 = acute UMN
    eye: str = "normal"
    ptosis: bool = False
    sensory_level: str | None = None   # most rostral segment with pinprick loss
    position_impaired: bool = False
    numb_area: str = "none"


@dataclass
class _Exam:
    sides: dict[str, _SideState] = field(
        default_factory=lambda: {s: _SideState() for s in A.SIDES}
    )
    # Hemispheres whose corticobulbar output to the pons is cut: both -> brisk jaw jerk.
    supranuclear_bulbar: dict[str, UmnEffect] = field(default_factory=dict)
    tongue_wasting: bool = False
    tongue_fasciculations: bool = False
    fatigability: bool = False

    # --- contributions ---------------------------------------------------------------------
    def lmn(self, side: str, movement: str, loss: float) -> None:
        st = self.sides[side]
        if loss > st.lmn_loss.get(movement, 0.0):
            st.lmn_loss[movement] = loss

    def arc(self, side: str, reflex: str, loss: float) -> None:
        st = self.sides[side]
        if loss > st.arc_loss.get(reflex, 0.0):
            st.arc_loss[reflex] = min(loss, 1.0)

    def umn(self, side: str, target: str, effect: UmnEffect) -> None:
        st = self.sides[side]
        old = st.umn.get(target)
        if old is None or effect.rank > old.rank:
            st.umn[target] = effect

    def denervate(self, side: str, lesion: Lesion, movements: Iterable[str],
                  fasciculations: bool = False, severity: str | None = None) -> None:
        """Clock-dependent LMN signs in the parts holding these weakened movements (ref §6.3)."""
        st = self.sides[side]
        wasting = T.wasting_visible(lesion.onset_days, severity or lesion.severity)
        for name in movements:
            if st.lmn_loss.get(name, 0.0) < WASTING_LOSS:
                continue
            part = A.MOVEMENTS[name].part
            if wasting:
                st.wasting.add(part)
            if fasciculations:
                st.fasciculations.add(part)

    def segmental_lmn(self, side: str, lesion: Lesion, segments: dict[str, float],
                      fasciculations: bool = False, severity: str | None = None) -> None:
        """Loss of lower motor neurons or roots of these segments (share lost, 0..1).

        A movement loses the share of its myotome that the segments supply; a reflex loses its
        arc when any of its segments is lost (ref §2.3, §2.4, §3.1).
        """
        severity = severity or lesion.severity
        power_loss = A.SEVERITY_LOSS[severity]
        touched = []
        for mv in A.MOVEMENTS.values():
            supplied = sum(w * segments.get(seg, 0.0) for seg, w in mv.myotome.items())
            if supplied:
                self.lmn(side, mv.name, power_loss * supplied / sum(mv.myotome.values()))
                touched.append(mv.name)
        arc_loss = REFLEX_ARC_LOSS[severity]
        for arc in A.REFLEXES.values():
            lost = max((w * segments.get(seg, 0.0) for seg, w in arc.segments.items()),
                       default=0.0)
            if lost:
                self.arc(side, arc.name, arc_loss * lost)
        self.denervate(side, lesion, touched, fasciculations, severity)
        self._mark_flaccid(side)

    def weighted_lmn(self, side: str, lesion: Lesion, movements: dict[str, float],
                     reflexes: dict[str, float], scale: float = 1.0) -> None:
        """Loss in a territory given muscle by muscle (nerves, neuropathy)."""
        loss = A.SEVERITY_LOSS[lesion.severity] * scale
        for name, w in movements.items():
            self.lmn(side, name, loss * w)
        arc_loss = REFLEX_ARC_LOSS[lesion.severity]
        for name, w in reflexes.items():
            self.arc(side, name, arc_loss * w)
        self.denervate(side, lesion, movements)
        self._mark_flaccid(side)

    def sensory_level(self, side: str, segment: str) -> None:
        st = self.sides[side]
        segment = A.SEGMENTS[max(1, A.SEGMENT_INDEX[segment])]  # no C1 dermatome
        if st.sensory_level is None or A.SEGMENT_INDEX[segment] < A.SEGMENT_INDEX[
                st.sensory_level]:
            st.sensory_level = segment

    def numb(self, side: str, area: str) -> None:
        st = self.sides[side]
        if st.numb_area == "none" or A.NUMB_AREA_RANK.get(area, 1) > A.NUMB_AREA_RANK.get(
                st.numb_area, 1):
            st.numb_area = area

    def _mark_flaccid(self, side: str) -> None:
        st = self.sides[side]
        for limb, movements in (("arm", _ARM_MOVEMENTS), ("leg", _LEG_MOVEMENTS)):
            deep = sum(st.lmn_loss.get(m.name, 0.0) >= FLACCID_LOSS for m in movements)
            if deep >= FLACCID_MOVEMENTS:
                st.flaccid_limbs.add(limb)

    def umn_to_parts(self, side: str, effects: dict[str, UmnEffect]) -> None:
        """Corticospinal loss to whole parts of a limb (cerebral lesions)."""
        for part, effect in effects.items():
            for mv in _PART_MOVEMENTS[part]:
                self.umn(side, mv.name, effect)
        for limb in A.LIMBS:
            limb_effects = [e for p, e in effects.items() if p.startswith(limb)]
            if not limb_effects:
                continue
            strongest = max(limb_effects, key=lambda e: e.rank)
            self._umn_limb_signs(side, limb, strongest)

    def umn_below_segment(self, side: str, level: str, effect: UmnEffect,
                          arm_effect: UmnEffect | None = None) -> None:
        """Corticospinal loss to every segment below a cord level (ref §5.5, §5.6)."""
        below = A.SEGMENT_INDEX[level]
        for mv in A.MOVEMENTS.values():
            if A.SEGMENT_INDEX[mv.main_segment] > below:
                self.umn(side, mv.name, arm_effect if arm_effect and mv.limb == "arm" else effect)
        for arc in A.REFLEXES.values():
            if A.SEGMENT_INDEX[arc.main_segment] > below:
                self.umn(side, arc.name,
                         arm_effect if arm_effect and arc.limb == "arm" else effect)
        if A.SEGMENT_INDEX[A.HOFFMANN_SEGMENT] > below:
            self.umn(side, "hoffmann", arm_effect or effect)
        if A.SEGMENT_INDEX[A.PLANTAR_SEGMENT] > below:
            self.umn(side, "plantar", effect)
            self.umn(side, "clonus", effect)

    def _umn_limb_signs(self, side: str, limb: str, effect: UmnEffect) -> None:
        for arc in A.REFLEXES.values():
            if arc.limb == limb:
                self.umn(side, arc.name, effect)
        if limb == "arm":
            self.umn(side, "hoffmann", effect)
        else:
            self.umn(side, "plantar", effect)
            self.umn(side, "clonus", effect)


# --- Site rules ----------------------------------------------------------------------------------


def _effect(kind: T.UmnKind, lesion: Lesion, severity: str | None = None) -> UmnEffect:
    severity = severity or lesion.severity
    return UmnEffect(severity, T.umn_expression(kind, lesion.onset_days, severity))


def _above(station: str, nucleus_station: str) -> bool:
    """Whether a lesion at ``station`` lies above a nucleus in ``nucleus_station``."""
    return A.STATION_INDEX[station] < A.STATION_INDEX[nucleus_station]


def _cerebral(exam: _Exam, lesion: Lesion) -> None:
    """Cortex, internal capsule and brainstem: above the decussation (ref §1.1, §5.1-§5.4)."""
    station = lesion.site
    if isinstance(lesion, CortexLesion):
        offsets = A.CORTICAL_TERRITORY[lesion.territory]
    else:
        # A brainstem lesion at or below a cranial nucleus no longer meets the fibres that drive
        # it: the medial medullary syndrome spares the face (ref §5.4, pitfall 15).
        offsets = {region: None if region in A.CRANIAL_REGION_NUCLEUS and not _above(
                       station, A.CRANIAL_REGION_NUCLEUS[region]) else step
                   for region, step in A.CORTICAL_TERRITORY["whole"].items()}
    for lesion_side in lesion.sides:
        body = A.other_side(lesion_side)  # above the decussation: contralateral body
        effects = {}
        for part in A.PARTS:
            step = offsets[part]
            severity = A.severity_step(lesion.severity, step) if step is not None else None
            if severity:
                effects[part] = _effect("cerebral", lesion, severity)
        exam.umn_to_parts(body, effects)
        st = exam.sides[body]
        # A large lateral cortical lesion takes the postcentral gyrus too (ref §5.1); the medial
        # medullary lesion takes the medial lemniscus (ref §5.4); the capsular and pontine
        # syndromes here are pure motor (ref §5.3).
        if isinstance(lesion, CortexLesion) and lesion.territory != "leg" and \
                lesion.severity in ("severe", "complete"):
            exam.numb(body, "hemibody")
        if station == "medulla":
            st.position_impaired = True
        if offsets["face_lower"] is not None:
            st.face_lower = True  # upper face spared: bilateral cortical supply (ref §2.1)
        if (offsets["tongue"] is not None and lesion.severity != "mild"
                and lesion.onset_days < T.UMN_TONGUE_DEVIATION_UNTIL_DAYS):
            st.tongue_weakness = max(st.tongue_weakness, 1)
        # The jaw's corticobulbar fibres run with the face's (lateral motor strip), so only a
        # lesion that weakens the lower face and lies above the pons counts towards a brisk jaw.
        if offsets["face_lower"] is not None and _above(station, A.CRANIAL_REGION_NUCLEUS["jaw"]):
            exam.supranuclear_bulbar[lesion_side] = _effect("cerebral", lesion)
        for cn in A.BRAINSTEM_CRANIAL_NERVES.get(station, ()):
            _cranial_nerve_palsy(exam, lesion_side, cn, lesion)


def _cranial_nerve_palsy(exam: _Exam, side: str, cn: str, lesion: Lesion) -> None:
    """A nucleus, fascicle or nerve lesion: ipsilateral LMN (ref §1.1)."""
    st = exam.sides[side]
    if cn in A.CRANIAL_NERVE_EYE_SIGN:
        st.eye = A.CRANIAL_NERVE_EYE_SIGN[cn]
    elif cn == "VII":
        st.face_upper = st.face_lower = True  # whole half of the face (ref §2.1)
    elif cn == "XII":
        st.tongue_weakness = 2  # deviates towards the weak side (ref §2.2)
        if T.wasting_visible(lesion.onset_days, lesion.severity):
            exam.tongue_wasting = True


def _spinal_cord(exam: _Exam, lesion: SpinalCordLesion) -> None:
    """LMN signs at the level, UMN signs below, spinal shock when acute (ref §5.5-§5.7, §6.2)."""
    level = lesion.level
    above = A.SEGMENTS[A.SEGMENT_INDEX[level] - 1] if A.SEGMENT_INDEX[level] else None
    # The destroyed grey matter: the named segment, and partly the one above it (a C6 lesion
    # weakens deltoid and biceps but leaves the triceps arc, C7, intact and brisk).
    at_level = {level: 1.0} | ({above: 0.5} if above else {})
    effect = _effect("cord", lesion)
    arm_effect = None
    if lesion.pattern == "central":
        # Central cord: the arm fibres lie medially in the lateral column, so the arms suffer
        # more than the legs (ref §5.5, central cord syndrome).
        leg_severity = A.severity_step(lesion.severity, 2) or "mild"
        arm_effect, effect = effect, _effect("cord", lesion, leg_severity)
    chronic_horn = lesion.onset_days >= T.CORD_FASCICULATIONS_AFTER_DAYS
    for side in lesion.sides:
        exam.segmental_lmn(side, lesion, at_level, fasciculations=chronic_horn)
        exam.umn_below_segment(side, level, effect, arm_effect)
    _cord_sensation(exam, lesion)


def _cord_sensation(exam: _Exam, lesion: SpinalCordLesion) -> None:
    """Long tracts (ref §1.1): the spinothalamic tract has crossed, the dorsal columns have not.

    Complete: pinprick lost below the level and position sense lost, both sides. Anterior
    (anterior spinal artery): pinprick lost, dorsal columns spared. Hemisection: position sense
    lost on the lesion's side, pinprick on the other from a segment lower (ref §5.7). Central:
    a suspended, cape-like loss without a level, dorsal columns usually spared.
    """
    if lesion.pattern in ("complete", "anterior"):
        for side in A.SIDES:
            exam.sensory_level(side, lesion.level)
            if lesion.pattern == "complete":
                exam.sides[side].position_impaired = True
    elif lesion.pattern == "hemisection":
        exam.sides[lesion.side].position_impaired = True
        below = min(A.SEGMENT_INDEX[lesion.level] + A.SPINOTHALAMIC_CROSSING_SEGMENTS,
                    len(A.SEGMENTS) - 1)
        exam.sensory_level(A.other_side(lesion.side), A.SEGMENTS[below])


def _conus(exam: _Exam, lesion: ConusLesion) -> None:
    """Sacral segments, symmetric, LMN-dominant: ankle jerks lost, knees kept (ref §5.8, §8)."""
    for side in lesion.sides:
        exam.segmental_lmn(side, lesion, A.CONUS_SEGMENTS)
        exam.numb(side, "saddle")  # symmetric perianal loss


def _cauda_equina(exam: _Exam, lesion: CaudaEquinaLesion) -> None:
    """Several lumbosacral roots, often asymmetric (ref §5.8)."""
    for side in A.SIDES:
        severity = lesion.severity
        if lesion.side != "bilateral" and side != lesion.side:
            severity = A.severity_step(severity, 1) or "mild"
        exam.segmental_lmn(side, lesion, A.CAUDA_EQUINA_ROOTS, severity=severity)
        exam.numb(side, "saddle")


def _anterior_horn(exam: _Exam, lesion: AnteriorHornLesion) -> None:
    """Pure motor LMN in the segments' myotomes; fasciculations when chronic (ref §5.9, §5.10)."""
    chronic = lesion.onset_days >= T.FASCICULATIONS_AFTER_DAYS
    segments = dict.fromkeys(lesion.segments, 1.0)
    for side in lesion.sides:
        exam.segmental_lmn(side, lesion, segments, fasciculations=chronic)


def _root(exam: _Exam, lesion: RootLesion) -> None:
    """One myotome weak and one reflex reduced (ref §5.12)."""
    for side in lesion.sides:
        exam.segmental_lmn(side, lesion, {lesion.level: 1.0})
        exam.numb(side, lesion.level)  # its dermatome (ref §2.7)


def _plexus(exam: _Exam, lesion: PlexusLesion) -> None:
    """Several roots' territories in one limb (ref §5.13)."""
    _limb, roots = A.PLEXUS_PARTS[lesion.part]
    for side in lesion.sides:
        exam.segmental_lmn(side, lesion, roots)
        exam.numb(side, lesion.part)


def _nerve(exam: _Exam, lesion: NerveLesion) -> None:
    """The nerve's muscles distal to the lesion; reflexes only through it (ref §5.14)."""
    nerve = A.NERVES[lesion.name]
    for side in lesion.sides:
        if nerve.cranial:
            _cranial_nerve_palsy(exam, side, nerve.cranial, lesion)
            continue
        movements: dict[str, float] = {}
        reflexes: dict[str, float] = {}
        for branch in nerve.supplied_from(lesion.lesion_at):
            for name, w in branch.movements.items():
                movements[name] = max(movements.get(name, 0.0), w)
            for name, w in branch.reflexes.items():
                reflexes[name] = max(reflexes.get(name, 0.0), w)
        exam.weighted_lmn(side, lesion, movements, reflexes)
        if (lesion.name, lesion.lesion_at) not in A.MOTOR_ONLY_NERVE_SITES:
            exam.numb(side, lesion.name)


def _polyneuropathy(exam: _Exam, lesion: PolyneuropathyLesion) -> None:
    for side in A.SIDES:
        if lesion.pattern == "length_dependent":
            # Distal first, ankle jerks lost first (ref §5.16).
            exam.weighted_lmn(side, lesion, A.LENGTH_DEPENDENT_MOVEMENTS,
                              A.LENGTH_DEPENDENT_REFLEXES)
            # Feet first; the fingertips once the loss reaches mid-shin (ref §5.16).
            exam.numb(side, "stocking" if lesion.severity == "mild" else "stocking_glove")
            if lesion.severity != "mild":
                exam.sides[side].position_impaired = True
        else:
            # GBS: roots and nerves, proximal and distal, legs more than arms, areflexia early
            # and universal; facial weakness in a third to a half (ref §5.16).
            movements = {m.name: A.GBS_LIMB_WEIGHT[m.limb] for m in A.MOVEMENTS.values()}
            reflexes = dict.fromkeys(A.REFLEXES, 1.2)
            exam.weighted_lmn(side, lesion, movements, reflexes)
            if lesion.severity != "mild":
                exam.sides[side].flaccid_limbs.update(A.LIMBS)
                exam.numb(side, "stocking")  # objective loss mild and distal (ref §5.16)
            if lesion.severity in ("severe", "complete"):
                exam.sides[side].face_upper = exam.sides[side].face_lower = True


def _nmj(exam: _Exam, lesion: NmjLesion) -> None:
    """Fatigable ptosis, facial and proximal weakness; reflexes normal; no wasting (ref §5.17)."""
    exam.fatigability = True
    scale = {"mild": 0.0, "moderate": 1.0, "severe": 2.0, "complete": 3.5}[lesion.severity]
    for side in A.SIDES:
        st = exam.sides[side]
        for name, w in A.MYASTHENIA_MOVEMENTS.items():
            exam.lmn(side, name, scale * w)
        if lesion.severity != "mild":
            st.face_upper = st.face_lower = True  # weak eye closure, transverse smile
    for side in lesion.sides:
        exam.sides[side].ptosis = True


def _muscle(exam: _Exam, lesion: MuscleLesion) -> None:
    """Proximal symmetric weakness; reflexes kept until weakness is severe (ref §5.18)."""
    wasting = (lesion.onset_days >= T.MYOPATHIC_WASTING_AFTER_DAYS
               and lesion.severity != "mild")
    loss = A.SEVERITY_LOSS[lesion.severity]
    for side in A.SIDES:
        st = exam.sides[side]
        for name, w in A.MYOPATHY_MOVEMENTS.items():
            exam.lmn(side, name, loss * w)
        for name in ("biceps", "triceps", "knee"):
            exam.arc(side, name, REFLEX_ARC_LOSS[lesion.severity] * 0.3)
        if wasting:
            st.wasting.update(("arm_proximal", "leg_proximal"))
        exam._mark_flaccid(side)


def _motor_neuron_disease(exam: _Exam, lesion: MotorNeuronDiseaseLesion) -> None:
    """UMN and LMN signs together in the regions affected (ref §5.11, pitfall 3)."""
    for side in A.SIDES:
        severity = lesion.severity
        if lesion.side != "bilateral" and side != lesion.side:
            severity = A.severity_step(severity, 1) or "mild"
        effect = _effect("mnd", lesion, severity)
        loss = A.SEVERITY_LOSS[severity]
        # The partial LMN loss is outweighed by the UMN drive: reflexes brisk in wasted muscle.
        arc_loss = REFLEX_ARC_LOSS[severity] * 0.6
        for region in lesion.regions:
            parts = A.MND_REGIONS[region]
            limb_parts = [p for p in parts if p in A.PARTS]
            for part in limb_parts:
                # Distal more than proximal ("split hand", foot drop).
                weight = 1.0 if part.endswith("distal") else 0.6
                for mv in _PART_MOVEMENTS[part]:
                    exam.lmn(side, mv.name, loss * weight)
                st = exam.sides[side]
                st.wasting.add(part)
                st.fasciculations.add(part)
            if limb_parts:
                exam.umn_to_parts(side, dict.fromkeys(limb_parts, effect))
                limb = limb_parts[0].split("_")[0]
                for arc in A.REFLEXES.values():
                    if arc.limb == limb:
                        exam.arc(side, arc.name, arc_loss)
            if region == "bulbar":
                exam.tongue_wasting = exam.tongue_fasciculations = True
                exam.supranuclear_bulbar[side] = effect
                if severity in ("severe", "complete"):
                    exam.sides[side].face_lower = True


_SITE_RULES = {
    **dict.fromkeys(V.CEREBRAL_SITES, _cerebral), "spinal_cord": _spinal_cord, "conus": _conus,
    "cauda_equina": _cauda_equina, "anterior_horn": _anterior_horn, "root": _root,
    "plexus": _plexus, "nerve": _nerve, "polyneuropathy": _polyneuropathy, "nmj": _nmj,
    "muscle": _muscle, "motor_neuron_disease": _motor_neuron_disease,
}
assert set(_SITE_RULES) == set(SITES), "every site of design §3 needs a rule"


# --- Combining into findings ---------------------------------------------------------------------


def _power(st: _SideState, mv: A.Movement) -> int:
    loss = st.lmn_loss.get(mv.name, 0.0)
    effect = st.umn.get(mv.name)
    if effect is not None:
        umn_loss = A.SEVERITY_LOSS[effect.severity]
        if not mv.pyramidal_weak and effect.severity != "complete":
            umn_loss -= PYRAMIDAL_SPARING
        loss = max(loss, umn_loss)
    return max(0, min(5, 5 - int(loss + 0.5)))


def _reflex(st: _SideState, name: str) -> str:
    arc = st.arc_loss.get(name, 0.0)
    if arc >= ARC_ABSENT_FROM:
        return "0"
    effect = st.umn.get(name)
    grade = 2 + (effect.expression.reflex_shift if effect else 0)
    if arc >= ARC_REDUCED_FROM:
        grade -= 1
    return A.REFLEX_GRADES[max(0, min(4, grade))]


def _tone(st: _SideState, limb: str) -> str:
    movements = _ARM_MOVEMENTS if limb == "arm" else _LEG_MOVEMENTS
    effects = [st.umn[m.name] for m in movements if m.name in st.umn]
    umn_tone = max(effects, key=lambda e: e.rank).expression.tone if effects else None
    if umn_tone == "spastic":
        return "spastic"
    if umn_tone == "decreased" or limb in st.flaccid_limbs:
        return "decreased"
    return "normal"


def _combine(exam: _Exam) -> Findings:
    out: Findings = dict(NORMAL_FINDINGS)
    for side, st in exam.sides.items():
        power = {}
        for mv in A.MOVEMENTS.values():
            power[mv.name] = p = _power(st, mv)
            out[f"power.{side}.{mv.name}"] = p
        for limb in A.LIMBS:
            out[f"tone.{side}.{limb}"] = _tone(st, limb)
        reflexes = {name: _reflex(st, name) for name in A.REFLEXES}
        for name, grade in reflexes.items():
            out[f"reflex.{side}.{name}"] = grade
        # Plantar (ref §1.5): the UMN expression, unless the reflex arc or the toe extensor
        # cannot produce a movement at all.
        plantar = st.umn.get("plantar")
        value = plantar.expression.plantar if plantar else "flexor"
        # Only lower motor neuron paralysis of the toe extensor silences it (ref §1.5).
        if st.lmn_loss.get(A.PLANTAR_EFFECTOR, 0.0) >= TOE_PARALYSED_LOSS:
            value = "mute"
        out[f"plantar.{side}"] = value
        hoffmann = st.umn.get("hoffmann")
        if (hoffmann and hoffmann.expression.hoffmann
                and st.arc_loss.get("finger", 0.0) < ARC_ABSENT_FROM):
            out[f"hoffmann.{side}"] = "present"
        clonus = st.umn.get("clonus")
        if clonus and st.arc_loss.get("ankle", 0.0) < ARC_REDUCED_FROM:
            out[f"clonus.{side}"] = clonus.expression.clonus
        # Inverted supinator (ref §3.2, §5.5): the C5-6 arc is broken while the finger flexors,
        # below the lesion, are brisk.
        if reflexes["brachioradialis"] in ("0", "1+") and reflexes["finger"] in ("3+", "4+"):
            out[f"inverted_supinator.{side}"] = "present"
        for part in st.wasting:
            out[f"wasting.{side}.{part}"] = True
        for part in st.fasciculations:
            out[f"fasciculations.{side}.{part}"] = True
        if st.face_upper:
            out[f"face.{side}.upper"] = "weak"
        if st.face_lower:
            out[f"face.{side}.lower"] = "weak"
        eye = st.eye if st.eye != "normal" else ("ptosis" if st.ptosis else "normal")
        out[f"eyes.{side}"] = eye
        out[f"sensory_level.{side}"] = st.sensory_level or "none"
        out[f"position_sense.{side}"] = "impaired" if st.position_impaired else "normal"
        out[f"numb_area.{side}"] = st.numb_area
    left, right = exam.sides["left"].tongue_weakness, exam.sides["right"].tongue_weakness
    out["tongue.deviation"] = "left" if left > right else "right" if right > left else "none"
    out["wasting.tongue"] = exam.tongue_wasting
    out["fasciculations.tongue"] = exam.tongue_fasciculations
    # Jaw jerk: the trigeminal motor nucleus has bilateral supply; it is brisk only when both
    # hemispheres' input is lost (pseudobulbar palsy, ALS), never in cord lesions (ref §3.1).
    bulbar = exam.supranuclear_bulbar
    if len(bulbar) == 2:
        weaker = min(bulbar.values(), key=lambda e: e.rank)
        shift = max(0, weaker.expression.reflex_shift)
        out["reflex.jaw"] = A.REFLEX_GRADES[2 + shift]
    out["fatigability"] = exam.fatigability
    out["gait"], out["romberg"] = _gait(exam, out)
    return out


# Gait (ref §4.2 spastic postures, §5.14 foot drop, §5.16 sensory ataxia, §5.18 waddling):
# what the legs' findings make of walking. Thresholds in MRC grades.
CANNOT_BEAR_WEIGHT = 2     # hip flexion and knee extension this weak: no walking
FOOT_DROP = 3              # LMN weakness of the toe and ankle extensors: a steppage gait
WADDLING_HIP = 4           # symmetric hip girdle weakness without spasticity: a waddle


def _gait(exam: _Exam, out: Findings) -> tuple[str, str]:
    def power(side: str, movement: str) -> int:
        return int(out[f"power.{side}.{movement}"])

    stands = {s: not (power(s, "hip_flexion") <= CANNOT_BEAR_WEIGHT
                      and power(s, "knee_extension") <= CANNOT_BEAR_WEIGHT) for s in A.SIDES}
    if not all(stands.values()):
        return "unable", "unable"
    # Romberg: standing is steady with eyes open, unsteady when vision no longer replaces the
    # lost joint position sense (dorsal columns, large fibres).
    romberg = "positive" if all(out[f"position_sense.{s}"] == "impaired" for s in A.SIDES) \
        else "negative"
    spastic = [s for s in A.SIDES if out[f"tone.{s}.leg"] == "spastic"]
    if len(spastic) == 2:
        return "spastic_paraparetic", romberg
    if spastic:
        return f"hemiplegic_{spastic[0]}", romberg
    # A flaccid hemiparesis (hyperacute stroke, early shock) is also circumducted.
    weak_umn = [s for s in A.SIDES if "hip_flexion" in exam.sides[s].umn
                and power(s, "hip_flexion") < 5]
    if len(weak_umn) == 1:
        return f"hemiplegic_{weak_umn[0]}", romberg
    # Foot drop from lower motor neuron weakness only (an UMN leg circumducts instead).
    drop = [s for s in A.SIDES
            if any(exam.sides[s].lmn_loss.get(m, 0.0) >= 5 - FOOT_DROP
                   for m in ("ankle_dorsiflexion", "great_toe_extension"))]
    if drop:
        return ("steppage_bilateral" if len(drop) == 2 else f"steppage_{drop[0]}"), romberg
    if romberg == "positive":
        return "sensory_ataxic", romberg
    if all(power(s, "hip_flexion") <= WADDLING_HIP and power(s, "hip_abduction") <= WADDLING_HIP
           for s in A.SIDES):
        return "waddling", romberg
    return "normal", romberg


def _derive(lesions: Iterable[Lesion]) -> Findings:
    exam = _Exam()
    for lesion in lesions:
        _SITE_RULES[lesion.site](exam, lesion)
    return _combine(exam)


# Derivations are pure, and depend on onset only through its time band, so they are cached by
# (site model, fields with onset replaced by its band): generated patients mostly hit the cache.
_CACHE: dict[tuple, tuple[FindingValue, ...]] = {}
_CACHE_LIMIT = 20_000


def _cache_key(lesion: Lesion) -> tuple:
    fields = lesion.__dict__
    return (type(lesion), T.time_band_start(lesion.onset_days),
            *(v for k, v in fields.items() if k != "onset_days"))


def derive_findings(lesions: Iterable[Lesion]) -> Findings:
    """Every findings key of design §4 for a patient carrying these lesions."""
    lesions = tuple(lesions)
    key = tuple(_cache_key(lesion) for lesion in lesions)
    values = _CACHE.get(key)
    if values is None:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        values = _CACHE[key] = tuple(_derive(lesions).values())
    return dict(zip(FINDING_KEYS, values, strict=True))


def derive_uncached(lesions: Iterable[Lesion]) -> Findings:
    """The same as ``derive_findings`` without the cache (for tests and benchmarks)."""
    return _derive(tuple(lesions))


def explained_by(lesion: Lesion) -> Findings:
    """The abnormal findings this lesion alone produces (for feedback on what points where)."""
    findings = derive_findings((lesion,))
    return {k: v for k, v in findings.items() if v != NORMAL_FINDINGS[k]}
