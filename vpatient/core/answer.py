"""The answer to a case: neuron type, site, side and (where the site has one) level.

The engine derives it from the first lesion (the one the case is about); a case file may author
it instead, and any field may list accepted alternatives where localization conventions differ
(design §5), the first being canonical.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from vpatient.core import anatomy
from vpatient.core import vocabulary as V
from vpatient.core.lesion import (
    SITES,
    AnteriorHornLesion,
    Lesion,
    LesionSide,
    SpinalCordLesion,
    lesion_level,
)

NEURONS = V.NEURONS
NEURON_LABELS = V.NEURON_LABELS
Neuron = Literal[V.NEURONS]  # type: ignore[valid-type]
Site = Literal[V.SITES]  # type: ignore[valid-type]
ANSWER_FIELDS: tuple[str, ...] = ("neuron", "site", "side", "level")

# Sites whose neuron type is fixed (ref §5.0 "neuron" column).
_SITE_NEURON: dict[str, tuple[str, ...]] = {
    "cortex": ("UMN",), "internal_capsule": ("UMN",),
    # Crossed syndromes: cranial LMN + limb UMN (design §5 example).
    "midbrain": ("mixed", "UMN"), "pons": ("mixed", "UMN"), "medulla": ("mixed", "UMN"),
    "conus": ("mixed", "LMN"),  # LMN-dominant (ref §8)
    "cauda_equina": ("LMN",), "anterior_horn": ("LMN",), "root": ("LMN",), "plexus": ("LMN",),
    "nerve": ("LMN",), "polyneuropathy": ("LMN",), "nmj": ("NMJ",), "muscle": ("muscle",),
    "motor_neuron_disease": ("mixed",),
}
assert set(_SITE_NEURON) | {"spinal_cord"} == set(SITES)

# Cord levels whose own segments hold examined myotomes: LMN at the level, UMN below (ref §5.5).
MIXED_CORD_LEVELS: frozenset[str] = frozenset(
    anatomy.segment_range("C5", "T1") + anatomy.segment_range("L1", "S5")
)
# Diffuse diseases (ref §5.11, §5.17): the answer's side is bilateral even when the disease began
# on one side (the lesion's ``side`` then says where), which is accepted too.
DIFFUSE_SITES: frozenset[str] = frozenset({"nmj", "motor_neuron_disease"})
# Sites where an answer names a level, and what kind of level (issue: answer model).
LEVEL_KIND = V.LEVEL_KIND


class Answer(BaseModel):
    """A single localization: what a student commits to, or a case's canonical answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    neuron: Neuron
    site: Site
    side: LesionSide
    level: str | None = None


class AnswerKey(BaseModel):
    """A case's answer: each field one value or a list of accepted values, the first canonical."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # A list of accepted values needs at least the canonical one (issue 16: `neuron = []`).
    neuron: Neuron | Annotated[list[Neuron], Field(min_length=1)] = Field(
        description="UMN | LMN | mixed | NMJ | muscle")
    site: Site | Annotated[list[Site], Field(min_length=1)]
    side: LesionSide | Annotated[list[LesionSide], Field(min_length=1)]
    level: str | Annotated[list[str], Field(min_length=1)] | None = Field(
        default=None,
        description="Cord segment or root (C6), anterior horn range (C5-T1), plexus part "
        "(upper_trunk) or nerve name (common_peroneal); omitted for other sites.",
    )

    def accepted(self, name: str) -> list[str | None]:
        value = getattr(self, name)
        return list(value) if isinstance(value, list) else [value]

    @property
    def canonical(self) -> Answer:
        return Answer(**{f: self.accepted(f)[0] for f in ANSWER_FIELDS})

    def accepts(self, name: str, value: str | None) -> bool:
        return value in self.accepted(name)

    def as_json(self) -> dict:
        """The design §6 ``answer`` object: canonical values plus ``accepted`` lists."""
        out: dict = self.canonical.model_dump()
        alternatives = {f: self.accepted(f) for f in ANSWER_FIELDS if len(self.accepted(f)) > 1}
        if alternatives:
            out["accepted"] = alternatives
        return out


def _one(values: tuple[str, ...] | list[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else list(values)


def derive_answer(lesions: list[Lesion] | tuple[Lesion, ...]) -> AnswerKey:
    """The answer a case's lesions imply: the first lesion is the one the case is about."""
    return _answer_for(lesions[0])


def derived_answer_json(lesion: Lesion) -> dict:
    """``derive_answer(...).as_json()`` for a case about this lesion (cached; a fresh copy)."""
    cached = _answer_json_for(lesion)
    return {**cached, "accepted": dict(cached["accepted"])} if "accepted" in cached else \
        dict(cached)


@lru_cache(maxsize=4096)
def _answer_json_for(lesion: Lesion) -> dict:
    return _answer_for(lesion).as_json()


@lru_cache(maxsize=4096)
def _answer_for(lesion: Lesion) -> AnswerKey:
    if isinstance(lesion, SpinalCordLesion):
        neuron: tuple[str, ...] = ("mixed",) if lesion.level in MIXED_CORD_LEVELS else ("UMN",)
    else:
        neuron = _SITE_NEURON[lesion.site]
    sides: tuple[str, ...] = (lesion.side,)
    if lesion.site in DIFFUSE_SITES and lesion.side != "bilateral":
        sides = ("bilateral", lesion.side)  # diffuse: bilateral; where it began is accepted
    elif lesion.site == "cauda_equina" and lesion.side != "bilateral":
        sides = (lesion.side, "bilateral")  # the worse side; several roots of both accepted
    level = lesion_level(lesion)
    if isinstance(lesion, AnteriorHornLesion):
        level = lesion.levels
    return AnswerKey(neuron=_one(neuron), site=lesion.site, side=_one(sides), level=level)


def level_problem(site: str, level: str | None) -> str | None:
    """Why ``level`` is not a valid level for ``site``, or None when it is."""
    kind = LEVEL_KIND.get(site)
    if kind is None:
        return None if level is None else f"site '{site}' has no level; leave it out"
    if level is None:
        return None  # a level may be left out; it then earns no level credit
    if site == "spinal_cord" and level not in anatomy.SEGMENT_INDEX:
        return f"'{level}' is not a cord segment (C1..C8, T1..T12, L1..L5, S1..S5)"
    if site == "root" and level not in anatomy.ROOT_LEVELS:
        return f"'{level}' is not a root level ({', '.join(anatomy.ROOT_LEVELS)})"
    if site == "anterior_horn":
        ends = level.upper().split("-")
        if not 1 <= len(ends) <= 2 or any(e not in anatomy.SEGMENT_INDEX for e in ends):
            return f"'{level}' is not a segment range like 'C5-T1'"
    if site == "plexus" and level not in anatomy.PLEXUS_PARTS:
        return f"'{level}' is not a plexus part ({', '.join(anatomy.PLEXUS_PARTS)})"
    if site == "nerve" and level not in anatomy.NERVES:
        return f"'{level}' is not a nerve ({', '.join(anatomy.NERVES)})"
    return None
