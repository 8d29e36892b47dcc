"""The localization solver: solves per second on one core, the cold table build, and top-1
accuracy on generated patients with the full examination and with only the maneuvers of each
patient's minimal set.

    python benchmarks/solver.py [--patients 3000] [--seed 2026]

Targets (issue 13): at least 1,000 solves/s on one core (the cold build excluded and reported
separately); top-1 accuracy of 100% of the uniquely solvable patients with the full examination.
The onset is given to the solver as the history gives it to the student.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import Counter


def cold_build() -> tuple[float, int, int]:
    from vpatient.core import solver

    start = time.perf_counter()
    table = solver.table()
    return time.perf_counter() - start, table.size, len(table.answers)


def solves_per_second(findings: list[dict], suggest: bool, seconds: float = 3.0) -> float:
    from vpatient.core.solver import solve

    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for f in findings:
            solve(f, suggest=suggest).top(10)
        done += len(findings)
    return done / (time.perf_counter() - start)


def accuracy(difficulty: str, count: int, seed: int) -> dict:
    from vpatient.core.generator import generate_patient
    from vpatient.core.solver import (
        accepted_by,
        answer_findings,
        case_rivalry,
        minimal_maneuvers,
        restrict,
        solve,
    )

    tally: Counter = Counter()
    sizes: list[int] = []
    collisions: Counter = Counter()
    minimal_cache: dict = {}
    for index in range(count):
        case = generate_patient(seed, index, difficulty)
        key, onset = case.answer_key, case.lesions[0].onset_days
        findings = answer_findings(case)  # less what a second lesion explains
        tally["patients"] += 1
        full = solve(findings, onset_days=onset, suggest=False)
        top_ok = accepted_by(key, full.best.answer)
        tally["full_top1"] += top_ok
        race = case_rivalry(case)
        if race.decided:
            tally["solvable"] += 1
            tally["solvable_full_top1"] += top_ok
        else:
            rival = race.rival.label if race.rival else "?"
            collisions[(key.canonical.site, key.canonical.level, rival,
                        len(case.lesions))] += 1
        signature = (tuple(map(repr, findings.values())), repr(key), onset)
        if signature not in minimal_cache:
            minimal_cache[signature] = minimal_maneuvers(findings, key, onset)
        minimal = minimal_cache[signature]
        if minimal is not None:
            sizes.append(len(minimal))
            narrow = solve(restrict(findings, minimal), onset_days=onset, suggest=False)
            tally["minimal_top1"] += accepted_by(key, narrow.best.answer)
            tally["minimal_cases"] += 1
    return {"tally": tally, "sizes": sizes, "collisions": collisions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    from vpatient.core.generator import generate_patient
    from vpatient.core.solver import restrict

    build, rows, answers = cold_build()
    print(f"cold table build: {build:.2f} s ({rows:,} distinct lesion rows, {answers} answers)")
    patients = [generate_patient(args.seed, i, "advanced") for i in range(200)]
    full = [p.all_findings for p in patients]
    partial = [restrict(f, ["gait", "plantar.left", "plantar.right", "reflex.left.knee",
                            "reflex.right.knee"]) for f in full]
    print(f"solves/s, full examination, ranking only: {solves_per_second(full, False):,.0f} "
          f"(target >= 1,000)")
    print(f"solves/s, full examination, with the next maneuver: "
          f"{solves_per_second(full, True):,.0f}")
    print(f"solves/s, five maneuvers, with the next maneuver: "
          f"{solves_per_second(partial, True):,.0f}")
    for difficulty in ("intro", "core", "advanced"):
        start = time.perf_counter()
        result = accuracy(difficulty, args.patients, args.seed)
        t, sizes = result["tally"], result["sizes"]
        solvable = t["solvable"]
        print(f"\n{difficulty}: {t['patients']} patients, {solvable} uniquely solvable from the "
              f"full examination ({time.perf_counter() - start:.0f} s)")
        print(f"  top-1, full examination: {t['full_top1'] / t['patients']:.1%} of all, "
              f"{t['solvable_full_top1'] / max(1, solvable):.1%} of the uniquely solvable")
        if sizes:
            print(f"  top-1, minimal set only: {t['minimal_top1'] / t['minimal_cases']:.1%} "
                  f"(minimal set: median {statistics.median(sizes):g}, max {max(sizes)} "
                  f"maneuvers)")
        for (site, level, rival, lesions), n in result["collisions"].most_common(12):
            what = f"{site} {level}" if level else site
            extra = " (two lesions)" if lesions > 1 else ""
            print(f"  not separable: {what}{extra} vs {rival}: {n}")


if __name__ == "__main__":
    main()
