"""The case library: bundled cases and an instructor's folder, filtered by difficulty and tag.

Files that failed to load are listed with their errors (``path:line: key: message``) below the
table instead of stopping the game.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select, Static

from vpatient.core.case import DIFFICULTIES, Case
from vpatient.library import CaseLibrary
from vpatient.tui import STYLES

ALL = "*"
TITLE_WIDTH = 54


class LibraryScreen(Screen[None]):
    CSS_PATH = STYLES / "library.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "focus_filter('difficulty-filter')", "Difficulty", id="library.difficulty"),
        Binding("t", "focus_filter('tag-filter')", "Tag", id="library.tag"),
        Binding("c", "clear_filters", "Clear filters", id="library.clear"),
        Binding("escape", "back", "Back", id="library.back"),
    ]

    class CaseChosen(Message):
        """The student picked a case to examine."""

        def __init__(self, case: Case) -> None:
            super().__init__()
            self.case = case

    def __init__(self, library: CaseLibrary, *, instructor_dir: Path | None = None) -> None:
        super().__init__()
        self.library = library
        self.instructor_dir = instructor_dir.resolve() if instructor_dir else None
        self.shown: list[Case] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="library"):
            with Horizontal(id="filters"):
                yield Select([(d, d) for d in DIFFICULTIES], prompt="Any difficulty",
                             id="difficulty-filter", allow_blank=True)
                yield Select([(t, t) for t in self.library.tags()], prompt="Any tag",
                             id="tag-filter", allow_blank=True)
                yield Static(id="count", markup=False)
            table: DataTable[Text] = DataTable(id="cases", cursor_type="row", zebra_stripes=True)
            table.border_title = "Cases (Enter to examine)"
            yield table
            if self.library.problems:
                with VerticalScroll(id="problems", classes="panel") as problems:
                    bad = len(self.library.bad_files)
                    problems.border_title = (f"{bad} file{'s' if bad != 1 else ''} could not be "
                                             "loaded" if bad else "Warnings")
                    yield Static(self._problems_text(), id="problem-lines", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Case library"
        table = self.query_one("#cases", DataTable)
        table.add_column("Case", width=TITLE_WIDTH, key="title")
        table.add_column("Difficulty", key="difficulty")
        if self.instructor_dir is not None:
            table.add_column("From", key="source")
        # No tags column: "root, lmn" beside a case would give the answer away before the
        # examination. Tags stay available as a deliberate filter (like a textbook chapter).
        self._fill()
        table.focus()

    def _source(self, case: Case) -> str:
        path = self.library.paths.get(case.id)
        if path is not None and self.instructor_dir is not None:
            try:
                path.resolve().relative_to(self.instructor_dir)
                return "instructor"
            except ValueError:
                pass
        return "bundled"

    def _problems_text(self) -> Text:
        text = Text()
        for index, problem in enumerate(self.library.problems):
            if index:
                text.append("\n")
            text.append("✗ " if problem.level == "error" else "! ",
                        style="bold red" if problem.level == "error" else "bold yellow")
            text.append(str(problem))
        return text

    def _filters(self) -> tuple[str | None, str | None]:
        values = []
        for select_id in ("difficulty-filter", "tag-filter"):
            value = self.query_one(f"#{select_id}", Select).value
            values.append(value if isinstance(value, str) else None)
        return values[0], values[1]

    def _fill(self) -> None:
        difficulty, tag = self._filters()
        self.shown = [c for c in self.library.cases
                      if (difficulty is None or c.difficulty == difficulty)
                      and (tag is None or tag in c.tags)]
        # Easier cases first, then by title: a student browsing starts at the top.
        order = {d: i for i, d in enumerate(DIFFICULTIES)}
        self.shown.sort(key=lambda c: (order.get(c.difficulty, 9), c.title.lower()))
        table = self.query_one("#cases", DataTable)
        table.clear()
        for case in self.shown:
            title = case.title if len(case.title) <= TITLE_WIDTH else \
                case.title[:TITLE_WIDTH - 1] + "…"
            cells = [Text(title), Text(case.difficulty)]
            if self.instructor_dir is not None:
                cells.append(Text(self._source(case)))
            table.add_row(*cells, key=case.id)
        total = len(self.library.cases)
        self.query_one("#count", Static).update(
            f"{len(self.shown)} of {total} case{'s' if total != 1 else ''}")

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._fill()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        case = self.library.by_id(str(event.row_key.value))
        if case is not None:
            self.post_message(self.CaseChosen(case))

    def action_focus_filter(self, select_id: str) -> None:
        self.query_one(f"#{select_id}", Select).focus()

    def action_clear_filters(self) -> None:
        for select_id in ("difficulty-filter", "tag-filter"):
            self.query_one(f"#{select_id}", Select).clear()
        self.query_one("#cases", DataTable).focus()

    def action_back(self) -> None:
        self.dismiss()
