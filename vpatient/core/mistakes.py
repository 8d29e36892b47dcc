"""The mistakes an answer contains, by kind: what a student's errors have in common.

Computed from the structured answer and the answer key, never from feedback text, so progress
can count them, practice can target them and ``vpatient stats`` can report them.

Each mistake has a ``kind`` (``side``, ``umn_vs_lmn``, ``level_by_one``, ``lookalike``, ...) and
a ``topic``: what a review patient practises. For most kinds the topic is the kind itself; a
look-alike pair (ref §5.15) and a pair of neighbouring sites are topics of their own
(``lookalike:l5-root-vs-peroneal``, ``neighbours:cortex~internal_capsule``), because what a student
must learn is to tell those two apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from vpatient.core import anatomy
from vpatient.core.answer import Answer, AnswerKey
from vpatient.core.scoring import SITE_NEIGHBOURS
from vpatient.core.vocabulary import LEVEL_KIND, NEURON_LABELS, SITE_LABELS

# kind -> how the student reads it (progress, stats, review reasons).
MISTAKE_KINDS: dict[str, str] = {
    "side": "wrong side",
    "one_or_both_sides": "one side vs both",
    "umn_vs_lmn": "UMN vs LMN",
    "mixed_vs_pure": "mixed vs pure UMN or LMN",
    "motor_unit": "nerve vs junction vs muscle",
    "neuron_far": "neuron type far off",
    "lookalike": "look-alike pair",
    "neighbour_site": "neighbouring structure",
    "site_far": "site far off",
    "level_by_one": "level off by one",
    "level_by_more": "level off by two or more",
    "level_missing": "level left out",
    "wrong_nerve": "wrong nerve or plexus part",
}
# The part of the answer each kind belongs to (grading's parts).
KIND_PART: dict[str, str] = {
    "side": "side", "one_or_both_sides": "side", "umn_vs_lmn": "neuron", "mixed_vs_pure": "neuron",
    "motor_unit": "neuron", "neuron_far": "neuron", "lookalike": "site", "neighbour_site": "site",
    "site_far": "site", "level_by_one": "level", "level_by_more": "level",
    "level_missing": "level", "wrong_nerve": "level",
}
assert set(KIND_PART) == set(MISTAKE_KINDS)

_PURE = frozenset({"UMN", "LMN"})
_MOTOR_UNIT = frozenset({"LMN", "NMJ", "muscle"})


@dataclass(frozen=True)
class Place:
    """One side of a look-alike pair: any of ``sites``, at ``level`` when one is named."""

    sites: frozenset[str]
    level: str | None = None

    def holds(self, site: str, level: str | None) -> bool:
        return site in self.sites and (self.level is None or level == self.level)

    @property
    def label(self) -> str:
        names = " or ".join(SITE_LABELS[s] for s in sorted(self.sites))
        if self.level is None:
            return names
        if self.level in anatomy.NERVES:
            return anatomy.NERVES[self.level].label
        return f"{self.level} {names}"


@dataclass(frozen=True)
class Lookalike:
    id: str
    label: str
    a: Place
    b: Place

    def matches(self, given: Answer, correct: Answer) -> bool:
        g, c = (given.site, given.level), (correct.site, correct.level)
        return (self.a.holds(*g) and self.b.holds(*c)) or (self.b.holds(*g) and self.a.holds(*c))


def _place(site: str | tuple[str, ...], level: str | None = None) -> Place:
    return Place(frozenset((site,) if isinstance(site, str) else site), level)


# The discriminating pairs of ref §5.15 (the look-alikes the examination can separate), and
# median vs ulnar nerve (anatomy.SPARED_BY_NERVE: finger abduction tells them apart).
LOOKALIKES: tuple[Lookalike, ...] = (
    Lookalike("l5-root-vs-peroneal", "L5 root vs common peroneal nerve",
              _place("root", "L5"), _place("nerve", "common_peroneal")),
    Lookalike("c8-root-vs-ulnar", "C8 root vs ulnar nerve",
              _place("root", "C8"), _place("nerve", "ulnar")),
    Lookalike("l4-root-vs-femoral", "L4 root vs femoral nerve",
              _place("root", "L4"), _place("nerve", "femoral")),
    Lookalike("c7-root-vs-radial", "C7 root vs radial nerve",
              _place("root", "C7"), _place("nerve", "radial")),
    Lookalike("median-vs-ulnar", "median vs ulnar nerve",
              _place("nerve", "median"), _place("nerve", "ulnar")),
    Lookalike("bells-vs-central-facial", "Bell's palsy vs central facial palsy",
              _place("nerve", "facial"), _place(("cortex", "internal_capsule"))),
    Lookalike("capsule-vs-cortex", "internal capsule vs motor cortex",
              _place("internal_capsule"), _place("cortex")),
    Lookalike("conus-vs-cauda-equina", "conus medullaris vs cauda equina",
              _place("conus"), _place("cauda_equina")),
    Lookalike("gbs-vs-cord", "Guillain-Barré vs an acute cord lesion",
              _place("polyneuropathy"), _place("spinal_cord")),
)
LOOKALIKE_BY_ID: dict[str, Lookalike] = {pair.id: pair for pair in LOOKALIKES}


@dataclass(frozen=True)
class Mistake:
    kind: str
    topic: str
    given: str | None
    correct: str | None

    @property
    def label(self) -> str:
        return topic_label(self.topic)


def _neighbours(a: str, b: str) -> bool:
    return (a, b) in SITE_NEIGHBOURS or (b, a) in SITE_NEIGHBOURS


def neighbours_topic(a: str, b: str) -> str:
    first, second = sorted((a, b))
    return f"neighbours:{first}~{second}"


def topic_label(topic: str) -> str:
    """The topic in the student's words: 'side: left and right swapped', 'L5 root vs ...'."""
    kind, _, detail = topic.partition(":")
    if kind == "lookalike" and detail in LOOKALIKE_BY_ID:
        return LOOKALIKE_BY_ID[detail].label
    if kind == "neighbours":
        a, _, b = detail.partition("~")
        return f"{SITE_LABELS.get(a, a)} vs {SITE_LABELS.get(b, b)}"
    return MISTAKE_KINDS.get(topic, topic)


def topic_kind(topic: str) -> str:
    kind = topic.partition(":")[0]
    return "neighbour_site" if kind == "neighbours" else kind


def _neuron_mistake(given: str, correct: str) -> str:
    pair = {given, correct}
    if pair <= _PURE:
        return "umn_vs_lmn"
    if "mixed" in pair and pair - {"mixed"} <= _PURE:
        return "mixed_vs_pure"
    if pair <= _MOTOR_UNIT:
        return "motor_unit"
    return "neuron_far"


def _level_mistake(site: str, given: str | None, correct: str) -> str:
    if given is None:
        return "level_missing"
    if LEVEL_KIND.get(site) in ("segment", "root", "segment range"):
        distance = anatomy.segment_distance(given, correct)
        if distance is not None and distance <= 1:
            return "level_by_one"
        return "level_by_more"
    return "wrong_nerve"


def classify(given: Answer, key: AnswerKey) -> tuple[Mistake, ...]:
    """Every mistake in ``given``, part by part (neuron, site, level, side), none if right.

    A value the key accepts is right. A wrong site is a look-alike pair when it is one
    (ref §5.15), else a neighbour along the motor pathway, else far off; the level is judged
    only at the right site (at another site the level is not comparable)."""
    correct = key.canonical
    found: list[Mistake] = []

    def add(kind: str, given_value: str | None, correct_value: str | None,
            topic: str | None = None) -> None:
        found.append(Mistake(kind, topic or kind, given_value, correct_value))

    if not key.accepts("neuron", given.neuron):
        add(_neuron_mistake(given.neuron, correct.neuron), given.neuron, correct.neuron)
    site_right = key.accepts("site", given.site)
    if not site_right:
        pair = next((p for p in LOOKALIKES if p.matches(given, correct)), None)
        if pair is not None:
            add("lookalike", given.site, correct.site, f"lookalike:{pair.id}")
        elif _neighbours(given.site, correct.site):
            add("neighbour_site", given.site, correct.site,
                neighbours_topic(given.site, correct.site))
        else:
            add("site_far", given.site, correct.site)
    elif correct.level is not None and not key.accepts("level", given.level):
        add(_level_mistake(given.site, given.level, correct.level), given.level, correct.level)
    if not key.accepts("side", given.side):
        kind = "one_or_both_sides" if "bilateral" in (given.side, correct.side) else "side"
        add(kind, given.side, correct.side)
    return tuple(found)


# --- What a patient practises --------------------------------------------------------------------


def practises(topic: str, key: AnswerKey) -> bool:
    """Whether a patient with this answer key tests ``topic``: could the mistake be made on it?"""
    correct = key.canonical
    kind, _, detail = topic.partition(":")
    if kind == "lookalike":
        pair = LOOKALIKE_BY_ID.get(detail)
        return pair is not None and any(place.holds(correct.site, correct.level)
                                        for place in (pair.a, pair.b))
    if kind == "neighbours":
        return correct.site in detail.split("~")
    if kind == "side":
        return correct.side != "bilateral"
    if kind == "one_or_both_sides":
        return True  # every lesion is one-sided or both-sided
    if kind == "umn_vs_lmn":
        return correct.neuron in _PURE
    if kind == "mixed_vs_pure":
        return correct.neuron in _PURE | {"mixed"}
    if kind == "motor_unit":
        return correct.neuron in _MOTOR_UNIT
    if kind in ("level_by_one", "level_by_more", "level_missing"):
        return correct.level is not None
    if kind == "wrong_nerve":
        return LEVEL_KIND.get(correct.site) in ("nerve", "plexus part")
    return True  # neuron_far, site_far: any patient


def topic_sites(topic: str) -> frozenset[str]:
    """The sites whose patients practise a pair topic (empty for kinds that any site tests)."""
    kind, _, detail = topic.partition(":")
    if kind == "lookalike" and detail in LOOKALIKE_BY_ID:
        pair = LOOKALIKE_BY_ID[detail]
        return pair.a.sites | pair.b.sites
    if kind == "neighbours":
        return frozenset(detail.split("~"))
    return frozenset()


def describe(mistake: Mistake) -> str:
    """One mistake of one answer, e.g. 'said right, it was left'."""
    def words(value: str | None) -> str:
        if value is None:
            return "nothing"
        return SITE_LABELS.get(value) or NEURON_LABELS.get(value) or value.replace("_", " ")

    return f"said {words(mistake.given)}, it was {words(mistake.correct)}"
