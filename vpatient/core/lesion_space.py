"""The lesion space: every lesion of the vocabulary (design §3), enumerated.

Every site with each of its parameters, each side it can take, each severity, and one onset per
time band of the engine (``timecourse.TIME_THRESHOLDS``): two onsets in one band give the same
findings, so these onsets stand for every onset there is. The solver ranks answers over this
space, and the tests check that no two answers look the same in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from itertools import combinations

from vpatient.core import anatomy as A
from vpatient.core import timecourse as T
from vpatient.core import vocabulary as V
from vpatient.core.lesion import Lesion, parse_lesion

# Anterior horn ranges are enumerated between segments that hold examined limb muscles; a
# range's ends among the other segments change nothing the bedside can see.
_HORN_ENDS: tuple[str, ...] = tuple(seg for seg in A.SEGMENTS if seg in A.LIMB_SEGMENTS)


def _site_parameters(site: str) -> Iterator[dict]:
    """Each combination of a site's own fields and the sides it can take."""
    unilateral = ("left", "right")
    if site == "cortex":
        for territory in V.CORTICAL_TERRITORIES:
            for side in V.LESION_SIDES:
                yield {"territory": territory, "side": side}
    elif site == "spinal_cord":
        for level in V.SEGMENTS:
            for pattern in V.CORD_PATTERNS:
                sides = unilateral if pattern == "hemisection" else ("bilateral",)
                for side in sides:
                    yield {"level": level, "pattern": pattern, "side": side}
    elif site in ("conus", "muscle"):
        yield {"side": "bilateral"}
    elif site == "polyneuropathy":
        for pattern in V.POLYNEUROPATHY_PATTERNS:
            yield {"pattern": pattern, "side": "bilateral"}
    elif site == "anterior_horn":
        for i, start in enumerate(_HORN_ENDS):
            for end in _HORN_ENDS[i:]:
                for side in V.LESION_SIDES:
                    yield {"levels": f"{start}-{end}" if end != start else start, "side": side}
    elif site == "root":
        for level in V.ROOT_LEVELS:
            for side in V.LESION_SIDES:
                yield {"level": level, "side": side}
    elif site == "plexus":
        for part in V.PLEXUS_PARTS:
            for side in V.LESION_SIDES:
                yield {"part": part, "side": side}
    elif site == "nerve":
        for name in V.NERVE_NAMES:
            for at in A.NERVES[name].sites:
                for side in unilateral:
                    yield {"name": name, "at": at, "side": side}
    elif site == "motor_neuron_disease":
        for count in range(1, len(V.MND_REGIONS) + 1):
            for regions in combinations(V.MND_REGIONS, count):
                if regions == ("thoracic",):
                    continue  # no examined muscle (the model refuses it)
                for side in V.LESION_SIDES:
                    yield {"regions": list(regions), "side": side}
    else:  # internal capsule, brainstem, cauda equina, junction
        for side in V.LESION_SIDES:
            yield {"side": side}


def band_onsets() -> tuple[float, ...]:
    """One onset per time band: the band's start, and a few hours for the first day."""
    return tuple(sorted({0.25, *(t for t in T.TIME_THRESHOLDS if t > 0)}))


@cache
def lesion_space() -> tuple[Lesion, ...]:
    """Every valid lesion of the vocabulary, once per severity and time band."""
    out: list[Lesion] = []
    onsets = band_onsets()
    for site in V.SITES:
        for params in _site_parameters(site):
            for severity in V.SEVERITIES:
                for onset in onsets:
                    if site == "motor_neuron_disease" and onset < 30:
                        continue  # no acute form (ref §5.11)
                    out.append(parse_lesion({"site": site, "severity": severity,
                                             "onset_days": onset, **params}))
    return tuple(out)
