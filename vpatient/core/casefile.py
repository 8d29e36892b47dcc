"""Parse a case file's text into a Case, or into a list of problems that say where and what.

Pure: takes bytes and the name to report; reading files and folders is ``vpatient.library``'s job.
Every problem is ``path:line: key: message`` (design §5): the line from the TOML parser for syntax
errors, and for model errors the line of the offending key, found by locating it in the text.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Literal

from pydantic import ValidationError

from vpatient.core.case import Case, semantic_problems
from vpatient.core.lesion import SITES

if sys.version_info >= (3, 11):  # noqa: UP036 - tomli keeps older Pythons working
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    key: str
    message: str
    level: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.level == "warning" else ""
        return f"{where}: {self.key}: {prefix}{self.message}" if self.key else \
            f"{where}: {prefix}{self.message}"


@dataclass(frozen=True)
class ParsedCase:
    path: str
    case: Case | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return self.case is not None and not any(p.level == "error" for p in self.problems)


_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


def parse_case(data: bytes, path: str) -> ParsedCase:
    def fail(message: str, line: int | None = None, key: str = "") -> ParsedCase:
        return ParsedCase(path, None, (Problem(path, line, key, message),))

    if not data.strip():
        return fail("the file is empty; a case needs at least id, title, [patient] and "
                    "[[lesions]]")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return fail(f"not UTF-8 text (byte 0x{data[err.start]:02x}); save the file as UTF-8",
                    line)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        match = _TOML_POSITION.search(message)
        line = int(match.group(1)) if match else None
        return fail(f"not valid TOML: {_TOML_POSITION.sub('', message).strip()}", line)
    locate = _KeyLocator(text)
    try:
        case = Case.model_validate(raw)
    except ValidationError as err:
        problems: dict[tuple, Problem] = {}
        for error in err.errors(include_url=False):
            loc = _clean_loc(error["loc"])
            if field := (error.get("ctx") or {}).get("field"):
                loc = (*loc, field)
            elif error["type"] in ("union_tag_invalid", "union_tag_not_found"):
                loc = (*loc, "site")
            # A value failing a union (value or list) fails each member: report it once.
            problems.setdefault(loc, Problem(path, locate(loc), _dotted(loc), _message(error)))
        ordered = sorted(problems.values(), key=_reading_order)
        return ParsedCase(path, None, tuple(ordered))
    problems = sorted(
        (Problem(path, locate(loc), _dotted(loc), message, level)  # type: ignore[arg-type]
         for loc, message, level in semantic_problems(case)),
        key=_reading_order,
    )
    errors = any(p.level == "error" for p in problems)
    return ParsedCase(path, None if errors else case, tuple(problems))


def _reading_order(problem: Problem) -> tuple[bool, int]:
    """By line; problems with no line (a missing key) after those with one."""
    return (problem.line is None, problem.line or 0)


def _clean_loc(loc: tuple) -> tuple:
    """Drop pydantic's union tags: ``lesions.0.root.level`` -> ``lesions.0.level``, and
    ``answer.side.literal[...]`` -> ``answer.side``."""
    out: list = []
    for i, part in enumerate(loc):
        if i == 2 and loc[0] == "lesions" and part in SITES:
            continue
        if isinstance(part, str) and part.startswith(("literal[", "list[", "str", "function-")):
            continue
        out.append(part)
    return tuple(out)


def _dotted(loc: tuple) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + (f'"{part}"' if "." in part else part)
    return text


def _message(error: dict) -> str:
    kind, msg = error["type"], error["msg"]
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see `vpatient case schema`)"
    if kind == "missing":
        return "required key is missing"
    if kind == "union_tag_invalid":
        tag = (error.get("ctx") or {}).get("tag")
        return f"unknown site '{tag}'; use one of: " + (error.get("ctx") or {}).get(
            "expected_tags", "")
    if kind == "union_tag_not_found":
        return "a lesion needs a 'site'"
    if kind in ("literal_error", "enum"):
        return f"{msg.replace('Input should be', 'must be')} (got {error.get('input')!r})"
    if kind == "string_pattern_mismatch" and error["loc"] == ("id",):
        return "must be kebab-case: lowercase letters, digits and single hyphens"
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return msg[0].lower() + msg[1:] if msg else kind


class _KeyLocator:
    """Finds the line of a key path (``("lesions", 1, "level")``) in TOML text."""

    _HEADER = re.compile(r"^\s*\[(\[)?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(r'^\s*("([^"]+)"|\'([^\']+)\'|[A-Za-z0-9_.-]+)\s*=')

    def __init__(self, text: str) -> None:
        # (line number, table path, index within an array of tables, key) for every key line.
        self.entries: list[tuple[int, str, int, str]] = []
        self.headers: list[tuple[int, str, int]] = []
        counts: dict[str, int] = {}
        table, index = "", 0
        for number, line in enumerate(text.splitlines(), start=1):
            header = self._HEADER.match(line)
            if header:
                table = header.group(2).strip()
                if header.group(1):
                    index = counts.get(table, 0)
                    counts[table] = index + 1
                else:
                    index = 0
                self.headers.append((number, table, index))
                continue
            key = self._KEY.match(line)
            if key:
                name = key.group(2) or key.group(3) or key.group(1)
                self.entries.append((number, table, index, name))

    def __call__(self, loc: tuple) -> int | None:
        if not loc:
            return None
        head, rest = loc[0], loc[1:]
        index = rest[0] if rest and isinstance(rest[0], int) else 0
        if rest and isinstance(rest[0], int):
            rest = rest[1:]
        key = rest[0] if rest else None
        if key is not None and not isinstance(key, str):
            key = None
        for number, table, i, name in self.entries:
            if key is not None and table == head and i == index and name == key:
                return number
        for number, table, _i, name in self.entries:  # a top-level key, or a dotted/inline one
            if table == "" and name in (head, f"{head}.{key}" if key else head):
                return number
        for number, table, i in self.headers:
            if table == head and i == index:
                return number
        return None
