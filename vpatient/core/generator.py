"""Generated patients: a lesion sampled over every site, with an age, a complaint and a history
consistent with it and with its onset (ref §6.4 for the time courses).

Reproducible: the same seed, index, difficulty and generator version give the same patient, on
any machine (``random.Random`` seeded with a string is deterministic).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from vpatient import __version__
from vpatient.core import anatomy as A
from vpatient.core.case import Case
from vpatient.core.lesion import (
    LESION_ADAPTER,
    Lesion,
    format_onset,
)

GENERATOR_VERSION = 1  # bump when the same seed would give a different patient


@dataclass(frozen=True)
class Presentation:
    """How one kind of lesion presents: who gets it, when it is seen, and in whose words."""

    site: str
    ages: tuple[int, int]
    # (onset range in days, weight) per difficulty tier that allows it; "acute" ranges are
    # withheld from intro patients.
    chronic_onsets: tuple[float, float]
    acute_onsets: tuple[float, float] | None
    hyperacute_onsets: tuple[float, float] | None
    severities: tuple[str, ...]
    complaints: tuple[str, ...]
    histories: tuple[str, ...]
    extras: tuple[dict, ...] = ({},)
    sides: tuple[str, ...] = ("left", "right")
    male_share: float = 0.5
    tags: tuple[str, ...] = ()


# Placeholders: {body} the side of the weak limbs, {lesion_side} the lesion's side, {onset} when
# it began ("three days ago"), {pronoun}/{possessive}, {limb} for single-limb presentations.
PRESENTATIONS: tuple[Presentation, ...] = (
    Presentation(
        "internal_capsule", (52, 86), (30, 720), (2, 10), (0.1, 0.8),
        ("moderate", "severe", "complete"),
        ("My {body} arm and leg are weak.", "I can't use my {body} side properly."),
        ("{Pronoun} noticed weakness of the {body} arm and leg {onset}; it came on over minutes "
         "and has not worsened since. There was no headache and no loss of consciousness. "
         "{Pronoun} has long-standing hypertension. Family members noticed {possessive} smile "
         "was lopsided. Speech is slurred but the words are right.",),
        tags=("stroke", "umn"),
    ),
    Presentation(
        "cortex", (48, 88), (30, 720), (2, 10), (0.1, 0.8), ("moderate", "severe"),
        ("My {body} {limb} is weak and clumsy.",),
        ("The trouble started suddenly {onset}. {Pronoun} has atrial fibrillation and had "
         "stopped {possessive} anticoagulant. Relatives noticed {pronoun} was briefly confused "
         "and struggled to find words at the onset.",),
        extras=({"territory": "face_arm"}, {"territory": "face_arm"}, {"territory": "leg"}),
        tags=("stroke", "umn"),
    ),
    Presentation(
        "midbrain", (50, 85), (30, 365), (2, 10), (0.2, 0.8), ("moderate", "severe"),
        ("I see double and my {body} side is weak.",),
        ("{Onset_cap} {pronoun} developed double vision and a droopy {lesion_side} eyelid, "
         "together with weakness of the {body} arm and leg. {Pronoun} is a smoker with "
         "diabetes.",),
        tags=("stroke", "brainstem"),
    ),
    Presentation(
        "pons", (50, 85), (30, 365), (2, 10), (0.2, 0.8), ("moderate", "severe"),
        ("My face has dropped and my {body} side is weak.",),
        ("{Onset_cap} {pronoun} woke with double vision on looking to the {lesion_side}, a "
         "drooping {lesion_side} face that would not close its eye, and weakness of the {body} "
         "arm and leg. {Pronoun} has hypertension and high cholesterol.",),
        tags=("stroke", "brainstem"),
    ),
    Presentation(
        "medulla", (50, 85), (30, 365), (2, 10), (0.2, 0.8), ("moderate", "severe"),
        ("My {body} arm and leg are weak and my speech is thick.",),
        ("{Onset_cap} {pronoun} developed weakness of the {body} arm and leg and found {pronoun} "
         "could not move {possessive} tongue well; words came out thick. The face felt "
         "normal. {Pronoun} has vertebrobasilar atheroma on a previous scan.",),
        tags=("stroke", "brainstem"),
    ),
    Presentation(
        "spinal_cord", (25, 80), (45, 1500), (4, 25), (0.3, 2.5), ("moderate", "severe"),
        ("My legs are weak and stiff.", "My hands are clumsy and I am unsteady."),
        ("{Pronoun} has had slowly progressive neck ache, numb clumsy hands and a stiff, "
         "unsteady walk; it began {onset}. Buttons and writing have become difficult. "
         "{Pronoun} has noticed some urgency of micturition.",),
        extras=({"level": "C6", "pattern": "complete"}, {"level": "C5", "pattern": "central"},
                {"level": "C7", "pattern": "complete"}),
        sides=("bilateral",), tags=("cord",),
    ),
    Presentation(
        "spinal_cord", (18, 70), (45, 1500), (4, 25), (0.3, 2.5),
        ("moderate", "severe", "complete"),
        ("I can't move my legs.", "My legs are weak and I have lost control of my bladder."),
        ("{Onset_cap} {pronoun} developed back pain and a band of tingling around the trunk, "
         "followed by weakness of both legs and difficulty passing urine. Sensation is lost "
         "below the level of the umbilicus. The arms are normal.",),
        extras=({"level": "T10", "pattern": "complete"}, {"level": "T6", "pattern": "complete"},
                {"level": "T8", "pattern": "anterior"}),
        sides=("bilateral",), tags=("cord",),
    ),
    Presentation(
        "spinal_cord", (18, 60), (45, 730), (4, 25), (0.3, 2.5), ("moderate", "severe"),
        ("My {lesion_side} leg is weak and the other one feels strange.",),
        ("{Onset_cap} {pronoun} was stabbed in the back. Since then the {lesion_side} leg is "
         "weak, while pain and temperature feel different in the other leg. Position sense is "
         "poor in the {lesion_side} foot.",),
        extras=({"level": "T10", "pattern": "hemisection"},
                {"level": "C5", "pattern": "hemisection"}),
        tags=("cord",),
    ),
    Presentation(
        "conus", (30, 75), (30, 180), (1, 10), None, ("moderate", "severe"),
        ("I can't pass urine and my bottom is numb.",),
        ("{Onset_cap} {pronoun} developed sudden low back pain, then could not empty the "
         "bladder and noticed numbness around the anus and buttocks on both sides. The legs "
         "feel only slightly weak. There is little pain down the legs.",),
        sides=("bilateral",), tags=("cord",),
    ),
    Presentation(
        "cauda_equina", (30, 70), (30, 120), (1, 7), None, ("moderate", "severe"),
        ("Terrible pain down my legs and they are weak.",),
        ("{Onset_cap} {pronoun} lifted a heavy box and felt a tearing pain in the lower back, "
         "then severe shooting pain down both legs, worse on the {lesion_side}. The legs "
         "became weak and floppy; later {pronoun} noticed numbness in the saddle area and "
         "had to strain to pass urine.",),
        sides=("left", "right", "bilateral"), tags=("root",),
    ),
    Presentation(
        "anterior_horn", (4, 40), (365 * 5, 365 * 40), (3, 10), None, ("severe", "complete"),
        ("My {lesion_side} leg is thin and weak.",),
        ("{Pronoun} grew up abroad without vaccination. {Onset_cap} {pronoun} had a febrile "
         "illness with neck stiffness and aching muscles, followed within days by weakness of "
         "the {lesion_side} leg. Sensation has always been normal.",),
        extras=({"levels": "L2-S1"}, {"levels": "L3-S1"}, {"levels": "C5-T1"}),
        tags=("anterior-horn",),
    ),
    Presentation(
        "root", (30, 70), (30, 180), (3, 14), None, ("mild", "moderate", "severe"),
        ("Pain shoots down my {lesion_side} {limb}.",),
        ("{Onset_cap} {pronoun} developed pain radiating from the spine into the "
         "{lesion_side} {limb}, worse on coughing and on movement, with tingling in a strip of "
         "skin. {Pronoun} works in a job with heavy lifting.",),
        extras=tuple({"level": lv} for lv in A.ROOT_LEVELS if lv not in ("T1", "L2", "L3")),
        tags=("root",),
    ),
    Presentation(
        "plexus", (18, 65), (30, 365), (2, 14), None, ("moderate", "severe"),
        ("My {lesion_side} {limb} doesn't work properly since the accident.",),
        ("{Onset_cap} {pronoun} came off a motorbike and landed hard, with the head and "
         "shoulder forced apart or the arm wrenched upwards. The {lesion_side} {limb} has been "
         "weak and partly numb since.",),
        extras=({"part": "upper_trunk"}, {"part": "lower_trunk"}, {"part": "lumbosacral"}),
        tags=("plexus",),
    ),
    Presentation(
        "nerve", (20, 80), (30, 365), (1, 10), None, ("moderate", "severe"),
        ("My {lesion_side} {limb} has gone weak.",),
        ("{Onset_cap} {pronoun} noticed weakness of the {lesion_side} {limb}; there is a "
         "small patch of numbness. {Pronoun} recalls {cause}.",),
        extras=tuple({"name": n} for n in A.NERVES if n != "hypoglossal"),
        tags=("nerve",),
    ),
    Presentation(
        "polyneuropathy", (45, 85), (365, 3650), None, None, ("mild", "moderate", "severe"),
        ("My feet are numb and I trip over.",),
        ("{Pronoun} has had diabetes for many years. Over the last {onset_span} the feet have "
         "become numb and burning, first the toes and then up to mid-shin, and lately the "
         "fingertips too. {Pronoun} catches {possessive} toes on kerbs.",),
        extras=({"pattern": "length_dependent"},), sides=("bilateral",), tags=("neuropathy",),
    ),
    Presentation(
        "polyneuropathy", (20, 75), (10, 25), (5, 14), None, ("moderate", "severe"),
        ("My legs went weak and now my arms too.",),
        ("{Onset_cap} {pronoun} noticed tingling in the toes and fingers, then weakness "
         "climbing from the legs to the arms over a few days. Two weeks before that {pronoun} "
         "had diarrhoea. There is back pain but no bladder trouble.",),
        extras=({"pattern": "acute_demyelinating"},), sides=("bilateral",),
        tags=("neuropathy", "acute"),
    ),
    Presentation(
        "nmj", (20, 75), (30, 365), None, None, ("mild", "moderate", "severe"),
        ("My eyelids droop and I see double by the evening.",),
        ("Over the last {onset_span} {pronoun} has had drooping eyelids and double vision "
         "that are worse at the end of the day and better after rest. Chewing tires {object} "
         "and {possessive} arms ache when brushing {possessive} hair.",),
        sides=("bilateral", "left", "right"), male_share=0.4, tags=("nmj",),
    ),
    Presentation(
        "muscle", (35, 75), (60, 365), None, None, ("moderate", "severe"),
        ("I can't get up from a chair or lift my arms.",),
        ("Over {onset_span} {pronoun} has found it hard to climb stairs, rise from a low "
         "chair and reach up to a shelf. The hands work well. There is no numbness and no "
         "bladder trouble.",),
        sides=("bilateral",), male_share=0.4, tags=("myopathy",),
    ),
    Presentation(
        "motor_neuron_disease", (45, 80), (180, 900), None, None, ("moderate", "severe"),
        ("My {lesion_side} hand is wasting and my legs are stiff.",
         "My speech is slurred and I choke on drinks."),
        ("Over {onset_span} {pronoun} has noticed weakness and thinning of the muscles with "
         "twitching under the skin and cramps. There is no numbness, no bladder trouble and "
         "no double vision.",),
        sides=("bilateral", "left", "right"), male_share=0.6, tags=("als", "mixed"),
    ),
)

NERVE_CAUSES: dict[str, tuple[str, str]] = {
    # nerve -> (limb word, cause phrase)
    "axillary": ("shoulder", "a dislocated shoulder"),
    "musculocutaneous": ("arm", "heavy weight training"),
    "radial": ("wrist", "falling asleep drunk with the arm over a chair back"),
    "median": ("hand", "tingling in the fingers at night for months"),
    "ulnar": ("hand", "leaning on the elbows at a desk all day"),
    "femoral": ("leg", "a pelvic operation"),
    "sciatic": ("leg", "an injection into the buttock"),
    "common_peroneal": ("foot", "sitting cross-legged for hours while losing weight"),
    "tibial": ("foot", "a knee injury"),
    "facial": ("face", "a cold sore a week earlier; the face dropped over a day"),
}

# Weights of each presentation per difficulty (index into PRESENTATIONS, by site).
DIFFICULTY_WEIGHTS: dict[str, dict[str, float]] = {
    "intro": {"internal_capsule": 3, "cortex": 2, "spinal_cord": 1.5, "root": 3, "nerve": 4,
              "polyneuropathy": 1, "nmj": 1, "muscle": 1, "motor_neuron_disease": 1},
    "core": {"internal_capsule": 2, "cortex": 2, "midbrain": 0.7, "pons": 0.7, "medulla": 0.7,
             "spinal_cord": 1.2, "conus": 0.8, "cauda_equina": 1, "anterior_horn": 1, "root": 2,
             "plexus": 1, "nerve": 2.5, "polyneuropathy": 1, "nmj": 1, "muscle": 1,
             "motor_neuron_disease": 1.2},
    "advanced": {"internal_capsule": 1.5, "cortex": 1.5, "midbrain": 1, "pons": 1, "medulla": 1,
                 "spinal_cord": 1.5, "conus": 1, "cauda_equina": 1, "anterior_horn": 1,
                 "root": 1.5, "plexus": 1, "nerve": 1.5, "polyneuropathy": 1, "nmj": 1,
                 "muscle": 1, "motor_neuron_disease": 1.5},
}
# Share of patients seen acutely / hyperacutely, where the presentation allows it.
ACUTE_SHARE = {"intro": 0.0, "core": 0.3, "advanced": 0.35}
HYPERACUTE_SHARE = {"intro": 0.0, "core": 0.0, "advanced": 0.3}
SECOND_LESION_SHARE = {"intro": 0.0, "core": 0.0, "advanced": 0.3}

# Background lesions an advanced patient may also carry (common comorbidities).
BACKGROUND_LESIONS: tuple[tuple[dict, str], ...] = (
    ({"site": "polyneuropathy", "side": "bilateral", "pattern": "length_dependent",
      "severity": "mild", "onset_days": 2000},
     "{Pronoun} has had diabetes for fifteen years and numb feet for several."),
    ({"site": "nerve", "name": "median", "side": "right", "severity": "moderate",
      "onset_days": 400},
     "For a year {pronoun} has woken at night with tingling in the right hand."),
    ({"site": "root", "level": "L5", "side": "left", "severity": "mild", "onset_days": 900},
     "An old disc injury left {object} with intermittent left sciatica."),
)


def _onset_words(days: float) -> str:
    return format_onset(days).replace("within hours", "a few hours ago")


def _span_words(days: float) -> str:
    return format_onset(days).removesuffix(" ago")


def _limb_for(lesion: Lesion, rng: random.Random) -> str:
    if lesion.site == "nerve":
        return NERVE_CAUSES[lesion.name][0]  # type: ignore[union-attr]
    if lesion.site == "root":
        return "arm" if lesion.level.startswith("C") or lesion.level == "T1" else "leg"  # type: ignore[union-attr]
    if lesion.site == "cortex":
        return "hand" if lesion.territory == "face_arm" else "leg"  # type: ignore[union-attr]
    if lesion.site == "plexus":
        return A.PLEXUS_PARTS[lesion.part][0]  # type: ignore[union-attr]
    return "leg"


def _words(lesion: Lesion, sex: str, rng: random.Random) -> dict[str, str]:
    body = A.other_side(lesion.side) if lesion.side in A.SIDES and lesion.site in (
        "cortex", "internal_capsule", "midbrain", "pons", "medulla") else lesion.side
    male = sex == "male"
    onset = _onset_words(lesion.onset_days)
    words = {
        "body": body, "lesion_side": lesion.side if lesion.side != "bilateral" else "worse",
        "onset": onset, "Onset_cap": onset[0].upper() + onset[1:] + ",",
        "onset_span": _span_words(lesion.onset_days),
        "pronoun": "he" if male else "she", "Pronoun": "He" if male else "She",
        "possessive": "his" if male else "her", "object": "him" if male else "her",
        "limb": _limb_for(lesion, rng),
        # (pydantic's __getattr__ is slow for absent attributes: ask the site first)
        "cause": NERVE_CAUSES[lesion.name][1] if lesion.site == "nerve" else "",  # type: ignore[union-attr]
    }
    return words


def _fill(template: str, words: dict[str, str]) -> str:
    text = template.format(**words)
    return text.replace("the worse ", "the ").replace("my worse ", "my ")


def _pick_onset(p: Presentation, difficulty: str, rng: random.Random) -> float:
    roll = rng.random()
    if p.hyperacute_onsets and roll < HYPERACUTE_SHARE[difficulty]:
        low, high = p.hyperacute_onsets
        return round(rng.uniform(low, high) * 24) / 24  # whole hours
    if p.acute_onsets and roll < HYPERACUTE_SHARE[difficulty] + ACUTE_SHARE[difficulty]:
        low, high = p.acute_onsets
        return float(rng.randint(int(low), int(high)))
    low, high = p.chronic_onsets
    return float(rng.randint(int(low), int(high)))


@lru_cache(maxsize=64)
def _presentations_for(difficulty: str, sites: frozenset[str] | None) -> tuple[list, list]:
    weights = DIFFICULTY_WEIGHTS[difficulty]
    chosen, w = [], []
    for p in PRESENTATIONS:
        if sites is not None and p.site not in sites:
            continue
        weight = weights.get(p.site, 0.0) if sites is None else 1.0
        if weight:
            chosen.append(p)
            w.append(weight)
    if not chosen:  # sites outside this difficulty: fall back to every presentation of them
        chosen = [p for p in PRESENTATIONS if sites is None or p.site in sites]
        w = [1.0] * len(chosen)
    return chosen, w


_DIFFICULTY_CODE = {"intro": 1, "core": 2, "advanced": 3}


def generate_patient(seed: int, index: int = 0, difficulty: str = "core",
                     sites: set[str] | None = None) -> Case:
    """One reproducible patient. ``sites`` restricts the sampled sites (weak-spot practice)."""
    if difficulty not in DIFFICULTY_WEIGHTS:
        raise ValueError(f"unknown difficulty '{difficulty}'; use intro, core or advanced")
    # An integer seed (cheaper than a string) that no two (version, seed, index, difficulty)
    # share in practice; Random(int) is the same on every platform.
    rng = random.Random(((GENERATOR_VERSION * 1_000_003 + seed) * 1_000_033 + index) * 4
                        + _DIFFICULTY_CODE[difficulty])
    options, weights = _presentations_for(difficulty, frozenset(sites) if sites else None)
    p = rng.choices(options, weights)[0]
    sex = "male" if rng.random() < p.male_share else "female"
    lesion_data = {
        "site": p.site,
        "side": rng.choice(p.sides),
        "onset_days": _pick_onset(p, difficulty, rng),
        "severity": rng.choice(p.severities),
        **rng.choice(p.extras),
    }
    if p.site == "nerve" and lesion_data["name"] in ("facial",):
        lesion_data["onset_days"] = float(rng.randint(1, 3))  # Bell's palsy: seen within days
    lesions: list[Lesion] = [LESION_ADAPTER.validate_python(lesion_data)]
    words = _words(lesions[0], sex, rng)
    history = _fill(rng.choice(p.histories), words)
    tags = list(p.tags)
    if rng.random() < SECOND_LESION_SHARE[difficulty]:
        extra, sentence = rng.choice(BACKGROUND_LESIONS)
        if extra["site"] != p.site:
            lesions.append(LESION_ADAPTER.validate_python(extra))
            history += " " + _fill(sentence, words)
            tags.append("two-lesions")
    if lesions[0].onset_days < 1:
        tags.append("hyperacute")
    elif lesions[0].onset_days <= 14:
        tags.append("acute")
    low, high = p.ages
    # One validation pass over plain data (cheaper than building each sub-model).
    return Case.model_validate({
        "id": f"generated-{difficulty}-{seed}-{index}",
        "title": f"Generated patient {seed}.{index}",
        "difficulty": difficulty,
        "tags": tags,
        "patient": {"age": rng.randint(low, high), "sex": sex,
                    "complaint": _fill(rng.choice(p.complaints), words), "history": history},
        "lesions": lesions,
        "sources": [f"vpatient generator v{GENERATOR_VERSION} (vpatient {__version__})"],
    })


def generate_patients(seed: int, count: int = 1, difficulty: str = "core") -> list[Case]:
    return [generate_patient(seed, i, difficulty) for i in range(count)]
