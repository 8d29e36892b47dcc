"""A seeded fuzzer of case files: mutations of the bundled cases.

Shared by the bounded suite test (``tests/fuzz/test_fuzz_cases.py``) and the long run
(``benchmarks/fuzz_cases.py``). Each mutation is a function ``(data, rng) -> data`` on the file's
bytes (bytes, so that invalid UTF-8 can be injected); a fuzzed file applies one to four of them
to one bundled case. The mutation kinds follow what the adversarial test of issue 16 found:
syntax damage, huge and deep values, wrong types, control characters and unicode.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

Mutation = Callable[[bytes, random.Random], bytes]

# A line holding ``key = value`` (the value on the same line).
_ASSIGNMENT = re.compile(rb"^([A-Za-z_\"][^=\n]*?)\s*=\s*(.+)$", re.MULTILINE)


def _assignments(data: bytes) -> list[re.Match[bytes]]:
    return list(_ASSIGNMENT.finditer(data))


def _replace_value(data: bytes, rng: random.Random, value: bytes) -> bytes:
    found = _assignments(data)
    if not found:
        return data + b"\nx = " + value + b"\n"
    match = rng.choice(found)
    return data[: match.start(2)] + value + data[match.end(2):]


def _insert_line(data: bytes, rng: random.Random, line: bytes) -> bytes:
    lines = data.split(b"\n")
    at = rng.randrange(len(lines) + 1)
    return b"\n".join([*lines[:at], line, *lines[at:]])


def _insert_at(data: bytes, rng: random.Random, piece: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + piece + data[at:]


# --- syntax damage -----------------------------------------------------------------------------

def delete_span(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 40):]


def insert_punctuation(data: bytes, rng: random.Random) -> bytes:
    piece = rng.choice([b"=", b"[", b"]", b"[[", b"]]", b'"', b'"""', b"'''", b"{", b"}",
                        b",", b".", b"#", b"\\", b"\n", b"= =", b'\\u12', b"\t"])
    return _insert_at(data, rng, piece)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def duplicate_line(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    return b"\n".join([*lines[: i + 1], lines[i], *lines[i + 1:]])


def swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def unterminated_string(data: bytes, rng: random.Random) -> bytes:
    return _replace_value(data, rng, rng.choice([b'"open', b'"""open', b"'''open", b"'open"]))


def broken_header(data: bytes, rng: random.Random) -> bytes:
    return _insert_line(data, rng, rng.choice([b"[patient", b"[[lesions]", b"[]", b"[[]]",
                                               b"[a..b]", b"[ answer ] x", b"[[patient]]",
                                               b"[lesions]", b"[teaching.points]"]))


# --- huge and deep values ----------------------------------------------------------------------

def huge_integer(data: bytes, rng: random.Random) -> bytes:
    digits = rng.choice([400, 4301, 5000, 20000])
    prefix = rng.choice([b"", b"-", b"+", b"0x", b"0o", b"0b"])
    alphabet = {b"0x": b"0123456789abcdef", b"0o": b"01234567", b"0b": b"01"}.get(
        prefix, b"0123456789")
    body = bytes(rng.choice(alphabet[1:]) for _ in range(1)) + bytes(
        rng.choice(alphabet) for _ in range(digits - 1))
    return _replace_value(data, rng, prefix + body)


def huge_float(data: bytes, rng: random.Random) -> bytes:
    return _replace_value(data, rng, rng.choice([b"1e400", b"-1e400", b"inf", b"nan", b"-0.0",
                                                 b"1." + b"9" * 5000, b"1e-400"]))


def huge_string(data: bytes, rng: random.Random) -> bytes:
    size = rng.choice([300, 5000, 200_000, 2_000_000])
    return _replace_value(data, rng, b'"' + b"a" * size + b'"')


def huge_array(data: bytes, rng: random.Random) -> bytes:
    count = rng.choice([1000, 50_000])
    return _replace_value(data, rng, b"[" + b",".join([b'"x"'] * count) + b"]")


def deep_array(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice([50, 500, 5000])
    closed = rng.random() < 0.5
    return _replace_value(data, rng, b"[" * depth + (b"]" * depth if closed else b""))


def deep_inline_table(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice([50, 500, 3000])
    return _replace_value(data, rng, b"{a = " * depth + b"1" + b"}" * depth)


def long_dotted_key(data: bytes, rng: random.Random) -> bytes:
    parts = rng.choice([100, 3000, 30_000])
    key = b".".join(b"k" for _ in range(parts))
    return _insert_line(data, rng, key + b" = 1")


def long_header(data: bytes, rng: random.Random) -> bytes:
    parts = rng.choice([100, 10_000])
    return data + b"\n[" + b".".join([b"t"] * parts) + b"]\nx = 1\n"


def many_lesions(data: bytes, rng: random.Random) -> bytes:
    count = rng.choice([200, 5000])
    block = b'\n[[lesions]]\nsite = "nmj"\nside = "bilateral"\nonset_days = 3\n' \
            b'severity = "mild"\n'
    return data + block * count


def many_lines(data: bytes, rng: random.Random) -> bytes:
    return data + b"\n" * rng.choice([10_000, 2_000_000])


def long_line(data: bytes, rng: random.Random) -> bytes:
    return _insert_line(data, rng, b"# " + b"x" * rng.choice([10_000, 500_000]))


def near_limits(data: bytes, rng: random.Random) -> bytes:
    """Just inside the limits of core/tomlcheck.py, so the parser and the model do run."""
    choice = rng.randrange(5)
    if choice == 0:
        return _replace_value(data, rng, b"[" * 19 + b"1" + b"]" * 19)
    if choice == 1:
        return _insert_line(data, rng, b".".join([b"k"] * 16) + b" = 1")
    if choice == 2:
        return _replace_value(data, rng, b"9" * 100)
    if choice == 3:
        return _replace_value(data, rng, b'"' + b"b" * 19_999 + b'"')
    return _insert_line(data, rng, b"k" * 100 + b" = 1")


# --- wrong types -------------------------------------------------------------------------------

def wrong_type(data: bytes, rng: random.Random) -> bytes:
    value = rng.choice([b"[]", b"{}", b"true", b"1", b"-1", b"0", b"3.5", b'""', b'" "',
                        b"1979-05-27", b"07:32:00", b"1979-05-27T07:32:00Z", b"[[]]",
                        b"[1, 2]", b'["a", 1]', b"{x = 1}", b"[{}]", b'"UMN"', b'["UMN"]',
                        b'"C4"', b'"fatal"', b'"bilateral"', b"nan"])
    return _replace_value(data, rng, value)


def unknown_key(data: bytes, rng: random.Random) -> bytes:
    key = rng.choice([b"titel", b"Age", b'"a.b"', b"answer.neuron", b"lesions", b"patient",
                      b"findings.x", b'"reflex.left.knee"', b"1234", b"-", b"_"])
    return _insert_line(data, rng, key + b" = 1")


def delete_line(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def empty_answer_list(data: bytes, rng: random.Random) -> bytes:
    field = rng.choice([b"neuron", b"site", b"side", b"level"])
    return data + b"\n[answer]\n" + field + b" = []\n"


# --- control characters and unicode ------------------------------------------------------------

_CONTROL = [b"\x1b]0;PWNED\x07", b"\x1b[2J", b"\x00", b"\r", b"\x7f", b"\x08", b"\x0c",
            b"\x1b", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xae"]


def control_in_value(data: bytes, rng: random.Random) -> bytes:
    piece = rng.choice(_CONTROL)
    escaped = rng.choice([piece, b"\\u001b]0;PWNED\\u0007\\u001b[2J", b"\\u0000", b"\\r\\n"])
    return _replace_value(data, rng, b'"' + escaped + b'x"')


def control_in_key(data: bytes, rng: random.Random) -> bytes:
    name = rng.choice([b'"\\u001b]0;PWNED\\u0007\\u001b[2J"', b'"a\\nb"', b'"\\u202e"',
                       b'"' + rng.choice(_CONTROL) + b'"'])
    return _insert_line(data, rng, name + b" = 1")


def control_raw(data: bytes, rng: random.Random) -> bytes:
    return _insert_at(data, rng, rng.choice(_CONTROL))


def unicode_text(data: bytes, rng: random.Random) -> bytes:
    text = rng.choice(["é", "日本語", "🧠", "\u0301" * 50, "ß", "İ", "\ufeff", "\u200d",
                       "Ω" * 1000])
    return _replace_value(data, rng, ('"' + text + '"').encode())


def invalid_utf8(data: bytes, rng: random.Random) -> bytes:
    return _insert_at(data, rng, rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xc0\xaf",
                                             b"\xf8\x88\x80\x80\x80", b"\xef\xbb\xbf"]))


def unicode_key(data: bytes, rng: random.Random) -> bytes:
    return _insert_line(data, rng, rng.choice(["ключ = 1", "\"🧠\" = 2", "é = 3"]).encode())


MUTATIONS: tuple[Mutation, ...] = (
    delete_span, insert_punctuation, truncate, duplicate_line, swap_lines, unterminated_string,
    broken_header, huge_integer, huge_float, huge_string, huge_array, deep_array,
    deep_inline_table, long_dotted_key, long_header, many_lesions, many_lines, long_line,
    near_limits,
    wrong_type, unknown_key, delete_line, empty_answer_list, control_in_value, control_in_key,
    control_raw, unicode_text, invalid_utf8, unicode_key,
)


def bundled_case_texts() -> list[tuple[str, bytes]]:
    root = Path(__file__).resolve().parents[2] / "cases"
    return [(p.name, p.read_bytes()) for p in sorted(root.glob("*.toml"))]


def fuzzed_cases(seed: int, count: int) -> Iterator[tuple[str, bytes, list[str]]]:
    """``count`` fuzzed files as (name, bytes, mutation names), the same for the same seed."""
    rng = random.Random(seed)
    sources = bundled_case_texts()
    for i in range(count):
        name, data = rng.choice(sources)
        applied = []
        for _ in range(rng.randint(1, 4)):
            mutation = rng.choice(MUTATIONS)
            data = mutation(data, rng)
            applied.append(mutation.__name__)
        yield f"{i:05d}-{name}", data, applied


# --- the verdict on one file ------------------------------------------------------------------

SLOW_SECONDS = 2.0
# One problem line: the path, a line number, a key and a message quoting at most ~200
# characters of the offending value.
MAX_LINE_BEYOND_PATH = 600


def unprintable(text: str) -> list[str]:
    """Characters that a terminal would act on instead of showing."""
    import unicodedata

    return [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs")]


def check_file(path: Path) -> dict:
    """Load one file the way ``case validate`` does and judge the outcome.

    Returns ``{"seconds", "cpu_seconds", "traceback", "no_line", "bad_lines", "ok",
    "problems"}``: a traceback (the exception's type and message), error lines without a line
    number, and problem lines that are not one printable line of bounded length. A file that
    loads as a case is also shown and graded (``case show --json``, ``grade``), since that runs
    the engine on whatever the file let through.
    """
    import time
    import traceback

    from vpatient.library import load_library

    start, cpu = time.perf_counter(), time.process_time()
    result: dict = {"traceback": None, "no_line": [], "bad_lines": [], "ok": False,
                    "problems": 0}
    try:
        library = load_library([path])
        lines = [str(p) for p in library.problems]
        for case in library.cases:
            _show_and_grade(case)
    except BaseException as err:  # the point is to catch everything
        if isinstance(err, KeyboardInterrupt):
            raise
        frame = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
        where = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
        result["traceback"] = f"{type(err).__name__}{where}: {str(err)[:200]}"
        result["seconds"] = time.perf_counter() - start
        result["cpu_seconds"] = time.process_time() - cpu
        return result
    result["seconds"] = time.perf_counter() - start
    result["cpu_seconds"] = time.process_time() - cpu
    result["ok"] = bool(library.cases)
    result["problems"] = len(lines)
    for problem, line in zip(library.problems, lines, strict=True):
        if problem.level == "error" and problem.line is None:
            result["no_line"].append(line[:300])
        if unprintable(line) or len(line) > len(str(path)) + MAX_LINE_BEYOND_PATH:
            result["bad_lines"].append(ascii(line[:300]))
    if not library.cases and not lines:
        result["bad_lines"].append("no case and no problem")
    return result


def _show_and_grade(case) -> None:
    from vpatient.cli import json_text
    from vpatient.core.answer import Answer
    from vpatient.core.grading import grade

    json_text(case.to_json())
    grade(case, Answer(neuron="UMN", site="cortex", side="left")).as_text()
