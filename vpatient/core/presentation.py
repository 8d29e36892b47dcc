"""Presentation files: how each kind of lesion presents, as reviewed data (issue 12).

A *presentation* (``presentations/<site>/<id>.toml``) says who gets a disease (age bands, sex
share, occupations, risk factors), when and how fast it comes on, what causes it as the patient
would tell it, and the symptoms and pertinent negatives the examination cannot show. Three shared
files sit beside them: ``mix.toml`` (the declared case mix per difficulty), ``people.toml``
(occupations, relatives, why people come) and ``phrases.toml`` (the history writer's words for the
deficits it reads off the findings).

This module is pure: bytes in, models or ``path:line: key: message`` problems out. Reading files is
``vpatient.presentations``'s job; writing histories is ``vpatient.core.history``'s.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from vpatient.core import anatomy
from vpatient.core.lesion import SITES, LesionSide, Severity
from vpatient.core.tomlcheck import LIMITS, Checked, Problem, check_toml, describe_error

DIFFICULTY_NAMES: tuple[str, ...] = ("intro", "core", "advanced")
PHASES: tuple[str, ...] = ("hyperacute", "acute", "chronic")
TEMPOS: tuple[str, ...] = ("injury", "found", "sudden", "hours", "days", "weeks", "months", "years")
COURSES: tuple[str, ...] = ("stable", "improving", "progressive", "fluctuating",
                            "peak_then_stable")

# Placeholders every template may use (filled per patient by the history writer).
PERSON_WORDS: frozenset[str] = frozenset({"he", "He", "his", "His", "him", "himself"})
# Words about the deficit a template describes: the side, the limb or part named with its side
# ("right arm", "legs"), and verb agreement with it ("{his} {part} hang{s}").
DEFICIT_WORDS: frozenset[str] = frozenset({
    "side", "other_side", "limb", "part", "area", "level", "s", "es", "is", "has", "was", "it",
    "its", "them", "they",
})
STORY_WORDS: frozenset[str] = frozenset({
    "When", "when", "circumstance", "first", "First", "lesion_side", "relative", "span", "Span",
    "step", "n", "unit", "list", "job", "a_job", "clauses",
})
ALL_WORDS: frozenset[str] = PERSON_WORDS | DEFICIT_WORDS | STORY_WORDS


def _placeholders(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def _check_template(text: str, allowed: frozenset[str] = ALL_WORDS) -> str:
    try:
        names = _placeholders(text)
    except ValueError as err:
        raise ValueError(f"broken placeholder in {text!r}: {err} (write {{he}}, {{his}}, ...; "
                         "a literal brace is {{{{ or }}}})") from None
    unknown = sorted({n for n in names if n not in allowed})
    if unknown:
        known = ", ".join("{" + w + "}" for w in sorted(allowed)) if len(allowed) < 8 else \
            "see the list at the top of phrases.toml"
        raise ValueError(f"unknown placeholder {{{unknown[0]}}} in {text!r} ({known})")
    if not text.strip():
        raise ValueError("an empty phrase")
    return text


Template = Annotated[str, BeforeValidator(lambda v: _check_template(v) if isinstance(v, str)
                                          else v)]
Phrases = Annotated[list[Template], Field(min_length=1)]
# Sentences drawn for many patients need choices, or the same words come back again and again.
Varied = Annotated[list[Template], Field(min_length=2)]
Share = Annotated[float, Field(ge=0, le=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AgeBand(_Strict):
    """One band of the age distribution: ``[from, to, weight]`` in the file."""

    low: int = Field(ge=0, le=110)
    high: int = Field(ge=0, le=110)
    weight: float = Field(gt=0)

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            if len(value) != 3:
                raise ValueError("an age band is [from, to, weight], e.g. [60, 74, 3]")
            return {"low": value[0], "high": value[1], "weight": value[2]}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> AgeBand:
        if self.low > self.high:
            raise ValueError(f"an age band runs from the lower age: [{self.low}, {self.high}] "
                             "is backwards")
        return self


AgeBands = Annotated[list[AgeBand], Field(min_length=1)]


class PatientSpec(_Strict):
    male_share: Share = Field(description="Share of patients who are men (0..1).")
    ages: AgeBands = Field(description="Age distribution: bands [from, to, weight].")
    female_ages: list[AgeBand] | None = Field(
        default=None, description="Age bands for women, where they differ (myasthenia).")
    male_ages: list[AgeBand] | None = None


class LesionSpec(_Strict):
    sides: list[LesionSide] = Field(min_length=1)
    severities: list[Severity] = Field(min_length=1)
    variants: list[dict[str, Any]] = Field(
        default_factory=lambda: [{}],
        description="The lesion's own fields (level, pattern, name, ...), each with an optional "
                    "weight; every combination with sides and severities must be a valid lesion.")


DayRange = Annotated[tuple[float, float], Field()]


class OnsetSpec(_Strict):
    """How long before the visit it began, per phase in which the patient may be seen."""

    hyperacute: DayRange | None = None
    acute: DayRange | None = None
    chronic: DayRange | None = None
    at_age: tuple[int, int] | None = Field(
        default=None, description="Began at this age instead (childhood illness): [from, to].")

    @model_validator(mode="after")
    def _some_range(self) -> OnsetSpec:
        for phase in PHASES:
            days = getattr(self, phase)
            if days is not None and not 0 <= days[0] <= days[1] <= 36500:
                raise ValueError(f"{phase}: a range [from, to] of days, from <= to")
        if self.at_age is None and not any(getattr(self, p) for p in PHASES):
            raise ValueError("give at least one of hyperacute, acute, chronic or at_age")
        return self


class CourseSpec(_Strict):
    tempo: Literal["injury", "found", "sudden", "hours", "days", "weeks", "months",
                   "years"] = Field(
        description="How fast it came on ('injury': at once, with an injury; 'found': "
                    "noticed on waking or after an operation).")
    then: Literal["stable", "improving", "progressive", "fluctuating", "peak_then_stable"] = \
        Field(description="What it has done since.")
    peak_days: float | None = Field(
        default=None, description="peak_then_stable: worsening stops after this many days.")

    @model_validator(mode="after")
    def _peak(self) -> CourseSpec:
        if self.then == "peak_then_stable" and self.peak_days is None:
            raise ValueError("then = 'peak_then_stable' needs peak_days")
        return self


class Cause(_Strict):
    weight: float = Field(default=1, gt=0)
    min_age: int = Field(default=0, ge=0)
    max_age: int = Field(default=120, le=120)
    sex: Literal["male", "female"] | None = None
    phases: list[Literal["hyperacute", "acute", "chronic"]] | None = Field(
        default=None, description="Only in these phases (all when left out).")
    occupations: list[str] = Field(
        default_factory=list, description="The patient does one of these jobs (people.toml), "
                                          "at a working age unless past_work.")
    past_work: bool = Field(default=False,
                            description="The job may be a past one (years of it caused this).")
    circumstances: list[Template] = Field(
        default_factory=list, description="What the patient was doing when it began.")
    told: Varied = Field(description="The cause as the patient tells it (history gives the "
                                     "cause).")
    vague: list[Template] = Field(
        default_factory=list, description="What a vague history says instead (may be empty).")
    tempo: Literal["injury", "found", "sudden", "hours", "days", "weeks", "months",
                   "years"] | None = Field(
        default=None, description="How fast it came on with this cause, where it differs.")
    then: Literal["stable", "improving", "progressive", "fluctuating"] | None = Field(
        default=None, description="What it has done since, with this cause, where it differs.")


class Symptom(_Strict):
    """A symptom the examination cannot show (pain, a prodrome, a rash)."""

    domain: str = Field(description="sensory, pain, speech, swallowing, bladder, vision, ... "
                                    "(a negative of the same domain is then not said)")
    share: Share = 1.0
    rank: float = Field(default=3, ge=0, le=10,
                        description="How much it troubles the patient (the complaint names the "
                                    "highest, findings included).")
    min_days: float = 0
    max_days: float = 36500
    lesion_sides: list[Literal["left", "right", "bilateral"]] | None = Field(
        default=None, description="Only when the lesion is on one of these sides.")
    findings: list[str] = Field(
        default_factory=list,
        description="Told only when one of these findings keys has one of `values` (the "
                    "examination decides: the bladder symptom of a patient whose bladder "
                    "finding is 'retention').")
    values: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_findings(self) -> Symptom:
        from vpatient.core.findings import FINDING_SPECS

        for key in self.findings:
            spec = FINDING_SPECS.get(key)
            if spec is None:
                raise ValueError(f"findings: '{key}' is not a findings key")
            wrong = [v for v in self.values if v not in map(str, spec.values)]
            if wrong:
                raise ValueError(f"values: '{wrong[0]}' is not a value of '{key}' (it takes "
                                 + ", ".join(map(str, spec.values)) + ")")
        if self.findings and not self.values:
            raise ValueError("findings: give the values in which the symptom is told")
        return self
    np: list[Template] = Field(default_factory=list, description="As a noun phrase.")
    now: Varied = Field(description="As a present-tense clause.")
    says: list[Template] = Field(default_factory=list,
                                 description="In the patient's words, as the complaint.")


class Negative(_Strict):
    domain: str | None = None
    say: Phrases = Field(description="Noun phrases: 'headache', 'any fever'.")


class RiskFactor(_Strict):
    share: Share
    min_age: int = 0
    max_age: int = 120
    sex: Literal["male", "female"] | None = None
    say: Varied = Field(description="Verb phrases: 'has high blood pressure'.")


Weight = Annotated[float, Field(ge=0)]


class Presentation(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    site: Literal[SITES]  # type: ignore[valid-type]
    summary: str = Field(min_length=1, description="For instructors only; never shown.")
    tags: list[str] = Field(default_factory=list)
    sources: list[str] = Field(min_length=1)
    reviewed_by: str | None = None
    weight: dict[Literal["intro", "core", "advanced"], Weight] = Field(
        description="Weight within its site, per difficulty (left out or 0: not drawn).")
    patient: PatientSpec
    lesion: LesionSpec
    onset_days: OnsetSpec
    course: CourseSpec
    circumstances: list[Template] = Field(default_factory=list)
    causes: list[Cause] = Field(default_factory=list)
    symptoms: list[Symptom] = Field(default_factory=list)
    negatives: list[Negative] = Field(default_factory=list)
    risk_factors: list[RiskFactor] = Field(default_factory=list)
    first: list[Template] = Field(
        default_factory=list,
        description="How it began, as a noun phrase, when that is not the worst deficit "
                    "(ALS that began with a dropped foot).")
    ranks: dict[str, float] = Field(
        default_factory=dict,
        description="How much a deficit kind troubles these patients, where it differs from the "
                    "writer's default (0..10): a sensory level a patient with a slowly "
                    "compressed neck does not notice.")

    @field_validator("ranks")
    @classmethod
    def _known_kinds(cls, value: dict[str, float]) -> dict[str, float]:
        for kind, rank in value.items():
            if kind not in DEFICIT_KINDS:
                raise ValueError(f"unknown deficit kind '{kind}'; the kinds are: "
                                 + ", ".join(DEFICIT_KINDS))
            if not 0 <= rank <= 10:
                raise ValueError(f"rank of '{kind}' must be from 0 to 10")
        return value


# --- the shared files ------------------------------------------------------------------------


class DifficultyMix(_Strict):
    history: Literal["gives_cause", "vague"] | Share = Field(
        description="'gives_cause', 'vague', or the share of patients whose history gives the "
                    "cause.")
    acute_share: Share
    hyperacute_share: Share
    second_lesion_share: Share
    sites: dict[Literal[SITES], Weight]  # type: ignore[valid-type]
    leave_out_severities: list[Severity] = Field(
        default_factory=list,
        description="Severities not drawn at this difficulty where a presentation has others "
                    "(beginners see clear signs).")

    @property
    def cause_share(self) -> float:
        return {"gives_cause": 1.0, "vague": 0.0}.get(self.history, self.history)  # type: ignore[arg-type]


class Background(_Strict):
    """An illness an advanced patient may also have (the lesion is not the one graded)."""

    lesion: dict[str, Any]
    sides: list[Literal["left", "right"]] | None = None
    min_age: int = 0
    history: Varied


class Mix(_Strict):
    sources: list[str] = Field(min_length=1)
    reviewed_by: str | None = None
    intro: DifficultyMix
    core: DifficultyMix
    advanced: DifficultyMix
    background: list[Background] = Field(default_factory=list)


class Occupation(_Strict):
    name: str = Field(min_length=1, description="'lorry driver': 'works as a lorry driver'.")
    studying: bool = Field(default=False, description="A student: 'is at university'.")
    male_share: Share
    ages: tuple[int, int] = Field(default=(18, 66), description="Working ages.")
    retires: bool = Field(default=True, description="Older people are 'a retired ...'.")
    weight: float = Field(default=1, gt=0)
    general: bool = Field(default=True,
                          description="Drawn for anyone; false: only when a cause needs it.")


class People(_Strict):
    sources: list[str] = Field(min_length=1)
    reviewed_by: str | None = None
    occupations: list[Occupation] = Field(min_length=1)
    works: Varied = Field(description="Verb phrases with {a_job}: 'works as {a_job}'.")
    retired: Varied = Field(description="With {job} and {a_job}: 'is a retired {job}'.")
    studying: Varied
    relatives_young: Varied
    relatives_adult: Varied
    relatives_old: Varied
    presenting_hyperacute: Varied
    presenting_acute: Varied
    presenting_chronic: Varied
    presenting_chronic_mild: Varied = Field(
        description="Why now, only for a mild deficit that came on slowly (put off, mentioned "
                    "at a routine check).")
    presenting_followup: Varied = Field(
        description="Months after a sudden or disabling illness: seen at the time, now followed "
                    "up.")
    told_by: Varied = Field(description="Who tells the story of a patient who struggles for "
                                        "words (with {relative}).")


# The history writer's deficit kinds: what it can read off the findings (vpatient.core.history).
DEFICIT_KINDS: tuple[str, ...] = (
    "paralysed", "paralysed_total", "weak", "heavy", "stiff", "proximal", "distal", "shoulder",
    "elbow_bend", "elbow_straighten", "wrist_drop", "wrist_weak", "finger_drop", "hand", "thumb",
    "fingers", "thigh", "knee", "foot_drop", "trip", "push_off", "stiff_too", "face_droop",
    "face_both", "mouth_droop", "ptosis", "eye_third", "eye_sixth", "tongue", "bulbar", "level",
    "numb_leg", "numb", "numb_feet", "saddle", "numb_half", "unsteady", "wasting", "twitching",
    "minor", "diplopia", "dysarthria", "dysphagia", "aphasia", "neglect", "hemianopia",
    "retention", "urgency", "reflex_bladder", "numb_cape", "numb_cortical",
)
LEVEL_LANDMARKS: tuple[str, ...] = ("neck", "shoulders", "chest", "ribs", "waist", "groin",
                                   "legs")


class DeficitWords(_Strict):
    np: Phrases = Field(description="As a noun phrase: 'weakness of {his} {limb}'.")
    now: Varied = Field(description="Present tense: '{he} cannot lift {his} {limb}'.")
    says: list[Template] = Field(default_factory=list,
                                 description="The complaint, first person: 'My {limb} ...'.")


class Phrasebook(_Strict):
    sources: list[str] = Field(min_length=1)
    reviewed_by: str | None = None
    when_ago: Varied
    when_today: Varied
    when_at_age: Varied
    onset: dict[Literal["injury", "found", "sudden", "hours", "days", "weeks", "months", "years",
                        "at_age"], Varied]
    circumstance_frames: Varied = Field(description="Onset with what the patient was doing.")
    everyday_circumstances: Varied = Field(
        description="What anyone might have been doing when a sudden illness struck; drawn with "
                    "a presentation's own, so that the circumstance does not mark the syndrome.")
    working_circumstances: Varied = Field(
        default_factory=list,
        description="Everyday circumstances of someone at work: only for a patient who works.")
    spread: Varied
    now_lead: Varied = Field(description="Leads into the sentence about now; '-' for none.")
    now_lead_later: Varied = Field(description="More leads, two weeks or more after onset.")
    course: dict[Literal["stable", "improving", "progressive", "fluctuating", "worsening",
                         "settled", "recovering", "early"], Varied]
    negatives: Varied = Field(description="With {list}: 'There has been no {list}.'")
    negatives_told: Varied = Field(
        description="The same for a patient who cannot give the history (aphasia): said by "
                    "those with them, never 'denies'.")
    background: Phrases = Field(description="With {clauses}: '{He} {clauses}.'")
    deficits: dict[str, DeficitWords]
    numb: dict[str, Phrases] = Field(description="Noun phrases per numb area code.")
    level: dict[str, Phrases] = Field(description="Where a sensory level starts, per landmark.")

    @field_validator("deficits")
    @classmethod
    def _every_kind(cls, value: dict[str, DeficitWords]) -> dict[str, DeficitWords]:
        return _exactly(value, DEFICIT_KINDS, "deficit kind")

    @field_validator("numb")
    @classmethod
    def _every_area(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for phrases in value.values():
            for phrase in phrases:
                _check_template(phrase, frozenset({"side"}))
        return _exactly(value, [a for a in anatomy.NUMB_AREAS if a != "none"], "numb area")

    @field_validator("level")
    @classmethod
    def _every_landmark(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for phrases in value.values():
            for phrase in phrases:
                _check_template(phrase, frozenset())
        return _exactly(value, LEVEL_LANDMARKS, "landmark")


def _exactly(value: dict, names: Iterable[str], what: str) -> dict:
    names = tuple(names)
    unknown = [k for k in value if k not in names]
    if unknown:
        raise ValueError(f"unknown {what} '{unknown[0]}'; the {what}s are: " + ", ".join(names))
    missing = [k for k in names if k not in value]
    if missing:
        raise ValueError(f"missing {what} '{missing[0]}' (every {what} needs words)")
    return value


# --- reading: TOML text + model -> the model, or problems with lines --------------------------


def parse_file(data: bytes, path: str, model: type[BaseModel]) -> Checked:
    """A presentation file (or mix.toml, people.toml, phrases.toml) checked against its model:
    the value, or every problem as ``path:line: key: message`` (``core/tomlcheck.py``)."""
    if not data.strip():
        return Checked(None, (Problem(path, 1, "", "the file is empty"),))
    return check_toml(data, model, path, unknown_key_hint="see docs/authoring.md §12",
                      limits=PRESENTATION_LIMITS)


# The phrasebook is the largest file (about 25 KB); a case's limits are generous for it too.
PRESENTATION_LIMITS = LIMITS


# --- checks across files ----------------------------------------------------------------------


def lesion_problems(p: Presentation) -> list[tuple[tuple, str]]:
    """Every side x severity x variant must be a valid lesion (with a sample onset): the first
    combination that is not, per variant."""
    from vpatient.core.lesion import LESION_ADAPTER

    problems: list[tuple[tuple, str]] = []
    onsets = [r[1] for r in (p.onset_days.hyperacute, p.onset_days.acute, p.onset_days.chronic)
              if r] or [3650.0]
    for i, variant in enumerate(p.lesion.variants):
        fields = {k: v for k, v in variant.items() if k != "weight"}
        weight = variant.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
            problems.append((("lesion", "variants", i), "weight must be a positive number"))
            continue
        sides = [fields.pop("side")] if "side" in fields else p.lesion.sides
        severities = [fields.pop("severity")] if "severity" in fields else p.lesion.severities
        combinations = [(side, severity, onset) for side in sides for severity in severities
                        for onset in onsets]
        for side, severity, onset in combinations:
            try:
                LESION_ADAPTER.validate_python({"site": p.site, "side": side,
                                                "severity": severity, "onset_days": onset,
                                                **fields})
            except ValidationError as err:
                first = err.errors(include_url=False)[0]
                problems.append((("lesion", "variants", i),
                                 f"side '{side}', severity '{severity}': " +
                                 describe_error(first)))
                break
    return problems


def mix_problems(mix: Mix, presentations: Iterable[Presentation],
                 unchecked: Iterable[str] = ()) -> list[tuple[tuple, str]]:
    """Every site the mix draws at a difficulty needs a presentation drawn at it (``unchecked``:
    sites whose presentation files have errors of their own, reported there)."""
    problems: list[tuple[tuple, str]] = []
    presentations = list(presentations)
    skip = set(unchecked)
    for difficulty in DIFFICULTY_NAMES:
        for site, weight in getattr(mix, difficulty).sites.items():
            if weight and site not in skip and not any(
                    p.site == site and p.weight.get(difficulty, 0)  # type: ignore[call-overload]
                    for p in presentations):
                problems.append(((difficulty, "sites", site),
                                 f"no presentation of '{site}' has a weight for {difficulty}"))
    return problems


def people_problems(people: People, presentations: Iterable[Presentation]) -> list[
        tuple[str, tuple, str]]:
    """Occupations named by causes must exist in people.toml: (presentation id, loc, message)."""
    jobs = {o.name for o in people.occupations}
    out = []
    for p in presentations:
        for i, cause in enumerate(p.causes):
            for j, job in enumerate(cause.occupations):
                if job not in jobs:
                    out.append((p.id, ("causes", i, "occupations", j),
                                f"'{job}' is not an occupation in people.toml"))
    return out
