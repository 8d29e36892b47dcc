"""How findings values read on screen: the words of the bedside, not the data's spelling.

Only wording lives here; which finding a maneuver reveals, and what the values are, come from the
core. The words avoid interpretation (no "abnormal" flags): the student reads the signs.
"""

from __future__ import annotations

from vpatient.core.findings import FINDING_SPECS, FindingValue, numb_area_words

# NINDS reflex scale words (ref §1.3): what an examiner says aloud, not a verdict on the case.
REFLEX_WORDS: dict[str, str] = {
    "0": "absent", "1+": "reduced", "2+": "normal", "3+": "brisk", "4+": "very brisk, with clonus",
}
PLANTAR_WORDS: dict[str, str] = {
    "flexor": "flexor (toe goes down)", "extensor": "extensor (toe goes up)",
    "mute": "mute (no movement)",
}
EYE_WORDS: dict[str, str] = {
    "normal": "normal lids and movements", "ptosis": "ptosis",
    "third_nerve_palsy": "third nerve palsy", "sixth_nerve_palsy": "sixth nerve palsy",
}
GAIT_WORDS: dict[str, str] = {
    "normal": "normal", "hemiplegic_left": "circumducts the stiff left leg",
    "hemiplegic_right": "circumducts the stiff right leg",
    "spastic_paraparetic": "stiff, scissoring legs", "steppage_left": "high-stepping left foot",
    "steppage_right": "high-stepping right foot", "steppage_bilateral": "high-stepping feet",
    "waddling": "waddling", "limp_left": "limps, the left leg weak",
    "limp_right": "limps, the right leg weak",
    "sensory_ataxic": "broad-based, stamping, watches the feet",
    "unable": "cannot walk",
}
ROMBERG_WORDS: dict[str, str] = {
    "negative": "steady with eyes closed", "positive": "sways and falls with eyes closed",
    "unable": "cannot stand",
}
# Ten characters at most: the body map's gait cell.
GAIT_SHORT: dict[str, str] = {
    "normal": "normal", "hemiplegic_left": "hemi L", "hemiplegic_right": "hemi R",
    "spastic_paraparetic": "spastic", "steppage_left": "steppage L",
    "steppage_right": "steppage R", "steppage_bilateral": "steppage", "waddling": "waddling",
    "limp_left": "limp L", "limp_right": "limp R",
    "sensory_ataxic": "ataxic", "unable": "can't walk",
}
ROMBERG_SHORT: dict[str, str] = {"negative": "–", "positive": "+", "unable": "×"}
DEVIATION_WORDS: dict[str, str] = {
    "none": "protrudes in the midline", "left": "deviates to the left",
    "right": "deviates to the right",
}


def finding_label(key: str) -> str:
    label = FINDING_SPECS[key].label
    return label[:1].upper() + label[1:]


def finding_value(key: str, value: FindingValue) -> str:
    """The value in words, for the findings log."""
    kind = key.split(".")[0]
    if kind == "power":
        return f"{value}/5"
    if kind == "reflex":
        return f"{value} ({REFLEX_WORDS.get(str(value), '?')})"
    if kind == "plantar":
        return PLANTAR_WORDS.get(str(value), str(value))
    if kind == "eyes":
        return EYE_WORDS.get(str(value), str(value))
    if key == "tongue.deviation":
        return DEVIATION_WORDS.get(str(value), str(value))
    if key == "gait":
        return GAIT_WORDS.get(str(value), str(value))
    if key == "romberg":
        return ROMBERG_WORDS.get(str(value), str(value))
    if kind == "sensory_level":
        return "no level" if value == "none" else f"pinprick lost from {value} down"
    if kind == "numb_area":
        areas = tuple(value) if isinstance(value, tuple | list) else ()
        return "numb " + ", ".join(numb_area_words(a) for a in areas) if areas else \
            "no numb skin"
    if isinstance(value, bool):
        return "present" if value else "none"
    return str(value).replace("_", " ")


def finding_line(key: str, value: FindingValue) -> str:
    """One line of the findings log, e.g. 'Right biceps jerk: 3+ (brisk)'."""
    return f"{finding_label(key)}: {finding_value(key, value)}"


# --- Short forms for the body map ---------------------------------------------------------------

NOT_EXAMINED = "·"

TONE_SHORT: dict[str, str] = {"normal": "normal", "decreased": "reduced", "spastic": "spastic"}
PLANTAR_SHORT: dict[str, str] = {"flexor": "↓down", "extensor": "↑UP", "mute": "–mute"}
CLONUS_SHORT: dict[str, str] = {"absent": "none", "unsustained": "few", "sustained": "SUST"}
EYE_SHORT: dict[str, str] = {
    "normal": "normal", "ptosis": "PTOSIS", "third_nerve_palsy": "III palsy",
    "sixth_nerve_palsy": "VI palsy",
}
FACE_SHORT: dict[str, str] = {"normal": "ok", "weak": "WEAK"}
PRESENCE_SHORT: dict[str, str] = {"present": "+", "absent": "–"}
POSITION_SHORT: dict[str, str] = {"normal": "ok", "impaired": "LOST"}
# Six characters at most: the body map's sensation cell.
NUMB_AREA_SHORT: dict[str, str] = {
    "stocking": "stock", "stocking_glove": "st+glv", "hemibody": "hemi", "upper_trunk": "upTrk",
    "lower_trunk": "loTrk", "lumbosacral": "LSplx", "musculocutaneous": "muscCu",
    "common_peroneal": "peron", "axillary": "axill", "femoral": "femor", "sciatic": "sciat",
}
DEVIATION_SHORT: dict[str, str] = {"none": "midline", "left": "to LEFT", "right": "to RIGHT"}
