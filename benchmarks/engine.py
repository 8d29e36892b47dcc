"""Engine throughput: patients generated, derived and serialized per second on one core,
and the wall time of ``vpatient case show``.

    python benchmarks/engine.py [--patients 20000] [--repeat 3]

Target (issue 2): at least 20,000 patients/s on one core of the 2-core CI machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def patients_per_second(count: int, cached: bool) -> float:
    from vpatient.cli import json_text
    from vpatient.core import engine
    from vpatient.core.generator import generate_patient

    if not cached:
        engine._CACHE.clear()
    start = time.perf_counter()
    for i in range(count):
        if not cached:
            engine._CACHE.clear()
        patient = generate_patient(seed=2026, index=i, difficulty="advanced")
        json_text(patient.to_json())
    return count / (time.perf_counter() - start)


def history_writer_share(count: int) -> tuple[float, float]:
    """Microseconds per patient spent writing the complaint and history, and their share of
    generating the patient (CPU time, so that other load on the machine counts less)."""
    from vpatient.core import history
    from vpatient.core.generator import generate_patient

    spent = 0.0
    write = history.write

    def timed(*args, **kwargs):
        nonlocal spent
        start = time.process_time()
        try:
            return write(*args, **kwargs)
        finally:
            spent += time.process_time() - start

    history.write = timed
    try:
        start = time.process_time()
        for i in range(count):
            generate_patient(seed=2026, index=i, difficulty="advanced")
        total = time.process_time() - start
    finally:
        history.write = write
    return spent / count * 1e6, spent / total


def case_show_wall_time(repeat: int) -> float:
    root = Path(__file__).resolve().parent.parent
    case = root / "cases" / "capsular-stroke-chronic.toml"
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "vpatient", "case", "show", str(case), "--json"],
                       check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    from vpatient.cli import batch_mode

    patients_per_second(500, cached=True)  # warm imports and caches
    batch_mode()  # as `vpatient generate` does
    warm = [patients_per_second(args.patients, cached=True) for _ in range(args.repeat)]
    cold = [patients_per_second(args.patients // 10, cached=False) for _ in range(args.repeat)]
    writer_us, writer_share = history_writer_share(args.patients // 4)
    show = case_show_wall_time(args.repeat * 3)
    print(f"patients generated+derived+serialized: {statistics.median(warm):,.0f}/s "
          f"(derive cache warm), {statistics.median(cold):,.0f}/s (every derivation from "
          f"scratch); target >= 20,000/s")
    print(f"history writer: {writer_us:.0f} us per patient, {writer_share:.0%} of generating it "
          "(CPU time)")
    print(f"vpatient case show --json wall time: {show * 1000:.0f} ms "
          f"(median of {args.repeat * 3})")


if __name__ == "__main__":
    main()
