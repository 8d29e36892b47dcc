"""Feedback: the score per part with the grader's reasons, the answer beside the truth on the
neuraxis, the discriminating maneuvers not performed, and the case's teaching points.

All the words about the case come from the grader and the case file; each reason links to the
clinical notes that explain it (click a link, or **o** for the notes of this case).

The summary row (``#feedback-summary``) holds the score table; another panel beside it (for
instance a score of the examination itself) is one more widget yielded in ``summary_panels``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Static

from vpatient.core.case import Case
from vpatient.core.feedback import value_label
from vpatient.core.grading import GradeResult, PartGrade
from vpatient.core.wording import LEVEL_PART_NAMES, level_short
from vpatient.tui import STYLES
from vpatient.tui.widgets.economy import EconomyDetails, ExaminationScore
from vpatient.tui.widgets.neuraxis import Neuraxis

PART_NAMES: dict[str, str] = {"neuron": "Neuron", "site": "Site", "level": "Level",
                              "side": "Side"}
NO_MISSED = "You performed every maneuver that separates this lesion from its look-alikes."


def part_name(part: str, site: str) -> str:
    """'Nerve' for a nerve's level, 'Root' for a root's, 'Level' for the cord's."""
    if part == "level":
        return LEVEL_PART_NAMES.get(site, "Level")
    return PART_NAMES.get(part, part.title())


def verdict(part: PartGrade) -> str:
    if part.score >= 1:
        return "accepted" if part.accepted else "right"
    return "partly" if part.score > 0 else "wrong"


def _shown(result: GradeResult, part: PartGrade, value: str | None, *, given: bool) -> str:
    site = (result.given.site if given else result.answer.canonical.site)
    if value in (None, "None"):
        return "—"
    if part.part == "level":  # the row is named for it: 'Nerve  common peroneal (fibular)'
        return level_short(site, value)
    return value_label(part.part, value, site)


def score_table(result: GradeResult) -> Table:
    """Part by part: what the student said, the answer, and the credit. Long values wrap."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    table.add_column(ratio=1)
    table.add_column(no_wrap=True, justify="right")
    site = result.answer.canonical.site
    table.add_row(Text("Score", style="bold"),
                  Text(f"{result.score * 100:.0f}%", style="bold reverse"), "", "")
    table.add_row("", Text("You said", style="dim"), Text("Answer", style="dim"),
                  Text("Credit", style="dim"))
    for part in result.parts:
        table.add_row(Text(part_name(part.part, site), style="bold"),
                      _shown(result, part, part.given, given=True),
                      _shown(result, part, part.correct, given=False),
                      Text(f"{part.score * 100:3.0f}% {verdict(part)}",
                           style="bold" if part.score >= 1 else ""))
    return table


def as_plain(renderable: object, width: int) -> str:
    """A renderable as the plain text it shows at ``width`` columns (for tests and readers)."""
    from rich.console import Console

    console = Console(width=width, record=True, file=_Discard(), color_system=None)
    console.print(renderable)
    return console.export_text()


class _Discard:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def note_title(topic: str) -> str:
    from vpatient.notes import NoteError, load_note

    try:
        note = load_note(topic)
    except NoteError:
        note = None
    return note.title if note else topic.replace("-", " ")


def note_links(topics: Sequence[str]) -> str:
    """Markup: each note a link that opens it."""
    links = [f"[@click=screen.open_note('{t}')]{escape(note_title(t))}[/]" for t in topics]
    return "Read: " + " · ".join(links)


def reason_markup(result: GradeResult, part: PartGrade) -> str:
    name = part_name(part.part, result.answer.canonical.site)
    return f"[b]{name} ({part.score * 100:.0f}%):[/b] {escape(part.sentence)}"


def bullets(items: Sequence[str], *, gap: bool = False) -> Table:
    """A bulleted list whose wrapped lines stay indented under their own text."""
    grid = Table.grid(padding=(0, 1, 1 if gap else 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for item in items:
        grid.add_row("•", Text(item))
    return grid


def missed_heading(result: GradeResult) -> str:
    return "Not examined, and it would have helped" if result.missed_maneuvers else \
        "Examination"


def missed_text(result: GradeResult) -> Text | Table:
    missed = [m.label for m in result.missed_maneuvers]
    if not missed:
        return Text(NO_MISSED)
    return bullets(missed)


def teaching_text(result: GradeResult) -> Table:
    return bullets(result.teaching, gap=True)


class FeedbackScreen(Screen[None]):
    CSS_PATH = STYLES / "feedback.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_case", "Next patient", id="feedback.next"),
        Binding("o", "open_note", "Notes", id="feedback.notes"),
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

    def summary_panels(self) -> Iterator[Widget]:
        """The panels of the summary row: the score table first."""
        yield Static(score_table(self.result), id="score-table")
        yield ExaminationScore(self.case, self.performed, self.hints, self.result.score,
                               id="examination-score")

    def compose(self) -> ComposeResult:
        result = self.result
        correct, given = result.answer.canonical, result.given
        yield Header()
        with Vertical(id="feedback"):
            with Horizontal(id="feedback-summary"):
                yield from self.summary_panels()
            with Horizontal(id="feedback-lower"):
                with Vertical(id="neuraxis-column"):
                    yield Neuraxis(correct.site, correct.side, correct.level,
                                   given.site, given.side, given.level, id="neuraxis")
                    yield Static(Text.assemble(("■ LESION", "bold red"), " the answer  ",
                                               ("◇ YOU", "bold yellow"), " yours"),
                                 id="neuraxis-key")
                with VerticalScroll(id="feedback-text", classes="panel") as scroll:
                    scroll.border_title = "Why"
                    with Vertical(id="reasons"):
                        for part in result.parts:
                            yield Static(reason_markup(result, part), id=f"reason-{part.part}",
                                         classes="reason")
                            if part.notes:
                                yield Static(note_links(part.notes), classes="note-links")
                    # Narrow terminals: the diagram follows the reasons instead of squeezing
                    # them into a column beside it.
                    yield Neuraxis(correct.site, correct.side, correct.level,
                                   given.site, given.side, given.level, id="neuraxis-inline")
                    if result.log_known:
                        yield Static(missed_heading(result), classes="heading")
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

    def action_open_note(self, topic: str | None = None) -> None:
        """The notes, at ``topic`` or at the first note this feedback links."""
        from vpatient.tui.screens.notes import NotesScreen

        linked = list(self.result.notes)
        self.app.push_screen(NotesScreen(start=topic or (linked[0] if linked else None),
                                         linked=linked))

    def action_back(self) -> None:
        self.dismiss()
