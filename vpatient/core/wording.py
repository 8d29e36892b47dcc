"""What the student reads: every finding in the words of the bedside, never its anatomical label.

The game's findings log, its body map, the SSH exam and ``case show --as-student`` all word the
findings through this module, so a finding describes what the examiner sees ("the right eye
does not look outward", "pinprick lost below the umbilicus") and never names the answer ("sixth
nerve palsy", "T10", "ulnar nerve territory"). The anatomical names (``area_label``,
``level_label``) are for feedback, after the answer.

Adding a findings key: give each value its words in ``VALUE_WORDS`` (by the key's kind, the
first part of the key, or by its side-free pattern such as ``face.upper``) and a body-map code
in ``SHORT`` if the map shows it. ``missing_words()`` lists what is still missing, and a test
fails until it is empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from vpatient.core import anatomy as A
from vpatient.core.findings import FINDING_SPECS, FindingValue

# === The bedside words of each value =============================================================

# MRC grades (ref §1.2): what the examiner sees, so a grade reads without the scale at hand.
MRC_WORDS: dict[int, str] = {
    0: "no contraction", 1: "a flicker, no movement", 2: "moves only with gravity eliminated",
    3: "moves against gravity, not against resistance", 4: "moves against some resistance",
    5: "full power",
}
# NINDS reflex grades (ref §1.3): what an examiner says aloud, not a verdict on the case.
REFLEX_WORDS: dict[str, str] = {
    "0": "absent", "1+": "reduced", "2+": "normal", "3+": "brisk", "4+": "very brisk",
}
# Sensory level landmarks (ref §2.5, §2.7): where pinprick changes, as the examiner finds it.
SENSORY_LEVEL_WORDS: dict[str, str] = {
    "none": "no level: pinprick felt normally",
    "C2": "pinprick lost from the back of the head down",
    "C3": "pinprick lost from the neck down",
    "C4": "pinprick lost below the collarbone",
    "C5": "pinprick lost from the outer upper arm down",
    "C6": "pinprick lost from the thumb and outer forearm down",
    "C7": "pinprick lost from the middle finger down",
    "C8": "pinprick lost from the little finger down",
    "T1": "pinprick lost from the inner forearm down",
    "T2": "pinprick lost from the armpit down",
    "T3": "pinprick lost below the upper chest",
    "T4": "pinprick lost below the nipple",
    "T5": "pinprick lost from just below the nipple",
    "T6": "pinprick lost from midway between the nipple and the lower end of the breastbone",
    "T7": "pinprick lost from just above the lower end of the breastbone",
    "T8": "pinprick lost below the lower end of the breastbone",
    "T9": "pinprick lost from midway between the breastbone and the umbilicus",
    "T10": "pinprick lost below the umbilicus",
    "T11": "pinprick lost from a little below the umbilicus",
    "T12": "pinprick lost from just above the groin",
    "L1": "pinprick lost from the groin down",
    "L2": "pinprick lost from the upper front of the thigh down",
    "L3": "pinprick lost from the knee down",
    "L4": "pinprick lost from the inner shin down",
    "L5": "pinprick lost from the outer shin and the top of the foot down",
    "S1": "pinprick lost over the outer edge of the foot and the sole",
    "S2": "pinprick lost from the back of the thigh down",
    "S3": "pinprick lost over the buttock and around the anus",
    "S4": "pinprick lost around the anus",
    "S5": "pinprick lost around the anus",
}
# Where each segment's skin lies (ref §2.5, §2.7): the centre of a band of pinprick loss.
SEGMENT_PLACES: dict[str, str] = {
    "C2": "the back of the head", "C3": "the neck", "C4": "the shoulders and collarbones",
    "C5": "the outer upper arms", "C6": "the thumbs and outer forearms",
    "C7": "the middle fingers", "C8": "the little fingers and inner hands",
    "T1": "the inner forearms", "T2": "the inner upper arms and armpits",
    "T3": "the upper chest", "T4": "the nipples", "T5": "just below the nipples",
    "T6": "the lower chest", "T7": "the lower ribs", "T8": "the lower end of the breastbone",
    "T9": "the upper belly", "T10": "the umbilicus", "T11": "the lower belly",
    "T12": "just above the groin", "L1": "the groin", "L2": "the upper front of the thigh",
    "L3": "the front of the thigh and the knee", "L4": "the inner shin",
    "L5": "the outer shin and the top of the foot", "S1": "the outer edge of the foot and the "
    "sole", "S2": "the back of the thigh", "S3": "the buttock", "S4": "around the anus",
    "S5": "around the anus",
}
# Where the skin is numb (ref §2.7, §5.12-§5.16), described by the skin, not by its supply.
NUMB_AREA_WORDS: dict[str, str] = {
    "none": "no numb patch",
    "C5": "the outer upper arm over the shoulder",
    "C6": "the thumb, the index finger and the outer forearm",
    "C7": "the middle finger",
    "C8": "the ring and little fingers, the inner edge of the hand and the lower inner forearm",
    "T1": "the inner forearm up to the elbow",
    "L2": "the upper front of the thigh",
    "L3": "the front of the thigh down to the knee",
    "L4": "the inner shin down to the inner ankle",
    "L5": "the outer shin, the top of the foot and the big toe",
    "S1": "the outer edge of the foot, the little toe and the sole",
    "upper_trunk": "the outer upper arm, the outer forearm and the thumb",
    "lower_trunk": "the inner forearm, the inner edge of the hand and the ring and little fingers",
    "lumbosacral": "parts of the front of the thigh, the shin and the foot",
    "axillary": "the outer shoulder, in a patch the size of a palm",
    "musculocutaneous": "the outer forearm",
    "radial": "the back of the hand at the base of the thumb",
    "median": "the palm side of the thumb, index and middle fingers",
    "ulnar": "the little finger, half the ring finger and the inner edge of the hand, sparing "
             "the forearm",
    "femoral": "the front of the thigh and the inner shin",
    "sciatic": "the foot and the outer shin",
    "common_peroneal": "the outer shin and the top of the foot",
    "tibial": "the sole of the foot",
    "stocking": "both feet and lower shins, like a pair of socks",
    "stocking_glove": "the feet and lower shins and the hands, like socks and gloves",
    "saddle": "the buttocks, the perineum and around the anus",
    "hemibody": "the whole of one side: face, arm, chest, belly and leg",
}
# The words of each value, by the key's kind (its first part) or by its side-free pattern
# ("face.upper" for face.left.upper). "{side}" is the key's side.
VALUE_WORDS: dict[str, Mapping[FindingValue, str]] = {
    "power": {grade: f"{grade}/5 ({words})" for grade, words in MRC_WORDS.items()},
    "reflex": {grade: f"{grade} ({words})" for grade, words in REFLEX_WORDS.items()},
    "tone": {"normal": "normal", "decreased": "reduced (floppy)",
             "spastic": "increased: catches, then gives way"},
    "plantar": {"flexor": "flexor (the big toe goes down)",
                "extensor": "extensor (the big toe goes up, the toes fan)",
                "mute": "mute (no movement)"},
    "hoffmann": {"absent": "absent",
                 "present": "present (the thumb flexes when the middle fingernail is flicked)"},
    "inverted_supinator": {"absent": "absent (tapping the forearm flexes the elbow)",
                           "present": "present (tapping the forearm flexes the fingers, not "
                                      "the elbow)"},
    "clonus": {"absent": "none", "unsustained": "a few beats that die away",
               "sustained": "sustained (the foot keeps beating)"},
    "wasting": {False: "none", True: "present (the muscles look thin)"},
    "fasciculations": {False: "none", True: "present (the muscle flickers at rest)"},
    "face.upper": {"normal": "wrinkles the forehead and buries the eyelashes",
                   "weak": "weak (the forehead does not wrinkle and the eye does not close "
                           "tightly)"},
    "face.lower": {"normal": "a symmetric smile", "weak": "weak (the corner of the mouth droops)"},
    "tongue": {"none": "protrudes in the midline", "left": "deviates to the left",
               "right": "deviates to the right"},
    "eyes": {"normal": "normal lids and movements", "ptosis": "the {side} eyelid droops",
             "third_nerve_palsy": "the {side} eyelid droops and the eye rests down and out",
             "sixth_nerve_palsy": "the {side} eye does not look outward",
             "ophthalmoparesis": "the {side} eye moves only partly, in several directions",
             "ptosis_ophthalmoparesis": "the {side} eyelid droops, and the eye moves only partly,"
                                        " in several directions"},
    "pupils": {"normal": "normal size, reacts to light", "small": "small (constricted)",
               "large": "large (dilated), reacts poorly to light"},
    "gaze": {"central": "rests looking straight ahead",
             "deviated_left": "the eyes rest turned to the left",
             "deviated_right": "the eyes rest turned to the right"},
    "speech": {"normal": "clear", "mild_dysarthria": "slightly slurred",
               "spastic_dysarthria": "slow, strained and effortful",
               "flaccid_dysarthria": "slurred, breathy and nasal",
               "mixed_dysarthria": "slurred, nasal, slow and strained"},
    "language": {"normal": "fluent; names and repeats normally",
                 "aphasia": "struggles for words; names and repeats poorly"},
    "gag": {"normal": "present", "brisk": "brisk", "reduced": "reduced"},
    "swallowing": {"normal": "swallows a sip of water normally",
                   "impaired": "coughs and splutters on a sip of water"},
    "neglect": {"none": "attends to both sides",
                "left": "ignores the left: bisects lines to the right, misses the left touch "
                        "when both sides are touched",
                "right": "ignores the right: bisects lines to the left, misses the right touch "
                         "when both sides are touched"},
    "visual_fields": {"full": "full to confrontation",
                      "left_hemianopia": "nothing seen to the left of centre, with either eye",
                      "right_hemianopia": "nothing seen to the right of centre, with either "
                                          "eye"},
    "cortical_sensation": {
        "normal": "normal (reads numbers drawn on the skin, knows objects by touch)",
        "face_arm": "lost over the face and arm: cannot read numbers drawn on the palm or "
                    "know objects by touch",
        "leg": "lost over the leg: cannot read numbers drawn on the shin",
        "face_arm_leg": "lost over the face, arm and leg: cannot read numbers drawn on the "
                        "skin or know objects by touch"},
    "abdominal": {"present": "present", "absent": "absent"},
    "anal_tone": {"normal": "normal", "reduced": "reduced", "absent": "absent (lax)"},
    "bulbocavernosus": {"present": "present (the anal sphincter contracts)",
                        "absent": "absent"},
    "bladder": {"normal": "empties fully", "urgency": "urgency; empties fully",
                "reflex": "empties by itself, with little or no warning; a residual after "
                          "voiding",
                "retention": "distended; a large residual after voiding"},
    "suspended_loss": {"none": "no band of loss", **{
        seg: f"pinprick lost in a band over {place}, normal above and below"
        for seg, place in SEGMENT_PLACES.items()}},
    "vibration": {"normal": "normal at the big toe",
                  "impaired": "the tuning fork is not felt at the big toe"},
    "fatigability": {False: "none (strength holds with repeated effort)",
                     True: "present (sustained upgaze or repeated effort brings out a drooping"
                           " lid or more weakness)"},
    "gait": {"normal": "normal",
             "hemiplegic_left": "swings the left leg out in an arc, the knee held straight",
             "hemiplegic_right": "swings the right leg out in an arc, the knee held straight",
             "spastic_paraparetic": "stiff legs, scissoring",
             "steppage_left": "lifts the left foot high, the toes slapping down",
             "steppage_right": "lifts the right foot high, the toes slapping down",
             "steppage_bilateral": "lifts both feet high, the toes slapping down",
             "waddling": "waddles, the hips dipping with each step",
             "limp_left": "limps, the left leg weak", "limp_right": "limps, the right leg weak",
             "sensory_ataxic": "broad-based and stamping, watching the feet",
             "unable": "cannot walk unaided"},
    "romberg": {"negative": "steady with eyes closed", "positive": "sways and falls with eyes "
                "closed", "unable": "cannot stand"},
    "sensory_level": SENSORY_LEVEL_WORDS,
    "position_sense": {"normal": "normal (feels small movements of the big toe)",
                       "impaired": "impaired (cannot tell which way the big toe is moved)"},
    "numb_area": {area: words if area == "none" else f"numb skin over {words}"
                  for area, words in NUMB_AREA_WORDS.items()},
}

# === Short codes for the body map ================================================================
# Each fits its cell; like the words, none names a nerve, a root or a segment.
SHORT: dict[str, Mapping[FindingValue, str]] = {
    "tone": {"normal": "normal", "decreased": "reduced", "spastic": "spastic"},
    "plantar": {"flexor": "↓down", "extensor": "↑UP", "mute": "–mute"},
    "clonus": {"absent": "none", "unsustained": "few", "sustained": "SUST"},
    "eyes": {"normal": "normal", "ptosis": "PTOSIS", "third_nerve_palsy": "DROOP,dn+out",
             "sixth_nerve_palsy": "NOT OUTWARD", "ophthalmoparesis": "PART MOVES",
             "ptosis_ophthalmoparesis": "DROOP+PART"},
    "face": {"normal": "ok", "weak": "WEAK"},
    "hoffmann": {"present": "+", "absent": "–"},
    "inverted_supinator": {"present": "+", "absent": "–"},
    "position_sense": {"normal": "ok", "impaired": "LOST"},
    "tongue": {"none": "midline", "left": "to LEFT", "right": "to RIGHT"},
    "gait": {"normal": "normal", "hemiplegic_left": "hemi L", "hemiplegic_right": "hemi R",
             "spastic_paraparetic": "spastic", "steppage_left": "steppage L",
             "steppage_right": "steppage R", "steppage_bilateral": "steppage",
             "waddling": "waddling", "limp_left": "limp L", "limp_right": "limp R",
             "sensory_ataxic": "ataxic", "unable": "can't walk"},
    "romberg": {"negative": "–", "positive": "+", "unable": "×"},
    "flag": {True: "YES", False: "–"},
    # Six characters at most: the body map's sensation cell (where the skin is numb).
    "numb_area": {
        "none": "ok", "C5": "upparm", "C6": "thumb", "C7": "finger", "C8": "hand", "T1": "forarm",
        "L2": "thigh", "L3": "thigh", "L4": "shin", "L5": "foot", "S1": "foot",
        "upper_trunk": "arm", "lower_trunk": "hand", "lumbosacral": "leg", "axillary": "should",
        "musculocutaneous": "forarm", "radial": "hand", "median": "finger", "ulnar": "finger",
        "femoral": "thigh", "sciatic": "foot", "common_peroneal": "foot", "tibial": "sole",
        "stocking": "stock", "stocking_glove": "st+glv", "saddle": "saddle", "hemibody": "hemi",
    },
    "suspended_loss": {"none": "ok", **{s: "band" for s in SEGMENT_PLACES}},
    # A pinprick level by its landmark, six characters with the arrow.
    "sensory_level": {
        "none": "ok", **{s: "neck↓" for s in ("C2", "C3", "C4")},
        **{s: "arm↓" for s in ("C5", "C6", "C7", "C8", "T1", "T2")},
        **{s: "chest↓" for s in ("T3", "T4", "T5", "T6", "T7")},
        **{s: "belly↓" for s in ("T8", "T9")}, "T10": "navel↓",
        **{s: "groin↓" for s in ("T11", "T12", "L1")},
        **{s: "leg↓" for s in ("L2", "L3", "L4", "L5", "S1", "S2")},
        **{s: "saddle" for s in ("S3", "S4", "S5")},
    },
}


# === Lookups =====================================================================================


def kind_of(key: str) -> str:
    kind = _KINDS.get(key)
    return kind if kind is not None else key.split(".")[0]


_KINDS: dict[str, str] = {key: key.split(".")[0] for key in FINDING_SPECS}


def pattern_of(key: str) -> str:
    """The key without its side: 'face.left.upper' -> 'face.upper'."""
    side = FINDING_SPECS[key].side if key in FINDING_SPECS else None
    return ".".join(p for p in key.split(".") if p != side)


def _table(tables: Mapping[str, Mapping[FindingValue, str]], key: str
           ) -> Mapping[FindingValue, str] | None:
    for name in (key, pattern_of(key), kind_of(key)):
        if name in tables:
            return tables[name]
    return None


def movement_of(key: str) -> A.Movement | None:
    """The limb movement a power key tests ('power.left.hip_flexion'), or None (neck, ...)."""
    return A.MOVEMENTS.get(key.rsplit(".", 1)[-1]) if key.startswith("power.") else None


def areas(value: FindingValue | Iterable[str]) -> list[str]:
    """The numb area codes of a ``numb_area`` value: one code today, a list soon ('none' and
    the empty list both mean no numb skin)."""
    codes = [value] if isinstance(value, str) else list(value)  # type: ignore[arg-type]
    return [c for c in codes if c != "none"]


def _words_for(key: str, value: FindingValue) -> str | None:
    table = _table(VALUE_WORDS, key)
    if table is None:
        return None
    words = table.get(value)
    if words is None and not isinstance(value, bool) and str(value) in table:
        words = table[str(value)]
    if words is None:
        return None
    return words.replace("{side}", FINDING_SPECS[key].side or "") if key in FINDING_SPECS \
        else words


def finding_text(key: str, value: FindingValue | list[str]) -> str:
    """The value in the student's words, e.g. '4/5 (moves against some resistance)'."""
    if kind_of(key) == "numb_area" and not isinstance(value, str):
        codes = areas(value)
        if not codes:
            return NUMB_AREA_WORDS["none"]
        where = [NUMB_AREA_WORDS.get(c, c.replace("_", " ")) for c in codes]
        return "numb skin over " + "; and over ".join(where)
    words = _words_for(key, value)  # type: ignore[arg-type]
    return words if words is not None else str(value).replace("_", " ")


def finding_label(key: str) -> str:
    label = FINDING_SPECS[key].label if key in FINDING_SPECS else key
    return label[:1].upper() + label[1:]


def finding_line(key: str, value: FindingValue) -> str:
    """One line of the findings log, e.g. 'Right biceps jerk: 3+ (brisk)'."""
    return f"{finding_label(key)}: {finding_text(key, value)}"


def as_student(findings: Mapping[str, FindingValue]) -> list[str]:
    """Every finding as the student reads it, one 'key: text' line each (design §6.1)."""
    return [f"{key}: {finding_line(key, value)}" for key, value in findings.items()]


def short_code(key: str, value: FindingValue) -> str:
    """The body map's code for a value."""
    if kind_of(key) == "numb_area" and not isinstance(value, str):
        codes = areas(value)
        first = SHORT["numb_area"].get(codes[0], "numb") if codes else "ok"
        return first if len(codes) < 2 else f"{first[:5]}+"
    table = _table(SHORT, key)
    if table is None and FINDING_SPECS.get(key) is not None and FINDING_SPECS[key].kind == "flag":
        table = SHORT["flag"]
    if table is None:
        return str(value)
    return table.get(value, str(value))


def missing_words() -> list[tuple[str, FindingValue]]:
    """Every (key, value) of FINDING_SPECS that has no words yet (a test keeps this empty)."""
    missing = []
    for key, spec in FINDING_SPECS.items():
        values = spec.values
        if kind_of(key) == "numb_area":
            values = tuple(A.NUMB_AREAS) if not values or not isinstance(values[0], str) \
                else values
        for value in values:
            if kind_of(key) == "numb_area":
                if value not in NUMB_AREA_WORDS:
                    missing.append((key, value))
            elif _words_for(key, value) is None:
                missing.append((key, value))
    return missing


# === After the answer: the anatomical names ======================================================


def area_label(area: str) -> str:
    """What a numb area is, anatomically (feedback only): 'the C8 dermatome'."""
    if area in A.ROOT_LEVELS:
        return f"the {area} dermatome"
    if area in A.NERVES:
        return f"the {A.NERVES[area].label}'s territory"
    if area in A.PLEXUS_PARTS:
        return f"the {plexus_label(area)}'s territory"
    return {"stocking": "a stocking distribution", "stocking_glove": "a stocking-and-glove "
            "distribution", "saddle": "the sacral (saddle) dermatomes",
            "hemibody": "one half of the body"}.get(area, area.replace("_", " "))


def plexus_label(part: str) -> str:
    return {"upper_trunk": "upper trunk of the brachial plexus",
            "lower_trunk": "lower trunk of the brachial plexus",
            "lumbosacral": "lumbosacral plexus"}.get(part, part.replace("_", " "))


def level_label(site: str, level: str | None) -> str:
    """A level as a clinician says it: 'the common peroneal (fibular) nerve', 'the L5 root'."""
    if level is None:
        return "—"
    if site == "nerve" and level in A.NERVES:
        return f"the {A.NERVES[level].label}"
    if site == "plexus":
        return f"the {plexus_label(level)}"
    if site == "root":
        return f"the {level} root"
    if site == "anterior_horn":
        return f"segments {level}"
    return level.replace("_", " ")


def level_name(site: str, level: str | None) -> str:
    """A level without the article, for tables: 'common peroneal (fibular) nerve', 'L5'."""
    if level is None:
        return "—"
    if site == "nerve" and level in A.NERVES:
        return A.NERVES[level].label
    if site == "plexus":
        return plexus_label(level)
    return level.replace("_", " ")


def level_short(site: str, level: str | None) -> str:
    """A level in a few words, for the neuraxis: 'common peroneal (fibular)', 'lower trunk'."""
    if level is None:
        return ""
    if site == "nerve" and level in A.NERVES:
        return A.NERVES[level].label.removesuffix(" nerve").replace(" nerve ", " ")
    return level.replace("_", " ")


# What the level part is called for each site (the answer's "level" is a nerve for a nerve).
LEVEL_PART_NAMES: dict[str, str] = {
    "spinal_cord": "Level", "root": "Root", "anterior_horn": "Segments", "plexus": "Plexus",
    "nerve": "Nerve",
}
