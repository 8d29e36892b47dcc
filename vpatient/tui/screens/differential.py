"""The differential (issue 13): enter findings (a real patient, a textbook case, or the current
patient's log) and watch the answers that explain them, best first, with the next most useful
maneuver.

The findings offered are every key of the findings vocabulary, grouped as the examination groups
its maneuvers; the ranking is the solver's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from vpatient.core.examination import MANEUVER_FOR_KEY, MANEUVERS, REGIONS
from vpatient.core.findings import FINDING_SPECS, FindingValue
from vpatient.tui import STYLES
from vpatient.tui.display import finding_label, finding_value
from vpatient.tui.screens.lab import TIME_STOPS, time_words
from vpatient.tui.widgets.chooser import Chooser
from vpatient.tui.widgets.footer import Footer

SHOWN_CANDIDATES = 8
BAR_WIDTH = 10
UNSET = "·"


def value_order(key: str) -> list[FindingValue]:
    """The values of a finding in the order the keys step through them: normal first."""
    spec = FINDING_SPECS[key]
    values = list(spec.values)
    if spec.kind == "power":
        values.sort(reverse=True)  # 5 down to 0
    values.remove(spec.normal)
    return [spec.normal, *values]


def keys_by_region() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {region: [] for region in REGIONS}
    for key in FINDING_SPECS:
        out[MANEUVERS[MANEUVER_FOR_KEY[key]].region].append(key)
    return out


class FindingsEntry(OptionList):
    """Every finding, one per line; right/Enter and left step its value, 0-5 set a power,
    Delete clears it (not examined)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,enter", "step(1)", "Next value", show=False),
        Binding("left", "step(-1)", "Previous value", show=False),
        Binding("delete,backspace", "clear", "Clear", show=False),
        *(Binding(str(g), f"grade({g})", f"MRC {g}", show=False) for g in range(6)),
    ]

    def action_step(self, delta: int) -> None:
        self.screen.step_value(delta)  # type: ignore[attr-defined]

    def action_clear(self) -> None:
        self.screen.set_value(None)  # type: ignore[attr-defined]

    def action_grade(self, grade: int) -> None:
        self.screen.set_grade(grade)  # type: ignore[attr-defined]


class DifferentialScreen(Screen[None]):
    """Findings in, ranked answers and the next maneuver out."""

    CSS_PATH = STYLES / "differential.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "clear_all", "Clear all", id="differential.clear"),
        Binding("question_mark", "help", "Help", id="differential.help"),
        Binding("escape", "app.pop_screen", "Back", id="differential.back"),
    ]

    def __init__(self, findings: Mapping[str, FindingValue] | None = None,
                 onset_days: float | None = None, *, title: str | None = None) -> None:
        super().__init__()
        self.findings: dict[str, FindingValue] = {
            k: v for k, v in (findings or {}).items() if k in FINDING_SPECS}
        self.onset_days = onset_days
        self.source = title
        self.solution = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="differential"):
            with Vertical(id="entry-column"):
                stops: list[float | None] = [None, *TIME_STOPS]
                words = ["not given", *(time_words(d) for d in TIME_STOPS)]
                start = stops.index(self._nearest_stop()) if self.onset_days is not None else 0
                yield Chooser("Onset", stops, words, start, label_width=7, id="onset")
                entry = FindingsEntry(*self._options(), id="entry", markup=False)
                entry.border_title = "Findings (←→ value, Del clear)"
                yield entry
            with VerticalScroll(id="ranking-column", classes="panel") as scroll:
                scroll.border_title = "Answers that explain them"
                yield Static(id="ranking")
        yield Footer()

    def _nearest_stop(self) -> float:
        onset = self.onset_days or 0.0
        return max((d for d in TIME_STOPS if d <= max(onset, TIME_STOPS[0])),
                   default=TIME_STOPS[0])

    def _options(self) -> list[Option]:
        options = []
        for region, keys in keys_by_region().items():
            options.append(Option(Text(region.upper(), style="bold underline"),
                                  id=f"region:{region}", disabled=True))
            options.extend(Option(self._prompt(k), id=k) for k in keys)
        return options

    def _prompt(self, key: str) -> Text:
        text = Text(finding_label(key) + ": ")
        if key in self.findings:
            text.append(finding_value(key, self.findings[key]), style="bold")
        else:
            text.append(UNSET, style="dim")
        return text

    def on_mount(self) -> None:
        self.title = "Differential"
        self.sub_title = self.source or "enter findings"
        entry = self.query_one(FindingsEntry)
        entry.highlighted = 1
        entry.focus()
        self.update_ranking()

    # --- entering findings -----------------------------------------------------------------------

    def _current_key(self) -> str | None:
        entry = self.query_one(FindingsEntry)
        if entry.highlighted is None:
            return None
        key = entry.get_option_at_index(entry.highlighted).id
        return key if key in FINDING_SPECS else None

    def set_value(self, value: FindingValue | None, key: str | None = None) -> None:
        key = key or self._current_key()
        if key is None:
            return
        if value is None:
            self.findings.pop(key, None)
        else:
            self.findings[key] = value
        self.query_one(FindingsEntry).replace_option_prompt(key, self._prompt(key))
        self.update_ranking()

    def step_value(self, delta: int) -> None:
        key = self._current_key()
        if key is None:
            return
        cycle: list[FindingValue | None] = [None, *value_order(key)]
        position = cycle.index(self.findings[key]) if key in self.findings else 0
        self.set_value(cycle[(position + delta) % len(cycle)], key)

    def set_grade(self, grade: int) -> None:
        key = self._current_key()
        if key is not None and FINDING_SPECS[key].kind == "power":
            self.set_value(grade, key)

    def on_chooser_changed(self, event: Chooser.Changed) -> None:
        value = event.chooser.value
        self.onset_days = float(value) if value is not None else None  # type: ignore[arg-type]
        self.update_ranking()

    def action_clear_all(self) -> None:
        for key in list(self.findings):
            self.set_value(None, key)

    def action_help(self) -> None:
        from vpatient.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    # --- the ranking -----------------------------------------------------------------------------

    def update_ranking(self) -> None:
        if self.solution is None:
            self.query_one("#ranking", Static).update(
                Text("Building the table of lesions (once)...", style="dim"))
        self.run_worker(self._solve, thread=True, exclusive=True, group="differential",
                        exit_on_error=False)

    def _solve(self) -> None:
        from vpatient.core.solver import solve

        findings, onset = dict(self.findings), self.onset_days
        solution = solve(findings, onset_days=onset)
        self.app.call_from_thread(self._show, solution)

    def _show(self, solution) -> None:
        self.solution = solution
        self.query_one("#ranking", Static).update(ranking_text(solution))


def ranking_text(solution) -> Text:
    text = Text()
    used = solution.findings_used
    text.append(f"{used} finding{'s' if used != 1 else ''} entered. ", style="dim")
    in_play = len(solution.in_play_indices())
    text.append("Decided.\n" if solution.decided else
                f"{in_play} answer{'s' if in_play != 1 else ''} fit about as well.\n")
    for candidate in solution.top(SHOWN_CANDIDATES):
        filled = round(candidate.support * BAR_WIDTH)
        text.append("█" * filled + "░" * (BAR_WIDTH - filled) + " ")
        text.append(f"{candidate.support * 100:3.0f}% ", style="bold")
        text.append(candidate.label)
        if candidate.distance:
            text.append(f"  (misfit {candidate.distance:g})", style="dim")
        text.append("\n")
    suggestion = solution.next_maneuver
    if suggestion is not None:
        maneuver = MANEUVERS[suggestion.maneuver]
        text.append("\nNext: ", style="bold")
        text.append(f"{maneuver.label}")
        if maneuver.region not in ("head", "general"):
            text.append(f" ({maneuver.region})")
        text.append(f". Why: {suggestion.reason}.")
    text.rstrip()
    return text
