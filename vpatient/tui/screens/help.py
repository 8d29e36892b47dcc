"""Help: how to play, the examination, and how answers are scored."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown

from vpatient.tui import STYLES

HELP = """\
# How to play

1. **Read the patient card**: age, sex, the complaint in the patient's words and the history.
2. **Examine.** Pick maneuvers region by region (keys **1–6** jump to a region, **Enter**
   performs the highlighted maneuver). Each finding goes into the **findings log**, in the order
   you examined, and onto the **body map**. Nothing you did not examine is shown.
3. **Localize** (**l**): choose the neuron type, the site, the level or nerve where the site has
   one, and the side of the *lesion* (not of the weakness). Confirm to submit.
4. **Feedback**: your score per part with the reasons, your answer beside the lesion on the
   neuraxis, the discriminating maneuvers you skipped, and teaching points. **n** gives the next
   patient.

Your progress is saved after every answer; **s** on the home screen shows it: the mistakes you
make by kind (wrong side, UMN vs LMN, a level off by one, look-alike pairs such as L5 root vs
common peroneal nerve ...), your weak spots and accuracy by site and neuron type. **w** is
spaced review: a patient chosen to test your worst weak spot that is due (the patient card says
why); getting it right spaces its next review further out (the FSRS schedule).

**Hints** (**h**, practice only): the maneuver that would tell you most now, and which answers it
separates. Hints are recorded and cost a little of the examination score.

# Reasoning tools

- **Lesion lab** (**b** on the home screen): place any lesion (site, level or nerve, side,
  severity), move through time with **[** and **]** from hours to years, and watch the body map
  and findings change. **c** adds a second lesion and lists only the findings that differ.
- **Differential** (**x** on the home screen, or **d** while examining in practice): enter
  findings and see which answers explain them, best first, and the next most useful maneuver.

# The examination

- **Head**: face (upper and lower), eyes (lids and movements), tongue (deviation, wasting,
  fasciculations), jaw jerk.
- **Each arm**: inspection for wasting and fasciculations, tone, power per movement (MRC 0–5),
  biceps, supinator, triceps and finger jerks, Hoffmann sign, inverted supinator.
- **Each leg**: inspection, tone, power per movement, knee and ankle jerks, plantar response,
  ankle clonus.
- **General**: fatigability (sustained upgaze, repeated abduction); gait and Romberg;
  sensation: a pinprick level on the trunk, any numb skin (a dermatome, a nerve's territory, a
  stocking, the saddle), and joint position and vibration at the toes.

Reflexes use the NINDS scale: 0 absent, 1+ reduced, 2+ normal, 3+ brisk, 4+ with clonus.

**Reading the body map.** The patient faces you, so the patient's **right** side is on the
**left** of the screen (both are labelled). A dot means not yet examined. *pwr prox / dist* is
the weakest grade found in the proximal / distal muscles of that limb; *toe ↑UP* is an extensor
plantar, *↓down* a flexor one; *wast* and *fasc* say where wasting and fasciculations were seen
(PRX proximal, DST distal, P+D both, or – for none); *pin* shows a pinprick level (*T10↓*)
or the numb area, and *jps* joint position sense at the toes (✗ lost); the bottom row gives
fatigue, gait (*hemi L* is a left hemiplegic gait) and Romberg (+ positive, – negative,
× cannot stand).

# Scoring

{scoring}

Credit is partial and anatomical: a neighbouring structure on the motor pathway earns part of
the site credit, a neighbouring segment most of the level credit, and "UMN" for a mixed picture
part of the neuron credit. When a case has no level, the level's share is spread over the other
parts.

The **examination** part (shown beside the localization score) rewards a sufficient and
focused exam: {exam_sufficiency}% for findings that decide the answer, {exam_focus}% for using no
more maneuvers than the smallest deciding set plus {exam_free} (each hint costs
{exam_hint}% of that). It is {exam_weight}% of the total.

# Clinical notes

Short pages in the game's own words on each topic the feedback uses (upper vs lower motor
neuron signs, spinal shock, crossed brainstem syndromes, root vs plexus vs nerve, each classic
look-alike pair, ...). Press **o** here or on the feedback screen (which lists the notes its
reasons link first), or open them from the command palette.

# Keys

- **Everywhere**: **ctrl+p** command palette (actions and themes), **F1** help, **ctrl+q**
  quit.
- **Home**: **p** practise, **w** weak spots, **l** library, **s** progress, **d** difficulty.
- **Examination**: **1–6** region, **Enter** perform, **p** / **b** patient / body map,
  **f** findings log, **l** localize, **Esc** leave.
- **Localize**: **Enter** choose and move on, **Tab** next list (1 to 4), **s** submit,
  **Esc** back. The confirmation opens on *Change*: **y** submits.
- **Feedback**: **n** next patient, **o** clinical notes, **Esc** back.
- **Notes**: **↑/↓** topic, **→** / **←** text / topics, **Esc** close.
- **Library**: **Enter** examine, **d** / **t** difficulty / tag filter, **c** clear filters.

The mouse works too: click a maneuver, a tab, a case or a button.

# Settings

The difficulty and the theme you choose are kept in `{settings}` (the command palette's
theme picker and the difficulty write it). Keys can be changed there too, by the id of the
binding, e.g.

```toml
[keys]
"home.practice" = "n"
```

{bindings}
"""


def scoring_table() -> str:
    from vpatient.core.grading import PART_WEIGHTS

    rows = ["| part | share of the score |", "| --- | --- |"]
    names = {"neuron": "neuron type (UMN, LMN, mixed, NMJ, muscle)", "site": "site",
             "level": "level or nerve", "side": "side"}
    rows += [f"| {names.get(p, p)} | {w * 100:.0f}% |" for p, w in PART_WEIGHTS.items()]
    return "\n".join(rows)


def bindings_table() -> str:
    from vpatient.tui.app import game_bindings

    rows = ["| id | key | does |", "| --- | --- | --- |"]
    rows += [f"| `{b.id}` | {b.key} | {b.description or b.action} |" for b in game_bindings()]
    return "\n".join(rows)


def help_text() -> str:
    from vpatient.settings import settings_path

    return HELP.format(scoring=scoring_table(), settings=settings_path(),
                       bindings=bindings_table(), **exam_numbers())


def exam_numbers() -> dict[str, str]:
    from vpatient.core import economy as E

    return {"exam_sufficiency": f"{E.SUFFICIENCY_WEIGHT * 100:.0f}",
            "exam_focus": f"{E.FOCUS_WEIGHT * 100:.0f}",
            "exam_free": str(E.FREE_EXTRA_MANEUVERS), "exam_hint": f"{E.HINT_COST * 100:.0f}",
            "exam_weight": f"{E.EXAMINATION_WEIGHT * 100:.0f}"}


class HelpScreen(Screen[None]):
    CSS_PATH = STYLES / "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close help", id="help.close"),
        Binding("o", "app.notes", "Clinical notes", id="help.notes"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help-scroll"):
            yield Markdown(help_text(), id="help-text")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Help"
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss()
