"""The session side of the server: run one student's exam on a terminal, and the zygote that
forks sessions from a pre-imported interpreter.

Kept apart from ``server.py`` so that neither the zygote nor its children import asyncssh: what
the zygote imports, every session shares copy-on-write.
"""

from __future__ import annotations

import array
import contextlib
import fcntl
import gc
import json
import os
import signal
import socket
import struct
import sys
import termios
from pathlib import Path

from vpatient.exam.config import Exam, load_exam

# Enough to leave the alternate screen, show the cursor and stop mouse reporting: what a crashed
# full-screen app leaves behind.
RESET_TERMINAL = (b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?2004l"
                  b"\x1b[?1049l\x1b[?25h\x1b[0m\r\n")


def acquire_controlling_tty(fd: int = 0) -> None:
    """Make the terminal on ``fd`` this session's controlling terminal, so that a resize reaches
    us as SIGWINCH and a hang-up as SIGHUP. Needs a new session (setsid) first."""
    with contextlib.suppress(OSError):
        os.setsid()
    fcntl.ioctl(fd, termios.TIOCSCTTY, 0)


def session_environment(term: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A session's environment, from scratch: nothing of the server's leaks in, and no
    COLUMNS/LINES, which would pin Textual to the size at login."""
    env = {
        "TERM": term or "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/"),
        "VPATIENT_SERVED": "1",
    }
    # Tests choose stand-in screens this way (see vpatient.exam.app.SCREENS_ENV).
    if os.environ.get("VPATIENT_EXAM_SCREENS"):
        env["VPATIENT_EXAM_SCREENS"] = os.environ["VPATIENT_EXAM_SCREENS"]
    if extra:
        env.update(extra)
    return env


def run_exam(exam: Exam, student: str, *, served: bool, peer: str | None = None) -> int:
    """Run the exam app on this process's terminal; a crash goes to the exam's log."""
    from vpatient.exam.app import ExamApp, write_crash_log

    try:
        app = ExamApp(exam, student, served=served, peer=peer)
        code = app.run()
        return int(code or app.return_code or 0)
    except Exception as error:  # a crash outside the app's own handler: still no traceback
        log = write_crash_log(exam.logs_dir, student, error)
        with contextlib.suppress(OSError):
            os.write(2, RESET_TERMINAL + (
                "vpatient hit an internal error. Your answers so far are saved; log in again "
                f"to continue. ({log.name})\r\n").encode())
        return 1


# --- the zygote ----------------------------------------------------------------------------------
#
# Protocol on a Unix socket pair with the server, one JSON object per message:
#   server -> zygote: {"op": "spawn", "student", "term", "peer", "token"} with the pty's slave fd
#                      in SCM_RIGHTS
#   zygote -> server: {"op": "started", "token", "pid"} and later {"op": "exited", "pid",
#                      "status"}; the zygote reaps its children (they are its, not the server's)


def _preload(exam: Exam) -> None:
    """Import and warm everything a session will touch, so that children share it."""
    import textual.app
    import textual.widgets  # noqa: F401

    import vpatient.exam.app
    from vpatient.core.grading import grade  # noqa: F401

    with contextlib.suppress(ImportError):
        vpatient.exam.app.encounter_screen_class()
        vpatient.exam.app.feedback_screen_class()
    with contextlib.suppress(Exception):  # textual.widgets is lazy: pull in what screens use
        from textual.widgets import (  # noqa: F401
            Button,
            DataTable,
            Footer,
            Header,
            Input,
            Label,
            ListView,
            OptionList,
            Select,
            Static,
            Tree,
        )
    for case in exam.cases:
        _ = case.all_findings  # the engine's derivation is cached per import, not per case
    with contextlib.suppress(Exception):
        _warm_up(exam)
    gc.collect()
    # Objects that exist now never need the collector again; freezing them keeps its passes from
    # writing to (and so copying) the pages every child shares.
    gc.freeze()


def _warm_up(exam: Exam) -> None:
    """Run the exam app once, headless, against a throwaway results file: what Textual imports
    and parses on first use (drivers, the compositor, the screens' CSS) is then done once here
    instead of in every session."""
    import asyncio
    import shutil
    import tempfile

    from vpatient.exam.app import ExamApp

    scratch = Path(tempfile.mkdtemp(prefix="vpatient-warmup-"))
    try:
        dummy = Exam(root=scratch, config=exam.config, cases=exam.cases[:1])

        async def sit() -> None:
            app = ExamApp(dummy, "warmup", served=True)
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                await pilot.press("enter", "down", "l")
                await pilot.pause()

        asyncio.run(sit())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _send(sock: socket.socket, message: dict) -> None:
    data = json.dumps(message).encode() + b"\n"
    with contextlib.suppress(OSError):
        sock.sendall(data)


def zygote_main(exam_dir: str, fd: int) -> int:
    exam = load_exam(Path(exam_dir))
    _preload(exam)
    sock = socket.socket(fileno=fd)
    sock.setblocking(True)
    children: set[int] = set()

    def reap(_signum: int = 0, _frame: object = None) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            children.discard(pid)
            _send(sock, {"op": "exited", "pid": pid, "status": os.waitstatus_to_exitcode(status)})

    signal.signal(signal.SIGCHLD, reap)
    # The server ends the zygote with SIGTERM; sessions are their own process groups and are
    # ended by the server, so nothing is orphaned here.
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _send(sock, {"op": "ready", "pid": os.getpid()})
    buffer = b""
    while True:
        fds = array.array("i")
        try:
            data, ancdata, _flags, _addr = sock.recvmsg(65536, socket.CMSG_SPACE(4 * 4))
        except InterruptedError:  # pragma: no cover - PEP 475 retries, but be safe
            continue
        if not data:
            return 0  # the server went away
        for level, kind, payload in ancdata:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(payload[: len(payload) - (len(payload) % fds.itemsize)])
        buffer += data
        line, _, buffer = buffer.partition(b"\n")
        request = json.loads(line)
        if request.get("op") != "spawn" or not fds:
            for extra in fds:
                os.close(extra)
            continue
        slave = fds[0]
        for extra in fds[1:]:
            os.close(extra)
        pid = os.fork()
        if pid == 0:  # the session
            code = 1
            try:
                sock.close()
                code = _child(exam, slave, request)
            finally:
                os._exit(code)
        os.close(slave)
        children.add(pid)
        _send(sock, {"op": "started", "token": request.get("token"), "pid": pid})


def _child(exam: Exam, slave: int, request: dict) -> int:
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    for target in (0, 1, 2):
        os.dup2(slave, target)
    if slave > 2:
        os.close(slave)
    env = session_environment(request.get("term", ""), {"VPATIENT_PEER": request.get("peer") or ""})
    os.environ.clear()
    os.environ.update(env)
    gc.enable()
    # The zygote's sys.std* were opened before the dup2; rebind them to the terminal.
    sys.stdin = open(0, encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr
    try:
        return run_exam(exam, request["student"], served=True, peer=request.get("peer"))
    except BaseException as error:  # the last line of defence before os._exit
        with contextlib.suppress(Exception):
            from vpatient.exam.app import write_crash_log
            write_crash_log(exam.logs_dir, request.get("student", "unknown"), error)
        with contextlib.suppress(OSError):
            os.write(2, RESET_TERMINAL)
        return 1


def set_window_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


if __name__ == "__main__":  # python -m vpatient.exam.session EXAM_DIR FD
    sys.exit(zygote_main(sys.argv[1], int(sys.argv[2])))
