"""Reading the clinical notes shipped in the package (``vpatient/data/notes/<topic>.md``).

The thin I/O layer over ``core.notes``: it finds the files through ``importlib.resources`` (so
an installed wheel and a checkout read the same) and hands their text to the core's parser.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

from vpatient.core.notes import NOTE_TOPICS, Note, NoteError, parse_note

__all__ = ["NOTE_TOPICS", "Note", "NoteError", "list_notes", "load_note", "notes_dir"]


def notes_dir() -> Traversable:
    return files("vpatient") / "data" / "notes"


def _file(topic: str) -> Traversable | None:
    if not topic or "/" in topic or topic.startswith("."):
        return None
    path = notes_dir() / f"{topic}.md"
    return path if path.is_file() else None


def load_note(topic: str) -> Note | None:
    """The note on ``topic``, or None when the package has no such note."""
    path = _file(topic)
    if path is None:
        return None
    return parse_note(topic, path.read_text(encoding="utf-8"))


def available_topics() -> list[str]:
    """The topics the package ships: the known ones in reading order, then any others."""
    folder = notes_dir()
    if not folder.is_dir():
        return []
    shipped = {p.name.removesuffix(".md") for p in folder.iterdir() if p.name.endswith(".md")}
    return [t for t in NOTE_TOPICS if t in shipped] + sorted(shipped - set(NOTE_TOPICS))


def list_notes() -> list[Note]:
    """Every shipped note that parses (a malformed file is left out, not fatal)."""
    out = []
    for topic in available_topics():
        try:
            note = load_note(topic)
        except NoteError:
            continue
        if note is not None:
            out.append(note)
    return out
