"""The exam's own screens (welcome, end, an unanswered case's answer) and the game's encounter and
feedback screens adapted to the exam's contract (``vpatient.exam.contract``).

Every key works the same on every screen: Enter goes on (begin, open a case's review), Escape
goes back, Ctrl+Q leaves the exam (with a confirmation while it runs). The footer shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from vpatient.core.answer import Answer
from vpatient.core.case import Case
from vpatient.core.examination import MANEUVERS
from vpatient.core.grading import GradeResult
from vpatient.core.lesion import SITE_LABELS
from vpatient.exam.contract import GameScreens
from vpatient.tui import APP_CSS
from vpatient.tui.screens.encounter import EncounterScreen
from vpatient.tui.screens.feedback import FeedbackScreen, bullets
from vpatient.tui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from vpatient.tui.widgets.footer import Footer


class BlankScreen(Screen):
    """Nothing: at the bottom of a resumed session's stack, and under a case's feedback
    (``feedback = "immediate"``: the answered case has gone, the next comes when it closes)."""


class ExamTooSmallScreen(TooSmallScreen):
    """The game's request to enlarge the terminal, in the exam's words."""

    @staticmethod
    def message(width: int, height: int) -> str:
        return (f"Please enlarge your terminal to at least {MIN_WIDTH}×{MIN_HEIGHT} "
                f"(now {width}×{height}).\n\nThe clock keeps running. Ctrl+Q leaves the exam.")


class _Rendered:
    """A renderable whose lines are kept per width for the process: the rules are the same for
    every student of the exam, and a session forked from the server's warmed zygote finds them
    drawn (Rich lays a table out slowly, in every session of a class at once)."""

    _cache: ClassVar[dict[tuple, list[Segment]]] = {}

    def __init__(self, key: tuple, make: Callable[[], RenderableType]) -> None:
        self.key = key
        self.make = make

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = (self.key, options.max_width, options.min_width, options.height, options.no_wrap,
               options.justify, options.overflow)
        segments = self._cache.get(key)
        if segments is None:
            if len(self._cache) > 256:
                self._cache.clear()
            segments = self._cache[key] = list(console.render(self.make(), options))
        yield from segments

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.make())


class WelcomeScreen(Screen):
    """The rules, then Enter to begin (or, when the instructor starts the exam, a wait).

    The first screen of every student, drawn by a whole class in the same second: its title and
    key lines are plain text styled as the header and footer (Textual's Header and Footer would
    double what the screen costs to draw, and they cost it in every session at once)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "begin", "Begin", id="exam.begin"),
    ]
    DEFAULT_CSS = """
    WelcomeScreen #welcome-title {
        dock: top; height: 1; padding: 0 1; background: $panel; color: $foreground;
    }
    WelcomeScreen #welcome-keys {
        dock: bottom; height: 1; padding: 0 1; background: $panel; color: $foreground;
    }
    WelcomeScreen #welcome { padding: 1 2; height: auto; }
    WelcomeScreen #status { padding: 0 2; height: auto; text-style: bold; }
    """

    def __init__(self, rules: list[str], status: str, *, can_begin: bool) -> None:
        super().__init__()
        self.rules = rules
        self.status = status
        self.can_begin = can_begin

    def compose(self) -> ComposeResult:
        yield Static(self._title_line(), id="welcome-title")
        rules = tuple(self.rules)
        yield Static(Group(Text(f"Welcome, {self.app.student}.\n", style="bold"),  # type: ignore[attr-defined]
                           _Rendered(rules, lambda: bullets(rules))), id="welcome")
        yield Static(self.status, id="status", markup=False)
        yield Static(self._keys_line(), id="welcome-keys")

    def _title_line(self) -> Text:
        line = Text(self.app.title, style="bold")
        if self.sub_title:
            line.append(f" — {self.sub_title}")
        return line

    def _keys_line(self) -> Text:
        """As the footer: the keys in bold, and the words are links (as its keys are buttons).
        (Rich styles, not markup: markup makes each new app tokenize its theme, ~3 ms.)"""
        keys = Text()
        for key, word, action in (("enter", "Begin", "screen.begin"),
                                  ("ctrl+q", "Leave", "app.leave")):
            if action == "screen.begin" and not self.can_begin:
                continue
            keys.append(key, style="bold")
            keys.append(" ")
            keys.append(word, style=Style(meta={"@click": action}))
            keys.append("   ")
        keys.rstrip()
        return keys

    def watch_sub_title(self) -> None:
        if self.is_mounted:
            self.query_one("#welcome-title", Static).update(self._title_line())

    def update_status(self, status: str, *, can_begin: bool) -> None:
        self.status, self.can_begin = status, can_begin
        self.query_one("#status", Static).update(status)
        self.query_one("#welcome-keys", Static).update(self._keys_line())

    def action_begin(self) -> None:
        if self.can_begin:
            self.app.begin()  # type: ignore[attr-defined]


class SummaryScreen(Screen):
    """The end of the exam: what was answered and, if the exam allows, scores and answers."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "app.leave", "Leave", id="exam.end.leave", show=False),  # as Ctrl+Q
    ]
    DEFAULT_CSS = """
    SummaryScreen #summary { padding: 1 2; height: auto; }
    SummaryScreen OptionList { height: 1fr; margin: 0 2 1 2; }
    """

    def __init__(self, lines: list[str], options: list[tuple[str, int]]) -> None:
        super().__init__()
        self.lines = lines
        self.options = options

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static("\n".join(self.lines), id="summary", markup=False)
            if self.options:
                menu = OptionList(*[Option(text, id=str(i)) for text, i in self.options],
                                  markup=False)
                menu.border_title = "Review a case (Enter)"
                yield menu
        yield Footer()

    def on_mount(self) -> None:
        if self.options:
            menu = self.query_one(OptionList)
            menu.highlighted = 0
            menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.app.review(int(event.option.id))  # type: ignore[attr-defined]


class AnswerScreen(Screen):
    """A case the student did not answer, after the exam: its answer and teaching points."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back to your results", id="exam.answer.back"),
    ]
    DEFAULT_CSS = """
    AnswerScreen VerticalScroll { padding: 1 2; }
    AnswerScreen .heading { text-style: bold; margin-top: 1; }
    """

    def __init__(self, case: Case, number: int) -> None:
        super().__init__()
        self.case = case
        self.number = number

    def compose(self) -> ComposeResult:
        key = self.case.answer_key.canonical
        answer = " · ".join(x for x in (key.neuron, SITE_LABELS.get(key.site, key.site),
                                        (key.level or "").replace("_", " "), key.side) if x)
        yield Header()
        with VerticalScroll():
            yield Static(Text.assemble((f"Case {self.number}: ", "bold"), "not answered."))
            yield Static(Text.assemble(("The answer: ", "bold"), answer))
            if self.case.teaching.points:
                yield Static("Teaching points", classes="heading")
                yield Static(bullets(self.case.teaching.points, gap=True))
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Case {self.number}"


# --- the game's screens, adapted ----------------------------------------------------------------


class ExamEncounterScreen(EncounterScreen):
    """The game's encounter with the exam's rules: each maneuver is saved before its findings
    show, the answer goes to the exam, and there is no leaving the case."""

    def __init__(self, case: Case, performed: Sequence[str], *, note: str,
                 record: Callable[[str], bool], submit: Callable[[Answer], bool]) -> None:
        super().__init__(case, performed, show_answer_feedback=False, header_note=note,
                         allow_leave=False)
        self._record = record
        self._submit = submit

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave":
            return False  # not shown, and Escape does nothing: a case ends with an answer
        return super().check_action(action, parameters)

    def perform(self, maneuver_id: str) -> None:
        new = maneuver_id in MANEUVERS and maneuver_id not in self.performed
        if new and not self._record(maneuver_id):
            return  # not saved: nothing revealed, and it can be performed again
        super().perform(maneuver_id)

    @on(EncounterScreen.ManeuverPerformed)
    def _recorded_already(self, message: EncounterScreen.ManeuverPerformed) -> None:
        message.stop()

    @on(EncounterScreen.AnswerSubmitted)
    def _answered(self, message: EncounterScreen.AnswerSubmitted) -> None:
        message.stop()
        self._submit(message.answer)


class ExamFeedbackScreen(FeedbackScreen):
    """The game's feedback: after an answer (``feedback = "immediate"``) it leads on to the next
    case; from the end screen it leads back to the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_case", "Next case", id="feedback.next"),
        Binding("escape", "back", "Back to your results", id="feedback.back"),
    ]

    def __init__(self, case: Case, result: GradeResult, performed: Sequence[str], *,
                 review: bool) -> None:
        super().__init__(case, result, performed)
        self.review = review

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_case":
            return not self.review
        if action == "back":
            return self.review
        return super().check_action(action, parameters)

    def action_next_case(self) -> None:
        self.dismiss()


GAME_SCREENS = GameScreens(encounter=ExamEncounterScreen, feedback=ExamFeedbackScreen,
                           stylesheets=(APP_CSS,))
