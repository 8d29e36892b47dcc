"""An SSH client with a pyte screen, to read what an exam session draws (loopback only)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from pathlib import Path

import asyncssh
import pyte


class ScreenSession(asyncssh.SSHClientSession):
    def __init__(self, cols: int, rows: int) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.stderr = bytearray()
        self.changed = asyncio.Event()
        self.closed = asyncio.Event()

    def data_received(self, data: bytes, datatype: int | None) -> None:  # type: ignore[override]
        if datatype == asyncssh.EXTENDED_DATA_STDERR:
            self.stderr += data
        else:
            self.raw += data
            self.stream.feed(data)
        self.changed.set()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()
        self.changed.set()

    def text(self) -> str:
        return "\n".join(self.screen.display)


class Terminal:
    """A logged-in student at an 80x24 terminal."""

    def __init__(self, conn: asyncssh.SSHClientConnection, chan: asyncssh.SSHClientChannel,
                 session: ScreenSession) -> None:
        self.conn, self.chan, self.session = conn, chan, session

    @classmethod
    async def connect(cls, port: int, student: str, key: asyncssh.SSHKey, *,
                      cols: int = 80, rows: int = 24) -> Terminal:
        conn = await connect(port, student, key)
        chan, session = await conn.create_session(
            lambda: ScreenSession(cols, rows), term_type="xterm-256color",
            term_size=(cols, rows), encoding=None)
        return cls(conn, chan, session)

    def text(self) -> str:
        return self.session.text()

    def send(self, keys: str | bytes) -> None:
        self.chan.write(keys.encode() if isinstance(keys, str) else keys)

    async def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.text()
            if text in screen:
                return screen
            if self.session.closed.is_set() or time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen:\n{screen}\n"
                                     f"stderr: {bytes(self.session.stderr)!r}")
            self.session.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.session.changed.wait(), 0.2)

    async def wait_closed(self, timeout: float = 10.0) -> None:
        await asyncio.wait_for(self.session.closed.wait(), timeout)

    def drop(self) -> None:
        """A dropped connection: the TCP connection goes away without a goodbye."""
        self.conn.abort()

    async def close(self) -> None:
        self.conn.close()
        await self.conn.wait_closed()


async def connect(port: int, student: str, key: asyncssh.SSHKey | None,
                  **kwargs) -> asyncssh.SSHClientConnection:
    return await asyncssh.connect(
        "127.0.0.1", port, username=student, client_keys=[key] if key else [],
        known_hosts=None, agent_path=None, config=None, **kwargs)


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (children, grandchildren...), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def zombies_of(pid: int) -> list[int]:
    out = []
    for child in descendants(pid):
        try:
            if Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                out.append(child)
        except OSError:
            pass
    return out


def kill_all(pids: set[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, 9)
