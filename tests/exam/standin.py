"""Minimal stand-ins for the game's EncounterScreen and FeedbackScreen with the same contract,
so the exam app's rules can be tested without depending on the game's layout."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from vpatient.core.answer import Answer
from vpatient.core.examination import MANEUVERS
from vpatient.tui.screens import encounter as _real


class EncounterScreen(Screen):
    BINDINGS: ClassVar = [Binding("m", "examine", "Examine"), Binding("a", "answer", "Answer"),
                          Binding("escape", "back", "Back"), Binding("x", "crash", "Crash")]
    ANSWER = Answer(neuron="UMN", site="internal_capsule", side="left")

    # The real screen's messages: the contract the exam app listens to cannot drift.
    ManeuverPerformed = _real.EncounterScreen.ManeuverPerformed
    AnswerSubmitted = _real.EncounterScreen.AnswerSubmitted

    def __init__(self, case, performed=(), *, show_answer_feedback=True, header_note=None,
                 allow_leave=True):
        super().__init__()
        self.case = case
        self.performed = list(performed)
        self.header_note = header_note

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{self.header_note.split(' · ')[0]} {self.case.id}: "
                     f"{self.case.patient.complaint}", id="note")
        yield Static(f"performed: {len(self.performed)}", id="count")
        yield Footer()

    def set_header_note(self, note: str) -> None:
        self.header_note = note
        self.sub_title = note

    def action_examine(self) -> None:
        mid = list(MANEUVERS)[len(self.performed)]
        self.performed.append(mid)
        self.query_one("#count", Static).update(f"performed: {len(self.performed)}")
        self.post_message(self.ManeuverPerformed(self.case.id, mid))

    def action_answer(self) -> None:
        self.post_message(self.AnswerSubmitted(self.case.id, self.ANSWER, list(self.performed)))

    def action_crash(self) -> None:
        raise RuntimeError("stand-in crash for the tests")

    def action_back(self) -> None:
        self.dismiss()


class FeedbackScreen(Screen):
    BINDINGS: ClassVar = [Binding("enter", "close", "Next")]

    def __init__(self, case, result, performed) -> None:
        super().__init__()
        self.case, self.result, self.performed = case, result, performed

    def compose(self) -> ComposeResult:
        yield Static(f"FEEDBACK {self.case.id} {self.result.score:.2f}")

    def action_close(self) -> None:
        self.dismiss()
