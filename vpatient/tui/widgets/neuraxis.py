"""The neuraxis: the motor pathway from cortex to muscle, with the lesion and the answer marked.

Marks are words and shapes (■ lesion, ◇ you), not only colours, so the diagram reads in any
terminal palette.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from vpatient.core import anatomy
from vpatient.core.wording import level_short

# The stations of the motor pathway, rostral to caudal, as the game draws them. A site names the
# station(s) it marks; motor neuron disease sits at both ends of the lower and upper neurons.
STATIONS: tuple[tuple[str, str], ...] = (
    ("cortex", "motor cortex"),
    ("internal_capsule", "internal capsule"),
    ("midbrain", "midbrain"),
    ("pons", "pons"),
    ("medulla", "medulla"),
    ("spinal_cord", "spinal cord"),
    ("conus", "conus medullaris"),
    ("cauda_equina", "cauda equina"),
    ("anterior_horn", "anterior horn"),
    ("root", "nerve root"),
    ("plexus", "plexus"),
    ("nerve", "peripheral nerve"),
    ("polyneuropathy", "all nerves (poly)"),
    ("nmj", "NM junction"),
    ("muscle", "muscle"),
)
SITE_STATIONS: dict[str, tuple[str, ...]] = {
    site: (site,) for site, _ in STATIONS
} | {"motor_neuron_disease": ("cortex", "anterior_horn")}
# Which neuron each stretch of the pathway belongs to, for the bracket on the left (the upper
# motor neuron's stations are the core's).
UPPER = anatomy.UMN_STATIONS
LOWER = ("conus", "cauda_equina", "anterior_horn", "root", "plexus", "nerve", "polyneuropathy")
DECUSSATION_AFTER = anatomy.PYRAMIDAL_DECUSSATION
LABEL_WIDTH = 17

LESION_MARK = "■ LESION"
ANSWER_MARK = "◇ YOU"


def _where(site: str | None, side: str | None, level: str | None) -> str:
    bits = [b for b in (side, level_short(site or "", level)) if b]
    return " " + " ".join(bits) if bits else ""


def render_neuraxis(true_site: str, true_side: str | None, true_level: str | None,
                    given_site: str | None = None, given_side: str | None = None,
                    given_level: str | None = None) -> Text:
    true_stations = SITE_STATIONS.get(true_site, ())
    given_stations = SITE_STATIONS.get(given_site or "", ())
    out = Text(no_wrap=True, overflow="ellipsis")
    for index, (station, label) in enumerate(STATIONS):
        if index:
            out.append("\n")
        bracket = "    ·"
        for name, group in (("UMN", UPPER), ("LMN", LOWER)):
            if station == group[0]:
                bracket = f"{name} ┌"
            elif station == group[-1]:
                bracket = "    └"
            elif station in group:
                bracket = "    │"
        out.append(bracket + " ", style="dim")
        is_true, is_given = station in true_stations, station in given_stations
        style = "bold" if is_true or is_given else ""
        out.append(label.ljust(LABEL_WIDTH), style=style)
        if is_true:
            out.append(LESION_MARK + _where(true_site, true_side, true_level), style="bold red")
        if is_given:
            given_where = _where(given_site, given_side, given_level)
            if is_true:
                out.append("  ")
                # Beside the lesion, the answer's side and level only when they differ.
                if given_where == _where(true_site, true_side, true_level):
                    given_where = ""
            out.append(ANSWER_MARK + given_where,
                       style="bold green" if is_true else "bold yellow")
        if station == DECUSSATION_AFTER and not (is_true or is_given):
            out.append("╳ pyramids cross", style="dim")
    return out


class Neuraxis(Static):
    """The pathway with the true lesion and the student's answer marked."""

    DEFAULT_CSS = """
    Neuraxis { width: auto; height: auto; padding: 0 1; }
    """

    def __init__(self, true_site: str, true_side: str | None, true_level: str | None,
                 given_site: str | None = None, given_side: str | None = None,
                 given_level: str | None = None, *, id: str | None = None) -> None:
        super().__init__(render_neuraxis(true_site, true_side, true_level, given_site,
                                         given_side, given_level), id=id, markup=False)
