"""An exam folder: ``exam.toml``, ``students/*.pub``, and the cases every student sits.

Validation is as strict as for case files (design §5): unknown keys are errors, and every problem
reads ``exam.toml:line: key: message``. Cases resolve in the order written: bundled ids and case
files from ``include`` first, then the generated patients, which are the same for every student
because they come from one seed.
"""

from __future__ import annotations

import re
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
# A student id is also an SSH user name and a file name: keep it to what both accept safely.
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

EXAM_TEMPLATE = """\
# A vpatient exam. See docs/exam.md, or `vpatient exam --help`.
title = "Neuro block, week 3"
time_limit_minutes = 30          # counted per student from first login, on the server's clock
feedback = "end"                 # end | never | immediate

[cases]
# Bundled case ids (see `vpatient case show ID`) or case files, relative to this folder.
include = ["capsular-stroke-chronic"]
# Optional generated patients, the same for every student:
# generate = { count = 4, seed = 2026, difficulty = "core" }
"""

README_TEMPLATE = """\
vpatient exam folder: edit exam.toml (title, time limit, feedback, cases); put each student's \
OpenSSH public key(s) in students/ID.pub (they log in as `ssh -p 2222 ID@host`); serve with \
`vpatient serve .`; results go to results.sqlite (`vpatient exam results . --csv`), crash logs \
to logs/.
"""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Generate(_Strict):
    count: int = Field(ge=1, le=100)
    seed: int
    difficulty: Difficulty = "core"


class CasesSection(_Strict):
    include: list[str] = Field(default_factory=list)
    generate: Generate | None = None


class ExamConfig(_Strict):
    title: str = Field(min_length=1)
    time_limit_minutes: float = Field(gt=0, le=24 * 60)
    feedback: Literal["end", "never", "immediate"] = "end"
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
    """Create an exam folder; refuses to overwrite an existing ``exam.toml``."""
    if (root / CONFIG_NAME).exists():
        raise ExamError([f"{root / CONFIG_NAME}: already exists; not overwriting it"])
    if root.exists() and not root.is_dir():
        raise ExamError([f"{root}: exists and is not a folder"])
    root.mkdir(parents=True, exist_ok=True)
    (root / STUDENTS_DIR).mkdir(exist_ok=True)
    made = [root / CONFIG_NAME, root / "README.txt", root / STUDENTS_DIR]
    (root / CONFIG_NAME).write_text(EXAM_TEMPLATE, encoding="utf-8")
    (root / "README.txt").write_text(README_TEMPLATE, encoding="utf-8")
    return made


def parse_config(text: str | bytes, path: str = CONFIG_NAME) -> ExamConfig:
    """The exam's settings; every problem in the file at once, each with its line."""
    checked = check_toml(text, ExamConfig, path, unknown_key_hint="see docs/exam.md")
    if checked.value is None:
        raise ExamError(list(checked.problems))
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
    cases, problems = resolve_cases(root, config, text, str(path))
    return Exam(root=root, config=config, cases=cases, problems=problems)


def resolve_cases(root: Path, config: ExamConfig, text: str = "",
                  path: str = CONFIG_NAME) -> tuple[list[Case], list[str]]:
    from vpatient.core.generator import generate_patients
    from vpatient.library import load_bundled, read_case_file

    locate = KeyLocator(text)
    line = locate(("cases", "include"))
    errors: list[Problem] = []
    warnings: list[str] = []
    cases: list[Case] = []
    bundled = None
    for spec in config.cases.include:
        key = "cases.include"
        is_path = spec.endswith(".toml") or "/" in spec or "\\" in spec
        if not is_path:
            bundled = bundled or load_bundled()
            case = bundled.by_id(spec)
            if case is None:
                errors.append(Problem(path, line, key, f"no bundled case with id '{spec}' "
                                      "(a file path must end in .toml)"))
                continue
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
    gen = config.cases.generate
    if gen is not None:
        cases.extend(generate_patients(gen.seed, gen.count, gen.difficulty))
    if errors:
        raise ExamError(errors)
    if not cases:
        raise ExamError([Problem(path, locate(("cases",)), "cases",
                                 "the exam has no cases: list some in 'include' or "
                                 "add 'generate'")])
    return cases, warnings


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
