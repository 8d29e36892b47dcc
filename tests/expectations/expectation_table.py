"""The clinical expectations table (issue 9): reading the TOML files and judging one statement.

The files in this folder state what the examination must show for a lesion, written from the
clinical reference and the literature, never from the engine's tables or output. A file holds
cases; each case is one patient (one or more lesions, in the case format of design §3) and
groups of statements, each group with its source:

    [[case]]
    name = "C5 radiculopathy"
    lesion = { site = "root", level = "C5", side = "left", severity = "severe", onset_days = 30 }

    [[case.expect]]
    source = "ref §2.3 (deltoid C5); ref §5.12"
    hold = [
      "power.left.shoulder_abduction is weak",
      "reflex.left.triceps is normal",
    ]
    # known_gap = "why the engine is wrong": the group runs as a strict xfail until fixed

A statement is ``KEY OP OPERAND``; OPERAND is a value, or another findings key to compare with.

- ``is TERM``: power ``weak`` (< 5), ``spared`` (5), ``paralysed`` (0); reflexes on the NINDS
  scale (ref §1.3) ``absent`` (0), ``reduced`` (1+: present but less than normal),
  ``depressed`` (0 or 1+: "reduced or absent"), ``normal`` (2+ or 3+: 3+ is the upper half of
  normal), ``brisk`` (3+ or 4+), ``pathological`` (4+); ``present`` / ``absent`` for signs
  (a flag true, a sign present, clonus of any kind, a numb area); ``weak`` / ``normal`` for the
  face; ``none`` for a sensory level or numb area; ``normal`` for any key means its normal value.
- ``==``, ``!=``: equal or not (``power.left.hip_flexion == power.right.hip_flexion``).
- ``<``, ``<=``, ``>``, ``>=``: MRC grades, NINDS grades ("1+" < "2+"), or segments for a
  sensory level ("T11" > "T10": further down the cord).
- ``in [a, b]``: one of these values. ``includes X``: the numb areas include X.

Besides the findings keys, ``answer.neuron``, ``answer.site``, ``answer.side`` and
``answer.level`` are the localization the case's lesions imply.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).parent

NINDS = ("0", "1+", "2+", "3+", "4+")
SEGMENTS = (
    *(f"C{i}" for i in range(1, 9)), *(f"T{i}" for i in range(1, 13)),
    *(f"L{i}" for i in range(1, 6)), *(f"S{i}" for i in range(1, 6)),
)
OPS = ("is", "==", "!=", "<=", ">=", "<", ">", "in", "includes")
_STATEMENT = re.compile(r"^(?P<key>[a-z_]+(?:\.[a-z_0-9]+)*) +(?P<op>is|==|!=|<=|>=|<|>|in|"
                        r"includes) +(?P<operand>.+)$")
_KEY = re.compile(r"^[a-z_]+\.[a-z_0-9.]+$")
TERMS = {"weak", "spared", "paralysed", "absent", "reduced", "depressed", "normal", "brisk",
         "pathological", "present", "none"}


@dataclass(frozen=True)
class Expectation:
    file: str
    case: str
    lesions: tuple[dict, ...]
    statement: str
    source: str
    known_gap: str | None

    @property
    def id(self) -> str:
        return f"{self.file}: {self.case}: {self.statement}"

    @property
    def key(self) -> str:
        return self.statement.split()[0]

    def parts(self) -> tuple[str, str, str]:
        m = _STATEMENT.match(self.statement)
        if not m:
            raise ValueError(f"not a statement 'KEY OP OPERAND': {self.statement!r}")
        return m["key"], m["op"], m["operand"].strip()


def load(folder: Path = FOLDER) -> list[Expectation]:
    """Every expectation of every TOML file, in file order; malformed data raises ValueError."""
    out: list[Expectation] = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text())
        for case in data.get("case", []):
            where = f"{path.name}: case {case.get('name')!r}"
            if "name" not in case or not case.get("expect"):
                raise ValueError(f"{where}: a case needs a name and at least one expect group")
            lesions = case.get("lesions") or ([case["lesion"]] if "lesion" in case else [])
            if not lesions:
                raise ValueError(f"{where}: no lesion")
            for group in case["expect"]:
                source = group.get("source", "").strip()
                if not source:
                    raise ValueError(f"{where}: an expect group has no source")
                gap = group.get("known_gap")
                if gap is not None and not gap.strip():
                    raise ValueError(f"{where}: known_gap must say why the engine is wrong")
                for statement in group.get("hold", []):
                    e = Expectation(path.stem, case["name"], tuple(lesions), statement, source,
                                    gap)
                    e.parts()  # validate the grammar now
                    out.append(e)
    return out


# --- judging -------------------------------------------------------------------------------------


class Unjudgeable(Exception):
    """The statement cannot be judged on these findings (e.g. a key the engine lacks)."""


def _value(findings: dict, key: str):
    if key not in findings:
        raise Unjudgeable(f"'{key}' is not a findings key of the engine")
    return findings[key]


def _numb_areas(value) -> list[str]:
    if isinstance(value, list | tuple):
        return list(value)
    return [] if value in ("none", "", None) else [value]


def _rank(key: str, value):
    """A value's place on its key's ordered scale."""
    if isinstance(value, bool):
        raise Unjudgeable(f"'{key}' is a flag: it has no order")
    if isinstance(value, int):
        return value
    if value in NINDS:
        return NINDS.index(value)
    if value in SEGMENTS:
        return SEGMENTS.index(value)
    raise Unjudgeable(f"'{key}' = {value!r} has no order")


def _literal(text: str):
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if text in ("true", "false"):
        return text == "true"
    return text


def _term(key: str, value, term: str, normal) -> bool:
    kind = key.split(".")[0]
    if kind == "power":
        return {"weak": value < 5, "spared": value == 5, "normal": value == 5,
                "paralysed": value == 0}[term]
    if kind == "reflex":
        allowed = {"absent": ("0",), "reduced": ("1+",), "depressed": ("0", "1+"),
                   "normal": ("2+", "3+"), "brisk": ("3+", "4+"), "pathological": ("4+",)}
        return value in allowed[term]
    if kind == "numb_area":
        areas = _numb_areas(value)
        return {"none": not areas, "normal": not areas, "absent": not areas,
                "present": bool(areas)}[term]
    if kind == "face":
        return {"weak": value == "weak", "spared": value == "normal",
                "normal": value == "normal"}[term]
    if term == "normal":
        return value == normal
    if isinstance(value, bool):
        return {"present": value, "absent": not value}[term]
    if term == "none":
        return value == "none"
    if term == "present":
        return value not in ("absent", "none", "normal", False)
    if term == "absent":
        return value in ("absent", "none", False)
    raise KeyError(term)


def judge(expectation: Expectation, findings: dict, normals: dict) -> tuple[bool, str]:
    """Whether the statement holds, and what was found (for the failure message)."""
    key, op, operand = expectation.parts()
    value = _value(findings, key)
    found = f"{key} = {value!r}"
    if op == "is":
        if operand not in TERMS:
            raise ValueError(f"unknown term {operand!r} in {expectation.statement!r}")
        try:
            return _term(key, value, operand, normals.get(key)), found
        except KeyError:
            raise ValueError(f"term {operand!r} does not apply to {key}") from None
    if op == "includes":
        return operand in _numb_areas(value), found
    if op == "in":
        options = [_literal(o.strip()) for o in operand.strip("[]").split(",")]
        return value in options, found
    if _KEY.match(operand):
        other = _value(findings, operand)
        found += f", {operand} = {other!r}"
    else:
        other = _literal(operand)
    if op == "==":
        return value == other, found
    if op == "!=":
        return value != other, found
    a, b = _rank(key, value), _rank(operand, other)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op], found
