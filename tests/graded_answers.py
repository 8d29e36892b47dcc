"""Graded answers to bundled cases, stored as the game stores them (for progress tests)."""

from __future__ import annotations

from datetime import datetime

from vpatient.core.grading import grade
from vpatient.library import load_bundled
from vpatient.progress import ProgressStore

OTHER_SIDE = {"left": "right", "right": "left"}


def record_graded(store: ProgressStore, case_id: str, change: dict, when: datetime) -> None:
    """Answer a bundled case with its key changed by ``change`` (``{"side": "other"}`` puts
    the lesion on the wrong side) and store it with the key, as the game does."""
    case = load_bundled().by_id(case_id)
    assert case is not None, case_id
    key = case.answer_key
    if change.get("side") == "other":
        change = {**change, "side": OTHER_SIDE[key.canonical.side]}
    given = key.canonical.model_copy(update=change)
    result = grade(case, given)
    store.record(case_id=case.id, source="library", difficulty=case.difficulty,
                 site=key.canonical.site, neuron=key.canonical.neuron, score=result.score,
                 part_scores={p.part: p.score for p in result.parts}, given=given.model_dump(),
                 maneuvers=["face"], answer_key=key.as_json(), answered_at=when)
