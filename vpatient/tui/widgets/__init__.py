"""Widgets of the game: the patient card, the body map, the findings log, the neuraxis."""
