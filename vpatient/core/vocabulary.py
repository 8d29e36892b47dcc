"""The clinical vocabularies, each defined once (design §3, §5).

Plain tuples and dicts, no pydantic and no other import, so that the command line can offer
them as choices without loading the models. The lesion and answer models, the engine, the grader,
the game and the CLI all derive from here.
"""

from __future__ import annotations

SIDES: tuple[str, str] = ("left", "right")
LESION_SIDES: tuple[str, ...] = ("left", "right", "bilateral")
SEVERITIES: tuple[str, ...] = ("mild", "moderate", "severe", "complete")
DIFFICULTIES: tuple[str, ...] = ("intro", "core", "advanced")

# --- Where a lesion can sit (design §3), rostral to caudal along the motor pathway, with a
# clinician's label for each.
SITE_LABELS: dict[str, str] = {
    "cortex": "motor cortex",
    "internal_capsule": "internal capsule",
    "midbrain": "midbrain",
    "pons": "pons",
    "medulla": "medulla",
    "spinal_cord": "spinal cord",
    "conus": "conus medullaris",
    "cauda_equina": "cauda equina",
    "anterior_horn": "anterior horn cells",
    "root": "nerve root",
    "plexus": "plexus",
    "nerve": "peripheral nerve",
    "polyneuropathy": "polyneuropathy",
    "nmj": "neuromuscular junction",
    "muscle": "muscle",
    "motor_neuron_disease": "motor neuron disease (ALS)",
}
SITES: tuple[str, ...] = tuple(SITE_LABELS)

# The corticospinal pathway's stations (ref §1.1). The pyramidal decussation lies at the caudal
# end of the medulla: a lesion at any station above the cord gives contralateral limb signs.
UMN_STATIONS: tuple[str, ...] = (
    "cortex", "internal_capsule", "midbrain", "pons", "medulla", "spinal_cord",
)
PYRAMIDAL_DECUSSATION = "medulla"
CEREBRAL_SITES: tuple[str, ...] = UMN_STATIONS[: UMN_STATIONS.index(PYRAMIDAL_DECUSSATION) + 1]
BRAINSTEM_SITES: tuple[str, ...] = ("midbrain", "pons", "medulla")


def above_decussation(site: str) -> bool:
    """Whether a lesion at ``site`` lies above the pyramidal decussation (contralateral limbs)."""
    return site in CEREBRAL_SITES


# --- Levels (design §3) ---------------------------------------------------------------------------
SEGMENTS: tuple[str, ...] = (
    *(f"C{i}" for i in range(1, 9)),
    *(f"T{i}" for i in range(1, 13)),
    *(f"L{i}" for i in range(1, 6)),
    *(f"S{i}" for i in range(1, 6)),
)
ROOT_LEVELS: tuple[str, ...] = ("C5", "C6", "C7", "C8", "T1", "L2", "L3", "L4", "L5", "S1")
CORTICAL_TERRITORIES: tuple[str, ...] = ("face_arm", "leg", "whole")
CORD_PATTERNS: tuple[str, ...] = ("complete", "hemisection", "anterior", "central")
PLEXUS_PARTS: tuple[str, ...] = ("upper_trunk", "lower_trunk", "lumbosacral")
NERVE_NAMES: tuple[str, ...] = (
    "axillary", "musculocutaneous", "radial", "median", "ulnar", "femoral", "sciatic",
    "common_peroneal", "tibial", "facial", "hypoglossal",
)
POLYNEUROPATHY_PATTERNS: tuple[str, ...] = ("length_dependent", "acute_demyelinating")
MND_REGIONS: tuple[str, ...] = ("bulbar", "cervical", "thoracic", "lumbosacral")

# --- The answer (design §5) --------------------------------------------------------------------
NEURON_LABELS: dict[str, str] = {
    "UMN": "upper motor neuron",
    "LMN": "lower motor neuron",
    "mixed": "mixed upper and lower motor neuron",
    "NMJ": "neuromuscular junction",
    "muscle": "muscle",
}
NEURONS: tuple[str, ...] = tuple(NEURON_LABELS)
# Sites whose answer names a level, and what kind of level it is.
LEVEL_KIND: dict[str, str] = {
    "spinal_cord": "segment", "root": "root", "anterior_horn": "segment range",
    "plexus": "plexus part", "nerve": "nerve",
}
