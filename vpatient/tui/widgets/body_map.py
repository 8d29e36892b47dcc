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


def _value(findings: Mapping[str, FindingValue], key: str, short: Mapping[str, str] | None = None
           ) -> tuple[str, bool]:
    """The short text for one key, and whether it has been examined."""
    if key not in findings:
        return D.NOT_EXAMINED, False
    value = findings[key]
    text = str(value)
    if short is not None:
        text = short.get(text, text)
    return text, True


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
        _Line().add("face ↑", _value(f, f"face.{side}.upper", D.FACE_SHORT), 5)
        .add("↓", _value(f, f"face.{side}.lower", D.FACE_SHORT), 5).done(),
        _Line().add("eye ", _value(f, f"eyes.{side}", D.EYE_SHORT), 12).done(),
        Text(""),  # full-width row
        Text(f"{side} arm".upper(), style="bold"),
        _Line().add("tone ", _value(f, f"tone.{side}.arm", D.TONE_SHORT), 12).done(),
        _Line().add("pwr prox ", _power_text(f, side, "arm", "proximal"), 2)
        .add("dist ", _power_text(f, side, "arm", "distal"), 1).done(),
        _Line().add("biceps ", _value(f, f"reflex.{side}.biceps"), 3)
        .add("sup ", _value(f, f"reflex.{side}.brachioradialis"), 3).done(),
        _Line().add("triceps ", _value(f, f"reflex.{side}.triceps"), 3)
        .add("fin ", _value(f, f"reflex.{side}.finger"), 3).done(),
        _Line().add("Hoffm ", _value(f, f"hoffmann.{side}", D.PRESENCE_SHORT), 3)
        .add("invsup ", _value(f, f"inverted_supinator.{side}", D.PRESENCE_SHORT), 2).done(),
        _Line().add("wast ", _parts_text(f, "wasting", side, "arm"), 4)
        .add("fasc ", _parts_text(f, "fasciculations", side, "arm"), 4).done(),
        Text(f"{side} leg".upper(), style="bold"),
        _Line().add("tone ", _value(f, f"tone.{side}.leg", D.TONE_SHORT), 12).done(),
        _Line().add("pwr prox ", _power_text(f, side, "leg", "proximal"), 2)
        .add("dist ", _power_text(f, side, "leg", "distal"), 1).done(),
        _Line().add("knee ", _value(f, f"reflex.{side}.knee"), 4)
        .add("ankle ", _value(f, f"reflex.{side}.ankle"), 3).done(),
        _Line().add("toe ", _value(f, f"plantar.{side}", D.PLANTAR_SHORT), 6)
        .add("cl ", _value(f, f"clonus.{side}", D.CLONUS_SHORT), 4).done(),
        _Line().add("wast ", _parts_text(f, "wasting", side, "leg"), 4)
        .add("fasc ", _parts_text(f, "fasciculations", side, "leg"), 4).done(),
        _Line().add("sens ", _sensation_text(f, side), 6)
        .add("jps ", _value(f, f"position_sense.{side}", D.POSITION_SHORT), 3).done(),
    ]
    return rows


def _sensation_text(findings: Mapping[str, FindingValue], side: str) -> tuple[str, bool]:
    """A pinprick level ('T10↓') or the numb area ('C8', 'ulnar', 'saddle'); 'ok' if neither."""
    level = findings.get(f"sensory_level.{side}")
    area = findings.get(f"numb_area.{side}")
    if level is None and area is None:
        return D.NOT_EXAMINED, False
    if level not in (None, "none"):
        return f"{level}↓", True
    if area:  # the widest area, with a mark when there are more
        first = str(area[0])  # type: ignore[index]
        more = "+" if len(area) > 1 else ""  # type: ignore[arg-type]
        return D.NUMB_AREA_SHORT.get(first, first)[: 6 - len(more)] + more, True
    return "ok", True


def _centre_row(findings: Mapping[str, FindingValue], row: int) -> Text:
    """The rows drawn across the whole map: jaw and tongue, then fatigue, gait and Romberg."""
    line = _Line()
    if row == 3:
        line.add("jaw ", _value(findings, "reflex.jaw"), 4)
        line.add("tongue ", _value(findings, "tongue.deviation", D.DEVIATION_SHORT), 9)
        line.add("wast ", _value(findings, "wasting.tongue", {"True": "YES", "False": "–"}), 4)
        line.add("fasc ", _value(findings, "fasciculations.tongue",
                                 {"True": "YES", "False": "–"}), 3)
    else:
        line.add("fatigue ", _value(findings, "fatigability", {"True": "YES", "False": "–"}), 4)
        line.add("gait ", _value(findings, "gait", D.GAIT_SHORT), 11)
        line.add("Romberg ", _value(findings, "romberg", D.ROMBERG_SHORT), 2)
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
