"""The findings vocabulary (design §4): one flat set of dotted keys, with their allowed values.

The JSON output, the TOML overrides, the game and the tests all use these keys. Design §4 lists
the twelve standard movements; the discriminating movements of ref §2.8 (thumb abduction, ankle
inversion, hip abduction, ...), the inverted supinator sign (ref §3.2), sensation, gait, and the
bedside items that separate look-alike lesions (cortical signs, bulbar signs, abdominal and
sacral reflexes, sphincters, pupils) are added the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from vpatient.core import anatomy

# A finding is a word, an MRC grade, a flag, or (for the numb skin) a tuple of area codes.
FindingValue = str | int | bool | tuple[str, ...]
Region = Literal["general", "face", "eyes", "tongue", "bulbar", "neck", "arm", "leg", "trunk",
                 "sphincters", "cortical", "sensation"]

TONE = ("normal", "decreased", "spastic")
PLANTAR = ("flexor", "extensor", "mute")
PRESENCE = ("absent", "present")
CLONUS = ("absent", "unsustained", "sustained")
FACE = ("normal", "weak")
IMPAIRMENT = ("normal", "impaired")
GAITS = ("normal", "hemiplegic_left", "hemiplegic_right", "spastic_paraparetic",
         "steppage_left", "steppage_right", "steppage_bilateral", "waddling", "limp_left",
         "limp_right", "sensory_ataxic", "unable")
ROMBERG = ("negative", "positive", "unable")
SENSORY_LEVELS = ("none", *anatomy.SEGMENTS[1:])  # C2 down: the skin has no C1 dermatome
DEVIATION = ("none", "left", "right")
PUPILS = ("normal", "small", "large")
ANAL_TONE = ("normal", "reduced", "absent")
# A bladder as the bedside finds it (ref §2.6), ordered from normal to worst: urgency with full
# emptying (a frontal bladder, an incomplete cord lesion); the reflex bladder below a severe cord
# lesion after shock, emptying without warning and not completely (detrusor-sphincter
# dyssynergia); the atonic bladder in retention (spinal shock, conus, cauda equina).
BLADDER = ("normal", "urgency", "reflex", "retention")
CORTICAL_SENSATION = ("normal", "face_arm", "leg", "face_arm_leg")
LANGUAGE = ("normal", "aphasia")
NEGLECT = ("none", "left", "right")
VISUAL_FIELDS = ("full", "left_hemianopia", "right_hemianopia")
GAZE = ("central", "deviated_left", "deviated_right")
SPEECH = ("normal", "mild_dysarthria", "spastic_dysarthria", "flaccid_dysarthria",
          "mixed_dysarthria")
GAG = ("normal", "brisk", "reduced")


@dataclass(frozen=True)
class FindingSpec:
    key: str
    kind: Literal["power", "choice", "flag", "areas"]
    values: tuple[FindingValue, ...]
    normal: FindingValue
    region: Region
    side: anatomy.Side | None
    label: str

    def check(self, value: object) -> str | None:
        """An error message when ``value`` is not allowed for this key, else None."""
        if self.kind == "areas":
            if not isinstance(value, list | tuple) or any(v not in self.values for v in value):
                shown = ", ".join(f'"{v}"' for v in self.values)
                return f"must be a list of areas, each one of {shown} ([] when none)"
            return None
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
    for side in anatomy.SIDES:
        add(f"pupils.{side}", "choice", PUPILS, "normal", "eyes", side, f"{side} pupil")
    add("gaze", "choice", GAZE, "central", "eyes", None, "gaze")
    add("power.neck_flexion", "power", range(6), 5, "neck", None, "neck flexion")
    # Speech, palate and swallowing: bulbar (LMN) vs pseudobulbar (UMN) palsy (ref §2.2).
    add("speech", "choice", SPEECH, "normal", "bulbar", None, "speech")
    add("gag", "choice", GAG, "normal", "bulbar", None, "gag reflex")
    add("swallowing", "choice", IMPAIRMENT, "normal", "bulbar", None, "swallowing")
    # Cortical signs: what separates cortex from capsule (ref §5.1, §5.15).
    add("language", "choice", LANGUAGE, "normal", "cortical", None, "language")
    add("neglect", "choice", NEGLECT, "none", "cortical", None, "neglect")
    add("visual_fields", "choice", VISUAL_FIELDS, "full", "cortical", None, "visual fields")
    for side in anatomy.SIDES:
        add(f"cortical_sensation.{side}", "choice", CORTICAL_SENSATION, "normal", "cortical",
            side, f"{side} cortical sensation")
    # Superficial abdominal reflexes, upper T8-10 and lower T10-12 (ref §3.2).
    for side in anatomy.SIDES:
        for part in ("upper", "lower"):
            add(f"abdominal.{side}.{part}", "choice", PRESENCE, "present", "trunk", side,
                f"{side} {part} abdominal reflex")
    # Sacral segments and sphincters (ref §2.6).
    add("anal_tone", "choice", ANAL_TONE, "normal", "sphincters", None, "anal tone")
    add("bulbocavernosus", "choice", PRESENCE, "present", "sphincters", None,
        "bulbocavernosus reflex")
    add("bladder", "choice", BLADDER, "normal", "sphincters", None, "bladder")
    add("fatigability", "flag", (False, True), False, "general", None, "fatigability")
    # Gait and Romberg (design §4 names gait as a key to add), derived from the limb findings.
    add("gait", "choice", GAITS, "normal", "general", None, "gait")
    add("romberg", "choice", ROMBERG, "negative", "general", None, "Romberg test")
    # Sensation (added the way design §4 allows): what separates cord from root from nerve.
    for side in anatomy.SIDES:
        add(f"sensory_level.{side}", "choice", SENSORY_LEVELS, "none", "sensation", side,
            f"{side} pinprick level")
        # A band of lost pinprick with normal skin above and below (central cord, ref §5.5).
        add(f"suspended_loss.{side}", "choice", SENSORY_LEVELS, "none", "sensation", side,
            f"{side} band of pinprick loss")
        add(f"position_sense.{side}", "choice", IMPAIRMENT, "normal", "sensation", side,
            f"{side} joint position sense")
        add(f"vibration.{side}", "choice", IMPAIRMENT, "normal", "sensation", side,
            f"{side} vibration sense")
        add(f"numb_area.{side}", "areas", anatomy.NUMB_AREAS, (), "sensation", side,
            f"{side} numb areas")
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
