"""Command palette entries (ctrl+p) for the game's main actions."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (what the palette shows, the app action it runs, the help line)
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Practise a new patient", "practice", "A generated patient at the current difficulty"),
    ("Practise an intro patient", "practice('intro')", "Textbook presentations"),
    ("Practise a core patient", "practice('core')", "The common lesions, some acute"),
    ("Practise an advanced patient", "practice('advanced')",
     "Hyperacute onsets, two lesions, pitfalls"),
    ("Practise my weak spots", "weak_spots", "A patient from your weakest sites"),
    ("Open the case library", "library", "Bundled and instructor cases"),
    ("Show my progress", "stats", "Accuracy by site and neuron type, streaks"),
    ("Open the lesion lab", "lab", "Place a lesion, move through time, compare two"),
    ("Open the differential", "differential", "Enter findings, see the answers they fit"),
    ("Help: the examination and the scoring", "help", "How to play"),
    ("Read the clinical notes", "notes", "UMN vs LMN, the look-alikes, spinal shock, ..."),
    ("Home", "home", "Back to the home screen"),
    ("Use the terminal's own colours", "theme_ansi", "The textual-ansi theme"),
)


class PracticeCommands(Provider):
    """The game's actions, searchable by name."""

    def _run(self, action: str) -> None:
        self.app.call_later(self.app.run_action, action)

    async def discover(self) -> Hits:
        for name, action, help_text in COMMANDS:
            yield DiscoveryHit(name, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in COMMANDS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._run, action),
                          help=help_text)
