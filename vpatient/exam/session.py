"""One student's exam on a terminal: what ``vpatient exam take`` and every ``vpatient serve``
session run. No asyncssh here (an import-linter contract keeps it out): a session knows its
terminal, not the network.

Run directly (the ``--spawn`` launcher does) it is ``python -m vpatient.exam.session DIR STUDENT
[--peer P] [--screens SPEC] [--log-fd N]``, on a pty that becomes its controlling terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import sys
import termios
from pathlib import Path

from vpatient.exam import crash
from vpatient.exam.config import Exam, ExamError, load_exam

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


def session_environment(term: str) -> dict[str, str]:
    """A session's environment, from scratch: nothing of the server's leaks in, and no
    COLUMNS/LINES, which would pin Textual to the size at login."""
    return {
        "TERM": term or "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/"),
    }


def run_exam(exam: Exam, student: str, *, peer: str | None = None,
             screens: str | None = None) -> int:
    """Run the exam app on this process's terminal; a crash goes to the exam's log."""
    # Everything the session creates (results.sqlite and its -wal/-shm, crash reports) is the
    # instructor's alone.
    os.umask(0o077)
    try:
        from vpatient.exam.app import ExamApp
        from vpatient.exam.contract import load_screens

        app = ExamApp(exam, student, served=True, peer=peer, screens=load_screens(screens))
        code = app.run()
        return int(code or app.return_code or 0)
    except Exception as error:  # a crash outside the app's own handler: still no traceback
        crash.write_crash_log(exam.logs_dir, student, error)
        with contextlib.suppress(OSError):
            os.write(2, RESET_TERMINAL + (
                b"vpatient hit an internal error. Your answers so far are saved; log in again "
                b"to continue.\r\n"))
        return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vpatient.exam.session")
    parser.add_argument("dir", type=Path)
    parser.add_argument("student")
    parser.add_argument("--peer")
    parser.add_argument("--screens")
    parser.add_argument("--log-fd", type=int)
    args = parser.parse_args(argv)
    crash.server_log_fd = args.log_fd
    acquire_controlling_tty()
    try:
        exam = load_exam(args.dir)
    except ExamError as err:
        os.write(2, f"vpatient: error: {err}\r\n".encode())
        return 1
    return run_exam(exam, args.student, peer=args.peer, screens=args.screens)


if __name__ == "__main__":
    sys.exit(main())
