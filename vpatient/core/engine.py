"""Lesion -> findings: the simulation engine (design §2).

Each lesion is traced along the motor pathway. It contributes

* lower motor neuron loss to the movements whose myotome, plexus part or nerve branch it
  interrupts, and to the reflex arcs running through it;
* an upper motor neuron *effect* (a severity and a time-dependent expression, see
  ``timecourse``) to every movement, reflex and pathological reflex whose corticospinal
  supply it cuts, on the side fixed by the decussation;
* cranial, bulbar, cortical, sensory and sacral signs by the same rules.

The contributions of all lesions are then combined into every findings key of design §4.

A generated patient also carries a *variation* (``Variation``: a seed and the patient's age):
how this patient's lesion expresses itself within clinical bounds, muscle by muscle, side by
side, with the pace of its time course and the patchiness of its disease. Without a variation
the engine gives the textbook picture exactly (authored cases, the clinical expectations). The
anatomy comes from ``anatomy``; this module holds only the rules, citing the reference.
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from vpatient.core import anatomy as A
from vpatient.core import timecourse as T
from vpatient.core import vocabulary as V
from vpatient.core.findings import BLADDER, NORMAL_FINDINGS, FindingValue
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
# a severe one abolishes it), scaled by the share of the arc's segments or fibres that are lost.
REFLEX_ARC_LOSS: dict[str, float] = {"mild": 0.3, "moderate": 0.45, "severe": 0.8,
                                     "complete": 1.0}
ARC_TOUCHED_FROM = 0.1   # arc loss from which the reflex can no longer be brisk
ARC_REDUCED_FROM = 0.2   # arc loss from which the reflex is one grade down
ARC_ABSENT_FROM = 0.5    # arc loss from which the reflex is absent
# A root that supplies less than this share of a movement does not visibly weaken it (the
# triceps in an upper or lower trunk lesion, ref §5.13); one that supplies more leaves it at
# least slightly weak (MRC 4), even in a mild lesion.
MINOR_CONTRIBUTION = 0.3
VISIBLE_LOSS = 0.5
# The less affected side of an asymmetric bilateral disease (cauda equina, ALS) loses this share
# of what the worse side loses.
OTHER_SIDE_SHARE = 0.5
# Share of the segment above a cord lesion's level that it destroys too.
ABOVE_LEVEL_SHARE = 0.5
# Share of partial plexus and nerve lesions in a varied patient with no numb skin to a pin.
SENSORY_LOSS_MISSING: dict[str, float] = {"mild": 0.3}
# In the pyramidal pattern (ref §4.2) the relatively preserved movements lose one MRC grade less.
PYRAMIDAL_SPARING = 1.0
# Denervation visibly wastes a muscle only once it is clearly weak (MRC 3 or less).
WASTING_LOSS = 1.5
WASTED_GRADE = 3
# LMN loss at which the great toe extensor cannot move, silencing the plantar (ref §1.5).
TOE_PARALYSED_LOSS = 3.5
# LMN weakness this deep in at least this many of a limb's movements makes the limb floppy.
FLACCID_LOSS, FLACCID_MOVEMENTS = 3.0, 4
# Severities ranked, for "at least moderate" and the like.
_RANK = {s: i for i, s in enumerate(A.SEVERITIES)}
MODERATE, SEVERE = _RANK["moderate"], _RANK["severe"]
# The least severe cord lesion at or above T1 that cuts the sympathetic fibres to the eye, by
# pattern (a rank past "complete": never). See _spinal_cord.
HORNER_FROM_CORD: dict[str, int] = {"hemisection": MODERATE, "complete": SEVERE,
                                    "anterior": len(_RANK), "central": len(_RANK)}
assert set(HORNER_FROM_CORD) == set(V.CORD_PATTERNS), "every cord pattern needs a Horner rule"

_ARM_MOVEMENTS = tuple(m for m in A.MOVEMENTS.values() if m.limb == "arm")
_LEG_MOVEMENTS = tuple(m for m in A.MOVEMENTS.values() if m.limb == "leg")
_LIMB_MOVEMENTS = {"arm": _ARM_MOVEMENTS, "leg": _LEG_MOVEMENTS}
_PART_MOVEMENTS: dict[str, tuple[A.Movement, ...]] = {
    part: tuple(m for m in A.MOVEMENTS.values() if m.part == part) for part in A.PARTS
}


def _at_least(severity: str, rank: int) -> bool:
    return _RANK[severity] >= rank


@dataclass(frozen=True)
class UmnEffect:
    severity: str
    expression: T.UmnExpression
    # Share of the pyramidal weakness this lesion causes (ALS: mostly LMN weakness).
    weakness: float = 1.0

    @property
    def rank(self) -> tuple[int, int]:
        return (_RANK[self.severity], self.expression.reflex_shift)


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
    pupil: str = "normal"
    sensory_level: str | None = None   # most rostral segment with pinprick loss
    suspended: str | None = None       # centre of a band of pinprick loss
    position_impaired: bool = False
    vibration_impaired: bool = False
    numb: set[str] = field(default_factory=set)
    cortical_sensation: set[str] = field(default_factory=set)     # "face_arm", "leg"
    abdominal_lost: set[str] = field(default_factory=set)         # arcs destroyed directly
    myopathic: bool = False  # a myopathy: its reflexes follow its muscles' grades


_ANAL_TONE = ("normal", "reduced", "absent")


@dataclass
class _Exam:
    sides: dict[str, _SideState] = field(
        default_factory=lambda: {s: _SideState() for s in A.SIDES}
    )
    # Hemispheres whose corticobulbar output to the pons is cut: both -> pseudobulbar palsy.
    supranuclear_bulbar: dict[str, UmnEffect] = field(default_factory=dict)
    # Lower motor neuron bulbar weakness (nuclei or nerves): its severity.
    bulbar_lmn: str | None = None
    bulbar_fatigable: bool = False
    mild_dysarthria: bool = False
    acute_dysphagia: bool = False
    tongue_wasting: bool = False
    tongue_fasciculations: bool = False
    fatigability: bool = False
    neck_loss: float = 0.0
    language: str = "normal"
    neglect: str = "none"
    visual_fields: str = "full"
    gaze: str = "central"
    anal_tone: int = 0          # index into _ANAL_TONE
    bulbocavernosus_lost: bool = False
    bladder: int = 0            # index into BLADDER (normal to worst)
    # The patient's own draw of a disease's patchiness (None: the textbook pattern).
    pattern: random.Random | None = None
    # Filled once all lesions are traced (see _traced).
    traced: _Traced | None = None

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

    def neck(self, loss: float) -> None:
        self.neck_loss = max(self.neck_loss, loss)

    def bulbar(self, severity: str) -> None:
        if self.bulbar_lmn is None or _RANK[severity] > _RANK[self.bulbar_lmn]:
            self.bulbar_lmn = severity

    def sacral(self, anal_tone: str, bulbocavernosus: str, bladder: str) -> None:
        self.anal_tone = max(self.anal_tone, _ANAL_TONE.index(anal_tone))
        self.bulbocavernosus_lost |= bulbocavernosus == "absent"
        self.bladder = max(self.bladder, BLADDER.index(bladder))

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
                      fasciculations: bool = False, severity: str | None = None,
                      part_weight: dict[str, float] | None = None, scale: float = 1.0) -> None:
        """Loss of lower motor neurons or roots of these segments (share lost, 0..1).

        A movement loses the share of its myotome that the segments supply, unless that share
        is too small to show; one that depends mainly on them is at least slightly weak. A reflex
        loses the share of its arc (ref §2.3, §2.4, §3.1). ``scale`` makes the other side of an
        asymmetric disease milder.
        """
        severity = severity or lesion.severity
        power_loss = A.SEVERITY_LOSS[severity] * scale
        touched = []
        for mv in A.MOVEMENTS.values():
            share = sum(w * segments.get(seg, 0.0) for seg, w in mv.myotome.items()) / sum(
                mv.myotome.values())
            if share >= MINOR_CONTRIBUTION:
                weight = part_weight[mv.part] if part_weight else 1.0
                loss = max(power_loss * share * weight, VISIBLE_LOSS * scale)
                self.lmn(side, mv.name, loss)
                touched.append(mv.name)
        arc_loss = REFLEX_ARC_LOSS[severity] * scale
        for arc in A.REFLEXES.values():
            share = sum(w * segments.get(seg, 0.0) for seg, w in arc.segments.items()) / sum(
                arc.segments.values())
            if share:
                loss = arc_loss * share
                # Losing (most of) one of the arc's main roots reduces the reflex even in a mild
                # lesion (ref §5.12: "reflex of that root reduced"); the half of the segment
                # above a cord lesion does not (a C7 lesion keeps the C5-6 arcs).
                if any(w == A.MAIN and segments.get(seg, 0.0) > 0.5
                       for seg, w in arc.segments.items()):
                    loss = max(loss, ARC_REDUCED_FROM)
                self.arc(side, arc.name, loss)
        neck = sum(w * segments.get(seg, 0.0) for seg, w in A.NECK_MYOTOME.items()) / sum(
            A.NECK_MYOTOME.values())
        if neck:
            self.neck(power_loss * neck)
        self.denervate(side, lesion, touched, fasciculations, severity)
        self._mark_flaccid(side)

    def weighted_lmn(self, side: str, lesion: Lesion, movements: dict[str, float],
                     reflexes: dict[str, float], loss: float | None = None,
                     neurogenic: bool = True) -> None:
        """Loss in a territory given muscle by muscle (nerves, neuropathy, junction, muscle);
        only denervation wastes on the neurogenic clock."""
        loss = A.SEVERITY_LOSS[lesion.severity] if loss is None else loss
        for name, w in movements.items():
            self.lmn(side, name, loss * w)
        arc_loss = REFLEX_ARC_LOSS[lesion.severity]
        for name, w in reflexes.items():
            self.arc(side, name, arc_loss * w)
        if neurogenic:
            self.denervate(side, lesion, movements)
        self._mark_flaccid(side)

    def sensory_level(self, side: str, segment: str) -> None:
        st = self.sides[side]
        segment = A.SEGMENTS[max(1, A.SEGMENT_INDEX[segment])]  # no C1 dermatome
        if st.sensory_level is None or A.SEGMENT_INDEX[segment] < A.SEGMENT_INDEX[
                st.sensory_level]:
            st.sensory_level = segment

    def numb(self, side: str, area: str) -> None:
        self.sides[side].numb.add(area)

    def sensory_sign_found(self, lesion: Lesion) -> bool:
        """Whether a plexus or nerve lesion's numb skin is found: in a partial lesion there are
        often only paraesthesiae, without loss to a pin. (A root keeps its dermatome: without it
        a pure motor radiculopathy could not be told from its anterior horn cells.)"""
        missing = SENSORY_LOSS_MISSING.get(lesion.severity, 0.0)
        return self.pattern is None or not missing or self.pattern.random() >= missing

    def horner(self, side: str) -> None:
        """Small pupil and a drooping lid (ref §5.5, §5.13)."""
        st = self.sides[side]
        st.pupil = "small"
        st.ptosis = True

    def _mark_flaccid(self, side: str) -> None:
        st = self.sides[side]
        for limb, movements in _LIMB_MOVEMENTS.items():
            deep = sum(st.lmn_loss.get(m.name, 0.0) >= FLACCID_LOSS for m in movements)
            if deep >= FLACCID_MOVEMENTS:
                st.flaccid_limbs.add(limb)

    def umn_to_parts(self, side: str, effects: dict[str, UmnEffect],
                     abdominal: bool = True) -> None:
        """Corticospinal loss to whole parts of a limb (cerebral lesions, ALS); the abdominal
        reflexes go with a hemiparesis, but only late in ALS (ref §3.2)."""
        for part, effect in effects.items():
            for mv in _PART_MOVEMENTS[part]:
                self.umn(side, mv.name, effect)
        for limb in A.LIMBS:
            limb_effects = [e for p, e in effects.items() if p.startswith(limb)]
            if not limb_effects:
                continue
            strongest = max(limb_effects, key=lambda e: e.rank)
            self._umn_limb_signs(side, limb, strongest, abdominal)

    def umn_below_segment(self, side: str, level: str, effect: UmnEffect,
                          arm_effect: UmnEffect | None = None) -> None:
        """Corticospinal loss to every segment below a cord level (ref §5.5, §5.6). A movement
        loses its drive once its lowest main root lies below the lesion (the motor neurons there
        are cut off, even when its upper root is at the level); a reflex arc counts by its upper
        root, because an arc broken at the level reduces the jerk whatever lies below (ref §5.5:
        biceps reduced at C5-6)."""
        below = A.SEGMENT_INDEX[level]
        for mv in A.MOVEMENTS.values():
            if A.SEGMENT_INDEX[mv.lowest_main_segment] > below:
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
        for part, middle in A.ABDOMINAL_ARCS.items():
            if A.SEGMENT_INDEX[middle] > below:
                self.umn(side, f"abdominal_{part}", effect)

    def _umn_limb_signs(self, side: str, limb: str, effect: UmnEffect,
                        abdominal: bool = True) -> None:
        for arc in A.REFLEXES.values():
            if arc.limb == limb:
                self.umn(side, arc.name, effect)
        if limb == "arm":
            self.umn(side, "hoffmann", effect)
        else:
            self.umn(side, "plantar", effect)
            self.umn(side, "clonus", effect)
        # The superficial abdominal reflexes are lost on the side of a hemiparesis (ref §3.2).
        for part in A.ABDOMINAL_ARCS if abdominal else ():
            self.umn(side, f"abdominal_{part}", effect)


# --- Site rules ----------------------------------------------------------------------------------


def _effect(kind: T.UmnKind, lesion: Lesion, severity: str | None = None,
            weakness: float = 1.0) -> UmnEffect:
    severity = severity or lesion.severity
    return UmnEffect(severity, T.umn_expression(kind, lesion.onset_days, severity), weakness)


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
    at_least_moderate = _at_least(lesion.severity, MODERATE)
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
        if isinstance(lesion, CortexLesion):
            _cortical_signs(exam, lesion, lesion_side)
        if station == "medulla":  # the medial lemniscus (ref §5.4)
            st.position_impaired = st.vibration_impaired = True
        if offsets["face_lower"] is not None:
            st.face_lower = True  # upper face spared: bilateral cortical supply (ref §2.1)
            # Dysarthria is common with a unilateral corticobulbar lesion (ref §5.3).
            exam.mild_dysarthria |= at_least_moderate
            if (_at_least(lesion.severity, SEVERE)
                    and lesion.onset_days < T.STROKE_DYSPHAGIA_UNTIL_DAYS):
                exam.acute_dysphagia = True
        if (offsets["tongue"] is not None and at_least_moderate
                and lesion.onset_days < T.UMN_TONGUE_DEVIATION_UNTIL_DAYS):
            st.tongue_weakness = max(st.tongue_weakness, 1)
        # The jaw's corticobulbar fibres run with the face's (lateral motor strip), so only a
        # lesion that weakens the lower face and lies above the pons counts towards a brisk jaw.
        if offsets["face_lower"] is not None and _above(station, A.CRANIAL_REGION_NUCLEUS["jaw"]):
            exam.supranuclear_bulbar[lesion_side] = _effect("cerebral", lesion)
        for cn in A.BRAINSTEM_CRANIAL_NERVES.get(station, ()):
            _cranial_nerve_palsy(exam, lesion_side, cn, lesion)
    # Bilateral medial frontal lesions: urgency and incontinence, mimicking the cord (ref §5.2).
    if isinstance(lesion, CortexLesion) and lesion.side == "bilateral" and \
            lesion.territory != "face_arm" and at_least_moderate:
        exam.sacral("normal", "present", "urgency")


def _cortical_signs(exam: _Exam, lesion: CortexLesion, hemisphere: str) -> None:
    """Aphasia or neglect, field cut, gaze deviation, cortical sensory loss (ref §5.1, §5.2)."""
    signs = A.CORTICAL_SIGNS[lesion.territory]
    body = A.other_side(hemisphere)
    # Even a small cortical lesion takes the neighbouring postcentral gyrus with it.
    exam.sides[body].cortical_sensation.update(signs.cortical_sensation)
    if not _at_least(lesion.severity, MODERATE):
        return
    if "leg" in signs.cortical_sensation:  # the toes' position sense is a cortical sense too
        exam.sides[body].position_impaired = True
    if signs.language_or_neglect:
        if hemisphere == A.DOMINANT_HEMISPHERE:
            exam.language = "aphasia"
        else:
            exam.neglect = body  # the non-dominant hemisphere attends to the other side
    if signs.field_cut and lesion.side != "bilateral":
        exam.visual_fields = f"{body}_hemianopia"
    if (signs.gaze_deviation and _at_least(lesion.severity, SEVERE) and lesion.side != "bilateral"
            and lesion.onset_days < T.GAZE_DEVIATION_UNTIL_DAYS):
        exam.gaze = f"deviated_{hemisphere}"  # the eyes look towards the lesion


def _cranial_nerve_palsy(exam: _Exam, side: str, cn: str, lesion: Lesion) -> None:
    """A nucleus, fascicle or nerve lesion: ipsilateral LMN (ref §1.1)."""
    st = exam.sides[side]
    if cn in A.CRANIAL_NERVE_EYE_SIGN:
        st.eye = A.CRANIAL_NERVE_EYE_SIGN[cn]
        if cn == "III":
            st.pupil = "large"  # the parasympathetic fibres run with the third nerve (ref §5.4)
    elif cn == "VII":
        st.face_upper = st.face_lower = True  # whole half of the face (ref §2.1)
    elif cn == "XII":
        st.tongue_weakness = 2  # deviates towards the weak side (ref §2.2)
        exam.mild_dysarthria = True
        if T.wasting_visible(lesion.onset_days, lesion.severity):
            exam.tongue_wasting = True


def _spinal_cord(exam: _Exam, lesion: SpinalCordLesion) -> None:
    """LMN signs at the level, UMN signs below, spinal shock when acute (ref §5.5-§5.7, §6.2)."""
    level = lesion.level
    index = A.SEGMENT_INDEX[level]
    above = A.SEGMENTS[index - 1] if index else None
    # The destroyed grey matter: the named segment, and partly the one above it (a C6 lesion
    # weakens deltoid and biceps but leaves the triceps arc, C7, intact and brisk; a C7 lesion
    # leaves the C5-6 arcs working: no inverted supinator there).
    at_level = {level: 1.0} | ({above: ABOVE_LEVEL_SHARE} if above else {})
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
        for part, middle in A.ABDOMINAL_ARCS.items():
            if at_level.get(middle, 0.0) >= 1.0:  # the arc's middle segment destroyed
                exam.sides[side].abdominal_lost.add(part)
        # The descending sympathetic fibres leave the cord at T1 (ref §5.5). They run deep in
        # the lateral column: a hemisection cuts them on its side, but a transverse lesion only
        # when severe (a partial, spondylotic myelopathy leaves the pupils alone; Brazis,
        # Localization in Clinical Neurology, ch. 8).
        if (index <= A.SEGMENT_INDEX[A.SYMPATHETIC_OUTFLOW]
                and _at_least(lesion.severity, HORNER_FROM_CORD[lesion.pattern])):
            exam.horner(side)
    _cord_sensation(exam, lesion)
    _cord_sphincters(exam, lesion)


def _cord_sensation(exam: _Exam, lesion: SpinalCordLesion) -> None:
    """Long tracts (ref §1.1): the spinothalamic tract has crossed, the dorsal columns have not.

    Complete: pinprick lost below the level and position sense lost, both sides. Anterior
    (anterior spinal artery): pinprick lost, dorsal columns spared. Hemisection: position sense
    lost on the lesion's side, pinprick on the other from a segment lower (ref §5.7). Central:
    a suspended band of pinprick loss at the level, no level below it, dorsal columns spared.
    """
    toe_columns = A.SEGMENT_INDEX[lesion.level] <= A.SEGMENT_INDEX[A.TOE_DORSAL_COLUMN_ENTRY]
    if lesion.pattern in ("complete", "anterior"):
        for side in A.SIDES:
            exam.sensory_level(side, lesion.level)
            if lesion.pattern == "complete" and toe_columns:
                st = exam.sides[side]
                st.position_impaired = st.vibration_impaired = True
    elif lesion.pattern == "hemisection":
        st = exam.sides[lesion.side]
        if toe_columns:
            st.position_impaired = st.vibration_impaired = True
        if lesion.level in A.ROOT_LEVELS:  # the narrow band of all-modality loss at the level
            exam.numb(lesion.side, lesion.level)
        below = min(A.SEGMENT_INDEX[lesion.level] + A.SPINOTHALAMIC_CROSSING_SEGMENTS,
                    len(A.SEGMENTS) - 1)
        exam.sensory_level(A.other_side(lesion.side), A.SEGMENTS[below])
    else:  # central: the crossing fibres at the level (ref §5.5)
        band = A.SEGMENTS[max(1, A.SEGMENT_INDEX[lesion.level])]
        for side in A.SIDES:
            exam.sides[side].suspended = band


def _cord_sphincters(exam: _Exam, lesion: SpinalCordLesion) -> None:
    """Sacral function below a cord lesion (ref §2.6, §6.2); hemisection spares it (ref §5.7)."""
    if lesion.pattern == "hemisection":
        return
    if A.SEGMENT_INDEX[lesion.level] >= A.SEGMENT_INDEX[A.SACRAL_REFLEX_TOP]:
        _sacral_lmn(exam, lesion.severity)  # the sacral segments themselves
        return
    function = T.cord_sacral_function(lesion.onset_days)
    bladder = function.bladder
    if bladder == "retention" and not _at_least(lesion.severity, MODERATE):
        bladder = "urgency"  # a mild lesion in shock: urgency, the bladder still emptied at will
    elif bladder == "reflex" and not _at_least(lesion.severity, SEVERE):
        bladder = "urgency"  # an incomplete lesion after shock: urgency and frequency (ref §5.5)
    anal_tone = function.anal_tone
    if lesion.pattern == "central":  # the sacral fibres lie outermost and are spared longest
        anal_tone = "normal"
    exam.sacral(anal_tone, function.bulbocavernosus, bladder)


def _sacral_lmn(exam: _Exam, severity: str) -> None:
    """Sacral segments or roots lost: lax sphincter, no sacral reflexes, retention (ref §2.6)."""
    exam.sacral("absent" if _at_least(severity, SEVERE) else "reduced", "absent", "retention")


def _conus(exam: _Exam, lesion: ConusLesion) -> None:
    """Sacral segments, symmetric, LMN-dominant: ankle jerks lost, knees kept (ref §5.8, §8)."""
    for side in lesion.sides:
        exam.segmental_lmn(side, lesion, A.CONUS_SEGMENTS)
        exam.numb(side, "saddle")  # symmetric perianal loss
    _sacral_lmn(exam, lesion.severity)  # early and severe sphincter failure


def _cauda_equina(exam: _Exam, lesion: CaudaEquinaLesion) -> None:
    """Several lumbosacral roots, often asymmetric; dermatomes beyond the saddle (ref §5.8)."""
    for side in A.SIDES:
        scale = OTHER_SIDE_SHARE if lesion.side not in ("bilateral", side) else 1.0
        exam.segmental_lmn(side, lesion, A.CAUDA_EQUINA_ROOTS, scale=scale)
        exam.numb(side, "saddle")
        for root, weight in A.CAUDA_EQUINA_ROOTS.items():
            if root in A.ROOT_LEVELS and weight * scale * (_RANK[lesion.severity] + 1) >= 2:
                exam.numb(side, root)
    # Sphincters fail later in the illness than in the conus, but together once the sacral roots
    # are involved: painless retention with the reduced tone and lost bulbocavernosus (ref §5.8).
    if _at_least(lesion.severity, MODERATE):
        _sacral_lmn(exam, lesion.severity)


def _anterior_horn(exam: _Exam, lesion: AnteriorHornLesion) -> None:
    """Pure motor LMN in the segments' myotomes, proximal more than distal, patchy in polio;
    fasciculations when chronic (ref §5.9, §5.10)."""
    chronic = lesion.onset_days >= T.FASCICULATIONS_AFTER_DAYS
    segments = dict.fromkeys(lesion.segments, 1.0)
    if exam.pattern is not None and lesion.side != "bilateral" and len(segments) > 1:
        # Polio is patchy: some segments of the range escape, others are hit hard.
        shares = [exam.pattern.choice((0.0, 0.5, 1.0, 1.0)) for _ in segments]
        shares[exam.pattern.randrange(len(shares))] = 1.0
        segments = dict(zip(segments, shares, strict=True))
    for side in lesion.sides:
        exam.segmental_lmn(side, lesion, segments, fasciculations=chronic,
                           part_weight=A.POLIO_PART_WEIGHT)


def _root(exam: _Exam, lesion: RootLesion) -> None:
    """One myotome weak and one reflex reduced, one dermatome numb (ref §5.12)."""
    for side in lesion.sides:
        exam.segmental_lmn(side, lesion, {lesion.level: 1.0})
        exam.numb(side, lesion.level)  # its dermatome (ref §2.7)
        if lesion.level == A.SYMPATHETIC_OUTFLOW and _at_least(lesion.severity, SEVERE):
            exam.horner(side)


def _plexus(exam: _Exam, lesion: PlexusLesion) -> None:
    """Several roots' territories in one limb (ref §5.13)."""
    _limb, roots = A.PLEXUS_PARTS[lesion.part]
    for side in lesion.sides:
        exam.segmental_lmn(side, lesion, roots)
        if exam.sensory_sign_found(lesion):
            exam.numb(side, lesion.part)
        if A.SYMPATHETIC_OUTFLOW in roots and _at_least(lesion.severity, SEVERE):
            exam.horner(side)


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
        if ((lesion.name, lesion.lesion_at) not in A.MOTOR_ONLY_NERVE_SITES
                and exam.sensory_sign_found(lesion)):
            exam.numb(side, lesion.name)


def _polyneuropathy(exam: _Exam, lesion: PolyneuropathyLesion) -> None:
    at_least_moderate = _at_least(lesion.severity, MODERATE)
    severe = _at_least(lesion.severity, SEVERE)
    if lesion.pattern == "acute_demyelinating":
        # GBS: facial weakness in a third to a half, bulbar in a third (ref §5.16).
        face = severe or (at_least_moderate and exam.pattern is not None
                          and exam.pattern.random() < 0.4)
        if severe:
            exam.bulbar(lesion.severity)
            exam.neck(A.SEVERITY_LOSS[lesion.severity] * 0.6)
    for side in A.SIDES:
        st = exam.sides[side]
        if lesion.pattern == "length_dependent":
            # Distal first, ankle jerks lost first (ref §5.16).
            exam.weighted_lmn(side, lesion, A.LENGTH_DEPENDENT_MOVEMENTS,
                              A.LENGTH_DEPENDENT_REFLEXES)
            # Feet first; the fingertips once the loss reaches mid-shin; vibration goes first.
            exam.numb(side, "stocking_glove" if at_least_moderate else "stocking")
            st.vibration_impaired = True
            st.position_impaired |= at_least_moderate
        else:
            # GBS: roots and nerves, proximal and distal, legs more than arms, areflexia early
            # and universal (ref §5.16).
            movements = {m.name: A.GBS_LIMB_WEIGHT[m.limb] * A.GBS_PART_WEIGHT[m.part]
                         for m in A.MOVEMENTS.values()}
            exam.weighted_lmn(side, lesion, movements,
                              dict.fromkeys(A.REFLEXES, A.GBS_REFLEX_LOSS))
            if at_least_moderate:
                st.flaccid_limbs.update(A.LIMBS)
            # Distal paraesthesiae early; objective loss mild and distal (ref §5.16).
            exam.numb(side, "stocking")
            st.vibration_impaired |= severe
            if face:
                st.face_upper = st.face_lower = True


def _nmj(exam: _Exam, lesion: NmjLesion) -> None:
    """Fatigable ptosis and diplopia first, then bulbar, neck and proximal weakness; reflexes
    normal; no wasting (ref §5.17)."""
    exam.fatigability = True
    loss = A.MYASTHENIA_LOSS[lesion.severity]
    for side in A.SIDES:
        exam.weighted_lmn(side, lesion, A.MYASTHENIA_MOVEMENTS, {}, loss=loss, neurogenic=False)
        if _at_least(lesion.severity, MODERATE):
            exam.sides[side].face_upper = exam.sides[side].face_lower = True  # weak eye closure
    exam.neck(loss * A.MYASTHENIA_NECK)
    if _at_least(lesion.severity, MODERATE):
        exam.bulbar_fatigable = True
    for side in lesion.sides:
        st = exam.sides[side]
        st.ptosis = True
        # Fatigable diplopia: eye movements limited in directions that fit no single nerve,
        # with the drooping lid.
        if exam.pattern is None or exam.pattern.random() < 0.75:
            st.eye = "ptosis_ophthalmoparesis"


def _muscle(exam: _Exam, lesion: MuscleLesion) -> None:
    """Proximal symmetric weakness, rarely below grade 3; neck flexors; reflexes kept until
    weakness is severe (ref §5.18)."""
    wasting = (lesion.onset_days >= T.MYOPATHIC_WASTING_AFTER_DAYS
               and lesion.severity != "mild")
    loss = A.MYOPATHY_LOSS[lesion.severity]
    for side in A.SIDES:
        st = exam.sides[side]
        # No arc is broken: the reflexes fade only with their muscles (see _myopathic_reflexes).
        exam.weighted_lmn(side, lesion, A.MYOPATHY_MOVEMENTS, {}, loss=loss, neurogenic=False)
        st.myopathic = True
        if wasting:  # myopathic wasting has its own, slower clock
            st.wasting.update(("arm_proximal", "leg_proximal"))
    exam.neck(loss * A.MYOPATHY_NECK)


def _motor_neuron_disease(exam: _Exam, lesion: MotorNeuronDiseaseLesion) -> None:
    """UMN and LMN signs together, focal and asymmetric, spreading region by region from the
    first one named, with the split hand; sensation and sphincters spared (ref §5.11)."""
    for order, region in enumerate(lesion.regions):
        # The disease has spread from the first region named: later ones are less wasted.
        spread = max(A.MND_SPREAD_FLOOR, 1.0 - A.MND_SPREAD_STEP * order)
        for side in A.SIDES:
            other = lesion.side not in ("bilateral", side)
            severity = (A.severity_step(lesion.severity, 1) or "mild") if other else \
                lesion.severity
            effect = _effect("mnd", lesion, severity, weakness=A.MND_UMN_WEAKNESS)
            loss = A.SEVERITY_LOSS[lesion.severity] * spread * (OTHER_SIDE_SHARE if other else 1)
            st = exam.sides[side]
            limb_parts = [p for p in A.MND_REGIONS[region] if p in A.PARTS]
            for part in limb_parts:
                for mv in _PART_MOVEMENTS[part]:
                    exam.lmn(side, mv.name, loss * A.MND_MOVEMENTS[mv.name])
                # Fasciculations are widespread, even in muscles not yet weak.
                st.fasciculations.add(part)
            exam.denervate(side, lesion, [m.name for p in limb_parts
                                          for m in _PART_MOVEMENTS[p]], severity=severity)
            if limb_parts:
                # Reflexes stay brisk in wasted muscle: the arcs are not broken (pitfall 3).
                exam.umn_to_parts(side, dict.fromkeys(limb_parts, effect), abdominal=False)
            if region == "bulbar":
                exam.tongue_wasting = exam.tongue_fasciculations = True
                exam.supranuclear_bulbar[side] = effect
                exam.bulbar(severity)
                if _at_least(lesion.severity, SEVERE):  # both sides: bulbar nuclei, not one
                    for each in exam.sides.values():   # hemisphere's lower face
                        each.face_lower = True
            if region == "thoracic" and _at_least(severity, SEVERE):
                st.abdominal_lost.update(A.ABDOMINAL_ARCS)  # lost late in ALS (ref §3.2)
            if region in ("bulbar", "cervical") and _at_least(severity, SEVERE):
                exam.neck(loss * 0.5)  # head drop
    if exam.pattern is not None and exam.pattern.random() < 0.5:
        # Fasciculations in a region not yet clinically affected (ref §5.11).
        side = exam.pattern.choice(A.SIDES)
        exam.sides[side].fasciculations.add(exam.pattern.choice(A.PARTS))


_SITE_RULES = {
    **dict.fromkeys(V.CEREBRAL_SITES, _cerebral), "spinal_cord": _spinal_cord,
    "conus": _conus, "cauda_equina": _cauda_equina, "anterior_horn": _anterior_horn,
    "root": _root, "plexus": _plexus, "nerve": _nerve, "polyneuropathy": _polyneuropathy,
    "nmj": _nmj, "muscle": _muscle, "motor_neuron_disease": _motor_neuron_disease,
}
assert set(_SITE_RULES) == set(SITES), "every site of design §3 needs a rule"


# --- Combining into findings ---------------------------------------------------------------------

_KEYS = {side: {
    "power": {mv: f"power.{side}.{mv}" for mv in A.MOVEMENTS},
    "reflex": {r: f"reflex.{side}.{r}" for r in A.REFLEXES},
    "tone": {limb: f"tone.{side}.{limb}" for limb in A.LIMBS},
    "wasting": {p: f"wasting.{side}.{p}" for p in A.PARTS},
    "fasciculations": {p: f"fasciculations.{side}.{p}" for p in A.PARTS},
    "abdominal": {p: f"abdominal.{side}.{p}" for p in A.ABDOMINAL_ARCS},
} for side in A.SIDES}


def _power_loss(st: _SideState, mv: A.Movement) -> float:
    loss = st.lmn_loss.get(mv.name, 0.0)
    effect = st.umn.get(mv.name)
    if effect is not None:
        umn_loss = A.SEVERITY_LOSS[effect.severity]
        if not mv.pyramidal_weak and effect.severity != "complete":
            umn_loss -= PYRAMIDAL_SPARING
        loss = max(loss, umn_loss * effect.weakness)
    return loss


def _grade(loss: float) -> int:
    return max(0, min(5, 5 - int(loss + 0.5)))


def _reflex_grade(st: _SideState, name: str) -> int:
    arc = st.arc_loss.get(name, 0.0)
    if arc >= ARC_ABSENT_FROM:
        return 0
    effect = st.umn.get(name)
    shift = effect.expression.reflex_shift if effect else 0
    if arc >= ARC_REDUCED_FROM:
        # A damaged arc cannot be made brisk from above: the break at the level dominates
        # (biceps and supinator jerks lost at a C5-6 cord lesion, ref §5.5).
        return max(0, min(2, 2 + shift) - 1)
    if arc >= ARC_TOUCHED_FROM:
        return max(0, min(2, 2 + shift))  # partly damaged: no longer brisk, not yet reduced
    return max(0, min(4, 2 + shift))


def _tone(st: _SideState, limb: str) -> str:
    effects = [st.umn[m.name] for m in _LIMB_MOVEMENTS[limb] if m.name in st.umn]
    umn_tone = max(effects, key=lambda e: e.rank).expression.tone if effects else None
    if umn_tone == "spastic":
        return "spastic"
    if umn_tone == "decreased" or limb in st.flaccid_limbs:
        return "decreased"
    return "normal"


# A patient's random draws: a window of a fixed table of uniform numbers chosen by the seed.
# Reproducible on every machine (the table comes from a seeded Mersenne Twister), and far cheaper
# than seeding a generator per patient. A window holds more draws than any patient uses.
Draw = Callable[[], float]
_NOISE_SPAN, _NOISE_WINDOW = 1 << 18, 512
_NOISE: memoryview | None = None


def _draws_for(seed: int) -> Draw:
    global _NOISE
    if _NOISE is None:
        table = random.Random(0x5EED_2026)
        # A view: a window is then taken without copying it.
        _NOISE = memoryview(array("d", (table.random()
                                        for _ in range(_NOISE_SPAN + _NOISE_WINDOW))))
    start = (seed * 0x9E3779B1 + (seed >> 20)) % _NOISE_SPAN  # scattered, not sequential
    return iter(_NOISE[start:start + _NOISE_WINDOW]).__next__


@dataclass(frozen=True)
class Variation:
    """One patient's own expression of a lesion: reproducible from the seed (see module doc)."""

    seed: int
    age: int = 50


class _Draws:
    """The variation's random draws, in one place so that their bounds read as a table."""

    # Pace of the time course: this patient's clock runs this much faster or slower.
    PACE = (0.75, 1.35)
    # Severity of each side, each limb of a side, and each muscle, as factors on its loss.
    # How severe this patient's lesion is within its category (both sides alike), then each side.
    SEVERITY = (0.8, 1.35)
    SIDE = (0.9, 1.1)
    LIMB = (0.9, 1.1)
    MUSCLE = (0.7, 1.3)
    # A muscle losing this much in the textbook picture (just short of MRC 4) may be found 4/5.
    BORDERLINE_LOSS = 0.25
    # A muscle losing at least this much is in the territory proper and may be found a grade
    # weaker than the textbook picture; one losing less only contributes and never is.
    INVOLVED_LOSS = 0.75
    # Of reflexes at 4+, the share found at 3+ (brisk) instead; the limb keeps one sign.
    BRISK_TO_UPPER_NORMAL = 0.3
    # Reduced reflexes found absent, and absent ones just obtainable with reinforcement.
    REDUCED_TO_ABSENT = 0.25
    BORDERLINE_ARC, BORDERLINE_ARC_REDUCED = 0.1, 0.4
    ABSENT_TO_TRACE = 0.15
    TRACE_BELOW_ARC_LOSS = 0.6  # only an arc just past the edge of absent gives a trace
    # A constitution's normal reflexes: symmetric 1+, 2+ or 3+, all normal (ref §1.3, pitfall 6).
    CONSTITUTION = ((1, 0.08), (3, 0.15))
    # Finger jerks hard to obtain in normal people (ref §3.1).
    FINGER_JERKS_SMALL = 0.25
    # A reflex a grade off the person's usual, on both sides.
    REFLEX_OWN_GRADE = 0.25

    # Ankle jerks reduced on both sides from this age on, in this share (pitfall 12).
    ELDERLY_AGE, ELDERLY_ANKLES = 70, 0.35
    # Abdominal reflexes absent on both sides in a normal older person (pitfall 11).
    ABDOMINALS_ABSENT_AGE, ABDOMINALS_ABSENT = 60, 0.1
    # A hyperacute severe stroke shows an extensor plantar in about a third (ref §6.1).
    HYPERACUTE_EXTENSOR = 0.35
    # Sustained vs unsustained clonus.
    CLONUS_FLIP = 0.3
    # Patterns a disease draws (polio patchiness, GBS face, ALS extra fasciculations).
    PATTERNS = 8


@dataclass(frozen=True)
class _Traced:
    """What a set of lesions does, computed once: the textbook findings, and what a variation
    may change (the muscles in the territory and the reflex grades)."""

    base: Findings
    # Per side, the muscles in the territory as columns: power keys, losses, limb (0 arm, 1 leg),
    # and the lowest and highest grade the variation may give.
    muscles: dict[str, tuple[tuple, tuple, tuple, tuple, tuple]]
    reflexes: dict[str, dict[str, int]]
    umn_legs: dict[str, bool]
    # Both sides waste alike in the textbook picture (a myopathy, a neuropathy): the variation's
    # small asymmetry of power must not show wasting on one side only.
    wasting_alike: bool
    # The grades a person's own normal reflexes may take beside these lesions (see
    # _own_reflex_bounds).
    own_reflexes: tuple[int, int] = (1, 3)


def _traced(exam: _Exam) -> _Traced:
    if exam.traced is None:
        out: Findings = dict(NORMAL_FINDINGS)
        muscles, reflexes = {}, {}
        for side, st in exam.sides.items():
            in_territory = []
            for limb, movements in enumerate(_LIMB_MOVEMENTS.values()):
                for mv in movements:
                    loss = _power_loss(st, mv)
                    key = _KEYS[side]["power"][mv.name]
                    out[key] = grade = _grade(loss)
                    if loss >= _Draws.BORDERLINE_LOSS:
                        # Weak stays weak and a paralysed muscle at most flickers: the variation
                        # never hides a sign; a muscle on the edge of the territory may show it.
                        # (A muscle only partly in the territory never drops a grade.)
                        low, high = (4, 5) if grade == 5 else (0, 1) if grade == 0 else \
                            (grade - 1 if loss >= _Draws.INVOLVED_LOSS else grade,
                             min(4, grade + 1))
                        # Whether the legs carry the body is the lesion's, not the draw's (gait
                        # and Romberg follow from it): the grades _gait reads stay on their side
                        # of its thresholds.
                        edges = (CANNOT_BEAR_WEIGHT,) if mv.name in _HOLD_THE_LEG else ()
                        if mv.name == "hip_flexion" and mv.name in st.umn:
                            edges += (WEAK_LEG,)  # two weak, flaccid legs (see _gait)
                        for edge in edges:
                            if low <= edge < high:
                                low, high = (low, edge) if grade <= edge else (edge + 1, high)
                        in_territory.append((key, loss, limb, low, high))
            muscles[side] = tuple(zip(*in_territory, strict=True)) if in_territory else \
                ((), (), (), (), ())  # type: ignore[assignment]
            reflexes[side] = grades = {name: _reflex_grade(st, name) for name in A.REFLEXES}
            _myopathic_reflexes(st, side, grades, out)
            _side_findings(exam, st, side, out)
            _reflex_signs(st, side, grades, out, None)
            _motor_units(st, side, out)
        _whole_body_findings(exam, out)
        umn_legs = {side: any(m.name in st.umn for m in _LEG_MOVEMENTS)
                    for side, st in exam.sides.items()}
        out["gait"], out["romberg"] = _gait(umn_legs, out)
        left, right = exam.sides["left"], exam.sides["right"]
        alike = bool(left.wasting) and left.wasting == right.wasting and all(
            out[_KEYS["left"]["wasting"][p]] == out[_KEYS["right"]["wasting"][p]]
            for p in A.PARTS)
        exam.traced = _Traced(out, muscles, reflexes, umn_legs, alike, _own_reflex_bounds(exam))
    return exam.traced


def _own_reflex_bounds(exam: _Exam) -> tuple[int, int]:
    """The lowest and highest grade a person's constitution may give the reflexes (ref §1.3,
    pitfall 6: symmetric 3+ alone is not pathological).

    A brisk constitution is kept only for patients whose limbs no lesion reaches (a facial palsy,
    an ocular myasthenia): there it teaches that 3+ alone is normal. Beside anterior horn, root,
    plexus, nerve or neuropathy it builds the brisk-reflexes-with-wasting picture of ALS (a
    wasted ulnar hand too: the split hand); beside a one-sided UMN lesion it lifts the spared
    side and dilutes the asymmetry that is the sign; above a cord lesion it suggests a higher
    level. A myopathy keeps 2+ as well: its lesson is reflexes preserved, and 1+ throughout
    beside proximal weakness reads as a neuropathy (ref §5.18, §5.16).
    """
    touched = [st.lmn_loss or st.arc_loss or st.umn or st.myopathic for st in exam.sides.values()]
    if not any(touched):
        return 1, 3
    return (2 if any(st.myopathic for st in exam.sides.values()) else 1), 2


def _combine(exam: _Exam, draw: Draw | None = None, age: int = 50) -> Findings:
    """The findings: the textbook picture, or this patient's own expression of it."""
    traced = _traced(exam)
    out = dict(traced.base)
    if draw is None:
        return out
    normal = _NormalVariants.draw(draw, age).bounded(*traced.own_reflexes)
    rand = draw
    muscle_low, muscle_span = _Draws.MUSCLE[0], _Draws.MUSCLE[1] - _Draws.MUSCLE[0]
    rolls = {name: rand() for name in A.REFLEXES}
    side_low, side_span = _Draws.SIDE[0], _Draws.SIDE[1] - _Draws.SIDE[0]
    severity = _Draws.SEVERITY[0] + (_Draws.SEVERITY[1] - _Draws.SEVERITY[0]) * rand()
    limb_low, limb_span = _Draws.LIMB[0], _Draws.LIMB[1] - _Draws.LIMB[0]
    varied_reflexes: dict[str, dict[str, int]] = {}
    for side, st in exam.sides.items():
        side_factor = severity * (side_low + side_span * rand())
        factors = (side_factor * (limb_low + limb_span * rand()),
                   side_factor * (limb_low + limb_span * rand()))
        keys, losses, limbs, lows, highs = traced.muscles[side]
        if keys:
            varied = [5 - int(loss * factors[limb] * (muscle_low + muscle_span * rand()) + 0.5)
                      for loss, limb in zip(losses, limbs, strict=True)]
            out.update(zip(keys, [low if v < low else high if v > high else v
                                  for v, low, high in zip(varied, lows, highs, strict=True)],
                           strict=True))
        grades = varied_reflexes[side] = dict(traced.reflexes[side])
        _vary_reflexes(st, grades, rolls, draw, normal)
        _myopathic_reflexes(st, side, grades, out)
        if normal.no_abdominals:
            for key in _KEYS[side]["abdominal"].values():
                out[key] = "absent"
    # Each restores textbook grades the other may have moved: together until both hold.
    for _ in range(3):
        for side, st in exam.sides.items():
            _keep_reflex_order(st, varied_reflexes[side])
        if not _keep_reflex_asymmetry(traced.reflexes, varied_reflexes):
            break
    for side, st in exam.sides.items():
        _reflex_signs(st, side, varied_reflexes[side], out, draw)
    for side, st in exam.sides.items():  # once both sides' power is final
        if st.fasciculations or st.wasting:
            _motor_units(st, side, out, alike=traced.wasting_alike)
    out["gait"], out["romberg"] = _gait(traced.umn_legs, out)
    return out


def _myopathic_reflexes(st: _SideState, side: str, grades: dict[str, int],
                        out: Findings) -> None:
    """In a myopathy a reflex fades only once its muscle no longer moves against gravity, read
    from the final grades so that a 4/5 muscle never has an absent jerk (ref §5.18)."""
    if not st.myopathic:
        return
    for name, muscle in A.REFLEX_MUSCLE.items():
        ceiling = A.MYOPATHIC_REFLEX_CEILING.get(int(out[_KEYS[side]["power"][muscle]]))  # type: ignore[arg-type]
        if ceiling is not None:
            grades[name] = min(grades[name], ceiling)


def _keep_reflex_asymmetry(textbook: dict[str, dict[str, int]],
                           varied: dict[str, dict[str, int]]) -> bool:
    """The variation never erases or turns round a reflex asymmetry of the textbook picture (the
    ankle jerk of an S1 root on top of a neuropathy stays the lower one): where it would, the
    pair keeps its textbook grades. Whether any pair was put back."""
    left, right = textbook["left"], textbook["right"]
    restored = False
    for name, grade in left.items():
        order = (grade > right[name]) - (grade < right[name])
        now = (varied["left"][name] > varied["right"][name]) - (
            varied["left"][name] < varied["right"][name])
        if order and now != order:
            varied["left"][name], varied["right"][name] = grade, right[name]
            restored = True
    return restored


def _keep_reflex_order(st: _SideState, grades: dict[str, int]) -> None:
    """A reflex of a limb whose arc lost less is never found below one whose arc lost more (a
    cauda equina's knee jerk drawn to 0 beside an ankle jerk of 1+): it is raised to that grade,
    which its textbook grade is at or above."""
    for names in _LIMB_REFLEXES.values():
        reduced = [n for n in names if st.arc_loss.get(n, 0.0) > 0.0 and grades[n] <= 2]
        for better in reduced:
            grades[better] = max([grades[better], *(grades[n] for n in reduced
                                                    if st.arc_loss[n] > st.arc_loss[better])])


def _side_findings(exam: _Exam, st: _SideState, side: str, out: Findings) -> None:
    """Everything on one side that no variation changes."""
    keys = _KEYS[side]
    for limb in A.LIMBS:
        out[keys["tone"][limb]] = _tone(st, limb)
    for part in A.ABDOMINAL_ARCS:
        effect = st.umn.get(f"abdominal_{part}")
        lost = part in st.abdominal_lost or (effect is not None and (
            effect.severity != "mild" or effect.expression.tone == "decreased"))
        if lost:
            out[keys["abdominal"][part]] = "absent"
    if st.face_upper:
        out[f"face.{side}.upper"] = "weak"
    if st.face_lower:
        out[f"face.{side}.lower"] = "weak"
    eye = st.eye if st.eye != "normal" else ("ptosis" if st.ptosis else "normal")
    out[f"eyes.{side}"] = eye
    out[f"pupils.{side}"] = st.pupil
    out[f"sensory_level.{side}"] = st.sensory_level or "none"
    out[f"suspended_loss.{side}"] = st.suspended or "none"
    out[f"position_sense.{side}"] = "impaired" if st.position_impaired else "normal"
    out[f"vibration.{side}"] = "impaired" if st.vibration_impaired else "normal"
    out[f"numb_area.{side}"] = tuple(sorted(
        st.numb, key=lambda a: (-A.NUMB_AREA_RANK.get(a, 1), A.NUMB_AREAS.index(a))))
    regions = st.cortical_sensation
    out[f"cortical_sensation.{side}"] = "_".join(
        r for r in ("face_arm", "leg") if r in regions) or "normal"


def _reflex_signs(st: _SideState, side: str, grades: dict[str, int], out: Findings,
                  draw: Draw | None) -> None:
    """The reflex grades, and the signs that follow from them: plantar, Hoffmann, clonus,
    inverted supinator (ref §1.5, §3.2)."""
    for name, grade in grades.items():
        out[_KEYS[side]["reflex"][name]] = A.REFLEX_GRADES[grade]
    if not (st.umn or st.arc_loss or st.lmn_loss):
        return  # nothing but a normal person's reflexes: the signs stay as they are
    # Plantar: the UMN expression, unless the toe extensor cannot move at all.
    plantar = st.umn.get("plantar")
    value = plantar.expression.plantar if plantar else "flexor"
    if (draw is not None and plantar is not None and plantar.expression.phase == T.HYPERACUTE
            and _at_least(plantar.severity, MODERATE)):
        value = "extensor" if draw() < _Draws.HYPERACUTE_EXTENSOR else "flexor"
    # (A toe the variation leaves with a flicker of power is still too weak to move.)
    if st.lmn_loss.get(A.PLANTAR_EFFECTOR, 0.0) >= TOE_PARALYSED_LOSS and \
            out[_KEYS[side]["power"][A.PLANTAR_EFFECTOR]] <= 1:  # type: ignore[operator]
        value = "mute"
    out[f"plantar.{side}"] = value
    # Hoffmann goes with a brisk finger jerk: present at 4+, and at 3+ when the lesion's phase
    # brings it.
    hoffmann = st.umn.get("hoffmann")
    present = grades["finger"] == 4 or (grades["finger"] == 3 and hoffmann is not None
                                        and hoffmann.expression.hoffmann)
    out[f"hoffmann.{side}"] = "present" if present else "absent"
    # Clonus is an enhanced ankle stretch reflex: it needs a brisk ankle jerk.
    clonus = st.umn.get("clonus")
    kind = "absent"
    if clonus and grades["ankle"] >= 3 and clonus.expression.clonus != "absent":
        kind = clonus.expression.clonus
        if grades["ankle"] == 3:
            kind = "unsustained"
        elif draw is not None and draw() < _Draws.CLONUS_FLIP:
            kind = "unsustained" if kind == "sustained" else "sustained"
    out[f"clonus.{side}"] = kind
    # Inverted supinator (ref §5.5): the C5-6 arc is broken while the finger flexors, below
    # the lesion, are brisk.
    inverted = (grades["brachioradialis"] <= 1 and grades["finger"] >= 3 and "finger" in st.umn
                and st.arc_loss.get("brachioradialis", 0.0) >= ARC_REDUCED_FROM)
    out[f"inverted_supinator.{side}"] = "present" if inverted else "absent"


def _motor_units(st: _SideState, side: str, out: Findings, *, alike: bool = False) -> None:
    """Wasting where a muscle is clearly weak (MRC 3 or less) once its time has come, and
    fasciculations where sick motor units remain (not in a muscle paralysed for good), read from
    the final grades so that they agree with them. A disease that wastes both sides alike
    (``alike``) shows its wasting on both once either side is that weak."""
    keys = _KEYS[side]
    for part in A.PARTS:
        grades = [out[keys["power"][m.name]] for m in _PART_MOVEMENTS[part]]
        weakest = min(grades) if not alike else min(  # type: ignore[type-var]
            *grades, *(out[_KEYS[s]["power"][m.name]] for s in A.SIDES
                       for m in _PART_MOVEMENTS[part]))
        out[keys["wasting"][part]] = part in st.wasting and weakest <= WASTED_GRADE  # type: ignore[operator]
        out[keys["fasciculations"][part]] = part in st.fasciculations and any(grades)


def _whole_body_findings(exam: _Exam, out: Findings) -> None:
    left, right = exam.sides["left"].tongue_weakness, exam.sides["right"].tongue_weakness
    out["tongue.deviation"] = "left" if left > right else "right" if right > left else "none"
    out["wasting.tongue"] = exam.tongue_wasting
    out["fasciculations.tongue"] = exam.tongue_fasciculations
    out["power.neck_flexion"] = _grade(exam.neck_loss)
    _bulbar_findings(exam, out)  # reads the neck: a myasthenic neck this weak goes with dysphagia
    out["language"] = exam.language
    out["neglect"] = exam.neglect
    out["visual_fields"] = exam.visual_fields
    out["gaze"] = exam.gaze
    out["anal_tone"] = _ANAL_TONE[exam.anal_tone]
    out["bulbocavernosus"] = "absent" if exam.bulbocavernosus_lost else "present"
    out["bladder"] = BLADDER[exam.bladder]
    out["fatigability"] = exam.fatigability


@dataclass(slots=True)  # (not frozen: a frozen dataclass is slow to build, one per patient)
class _NormalVariants:
    """What this person's normal examination is like, apart from any lesion."""

    reflexes: int = 2
    # Each reflex's own normal grade on both sides (symmetric: asymmetry would be a sign).
    own: dict[str, int] = field(default_factory=dict)
    small_finger_jerks: bool = False
    elderly_ankles: bool = False
    no_abdominals: bool = False

    def bounded(self, low: int, high: int) -> _NormalVariants:
        """The same person, the reflexes' constitution kept within these grades."""
        grades = (self.reflexes, *self.own.values())
        if low <= min(grades) and max(grades) <= high:
            return self
        usual = max(low, min(high, self.reflexes))
        # A reflex a grade off the usual stays a grade off, the other way when it may not be
        # brisk: one symmetric 1+ jerk is as normal as one 3+ (ref §1.3).
        own = {name: max(low, min(high, grade if grade <= high else 2 * usual - grade))
               for name, grade in self.own.items()}
        return _NormalVariants(usual, {n: g for n, g in own.items() if g != usual},
                               self.small_finger_jerks, self.elderly_ankles, self.no_abdominals)

    @classmethod
    def draw(cls, draw: Draw | None, age: int) -> _NormalVariants:
        if draw is None:
            return cls()
        roll, reflexes = draw(), 2
        for grade, share in _Draws.CONSTITUTION:
            if roll < share:
                reflexes = grade
                break
            roll -= share
        own = {name: max(1, min(3, reflexes + (1 if draw() < 0.5 else -1)))
               for name in A.REFLEXES if draw() < _Draws.REFLEX_OWN_GRADE}
        return cls(
            reflexes=reflexes,
            own=own,
            small_finger_jerks=draw() < _Draws.FINGER_JERKS_SMALL,
            elderly_ankles=age >= _Draws.ELDERLY_AGE and draw() < _Draws.ELDERLY_ANKLES,
            no_abdominals=(age >= _Draws.ABDOMINALS_ABSENT_AGE
                           and draw() < _Draws.ABDOMINALS_ABSENT),
        )


_LIMB_REFLEXES = {limb: tuple(r.name for r in A.REFLEXES.values() if r.limb == limb)
                  for limb in A.LIMBS}


def _vary_reflexes(st: _SideState, grades: dict[str, int], rolls: dict[str, float],
                   draw: Draw, normal: _NormalVariants) -> None:
    """Reflex grades within what the lesion allows (ref §1.3): brisk stays brisk, reduced
    stays reduced, normal stays normal; each limb keeps the UMN sign it had. ``rolls`` are the
    patient's, one per reflex and the same on both sides, so the variation never invents an
    asymmetry a bilateral disease does not have."""
    own = normal.own
    if not st.umn and not st.arc_loss:  # a side no lesion reaches: the person's own reflexes
        for name in grades:
            grades[name] = own.get(name, normal.reflexes)
    for names in _LIMB_REFLEXES.values() if (st.umn or st.arc_loss) else ():
        pathological = [n for n in names if grades[n] == 4]
        for name in names:
            grade, arc, roll = grades[name], st.arc_loss.get(name, 0.0), rolls[name]
            if grade == 4:
                if roll < _Draws.BRISK_TO_UPPER_NORMAL:
                    grades[name] = 3
            elif grade == 2 and arc >= _Draws.BORDERLINE_ARC:
                if roll < _Draws.BORDERLINE_ARC_REDUCED:
                    grades[name] = 1  # an arc just short of a grade down, found reduced
            elif grade == 2 and name not in st.umn and arc == 0.0:
                grades[name] = own.get(name, normal.reflexes)
            elif (name in st.umn and 1 <= grade <= 3 and arc == 0.0
                  and st.umn[name].expression.reflex_shift >= 0):  # not shock's areflexia
                # The person's own briskness moves both sides alike: a weak side's reflexes
                # stay at or below the healthy side's in a hyperacute stroke, above them later.
                offset = own.get(name, normal.reflexes) - 2
                grades[name] = max(1, min(3, grade + offset))
            elif grade == 1:
                if own.get(name, normal.reflexes) == 1 or roll < _Draws.REDUCED_TO_ABSENT:
                    grades[name] = 0  # below a person's own small reflex it is gone
            elif grade == 0 and arc < _Draws.TRACE_BELOW_ARC_LOSS and \
                    roll < _Draws.ABSENT_TO_TRACE:
                grades[name] = 1
        if pathological and not any(grades[n] == 4 for n in names):
            grades[pathological[int(draw() * len(pathological))]] = 4
    for name, small in (("ankle", normal.elderly_ankles), ("finger", normal.small_finger_jerks)):
        if small and name not in st.umn and st.arc_loss.get(name, 0.0) == 0.0:
            grades[name] = 1


def _bulbar_findings(exam: _Exam, out: Findings) -> None:
    """Jaw jerk, speech, gag and swallowing: bulbar vs pseudobulbar palsy (ref §2.2, §3.1)."""
    # The trigeminal motor nucleus and most bulbar nuclei have bilateral supply: the jaw jerk
    # is brisk and the palsy pseudobulbar only when both hemispheres' input is lost (never in
    # cord lesions).
    bulbar = exam.supranuclear_bulbar
    pseudobulbar = False
    mild_dysarthria, dysphagia = exam.mild_dysarthria, exam.acute_dysphagia
    if len(bulbar) == 2:
        weaker = min(bulbar.values(), key=lambda e: e.rank)
        shift = max(0, weaker.expression.reflex_shift)
        out["reflex.jaw"] = A.REFLEX_GRADES[2 + shift]
        # Pseudobulbar palsy once the UMN picture has set in (brisk jaw jerk); hyperacutely
        # slurred speech and trouble swallowing.
        pseudobulbar = _at_least(weaker.severity, MODERATE) and shift > 0
        if _at_least(weaker.severity, MODERATE) and not shift:
            mild_dysarthria = dysphagia = True
    lmn = exam.bulbar_lmn
    if pseudobulbar and lmn is not None:
        speech, gag = "mixed_dysarthria", "reduced" if _at_least(lmn, SEVERE) else "brisk"
    elif pseudobulbar:
        speech, gag = "spastic_dysarthria", "brisk"
    elif lmn is not None:
        speech, gag = "flaccid_dysarthria", "reduced"
    elif exam.bulbar_fatigable:
        speech, gag = "flaccid_dysarthria", "normal"  # nasal, worse as the patient talks
    elif mild_dysarthria:
        speech, gag = "mild_dysarthria", "normal"
    else:
        speech, gag = "normal", "normal"
    out["speech"], out["gag"] = speech, gag
    swallowing = (pseudobulbar or dysphagia
                  or (lmn is not None and _at_least(lmn, MODERATE))
                  or (exam.bulbar_fatigable and out["power.neck_flexion"] <= 3))
    out["swallowing"] = "impaired" if swallowing else "normal"


# Gait (ref §4.2 spastic postures, §5.14 foot drop, §5.16 sensory ataxia, §5.18 waddling):
# what the legs' findings make of walking, read from the findings themselves so that gait always
# agrees with power, tone and position sense. Thresholds in MRC grades.
# A leg that cannot be held straight under the body: the quadriceps moves only with gravity
# eliminated (MRC 2 or less) and nothing else locks the knee, neither the hip extensors and the
# calf (a paralysed quadriceps alone is walked on with the knee pushed back, the calf and
# gluteus holding it: Perry, Mulroy and Renwick, Arch Phys Med Rehabil 1993;74:165, knee
# extension the poorest predictor of walking in post-polio weakness) nor a hip flexor to swing
# it through (hip flexor then knee extensor strength decide independent walking: Moon et al.,
# Ann Rehabil Med 2017;41:1041). Such a leg buckles at heel strike ("in walking without support
# the knee will give way", orthopaedicsone.com): no walking unaided, no Romberg (ref §1.2).
CANNOT_BEAR_WEIGHT = 2
FOOT_DROP = 3              # the ankle dorsiflexors this weak: a steppage gait
WADDLING = 3               # both hip girdles or thighs this weak, without spasticity: a waddle
WEAK_LEG = 3               # one thigh or calf this weak: a limp
_WEIGHT_BEARING = ("hip_flexion", "hip_abduction", "hip_extension", "knee_extension",
                   "ankle_plantarflexion")
# The muscles that decide whether a leg buckles (see _buckles).
_HOLD_THE_LEG = frozenset({"knee_extension", "hip_flexion", "hip_extension",
                           "ankle_plantarflexion"})


_GAIT_KEYS = {side: {name: f"power.{side}.{name}" for name in (
    "hip_flexion", "knee_extension", "hip_abduction", "hip_extension", "ankle_dorsiflexion",
    "ankle_plantarflexion")} for side in A.SIDES}
_LEG_POWER_KEYS = {side: tuple(f"power.{side}.{m.name}" for m in _LEG_MOVEMENTS)
                   for side in A.SIDES}


def _weaker_leg(sides: Iterable[str], out: Findings) -> str | None:
    """The weaker of these legs (its weight-bearing muscles, weakest first, then in all),
    or None when they are equally weak: a limp names the weaker leg, and equal legs give no
    one-sided limp."""
    totals = {s: (sorted(int(out[f"power.{s}.{m}"]) for m in _WEIGHT_BEARING),  # type: ignore[arg-type]
                  sum(int(out[k]) for k in _LEG_POWER_KEYS[s]))  # type: ignore[arg-type]
              for s in sides}
    if not totals:
        return None
    least = min(totals.values())
    weakest = [s for s, total in totals.items() if total == least]
    return weakest[0] if len(weakest) == 1 else None


def _buckles(power: dict[str, int]) -> bool:
    """Whether a leg gives way under the body (see CANNOT_BEAR_WEIGHT)."""
    weak = power["knee_extension"] <= CANNOT_BEAR_WEIGHT
    return weak and (power["hip_flexion"] <= CANNOT_BEAR_WEIGHT or (
        power["hip_extension"] <= CANNOT_BEAR_WEIGHT
        and power["ankle_plantarflexion"] <= CANNOT_BEAR_WEIGHT))


def _gait(umn_legs: dict[str, bool], out: Findings) -> tuple[str, str]:
    """Walking and standing, given which legs have corticospinal loss."""
    power = {side: {name: int(out[key]) for name, key in keys.items()}  # type: ignore[arg-type]
             for side, keys in _GAIT_KEYS.items()}
    spastic = {s: out[f"tone.{s}.leg"] == "spastic" for s in A.SIDES}
    if any(_buckles(power[s]) for s in A.SIDES):
        return "unable", "unable"
    # Romberg: steady with eyes open, unsteady when vision no longer replaces the lost joint
    # position sense (dorsal columns, large fibres) of either leg. A parietal loss beside a
    # hemiparesis is not a Romberg sign: that patient sways from the weak leg, eyes open or shut.
    romberg = "positive" if any(out[f"position_sense.{s}"] == "impaired"
                                and out[f"cortical_sensation.{s}"] == "normal"
                                for s in A.SIDES) else "negative"
    # A leg with corticospinal weakness circumducts once it is stiff: spastic, or (before the tone
    # has caught up) weak and hyperreflexic. Scissoring needs both legs spastic; one spastic leg
    # swings out in an arc, whatever the reflexes of the other.
    weak_umn = [s for s in A.SIDES
                if umn_legs[s] and any(out[key] != 5 for key in _LEG_POWER_KEYS[s])]
    hyperreflexic = [s for s in weak_umn if "4+" in (out[f"reflex.{s}.knee"],
                                                     out[f"reflex.{s}.ankle"])]
    stiff = [s for s in A.SIDES if spastic[s]] or hyperreflexic
    if len(stiff) == 2 and all(spastic.values()):
        return "spastic_paraparetic", romberg
    if len(stiff) == 1:
        return f"hemiplegic_{stiff[0]}", romberg
    if len(stiff) == 2:  # both hyperreflexic, neither spastic yet: the weaker one circumducts
        weaker = _weaker_leg(stiff, out)
        if weaker:
            return f"hemiplegic_{weaker}", romberg
    if len(weak_umn) == 2 and min(power[s]["hip_flexion"] for s in A.SIDES) <= WEAK_LEG:
        return "unable", "unable"  # two weak, still flaccid legs do not carry the body
    if weak_umn:
        weaker = _weaker_leg(A.SIDES, out)
        if weaker:
            return f"limp_{weaker}", romberg
    # Both hip girdles weak, the feet stronger than the hips: a waddle (the gluteal muscles fail
    # to hold the pelvis level), even when the girdles are only 4/5 with one of them weaker. Weak
    # feet as well make it a root or nerve picture (a weak leg, a foot drop), not a waddle.
    girdle = [min(p["hip_flexion"], p["hip_abduction"], p["hip_extension"]) for p in power.values()]
    if max(girdle) <= WADDLING + 1 and min(girdle) <= WADDLING and all(
            min(p["hip_abduction"], p["hip_extension"]) <= WADDLING + 1
            and min(p["ankle_dorsiflexion"], p["ankle_plantarflexion"]) > g
            for p, g in zip(power.values(), girdle, strict=True)):
        return "waddling", romberg
    # A paralysed quadriceps walked on with the knee locked back: a limp on that leg.
    if any(power[s]["knee_extension"] <= CANNOT_BEAR_WEIGHT for s in A.SIDES):
        weaker = _weaker_leg(A.SIDES, out)
        if weaker:
            return f"limp_{weaker}", romberg
    drop = [s for s in A.SIDES if power[s]["ankle_dorsiflexion"] <= FOOT_DROP]
    if drop:
        return ("steppage_bilateral" if len(drop) == 2 else f"steppage_{drop[0]}"), romberg
    # Otherwise a clearly weak hip, thigh or calf: a limp on the weaker side.
    limping = [s for s in A.SIDES if min(power[s][m] for m in _WEIGHT_BEARING) <= WEAK_LEG]
    weaker = _weaker_leg(limping, out)
    if weaker:
        return f"limp_{weaker}", romberg
    # Both legs alike (no one-sided limp): a symmetric weakness of the thighs or hips rolls the
    # pelvis from side to side, a waddle; a symmetric weak push-off alone shows little.
    if limping and all(min(power[s][m] for m in ("hip_flexion", "hip_abduction", "hip_extension",
                                                  "knee_extension")) <= WEAK_LEG for s in A.SIDES):
        return "waddling", romberg
    if romberg == "positive":
        return "sensory_ataxic", romberg
    return "normal", romberg


def _derive(lesions: Iterable[Lesion], draw: Draw | None = None,
            age: int = 50, pattern: int | None = None) -> Findings:
    return _combine(_exam_for(tuple(lesions), pattern), draw, age)


def _exam_for(lesions: tuple[Lesion, ...], pattern: int | None) -> _Exam:
    exam = _Exam(pattern=None if pattern is None else random.Random(pattern))
    for lesion in lesions:
        # Two lesions on one reflex arc add their losses (an S1 root on top of a neuropathy
        # takes that side's ankle jerk further down than the other's); within one lesion the
        # worst share counts.
        before = {side: st.arc_loss for side, st in exam.sides.items()}
        for st in exam.sides.values():
            st.arc_loss = {}
        _SITE_RULES[lesion.site](exam, lesion)
        for side, st in exam.sides.items():
            st.arc_loss = _added_arc_losses(before[side], st.arc_loss)
    return exam


def _added_arc_losses(first: dict[str, float], second: dict[str, float]) -> dict[str, float]:
    """The share of each arc two lesions leave broken: their losses add, up to the whole arc."""
    return {name: min(1.0, first.get(name, 0.0) + second.get(name, 0.0))
            for name in first.keys() | second.keys()}


# Derivations are pure, and depend on onset only through its time band, so they are cached by
# (site model, fields with onset replaced by its band): generated patients mostly hit the cache.
# Exact (textbook) findings are cached whole; a varied patient caches the lesions' traced state
# and draws its own expression from it.
# Both hold whole findings dicts, handed out as copies (copying a dict is a tenth of the cost of
# rebuilding it from its keys and values).
_CACHE: dict[tuple, Findings] = {}
_EXAMS: dict[tuple, _Exam] = {}
_CACHE_LIMIT = 20_000


def _cache_key(lesion: Lesion, onset_days: float | None = None) -> tuple:
    fields = lesion.__dict__
    onset = lesion.onset_days if onset_days is None else onset_days
    return (type(lesion), T.time_band_start(onset),
            *(v for k, v in fields.items() if k != "onset_days"))


def derive_findings(lesions: Iterable[Lesion], variation: Variation | None = None) -> Findings:
    """Every findings key of design §4 for a patient carrying these lesions."""
    lesions = tuple(lesions)
    if variation is not None:
        return _derive_varied(lesions, variation)
    key = tuple(_cache_key(lesion) for lesion in lesions)
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        found = _CACHE[key] = _derive(lesions)
    return dict(found)


# Sites whose rules draw from the patient's pattern (exam.pattern).
_PATTERNED_SITES = frozenset({"anterior_horn", "polyneuropathy", "nmj", "motor_neuron_disease",
                              "root", "plexus", "nerve"})


def _paced_onset(onset_days: float, pace: float) -> float:
    paced = onset_days * pace
    # The first day stays the first day: a hyperacute patient is hyperacute.
    return min(paced, 0.99) if onset_days < 1 else max(paced, 1.0)


def _pace_and_pattern(lesions: tuple[Lesion, ...], draw: Draw) -> tuple[list[float], int | None]:
    """This patient's clock (the lesions' onsets as its pace makes them look) and pattern."""
    pace = _Draws.PACE[0] + (_Draws.PACE[1] - _Draws.PACE[0]) * draw()
    pattern: int | None = int(draw() * _Draws.PATTERNS)
    if not any(lesion.site in _PATTERNED_SITES for lesion in lesions):
        pattern = None  # nothing to draw: share the traced state with every such patient
    return [_paced_onset(lesion.onset_days, pace) for lesion in lesions], pattern


def paced_lesions(lesions: Iterable[Lesion], variation: Variation) -> tuple[Lesion, ...]:
    """The lesions with the onsets this patient's pace gives them: what the varied findings
    are the textbook picture of (before the grades and reflexes vary)."""
    lesions = tuple(lesions)
    onsets, _ = _pace_and_pattern(lesions, _draws_for(variation.seed))
    return tuple(le.model_copy(update={"onset_days": on})
                 for le, on in zip(lesions, onsets, strict=True))


# The last few varied patients' findings: a patient is usually derived twice in a row (for its
# history, then for the examination).
_RECENT: dict[tuple, tuple[tuple[Lesion, ...], Findings]] = {}
_RECENT_LIMIT = 256


def _derive_varied(lesions: tuple[Lesion, ...], variation: Variation) -> Findings:
    # Keyed by the lesion objects themselves (cheap), and checked to be them (an id can be
    # reused once an object is gone).
    recent_key = (variation.seed, variation.age, *map(id, lesions))
    recent = _RECENT.get(recent_key)
    if recent is None or any(a is not b for a, b in zip(recent[0], lesions, strict=True)):
        if len(_RECENT) >= _RECENT_LIMIT:
            _RECENT.clear()
        recent = _RECENT[recent_key] = (lesions, _derive_varied_anew(lesions, variation))
    return dict(recent[1])


def _derive_varied_anew(lesions: tuple[Lesion, ...], variation: Variation) -> Findings:
    draw = _draws_for(variation.seed)
    onsets, pattern = _pace_and_pattern(lesions, draw)
    key = (pattern, *(_cache_key(le, on) for le, on in zip(lesions, onsets, strict=True)))
    exam = _EXAMS.get(key)
    if exam is None:
        if len(_EXAMS) >= _CACHE_LIMIT:
            _EXAMS.clear()
        paced = tuple(le.model_copy(update={"onset_days": on})
                      for le, on in zip(lesions, onsets, strict=True))
        exam = _EXAMS[key] = _exam_for(paced, pattern)
    return _combine(exam, draw, variation.age)


def derive_uncached(lesions: Iterable[Lesion], variation: Variation | None = None) -> Findings:
    """The same as ``derive_findings`` without the cache (for tests and benchmarks)."""
    lesions = tuple(lesions)
    if variation is None:
        return _derive(lesions)
    _EXAMS.clear()
    return _derive_varied_anew(lesions, variation)


def explained_by(lesion: Lesion) -> Findings:
    """The abnormal findings this lesion alone produces (for feedback on what points where)."""
    findings = derive_findings((lesion,))
    return {k: v for k, v in findings.items() if v != NORMAL_FINDINGS[k]}
