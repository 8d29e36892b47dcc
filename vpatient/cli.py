"""The ``vpatient`` command line (design §6).

Nothing heavy is imported at start-up: a bare ``vpatient`` goes straight to the game without
even building the command parser (start-up time is a measured target), and each command imports
what it needs, so the headless commands never load Textual and ``vpatient --help`` is instant.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2
EXIT_INTERNAL = 70  # a bug (BSD's EX_SOFTWARE): one line on screen, the traceback in a log

# Bounds of the numeric arguments (README, "Command line").
MAX_SEED = 2**63 - 1
MAX_COUNT = 100_000  # per run: about 570 MB of JSON, streamed (20 s of CPU on a CI core)
MAX_FINDINGS_BYTES = 1_000_000  # solve's input: a whole case's JSON is about 10 kB


class CliError(Exception):
    """A problem the user can fix; printed as one line, never as a traceback."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code


def json_text(data: object) -> str:
    """The JSON the CLI prints: indented, UTF-8, keys in the engine's order."""
    import orjson

    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"


def _print_json(data: object) -> None:
    sys.stdout.write(json_text(data))


# --- case ----------------------------------------------------------------------------------------


def _load_case(spec: str):
    """A case from a file path, or from a bundled case id."""
    from pathlib import Path

    from vpatient.library import bundled_cases_dir, load_bundled, path_kind, read_case_file

    path = Path(spec)
    kind = path_kind(path)
    if kind == "missing" and not spec.endswith(".toml") and "/" not in spec:
        library = load_bundled()
        case = library.by_id(spec)
        if case is not None:
            return case
        raise CliError(f"no such file, and no bundled case with id '{spec}' "
                       f"(bundled cases are in {bundled_cases_dir()})")
    if kind == "folder":
        raise CliError(f"{spec}: is a folder; give one case file (or use 'case validate')")
    parsed = read_case_file(path)
    if not parsed.ok or parsed.case is None:
        errors = [p for p in parsed.problems if p.level == "error"]
        first = errors[0] if errors else parsed.problems[0]
        more = f" (and {len(errors) - 1} more; run 'vpatient case validate {spec}')" \
            if len(errors) > 1 else ""
        raise CliError(f"{first}{more}")
    return parsed.case


def cmd_case_show(args: argparse.Namespace) -> int:
    case = _load_case(args.path)
    if args.as_student:
        from vpatient.core.wording import as_student

        sys.stdout.write("".join(f"{line}\n" for line in as_student(case.all_findings)))
    elif args.json:
        _print_json(case.to_json())
    else:
        sys.stdout.write(_case_summary(case))
    return EXIT_OK


def cmd_case_validate(args: argparse.Namespace) -> int:
    from vpatient.library import load_library

    library = load_library(args.paths)
    library.problems.extend(_ambiguity_problems(library))
    for problem in library.problems:
        print(problem, file=sys.stderr if problem.level == "error" else sys.stdout)
    bad = len(library.bad_files)
    good = len(library.cases)
    warnings = len(library.problems) - len(library.errors)
    summary = f"{good} case{'s' if good != 1 else ''} valid, {bad} file{'s' if bad != 1 else ''} " \
              f"with errors"
    if warnings:
        summary += f", {warnings} warning{'s' if warnings != 1 else ''}"
    print(summary)
    return EXIT_BAD_INPUT if bad or not (good or bad) else EXIT_OK


def _ambiguity_problems(library) -> list:
    """A warning for each case whose full examination cannot tell its answer from another."""
    from vpatient.core.casefile import Problem
    from vpatient.core.solver import ambiguity_warning

    problems = []
    for case in library.cases:
        message = ambiguity_warning(case)
        if message:
            problems.append(Problem(str(library.paths[case.id]), None, "answer", message,
                                    "warning"))
    return problems


def cmd_case_list(args: argparse.Namespace) -> int:
    from vpatient.library import bundled_cases_dir, load_library

    library = load_library(args.paths or [bundled_cases_dir()])
    for case in sorted(library.cases, key=lambda c: (c.difficulty != "intro",
                                                      c.difficulty != "core", c.id)):
        tags = ", ".join(case.tags)
        print(f"{case.id:<40} {case.difficulty:<9} {case.title}" + (f"  [{tags}]" if tags else ""))
    for problem in library.errors:
        print(problem, file=sys.stderr)
    count, bad = len(library.cases), len(library.bad_files)
    print(f"{count} case{'s' if count != 1 else ''}"
          + (f", {bad} broken file{'s' if bad != 1 else ''}" if bad else ""))
    return EXIT_BAD_INPUT if library.bad_files else EXIT_OK


def cmd_case_schema(args: argparse.Namespace) -> int:
    from vpatient.core.case import Case

    schema = Case.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "vpatient case"
    _print_json(schema)
    return EXIT_OK


# --- presentation --------------------------------------------------------------------------------


def cmd_presentation_validate(args: argparse.Namespace) -> int:
    from vpatient.presentations import bundled_presentations_dir, load_presentations

    load = load_presentations(args.paths or [bundled_presentations_dir()])
    for problem in load.problems:
        print(problem, file=sys.stderr if problem.level == "error" else sys.stdout)
    good = len(load.presentations) + len(load.shared)
    bad = len(load.bad_files)
    print(f"{good} file{'s' if good != 1 else ''} valid, {bad} file{'s' if bad != 1 else ''} "
          "with errors")
    return EXIT_BAD_INPUT if bad or not (good or bad) else EXIT_OK


def cmd_presentation_list(args: argparse.Namespace) -> int:
    from vpatient.presentations import bundled_presentations_dir, load_presentations

    load = load_presentations(args.paths or [bundled_presentations_dir()])
    for problem in load.errors:
        print(problem, file=sys.stderr)
    if load.errors:
        return EXIT_BAD_INPUT
    data = load.as_set()
    shares = {d: data.site_shares(d) for d in ("intro", "core", "advanced")}
    print(f"{'site':<22}{'intro':>7}{'core':>7}{'advanced':>10}  presentations (weight in site)")
    for site in sorted({p.site for p in data.presentations}):
        members = ", ".join(
            f"{p.id} ({'/'.join(f'{p.weight.get(d, 0):g}' for d in shares)})"
            for p in data.presentations if p.site == site)
        cells = "".join(f"{shares[d].get(site, 0) * 100:>{w}.1f}%"
                        for d, w in (("intro", 6), ("core", 6), ("advanced", 9)))
        print(f"{site:<22}{cells}  {members}")
    print(f"{len(data.presentations)} presentations; shares of generated patients per difficulty")
    return EXIT_OK


# --- generate ------------------------------------------------------------------------------------


def batch_mode() -> None:
    """Before a long batch: move the start-up heap (modules, pydantic schemas) out of the
    collector's way. Each patient allocates many short-lived dicts, and without this the cyclic
    collector keeps rescanning every long-lived object (measured: up to half the run time)."""
    import gc

    gc.collect()
    gc.freeze()


def cmd_generate(args: argparse.Namespace) -> int:
    from vpatient.core.generator import generate_patient

    if not 0 <= args.seed <= MAX_SEED:
        raise CliError(f"--seed must be a whole number from 0 to {MAX_SEED}", EXIT_USAGE)
    count = 1 if args.count is None else args.count
    if not 1 <= count <= MAX_COUNT:
        raise CliError(f"--count must be from 1 to {MAX_COUNT:,}", EXIT_USAGE)
    batch_mode()
    patients = (generate_patient(args.seed, i, args.difficulty) for i in range(count))
    # Streamed, one patient at a time: constant memory, and the output starts at once.
    if not args.json:
        for i, patient in enumerate(patients):
            sys.stdout.write(("\n" if i else "") + _case_summary(patient))
    elif args.count is None:  # without --count, one object (design §6)
        _print_json(next(patients).to_json())
    else:  # with --count, always an array, laid out as one indented document
        sys.stdout.write("[\n")
        for i, patient in enumerate(patients):
            item = json_text(patient.to_json()).rstrip("\n").replace("\n", "\n  ")
            sys.stdout.write(("" if i == 0 else ",\n") + "  " + item)
            if i == 0:
                sys.stdout.flush()
        sys.stdout.write("\n]\n")
    return EXIT_OK


def _case_summary(case) -> str:
    """A readable card: the patient, the lesion(s), the answer and the abnormal findings."""
    from vpatient.core.findings import FINDING_SPECS, NORMAL_FINDINGS
    from vpatient.core.lesion import describe

    info = case.patient
    lines = [
        f"{case.id}: {case.title}  [{case.difficulty}]",
        f"  {info.age}-year-old {info.sex}: \"{info.complaint}\"",
        f"  {info.history}",
        "  Lesions: " + "; ".join(describe(lesion) for lesion in case.lesions),
    ]
    answer = case.answer_key.canonical
    lines.append("  Answer: " + ", ".join(
        f"{k} {v}" for k, v in answer.model_dump().items() if v is not None))
    abnormal = [(k, v) for k, v in case.all_findings.items() if v != NORMAL_FINDINGS[k]]
    lines.append(f"  Abnormal findings ({len(abnormal)}):" if abnormal else
                 "  All findings normal.")
    for key, value in abnormal:
        shown = str(value).lower() if isinstance(value, bool) else value
        lines.append(f"    {FINDING_SPECS[key].label:<38} {shown}")
    return "\n".join(lines) + "\n"


# --- grade ---------------------------------------------------------------------------------------


def cmd_grade(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from vpatient.core.answer import Answer, level_problem
    from vpatient.core.grading import grade

    case = _load_case(args.path)
    level = args.level
    problem = level_problem(args.site, level)
    if problem:
        raise CliError(f"--level: {problem}", EXIT_USAGE)
    try:
        answer = Answer(neuron=args.neuron, site=args.site, side=args.side, level=level)
    except ValidationError as err:  # pragma: no cover - argparse choices catch these first
        raise CliError(str(err.errors()[0]["msg"]), EXIT_USAGE) from None
    performed = None
    if args.performed is not None:
        from vpatient.core.examination import MANEUVERS

        performed = [m.strip() for m in args.performed.split(",") if m.strip()]
        unknown = [m for m in performed if m not in MANEUVERS]
        if unknown:
            raise CliError(f"--performed: unknown maneuver '{unknown[0]}' (ids look like "
                           "'plantar.left', 'reflex.right.knee', 'power.left.hip_flexion')",
                           EXIT_USAGE)
    result = grade(case, answer, performed)
    if args.json:
        _print_json(result.to_json())
    else:
        sys.stdout.write(result.as_text())
    return EXIT_OK


# --- solve ---------------------------------------------------------------------------------------


def _read_findings(spec: str) -> dict:
    """A findings object from a file or stdin: bare, or the ``findings`` of a case's JSON."""
    import json

    from vpatient.core.findings import check_finding
    from vpatient.library import UnreadableFile, read_bounded

    try:
        if spec == "-":
            text = sys.stdin.read(MAX_FINDINGS_BYTES + 1)
        else:
            text = read_bounded(spec, MAX_FINDINGS_BYTES).decode("utf-8")
    except UnreadableFile as err:
        raise CliError(f"{spec!r}: {'no such file' if err.missing else err}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise CliError(f"{spec!r}: cannot read: {getattr(err, 'strerror', None) or err}") \
            from None
    if len(text) > MAX_FINDINGS_BYTES:
        raise CliError(f"{spec!r}: more than {MAX_FINDINGS_BYTES:,} characters; a findings "
                       "object is a few kilobytes")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise CliError(f"{spec}:{err.lineno}: not JSON: {err.msg}") from None
    if isinstance(data, dict) and isinstance(data.get("findings"), dict):
        data = data["findings"]
    if not isinstance(data, dict):
        raise CliError(f"{spec}: expected a findings object, e.g. {{\"plantar.left\": "
                       "\"extensor\"}")
    for key, value in data.items():
        problem = check_finding(key, value)
        if problem:
            raise CliError(f"{spec}: {key}: {problem}")
    return data


def cmd_solve(args: argparse.Namespace) -> int:
    if args.top < 0:
        raise CliError("--top must be 0 (every answer) or more", EXIT_USAGE)
    if args.onset is not None and args.onset < 0:
        raise CliError("--onset is a number of days, 0 or more", EXIT_USAGE)
    findings = _read_findings(args.path)
    from vpatient.core.solver import solve

    solution = solve(findings, onset_days=args.onset)
    top = None if args.top == 0 else args.top
    if args.json:
        _print_json(solution.to_json(top))
        return EXIT_OK
    shown = solution.candidates if top is None else solution.top(top)
    total = len(solution.order)
    print(f"{solution.findings_used} finding{'s' if solution.findings_used != 1 else ''}; "
          f"the best {len(shown)} of {total} answers:")
    for rank, c in enumerate(shown, start=1):
        print(f"  {rank:>2}. {c.label:<46} {c.answer.neuron:<6} support {c.support:6.1%}  "
              f"mismatch {c.distance:g}")
    print("Decided." if solution.decided else
          f"Not decided: {len(solution.in_play)} answers explain the findings about as well.")
    nxt = solution.next_maneuver
    if nxt is not None:
        print(f"Next maneuver: {nxt.label} ({nxt.maneuver}): {nxt.reason} "
              f"({nxt.gain:.2f} bits)")
    return EXIT_OK


# --- notes ---------------------------------------------------------------------------------------


def cmd_notes(args: argparse.Namespace) -> int:
    from vpatient.notes import NOTE_TOPICS, NoteError, available_topics, list_notes, load_note

    if args.topic is None:
        notes = list_notes()
        width = max((len(n.topic) for n in notes), default=0)
        for note in notes:
            print(f"{note.topic:<{width}}  {note.title}")
        return EXIT_OK
    try:
        note = load_note(args.topic)
    except NoteError as err:
        raise CliError(str(err)) from None
    if note is None:
        known = available_topics() or list(NOTE_TOPICS)
        raise CliError(f"no note '{args.topic}' (topics: {', '.join(known)})", EXIT_USAGE)
    sys.stdout.write(note.text if note.text.endswith("\n") else note.text + "\n")
    return EXIT_OK


# --- the game and the exam -----------------------------------------------------------------------


def cmd_stats(args: argparse.Namespace) -> int:
    import sqlite3

    from vpatient.progress import database_path, load_history, summarize, summary_json, summary_text

    try:
        summary = summarize(load_history(timeout=2.0))
    except sqlite3.Error as err:
        raise CliError(f"{database_path()}: progress cannot be read ({err})") from None
    sys.stdout.write(json_text(summary_json(summary)) if args.json else summary_text(summary))
    return EXIT_OK


def cmd_play(args: argparse.Namespace) -> int:
    from vpatient.tui.app import run

    return run(cases_dir=args.cases, theme=args.theme)


def cmd_exam(args: argparse.Namespace) -> int:
    import sqlite3

    from vpatient.exam.cli import main as exam_main
    from vpatient.exam.config import RESULTS_NAME

    _check_exam_args(args)
    try:
        return exam_main(args)
    except sqlite3.Error as err:
        raise CliError(f"{args.dir / RESULTS_NAME}: cannot use the results database "
                       f"(damaged, or not a vpatient results file?): {err}") from None
    except (ValueError, TypeError, KeyError) as err:
        if args.exam_command != "results":
            raise
        # A row the exam never wrote (edited or damaged by hand); the database itself is fine.
        raise CliError(f"{args.dir / RESULTS_NAME}: a damaged row in the results "
                       f"({type(err).__name__}: {err})") from None


def _check_exam_args(args: argparse.Namespace) -> None:
    """What the exam commands need, checked before anything is created (a host key, a folder,
    a database): a port that exists, a folder that is one, a results file that is a file."""
    from vpatient.exam.config import RESULTS_NAME
    from vpatient.library import path_kind

    port = getattr(args, "port", None)
    if port is not None and not 0 <= port <= 65535:
        raise CliError(f"--port must be from 1 to 65535, or 0 for any free port (got {port})",
                       EXIT_USAGE)
    host = getattr(args, "host", None)
    if host is not None:
        import socket

        try:
            socket.getaddrinfo(host, port or 0, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as err:
            raise CliError(f"--host: cannot use '{host}' ({err})", EXIT_USAGE) from None
    kind = path_kind(args.dir)
    if args.exam_command == "init":
        if kind not in ("missing", "folder"):
            raise CliError(f"{args.dir}: " + ("exists and is not a folder" if kind == "file"
                                              else kind))
        return
    if kind == "missing":
        raise CliError(f"{args.dir}: no such exam folder (create one with "
                       f"'vpatient exam init {args.dir}')")
    if kind != "folder":
        raise CliError(f"{args.dir}: not a folder ({kind})")
    results = path_kind(args.dir / RESULTS_NAME)
    if results not in ("missing", "file"):
        raise CliError(f"{args.dir / RESULTS_NAME}: " + (
            "is a folder, not the results file" if results == "folder" else
            f"not a regular file ({results})"))


# --- parser --------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    import argparse
    from pathlib import Path

    from vpatient import __version__

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:  # one line, not usage + error
            from vpatient.core.tomlcheck import printable, shorten

            message = shorten(printable(message), 300)  # it quotes the argument given
            self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")

    # The vocabulary module is plain data: choices without loading pydantic.
    from vpatient.core import vocabulary

    sites = list(vocabulary.SITES)
    parser = _Parser(
        prog="vpatient",
        description="Examine a virtual neurology patient and localize the motor lesion. "
                    "Plain 'vpatient' (no command) starts the game.",
    )
    parser.add_argument("--version", action="version", version=f"vpatient {__version__}")
    parser.add_argument("--cases", type=Path, metavar="DIR",
                        help="an instructor's case folder to add to the library")
    parser.add_argument("--theme", metavar="NAME", help="colour theme (e.g. textual-ansi)")
    parser.set_defaults(func=cmd_play)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)

    case = sub.add_parser("case", help="show, validate and describe case files")
    case_sub = case.add_subparsers(title="case commands", metavar="ACTION", required=True,
                                   parser_class=_Parser)
    show = case_sub.add_parser("show", help="a case with its derived findings")
    show.add_argument("path", help="a case file, or the id of a bundled case")
    show_as = show.add_mutually_exclusive_group()
    show_as.add_argument("--json", action="store_true", help="JSON as in design §6")
    show_as.add_argument("--as-student", action="store_true",
                         help="every finding worded as the student reads it, 'key: text'")
    show.set_defaults(func=cmd_case_show)
    validate = case_sub.add_parser("validate", help="check case files and folders")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.set_defaults(func=cmd_case_validate)
    listing = case_sub.add_parser("list", help="list cases (the bundled library by default)")
    listing.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    listing.set_defaults(func=cmd_case_list)
    schema = case_sub.add_parser("schema", help="the JSON Schema of the case format")
    schema.set_defaults(func=cmd_case_schema)

    pres = sub.add_parser("presentation",
                          help="check and list the presentations generated patients come from")
    pres_sub = pres.add_subparsers(title="presentation commands", metavar="ACTION",
                                   required=True, parser_class=_Parser)
    pvalidate = pres_sub.add_parser("validate", help="check presentation files and folders "
                                                     "(the bundled ones by default)")
    pvalidate.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    pvalidate.set_defaults(func=cmd_presentation_validate)
    plist = pres_sub.add_parser("list", help="the case mix: each site's share per difficulty "
                                             "and its presentations")
    plist.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    plist.set_defaults(func=cmd_presentation_list)

    gen = sub.add_parser("generate", help="generated patients, reproducible by seed")
    gen.add_argument("--seed", type=int, required=True)
    gen.add_argument("--count", type=int, default=None, help="how many (a JSON array)")
    gen.add_argument("--difficulty", choices=vocabulary.DIFFICULTIES, default="core")
    gen.add_argument("--json", action="store_true")
    gen.set_defaults(func=cmd_generate)

    grade_p = sub.add_parser("grade", help="grade a localization against a case")
    grade_p.add_argument("path", help="a case file, or the id of a bundled case")
    grade_p.add_argument("--neuron", required=True,
                         choices=vocabulary.NEURONS)
    grade_p.add_argument("--site", required=True, choices=sites, metavar="SITE",
                         help="one of: " + ", ".join(sites))
    grade_p.add_argument("--side", required=True, choices=vocabulary.LESION_SIDES)
    grade_p.add_argument("--level", help="segment, root, range, plexus part or nerve name")
    grade_p.add_argument("--performed", metavar="IDS",
                         help="the exam log: comma-separated maneuver ids, in order; lists the "
                              "discriminating maneuvers never performed")
    grade_p.add_argument("--json", action="store_true")
    grade_p.set_defaults(func=cmd_grade)

    stats = sub.add_parser("stats", help="your progress: by site, neuron type and error kind")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=cmd_stats)

    solve_p = sub.add_parser("solve", help="rank the answers that explain a set of findings")
    solve_p.add_argument("path", metavar="FILE", help="a findings object as JSON, or - for stdin "
                         "(the findings of 'case show --json', any subset)")
    solve_p.add_argument("--onset", type=float, metavar="DAYS",
                         help="days since onset, as the history tells it")
    solve_p.add_argument("--top", type=int, default=10, help="answers to list (0: all)")
    solve_p.add_argument("--json", action="store_true")
    solve_p.set_defaults(func=cmd_solve)

    notes = sub.add_parser("notes", help="the clinical notes: list them, or print one")
    notes.add_argument("topic", nargs="?", help="a note's topic, e.g. umn-vs-lmn")
    notes.set_defaults(func=cmd_notes)

    from vpatient.exam.cli import add_parsers as add_exam_parsers

    add_exam_parsers(sub, _Parser, cmd_exam)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:  # the game itself: no parser to build
        from vpatient.tui.app import run

        return run(cases_dir=None, theme=None)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CliError as err:
        _print_error(str(err))
        return err.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `vpatient generate ... | head`
        sys.stderr.close()
        return EXIT_OK
    except OSError as err:  # a path the user gave that cannot be used
        from vpatient.library import os_reason

        where = f"{err.filename}: " if err.filename else ""
        _print_error(f"{where}{os_reason(err)}")
        return EXIT_BAD_INPUT
    except Exception:  # a bug: one line, and the traceback where it can be sent in
        _print_error(f"internal error: {_crash_report()}")
        return EXIT_INTERNAL


def _print_error(message: str) -> None:
    """One printable line: nothing in it (a file name, a key) can drive the terminal."""
    from vpatient.core.tomlcheck import printable, shorten

    print(f"vpatient: error: {shorten(printable(message), 600)}", file=sys.stderr)


def _crash_report() -> str:
    """Write the traceback of the exception being handled to a file; say what and where."""
    import tempfile
    import traceback

    kind, err, _ = sys.exc_info()
    what = f"{kind.__name__ if kind else 'error'}: {err}"
    try:
        with tempfile.NamedTemporaryFile("w", prefix="vpatient-crash-", suffix=".txt",
                                         delete=False) as log:
            traceback.print_exc(file=log)
        return f"{what} (details in {log.name}; please report it)"
    except OSError:
        return f"{what} (please report it)"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
