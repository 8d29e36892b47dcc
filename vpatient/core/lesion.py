"""The lesion vocabulary of design §3, as pydantic models.

A lesion is a tagged union on ``site``: each site has its own model with exactly its extra fields,
so an unknown or misplaced key is an error that names the key, and the JSON Schema tells an
editor which fields each site takes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator
from pydantic_core import PydanticCustomError

from vpatient.core import anatomy
from vpatient.core import vocabulary as V

SITES = V.SITES
SITE_LABELS = V.SITE_LABELS

# The model's field types are the vocabularies' values (a tuple subscript spreads into Literal).
LesionSide = Literal[V.LESION_SIDES]  # type: ignore[valid-type]
Severity = Literal[V.SEVERITIES]  # type: ignore[valid-type]
SegmentName = Literal[V.SEGMENTS]  # type: ignore[valid-type]
RootLevel = Literal[V.ROOT_LEVELS]  # type: ignore[valid-type]
NerveName = Literal[V.NERVE_NAMES]  # type: ignore[valid-type]
MndRegion = Literal[V.MND_REGIONS]  # type: ignore[valid-type]


def _side_error(message: str) -> PydanticCustomError:
    # ``field`` lets the case loader point at the ``side`` key rather than the whole lesion.
    return PydanticCustomError("lesion_side", message, {"field": "side"})


class _LesionBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    side: LesionSide = Field(description="Side of the lesion (not of the deficit).")
    onset_days: float = Field(
        ge=0, le=36500,
        description="How long ago it began, in days: 0.25 is six hours, 0 is within hours.",
    )
    severity: Severity

    @property
    def sides(self) -> tuple[anatomy.Side, ...]:
        return anatomy.SIDES if self.side == "bilateral" else (self.side,)  # type: ignore[return-value]


class _BilateralOnly(_LesionBase):
    @model_validator(mode="after")
    def _bilateral(self) -> _BilateralOnly:
        if self.side != "bilateral":
            raise _side_error(f"side must be 'bilateral' for site '{self.site}'")  # type: ignore[attr-defined]
        return self


class CortexLesion(_LesionBase):
    site: Literal["cortex"]
    territory: Literal[V.CORTICAL_TERRITORIES] = Field(  # type: ignore[valid-type]
        description="face_arm: lateral convexity (MCA); leg: medial surface (ACA); whole."
    )


class InternalCapsuleLesion(_LesionBase):
    site: Literal["internal_capsule"]


class BrainstemLesion(_LesionBase):
    """Crossed syndromes: ipsilateral cranial nerve, contralateral body (ref §5.4)."""

    site: Literal[V.BRAINSTEM_SITES]  # type: ignore[valid-type]


class SpinalCordLesion(_LesionBase):
    site: Literal["spinal_cord"]
    level: SegmentName
    pattern: Literal[V.CORD_PATTERNS]  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _side_fits_pattern(self) -> SpinalCordLesion:
        if self.pattern == "hemisection" and self.side == "bilateral":
            raise _side_error("a hemisection is one-sided: side must be 'left' or 'right'")
        if self.pattern != "hemisection" and self.side != "bilateral":
            raise _side_error(
                f"a {self.pattern} cord lesion affects both sides: side must be 'bilateral'"
            )
        return self


class ConusLesion(_BilateralOnly):
    site: Literal["conus"]


class CaudaEquinaLesion(_LesionBase):
    """``side`` left or right names the worse side; the other is affected less (ref §5.8)."""

    site: Literal["cauda_equina"]


class AnteriorHornLesion(_LesionBase):
    site: Literal["anterior_horn"]
    levels: str = Field(description='A range of segments, e.g. "C5-T1" or "L2-S1".',
                        examples=["C5-T1", "L2-S1"])

    @field_validator("levels")
    @classmethod
    def _segment_range(cls, value: str) -> str:
        parts = [p.strip().upper() for p in value.split("-")]
        if len(parts) == 1:
            parts = parts * 2
        if len(parts) != 2 or any(p not in anatomy.SEGMENT_INDEX for p in parts):
            raise ValueError(
                f"'{value}' is not a segment range like 'C5-T1' (segments C1..C8, T1..T12, "
                "L1..L5, S1..S5)"
            )
        a, b = parts
        if anatomy.SEGMENT_INDEX[a] > anatomy.SEGMENT_INDEX[b]:
            a, b = b, a
        return a if a == b else f"{a}-{b}"

    @model_validator(mode="after")
    def _reaches_examined_muscles(self) -> AnteriorHornLesion:
        if not any(seg in anatomy.LIMB_SEGMENTS for seg in self.segments):
            raise PydanticCustomError(
                "horn_levels",
                "'{levels}' holds no limb muscle the examination tests (their myotomes are "
                "C5-T1 and L1-S2): widen the range",
                {"levels": self.levels, "field": "levels"},
            )
        return self

    @property
    def segments(self) -> tuple[str, ...]:
        a, _, b = self.levels.partition("-")
        return anatomy.segment_range(a, b or a)


class RootLesion(_LesionBase):
    site: Literal["root"]
    level: RootLevel


class PlexusLesion(_LesionBase):
    site: Literal["plexus"]
    part: Literal[V.PLEXUS_PARTS]  # type: ignore[valid-type]


class NerveLesion(_LesionBase):
    site: Literal["nerve"]
    name: NerveName
    at: str | None = Field(
        default=None,
        description="Where along the nerve; the default is its commonest lesion site.",
    )

    @model_validator(mode="after")
    def _known_site_along_nerve(self) -> NerveLesion:
        if self.side == "bilateral":
            raise _side_error("a single nerve is one-sided: side must be 'left' or 'right'")
        nerve = anatomy.NERVES[self.name]
        if self.at is not None and self.at not in nerve.sites:
            raise PydanticCustomError(
                "nerve_site",
                "'{at}' is not a lesion site of the {name} nerve; use one of: {sites}",
                {"at": self.at, "name": self.name, "sites": ", ".join(nerve.sites),
                 "field": "at"},
            )
        return self

    @property
    def lesion_at(self) -> str:
        return self.at or anatomy.NERVES[self.name].default_at


class PolyneuropathyLesion(_BilateralOnly):
    site: Literal["polyneuropathy"]
    pattern: Literal[V.POLYNEUROPATHY_PATTERNS]  # type: ignore[valid-type]


class NmjLesion(_LesionBase):
    """Myasthenia: ``side`` left/right names the side of the worse ptosis."""

    site: Literal["nmj"]


class MuscleLesion(_BilateralOnly):
    site: Literal["muscle"]


class MotorNeuronDiseaseLesion(_LesionBase):
    site: Literal["motor_neuron_disease"]
    regions: tuple[MndRegion, ...] = Field(
        default=V.MND_REGIONS, min_length=1
    )

    @model_validator(mode="after")
    def _examinable_regions(self) -> MotorNeuronDiseaseLesion:
        if tuple(self.regions) == ("thoracic",):
            raise PydanticCustomError(
                "mnd_regions",
                "disease confined to the thoracic region weakens no muscle the examination "
                "tests: add the region it spreads to (bulbar, cervical or lumbosacral)",
                {"field": "regions"},
            )
        return self

    @model_validator(mode="after")
    def _no_acute_als(self) -> MotorNeuronDiseaseLesion:
        if self.onset_days < 30:
            raise PydanticCustomError(
                "mnd_onset",
                "motor neuron disease has no acute form (ref §5.11): onset_days must be at "
                "least 30",
                {"field": "onset_days"},
            )
        return self


Lesion = Annotated[
    CortexLesion | InternalCapsuleLesion | BrainstemLesion | SpinalCordLesion | ConusLesion
    | CaudaEquinaLesion | AnteriorHornLesion | RootLesion | PlexusLesion | NerveLesion
    | PolyneuropathyLesion | NmjLesion | MuscleLesion | MotorNeuronDiseaseLesion,
    Field(discriminator="site"),
]
LESION_ADAPTER: TypeAdapter[Lesion] = TypeAdapter(Lesion)
assert set(LESION_ADAPTER.json_schema()["discriminator"]["mapping"]) == set(SITES), \
    "one lesion model per site of the vocabulary"


def parse_lesion(data: dict) -> Lesion:
    """Validate one lesion from plain data (raises pydantic.ValidationError)."""
    return LESION_ADAPTER.validate_python(data)


def lesion_level(lesion: Lesion) -> str | None:
    """The 'level' an answer gives for this lesion's site (design §5, issue: answer model)."""
    match lesion:
        case SpinalCordLesion() | RootLesion():
            return lesion.level
        case AnteriorHornLesion():
            return lesion.levels
        case PlexusLesion():
            return lesion.part
        case NerveLesion():
            return lesion.name
    return None


def describe(lesion: Lesion) -> str:
    """A short clinician's description, e.g. 'left internal capsule (severe, 90 days)'."""
    where = SITE_LABELS[lesion.site]
    level = lesion_level(lesion)
    if isinstance(lesion, CortexLesion):
        where = {"face_arm": "lateral motor cortex (MCA)", "leg": "medial motor cortex (ACA)",
                 "whole": "motor cortex"}[lesion.territory]
    elif isinstance(lesion, NerveLesion):
        where = f"{anatomy.NERVES[lesion.name].label} at the {lesion.lesion_at.replace('_', ' ')}"
        level = None
    elif isinstance(lesion, SpinalCordLesion):
        where = f"spinal cord {lesion.level} ({lesion.pattern})"
        level = None
    elif isinstance(lesion, PolyneuropathyLesion):
        where = f"{lesion.pattern.replace('_', '-')} polyneuropathy"
    elif isinstance(lesion, PlexusLesion):
        where = f"{lesion.part.replace('_', ' ')} of the plexus"
        level = None
    text = f"{lesion.side} {where}" + (f" {level}" if level else "")
    return f"{text} ({lesion.severity}, {format_onset(lesion.onset_days)})"


def format_onset(days: float) -> str:
    if days < 1:
        hours = round(days * 24)
        return "within hours" if hours == 0 else \
            f"{hours} hour{'' if hours == 1 else 's'} ago"
    if days < 14:
        whole = round(days)
        return f"{whole} day{'' if whole == 1 else 's'} ago"
    if days < 60:
        return f"{round(days / 7)} weeks ago"
    if days < 730:
        return f"{round(days / 30)} months ago"
    return f"{round(days / 365)} years ago"
