"""The encounter: the patient card, the maneuvers by region, the findings log and the body map.

The screen shows only what the student has examined (``examination.revealed``) and never grades:
confirming a localization posts ``AnswerSubmitted`` and the app decides what follows (feedback in
practice, the next case in an exam). The SSH exam reuses this screen, so it depends on nothing of
the practice app.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, OptionList, TabbedContent, TabPane
from textual.widgets.option_list import Option

from vpatient.core.answer import Answer
from vpatient.core.case import Case
from vpatient.core.examination import MANEUVERS, REGIONS, Maneuver, maneuvers_in, revealed
from vpatient.tui import STYLES
from vpatient.tui.widgets.body_map import BodyMap
from vpatient.tui.widgets.findings_log import FindingsLog
from vpatient.tui.widgets.footer import Footer
from vpatient.tui.widgets.more_below import MoreBelowScroll
from vpatient.tui.widgets.option_menu import OptionMenu
from vpatient.tui.widgets.patient_card import SEX_WORDS, PatientCard

DONE_MARK, TODO_MARK = "✓ ", "  "
DIFFERENTIAL_HINT = "differential"  # recorded among the hints when the student opens it
REGION_KEYS: dict[str, str] = {str(number): region
                               for number, region in enumerate(REGIONS, start=1)}


def maneuver_label(maneuver: Maneuver) -> str:
    """The core's label without the region the heading above it already names."""
    label = maneuver.label
    for redundant in (f", {maneuver.region}", f" {maneuver.region}"):
        label = label.replace(redundant, "")
    return label


def maneuver_grid(label: str, done: bool) -> Table:
    """The menu line: a tick once performed; a long label wraps under itself, not the tick."""
    grid = Table.grid()
    grid.add_column(width=len(DONE_MARK), no_wrap=True)
    grid.add_column()
    grid.add_row(Text(DONE_MARK if done else TODO_MARK, style="bold"),
                 Text(label, style="dim" if done else ""))
    return grid


class ManeuverPrompt:
    """A menu line (``maneuver_grid``) whose rendering is kept for the process.

    Rich renders a table slowly, and the menu renders each of its ~110 lines at least twice when
    it is first shown (once to measure its height, once to draw it), in every session. The lines
    are the same for every patient and every student, so each (label, tick, width) is rendered
    once per process and replayed as the same segments; a session forked from the exam server's
    warmed zygote finds them ready. The styles of highlight and hover are applied on top by the
    OptionList, as to any renderable.
    """

    _rendered: ClassVar[dict[tuple, list[Segment]]] = {}
    MAX_RENDERED = 4096  # many terminal widths in one process: start afresh rather than grow

    def __init__(self, label: str, done: bool) -> None:
        self.label = label
        self.done = done

    def grid(self) -> Table:
        return maneuver_grid(self.label, self.done)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = (self.label, self.done, options.min_width, options.max_width, options.height,
               options.max_height, options.justify, options.overflow, options.no_wrap,
               options.encoding, options.legacy_windows, options.is_terminal)
        segments = self._rendered.get(key)
        if segments is None:
            if len(self._rendered) >= self.MAX_RENDERED:
                self._rendered.clear()
            segments = self._rendered[key] = list(console.render(self.grid(), options))
        yield from segments

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.grid())


def maneuver_prompt(maneuver: Maneuver, done: bool) -> ManeuverPrompt:
    return ManeuverPrompt(maneuver_label(maneuver), done)


def breakpoint_class(dimension: int, breakpoints: list[tuple[int, str]]) -> tuple[str, ...]:
    """The class Textual gives a screen for a dimension: the largest breakpoint it reaches."""
    reached = [(limit, name) for limit, name in breakpoints if dimension >= limit]
    return (max(reached)[1],) if reached else ()


def region_heading(number: int, region: str) -> Text:
    return Text(f"{number} {region.upper()}", style="bold underline")


def _warm_solver() -> None:
    from vpatient.core.solver import table

    table()


class EncounterScreen(Screen[None]):
    """Examine one patient, then localize."""

    CSS_PATH = STYLES / "encounter.tcss"
    # A roomy terminal widens the maneuver list and shows the complaint under the body map.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (36, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "localize", "Localize", id="encounter.localize"),
        Binding("p", "show_tab('patient')", "Patient", id="encounter.patient"),
        Binding("b", "show_tab('body-map')", "Body map", id="encounter.body_map"),
        Binding("f", "focus_log", "Log", id="encounter.log", show=False),
        Binding("h", "hint", "Hint", id="encounter.hint"),
        Binding("d", "differential", "Differential", id="encounter.differential", show=False),
        Binding("question_mark", "help", "Help", id="encounter.help"),
        Binding("escape", "leave", "Leave", id="encounter.leave"),
        *(Binding(key, f"region({number})", f"Region {number}", show=False,
                  id=f"encounter.region_{number}")
          for number, key in enumerate(REGION_KEYS, start=1)),
    ]

    class ManeuverPerformed(Message):
        """The student performed a maneuver for the first time in this encounter."""

        def __init__(self, case_id: str, maneuver_id: str) -> None:
            super().__init__()
            self.case_id = case_id
            self.maneuver_id = maneuver_id

    class AnswerSubmitted(Message):
        """The student confirmed a localization (``hints``: the maneuvers hints suggested)."""

        def __init__(self, case_id: str, answer: Answer, performed: list[str],
                     hints: Sequence[str] = ()) -> None:
            super().__init__()
            self.case_id = case_id
            self.answer = answer
            self.performed = performed
            self.hints = list(hints)

    def __init__(self, case: Case, performed: Sequence[str] = (), *,
                 show_answer_feedback: bool = True, header_note: str | None = None,
                 allow_leave: bool = True) -> None:
        """``performed`` restores an earlier log (an exam resumed after a reconnect);
        ``show_answer_feedback`` says whether feedback follows the answer (practice) or not
        (exam); ``allow_leave`` lets escape abandon the patient."""
        super().__init__()
        self._add_breakpoint_classes()
        self.case = case
        self.show_answer_feedback = show_answer_feedback
        self.header_note = header_note
        self.allow_leave = allow_leave
        self.performed: list[str] = []
        for maneuver_id in performed:  # unknown or repeated ids are dropped, order kept
            if maneuver_id in MANEUVERS and maneuver_id not in self.performed:
                self.performed.append(maneuver_id)
        # Every finding of the patient, computed once; only revealed ones leave this object.
        self._all_findings = case.all_findings
        self.hints: list[str] = []  # maneuvers the hint key suggested, in order

    # --- layout ---------------------------------------------------------------------------------

    def _add_breakpoint_classes(self) -> None:
        """Start with the breakpoint classes (-narrow/-wide, -short/-tall) for the terminal as
        it is. Textual adds them on the screen's first resize, after every widget has been
        styled, which restyles the whole screen and lays it out once more; given now, that
        resize finds them in place and changes nothing. (A later resize still updates them.)"""
        try:
            width, height = self.app.size
        except RuntimeError:  # made outside a running app: Textual sets them on the resize
            return
        for dimension, breakpoints in ((width, self.HORIZONTAL_BREAKPOINTS),
                                       (height, self.VERTICAL_BREAKPOINTS)):
            self.add_class(*breakpoint_class(dimension, breakpoints), update=False)

    def compose(self) -> ComposeResult:
        info = self.case.patient
        yield Header()
        with Horizontal(id="encounter"):
            with Vertical(id="exam-column"):
                menu = OptionMenu(*self._menu_options(), id="maneuvers", markup=False)
                menu.border_title = "Examine (1-6: region)"
                yield menu
                log = FindingsLog(id="findings-log", classes="panel")
                log.border_title = "Findings log"
                yield log
            with TabbedContent(initial="patient" if not self.performed else "body-map",
                               id="case-tabs"):
                with TabPane("Patient (p)", id="patient"), MoreBelowScroll(id="patient-scroll"):
                    yield PatientCard(info.age, info.sex, info.complaint, info.history,
                                      title=self.case.title, note=self.header_note,
                                      id="patient-card")
                with TabPane("Body map (b)", id="body-map"), VerticalScroll(id="body-scroll"):
                    yield Center(BodyMap(id="body-map-figure"))
                    yield PatientCard(info.age, info.sex, info.complaint, info.history,
                                      id="patient-reminder")
        yield Footer()

    def _menu_options(self) -> list[Option]:
        options: list[Option] = []
        done = set(self.performed)
        for number, region in enumerate(REGIONS, start=1):
            options.append(Option(region_heading(number, region), id=f"region:{region}",
                                  disabled=True))
            options.extend(Option(maneuver_prompt(m, m.id in done), id=m.id)
                           for m in maneuvers_in(region))
        return options

    def on_mount(self) -> None:
        self.title = "Examination"
        self.set_header_note(self.header_note)
        self._show_findings()
        menu = self.query_one("#maneuvers", OptionList)
        menu.highlighted = 1  # the first maneuver, under the first heading
        menu.focus()
        if self.show_answer_feedback:  # practice: have the solver ready for hints and feedback
            self.run_worker(_warm_solver, thread=True, group="solver", exit_on_error=False)

    def set_header_note(self, note: str | None) -> None:
        """Change the note in the header (e.g. the exam's time left)."""
        self.header_note = note
        info = self.case.patient
        self.sub_title = note or f"{info.age}-year-old {SEX_WORDS.get(info.sex, info.sex)}"

    # --- examining ------------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id in MANEUVERS:
            self.perform(event.option.id)

    def perform(self, maneuver_id: str) -> None:
        """Perform a maneuver: its findings go to the log and the body map."""
        maneuver = MANEUVERS[maneuver_id]
        if maneuver_id in self.performed:
            self.notify(f"Already examined: {maneuver.label}.", timeout=2)
            return
        self.performed.append(maneuver_id)
        self.query_one("#maneuvers", OptionList).replace_option_prompt(
            maneuver_id, maneuver_prompt(maneuver, True))
        self._show_findings()
        if len(self.performed) == 1:
            self.query_one(TabbedContent).active = "body-map"
        self.post_message(self.ManeuverPerformed(self.case.id, maneuver_id))

    @property
    def revealed_findings(self) -> dict[str, object]:
        """Exactly the findings the performed maneuvers reveal, in the order examined."""
        return {key: self._all_findings[key] for key in revealed(self.performed)}

    def _show_findings(self) -> None:
        shown = self.revealed_findings
        self.query_one(FindingsLog).entries = tuple(shown.items())
        self.query_one(BodyMap).findings = shown

    # --- actions --------------------------------------------------------------------------------

    def action_region(self, number: int) -> None:
        region = REGIONS[number - 1]
        menu = self.query_one("#maneuvers", OptionList)
        heading = menu.get_option_index(f"region:{region}")
        menu.focus()
        menu.highlighted = heading + 1
        # The region's first maneuver at the top, then one line up: its heading stays in view.
        menu.scroll_to_highlight(top=True)
        menu.scroll_relative(y=-1, animate=False, immediate=True)

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # No hints in an exam, nor the differential (it ranks the answers).
        return action not in ("hint", "differential") or self.show_answer_feedback

    def action_hint(self) -> None:
        """The most informative next maneuver, and which answers it separates."""
        self.notify("Thinking about what would help most...", timeout=2)
        self.run_worker(self._hint, thread=True, exclusive=True, group="hint",
                        exit_on_error=False)

    def action_differential(self) -> None:
        """The differential on this patient's log; it ranks the answers, so it counts as a hint."""
        from vpatient.tui.screens.differential import DifferentialScreen

        self.hints.append(DIFFERENTIAL_HINT)
        self.app.push_screen(DifferentialScreen(self.revealed_findings,
                                                self.case.lesions[0].onset_days,
                                                title="this patient's findings"))

    def _hint(self) -> None:
        from vpatient.core.solver import solve

        solution = solve(self.revealed_findings, onset_days=self.case.lesions[0].onset_days,
                         performed=self.performed)
        self.app.call_from_thread(self._show_hint, solution)

    def _show_hint(self, solution) -> None:
        suggestion = solution.next_maneuver
        if solution.decided or suggestion is None:
            self.notify("Your findings already point to one answer: localize (l).",
                        title="Hint", timeout=6)
            return
        self.hints.append(suggestion.maneuver)
        maneuver = MANEUVERS[suggestion.maneuver]
        self.notify(f"{maneuver.region.capitalize()}: {maneuver_label(maneuver)}. "
                    f"Why: {suggestion.reason}.", title="Hint", timeout=10)
        menu = self.query_one("#maneuvers", OptionList)
        menu.highlighted = menu.get_option_index(suggestion.maneuver)
        menu.scroll_to_highlight()
        menu.focus()

    def action_focus_log(self) -> None:
        self.query_one(FindingsLog).focus()

    def action_help(self) -> None:
        from vpatient.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_localize(self) -> None:
        from vpatient.tui.screens.localize import LocalizeScreen

        if not self.performed:
            self.notify("You have not examined the patient yet; you can still localize "
                        "from the history.", timeout=4)
        self.app.push_screen(
            LocalizeScreen(final=not self.show_answer_feedback, note=self.header_note,
                           examined=tuple(self.revealed_findings.items())),
            callback=self._localized,
        )

    def _localized(self, answer: Answer | None) -> None:
        if answer is None:
            return  # back to the patient
        self.post_message(self.AnswerSubmitted(self.case.id, answer, list(self.performed),
                                               self.hints))

    def action_leave(self) -> None:
        if not self.allow_leave:
            self.notify("Finish this case by localizing the lesion (l).", timeout=3)
            return
        from vpatient.tui.screens.confirm import ConfirmScreen

        def leave(yes: bool | None) -> None:
            if yes:
                self.dismiss()

        self.app.push_screen(
            ConfirmScreen("Leave this patient? The examination so far will not be kept.",
                          yes="Leave", no="Stay"),
            callback=leave,
        )
