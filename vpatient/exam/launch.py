"""Starting session processes for the server: forked from the zygote (the default), or a fresh
interpreter each (``--spawn``, slower and bigger, nothing shared). Either way the session runs on
the pty slave it is given, as its controlling terminal, in its own process group, and the
launcher reports when it exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from vpatient.exam.session import session_environment

log = logging.getLogger("vpatient.serve")


@dataclass(frozen=True)
class SessionRequest:
    student: str
    term: str
    peer: str


class Launcher:
    """Starts a session process on a pty slave and reports when it exits."""

    async def start(self) -> None: ...

    async def spawn(self, request: SessionRequest, slave: int) -> int:
        raise NotImplementedError

    def exited(self, pid: int) -> asyncio.Future[int]:
        raise NotImplementedError

    async def stop(self) -> None: ...


def _server_log_fd() -> int:
    return sys.stderr.fileno() if sys.stderr is not None else 2


class SpawnLauncher(Launcher):
    """A fresh interpreter per session (``--spawn``)."""

    def __init__(self, root: Path, screens: str | None = None) -> None:
        self.root = root
        self.screens = screens
        self.futures: dict[int, asyncio.Future[int]] = {}

    async def spawn(self, request: SessionRequest, slave: int) -> int:
        log_fd = _server_log_fd()
        command = [sys.executable, "-m", "vpatient.exam.session", str(self.root),
                   request.student, "--peer", request.peer, "--log-fd", str(log_fd)]
        if self.screens:
            command += ["--screens", self.screens]
        env = session_environment(request.term)
        proc = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, env=env, pass_fds=[log_fd],
            start_new_session=True,  # setsid; the child then takes the pty as its terminal
        )
        loop = asyncio.get_running_loop()
        future: asyncio.Future[int] = loop.create_future()
        self.futures[proc.pid] = future
        pidfd = os.pidfd_open(proc.pid)

        def reap() -> None:
            loop.remove_reader(pidfd)
            os.close(pidfd)
            code = proc.wait()
            self.futures.pop(proc.pid, None)
            if not future.done():
                future.set_result(code)

        loop.add_reader(pidfd, reap)
        return proc.pid

    def exited(self, pid: int) -> asyncio.Future[int]:
        future = self.futures.get(pid)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            future.set_result(0)
        return future


class ZygoteLauncher(Launcher):
    """Forks sessions from ``vpatient.exam.zygote``, a child of the server; the pty slave
    travels to it over a SOCK_SEQPACKET socket pair (``socket.send_fds``)."""

    def __init__(self, root: Path, screens: str | None = None,
                 ready_timeout: float = 60.0) -> None:
        self.root = root
        self.screens = screens
        self.ready_timeout = ready_timeout
        self.proc: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self.pending: dict[str, asyncio.Future[int]] = {}
        self.futures: dict[int, asyncio.Future[int]] = {}
        self.early_exits: dict[int, int] = {}
        self.ready: asyncio.Future[int] | None = None
        self.tokens = 0
        self.lock = asyncio.Lock()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command = [sys.executable, "-m", "vpatient.exam.zygote", str(self.root),
                   str(theirs.fileno())]
        if self.screens:
            command += ["--screens", self.screens]
        self.proc = subprocess.Popen(
            command, pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
            start_new_session=True,
            # One malloc arena: each session's Textual input thread would otherwise get its own,
            # which costs resident memory in every one of a hundred sessions.
            env={**os.environ, "MALLOC_ARENA_MAX": "1"},
        )
        theirs.close()
        ours.setblocking(False)
        self.sock = ours
        self.ready = loop.create_future()
        loop.add_reader(ours.fileno(), self._readable)
        try:
            await asyncio.wait_for(asyncio.shield(self.ready), self.ready_timeout)
        except (TimeoutError, ConnectionError) as err:
            await self.stop()
            raise RuntimeError(f"the session zygote did not start: {err}") from None
        log.info("zygote ready (pid %s)", self.proc.pid)

    def _readable(self) -> None:
        assert self.sock is not None
        while True:
            try:
                data = self.sock.recv(65536)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:
                self._lost()
                return
            with contextlib.suppress(ValueError):
                self._message(json.loads(data))

    def _message(self, msg: dict) -> None:
        op = msg.get("op")
        if op == "ready" and self.ready is not None and not self.ready.done():
            self.ready.set_result(msg["pid"])
        elif op == "started":
            future = self.pending.pop(str(msg.get("token")), None)
            if future is not None and not future.done():
                future.set_result(msg["pid"])
        elif op == "exited":
            pid, status = msg["pid"], msg["status"]
            future = self.futures.pop(pid, None)
            if future is None:
                self.early_exits[pid] = status
            elif not future.done():
                future.set_result(status)

    def _lost(self) -> None:
        """The zygote died. Its sessions keep running (their ptys are ours); the next login
        starts a new zygote."""
        log.warning("the session zygote exited")
        if self.sock is not None:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_reader(self.sock.fileno())
            self.sock.close()
        self.sock = None
        if self.ready is not None and not self.ready.done():
            self.ready.set_exception(ConnectionError("zygote exited"))
        for future in self.pending.values():
            if not future.done():
                future.set_exception(ConnectionError("zygote exited"))
        self.pending.clear()
        if self.proc is not None:
            with contextlib.suppress(Exception):
                self.proc.wait(timeout=1)

    async def spawn(self, request: SessionRequest, slave: int) -> int:
        async with self.lock:
            if self.sock is None:
                await self.start()
        assert self.sock is not None
        self.tokens += 1
        token = str(self.tokens)
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.pending[token] = future
        message = json.dumps({"op": "spawn", "student": request.student, "term": request.term,
                              "peer": request.peer, "token": token}).encode()
        self.sock.setblocking(True)  # one short packet; the zygote reads it at once
        try:
            socket.send_fds(self.sock, [message], [slave])
        finally:
            self.sock.setblocking(False)
        pid = await asyncio.wait_for(future, 30)
        done = asyncio.get_running_loop().create_future()
        if pid in self.early_exits:
            done.set_result(self.early_exits.pop(pid))
        self.futures[pid] = done
        return pid

    def exited(self, pid: int) -> asyncio.Future[int]:
        future = self.futures.get(pid)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            future.set_result(self.early_exits.pop(pid, 0))
        return future

    async def stop(self) -> None:
        if self.sock is not None:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_reader(self.sock.fileno())
            self.sock.close()
            self.sock = None
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                await asyncio.to_thread(self.proc.wait, 5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
