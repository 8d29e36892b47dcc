"""Scoring a localization: the weights, the anatomical distances and the credit they earn.

All the numbers are data in the first section, so an instructor can read exactly how an answer
is scored (README "How answers are scored" summarizes them). What the feedback *says* lives in
``feedback``; which findings count as evidence lives in ``evidence``.
"""

from __future__ import annotations

import heapq

from vpatient.core import anatomy as A

# === Scoring data ================================================================================

# Share of the score per part. When the correct answer has no level, the level's share is
# spread over the other parts in proportion.
PART_WEIGHTS: dict[str, float] = {"neuron": 0.30, "site": 0.35, "level": 0.15, "side": 0.20}

# Credit for a neuron type that is not the right one: (given, correct) -> credit.
NEURON_CREDIT: dict[tuple[str, str], float] = {
    ("UMN", "mixed"): 0.5, ("LMN", "mixed"): 0.5,   # half of a mixed picture
    ("mixed", "UMN"): 0.4, ("mixed", "LMN"): 0.4,   # saw signs that are not there
    ("NMJ", "muscle"): 0.3, ("muscle", "NMJ"): 0.3,  # both spare reflexes and sensation
    ("LMN", "NMJ"): 0.2, ("LMN", "muscle"): 0.2, ("muscle", "LMN"): 0.2, ("NMJ", "LMN"): 0.2,
}

# Neighbouring structures along the motor pathway, with the site credit a neighbour earns.
# Credit for a farther site is the product along the best path, so it falls with distance.
SITE_NEIGHBOURS: dict[tuple[str, str], float] = {
    ("cortex", "internal_capsule"): 0.5,
    ("internal_capsule", "midbrain"): 0.5,
    ("midbrain", "pons"): 0.5,
    ("pons", "medulla"): 0.5,
    ("medulla", "spinal_cord"): 0.35,
    ("spinal_cord", "conus"): 0.5,
    ("spinal_cord", "anterior_horn"): 0.35,
    ("conus", "cauda_equina"): 0.5,
    ("cauda_equina", "root"): 0.5,
    ("anterior_horn", "root"): 0.4,
    ("anterior_horn", "motor_neuron_disease"): 0.5,
    ("spinal_cord", "motor_neuron_disease"): 0.3,
    ("root", "plexus"): 0.5,
    ("plexus", "nerve"): 0.5,
    ("nerve", "polyneuropathy"): 0.4,
    ("root", "polyneuropathy"): 0.3,   # GBS is a polyradiculoneuropathy
    ("polyneuropathy", "nmj"): 0.15,
    ("nmj", "muscle"): 0.4,
}
SITE_CREDIT_FLOOR = 0.05  # below this a site earns nothing

# Level credit by distance in segments (cord, root, anterior horn ranges use their nearest end).
LEVEL_CREDIT_BY_DISTANCE: tuple[float, ...] = (1.0, 0.7, 0.35, 0.1)
# Sites whose levels are spinal segments, and so comparable with one another.
SEGMENTAL_SITES = frozenset({"spinal_cord", "root", "anterior_horn"})

# Side credit: a unilateral answer to a bilateral lesion (or the reverse) is partly right.
SIDE_CREDIT_UNILATERAL_VS_BILATERAL = 0.3

# Credit follows the evidence: a neighbouring site or level earns its partial credit only while
# nothing the student examined refutes it. When a finding the student examined goes the other
# way from what the named lesion would produce (the engine simulates it at this patient's
# severity and onset), the part keeps this share of its partial credit. With 0, L5 given for an
# S1 root after finding ankle dorsiflexion 5/5 (an L5 root weakens it) earns no level credit:
# 85% overall instead of 95%.
REFUTED_PARTIAL_CREDIT = 0.0
# The parts the rule applies to: those whose partial credit is anatomical distance.
REFUTABLE_PARTS: frozenset[str] = frozenset({"site", "level"})


# === Credit functions ============================================================================


def _site_credit_table() -> dict[tuple[str, str], float]:
    graph: dict[str, list[tuple[str, float]]] = {}
    for (a, b), credit in SITE_NEIGHBOURS.items():
        graph.setdefault(a, []).append((b, credit))
        graph.setdefault(b, []).append((a, credit))
    table: dict[tuple[str, str], float] = {}
    for start in graph:
        best = {start: 1.0}
        heap = [(-1.0, start)]
        while heap:
            neg, node = heapq.heappop(heap)
            if -neg < best.get(node, 0.0):
                continue
            for nxt, credit in graph[node]:
                value = -neg * credit
                if value > best.get(nxt, 0.0):
                    best[nxt] = value
                    heapq.heappush(heap, (-value, nxt))
        for end, value in best.items():
            if value >= SITE_CREDIT_FLOOR:
                table[(start, end)] = value
    return table


SITE_CREDIT: dict[tuple[str, str], float] = _site_credit_table()


def site_credit(given: str, correct: str) -> float:
    return 1.0 if given == correct else SITE_CREDIT.get((given, correct), 0.0)


def neuron_credit(given: str, correct: str) -> float:
    return 1.0 if given == correct else NEURON_CREDIT.get((given, correct), 0.0)


def level_credit(given_site: str, given: str | None, correct_site: str, correct: str) -> float:
    if given is None:
        return 0.0
    if given == correct:
        return 1.0
    if given_site in SEGMENTAL_SITES and correct_site in SEGMENTAL_SITES:
        a, b = A.segment_span(given), A.segment_span(correct)
        distance = A.segment_distance(given, correct)
        if a is None or b is None or distance is None:
            return 0.0
        if distance == 0 and a != b:  # overlapping ranges: share of the correct range covered
            overlap = min(a[1], b[1]) - max(a[0], b[0]) + 1
            union = max(a[1], b[1]) - min(a[0], b[0]) + 1
            return max(LEVEL_CREDIT_BY_DISTANCE[1], overlap / union)
        table = LEVEL_CREDIT_BY_DISTANCE
        return table[distance] if distance < len(table) else 0.0
    return 0.0


def side_credit(given: str, correct: str) -> float:
    if given == correct:
        return 1.0
    if "bilateral" in (given, correct):
        return SIDE_CREDIT_UNILATERAL_VS_BILATERAL
    return 0.0


def refuted_credit(part: str, credit: float, refuted: bool) -> float:
    """The credit a part keeps once the evidence is weighed (see REFUTED_PARTIAL_CREDIT)."""
    if refuted and part in REFUTABLE_PARTS and 0 < credit < 1:
        return credit * REFUTED_PARTIAL_CREDIT
    return credit
