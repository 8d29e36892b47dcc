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

GENERATOR_VERSION = 2  # bump when the same seed would give a different patient


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


# Placeholders: {body} the side of the weak limbs, {lesion_side} the lesion's side ("worse" when
# bilateral, and "the worse " is then dropped), {onset} when it began ("3 days ago"), {Onset_cap}
# the same capitalised with a comma (starts a sentence), {onset_span} ("3 months"),
# {pronoun}/{Pronoun}/{possessive}/{object}, {limb} for single-limb presentations, {cause} for
# nerves. Complaint and history are drawn independently, so each complaint must suit every
# history, and every template must read right for every onset the presentation can produce.
PRESENTATIONS: tuple[Presentation, ...] = (
    Presentation(
        "internal_capsule", (52, 86), (30, 720), (2, 10), (0.1, 0.8),
        ("moderate", "severe", "complete"),
        ("My {body} arm and leg are weak.", "I can't use my {body} side properly.",
         "My {body} side has gone heavy and my speech is slurred."),
        ("{Pronoun} noticed weakness of the {body} arm and leg {onset}; it came on over a few "
         "minutes and has not spread since. There was no headache and no loss of "
         "consciousness. {Pronoun} has had high blood pressure for years. Family members saw "
         "that {possessive} smile was lopsided; {possessive} speech is slurred, but the words "
         "are the right ones.",
         "{Onset_cap} {pronoun} got up from the breakfast table and found that the {body} leg "
         "would not take {possessive} weight and the {body} hand could not hold a cup. "
         "{Pronoun} understood everything said to {object} and felt no numbness. {Pronoun} "
         "is a retired lorry driver who smokes and has not had a blood pressure check in "
         "years.",
         "{Pronoun} woke {onset} unable to lift the {body} arm or stand on the {body} leg. "
         "{Pronoun} knew exactly what {pronoun} wanted to say, but the words came out thick "
         "and slurred. There was no headache and no trouble with vision. {Pronoun} takes "
         "tablets for type 2 diabetes and high blood pressure.",
         "{Onset_cap} over an hour or so, the {body} arm and leg grew weak and the {body} "
         "corner of {possessive} mouth drooped. There was a brief tingle down that side but no "
         "lasting numbness, and no headache. Some weeks earlier {pronoun} had a short spell of "
         "clumsiness of the same arm that cleared within the hour. {Pronoun} smokes twenty "
         "cigarettes a day."),
        tags=("stroke", "umn"),
    ),
    Presentation(
        "cortex", (48, 88), (30, 720), (2, 10), (0.1, 0.8), ("moderate", "severe"),
        ("My {body} {limb} is weak and clumsy.",
         "My {body} {limb} won't do what I tell it."),
        ("{Onset_cap} {possessive} {body} {limb} suddenly went weak and clumsy while "
         "{pronoun} was gardening. {Pronoun} has atrial fibrillation and had stopped "
         "{possessive} anticoagulant some weeks before because of nosebleeds. Relatives say "
         "{pronoun} seemed muddled and not quite {possessive} usual self at the time.",
         "{Onset_cap} {pronoun} noticed all at once that {possessive} {body} {limb} had become "
         "weak and awkward; it has not progressed since. A few weeks before that {pronoun} had "
         "been in hospital with a heart attack. The family found {object} slow and vague "
         "when it happened.",
         "{Onset_cap} while watching television, {pronoun} found that {pronoun} could not "
         "control {possessive} {body} {limb}, and its skin felt strange and distant, as if it "
         "belonged to someone else. {Pronoun} smokes, has high cholesterol, and was told some "
         "years ago that the arteries in {possessive} neck were narrowed.",
         "{Onset_cap} shortly after getting off a long-haul flight, {possessive} {body} "
         "{limb} became weak and heavy within a minute or so. {Pronoun} "
         "had noticed an aching, swollen calf during the journey. Relatives thought {pronoun} "
         "was confused for a while afterwards."),
        extras=({"territory": "face_arm"}, {"territory": "face_arm"}, {"territory": "leg"}),
        tags=("stroke", "umn"),
    ),
    Presentation(
        "midbrain", (50, 85), (30, 365), (2, 10), (0.2, 0.8), ("moderate", "severe"),
        ("I see double and my {body} side is weak.",
         "My {lesion_side} eyelid has dropped and my {body} arm and leg are weak."),
        ("{Onset_cap} {pronoun} was reading when the words suddenly doubled and the "
         "{lesion_side} eyelid came down over the eye; within minutes the {body} arm and leg "
         "were weak. {Pronoun} has smoked for most of {possessive} life and has diabetes.",
         "{Pronoun} woke {onset} seeing two of everything, one image set below and to the "
         "side of the other, and could barely open the {lesion_side} eye. The {body} arm and "
         "leg felt heavy and useless. {Pronoun} has high blood pressure and already took "
         "aspirin after a heart attack.",
         "{Onset_cap} {pronoun} felt briefly dizzy, then found {pronoun} could not lift the "
         "{lesion_side} eyelid and saw double when {pronoun} held it up with a finger. The "
         "{body} arm and leg weakened over the next few minutes. A relative noticed that the "
         "{lesion_side} pupil looked larger than the other. {Pronoun} has an irregular "
         "heartbeat."),
        tags=("stroke", "brainstem"),
    ),
    Presentation(
        "pons", (50, 85), (30, 365), (2, 10), (0.2, 0.8), ("moderate", "severe"),
        ("My face has dropped and my {body} side is weak.",
         "I see double and my {body} arm and leg are weak."),
        ("{Pronoun} woke {onset} with double vision whenever {pronoun} looked to the "
         "{lesion_side}. The {lesion_side} side of {possessive} face, forehead included, had "
         "dropped and the eye would not shut, and the {body} arm and leg were weak. {Pronoun} "
         "has high blood pressure and high cholesterol.",
         "{Onset_cap} while out walking the dog, {pronoun} began to see double, worst when "
         "looking to the {lesion_side}. Tea then dribbled from the {lesion_side} corner of "
         "{possessive} mouth, {pronoun} could not screw up the {lesion_side} eye, and the "
         "{body} arm and leg became weak. {Pronoun} is a heavy smoker with diabetes.",
         "{Onset_cap} {pronoun} noticed {possessive} {body} hand and leg had become weak and "
         "clumsy; shortly afterwards {possessive} partner saw that the {lesion_side} half of "
         "{possessive} face had fallen, brow and all. Looking to the {lesion_side} brings on "
         "double vision. {Pronoun} had a brief stroke-like episode last year and was advised "
         "to stop smoking, but has not."),
        tags=("stroke", "brainstem"),
    ),
    Presentation(
        "medulla", (50, 85), (30, 365), (2, 10), (0.2, 0.8), ("moderate", "severe"),
        ("My {body} arm and leg are weak and my speech is thick.",
         "My {body} side is weak and my tongue feels clumsy."),
        ("{Onset_cap} {pronoun} developed weakness of the {body} arm and leg and found "
         "{pronoun} could not move {possessive} tongue well, so that words came out thick. "
         "The face felt and looked normal. {Pronoun} has had two brief spells of dizziness "
         "and double vision in the past year.",
         "{Onset_cap} {pronoun} stood up and {possessive} {body} leg gave way; the {body} arm "
         "was weak too. Since then {pronoun} cannot tell where the {body} fingers and toes are "
         "without looking, although {pronoun} feels a pinprick there normally. The tongue "
         "feels stiff and {possessive} speech is slurred. {Pronoun} has poorly controlled "
         "high blood pressure.",
         "{Pronoun} woke {onset} with a heavy {body} arm and leg and a tongue that felt thick "
         "and awkward in {possessive} mouth. The face did not droop and swallowing is normal. "
         "{Pronoun} is a retired builder with diabetes who has smoked a pipe for decades."),
        tags=("stroke", "brainstem"),
    ),
    Presentation(
        "spinal_cord", (25, 80), (45, 1500), (4, 25), (0.3, 2.5), ("moderate", "severe"),
        ("My legs are weak and stiff.", "My hands are clumsy and I am unsteady.",
         "I keep dropping things and my legs won't go where I want."),
        ("{Pronoun} has had a stiff, grinding neck for years and had slowly grown clumsier "
         "with buttons and handwriting. {Onset_cap} {pronoun} tripped on a kerb and fell "
         "forwards, jolting the head back; since then both hands have been numb and weak and "
         "the legs stiff and unsteady. {Pronoun} now has to hurry to pass urine.",
         "{Pronoun} works as a plasterer, spending much of the day with the head tipped back, "
         "and has had neck ache for as long as {pronoun} can remember. Over time the hands "
         "had become numb and fumbling and the walk stiff and wide-based. Everything got "
         "sharply worse {onset}, when {pronoun} was jolted in a minor car shunt. There "
         "is some urgency of micturition.",
         "{Onset_cap} {pronoun} felt something give in the neck while lifting a heavy sack, "
         "and soon afterwards electric shocks ran down the back and into the limbs whenever "
         "{pronoun} bent the head forward. Since then the hands have been numb and clumsy and "
         "the legs stiff. Looking back, {possessive} fingers had felt thick and awkward for a "
         "long time before this, and {pronoun} had been getting up at night with an urgent "
         "need to pass urine.",
         "Friends had remarked for a while that {pronoun} walked stiffly, and {pronoun} had "
         "given up playing the guitar because {possessive} fingers had become numb and slow. "
         "{Onset_cap} {pronoun} woke after a night asleep in an armchair with the neck bent "
         "and found the hands and legs markedly worse. {Pronoun} also has to rush to the "
         "toilet to pass urine."),
        extras=({"level": "C6", "pattern": "complete"}, {"level": "C5", "pattern": "central"},
                {"level": "C7", "pattern": "complete"}),
        sides=("bilateral",), tags=("cord",),
    ),
    Presentation(
        "spinal_cord", (18, 70), (45, 1500), (4, 25), (0.3, 2.5),
        ("moderate", "severe", "complete"),
        ("I can't move my legs.", "My legs are weak and I have lost control of my bladder.",
         "My legs have gone numb and weak and I can't pass water."),
        ("{Onset_cap} some weeks after a flu-like illness, a tight, burning band appeared "
         "around {possessive} trunk; within hours numbness and weakness crept up both legs and "
         "{pronoun} could not pass urine. The arms are unaffected.",
         "{Onset_cap} after some weeks of worsening mid-back pain that woke {object} at "
         "night, {possessive} legs became weak and numb up to a line across the trunk, and "
         "{pronoun} could no longer pass urine properly. {Pronoun} had been treated for a "
         "cancer the year before. The arms and hands work normally.",
         "{Onset_cap} {pronoun} fell about four metres from scaffolding at work and landed "
         "on {possessive} back across a beam. Since then the legs have been weak and numb "
         "below a sore band across the trunk, and {pronoun} has needed a catheter to empty the "
         "bladder. The arms work normally.",
         "{Onset_cap} {pronoun} felt a sudden, severe pain between the shoulder blades while "
         "straining at the gym, and within the hour both legs had become weak and numb up to "
         "a level on the trunk. {Pronoun} has not been able to pass urine since. The arms are "
         "normal. {Pronoun} has high blood pressure."),
        extras=({"level": "T10", "pattern": "complete"}, {"level": "T6", "pattern": "complete"},
                {"level": "T8", "pattern": "anterior"}),
        sides=("bilateral",), tags=("cord",),
    ),
    Presentation(
        "spinal_cord", (18, 60), (45, 730), (4, 25), (0.3, 2.5), ("moderate", "severe"),
        ("My {lesion_side} leg is weak and the other one feels strange.",
         "Since the injury my {lesion_side} side is weak and the other leg feels numb."),
        ("{Onset_cap} {pronoun} was stabbed from behind during a robbery. Since then "
         "{pronoun} has been weak on the {lesion_side} side below the wound and cannot feel "
         "where the {lesion_side} foot is without looking, while the other leg no longer "
         "tells hot water from cold. Bladder control is normal.",
         "{Onset_cap} {pronoun} was working as a night security guard when an intruder "
         "stabbed {object} from behind with a screwdriver. The {lesion_side} leg gave way at "
         "once. Later, in the shower, {pronoun} found that the other leg could not feel the "
         "hot water, although it moves normally.",
         "{Onset_cap} a grinding wheel burst at the workshop where {pronoun} works and a "
         "metal fragment struck {object} from behind. Since then the {lesion_side} side below "
         "the wound has been weak and {pronoun} is unsteady in the dark. {Pronoun} has since "
         "burnt the other leg on a radiator without feeling it."),
        extras=({"level": "T10", "pattern": "hemisection"},
                {"level": "C5", "pattern": "hemisection"}),
        tags=("cord",),
    ),
    Presentation(
        "conus", (30, 75), (30, 180), (1, 10), None, ("moderate", "severe"),
        ("I can't pass urine and my bottom is numb.",
         "I've lost control of my bladder and bowels.",
         "My back hurts and I can't feel the toilet paper when I wipe."),
        ("{Onset_cap} {pronoun} developed sudden low back pain, then soon found {pronoun} "
         "could not empty the bladder and that the skin around the back passage and buttocks "
         "was numb on both sides. The legs feel only a little weak, and there is hardly any "
         "pain down them.",
         "{Onset_cap} {pronoun} fell from a loft ladder and landed hard on {possessive} feet, "
         "with a sharp pain low in the back. Since then {pronoun} has needed a catheter to "
         "pass urine and cannot feel the seat when sitting on the toilet. The legs work "
         "reasonably well and there is no shooting pain in them.",
         "{Onset_cap} {pronoun} wet the bed and realised {pronoun} could no longer feel when "
         "the bladder was full; since then the bowels have been hard to control as well. The "
         "skin around the back passage feels numb on both sides, as if after a dental "
         "injection, and sexual function has been lost. There is a dull ache in the low back "
         "but no pain down the legs."),
        sides=("bilateral",), tags=("cord",),
    ),
    Presentation(
        "cauda_equina", (30, 70), (30, 120), (1, 7), None, ("moderate", "severe"),
        ("Terrible pain down my legs and they are weak.",
         "Shooting pains go down both legs and they keep giving way."),
        ("{Onset_cap} {pronoun} lifted a heavy box and felt a tearing pain in the lower back, "
         "then severe shooting pain down the backs of both legs. The legs became weak and "
         "floppy; later {pronoun} noticed numbness between the legs and had to strain to pass "
         "urine.",
         "{Pronoun} works as a warehouse picker and has had back ache on and off for years. "
         "{Onset_cap} after a weekend of heavy gardening, the pain spread into both legs and "
         "became the worst {pronoun} has ever known, shooting down to the feet. The legs "
         "have weakened, the skin between the legs feels numb, and passing urine now takes a "
         "conscious effort.",
         "{Onset_cap} {pronoun} had {possessive} lower back manipulated by a therapist and "
         "that evening developed agonising pain shooting down both legs. The legs now give "
         "way and the feet slap as {pronoun} walks, and {pronoun} cannot feel the toilet "
         "paper when wiping. Only more recently has {pronoun} had trouble starting to pass "
         "urine.",
         "{Pronoun} drives a delivery van for a living. {Onset_cap} {pronoun} bent to pick "
         "up a parcel and felt the back give; since then burning, electric pains have shot "
         "down the backs of both legs into the feet. The legs feel weak and numb in patches, "
         "the buttocks are numb, and urine comes slowly."),
        sides=("left", "right", "bilateral"), tags=("root",),
    ),
    Presentation(
        "anterior_horn", (4, 40), (365 * 5, 365 * 40), (3, 10), None, ("severe", "complete"),
        ("My {lesion_side} {limb} is weak.",
         "My {lesion_side} {limb} hasn't worked properly since I had a fever."),
        ("{Pronoun} was born in a country where few children were vaccinated. {Onset_cap} "
         "after a few days of fever, headache, a stiff neck and aching muscles, the "
         "{lesion_side} {limb} became weak and floppy. There was no numbness then or since.",
         "{Onset_cap} after two days of fever, vomiting and deep aching in the back and "
         "limbs, {pronoun} found {pronoun} could not lift the {lesion_side} {limb}. For a "
         "short time {pronoun} also could not pass urine. Others in the same village who had "
         "not been vaccinated fell ill that month. Feeling in the {limb} was never affected.",
         "{Pronoun} was never vaccinated. {Onset_cap} after a few days of fever and painful "
         "muscles, the {lesion_side} {limb} became weak; it ached but felt normal to touch. "
         "A few weeks before, a baby in the household had been given oral drops against "
         "childhood infections."),
        extras=({"levels": "L2-S1"}, {"levels": "L3-S1"}, {"levels": "C5-T1"}),
        tags=("anterior-horn",),
    ),
    Presentation(
        "root", (30, 70), (30, 180), (3, 14), None, ("mild", "moderate", "severe"),
        ("Pain shoots down my {lesion_side} {limb}.", "My {lesion_side} {limb} is weak and "
         "tingles.", "Electric shocks run down my {lesion_side} {limb} when I cough."),
        ("{Pronoun} works for a removals firm. {Onset_cap} after a day of heavy lifting, a "
         "deep ache in the spine spread into the {lesion_side} {limb} as a sharp, burning "
         "pain, worse when {pronoun} coughs, sneezes or strains. A narrow strip of skin along "
         "the {limb} tingles and feels dead.",
         "{Onset_cap} after a long drive, {pronoun} woke with pain running from the spine "
         "into the {lesion_side} {limb}. Certain movements of the spine send pins and needles "
         "down to the end of the {limb}, and one particular movement of it now feels weak. "
         "{Pronoun} is otherwise fit.",
         "{Pronoun} has had bouts of spinal pain over the years. {Onset_cap} a twisting shot "
         "on the golf course brought on a pain that darted into the {lesion_side} {limb} and "
         "has stayed, with numbness in a band of skin. {Pronoun} finds some positions ease it "
         "and coughing makes it flare.",
         "{Onset_cap} without any obvious strain, {pronoun} developed burning pain along the "
         "{lesion_side} {limb}, with pins and needles and numbness in a narrow stripe of skin. "
         "{Pronoun} is a dentist who spends the working day bent over patients. The pain "
         "eases when {pronoun} lies still."),
        extras=tuple({"level": lv} for lv in A.ROOT_LEVELS if lv not in ("T1", "L2", "L3")),
        tags=("root",),
    ),
    Presentation(
        "plexus", (18, 65), (30, 365), (2, 14), None, ("moderate", "severe"),
        ("My {lesion_side} {limb} doesn't work properly.",
         "My {lesion_side} {limb} is weak and partly numb."),
        ("{Onset_cap} {pronoun} came off a motorbike at speed and hit the road hard on the "
         "{lesion_side} side. The {lesion_side} {limb} has been weak and partly numb since, "
         "in patches that do not follow any single line. {Pronoun} works as a courier.",
         "{Onset_cap} {pronoun} was thrown from a horse and dragged for some distance with "
         "the {lesion_side} {limb} caught and violently wrenched. Since then the {limb} has "
         "been weak and floppy, and parts of it feel numb.",
         "{Onset_cap} {pronoun} had a long operation, lying in an awkward position for many "
         "hours. On waking, {pronoun} found the {lesion_side} {limb} weak and partly numb, "
         "and it has not recovered since. There was no pain in the neck or back.",
         "{Onset_cap} {pronoun} was a passenger in a car that rolled over, and the "
         "{lesion_side} {limb} was twisted violently beneath {object}. On the ward {pronoun} "
         "noticed that the {limb} would not work properly and that parts of it felt numb."),
        extras=({"part": "upper_trunk"}, {"part": "lower_trunk"}, {"part": "lumbosacral"}),
        tags=("plexus",),
    ),
    Presentation(
        "nerve", (20, 80), (30, 365), (1, 10), None, ("moderate", "severe"),
        ("The {lesion_side} {limb} has gone weak.",
         "The {lesion_side} {limb} isn't working properly."),
        ("{Onset_cap} {pronoun} noticed that the {lesion_side} {limb} was not working "
         "properly. The only thing {pronoun} can link it to is {cause}. There is no neck or "
         "back pain and nothing similar on the other side.",
         "{Pronoun} first became aware of weakness of the {lesion_side} {limb} {onset}. "
         "Asked about anything unusual beforehand, {pronoun} mentions {cause}. {Pronoun} is "
         "otherwise well.",
         "{Onset_cap} the {lesion_side} {limb} became weak, and nothing else has been "
         "affected since. {Pronoun} recalls {cause}."),
        extras=tuple({"name": n} for n in A.NERVES if n != "hypoglossal"),
        tags=("nerve",),
    ),
    Presentation(
        "polyneuropathy", (45, 85), (365, 3650), None, None, ("mild", "moderate", "severe"),
        ("My feet are numb and I trip over.",
         "My feet burn at night and feel as if they're wrapped in cotton wool.",
         "I'm unsteady, especially in the dark."),
        ("{Pronoun} has had diabetes for many years and admits the sugars are often high. "
         "Over the last {onset_span} the feet have become numb and burning, first the toes "
         "and then up to mid-shin, and lately the fingertips too. {Pronoun} catches "
         "{possessive} toes on kerbs.",
         "{Pronoun} has drunk heavily for years and eats poorly. Over {onset_span} numbness "
         "has crept up from the soles to below the knees, and the fingers now fumble with "
         "small buttons. {Pronoun} is unsteady in the dark and once scalded a foot in the bath "
         "without noticing.",
         "{Pronoun} had chemotherapy for a bowel cancer, and tingling in the toes began during "
         "treatment, {onset_span} ago. It has spread slowly up both legs, walking feels like "
         "treading on pebbles, and the fingertips are going numb. {Pronoun} has started to "
         "trip on the stairs.",
         "{Pronoun} has kidney failure and has been on dialysis for some years. For "
         "{onset_span} the feet have tingled and burned, spreading evenly up both legs, and "
         "{pronoun} now scuffs {possessive} toes when walking. The hands are starting to feel "
         "numb as well."),
        extras=({"pattern": "length_dependent"},), sides=("bilateral",), tags=("neuropathy",),
    ),
    Presentation(
        "polyneuropathy", (20, 75), (10, 25), (5, 14), None, ("moderate", "severe"),
        ("My legs went weak and now my arms too.",
         "My feet and hands tingle and I can hardly walk.",
         "I'm getting weaker every day and my back aches."),
        ("{Onset_cap} {pronoun} noticed tingling in the toes and fingers, then weakness "
         "climbing from the legs to the arms over a few days. Two weeks before that {pronoun} "
         "had diarrhoea after a barbecue. There is an aching pain in the lower back but no "
         "bladder trouble.",
         "About three weeks before {possessive} symptoms began, {pronoun} had a sore throat "
         "and a cough. {Onset_cap} {pronoun} found it hard to climb stairs, and over the "
         "following days {pronoun} struggled to rise from a chair and {possessive} hands grew "
         "weak. {Pronoun} has pins and needles in the feet and hands and a deep ache between "
         "the shoulder blades. Bladder and bowels work normally.",
         "{Pronoun} is a keen runner who first noticed {possessive} legs felt heavy on a run "
         "{onset}. Within days the weakness had reached the arms, with tingling in the "
         "fingertips and an ache in the lower back and thighs. {Pronoun} had recovered from a "
         "stomach bug picked up on holiday a couple of weeks before. {Pronoun} passes urine "
         "normally.",
         "{Pronoun} works as a chef and had a feverish, flu-like illness a fortnight before "
         "{possessive} symptoms began. {Onset_cap} {possessive} feet started to feel as if "
         "they were asleep; since then the weakness has spread upwards and {pronoun} now "
         "struggles to hold a cup. The back and thighs ache, but there is no band of numbness "
         "and no trouble passing urine."),
        extras=({"pattern": "acute_demyelinating"},), sides=("bilateral",),
        tags=("neuropathy", "acute"),
    ),
    Presentation(
        "nmj", (20, 75), (30, 365), None, None, ("mild", "moderate", "severe"),
        ("My eyelids droop and I see double by the evening.",
         "By the end of the day I can hardly chew and my voice goes nasal.",
         "The more I do, the weaker I get."),
        ("For {onset_span} {pronoun} has noticed {possessive} eyelids creeping down and "
         "{possessive} vision doubling as the day goes on, especially when driving home; a "
         "nap puts things right for a while. Chewing tires {possessive} jaw, and {pronoun} has "
         "to rest {possessive} arms while brushing {possessive} hair. There is no numbness.",
         "{Pronoun} is a teacher. Over {onset_span} {possessive} voice has become nasal and "
         "faint by the afternoon, and drinks sometimes come back through the nose at supper. "
         "In the mornings {pronoun} feels almost normal. Holding the arms up to hang out the "
         "washing becomes impossible after a minute or two.",
         "Over the last {onset_span} {pronoun} has had spells of double vision and drooping "
         "eyelids that come and go, sometimes lasting days. A chest infection recently made "
         "everything much worse. {Pronoun} now finds {possessive} legs tire on the stairs, "
         "although the first flight is easy.",
         "{Pronoun} works as a hairdresser and over {onset_span} has found that {pronoun} "
         "cannot keep {possessive} arms raised for long. By the end of a shift {possessive} "
         "eyelids are heavy and {pronoun} sees double, and a weekend's rest helps. Sensation "
         "is normal and there is no pain."),
        sides=("bilateral", "left", "right"), male_share=0.4, tags=("nmj",),
    ),
    Presentation(
        "muscle", (35, 75), (60, 365), None, None, ("moderate", "severe"),
        ("I can't get up from a chair or lift my arms.",
         "I struggle with stairs and can't reach up to high shelves.",
         "My thighs and shoulders have gone weak."),
        ("{Pronoun} started a cholesterol-lowering tablet a few months before the trouble "
         "began. Over {onset_span} it has become a struggle to climb stairs and get out of a "
         "low chair, and {pronoun} has to push up with {possessive} arms. The thighs and "
         "shoulders ache. The hands and feet are strong and there is no numbness.",
         "{Pronoun} has taken high-dose steroid tablets for a lung condition for most of the "
         "past year. Over {onset_span} the hips and thighs have weakened, so that getting off "
         "the toilet needs a rail, and lifting the arms above the head has become hard. "
         "Sensation is normal and there is no pain.",
         "Over {onset_span} {pronoun} has become weak at the shoulders and hips: combing "
         "{possessive} hair, climbing onto a bus and getting up from a squat are all hard. A "
         "purplish rash has appeared on the eyelids and knuckles, and bread sometimes sticks "
         "on swallowing. Writing and buttons are no trouble, and there is no numbness or "
         "bladder upset.",
         "For {onset_span} {pronoun} has felt tired and cold, has put on weight, and "
         "{possessive} muscles ache and cramp. Climbing stairs and lifting shopping into the "
         "car have become hard, although {possessive} grip is good. There is no numbness and "
         "no bladder trouble."),
        sides=("bilateral",), male_share=0.4, tags=("myopathy",),
    ),
    Presentation(
        "motor_neuron_disease", (45, 80), (180, 900), None, None, ("moderate", "severe"),
        ("My hands are getting weak and thin and my legs are stiff.",
         "My speech is slurred and I choke on drinks.",
         "My muscles twitch and I keep tripping."),
        ("Over {onset_span} {pronoun} has noticed weakness and thinning of the muscles, "
         "starting in one hand, with twitching under the skin and painful cramps at night. "
         "{Pronoun} has lost weight without trying. There is no numbness, no bladder trouble "
         "and no double vision.",
         "It began {onset} with clumsiness doing up buttons and turning keys, and the muscle "
         "between the thumb and forefinger has shrunk. Since then one foot has started to "
         "catch, the legs feel stiff, and {possessive} speech has become slightly slurred. "
         "Feeling is entirely normal and the bladder works well. {Pronoun} is a retired PE "
         "teacher.",
         "The first thing {pronoun} noticed, {onset}, was that {possessive} speech had become "
         "slurred, especially when tired, and that thin drinks made {object} cough. {Pronoun} "
         "now laughs or cries more easily than before, and the family have seen the muscles "
         "of {possessive} arms flicker. Sensation, bladder and eye movements are unaffected.",
         "{Pronoun} first tripped over a slightly dropped foot {onset}. Since then the "
         "weakness has spread to the thigh and then to the hands, with cramps and visible "
         "twitching in the calves. An uncle had a similar illness that progressed over a few "
         "years. There is no pain, numbness or bladder disturbance."),
        sides=("bilateral", "left", "right"), male_share=0.6, tags=("als", "mixed"),
    ),
)

NERVE_CAUSES: dict[str, tuple[str, tuple[str, ...]]] = {
    # nerve -> (limb word, alternative cause phrases; one is picked with the rng)
    "axillary": ("shoulder", ("a dislocated shoulder",
                              "a fall onto the shoulder that broke the top of the arm bone",
                              "the shoulder popping out in a rugby tackle")),
    "musculocutaneous": ("arm", ("heavy weight training",
                                 "carrying heavy boxes clasped to the chest when moving house")),
    "radial": ("wrist", ("falling asleep drunk with the arm over a chair back",
                         "a broken upper arm bone from a fall on ice",
                         "sleeping all night with a partner's head resting on the arm")),
    "median": ("hand", ("tingling in the fingers at night for months",
                        "years of work with a vibrating drill and fingers that tingle at night",
                        "a broken wrist set in plaster earlier in the year")),
    "ulnar": ("hand", ("leaning on the elbows at a desk all day",
                       "an elbow broken in childhood that healed crooked",
                       "lying propped on the elbows through a long stay in hospital")),
    "femoral": ("leg", ("a pelvic operation", "a hip replacement",
                        "a large bruise in the groin after a heart catheter test")),
    "sciatic": ("leg", ("an injection into the buttock", "a hip replacement",
                        "lying for many hours on a hard floor after a collapse")),
    "common_peroneal": ("foot", ("sitting cross-legged for hours while losing weight",
                                 "a tight plaster cast below the knee",
                                 "days spent squatting while laying a floor")),
    "tibial": ("foot", ("a knee injury", "a painful swelling behind the knee",
                        "a dislocated knee in a skiing accident")),
    "facial": ("side of the face", ("a cold sore a week earlier; the face dropped over a day",
                        "an ache behind the ear the day before; the face dropped over a day",
                        "a heavy cold the week before; the face dropped over a few hours")),
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


_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _spelt(n: int) -> str:
    if n < 20:
        return _UNITS[n]
    tens, units = divmod(n, 10)
    return _TENS[tens] + (f"-{_UNITS[units]}" if units else "")


def _sentence_start(text: str) -> str:
    """Capitalised, with a leading number spelt out ("3 days ago" -> "Three days ago")."""
    number, _, rest = text.partition(" ")
    if number.isdigit() and int(number) < 100:
        text = f"{_spelt(int(number))} {rest}"
    return text[0].upper() + text[1:]


def _span_words(days: float) -> str:
    return format_onset(days).removesuffix(" ago")


def _limb_for(lesion: Lesion, rng: random.Random) -> str:
    if lesion.site == "nerve":
        return NERVE_CAUSES[lesion.name][0]  # type: ignore[union-attr]
    if lesion.site == "root":
        return "arm" if lesion.level.startswith("C") or lesion.level == "T1" else "leg"  # type: ignore[union-attr]
    if lesion.site == "cortex":
        return "hand" if lesion.territory == "face_arm" else "leg"  # type: ignore[union-attr]
    if lesion.site == "anterior_horn":
        return "arm" if lesion.levels.startswith("C") else "leg"  # type: ignore[union-attr]
    if lesion.site == "plexus":
        return A.PLEXUS_PARTS[lesion.part][0]  # type: ignore[union-attr]
    return "leg"


def _words(lesion: Lesion, sex: str, rng: random.Random) -> dict[str, str]:
    body = A.other_side(lesion.side) if lesion.side in A.SIDES and lesion.site in (
        "cortex", "internal_capsule", "midbrain", "pons", "medulla") else lesion.side
    male = sex == "male"
    onset = _onset_words(lesion.onset_days)
    cause = ""
    if lesion.site == "nerve":  # (pydantic's __getattr__ is slow for absent attributes)
        cause = rng.choice(NERVE_CAUSES[lesion.name][1])  # type: ignore[union-attr]
    words = {
        "body": body, "lesion_side": lesion.side if lesion.side != "bilateral" else "worse",
        "onset": onset, "Onset_cap": _sentence_start(onset) + ",",
        "onset_span": _span_words(lesion.onset_days),
        "pronoun": "he" if male else "she", "Pronoun": "He" if male else "She",
        "possessive": "his" if male else "her", "object": "him" if male else "her",
        "limb": _limb_for(lesion, rng), "cause": cause,
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
    low, high = p.ages
    # Old enough to have lived through the onset (polio decades ago began in childhood).
    age = max(rng.randint(low, high), int(lesions[0].onset_days / 365) + 3)
    if rng.random() < SECOND_LESION_SHARE[difficulty]:
        extra, sentence = rng.choice(BACKGROUND_LESIONS)
        # Background illnesses of years' standing belong to adults.
        if extra["site"] != p.site and age >= 40:
            lesions.append(LESION_ADAPTER.validate_python(extra))
            history += " " + _fill(sentence, words)
            tags.append("two-lesions")
    if lesions[0].onset_days < 1:
        tags.append("hyperacute")
    elif lesions[0].onset_days <= 14:
        tags.append("acute")
    # One validation pass over plain data (cheaper than building each sub-model).
    return Case.model_validate({
        "id": f"generated-{difficulty}-{seed}-{index}",
        "title": f"Generated patient {seed}.{index}",
        "difficulty": difficulty,
        "tags": tags,
        "patient": {"age": age, "sex": sex,
                    "complaint": _fill(rng.choice(p.complaints), words), "history": history},
        "lesions": lesions,
        # This patient's own expression of the lesion (engine.Variation), from the same draw.
        "variation": rng.getrandbits(32),
        "sources": [f"vpatient generator v{GENERATOR_VERSION} (vpatient {__version__})"],
    })


def generate_patients(seed: int, count: int = 1, difficulty: str = "core") -> list[Case]:
    return [generate_patient(seed, i, difficulty) for i in range(count)]
