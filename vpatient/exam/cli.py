"""``vpatient serve`` and ``vpatient exam init|start|take|watch|results``.

Every problem the instructor can fix is one ``vpatient: error: ...`` line (per problem) and exit
code 1, never a traceback. Imports are light here: ``vpatient.cli`` builds these parsers for
every command.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


def _fail(*lines: str) -> int:
    from vpatient.core.tomlcheck import printable, shorten

    for line in lines:  # printable: a path or an id given can hold terminal escapes
        print(f"vpatient: error: {shorten(printable(line), 600)}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _warn(*lines: str) -> None:
    from vpatient.core.tomlcheck import printable, shorten

    for line in lines:
        print(f"vpatient: warning: {shorten(printable(line), 600)}", file=sys.stderr)


def _positive(kind: Callable[[str], float | int]) -> Callable[[str], float | int]:
    def parse(text: str) -> float | int:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
        if not 0 < value < 10**9:
            raise argparse.ArgumentTypeError(f"{text}: must be more than 0")
        return value

    return parse


def add_parsers(sub: argparse._SubParsersAction, parser_class: type[argparse.ArgumentParser],
                handler: Callable[[argparse.Namespace], int]) -> None:
    """``serve`` and ``exam ...`` on the main parser; ``handler`` runs ``main`` below."""
    serve = sub.add_parser("serve", help="serve an exam folder over SSH")
    serve.add_argument("dir", type=Path)
    serve.add_argument("--host", default="0.0.0.0")
    # (vpatient.cli checks the port and host before anything is created)
    serve.add_argument("--port", type=int, default=2222)
    serve.add_argument("--spawn", action="store_true",
                       help="start each session in a fresh interpreter instead of forking")
    serve.add_argument("--max-failures", type=_positive(int), default=20, metavar="N",
                       help="failed connections per address and user name in the window before "
                            "that user is turned away from that address (default 20)")
    serve.add_argument("--failure-window", type=_positive(float), default=60.0,
                       metavar="SECONDS", help="how long a failed connection counts (default 60)")
    serve.set_defaults(func=handler, exam_command="serve")

    exam = sub.add_parser("exam", help="create exam folders, sit an exam, watch it, results")
    exam_sub = exam.add_subparsers(title="exam commands", metavar="ACTION", required=True,
                                   parser_class=parser_class)
    init = exam_sub.add_parser("init", help="create an exam folder (or what is missing in one)")
    init.add_argument("dir", type=Path)
    init.set_defaults(func=handler, exam_command="init")
    start = exam_sub.add_parser("start", help="start the clock for everyone "
                                              "(exams with start = \"instructor\")")
    start.add_argument("dir", type=Path)
    start.set_defaults(func=handler, exam_command="start")
    take = exam_sub.add_parser("take", help="sit one student's exam in this terminal")
    take.add_argument("dir", type=Path)
    take.add_argument("--student", required=True)
    take.set_defaults(func=handler, exam_command="take")
    watch = exam_sub.add_parser("watch", help="the room, live: who is connected, where, "
                                              "how far, time left")
    watch.add_argument("dir", type=Path)
    watch.set_defaults(func=handler, exam_command="watch")
    results = exam_sub.add_parser("results", help="totals per student, statistics per case")
    results.add_argument("dir", type=Path)
    form = results.add_mutually_exclusive_group()
    form.add_argument("--csv", action="store_true", help="one row per student and case")
    form.add_argument("--json", action="store_true",
                      help="totals per student and item statistics per case")
    results.add_argument("--answers", action="store_true",
                         help="with the table: every student's answer to every case")
    results.set_defaults(func=handler, exam_command="results")


def main(args: argparse.Namespace) -> int:
    from vpatient.exam.config import ExamError
    from vpatient.exam.store import ResultsError

    command = args.exam_command
    try:
        if command == "init":
            return cmd_init(args.dir)
        if command == "start":
            return cmd_start(args.dir)
        if command == "results":
            return cmd_results(args.dir, csv=args.csv, json=args.json, answers=args.answers)
        if command == "take":
            return cmd_take(args.dir, args.student)
        if command == "watch":
            return cmd_watch(args.dir)
        if command == "serve":
            return cmd_serve(args)
    except (ExamError, ResultsError) as err:
        return _fail(*getattr(err, "problems", [str(err)]))
    return _fail(f"unknown exam command '{command}'")


def _public_warning(exam) -> list[str]:
    if not exam.public_cases:
        return []
    return [f"exam.toml includes bundled cases ({', '.join(exam.public_cases)}): anyone can "
            "read their answers with 'vpatient case show ID'. For a graded exam use your own "
            "case files or generated patients ('generate')"]


def cmd_init(root: Path) -> int:
    from vpatient.exam.config import ExamError, init_exam, load_exam

    made = init_exam(root)
    if not made:
        return _fail(f"{root}: already an exam folder (nothing created, nothing overwritten)")
    print(f"Created in {root}: {', '.join(p.name + ('/' if p.is_dir() else '') for p in made)}"
          f" (private to you). Next: edit {root / 'exam.toml'}, put each student's public "
          f"key in {root / 'students'}/ID.pub, then run 'vpatient serve {root}'.")
    # An exam.toml being written may not load yet; 'serve' and 'results' report its problems.
    with contextlib.suppress(ExamError):
        _warn(*_public_warning(load_exam(root)))
    return EXIT_OK


def cmd_start(root: Path) -> int:
    import time

    from vpatient.exam.config import load_exam
    from vpatient.exam.store import Store

    exam = load_exam(root)
    if exam.config.start != "instructor":
        return _fail(f"{root / 'exam.toml'}: start = \"{exam.config.start}\": each student's "
                     "clock starts when they press Enter; set start = \"instructor\" to start "
                     "everyone's at once")
    os.umask(0o077)
    store = Store(exam.results_path)
    try:
        now = time.time()
        started = store.start_exam(now)
    finally:
        store.close()
    when = time.strftime("%H:%M:%S", time.localtime(started))
    if started < now - 1:
        print(f"The exam was already started at {when}.")
    else:
        print(f"Started at {when}: every student's {exam.config.time_limit_minutes:g} minutes "
              "run from now.")
    return EXIT_OK


def cmd_results(root: Path, *, csv: bool, json: bool, answers: bool) -> int:
    from vpatient.exam import report
    from vpatient.exam.config import list_students, load_exam
    from vpatient.exam.store import open_results

    exam = load_exam(root)
    if not exam.results_path.exists():
        if csv:  # an empty gradebook is still a valid CSV
            sys.stdout.write(",".join(report.CSV_COLUMNS) + "\n")
            return EXIT_OK
        if not json:
            print("No results yet: nobody has logged in.")
            return EXIT_OK
    students = list_students(root)
    if exam.results_path.exists():
        store = open_results(exam.results_path)
        try:
            students = sorted(set(store.students()) | set(students))
            rows, statuses = report.collect(exam, store, students)
        finally:
            store.close()
    else:
        rows, statuses = [], {s: "not started" for s in students}
        rows = [report.CaseRow(s, i + 1, c.id, c.title, "not started")
                for s in students for i, c in enumerate(exam.cases)]
    if csv:
        sys.stdout.write(report.to_csv(rows))
        return EXIT_OK
    summaries = report.student_summaries(rows, statuses, exam.cases)
    items = report.item_statistics(rows, statuses, exam.cases)
    if json:
        import orjson  # as the rest of the CLI prints JSON

        sys.stdout.write(orjson.dumps(report.to_json(exam, rows, summaries, items),
                                      option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        sys.stdout.write(report.to_text(exam, rows, summaries, items, answers=answers))
    return EXIT_OK


def cmd_take(root: Path, student: str) -> int:
    """Sit the exam in this terminal (what a stock sshd's ForceCommand runs)."""
    from vpatient.exam.config import STUDENT_ID, list_students, load_exam

    if not STUDENT_ID.match(student):
        return _fail(f"'{student}' is not a valid student id (letters, digits, . _ -)")
    exam = load_exam(root)
    if student not in list_students(root):
        return _fail(f"no student '{student}' in {root / 'students'} (add {student}.pub)")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return _fail("the exam needs a terminal (with ssh, use 'ssh -t')")
    from vpatient.exam.session import run_exam

    return run_exam(exam, student, peer=os.environ.get("SSH_CLIENT"))


def cmd_watch(root: Path) -> int:
    from vpatient.exam.config import load_exam

    exam = load_exam(root)
    if not sys.stdout.isatty():
        return _fail("'exam watch' needs a terminal; for a file use 'vpatient exam results'")
    from vpatient.exam.watch import WatchApp

    WatchApp(exam).run()
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from vpatient.exam.config import load_exam
    from vpatient.exam.privacy import check_folder
    from vpatient.exam.server import serve

    exam = load_exam(args.dir)
    errors, warnings = check_folder(args.dir)
    if errors:
        return _fail(*errors)
    _warn(*warnings, *exam.problems, *_public_warning(exam))
    if not exam.student_ids():
        _warn(f"no students yet; add keys as {args.dir / 'students'}/ID.pub (they are read at "
              "each login)")
    if exam.config.start == "instructor":
        print(f"Students wait on the welcome screen until you start the exam: 'vpatient exam "
              f"start {args.dir}' (or s in 'vpatient exam watch {args.dir}').", file=sys.stderr)
    return serve(args.dir, host=args.host, port=args.port, spawn=args.spawn,
                 max_failures=args.max_failures, failure_window=args.failure_window)
