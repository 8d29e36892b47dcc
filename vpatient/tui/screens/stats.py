"""Progress: accuracy by site and by neuron type over time, streaks, weakest topics first."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from vpatient.core.answer import NEURON_LABELS
from vpatient.core.lesion import SITE_LABELS
from vpatient.progress import GOOD_ANSWER, Summary, TopicStats
from vpatient.tui import STYLES

BARS = "▁▂▃▄▅▆▇█"
# The core's labels, with the one too long for the 26-column topic cell shortened.
NEURON_TOPICS: dict[str, str] = NEURON_LABELS | {"mixed": "mixed UMN and LMN"}


def sparkline(scores: tuple[float, ...] | list[float], width: int = 20) -> str:
    """Scores 0..1 as bars, oldest on the left (the last ``width`` of them)."""
    return "".join(BARS[min(len(BARS) - 1, int(s * len(BARS)))] for s in scores[-width:])


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def trend(topic: TopicStats) -> str:
    """Recent form against the whole record, in words (needs a few answers to mean anything)."""
    if topic.attempts < 4:
        return "—"
    change = topic.recent_mean - topic.mean
    return "improving" if change > 0.05 else "slipping" if change < -0.05 else "steady"


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
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static(self._overview(), id="overview")
            site_table: DataTable[Text] = DataTable(id="by-site", cursor_type="row")
            site_table.border_title = "By site, weakest first"
            yield site_table
            neuron_table: DataTable[Text] = DataTable(id="by-neuron", cursor_type="row")
            neuron_table.border_title = "By neuron type, weakest first"
            yield neuron_table
        yield Footer()

    def on_mount(self) -> None:
        self.title = "My progress"
        self._fill("#by-site", self.summary.by_site, SITE_LABELS)
        self._fill("#by-neuron", self.summary.by_neuron, NEURON_TOPICS)
        self.query_one("#by-site").focus()

    def _overview(self) -> Text:
        s = self.summary
        text = Text()
        if not s.attempts:
            text.append("No answers yet. ", style="bold")
            text.append("Every answer you submit is saved at once and counted here: accuracy "
                        "by site and by neuron type, your streak and your weakest topics.")
            return text
        text.append(f"{s.attempts} answer{'s' if s.attempts != 1 else ''}", style="bold")
        if s.first_answer:
            text.append(f" since {s.first_answer:%d %b %Y}")
        text.append("   mean ")
        text.append(percent(s.mean), style="bold")
        text.append("   streak ")
        text.append(str(s.streak), style="bold")
        text.append(f" (best {s.best_streak}; a streak counts answers of "
                    f"{percent(GOOD_ANSWER)} or more)\n")
        text.append("Recent scores, oldest first: ")
        text.append(sparkline(s.recent_scores, 30), style="bold")
        text.append("\n")
        if s.weak_sites:
            text.append("Weakest: ")
            text.append(", ".join(SITE_LABELS.get(w, w) for w in s.weak_sites), style="bold")
            text.append(". Press w to practise " +
                        ("it." if len(s.weak_sites) == 1 else "them."))
        else:
            text.append(f"No site is below {percent(GOOD_ANSWER)}: well done.")
        return text

    def _fill(self, selector: str, topics: tuple[TopicStats, ...], labels: dict[str, str]
              ) -> None:
        table = self.query_one(selector, DataTable)
        table.add_column("Topic", width=26)
        table.add_column("Answers")
        table.add_column("Mean")
        table.add_column("Last 5")
        table.add_column("Trend")
        table.add_column("Over time", width=16)
        for topic in topics:
            table.add_row(
                Text(labels.get(topic.topic, topic.topic)), Text(str(topic.attempts)),
                Text(percent(topic.mean)), Text(percent(topic.recent_mean)), Text(trend(topic)),
                Text(sparkline(topic.scores, 16)),
            )
        if not topics:
            table.add_row(Text("(no answers yet)"), *(Text("") for _ in range(5)))

    def action_back(self) -> None:
        self.dismiss()
