"""Properties that hold for every patient the engine can produce."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from vpatient.core import anatomy as A
from vpatient.core.case import lesion_json
from vpatient.core.engine import derive_findings
from vpatient.core.findings import FINDING_KEYS, FINDING_SPECS, NORMAL_FINDINGS
from vpatient.core.generator import generate_patient
from vpatient.core.lesion import parse_lesion
from vpatient.core.lesion_space import lesion_space

ONSET = st.one_of(st.floats(0, 1, allow_nan=False), st.integers(1, 4000).map(float))


@st.composite
def lesions(draw):
    """Any lesion of the vocabulary (the enumerated lesion space), at any onset."""
    lesion = draw(st.sampled_from(lesion_space()))
    onset = draw(ONSET)
    if lesion.site == "motor_neuron_disease":
        onset = max(onset, 30.0)  # no acute form (ref §5.11)
    return parse_lesion({**lesion_json(lesion), "onset_days": onset})


def assert_complete_and_in_range(findings: dict) -> None:
    assert tuple(findings) == FINDING_KEYS
    for key, value in findings.items():
        assert FINDING_SPECS[key].check(value) is None, (key, value)


@settings(max_examples=300, deadline=None)
@given(st.lists(lesions(), min_size=1, max_size=3))
def test_every_key_present_and_every_value_allowed(lesion_list):
    assert_complete_and_in_range(derive_findings(lesion_list))


@settings(max_examples=300, deadline=None)
@given(lesions())
def test_unilateral_lesion_below_the_decussation_never_gives_contralateral_limb_signs(lesion):
    if lesion.side == "bilateral" or lesion.site in (
        "cortex", "internal_capsule", "midbrain", "pons", "medulla", "cauda_equina",
        "nmj", "motor_neuron_disease",  # these may legitimately reach the other side
    ):
        return
    findings = derive_findings([lesion])
    other = A.other_side(lesion.side)
    for key, value in findings.items():
        if FINDING_SPECS[key].side == other and FINDING_SPECS[key].region in ("arm", "leg"):
            assert value == NORMAL_FINDINGS[key], (key, value)


@settings(max_examples=200, deadline=None)
@given(lesions())
def test_unilateral_lesion_above_the_decussation_leaves_ipsilateral_limbs_normal(lesion):
    if lesion.side == "bilateral" or lesion.site not in (
        "cortex", "internal_capsule", "midbrain", "pons", "medulla",
    ):
        return
    findings = derive_findings([lesion])
    for key, value in findings.items():
        spec = FINDING_SPECS[key]
        if spec.side == lesion.side and spec.region in ("arm", "leg"):
            assert value == NORMAL_FINDINGS[key], (key, value)


@settings(max_examples=200, deadline=None)
@given(lesions())
def test_lmn_sites_never_give_upper_motor_neuron_signs(lesion):
    if lesion.site not in ("root", "plexus", "nerve", "polyneuropathy", "cauda_equina",
                           "anterior_horn", "nmj", "muscle", "conus"):
        return
    f = derive_findings([lesion])
    for side in A.SIDES:
        assert f[f"plantar.{side}"] != "extensor"
        assert f[f"hoffmann.{side}"] == "absent" and f[f"clonus.{side}"] == "absent"
        assert all(f[f"tone.{side}.{limb}"] != "spastic" for limb in A.LIMBS)
        assert all(f[f"reflex.{side}.{r}"] not in ("3+", "4+") for r in A.REFLEXES)


@settings(max_examples=200, deadline=None)
@given(lesions())
def test_no_wasting_before_three_weeks(lesion):
    if lesion.onset_days >= 21:
        return
    f = derive_findings([lesion])
    assert not any(v for k, v in f.items() if k.startswith(("wasting.", "fasciculations.")))


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(("intro", "core", "advanced")))
def test_generated_patients_are_complete_and_reproducible(seed, difficulty):
    first = generate_patient(seed, 0, difficulty)
    again = generate_patient(seed, 0, difficulty)
    assert first.to_json() == again.to_json()
    assert_complete_and_in_range(first.all_findings)
    assert first.patient.history and first.patient.complaint
    assert "{" not in first.patient.history + first.patient.complaint


def test_intro_patients_spare_beginners_the_time_course_pitfalls():
    central = ("cortex", "internal_capsule", "midbrain", "pons", "medulla", "spinal_cord")
    for seed in range(300):
        first = generate_patient(seed, 0, "intro").lesions[0]
        assert first.onset_days >= 1
        if first.site in central:  # settled UMN signs, no hyperacute flaccidity or shock
            assert first.onset_days >= 28


def test_advanced_patients_include_acute_and_multiple_lesions():
    patients = [generate_patient(s, 0, "advanced") for s in range(300)]
    assert any(p.lesions[0].onset_days < 1 for p in patients)
    assert any(len(p.lesions) > 1 for p in patients)


def test_two_hundred_patients_cover_at_least_twelve_sites():
    sites = {generate_patient(7, i, "core").lesions[0].site for i in range(200)}
    assert len(sites) >= 12


def test_the_clinical_core_imports_nothing_from_textual():
    code = (
        "import sys, vpatient.core.engine, vpatient.core.generator, vpatient.core.grading, "
        "vpatient.core.casefile, vpatient.core.examination, vpatient.library, vpatient.cli;"
        "import json; print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('textual', 'rich', 'asyncssh'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout) == []


@settings(max_examples=400, deadline=None)
@given(st.lists(lesions(), min_size=1, max_size=2))
def test_findings_depend_on_onset_only_through_its_time_band(lesion_list):
    """The derivation cache keys on the time band: it must give exactly the exact-onset result."""
    from vpatient.core.engine import derive_uncached
    from vpatient.core.timecourse import time_band_start

    banded = [lesion.model_copy(update={"onset_days": time_band_start(lesion.onset_days)})
              for lesion in lesion_list]
    assert derive_uncached(lesion_list) == derive_uncached(banded)
    assert derive_findings(lesion_list) == derive_uncached(lesion_list)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(("intro", "core", "advanced")))
def test_generated_patients_pass_full_case_validation(seed, difficulty):
    from vpatient.core.case import Case

    patient = generate_patient(seed, 1, difficulty)
    assert Case.model_validate(patient.model_dump()) == patient


def test_generated_ages_fit_the_onset():
    from vpatient.presentations import bundled_presentations

    background_ages = {b.lesion["site"]: b.min_age for b in bundled_presentations().mix.background}
    for seed in range(400):
        patient = generate_patient(seed, 0, "advanced")
        years_ago = patient.lesions[0].onset_days / 365
        assert patient.patient.age > years_ago
        for extra in patient.lesions[1:]:  # a background illness at an age that has it
            assert patient.patient.age >= background_ages[extra.site]
        assert " 1 days" not in " " + patient.patient.history
        assert not patient.patient.history[0].isdigit()
