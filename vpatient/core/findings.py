"""The findings vocabulary (design §4): one flat set of dotted keys, with their allowed values.

The JSON output, the TOML overrides, the game and the tests all use these keys. Design §4 lists
the twelve standard movements; the discriminating movements of ref §2.8 (thumb abduction, ankle
inversion, hip abduction, ...) and the inverted supinator sign (ref §3.2) are added the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from vpatient.core import anatomy

FindingValue = str | int | bool
Region = Literal["general", "face", "eyes", "tongue", "arm", "leg", "sensation"]

TONE = ("normal", "decreased", "spastic")
PLANTAR = ("flexor", "extensor", "mute")
PRESENCE = ("absent", "present")
CLONUS = ("absent", "unsustained", "sustained")
FACE = ("normal", "weak")
POSITION_SENSE = ("normal", "impaired")
GAITS = ("normal", "hemiplegic_left", "hemiplegic_right", "spastic_paraparetic",
         "steppage_left", "steppage_right", "steppage_bilateral", "waddling", "sensory_ataxic",
         "unable")
ROMBERG = ("negative", "positive", "unable")
SENSORY_LEVELS = ("none", *anatomy.SEGMENTS[1:])  # C2 down: the skin has no C1 dermatome
DEVIATION = ("none", "left", "right")


@dataclass(frozen=True)
class FindingSpec:
    key: str
    kind: Literal["power", "choice", "flag"]
    values: tuple[FindingValue, ...]
    normal: FindingValue
    region: Region
    side: anatomy.Side | None
    label: str

    def check(self, value: object) -> str | None:
        """An error message when ``value`` is not allowed for this key, else None."""
        if self.kind == "power":
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
                return "power is an MRC grade, a whole number from 0 to 5"
            return None
        if self.kind == "flag":
            if not isinstance(value, bool):
                return "must be true or false"
            return None
        if value not in self.values:
            shown = ", ".join(f'"{v}"' for v in self.values)
            return f"must be one of {shown}"
        return None


def _build_specs() -> dict[str, FindingSpec]:
    specs: list[FindingSpec] = []

    def add(key, kind, values, normal, region, side, label):
        specs.append(FindingSpec(key, kind, tuple(values), normal, region, side, label))

    for side in anatomy.SIDES:
        for limb in anatomy.LIMBS:
            add(f"tone.{side}.{limb}", "choice", TONE, "normal", limb, side, f"{side} {limb} tone")
        for mv in anatomy.MOVEMENTS.values():
            add(f"power.{side}.{mv.name}", "power", range(6), 5, mv.limb, side,
                f"{side} {mv.label}")
        for arc in anatomy.REFLEXES.values():
            add(f"reflex.{side}.{arc.name}", "choice", anatomy.REFLEX_GRADES, "2+", arc.limb, side,
                f"{side} {arc.label}")
    add("reflex.jaw", "choice", anatomy.REFLEX_GRADES, "2+", "face", None, "jaw jerk")
    for side in anatomy.SIDES:
        add(f"plantar.{side}", "choice", PLANTAR, "flexor", "leg", side, f"{side} plantar")
        add(f"hoffmann.{side}", "choice", PRESENCE, "absent", "arm", side, f"{side} Hoffmann")
        add(f"inverted_supinator.{side}", "choice", PRESENCE, "absent", "arm", side,
            f"{side} inverted supinator")
        add(f"clonus.{side}", "choice", CLONUS, "absent", "leg", side, f"{side} ankle clonus")
    for sign in ("wasting", "fasciculations"):
        for side in anatomy.SIDES:
            for part in anatomy.PARTS:
                limb = "arm" if part.startswith("arm") else "leg"
                add(f"{sign}.{side}.{part}", "flag", (False, True), False, limb, side,
                    f"{sign} of the {side} {anatomy.PART_LABELS[part]}")
        add(f"{sign}.tongue", "flag", (False, True), False, "tongue", None, f"tongue {sign}")
    for side in anatomy.SIDES:
        for part in anatomy.FACE_PARTS:
            add(f"face.{side}.{part}", "choice", FACE, "normal", "face", side,
                f"{side} {part} face")
    add("tongue.deviation", "choice", DEVIATION, "none", "tongue", None, "tongue deviation")
    for side in anatomy.SIDES:
        add(f"eyes.{side}", "choice", anatomy.EYE_SIGNS, "normal", "eyes", side, f"{side} eye")
    add("fatigability", "flag", (False, True), False, "general", None, "fatigability")
    # Gait and Romberg (design §4 names gait as a key to add), derived from the limb findings.
    add("gait", "choice", GAITS, "normal", "general", None, "gait")
    add("romberg", "choice", ROMBERG, "negative", "general", None, "Romberg test")
    # Sensation (added the way design §4 allows): what separates cord from root from nerve.
    for side in anatomy.SIDES:
        add(f"sensory_level.{side}", "choice", SENSORY_LEVELS, "none", "sensation", side,
            f"{side} pinprick level")
        add(f"position_sense.{side}", "choice", POSITION_SENSE, "normal", "sensation", side,
            f"{side} joint position sense")
        add(f"numb_area.{side}", "choice", anatomy.NUMB_AREAS, "none", "sensation", side,
            f"{side} numb area")
    return {s.key: s for s in specs}


FINDING_SPECS: dict[str, FindingSpec] = _build_specs()
FINDING_KEYS: tuple[str, ...] = tuple(FINDING_SPECS)
NORMAL_FINDINGS: dict[str, FindingValue] = {k: s.normal for k, s in FINDING_SPECS.items()}


_NUMB_AREA_WORDS: dict[str, str] = {
    "stocking": "feet (stocking)", "stocking_glove": "feet and hands (stocking and glove)",
    "saddle": "saddle area (perianal)", "hemibody": "half of the body",
    "upper_trunk": "lateral arm and forearm (upper trunk)",
    "lower_trunk": "ulnar hand and medial forearm (lower trunk)",
    "lumbosacral": "patches over the leg (lumbosacral plexus)",
}


def numb_area_words(area: str) -> str:
    """Where the skin is numb, in words: 'C8 dermatome', 'ulnar nerve territory', ..."""
    if area in anatomy.ROOT_LEVELS:
        return f"{area} dermatome"
    if area in anatomy.NERVES:
        return f"{anatomy.NERVES[area].label} territory"
    return _NUMB_AREA_WORDS.get(area, area.replace("_", " "))


def check_finding(key: str, value: object) -> str | None:
    """An error message for an unknown key or a value it does not take, else None."""
    spec = FINDING_SPECS.get(key)
    if spec is None:
        return "not a findings key (see design §4, e.g. 'reflex.left.knee')"
    return spec.check(value)
