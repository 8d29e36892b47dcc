"""Grading a localization: partial anatomical credit, and feedback that names the deciding signs.

All weights and distances are data in the first section of this module, so an instructor can
read exactly how an answer is scored (README "How answers are scored" summarizes them).
The sentences cite findings the engine says the lesion produces (``engine.explained_by``), not
text written per case.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from vpatient.core import anatomy as A
from vpatient.core import timecourse as T
from vpatient.core.answer import NEURON_LABELS, Answer, AnswerKey
from vpatient.core.case import Case
from vpatient.core.engine import explained_by
from vpatient.core.examination import MANEUVER_FOR_KEY, MANEUVERS
from vpatient.core.findings import FINDING_SPECS, FindingValue, numb_area_words
from vpatient.core.lesion import SITE_LABELS, Lesion, SpinalCordLesion, describe
from vpatient.core.vocabulary import above_decussation

# === Scoring data ================================================================================

# Share of the score per part. When the correct answer has no level, the level's share is
# spread over the other parts in proportion.
PART_WEIGHTS: dict[str, float] = {"neuron": 0.30, "site": 0.35, "level": 0.15, "side": 0.20}

# Credit for a neuron type that is not the right one: (given, correct) -> credit.
NEURON_CREDIT: dict[tuple[str, str], float] = {
    ("UMN", "mixed"): 0.5, ("LMN", "mixed"): 0.5,   # half of a mixed picture
    ("mixed", "UMN"): 0.4, ("mixed", "LMN"): 0.4,   # saw signs that are not there
    ("NMJ", "muscle"): 0.3, ("muscle", "NMJ"): 0.3,  # both spare reflexes and sensation
    ("LMN", "NMJ"): 0.2, ("LMN", "muscle"): 0.2, ("muscle", "LMN"): 0.2, ("NMJ", "LMN"): 0.2,
}

# Neighbouring structures along the motor pathway, with the site credit a neighbour earns.
# Credit for a farther site is the product along the best path, so it falls with distance.
SITE_NEIGHBOURS: dict[tuple[str, str], float] = {
    ("cortex", "internal_capsule"): 0.5,
    ("internal_capsule", "midbrain"): 0.5,
    ("midbrain", "pons"): 0.5,
    ("pons", "medulla"): 0.5,
    ("medulla", "spinal_cord"): 0.35,
    ("spinal_cord", "conus"): 0.5,
    ("spinal_cord", "anterior_horn"): 0.35,
    ("conus", "cauda_equina"): 0.5,
    ("cauda_equina", "root"): 0.5,
    ("anterior_horn", "root"): 0.4,
    ("anterior_horn", "motor_neuron_disease"): 0.5,
    ("spinal_cord", "motor_neuron_disease"): 0.3,
    ("root", "plexus"): 0.5,
    ("plexus", "nerve"): 0.5,
    ("nerve", "polyneuropathy"): 0.4,
    ("root", "polyneuropathy"): 0.3,   # GBS is a polyradiculoneuropathy
    ("polyneuropathy", "nmj"): 0.15,
    ("nmj", "muscle"): 0.4,
}
SITE_CREDIT_FLOOR = 0.05  # below this a site earns nothing

# Level credit by distance in segments (cord, root, anterior horn ranges use their nearest end).
LEVEL_CREDIT_BY_DISTANCE: tuple[float, ...] = (1.0, 0.7, 0.35, 0.1)
# Sites whose levels are spinal segments, and so comparable with one another.
SEGMENTAL_SITES = frozenset({"spinal_cord", "root", "anterior_horn"})

# Side credit: a unilateral answer to a bilateral lesion (or the reverse) is partly right.
SIDE_CREDIT_UNILATERAL_VS_BILATERAL = 0.3


# === Credit functions ============================================================================


def _site_credit_table() -> dict[tuple[str, str], float]:
    graph: dict[str, list[tuple[str, float]]] = {}
    for (a, b), credit in SITE_NEIGHBOURS.items():
        graph.setdefault(a, []).append((b, credit))
        graph.setdefault(b, []).append((a, credit))
    table: dict[tuple[str, str], float] = {}
    for start in graph:
        best = {start: 1.0}
        heap = [(-1.0, start)]
        while heap:
            neg, node = heapq.heappop(heap)
            if -neg < best.get(node, 0.0):
                continue
            for nxt, credit in graph[node]:
                value = -neg * credit
                if value > best.get(nxt, 0.0):
                    best[nxt] = value
                    heapq.heappush(heap, (-value, nxt))
        for end, value in best.items():
            if value >= SITE_CREDIT_FLOOR:
                table[(start, end)] = value
    return table


SITE_CREDIT: dict[tuple[str, str], float] = _site_credit_table()


def site_credit(given: str, correct: str) -> float:
    return 1.0 if given == correct else SITE_CREDIT.get((given, correct), 0.0)


def neuron_credit(given: str, correct: str) -> float:
    return 1.0 if given == correct else NEURON_CREDIT.get((given, correct), 0.0)


def _segments_of(level: str) -> tuple[int, int] | None:
    ends = level.upper().split("-")
    if not all(e in A.SEGMENT_INDEX for e in ends):
        return None
    idx = [A.SEGMENT_INDEX[e] for e in ends]
    return min(idx), max(idx)


def level_credit(given_site: str, given: str | None, correct_site: str, correct: str) -> float:
    if given is None:
        return 0.0
    if given == correct:
        return 1.0
    if given_site in SEGMENTAL_SITES and correct_site in SEGMENTAL_SITES:
        a, b = _segments_of(given), _segments_of(correct)
        if a is None or b is None:
            return 0.0
        distance = max(0, max(a[0], b[0]) - min(a[1], b[1]))
        if distance == 0 and a != b:  # overlapping ranges: share of the correct range covered
            overlap = min(a[1], b[1]) - max(a[0], b[0]) + 1
            union = max(a[1], b[1]) - min(a[0], b[0]) + 1
            return max(LEVEL_CREDIT_BY_DISTANCE[1], overlap / union)
        table = LEVEL_CREDIT_BY_DISTANCE
        return table[distance] if distance < len(table) else 0.0
    return 0.0


def side_credit(given: str, correct: str) -> float:
    if given == correct:
        return 1.0
    if "bilateral" in (given, correct):
        return SIDE_CREDIT_UNILATERAL_VS_BILATERAL
    return 0.0


def _best(key: AnswerKey, name: str, score) -> tuple[float, object]:
    """Best credit over a case's accepted values for one field."""
    options = [(score(value), value) for value in key.accepted(name)]
    return max(options, key=lambda o: o[0])


# === Findings as evidence ========================================================================


def _label(key: str) -> str:
    return FINDING_SPECS[key].label


# Most decisive first: a clinician cites the plantar before the tone.
_SIGN_ORDER = ("plantar", "clonus", "hoffmann", "inverted_supinator", "wasting", "fasciculations",
               "reflex", "tone", "gait")


def _by_weight(findings: dict[str, FindingValue]) -> list[tuple[str, FindingValue]]:
    order = {kind: i for i, kind in enumerate(_SIGN_ORDER)}
    return sorted(findings.items(), key=lambda kv: order.get(kv[0].split(".")[0], 99))


def umn_signs(findings: dict[str, FindingValue]) -> list[str]:
    out = []
    for key, value in _by_weight(findings):
        kind = key.split(".")[0]
        if kind == "plantar" and value == "extensor":
            out.append(f"extensor {key.split('.')[1]} plantar")
        elif kind == "reflex" and value in ("3+", "4+"):
            out.append(f"brisk {_label(key)} ({value})")
        elif kind == "tone" and value == "spastic":
            out.append(f"spastic {_label(key).replace(' tone', '')}")
        elif key == "gait" and str(value).startswith(("hemiplegic", "spastic")):
            out.append(f"{str(value).split('_')[0].replace('spastic', 'spastic paraparetic')} gait")
        elif kind in ("hoffmann", "inverted_supinator") and value == "present":
            out.append(f"{_label(key)} sign")
        elif kind == "clonus" and value != "absent":
            out.append(f"{value} {_label(key)}")
    return out


def lmn_signs(findings: dict[str, FindingValue]) -> list[str]:
    out = []
    for key, value in _by_weight(findings):
        kind = key.split(".")[0]
        if kind in ("wasting", "fasciculations") and value is True:
            out.append(_label(key))
        elif kind == "reflex" and value in ("0", "1+"):
            word = "absent" if value == "0" else "reduced"
            out.append(f"{word} {_label(key)} ({value})")
        elif kind == "tone" and value == "decreased":
            out.append(f"flaccid {_label(key).replace(' tone', '')}")
        elif kind == "plantar" and value == "mute":
            out.append(f"mute {key.split('.')[1]} plantar")
        elif key == "gait" and str(value).startswith("steppage"):
            out.append("steppage gait (foot drop)")
    return out


def weakness(findings: dict[str, FindingValue], limit: int = 6) -> str:
    """'right ankle dorsiflexion 3, right great toe extension 1, ...'."""
    weak = [(v, k) for k, v in findings.items() if k.startswith("power.") and v != 5]
    weak.sort(key=lambda vk: (vk[0], vk[1]))
    shown = [f"{_label(k)} {v}" for v, k in weak[:limit]]
    if len(weak) > limit:
        shown.append(f"and {len(weak) - limit} more")
    return ", ".join(shown)


def _merge_sides(items: list[str]) -> list[str]:
    """'brisk left knee jerk' + 'brisk right knee jerk' -> 'brisk left and right knee jerk'."""
    out: list[str] = []
    for item in items:
        twin = item.replace("left", "right") if "left" in item else None
        if twin and twin in items:
            out.append(item.replace("left", "left and right", 1))
        elif "right" in item and item.replace("right", "left") in items:
            continue
        else:
            out.append(item)
    return out


def _join(items: list[str], limit: int = 5) -> str:
    items = _merge_sides(items)[:limit]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# What each site's distribution means, in a clinician's words (ref §5.0). {weak} is filled from
# the findings.
SITE_REASONING: dict[str, str] = {
    "cortex": "weakness of one side with face and arm more than leg (lateral convexity) or leg "
              "more than arm (medial surface) follows the motor strip's map (ref §5.1, §5.2)",
    "internal_capsule": "lower face, arm and leg weak together on one side without cortical "
                        "signs: the fibres are packed together in the internal capsule "
                        "(ref §5.3)",
    "midbrain": "a third nerve palsy on one side with hemiparesis of the other: a crossed "
                "syndrome of the midbrain (Weber, ref §5.4)",
    "pons": "a sixth and whole-face seventh nerve palsy on one side with hemiparesis of the "
            "other: a crossed pontine syndrome (ref §5.4)",
    "medulla": "the tongue deviates to one side while the opposite arm and leg are weak and the "
               "face is spared: the medial medulla (ref §5.4, pitfall 15)",
    "spinal_cord": "signs below a level with normal cranial nerves and jaw jerk: the spinal cord "
                   "(ref §5.5, §5.6)",
    "conus": "symmetric sacral signs, ankle jerks lost with knee jerks kept, little leg "
             "weakness: the conus (ref §5.8)",
    "cauda_equina": "asymmetric flaccid weakness over several lumbosacral roots with lost "
                    "reflexes: the cauda equina (ref §5.8)",
    "anterior_horn": "pure motor, flaccid, wasted and areflexic limbs with normal sensation: "
                     "the anterior horn cells (ref §5.9, §5.10)",
    "root": "one myotome weak and one reflex reduced: a single root (ref §5.12)",
    "plexus": "several roots' territories weak in one limb: the plexus (ref §5.13)",
    "nerve": "the muscles of one nerve weak while its neighbours' are spared: a peripheral nerve "
             "(ref §5.14)",
    "polyneuropathy": "symmetric weakness and reflex loss, distal first or ascending and "
                      "areflexic: a polyneuropathy (ref §5.16)",
    "nmj": "fatigable weakness with ptosis and normal reflexes: the neuromuscular junction "
           "(ref §5.17)",
    "muscle": "proximal symmetric weakness with reflexes kept and no wasting or fasciculations "
              "yet: muscle (ref §5.18)",
    "motor_neuron_disease": "upper and lower motor neuron signs together in several regions, "
                            "with normal sensation: motor neuron disease (ref §5.11)",
}


def _neuron_evidence(lesion: Lesion, neuron: str, explained: dict[str, FindingValue]) -> str:
    umn, lmn = umn_signs(explained), lmn_signs(explained)
    if isinstance(lesion, SpinalCordLesion) and T.in_spinal_shock(lesion.onset_days):
        days = f"{lesion.onset_days:g} day{'s' if lesion.onset_days != 1 else ''}"
        return (f"{_cap(_join(lmn, 4))} {days} after onset: spinal shock. "
                "An acute cord lesion is flaccid and areflexic before it becomes spastic "
                "(ref §6.2, pitfall 1)")
    if above_decussation(lesion.site) and \
            lesion.onset_days < 1:
        extra = f"; {_join(umn, 2)} already points upwards" if umn else ""
        return ("Hyperacute: the weak side is still flaccid with reflexes not yet brisk, so the "
                f"distribution decides (ref §6.1, pitfall 1){extra}")
    sensation = "" if sensory_signs(explained) else "; sensation is normal"
    if lesion.site in ("anterior_horn", "motor_neuron_disease"):
        lower = f"lower motor neuron signs ({_join(lmn, 3)})"
        if neuron == "LMN" or not umn:
            return f"{_cap(lower)}{sensation}: pure motor lower motor neuron disease"
        # The pair that makes ALS: UMN and LMN signs side by side (ref §5.11, pitfall 3).
        return (f"Upper motor neuron signs ({_join(umn, 3)}) together with {lower}"
                f"{sensation}: a mixed picture of pure motor disease")
    face = _face_reading(explained)
    if neuron == "UMN":
        signs = umn or ["the distribution of weakness"]
        return f"{_cap(_join(signs))}: upper motor neuron signs" + (f"; {face}" if face else "")
    if neuron == "LMN":
        signs = lmn or ["weakness with normal tone and no upper motor neuron signs"]
        return f"{_cap(_join(signs))}: lower motor neuron signs" + (f"; {face}" if face else "")
    if neuron == "mixed":
        cranial = _cranial_reading(explained)
        parts = []
        inverted = [s for s in umn if "inverted supinator" in s]
        if inverted:
            parts.append(f"{_join(inverted)} (a broken C5-6 arc with brisk reflexes below it)")
            umn = [s for s in umn if s not in inverted]
        if lmn:
            parts.append(f"lower motor neuron signs ({_join(lmn, 3)})")
        if cranial:
            parts.append(cranial)
        if umn:
            parts.append(f"upper motor neuron signs ({_join(umn, 3)})")
        if len(parts) > 1:
            parts[-1] = "and " + parts[-1]
        return _cap("; ".join(parts)) + ": a mixed picture"
    if neuron == "NMJ":
        ptosis = [k for k, v in explained.items() if k.startswith("eyes.") and v == "ptosis"]
        sign = "fatigable weakness" + (" with ptosis" if ptosis else "")
        return f"{_cap(sign)}, normal reflexes and no wasting: the neuromuscular junction"
    return ("Proximal symmetric weakness (" + weakness(explained, 4) +
            ") with reflexes kept and no fasciculations: a myopathy")


def _face_reading(explained: dict[str, FindingValue]) -> str:
    for side in A.SIDES:
        upper, lower = explained.get(f"face.{side}.upper"), explained.get(f"face.{side}.lower")
        if lower == "weak" and upper != "weak":
            return (f"the {side} lower face is weak with the forehead spared: central facial "
                    "weakness (ref §2.1)")
        if lower == "weak" and upper == "weak":
            return (f"the whole {side} face is weak, forehead included: a lower motor neuron "
                    "facial palsy (ref §2.1)")
    return ""


def _cranial_reading(explained: dict[str, FindingValue]) -> str:
    bits = []
    for side in A.SIDES:
        eye = explained.get(f"eyes.{side}")
        if eye in ("third_nerve_palsy", "sixth_nerve_palsy"):
            bits.append(f"a {side} {eye.replace('_', ' ')}")
    if explained.get("tongue.deviation") in A.SIDES:
        bits.append(f"the tongue deviating to the {explained['tongue.deviation']}")
    face = _face_reading(explained)
    if "whole" in face:
        bits.append(face.split(":")[0])
    return "cranial nerve palsy (" + _join(bits) + ")" if bits else ""


def sensory_signs(explained: dict[str, FindingValue]) -> list[str]:
    """'pinprick lost from T10 down on the left', 'numb C6 dermatome on the right', ..."""
    out = []
    for key, value in explained.items():
        kind, _, side = key.partition(".")
        if kind == "sensory_level":
            out.append(f"pinprick lost from {value} down on the {side}")
        elif kind == "position_sense":
            out.append(f"{side} joint position sense impaired")
        elif key == "romberg" and value == "positive":
            out.append("a positive Romberg test")
        elif kind == "numb_area":
            areas = ", ".join(numb_area_words(str(a)) for a in value)  # type: ignore[union-attr]
            out.append(f"numb {areas} on the {side}")
    return out


def _level_evidence(lesion: Lesion, explained: dict[str, FindingValue], level: str) -> str:
    weak = weakness(explained, 5)
    numb = [s for s in sensory_signs(explained) if s.startswith("numb")]
    reflexes = [s for s in lmn_signs(explained) if "jerk" in s]
    if lesion.site == "nerve":
        nerve = A.NERVES[level]
        if nerve.cranial:
            return f"{_cap(_face_reading(explained) or _cranial_reading(explained))}"
        spared = _spared_neighbours(explained, nerve)
        text = f"Weak {weak}" if weak else "The nerve's muscles are weak"
        if spared:
            text += f", while {_join(spared, 3)} {'is' if len(spared) == 1 else 'are'} normal"
        if numb:
            text += f", with {_join(numb, 1)}"
        return text + f": the {nerve.label}"
    if lesion.site == "spinal_cord":
        return _cord_level_evidence(explained, level)
    text = f"Weak {weak}" if weak else "The pattern of weakness"
    if reflexes:
        text += f" with {_join(reflexes, 3)}"
    if numb:
        text += f"{' and' if reflexes else ' with'} {_join(numb, 1)}"
    return text + f": the {level} {'segments' if '-' in level else 'level'}"


def _cord_level_evidence(explained: dict[str, FindingValue], level: str) -> str:
    """At the level: its own myotome and reflex arcs are lost; below: UMN signs (ref §5.5);
    the long sensory tracts give a level or, in a hemisection, a crossed picture (ref §5.7)."""
    index = A.SEGMENT_INDEX[level]
    at_level = {level, A.SEGMENTS[index - 1]} if index else {level}
    own = {k: v for k, v in explained.items()
           if (k.startswith("power.") and k.count(".") == 2
               and at_level & set(A.MOVEMENTS[k.split(".")[2]].myotome)
               and A.SEGMENT_INDEX[A.MOVEMENTS[k.split(".")[2]].main_segment] <= index)
           or (k.startswith("reflex.") and k != "reflex.jaw" and v in ("0", "1+")
               and A.SEGMENT_INDEX[A.REFLEXES[k.split(".")[2]].main_segment] <= index)}
    sensory = sensory_signs(explained)
    levels = [s for s in sensory if s.startswith("pinprick")]
    if len(levels) == 1 and any("joint position" in s for s in sensory):
        return (f"{_cap(levels[0])} while position sense is lost on the other side: the "
                f"spinothalamic fibres cross within a segment or two, so a hemisection at "
                f"{level} numbs pain from a segment lower on the opposite side (ref §5.7)")
    if own:
        weak = sorted((v, k) for k, v in own.items() if k.startswith("power."))
        signs = _join([f"weak {_label(k)} {v}" for v, k in weak[:3]] +
                      [s for s in lmn_signs(own) if "jerk" in s], 4)
        also = f", and {_join(levels, 2)}" if levels else ""
        return (f"{_cap(signs)} mark the segments the lesion destroys, with upper motor neuron "
                f"signs below them{also}: the cord at {level}")
    if levels:
        return (f"{_cap(_join(levels, 2))}: a sensory level puts the lesion in the cord at "
                f"{level}, at or a little above the level found (ref §2.5)")
    if not any(FINDING_SPECS[k].region == "arm" for k in explained):
        return (f"Normal arms with affected legs put the lesion in the thoracic cord; the sensory "
                f"level on the trunk (T4 nipples, T10 umbilicus) fixes it at {level} (ref §2.5)")
    return f"Upper motor neuron signs in all four limbs with a normal jaw jerk: the cord at {level}"


def _spared_neighbours(explained: dict[str, FindingValue], nerve: A.Nerve) -> list[str]:
    weak_sides = {k.split(".")[1] for k in explained if k.startswith("power.")}
    out = []
    for side in weak_sides:
        for name in A.SPARED_BY_NERVE.get(nerve.name, ()):
            if f"power.{side}.{name}" not in explained:
                out.append(f"{side} {A.MOVEMENTS[name].label}")
    return out


def _distribution(lesion: Lesion, explained: dict[str, FindingValue]) -> str:
    """For hemispheric and brainstem lesions: how arm and leg compare in this patient, the
    fact that separates cortex (face and arm, or leg) from capsule (all alike) (ref §5.15)."""
    if not above_decussation(lesion.site):
        return ""
    for side in A.SIDES:
        arm = min((v for k, v in explained.items()
                   if k.startswith(f"power.{side}.") and A.MOVEMENTS[k.split(".")[2]].limb
                   == "arm"), default=5)
        leg = min((v for k, v in explained.items()
                   if k.startswith(f"power.{side}.") and A.MOVEMENTS[k.split(".")[2]].limb
                   == "leg"), default=5)
        if arm == leg == 5:
            continue
        face = "lower face, " if explained.get(f"face.{side}.lower") == "weak" else ""
        if arm == leg:
            return (f"Here the {side} {face}arm (worst {arm}/5) and leg (worst {leg}/5) are "
                    "weak to a similar degree")
        more, less = ("arm", "leg") if arm < leg else ("leg", "arm")
        return (f"Here the {side} {more} (worst {min(arm, leg)}/5) is weaker than the {less} "
                f"({max(arm, leg)}/5)" + (", with the lower face weak" if face else ""))
    return ""


def _side_evidence(lesion: Lesion, explained: dict[str, FindingValue], side: str) -> str:
    affected = sorted({k.split(".")[1] for k in explained
                       if k.split(".")[0] in ("power", "tone", "plantar", "reflex")
                       and k.split(".")[1] in A.SIDES})
    limbs = " and ".join(affected) or "the"
    if side == "bilateral":
        return "Both sides are affected, so the lesion is bilateral (or diffuse)"
    if above_decussation(lesion.site):
        return (f"The weakness is on the {limbs}; above the pyramidal decussation the lesion lies "
                f"on the opposite side, the {side} (ref §1.1)")
    if lesion.site == "spinal_cord":
        return (f"The motor signs are on the {limbs}; below the decussation a cord lesion is on "
                f"the same side, the {side} (ref §1.1, §5.7)")
    return f"Lower motor neuron lesions are on the side of the signs: the {side} (ref §1.1)"


# === Grading =====================================================================================


@dataclass(frozen=True)
class PartGrade:
    part: str
    score: float
    weight: float
    given: str | None
    correct: str | None
    sentence: str

    def to_json(self) -> dict:
        return {"part": self.part, "score": round(self.score, 3), "weight": round(self.weight, 3),
                "given": self.given, "correct": self.correct, "sentence": self.sentence}


@dataclass(frozen=True)
class GradeResult:
    score: float
    parts: tuple[PartGrade, ...]
    answer: AnswerKey
    given: Answer
    missed_maneuvers: tuple[str, ...] = ()
    teaching: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict:
        out = {"score": round(self.score, 3), "parts": [p.to_json() for p in self.parts],
               "answer": self.answer.as_json(), "given": self.given.model_dump()}
        if self.missed_maneuvers:
            out["missed_maneuvers"] = list(self.missed_maneuvers)
        if self.teaching:
            out["teaching"] = list(self.teaching)
        return out

    def as_text(self) -> str:
        lines = [f"Score: {self.score * 100:.0f}%"]
        for p in self.parts:
            mark = "right" if p.score >= 1 else "partly" if p.score > 0 else "wrong"
            lines.append(f"  {p.part:<7} {mark:<7} {p.score * 100:3.0f}%  {p.sentence}")
        correct = self.answer.canonical
        lines.append("Answer: " + ", ".join(f"{k} {v}" for k, v in correct.model_dump().items()
                                            if v is not None))
        if self.missed_maneuvers:
            lines.append("Not examined, and it would have helped: "
                         + "; ".join(self.missed_maneuvers))
        for point in self.teaching:
            lines.append(f"  * {point}")
        return "\n".join(lines) + "\n"


def _verdict(credit: float, given: str | None, correct: str | None) -> str:
    if credit >= 1:
        return "Right"
    if given is None:
        return f"Not given (it is {correct})"
    return f"You said {given}, it is {correct}" + (" (partial credit)" if credit > 0 else "")


def grade(case: Case, given: Answer, performed: list[str] | None = None) -> GradeResult:
    """Score ``given`` against the case's answer key, part by part, in 0..1."""
    key = case.answer_key
    correct = key.canonical
    lesion = case.lesions[0]
    explained = explained_by(lesion)
    has_level = correct.level is not None
    total = sum(w for p, w in PART_WEIGHTS.items() if has_level or p != "level")

    def part(name: str, scored: tuple[float, object], shown: tuple, evidence: str) -> PartGrade:
        credit, value = scored
        return PartGrade(name, credit, PART_WEIGHTS[name] / total, getattr(given, name),
                         str(value), f"{_verdict(credit, *shown)}. {evidence}.")

    parts = [
        part("neuron", _best(key, "neuron", lambda v: neuron_credit(given.neuron, v)),
             (NEURON_LABELS[given.neuron], NEURON_LABELS[correct.neuron]),
             _neuron_evidence(lesion, correct.neuron, explained)),
        part("site", _best(key, "site", lambda v: site_credit(given.site, v)),
             (SITE_LABELS[given.site], SITE_LABELS[correct.site]),
             ". ".join(filter(None, (_distribution(lesion, explained),
                                     _cap(SITE_REASONING[correct.site]))))),
    ]
    if has_level:
        parts.append(part(
            "level",
            _best(key, "level", lambda v: level_credit(given.site, given.level, correct.site, v)),
            (given.level, correct.level), _level_evidence(lesion, explained, correct.level or "")))
    parts.append(part("side", _best(key, "side", lambda v: side_credit(given.side, v)),
                      (given.side, correct.side), _side_evidence(lesion, explained, correct.side)))
    score = sum(p.score * p.weight for p in parts)
    missed = missed_maneuvers(case, given, performed) if performed is not None else ()
    teaching = tuple(other_lesion_notes(case)) + tuple(case.teaching.points)
    return GradeResult(score, tuple(parts), key, given, tuple(missed), teaching)


def other_lesion_notes(case: Case) -> list[str]:
    """For a patient with more than one lesion: what each other lesion explains, so findings
    that do not fit the graded lesion are accounted for."""
    notes = []
    for lesion in case.lesions[1:]:
        explained = explained_by(lesion)
        signs = [*lmn_signs(explained), *umn_signs(explained), *sensory_signs(explained)]
        weak = weakness(explained, 3)
        shown = _join([*signs[:3], *([f"weak {weak}"] if weak and len(signs) < 3 else [])], 4)
        notes.append(f"This patient also has a {describe(lesion)}"
                     + (f", which explains {shown}." if shown else "."))
    return notes


# Most discriminating first, so the short list names what mattered most.
_MISSED_ORDER = ("plantar", "reflex", "clonus", "hoffmann", "inverted_supinator", "inspect",
                 "face", "tongue", "eyes", "fatigability", "jaw", "tone", "power")
# Maneuvers that separate UMN from LMN whenever either is in question (ref §4.1).
_UMN_DISCRIMINATORS = ("plantar", "reflex", "tone", "hoffmann", "clonus")
_LMN_DISCRIMINATORS = ("inspect", "reflex", "tone")


def missed_maneuvers(case: Case, given: Answer, performed: list[str]) -> list[str]:
    """Discriminating maneuvers never performed: those that would have shown an abnormal
    finding of the lesion, and the UMN-vs-LMN tests when either was a candidate."""
    done = set(performed)
    explained = explained_by(case.lesions[0])
    wanted: list[str] = []
    for key in explained:
        mid = MANEUVER_FOR_KEY[key]
        if mid not in wanted:
            wanted.append(mid)
    candidates = {case.answer_key.canonical.neuron, given.neuron}
    kinds = set()
    if candidates & {"UMN", "mixed"}:
        kinds.update(_UMN_DISCRIMINATORS)
    if candidates & {"LMN", "mixed"}:
        kinds.update(_LMN_DISCRIMINATORS)
    # A discriminating test counts as done if it was done on either side for that kind.
    done_kinds = {mid.split(".")[0] for mid in done}
    order = {kind: i for i, kind in enumerate(_MISSED_ORDER)}
    wanted.sort(key=lambda mid: order.get(mid.split(".")[0], len(order)))
    out: list[str] = []
    for mid in wanted:
        if mid in done:
            continue
        label = _missed_label(mid)
        if label not in out:
            out.append(label)
    for kind in sorted(kinds - done_kinds):
        example = next(m for m in MANEUVERS.values() if m.id.split(".")[0] == kind)
        label = example.label.split(",")[0].split(":")[0]
        if not any(o.startswith(label) for o in out):
            out.append(f"{label} (any limb)")
    return out[:8]


def _missed_label(mid: str) -> str:
    m = MANEUVERS[mid]
    label = m.label.split(":")[0]
    if m.region in ("head", "general") or m.region in label:
        return label
    return f"{label} ({m.region})"
