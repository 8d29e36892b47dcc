"""An exam folder: ``exam.toml``, ``students/*.pub``, and the cases every student sits.

Validation is as strict as for case files (design §5): unknown keys are errors, and every problem
reads ``exam.toml:line: key: message``. Cases resolve in the order written: bundled ids and case
files from ``include`` first, then the generated patients, which are the same for every student
because they come from one seed.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from vpatient.core.case import Case, Difficulty
from vpatient.core.tomlcheck import KeyLocator, Problem, check_toml

CONFIG_NAME = "exam.toml"
STUDENTS_DIR = "students"
RESULTS_NAME = "results.sqlite"
LOGS_DIR = "logs"
HOST_KEY_NAME = "ssh_host_ed25519_key"
# The exam's secret: with the seed in exam.toml it picks the generated patients, so that the public
# generator (`vpatient generate --seed N`) cannot reproduce them. Created by `exam init`, private.
SECRET_NAME = "exam.secret"
# A student id is also an SSH user name and a file name: keep it to what both accept safely.
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

EXAM_TEMPLATE = """\
# A vpatient exam. See docs/exam.md, or `vpatient exam --help`.
title = "Neuro block, week 3"
time_limit_minutes = 30          # on the server's clock
start = "student"                # student: each student's clock starts when they press Enter
                                 # instructor: everyone's starts with `vpatient exam start DIR`
feedback = "end"                 # end | never | immediate

[cases]
# Generated patients, the same for every student; drawn with this folder's secret (exam.secret),
# so nobody can reproduce them with `vpatient generate`.
generate = { count = 4, seed = 2026, difficulty = "core" }
# Your own case files, relative to this folder (they come first). Bundled case ids also work,
# but anyone can look their answers up with `vpatient case show ID`: fine for practice only.
# include = ["my-cases/c6-myelopathy.toml"]
"""

README_TEMPLATE = """\
vpatient exam folder: edit exam.toml (title, time limit, feedback, cases); put each student's \
OpenSSH public key(s) in students/ID.pub (they log in as `ssh -p 2222 ID@host`); serve with \
`vpatient serve .`; follow the room with `vpatient exam watch .`; results go to results.sqlite \
(`vpatient exam results . --csv`), crash logs to logs/. Keep this folder private: exam.secret \
and results.sqlite hold the key to the exam.
"""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Generate(_Strict):
    count: int = Field(ge=1, le=100)
    seed: int = Field(ge=0, lt=10**12)
    difficulty: Difficulty = "core"


class CasesSection(_Strict):
    include: list[str] = Field(default_factory=list)
    generate: Generate | None = None


class ExamConfig(_Strict):
    title: str = Field(min_length=1)
    time_limit_minutes: float = Field(gt=0, le=24 * 60)
    feedback: Literal["end", "never", "immediate"] = "end"
    # Whose action starts the clock: each student's "begin", or the instructor's for everyone.
    start: Literal["student", "instructor"] = "student"
    cases: CasesSection


class ExamError(Exception):
    """The exam folder cannot be used; ``problems`` say where and why, one per line."""

    def __init__(self, problems: list[Problem] | list[str]) -> None:
        self.problems = [str(p) for p in problems]
        super().__init__(self.problems[0] if self.problems else "invalid exam folder")


@dataclass
class Exam:
    root: Path
    config: ExamConfig
    cases: list[Case]
    problems: list[str] = field(default_factory=list)  # warnings that did not stop loading
    public_cases: list[str] = field(default_factory=list)  # bundled ids: anyone can look them up

    @property
    def time_limit_seconds(self) -> float:
        return self.config.time_limit_minutes * 60

    @property
    def results_path(self) -> Path:
        return self.root / RESULTS_NAME

    @property
    def logs_dir(self) -> Path:
        return self.root / LOGS_DIR

    @property
    def students_dir(self) -> Path:
        return self.root / STUDENTS_DIR

    def student_ids(self) -> list[str]:
        return list_students(self.root)


def init_exam(root: Path) -> list[Path]:
    """Create an exam folder, or what is missing from one (an older folder gets its secret);
    never overwrites a file. Everything is private to the instructor (folder 0700, files 0600):
    exam.toml names the cases and exam.secret picks the generated patients.
    Returns what was created."""
    if root.exists() and not root.is_dir():
        raise ExamError([f"{root}: exists and is not a folder"])
    made: list[Path] = []
    old_umask = os.umask(0o077)
    try:
        try:
            if not root.exists():
                root.mkdir(parents=True, mode=0o700)
                made.append(root)
            if not (root / STUDENTS_DIR).exists():
                (root / STUDENTS_DIR).mkdir(mode=0o700)
                made.append(root / STUDENTS_DIR)
            for name, text in ((CONFIG_NAME, EXAM_TEMPLATE), ("README.txt", README_TEMPLATE),
                               (SECRET_NAME, secrets.token_hex(32) + "\n")):
                if _create(root / name, text):
                    made.append(root / name)
        except OSError as err:
            raise ExamError([f"{root}: cannot create the exam folder: {err.strerror or err}"]) \
                from None
    finally:
        os.umask(old_umask)
    return made


def _create(path: Path, text: str) -> bool:
    """Write a new private file; False if it exists already (it is never overwritten)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    return True


def read_secret(root: Path) -> bytes | None:
    """The exam's secret, or None when the folder has none (or it is unreadable or too short)."""
    try:
        text = (root / SECRET_NAME).read_text(encoding="ascii").strip()
        secret = bytes.fromhex(text)
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return secret if len(secret) >= 16 else None


def exam_patient_seed(secret: bytes, seed: int) -> int:
    """The generator's seed for this exam: an HMAC of exam.toml's seed under the exam's secret.
    Without the secret, ``vpatient generate`` cannot find it; the generator itself is unchanged."""
    digest = hmac.new(secret, f"vpatient exam patients {seed}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big")


def exam_patients(secret: bytes, gen: Generate) -> list[Case]:
    """The exam's generated patients, titled for the instructor ("Generated patient 2026-0":
    exam.toml's seed and the index) and with an id that changes with the secret, so that results
    recorded under another secret are flagged rather than misfiled."""
    from vpatient.core.generator import generate_patients

    mark = hmac.new(secret, b"vpatient exam id", hashlib.sha256).hexdigest()[:8]
    return [case.model_copy(update={
        "id": f"generated-{gen.difficulty}-{gen.seed}-{index}-{mark}",
        "title": f"Generated patient {gen.seed}-{index}",
        "sources": [f"vpatient exam generator (seed {gen.seed}, index {index}, salted)"],
    }) for index, case in enumerate(generate_patients(exam_patient_seed(secret, gen.seed),
                                                      gen.count, gen.difficulty))]


def parse_config(text: str | bytes, path: str = CONFIG_NAME) -> ExamConfig:
    """The exam's settings; every problem in the file at once, each with its line, and those of
    the cases it includes too (so that one run lists them all)."""
    checked = check_toml(text, ExamConfig, path, unknown_key_hint="see docs/exam.md")
    if checked.value is None:
        problems = list(checked.problems)
        try:  # the file passed its limits and parses: check the cases it names as well
            raw = tomllib.loads(text.decode("utf-8-sig") if isinstance(text, bytes) else text)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            raw = {}
        cases = raw.get("cases")
        include = cases.get("include") if isinstance(cases, dict) else None
        if isinstance(include, list) and all(isinstance(i, str) for i in include):
            source = text.decode("utf-8-sig") if isinstance(text, bytes) else text
            problems += _include_problems(Path(path).parent, include, source, path)
        raise ExamError(sorted(problems, key=lambda p: p.line or 0))
    return checked.value


def load_exam(root: Path) -> Exam:
    """The exam in ``root`` with its cases resolved; raises ExamError with readable problems."""
    path = root / CONFIG_NAME
    if not root.is_dir():
        raise ExamError([f"{root}: no such exam folder (create one with 'vpatient exam init')"])
    from vpatient.library import UnreadableFile, read_bounded

    try:
        data = read_bounded(path)  # a regular file of bounded size: never a FIFO or device
    except UnreadableFile as err:
        if err.missing:
            raise ExamError([f"{path}: missing (create one with 'vpatient exam init')"]) from None
        raise ExamError([Problem(str(path), None, "", str(err))]) from None
    config = parse_config(data, str(path))
    text = data.decode("utf-8-sig")  # parse_config has checked it is UTF-8
    cases, problems, public = resolve_cases(root, config, text, str(path))
    return Exam(root=root, config=config, cases=cases, problems=problems, public_cases=public)


def _include_line(text: str, spec: str) -> int | None:
    """The line that names ``spec`` in ``include`` (for a problem with that one entry)."""
    quoted = (f'"{spec}"', f"'{spec}'")
    seen_include = False
    for number, line in enumerate(text.splitlines(), start=1):
        seen_include = seen_include or re.match(r"^\s*include\s*=", line) is not None
        if seen_include and any(q in line for q in quoted):
            return number
    return None


def _resolve_includes(root: Path, include: list[str], text: str, path: str
                      ) -> tuple[list[Case], list[Problem], list[str], list[str]]:
    """(cases, errors, warnings, bundled ids) for the ``include`` list."""
    from vpatient.library import load_bundled, read_case_file

    fallback = KeyLocator(text)(("cases", "include"))
    errors: list[Problem] = []
    warnings: list[str] = []
    public: list[str] = []
    cases: list[Case] = []
    bundled = None
    for spec in include:
        key = "cases.include"
        line = _include_line(text, spec) or fallback
        is_path = spec.endswith(".toml") or "/" in spec or "\\" in spec
        if not is_path:
            bundled = bundled or load_bundled()
            case = bundled.by_id(spec)
            if case is None:
                errors.append(Problem(path, line, key, f"no bundled case with id '{spec}' "
                                      "(a file path must end in .toml)"))
                continue
            public.append(spec)
        else:
            file = Path(spec) if Path(spec).is_absolute() else root / spec
            parsed = read_case_file(file)
            if not parsed.ok or parsed.case is None:
                first = next((p for p in parsed.problems if p.level == "error"),
                             parsed.problems[0] if parsed.problems else None)
                errors.append(Problem(path, line, key, f"'{spec}': {first}"))
                continue
            warnings.extend(str(p) for p in parsed.problems)
            case = parsed.case
        if any(c.id == case.id for c in cases):
            errors.append(Problem(path, line, key, f"case '{case.id}' is listed twice"))
            continue
        cases.append(case)
    return cases, errors, warnings, public


def _include_problems(root: Path, include: list[str], text: str, path: str) -> list[Problem]:
    return _resolve_includes(root, include, text, path)[1]


def resolve_cases(root: Path, config: ExamConfig, text: str = "", path: str = CONFIG_NAME
                  ) -> tuple[list[Case], list[str], list[str]]:
    """(cases, warnings, bundled ids): the included cases in the order written, then the
    generated ones."""
    locate = KeyLocator(text)
    cases, errors, warnings, public = _resolve_includes(root, config.cases.include, text, path)
    gen = config.cases.generate
    if gen is not None:
        secret = read_secret(root)
        if secret is None:
            errors.append(Problem(
                str(root / SECRET_NAME), None, "",
                "missing or unreadable: generated patients are drawn with the exam's secret; "
                f"run 'vpatient exam init {root}' to create one (it changes nothing else)"))
        else:
            cases.extend(exam_patients(secret, gen))
    if errors:
        raise ExamError(errors)
    if not cases:
        raise ExamError([Problem(path, locate(("cases",)), "cases",
                                 "the exam has no cases: list some in 'include' or "
                                 "add 'generate'")])
    return cases, warnings, public


def list_students(root: Path) -> list[str]:
    folder = root / STUDENTS_DIR
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.pub") if STUDENT_ID.match(p.stem))


def student_keys_text(root: Path, student: str) -> str | None:
    """The student's authorized key lines, or None for an unknown student.

    Read on every login so that an instructor can add or fix a key without a restart.
    """
    if not STUDENT_ID.match(student):
        return None
    path = root / STUDENTS_DIR / f"{student}.pub"
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
