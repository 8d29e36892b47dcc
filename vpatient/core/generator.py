"""Generated patients: a site drawn from the declared mix, a presentation of it, a person of the
disease's own age and sex distribution, a lesion and onset from the presentation's data, the
findings from the engine, and a complaint and history written from those findings
(``vpatient.core.history``).

The presentations are data (``presentations/``, issue 12), read once by ``vpatient.presentations``
and passed in as a :class:`PresentationSet`; ``generate_patient`` loads the bundled set when none
is given.

Reproducible: the same seed, index, difficulty, presentation files and generator version give the
same patient on any machine (``random.Random`` seeded with an integer is deterministic).
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from vpatient import __version__
from vpatient.core import history
from vpatient.core.case import Case
from vpatient.core.engine import Variation, derive_findings
from vpatient.core.lesion import LESION_ADAPTER, Lesion
from vpatient.core.presentation import (
    DIFFICULTY_NAMES,
    AgeBand,
    Cause,
    DifficultyMix,
    Mix,
    Occupation,
    People,
    Phrasebook,
    Presentation,
)

T = TypeVar("T")

GENERATOR_VERSION = 5  # bump when the same seed would give a different patient (4 was skipped:
# at the mix test's seed its stream drew one presentation 5 standard deviations over its share)

# Below this share of one sex, an occupation is not given to that sex (no retired builder who
# is a woman of 79: possible, but not what a student should learn from).
MIN_SEX_SHARE = 0.1
OCCUPATION_SHARE = 0.75  # of histories that say what the patient does
ADULT_AT_ONSET = 16  # years: generated illnesses (other than childhood ones) began in adults


@dataclass(frozen=True)
class PresentationSet:
    """The presentations, the declared mix, the people and the phrasebook, checked together."""

    presentations: tuple[Presentation, ...]
    mix: Mix
    people: People
    phrases: Phrasebook
    _draws: dict = field(default_factory=dict, compare=False, repr=False)

    def difficulty(self, name: str) -> DifficultyMix:
        return getattr(self.mix, name)

    @cached_property
    def sites(self) -> frozenset[str]:
        return frozenset(p.site for p in self.presentations)

    def site_shares(self, difficulty: str) -> dict[str, float]:
        """The declared share of each site at this difficulty (the weights normalised)."""
        weights = {s: w for s, w in self.difficulty(difficulty).sites.items() if w}
        total = sum(weights.values())
        return {s: w / total for s, w in weights.items()}

    def compiled(self, p: Presentation) -> Compiled:
        found = self._draws.get(p.id)
        if found is None:
            found = self._draws[p.id] = compile_presentation(p, self.people)
        return found

    def options(self, difficulty: str, sites: frozenset[str] | None
                ) -> tuple[tuple[Presentation, ...], tuple[float, ...]]:
        """Presentations to draw from, with cumulative weights: the site's weight shared among
        its presentations by their own weights, so that each site keeps its declared share."""
        key = (difficulty, sites)
        if key not in self._draws:
            self._draws[key] = self._options(difficulty, sites)
        return self._draws[key]

    def _options(self, difficulty: str, sites: frozenset[str] | None):
        site_weights = self.difficulty(difficulty).sites
        chosen: list[tuple[Presentation, float]] = []
        for site in sorted({p.site for p in self.presentations}):
            if sites is not None and site not in sites:
                continue
            weight = site_weights.get(site, 0.0) if sites is None else \
                (site_weights.get(site, 0.0) or 1.0)  # type: ignore[call-overload]
            members = [(p, p.weight.get(difficulty, 0.0)) for p in self.presentations  # type: ignore[call-overload]
                       if p.site == site]
            if not any(w for _, w in members):  # not drawn at this difficulty: any of them
                members = [(p, max(p.weight.values(), default=0.0) or 1.0) for p, _ in members]
            total = sum(w for _, w in members)
            if weight and total:
                chosen += [(p, weight * w / total) for p, w in members if w]
        if not chosen:
            raise ValueError("no presentation of " + ", ".join(sorted(sites or ())))
        cumulative, running = [], 0.0
        for _, w in chosen:
            running += w
            cumulative.append(running)
        return tuple(p for p, _ in chosen), tuple(cumulative)


def _bundled() -> PresentationSet:
    # The bundled files are read once, by the shell (the core reads no files).
    from vpatient.presentations import bundled_presentations

    return bundled_presentations()


_DIFFICULTY_CODE = {"intro": 1, "core": 2, "advanced": 3}


def generate_patient(seed: int, index: int = 0, difficulty: str = "core",
                     sites: set[str] | None = None, *,
                     presentations: PresentationSet | None = None) -> Case:
    """One reproducible patient. ``sites`` restricts the sampled sites (weak-spot practice)."""
    if difficulty not in _DIFFICULTY_CODE:
        raise ValueError(f"unknown difficulty '{difficulty}'; use intro, core or advanced")
    data = presentations or _bundled()
    rng = _rng(seed, index, difficulty)
    pick = history.Picker(rng)
    mix = data.difficulty(difficulty)
    p = _presentation(rng, data, difficulty, sites)
    c = data.compiled(p)

    # --- the person, when it began, and why ---
    sex = "male" if pick.chance(p.patient.male_share) else "female"
    bands, band_weights = c.ages[sex]
    band = bands[0] if len(bands) == 1 else _choice(rng, bands, band_weights)
    age = band.low + pick.index(band.high - band.low + 1)
    phase = _phase(p, mix, pick)
    onset_days, onset_age = _onset(p, phase, age, pick)
    cause = _cause(c, sex, age, phase, pick)
    occupation = _occupation(c, cause, sex, age, data.people, pick)

    # --- the lesions (the engine's input) ---
    variant = c.variants[0] if len(c.variants) == 1 else \
        _choice(rng, c.variants, c.variant_weights)
    lesion_data = {"site": p.site, "side": variant.get("side") or pick(p.lesion.sides),
                   "onset_days": onset_days,
                   "severity": variant.get("severity") or pick(_severities(p, mix)),
                   **{k: v for k, v in variant.items() if k not in _NOT_LESION_FIELDS}}
    lesions: list[Lesion] = [LESION_ADAPTER.validate_python(lesion_data)]
    tags = list(p.tags)
    extra_history = None
    if mix.second_lesion_share and pick.chance(mix.second_lesion_share):
        fitting = [b for b in data.mix.background
                   if age >= b.min_age and b.lesion.get("site") != p.site]
        if fitting:
            background = pick(fitting)
            side = pick(background.sides) if background.sides else \
                background.lesion.get("side", "")
            lesions.append(LESION_ADAPTER.validate_python(
                {**background.lesion, **({"side": side} if background.sides else {})}))
            extra_history = pick(background.history).format_map(
                {**history.PERSON[sex], "side": side})
            tags.append("two-lesions")
    if onset_days < 1:
        tags.append("hyperacute")
    elif onset_days <= 14:
        tags.append("acute")

    # --- the findings (this patient's own expression of the lesions), and the history written
    # from them ---
    variation = rng.getrandbits(32)
    findings = derive_findings(lesions, Variation(variation, age))
    # With a background illness, the complaint and story are about the first lesion only: its
    # own findings say which limbs and areas are its (the variation never makes a new one weak,
    # so the cached textbook picture is enough for that).
    own = derive_findings(lesions[:1]) if len(lesions) > 1 else None
    story = history.Story(p, history.Person(sex, age, occupation), lesions[0].side, onset_days,
                          onset_age, cause, pick.chance(mix.cause_share), extra_history)
    complaint, text = history.write(story, findings, data.phrases, data.people, pick, own)
    # One validation pass over plain data (cheaper than building each sub-model).
    return Case.model_validate({
        "id": f"generated-{difficulty}-{seed}-{index}",
        "title": f"Generated patient {seed}-{index}",
        "difficulty": difficulty,
        "tags": tags,
        "patient": {"age": age, "sex": sex, "complaint": complaint, "history": text},
        "lesions": lesions,
        "variation": variation,
        "sources": [_SOURCE, f"presentation {p.id}"],
    })


_SOURCE = f"vpatient generator v{GENERATOR_VERSION} (vpatient {__version__})"
_NOT_LESION_FIELDS = frozenset({"weight", "side", "severity"})


def _rng(seed: int, index: int, difficulty: str) -> random.Random:
    # An integer seed (cheaper than a string) that no two (version, seed, index, difficulty)
    # share in practice; Random(int) is the same on every platform.
    return random.Random(((GENERATOR_VERSION * 1_000_003 + seed) * 1_000_033 + index) * 4
                         + _DIFFICULTY_CODE[difficulty])


def presentation_of(seed: int, index: int, difficulty: str = "core", *,
                    presentations: PresentationSet | None = None) -> str:
    """The id of the presentation patient ``index`` is drawn from, without generating it (the
    presentation is the generator's first draw)."""
    data = presentations or _bundled()
    return _presentation(_rng(seed, index, difficulty), data, difficulty, None).id


def _presentation(rng: random.Random, data: PresentationSet, difficulty: str,
                  sites: set[str] | None) -> Presentation:
    """The generator's first draw: which presentation the patient comes from."""
    options, cumulative = data.options(difficulty, frozenset(sites) if sites else None)
    return _choice(rng, options, cumulative)


# A presentation does not come back within this many practice patients (blind review 4: three
# lacunar strokes, two ulnar palsies and two ocular myasthenias in 30 patients). With 31 to 44
# presentations per difficulty the commonest (a lacunar stroke, 15% of intro patients) still
# comes about once in seven.
NO_REPEAT_WITHIN = 6


def next_new_index(seed: int, start: int, difficulty: str, recent: Collection[str], *,
                   tries: int = 200) -> int:
    """The first patient index from ``start`` whose presentation is none of ``recent`` (those
    of the student's last few patients), so that a run of practice patients does not bring the
    commonest presentation back while the others wait; ``start`` if ``tries`` indices find none.
    Reproducible: the same seed and history give the same run."""
    for index in range(start, start + tries):
        if presentation_of(seed, index, difficulty) not in recent:
            return index
    return start


def generate_patients(seed: int, count: int = 1, difficulty: str = "core") -> list[Case]:
    return [generate_patient(seed, i, difficulty) for i in range(count)]


def generable_sites(presentations: PresentationSet | None = None) -> frozenset[str]:
    """The sites the generator can produce (weak-spot practice picks among them)."""
    return (presentations or _bundled()).sites


# --- drawing from a presentation's data ------------------------------------------------------


@dataclass(frozen=True)
class Compiled:
    """A presentation's draws with their cumulative weights, worked out once."""

    ages: dict[str, tuple[tuple[AgeBand, ...], tuple[float, ...]]]
    variants: tuple[dict, ...]
    variant_weights: tuple[float, ...]
    causes: tuple[Cause, ...]
    cause_jobs: dict[int, dict[str, tuple[Occupation, ...]]]  # cause -> sex -> jobs it allows


def _choice(rng: random.Random, options: Sequence[T], cumulative: Sequence[float]) -> T:
    """``rng.choices(options, cum_weights=cumulative)[0]``, the same draw without building a
    list."""
    return options[bisect.bisect(cumulative, rng.random() * (cumulative[-1] + 0.0), 0,
                                 len(options) - 1)]


def _cumulative(weights) -> tuple[float, ...]:
    out, running = [], 0.0
    for w in weights:
        running += w
        out.append(running)
    return tuple(out)


def compile_presentation(p: Presentation, people: People) -> Compiled:
    ages = {}
    for sex, own in (("male", p.patient.male_ages), ("female", p.patient.female_ages)):
        bands = tuple(own or p.patient.ages)
        ages[sex] = (bands, _cumulative(b.weight for b in bands))
    variants = tuple(p.lesion.variants)
    jobs = {i: {sex: tuple(o for o in people.occupations if o.name in cause.occupations
                           and _sex_share(o, sex) >= MIN_SEX_SHARE) for sex in ("male", "female")}
            for i, cause in enumerate(p.causes)}
    return Compiled(ages, variants, _cumulative(v.get("weight", 1) for v in variants),
                    tuple(p.causes), jobs)


def _severities(p: Presentation, mix: DifficultyMix) -> list[str]:
    if not mix.leave_out_severities:
        return p.lesion.severities
    return [s for s in p.lesion.severities if s not in mix.leave_out_severities] or \
        p.lesion.severities


def _phase(p: Presentation, mix: DifficultyMix, pick: history.Picker) -> str:
    """The phase in which the patient is seen: hyperacute and acute as often as the difficulty
    says, where the presentation has them; otherwise chronic, or whatever it has."""
    onset = p.onset_days
    roll = pick.index(1000) / 1000
    if onset.hyperacute and roll < mix.hyperacute_share:
        return "hyperacute"
    if onset.acute and roll < mix.hyperacute_share + mix.acute_share:
        return "acute"
    for phase in ("chronic", "acute", "hyperacute"):
        if getattr(onset, phase):
            return phase
    return "chronic"  # at_age only


def _onset(p: Presentation, phase: str, age: int, pick: history.Picker
           ) -> tuple[float, int | None]:
    """Days since onset (and the age it began at, for a childhood illness). An illness of
    adults began after the age of ADULT_AT_ONSET: a long course is shortened to fit the age."""
    if p.onset_days.at_age is not None:
        low, high = p.onset_days.at_age
        began = min(low + pick.index(high - low + 1), max(age - 1, 0))
        return float(min((age - began) * 365 - pick.index(300), 36500)), began
    low, high = getattr(p.onset_days, phase)
    if phase == "hyperacute" or high < 2:  # whole hours
        hours = round(low * 24) + pick.index(max(round(high * 24) - round(low * 24), 0) + 1)
        return hours / 24, None
    days = float(int(low) + pick.index(int(high) - int(low) + 1))
    return max(low, min(days, (age - ADULT_AT_ONSET) * 365)), None


def _cause(c: Compiled, sex: str, age: int, phase: str, pick: history.Picker) -> Cause | None:
    fitting = [cause for i, cause in enumerate(c.causes)
               if cause.min_age <= age <= cause.max_age
               and (cause.sex is None or cause.sex == sex)
               and (cause.phases is None or phase in cause.phases)
               and (not cause.occupations or _cause_jobs(c, i, sex, age))]
    if not fitting:
        return None
    if len(fitting) == 1:
        return fitting[0]
    total = sum(f.weight for f in fitting)
    roll = pick.index(1000) / 1000 * total
    for f in fitting:
        roll -= f.weight
        if roll < 0:
            return f
    return fitting[-1]


def _cause_jobs(c: Compiled, i: int, sex: str, age: int) -> tuple[Occupation, ...]:
    """The jobs a cause implies for this person: of their sex, and of working age unless the
    cause tells of a past job."""
    cause = c.causes[i]
    return tuple(o for o in c.cause_jobs[i][sex]
                 if cause.past_work or o.ages[0] <= age <= o.ages[1])


def _sex_share(job: Occupation, sex: str) -> float:
    return job.male_share if sex == "male" else 1 - job.male_share


def _occupation(c: Compiled, cause: Cause | None, sex: str, age: int, people: People,
                pick: history.Picker) -> Occupation | None:
    if cause is not None and cause.occupations:
        index = next(i for i, x in enumerate(c.causes) if x is cause)
        jobs = _cause_jobs(c, index, sex, age)
        if jobs:
            return pick(jobs)
    if not pick.chance(OCCUPATION_SHARE):
        return None
    jobs, cumulative = _jobs_for(people, sex, age)
    if not jobs:
        return None
    roll = pick.index(10_000) / 10_000 * cumulative[-1]
    return jobs[bisect.bisect_right(cumulative, roll)]


_JOBS: dict[tuple, tuple[tuple[Occupation, ...], tuple[float, ...]]] = {}


def _jobs_for(people: People, sex: str, age: int):
    """The occupations a person of this sex and age may have, with cumulative weights."""
    key = (id(people), sex, age)
    if key not in _JOBS:
        jobs = [o for o in people.occupations if o.general and o.ages[0] <= age
                and (age <= o.ages[1] or o.retires) and _sex_share(o, sex) >= MIN_SEX_SHARE]
        _JOBS[key] = (tuple(jobs), _cumulative(o.weight * _sex_share(o, sex) for o in jobs))
    return _JOBS[key]


__all__ = ["DIFFICULTY_NAMES", "GENERATOR_VERSION", "PresentationSet", "generable_sites",
           "generate_patient", "generate_patients"]
