"""A case: a patient, their lesions, optional findings overrides, the answer and teaching.

Authored cases (TOML, design §5) and generated patients share this model, so the game, the
grader and the JSON output treat them alike.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from vpatient.core import vocabulary as V
from vpatient.core.answer import AnswerKey, derive_answer, derived_answer_json
from vpatient.core.engine import Variation, derive_findings
from vpatient.core.findings import FINDING_KEYS, FindingValue, check_finding
from vpatient.core.lesion import Lesion

DIFFICULTIES = V.DIFFICULTIES
Difficulty = Literal[V.DIFFICULTIES]  # type: ignore[valid-type]
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PatientInfo(_Strict):
    age: int = Field(ge=0, le=120)
    sex: Literal["male", "female"]
    complaint: str = Field(min_length=1, description="The patient's own words.")
    history: str = Field(min_length=1)


class Teaching(_Strict):
    points: list[str] = Field(default_factory=list,
                              description="What the deciding signs are, and why.")
    references: list[str] = Field(default_factory=list)


class Case(_Strict):
    id: str = Field(pattern=ID_PATTERN, description="Unique, kebab-case.")
    title: str = Field(min_length=1)
    difficulty: Difficulty = "core"
    tags: list[str] = Field(default_factory=list)
    reviewed_by: str | None = Field(
        default=None, description="The clinician who checked this case, and when."
    )
    sources: list[str] = Field(default_factory=list)
    patient: PatientInfo
    lesions: list[Lesion] = Field(min_length=1,
                                  description="The first lesion is the one the answer is about.")
    findings: dict[str, str | int | bool | list[str]] = Field(
        default_factory=dict,
        description="Overrides of engine-derived findings, keyed as in design §4.",
        json_schema_extra={"propertyNames": {"enum": list(FINDING_KEYS)}},
    )
    variation: int | None = Field(
        default=None, ge=0, lt=2**63,
        description="A seed for this patient's own expression of the lesion: grades, reflexes "
        "and pace vary within clinical bounds around the lesion's pattern. Omit it for the "
        "exact textbook picture; generated patients always carry one.",
    )
    answer: AnswerKey | None = Field(
        default=None, description="Derived from the lesions when absent."
    )
    teaching: Teaching = Field(default_factory=Teaching)

    # --- derived --------------------------------------------------------------------------------
    @property
    def all_findings(self) -> dict[str, FindingValue]:
        """The engine's findings for the lesions, with the case's overrides applied."""
        variation = None if self.variation is None else \
            Variation(self.variation, self.patient.age)
        findings = derive_findings(self.lesions, variation)
        findings.update((k, tuple(v) if isinstance(v, list) else v)
                        for k, v in self.findings.items())
        return findings

    @property
    def derived_answer(self) -> AnswerKey:
        return derive_answer(self.lesions)

    @property
    def answer_key(self) -> AnswerKey:
        return self.answer or self.derived_answer

    def to_json(self) -> dict:
        """The design §6 JSON object: id, lesions, answer, every findings key, and the rest."""
        return {
            "id": self.id,
            "title": self.title,
            "difficulty": self.difficulty,
            "tags": list(self.tags),
            "patient": self.patient.model_dump(),
            "lesions": [lesion_json(lesion) for lesion in self.lesions],
            "answer": self.answer.as_json() if self.answer else
            derived_answer_json(self.lesions[0]),
            **({"variation": self.variation} if self.variation is not None else {}),
            "findings": self.all_findings,
            "teaching": self.teaching.model_dump(),
            **({"reviewed_by": self.reviewed_by} if self.reviewed_by else {}),
            **({"sources": list(self.sources)} if self.sources else {}),
        }


def lesion_json(lesion: Lesion) -> dict:
    """A lesion as in the TOML (design §6), ``site`` first (a fresh copy of a cached dump)."""
    return dict(_lesion_json(lesion))


@lru_cache(maxsize=4096)
def _lesion_json(lesion: Lesion) -> dict:
    return {"site": lesion.site, **lesion.model_dump(exclude_none=True, mode="json")}


def semantic_problems(case: Case) -> list[tuple[tuple, str, str]]:
    """Checks beyond field types: (location, message, level) with level 'error' or 'warning'."""
    from vpatient.core.answer import level_problem

    problems: list[tuple[tuple, str, str]] = []
    for key, value in case.findings.items():
        message = check_finding(key, value)
        if message:
            problems.append((("findings", key), message, "error"))
    if case.answer is not None:
        # Levels belong to the canonical site; an alternative site may take none.
        site = case.answer.accepted("site")[0]
        for level in case.answer.accepted("level"):
            message = level_problem(site, level)
            if message:
                problems.append((("answer", "level"), message, "error"))
                break
        derived = case.derived_answer
        for name in ("neuron", "site", "side", "level"):
            authored = case.answer.accepted(name)[0]
            if not derived.accepts(name, authored):
                problems.append((
                    ("answer", name),
                    f"'{authored}' differs from what the lesions imply "
                    f"('{derived.accepted(name)[0]}'): check the lesion or the answer",
                    "warning",
                ))
    return problems
