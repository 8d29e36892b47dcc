"""``vpatient serve``: the exam over SSH, one process per session on its own pseudo-terminal.

Design (measured on a 2-core machine with a prototype, see the issue and docs/exam.md):
- asyncssh accepts connections and authenticates students by the keys in ``students/ID.pub``
  (read at every login). There is no shell: a session with a pty runs the exam, and anything
  else (no pty, ``ssh host cmd``, sftp/scp, port/agent/X11 forwarding) is refused with a
  message.
- Each session runs in its own process with the pty's slave side as its controlling terminal,
  so a slow or crashing session never freezes another; resizes reach it as SIGWINCH and a drop
  as SIGHUP. Sessions are forked from a "zygote" that has already imported Textual and loaded
  the exam (≈0.1 s and ≈15 MiB PSS each, against ≈0.4 s and ≈25 MiB for a fresh interpreter);
  ``--spawn`` starts a fresh interpreter per session instead.
- When a client goes away the session's process group gets SIGHUP, then SIGKILL after a grace
  period, and is reaped. Everything the student did is already in results.sqlite, so a new
  login resumes; a second login by the same student replaces the first session.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Coroutine
from pathlib import Path

import asyncssh

from vpatient.exam.config import HOST_KEY_NAME, load_exam, student_keys_text
from vpatient.exam.session import RESET_TERMINAL, session_environment, set_window_size

log = logging.getLogger("vpatient.serve")

MSG_NO_PTY = ("This server runs a vpatient exam, which needs a terminal. "
              "Connect with: ssh -t -p {port} YOURID@HOST\r\n")
MSG_EXEC = "This server only runs the vpatient exam; commands are not allowed.\r\n"
MSG_SUBSYSTEM = "File transfer is not available on the vpatient exam server.\r\n"
MSG_FORWARDING = "port forwarding is disabled on the vpatient exam server"
MSG_AGENT_X11 = "Agent and X11 forwarding are disabled on the vpatient exam server.\r\n"
MSG_REPLACED = ("\r\nYou logged in to this exam from another connection; this one is closed. "
                "Nothing is lost.\r\n")
MSG_IDLE = "\r\nNo input for a long time: disconnected. Log in again to continue.\r\n"
MSG_SHUTDOWN = "\r\nThe exam server is shutting down. Your answers are saved.\r\n"
MSG_RATE_LIMIT = "too many failed logins from your address; wait a minute and try again"
MSG_BUSY = "\r\nThe exam server could not start your session; try again in a moment.\r\n"


class RateLimiter:
    """Failed logins per source address in a sliding window; over the limit, an address is
    turned away until its failures age out."""

    def __init__(self, max_failures: int, window: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self.failures: dict[str, deque[float]] = {}

    def _prune(self, addr: str) -> deque[float]:
        times = self.failures.setdefault(addr, deque())
        cutoff = self.clock() - self.window
        while times and times[0] < cutoff:
            times.popleft()
        if not times:
            self.failures.pop(addr, None)
        return times

    def blocked(self, addr: str) -> bool:
        return len(self._prune(addr)) >= self.max_failures

    def fail(self, addr: str) -> None:
        self._prune(addr)
        self.failures.setdefault(addr, deque()).append(self.clock())


# --- launching session processes -----------------------------------------------------------------


class Launcher:
    """Starts a session process on a pty slave and reports when it exits."""

    async def start(self) -> None: ...

    async def spawn(self, student: str, term: str, peer: str, slave: int) -> int:
        raise NotImplementedError

    def exited(self, pid: int) -> asyncio.Future[int]:
        raise NotImplementedError

    async def stop(self) -> None: ...


class SpawnLauncher(Launcher):
    """A fresh interpreter per session (``--spawn``): slower and bigger, but nothing shared."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.futures: dict[int, asyncio.Future[int]] = {}

    async def spawn(self, student: str, term: str, peer: str, slave: int) -> int:
        env = session_environment(term, {"VPATIENT_SETCTTY": "1", "VPATIENT_PEER": peer})
        proc = subprocess.Popen(
            [sys.executable, "-m", "vpatient", "exam", "take", str(self.root),
             "--student", student],
            stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
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
    """Forks sessions from a process that has imported Textual and loaded the exam already.

    The zygote is a child of the server; sessions are the zygote's children, which it reaps and
    reports. The pty slave travels to it over a Unix socket (SCM_RIGHTS).
    """

    def __init__(self, root: Path, ready_timeout: float = 60.0) -> None:
        self.root = root
        self.ready_timeout = ready_timeout
        self.proc: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self.buffer = b""
        self.pending: dict[str, asyncio.Future[int]] = {}
        self.futures: dict[int, asyncio.Future[int]] = {}
        self.early_exits: dict[int, int] = {}
        self.ready: asyncio.Future[int] | None = None
        self.tokens = 0
        self.lock = asyncio.Lock()

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "vpatient.exam.session", str(self.root),
             str(theirs.fileno())],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, start_new_session=True,
            # One malloc arena: each session's Textual input thread would otherwise get its own,
            # which costs resident memory in every one of a hundred sessions.
            env={**os.environ, "MALLOC_ARENA_MAX": "1"},
        )
        theirs.close()
        ours.setblocking(False)
        self.sock, self.buffer = ours, b""
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
        try:
            data = self.sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._lost()
            return
        self.buffer += data
        while b"\n" in self.buffer:
            line, _, self.buffer = self.buffer.partition(b"\n")
            self._message(json.loads(line))

    def _message(self, msg: dict) -> None:
        op = msg.get("op")
        if op == "ready" and self.ready is not None and not self.ready.done():
            self.ready.set_result(msg["pid"])
        elif op == "started":
            future = self.pending.pop(msg["token"], None)
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

    async def spawn(self, student: str, term: str, peer: str, slave: int) -> int:
        async with self.lock:
            if self.sock is None:
                await self.start()
        assert self.sock is not None
        self.tokens += 1
        token = str(self.tokens)
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.pending[token] = future
        request = json.dumps({"op": "spawn", "student": student, "term": term, "peer": peer,
                              "token": token}).encode() + b"\n"
        self.sock.setblocking(True)  # a short message; the zygote reads it at once
        try:
            self.sock.sendmsg([request], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                                           slave.to_bytes(4, sys.byteorder))])
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


# --- SSH ----------------------------------------------------------------------------------------


class ExamSession(asyncssh.SSHServerSession):
    """One SSH session: a pty, a process running the exam, and the bytes between them."""

    def __init__(self, server: ExamServer, student: str, peer: str) -> None:
        self.server = server
        self.student = student
        self.peer = peer
        self.chan: asyncssh.SSHServerChannel | None = None
        self.term = ""
        self.size = (80, 24)
        self.has_pty = False
        self.refusal: str | None = None
        self.master: int | None = None
        self.pid: int | None = None
        self.pending_input = bytearray()
        self.reading = False
        self.closed = False
        self.ended: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.last_input = time.monotonic()
        self.task: asyncio.Task | None = None

    # asyncssh callbacks
    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:  # type: ignore[override]
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int],
                      term_modes: dict) -> bool:
        self.has_pty = True
        self.term = term_type
        if term_size[0] > 0 and term_size[1] > 0:
            self.size = (term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        # Accepted only to say why it is refused: a rejected request shows the client nothing.
        self.refusal = MSG_EXEC
        log.info("%s@%s: refused exec %r", self.student, self.peer, command[:80])
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        self.refusal = MSG_SUBSYSTEM
        log.info("%s@%s: refused subsystem %r", self.student, self.peer, subsystem[:40])
        return True

    def session_started(self) -> None:
        assert self.chan is not None
        if self.refusal is None and not self.has_pty:
            self.refusal = MSG_NO_PTY.format(port=self.server.port)
        if self.refusal is not None:
            self.chan.write_stderr(self.refusal.encode())
            self.chan.exit(1)
            return
        self.task = asyncio.ensure_future(self._run())

    def data_received(self, data: bytes, datatype: int | None) -> None:  # type: ignore[override]
        self.last_input = time.monotonic()
        if self.master is None:
            return  # before the exam is up; a stray keypress must not queue up
        if len(self.pending_input) > 65536:
            return  # the session is not reading (hung); don't grow without bound
        self.pending_input += data
        self._flush_input()

    def terminal_size_changed(self, width: int, height: int, pixwidth: int,
                              pixheight: int) -> None:
        if width > 0 and height > 0:
            self.size = (width, height)
            if self.master is not None:
                # The kernel turns this into SIGWINCH for the session's foreground group.
                with contextlib.suppress(OSError):
                    set_window_size(self.master, width, height)

    def eof_received(self) -> bool:
        return True  # keep the channel open; the exam ends the session, not the client's EOF

    def pause_writing(self) -> None:
        # The client is slow: stop reading the pty and let the session block on its output,
        # rather than buffering without bound here.
        if self.master is not None and self.reading:
            asyncio.get_running_loop().remove_reader(self.master)
            self.reading = False

    def resume_writing(self) -> None:
        if self.master is not None and not self.reading and not self.closed:
            asyncio.get_running_loop().add_reader(self.master, self._read)
            self.reading = True

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed:
            log.info("%s@%s: disconnected", self.student, self.peer)
        self.server.background(self.terminate())

    # the session process
    async def _run(self) -> None:
        assert self.chan is not None
        await self.server.replace(self)
        if self.closed:
            return
        master, slave = os.openpty()
        try:
            set_window_size(master, *self.size)
            os.set_blocking(master, False)
            self.master = master
            self.pid = await self.server.launcher.spawn(self.student, self.term, self.peer, slave)
        except Exception as err:  # tell the student; log the detail
            log.exception("%s@%s: could not start a session: %s", self.student, self.peer, err)
            self.chan.write_stderr(MSG_BUSY.encode())
            self.chan.exit(1)
            self.closed = True
            self.master = None
            os.close(master)
            self._finish()
            return
        finally:
            os.close(slave)  # the session has its own copy; EOF on the master means it is gone
        log.info("%s@%s: session started (pid %s, %sx%s, %s)", self.student, self.peer,
                 self.pid, *self.size, self.term)
        if self.closed:  # the client left while the process was starting
            await self.terminate()
            return
        self.resume_writing()
        self._flush_input()

    def _read(self) -> None:
        assert self.master is not None
        try:
            data = os.read(self.master, 65536)
        except BlockingIOError:
            return
        except OSError:  # EIO: every slave descriptor is closed, the session has ended
            data = b""
        if not data:
            self.server.background(self._session_ended())
            return
        if self.chan is not None and not self.closed:
            self.chan.write(data)

    def _flush_input(self) -> None:
        if self.master is None or not self.pending_input:
            return
        try:
            written = os.write(self.master, self.pending_input)
        except BlockingIOError:
            written = 0
        except OSError:
            self.pending_input.clear()
            return
        del self.pending_input[:written]
        loop = asyncio.get_running_loop()
        if self.pending_input:
            loop.add_writer(self.master, self._writable)

    def _writable(self) -> None:
        assert self.master is not None
        asyncio.get_running_loop().remove_writer(self.master)
        self._flush_input()

    async def _session_ended(self) -> None:
        """The exam process closed the terminal: it finished or crashed."""
        self._stop_io()
        status = 0
        if self.pid is not None:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                status = await asyncio.wait_for(
                    asyncio.shield(self.server.launcher.exited(self.pid)), 2)
            if status > 0:  # negative: ended by a signal, which is how sessions are closed
                log.warning("%s: session pid %s exited with %s", self.student, self.pid, status)
        if self.chan is not None and not self.closed:
            self.closed = True
            with contextlib.suppress(Exception):
                self.chan.exit(max(0, status))
        log.info("%s@%s: session ended (status %s)", self.student, self.peer, status)
        self._finish()

    def _stop_io(self) -> None:
        if self.master is not None:
            loop = asyncio.get_running_loop()
            loop.remove_reader(self.master)
            loop.remove_writer(self.master)
            self.reading = False

    def _finish(self) -> None:
        if self.master is not None:
            with contextlib.suppress(OSError):
                os.close(self.master)
            self.master = None
        self.server.unregister(self)
        if not self.ended.done():
            self.ended.set_result(None)

    async def terminate(self, message: str | None = None) -> None:
        """End the session: SIGHUP, then SIGKILL after the grace period; wait for the reap."""
        if message and self.chan is not None and not self.closed:
            # The exam's process is killed, not closed, so leave its full screen for it.
            reset = RESET_TERMINAL if self.master is not None else b""
            with contextlib.suppress(Exception):
                self.chan.write(reset + message.encode())
        was_closed, self.closed = self.closed, True
        if self.chan is not None and not was_closed:
            with contextlib.suppress(Exception):
                self.chan.exit(0)
        if self.ended.done():
            return
        if self.pid is None:
            if self.task is None or self.task.done():
                self._finish()
            return  # _run sees ``closed`` once the process is up, and ends it
        exited = self.server.launcher.exited(self.pid)
        for sig, wait in ((signal.SIGHUP, self.server.grace), (signal.SIGKILL, 5.0)):
            if exited.done():
                break
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, sig)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(exited), wait)
        self._stop_io()
        self._finish()


class ExamSSHServer(asyncssh.SSHServer):
    """Per connection: authentication, and refusing everything but an exam session."""

    def __init__(self, exam_server: ExamServer) -> None:
        self.exam_server = exam_server
        self.conn: asyncssh.SSHServerConnection | None = None
        self.peer = "?"
        self.keys: asyncssh.SSHAuthorizedKeys | None = None
        self.authenticated = False
        self.notices: set[str] = set()

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername")
        self.peer = str(peer[0]) if peer else "?"

        # Agent and X11 forwarding are off; asyncssh refuses them silently, so note the request
        # and tell the student why at session start.
        async def no_agent() -> bool:
            self.notices.add(MSG_AGENT_X11)
            return False

        async def no_x11(*_args: object) -> None:
            self.notices.add(MSG_AGENT_X11)
            return None

        conn.create_agent_listener = no_agent  # type: ignore[method-assign]
        conn.attach_x11_listener = no_x11  # type: ignore[method-assign]

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.authenticated:
            self.exam_server.limiter.fail(self.peer)

    def begin_auth(self, username: str) -> bool:
        assert self.conn is not None
        if self.exam_server.limiter.blocked(self.peer):
            log.warning("%s: rate limited (login as %r)", self.peer, username[:40])
            self.conn.disconnect(asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE, MSG_RATE_LIMIT)
            return True
        text = student_keys_text(self.exam_server.root, username)
        self.keys = None
        if text is not None:
            try:
                self.keys = asyncssh.import_authorized_keys(text)
            except (ValueError, asyncssh.KeyImportError) as err:
                log.warning("students/%s.pub: unreadable key line: %s", username, err)
        return True  # always ask: an unknown student looks the same as a wrong key

    def public_key_auth_supported(self) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        ok = self.keys is not None and self.keys.validate(key, "", self.peer) is not None
        if not ok:
            self.exam_server.limiter.fail(self.peer)
            if self.exam_server.limiter.blocked(self.peer) and self.conn is not None:
                self.conn.disconnect(asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE,
                                     MSG_RATE_LIMIT)
        return ok

    def auth_completed(self) -> None:
        self.authenticated = True
        assert self.conn is not None
        log.info("%s@%s: logged in", self.conn.get_extra_info("username"), self.peer)

    def session_requested(self) -> ExamSession:
        assert self.conn is not None
        session = _NoticeSession(self.exam_server, self.conn.get_extra_info("username"),
                                 self.peer, self.notices)
        return session

    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str,
                             orig_port: int) -> bool:
        raise asyncssh.ChannelOpenError(asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED,
                                        MSG_FORWARDING)

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        raise asyncssh.ChannelOpenError(asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED,
                                        MSG_FORWARDING)

    def unix_server_requested(self, listen_path: str) -> bool:
        return False


class _NoticeSession(ExamSession):
    def __init__(self, server: ExamServer, student: str, peer: str, notices: set[str]) -> None:
        super().__init__(server, student, peer)
        self.notices = notices

    def session_started(self) -> None:
        if self.chan is not None:
            for notice in sorted(self.notices):
                self.chan.write_stderr(notice.encode())
        super().session_started()


class ExamServer:
    def __init__(self, root: Path, host: str = "0.0.0.0", port: int = 2222, *,
                 spawn: bool = False, grace: float = 3.0, idle_timeout: float = 30 * 60,
                 max_failures: int = 20, failure_window: float = 60.0,
                 keepalive_interval: float = 15.0) -> None:
        self.root = root.resolve()
        self.host = host
        self.port = port
        self.grace = grace
        self.idle_timeout = idle_timeout
        self.keepalive_interval = keepalive_interval
        self.limiter = RateLimiter(max_failures, failure_window)
        self.launcher: Launcher = SpawnLauncher(self.root) if spawn else \
            ZygoteLauncher(self.root)
        self.sessions: dict[str, ExamSession] = {}
        self.listener: asyncssh.SSHAcceptor | None = None
        self.reaper: asyncio.Task | None = None
        self.tasks: set[asyncio.Task] = set()

    def background(self, coro: Coroutine) -> None:
        # Hold a reference: the event loop keeps only weak ones to running tasks.
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def host_key(self) -> asyncssh.SSHKey:
        path = self.root / HOST_KEY_NAME
        if path.exists():
            return asyncssh.read_private_key(str(path))
        key = asyncssh.generate_private_key("ssh-ed25519", comment="vpatient exam host key")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(key.export_private_key())
        (self.root / (HOST_KEY_NAME + ".pub")).write_bytes(key.export_public_key())
        log.info("created host key %s", path)
        return key

    async def start(self) -> None:
        load_exam(self.root)  # fail before listening if the exam is broken
        key = self.host_key()
        await self.launcher.start()
        self.listener = await asyncssh.listen(
            self.host, self.port, server_factory=lambda: ExamSSHServer(self),
            server_host_keys=[key], encoding=None, line_editor=False, allow_pty=True,
            agent_forwarding=False, x11_forwarding=False, allow_scp=False, sftp_factory=None,
            keepalive_interval=self.keepalive_interval, keepalive_count_max=4,
            login_timeout=30, reuse_address=True,
        )
        self.port = self.listener.sockets[0].getsockname()[1] if self.port == 0 else self.port
        self.reaper = asyncio.ensure_future(self._idle_reaper())
        log.info("serving %s on %s:%s; host key %s", self.root, self.host, self.port,
                 key.get_fingerprint())

    async def stop(self) -> None:
        if self.listener is not None:
            self.listener.close()
        if self.reaper is not None:
            self.reaper.cancel()
        await asyncio.gather(*(s.terminate(MSG_SHUTDOWN) for s in list(self.sessions.values())),
                             return_exceptions=True)
        await self.launcher.stop()
        if self.listener is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.listener.wait_closed(), 5)

    async def replace(self, session: ExamSession) -> None:
        """Make ``session`` the student's only one: a stale session (a dropped laptop that the
        keepalive has not noticed yet) is ended first, so two processes never write at once."""
        old = self.sessions.get(session.student)
        self.sessions[session.student] = session
        if old is not None and old is not session:
            log.info("%s: a new login replaces the session from %s", session.student, old.peer)
            await old.terminate(MSG_REPLACED)
            self.sessions[session.student] = session

    def unregister(self, session: ExamSession) -> None:
        if self.sessions.get(session.student) is session:
            del self.sessions[session.student]

    async def _idle_reaper(self) -> None:
        while True:
            await asyncio.sleep(min(30.0, self.idle_timeout / 2))
            now = time.monotonic()
            for session in list(self.sessions.values()):
                if now - session.last_input > self.idle_timeout:
                    log.info("%s: idle, disconnecting", session.student)
                    self.background(session.terminate(MSG_IDLE))


def serve(root: Path, host: str = "0.0.0.0", port: int = 2222, spawn: bool = False) -> int:
    """Run the server until SIGINT/SIGTERM; ends every session and the zygote on the way out."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s",
                        datefmt="%H:%M:%S", stream=sys.stderr)
    logging.getLogger("asyncssh").setLevel(logging.WARNING)

    async def main() -> int:
        server = ExamServer(root, host, port, spawn=spawn)
        try:
            await server.start()
        except OSError as err:
            print(f"vpatient: error: cannot listen on {host}:{port}: {err.strerror}",
                  file=sys.stderr)
            await server.launcher.stop()
            return 1
        except RuntimeError as err:
            print(f"vpatient: error: {err}", file=sys.stderr)
            return 1
        print(f"Serving '{load_exam(root).config.title}' on {host}:{server.port}. "
              f"Students connect with: ssh -p {server.port} ID@<this host>. Ctrl+C stops.",
              file=sys.stderr)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        log.info("shutting down")
        await server.stop()
        return 0

    return asyncio.run(main())
