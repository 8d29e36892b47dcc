"""Progress: mistakes by kind with their trend, weak spots and what is due for review, then
accuracy by site and by neuron type.

One scrolling page (PageUp/PageDown, Home/End, arrows): the tables are plain text, so no table
takes the keys or scrolls sideways.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from vpatient.core.answer import NEURON_LABELS
from vpatient.core.lesion import SITE_LABELS
from vpatient.core.review import RECENT_ANSWERS, when
from vpatient.progress import GOOD_ANSWER, TREND_WINDOW, MistakeStats, Summary, TopicStats
from vpatient.tui import STYLES
from vpatient.tui.widgets.footer import Footer

BARS = "▁▂▃▄▅▆▇█"
# The core's labels, with the one too long for the topic cell shortened.
NEURON_TOPICS: dict[str, str] = NEURON_LABELS | {"mixed": "mixed UMN and LMN"}
TREND_POINTS = 24  # the latest answers a trend chart shows


def sparkline(values: Sequence[float], width: int = 20) -> str:
    """Values 0..1 as bars on one fixed scale (0 the lowest bar, 1 the full block), oldest on
    the left (the last ``width`` of them). One scale for every line, so lines compare."""
    return "".join(BARS[min(len(BARS) - 1, int(v * len(BARS)))] for v in values[-width:])


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def trend(topic: TopicStats) -> str:
    """Recent form against the whole record, in words (needs a few answers to mean anything)."""
    if topic.attempts < 4:
        return "—"
    change = topic.recent_mean - topic.mean
    return "improving" if change > 0.05 else "slipping" if change < -0.05 else "steady"


def mistake_trend(stats: MistakeStats) -> str:
    """Falling, rising or steady: the recent share against the share over the whole record."""
    shares = stats.trend()
    if len(shares) < 2 * TREND_WINDOW:
        return "—"
    change = shares[-1] - stats.count / len(stats.made)
    return "fewer" if change < -0.1 else "more" if change > 0.1 else "steady"


def _table(*columns: tuple[str, dict]) -> Table:
    table = Table(box=None, padding=(0, 1), pad_edge=False, show_edge=False,
                  header_style="bold")
    for name, options in columns:
        table.add_column(name, **options)
    return table


def mistakes_table(summary: Summary) -> Group | Text:
    if not summary.by_mistake:
        return Text("No mistakes recorded yet." if summary.classified else
                    "Mistakes are counted from your next answer on.", style="dim")
    recent = min(RECENT_ANSWERS, summary.classified)
    table = _table(("Mistake", {"ratio": 3, "no_wrap": True, "overflow": "ellipsis"}),
                   ("All", {"justify": "right"}),
                   ("Lately", {"justify": "right"}),
                   ("Trend", {"no_wrap": True}),
                   ("Over time", {"no_wrap": True, "min_width": 12, "ratio": 2}))
    for stats in summary.by_mistake:
        table.add_row(stats.label, str(stats.count),
                      f"{stats.recent}/{recent}",
                      mistake_trend(stats), Text(sparkline(stats.trend(), TREND_POINTS),
                                                 style="bold"))
    return Group(table, Text(f"Lately: of your last {recent} answers. Over time: the share of "
                             f"each {TREND_WINDOW} answers that made it, ▁ none to █ all, "
                             "oldest first.", style="dim"))


def weak_spots_text(summary: Summary) -> Text:
    text = Text()
    if not summary.weak_spots:
        text.append("No weak spots: no mistake in your recent answers." if summary.classified
                    else "Weak spots appear once your answers show a pattern of mistakes.",
                    style="dim")
        return text
    recent = min(RECENT_ANSWERS, summary.classified)
    for index, item in enumerate(summary.weak_spots[:5], start=1):
        if index > 1:
            text.append("\n")
        text.append(f"{index} ", style="bold")
        text.append(item.label, style="bold" if index == 1 else "")
        text.append(f"  wrong {item.mistakes}×, {item.recent} of the last {recent}; ")
        text.append(when(item.due, summary.now), style="bold" if item.is_due(summary.now) else "")
    due = summary.due()
    text.append("\n")
    text.append(f"{len(due)} due for review. " if due else "Nothing due yet. ", style="dim")
    text.append("Press w for a patient chosen for your top weak spot.", style="dim")
    return text


def topics_table(topics: tuple[TopicStats, ...], labels: dict[str, str], name: str
                 ) -> Table | Text:
    if not topics:
        return Text("(no answers yet)", style="dim")
    table = _table((name, {"ratio": 3, "no_wrap": True, "overflow": "ellipsis"}),
                   ("Answers", {"justify": "right"}), ("Mean", {"justify": "right"}),
                   ("Last 5", {"justify": "right"}), ("Trend", {"no_wrap": True}),
                   ("Over time", {"no_wrap": True, "min_width": 12, "ratio": 2}))
    for topic in topics:
        table.add_row(labels.get(topic.topic, topic.topic), str(topic.attempts),
                      percent(topic.mean), percent(topic.recent_mean), trend(topic),
                      sparkline(topic.scores, 16))
    return table


class StatsScreen(Screen[None]):
    CSS_PATH = STYLES / "stats.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "app.weak_spots", "Practise weak spots", id="stats.weak_spots"),
        Binding("escape", "back", "Back", id="stats.back"),
    ]

    def __init__(self, summary: Summary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        s = self.summary
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static(self._overview(), id="overview")
            if s.attempts:
                yield self._section("Weak spots, worst first", weak_spots_text(s), "weak-spots")
                yield self._section("Mistakes by kind, most frequent lately first",
                                    mistakes_table(s), "by-mistake")
                yield self._section("By site, weakest first",
                                    topics_table(s.by_site, SITE_LABELS, "Site"), "by-site")
                yield self._section("By neuron type, weakest first",
                                    topics_table(s.by_neuron, NEURON_TOPICS, "Neuron type"),
                                    "by-neuron")
        yield Footer()

    @staticmethod
    def _section(title: str, body: Table | Group | Text, id: str) -> Static:
        panel = Static(body, id=id, classes="panel section")
        panel.border_title = title
        return panel

    def on_mount(self) -> None:
        self.title = "My progress"
        self.query_one("#stats").focus()

    def _overview(self) -> Text:
        s = self.summary
        text = Text()
        if not s.attempts:
            text.append("No answers yet. ", style="bold")
            text.append("Every answer you submit is saved and counted here: the mistakes you "
                        "make by kind, your weak spots with their review dates, and accuracy "
                        "by site and by neuron type.")
            return text
        text.append(f"{s.attempts} answer{'s' if s.attempts != 1 else ''}", style="bold")
        if s.first_answer:
            text.append(f" since {s.first_answer:%d %b %Y}")
        text.append("   mean ")
        text.append(percent(s.mean), style="bold")
        text.append("   streak ")
        text.append(str(s.streak), style="bold")
        text.append(f" (best {s.best_streak}; of answers ≥ {percent(GOOD_ANSWER)})\n")
        text.append("Recent scores, oldest first: ")
        text.append(sparkline(s.recent_scores, 30), style="bold")
        notes = []
        if s.unsaved:
            notes.append(f"{s.unsaved} answer{'s' if s.unsaved != 1 else ''} waiting to be "
                         "saved (counted here)")
        if s.unreadable:
            notes.append(f"{s.unreadable} damaged record{'s' if s.unreadable != 1 else ''} "
                         "skipped")
        if s.classified < s.attempts:
            notes.append(f"{s.attempts - s.classified} early answers have no mistake kinds")
        if notes:
            text.append("\n" + "; ".join(notes) + ".", style="dim")
        return text

    def action_back(self) -> None:
        self.dismiss()
