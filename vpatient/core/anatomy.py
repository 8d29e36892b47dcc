"""The motor anatomy the engine simulates, as data, in one place.

Every table cites the section of ``clinical-reference.md`` ("ref §x") it follows. Where sources
differ, the reference's adopted value (ref §8) is used. The engine (``engine.py``) contains the
rules; this module contains only facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from vpatient.core import vocabulary as V

Side = Literal["left", "right"]
SIDES: tuple[Side, Side] = V.SIDES  # type: ignore[assignment]


def other_side(side: Side) -> Side:
    return "right" if side == "left" else "left"


# --- Spinal segments (ref §5.5, §5.6) ------------------------------------------------------------
SEGMENTS: tuple[str, ...] = V.SEGMENTS
SEGMENT_INDEX: dict[str, int] = {seg: i for i, seg in enumerate(SEGMENTS)}

# Roots a radiculopathy can be set at (design §3; ref §5.12).
ROOT_LEVELS: tuple[str, ...] = V.ROOT_LEVELS

# Cord levels whose own segments hold tracked myotomes: a lesion there gives LMN signs at the level
# and UMN signs below (ref §5.5 "At C5-T1"); lumbosacral cord likewise. Elsewhere the lost
# segments are not clinically visible (ref §5.6 "Wasting, fasciculations: none").
def segment_range(start: str, end: str) -> tuple[str, ...]:
    """Segments from ``start`` to ``end`` inclusive, in rostro-caudal order."""
    a, b = SEGMENT_INDEX[start], SEGMENT_INDEX[end]
    if a > b:
        a, b = b, a
    return SEGMENTS[a : b + 1]


def segment_span(level: str) -> tuple[int, int] | None:
    """The first and last segment index of a level or range ("C6", "C5-T1"); None if it is not
    segmental (a nerve, a plexus part)."""
    ends = level.upper().split("-")
    if not all(end in SEGMENT_INDEX for end in ends):
        return None
    indexes = [SEGMENT_INDEX[end] for end in ends]
    return min(indexes), max(indexes)


def segment_distance(a: str, b: str) -> int | None:
    """Segments between two levels or ranges (0 when they overlap); None if not segmental."""
    first, second = segment_span(a), segment_span(b)
    if first is None or second is None:
        return None
    return max(0, max(first[0], second[0]) - min(first[1], second[1]))


# --- Movements: myotomes, nerve, part of the limb, pyramidal behaviour ---------------------------
Part = Literal["arm_proximal", "arm_distal", "leg_proximal", "leg_distal"]
PARTS: tuple[Part, ...] = ("arm_proximal", "arm_distal", "leg_proximal", "leg_distal")
PART_LABELS: dict[str, str] = {
    "arm_proximal": "shoulder and upper arm", "arm_distal": "forearm and hand",
    "leg_proximal": "hip and thigh", "leg_distal": "lower leg and foot",
}
Limb = Literal["arm", "leg"]
LIMBS: tuple[Limb, Limb] = ("arm", "leg")


# A root's share of a myotome or reflex arc, in the two roles the reference gives (ref §2.3, §2.4,
# §3.1, "engine value first"): a main root, or a contributing one (the root in parentheses).
MAIN, MINOR = 1.0, 0.5


@dataclass(frozen=True)
class Movement:
    name: str
    label: str
    muscle: str
    part: Part
    # Segment -> its role in supplying the movement: MAIN or MINOR.
    myotome: dict[str, float]
    # In the pyramidal pattern (ref §4.2) arm extensors/abductors and leg flexors are weakest.
    pyramidal_weak: bool

    @property
    def limb(self) -> Limb:
        return "arm" if self.part.startswith("arm") else "leg"

    @property
    def lowest_main_segment(self) -> str:
        """A cord lesion above this segment cuts the corticospinal drive to part of the
        movement's motor neurons (those of its lower main roots), even when its upper main root
        lies at the lesion itself: a complete C5 lesion leaves the biceps' C6 motor neurons
        without descending drive."""
        return max((s for s, role in self.myotome.items() if role == MAIN),
                   key=SEGMENT_INDEX.__getitem__)


_MOVEMENTS = (
    # Arm, ref §2.3
    Movement("shoulder_abduction", "shoulder abduction", "deltoid", "arm_proximal",
             {"C5": MAIN, "C6": MINOR}, True),
    Movement("shoulder_external_rotation", "shoulder external rotation", "infraspinatus",
             "arm_proximal", {"C5": MAIN, "C6": MINOR}, True),
    Movement("elbow_flexion", "elbow flexion", "biceps, brachialis", "arm_proximal",
             {"C5": MAIN, "C6": MAIN}, False),
    Movement("elbow_extension", "elbow extension", "triceps", "arm_proximal",
             {"C7": MAIN, "C6": MINOR, "C8": MINOR}, True),
    Movement("wrist_extension", "wrist extension", "extensor carpi radialis", "arm_distal",
             {"C6": MAIN, "C7": MAIN}, True),
    Movement("finger_extension", "finger extension", "extensor digitorum", "arm_distal",
             {"C7": MAIN, "C8": MINOR}, True),
    Movement("finger_flexion", "finger flexion", "flexor digitorum", "arm_distal",
             {"C8": MAIN, "C7": MINOR}, False),
    Movement("finger_abduction", "finger abduction", "dorsal interossei", "arm_distal",
             {"T1": MAIN, "C8": MINOR}, True),
    Movement("thumb_abduction", "thumb abduction", "abductor pollicis brevis", "arm_distal",
             {"T1": MAIN, "C8": MINOR}, True),
    # Leg, ref §2.4
    Movement("hip_flexion", "hip flexion", "iliopsoas", "leg_proximal",
             {"L1": MAIN, "L2": MAIN, "L3": MINOR}, True),
    Movement("hip_adduction", "hip adduction", "adductors", "leg_proximal",
             {"L2": MAIN, "L3": MAIN, "L4": MAIN}, False),
    # Not among the pyramidal pattern's weakest (ref §4.2 and GPnotebook list hip flexion, knee
    # flexion, dorsiflexion and eversion; the hemiplegic leg swings out in abduction).
    Movement("hip_abduction", "hip abduction", "gluteus medius", "leg_proximal",
             {"L5": MAIN, "L4": MINOR, "S1": MINOR}, False),
    # Hip extension (gluteus maximus, inferior gluteal nerve): weak in S1 root lesions and in
    # myopathy (ref §5.12, §5.18); the sciatic nerve does not supply it. Leg extensors are
    # relatively preserved in the pyramidal pattern (ref §4.2).
    Movement("hip_extension", "hip extension", "gluteus maximus", "leg_proximal",
             {"S1": MAIN, "L5": MAIN, "S2": MINOR}, False),
    Movement("knee_extension", "knee extension", "quadriceps", "leg_proximal",
             {"L3": MAIN, "L4": MAIN}, False),
    Movement("knee_flexion", "knee flexion", "hamstrings", "leg_proximal",
             {"L5": MAIN, "S1": MAIN, "S2": MINOR}, True),
    Movement("ankle_dorsiflexion", "ankle dorsiflexion", "tibialis anterior", "leg_distal",
             {"L4": MAIN, "L5": MAIN}, True),
    Movement("great_toe_extension", "great toe extension", "extensor hallucis longus",
             "leg_distal", {"L5": MAIN}, True),
    Movement("ankle_inversion", "ankle inversion", "tibialis posterior", "leg_distal",
             {"L5": MAIN, "L4": MINOR}, False),
    Movement("ankle_eversion", "ankle eversion", "peronei", "leg_distal",
             {"L5": MAIN, "S1": MAIN}, True),
    Movement("ankle_plantarflexion", "ankle plantarflexion", "gastrocnemius, soleus",
             "leg_distal", {"S1": MAIN, "S2": MINOR}, False),
)
MOVEMENTS: dict[str, Movement] = {m.name: m for m in _MOVEMENTS}

# --- Deep tendon reflex arcs (ref §3.1, adopted values of §8) ------------------------------------


@dataclass(frozen=True)
class ReflexArc:
    name: str
    label: str
    limb: Limb
    segments: dict[str, float]  # segment -> MAIN or MINOR

    @property
    def main_segment(self) -> str:
        return max(self.segments, key=lambda s: (self.segments[s], -SEGMENT_INDEX[s]))


_REFLEXES = (
    ReflexArc("biceps", "biceps jerk", "arm", {"C5": MAIN, "C6": MAIN}),
    ReflexArc("brachioradialis", "supinator (brachioradialis) jerk", "arm",
              {"C6": MAIN, "C5": MINOR}),
    ReflexArc("triceps", "triceps jerk", "arm", {"C7": MAIN}),
    ReflexArc("finger", "finger jerk", "arm", {"C8": MAIN}),
    ReflexArc("knee", "knee jerk", "leg", {"L3": MAIN, "L4": MAIN, "L2": MINOR}),
    ReflexArc("ankle", "ankle jerk", "leg", {"S1": MAIN, "S2": MINOR}),
)
REFLEXES: dict[str, ReflexArc] = {r.name: r for r in _REFLEXES}
REFLEX_GRADES: tuple[str, ...] = ("0", "1+", "2+", "3+", "4+")  # NINDS, ref §1.3

# The plantar response runs through L5-S1 (ref §3.2); the toe extensor must be able to move for an
# extensor response to show (ref §1.5 "mute").
PLANTAR_SEGMENT = "S1"
PLANTAR_EFFECTOR = "great_toe_extension"
# The Hoffmann sign is the finger flexor reflex, on the finger jerk's arc (C8, ref §3.2): it shows
# an UMN lesion above that arc.
HOFFMANN_SEGMENT = REFLEXES["finger"].main_segment

# --- Peripheral nerves: branches in proximal-to-distal order (ref §2.3, §2.4, §5.14) --------------


@dataclass(frozen=True)
class Branch:
    """What leaves the nerve at one point along it."""

    at: str
    movements: dict[str, float] = field(default_factory=dict)
    reflexes: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Nerve:
    name: str
    label: str
    limb: Limb | None
    branches: tuple[Branch, ...]
    default_at: str
    # Cranial nerves act on the face or tongue rather than on limb movements.
    cranial: Literal["VII", "XII"] | None = None

    def __post_init__(self) -> None:
        # A branch carries a share of a movement (or of a reflex arc): more than none, and all
        # the nerve's branches together at most the whole of it.
        for kind in ("movements", "reflexes"):
            totals: dict[str, float] = {}
            for branch in self.branches:
                for name, share in getattr(branch, kind).items():
                    if share <= 0:
                        raise ValueError(f"{self.name} at {branch.at}: {name} share {share}")
                    totals[name] = totals.get(name, 0.0) + share
            for name, total in totals.items():
                if total > 1.0 + 1e-9:
                    raise ValueError(f"{self.name}: its branches give {total} of {name}")

    @property
    def sites(self) -> tuple[str, ...]:
        return tuple(b.at for b in self.branches)

    def supplied_from(self, at: str) -> tuple[Branch, ...]:
        """Branches at or distal to ``at``: a lesion there denervates all of them."""
        sites = self.sites
        return self.branches[sites.index(at) :]


# Share of shoulder abduction the deltoid (axillary nerve) makes: the supraspinatus
# (suprascapular nerve) still starts the movement, its first 15 degrees, so even a complete
# axillary palsy leaves abduction at MRC 1-2, never 0 (WVU Neurobiology and Anatomy, "Shoulder
# abduction", anatomyresources.hsc.wvu.edu/nm_deficits/Shoulder_Abduction.html).
DELTOID_SHARE_OF_ABDUCTION = 0.65

_NERVES = (
    Nerve("axillary", "axillary nerve", "arm",
          (Branch("surgical_neck", {"shoulder_abduction": DELTOID_SHARE_OF_ABDUCTION}),),
          "surgical_neck"),
    # Brachioradialis (radial) and part of brachialis still flex the elbow, so an isolated
    # musculocutaneous palsy leaves elbow flexion only mildly weak (biceps jerk lost).
    Nerve("musculocutaneous", "musculocutaneous nerve", "arm",
          (Branch("arm", {"elbow_flexion": 0.35}, {"biceps": 1.0}),), "arm"),
    # Radial: triceps branches leave in the axilla, above the spiral groove; brachioradialis and
    # the radial wrist extensors above the elbow; the posterior interosseous supplies the finger
    # extensors and extensor carpi ulnaris (ref §5.14).
    Nerve("radial", "radial nerve", "arm", (
        Branch("axilla", {"elbow_extension": 1.0}, {"triceps": 1.0}),
        Branch("spiral_groove", {"wrist_extension": 0.7, "elbow_flexion": 0.15},
               {"brachioradialis": 1.0}),
        Branch("posterior_interosseous", {"finger_extension": 1.0, "wrist_extension": 0.3}),
    ), "spiral_groove"),
    # Median: long finger flexors leave in the forearm; abductor pollicis brevis via the recurrent
    # branch beyond the carpal tunnel. The finger jerk runs through both median and ulnar
    # nerves, so one of them alone leaves it normal (ref §5.14 "reflex: normal").
    Nerve("median", "median nerve", "arm", (
        Branch("elbow", {"finger_flexion": 0.6}),
        Branch("wrist", {"thumb_abduction": 1.0}),
    ), "wrist"),
    # Ulnar: flexor digitorum profundus to ring and little fingers leaves in the forearm; the
    # interossei in the hand.
    Nerve("ulnar", "ulnar nerve", "arm", (
        Branch("elbow", {"finger_flexion": 0.3}),
        Branch("wrist", {"finger_abduction": 1.0}),
    ), "elbow"),
    # Femoral: iliacus leaves above the inguinal ligament; quadriceps below (ref §5.14).
    Nerve("femoral", "femoral nerve", "leg", (
        Branch("pelvis", {"hip_flexion": 0.6}),
        Branch("inguinal_ligament", {"knee_extension": 1.0}, {"knee": 1.0}),
    ), "inguinal_ligament"),
    # Sciatic: the peroneal division suffers first and most (it is more superficial, with fewer
    # and larger fascicles), so a sciatic lesion looks peroneal-predominant; the tibial division
    # and the hamstrings less so. Gluteus maximus (hip extension) is spared.
    Nerve("sciatic", "sciatic nerve", "leg", (
        Branch("sciatic_notch", {
            "knee_flexion": 0.6, "ankle_dorsiflexion": 1.0, "great_toe_extension": 1.0,
            "ankle_eversion": 1.0, "ankle_inversion": 0.6, "ankle_plantarflexion": 0.6,
        }, {"ankle": 0.8}),
    ), "sciatic_notch"),
    # Common peroneal at the fibular head: deep (dorsiflexion, toe extension) and superficial
    # (eversion) branches; inversion (tibial) and hip abduction are spared (ref §5.15).
    Nerve("common_peroneal", "common peroneal (fibular) nerve", "leg", (
        Branch("fibular_head", {
            "ankle_dorsiflexion": 1.0, "great_toe_extension": 1.0, "ankle_eversion": 1.0,
        }),
    ), "fibular_head"),
    Nerve("tibial", "tibial nerve", "leg", (
        Branch("popliteal_fossa", {"ankle_plantarflexion": 1.0, "ankle_inversion": 1.0},
               {"ankle": 1.0}),
    ), "popliteal_fossa"),
    Nerve("facial", "facial nerve", None,
          (Branch("stylomastoid_foramen"),), "stylomastoid_foramen", cranial="VII"),
    Nerve("hypoglossal", "hypoglossal nerve", None,
          (Branch("hypoglossal_canal"),), "hypoglossal_canal", cranial="XII"),
)
NERVES: dict[str, Nerve] = {n.name: n for n in _NERVES}
assert tuple(NERVES) == V.NERVE_NAMES, "every nerve of the vocabulary has its anatomy"
# Movements a nerve lesion spares that its look-alike weakens (ref §5.15): inversion and hip
# abduction (L5 root vs peroneal), thumb abduction (C8 root vs ulnar), triceps and finger flexion
# (C7 root vs radial), hip adduction (L4 root vs femoral), finger abduction (median vs ulnar).
SPARED_BY_NERVE: dict[str, tuple[str, ...]] = {
    "common_peroneal": ("ankle_inversion", "hip_abduction"),
    "ulnar": ("thumb_abduction",),
    "radial": ("elbow_extension", "finger_flexion"),
    "femoral": ("hip_adduction",),
    "median": ("finger_abduction",),
}

# --- Brachial and lumbosacral plexus (ref §5.13) -------------------------------------------------
# Each part is given by the roots whose fibres run through it.
PLEXUS_PARTS: dict[str, tuple[Limb, dict[str, float]]] = {
    "upper_trunk": ("arm", {"C5": MAIN, "C6": MAIN}),
    "lower_trunk": ("arm", {"C8": MAIN, "T1": MAIN}),
    "lumbosacral": ("leg", {"L2": MAIN, "L3": MAIN, "L4": MAIN, "L5": MAIN, "S1": MAIN}),
}
assert tuple(PLEXUS_PARTS) == V.PLEXUS_PARTS

# --- The upper motor neuron pathway (ref §1.1, design §2) ----------------------------------------
# Stations of the corticospinal/corticobulbar pathway, rostral to caudal. The pyramidal
# decussation lies at the caudal medulla: every station above it gives contralateral limb signs.
UMN_STATIONS: tuple[str, ...] = V.UMN_STATIONS
STATION_INDEX: dict[str, int] = {s: i for i, s in enumerate(UMN_STATIONS)}
PYRAMIDAL_DECUSSATION = V.PYRAMIDAL_DECUSSATION  # the fibres cross at its caudal end

# Where each body region's lower motor neurons sit, so a UMN lesion affects a region only when it
# lies above them. Upper face has bilateral cortical supply (ref §2.1): a unilateral UMN lesion
# spares it.
CRANIAL_REGION_NUCLEUS: dict[str, str] = {
    "face_lower": "pons",     # facial nucleus
    "tongue": "medulla",      # hypoglossal nucleus
    "jaw": "pons",            # trigeminal motor nucleus (jaw jerk, ref §3.1)
}

# Motor cortex somatotopy (ref §5.1, §5.2): each territory's weight per region, as severity steps
# removed (0 = full lesion severity, None = spared).
CORTICAL_TERRITORY: dict[str, dict[str, int | None]] = {
    # MCA: face and arm (hand most) > leg; the leg may be spared.
    "face_arm": {"face_lower": 0, "tongue": 0, "arm_proximal": 1, "arm_distal": 0,
                 "leg_proximal": 2, "leg_distal": 2},
    # ACA: leg > proximal arm; hand and face spared.
    "leg": {"face_lower": None, "tongue": None, "arm_proximal": 1, "arm_distal": None,
            "leg_proximal": 0, "leg_distal": 0},
    "whole": {"face_lower": 0, "tongue": 0, "arm_proximal": 0, "arm_distal": 0,
              "leg_proximal": 0, "leg_distal": 0},
}

# Cortical signs by territory (ref §5.1, §5.2, §5.15): what a cortical lesion adds to the motor
# picture, and what a capsular one never has. The dominant hemisphere (language) is taken to be
# the left, as in about 95% of right-handed people; the other hemisphere's lesions give neglect.
@dataclass(frozen=True)
class CorticalSigns:
    language_or_neglect: bool      # aphasia (dominant) or neglect (non-dominant)
    field_cut: bool                # contralateral homonymous hemianopia
    gaze_deviation: bool           # towards the lesion, in the first days of a large lesion
    cortical_sensation: tuple[str, ...]  # where graphaesthesia and stereognosis are lost


CORTICAL_SIGNS: dict[str, CorticalSigns] = {
    "face_arm": CorticalSigns(True, False, True, ("face_arm",)),
    "leg": CorticalSigns(False, False, False, ("leg",)),
    "whole": CorticalSigns(True, True, True, ("face_arm", "leg")),
}
DOMINANT_HEMISPHERE = "left"

# Cranial nerve nuclei and fascicles crossed by the brainstem crossed syndromes (ref §5.4):
# an ipsilateral lower motor neuron palsy at the level of the lesion.
BRAINSTEM_CRANIAL_NERVES: dict[str, tuple[str, ...]] = {
    "midbrain": ("III",),       # Weber: third nerve fascicles
    "pons": ("VI", "VII"),      # ventral caudal pons (Millard-Gubler)
    "medulla": ("XII",),        # medial medullary (Dejerine)
}
# Limb and face UMN involvement per brainstem syndrome (ref §5.4, pitfall 15: the medial medullary
# syndrome spares the face because the facial fibres have already left, higher in the pons).
CRANIAL_NERVE_EYE_SIGN: dict[str, str] = {"III": "third_nerve_palsy", "VI": "sixth_nerve_palsy"}

# --- Regions for motor neuron disease (ref §5.11) ------------------------------------------------
MND_REGIONS: dict[str, tuple[str, ...]] = {  # keys: vocabulary.MND_REGIONS
    "bulbar": ("tongue", "jaw", "face_lower"),
    "cervical": ("arm_proximal", "arm_distal"),
    "thoracic": (),  # trunk muscles are not among the examined movements
    "lumbosacral": ("leg_proximal", "leg_distal"),
}
assert tuple(MND_REGIONS) == V.MND_REGIONS

# --- Severity (design §3; ref §1.2) --------------------------------------------------------------
SEVERITIES: tuple[str, ...] = V.SEVERITIES
# MRC points lost by a muscle fully in the territory of a lesion of that severity.
SEVERITY_LOSS: dict[str, float] = {"mild": 1.0, "moderate": 2.0, "severe": 4.0, "complete": 5.0}


def severity_step(severity: str, steps_milder: int) -> str | None:
    """The severity ``steps_milder`` steps below ``severity``; None when nothing is left."""
    i = SEVERITIES.index(severity) - steps_milder
    return SEVERITIES[i] if i >= 0 else None


# --- Proximal/distal groups for non-segmental disease (ref §5.16, §5.17, §5.18) ------------------
# Myopathy: proximal, symmetric girdle muscles and neck flexors (weight = share of the weakness).
MYOPATHY_MOVEMENTS: dict[str, float] = {
    "shoulder_abduction": 1.0, "shoulder_external_rotation": 0.8, "elbow_flexion": 0.5,
    "elbow_extension": 0.5, "hip_flexion": 1.0, "hip_extension": 1.0, "hip_abduction": 0.8,
    "hip_adduction": 0.6, "knee_extension": 0.6, "knee_flexion": 0.5,
}
MYOPATHY_NECK = 1.0
# MRC points a myopathy takes from its weakest muscles: rarely below grade 3 (ref §5.18).
MYOPATHY_LOSS: dict[str, float] = {"mild": 1.0, "moderate": 1.5, "severe": 2.0, "complete": 3.0}
# The muscle whose stretch a reflex tests, and the highest reflex grade (NINDS, 0-4) a muscle
# this weak (MRC) still gives in a myopathy: reflexes are normal early, reduced only in
# proportion to the weakness, lost late (ref §5.18): kept while the muscle moves against gravity.
REFLEX_MUSCLE: dict[str, str] = {
    "biceps": "elbow_flexion", "brachioradialis": "elbow_flexion",
    "triceps": "elbow_extension", "finger": "finger_flexion", "knee": "knee_extension",
    "ankle": "ankle_plantarflexion",
}
MYOPATHIC_REFLEX_CEILING: dict[int, int] = {0: 0, 1: 0, 2: 1}
# Myasthenia: ocular first; then bulbar, neck and proximal limbs (ref §5.17). Points lost.
MYASTHENIA_MOVEMENTS: dict[str, float] = {
    "shoulder_abduction": 1.0, "shoulder_external_rotation": 0.7, "elbow_flexion": 0.5,
    "elbow_extension": 0.6, "hip_flexion": 1.0, "hip_abduction": 0.6, "knee_extension": 0.4,
}
MYASTHENIA_NECK = 1.0
MYASTHENIA_LOSS: dict[str, float] = {"mild": 0.0, "moderate": 1.0, "severe": 2.0,
                                     "complete": 3.5}
# Length-dependent neuropathy: longest axons first (toes, ankles, then hands).
LENGTH_DEPENDENT_MOVEMENTS: dict[str, float] = {
    "great_toe_extension": 1.0, "ankle_dorsiflexion": 0.8, "ankle_eversion": 0.7,
    "ankle_plantarflexion": 0.4, "ankle_inversion": 0.5, "finger_abduction": 0.4,
    "thumb_abduction": 0.3,
}
# Reflex loss order in length-dependent neuropathy: ankle first, knee later, arms last.
LENGTH_DEPENDENT_REFLEXES: dict[str, float] = {
    "ankle": 1.2, "knee": 0.35, "biceps": 0.15, "brachioradialis": 0.2, "triceps": 0.15,
    "finger": 0.2,
}
# Guillain-Barre: ascending, legs more than arms, proximal as well as distal (roots and nerves),
# universal areflexia (ref §5.16).
GBS_LIMB_WEIGHT: dict[Limb, float] = {"leg": 1.0, "arm": 0.6}
GBS_PART_WEIGHT: dict[str, float] = {"arm_proximal": 0.9, "arm_distal": 1.0,
                                     "leg_proximal": 1.0, "leg_distal": 0.9}
GBS_REFLEX_LOSS = 1.2
# Motor neuron disease: focal and distal first, the "split hand" (thenar muscles and the first
# dorsal interosseous before the long finger muscles), foot drop in the leg (ref §5.11).
MND_MOVEMENTS: dict[str, float] = {
    "thumb_abduction": 1.0, "finger_abduction": 0.9, "finger_extension": 0.7,
    "wrist_extension": 0.6, "finger_flexion": 0.5, "elbow_extension": 0.5, "elbow_flexion": 0.4,
    "shoulder_abduction": 0.5, "shoulder_external_rotation": 0.5,
    "ankle_dorsiflexion": 1.0, "great_toe_extension": 1.0, "ankle_eversion": 0.8,
    "ankle_inversion": 0.6, "ankle_plantarflexion": 0.4, "hip_flexion": 0.6, "hip_extension": 0.4,
    "hip_abduction": 0.5, "hip_adduction": 0.4, "knee_extension": 0.4, "knee_flexion": 0.5,
}
# In ALS the weakness is mostly lower motor neuron; the corticospinal loss adds spasticity and
# brisk reflexes but only part of the weakness.
MND_UMN_WEAKNESS = 0.5
# Spread from the onset region (the first named): each later region is this much less wasted.
MND_SPREAD_STEP, MND_SPREAD_FLOOR = 0.2, 0.5
# Poliomyelitis: proximal more than distal (ref §5.9).
POLIO_PART_WEIGHT: dict[str, float] = {"arm_proximal": 1.0, "arm_distal": 0.7,
                                       "leg_proximal": 1.0, "leg_distal": 0.7}


def _check_loss_shares(*tables: Mapping[str, float]) -> None:
    """A pattern's weights are shares of a loss: none may be negative (a disease that made a
    muscle stronger or a reflex brisker than normal would be a mistyped table)."""
    for table in tables:
        if min(table.values()) < 0:
            raise ValueError(f"a negative loss share in {table}")


_check_loss_shares(MYOPATHY_MOVEMENTS, MYASTHENIA_MOVEMENTS, LENGTH_DEPENDENT_MOVEMENTS,
                   LENGTH_DEPENDENT_REFLEXES, GBS_LIMB_WEIGHT, GBS_PART_WEIGHT, MND_MOVEMENTS,
                   POLIO_PART_WEIGHT, MYOPATHY_LOSS, MYASTHENIA_LOSS, SEVERITY_LOSS)

# Neck flexion (sternocleidomastoid and deep flexors): the upper cervical myotomes.
NECK_MYOTOME: dict[str, float] = {"C1": MAIN, "C2": MAIN, "C3": MAIN}

# Segments whose motor neurons supply a limb muscle the examination tests, on one side.
LIMB_SEGMENTS: frozenset[str] = frozenset(
    seg for mv in MOVEMENTS.values() for seg in mv.myotome)

# Superficial abdominal reflex arcs (ref §3.2, adopted upper T8-10, lower T10-12), each by its
# middle segment: an arc is lost when that segment is destroyed or cut off from the cortex.
ABDOMINAL_ARCS: dict[str, str] = {"upper": "T9", "lower": "T11"}
# The highest of the sacral segments S2-S4 that hold the bulbocavernosus reflex, anal tone and the
# bladder (ref §2.6): a cord lesion from here down destroys them.
SACRAL_REFLEX_TOP = "S2"
# The great toe's joint position and vibration fibres enter at L5-S1 and climb the dorsal columns:
# a cord lesion at or above this segment cuts them.
TOE_DORSAL_COLUMN_ENTRY = "S1"
# The descending sympathetic fibres run in the lateral column down to T1, where they leave with
# the T1 root and lower trunk: a lesion of any of these gives Horner syndrome (ref §5.5, §5.13).
SYMPATHETIC_OUTFLOW = "T1"

# --- Conus and cauda equina (ref §5.8) -----------------------------------------------------------
# Conus: sacral segments (S1-S2 reach the examined movements and the ankle jerk); knee jerks kept.
CONUS_SEGMENTS: dict[str, float] = {"S1": 0.6, "S2": 1.0}
# Cauda equina: roots L3/L4 downwards; weakness marked, in root distribution.
CAUDA_EQUINA_ROOTS: dict[str, float] = {"L3": 0.4, "L4": 0.8, "L5": 1.0, "S1": 1.0, "S2": 1.0}


# --- Sensation (ref §1.1, §2.5, §2.7, §5.5-§5.16) -----------------------------------------------
# The skin territories a lesion can leave numb, per side. Roots numb their dermatome, plexus parts
# and nerves their own territory (the posterior interosseous and the motor cranial nerves numb
# nothing), polyneuropathy a stocking (then glove), sacral lesions the saddle, a large cortical
# lesion the contralateral half of the body.
NUMB_AREAS: tuple[str, ...] = (
    *ROOT_LEVELS, "upper_trunk", "lower_trunk", "lumbosacral",
    *(n for n, nerve in NERVES.items() if nerve.cranial is None),
    "stocking", "stocking_glove", "saddle", "hemibody",
)
# Several numb areas on one side are listed widest first, as the examiner maps them.
NUMB_AREA_RANK: dict[str, int] = {
    "hemibody": 6, "stocking_glove": 5, "stocking": 4, "saddle": 3, "lumbosacral": 2,
    "upper_trunk": 2, "lower_trunk": 2, "sciatic": 2,
}
# Nerve branches with no cutaneous territory (ref §5.14: posterior interosseous, no sensory loss).
MOTOR_ONLY_NERVE_SITES: frozenset[tuple[str, str]] = frozenset({
    ("radial", "posterior_interosseous"),
})
# The spinothalamic fibres cross within a segment or two of entry, so a hemisection's
# contralateral pain and temperature loss starts about one segment below it (ref §1.1, §8).
SPINOTHALAMIC_CROSSING_SEGMENTS = 1

# --- The examination (design §4) ----------------------------------------------------------------
FACE_PARTS: tuple[str, str] = ("upper", "lower")
# Ophthalmoparesis: eye movements limited in several directions, fitting no single nerve (the
# fatigable diplopia of myasthenia, ref §5.17).
EYE_SIGNS: tuple[str, ...] = ("normal", "ptosis", "third_nerve_palsy", "sixth_nerve_palsy",
                              "ophthalmoparesis", "ptosis_ophthalmoparesis")
