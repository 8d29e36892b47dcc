"""The case library: bundled cases and an instructor's folder, filtered by difficulty and tag.

Files that failed to load are listed with their errors (``path:line: key: message``) below the
table instead of stopping the game.
"""

from __future__ import annotations

from collections.abc import Callable
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
# Columns beside the title: (key, heading, width). The title takes the rest of the row.
DIFFICULTY_COLUMN = ("difficulty", "Difficulty", 10)
SOURCE_COLUMN = ("source", "From", 10)
BEST_COLUMN = ("best", "Best", 6)
MIN_TITLE_WIDTH = 24


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

    def __init__(self, library: CaseLibrary, *, instructor_dir: Path | None = None,
                 best_scores: Callable[[], dict[str, float]] | None = None) -> None:
        """``best_scores``: the student's best score per case id (read at each showing)."""
        super().__init__()
        self.library = library
        self.instructor_dir = instructor_dir.resolve() if instructor_dir else None
        self.best_scores = best_scores or dict
        self.best: dict[str, float] = {}
        self.shown: list[Case] = []
        self._title_width = 0

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
        self.query_one("#cases", DataTable).focus()

    def on_screen_resume(self) -> None:
        # Back from a case: its best score may have changed.
        self.best = self.best_scores()
        self._fill()

    def on_resize(self) -> None:
        self._fill()

    def _columns(self) -> list[tuple[str, str, int]]:
        # No tags column: "root, lmn" beside a case would give the answer away before the
        # examination. Tags stay available as a deliberate filter (like a textbook chapter).
        extra = [DIFFICULTY_COLUMN, BEST_COLUMN]
        if self.instructor_dir is not None:
            extra.insert(1, SOURCE_COLUMN)
        table = self.query_one("#cases", DataTable)
        room = table.scrollable_content_region.width or table.size.width
        # Each column is padded by one cell on each side (DataTable's cell padding).
        spare = room - sum(width + 2 * table.cell_padding for _, _, width in extra) \
            - 2 * table.cell_padding - 1
        return [("title", "Case", max(MIN_TITLE_WIDTH, spare)), *extra]

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
        cursor = table.cursor_row
        columns = self._columns()
        table.clear(columns=True)
        for key, heading, width in columns:
            table.add_column(heading, width=width, key=key)
        title_width = columns[0][2]
        for case in self.shown:
            title = case.title if len(case.title) <= title_width else \
                case.title[:title_width - 1] + "…"
            cells = {"title": Text(title), "difficulty": Text(case.difficulty),
                     "source": Text(self._source(case)), "best": self._best(case.id)}
            table.add_row(*(cells[key] for key, _, _ in columns), key=case.id)
        if self.shown:
            table.move_cursor(row=min(cursor, len(self.shown) - 1))
        total = len(self.library.cases)
        done = sum(case.id in self.best for case in self.library.cases)
        self.query_one("#count", Static).update(
            f"{len(self.shown)} of {total} case{'s' if total != 1 else ''}"
            + (f"; {done} done" if done else ""))

    def _best(self, case_id: str) -> Text:
        best = self.best.get(case_id)
        if best is None:
            return Text("")
        # The tick marks a done case without colour; the score is the best of its answers.
        return Text(f"✓{best * 100:3.0f}%", style="bold" if best >= 0.8 else "")

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
