"""The localization solver (issue 13): which answers explain these findings, and what to examine
next.

The lesion space is enumerated from the lesion models themselves (every site's fields and their
allowed values, every severity, every side the model accepts) and from the time bands of
``timecourse.TIME_THRESHOLDS``: the engine's findings depend on onset only through those bands,
so one onset per band covers all of time. Each lesion is derived once by the engine, lazily, into
a table of coded findings shared by every solve.

A solve scores every lesion of the table against the findings given (any subset of the findings
keys) with a *graded* distance per finding: MRC grades, reflex steps and pinprick levels by how
far apart they are, other findings by category. Patients vary around their lesion's pattern
(grades, reflexes), so nothing is compared by exact equality; a difference of direction (weak vs
normal, absent vs brisk) costs a whole mismatch, a difference within it only a fraction. An
answer's distance is that of its best-fitting lesion; the ranking and the support of each answer
follow from the distances. For the answers still in play, the maneuver with the largest expected
information gain is the one that best splits them.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vpatient.core import anatomy as A
from vpatient.core import timecourse as T
from vpatient.core import vocabulary as V
from vpatient.core.answer import Answer, AnswerKey, derive_answer
from vpatient.core.engine import derive_findings
from vpatient.core.examination import MANEUVER_FOR_KEY, MANEUVERS
from vpatient.core.findings import FINDING_KEYS, FINDING_SPECS, NORMAL_FINDINGS, FindingValue
from vpatient.core.lesion import Lesion
from vpatient.core.lesion_space import lesion_space

if TYPE_CHECKING:
    import numpy as np

    from vpatient.core.case import Case

# === Scoring data ================================================================================
# Costs are in "mismatches": 1.0 is one finding that contradicts the answer outright. They are
# stored in eighths (COST_UNIT), so every cost below must be a multiple of 0.125.
COST_UNIT = 0.125

# Patients vary around their lesion's pattern (a weak muscle a grade weaker or stronger, a brisk
# reflex found 3+ rather than 4+, a reduced one absent, sustained clonus unsustained): such
# differences within one direction cost little; a difference of direction (weak vs full power,
# absent vs normal vs brisk) costs a whole mismatch.
POWER_DIRECTION_COST = 1.0
POWER_STEP_COST: tuple[float, ...] = (0.0, 0.125, 0.5, 1.0, 1.0, 1.0)  # by grades apart
# Reflexes by NINDS steps apart (0, 1+, 2+, 3+, 4+).
REFLEX_STEP_COST: tuple[float, ...] = (0.0, 0.125, 1.0, 1.5, 2.0)
# Pairs of values of one finding that differ only in degree, with their cost.
DEGREE_COST: dict[str, dict[frozenset, float]] = {
    "clonus": {frozenset({"unsustained", "sustained"}): 0.125},
    # A plantar silenced by a toe too weak to move, or just able to flex it: the toe's grade.
    "plantar": {frozenset({"flexor", "mute"}): 0.5},
    # Fatigable ocular weakness shows as a drooping lid or as weak eye movements.
    "eyes": {frozenset({"ptosis", "ophthalmoparesis"}): 0.25,
             frozenset({"ptosis", "ptosis_ophthalmoparesis"}): 0.125,
             frozenset({"ophthalmoparesis", "ptosis_ophthalmoparesis"}): 0.125},
}
# A pinprick level, by segments apart (the level is a sharp border on the skin), and none vs a
# level.
SENSORY_LEVEL_STEP_COST: tuple[float, ...] = (0.0, 1.0, 1.5, 2.0)
SENSORY_LEVEL_NONE_COST = 1.0
# Each patient's time course runs at its own pace: an onset given (from the history) admits the
# lesions whose findings hold anywhere between these multiples of it.
ONSET_PACE: tuple[float, float] = (0.7, 1.4)
# Any other finding: a different category is one mismatch.
CATEGORY_MISMATCH_COST = 1.0
# Wasting and fasciculations are soft signs: how visible they are varies with the grade and the
# patient, so a difference is half a mismatch.
SOFT_SIGNS: tuple[str, ...] = ("wasting", "fasciculations")
SOFT_SIGN_COST = 0.5
# A finding holding a list (the numb areas): an area in one and not the other costs two
# mismatches, at most LIST_COST_CAP in all: numb skin mapped with a pin is strong evidence (a
# pure motor disease never has it; another territory is another structure).
LIST_ITEM_COST = 2.0
LIST_COST_CAP = 2.0

# An answer is decided when every rival explains the findings worse by at least this much.
DECIDED_MARGIN = 1.0
# Support: exp(-(distance - best) / SUPPORT_TEMPERATURE), normalized over the answers.
SUPPORT_TEMPERATURE = 0.3
# Lesions farther than this from the best one take no part in choosing the next maneuver, nor
# do any beyond the closest SUGGESTION_ROWS (their weight is negligible: e^-10 at the window).
SUGGESTION_WINDOW = 3.0
SUGGESTION_ROWS = 400
# Gains below this (bits) are no reason to examine anything.
MIN_INFORMATION_GAIN = 0.01

# For the next maneuver, what a finding shows is read in these classes, so that patient-to-patient
# variation of grades cannot pass for information: power normal / weak / paralysed-ish, reflexes
# absent / reduced / normal / brisk.
POWER_CLASSES: tuple[int, ...] = (0, 0, 0, 1, 1, 2)          # by MRC grade 0..5
REFLEX_CLASSES: dict[str, int] = {"0": 0, "1+": 1, "2+": 2, "3+": 2, "4+": 3}


# === Costs =======================================================================================


def _hashable(value: object) -> object:
    return tuple(sorted(value)) if isinstance(value, list | tuple | set | frozenset) else value


def finding_cost(key: str, observed: object, predicted: object) -> float:
    """How far apart two values of one finding are, in mismatches (the scoring data above)."""
    if observed == predicted:
        return 0.0
    observed, predicted = _hashable(observed), _hashable(predicted)
    if observed == predicted:
        return 0.0
    spec = FINDING_SPECS.get(key)
    family = key.split(".", 1)[0]
    if isinstance(observed, tuple) or isinstance(predicted, tuple):
        a = set(observed) if isinstance(observed, tuple) else {observed}
        b = set(predicted) if isinstance(predicted, tuple) else {predicted}
        return min(LIST_COST_CAP, LIST_ITEM_COST * len(a ^ b))
    if spec is not None and spec.kind == "power" and isinstance(observed, int) \
            and isinstance(predicted, int):
        steps = POWER_STEP_COST[min(abs(observed - predicted), len(POWER_STEP_COST) - 1)]
        direction = POWER_DIRECTION_COST if (observed == 5) != (predicted == 5) else 0.0
        return max(steps, direction)
    if family == "reflex" and observed in A.REFLEX_GRADES and predicted in A.REFLEX_GRADES:
        steps = abs(A.REFLEX_GRADES.index(observed) - A.REFLEX_GRADES.index(predicted))
        return REFLEX_STEP_COST[min(steps, len(REFLEX_STEP_COST) - 1)]
    if family in SOFT_SIGNS:
        return SOFT_SIGN_COST
    degree = DEGREE_COST.get(family, {}).get(frozenset({observed, predicted}))
    if degree is not None:
        return degree
    if family == "sensory_level":
        if "none" in (observed, predicted):
            return SENSORY_LEVEL_NONE_COST
        if observed in A.SEGMENT_INDEX and predicted in A.SEGMENT_INDEX:
            steps = abs(A.SEGMENT_INDEX[observed] - A.SEGMENT_INDEX[predicted])
            return SENSORY_LEVEL_STEP_COST[min(steps, len(SENSORY_LEVEL_STEP_COST) - 1)]
    return CATEGORY_MISMATCH_COST


def _quarters(cost: float) -> int:
    return min(255, round(cost / COST_UNIT))


def outcome_class(key: str, value: object) -> object:
    """What a finding shows, read coarsely enough that variation between patients is not news."""
    spec = FINDING_SPECS.get(key)
    if spec is not None and spec.kind == "power" and isinstance(value, int):
        return POWER_CLASSES[max(0, min(5, value))]
    if key.startswith("reflex.") and value in REFLEX_CLASSES:
        return REFLEX_CLASSES[value]  # type: ignore[index]
    return _hashable(value)


# === Answers in words ============================================================================


# The plexus parts by the name of their plexus (the part codes say only "upper_trunk").
PLEXUS_PART_LABELS: dict[str, str] = {
    "upper_trunk": "upper trunk of the brachial plexus",
    "lower_trunk": "lower trunk of the brachial plexus",
    "lumbosacral": "lumbosacral plexus",
}
assert set(PLEXUS_PART_LABELS) == set(V.PLEXUS_PARTS)
# Sites that are bilateral by nature: their side goes without saying.
_ALWAYS_BILATERAL = ("polyneuropathy", "muscle", "conus")


def answer_label(answer: Answer, side: bool = True) -> str:
    """A clinician's short name for an answer: 'left C8 root', 'cord at C2', 'ulnar nerve'."""
    site, level = answer.site, answer.level
    if site == "nerve" and level in A.NERVES:
        where = A.NERVES[level].label
    elif site == "root" and level:
        where = f"{level} root"
    elif site == "plexus" and level in PLEXUS_PART_LABELS:
        where = PLEXUS_PART_LABELS[level]
    elif site == "spinal_cord" and level:
        where = f"cord at {level}"
    elif level:
        where = f"{V.SITE_LABELS[site]} {level}"
    else:
        where = V.SITE_LABELS[site]
    if not side or site in _ALWAYS_BILATERAL or (site == "spinal_cord"
                                                 and answer.side == "bilateral"):
        return where
    return f"{where}, both sides" if answer.side == "bilateral" else f"{answer.side} {where}"


def with_article(label: str) -> str:
    """'a C8 root', 'an L5 root', 'the ulnar nerve', 'the left internal capsule'."""
    if label[:1] in "CTLS" and label[1:2].isdigit():
        return f"{'an' if label[0] in 'LS' else 'a'} {label}"
    return f"the {label}"


def answer_json(answer: Answer) -> dict:
    return {"neuron": answer.neuron, "site": answer.site, "side": answer.side,
            "level": answer.level}


# === The table ===================================================================================


@dataclass
class SolverTable:
    """The lesion space derived once: coded findings per distinct (answer, findings) pair."""

    answers: list[Answer]
    answer_keys: list[AnswerKey]
    lesions: list[Lesion]                       # one representative per row
    answer_of: np.ndarray                       # row -> answer index (rows grouped by answer)
    group_starts: np.ndarray                    # first row of each answer
    bands: np.ndarray                           # row -> bit mask of the time bands it covers
    values: dict[str, list[object]]             # key -> predicted values, by code
    codes: dict[str, np.ndarray]                # key -> row codes into values[key]
    # What each maneuver would show of each row, as outcome codes numbered across maneuvers:
    # maneuver i's outcomes are outcome_offsets[i] .. outcome_offsets[i + 1] - 1.
    maneuver_ids: tuple[str, ...] = ()
    maneuver_position: dict[str, int] = field(default_factory=dict)
    outcome_matrix: np.ndarray | None = None     # maneuvers x rows
    outcome_offsets: np.ndarray | None = None
    outcome_total: int = 0
    _rows: dict[tuple[str, object], np.ndarray] = field(default_factory=dict)
    # The same rows stacked, so that one gather and one sum score a whole examination.
    # (Keyed by the value as given and as made hashable: more keys than rows.)
    _row_number: dict[tuple[str, object], int] = field(default_factory=dict)
    _stacked: int = 0  # rows in use in the matrix
    _matrix: np.ndarray | None = None
    answer_index: dict[Answer, int] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.lesions)

    def cost_row(self, key: str, observed: object) -> np.ndarray:
        """Each row's cost (quarters) for this observed value of this key (cached)."""
        import numpy as np

        cache_key = (key, _hashable(observed))
        row = self._rows.get(cache_key)
        if row is None:
            per_value = np.array([_quarters(finding_cost(key, observed, v))
                                  for v in self.values[key]], dtype=np.uint8)
            row = self._rows[cache_key] = per_value[self.codes[key]]
        return row

    def distances(self, findings: Mapping[str, object], onset_days: float | None = None
                  ) -> np.ndarray:
        """Every row's distance to the findings, in quarters (uint32)."""
        import numpy as np

        numbers = []
        for key, value in findings.items():
            number = self._row_number.get((key, value)) if type(value) is not list else None
            if number is None:
                if key not in self.codes:
                    continue
                number = self._stack(key, value)
            numbers.append(number)
        if numbers:
            # uint16 holds any sum (a few hundred findings of at most 255 quarters each).
            total = self._matrix[numbers].sum(axis=0, dtype=np.uint16).astype(  # type: ignore[index]
                np.uint32)
        else:
            total = np.zeros(self.size, dtype=np.uint32)
        if onset_days is not None:
            total[~self.in_band(onset_days)] = _FAR
        return total

    def _stack(self, key: str, value: object) -> int:
        """The cost row of this observed value in the stacked matrix (added on first use)."""
        import numpy as np

        cache_key = (key, _hashable(value))
        number = self._row_number.get(cache_key)
        if number is None:
            row = self.cost_row(key, value)
            used = self._stacked
            self._stacked += 1
            if self._matrix is None or used == len(self._matrix):
                grown = np.zeros((max(256, used * 2), self.size), dtype=np.uint16)
                if self._matrix is not None:
                    grown[:used] = self._matrix
                self._matrix = grown
            self._matrix[used] = row
            number = self._row_number[cache_key] = used
        if type(value) is not list:
            self._row_number.setdefault((key, value), number)
        return number

    def in_band(self, onset_days: float) -> np.ndarray:
        """Rows whose lesion gives these findings at this time since onset, at any pace."""
        return (self.bands & _band_mask(onset_days)) != 0

    def answer_distances(self, row_distances: np.ndarray) -> np.ndarray:
        import numpy as np

        return np.minimum.reduceat(row_distances, self.group_starts)


_FAR = 1 << 24  # a row outside the patient's time band


def _band_index(onset_days: float) -> int:
    return T.TIME_THRESHOLDS.index(T.time_band_start(onset_days))


def _matched_onset(row_bands: int, onset_days: float) -> float:
    """The onset given if the row holds then, else the start of the nearest band it matched."""
    if (row_bands >> _band_index(onset_days)) & 1:
        return onset_days
    matched = [T.TIME_THRESHOLDS[b] for b in range(len(T.TIME_THRESHOLDS))
               if (row_bands & _band_mask(onset_days)) >> b & 1]
    return min(matched, key=lambda t: abs(t - onset_days), default=onset_days)


def _band_mask(onset_days: float) -> int:
    """The time bands a patient this long after onset may show, at the paces of ONSET_PACE."""
    low, high = (_band_index(onset_days * factor) for factor in ONSET_PACE)
    return sum(1 << band for band in range(low, high + 1))


_TABLE: SolverTable | None = None
_TABLE_LOCK = threading.Lock()


def table() -> SolverTable:
    """The solver's table, built once on first use (the cold build is timed in the benchmark).
    Thread-safe: the game builds it in the background while the student examines."""
    global _TABLE
    if _TABLE is None:
        with _TABLE_LOCK:
            if _TABLE is None:
                _TABLE = _build_table()
    return _TABLE


def _build_table() -> SolverTable:
    import numpy as np

    # Rows are distinct (answer, findings) pairs; a row remembers the time bands it covers.
    rows_of: dict[Answer, dict[tuple, list]] = {}
    keys_of: dict[Answer, AnswerKey] = {}
    for lesion in lesion_space():
        key = derive_answer((lesion,))
        answer = key.canonical
        vector = tuple(derive_findings((lesion,)).values())  # in FINDING_KEYS order
        try:
            hash(vector)
        except TypeError:  # a finding holding a list
            vector = tuple(_hashable(v) for v in vector)
        keys_of.setdefault(answer, key)
        entry = rows_of.setdefault(answer, {}).setdefault(vector, [lesion, 0])
        entry[1] |= 1 << _band_index(lesion.onset_days)
    answers = list(rows_of)
    lesions: list[Lesion] = []
    vectors: list[tuple] = []
    bands: list[int] = []
    answer_of: list[int] = []
    starts: list[int] = []
    for index, answer in enumerate(answers):
        starts.append(len(lesions))
        for vector, (lesion, mask) in rows_of[answer].items():
            lesions.append(lesion)
            vectors.append(vector)
            bands.append(mask)
            answer_of.append(index)
    values: dict[str, list[object]] = {}
    codes: dict[str, np.ndarray] = {}
    for column, key in enumerate(FINDING_KEYS):
        index_of: dict[object, int] = {}
        column_codes = [index_of.setdefault(vector[column], len(index_of))
                        for vector in vectors]
        values[key] = list(index_of)
        codes[key] = np.array(column_codes, dtype=np.uint16)
    built = SolverTable(
        answers=answers, answer_keys=[keys_of[a] for a in answers], lesions=lesions,
        answer_of=np.array(answer_of, dtype=np.int32), group_starts=np.array(starts),
        bands=np.array(bands, dtype=np.uint32),
        values=values, codes=codes,
        answer_index={a: i for i, a in enumerate(answers)},
    )
    _build_outcomes(built)
    return built


def _build_outcomes(built: SolverTable) -> None:
    """Each maneuver's outcome per row: the outcome classes of the findings it reveals."""
    import numpy as np

    class_codes: dict[str, np.ndarray] = {}
    class_counts: dict[str, int] = {}
    for key in FINDING_KEYS:
        index_of: dict[object, int] = {}
        per_value = [index_of.setdefault(outcome_class(key, v), len(index_of))
                     for v in built.values[key]]
        class_codes[key] = np.array(per_value, dtype=np.int64)[built.codes[key]]
        class_counts[key] = len(index_of)
    rows, offsets, total = [], [], 0
    for maneuver in MANEUVERS.values():
        combined = np.zeros(built.size, dtype=np.int64)
        for key in maneuver.reveals:
            if key in class_codes:
                combined = combined * class_counts[key] + class_codes[key]
        _, compact = np.unique(combined, return_inverse=True)
        offsets.append(total)
        rows.append(compact.reshape(-1) + total)
        total += int(compact.max()) + 1 if len(compact) else 0
    built.maneuver_ids = tuple(MANEUVERS)
    built.maneuver_position = {m: i for i, m in enumerate(MANEUVERS)}
    built.outcome_matrix = np.vstack(rows)
    built.outcome_offsets = np.array(offsets)
    built.outcome_total = total


# === Solving =====================================================================================


@dataclass(frozen=True)
class Candidate:
    """One answer, how well its best lesion explains the findings, and that lesion."""

    answer: Answer
    distance: float          # in mismatches; 0 explains every finding given
    support: float           # share of belief, 0..1 over all answers
    lesion: Lesion           # the lesion of this answer that fits best
    row: int
    given: Mapping[str, object] = field(repr=False, compare=False)

    @property
    def label(self) -> str:
        return answer_label(self.answer)

    @property
    def unexplained(self) -> tuple[str, ...]:
        """The findings given that this answer's best lesion contradicts."""
        tab = table()
        return tuple(k for k, v in self.given.items()
                     if k in tab.codes and tab.cost_row(k, v)[self.row] >= _quarters(
                         DECIDED_MARGIN))

    def to_json(self) -> dict:
        return {"answer": answer_json(self.answer), "support": round(self.support, 4),
                "distance": self.distance, "label": self.label,
                "unexplained": list(self.unexplained)}


@dataclass(frozen=True)
class Suggestion:
    """The maneuver that best splits the answers still in play, and why."""

    maneuver: str
    label: str
    gain: float                      # expected information, bits
    separates: tuple[Answer, Answer] | None

    @property
    def reason(self) -> str:
        if self.separates is None:
            return "it narrows down the answers still in play"
        first, second = self.separates
        same_side = first.side == second.side
        return (f"it separates {with_article(answer_label(first, not same_side))} from "
                f"{with_article(answer_label(second, not same_side))}")

    def to_json(self) -> dict:
        return {"id": self.maneuver, "label": self.label, "gain_bits": round(self.gain, 3),
                "reason": self.reason,
                "separates": [answer_json(a) for a in self.separates] if self.separates
                else []}


class Solution:
    """Every answer ranked, best first; candidates are built as they are read."""

    def __init__(self, given: dict[str, object], rows: np.ndarray, per_answer: np.ndarray,
                 next_maneuver: Suggestion | None, onset_days: float | None = None) -> None:
        import numpy as np

        self.given = given
        self.onset_days = onset_days
        self.rows = rows
        self.per_answer = per_answer
        self.order = np.argsort(per_answer, kind="stable")
        self.next_maneuver = next_maneuver
        best = float(per_answer[self.order[0]])
        weights = np.exp(-(per_answer.astype(np.float64) - best) * COST_UNIT
                         / SUPPORT_TEMPERATURE)
        weights[per_answer >= _FAR] = 0.0
        self.support = weights / (float(weights.sum()) or 1.0)
        self._built: list[Candidate] = []

    @property
    def findings_used(self) -> int:
        return len(self.given)

    def distance(self, rank: int) -> float:
        value = int(self.per_answer[self.order[rank]])
        return math.inf if value >= _FAR else value * COST_UNIT

    def top(self, count: int) -> tuple[Candidate, ...]:
        import numpy as np

        tab = table()
        count = min(count, len(self.order))
        while len(self._built) < count:
            index = int(self.order[len(self._built)])
            start = int(tab.group_starts[index])
            stop = int(tab.group_starts[index + 1]) if index + 1 < len(tab.group_starts) \
                else tab.size
            row = start + int(np.argmin(self.rows[start:stop]))
            lesion = tab.lesions[row]
            if self.onset_days is not None:  # an onset of the bands this row matched
                lesion = lesion.model_copy(update={"onset_days": _matched_onset(
                    int(tab.bands[row]), self.onset_days)})
            self._built.append(Candidate(
                answer=tab.answers[index], distance=self.distance(len(self._built)),
                support=float(self.support[index]), lesion=lesion, row=row,
                given=self.given))
        return tuple(self._built[:count])

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        return self.top(len(self.order))

    @property
    def best(self) -> Candidate:
        return self.top(1)[0]

    @property
    def decided(self) -> bool:
        """The best answer beats every other by the decision margin."""
        return len(self.order) < 2 or self.distance(1) >= self.distance(0) + DECIDED_MARGIN

    @property
    def in_play(self) -> tuple[Candidate, ...]:
        """The answers not yet ruled out: within the decision margin of the best."""
        limit = self.distance(0) + DECIDED_MARGIN
        count = sum(1 for rank in range(len(self.order)) if self.distance(rank) < limit)
        return self.top(count)

    def in_play_indices(self) -> tuple[int, ...]:
        """The table indices of the answers in play, best first (cheap: no candidates built)."""
        ranked = self.per_answer[self.order]
        limit = int(ranked[0]) + _quarters(DECIDED_MARGIN)
        return tuple(int(i) for i in self.order[ranked < limit])

    def to_json(self, top: int | None = None) -> dict:
        shown = self.candidates if top is None else self.top(top)
        return {"candidates": [c.to_json() for c in shown],
                "next_maneuver": self.next_maneuver.to_json() if self.next_maneuver else None,
                "decided": self.decided, "findings_used": self.findings_used}


def usable_findings(findings: Mapping[str, object]) -> dict[str, object]:
    """The given findings the solver knows (unknown keys are ignored, not guessed at)."""
    return {k: v for k, v in findings.items() if k in FINDING_SPECS}


def solve(findings: Mapping[str, object], *, onset_days: float | None = None,
          performed: Iterable[str] | None = None, suggest: bool = True) -> Solution:
    """Rank every answer by how well it explains ``findings`` (any subset of the keys).

    ``onset_days`` (from the history) keeps only lesions of that time band. ``performed`` names
    maneuvers already done (default: those revealing the findings given); the next maneuver is
    chosen among the others.
    """
    tab = table()
    given = usable_findings(findings)
    rows = tab.distances(given, onset_days)
    solution = Solution(given, rows, tab.answer_distances(rows), None, onset_days)
    if suggest and not solution.decided:  # once decided, nothing is left to split
        done = set(performed) if performed is not None else {
            MANEUVER_FOR_KEY[k] for k in given if k in MANEUVER_FOR_KEY}
        solution.next_maneuver = _suggest(tab, rows, done)
    return solution


def _suggest(tab: SolverTable, rows: np.ndarray, done: set[str]) -> Suggestion | None:
    """The unperformed maneuver with the largest expected information gain about the answer."""
    import numpy as np

    best = int(rows.min())
    if best >= _FAR:
        return None
    idx = np.flatnonzero(rows <= best + _quarters(SUGGESTION_WINDOW))
    if len(idx) > SUGGESTION_ROWS:
        idx = idx[np.argpartition(rows[idx], SUGGESTION_ROWS)[:SUGGESTION_ROWS]]
    answers, local = np.unique(tab.answer_of[idx], return_inverse=True)
    if len(answers) < 2:
        return None
    # Each answer weighs as its best lesion does (as in the ranking), however many lesions it
    # has; within an answer, its lesions share that weight by how well each fits.
    distance = rows[idx].astype(np.float64)
    answer_best = np.full(len(answers), np.inf)
    np.minimum.at(answer_best, local, distance)
    within = np.exp(-(distance - answer_best[local]) * COST_UNIT / SUPPORT_TEMPERATURE)
    within /= np.bincount(local, weights=within)[local]
    prior = np.exp(-(answer_best - best) * COST_UNIT / SUPPORT_TEMPERATURE)
    prior /= prior.sum()
    weights = within * prior[local]
    h_prior = -float(np.sum(prior * np.log2(prior, where=prior > 0, out=np.zeros_like(prior))))
    # Every maneuver at once: outcome codes are numbered across maneuvers (tab.outcome_offsets),
    # so one weighted count gives each maneuver's joint table of outcome and answer.
    n = len(answers)
    codes = tab.outcome_matrix[:, idx]                      # maneuvers x rows
    joint = np.bincount((codes * n + local).ravel(), weights=np.tile(weights, len(codes)),
                        minlength=tab.outcome_total * n).reshape(-1, n)
    p_outcome = joint.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cond = np.where(joint > 0, joint * np.log2(joint / p_outcome[:, None]), 0.0)
    h_post = -np.add.reduceat(cond.sum(axis=1), tab.outcome_offsets)
    gains = h_prior - h_post
    for maneuver_id in done:
        position = tab.maneuver_position.get(maneuver_id)
        if position is not None:
            gains[position] = -1.0
    choice = int(np.argmax(gains))
    gain = float(gains[choice])
    if gain < MIN_INFORMATION_GAIN:
        return None
    maneuver_id = tab.maneuver_ids[choice]
    return Suggestion(maneuver_id, MANEUVERS[maneuver_id].label, gain,
                      _separated_pair(tab, idx, weights, local, answers, maneuver_id))


def _separated_pair(tab: SolverTable, idx: np.ndarray, weights: np.ndarray, local: np.ndarray,
                    answers: np.ndarray, maneuver_id: str) -> tuple[Answer, Answer] | None:
    """The two most likely answers whose likeliest outcomes of this maneuver differ."""
    import numpy as np

    codes = tab.outcome_matrix[tab.maneuver_position[maneuver_id], idx]
    mass = np.bincount(local, weights=weights)
    outcome_of: dict[int, int] = {}
    for a in np.argsort(-mass, kind="stable"):
        mine = local == a
        outcome_of[int(a)] = int(np.bincount(codes[mine], weights=weights[mine]).argmax())
    ranked = [int(a) for a in np.argsort(-mass, kind="stable")]
    for i, first in enumerate(ranked):
        for second in ranked[i + 1:]:
            if outcome_of[first] != outcome_of[second]:
                return tab.answers[int(answers[first])], tab.answers[int(answers[second])]
    return None


# === Findings of a case ==========================================================================


def accepted_by(key: AnswerKey, answer: Answer) -> bool:
    """Whether a case's answer key accepts this candidate in every field."""
    return all(key.accepts(name, getattr(answer, name)) for name in
               ("neuron", "site", "side", "level"))


@dataclass(frozen=True)
class Rivalry:
    """How a case's findings separate its answer from the best rival answer."""

    answer_distance: float
    rival: Candidate | None          # the best answer the case does not accept

    @property
    def margin(self) -> float:
        return math.inf if self.rival is None else self.rival.distance - self.answer_distance

    @property
    def decided(self) -> bool:
        return self.margin >= DECIDED_MARGIN


def rivalry(findings: Mapping[str, object], key: AnswerKey,
            onset_days: float | None = None, others: Iterable[Answer] = ()) -> Rivalry:
    """The case's answer against its closest rival, on these findings. ``others`` are the
    answers of the patient's other lesions: present too, so no rival."""
    solution = solve(findings, onset_days=onset_days, suggest=False)
    tab = table()
    own = math.inf
    rival = None
    present = set(others)
    for rank, index in enumerate(solution.order):
        answer = tab.answers[int(index)]
        if accepted_by(key, answer):
            own = min(own, solution.distance(rank))
        elif rival is None and answer not in present:
            rival = solution.top(rank + 1)[rank]
        if rival is not None and own < math.inf:
            break
    return Rivalry(own, rival)


def restrict(findings: Mapping[str, FindingValue], maneuvers: Iterable[str]
             ) -> dict[str, FindingValue]:
    """The findings these maneuvers reveal."""
    out: dict[str, FindingValue] = {}
    for maneuver_id in maneuvers:
        maneuver = MANEUVERS.get(maneuver_id)
        if maneuver is not None:
            out.update({k: findings[k] for k in maneuver.reveals if k in findings})
    return out


def minimal_maneuvers(findings: Mapping[str, FindingValue], key: AnswerKey,
                      onset_days: float | None = None, node_budget: int = 4000
                      ) -> tuple[str, ...] | None:
    """A smallest set of maneuvers whose findings decide this patient's answer, or None when
    even the whole examination cannot (the answer ties with a rival).

    Branch and bound on the hitting-set structure: whatever the set is, it must separate the
    rival lesion that is hardest to tell from the answer, so the search branches only on the
    maneuvers that do. The search is exact within ``node_budget`` nodes; past it, the best set
    found so far (greedy at worst) is returned.
    """
    import numpy as np

    tab = table()
    given = usable_findings(findings)
    cost = {m.id: np.zeros(tab.size, dtype=np.uint32) for m in MANEUVERS.values()}
    for k, v in given.items():
        if k in tab.codes and k in MANEUVER_FOR_KEY:
            cost[MANEUVER_FOR_KEY[k]] += tab.cost_row(k, v)
    own = np.array([accepted_by(key, answer) for answer in tab.answers])
    own_rows = own[tab.answer_of]
    base = np.zeros(tab.size, dtype=np.uint32)
    if onset_days is not None:
        base[~tab.in_band(onset_days)] = _FAR
    margin = _quarters(DECIDED_MARGIN)
    candidates = [m for m in cost if cost[m].any()]

    def violation(total: np.ndarray) -> tuple[int, int]:
        """The hardest rival row and by how much it is short of the margin (<= 0: decided)."""
        own_best = int(total[own_rows].min()) if own_rows.any() else _FAR
        rival = np.where(own_rows, _FAR * 2, total)
        row = int(rival.argmin())
        return row, own_best + margin - int(rival[row])

    full = base + sum((cost[m] for m in candidates), np.zeros(tab.size, dtype=np.uint32))
    if violation(full)[1] > 0:
        return None
    # Greedy: add the maneuver that best separates the hardest rival, until decided.
    chosen: list[str] = []
    total = base.copy()
    while True:
        row, short = violation(total)
        if short <= 0:
            break
        pick = max((m for m in candidates if m not in chosen),
                   key=lambda m: (int(cost[m][row]) - int(cost[m][own_rows].min()),
                                  -int(cost[m][own_rows].min())))
        chosen.append(pick)
        total = total + cost[pick]
    # Drop what turned out redundant.
    for m in list(chosen):
        trial = [x for x in chosen if x != m]
        if violation(base + sum((cost[x] for x in trial), np.zeros_like(base)))[1] <= 0:
            chosen = trial
    best: list[str] = chosen
    nodes = 0

    def search(current: list[str], total: np.ndarray) -> None:
        nonlocal best, nodes
        nodes += 1
        if nodes > node_budget:
            return
        row, short = violation(total)
        if short <= 0:
            if len(current) < len(best):
                best = list(current)
            return
        if len(current) + 1 >= len(best):
            return  # one more maneuver would not beat the best set found
        options = sorted((m for m in candidates if m not in current and cost[m][row] > 0),
                         key=lambda m: -int(cost[m][row]))
        for m in options:
            search([*current, m], total + cost[m])

    search([], base)
    order = {m: i for i, m in enumerate(MANEUVERS)}
    return tuple(sorted(best, key=order.__getitem__))


def case_findings_for_maneuvers(findings: Mapping[str, FindingValue],
                                performed: Sequence[str]) -> dict[str, FindingValue]:
    """The findings an exam log revealed, in the order examined."""
    return restrict(findings, performed)


def answer_findings(case: Case) -> dict[str, FindingValue]:
    """The case's findings that bear on its answer: all of them, less those its other lesions
    change (the solver explains findings by one lesion; a diabetic's absent ankle jerks say
    nothing about the peroneal palsy the case is about)."""
    findings = case.all_findings
    if len(case.lesions) == 1:
        return findings
    background = derive_findings(case.lesions[1:])
    out: dict[str, FindingValue] = {}
    for key, value in findings.items():
        other = background[key]
        if other == NORMAL_FINDINGS[key]:
            out[key] = value
        elif isinstance(value, list | tuple) and isinstance(other, list | tuple):
            out[key] = type(value)(v for v in value if v not in other)  # its own areas
    return out


def case_rivalry(case: Case) -> Rivalry:
    """A case's answer against its closest rival on the full examination, at its onset."""
    others = [derive_answer((lesion,)).canonical for lesion in case.lesions[1:]]
    return rivalry(answer_findings(case), case.answer_key, case.lesions[0].onset_days, others)


def ambiguity_warning(case: Case) -> str | None:
    """Why a case's full examination cannot tell its answer from another answer, or None.

    Case validation prints this as a warning: the instructor learns which rival the findings
    fit as well ("indistinguishable from spinal_cord C2"), and can add a finding override, a
    second lesion's explanation or an accepted alternative.
    """
    race = case_rivalry(case)
    if race.decided or race.rival is None:
        return None
    rival = race.rival.answer
    code = " ".join(part for part in (rival.site, rival.level) if part)
    if race.margin <= 0:
        how = "its findings fit that answer at least as well"
    else:
        how = (f"the full examination separates them by only {race.margin:g} mismatch "
               f"(at least {DECIDED_MARGIN:g} decides)")
    return f"indistinguishable from {code} ({race.rival.label}): {how}"


# === The lesion vocabulary for editors (the lesion lab) ==========================================


def detail_words(detail: Mapping[str, object]) -> str:
    """'C6, complete', 'radial (spiral groove)', 'bulbar + cervical', 'upper trunk'."""
    words = []
    for name, value in detail.items():
        if name == "at":
            words[-1] = f"{words[-1]} ({str(value).replace('_', ' ')})"
        elif name == "regions":
            words.append(" + ".join(value))  # type: ignore[arg-type]
        elif name == "name":
            words.append(str(value).replace("_", " "))
        else:
            words.append(str(value).replace("_", " "))
    return ", ".join(words)
