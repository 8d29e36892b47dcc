"""The clinical notes shipped in vpatient/data/notes: one Markdown page per topic.

The topic ids are a contract: feedback links each reason to a note by id, and `vpatient notes
TOPIC` prints one. These tests check the files themselves (no app code): every topic exists, is
titled on its first line, is short enough to read at 80x24 and long enough to teach, fits the
terminal, cites nothing students cannot open, and links only to notes that exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

NOTES_DIR = Path(__file__).resolve().parents[1] / "vpatient" / "data" / "notes"

TOPICS = (
    "umn-vs-lmn",
    "motor-unit",
    "alpha-gamma",
    "spinal-shock",
    "acute-stroke",
    "pyramidal-pattern",
    "crossed-brainstem",
    "facial-palsy",
    "root-plexus-nerve",
    "cord-syndromes",
    "conus-vs-cauda",
    "motor-neuron-disease",
    "junction-vs-muscle",
    "polyneuropathy",
    "emg-vs-imaging",
    "reflexes-and-plantar",
    "sensory-levels",
    "l5-vs-peroneal",
    "c8-vs-ulnar",
    "l4-vs-femoral",
    "c7-vs-radial",
    "c5-vs-rotator-cuff",
    "capsule-vs-cortex",
    "gbs-vs-cord",
)

MIN_WORDS, MAX_WORDS = 150, 450
MAX_PROSE_WIDTH = 100  # ruff's line length; prose is reflowed by the Markdown widget anyway
MAX_TABLE_WIDTH = 78  # tables are not reflowed: they must fit an 80-column terminal as written

WORD = re.compile(r"\w", re.UNICODE)
BACKTICKED = re.compile(r"`([^`]+)`")


def _text(topic: str) -> str:
    return (NOTES_DIR / f"{topic}.md").read_text(encoding="utf-8")


def _is_table_line(line: str) -> bool:
    return line.lstrip().startswith("|")


def _words(text: str) -> int:
    """Words a reader reads: tokens with a letter or digit (table pipes and rules do not count)."""
    return sum(1 for token in text.split() if WORD.search(token))


def _see_also(text: str) -> str:
    """The "See also" paragraph: from its line to the next blank line."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("See also"):
            paragraph = []
            for follow in lines[i:]:
                if not follow.strip():
                    break
                paragraph.append(follow)
            return " ".join(paragraph)
    return ""


def test_topic_ids_are_unique():
    assert len(set(TOPICS)) == len(TOPICS)


def test_every_note_file_is_a_known_topic():
    on_disk = {p.stem for p in NOTES_DIR.glob("*.md")}
    assert on_disk - set(TOPICS) == set(), "a note file whose id no code links to"


@pytest.mark.parametrize("topic", TOPICS)
def test_note_exists_and_is_titled(topic):
    path = NOTES_DIR / f"{topic}.md"
    assert path.is_file(), f"missing note {path.name}"
    first = _text(topic).splitlines()[0]
    assert first.startswith("# ") and first[2:].strip(), f"{topic}: first line must be '# Title'"


@pytest.mark.parametrize("topic", TOPICS)
def test_note_length(topic):
    words = _words(_text(topic))
    assert MIN_WORDS <= words <= MAX_WORDS, f"{topic}: {words} words"


@pytest.mark.parametrize("topic", TOPICS)
def test_note_fits_the_terminal(topic):
    for number, line in enumerate(_text(topic).splitlines(), start=1):
        limit = MAX_TABLE_WIDTH if _is_table_line(line) else MAX_PROSE_WIDTH
        assert len(line) <= limit, f"{topic}:{number} is {len(line)} wide (limit {limit})"


@pytest.mark.parametrize("topic", TOPICS)
def test_tables_are_well_formed(topic):
    """Every row has as many cells as its header and stands on one line."""
    lines = _text(topic).splitlines()
    i = 0
    while i < len(lines):
        if not _is_table_line(lines[i]):
            i += 1
            continue
        header = lines[i].strip().strip("|").split("|")
        rule = lines[i + 1].strip() if i + 1 < len(lines) else ""
        assert re.fullmatch(r"\|( *:?-+:? *\|)+", rule), f"{topic}:{i + 2}: table lacks its rule"
        j = i
        while j < len(lines) and _is_table_line(lines[j]):
            cells = lines[j].strip().strip("|").split("|")
            assert len(cells) == len(header), f"{topic}:{j + 1}: {len(cells)} cells"
            # The widget wraps long cells itself and draws a rule under every row, so a row
            # continued on the next line would show as a separate, headless row.
            assert cells[0].strip(), f"{topic}:{j + 1}: a row must name its first cell"
            j += 1
        i = j


@pytest.mark.parametrize("topic", TOPICS)
def test_note_cites_nothing_students_cannot_open(topic):
    text = _text(topic).lower()
    assert "ref §" not in text and "§" not in text
    assert "pitfall" not in text


@pytest.mark.parametrize("topic", TOPICS)
def test_see_also_links_exist(topic):
    see_also = _see_also(_text(topic))
    assert see_also, f"{topic}: no 'See also' line"
    linked = BACKTICKED.findall(see_also)
    assert linked, f"{topic}: 'See also' names no topic"
    unknown = [t for t in linked if t not in TOPICS]
    assert not unknown, f"{topic}: 'See also' names unknown topics {unknown}"
    assert topic not in linked, f"{topic}: links to itself"
