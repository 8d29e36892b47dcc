"""A one-line chooser: ``Label  ‹ value ›``; left/right (or a click) step through the values.

Four of them describe a lesion in four lines, where four drop-down selects would take twelve:
the lesion lab has to fit two lesions and a time line in 80x24.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static


class Chooser(Static, can_focus=True):
    DEFAULT_CSS = """
    Chooser {
        height: auto;
        width: 1fr;
    }
    Chooser:focus {
        background: $boost;
        text-style: bold;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Previous", show=False),
        Binding("right", "step(1)", "Next", show=False),
        Binding("pageup", "step(-10)", "Back 10", show=False),
        Binding("pagedown", "step(10)", "On 10", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]

    class Changed(Message):
        def __init__(self, chooser: Chooser) -> None:
            super().__init__()
            self.chooser = chooser

        @property
        def control(self) -> Chooser:
            return self.chooser

    def __init__(self, label: str, values: Sequence[object], words: Sequence[str],
                 index: int = 0, *, label_width: int = 9, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.label = label
        self.label_width = label_width
        self.values: list[object] = list(values)
        self.words: list[str] = list(words)
        self.index = min(index, max(0, len(self.values) - 1))

    @property
    def value(self) -> object:
        return self.values[self.index] if self.values else None

    def set_values(self, values: Sequence[object], words: Sequence[str],
                   keep: object = None) -> None:
        """New values; the current one is kept where it is still offered."""
        self.values, self.words = list(values), list(words)
        self.index = self.values.index(keep) if keep in self.values else 0
        self.refresh()

    def select(self, value: object) -> None:
        if value in self.values:
            self.index = self.values.index(value)
            self.refresh()
            self.post_message(self.Changed(self))

    def render(self) -> Text:
        text = Text(f"{self.label:<{self.label_width}}", style="dim")
        shown = self.words[self.index] if self.words else "—"
        many = len(self.values) > 1
        text.append("‹ " if many else "  ")
        text.append(shown or "—")
        text.append(" ›" if many else "")
        return text

    def action_step(self, delta: int) -> None:
        if len(self.values) > 1:
            self.index = max(0, min(len(self.values) - 1, self.index + delta))
            self.refresh()
            self.post_message(self.Changed(self))

    def action_jump(self, index: int) -> None:
        if self.values:
            self.index = index % len(self.values)
            self.refresh()
            self.post_message(self.Changed(self))

    def on_click(self, event: events.Click) -> None:
        if self.values:
            self.index = (self.index + 1) % len(self.values)
            self.refresh()
            self.post_message(self.Changed(self))
