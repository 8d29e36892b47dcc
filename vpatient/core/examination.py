"""The bedside maneuvers a student can perform, and which findings each one reveals.

Every findings key is revealed by exactly one maneuver, so an exam log (the maneuvers performed,
in order) says precisely what the student has seen.
"""

from __future__ import annotations

from dataclasses import dataclass

from vpatient.core import anatomy as A
from vpatient.core.findings import FINDING_KEYS


@dataclass(frozen=True)
class Maneuver:
    id: str
    label: str
    region: str  # "head" | "left arm" | "right arm" | "left leg" | "right leg" | "general"
    reveals: tuple[str, ...]


def _build() -> dict[str, Maneuver]:
    out: list[Maneuver] = [
        Maneuver("face", "Face: raise eyebrows, close eyes, show teeth", "head",
                 tuple(f"face.{s}.{p}" for s in A.SIDES for p in A.FACE_PARTS)),
        Maneuver("eyes", "Eyes: lids, pupils and movements", "head",
                 (*(f"eyes.{s}" for s in A.SIDES), *(f"pupils.{s}" for s in A.SIDES), "gaze")),
        Maneuver("visual_fields", "Visual fields to confrontation", "head", ("visual_fields",)),
        Maneuver("speech", "Speech: conversation, naming and repetition", "head",
                 ("speech", "language")),
        Maneuver("mouth", "Palate and gag; a sip of water", "head", ("gag", "swallowing")),
        Maneuver("tongue", "Tongue: inspect and protrude", "head",
                 ("tongue.deviation", "wasting.tongue", "fasciculations.tongue")),
        Maneuver("jaw", "Jaw jerk", "head", ("reflex.jaw",)),
        Maneuver("neck", "Power: neck flexion", "head", ("power.neck_flexion",)),
        Maneuver("fatigability", "Fatigability: sustained upgaze, repeated abduction",
                 "general", ("fatigability",)),
        Maneuver("gait", "Gait: watch the patient walk", "general", ("gait",)),
        Maneuver("romberg", "Romberg: feet together, eyes closed", "general", ("romberg",)),
        Maneuver("sensory_level", "Sensation: pinprick from the feet up the trunk and arms",
                 "general", (*(f"sensory_level.{s}" for s in A.SIDES),
                             *(f"suspended_loss.{s}" for s in A.SIDES))),
        Maneuver("numb_area", "Sensation: map any numb skin with a pin", "general",
                 tuple(f"numb_area.{s}" for s in A.SIDES)),
        Maneuver("position_sense", "Joint position and vibration at the great toes", "general",
                 (*(f"position_sense.{s}" for s in A.SIDES), *(f"vibration.{s}" for s in A.SIDES))),
        Maneuver("cortical_sensation",
                 "Cortical sensation: numbers drawn on the palm, objects by touch", "general",
                 tuple(f"cortical_sensation.{s}" for s in A.SIDES)),
        Maneuver("neglect", "Attention: line bisection, touch on both sides at once", "general",
                 ("neglect",)),
        Maneuver("abdominal", "Abdominal reflexes", "general",
                 tuple(f"abdominal.{s}.{p}" for s in A.SIDES for p in ("upper", "lower"))),
        Maneuver("sacral", "Sacral exam: anal tone, bulbocavernosus reflex", "general",
                 ("anal_tone", "bulbocavernosus")),
        Maneuver("bladder", "Bladder: palpate, scan after voiding", "general", ("bladder",)),
    ]
    for side in A.SIDES:
        for limb in A.LIMBS:
            region = f"{side} {limb}"
            parts = [p for p in A.PARTS if p.startswith(limb)]
            out.append(Maneuver(
                f"inspect.{side}.{limb}", f"Inspect {region}: wasting, fasciculations", region,
                tuple(f"{sign}.{side}.{p}" for sign in ("wasting", "fasciculations")
                      for p in parts),
            ))
            out.append(Maneuver(f"tone.{side}.{limb}", f"Tone, {region}", region,
                                (f"tone.{side}.{limb}",)))
            for mv in A.MOVEMENTS.values():
                if mv.limb == limb:
                    out.append(Maneuver(f"power.{side}.{mv.name}",
                                        f"Power: {mv.label} ({mv.muscle})", region,
                                        (f"power.{side}.{mv.name}",)))
            for arc in A.REFLEXES.values():
                if arc.limb == limb:
                    out.append(Maneuver(f"reflex.{side}.{arc.name}", f"Reflex: {arc.label}",
                                        region, (f"reflex.{side}.{arc.name}",)))
            if limb == "arm":
                out.append(Maneuver(f"hoffmann.{side}", "Hoffmann sign", region,
                                    (f"hoffmann.{side}",)))
                out.append(Maneuver(f"inverted_supinator.{side}",
                                    "Supinator jerk: look for finger flexion (inversion)", region,
                                    (f"inverted_supinator.{side}",)))
            else:
                out.append(Maneuver(f"plantar.{side}", "Plantar response", region,
                                    (f"plantar.{side}",)))
                out.append(Maneuver(f"clonus.{side}", "Ankle clonus", region,
                                    (f"clonus.{side}",)))
    return {m.id: m for m in out}


MANEUVERS: dict[str, Maneuver] = _build()
MANEUVER_FOR_KEY: dict[str, str] = {k: m.id for m in MANEUVERS.values() for k in m.reveals}
assert set(MANEUVER_FOR_KEY) == set(FINDING_KEYS), "every finding must be revealed by a maneuver"
REGIONS: tuple[str, ...] = ("head", "left arm", "right arm", "left leg", "right leg", "general")


def maneuvers_in(region: str) -> list[Maneuver]:
    return [m for m in MANEUVERS.values() if m.region == region]


def revealed(performed: list[str] | tuple[str, ...]) -> list[str]:
    """Findings keys the performed maneuvers have revealed, in the order examined."""
    keys: list[str] = []
    for mid in performed:
        m = MANEUVERS.get(mid)
        if m:
            keys.extend(k for k in m.reveals if k not in keys)
    return keys
