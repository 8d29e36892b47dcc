"""Examination economy in the feedback (issue 13): the examination part of the score beside the
localization score, and which maneuvers decided, added information, or added nothing.

Both widgets read one ``core.economy.assess`` result, computed once per answer (the solver's
table is usually warm by then: the encounter builds it in the background).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from vpatient.core.case import Case
from vpatient.core.examination import MANEUVERS

SHOWN_UNINFORMATIVE = 8  # maneuvers listed by name among those that added nothing

_lock = threading.Lock()
_cache: dict[tuple, object] = {}


def economy_for(case: Case, performed: Sequence[str], hints: Sequence[str]):
    """The economy of this examination (cached: the summary and the details share it)."""
    from vpatient.core.economy import assess

    key = (case.id, tuple(performed), tuple(hints))
    with _lock:
        if key not in _cache:
            if len(_cache) > 32:
                _cache.clear()
            _cache[key] = assess(case, performed, hints)
        return _cache[key]


def maneuver_words(maneuver_id: str) -> str:
    """A maneuver's label with the limb it was done on: 'Reflex: ankle jerk (left leg)'."""
    maneuver = MANEUVERS.get(maneuver_id)
    if maneuver is None:  # the differential, opened on the patient's findings
        return "the differential on your findings"
    if maneuver.region in ("head", "general") or maneuver.region in maneuver.label:
        return maneuver.label
    return f"{maneuver.label} ({maneuver.region})"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary_text(economy, localization: float, counts: bool = True) -> Text:
    from vpatient.core.economy import EXAMINATION_WEIGHT, combined_score

    text = Text()
    text.append(f"{'Exam':<7}", style="bold")
    text.append(f"{economy.score * 100:.0f}%".ljust(6), style="bold reverse")
    needed = "no set of maneuvers decides it" if economy.minimal is None else \
        f"{len(economy.minimal)} would decide it"
    text.append(f" {plural(len(economy.performed), 'maneuver')}, {needed}")
    if counts:
        total = combined_score(localization, economy.score)
        text.append(f"; total {total * 100:.0f}% (exam {EXAMINATION_WEIGHT * 100:.0f}%)",
                    style="bold")
    return text


def details_text(economy) -> Text:
    from vpatient.core.economy import FOCUS_WEIGHT, FREE_EXTRA_MANEUVERS, SUFFICIENCY_WEIGHT

    text = Text()
    sufficient = {1.0: "your findings decided the answer"}.get(
        economy.sufficiency, "your findings left a rival answer as likely"
        if economy.sufficiency > 0 else "your findings did not point to the answer")
    text.append("Sufficient ", style="bold")
    text.append(f"{economy.sufficiency * 100:.0f}% × {SUFFICIENCY_WEIGHT:g}: {sufficient}.\n")
    text.append("Focused ", style="bold")
    minimal = len(economy.minimal) if economy.minimal is not None else 0
    text.append(f"{economy.focus * 100:.0f}% × {FOCUS_WEIGHT:g}: "
                f"{plural(len(economy.performed), 'maneuver')} for {minimal} needed "
                f"(+{FREE_EXTRA_MANEUVERS} free)")
    if economy.hints:
        text.append(f", {len(economy.hints)} hint{'s' if len(economy.hints) != 1 else ''}")
    text.append(".\n\n")
    if economy.minimal is None:
        text.append("Even the whole examination cannot tell this answer from another.\n")
    elif economy.minimal:
        text.append("The fewest maneuvers that decide this patient: ", style="bold")
        text.append("; ".join(maneuver_words(m) for m in economy.minimal) + ".\n")
    useful = economy.informative
    if useful:
        text.append(f"\nAdded information ({len(useful)}):\n", style="bold")
        for step in useful:
            ruled = "; ".join(step.examples)
            more = step.ruled_out - len(step.examples)
            ruled += f"; and {more} more" if more > 0 else ""
            text.append(f"• {maneuver_words(step.maneuver)}: ruled out {ruled}\n")
    useless = economy.uninformative
    if useless:
        text.append(f"\nAdded nothing ({len(useless)}):", style="bold")
        names = [maneuver_words(s.maneuver) + (" (after the answer was clear)"
                                              if s.after_decided else "")
                 for s in useless[:SHOWN_UNINFORMATIVE]]
        rest = len(useless) - len(names)
        text.append(" " + "; ".join(names) + (f"; and {rest} more" if rest > 0 else "") + ".\n")
    if economy.hints:
        text.append("\nHints used: ", style="bold")
        text.append("; ".join(maneuver_words(m) for m in economy.hints) + ".\n")
    text.rstrip()
    return text


class _EconomyStatic(Static):
    """Shows the economy of this examination (computed when made: the encounter has usually
    built the solver's table in the background by then, and the screen is then stable)."""

    def __init__(self, case: Case, performed: Sequence[str], hints: Sequence[str] = (),
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.performed = list(performed)
        self.hints = list(hints)
        self.economy = economy_for(case, self.performed, self.hints)

    def on_mount(self) -> None:
        self.update(self.render_economy(self.economy))

    def render_economy(self, economy) -> Text:
        raise NotImplementedError


class ExaminationScore(_EconomyStatic):
    """One line under the localization score: the examination part and the total."""

    DEFAULT_CSS = """
    ExaminationScore {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, case: Case, performed: Sequence[str], hints: Sequence[str] = (),
                 localization: float = 0.0, counts: bool = True, **kwargs) -> None:
        self.localization = localization
        self.counts = counts
        super().__init__(case, performed, hints, **kwargs)

    def render_economy(self, economy) -> Text:
        return summary_text(economy, self.localization, self.counts)


class EconomyDetails(_EconomyStatic):
    """What each maneuver added, the smallest deciding set, and the hints used."""

    def render_economy(self, economy) -> Text:
        return details_text(economy)
