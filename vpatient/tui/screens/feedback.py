"""Feedback: the score per part with the grader's reasons, the answer beside the truth on the
neuraxis, the discriminating maneuvers not performed, and the case's teaching points.

All the words about the case come from the grader and the case file, shown as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from vpatient.core.case import Case
from vpatient.core.grading import GradeResult
from vpatient.core.lesion import SITE_LABELS
from vpatient.tui import STYLES
from vpatient.tui.widgets.economy import EconomyDetails, ExaminationScore
from vpatient.tui.widgets.neuraxis import Neuraxis

PART_NAMES: dict[str, str] = {"neuron": "Neuron", "site": "Site", "level": "Level",
                              "side": "Side"}


def verdict(score: float) -> str:
    return "right" if score >= 1 else "partly" if score > 0 else "wrong"


def _shown(part: str, value: str | None) -> str:
    if value is None or value == "None":
        return "—"
    if part == "site":
        return SITE_LABELS.get(value, value)
    return value.replace("_", " ")


def score_table(result: GradeResult) -> Text:
    """Part by part: what the student said, the answer, and the credit."""
    text = Text()
    text.append(f"{'Score':<7}", style="bold")
    text.append(f"{result.score * 100:.0f}%".ljust(22), style="bold reverse")
    text.append("\n")
    text.append(f"{'':7}{'You said':<24}{'Answer':<24}Credit\n", style="dim")
    for part in result.parts:
        text.append(f"{PART_NAMES.get(part.part, part.part):<7}", style="bold")
        text.append(f"{_shown(part.part, part.given)[:23]:<24}")
        text.append(f"{_shown(part.part, part.correct)[:23]:<24}")
        text.append(f"{part.score * 100:3.0f}% {verdict(part.score)}",
                    style="bold" if part.score >= 1 else "")
        text.append("\n")
    text.rstrip()
    return text


def reasons(result: GradeResult) -> Text:
    text = Text()
    for index, part in enumerate(result.parts):
        if index:
            text.append("\n\n")
        text.append(f"{PART_NAMES.get(part.part, part.part)} ({part.score * 100:.0f}%): ",
                    style="bold")
        text.append(part.sentence)
    return text


def bullets(items: Sequence[str], *, gap: bool = False) -> Table:
    """A bulleted list whose wrapped lines stay indented under their own text."""
    grid = Table.grid(padding=(0, 1, 1 if gap else 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for item in items:
        grid.add_row("•", Text(item))
    return grid


def missed_text(result: GradeResult) -> Text | Table:
    missed = list(result.missed_maneuvers)
    if not missed:
        return Text("You performed every maneuver that discriminates this lesion.")
    return bullets(missed)


def teaching_text(result: GradeResult) -> Table:
    return bullets(result.teaching, gap=True)


class FeedbackScreen(Screen[None]):
    CSS_PATH = STYLES / "feedback.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_case", "Next patient", id="feedback.next"),
        Binding("escape", "back", "Back", id="feedback.back"),
    ]
    # Below 120 columns the reasons take the full width (see feedback.tcss): beside the
    # diagram, whose labels can take 70 columns, they would wrap every few words.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (120, "-wide")]

    class NextCase(Message):
        """The student asked for the next patient."""

    def __init__(self, case: Case, result: GradeResult, performed: Sequence[str],
                 hints: Sequence[str] = ()) -> None:
        super().__init__()
        self.case = case
        self.result = result
        self.performed = list(performed)
        self.hints = list(hints)

    def compose(self) -> ComposeResult:
        result = self.result
        correct, given = result.answer.canonical, result.given
        yield Header()
        with Vertical(id="feedback"):
            yield Static(score_table(result), id="score-table")
            yield ExaminationScore(self.case, self.performed, self.hints, result.score,
                                   id="examination-score")
            with Horizontal(id="feedback-lower"):
                with Vertical(id="neuraxis-column"):
                    yield Neuraxis(correct.site, correct.side, correct.level,
                                   given.site, given.side, given.level, id="neuraxis")
                    yield Static(Text.assemble(("■ LESION", "bold red"), " the answer  ",
                                               ("◇ YOU", "bold yellow"), " yours"),
                                 id="neuraxis-key")
                with VerticalScroll(id="feedback-text", classes="panel") as scroll:
                    scroll.border_title = "Why"
                    yield Static(reasons(result), id="reasons")
                    # Narrow terminals: the diagram follows the reasons instead of squeezing
                    # them into a column beside it.
                    yield Neuraxis(correct.site, correct.side, correct.level,
                                   given.site, given.side, given.level, id="neuraxis-inline")
                    yield Static("Not examined, and it would have helped", classes="heading")
                    yield Static(missed_text(result), id="missed")
                    yield Static("Your examination", classes="heading")
                    yield EconomyDetails(self.case, self.performed, self.hints, id="economy")
                    if result.teaching:
                        yield Static("Teaching points", classes="heading")
                        yield Static(teaching_text(result), id="teaching")
                    yield Static(Text(f"Case: {self.case.title} ({self.case.id}); "
                                      f"{len(self.performed)} maneuvers performed."),
                                 id="case-line", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Feedback"
        self.sub_title = f"Score {self.result.score * 100:.0f}%"
        self.query_one("#feedback-text").focus()

    def action_next_case(self) -> None:
        self.post_message(self.NextCase())

    def action_back(self) -> None:
        self.dismiss()
