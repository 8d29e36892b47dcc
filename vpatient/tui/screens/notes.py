"""The clinical notes: the game's own short topic pages, listed on the left, read on the right.

Opened from feedback (at the notes a case's reasons link, which are listed first), from help
and from the command palette. The texts are the package's (``vpatient.notes``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, OptionList
from textual.widgets.option_list import Option

from vpatient.tui import STYLES

NO_NOTES = "# No notes\n\nThis installation has no clinical notes."
LINKED_MARK, OTHER_MARK = "• ", "  "


class NotesScreen(Screen[None]):
    CSS_PATH = STYLES / "notes.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="notes.close"),
        Binding("left", "focus_list", "Topics", show=False, id="notes.list"),
        Binding("right", "focus_text", "Text", show=False, id="notes.text"),
    ]

    def __init__(self, start: str | None = None, linked: Sequence[str] = ()) -> None:
        super().__init__()
        from vpatient.notes import list_notes

        self.notes = {note.topic: note for note in list_notes()}
        self.linked = [t for t in linked if t in self.notes]
        self.order = self.linked + [t for t in self.notes if t not in self.linked]
        self.start = start if start in self.notes else (self.order[0] if self.order else None)
        self.shown: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="notes"):
            options = [Option(self._prompt(t), id=t) for t in self.order]
            yield OptionList(*options, id="note-list")
            with VerticalScroll(id="note-scroll"):
                yield Markdown(id="note-text")
        yield Footer()

    def _prompt(self, topic: str) -> Table:
        """A topic's line: the mark for this case's notes, and a title that wraps under itself."""
        grid = Table.grid()
        grid.add_column(width=len(LINKED_MARK), no_wrap=True)
        grid.add_column()
        grid.add_row(LINKED_MARK if topic in self.linked else OTHER_MARK,
                     Text(self.notes[topic].title))
        return grid

    def on_mount(self) -> None:
        self.title = "Clinical notes"
        self.sub_title = "• for this case" if self.linked else ""
        menu = self.query_one("#note-list", OptionList)
        if self.start is None:
            self.query_one("#note-text", Markdown).update(NO_NOTES)
            return
        menu.highlighted = self.order.index(self.start)
        self.show(self.start)
        menu.focus()

    def show(self, topic: str) -> None:
        if topic == self.shown or topic not in self.notes:
            return
        self.shown = topic
        self.query_one("#note-text", Markdown).update(self.notes[topic].text)
        self.query_one("#note-scroll", VerticalScroll).scroll_home(animate=False)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.show(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_focus_text()

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        # A note may link another by its topic ("motor-unit" or "motor-unit.md").
        topic = event.href.removesuffix(".md").rsplit("/", 1)[-1]
        if topic in self.notes:
            event.prevent_default()
            self.query_one("#note-list", OptionList).highlighted = self.order.index(topic)

    def action_focus_list(self) -> None:
        self.query_one("#note-list", OptionList).focus()

    def action_focus_text(self) -> None:
        self.query_one("#note-scroll", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss()
