"""Crash reports of exam sessions: a file in the exam's ``logs/`` and one line in the server's log.

The report is written before anything else is tried (telling the student, closing the app), so
that whatever fails next, the instructor has it. When the file cannot be written (the disk that
filled up is usually the exam folder's), the server's log still gets the line: sessions forked
by the server keep a descriptor of its standard error for this (``server_log_fd``).
"""

from __future__ import annotations

import contextlib
import os
import traceback
from datetime import datetime
from pathlib import Path

# The server's standard error, inherited by sessions it started (set by the zygote or from
# VPATIENT_LOG_FD); None when the exam runs on its own (``exam take`` under sshd).
server_log_fd: int | None = None


def report_to_server(line: str) -> None:
    """One line in the server's log, if there is a server (never raises)."""
    if server_log_fd is None:
        return
    stamp = datetime.now().strftime("%H:%M:%S")
    with contextlib.suppress(OSError):
        os.write(server_log_fd, f"{stamp} {line}\n".encode("utf-8", "replace"))


def write_crash_log(folder: Path, student: str, error: BaseException | str) -> Path | None:
    """Write the report (0600) and say so in the server's log; returns its path, or None when
    it could not be written (the server's log then has the error itself)."""
    now = datetime.now()
    path = folder / f"crash-{student}-{now:%Y%m%d-%H%M%S}-{os.getpid()}.log"
    detail = error if isinstance(error, str) else "".join(traceback.format_exception(error))
    summary = detail.strip().splitlines()[-1] if detail.strip() else "unknown error"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(f"student {student} at {now.isoformat()} (pid {os.getpid()})\n{detail}")
            out.flush()
            os.fsync(out.fileno())
    except OSError as err:
        report_to_server(f"{student}: {summary} (no crash report: {err.strerror or err})")
        return None
    report_to_server(f"{student}: {summary} (crash report {path})")
    return path
