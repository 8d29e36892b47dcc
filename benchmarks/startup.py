"""Start-up time: from process launch to the first interactive frame, vpatient beside a bare app.

Each app runs in a fresh interpreter on a real pseudo-terminal (80x24), exactly as a student's
terminal would run it. Textual sends ``Ready`` to the app once the first frame is on screen; a
hook on ``App.on_ready`` (installed before anything else runs) writes the wall-clock time to a
file and exits. The time counted is from just before the process is spawned to that moment, so
it includes the interpreter, every import, composing the home screen and drawing it.

The bare app is ``App`` with one ``Static("hi")``: the floor any Textual program pays. Runs are
interleaved (bare, vpatient, bare, ...) so that a busy machine slows both alike.

    python benchmarks/startup.py [--runs 15]

Target (issue 5): vpatient's median within 1.2x of the bare app's.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

TARGET_RATIO = 1.2

RUNNER = r"""
import os, sys, time
import textual.app

def _ready(self):
    with open(os.environ["STARTUP_BENCH_OUT"], "w") as out:
        out.write(repr(time.time()))
    self.exit()

textual.app.App.on_ready = _ready  # Textual calls on_ready on every class in the MRO

if sys.argv[1] == "bare":
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("hi")

    Bare().run()
else:
    from vpatient.cli import main

    sys.exit(main([]))
"""


def launch_to_first_frame(kind: str, data_dir: str, timeout: float = 30.0) -> float:
    """Seconds from spawning ``kind`` ("bare" or "vpatient") to its first frame."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as marker:
        out_path = marker.name
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24",
               STARTUP_BENCH_OUT=out_path, VPATIENT_DATA_DIR=data_dir)
    try:
        start = time.time()
        process = subprocess.Popen([sys.executable, "-c", RUNNER, kind], stdin=slave,
                                   stdout=slave, stderr=slave, env=env, close_fds=True)
        os.close(slave)
        deadline = start + timeout
        # Drain the terminal so the app never blocks writing to it.
        while process.poll() is None and time.time() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        try:  # the terminal closes a moment before the process has fully exited
            process.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            process.kill()
            raise RuntimeError(f"{kind}: no first frame within {timeout:.0f}s") from None
        text = Path(out_path).read_text().strip()
        if not text:
            raise RuntimeError(f"{kind}: exited (code {process.returncode}) before a frame")
        return float(text) - start
    finally:
        os.close(master)
        Path(out_path).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each app (default 15)")
    args = parser.parse_args(argv)
    times: dict[str, list[float]] = {"bare": [], "vpatient": []}
    with tempfile.TemporaryDirectory() as data_dir:
        for kind in times:  # one unmeasured warm-up each: the first run fills the OS caches
            launch_to_first_frame(kind, data_dir)
        for _ in range(args.runs):
            for kind in times:
                times[kind].append(launch_to_first_frame(kind, data_dir))
    bare, game = (statistics.median(times[k]) for k in ("bare", "vpatient"))
    ratio = game / bare
    print(f"launch to first interactive frame, median of {args.runs} runs (80x24 pty):")
    for kind, values in times.items():
        print(f"  {kind:<9} {statistics.median(values) * 1000:7.1f} ms   "
              f"(min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})")
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(f"  ratio     {ratio:7.2f}x  ({verdict} the {TARGET_RATIO}x target)")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
