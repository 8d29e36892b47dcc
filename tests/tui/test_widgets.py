"""The body map and the neuraxis draw every value whole, for every bundled case."""

from __future__ import annotations

import pytest

from vpatient.core.case import Case
from vpatient.library import load_bundled
from vpatient.tui.widgets.body_map import MAP_WIDTH, render_body_map
from vpatient.tui.widgets.neuraxis import render_neuraxis

CASES = load_bundled().cases


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_body_map_shows_every_value_uncut(case: Case) -> None:
    findings = case.all_findings
    lines = render_body_map(findings).plain.split("\n")
    assert all(len(line) <= MAP_WIDTH for line in lines)
    text = "\n".join(lines)
    for side in ("left", "right"):
        for reflex in ("biceps", "sup", "triceps", "fin", "knee", "ankle"):
            key = {"sup": "brachioradialis", "fin": "finger"}.get(reflex, reflex)
            assert f"{reflex} {findings[f'reflex.{side}.{key}']}" in text
        for limb in ("arm", "leg"):
            # Both signs' cells whole, with a space between them, on the limb's row.
            codes = {(False, False): "–", (True, False): "PRX", (False, True): "DST",
                     (True, True): "P+D"}
            wast, fasc = (codes[(bool(findings[f"{sign}.{side}.{limb}_proximal"]),
                                 bool(findings[f"{sign}.{side}.{limb}_distal"]))]
                          for sign in ("wasting", "fasciculations"))
            assert any(f"wast {wast}" in line and f"fasc {fasc}" in line
                       and f"{wast}fasc" not in line for line in lines)
    assert "·" not in text.replace("fatigability", "")  # everything examined: no dots left


def test_body_map_shows_nothing_unexamined() -> None:
    text = render_body_map({}).plain
    for word in ("spastic", "WEAK", "UP", "down", "+", "PRX", "DST"):
        assert word not in text


def test_neuraxis_marks_the_lesion_and_the_answer() -> None:
    text = render_neuraxis("internal_capsule", "left", None, "pons", "right", None).plain
    lines = text.split("\n")
    assert any("internal capsule" in line and "■ LESION left" in line for line in lines)
    assert any("pons" in line and "◇ YOU right" in line for line in lines)
    both = render_neuraxis("root", "left", "C6", "root", "left", "C7").plain
    assert "■ LESION left C6  ◇ YOU left C7" in both
    mnd = render_neuraxis("motor_neuron_disease", "bilateral", None).plain
    assert mnd.count("■ LESION") == 2  # upper and lower motor neurons


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_body_map_names_no_nerve_root_or_segment(case: Case) -> None:
    """The map is shown before the answer: it describes, it does not diagnose."""
    import re

    text = render_body_map(case.all_findings).plain
    named = re.compile(r"\b([CTLS][1-8]|T1[0-2]|median|ulnar|radial|peron|loTrk|upTrk|LSplx|"
                       r"III|VI|palsy|femor|sciat|axill|muscCu|tibial)\b")
    assert not named.search(text), named.search(text)


def test_neuraxis_names_nerves_in_words_and_diffuse_disease_as_bilateral() -> None:
    text = render_neuraxis("nerve", "right", "common_peroneal", "root", "right", "L5").plain
    assert "common_peroneal" not in text and "■ LESION right common peroneal (fibular)" in text
    als = load_bundled().by_id("als-limb-onset").answer_key.canonical
    text = render_neuraxis(als.site, als.side, als.level).plain
    assert text.count("■ LESION bilateral") == 2


def test_a_value_that_fills_its_cell_does_not_run_into_the_next_label() -> None:
    # A saddle of numb skin (conus medullaris) filled the sensation cell: "sens saddlejps ok".
    conus = load_bundled().by_id("conus-medullaris")
    text = render_body_map(conus.all_findings).plain
    assert "pin saddle jps ok" in text
    assert "saddlejps" not in text
