"""Load on the SSH exam server: many students at once, on loopback.

    .venv/bin/python benchmarks/ssh_load.py --sessions 100 [--typing 20] [--spawn]

Starts ``vpatient serve`` on 127.0.0.1 with a throwaway exam folder and N students, then:
1. burst: N sessions log in at the same moment; time from connecting to the first full screen;
2. memory: PSS of each session process (and of the zygote and the server), all sessions idle;
3. idle CPU: the session processes' CPU use over a few seconds with nobody typing;
4. typing: ``--typing`` sessions press arrow keys in the maneuver menu five times a second;
   keystroke-to-screen latency is the time from sending the key to its screen update arriving;
5. staggered: everyone drops and logs in again, one every ``--stagger`` seconds.
Targets on a 2-core machine: 100 sessions, p95 echo under 100 ms with 20 typing, at most
20 MiB PSS each. Every process started is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncssh
import pyte

REPO = Path(__file__).resolve().parents[1]
EXAM = """\
title = "Load test"
time_limit_minutes = 60
feedback = "end"
[cases]
include = ["capsular-stroke-chronic"]
generate = { count = 2, seed = 1, difficulty = "core" }
"""
FIRST_SCREEN = "Examine"


class Session(asyncssh.SSHClientSession):
    def __init__(self) -> None:
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.changed = asyncio.Event()

    def data_received(self, data: bytes, datatype: int | None) -> None:  # type: ignore[override]
        self.stream.feed(data)
        self.changed.set()

    def connection_lost(self, exc: Exception | None) -> None:
        self.changed.set()

    def has(self, text: str) -> bool:
        return any(text in line for line in self.screen.display)


class Student:
    def __init__(self, name: str, key: asyncssh.SSHKey) -> None:
        self.name, self.key = name, key
        self.conn: asyncssh.SSHClientConnection | None = None
        self.chan: asyncssh.SSHClientChannel | None = None
        self.session: Session | None = None

    async def login(self, port: int, timeout: float = 120) -> float:
        start = time.perf_counter()
        self.conn = await asyncssh.connect(
            "127.0.0.1", port, username=self.name, client_keys=[self.key], known_hosts=None,
            agent_path=None, config=None)
        self.chan, self.session = await self.conn.create_session(
            Session, term_type="xterm-256color", term_size=(80, 24), encoding=None)
        await self.wait_for(FIRST_SCREEN, timeout)
        return time.perf_counter() - start

    async def wait_for(self, text: str, timeout: float) -> None:
        assert self.session is not None
        deadline = time.perf_counter() + timeout
        while not self.session.has(text):
            self.session.changed.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"{self.name}: {text!r} never appeared")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.session.changed.wait(), remaining)

    async def keystroke(self, key: str) -> float:
        """Send a key; the time until the screen's update arrives. (The exam's header changes
        only once a minute, so the first output after a key is the key's echo.)"""
        assert self.chan is not None and self.session is not None
        self.session.changed.clear()
        start = time.perf_counter()
        self.chan.write(key.encode())
        await asyncio.wait_for(self.session.changed.wait(), 10)
        return time.perf_counter() - start

    async def logout(self) -> None:
        if self.conn is not None:
            self.conn.close()
            with contextlib.suppress(Exception):
                await self.conn.wait_closed()
        self.conn = self.chan = self.session = None


# --- processes ----------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            out += [int(c) for c in (task / "children").read_text().split()]
    return out


def descendants(pid: int) -> list[int]:
    found, frontier = [], [pid]
    while frontier:
        frontier = [c for p in frontier for c in children(p)]
        found += frontier
    return found


def pss_kib(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def cpu_ticks(pid: int) -> int:
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    return 0


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (f"{name}: n={len(ms)} p50={pct(ms, .5):.0f} ms p95={pct(ms, .95):.0f} ms "
            f"max={max(ms):.0f} ms")


# --- the run ------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> dict:
    work = Path(tempfile.mkdtemp(prefix="vpatient-load-"))
    root = work / "exam"
    subprocess.run([sys.executable, "-m", "vpatient", "exam", "init", str(root)], check=True,
                   capture_output=True)
    (root / "exam.toml").write_text(EXAM)
    students = []
    for i in range(args.sessions):
        key = asyncssh.generate_private_key("ssh-ed25519")
        name = f"s{i:03d}"
        (root / "students" / f"{name}.pub").write_bytes(key.export_public_key())
        students.append(Student(name, key))
    command = [sys.executable, "-m", "vpatient", "serve", str(root), "--host", "127.0.0.1",
               "--port", "0"] + (["--spawn"] if args.spawn else [])
    server = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    results: dict = {"sessions": args.sessions, "mode": "spawn" if args.spawn else "zygote"}
    try:
        assert server.stderr is not None
        port = 0
        while not port:
            line = await asyncio.to_thread(server.stderr.readline)
            if not line:
                raise RuntimeError("the server did not start")
            if line.startswith("Serving"):
                port = int(line.split("127.0.0.1:")[1].split(".")[0])
        # Drain the server's log so that it never blocks on a full pipe.
        drain = asyncio.create_task(asyncio.to_thread(lambda: server.stderr.read()))

        print(f"burst: {args.sessions} sessions log in at once ...", flush=True)
        burst = await asyncio.gather(*(s.login(port) for s in students))
        results["burst_first_screen"] = burst
        print(" ", summary("first screen (burst)", burst), flush=True)

        await asyncio.sleep(2)
        procs = descendants(server.pid)
        zygote = [p for p in children(server.pid)] if not args.spawn else []
        sessions = [p for p in procs if p not in zygote]
        pss = [pss_kib(p) / 1024 for p in sessions]
        results["pss_mib"] = pss
        print(f"  memory: {len(sessions)} session processes, PSS mean {statistics.mean(pss):.1f}"
              f" MiB, max {max(pss):.1f} MiB; server {pss_kib(server.pid) / 1024:.1f} MiB"
              + (f", zygote {pss_kib(zygote[0]) / 1024:.1f} MiB" if zygote else ""), flush=True)

        ticks = {p: cpu_ticks(p) for p in sessions}
        idle_seconds = 5.0
        await asyncio.sleep(idle_seconds)
        hz = os.sysconf("SC_CLK_TCK")
        used = sum(cpu_ticks(p) - t for p, t in ticks.items()) / hz
        results["idle_cpu_pct_per_session"] = used / idle_seconds / len(sessions) * 100
        print(f"  idle: {results['idle_cpu_pct_per_session']:.2f}% of a core per session",
              flush=True)

        typing = students[: args.typing]
        print(f"typing: {len(typing)} sessions move through the menu 5 keys a second for "
              f"{args.duration:.0f} s ...", flush=True)
        latencies: list[float] = []

        async def type_(student: Student) -> None:
            end = time.perf_counter() + args.duration
            keys = ["\x1b[B"] * 5 + ["\x1b[A"] * 5  # down and back up the maneuver menu
            i = 0
            while time.perf_counter() < end:
                latencies.append(await student.keystroke(keys[i % len(keys)]))
                i += 1
                await asyncio.sleep(0.2)

        await asyncio.gather(*(type_(s) for s in typing))
        results["echo"] = latencies
        print(" ", summary("keystroke to screen", latencies), flush=True)

        print(f"staggered: everyone drops, then logs in again one every {args.stagger} s ...",
              flush=True)
        await asyncio.gather(*(s.logout() for s in students))
        await asyncio.sleep(2)

        async def later(i: int, student: Student) -> float:
            await asyncio.sleep(i * args.stagger)
            return await student.login(port)

        staggered = await asyncio.gather(*(later(i, s) for i, s in enumerate(students)))
        results["staggered_first_screen"] = staggered
        print(" ", summary("first screen (staggered)", staggered), flush=True)
        await asyncio.gather(*(s.logout() for s in students))
    finally:
        leftovers = descendants(server.pid)
        server.send_signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(server.wait, 30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        for pid in leftovers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            drain.cancel()
        subprocess.run(["rm", "-rf", str(work)], check=False)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--typing", type=int, default=20)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of typing")
    parser.add_argument("--stagger", type=float, default=0.1, help="seconds between logins")
    parser.add_argument("--spawn", action="store_true", help="a fresh interpreter per session")
    args = parser.parse_args()
    args.typing = min(args.typing, args.sessions)
    results = asyncio.run(run(args))
    echo = results["echo"]
    ok_echo = pct([e * 1000 for e in echo], .95) < 100
    ok_mem = max(results["pss_mib"]) <= 20
    print(f"targets: p95 echo < 100 ms: {'met' if ok_echo else 'NOT met'}; "
          f"PSS <= 20 MiB: {'met' if ok_mem else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
