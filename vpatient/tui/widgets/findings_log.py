"""The findings log: every finding elicited, in the order examined, and nothing else."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from vpatient.core.findings import FindingValue
from vpatient.tui.display import finding_label, finding_value

EMPTY_LOG = "Nothing examined yet. Choose a maneuver on the left and press Enter."


class FindingsLog(VerticalScroll, can_focus=True):
    """Shows ``entries``: (findings key, value) pairs, oldest first; newest scrolled into view."""

    DEFAULT_CSS = """
    FindingsLog { height: 1fr; }
    FindingsLog > #log-lines { width: 1fr; height: auto; }
    """

    entries: reactive[tuple[tuple[str, FindingValue], ...]] = reactive(tuple)

    def compose(self) -> ComposeResult:
        yield Static(EMPTY_LOG, id="log-lines", markup=False)

    @property
    def lines(self) -> list[str]:
        """The log as plain lines (what the student reads), for tests and screen readers."""
        return [f"{finding_label(k)}: {finding_value(k, v)}" for k, v in self.entries]

    def watch_entries(self, entries: Sequence[tuple[str, FindingValue]]) -> None:
        if not self.is_mounted:
            return
        static = self.query_one("#log-lines", Static)
        if not entries:
            static.update(EMPTY_LOG)
            return
        # A grid keeps a wrapped finding indented under its own text, not under the number.
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(justify="right", no_wrap=True, style="dim")
        grid.add_column()
        for number, (key, value) in enumerate(entries, start=1):
            line = Text(f"{finding_label(key)}: ")
            line.append(finding_value(key, value), style="bold")
            grid.add_row(str(number), line)
        static.update(grid)
        self.call_after_refresh(self.scroll_end, animate=False)

    def on_mount(self) -> None:
        self.watch_entries(self.entries)
