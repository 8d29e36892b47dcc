"""Parse a case file's text into a Case, or into a list of problems that say where and what.

Pure: takes bytes and the name to report; reading files and folders is ``vpatient.library``'s job.
Every problem is ``path:line: key: message`` (design §5); the limits, the TOML parsing, the lines
and the printing are ``core/tomlcheck.py``'s, shared with the exam and settings files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from vpatient.core.case import Case, semantic_problems
from vpatient.core.lesion import SITES
from vpatient.core.tomlcheck import LIMITS, Limits, Problem, check_toml

__all__ = ["ParsedCase", "Problem", "parse_case"]


@dataclass(frozen=True)
class ParsedCase:
    path: str
    case: Case | None
    problems: tuple[Problem, ...]
    # The line of a key path in the file (e.g. to point at ``id`` for a duplicate id).
    locate: Callable[[tuple], int | None] = field(default=lambda loc: 1, repr=False,
                                                   compare=False)

    @property
    def ok(self) -> bool:
        return self.case is not None and not any(p.level == "error" for p in self.problems)


def parse_case(data: bytes, path: str, limits: Limits = LIMITS) -> ParsedCase:
    if not data.strip():
        return ParsedCase(path, None, (Problem(
            path, 1, "", "the file is empty; a case needs at least id, title, [patient] and "
                         "[[lesions]]"),))
    checked = check_toml(data, Case, path, limits=limits,
                         unknown_key_hint="see `vpatient case schema`", tags=SITES,
                         checks=semantic_problems, describe=_describe)
    return ParsedCase(path, checked.value, checked.problems, checked.locate)


def _describe(error: dict) -> str | None:
    if error["type"] == "string_pattern_mismatch" and error["loc"] == ("id",):
        return "must be kebab-case: lowercase letters, digits and single hyphens"
    if error["type"] == "union_tag_not_found":
        return "a lesion needs a 'site'"
    return None
