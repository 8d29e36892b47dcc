"""Feedback as words: the sentences of each part, written from the grader's structured evidence.

Nothing here decides anything: what counts as evidence, which way it points, whether the
student examined it and where the patient parts from the student's answer all come in as data
(``evidence``); this module only words them, after the answer, so anatomical names are allowed
("the C8 dermatome", "a sixth nerve palsy"). Each part links to the clinical notes that explain
it (``NOTE_TOPICS`` in ``notes``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vpatient.core import anatomy as A
from vpatient.core import timecourse as T
from vpatient.core.answer import NEURON_LABELS
from vpatient.core.evidence import Contrast, Evidence, Patient, is_abnormal, readings
from vpatient.core.examination import MANEUVERS, Maneuver
from vpatient.core.findings import FINDING_SPECS, FindingValue
from vpatient.core.lesion import (
    SITE_LABELS,
    CortexLesion,
    Lesion,
    NerveLesion,
    SpinalCordLesion,
    describe,
    lesion_level,
)
from vpatient.core.wording import (
    REFLEX_WORDS,
    area_label,
    areas,
    finding_text,
    kind_of,
    level_label,
    level_name,
    movement_of,
    pattern_of,
)

CEREBRAL = ("cortex", "internal_capsule", "midbrain", "pons", "medulla")
BRAINSTEM = ("midbrain", "pons", "medulla")
# Diffuse diseases: bilateral, even when they began on one side.
DIFFUSE = ("motor_neuron_disease", "nmj", "polyneuropathy", "muscle")

# How many findings a sentence cites before it stops listing.
CITED = 5
UNSEEN_CITED = 4
WHY_NOT_CITED = 3

# === Findings as phrases (after the answer) ======================================================

GAIT_NAMES: dict[str, str] = {
    "normal": "a normal gait", "hemiplegic_left": "a left hemiplegic gait",
    "hemiplegic_right": "a right hemiplegic gait",
    "spastic_paraparetic": "a spastic paraparetic gait",
    "steppage_left": "a left steppage gait (foot drop)",
    "steppage_right": "a right steppage gait (foot drop)",
    "steppage_bilateral": "a bilateral steppage gait (foot drop)",
    "waddling": "a waddling gait", "limp_left": "a limp on the weak left leg",
    "limp_right": "a limp on the weak right leg", "sensory_ataxic": "a sensory ataxic gait",
    "unable": "inability to walk",
}
EYE_NAMES: dict[str, str] = {
    "normal": "normal eye movements", "ptosis": "ptosis",
    "third_nerve_palsy": "a third nerve palsy", "sixth_nerve_palsy": "a sixth nerve palsy",
}


# The clinical names of the bedside items (after the answer): (kind, value) -> phrase, with
# {side} and {label}. Values not listed read as '{label}: {the student's words}'.
CLINICAL_NAMES: dict[tuple[str, FindingValue], str] = {
    ("eyes", "ophthalmoparesis"): "partial ophthalmoparesis on the {side}",
    ("eyes", "ptosis_ophthalmoparesis"): "ptosis with partial ophthalmoparesis on the {side}",
    ("pupils", "small"): "a small {side} pupil", ("pupils", "large"): "a large {side} pupil",
    ("pupils", "normal"): "a normal {side} pupil",
    ("gaze", "deviated_left"): "gaze deviated to the left",
    ("gaze", "deviated_right"): "gaze deviated to the right", ("gaze", "central"): "full gaze",
    ("speech", "normal"): "normal speech", ("speech", "mild_dysarthria"): "mild dysarthria",
    ("speech", "spastic_dysarthria"): "spastic dysarthria",
    ("speech", "flaccid_dysarthria"): "flaccid dysarthria",
    ("speech", "mixed_dysarthria"): "mixed spastic and flaccid dysarthria",
    ("language", "aphasia"): "aphasia", ("language", "normal"): "normal language",
    ("gag", "brisk"): "a brisk gag", ("gag", "reduced"): "a reduced gag",
    ("gag", "normal"): "a normal gag", ("swallowing", "impaired"): "impaired swallowing",
    ("swallowing", "normal"): "normal swallowing",
    ("neglect", "left"): "left neglect", ("neglect", "right"): "right neglect",
    ("neglect", "none"): "no neglect",
    ("visual_fields", "left_hemianopia"): "a left homonymous hemianopia",
    ("visual_fields", "right_hemianopia"): "a right homonymous hemianopia",
    ("visual_fields", "full"): "full visual fields",
    ("cortical_sensation", "face_arm"): "lost cortical sensation over the {side} face and arm",
    ("cortical_sensation", "leg"): "lost cortical sensation over the {side} leg",
    ("cortical_sensation", "face_arm_leg"): "lost cortical sensation over the {side} face, arm "
                                            "and leg",
    ("cortical_sensation", "normal"): "normal {side} cortical sensation",
    ("abdominal", "absent"): "absent {label}", ("abdominal", "present"): "{label} present",
    ("anal_tone", "reduced"): "reduced anal tone", ("anal_tone", "absent"): "absent anal tone",
    ("anal_tone", "normal"): "normal anal tone",
    ("bulbocavernosus", "absent"): "absent bulbocavernosus reflex",
    ("bulbocavernosus", "present"): "a bulbocavernosus reflex",
    ("bladder", "retention"): "urinary retention", ("bladder", "urgency"): "bladder urgency",
    ("bladder", "reflex"): "a reflex bladder",
    ("bladder", "normal"): "a normal bladder",
    ("vibration", "impaired"): "impaired {side} vibration sense",
    ("vibration", "normal"): "normal {side} vibration sense",
}


def _label(key: str, sides: str | None = None) -> str:
    label = FINDING_SPECS[key].label
    side = FINDING_SPECS[key].side
    if sides and side:
        label = re.sub(rf"\b{side}\b", sides, label, count=1)
    return label


def phrase(key: str, value: FindingValue, sides: str | None = None) -> str:
    """A finding as the feedback cites it: 'extensor right plantar', 'right ankle
    dorsiflexion 5/5', 'numb little finger ... on the right (the C8 dermatome)'. ``sides``
    ('left and right') words the same finding found on both sides at once."""
    kind = kind_of(key)
    side = sides or FINDING_SPECS[key].side
    label = _label(key, sides)
    name = CLINICAL_NAMES.get((kind, value))
    if name is not None:
        return name.format(side=side or "", label=label)
    if FINDING_SPECS[key].kind == "power":
        return f"{label} {value}/5"
    if kind == "reflex":
        return f"{REFLEX_WORDS.get(str(value), str(value))} {label} ({value})"
    if kind == "plantar":
        return f"{value} {side} plantar"
    if kind == "tone":
        word = {"decreased": "flaccid", "spastic": "spastic"}.get(str(value), "normal")
        return f"{word} {label}"
    if kind == "clonus":
        return f"no {label}" if value == "absent" else f"{value} {label}"
    if kind in ("hoffmann", "inverted_supinator"):
        return f"{label} sign" if value == "present" else f"no {label} sign"
    if FINDING_SPECS[key].kind == "flag":
        return label if value else f"no {label}"
    if kind == "face":
        where = f"{side} forehead" if key.endswith(".upper") else label
        if value == "normal":
            return f"{where} spared" if key.endswith(".upper") else f"normal {where}"
        return f"weak {where}"
    if kind == "eyes":
        name = EYE_NAMES.get(str(value), str(value))
        return f"{name} on the {side}" if value != "normal" else \
            f"normal {side} eye movements and lid"
    if key == "tongue.deviation":
        return "the tongue in the midline" if value == "none" else \
            f"the tongue deviating to the {value}"
    if key == "gait":
        return GAIT_NAMES.get(str(value), f"gait: {finding_text(key, value)}")
    if key == "romberg":
        return {"positive": "a positive Romberg test", "negative": "a steady Romberg test"}.get(
            str(value), "unable to stand for Romberg")
    if kind == "sensory_level":
        if value == "none":
            return f"no sensory level on the {side}"
        return f"{finding_text(key, value)} on the {side} (a {value} level)"
    if kind == "suspended_loss":
        if value == "none":
            return f"no band of pinprick loss on the {side}"
        return f"{finding_text(key, value)}, on the {side} (a suspended loss at {value})"
    if kind == "position_sense":
        return f"{value} {side} joint position sense"
    if kind == "numb_area":
        codes = areas(value)
        if not codes:
            return f"no numb patch on the {side}"
        where = "; ".join(area_label(c) for c in codes)
        return f"{finding_text(key, value)} on the {side} ({where})"
    return f"{label}: {finding_text(key, value)}"


def expectation(key: str, expected: FindingValue) -> str:
    """What the student's lesion would do to a finding, as a clause about it with ``{who}`` for
    the lesion: 'which {who} would weaken', 'where {who} would numb the C8 dermatome'."""
    kind = kind_of(key)
    reading = readings(key, expected)
    verb = None
    if FINDING_SPECS[key].kind == "power" or kind == "face":
        verb = "would weaken" if is_abnormal(key, expected) else "would spare"
    elif kind == "reflex":
        if expected == "0":
            verb = "would abolish"
        elif "reduced" in reading:
            verb = "would reduce"
        else:
            verb = "would make brisk" if reading == {"brisk"} else "would leave normal"
    elif kind == "plantar":
        verb = {"extensor": "would make extensor", "mute": "would make mute"}.get(
            str(expected), "would leave flexor")
    elif kind == "tone":
        verb = {"spastic": "would make spastic", "decreased": "would make flaccid"}.get(
            str(expected), "would leave normal")
    elif FINDING_SPECS[key].kind == "flag":
        verb = "would cause" if expected else "would not cause"
    elif kind in ("hoffmann", "inverted_supinator", "clonus"):
        verb = "would not give" if expected == "absent" else "would give"
    if verb is not None:
        return f"which {{who}} {verb}"
    if kind == "numb_area":
        codes = areas(expected)
        return f"where {{who}} would numb {area_label(codes[0])}" if codes else \
            "where {who} would leave the skin normal"
    if kind == "sensory_level":
        return "where {who} would give no sensory level" if expected == "none" else \
            f"where {{who}} would give a level at {expected}"
    if not is_abnormal(key, expected):
        return "where {who} would leave it normal"
    return f"where {{who}} would give {phrase(key, expected)}"


def join(items: Sequence[str], limit: int = CITED) -> str:
    shown = list(dict.fromkeys(items))[:limit]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _an(text: str) -> str:
    """'a' or 'an' as it is said aloud: 'an L5 root', 'an upper', 'a left'."""
    first = text[:1]
    spoken_vowel = first.lower() in "aeiou" or (first in "FHLMNRSX" and text[1:2].isdigit())
    return ("an " if spoken_vowel else "a ") + text


# === What the answer stands for ==================================================================


def value_label(part: str, value: str | None, site: str | None = None) -> str:
    """An answer's value in words: 'nerve root', 'the L5 root', 'upper motor neuron'."""
    if value is None:
        return "—"
    if part == "neuron":
        return NEURON_LABELS.get(value, value)
    if part == "site":
        return SITE_LABELS.get(value, value.replace("_", " "))
    if part == "level":
        return level_name(site or "", value)
    return value


def lesion_label(lesion: Lesion) -> str:
    """The lesion a student's answer stands for: 'an L5 root lesion', 'a right internal
    capsule lesion', 'a lesion of the common peroneal (fibular) nerve'."""
    level = lesion_level(lesion)
    site = lesion.site
    if site == "root":
        return _an(f"{level} root lesion")
    if site == "nerve" and isinstance(lesion, NerveLesion):
        return f"a lesion of the {A.NERVES[lesion.name].label}"
    if site == "plexus":
        return f"a lesion of {level_label(site, level)}"
    if isinstance(lesion, SpinalCordLesion):
        kind = {"complete": "", "hemisection": "hemisection ", "anterior": "anterior ",
                "central": "central "}[lesion.pattern]
        return _an(f"{kind}cord lesion at {lesion.level}").replace("  ", " ")
    if site == "anterior_horn":
        return f"anterior horn cell loss at {level}"
    if site == "motor_neuron_disease":
        return "motor neuron disease"
    if site == "polyneuropathy":
        return "a polyneuropathy"
    if site == "nmj":
        return "a disorder of the neuromuscular junction"
    if site == "muscle":
        return "a myopathy"
    if isinstance(lesion, CortexLesion):
        return _an(f"{lesion.side} motor cortex lesion") if lesion.side != "bilateral" else \
            "a lesion of both motor cortices"
    side = f"{lesion.side} " if lesion.side != "bilateral" else "bilateral "
    return _an(f"{side}{SITE_LABELS[site]} lesion")


def hypothesis_label(part: str, lesion: Lesion | None, given_neuron: str) -> str:
    if part == "neuron" or lesion is None:
        return _an(f"{NEURON_LABELS[given_neuron]} lesion")
    return lesion_label(lesion)


# === The clinical reading of each part ===========================================================

SITE_READING: dict[str, str] = {
    "cortex": "one side weak with face and arm more than leg (the lateral convexity) or leg "
              "more than arm (the medial surface) follows the map of the motor strip",
    "internal_capsule": "lower face, arm and leg weak together on one side, to a similar "
                        "degree: the fibres are packed together in the internal capsule",
    "midbrain": "a third nerve palsy on one side with weakness of the other: a crossed "
                "syndrome of the midbrain",
    "pons": "a sixth nerve and whole-face palsy on one side with weakness of the other: a "
            "crossed syndrome of the pons",
    "medulla": "the tongue deviating to one side while the opposite arm and leg are weak and the "
               "face is spared: the medial medulla",
    "spinal_cord": "signs below a level, with normal cranial nerves and jaw jerk: the spinal "
                   "cord",
    "conus": "symmetric sacral signs, ankle jerks lost with knee jerks kept and little leg "
             "weakness: the conus",
    "cauda_equina": "asymmetric flaccid weakness over several lumbosacral roots with lost "
                    "reflexes: the cauda equina",
    "anterior_horn": "pure motor, flaccid, wasted and areflexic muscles with normal sensation: "
                     "the anterior horn cells",
    "root": "one myotome weak, its reflex reduced and its dermatome numb: a single root",
    "plexus": "several roots' muscles weak in one limb: the plexus",
    "nerve": "the muscles of one nerve weak while its neighbours' are spared: a peripheral "
             "nerve",
    "polyneuropathy": "symmetric weakness and reflex loss, distal first or ascending: a "
                      "polyneuropathy",
    "nmj": "fatigable weakness with ptosis, normal reflexes and no wasting: the neuromuscular "
           "junction",
    "muscle": "proximal symmetric weakness with reflexes kept and no wasting or fasciculations: "
              "muscle",
    "motor_neuron_disease": "upper and lower motor neuron signs together in several regions, "
                            "with normal sensation: motor neuron disease",
}
NEURON_READING: dict[str, str] = {
    "UMN": "upper motor neuron signs", "LMN": "lower motor neuron signs",
    "mixed": "upper and lower motor neuron signs together: a mixed picture",
    "NMJ": "fatigable weakness with normal reflexes and no wasting: the neuromuscular junction",
    "muscle": "proximal weakness with reflexes kept and no fasciculations: muscle",
}
# What each group of signs is, when a part cites more than one.
SIGN_GROUPS: dict[str, str] = {
    "UMN": "upper motor neuron", "LMN": "lower motor neuron",
    "mixed": "a broken arc with brisk reflexes below it", "NMJ": "the junction",
    "muscle": "muscle",
}
# Why an accepted alternative is accepted, and what the canonical answer adds.
ACCEPTED_WHY: dict[tuple[str, str], str] = {
    ("neuron", "midbrain"): "strictly mixed: the third nerve palsy on the side of the lesion is "
                            "a lower motor neuron sign",
    ("neuron", "pons"): "strictly mixed: the sixth and seventh nerve palsies on the side of the "
                        "lesion are lower motor neuron signs",
    ("neuron", "medulla"): "strictly mixed: the twelfth nerve palsy on the side of the lesion is "
                           "a lower motor neuron sign",
    ("neuron", "conus"): "strictly mixed: the conus is the end of the cord, so upper motor "
                         "neuron signs can join the lower ones",
}


def _phrases(items: Sequence[Evidence], limit: int = CITED) -> str:
    """The findings as phrases, the same finding on both sides said once ('extensor left and
    right plantar')."""
    by_pattern: dict[tuple, list[Evidence]] = {}
    for e in items:
        by_pattern.setdefault((pattern_of(e.key), e.value), []).append(e)
    phrases = []
    for group in by_pattern.values():
        sides = {e.side for e in group}
        both = len(group) == 2 and sides == set(A.SIDES)
        phrases.append(phrase(group[0].key, group[0].value, "left and right" if both else None))
        if not both:
            phrases += [phrase(e.key, e.value) for e in group[1:]]
    return join(phrases, limit)


def neuron_reading(patient: Patient, correct: str, evidence: Sequence[Evidence]) -> str:
    lesion = patient.lesion
    if isinstance(lesion, SpinalCordLesion) and T.in_spinal_shock(lesion.onset_days):
        days = f"{lesion.onset_days:g} day{'s' if lesion.onset_days != 1 else ''}"
        return (f"{days} after onset this is spinal shock: an acute cord lesion is flaccid and "
                "areflexic before it becomes spastic")
    if lesion.site in CEREBRAL and lesion.onset_days < 1:
        return ("hyperacute: the weak side is still flaccid with reflexes not yet brisk, so the "
                "distribution of weakness decides")
    reading = NEURON_READING[correct]
    if lesion.site in ("anterior_horn", "motor_neuron_disease") and correct == "LMN":
        reading = "pure motor lower motor neuron disease"
    return reading


def site_reading(patient: Patient, site: str) -> str:
    return SITE_READING[site]


def distribution(patient: Patient) -> str:
    """Cortex vs capsule: how arm and leg compare in this patient, from what was examined."""
    if patient.lesion.site not in CEREBRAL:
        return ""
    for side in A.SIDES:
        worst: dict[str, int] = {}
        for key, value in patient.findings.items():
            spec = FINDING_SPECS[key]
            movement = movement_of(key)
            if movement and spec.side == side and (
                    not patient.log_known or patient.seen(key)):
                limb = movement.limb
                worst[limb] = min(worst.get(limb, 5), int(value))
        if len(worst) < 2 or min(worst.values()) == 5:
            continue
        arm, leg = worst["arm"], worst["leg"]
        seen = patient.log_known
        if arm == leg:
            verb = "you found" if seen else "here"
            are = "" if seen else " are"
            return (f"{verb} the {side} arm (worst {arm}/5) and leg (worst {leg}/5){are} weak "
                    "to a similar degree")
        more, less = ("arm", "leg") if arm < leg else ("leg", "arm")
        verb, is_ = ("you found", "") if seen else ("here", " is")
        return (f"{verb} the {side} {more} (worst {min(arm, leg)}/5){is_} weaker than the "
                f"{less} ({max(arm, leg)}/5)")
    return ""


def level_reading(site: str, level: str) -> str:
    label = level_label(site, level)
    if site == "nerve" and A.NERVES[level].cranial == "VII":
        return f"the whole face weak, forehead included: {label}"
    if site == "nerve" and A.NERVES[level].cranial:
        return f"the tongue deviating to the weak side: {label}"
    return {
        "root": f"one root's muscles, reflex and skin: {label}",
        "anterior_horn": f"the lower motor neurons of {label}",
        "plexus": f"several roots' muscles in one limb: {label}",
        "nerve": f"one nerve's muscles weak while its neighbours' are spared: {label}",
        "spinal_cord": f"lower motor neuron signs at the level and upper motor neuron signs "
                       f"below it, or a sensory level: the cord at {level}",
    }.get(site, label)


def side_reading(patient: Patient, site: str, side: str) -> str:
    if site in DIFFUSE and side != "bilateral":
        return f"the signs are worst on the {side}, where it began"
    if side == "bilateral":
        if site in DIFFUSE:
            return "a diffuse disease is bilateral, even when it begins on one side"
        return "both sides are affected: the lesion is bilateral"
    if site in CEREBRAL:
        crossed = ", with its cranial nerve palsy on its own side" if site in BRAINSTEM else ""
        return (f"above the pyramidal decussation the lesion lies opposite the weak limbs"
                f"{crossed}: the {side}")
    if site == "spinal_cord":
        return (f"below the decussation a cord lesion lies on the side of the weakness: the "
                f"{side}")
    return f"a peripheral lesion lies on the side of its signs: the {side}"


def accepted_note(part: str, given: str, canonical: str, site: str, lesion_side: str) -> str:
    """'bilateral: accepted; the signs are worse on the left'."""
    shown = value_label(part, given, site)
    if part == "side":
        if canonical == "bilateral":
            return (f"{cap(shown)}: accepted, the side where it began; the disease is diffuse, "
                    "so the canonical answer is bilateral")
        return (f"{cap(shown)}: accepted; the signs are worse on the {canonical}, the side the "
                "canonical answer names")
    why = ACCEPTED_WHY.get((part, site))
    if why:
        return f"{cap(shown)}: accepted; {why}"
    return f"{cap(shown)}: accepted; the canonical answer is {value_label(part, canonical, site)}"


# === The part's sentence =========================================================================


def _against(contrasts: Sequence[Contrast], hypothesis: str, verb: str) -> str:
    """'you found right ankle dorsiflexion 5/5 and right great toe extension 5/5, which an L5
    root lesion would weaken; and reduced right ankle jerk (1+), which it would leave normal'."""
    # One of each kind of finding first (a plantar, a reflex, a power), then the rest.
    kinds_seen: set[str] = set()
    first = [c for c in contrasts if not (kind_of(c.key) in kinds_seen
                                          or kinds_seen.add(kind_of(c.key)))]
    chosen = (first + [c for c in contrasts if c not in first])[:WHY_NOT_CITED]
    chosen.sort(key=contrasts.index)
    groups: dict[tuple, list[Contrast]] = {}
    for c in chosen:
        spec = FINDING_SPECS[c.key]
        groups.setdefault((spec.kind, kind_of(c.key), readings(c.key, c.expected)), []).append(c)
    bits = []
    for index, group in enumerate(groups.values()):
        who = hypothesis if index == 0 else "it"
        found = join([phrase(c.key, c.found) for c in group])
        bits.append(f"{found}, " + expectation(group[0].key, group[0].expected).format(who=who))
    return f"{verb} " + "; and ".join(bits)


def why_not_text(given_shown: str, contrasts: Sequence[Contrast], hypothesis: str,
                 decider: Maneuver | None, patient: Patient) -> str:
    if not contrasts:
        return (f"Why not {given_shown}: nothing in this examination separates it from the "
                "answer.")
    seen = [c for c in contrasts if c.examined]
    if seen:
        text = f"Why not {given_shown}: {_against(seen, hypothesis, 'you found')}."
    elif patient.log_known:
        text = f"Why not {given_shown}: nothing you examined rules it out."
    else:
        text = f"Why not {given_shown}: {_against(contrasts, hypothesis, 'the patient has')}."
    if decider is not None:
        decisive = next(c for c in contrasts if c.key in decider.reveals and not c.examined)
        text += (f" Not performed, and it would have decided it: {maneuver_label(decider)} "
                 f"(it shows {phrase(decisive.key, decisive.found)}, "
                 f"{expectation(decisive.key, decisive.expected).format(who=hypothesis)}).")
    return text


def _nerve_of(movement: str) -> str | None:
    """The most distal limb nerve supplying a movement (the one with fewest muscles)."""
    nerves = [n for n in A.NERVES.values() if n.limb and any(
        movement in b.movements for b in n.branches)]
    if not nerves:
        return None
    return min(nerves, key=lambda n: sum(len(b.movements) for b in n.branches)).name


def nerves_text(patient: Patient, given_level: str | None) -> str:
    """When a nerve was named but weak muscles belong to more than one nerve: 'weak muscles of
    two nerves (...) mean a lesion above them, in a root or the plexus'."""
    weak: dict[str, list[str]] = {}
    for key, value in patient.explained.items():
        spec = FINDING_SPECS[key]
        if spec.kind != "power" or (patient.log_known and not patient.seen(key)):
            continue
        movement = movement_of(key)
        nerve = _nerve_of(movement.name) if movement else None
        if nerve:
            weak.setdefault(nerve, []).append(phrase(key, value))
    if len(weak) < 2 or given_level not in A.NERVES:
        return ""
    listed = "; ".join(f"{A.NERVES[n].label}: {join(items, 2)}" for n, items in weak.items())
    found = "you found" if patient.log_known else "the patient has"
    return (f" Weak muscles of more than one nerve ({found} {listed}) put the lesion above "
            "them, in a root or the plexus.")


def support_text(evidence: Sequence[Evidence], reading: str, patient: Patient,
                 grouped: bool = False, cited_unseen: set[str] | None = None,
                 said_found: list[str] | None = None) -> str:
    """What points to the answer: what the student found first (signs, then what is spared),
    then what was not examined (each unexamined finding once across the parts: keys already in
    ``cited_unseen`` are skipped, and those cited here are added). The list of findings the
    part just above gave in full (``said_found``) is referred to, not repeated."""
    signs = [e for e in evidence if is_abnormal(e.key, e.value)]
    spared = [e for e in evidence if not is_abnormal(e.key, e.value)]

    def cited(items: Sequence[Evidence], limit: int) -> str:
        if not grouped:
            return _phrases(items, limit)
        groups: dict[str, list[Evidence]] = {}
        for e in items:
            groups.setdefault(e.points_to, []).append(e)
        if len(groups) == 1:
            return _phrases(items, limit)
        # Each kind of sign gets its share, so a mixed picture shows both.
        share = max(2, limit // len(groups))
        return "; ".join(f"{_phrases(g, share)} ({SIGN_GROUPS.get(p, p)})"
                         for p, g in groups.items())

    def found(items: Sequence[Evidence], spared_items: Sequence[Evidence], verb: str) -> str:
        if not items and not spared_items:
            return f"{cap(reading)}."
        listed = cited(items, CITED) if items else "nothing abnormal here"
        if spared_items:
            listed += f", with {_phrases(spared_items, 3)}"
        if said_found is not None:  # holds the list the part just above gave
            repeated = listed in said_found
            said_found[:] = [listed]
            if repeated and items:
                return f"The same findings show {reading}."
        return f"{verb} {listed}: {reading}."

    if not patient.log_known:
        return found(signs, spared, "The patient has")
    text = found([e for e in signs if e.examined], [e for e in spared if e.examined],
                 "You found")
    skip = cited_unseen if cited_unseen is not None else set()
    # What was not examined adds kinds of sign not found yet (not a fourth brisk reflex).
    def sort(e: Evidence) -> tuple:
        return kind_of(e.key), e.points_to, is_abnormal(e.key, e.value)

    found_kinds = {sort(e) for e in evidence if e.examined}
    unseen = [e for e in evidence if not e.examined and e.key not in skip
              and sort(e) not in found_kinds]
    if unseen:
        text += f" Not examined: would have shown {cited(unseen, UNSEEN_CITED)}."
        skip.update(e.key for e in unseen[:UNSEEN_CITED])
    return text


def verdict(part: str, credit: float, raw_credit: float, given: str | None, canonical: str,
            accepted: bool, site: str, lesion_side: str, given_site: str | None) -> str:
    shown_correct = value_label(part, canonical, site)
    if given is None:
        return f"Not given: it is {shown_correct}."
    shown = value_label(part, given, given_site if part == "level" else site)
    if credit >= 1:
        return f"{accepted_note(part, given, canonical, site, lesion_side)}." if accepted \
            else "Right."
    if raw_credit > credit:
        what = {"level": "level", "site": "structure"}.get(part, "answer")
        return (f"You said {shown}; it is {shown_correct}. A neighbouring {what} earns partial "
                f"credit, but what you examined rules {shown} out.")
    return f"You said {shown}; it is {shown_correct}" + (
        " (partial credit)." if credit > 0 else ".")


def maneuver_label(m: Maneuver) -> str:
    """A maneuver by its menu label and side: 'Power: ankle inversion (tibialis posterior),
    right leg'."""
    if m.region in ("head", "general") or m.region in m.label:
        return m.label
    return f"{m.label}, {m.region}"


def decider_maneuver(contrasts: Sequence[Contrast], patient: Patient) -> Maneuver | None:
    """The one maneuver not performed that would have decided between the answer and the
    student's: a finding this patient shows first (what the lesion does), then what it spares."""
    if not patient.log_known:
        return None
    unseen = [c for c in contrasts if not c.examined]
    if not unseen:
        return None
    unseen.sort(key=lambda c: not is_abnormal(c.key, c.found))
    from vpatient.core.evidence import maneuver_of

    return MANEUVERS[maneuver_of(unseen[0].key)]


def other_lesion_notes(case_lesions: Sequence[Lesion]) -> list[str]:
    """For a patient with more than one lesion: what each other lesion explains, so findings
    that do not fit the graded lesion are accounted for."""
    from vpatient.core.engine import explained_by

    notes = []
    for lesion in case_lesions[1:]:
        explained = explained_by(lesion)
        keys = sorted(explained, key=lambda k: (FINDING_SPECS[k].kind == "power",
                                                 explained[k] if FINDING_SPECS[k].kind ==
                                                 "power" else 0))
        shown = join([phrase(k, explained[k]) for k in keys], 4)
        notes.append(f"This patient also has a {describe(lesion)}"
                     + (f", which explains {shown}." if shown else "."))
    return notes
