"""The zygote: a process that has imported Textual and loaded the exam, from which the server
forks each session (≈15 MiB PSS and a fraction of the start-up time of a fresh interpreter).

``python -m vpatient.exam.zygote DIR FD [--screens SPEC]``: FD is one end of a SOCK_SEQPACKET
socket pair with the server, one JSON message per packet:

- server -> zygote: ``{"op": "spawn", "student", "term", "peer", "token"}`` with the pty's
  slave descriptor attached (``socket.send_fds``);
- zygote -> server: ``{"op": "ready", "pid"}`` once, then ``{"op": "started", "token", "pid"}``
  per session and ``{"op": "exited", "pid", "status"}`` when it ends (the sessions are the
  zygote's children, so it reaps them).

No asyncssh here: what the zygote imports, every session shares copy-on-write.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import gc
import json
import os
import signal
import socket
import sys
import termios
from pathlib import Path

from vpatient.exam import crash
from vpatient.exam.config import Exam, load_exam
from vpatient.exam.session import RESET_TERMINAL, run_exam, session_environment


def preload(exam: Exam, screens: str | None) -> None:
    """Import and warm everything a session will touch, so that children share it."""
    import textual.app
    import textual.widgets  # noqa: F401

    import vpatient.exam.app  # noqa: F401
    from vpatient.core.grading import grade  # noqa: F401
    from vpatient.exam.contract import load_screens

    load_screens(screens)
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
        warm_up(exam, screens)
    gc.collect()
    # Objects that exist now never need the collector again; freezing them keeps its passes from
    # writing to (and so copying) the pages every child shares.
    gc.freeze()


def warm_up(exam: Exam, screens: str | None) -> None:
    """Sit the exam once, headless, against a throwaway results file: what Textual imports and
    parses on first use (drivers, the compositor, every screen's CSS, the maneuver menu's lines)
    is then done once here instead of in every session."""
    import asyncio
    import shutil
    import tempfile

    from vpatient.exam.app import ExamApp
    from vpatient.exam.contract import load_screens

    scratch = Path(tempfile.mkdtemp(prefix="vpatient-warmup-"))
    try:
        # The same cases and settings: the welcome's rules are then drawn already.
        dummy = Exam(root=scratch, config=exam.config, cases=exam.cases)

        async def sit() -> None:
            app = ExamApp(dummy, "warmup", served=False, screens=load_screens(screens))
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                app.exam_started = app.exam_started or app.clock()  # as if the instructor had
                await pilot.press("enter")  # begin
                await pilot.pause()
                await pilot.press("down", "enter", "l")
                await pilot.pause()
                await pilot.press("escape")
                await pilot.pause()

        asyncio.run(sit())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _send(sock: socket.socket, message: dict) -> None:
    with contextlib.suppress(OSError):
        sock.send(json.dumps(message).encode())


def zygote_main(exam_dir: str, fd: int, screens: str | None = None) -> int:
    exam = load_exam(Path(exam_dir))
    preload(exam, screens)
    sock = socket.socket(fileno=fd)
    sock.setblocking(True)
    # The server's standard error: sessions report crashes there too (see crash.py).
    log_fd = os.dup(2)

    def reap(_signum: int = 0, _frame: object = None) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            _send(sock, {"op": "exited", "pid": pid, "status": os.waitstatus_to_exitcode(status)})

    signal.signal(signal.SIGCHLD, reap)
    # The server ends the zygote with SIGTERM; sessions are their own process groups and are
    # ended by the server, so nothing is orphaned here.
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _send(sock, {"op": "ready", "pid": os.getpid()})
    while True:
        try:
            data, fds, _flags, _addr = socket.recv_fds(sock, 65536, 1)
        except InterruptedError:  # pragma: no cover - PEP 475 retries, but be safe
            continue
        if not data:
            return 0  # the server went away
        try:
            request = json.loads(data)
        except ValueError:
            request = {}
        if request.get("op") != "spawn" or not fds:
            for extra in fds:
                os.close(extra)
            continue
        slave = fds[0]
        pid = os.fork()
        if pid == 0:  # the session
            code = 1
            try:
                sock.close()
                code = _child(exam, slave, request, log_fd, screens)
            finally:
                os._exit(code)
        os.close(slave)
        _send(sock, {"op": "started", "token": request.get("token"), "pid": pid})


def _child(exam: Exam, slave: int, request: dict, log_fd: int, screens: str | None) -> int:
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    for target in (0, 1, 2):
        os.dup2(slave, target)
    if slave > 2:
        os.close(slave)
    crash.server_log_fd = log_fd
    os.environ.clear()
    os.environ.update(session_environment(request.get("term", "")))
    gc.enable()
    # The zygote's sys.std* were opened before the dup2; rebind them to the terminal.
    sys.stdin = open(0, encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = sys.stdin, sys.stdout, sys.stderr
    student = str(request.get("student", "unknown"))
    try:
        return run_exam(exam, student, peer=request.get("peer"), screens=screens)
    except BaseException as error:  # the last line of defence before os._exit
        with contextlib.suppress(Exception):
            crash.write_crash_log(exam.logs_dir, student, error)
        with contextlib.suppress(OSError):
            os.write(2, RESET_TERMINAL)
        return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vpatient.exam.zygote")
    parser.add_argument("dir")
    parser.add_argument("fd", type=int)
    parser.add_argument("--screens")
    args = parser.parse_args(argv)
    return zygote_main(args.dir, args.fd, args.screens)


if __name__ == "__main__":
    sys.exit(main())
