"""The history writer: a complaint and a history composed from the patient's own findings.

It reads the findings generically (which limbs are weak and in what pattern, which parts are
wasted, what is numb, the face, the eyes, the tongue), ranks the deficits by how much they trouble
a patient, and tells them in the order a patient would: how it began (the tempo of the
presentation, never faster or slower than the time since onset allows), what happened (the cause
as the patient tells it, or nothing when the history is vague), how things are now, how it has
gone since (recovering, progressing, fluctuating, settled after a peak), the pertinent negatives
the findings allow, and who the patient is. The complaint names the most troublesome deficit,
with every weak limb of it.

Every sentence is put together from several independent choices (the words come from the
presentation files and ``phrases.toml``), so the same sentence rarely comes back.

Speed (generation is measured in patients per second): what the writer reads off the findings is
worked out once per distinct set of findings and cached (:func:`analyse`); each patient then costs
a few dictionary look-ups, string formats and choices from one pool of random bits.

Pure: the data are passed in; nothing is read here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from vpatient.core import anatomy as A
from vpatient.core.findings import FINDING_SPECS
from vpatient.core.presentation import (
    Cause,
    Occupation,
    People,
    Phrasebook,
    Presentation,
    Symptom,
)

Limb = tuple[str, str]  # (side, "arm" | "leg")
LIMBS: tuple[Limb, ...] = tuple((s, limb) for s in A.SIDES for limb in A.LIMBS)

# --- the findings the writer reads, in a fixed order (the analysis cache is keyed by them) ------

_POWER: tuple[tuple[str, Limb, str], ...] = tuple(
    (key, (spec.side, spec.region), key.rsplit(".", 1)[1])
    for key, spec in FINDING_SPECS.items()
    if spec.kind == "power" and spec.region in A.LIMBS and spec.side
)
_MOVEMENT_COUNT: dict[str, int] = {
    limb: sum(1 for _, (side, lb), _ in _POWER if lb == limb and side == A.SIDES[0])
    for limb in A.LIMBS}
_DISTAL: frozenset[str] = frozenset(
    name for name, mv in A.MOVEMENTS.items() if mv.part.endswith("distal"))
_TONE = tuple((f"tone.{s}.{limb}", (s, limb)) for s, limb in LIMBS)
_SIGNS = {sign: tuple((f"{sign}.{s}.{part}", s, part) for s in A.SIDES for part in A.PARTS)
          for sign in ("wasting", "fasciculations")}
# The per-side findings the writer reads, by the name it reads them under (one list: a key
# missing here is silently never read, as the pupils once were).
_PER_SIDE = (("upper", "face.{}.upper"), ("lower", "face.{}.lower"), ("eyes", "eyes.{}"),
             ("level", "sensory_level.{}"), ("position", "position_sense.{}"),
             ("vibration", "vibration.{}"), ("numb", "numb_area.{}"),
             ("suspended_loss", "suspended_loss.{}"),
             ("cortical_sensation", "cortical_sensation.{}"), ("pupils", "pupils.{}"))
_OTHER = ("wasting.tongue", "fasciculations.tongue", "tongue.deviation", "gait", "romberg",
          "speech", "swallowing", "language", "neglect", "visual_fields", "bladder")
READ_KEYS: tuple[str, ...] = tuple(k for k in (
    *(k for k, _, _ in _POWER), *(k for k, _ in _TONE),
    *(k for sign in _SIGNS.values() for k, _, _ in sign),
    *(pattern.format(s) for s in A.SIDES for _, pattern in _PER_SIDE), *_OTHER,
) if k in FINDING_SPECS)
_AT = {key: i for i, key in enumerate(READ_KEYS)}
_NORMAL = {key: FINDING_SPECS[key].normal for key in READ_KEYS}


def finding_values(findings: dict) -> tuple:
    """The findings the writer reads, as a hashable tuple (lists become tuples)."""
    values = tuple(map(findings.get, READ_KEYS, _NORMAL.values()))
    try:
        hash(values)
    except TypeError:  # list-valued keys (several numb areas per side)
        values = tuple(tuple(v) if isinstance(v, list) else v for v in values)
    return values


@dataclass(slots=True)
class Exam:
    """What the writer needs from the findings."""

    weak: dict[Limb, dict[str, int]]  # limb -> {movement: grade < 5}
    stiff: set[Limb]
    wasted: list[tuple[str, str]]  # (side, part)
    twitching: set[Limb]
    tongue_bulbar: bool
    tongue_deviation: str
    face: dict[str, tuple[bool, bool]]  # side -> (upper weak, lower weak)
    eyes: dict[str, str]
    level: dict[str, str]  # side -> sensory level segment
    numb: dict[str, tuple[str, ...]]  # side -> numb area codes
    position: set[str]  # sides with impaired position or vibration sense
    pupils: dict[str, str]  # side -> small | large, where not normal
    gait: str
    romberg: str
    # Findings of one value each, where abnormal (speech, swallowing, language, neglect,
    # visual_fields, bladder) and per side (suspended_loss, cortical_sensation).
    other: dict[str, str]

    def restricted_to(self, own: Exam) -> Exam:
        """This examination, keeping only what ``own`` (the findings of the lesion the story is
        about) shows too: a background illness is told in its own sentence, not as the
        complaint."""
        return Exam(
            weak={limb: kept for limb, g in self.weak.items()
                  if (kept := {m: v for m, v in g.items() if m in own.weak.get(limb, ())})},
            stiff=self.stiff & own.stiff,
            wasted=[w for w in self.wasted if w in own.wasted],
            twitching=self.twitching & own.twitching,
            tongue_bulbar=self.tongue_bulbar and own.tongue_bulbar,
            tongue_deviation=own.tongue_deviation if self.tongue_deviation != "none" else "none",
            face={s: v for s, v in self.face.items() if s in own.face},
            eyes={s: v for s, v in self.eyes.items() if s in own.eyes},
            level={s: v for s, v in self.level.items() if s in own.level},
            numb={s: tuple(c for c in v if c in own.numb.get(s, ())) for s, v in self.numb.items()
                  if any(c in own.numb.get(s, ()) for c in v)},
            position=self.position & own.position,
            pupils={s: v for s, v in self.pupils.items() if s in own.pupils},
            gait=own.gait if self.gait != "normal" else "normal",
            romberg=own.romberg if self.romberg != "negative" else "negative",
            other={k: v for k, v in self.other.items() if k in own.other},
        )

    def domains(self) -> frozenset[str]:
        """The domains the findings show abnormal (a negative of these is never said)."""
        out: set[str] = set()
        if self.level or self.numb or self.position:
            out.add("sensory")
        if self.eyes:
            out.add("vision")
        if any(u or lo for u, lo in self.face.values()):
            out.add("face")
        if self.tongue_bulbar or self.tongue_deviation != "none":
            out |= {"speech", "swallowing"}
        if any(limb == "arm" for _, limb in self.weak):
            out.add("arms")
        if any(limb == "leg" for _, limb in self.weak):
            out.add("legs")
        if self.gait != "normal":
            out.add("walking")
        for key in self.other:
            out.add(_OTHER_DOMAINS.get(key.split(".")[0], key))
        return frozenset(out)


# Where each group of findings sits in the tuple of finding_values (worked out once).
def _groups() -> list[tuple[Limb, int, int, tuple[str, ...]]]:
    """Runs of consecutive power keys of one limb: (limb, start, stop, movements)."""
    runs: list[tuple[Limb, int, int, tuple[str, ...]]] = []
    for i, (_, limb, movement) in enumerate(_POWER):
        if runs and runs[-1][0] == limb and runs[-1][2] == i:
            lb, start, _, names = runs[-1]
            runs[-1] = (lb, start, i + 1, (*names, movement))
        else:
            runs.append((limb, i, i + 1, (movement,)))
    return runs


_LIMB_RUNS = _groups()


def _at(key: str) -> int | None:
    return _AT.get(key)


_TONE_AT = tuple((_AT[k], limb) for k, limb in _TONE if k in _AT)
_WASTING_AT = tuple((_AT[k], s, part) for k, s, part in _SIGNS["wasting"] if k in _AT)
_TWITCH_AT = tuple((_AT[k], (s, "arm" if part.startswith("arm") else "leg"))
                   for k, s, part in _SIGNS["fasciculations"] if k in _AT)
_SIDE_AT = {s: {name: _at(pattern.format(s)) for name, pattern in _PER_SIDE} for s in A.SIDES}
_ONE_AT = tuple((key, _AT[key], _NORMAL[key]) for key in
                ("speech", "swallowing", "language", "neglect", "visual_fields", "bladder")
                if key in _AT)
_TONGUE_AT = tuple(_at(k) for k in ("wasting.tongue", "fasciculations.tongue",
                                    "tongue.deviation", "gait", "romberg"))


def read_exam(values: tuple) -> Exam:
    """The examination from :func:`finding_values`."""
    weak: dict[Limb, dict[str, int]] = {}
    for limb, start, stop, names in _LIMB_RUNS:
        grades = values[start:stop]
        if min(grades) < 5:
            found = weak.setdefault(limb, {})
            for name, grade in zip(names, grades, strict=True):
                if grade < 5:
                    found[name] = grade
    face, eyes, level, numb, position, other, pupils = {}, {}, {}, {}, set(), {}, {}
    for key, i, normal in _ONE_AT:
        if values[i] != normal:
            other[key] = values[i]
    for s, at in _SIDE_AT.items():
        def get(name: str, default: object) -> object:
            i = at[name]  # noqa: B023 - used at once, in this iteration
            return default if i is None else values[i]
        for name in ("suspended_loss", "cortical_sensation"):
            value = get(name, None)
            if value is not None and value not in ("none", "normal"):
                other[f"{name}.{s}"] = value
        upper, lower = get("upper", "") == "weak", get("lower", "") == "weak"
        if upper or lower:
            face[s] = (upper, lower)
        eye = get("eyes", "normal")
        if eye != "normal":
            eyes[s] = eye
        segment = get("level", "none")
        if segment != "none":
            level[s] = segment
        areas = get("numb", ())
        # One code (older findings) or a list of codes per side.
        codes = tuple(a for a in ((areas,) if isinstance(areas, str) else areas) if a != "none")
        if codes:
            numb[s] = codes
        if get("position", "normal") != "normal" or get("vibration", "normal") != "normal":
            position.add(s)
        pupil = get("pupils", "normal")
        if pupil != "normal":
            pupils[s] = pupil
    wasting, twitching, deviation, gait, romberg = (
        values[i] if i is not None else None for i in _TONGUE_AT)
    return Exam(
        weak=weak,
        stiff={limb for i, limb in _TONE_AT if values[i] == "spastic"},
        wasted=[(s, part) for i, s, part in _WASTING_AT if values[i]],
        twitching={limb for i, limb in _TWITCH_AT if values[i]},
        tongue_bulbar=bool(wasting or twitching),
        tongue_deviation=deviation or "none", face=face, eyes=eyes,
        level=level, numb=numb, position=position, pupils=pupils, gait=gait or "normal",
        romberg=romberg or "negative", other=other,
    )


# The domain of each single finding (a negative of the domain is then never said).
_OTHER_DOMAINS = {"speech": "speech", "swallowing": "swallowing", "language": "language",
                  "neglect": "attention", "visual_fields": "vision", "bladder": "bladder",
                  "suspended_loss": "sensory", "cortical_sensation": "sensory"}


# --- deficits: what the patient notices, ranked -----------------------------------------------


class Words(dict):
    """Template words; a placeholder a template has no word for reads as nothing."""

    __slots__ = ()

    def __missing__(self, key: str) -> str:
        return ""


_SINGULAR = {"s": "s", "es": "es", "is": "is", "has": "has", "was": "was", "it": "it",
             "its": "its", "them": "it", "they": "it"}
_PLURAL = {"s": "", "es": "", "is": "are", "has": "have", "was": "were", "it": "they",
           "its": "their", "them": "them", "they": "they"}
PERSON: dict[str, dict[str, str]] = {
    "male": {"he": "he", "He": "He", "his": "his", "His": "His", "him": "him",
             "himself": "himself"},
    "female": {"he": "she", "He": "She", "his": "her", "His": "Her", "him": "her",
               "himself": "herself"},
}
# The pronouns and verb agreement together, by sex and then plural (False, True): each template's
# words start from one of these (one copy instead of two updates).
_PERSON_NUMBER: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    sex: ({**pronouns, **_SINGULAR}, {**pronouns, **_PLURAL}) for sex, pronouns in PERSON.items()}


@dataclass(slots=True)
class Deficit:
    kind: str  # a phrasebook deficit kind, or "symptom"
    rank: float  # how much it troubles the patient, 0..10
    domain: str
    limbs: frozenset[Limb]  # the limbs its words name
    words: tuple[dict[str, str], bool]  # its own words, and whether they are plural
    options: tuple[str, ...] = ()  # 'area' or 'level' words to pick from per patient
    option_key: str = ""
    symptom: Symptom | None = None
    # Its templates: as a noun phrase, in the present tense, in the patient's words.
    np: list[str] = field(default_factory=list)
    now: list[str] = field(default_factory=list)
    says: list[str] = field(default_factory=list)


def _words(specific: dict[str, str], plural: bool) -> tuple[dict[str, str], bool]:
    """A deficit's own words (limb, part, side...), and whether its verbs agree in the plural;
    the patient's pronouns join them when a template is filled."""
    return specific, plural


_PART_NOUNS = {"shoulder": ("shoulder", "shoulders"), "hand": ("hand", "hands"),
               "foot": ("foot", "feet"), "thigh": ("thigh", "thighs"), "knee": ("knee", "knees"),
               "eyelid": ("eyelid", "eyelids"), "arm_proximal": ("upper arm", "upper arms"),
               "arm_distal": ("hand", "hands"), "leg_proximal": ("thigh", "thighs"),
               "leg_distal": ("lower leg", "lower legs"), "forearm": ("forearm", "forearms")}
_FOREARM = frozenset({"wrist_extension", "finger_extension"})
# The part whose words carry the pattern (and with which the verbs agree).
_KIND_PART = {"shoulder": "shoulder", "wrist_drop": "hand", "wrist_weak": "hand",
              "finger_drop": "hand", "hand": "hand", "thumb": "hand", "fingers": "hand",
              "thigh": "thigh", "knee": "knee",
              "foot_drop": "foot", "trip": "foot", "push_off": "foot"}


def limb_noun(limbs: frozenset[Limb] | set[Limb]) -> tuple[str, bool]:
    """The limbs as a patient names them ("right arm and leg", "legs"), and whether plural."""
    arms = {s for s, limb in limbs if limb == "arm"}
    legs = {s for s, limb in limbs if limb == "leg"}
    both = set(A.SIDES)
    if arms == both and legs == both:
        return "arms and legs", True
    if len(arms) == 1 and arms == legs:
        return f"{next(iter(arms))} arm and leg", True
    pieces = []
    for sides, limb in ((arms, "arm"), (legs, "leg")):
        if sides == both:  # "his legs", but "his right arm and both legs"
            pieces.append(f"both {limb}s" if pieces else f"{limb}s")
        elif sides:
            pieces.append(f"{next(iter(sides))} {limb}")
    return " and ".join(pieces), len(pieces) > 1 or pieces[0].endswith("s")


def _part_noun(sides: set[str], part: str) -> tuple[str, bool]:
    one, many = _PART_NOUNS[part]
    if len(sides) == 2:
        return many, True
    return f"{next(iter(sides))} {one}", False


def _hands_and_feet(arms: set[str], legs: set[str]) -> str:
    """'hands and feet', 'right hand and both feet' (the sides as limb_noun names them)."""
    pieces = []
    for sides, (one, many) in ((arms, _PART_NOUNS["hand"]), (legs, _PART_NOUNS["foot"])):
        if len(sides) == 2:
            pieces.append(f"both {many}" if pieces and len(arms) < 2 else many)
        elif sides:
            pieces.append(f"{next(iter(sides))} {one}")
    return " and ".join(pieces)


_ONE_JOINT = (("shoulder", frozenset({"shoulder_abduction", "shoulder_external_rotation"})),
              ("elbow_bend", frozenset({"elbow_flexion"})),
              ("elbow_straighten", frozenset({"elbow_extension"})))


def _arm_kind(g: dict[str, int]) -> str:
    """The pattern of an arm's weakness: what the patient notices (ref §5.12-§5.14)."""
    def grade(mv: str) -> int:
        return g.get(mv, 5)
    proximal = min((v for m, v in g.items() if m not in _DISTAL), default=5)
    distal = min((v for m, v in g.items() if m in _DISTAL), default=5)
    hand = min(grade("finger_abduction"), grade("thumb_abduction"), grade("finger_flexion"))
    if grade("wrist_extension") <= 3 and proximal >= 3 and hand >= grade("wrist_extension") + 2:
        # The hand itself is strong: the wrist hangs (ref §7 pitfall 8), but only when it cannot
        # be lifted against gravity; at 3/5 it lifts, and is only weak.
        return "wrist_drop" if grade("wrist_extension") <= 2 else "wrist_weak"
    if grade("finger_extension") <= 3 and grade("wrist_extension") >= 4 and proximal >= 4 \
            and grade("finger_extension") <= hand:
        return "finger_drop"  # only when the fingers' lift is the worst (not a weak grip)
    if proximal <= 3 and distal >= 4:
        if grade("shoulder_abduction") <= 3:
            return "shoulder"
        if grade("elbow_flexion") <= 3:
            return "elbow_bend"
        if grade("elbow_extension") <= 3:
            return "elbow_straighten"
    weak = set(g)  # only one joint's movements weak, however slightly
    for kind, movements in _ONE_JOINT:
        if weak <= movements:
            return kind
    if distal <= 4 and proximal >= 4 and distal < proximal:
        weak_distal = {m for m in g if m in _DISTAL}
        if weak_distal == {"thumb_abduction"}:
            return "thumb"
        if weak_distal <= {"finger_abduction", "finger_flexion"} and \
                grade("finger_abduction") <= 4 and grade("finger_flexion") >= 4:
            return "fingers"
        return "hand"
    return "weak" if min(proximal, distal) <= 3 else "heavy"


def _leg_kind(g: dict[str, int]) -> str:
    def grade(mv: str) -> int:
        return g.get(mv, 5)
    proximal = min((v for m, v in g.items() if m not in _DISTAL), default=5)
    distal = min((v for m, v in g.items() if m in _DISTAL), default=5)
    lift = min(grade("ankle_dorsiflexion"), grade("great_toe_extension"))
    if distal <= 3 and proximal >= 4 and lift <= 3:
        # A foot that cannot be lifted against gravity has dropped; at 3/5 it lifts, and only
        # catches on kerbs when tired.
        return "foot_drop" if grade("ankle_dorsiflexion") <= 2 else "trip"
    if proximal <= 3 and distal >= 4:
        return "knee" if grade("knee_extension") <= 3 and grade("hip_flexion") >= 4 else "thigh"
    if distal <= 4 and proximal == 5:
        if min(grade("ankle_dorsiflexion"), grade("great_toe_extension")) <= 4:
            return "trip"
        return "push_off"
    return "weak" if min(proximal, distal) <= 3 else "heavy"


def limb_deficits(exam: Exam) -> list[Deficit]:
    if not exam.weak:
        if exam.stiff:
            noun, plural = limb_noun(exam.stiff)
            return [Deficit("stiff", 4.0, "limbs", frozenset(exam.stiff),
                            _words({"limb": noun, "part": noun}, plural))]
        return []
    worst = {limb: min(g.values()) for limb, g in exam.weak.items()}
    lowest = min(worst.values())
    # The limbs the complaint is about: the weakest, and any others nearly as weak (a patient's
    # own variation makes a symmetric weakness a grade worse on one side now and then).
    main = frozenset(limb for limb, w in worst.items() if w <= max(lowest + 1, 3))
    if any(all((s, limb) in main for s in A.SIDES) for limb in A.LIMBS):
        # A symmetric weakness (both legs, or both arms): the other side's limb nearly as weak
        # as its fellow is part of it, not a second illness ("her right arm and both legs" then
        # "later her left arm" of a neuropathy's two weak hands).
        main |= {(s, limb) for (s, limb), w in worst.items()
                 if (A.other_side(s), limb) in main and w <= worst[(A.other_side(s), limb)] + 1}
    minor = frozenset(worst) - main
    kinds = {limb: (_arm_kind if limb[1] == "arm" else _leg_kind)(exam.weak[limb])
             for limb in main}
    grades = [g for limb in main for g in exam.weak[limb].values()]
    arms = {s for s, limb in main if limb == "arm"}
    legs = {s for s, limb in main if limb == "leg"}
    movements = sum(_MOVEMENT_COUNT[limb] for _, limb in main)
    if sum(1 for g in grades if g == 0) == movements:
        kind = "paralysed_total"  # not a flicker anywhere: only now "not a flicker of movement"
    elif sum(1 for g in grades if g <= 1) >= 0.6 * movements:
        kind = "paralysed"
    elif ((arms and legs) or len(set(kinds.values())) > 1) and \
            all(m in _DISTAL for limb in main for m in exam.weak[limb]):
        kind = "distal"  # hands and feet, the arms and legs above them strong (ref §5.16)
    elif arms == legs == set(A.SIDES) and all(
            g >= 4 for limb in main for m, g in exam.weak[limb].items() if m in _DISTAL):
        kind = "proximal"
    elif len(set(kinds.values())) == 1 and (not arms or not legs):
        kind = next(iter(kinds.values()))  # one limb, or both arms / both legs alike
    else:
        kind = "weak" if lowest <= 3 else "heavy"
    limb_words, plural = limb_noun(main)
    words = {"limb": limb_words, "part": limb_words}
    part = _KIND_PART.get(kind)
    if part:
        words["part"], plural = _part_noun(arms or legs, part)
    elif kind == "distal":
        words["part"], plural = _hands_and_feet(arms, legs), True
    if len({s for s, _ in main}) == 1:
        words["side"] = next(iter(main))[0]
        words["other_side"] = A.other_side(words["side"])  # type: ignore[arg-type]
    rank = (9.5 if kind.startswith("paralysed") else 9.0 if lowest <= 2 else 8.0 if lowest == 3
            else 5.5) + (0.3 if legs else 0.0)
    out = [Deficit(kind, rank, "limbs", main, _words(words, plural))]
    stiff = exam.stiff & main
    if stiff == main:  # told right after the weakness, about the same limbs: "..., and it is stiff"
        out.append(Deficit("stiff_too", rank - 0.01, "limbs", main, _words(words, plural)))
    elif stiff:
        noun, stiff_plural = limb_noun(stiff)
        out.append(Deficit("stiff", 3.5, "limbs", frozenset(stiff),
                           _words({"limb": noun, "part": noun}, stiff_plural)))
    if minor:
        noun, minor_plural = limb_noun(minor)
        out.append(Deficit("minor", 2.5, "limbs", minor,
                           _words({"limb": noun, "part": noun}, minor_plural)))
    return out


_LANDMARKS = (("C5", "neck"), ("T2", "shoulders"), ("T7", "chest"), ("T10", "ribs"),
              ("T12", "waist"), ("L2", "groin"))


def _landmark(segment: str) -> str:
    index = A.SEGMENT_INDEX[segment]
    for below, name in _LANDMARKS:
        if index < A.SEGMENT_INDEX[below]:
            return name
    return "legs"


def _area_limb(code: str) -> str:
    if code in A.NERVES:
        return A.NERVES[code].limb or "arm"
    if code in A.PLEXUS_PARTS:
        return A.PLEXUS_PARTS[code][0]
    return "arm" if code.startswith("C") or code == "T1" else "leg"


def other_deficits(exam: Exam, book: Phrasebook) -> list[Deficit]:
    out: list[Deficit] = []

    def add(kind: str, rank: float, domain: str, limbs: frozenset[Limb] = frozenset(),
            plural: bool = False, options: tuple[str, ...] = (), option_key: str = "",
            **words: str) -> None:
        out.append(Deficit(kind, rank, domain, limbs, _words(words, plural), options,
                           option_key))

    # Face (ref §2.1): the whole half (nerve or nucleus), both halves, or the lower face only.
    whole = [s for s, (u, lo) in exam.face.items() if u and lo]
    if len(whole) == 2:
        add("face_both", 6.0, "face", plural=True)
    elif not whole and len(exam.face) == 2:  # both lower halves (bilateral upper motor neuron)
        add("face_both", 3.0, "face", plural=True)
    elif whole:
        add("face_droop", 7.0, "face", side=whole[0], other_side=A.other_side(whole[0]))  # type: ignore[arg-type]
    else:
        lower = [s for s, (u, lo) in exam.face.items() if lo]
        if lower:
            add("mouth_droop", 2.8, "face", side=lower[0])
    # Eyes
    palsy = [(s, e) for s, e in exam.eyes.items() if e in ("third_nerve_palsy",
                                                           "sixth_nerve_palsy")]
    if palsy:
        side, eye = palsy[0]
        add("eye_third" if eye == "third_nerve_palsy" else "eye_sixth", 7.8, "vision",
            side=side, other_side=A.other_side(side))  # type: ignore[arg-type]
    elif any(e not in ("ptosis", "normal") for e in exam.eyes.values()):
        add("diplopia", 7.5, "double_vision")  # eye movements weak, no one nerve's pattern
    if not palsy and any(e == "ptosis" for e in exam.eyes.values()):
        droop = {s for s, e in exam.eyes.items() if e == "ptosis"}
        noun, plural = _part_noun(droop, "eyelid")
        # The slight droop of a small pupil's eyelid (sympathetic) goes unnoticed.
        horner = all(exam.pupils.get(s) == "small" for s in droop)
        add("ptosis", 0.5 if horner else 6.5, "vision", plural=plural, part=noun,
            side=next(iter(droop)) if len(droop) == 1 else "")
    # Tongue and bulbar muscles: one half of the tongue (its nerve or nucleus: deviation, with
    # wasting later), or the bulbar muscles on both sides (wasting and twitching, no deviation).
    other = exam.other
    if exam.tongue_deviation != "none":
        add("tongue", 5.0 if exam.tongue_bulbar else 1.5, "speech", side=exam.tongue_deviation)
    elif exam.tongue_bulbar or (other.get("speech") and other.get("swallowing")):
        add("bulbar", 7.2, "speech")
    if not exam.tongue_bulbar and not (other.get("speech") and other.get("swallowing")):
        if "speech" in other and exam.tongue_deviation == "none":
            add("dysarthria", 5.0 if other["speech"] != "mild_dysarthria" else 3.0, "speech")
        if "swallowing" in other:
            add("dysphagia", 5.5, "swallowing")
    if "language" in other:
        add("aphasia", 6.0, "language")
    if "neglect" in other:
        add("neglect", 1.5, "attention", side=other["neglect"])
    if "visual_fields" in other:
        add("hemianopia", 4.5, "vision", side=other["visual_fields"].split("_")[0])
    if other.get("bladder") == "retention":
        add("retention", 6.5, "bladder")
    elif other.get("bladder") == "reflex":
        add("reflex_bladder", 4.5, "bladder")
    elif other.get("bladder") == "urgency":
        add("urgency", 4.0, "bladder")
    for side in A.SIDES:
        if f"suspended_loss.{side}" in other:
            add("numb_cape", 5.0, "sensory", frozenset({(side, "arm")}), side=side)
            break
    for side in A.SIDES:
        where = other.get(f"cortical_sensation.{side}")
        if where:
            limb = {"face_arm": "arm", "leg": "leg"}.get(where, "side")
            add("numb_cortical", 3.5, "sensory",
                frozenset((side, lb) for lb in A.LIMBS if limb in (lb, "side")),
                limb=f"{side} {limb}", side=side)
    # Sensation
    if len(exam.level) == 2:
        segment = min(exam.level.values(), key=A.SEGMENT_INDEX.__getitem__)
        add("level", 7.0, "sensory", frozenset(limb for limb in LIMBS if limb[1] == "leg"),
            options=tuple(book.level[_landmark(segment)]), option_key="level")
    elif exam.level:
        side, segment = next(iter(exam.level.items()))
        arm = A.SEGMENT_INDEX[segment] < A.SEGMENT_INDEX["T1"]
        add("numb_leg", 4.0, "sensory",
            frozenset({(side, "leg"), *([(side, "arm")] if arm else [])}),
            limb=f"{side} side" if arm else f"{side} leg", side=side)
    seen: set[str] = set()
    for side, codes in exam.numb.items():
        for code in codes:
            if code in seen:
                continue
            seen.add(code)
            both = all(code in exam.numb.get(s, ()) for s in A.SIDES)
            if code in ("stocking", "stocking_glove"):
                add("numb_feet", 5.0, "sensory", frozenset(
                    limb for limb in LIMBS if limb[1] == "leg" or code == "stocking_glove"),
                    plural=True, options=tuple(book.numb[code]), option_key="area")
            elif code == "saddle":
                add("saddle", 6.5, "sensory")
            elif code == "hemibody":
                add("numb_half", 4.5, "sensory", frozenset({(side, "arm"), (side, "leg")}),
                    side=side)
            else:
                sides = set(A.SIDES) if both else {side}
                areas = tuple(" ".join(a.format(side="" if both else side).split())
                              for a in book.numb[code])
                add("numb", 4.5, "sensory", frozenset((s, _area_limb(code)) for s in sides),
                    options=areas, option_key="area", side=side)
    # Swaying with the eyes shut, unsure in the dark: only with the Romberg sign or the gait of a
    # sensory ataxia on examination (vibration lost at the toes alone does not unsteady anyone).
    walks = all(min(g.values()) > 2 for limb, g in exam.weak.items() if limb[1] == "leg")
    if walks and (exam.romberg == "positive" or exam.gait == "sensory_ataxic"):
        add("unsteady", 4.5, "sensory")
    # Wasting and twitching, which patients and their families see.
    if exam.wasted:
        part = exam.wasted[0][1]
        sides = {s for s, p in exam.wasted if p == part}
        noun, plural = _part_noun(sides, part)
        weak_distal = {m for s in sides for m in exam.weak.get((s, "arm"), {}) if m in _DISTAL}
        if part == "arm_distal" and weak_distal and weak_distal <= _FOREARM:
            noun, plural = _part_noun(sides, "forearm")  # the extensors, not the hand
        add("wasting", 3.6, "limbs", frozenset((s, part.split("_")[0]) for s in sides),
            plural=plural, part=noun)
    if exam.twitching:
        noun, plural = limb_noun(exam.twitching)
        add("twitching", 3.2, "limbs", frozenset(exam.twitching), plural=plural, limb=noun)
    return out


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the writer reads off one set of findings (shared by every patient who has it)."""

    deficits: tuple[Deficit, ...]  # findings-derived, before the presentation's own symptoms
    domains: frozenset[str]  # abnormal on examination: negatives of these are never said
    focus: tuple[dict[str, str], bool]  # the words of the main limb deficit (for symptoms)
    limbs: int  # how many of the deficits are about the limbs' weakness


_ANALYSES: dict[tuple, Analysis] = {}
_ANALYSES_LIMIT = 20_000


def analyse(findings: dict, own_findings: dict | None, book: Phrasebook) -> Analysis:
    """The deficits these findings show; ``own_findings`` (a background illness present) keeps
    only what the lesion the story is about shows. Cached by the values read."""
    key = (finding_values(findings),
           None if own_findings is None else finding_values(own_findings), id(book))
    found = _ANALYSES.get(key)
    if found is None:
        if len(_ANALYSES) >= _ANALYSES_LIMIT:
            _ANALYSES.clear()
        exam = read_exam(key[0])
        told = exam if key[1] is None else exam.restricted_to(read_exam(key[1]))
        limbs = limb_deficits(told)
        deficits = limbs + other_deficits(told, book)
        for d in deficits:
            words = book.deficits[d.kind]
            d.np, d.now, d.says = words.np, words.now, words.says
        focus_words: dict[str, str] = {"limb": "", "part": ""}
        plural = False
        if limbs:
            focus_words, plural = limbs[0].words
        elif deficits and deficits[0].limbs:
            focus_words["limb"], plural = limb_noun(deficits[0].limbs)
            focus_words["part"] = focus_words["limb"]
        found = _ANALYSES[key] = Analysis(tuple(deficits), exam.domains(),
                                          _words(focus_words, plural), len(limbs))
    return found


# --- the words --------------------------------------------------------------------------------

_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def spelt(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    if n >= 100:
        return str(n)
    tens, units = divmod(n, 10)
    return _TENS[tens] + (f"-{_UNITS[units]}" if units else "")


def time_words(days: float) -> tuple[str, str]:
    """(number, unit) for how long ago: ("three", "days"), ("a", "week")."""
    if days < 1:
        n, unit = max(1, round(days * 24)), "hour"
    elif days < 14:
        n, unit = round(days), "day"
    elif days < 60:
        n, unit = round(days / 7), "week"
    elif days < 730:
        n, unit = round(days / 30.4), "month"
    else:
        n, unit = round(days / 365), "year"
    if n == 1:
        return ("an" if unit == "hour" else "a"), unit
    return spelt(n), unit + "s"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def join(items: list[str], conjunction: str = "and") -> str:
    """'a, b and c'; with a comma (or semicolons) when the items have commas of their own."""
    if len(items) <= 1:
        return "".join(items)
    if any("," in item for item in items):
        return "; ".join(items[:-1]) + f"; {conjunction} " + items[-1] if len(items) > 2 \
            else f"{items[0]}, {conjunction} {items[1]}"
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def a_or_an(noun: str) -> str:
    vowel = noun[:1].lower() in "aeiou" and not noun.lower().startswith(("uni", "use", "eu"))
    return ("an " if vowel else "a ") + noun


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text[-1:] in ".!?\"" else text + "."


class Picker:
    """Choices drawn from one pool of random bits: a draw costs a division, not a call into the
    random module (a patient makes some thirty of them)."""

    __slots__ = ("bits", "rng")

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.bits = 0

    def index(self, n: int) -> int:
        if self.bits < 1 << 24:
            self.bits = self.rng.getrandbits(60) | 1 << 60
        self.bits, i = divmod(self.bits, n)
        return i

    def __call__(self, options):
        return options[0] if len(options) == 1 else options[self.index(len(options))]

    def chance(self, share: float) -> bool:
        return share >= 1 or (share > 0 and self.index(1000) < share * 1000)


@dataclass(frozen=True, slots=True)
class Person:
    sex: str
    age: int
    occupation: Occupation | None


@dataclass(slots=True)
class Story:
    """What the generator decided; the writer tells it."""

    presentation: Presentation
    person: Person
    lesion_side: str  # of the lesion the answer is about
    onset_days: float
    onset_age: int | None  # began at this age (childhood illness)
    cause: Cause | None
    cause_told: bool
    extra_history: str | None  # a background illness, already in words


# The shortest time since onset that each tempo can be told over ("crept on over weeks" is not
# said of something nine days old): a slower tempo falls back to the next faster one.
_TEMPO_MIN_DAYS = {"injury": 0.0, "found": 0.0, "sudden": 0.0, "hours": 0.0, "days": 2.0,
                   "weeks": 21.0, "months": 60.0, "years": 365.0}
_FASTER = {"years": "months", "months": "weeks", "weeks": "days", "days": "hours"}


def tempo_of(story: Story) -> str:
    if story.onset_age is not None:
        return "at_age"
    tempo = (story.cause.tempo if story.cause and story.cause.tempo else
             story.presentation.course.tempo)
    while story.onset_days < _TEMPO_MIN_DAYS[tempo]:
        tempo = _FASTER[tempo]
    return tempo


_GRADUAL = frozenset({"days", "weeks", "months", "years"})
# The earliest a deficit built up at this tempo is told as recovering from its worst.
_TURNS_AFTER_DAYS = {"days": 7.0, "weeks": 28.0}


def course_of(story: Story) -> str:
    """The phrasebook's course for this patient: 'worsening' only before the peak; a deficit that
    built up over days or weeks and then stayed is 'settled' (not "no change in the nine days
    since" after "it worsened day by day"), and one that then improved is 'recovering'."""
    then = story.cause.then if story.cause and story.cause.then else \
        story.presentation.course.then
    if story.onset_days < 1:
        return "early"
    if then == "stable" and tempo_of(story) in _GRADUAL:
        return "settled"
    if then == "improving" and tempo_of(story) in _GRADUAL:
        # Better since its worst, not "over the nine days since" it began; but a deficit that
        # built up over days has not turned within its first week (nor one of weeks within a
        # month): "built up over several days ... coming back", four days on, tells two stories.
        return "recovering" if story.onset_days >= _TURNS_AFTER_DAYS.get(tempo_of(story), 0.0) \
            else "worsening"
    if then == "peak_then_stable":
        return "worsening" if story.onset_days < (story.presentation.course.peak_days or 0) \
            else "settled"
    return then


def write(story: Story, findings: dict, book: Phrasebook, people: People,
          pick: Picker, own_findings: dict | None = None) -> tuple[str, str]:
    """(complaint, history) for this patient. ``findings`` are what the student will find;
    ``own_findings``, when the patient has a background illness too, those of the lesion the
    story is about (the complaint and the story are about that one)."""
    p = story.presentation
    sex = story.person.sex
    analysis = analyse(findings, own_findings, book)
    deficits, negatives = _plan(p, analysis)
    singular, plural_words = _PERSON_NUMBER[sex]
    focus_words, focus_plural = analysis.focus
    symptoms = [s for s in p.symptoms
                if s.min_days <= story.onset_days <= s.max_days and pick.chance(s.share)
                and (s.lesion_sides is None or story.lesion_side in s.lesion_sides)
                and (not s.findings or any(str(findings.get(k)) in s.values
                                           for k in s.findings))]
    if symptoms:
        # A symptom in the presentation's own words replaces the writer's words for a finding
        # of the same domain (its dysarthria, its retention of urine).
        domains = {s.domain for s in symptoms}
        deficits = sorted([*(d for d in deficits if d.domain not in domains or
                             d.domain == "limbs"),
                           *(Deficit("symptom", s.rank, s.domain, frozenset(), analysis.focus,
                                     symptom=s, np=s.np, now=s.now, says=s.says)
                             for s in symptoms)], key=_by_rank)
        negatives = [n for n in negatives if n.domain not in domains]
    if course_of(story) in ("improving", "recovering"):
        # "Not a flicker of movement" is never said beside "some recovery".
        still = book.deficits["paralysed"]
        deficits = [d if d.kind != "paralysed_total" else
                    replace(d, kind="paralysed", np=still.np, now=still.now, says=still.says)
                    for d in deficits]
    n_unit = time_words(story.onset_days)
    story_words = Words(plural_words if focus_plural else singular)
    story_words.update(focus_words)
    story_words["lesion_side"] = story.lesion_side if story.lesion_side != "bilateral" else ""
    story_words["span"] = f"{n_unit[0]} {n_unit[1]}"
    story_words["Span"] = cap(story_words["span"])
    step = step_of(story.onset_days)
    story_words["step"] = step or ""
    # One companion through the story: who brought the patient is who tells what they cannot.
    story_words["relative"] = pick(_relatives(people, story.person.age))

    def words(d: Deficit) -> Words:
        specific, plural = d.words
        w = Words(plural_words if plural else singular)
        w.update(specific)
        if d.options:
            w[d.option_key] = pick(d.options)
        return w

    # The complaint: the most troublesome deficit the patient can name; a second of another
    # kind, nearly as troublesome, joins it.
    said = [d for d in deficits if d.says]
    if said:
        chief = said[0]
        chief_words = words(chief)
        complaint = _sentence(pick(chief.says).format_map(chief_words))
        for other in said[1:3]:
            if other.domain != chief.domain and other.rank >= chief.rank - 1.5 and \
                    not (other.limbs and chief.limbs) and pick.chance(0.6):
                second = _sentence(pick(other.says).format_map(words(other)))
                if chief_words["limb"] and chief_words["limb"] in second:
                    break  # not "my right leg is weak, and pain shoots down my right leg"
                if not second.startswith(("I ", "I'")):
                    second = second[0].lower() + second[1:]
                complaint = complaint[:-1] + ", and " + second
                break
    else:
        complaint = "I haven't been right."

    sentences: list[str] = []
    # 1. How it began.
    first = deficits[0] if deficits else None
    if p.first:
        first_np = pick(p.first).format_map(story_words)
    elif first is not None and first.np:
        first_np = pick(first.np).format_map(words(first))
    else:
        first_np = "the trouble"
    tempo = tempo_of(story)
    when = _when(story, book, pick, n_unit)
    frames = book.onset[tempo]  # type: ignore[index]
    circumstance = ","
    circumstances = (story.cause.circumstances if story.cause and story.cause.circumstances
                     else p.circumstances)
    if circumstances is p.circumstances and circumstances and tempo in ("sudden", "hours"):
        circumstances = circumstances + book.everyday_circumstances
        if _works(story.person):  # no stroke "at work" in a woman retired for years
            circumstances = circumstances + book.working_circumstances
    if circumstances and tempo != "at_age" and pick.chance(0.75):
        circumstance = ", " + pick(circumstances).format_map(story_words) + ","
        if tempo in ("sudden", "hours"):
            frames = book.circumstance_frames + frames
    frame = pick(frames)
    if "{circumstance}" not in frame:
        circumstance = ","
    opening = Words(story_words)
    opening.update(When=cap(when), when=when, first=first_np, First=cap(first_np),
                   circumstance=circumstance)
    sentences.append(_sentence(frame.format_map(opening)))
    # 2. What caused it, as the patient tells it (or not, when the history is vague).
    if story.cause is not None:
        told = story.cause.told if story.cause_told else story.cause.vague
        if told:
            sentences.append(_sentence(pick(told).format_map(story_words)))
    # 3. Now: the deficits the patient notices, then how it has gone since.
    # What the patient tells now: the most troublesome few (not what they would not notice).
    shown = [d for d in deficits[:5] if (d.kind != "minor" or len(deficits) < 4)
             and (d.rank >= 1 or d is deficits[0])]
    shown = shown[:4] if any(d.kind == "stiff_too" for d in shown[:2]) else shown[:3]
    minor = next((d for d in analysis.deficits if d.kind == "minor"), None)
    if minor is not None and course_of(story) == "progressive" and pick.chance(0.6):
        spread = Words(words(minor))
        spread["span"] = story_words["span"]
        sentences.append(_sentence(pick(_for_span(book.spread, n_unit, step)).format_map(spread)))
        shown = [d for d in shown if d is not minor]
    clauses = [pick(d.now).format_map(words(d)) for d in shown]
    if clauses:
        lead = pick(book.now_lead if story.onset_days < 14
                    else book.now_lead + book.now_lead_later)
        joined = join(clauses)
        sentences.append(_sentence(joined if lead == "-" else f"{lead} {joined}"))
    course = _for_span(book.course[course_of(story)], n_unit, step)  # type: ignore[index]
    sentences.append(_sentence(pick(course).format_map(story_words)))
    # 4. Pertinent negatives the findings allow; who the patient is; a background illness.
    tail: list[str] = []
    allowed = list(negatives)
    if allowed:
        count = min(len(allowed), 3 if pick.chance(0.3) else 2)
        chosen = []
        while len(chosen) < count:
            n = allowed.pop(pick.index(len(allowed)))
            chosen.append(pick(n.say).format_map(story_words))
        listed = Words(story_words)
        listed["list"] = join(chosen, "or")
        # A patient without words does not "deny": those with them have noticed nothing.
        frames = book.negatives_told if "language" in analysis.domains else book.negatives
        tail.append(_sentence(pick(frames).format_map(listed)))
    background = _background(story, people, book, pick, story_words)
    if background:
        tail.append(background)
    if story.extra_history:
        tail.append(_sentence(story.extra_history))
    for i in range(len(tail) - 1, 0, -1):  # in any order
        j = pick.index(i + 1)
        tail[i], tail[j] = tail[j], tail[i]
    sentences += tail
    # Why now: not for a long-settled deficit (a paraplegia of three years is not "brought in").
    settled = story.onset_days > 180 and p.course.then in ("stable", "improving")
    if not settled and pick.chance(0.4):
        severe = bool(deficits) and deficits[0].rank >= _SEVERE_RANK
        sentences.append(_presenting(story, people, pick, story_words,
                                     followup=tempo in _AT_ONCE,
                                     mild=not severe and tempo in _GRADUAL))
    if "language" in analysis.domains:  # the story of a patient who struggles for words
        sentences.append(_sentence(pick(people.told_by).format_map(story_words)))
    return complaint, " ".join(sentences)


# A deficit this troubling (a limb barely lifted, double vision, a dropped face) is not put off
# for months nor first mentioned at a routine check; one that struck at once was seen at the time.
_SEVERE_RANK = 6.5
_AT_ONCE = frozenset({"sudden", "injury", "hours"})


_SPAN_FIT: dict[tuple[int, bool, bool], list[str]] = {}

# The unit a course is measured in ("a little less each {step}"): the next unit down from the
# span, so that there are always several of them in it (not "each month" of four weeks).
_STEPS = ((2.0, None), (21.0, "day"), (90.0, "week"), (1095.0, "month"))


def step_of(days: float) -> str | None:
    """The unit of change over ``days`` since onset: 'day', 'week', 'month' or 'year' (None for
    less than two days, which has no steps)."""
    for below, step in _STEPS:
        if days < below:
            return step
    return "year"


def _for_span(templates: list[str], n_unit: tuple[str, str], step: str | None) -> list[str]:
    """Templates that read right for this span: "over the {span}" is not said of "a day", nor
    "each {step}" of a span too short to have steps."""
    one = n_unit[0] in ("a", "an")
    key = (id(templates), one, step is None)
    found = _SPAN_FIT.get(key)
    if found is None:
        found = _SPAN_FIT[key] = [
            t for t in templates
            if not (one and ("the {span}" in t or "whole {span}" in t))
            and not (step is None and "{step}" in t)] or templates
    return found


def _by_rank(d: Deficit) -> float:
    return -d.rank


_PLANS: dict[tuple, tuple[list[Deficit], list]] = {}


def _plan(p: Presentation, analysis: Analysis) -> tuple[list[Deficit], list]:
    """The deficits in the order they trouble this presentation's patients, and the negatives
    the findings allow (cached per presentation and analysis)."""
    key = (p.id, id(analysis))
    found = _PLANS.get(key)
    if found is None or found[2] is not analysis:  # type: ignore[misc]
        if len(_PLANS) >= _ANALYSES_LIMIT:
            _PLANS.clear()
        deficits = [d if d.kind not in p.ranks else
                    Deficit(d.kind, p.ranks[d.kind], d.domain, d.limbs, d.words, d.options,
                            d.option_key, d.symptom, d.np, d.now, d.says)
                    for d in analysis.deficits]
        deficits.sort(key=_by_rank)
        ruled_out = analysis.domains | {d.domain for d in deficits}
        negatives = [n for n in p.negatives if n.domain is None or n.domain not in ruled_out]
        found = _PLANS[key] = (deficits, negatives, analysis)  # type: ignore[assignment]
    return found[0], found[1]


def _when(story: Story, book: Phrasebook, pick: Picker, n_unit: tuple[str, str]) -> str:
    person = PERSON[story.person.sex]
    if story.onset_age is not None:
        return pick(book.when_at_age).format(n=spelt(story.onset_age), **person)
    frames = book.when_today if story.onset_days < 1 else book.when_ago
    return pick(frames).format(n=n_unit[0], unit=n_unit[1], **person)


def _works(person: Person) -> bool:
    job = person.occupation
    return job is not None and not job.studying and job.ages[0] <= person.age <= job.ages[1]


def _background(story: Story, people: People, book: Phrasebook, pick: Picker,
                story_words: Words) -> str | None:
    clauses: list[str] = []
    job = story.person.occupation
    age = story.person.age
    if job is not None:
        w = Words(story_words)
        w["job"], w["a_job"] = job.name, a_or_an(job.name)
        if age > job.ages[1] and job.retires:
            clauses.append(pick(people.retired).format_map(w))
        elif job.ages[0] <= age <= job.ages[1]:
            clauses.append(pick(people.studying if job.studying else people.works).format_map(w))
    for rf in story.presentation.risk_factors:
        if rf.min_age <= age <= rf.max_age and (rf.sex is None or rf.sex == story.person.sex) \
                and pick.chance(rf.share) and len(clauses) < 4:
            clauses.append(pick(rf.say).format_map(story_words))
    if not clauses:
        return None
    w = Words(story_words)
    w["clauses"] = join(clauses)
    return _sentence(pick(book.background).format_map(w))


def _relatives(people: People, age: int) -> list[str]:
    return (people.relatives_young if age < 30 else people.relatives_adult if age < 60
            else people.relatives_old)


def _presenting(story: Story, people: People, pick: Picker, story_words: Words, *,
                followup: bool, mild: bool) -> str:
    """Why the patient comes now, as fits the phase and how disabling the illness is."""
    if story.onset_days < 1:
        lines = people.presenting_hyperacute
    elif story.onset_days <= 14:
        lines = people.presenting_acute
    elif followup:
        lines = people.presenting_followup
    elif mild:
        lines = people.presenting_chronic + people.presenting_chronic_mild
    else:
        lines = people.presenting_chronic
    return _sentence(pick(lines).format_map(story_words))
