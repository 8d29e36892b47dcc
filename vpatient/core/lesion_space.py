"""The lesion space: every lesion of the vocabulary (design §3), enumerated from the models.

Each site's fields and the values their models allow (every Literal), the nerves' own lesion
sites, anterior horn ranges and the regions of motor neuron disease; each side the model accepts;
each severity; and one onset per time band of the engine (``timecourse.TIME_THRESHOLDS``): two
onsets in one band give the same findings, so these onsets stand for every onset there is. The
solver ranks answers over this space, the lesion lab offers it, the feedback simulates answers
from it, and the tests check that no two answers look the same in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from itertools import combinations, product
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from vpatient.core import anatomy as A
from vpatient.core import timecourse as T
from vpatient.core import vocabulary as V
from vpatient.core.lesion import LESION_ADAPTER, Lesion

# Fields whose values no Literal spells out, and where they come from instead.
_OWN_VALUES = ("at", "levels", "regions", "onset_days")
_EVERY_LESION = ("side", "severity", "onset_days")


def lesion_models() -> tuple[type[BaseModel], ...]:
    """Every site's lesion model, from the ``Lesion`` union itself."""
    return get_args(get_args(Lesion)[0])


def _literal_values(annotation: Any) -> tuple | None:
    if get_origin(annotation) is not None and str(get_origin(annotation)).endswith("Literal"):
        return get_args(annotation)
    for arg in get_args(annotation):
        values = _literal_values(arg)
        if values is not None:
            return values
    return None


def model_for(site: str) -> type[BaseModel]:
    return next(m for m in lesion_models()
                if site in (_literal_values(m.model_fields["site"].annotation) or ()))


def band_onsets() -> tuple[float, ...]:
    """One onset per time band: the engine gives the same findings anywhere in a band."""
    return T.TIME_THRESHOLDS


@cache
def horn_ranges() -> tuple[str, ...]:
    """Anterior horn ranges: within each run of segments whose loss shows in the examination
    (the cervical and lumbosacral enlargements), and the two runs at once (generalized disease).
    A range ending in a segment that shows nothing is the same lesion as the shorter range, and
    one bridging the thoracic cord is no disease of its own, so neither is listed."""
    segments = [seg for seg in A.SEGMENTS if seg in A.LIMB_SEGMENTS]
    runs: list[list[str]] = []
    for segment in segments:
        if runs and A.SEGMENT_INDEX[segment] == A.SEGMENT_INDEX[runs[-1][-1]] + 1:
            runs[-1].append(segment)
        else:
            runs.append([segment])
    ranges = [a if a == b else f"{a}-{b}" for run in runs
              for a, b in [*combinations(run, 2), *((s, s) for s in run)]]
    if len(runs) > 1:
        ranges.append(f"{segments[0]}-{segments[-1]}")
    return tuple(ranges)


def _region_sets() -> tuple[tuple[str, ...], ...]:
    regions = V.MND_REGIONS
    return tuple(combo for n in range(1, len(regions) + 1)
                 for combo in combinations(regions, n))


def _own_fields(model: type[BaseModel]) -> list[tuple[str, tuple]]:
    """A site's own fields (level, pattern, nerve, ...) with every value they can take."""
    options: list[tuple[str, tuple]] = []
    for name, info in model.model_fields.items():
        if name in _OWN_VALUES or name in _EVERY_LESION or name == "site":
            continue
        values = _literal_values(info.annotation)
        if values is None:
            raise TypeError(f"lesion space: no values known for lesion field '{name}'")
        options.append((name, values))
    if "levels" in model.model_fields:
        options.append(("levels", horn_ranges()))
    if "regions" in model.model_fields:
        options.append(("regions", _region_sets()))
    return options


@cache
def site_details(site: str) -> tuple[dict, ...]:
    """Every combination of a site's own fields (level, pattern, nerve and where along it, ...)
    that its model accepts: what a lesion editor offers once the site is chosen."""
    model = model_for(site)
    options = _own_fields(model)
    names = [n for n, _ in options]
    out: list[dict] = []
    for combo in product(*(values for _, values in options)):
        data = dict(zip(names, combo, strict=True))
        variants = [{**data, "at": at} for at in A.NERVES[data["name"]].sites] \
            if "at" in model.model_fields else [data]
        for variant in variants:
            if _accepted({"site": site, "side": "bilateral", **variant}) or \
                    _accepted({"site": site, "side": "left", **variant}):
                out.append(variant)
    return tuple(out)


def _accepted(data: dict) -> bool:
    try:
        LESION_ADAPTER.validate_python({"severity": "moderate", "onset_days": 365, **data})
    except ValidationError:
        return False
    return True


def site_parameters(site: str) -> Iterator[dict]:
    """Each combination of a site's own fields with each side its model accepts for it."""
    for details in site_details(site):
        for side in V.LESION_SIDES:
            if _accepted({"site": site, "side": side, **details}):
                yield {**details, "side": side}


@cache
def lesion_space() -> tuple[Lesion, ...]:
    """Every valid lesion of the vocabulary, once per severity and time band."""
    out: list[Lesion] = []
    for site in V.SITES:
        for params in site_parameters(site):
            for severity, onset in product(V.SEVERITIES, band_onsets()):
                try:
                    out.append(LESION_ADAPTER.validate_python(
                        {"site": site, "severity": severity, "onset_days": onset, **params}))
                except ValidationError:
                    continue  # an onset the site cannot have (no acute motor neuron disease)
    return tuple(out)
