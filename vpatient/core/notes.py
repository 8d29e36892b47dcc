"""The game's own clinical notes: their topics, how a note's text reads, and which note explains
each reason the feedback gives.

The note texts are Markdown files shipped in the package (``vpatient/data/notes/<topic>.md``,
each starting with a ``# Title`` line); reading them is the I/O layer's job
(``vpatient.notes``). This module only knows the topics and parses text it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

# The topics, in reading order (fixed: feedback, help and the command line link to them).
NOTE_TOPICS: tuple[str, ...] = (
    "umn-vs-lmn", "motor-unit", "alpha-gamma", "reflexes-and-plantar", "pyramidal-pattern",
    "spinal-shock", "acute-stroke", "capsule-vs-cortex", "crossed-brainstem", "facial-palsy",
    "cord-syndromes", "sensory-levels", "conus-vs-cauda", "root-plexus-nerve",
    "motor-neuron-disease", "junction-vs-muscle", "polyneuropathy", "gbs-vs-cord",
    "emg-vs-imaging", "l5-vs-peroneal", "c8-vs-ulnar", "l4-vs-femoral", "c7-vs-radial",
    "c5-vs-rotator-cuff",
)


@dataclass(frozen=True)
class Note:
    topic: str
    title: str
    text: str  # the whole Markdown text, title line included


class NoteError(ValueError):
    """A note file that does not follow the format (a first line '# Title')."""


def parse_note(topic: str, text: str) -> Note:
    """A note from its Markdown text; the first non-empty line must be '# Title'."""
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith("# ") and line[2:].strip():
            return Note(topic, line[2:].strip(), text)
        break
    raise NoteError(f"note '{topic}' does not start with a '# Title' line")


# === Which note explains which reason ============================================================

NEURON_NOTES: dict[str, tuple[str, ...]] = {
    "UMN": ("umn-vs-lmn", "reflexes-and-plantar"), "LMN": ("umn-vs-lmn", "motor-unit"),
    "mixed": ("umn-vs-lmn",), "NMJ": ("junction-vs-muscle",), "muscle": ("junction-vs-muscle",),
}
SITE_NOTES: dict[str, tuple[str, ...]] = {
    "cortex": ("capsule-vs-cortex", "pyramidal-pattern"),
    "internal_capsule": ("capsule-vs-cortex", "pyramidal-pattern"),
    "midbrain": ("crossed-brainstem",), "pons": ("crossed-brainstem",),
    "medulla": ("crossed-brainstem",), "spinal_cord": ("cord-syndromes",),
    "conus": ("conus-vs-cauda",), "cauda_equina": ("conus-vs-cauda",),
    "anterior_horn": ("motor-neuron-disease",), "root": ("root-plexus-nerve",),
    "plexus": ("root-plexus-nerve",), "nerve": ("root-plexus-nerve",),
    "polyneuropathy": ("polyneuropathy",), "nmj": ("junction-vs-muscle",),
    "muscle": ("junction-vs-muscle",), "motor_neuron_disease": ("motor-neuron-disease",),
}
# The classic look-alikes (ref §5.15), as (site, level) answers, each group with its note: the
# grader tests each member against the others, and either member links the note.
LOOKALIKE_PAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    "l5-vs-peroneal": (("root", "L5"), ("nerve", "common_peroneal")),
    "c8-vs-ulnar": (("root", "C8"), ("nerve", "ulnar"), ("plexus", "lower_trunk")),
    "l4-vs-femoral": (("root", "L4"), ("nerve", "femoral")),
    "c7-vs-radial": (("root", "C7"), ("nerve", "radial")),
    "c5-vs-rotator-cuff": (("root", "C5"), ("nerve", "axillary"), ("plexus", "upper_trunk")),
}
LOOKALIKE_NOTES: dict[str, str] = {
    **{level: topic for topic, members in LOOKALIKE_PAIRS.items() for _, level in members},
    "facial": "facial-palsy",
}


def lookalikes(site: str, level: str | None) -> list[tuple[str, str]]:
    """The classic look-alikes of an answer: 'nerve common_peroneal' for 'root L5'."""
    return [m for members in LOOKALIKE_PAIRS.values() if (site, level) in members
            for m in members if m != (site, level)]
LEVEL_NOTES: dict[str, tuple[str, ...]] = {
    "spinal_cord": ("sensory-levels", "cord-syndromes"), "root": ("root-plexus-nerve",),
    "anterior_horn": ("motor-neuron-disease",), "plexus": ("root-plexus-nerve",),
    "nerve": ("root-plexus-nerve",),
}
SIDE_NOTES: dict[str, tuple[str, ...]] = {
    "cortex": ("pyramidal-pattern",), "internal_capsule": ("pyramidal-pattern",),
    "midbrain": ("crossed-brainstem",), "pons": ("crossed-brainstem",),
    "medulla": ("crossed-brainstem",), "spinal_cord": ("cord-syndromes",),
}
# The time course that changes how the signs read.
SPINAL_SHOCK_NOTE = "spinal-shock"
ACUTE_STROKE_NOTE = "acute-stroke"
GBS_NOTE = "gbs-vs-cord"


def _unique(topics: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in topics if t in NOTE_TOPICS))


def notes_for_part(part: str, *, site: str, given_site: str | None, level: str | None,
                   given_level: str | None, neuron: str, given_neuron: str,
                   spinal_shock: bool = False, hyperacute: bool = False,
                   acute_demyelinating: bool = False, facial: bool = False) -> tuple[str, ...]:
    """The notes that explain one part's reasoning: the answer's topic, then the student's
    answer's when it differs (a look-alike pair links the note on that pair)."""
    topics: list[str] = []
    if part == "neuron":
        if spinal_shock:
            topics.append(SPINAL_SHOCK_NOTE)
        if hyperacute:
            topics.append(ACUTE_STROKE_NOTE)
        topics += NEURON_NOTES.get(neuron, ())
        if site in ("anterior_horn", "motor_neuron_disease"):
            topics.append("motor-neuron-disease")
        if given_neuron != neuron:
            topics += NEURON_NOTES.get(given_neuron, ())
        if facial:
            topics.append("facial-palsy")
    elif part == "site":
        topics += SITE_NOTES.get(site, ())
        if acute_demyelinating:
            topics.append(GBS_NOTE)
        if given_site and given_site != site:
            topics += SITE_NOTES.get(given_site, ())
    elif part == "level":
        for value in (level, given_level):
            if value in LOOKALIKE_NOTES:
                topics.append(LOOKALIKE_NOTES[value])
        topics += LEVEL_NOTES.get(site, ())
    elif part == "side":
        topics += SIDE_NOTES.get(site, ("root-plexus-nerve",) if site in (
            "root", "plexus", "nerve") else ())
    return _unique(topics)
