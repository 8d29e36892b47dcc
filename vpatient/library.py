"""Loading case files and folders from disk; one bad file never stops the rest loading."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from vpatient.core.case import Case
from vpatient.core.casefile import ParsedCase, Problem, parse_case


def bundled_cases_dir() -> Path:
    """The library shipped with vpatient: inside the package when installed from a wheel, the
    repository's top-level ``cases/`` when running from a checkout (editable install)."""
    here = Path(__file__).resolve().parent
    installed = here / "_bundled_cases"
    return installed if installed.is_dir() else here.parent / "cases"


@dataclass
class CaseLibrary:
    cases: list[Case] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)  # case id -> file
    files_read: int = 0
    bad_files: set[str] = field(default_factory=set)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    def by_id(self, case_id: str) -> Case | None:
        return next((c for c in self.cases if c.id == case_id), None)

    def tags(self) -> list[str]:
        return sorted({t for c in self.cases for t in c.tags})


def _case_files(path: Path) -> Iterable[Path]:
    if path.is_dir():
        yield from sorted(p for p in path.rglob("*.toml") if p.is_file())
    else:
        yield path


def read_case_file(path: Path) -> ParsedCase:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ParsedCase(str(path), None, (Problem(str(path), None, "", "no such file"),))
    except IsADirectoryError:
        return ParsedCase(str(path), None, (Problem(str(path), None, "", "is a folder"),))
    except OSError as err:
        return ParsedCase(str(path), None,
                          (Problem(str(path), None, "", f"cannot read: {err.strerror}"),))
    return parse_case(data, str(path))


def load_library(paths: Iterable[Path | str]) -> CaseLibrary:
    """Every case under these files and folders; broken files are reported and skipped."""
    lib = CaseLibrary()
    for root in paths:
        root = Path(root)
        if not root.exists():
            lib.problems.append(Problem(str(root), None, "", "no such file or folder"))
            lib.bad_files.add(str(root))
            continue
        for file in _case_files(root):
            lib.files_read += 1
            parsed = read_case_file(file)
            lib.problems.extend(parsed.problems)
            if not parsed.ok or parsed.case is None:
                lib.bad_files.add(str(file))
                continue
            case = parsed.case
            if case.id in lib.paths:
                first = lib.paths[case.id]
                lib.problems.append(Problem(
                    str(file), 1, "id",
                    f"duplicate id '{case.id}': already used by {first}",
                ))
                lib.bad_files.add(str(file))
                continue
            lib.paths[case.id] = file
            lib.cases.append(case)
    return lib


def load_bundled() -> CaseLibrary:
    return load_library([bundled_cases_dir()])
