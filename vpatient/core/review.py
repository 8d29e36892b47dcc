"""Spaced review of the student's own mistakes, scheduled by FSRS (the ``fsrs`` package).

Each mistake topic the student has made (``core.mistakes``: a kind such as ``side``, or a
confused pair such as L5 root vs common peroneal nerve) is a review card. Every graded answer on
a patient that tests the topic reviews its card: "Again" if the answer made that mistake again,
"Good" if not. The schedule is a pure function of the answer history, replayed in order, so it
needs no state of its own, survives a damaged row and is exact under a fake clock.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from vpatient.core.answer import AnswerKey
from vpatient.core.mistakes import Mistake, practises, topic_label, topic_sites

if TYPE_CHECKING:
    from fsrs import Card, Scheduler

    from vpatient.core.case import Case

# How many of the latest answers count as "recent" for weak spots.
RECENT_ANSWERS = 10


@dataclass(frozen=True)
class Answered:
    """One graded answer, as the scheduler needs it."""

    at: datetime
    key: AnswerKey
    mistakes: tuple[Mistake, ...]


@dataclass(frozen=True)
class ReviewItem:
    """One topic to review: how often it went wrong and when it is due again."""

    topic: str
    due: datetime
    mistakes: int                 # answers that made this mistake
    recent: int                   # ... among the latest RECENT_ANSWERS answers
    reviews: int                  # answers on patients that tested it
    last_mistake: datetime
    # The true sites of the answers that made the mistake: where practice should look first.
    sites: frozenset[str] = field(default_factory=frozenset)

    @property
    def label(self) -> str:
        return topic_label(self.topic)

    def is_due(self, now: datetime) -> bool:
        return self.due <= now


@lru_cache(maxsize=1)
def _scheduler() -> Scheduler:
    from fsrs import Scheduler  # imported when first needed: ~25 ms

    # No fuzz: the same history always gives the same schedule (and testable dates).
    return Scheduler(enable_fuzzing=False)


def _card_id(topic: str) -> int:
    # fsrs would otherwise stamp (and sleep a millisecond for) each new card.
    return zlib.crc32(topic.encode())


def schedule(history: Sequence[Answered]) -> tuple[ReviewItem, ...]:
    """Replay the answers, oldest first; one item per topic the student has got wrong."""
    from fsrs import Card, Rating

    scheduler = _scheduler()
    cards: dict[str, Card] = {}
    counts: dict[str, list] = {}  # topic -> [mistakes, recent, reviews, last mistake, sites]
    recent_from = max(0, len(history) - RECENT_ANSWERS)
    for index, answer in enumerate(history):
        at = answer.at.astimezone(UTC)
        wrong = {m.topic for m in answer.mistakes}
        for topic in wrong | {t for t in cards if practises(t, answer.key)}:
            card = cards.get(topic) or Card(card_id=_card_id(topic), due=at)
            rating = Rating.Again if topic in wrong else Rating.Good
            cards[topic], _log = scheduler.review_card(card, rating, at)
            entry = counts.setdefault(topic, [0, 0, 0, at, set()])
            entry[2] += 1
            if topic in wrong:
                entry[0] += 1
                entry[1] += index >= recent_from
                entry[3] = at
                entry[4].add(answer.key.canonical.site)
    return tuple(
        ReviewItem(topic, cards[topic].due, mistakes, recent, reviews, last, frozenset(sites))
        for topic, (mistakes, recent, reviews, last, sites) in counts.items()
    )


def weak_spots(items: Sequence[ReviewItem]) -> list[ReviewItem]:
    """Topics still going wrong lately, worst first: most recent mistakes, then most mistakes,
    then the latest. A topic with no mistake among the recent answers is no weak spot."""
    current = [item for item in items if item.recent]
    return sorted(current, key=lambda i: (-i.recent, -i.mistakes, -i.last_mistake.timestamp(),
                                          i.topic))


def due_items(items: Sequence[ReviewItem], now: datetime) -> list[ReviewItem]:
    """Items due for review, those due longest first."""
    return sorted((i for i in items if i.is_due(now)), key=lambda i: (i.due, i.topic))


def next_review(items: Sequence[ReviewItem], now: datetime) -> ReviewItem | None:
    """What weak-spot practice should test next: the worst weak spot that is due; else the
    worst weak spot (practised early); else whatever is due."""
    spots = weak_spots(items)
    due = [i for i in spots if i.is_due(now)]
    if due:
        return due[0]
    if spots:
        return spots[0]
    overdue = due_items(items, now)
    return overdue[0] if overdue else None


def when(due: datetime, now: datetime) -> str:
    """'due now', 'due in 8 minutes', 'due in 3 days'."""
    wait = due - now
    if wait <= timedelta(0):
        return "due now"
    for unit, seconds in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if wait.total_seconds() >= seconds:
            count = round(wait.total_seconds() / seconds)
            return f"due in {count} {unit}{'s' if count != 1 else ''}"
    return "due in under a minute"


def reason(item: ReviewItem, now: datetime) -> str:
    """Why a review patient was chosen, in one sentence (names the skill, not the answer)."""
    times = f"wrong {item.mistakes} time{'s' if item.mistakes != 1 else ''}"
    if item.recent != item.mistakes:
        times += f", {item.recent} in your last {RECENT_ANSWERS} answers"
    timing = when(item.due, now)
    if not item.is_due(now):
        timing += ", practised early"
    return f"Chosen for your weak spot “{item.label}”: {times} ({timing})."


# --- A patient for a review ----------------------------------------------------------------------

GENERATION_TRIES = 40


def review_patient(item: ReviewItem, *, seed: int, index: int, difficulty: str,
                   cases: Callable[[], Sequence[Case]] = tuple) -> tuple[Case, int]:
    """A patient that tests ``item``, and how many generator indices it used.

    Generated first, from the sites the topic concerns (a confused pair: both of its sites;
    otherwise the sites where the mistake was made); ``cases`` (the library) when the generator
    does not produce a fitting patient in a few tries."""
    from vpatient.core.generator import generable_sites, generate_patient

    generable = generable_sites()
    sites = (topic_sites(item.topic) or item.sites) & generable
    case = None
    for tried in range(1, GENERATION_TRIES + 1):
        case = generate_patient(seed, index + tried - 1, difficulty, sites=set(sites) or None)
        if practises(item.topic, case.answer_key):
            return case, tried
    fitting = [c for c in cases() if practises(item.topic, c.answer_key)]
    if fitting:
        return fitting[index % len(fitting)], GENERATION_TRIES
    assert case is not None
    return case, GENERATION_TRIES
