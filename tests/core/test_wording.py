"""What the student reads: every finding has bedside words, and none names the answer."""

from __future__ import annotations

import re

import pytest

from vpatient.core import anatomy as A
from vpatient.core.findings import FINDING_SPECS
from vpatient.core.wording import (
    MRC_WORDS,
    NUMB_AREA_WORDS,
    SHORT,
    area_label,
    finding_line,
    finding_text,
    level_label,
    missing_words,
    short_code,
)

ANATOMICAL = re.compile(
    r"\b([CTLS][1-8]|T1[0-2]|dermatome|plexus|trunk|root|nerve|median|ulnar|radial|axillary|"
    r"musculocutaneous|femoral|sciatic|peroneal|fibular|tibial|hypoglossal|facial|palsy)\b",
    re.IGNORECASE)


def test_every_findings_key_and_value_has_words():
    """When a findings key is added, this names the words still to write (core/wording.py)."""
    assert missing_words() == []


def test_power_reads_as_the_mrc_grade_and_what_it_means():
    for grade, words in MRC_WORDS.items():
        assert finding_text("power.left.hip_flexion", grade) == f"{grade}/5 ({words})"
    assert finding_line("power.right.ankle_dorsiflexion", 4) == \
        "Right ankle dorsiflexion: 4/5 (moves against some resistance)"


@pytest.mark.parametrize("key", list(FINDING_SPECS))
def test_no_value_of_any_key_names_a_nerve_root_segment_or_plexus(key):
    spec = FINDING_SPECS[key]
    values = A.NUMB_AREAS if key.startswith("numb_area") else spec.values
    for value in values:
        line = finding_line(key, value)
        assert not ANATOMICAL.search(line.split(": ", 1)[1]), line
        assert not ANATOMICAL.search(short_code(key, value)), (key, value)


def test_the_issue_examples_read_at_the_bedside():
    assert finding_text("eyes.right", "sixth_nerve_palsy") == "the right eye does not look outward"
    assert finding_text("sensory_level.left", "T10") == "pinprick lost below the umbilicus"
    assert "thumb, index and middle fingers" in finding_text("numb_area.right", "median")
    # A list of areas (the coming numb_area format) reads too, and empty means none.
    assert finding_text("numb_area.left", ["C6", "C7"]).count("over") == 2
    assert finding_text("numb_area.left", []) == NUMB_AREA_WORDS["none"]


def test_body_map_codes_fit_their_cells():
    for area in A.NUMB_AREAS:
        assert len(short_code("numb_area.left", area)) <= 6, area
    for level in SHORT["sensory_level"]:
        assert len(short_code("sensory_level.left", level)) <= 6, level
    for value in A.EYE_SIGNS:
        assert len(short_code("eyes.left", value)) <= 12, value


def test_after_the_answer_the_anatomical_names_are_given():
    assert area_label("C8") == "the C8 dermatome"
    assert area_label("ulnar") == "the ulnar nerve's territory"
    assert level_label("nerve", "common_peroneal") == "the common peroneal (fibular) nerve"
    assert level_label("plexus", "lower_trunk") == "the lower trunk of the brachial plexus"


def test_one_findings_words_do_not_deny_another_finding():
    """Blind review 4: 'no numb skin' beside a pinprick level, 'moves fully both ways' beside a
    sixth nerve palsy, a limb-only fatigability sentence for an ocular myasthenia. Each value's
    words hold whatever the other findings are."""
    from vpatient.core.generator import generate_patient

    seen = set()
    for i in range(600):
        case = generate_patient(seed=44044, index=i, difficulty="advanced")
        findings = case.all_findings
        lines = dict(line.split(": ", 1) for line in
                     (f"{k}: {finding_line(k, v)}" for k, v in findings.items()))
        for side in A.SIDES:
            if findings[f"sensory_level.{side}"] != "none" or \
                    findings[f"suspended_loss.{side}"] != "none":
                seen.add("level")
                assert "no numb skin" not in lines[f"numb_area.{side}"]
            if findings[f"eyes.{side}"] == "sixth_nerve_palsy":
                seen.add("sixth")
                assert "moves fully" not in lines["gaze"]
        if findings["fatigability"] and all(
                v == 5 for k, v in findings.items() if k.startswith("power.")):
            seen.add("ocular")
            assert "lid" in lines["fatigability"]
    assert seen == {"level", "sixth", "ocular"}
