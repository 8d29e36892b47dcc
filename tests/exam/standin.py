"""Stand-ins for the game's encounter and feedback screens with the exam's contract
(``vpatient.exam.contract``), so that the exam's rules and the server can be tested without
depending on the game's layout. Server tests hand them to session processes by name:
``tests.exam.standin:SCREENS``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from vpatient.core.answer import Answer
from vpatient.core.case import Case
from vpatient.core.examination import MANEUVERS
from vpatient.core.grading import GradeResult
from vpatient.exam.contract import GameScreens
from vpatient.tui import APP_CSS


class EncounterScreen(Screen):
    BINDINGS: ClassVar = [Binding("m", "examine", "Examine"), Binding("a", "answer", "Answer"),
                          Binding("x", "crash", "Crash")]
    ANSWER = Answer(neuron="UMN", site="internal_capsule", side="left")

    def __init__(self, case: Case, performed: Sequence[str] = (), *, note: str,
                 record: Callable[[str], bool], submit: Callable[[Answer], bool]) -> None:
        super().__init__()
        self.case = case
        self.performed = list(performed)
        self.note = note
        self.record = record
        self.submit = submit

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{self.case.title} {self.case.id}: {self.case.patient.complaint}",
                     id="note")
        yield Static(f"performed: {len(self.performed)}", id="count")
        yield Footer()

    def action_examine(self) -> None:
        mid = list(MANEUVERS)[len(self.performed)]
        if self.record(mid):
            self.performed.append(mid)
        self.query_one("#count", Static).update(f"performed: {len(self.performed)}")

    def action_answer(self) -> None:
        self.submit(self.ANSWER)

    def action_crash(self) -> None:
        raise RuntimeError("stand-in crash for the tests")


class FeedbackScreen(Screen):
    BINDINGS: ClassVar = [Binding("enter", "close", "Next")]

    def __init__(self, case: Case, result: GradeResult, performed: Sequence[str], *,
                 review: bool) -> None:
        super().__init__()
        self.case, self.result, self.performed, self.review = case, result, performed, review

    def compose(self) -> ComposeResult:
        yield Static(f"FEEDBACK {self.case.id} {self.result.score:.2f}")

    def action_close(self) -> None:
        self.dismiss()


SCREENS = GameScreens(encounter=EncounterScreen, feedback=FeedbackScreen, stylesheets=(APP_CSS,))
