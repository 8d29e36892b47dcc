"""The patient card: who the patient is and what they say, as plain text.

Case text comes from case files an instructor wrote, so it is never read as markup: a history
that contains "[bold]" shows those characters.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

SEX_WORDS: dict[str, str] = {"male": "man", "female": "woman"}


def patient_text(age: int, sex: str, complaint: str, history: str, *,
                 title: str | None = None, note: str | None = None) -> Text:
    text = Text()
    if note:
        text.append(note + "\n\n", style="bold")
    if title:
        text.append(title + "\n", style="bold")
    text.append(f"{age}-year-old {SEX_WORDS.get(sex, sex)}\n\n", style="bold")
    text.append("Complaint  ", style="dim")
    text.append(f"“{complaint}”\n\n", style="italic")
    text.append("History  ", style="dim")
    text.append(history)
    return text


class PatientCard(Static):
    """The history as the patient (and the referral) gives it; nothing of the examination."""

    DEFAULT_CSS = """
    PatientCard { height: auto; padding: 0 1; }
    """

    def __init__(self, age: int, sex: str, complaint: str, history: str, *,
                 title: str | None = None, note: str | None = None,
                 id: str | None = None) -> None:
        super().__init__(patient_text(age, sex, complaint, history, title=title, note=note),
                         id=id, markup=False)
