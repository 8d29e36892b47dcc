"""The body map: a figure that fills in as the examination proceeds.

The patient faces the student, so the patient's right is on the screen's left, as on a ward
chart; both sides are labelled in words so nobody has to remember that. Every value is text
(a reflex grade, an arrow and a word for the toe, "WEAK", "SUST"), so the map reads without
colour. Only the findings handed in are drawn: an unexamined site shows a dot.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from vpatient.core import anatomy
from vpatient.core.findings import FindingValue
from vpatient.tui import display as D

SIDE_WIDTH = 17  # each side's column of values
CENTRE_WIDTH = 8  # the stick figure between them
MAP_WIDTH = SIDE_WIDTH * 2 + CENTRE_WIDTH

# The figure, one string per row of the map (rows given as full-width lines use None).
_FIGURE: tuple[str | None, ...] = (
    "  ╭──╮  ",
    "  │  │  ",
    "  ╰┬┬╯  ",
    None,      # jaw jerk and tongue, across the neck
    " ╭─┴┴─╮ ",
    " │ ┌┐ │ ",
    " │ ││ │ ",
    " │ ││ │ ",
    " │ ││ │ ",
    " ╵ ││ ╵ ",
    "   ││   ",
    "  ╭┘└╮  ",
    "  │  │  ",
    "  │  │  ",
    "  │  │  ",
    "  │  │  ",
    " ─┘  └─ ",
    "        ",  # sensation
    None,      # fatigability
)


class BodyMap(Static):
    """Draws the findings it is given; the encounter gives it only what has been examined."""

    DEFAULT_CSS = """
    BodyMap { width: auto; height: auto; }
    """

    findings: reactive[dict[str, FindingValue]] = reactive(dict, layout=True)

    def render(self) -> Text:
        return render_body_map(self.findings)


def _value(findings: Mapping[str, FindingValue], key: str, coded: bool = True
           ) -> tuple[str, bool]:
    """The short text for one key (the core's body-map code, or the raw grade for reflexes),
    and whether it has been examined."""
    if key not in findings:
        return D.NOT_EXAMINED, False
    value = findings[key]
    return (D.short_code(key, value) if coded else str(value)), True


def _parts_text(findings: Mapping[str, FindingValue], sign: str, side: str, limb: str
                ) -> tuple[str, bool]:
    """Where a limb is wasted or fasciculating: '–', 'PRX', 'DST' or 'P+D' (three letters, so
    'wast PRX fasc PRX' fits one side's cell)."""
    keys = [f"{sign}.{side}.{limb}_{part}" for part in ("proximal", "distal")]
    if not all(k in findings for k in keys):
        return D.NOT_EXAMINED, False
    prox, dist = (bool(findings[k]) for k in keys)
    return {(False, False): "–", (True, False): "PRX", (False, True): "DST",
            (True, True): "P+D"}[(prox, dist)], True


def _power_text(findings: Mapping[str, FindingValue], side: str, limb: str, part: str
                ) -> tuple[str, bool]:
    """The weakest grade found in the proximal or distal part of a limb."""
    grades = [int(findings[f"power.{side}.{m.name}"]) for m in anatomy.MOVEMENTS.values()
              if m.part == f"{limb}_{part}" and f"power.{side}.{m.name}" in findings]
    if not grades:
        return D.NOT_EXAMINED, False
    return str(min(grades)), True


class _Line:
    """Builds one side's cell: label/value pairs, values bold when examined."""

    def __init__(self) -> None:
        self.text = Text()

    def add(self, label: str, value: tuple[str, bool], width: int) -> _Line:
        shown, examined = value
        if self.text.plain and not self.text.plain.endswith(" "):
            self.text.append(" ")  # a value that fills its width still ends before the label
        self.text.append(label, style="dim")
        self.text.append(shown.ljust(width), style="bold" if examined else "dim")
        return self

    def done(self) -> Text:
        self.text.truncate(SIDE_WIDTH, pad=True)
        return self.text


def _side_rows(findings: Mapping[str, FindingValue], side: str) -> list[Text]:
    f = findings
    rows = [
        Text(f"{side.upper()} side".center(SIDE_WIDTH), style="bold underline"),
        _Line().add("face ↑", _value(f, f"face.{side}.upper"), 5)
        .add("↓", _value(f, f"face.{side}.lower"), 5).done(),
        _Line().add("eye ", _value(f, f"eyes.{side}"), 12).done(),
        Text(""),  # full-width row
        Text(f"{side} arm".upper(), style="bold"),
        _Line().add("tone ", _value(f, f"tone.{side}.arm"), 12).done(),
        _Line().add("pwr prox ", _power_text(f, side, "arm", "proximal"), 2)
        .add("dist ", _power_text(f, side, "arm", "distal"), 1).done(),
        _Line().add("biceps ", _value(f, f"reflex.{side}.biceps", coded=False), 3)
        .add("sup ", _value(f, f"reflex.{side}.brachioradialis", coded=False), 3).done(),
        _Line().add("triceps ", _value(f, f"reflex.{side}.triceps", coded=False), 3)
        .add("fin ", _value(f, f"reflex.{side}.finger", coded=False), 3).done(),
        _Line().add("Hoffm ", _value(f, f"hoffmann.{side}"), 3)
        .add("invsup ", _value(f, f"inverted_supinator.{side}"), 2).done(),
        _Line().add("wast ", _parts_text(f, "wasting", side, "arm"), 4)
        .add("fasc ", _parts_text(f, "fasciculations", side, "arm"), 4).done(),
        Text(f"{side} leg".upper(), style="bold"),
        _Line().add("tone ", _value(f, f"tone.{side}.leg"), 12).done(),
        _Line().add("pwr prox ", _power_text(f, side, "leg", "proximal"), 2)
        .add("dist ", _power_text(f, side, "leg", "distal"), 1).done(),
        _Line().add("knee ", _value(f, f"reflex.{side}.knee", coded=False), 4)
        .add("ankle ", _value(f, f"reflex.{side}.ankle", coded=False), 3).done(),
        _Line().add("toe ", _value(f, f"plantar.{side}"), 6)
        .add("cl ", _value(f, f"clonus.{side}"), 4).done(),
        _Line().add("wast ", _parts_text(f, "wasting", side, "leg"), 4)
        .add("fasc ", _parts_text(f, "fasciculations", side, "leg"), 4).done(),
        # 17 cells: "pin saddle jps ok"; the joint position mark is one cell when lost.
        _Line().add("pin ", _sensation_text(f, side), 6)
        .add("jps ", _position_text(f, side), 2).done(),
    ]
    return rows


def _position_text(findings: Mapping[str, FindingValue], side: str) -> tuple[str, bool]:
    """Joint position sense at the toes: 'ok', or '✗' when lost (the cell has two places)."""
    value = findings.get(f"position_sense.{side}")
    if value is None:
        return D.NOT_EXAMINED, False
    return ("ok" if value == "normal" else "✗"), True


def _sensation_text(findings: Mapping[str, FindingValue], side: str) -> tuple[str, bool]:
    """A pinprick level by its landmark ('navel↓') or where the skin is numb ('hand',
    'saddle'); 'ok' if neither. Never a segment, a root or a nerve: the student reads those."""
    level_key, area_key = f"sensory_level.{side}", f"numb_area.{side}"
    level, area = findings.get(level_key), findings.get(area_key)
    if level is None and area is None:
        return D.NOT_EXAMINED, False
    if level not in (None, "none"):
        return D.short_code(level_key, level), True
    if area is not None and D.short_code(area_key, area) != "ok":
        return D.short_code(area_key, area), True
    return "ok", True


def _centre_row(findings: Mapping[str, FindingValue], row: int) -> Text:
    """The rows drawn across the whole map: jaw and tongue, then fatigue, gait and Romberg."""
    line = _Line()
    if row == 3:
        line.add("jaw ", _value(findings, "reflex.jaw", coded=False), 4)
        line.add("tongue ", _value(findings, "tongue.deviation"), 9)
        line.add("wast ", _value(findings, "wasting.tongue"), 4)
        line.add("fasc ", _value(findings, "fasciculations.tongue"), 3)
    else:
        line.add("fatigue ", _value(findings, "fatigability"), 4)
        line.add("gait ", _value(findings, "gait"), 11)
        line.add("Romberg ", _value(findings, "romberg"), 2)
    text = line.text
    text.truncate(MAP_WIDTH)
    pad = (MAP_WIDTH - text.cell_len) // 2
    return Text(" " * pad) + text


def render_body_map(findings: Mapping[str, FindingValue]) -> Text:
    """The whole map as text, MAP_WIDTH cells wide."""
    right, left = _side_rows(findings, "right"), _side_rows(findings, "left")
    out = Text(no_wrap=True, overflow="crop")
    for row, figure in enumerate(_FIGURE):
        if row:
            out.append("\n")
        if figure is None:
            out.append_text(_centre_row(findings, row))
            continue
        cells = [right[row], left[row]]
        for cell in cells:
            cell.truncate(SIDE_WIDTH, pad=True)
        out.append_text(cells[0])
        out.append(figure, style="dim" if not findings else "")
        out.append_text(cells[1])
    return out
