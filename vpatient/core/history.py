"""The history writer: a complaint and a history composed from the patient's own findings.

It reads the findings generically (which limbs are weak and how, which parts are wasted, what is
numb, the face, the eyes, the tongue), ranks the deficits by how much they trouble a patient, and
tells them in the order a patient would: how it began (the tempo of the presentation), what
happened (the cause as the patient tells it, or nothing when the history is vague), how things are
now, how it has gone since (recovering, progressing, fluctuating, settled after a peak), the
pertinent negatives the findings allow, and who the patient is. The complaint names the most
troublesome deficit, with every weak limb of it.

Every sentence is put together from several independent choices (the words come from the
presentation files and ``phrases.toml``), so the same sentence rarely comes back. Pure: the data
are passed in; nothing is read here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

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

# --- reading the findings ---------------------------------------------------------------------

Limb = tuple[str, str]  # (side, "arm" | "leg")
LIMBS: tuple[Limb, ...] = tuple((s, limb) for s in A.SIDES for limb in A.LIMBS)

# Power keys of the limbs, read generically: whatever movements the findings vocabulary has.
_POWER_KEYS: tuple[tuple[str, Limb, str], ...] = tuple(
    (key, (spec.side, spec.region), key.rsplit(".", 1)[1])
    for key, spec in FINDING_SPECS.items()
    if spec.kind == "power" and spec.region in A.LIMBS and spec.side
)
_MOVEMENT_COUNT: dict[str, int] = {
    limb: sum(1 for _, (side, lb), _ in _POWER_KEYS if lb == limb and side == A.SIDES[0])
    for limb in A.LIMBS}
_DISTAL: frozenset[str] = frozenset(
    name for name, mv in A.MOVEMENTS.items() if mv.part.endswith("distal"))
_TONE_KEYS = tuple((f"tone.{s}.{limb}", (s, limb)) for s, limb in LIMBS
                   if f"tone.{s}.{limb}" in FINDING_SPECS)
_SIGN_KEYS = {sign: tuple((f"{sign}.{s}.{part}", s, part) for s in A.SIDES for part in A.PARTS
                          if f"{sign}.{s}.{part}" in FINDING_SPECS)
              for sign in ("wasting", "fasciculations")}


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
    position: set[str]  # sides with impaired position sense
    gait: str
    romberg: str

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
            gait=own.gait if self.gait != "normal" else "normal",
            romberg=own.romberg if self.romberg != "negative" else "negative",
        )

    def domains(self) -> set[str]:
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
        return out


def read_exam(f: dict) -> Exam:
    weak: dict[Limb, dict[str, int]] = {}
    for key, limb, movement in _POWER_KEYS:
        grade = f.get(key, 5)
        if grade < 5:
            weak.setdefault(limb, {})[movement] = grade
    stiff = {limb for key, limb in _TONE_KEYS if f.get(key) == "spastic"}
    wasted = [(s, part) for key, s, part in _SIGN_KEYS["wasting"] if f.get(key)]
    twitching = {(s, "arm" if part.startswith("arm") else "leg")
                 for key, s, part in _SIGN_KEYS["fasciculations"] if f.get(key)}
    face = {}
    eyes = {}
    level = {}
    numb = {}
    position = set()
    for s in A.SIDES:
        upper, lower = f.get(f"face.{s}.upper") == "weak", f.get(f"face.{s}.lower") == "weak"
        if upper or lower:
            face[s] = (upper, lower)
        eye = f.get(f"eyes.{s}", "normal")
        if eye != "normal":
            eyes[s] = eye
        segment = f.get(f"sensory_level.{s}", "none")
        if segment != "none":
            level[s] = segment
        areas = f.get(f"numb_area.{s}", "none")
        # One code today; a list of codes once the engine maps several areas per side.
        codes = tuple(a for a in ((areas,) if isinstance(areas, str) else areas) if a != "none")
        if codes:
            numb[s] = codes
        if f.get(f"position_sense.{s}", "normal") != "normal":
            position.add(s)
    return Exam(
        weak=weak, stiff=stiff, wasted=wasted, twitching=twitching,
        tongue_bulbar=bool(f.get("wasting.tongue") or f.get("fasciculations.tongue")),
        tongue_deviation=f.get("tongue.deviation", "none"), face=face, eyes=eyes,
        level=level, numb=numb, position=position, gait=f.get("gait", "normal"),
        romberg=f.get("romberg", "negative"),
    )


# --- deficits: what the patient notices, ranked -----------------------------------------------


@dataclass(slots=True)
class Deficit:
    kind: str  # a phrasebook deficit kind, or "symptom"
    rank: float  # how much it troubles the patient, 0..10
    domain: str
    limbs: frozenset[Limb] = frozenset()  # the limbs its words name
    words: dict[str, str] = field(default_factory=dict)
    symptom: Symptom | None = None


_SINGULAR = {"s": "s", "es": "es", "is": "is", "has": "has", "was": "was", "it": "it",
             "its": "its", "them": "it", "they": "it"}
_PLURAL = {"s": "", "es": "", "is": "are", "has": "have", "was": "were", "it": "they",
           "its": "their", "them": "them", "they": "they"}
# Kinds whose templates take {part} (hand, foot, ...) as their subject; the rest take {limb}.
_PART_KINDS = frozenset({"shoulder", "wrist_drop", "finger_drop", "hand", "thumb", "fingers",
                         "thigh", "knee", "foot_drop", "trip", "push_off", "ptosis", "wasting"})
_PART_NOUNS = {"shoulder": ("shoulder", "shoulders"), "hand": ("hand", "hands"),
               "foot": ("foot", "feet"), "thigh": ("thigh", "thighs"), "knee": ("knee", "knees"),
               "eyelid": ("eyelid", "eyelids"), "arm_proximal": ("upper arm", "upper arms"),
               "arm_distal": ("hand", "hands"), "leg_proximal": ("thigh", "thighs"),
               "leg_distal": ("calf", "calves")}
_KIND_PART = {"shoulder": "shoulder", "elbow_bend": None, "elbow_straighten": None,
              "wrist_drop": "hand", "finger_drop": "hand", "hand": "hand", "thumb": "hand",
              "fingers": "hand", "thigh": "thigh", "knee": "knee", "foot_drop": "foot",
              "trip": "foot", "push_off": "foot"}


def _limb_noun(limbs: frozenset[Limb] | set[Limb], rng: random.Random) -> tuple[str, bool]:
    """The limbs as a patient names them, and whether the noun is plural."""
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


def _agree(words: dict[str, str], plural: bool) -> None:
    words.update(_PLURAL if plural else _SINGULAR)


def _arm_kind(g: dict[str, int]) -> str:
    """The pattern of an arm's weakness: what the patient notices first (ref §5.12-§5.14)."""
    def grade(mv: str) -> int:
        return g.get(mv, 5)
    proximal = min((v for m, v in g.items() if m not in _DISTAL), default=5)
    distal = min((v for m, v in g.items() if m in _DISTAL), default=5)
    hand = min(grade("finger_abduction"), grade("thumb_abduction"), grade("finger_flexion"))
    if grade("wrist_extension") <= 3 and proximal >= 3 and hand >= grade("wrist_extension") + 2:
        return "wrist_drop"  # the hand itself is strong: the wrist hangs (ref §7 pitfall 8)
    if grade("finger_extension") <= 3 and grade("wrist_extension") >= 4 and proximal >= 4:
        return "finger_drop"
    if proximal <= 3 and distal >= 4:
        if grade("shoulder_abduction") <= 3:
            return "shoulder"
        if grade("elbow_flexion") <= 3:
            return "elbow_bend"
        if grade("elbow_extension") <= 3:
            return "elbow_straighten"
    if distal <= 4 and proximal >= 4 and distal < proximal:
        weak_distal = {m for m in g if m in _DISTAL}
        if weak_distal == {"thumb_abduction"}:
            return "thumb"
        if weak_distal <= {"finger_abduction", "finger_flexion"} and \
                grade("finger_abduction") <= 4 and grade("finger_flexion") >= 4:
            return "fingers"
        return "hand"
    if proximal == 5 and distal == 5:
        return "heavy"
    if grade("elbow_extension") <= 3 and proximal < distal:
        return "elbow_straighten"
    if grade("elbow_flexion") <= 3 and proximal < distal:
        return "elbow_bend"
    return "weak" if min(proximal, distal) <= 3 else "heavy"


def _leg_kind(g: dict[str, int]) -> str:
    def grade(mv: str) -> int:
        return g.get(mv, 5)
    proximal = min((v for m, v in g.items() if m not in _DISTAL), default=5)
    distal = min((v for m, v in g.items() if m in _DISTAL), default=5)
    if distal <= 3 and proximal >= 4 and min(grade("ankle_dorsiflexion"),
                                             grade("great_toe_extension")) <= 3:
        return "foot_drop"
    if proximal <= 3 and distal >= 4:
        return "knee" if grade("knee_extension") <= 3 and grade("hip_flexion") >= 4 else "thigh"
    if distal <= 4 and proximal == 5:
        if min(grade("ankle_dorsiflexion"), grade("great_toe_extension")) <= 4:
            return "trip"
        return "push_off"
    return "weak" if min(proximal, distal) <= 3 else "heavy"


def limb_deficits(exam: Exam, rng: random.Random) -> list[Deficit]:
    if not exam.weak:
        if exam.stiff:
            noun, plural = _limb_noun(exam.stiff, rng)
            words = {"limb": noun, "part": noun}
            _agree(words, plural)
            return [Deficit("stiff", 4.0, "limbs", frozenset(exam.stiff), words)]
        return []
    worst = {limb: min(g.values()) for limb, g in exam.weak.items()}
    lowest = min(worst.values())
    main = frozenset(limb for limb, w in worst.items() if w <= max(lowest, 3))
    minor = frozenset(worst) - main
    merged: dict[str, int] = {}
    for limb in main:
        for mv, g in exam.weak[limb].items():
            merged[mv] = min(g, merged.get(mv, 5))
    kinds = {limb: (_arm_kind if limb[1] == "arm" else _leg_kind)(exam.weak[limb])
             for limb in main}
    grades = [g for limb in main for g in exam.weak[limb].values()]
    arms = {s for s, limb in main if limb == "arm"}
    legs = {s for s, limb in main if limb == "leg"}
    movements = sum(_MOVEMENT_COUNT[limb] for _, limb in main)
    if sum(1 for g in grades if g <= 1) >= 0.6 * movements:
        kind = "paralysed"
    elif arms == legs == set(A.SIDES) and all(
            g >= 4 for limb in main for m, g in exam.weak[limb].items() if m in _DISTAL):
        kind = "proximal"
    elif len(set(kinds.values())) == 1 and (not arms or not legs):
        kind = next(iter(kinds.values()))  # one limb, or both arms / both legs alike
    else:
        kind = "weak" if lowest <= 3 else "heavy"
    limb_noun, limb_plural = _limb_noun(main, rng)
    words = {"limb": limb_noun}
    part = _KIND_PART.get(kind)
    plural = limb_plural
    if part:
        words["part"], plural = _part_noun(arms or legs, part)
    else:
        words["part"] = limb_noun
    if len({s for s, _ in main}) == 1:
        words["side"] = next(iter(main))[0]
        words["other_side"] = A.other_side(words["side"])  # type: ignore[arg-type]
    _agree(words, plural)
    rank = (9.5 if kind == "paralysed" else 9.0 if lowest <= 2 else 8.0 if lowest == 3
            else 5.5) + (0.3 if legs else 0.0)
    out = [Deficit(kind, rank, "limbs", main, words)]
    stiff = exam.stiff & main
    if stiff == main:  # told right after the weakness, about the same limbs: "..., and it is stiff"
        out.append(Deficit("stiff_too", rank - 0.01, "limbs", main, dict(words)))
    elif stiff:
        noun, stiff_plural = _limb_noun(stiff, rng)
        stiff_words = {"limb": noun, "part": noun}
        _agree(stiff_words, stiff_plural)
        out.append(Deficit("stiff", 3.5, "limbs", frozenset(stiff), stiff_words))
    if minor:
        noun, minor_plural = _limb_noun(minor, rng)
        minor_words = {"limb": noun, "part": noun}
        _agree(minor_words, minor_plural)
        out.append(Deficit("minor", 2.5, "limbs", minor, minor_words))
    return out


_LANDMARKS = (("C5", "neck"), ("T2", "shoulders"), ("T7", "chest"), ("T10", "ribs"),
              ("T12", "waist"), ("L2", "groin"))


def _landmark(segment: str) -> str:
    index = A.SEGMENT_INDEX[segment]
    for below, name in _LANDMARKS:
        if index < A.SEGMENT_INDEX[below]:
            return name
    return "legs"


def other_deficits(exam: Exam, book: Phrasebook, rng: random.Random) -> list[Deficit]:
    out: list[Deficit] = []

    def add(kind: str, rank: float, domain: str, limbs: frozenset[Limb] = frozenset(),
            plural: bool = False, **words: str) -> None:
        _agree(words, plural)
        out.append(Deficit(kind, rank, domain, limbs, words))

    # Face (ref §2.1): the whole half (nerve or nucleus), both halves, or the lower face only.
    whole = [s for s, (u, lo) in exam.face.items() if u and lo]
    if len(whole) == 2:
        add("face_both", 6.0, "face", plural=True)
    elif whole:
        add("face_droop", 7.0, "face", side=whole[0], other_side=A.other_side(whole[0]))  # type: ignore[arg-type]
    else:
        lower = [s for s, (u, lo) in exam.face.items() if lo]
        if lower:
            add("mouth_droop", 2.8, "face", side=lower[0])
    # Eyes
    palsy = [(s, e) for s, e in exam.eyes.items() if e != "ptosis"]
    if palsy:
        side, eye = palsy[0]
        add("eye_third" if eye == "third_nerve_palsy" else "eye_sixth", 7.8, "vision",
            side=side, other_side=A.other_side(side))  # type: ignore[arg-type]
    elif exam.eyes:
        noun, plural = _part_noun(set(exam.eyes), "eyelid")
        add("ptosis", 6.5, "vision", plural=plural, part=noun,
            side=next(iter(exam.eyes)) if len(exam.eyes) == 1 else "")
    # Tongue and bulbar muscles: one half of the tongue (its nerve or nucleus: deviation, with
    # wasting later), or the bulbar muscles on both sides (wasting and twitching, no deviation).
    if exam.tongue_deviation != "none":
        add("tongue", 5.0 if exam.tongue_bulbar else 1.5, "speech",
            side=exam.tongue_deviation)
    elif exam.tongue_bulbar:
        add("bulbar", 7.2, "speech")
    # Sensation
    if len(exam.level) == 2:
        segment = min(exam.level.values(), key=A.SEGMENT_INDEX.__getitem__)
        add("level", 7.0, "sensory", frozenset(limb for limb in LIMBS if limb[1] == "leg"),
            level=rng.choice(book.level[_landmark(segment)]))
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
                    plural=True, area=rng.choice(book.numb[code]))
            elif code == "saddle":
                add("saddle", 6.5, "sensory")
            elif code == "hemibody":
                add("numb_half", 4.5, "sensory", frozenset({(side, "arm"), (side, "leg")}),
                    side=side)
            else:
                limb = _area_limb(code)
                sides = set(A.SIDES) if both else {side}
                area = rng.choice(book.numb[code]).format(side=side if not both else "")
                add("numb", 4.5, "sensory", frozenset((s, limb) for s in sides),
                    area=" ".join(area.split()), side=side)
    walks = all(min(g.values()) > 2 for limb, g in exam.weak.items() if limb[1] == "leg")
    if walks and (exam.position or exam.romberg == "positive" or exam.gait == "sensory_ataxic"):
        add("unsteady", 4.5, "sensory")
    # Wasting and twitching, which patients and their families see.
    if exam.wasted:
        part = exam.wasted[0][1]
        sides = {s for s, p in exam.wasted if p == part}
        noun, plural = _part_noun(sides, part)
        add("wasting", 3.6, "limbs", frozenset((s, part.split("_")[0]) for s in sides),
            plural=plural, part=noun)
    if exam.twitching:
        noun, plural = _limb_noun(exam.twitching, rng)
        add("twitching", 3.2, "limbs", frozenset(exam.twitching), plural=plural, limb=noun)
    return out


def _area_limb(code: str) -> str:
    if code in A.NERVES:
        return A.NERVES[code].limb or "arm"
    if code in A.PLEXUS_PARTS:
        return A.PLEXUS_PARTS[code][0]
    return "arm" if code.startswith("C") or code == "T1" else "leg"


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
    """'a, b and c'; with a serial comma (or semicolons) when the items have commas of their own."""
    if len(items) <= 1:
        return "".join(items)
    if any("," in item for item in items):
        return "; ".join(items[:-1]) + f"; {conjunction} " + items[-1] if len(items) > 2 \
            else f"{items[0]}, {conjunction} {items[1]}"
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def a_or_an(noun: str) -> str:
    vowel = noun[:1].lower() in "aeiou" and not noun.lower().startswith(("uni", "use", "eu"))
    return ("an " if vowel else "a ") + noun


def person_words(sex: str) -> dict[str, str]:
    if sex == "male":
        return {"he": "he", "He": "He", "his": "his", "His": "His", "him": "him",
                "himself": "himself"}
    return {"he": "she", "He": "She", "his": "her", "His": "Her", "him": "her",
            "himself": "herself"}


@dataclass(frozen=True)
class Person:
    sex: str
    age: int
    occupation: Occupation | None


@dataclass(frozen=True)
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


def _fill(template: str, words: dict[str, str]) -> str:
    return template.format_map(words)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    text = cap(text)
    return text if text.endswith((".", "!", "?", '"')) else text + "."


def _symptom_deficits(story: Story, focus: dict[str, str], rng: random.Random) -> list[Deficit]:
    out = []
    for s in story.presentation.symptoms:
        if not s.min_days <= story.onset_days <= s.max_days:
            continue
        if s.share < 1 and rng.random() >= s.share:
            continue
        out.append(Deficit("symptom", s.rank, s.domain, frozenset(), dict(focus), s))
    return out


def _np(d: Deficit, book: Phrasebook, rng: random.Random) -> str | None:
    if d.symptom is not None:
        return rng.choice(d.symptom.np) if d.symptom.np else None
    return rng.choice(book.deficits[d.kind].np)


def _now(d: Deficit, book: Phrasebook, rng: random.Random) -> str:
    if d.symptom is not None:
        return rng.choice(d.symptom.now)
    return rng.choice(book.deficits[d.kind].now)


def _says(d: Deficit, book: Phrasebook, rng: random.Random) -> str | None:
    options = d.symptom.says if d.symptom is not None else book.deficits[d.kind].says
    return rng.choice(options) if options else None


def write(story: Story, findings: dict, book: Phrasebook, people: People,
          rng: random.Random, own_findings: dict | None = None) -> tuple[str, str]:
    """(complaint, history) for this patient. ``findings`` are what the student will find;
    ``own_findings``, when the patient has a background illness too, those of the lesion the
    story is about (the complaint and the story are about that one)."""
    p = story.presentation
    person = person_words(story.person.sex)
    lesion_side = story.lesion_side if story.lesion_side != "bilateral" else ""
    exam = read_exam(findings)
    told = exam if own_findings is None else exam.restricted_to(read_exam(own_findings))
    limbs = limb_deficits(told, rng)
    deficits = limbs + other_deficits(told, book, rng)
    focus = dict(limbs[0].words) if limbs else (dict(deficits[0].words) if deficits else {})
    if not focus.get("limb") and deficits and deficits[0].limbs:
        focus["limb"], plural = _limb_noun(deficits[0].limbs, rng)
        _agree(focus, plural)
    focus.setdefault("limb", "")
    focus.setdefault("part", focus["limb"])
    _agree(focus, focus.get("is") == "are")
    deficits += _symptom_deficits(story, focus, rng)
    if p.ranks:
        for d in deficits:
            d.rank = p.ranks.get(d.kind, d.rank)
    deficits.sort(key=lambda d: -d.rank)

    def words_for(d: Deficit) -> dict[str, str]:
        w = {**person, **_SINGULAR, "side": "", "other_side": "", "limb": "", "part": "",
             "area": "", "level": ""}
        w.update(focus if d.symptom is not None else d.words)
        return w

    def fill(template: str, d: Deficit | None = None, **extra: str) -> str:
        w = words_for(d) if d is not None else {**person, **focus, "side": focus.get("side", "")}
        w.setdefault("other_side", "")
        w["lesion_side"] = lesion_side
        w.update(extra)
        return _fill(template, w)

    complaint = _complaint(deficits, book, rng, fill)
    sentences: list[str] = []
    # 1. How it began.
    when = _when(story, book, rng, person)
    first = deficits[0] if deficits else None
    first_np = None
    if p.first:
        first_np = fill(rng.choice(p.first), first)
    elif first is not None:
        np = _np(first, book, rng)
        first_np = fill(np, first) if np else None
    if first_np is None:
        first_np = "the trouble"
    circumstances = (story.cause.circumstances if story.cause and story.cause.circumstances
                     else p.circumstances)
    tempo = "at_age" if story.onset_age is not None else _tempo(story)
    frames = book.onset[tempo]  # type: ignore[index]
    circumstance = ","
    if circumstances and tempo != "at_age" and rng.random() < 0.75:
        circumstance = ", " + fill(rng.choice(circumstances)) + ","
        frames = book.circumstance_frames + frames if tempo in ("sudden", "hours") else frames
    frame = rng.choice(frames)
    if "{circumstance}" not in frame:
        circumstance = ","
    span_n, span_unit = time_words(story.onset_days)
    sentences.append(_sentence(fill(frame, None, When=cap(when), when=when, first=first_np,
                                    First=cap(first_np),
                                    circumstance=circumstance,
                                    span=f"{span_n} {span_unit}")))
    # 2. What caused it, as the patient tells it (or not, when the history is vague).
    if story.cause is not None:
        options = story.cause.told if story.cause_told else story.cause.vague
        if options:
            sentences.append(_sentence(fill(rng.choice(options))))
    # 3. Now: the deficits the patient notices, then how it has gone since.
    shown = [d for d in deficits[:5] if d.kind != "minor" or len(deficits) < 4]
    shown = shown[:4] if any(d.kind == "stiff_too" for d in shown[:2]) else shown[:3]
    clauses = [fill(_now(d, book, rng), d) for d in shown]
    if p.course.then == "progressive" and len(limbs) > 1 and limbs[-1].kind == "minor" and \
            rng.random() < 0.6:
        sentences.append(_sentence(fill(rng.choice(book.spread), limbs[-1],
                                        span=f"{span_n} {span_unit}")))
        clauses = [c for c, d in zip(clauses, shown, strict=False) if d.kind != "minor"]
    if clauses:
        lead = rng.choice(book.now_lead if story.onset_days < 14
                          else book.now_lead + book.now_lead_later)
        joined = join(clauses) if len(clauses) < 3 or rng.random() < 0.5 else \
            "; ".join(clauses[:-1]) + ", and " + clauses[-1]
        text = f"{lead} {joined}" if lead != "-" else joined
        sentences.append(_sentence(text))
    course = _course_kind(story)
    sentences.append(_sentence(fill(rng.choice(book.course[course]), first,  # type: ignore[index]
                                    span=f"{span_n} {span_unit}")))
    # 4. Pertinent negatives the findings allow; who the patient is; why they came now.
    tail: list[str] = []
    negatives = _negatives(p, exam, deficits, rng, fill)
    if negatives:
        tail.append(_sentence(fill(rng.choice(book.negatives), list=negatives[0],
                                   list_or=negatives[1])
                              if False else fill(rng.choice(book.negatives),
                                                 list=negatives)))
    background = _background(story, people, book, rng, fill)
    if background:
        tail.append(background)
    if story.extra_history:
        tail.append(_sentence(fill(story.extra_history)))
    rng.shuffle(tail)
    sentences += tail
    # Why now: not for a long-settled deficit (a paraplegia of three years is not "brought in").
    settled = story.onset_days > 180 and p.course.then in ("stable", "improving")
    if not settled and rng.random() < 0.45:
        sentences.append(_presenting(story, people, rng, fill))
    return complaint, " ".join(sentences)


def _when(story: Story, book: Phrasebook, rng: random.Random, person: dict[str, str]) -> str:
    if story.onset_age is not None:
        return rng.choice(book.when_at_age).format(n=spelt(story.onset_age), **person)
    if story.onset_days < 1:
        n, unit = time_words(story.onset_days)
        return rng.choice(book.when_today).format(n=n, unit=unit, **person)
    n, unit = time_words(story.onset_days)
    return rng.choice(book.when_ago).format(n=n, unit=unit, **person)


# The shortest time since onset that each tempo can be told over ("crept on over weeks" is not
# said of something nine days old): a slower tempo falls back to the next faster one.
_TEMPO_MIN_DAYS = {"sudden": 0.0, "hours": 0.0, "days": 2.0, "weeks": 21.0, "months": 60.0,
                   "years": 365.0}
_FASTER = {"years": "months", "months": "weeks", "weeks": "days", "days": "hours"}


def _tempo(story: Story) -> str:
    tempo = (story.cause.tempo if story.cause and story.cause.tempo else
             story.presentation.course.tempo)
    while story.onset_days < _TEMPO_MIN_DAYS[tempo]:
        tempo = _FASTER[tempo]
    return tempo


def _course_kind(story: Story) -> str:
    then = story.cause.then if story.cause and story.cause.then else \
        story.presentation.course.then
    days = story.onset_days
    if days < 1:
        return "early"
    if then == "peak_then_stable":
        peak = story.presentation.course.peak_days or 0
        return "worsening" if days < peak else "settled"
    return then


def _complaint(deficits: list[Deficit], book: Phrasebook, rng: random.Random, fill) -> str:
    said = [(d, s) for d in deficits if (s := _says(d, book, rng))]
    if not said:
        return "I haven't been right."
    chief, text = said[0]
    text = _sentence(fill(text, chief))
    for other, second in said[1:3]:
        if other.domain != chief.domain and other.rank >= chief.rank - 1.5 and \
                not (other.limbs and chief.limbs) and rng.random() < 0.6:
            second = _sentence(fill(second, other))
            joined = second if second.startswith(("I ", "I'")) else second[0].lower() + second[1:]
            return text[:-1] + ", and " + joined
    return text


def _negatives(p: Presentation, exam: Exam, deficits: list[Deficit], rng: random.Random,
               fill) -> str | None:
    ruled_out = exam.domains() | {d.domain for d in deficits}
    allowed = [n for n in p.negatives if n.domain is None or n.domain not in ruled_out]
    if not allowed:
        return None
    count = min(len(allowed), rng.choice((2, 2, 3)))
    picked = rng.sample(allowed, count)
    phrases = [fill(rng.choice(n.say)) for n in picked]
    return join(phrases, "or")


def _background(story: Story, people: People, book: Phrasebook, rng: random.Random,
                fill) -> str | None:
    clauses: list[str] = []
    job = story.person.occupation
    if job is not None:
        age = story.person.age
        if age < job.ages[0] and not job.retires:
            pass
        elif age > job.ages[1] and job.retires:
            clauses.append(fill(rng.choice(people.retired), job=job.name,
                                a_job=a_or_an(job.name)))
        elif age <= job.ages[1] or not job.retires:
            options = people.studying if job.name == "student" else people.works
            clauses.append(fill(rng.choice(options), job=job.name, a_job=a_or_an(job.name)))
    for rf in story.presentation.risk_factors:
        if rf.min_age <= story.person.age <= rf.max_age and \
                (rf.sex is None or rf.sex == story.person.sex) and rng.random() < rf.share:
            clauses.append(fill(rng.choice(rf.say)))
    if not clauses:
        return None
    if len(clauses) > 4:
        clauses = clauses[:4]
    return _sentence(fill(rng.choice(book.background), clauses=join(clauses)))


def _presenting(story: Story, people: People, rng: random.Random, fill) -> str:
    age = story.person.age
    relatives = (people.relatives_young if age < 30 else people.relatives_adult if age < 60
                 else people.relatives_old)
    phase = ("hyperacute" if story.onset_days < 1 else "acute" if story.onset_days <= 14
             else "chronic")
    options = getattr(people, f"presenting_{phase}")
    return _sentence(fill(rng.choice(options), relative=rng.choice(relatives)))
