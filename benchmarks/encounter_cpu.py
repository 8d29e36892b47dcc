"""CPU cost of the encounter screen: its first draw, and one arrow key in the maneuver menu.

    .venv/bin/python benchmarks/encounter_cpu.py [--keys 200] [--rounds 3] [--profile]

Counts process CPU time (``time.process_time``), not wall time, since the Pilot sleeps between
keys. Three apps are measured in one process, each headless at 80x24:
- floor: a bare Textual app whose only widget is an OptionList of the same options as plain text,
  with the encounter menu's size and border (what any Textual program pays per key);
- encounter: ``VPatientApp`` with ``EncounterScreen`` for the bundled capsular-stroke-chronic case;
- exam: the SSH exam's ``ExamApp`` (served=True) on its first case, as a student sees it, with
  the header clock running.
For each: first draw (push the screen and the first ``pilot.pause()``) and per key (arrow down
and up through the menu). The first round in a process pays one-off imports and CSS parsing;
the rest show the steady cost a session forked from the warmed zygote pays. The apps render
their updates to escape sequences as for a real terminal (``--headless`` skips that, as
``run_test`` normally does); the bytes sent per key are shown too.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import pstats
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import textual.drivers.headless_driver
from textual.app import App, ComposeResult
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from vpatient.core.examination import REGIONS, maneuvers_in
from vpatient.library import load_bundled
from vpatient.tui.app import VPatientApp
from vpatient.tui.screens.encounter import EncounterScreen, maneuver_label

SIZE = (80, 24)


class OutputDriver(textual.drivers.headless_driver.HeadlessDriver):
    """Headless, except that the app renders its updates to escape sequences as it would for a
    terminal (a headless app skips that); the bytes are counted and dropped."""

    written = 0

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        OutputDriver.written += len(data)


def use_output_driver() -> None:
    # App._build_driver imports HeadlessDriver from its module each time it runs a test app.
    textual.drivers.headless_driver.HeadlessDriver = OutputDriver  # type: ignore[misc]
KEY_PATTERN = ["down"] * 5 + ["up"] * 5  # what benchmarks/ssh_load.py types
BYTES_PER_KEY: list[float] = []


def case():
    return load_bundled().by_id("capsular-stroke-chronic")


def plain_options() -> list[Option]:
    options = []
    for number, region in enumerate(REGIONS, start=1):
        options.append(Option(f"{number} {region.upper()}", disabled=True))
        options.extend(Option(maneuver_label(m)) for m in maneuvers_in(region))
    return options


class FloorApp(App):
    """The maneuver menu alone: same options (as plain text), same size and border."""

    CSS = """
    OptionList { width: 38; height: 13; margin-top: 1; border: round $panel-lighten-2; }
    OptionList:focus { border: round $accent; }
    """

    def compose(self) -> ComposeResult:
        yield OptionList(*plain_options())

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        menu.highlighted = 1
        menu.focus()


def settle() -> None:
    """As the exam server's zygote does before forking a session: what exists now is never
    collected again, so a full collection does not land at random inside a measurement."""
    gc.collect()
    gc.freeze()


async def press_keys(pilot, keys: int) -> float:
    """CPU per key. ``App._press_keys`` is what ``Pilot.press`` does minus its wait for every
    widget's message queue to drain, which itself costs CPU in proportion to the widget count."""
    app = pilot.app
    await pilot.pause()
    written = OutputDriver.written
    start = time.process_time()
    for i in range(keys):
        await app._press_keys([KEY_PATTERN[i % len(KEY_PATTERN)]])
    await pilot.pause()
    cpu = (time.process_time() - start) / keys * 1000
    BYTES_PER_KEY.append((OutputDriver.written - written) / keys)
    return cpu


async def measure_floor(keys: int) -> tuple[float, float]:
    app = FloorApp()
    settle()
    start = time.process_time()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = (time.process_time() - start) * 1000
        per_key = await press_keys(pilot, keys)
    return first, per_key


async def measure_encounter(keys: int) -> tuple[float, float]:
    app = VPatientApp()
    the_case = case()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        settle()
        start = time.process_time()
        app.push_screen(EncounterScreen(the_case))
        await pilot.pause()
        first = (time.process_time() - start) * 1000
        assert isinstance(app.screen, EncounterScreen)
        per_key = await press_keys(pilot, keys)
    return first, per_key


async def measure_exam(keys: int) -> tuple[float, float]:
    """The exam app: its first screen from mount (waiting screen, then the encounter)."""
    from vpatient.exam.app import ExamApp
    from vpatient.exam.config import Exam, load_exam

    scratch = Path(tempfile.mkdtemp(prefix="vpatient-cpu-"))
    try:
        root = scratch / "exam"
        root.mkdir()
        (root / "students").mkdir()
        (root / "exam.toml").write_text(
            'title = "CPU"\ntime_limit_minutes = 60\nfeedback = "end"\n'
            '[cases]\ninclude = ["capsular-stroke-chronic"]\n')
        exam: Exam = load_exam(root)
        app = ExamApp(exam, "s000", served=True)
        settle()
        start = time.process_time()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            while type(app.screen).__name__ != "EncounterScreen":
                await pilot.pause()
            await pilot.pause()
            first = (time.process_time() - start) * 1000
            per_key = await press_keys(pilot, keys)
        return first, per_key
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


async def main_async(args: argparse.Namespace) -> None:
    results: dict[str, list[tuple[float, float]]] = {"floor": [], "encounter": [], "exam": []}
    measures = {"floor": measure_floor, "encounter": measure_encounter, "exam": measure_exam}
    out_bytes: dict[str, float] = {}
    for round_ in range(args.rounds):
        for name, measure in measures.items():
            results[name].append(await measure(args.keys))
            out_bytes[name] = BYTES_PER_KEY[-1]
        print(f"round {round_ + 1}: " + "; ".join(
            f"{name} first {r[-1][0]:.0f} ms, key {r[-1][1]:.2f} ms"
            for name, r in results.items()), flush=True)
    steady = {name: r[1:] or r for name, r in results.items()}
    print("\nmedian of the warm rounds (CPU):")
    for name, r in steady.items():
        print(f"  {name:9s} first draw {statistics.median(x[0] for x in r):6.1f} ms   "
              f"per key {statistics.median(x[1] for x in r):5.2f} ms"
              + ("" if args.headless else f"   {out_bytes[name]:6.0f} bytes sent per key"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", choices=("encounter", "exam", "floor"),
                        help="profile one app's keys (after a warm-up round) instead")
    parser.add_argument("--headless", action="store_true",
                        help="skip rendering updates to escape sequences (run_test's default)")
    args = parser.parse_args()
    if not args.headless:
        use_output_driver()
    if args.profile:
        measure = {"floor": measure_floor, "encounter": measure_encounter,
                   "exam": measure_exam}[args.profile]
        asyncio.run(measure(20))
        profiler = cProfile.Profile()
        profiler.enable()
        asyncio.run(measure(args.keys))
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        return
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
