"""``vpatient exam init|take|results`` and ``vpatient serve``.

Every problem the instructor can fix is one ``vpatient: error: ...`` line (per problem) and exit
code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from vpatient.exam.config import STUDENT_ID, ExamError, init_exam, list_students, load_exam

EXIT_OK, EXIT_BAD_INPUT = 0, 1


def _fail(*lines: str) -> int:
    from vpatient.core.tomlcheck import printable, shorten

    for line in lines:  # printable: a path or an id given can hold terminal escapes
        print(f"vpatient: error: {shorten(printable(line), 600)}", file=sys.stderr)
    return EXIT_BAD_INPUT


def main(args: argparse.Namespace) -> int:
    command = args.exam_command
    try:
        if command == "init":
            return cmd_init(args.dir)
        if command == "results":
            return cmd_results(args.dir, csv=args.csv)
        if command == "take":
            return cmd_take(args.dir, args.student)
        if command == "serve":
            return cmd_serve(args)
    except ExamError as err:
        return _fail(*err.problems)
    return _fail(f"unknown exam command '{command}'")


def cmd_init(root: Path) -> int:
    init_exam(root)
    print(f"Created exam folder {root}: edit {root / 'exam.toml'}, put each student's public "
          f"key in {root / 'students'}/ID.pub, then run 'vpatient serve {root}'.")
    return EXIT_OK


def cmd_results(root: Path, *, csv: bool) -> int:
    from vpatient.exam.store import Store, rows_to_csv, rows_to_text

    exam = load_exam(root)
    if not exam.results_path.exists():
        if csv:
            # An empty gradebook is still a valid CSV.
            from vpatient.exam.store import CSV_COLUMNS
            sys.stdout.write(",".join(CSV_COLUMNS) + "\n")
            return EXIT_OK
        print("No results yet: nobody has logged in.")
        return EXIT_OK
    store = Store(exam.results_path)
    try:
        students = sorted(set(store.students()) | set(list_students(root)))
        rows = store.result_rows(exam.cases, students, exam.time_limit_seconds)
    finally:
        store.close()
    sys.stdout.write(rows_to_csv(rows) if csv else rows_to_text(rows))
    return EXIT_OK


def cmd_take(root: Path, student: str) -> int:
    """Sit the exam in this terminal (what every SSH session, or a ForceCommand, runs)."""
    if not STUDENT_ID.match(student):
        return _fail(f"'{student}' is not a valid student id (letters, digits, . _ -)")
    if os.environ.get("VPATIENT_SETCTTY") == "1":
        from vpatient.exam.session import acquire_controlling_tty

        acquire_controlling_tty()
    exam = load_exam(root)
    if student not in list_students(root):
        return _fail(f"no student '{student}' in {root / 'students'} (add {student}.pub)")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return _fail("the exam needs a terminal (with ssh, use 'ssh -t')")
    from vpatient.exam.session import run_exam

    return run_exam(exam, student, served=os.environ.get("VPATIENT_SERVED") == "1",
                    peer=os.environ.get("VPATIENT_PEER") or os.environ.get("SSH_CLIENT"))


def cmd_serve(args: argparse.Namespace) -> int:
    from vpatient.exam.server import serve

    exam = load_exam(args.dir)
    for warning in exam.problems:
        print(f"vpatient: warning: {warning}", file=sys.stderr)
    if not exam.student_ids():
        print(f"vpatient: warning: no students yet; add keys as {args.dir / 'students'}/ID.pub "
              "(they are read at each login)", file=sys.stderr)
    return serve(args.dir, host=args.host, port=args.port, spawn=args.spawn)
