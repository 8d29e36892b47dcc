"""``vpatient serve``: the SSH layer of the exam.

- asyncssh accepts connections and authenticates students by the keys in ``students/ID.pub``
  (read at every login); ``admission.py`` decides who may try. There is no shell: a session with
  a pty runs the exam, and anything else (no pty, ``ssh host cmd``, sftp/scp, port/agent/X11
  forwarding) is refused with a message.
- Each session runs in its own process (``launch.py``: forked from a zygote, or ``--spawn``)
  with a pty's slave side as its controlling terminal, so a slow or crashing session never
  freezes another; ``pump.py`` moves the bytes, with every size a client controls bounded.
- When a client goes away the session's process group gets SIGHUP (SIGTERM when the server ends
  it: a newer login, idleness, shutdown), then SIGKILL after a grace period, and is reaped.
  Everything the student did is already in results.sqlite, so a new login resumes; a second
  login by the same student replaces the first session.
- At most a few sessions draw their first screen at once (``start_concurrency``): when a whole
  class connects in the same second, each gets the machine in turn, instead of all sharing it
  and all waiting as long as the last.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Coroutine
from pathlib import Path

import asyncssh

from vpatient.exam.admission import DEFAULT_LIMIT, DEFAULT_WINDOW, Admission
from vpatient.exam.config import HOST_KEY_NAME, load_exam, student_keys_text
from vpatient.exam.launch import Launcher, SessionRequest, SpawnLauncher, ZygoteLauncher
from vpatient.exam.pump import MAX_COLUMNS, MAX_ROWS, PtyPump, clamp_size, set_window_size
from vpatient.exam.session import RESET_TERMINAL

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
MSG_REFUSED = "too many failed logins from your address; wait a minute and try again"
MSG_BUSY = "\r\nThe exam server could not start your session; try again in a moment.\r\n"
MSG_CAPPED = (f"Your terminal is larger than the exam draws: it uses the top-left "
              f"{MAX_COLUMNS}x{MAX_ROWS}.\r\n")

# A session holds its place among those starting until it has drawn this much, or for this long.
FIRST_SCREEN_BYTES = 2048
FIRST_SCREEN_WAIT = 5.0


class _Output:
    """The pump's view of the channel: counts what the session has drawn, to know when its
    first screen is out."""

    def __init__(self, session: ExamSession) -> None:
        self.session = session

    def write(self, data: bytes) -> None:
        session = self.session
        session.drawn += len(data)
        if session.chan is not None and not session.closed:
            session.chan.write(data)
        if session.drawn >= FIRST_SCREEN_BYTES:
            session.first_screen_out()

    def pause_reading(self) -> None:
        if self.session.chan is not None:
            self.session.chan.pause_reading()

    def resume_reading(self) -> None:
        if self.session.chan is not None:
            self.session.chan.resume_reading()


class ExamSession(asyncssh.SSHServerSession):
    """One SSH session: a pty, a process running the exam, and the pump between them."""

    def __init__(self, server: ExamServer, student: str, peer: str,
                 notices: set[str] | None = None) -> None:
        self.server = server
        self.student = student
        self.peer = peer
        self.notices = notices if notices is not None else set()  # filled in later
        self.chan: asyncssh.SSHServerChannel | None = None
        self.term = ""
        self.size = (80, 24)
        self.capped = False
        self.has_pty = False
        self.refusal: str | None = None
        self.pump: PtyPump | None = None
        self.pid: int | None = None
        self.closed = False
        self.drawn = 0
        self.starting: asyncio.Event | None = None  # set once the first screen is out
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
        columns, rows, self.capped = clamp_size(term_size[0], term_size[1])
        self.size = (columns, rows)
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
        for notice in sorted(self.notices):
            self.chan.write_stderr(notice.encode())
        if self.refusal is None and not self.has_pty:
            self.refusal = MSG_NO_PTY.format(port=self.server.port)
        if self.refusal is not None:
            self.chan.write_stderr(self.refusal.encode())
            self.chan.exit(1)
            return
        if self.capped:
            self.chan.write_stderr(MSG_CAPPED.encode())
        self.task = asyncio.ensure_future(self._run())

    def data_received(self, data: bytes, datatype: int | None) -> None:  # type: ignore[override]
        self.last_input = time.monotonic()
        if self.pump is not None:
            self.pump.feed(data)
        # Before the exam is up, keys are dropped: a stray Enter must not begin the exam.

    def terminal_size_changed(self, width: int, height: int, pixwidth: int,
                              pixheight: int) -> None:
        columns, rows, capped = clamp_size(width, height)
        if capped and not self.capped:
            log.info("%s@%s: terminal %sx%s capped", self.student, self.peer, width, height)
            if self.chan is not None and not self.closed:
                self.chan.write_stderr(MSG_CAPPED.encode())
        self.capped = capped
        self.size = (columns, rows)
        if self.pump is not None:
            self.pump.resize(columns, rows)

    def eof_received(self) -> bool:
        return True  # keep the channel open; the exam ends the session, not the client's EOF

    def pause_writing(self) -> None:
        # The client is slow: stop reading the pty and let the session block on its output.
        if self.pump is not None:
            self.pump.pause_output()

    def resume_writing(self) -> None:
        if self.pump is not None:
            self.pump.resume_output()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed:
            log.info("%s@%s: disconnected", self.student, self.peer)
        self.server.background(self.terminate(sig=signal.SIGHUP))

    # the session process
    async def _run(self) -> None:
        assert self.chan is not None
        await self.server.replace(self)
        if self.closed:
            return
        self.starting = asyncio.Event()
        async with self.server.start_gate:
            if self.closed:
                return
            await self._launch()
            if self.pump is not None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.starting.wait(), FIRST_SCREEN_WAIT)

    def first_screen_out(self) -> None:
        if self.starting is not None and not self.starting.is_set():
            self.starting.set()

    async def _launch(self) -> None:
        assert self.chan is not None
        master, slave = os.openpty()
        try:
            set_window_size(master, *self.size)
            self.pump = PtyPump(_Output(self), master, self._pty_closed)
            self.pid = await self.server.launcher.spawn(
                SessionRequest(self.student, self.term, self.peer), slave)
        except Exception as err:  # tell the student; log the detail
            log.exception("%s@%s: could not start a session: %s", self.student, self.peer, err)
            self.chan.write_stderr(MSG_BUSY.encode())
            self.chan.exit(1)
            self.closed = True
            if self.pump is not None:
                self.pump.close()
                self.pump = None
            else:
                os.close(master)
            self._finish()
            return
        finally:
            os.close(slave)  # the session has its own copy; EOF on the master means it is gone
        log.info("%s@%s: session started (pid %s, %sx%s, %s)", self.student, self.peer,
                 self.pid, *self.size, self.term)
        if self.closed:  # the client left while the process was starting
            await self.terminate(sig=signal.SIGHUP)
            return
        self.pump.start()

    def _pty_closed(self) -> None:
        self.first_screen_out()
        self.server.background(self._session_ended())

    async def _session_ended(self) -> None:
        """The exam process closed the terminal: it finished or crashed."""
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

    def _finish(self) -> None:
        self.first_screen_out()
        if self.pump is not None:
            self.pump.close()
            self.pump = None
        self.server.unregister(self)
        if not self.ended.done():
            self.ended.set_result(None)

    async def terminate(self, message: str | None = None,
                        sig: signal.Signals = signal.SIGTERM) -> None:
        """End the session: ``sig`` (SIGHUP for a lost connection, SIGTERM when the server ends
        it), then SIGKILL after the grace period; wait for the reap."""
        if message and self.chan is not None and not self.closed:
            # The exam's process is killed, not closed, so leave its full screen for it.
            reset = RESET_TERMINAL if self.pump is not None else b""
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
        for signum, wait in ((sig, self.server.grace), (signal.SIGKILL, 5.0)):
            if exited.done():
                break
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signum)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(exited), wait)
        self._finish()


class ExamSSHServer(asyncssh.SSHServer):
    """Per connection: authentication, and refusing everything but an exam session."""

    def __init__(self, exam_server: ExamServer) -> None:
        self.exam_server = exam_server
        self.conn: asyncssh.SSHServerConnection | None = None
        self.peer = "?"
        self.user = ""
        self.keys: asyncssh.SSHAuthorizedKeys | None = None
        self.authenticated = False
        self.refused = False
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
        # One failure per connection that never logged in, whatever it tried (and none for one
        # that was refused: it is already over the limit).
        if not self.authenticated and not self.refused:
            self.exam_server.admission.failed(self.peer, self.user)

    def begin_auth(self, username: str) -> bool:
        assert self.conn is not None
        self.user = username[:64]
        if self.exam_server.admission.refused(self.peer, self.user):
            log.warning("%s: refused, too many failed logins (as %r)", self.peer, self.user)
            self.refused = True
            self.conn.disconnect(asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE, MSG_REFUSED)
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
        # A key that does not match is not a failure by itself: clients offer their keys in
        # turn, and the connection counts once when it ends without logging in.
        return self.keys is not None and self.keys.validate(key, "", self.peer) is not None

    def auth_completed(self) -> None:
        self.authenticated = True
        self.exam_server.admission.succeeded(self.peer)
        assert self.conn is not None
        log.info("%s@%s: logged in", self.conn.get_extra_info("username"), self.peer)

    def session_requested(self) -> ExamSession:
        assert self.conn is not None
        return ExamSession(self.exam_server, self.conn.get_extra_info("username"), self.peer,
                           self.notices)

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


def default_start_concurrency() -> int:
    return max(2, os.cpu_count() or 2)


class ExamServer:
    def __init__(self, root: Path, host: str = "0.0.0.0", port: int = 2222, *,
                 spawn: bool = False, grace: float = 3.0, idle_timeout: float = 30 * 60,
                 max_failures: int = DEFAULT_LIMIT, failure_window: float = DEFAULT_WINDOW,
                 keepalive_interval: float = 15.0, screens: str | None = None,
                 start_concurrency: int | None = None) -> None:
        """``screens``: the game screens the sessions use, by name (tests' stand-ins);
        ``start_concurrency``: how many sessions may draw their first screen at once."""
        self.root = root.resolve()
        self.host = host
        self.port = port
        self.grace = grace
        self.idle_timeout = idle_timeout
        self.keepalive_interval = keepalive_interval
        self.admission = Admission(max_failures, failure_window)
        self.launcher: Launcher = SpawnLauncher(self.root, screens) if spawn else \
            ZygoteLauncher(self.root, screens)
        self.start_gate = asyncio.Semaphore(start_concurrency or default_start_concurrency())
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
        from vpatient.exam.store import Store

        load_exam(self.root)  # fail before listening if the exam is broken
        key = self.host_key()
        # Create (or upgrade) results.sqlite once here, not in a hundred sessions at once.
        old_umask = os.umask(0o077)
        try:
            Store(self.root / "results.sqlite").close()
        finally:
            os.umask(old_umask)
        await self.launcher.start()
        self.listener = await asyncssh.listen(
            self.host, self.port, server_factory=lambda: ExamSSHServer(self),
            server_host_keys=[key], encoding=None, line_editor=False, allow_pty=True,
            agent_forwarding=False, x11_forwarding=False, allow_scp=False, sftp_factory=None,
            keepalive_interval=self.keepalive_interval, keepalive_count_max=4,
            login_timeout=30, reuse_address=True, compression_algs=["none"],
        )
        self.port = self.listener.sockets[0].getsockname()[1] if self.port == 0 else self.port
        self.reaper = asyncio.ensure_future(self._idle_reaper())
        self.fingerprint = key.get_fingerprint()
        log.info("serving %s on %s:%s; host key %s", self.root, self.host, self.port,
                 self.fingerprint)

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


def serve(root: Path, host: str = "0.0.0.0", port: int = 2222, *, spawn: bool = False,
          max_failures: int = DEFAULT_LIMIT, failure_window: float = DEFAULT_WINDOW,
          screens: str | None = None) -> int:
    """Run the server until SIGINT/SIGTERM; ends every session and the zygote on the way out."""
    root = Path(root)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s",
                        datefmt="%H:%M:%S", stream=sys.stderr)
    logging.getLogger("asyncssh").setLevel(logging.WARNING)

    async def main() -> int:
        server = ExamServer(root, host, port, spawn=spawn, max_failures=max_failures,
                            failure_window=failure_window, screens=screens)
        try:
            await server.start()
        except OSError as err:
            print(f"vpatient: error: cannot listen on {host}:{port}: {err.strerror or err}",
                  file=sys.stderr)
            await server.launcher.stop()
            return 1
        except RuntimeError as err:
            print(f"vpatient: error: {err}", file=sys.stderr)
            return 1
        print(f"Serving '{load_exam(root).config.title}' on {host}:{server.port} (host key "
              f"{server.fingerprint}). Students connect with: ssh -p {server.port} "
              "ID@<this host>. Ctrl+C stops.", file=sys.stderr)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        log.info("shutting down")
        await server.stop()
        return 0

    return asyncio.run(main())
