"""Fuzz the case-file loader with thousands of mutated bundled cases (issue 16).

    python benchmarks/fuzz_cases.py [--count 3000] [--seed 16] [--keep DIR]

Each fuzzed file is loaded the way ``vpatient case validate`` loads it, in a worker process with
its address space capped (so a runaway parser fails with MemoryError instead of taking the
machine) and a wall-clock limit per file (a worker that overruns it is killed and replaced).

Reports: tracebacks, runs over 2 s, errors without a line, problem lines that are not one
printable line of bounded length, files killed for time, and the worker's peak memory with the
files that raised it. Target: 0 tracebacks, 0 runs over 2 s, 0 errors without a line.
The bounded version runs in the suite (``tests/fuzz/test_fuzz_cases.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

MEMORY_CAP = 4 * 1024**3  # address space of the worker
KILL_AFTER_SECONDS = 30.0


def worker(folder: Path, start: int) -> None:
    """Check files from ``start`` on, one JSON line per file (after a ``start`` line)."""
    import resource

    from fuzz.casefuzz import check_file

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    files = sorted(folder.glob("*.toml"))
    for i in range(start, len(files)):
        print(json.dumps({"start": i}), flush=True)
        result = check_file(files[i])
        result["index"] = i
        result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result), flush=True)


def _pump(stream, lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)
    lines.put("")  # end of output: the worker has exited


def run(folder: Path, total: int) -> list[dict]:
    results: list[dict] = []
    start = 0
    while start < total:
        # The worker's stderr is dropped: a parser failing deep in recursion also prints
        # "Exception ignored" noise there; what matters is reported per file on stdout.
        proc = subprocess.Popen([sys.executable, __file__, "--worker", str(folder),
                                 "--start", str(start)], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        lines: queue.Queue[str] = queue.Queue()
        # A reader thread, so that the wall-clock limit holds whatever the worker prints.
        threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
        current, began = start, time.monotonic()
        while True:
            try:
                line = lines.get(timeout=max(0.0, KILL_AFTER_SECONDS -
                                             (time.monotonic() - began)))
            except queue.Empty:
                proc.kill()
                proc.wait()
                results.append({"index": current, "killed": True, "seconds": KILL_AFTER_SECONDS,
                                "traceback": None, "no_line": [], "bad_lines": []})
                start = current + 1
                break
            if not line:  # the worker died (e.g. killed by the kernel)
                proc.wait()
                if current < total:
                    results.append({"index": current, "killed": True, "seconds": 0.0,
                                    "traceback": f"worker died (exit {proc.returncode})",
                                    "no_line": [], "bad_lines": []})
                start = current + 1
                break
            message = json.loads(line)
            if "start" in message:
                current, began = message["start"], time.monotonic()
                continue
            results.append(message)
            if message["index"] == total - 1:
                proc.wait()
                start = total
                break
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--keep", type=Path, help="write the fuzzed files here and keep them")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.start)
        return 0

    from fuzz.casefuzz import SLOW_SECONDS, fuzzed_cases

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        names, mutations, total_bytes = [], [], 0
        for name, data, applied in fuzzed_cases(args.seed, args.count):
            (folder / name).write_bytes(data)
            names.append(name)
            mutations.append(applied)
            total_bytes += len(data)
        began = time.perf_counter()
        results = run(folder, len(names))
        wall = time.perf_counter() - began

    def show(kind: str, picked: list[dict], detail) -> None:
        print(f"{kind}: {len(picked)}")
        for r in picked[:12]:
            print(f"  {names[r['index']]} [{'+'.join(mutations[r['index']])}]: {detail(r)}")

    tracebacks = [r for r in results if r.get("traceback")]
    slow = [r for r in results if r.get("killed") or r["seconds"] > SLOW_SECONDS]
    no_line = [r for r in results if r["no_line"]]
    bad_lines = [r for r in results if r["bad_lines"]]
    print(f"{len(results)} fuzzed files ({total_bytes / 1e6:.1f} MB), seed {args.seed}, "
          f"{wall:.1f} s; {sum(1 for r in results if r.get('ok'))} still load as a case")
    show("tracebacks", tracebacks, lambda r: r["traceback"])
    show(f"runs over {SLOW_SECONDS:g} s", slow,
         lambda r: "killed" if r.get("killed") else f"{r['seconds']:.2f} s")
    show("files with errors without a line", no_line, lambda r: r["no_line"][0])
    show("files with unprintable or over-long problem lines", bad_lines,
         lambda r: r["bad_lines"][0])
    seconds = sorted(r["seconds"] for r in results)
    cpu = sorted(r.get("cpu_seconds", r["seconds"]) for r in results)
    print(f"time per file: median {seconds[len(seconds) // 2] * 1000:.1f} ms, "
          f"max {seconds[-1]:.2f} s wall, {cpu[-1]:.2f} s CPU; "
          f"{sum(1 for c in cpu if c > SLOW_SECONDS)} over {SLOW_SECONDS:g} s of CPU "
          f"(machine load {os.getloadavg()[0]:.1f})")
    peaks = [r for r in results if "maxrss_mb" in r]
    if peaks:
        print(f"worker peak memory: {max(r['maxrss_mb'] for r in peaks):.0f} MB")
        rises, last = [], {}
        for r in sorted(peaks, key=lambda r: r["index"]):
            before = last.get("maxrss_mb", r["maxrss_mb"])
            if r["maxrss_mb"] - before > 50:
                rises.append((r["maxrss_mb"] - before, r["index"]))
            last = r
        for rise, index in sorted(rises, reverse=True)[:5]:
            print(f"  +{rise:.0f} MB at {names[index]} [{'+'.join(mutations[index])}]")
    kinds = Counter(r["traceback"].split(":")[0] for r in tracebacks)
    if kinds:
        print("traceback kinds: " + ", ".join(f"{k} x{n}" for k, n in kinds.most_common()))
    return 1 if tracebacks or slow or no_line or bad_lines else 0


if __name__ == "__main__":
    os.environ.setdefault("VPATIENT_DATA_DIR", tempfile.mkdtemp(prefix="vpatient-fuzz-"))
    sys.exit(main())
