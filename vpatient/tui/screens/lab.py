"""The lesion lab (issue 13): place any lesion of the vocabulary, move through time from hours to
years, and watch the body map and the findings change; compare two lesions by the findings that
differ (an L5 root against the common peroneal nerve).

Every choice comes from the lesion models (``lesion_space.site_details``) and every finding from the
engine: nothing here is authored per lesion.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import ValidationError
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static, TabbedContent, TabPane

from vpatient.core import timecourse as T
from vpatient.core import vocabulary as V
from vpatient.core.engine import derive_findings
from vpatient.core.findings import NORMAL_FINDINGS
from vpatient.core.lesion import Lesion, format_onset, parse_lesion
from vpatient.core.lesion_space import site_details
from vpatient.core.solver import detail_words
from vpatient.tui import STYLES
from vpatient.tui.display import finding_label, finding_value
from vpatient.tui.widgets.body_map import BodyMap
from vpatient.tui.widgets.chooser import Chooser
from vpatient.tui.widgets.footer import Footer

# The time line: the start of every band of the time course (findings change only there; the
# first is shown as six hours), then a year and ten years.
TIME_STOPS: tuple[float, ...] = (0.25, *T.TIME_THRESHOLDS[1:], 365.0, 3650.0)
# Where the lab opens: the pair issue 13 names.
FIRST = {"site": "root", "level": "L5", "side": "left", "severity": "severe"}
SECOND = {"site": "nerve", "name": "common_peroneal", "side": "left", "severity": "severe"}


def time_words(days: float) -> str:
    return format_onset(days).removesuffix(" ago")


def umn_phase(lesion: Lesion) -> str | None:
    """The upper motor neuron phase of the time course, where the lesion has one."""
    kind = "cerebral" if V.above_decussation(lesion.site) else \
        "cord" if lesion.site == "spinal_cord" else \
        "mnd" if lesion.site == "motor_neuron_disease" else None
    if kind is None:
        return None
    return T.umn_expression(kind, lesion.onset_days, lesion.severity).phase  # type: ignore[arg-type]


class LesionEditor(Vertical):
    """Site, where (level, nerve, pattern ...), side and severity of one lesion."""

    DEFAULT_CSS = """
    LesionEditor {
        height: auto;
    }
    """

    def __init__(self, title: str, start: dict, *, id: str) -> None:
        super().__init__(id=id)
        self.title = title
        self.start = start

    def compose(self) -> ComposeResult:
        yield Static(Text(self.title, style="bold"), classes="editor-title")
        sites = list(V.SITES)
        yield Chooser("Site", sites, [V.SITE_LABELS[s] for s in sites],
                      sites.index(self.start["site"]), id=f"{self.id}-site")
        yield Chooser("Where", [], [], id=f"{self.id}-detail")
        yield Chooser("Side", [], [], id=f"{self.id}-side")
        severities = list(V.SEVERITIES)
        yield Chooser("Severity", severities, severities,
                      severities.index(self.start["severity"]), id=f"{self.id}-severity")

    def on_mount(self) -> None:
        self._offer_details(keep=self.start)

    def chooser(self, part: str) -> Chooser:
        return self.query_one(f"#{self.id}-{part}", Chooser)

    def _offer_details(self, keep: dict | None = None) -> None:
        site = str(self.chooser("site").value)
        details = site_details(site)
        current = None
        if keep:
            current = next((d for d in details
                            if all(d[k] == keep[k] for k in keep if k in d)), None)
        self.chooser("detail").set_values(details, [detail_words(d) for d in details], current)
        self._offer_sides(keep.get("side") if keep else None)

    def _offer_sides(self, keep: str | None = None) -> None:
        """The sides this site and detail accept (a hemisection is one-sided, ...)."""
        keep = keep or self.chooser("side").value
        sides = [side for side in V.LESION_SIDES if self._valid(side)]
        self.chooser("side").set_values(sides, sides, keep)

    def _data(self, side: object, onset: float = 365.0) -> dict:
        return {"site": self.chooser("site").value, **(self.chooser("detail").value or {}),
                "side": side, "severity": self.chooser("severity").value, "onset_days": onset}

    def _valid(self, side: str) -> bool:
        try:
            parse_lesion(self._data(side))
        except ValidationError:
            return False
        return True

    def on_chooser_changed(self, event: Chooser.Changed) -> None:
        if event.chooser.id == f"{self.id}-site":
            self._offer_details()
        elif event.chooser.id == f"{self.id}-detail":
            self._offer_sides()

    def lesion(self, onset_days: float) -> Lesion | str:
        """The lesion described, or why the models refuse it (e.g. ALS within a month)."""
        try:
            return parse_lesion(self._data(self.chooser("side").value, onset_days))
        except ValidationError as err:
            return str(err.errors()[0]["msg"]).removeprefix("Value error, ")


def differences_table(first: dict, second: dict) -> Table | Text:
    keys = [k for k in first if first[k] != second[k]]
    if not keys:
        return Text("The two lesions give the same findings at this time: the examination "
                    "cannot tell them apart.")
    grid = Table(box=None, padding=(0, 1), show_edge=False, expand=True)
    grid.add_column("Finding", ratio=3)
    grid.add_column("A", ratio=2)
    grid.add_column("B", ratio=2)
    for key in keys:
        grid.add_row(finding_label(key), finding_value(key, first[key]),
                     finding_value(key, second[key]))
    return grid


def findings_text(findings: dict) -> Text:
    abnormal = [(k, v) for k, v in findings.items() if v != NORMAL_FINDINGS[k]]
    if not abnormal:
        return Text("Every finding is normal at this time.")
    text = Text()
    for key, value in abnormal:
        text.append(f"{finding_label(key)}: ", style="bold")
        text.append(f"{finding_value(key, value)}\n")
    text.rstrip()
    return text


class LabScreen(Screen[None]):
    """Place a lesion, move through time, compare two."""

    CSS_PATH = STYLES / "lab.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket,minus", "time(-1)", "Earlier", id="lab.earlier"),
        Binding("right_square_bracket,plus,equals_sign", "time(1)", "Later", id="lab.later"),
        Binding("c", "compare", "Compare", id="lab.compare"),
        Binding("m", "show_tab('lab-map')", "Map", id="lab.map"),
        Binding("f", "show_tab('lab-findings')", "Findings", id="lab.findings"),
        Binding("question_mark", "help", "Help", id="lab.help"),
        Binding("escape", "app.pop_screen", "Back", id="lab.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.time_index = TIME_STOPS.index(365.0)
        self.comparing = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="lab"):
            with Vertical(id="lab-controls"):
                yield LesionEditor("Lesion A", FIRST, id="lesion-a")
                yield Static(id="lab-time")
                yield Static(id="lab-phase", classes="hint")
                yield LesionEditor("Lesion B", SECOND, id="lesion-b")
                yield Static(id="lab-problem", classes="hint")
                yield Static("↑↓ choose, ←→ change", id="lab-keys",
                             classes="hint")
            with TabbedContent(initial="lab-map", id="lab-tabs"):
                with TabPane("Body map (m)", id="lab-map"), VerticalScroll():
                    yield Center(BodyMap(id="lab-body-map"))
                with TabPane("Findings (f)", id="lab-findings"), \
                        VerticalScroll(id="lab-findings-scroll"):
                    yield Static(id="lab-findings-text")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Lesion lab"
        self.sub_title = "one lesion through time"
        self.query_one("#lesion-b").display = False
        self.query_one("#lesion-a-site", Chooser).focus()
        self.call_after_refresh(self.refresh_findings)

    # --- state -----------------------------------------------------------------------------------

    @property
    def onset_days(self) -> float:
        return TIME_STOPS[self.time_index]

    def lesions(self) -> tuple[Lesion | str, Lesion | str | None]:
        first = self.query_one("#lesion-a", LesionEditor).lesion(self.onset_days)
        second = self.query_one("#lesion-b", LesionEditor).lesion(self.onset_days) \
            if self.comparing else None
        return first, second

    def refresh_findings(self) -> None:
        first, second = self.lesions()
        self.query_one("#lab-time", Static).update(self._time_line())
        problem = next((x for x in (first, second) if isinstance(x, str)), None)
        self.query_one("#lab-problem", Static).update(Text(problem or ""))
        phase = umn_phase(first) if not isinstance(first, str) else None
        self.query_one("#lab-phase", Static).update(
            Text(f"A: {phase}" if phase else ""))
        body = self.query_one("#lab-body-map", BodyMap)
        text = self.query_one("#lab-findings-text", Static)
        if isinstance(first, str):
            body.findings = {}
            text.update(Text(first))
            return
        findings = derive_findings((first,))
        body.findings = findings
        if self.comparing and second is not None and not isinstance(second, str):
            text.update(differences_table(findings, derive_findings((second,))))
        else:
            text.update(findings_text(findings))

    def _time_line(self) -> Text:
        text = Text("Time     ", style="dim")
        text.append(f"{time_words(self.onset_days)}\n", style="bold")
        bar = "".join("●" if i == self.time_index else "─" for i in range(len(TIME_STOPS)))
        text.append(f"hours {bar} years")
        return text

    # --- events and actions ----------------------------------------------------------------------

    def on_chooser_changed(self, event: Chooser.Changed) -> None:
        self.call_after_refresh(self.refresh_findings)  # after the editor offered its details

    def action_time(self, step: int) -> None:
        self.time_index = max(0, min(len(TIME_STOPS) - 1, self.time_index + step))
        self.refresh_findings()

    def action_compare(self) -> None:
        self.comparing = not self.comparing
        self.query_one("#lesion-b").display = self.comparing
        self.sub_title = "two lesions: only the findings that differ" if self.comparing \
            else "one lesion through time"
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("lab-findings").label = "Differ (f)" if self.comparing else "Findings (f)"
        if self.comparing:
            tabs.active = "lab-findings"
        self.refresh_findings()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_help(self) -> None:
        from vpatient.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def key_down(self) -> None:
        self.focus_next(Chooser)

    def key_up(self) -> None:
        self.focus_previous(Chooser)
