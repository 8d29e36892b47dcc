"""The contract between the exam and the game's screens.

The exam shows the game's encounter (examine, then localize) and feedback screens; it owns
everything else (welcome, clock, end screen). What it needs from the game is written here as
typed factories, so that neither side guesses at the other's attributes:

- ``encounter(case, performed, note=..., record=..., submit=...)`` examines ``case`` with the
  maneuvers in ``performed`` already done (a resumed session); ``note`` is a line for the
  patient card, if any (the case's title already reads "Case 2 of 4"). Before it reveals a
  maneuver's findings it calls ``record(maneuver_id)``; False means the step could not be
  saved, and the screen reveals nothing, so that the student can perform it again. When the
  student confirms a localization it calls ``submit(answer)``; False leaves the case on screen
  to submit again. It offers no way to abandon the case.
- ``feedback(case, result, performed, review=...)`` shows a graded answer and dismisses itself
  when the student is done with it (``review``: from the end screen, back to the list; otherwise
  on to the next case).
- ``stylesheets``: the CSS the screens expect from their app.

``game_screens()`` is the game's side (``vpatient.exam.screens``). Tests of the server hand
stand-ins with the same contract to the session processes by name (``load_screens``), which is
the only place a module is looked up by name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.screen import Screen

    from vpatient.core.answer import Answer
    from vpatient.core.case import Case
    from vpatient.core.grading import GradeResult


class EncounterFactory(Protocol):
    def __call__(self, case: Case, performed: Sequence[str], *, note: str,
                 record: Callable[[str], bool], submit: Callable[[Answer], bool]) -> Screen: ...


class FeedbackFactory(Protocol):
    def __call__(self, case: Case, result: GradeResult, performed: Sequence[str], *,
                 review: bool) -> Screen: ...


@dataclass(frozen=True)
class GameScreens:
    encounter: EncounterFactory
    feedback: FeedbackFactory
    stylesheets: tuple[Path, ...] = ()


def game_screens() -> GameScreens:
    """The game's own screens, adapted to the exam (imported here: they are heavy)."""
    from vpatient.exam.screens import GAME_SCREENS

    return GAME_SCREENS


def load_screens(spec: str | None) -> GameScreens:
    """``None`` for the game's screens, or ``"module:NAME"`` naming a GameScreens (tests)."""
    if not spec:
        return game_screens()
    module, _, name = spec.partition(":")
    screens = getattr(importlib.import_module(module), name or "SCREENS", None)
    if not isinstance(screens, GameScreens):
        raise TypeError(f"{spec} is not a GameScreens")
    return screens
