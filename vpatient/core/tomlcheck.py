"""TOML text + a pydantic model -> the value, or every problem with its line.

One helper for every TOML file vpatient reads: case files (``core/casefile.py``), ``exam.toml``
(``exam/config.py``) and the user's settings file. Pure: it takes the file's bytes and the name to
report; reading files is the caller's job (``vpatient.library.read_bounded`` reads regular files
only, and never more than the size limit).

What it guarantees, for any input whatsoever:

- no exception: hostile text (500 nested ``[``, a 5,000-digit integer, a 30,000-part dotted key,
  a megabyte of one string) is refused by limits checked on the raw text *before* the TOML
  parser sees it, so the parser can neither recurse too deep nor go quadratic;
- every problem has a line, including syntax errors at the end of the file (the line where the
  unclosed string or bracket opened), and a missing key (the line of the table it belongs in;
  line 1 for the top level);
- every problem prints as one printable line (control characters shown as ``\\u001b``) quoting
  at most about 200 characters of the offending value.

Example, a settings file::

    from typing import Literal
    from pydantic import BaseModel, ConfigDict
    from vpatient.core.tomlcheck import check_toml

    class Settings(BaseModel):
        model_config = ConfigDict(extra="forbid")
        difficulty: Literal["intro", "core", "advanced"] = "core"
        theme: str = "textual-dark"

    checked = check_toml(b'difficulty = "expert"\\n', Settings, "settings.toml",
                         unknown_key_hint="see the settings section of the README")
    checked.ok          # False
    print(checked.problems[0])
    # settings.toml:1: difficulty: must be 'intro', 'core' or 'advanced' (got 'expert')
    settings = checked.value or Settings()   # fall back to the defaults

``toml_problems(data, model, path)`` is the same check returning just the list of problems.
"""

from __future__ import annotations

import bisect
import re
import tomllib
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
Level = Literal["error", "warning"]

# --- printing: one printable line ----------------------------------------------------------------

QUOTE_CHARS = 200  # at most this much of a value is quoted in a message
_MESSAGE_CHARS = 300
_PATH_CHARS = 300
# Characters a terminal acts on instead of showing: controls (ESC, BEL, CR...), format characters
# (bidi overrides), line and paragraph separators, lone surrogates.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def printable(text: str) -> str:
    """``text`` with every character a terminal would act on escaped: ESC shows as \\u001b."""
    if text.isprintable():  # fast path; isprintable is stricter than needed, so re-check below
        return text
    out = []
    for char in text:
        if unicodedata.category(char) in _UNPRINTABLE:
            code = ord(char)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text`` cut to about ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit:,} more characters)"


# In text a student or instructor will see: no controls but newline and tab, no line or paragraph
# separators, no bidirectional overrides (which reorder what is shown, e.g. a title).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def control_character(text: str) -> str | None:
    """The first character of ``text`` that must not reach a screen, or None."""
    if text.isprintable():
        return None
    for char in text.replace("\r\n", "\n"):
        if char in "\n\t":
            continue
        if unicodedata.category(char) in ("Cc", "Zl", "Zp", "Cs") or char in _BIDI_CONTROLS:
            return char
    return None


def short_repr(value: object, limit: int = QUOTE_CHARS) -> str:
    """A value as quoted in a message: its repr, cut to about ``limit`` characters."""
    if isinstance(value, (list, dict)) and len(value) > limit:
        # Build the repr of a prefix only: a 50,000-element list costs nothing to quote.
        cut = list(value)[:limit] if isinstance(value, list) else dict(list(value.items())[:limit])
        return shorten(repr(cut), limit)
    return shorten(repr(value), limit)


# --- problems ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem in a file: ``path:line: key: message`` (a warning says so after the key).

    ``line`` is None only for problems with the file itself (missing, unreadable), never for its
    content. ``key`` is the dotted key path (``lesions[0].level``), or "" for the whole file.
    """

    path: str
    line: int | None
    key: str
    message: str
    level: Level = "error"

    def __str__(self) -> str:
        path = printable(self.path)
        if len(path) > _PATH_CHARS:  # keep the file name, cut the middle of the folders
            path = path[: _PATH_CHARS // 3] + "..." + path[-(2 * _PATH_CHARS) // 3:]
        where = f"{path}:{self.line}" if self.line else path
        prefix = "warning: " if self.level == "warning" else ""
        message = shorten(printable(self.message), _MESSAGE_CHARS)
        if self.key:
            return f"{where}: {shorten(printable(self.key), 100)}: {prefix}{message}"
        return f"{where}: {prefix}{message}"


@dataclass(frozen=True)
class Checked(Generic[M]):
    """The outcome of ``check_toml``: the validated value (None if any error) and problems."""

    value: M | None
    problems: tuple[Problem, ...]
    locate: Callable[[tuple], int | None] = field(repr=False, compare=False,
                                                   default=lambda loc: None)

    @property
    def ok(self) -> bool:
        return self.value is not None and not any(p.level == "error" for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]


# --- limits, checked on the raw text -----------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """What a TOML file may hold; generous for any hand-written file, tight for hostile ones."""

    max_bytes: int = 128 * 1024  # the largest bundled case is under 5 KB
    max_depth: int = 20  # arrays and inline tables inside each other
    max_key_parts: int = 16  # a.b.c = 1 has 3 parts; so has [a.b.c]
    max_bare_chars: int = 100  # a number (its digits) or a bare key
    max_string_chars: int = 20_000
    max_problems: int = 50  # reported per file; the rest are counted


LIMITS = Limits()

# One token per match; blanks and comments before a token are part of the match (skipped), so
# the Python loop sees only tokens that matter. Possessive quantifiers: linear on any input.
_TOKEN = re.compile(r"""
    (?:[ \t\r]++|\#[^\n]*+)*+
    (?:
      (?P<nl>\n)
    | (?P<mlbasic>\"\"\"(?:[^"\\]++|\\[\s\S]|"{1,2}(?!"))*+(?:(?P<mlbasic_end>"{3,5})|\Z))
    | (?P<mlliteral>'''(?:[^']++|'{1,2}(?!'))*+(?:(?P<mlliteral_end>'{3,5})|\Z))
    | (?P<basic>"(?:[^"\\\n]++|\\.)*+"?)
    | (?P<literal>'[^'\n]*+'?)
    | (?P<bare>[A-Za-z0-9_+\-:]++)
    | (?P<dot>\.)
    | (?P<open>[\[{])
    | (?P<close>[\]}])
    | (?P<eq>=)
    | (?P<comma>,)
    | (?P<other>[^\n \t\r\#"'A-Za-z0-9_+\-:.\[\]{}=,]++)
    | (?P<eof>\Z)
    )""", re.VERBOSE)

_STRINGS = frozenset({"basic", "literal", "mlbasic", "mlliteral"})
_MULTI_LINE = frozenset({"mlbasic", "mlliteral"})

# A token: (kind, text, offset in the text, closed). ``closed`` is False only for a multi-line
# string that runs to the end of the text. Plain tuples: a hostile file has 100,000s of tokens.
_Token = tuple[str, str, int, bool]


def _tokens(text: str) -> Iterable[_Token]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup  # the outer group: it closes last
        if kind is None or kind == "eof":  # blanks or a comment at the end of the text
            continue
        closed = kind not in _MULTI_LINE or match.group(f"{kind}_end") is not None
        yield kind, match.group(kind), match.start(kind), closed


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


@dataclass
class _Scan:
    """What the raw-text scan learned: limit problems, and where unclosed things opened."""

    problems: list[tuple[int, str]] = field(default_factory=list)
    unclosed_string: int | None = None  # line of a multi-line string that never closes
    open_brackets: list[int] = field(default_factory=list)  # line of the first unclosed [ or {
    tokens: list[_Token] = field(default_factory=list)  # for the key locator, read once


def _scan(text: str, limits: Limits) -> _Scan:
    """One linear pass over the text, checking every limit before the TOML parser runs."""
    seen: set[str] = set()
    problems: list[tuple[int, str]] = []  # (offset, message)

    def problem(kind: str, offset: int, message: str) -> None:
        if kind not in seen:  # the first of each kind is enough to fix the file
            seen.add(kind)
            problems.append((offset, message))

    key_parts = 1
    brackets: list[int] = []  # offsets of the open [ and {
    unclosed: int | None = None
    tokens = list(_tokens(text))
    for kind, token, offset, closed in tokens:
        if kind in _STRINGS:
            length = len(token) - (6 if kind in _MULTI_LINE else 2)
            if length > limits.max_string_chars:
                problem("string", offset, f"a string of {length:,} characters (at most "
                                          f"{limits.max_string_chars:,})")
            if not closed:
                unclosed = offset
        elif kind == "dot":
            key_parts += 1
            if key_parts > limits.max_key_parts:
                problem("key", offset, f"a dotted key of more than {limits.max_key_parts} parts")
        elif kind == "bare":
            if len(token) > limits.max_bare_chars:
                what = "number" if token[0] in "0123456789+-" else "bare key"
                problem("bare", offset, f"a {what} of {len(token):,} characters (at most "
                                        f"{limits.max_bare_chars}): {shorten(token, 40)}")
        else:
            key_parts = 1  # anything else ends a dotted key
            if kind == "open":
                brackets.append(offset)
                if len(brackets) > limits.max_depth:
                    problem("depth", offset,
                            f"arrays or tables nested more than {limits.max_depth} deep")
            elif kind == "close" and brackets:
                brackets.pop()
        if len(seen) == 4:
            break
    return _Scan([(_line_at(text, offset), message) for offset, message in problems],
                 None if unclosed is None else _line_at(text, unclosed),
                 [_line_at(text, offset) for offset in brackets[:1]], tokens)


# --- where a key is: the line of every key path ------------------------------------------------


_ERRORS_READ = 1000  # pydantic errors turned into problems, at most

# Items of one array given their own line; later ones are located at the array (a hostile
# file can hold 100,000 items, and no one reads that many problems).
_ARRAY_ITEMS_LOCATED = 1000


class KeyLocator:
    """The line of any key path in a TOML text: ``locate(("lesions", 1, "level"))`` -> 23.

    Built from the tokens, so multi-line strings, dotted keys, inline tables, arrays and arrays
    of tables all count correctly. A path that is not in the text (a missing key) gets the line
    of the nearest enclosing table that is: the place to add it (line 1 for the top level).
    Meant for text that parsed; on anything else it still answers, only less precisely.
    """

    def __init__(self, text: str, tokens: list[_Token] | None = None) -> None:
        self.lines: dict[tuple, int] = {(): 1}
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self._tokens = list(_tokens(text)) if tokens is None else tokens
        self._arrays_of_tables: dict[tuple, int] = {}
        self._read_document()
        del self._tokens, self._newlines

    def __call__(self, loc: tuple) -> int | None:
        loc = tuple(loc)
        while loc not in self.lines:
            loc = loc[:-1]
        return self.lines[loc]

    # The reader: a small recursive descent over the tokens, recording first occurrences.
    def _record(self, path: tuple, offset: int) -> None:
        line = 0
        for end in range(1, len(path) + 1):
            if path[:end] not in self.lines:
                line = line or bisect.bisect_right(self._newlines, offset) + 1
                self.lines[path[:end]] = line

    def _at(self, i: int) -> _Token | None:
        return self._tokens[i] if i < len(self._tokens) else None

    def _read_document(self) -> None:
        table: tuple = ()
        i = 0
        while (token := self._at(i)) is not None:
            if token[0] == "nl":
                i += 1
                continue
            if token[0] == "open" and token[1] == "[":
                table, i = self._read_header(i)
            else:
                i = self._read_key_value(i, table)
            while (token := self._at(i)) is not None and token[0] != "nl":
                i += 1  # whatever is left on the line (only in text that did not parse)

    def _read_header(self, i: int) -> tuple[tuple, int]:
        offset = self._tokens[i][2]
        nxt = self._at(i + 1)
        double = nxt is not None and nxt[0] == "open" and nxt[1] == "["
        parts, i = self._read_key(i + (2 if double else 1))
        if double:
            parent = self._resolve(parts[:-1]) + parts[-1:]
            index = self._arrays_of_tables.get(parent, 0)
            self._arrays_of_tables[parent] = index + 1
            table = (*parent, index)
        else:
            table = self._resolve(parts)
        self._record(table, offset)
        return table, i

    def _resolve(self, parts: tuple) -> tuple:
        """A header's path with the current index of each array of tables it passes through."""
        out: tuple = ()
        for part in parts:
            out = (*out, part)
            if out in self._arrays_of_tables:
                out = (*out, self._arrays_of_tables[out] - 1)
        return out

    def _read_key(self, i: int) -> tuple[tuple, int]:
        parts: list[str] = []
        while (token := self._at(i)) is not None:
            if token[0] in ("bare", *_STRINGS):
                parts.append(_key_text(token))
            elif token[0] != "dot":
                break
            i += 1
        return tuple(parts), i

    def _read_key_value(self, i: int, table: tuple) -> int:
        offset = self._tokens[i][2]
        parts, i = self._read_key(i)
        if not parts:
            return i + 1
        path = (*table, *parts)
        self._record(path, offset)
        token = self._at(i)
        if token is None or token[0] != "eq":
            return i
        return self._read_value(i + 1, path)

    def _read_value(self, i: int, path: tuple) -> int:
        token = self._at(i)
        if token is None:
            return i
        if token[0] == "open" and token[1] == "{":
            i += 1
            while (token := self._at(i)) is not None and token[1] != "}":
                if token[0] in ("comma", "nl"):
                    i += 1
                else:
                    i = self._read_key_value(i, path)  # always moves on
            return i + 1
        if token[0] == "open":  # an array
            i += 1
            index = 0
            while (token := self._at(i)) is not None and token[1] != "]":
                if token[0] == "nl":
                    i += 1
                elif token[0] == "comma":
                    index += 1
                    i += 1
                elif index >= _ARRAY_ITEMS_LOCATED:
                    return self._skip_to_close(i)
                else:
                    self._record((*path, index), token[2])
                    start = i
                    i = max(self._read_value(i, (*path, index)), start + 1)
            return i + 1
        # A scalar: may span several tokens (1.5 is bare, dot, bare; a date and a time).
        while (token := self._at(i)) is not None and token[0] not in ("comma", "close", "nl"):
            i += 1
        return i

    def _skip_to_close(self, i: int) -> int:
        """Past the bracket that closes the array or table ``i`` is in."""
        depth, tokens = 1, self._tokens
        while i < len(tokens):
            kind = tokens[i][0]
            if kind == "open":
                depth += 1
            elif kind == "close":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return i


def _key_text(token: _Token) -> str:
    kind, text = token[0], token[1]
    if kind == "bare":
        return text
    try:
        return str(tomllib.loads(f"k = {text}")["k"])
    except tomllib.TOMLDecodeError:
        return text.strip("\"'")


# --- from pydantic's errors to problems --------------------------------------------------------

# Parts of pydantic's error locations that name a union member, not a key in the file.
_UNION_TAG = re.compile(r"^(str|int|float|bool|none|literal\[.*\]|list\[.*\]|dict\[.*\]|"
                        r"tuple\[.*\]|set\[.*\]|function-\w+\[.*\]|tagged-union\[.*\]|"
                        r"nullable\[.*\]|union\[.*\]|json-or-python\[.*\]|chain\[.*\]|"
                        r"lax-or-strict\[.*\]|default\[.*\]|model\[.*\]|\w+\[.*\])$")


def _file_loc(loc: tuple, raw: Any, tags: Collection[str]) -> tuple:
    """Pydantic's location of an error -> the key path in the file, by walking the data.

    A part that is not a key of the data at that point is a union member's name (``root`` in
    ``lesions.0.root.level``; ``literal[...]``), unless it is the last part: then it names a
    missing or unknown key.
    """
    out: list = []
    current = raw
    for n, part in enumerate(loc):
        last = n == len(loc) - 1
        if isinstance(current, dict) and isinstance(part, str):
            if part in current:
                out.append(part)
                current = current[part]
            elif not last or _UNION_TAG.match(part) or part in tags:
                continue
            else:
                out.append(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            out.append(part)
            current = current[part]
        elif isinstance(part, str) and (_UNION_TAG.match(part) or part in tags):
            continue
        else:  # inside a scalar: pydantic's own parts (e.g. a list item's type)
            break
    return tuple(out)


def dotted(loc: tuple) -> str:
    """A key path as written in messages: ``lesions[0].level``, ``findings."reflex.left.knee"``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = str(part)
            if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
                name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
            text += ("." if text else "") + name
    return text


def describe_error(error: dict, unknown_key_hint: str = "") -> str:
    """A pydantic error as a message for an instructor; the offending value quoted, cut short."""
    kind, msg = error["type"], error["msg"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return "unknown key (check the spelling" + (f"; {unknown_key_hint})" if unknown_key_hint
                                                     else ")")
    if kind == "missing":
        return "required key is missing"
    discriminator = str(ctx.get("discriminator", "")).strip("'") or "kind"
    if kind == "union_tag_invalid":
        return f"unknown {discriminator} {short_repr(ctx.get('tag'))}; use one of: " \
               f"{ctx.get('expected_tags', '')}"
    if kind == "union_tag_not_found":
        return f"needs a '{discriminator}'"
    msg = msg.removeprefix("Value error, ").replace("Input should be", "must be")
    msg = msg[0].lower() + msg[1:] if msg else kind
    # Pydantic's own checks do not say what they got; the file's own checks already do.
    if _QUOTES_INPUT.match(kind) and not isinstance(error.get("input"), dict):
        msg += f" (got {short_repr(error.get('input'))})"
    return msg


_QUOTES_INPUT = re.compile(r"^(literal_error|enum|.*_type|.*_parsing|greater_than.*|less_than.*|"
                           r"too_short|too_long|string_too_.*|finite_number|multiple_of|"
                           r"int_from_float|string_pattern_mismatch)$")


# --- the check ---------------------------------------------------------------------------------

ExtraChecks = Callable[[Any], Iterable[tuple[tuple, str, Level]]]


def check_toml(
    data: bytes | str,
    model: type[M],
    path: str,
    *,
    limits: Limits = LIMITS,
    unknown_key_hint: str = "",
    tags: Collection[str] = (),
    checks: ExtraChecks | None = None,
    describe: Callable[[dict], str | None] | None = None,
    allow_control_characters: bool = False,
) -> Checked[M]:
    """Parse and validate a TOML file; every problem located, none raised.

    - ``data``: the file's bytes (UTF-8; a byte-order mark is allowed) or text.
    - ``model``: the pydantic model of the whole file (use ``extra="forbid"`` to catch typos).
    - ``path``: the name the problems report.
    - ``unknown_key_hint``: where to look up the keys, added to "unknown key" messages.
    - ``tags``: names of union members (e.g. the sites of a tagged union of lesions) that
      pydantic puts in error locations; they are left out of the reported key path.
    - ``checks(value)``: further checks on a valid value, as ``(key path, message, level)``;
      level ``"warning"`` keeps the value.
    - ``describe(error)``: a message of your own for a pydantic error, or None for the default.
    - ``allow_control_characters``: by default a string or key holding a control character
      (ESC, BEL, CR alone...) or a bidirectional override is an error, since titles, histories
      and names end up on terminals.

    Problems come in reading order (by line), at most ``limits.max_problems`` of them plus one
    that counts the rest.
    """

    def fail(line: int, message: str) -> Checked[M]:
        return Checked(None, (Problem(path, line, "", message),))

    if isinstance(data, str):
        text = data
        if len(text) > limits.max_bytes:  # a str, so count what it would be on disk
            data = text.encode("utf-8", "surrogatepass")
    if isinstance(data, bytes):
        if len(data) > limits.max_bytes:
            line = data.count(b"\n", 0, limits.max_bytes) + 1
            return fail(line, f"the file is larger than {limits.max_bytes:,} bytes (the limit "
                              "is reached on this line)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            return fail(line, f"not UTF-8 text (byte 0x{data[err.start]:02x}); save the file "
                              "as UTF-8")
    scan = _scan(text, limits)
    if scan.problems:
        return Checked(None, tuple(Problem(path, line, "", message)
                                   for line, message in sorted(scan.problems)))
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        return fail(*_syntax_problem(str(err), text, scan))
    except (RecursionError, ValueError, OverflowError, MemoryError) as err:
        # The limits above are meant to make this unreachable; never a traceback regardless.
        return fail(1, f"not valid TOML: too complex to read ({type(err).__name__})")

    locator: KeyLocator | None = None

    def locate(loc: tuple) -> int | None:
        nonlocal locator
        if locator is None:  # only built when there is something to point at
            locator = KeyLocator(text, scan.tokens)
        return locator(loc)

    def problem(loc: tuple, message: str, level: Level = "error") -> tuple[tuple, Problem]:
        line = locate(loc)
        assert locator is not None
        # Reading order; a missing key (pointed at its table) after the keys that are there.
        return (loc not in locator.lines, line or 0), \
            Problem(path, line, dotted(loc), message, level)

    # Control characters first: where a key has one, that is the problem to report there.
    found: dict[tuple, tuple[tuple, Problem]] = {} if allow_control_characters else {
        loc: problem(loc, message) for loc, message in _control_characters(raw, ())}
    try:
        value = model.model_validate(raw)
    except ValidationError as err:
        # Pydantic lists errors in the model's order, which is close to the file's: the first
        # ones are enough to report, and reading 60,000 of them would take seconds.
        errors = err.errors(include_url=False)
        unread = max(0, len(errors) - _ERRORS_READ)
        for error in errors[:_ERRORS_READ]:
            loc = error["loc"]
            ctx = error.get("ctx") or {}
            if isinstance(ctx.get("field"), str):  # a check that names the key it is about
                loc = (*loc, ctx["field"])
            elif error["type"] in ("union_tag_invalid", "union_tag_not_found") and \
                    isinstance(ctx.get("discriminator"), str):
                loc = (*loc, ctx["discriminator"].strip("'"))
            loc = _file_loc(loc, raw, tags)
            message = (describe(error) if describe else None) or \
                describe_error(error, unknown_key_hint)
            # A value failing a union (a value or a list) fails each member: report it once.
            if loc not in found:
                found[loc] = problem(loc, message)
        return Checked(None, _bounded(list(found.values()), limits, unread), locate)
    extra = [*found.values(), *(problem(loc, message, level)
                                for loc, message, level in (checks(value) if checks else ()))]
    errors = any(p.level == "error" for _, p in extra)
    return Checked(None if errors else value, _bounded(extra, limits), locate)


def _control_characters(value: Any, loc: tuple) -> Iterable[tuple[tuple, str]]:
    if isinstance(value, str):
        if (char := control_character(value)) is not None:
            yield loc, f"contains a control character ({printable(char)}); remove it"
    elif isinstance(value, dict):
        for key, item in value.items():
            if (char := control_character(key)) is not None:
                yield (*loc, key), f"a key with a control character ({printable(char)})"
            else:
                yield from _control_characters(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _control_characters(item, (*loc, index))


def toml_problems(data: bytes | str, model: type[BaseModel], path: str,
                  **options: Any) -> list[Problem]:
    """Only the problems of ``check_toml`` (same arguments); empty when the file is valid."""
    return list(check_toml(data, model, path, **options).problems)


_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)|\s*\(at end of document\)")


def _syntax_problem(message: str, text: str, scan: _Scan) -> tuple[int, str]:
    match = _POSITION.search(message)
    what = _POSITION.sub("", message).strip()
    if match and match.group(1):
        return int(match.group(1)), f"not valid TOML: {what}"
    # At the end of the file: point where the unclosed thing opened.
    if scan.unclosed_string is not None:
        return scan.unclosed_string, f"not valid TOML: {what} (the string that opens on this " \
                                     "line is never closed)"
    if scan.open_brackets:
        return scan.open_brackets[0], f"not valid TOML: {what} (the bracket that opens on " \
                                      "this line is never closed)"
    last_line = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
    return last_line, f"not valid TOML: {what} (at the end of the file)"


def _bounded(problems: list[tuple[tuple, Problem]], limits: Limits,
             unread: int = 0) -> tuple[Problem, ...]:
    """The first ``max_problems`` in reading order, and one line counting the rest."""
    ordered = [p for _, p in sorted(problems, key=lambda item: item[0])]
    if len(ordered) <= limits.max_problems and not unread:
        return tuple(ordered)
    rest = ordered[limits.max_problems:]
    where = rest[0] if rest else ordered[-1]
    more = Problem(where.path, where.line, "",
                   f"and {len(rest) + unread:,} more problems (fix the ones above first)")
    return (*ordered[: limits.max_problems], more)
