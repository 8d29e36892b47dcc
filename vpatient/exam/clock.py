"""The exam's clock, in one place for the session, the room view and the results.

A student's time runs from their own "begin" (``start = "student"``) or from the instructor's
start for everyone (``start = "instructor"``), on the server's clock, and keeps running while they
are disconnected.
"""

from __future__ import annotations

from vpatient.exam.config import Exam

# Whole minutes until the last ones, then seconds: the header then changes once a minute, and an
# idle session sends nothing and costs (almost) no CPU.
SECONDS_SHOWN_BELOW = 120


def format_remaining(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds >= SECONDS_SHOWN_BELOW:
        return f"{(seconds + 59) // 60} min"
    return f"{seconds // 60}:{seconds % 60:02d}"


def clock_start(exam: Exam, student_started: float | None,
                exam_started: float | None) -> float | None:
    """When this student's time began, or None while it has not."""
    if exam.config.start == "instructor":
        return exam_started if student_started is not None or exam_started is not None \
            else None
    return student_started


def time_left(exam: Exam, student_started: float | None, exam_started: float | None,
              now: float) -> float | None:
    """Seconds left (negative once over), or None while the clock has not started."""
    start = clock_start(exam, student_started, exam_started)
    return None if start is None else exam.time_limit_seconds - (now - start)
