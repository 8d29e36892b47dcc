"""The case-file fuzzer, bounded for CI (issue 16 item 6): 300 mutated bundled cases, seeded.

Every file must load to a case or to problems: no exception, every error with a line, every
problem one printable line of bounded length. ``benchmarks/fuzz_cases.py`` runs thousands, in a
memory-capped worker, and reports time and memory too.
"""

from __future__ import annotations

import pytest

from fuzz.casefuzz import MUTATIONS, check_file, fuzzed_cases


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fuzzed_case_files_give_problems_with_lines_never_a_traceback(seed, tmp_path):
    failures = []
    for name, data, applied in fuzzed_cases(seed, 100):
        path = tmp_path / name
        path.write_bytes(data)
        result = check_file(path)
        path.unlink()
        if result["traceback"] or result["no_line"] or result["bad_lines"]:
            failures.append((name, applied, result["traceback"], result["no_line"][:1],
                             result["bad_lines"][:1]))
    assert not failures, failures[:5]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.__name__)
def test_each_mutation_alone_on_a_bundled_case(mutation, tmp_path):
    """Every kind of damage at least once, whatever the seeds above happen to draw."""
    import random

    from fuzz.casefuzz import bundled_case_texts

    rng = random.Random(mutation.__name__)
    for name, data in bundled_case_texts()[:3]:
        path = tmp_path / name
        path.write_bytes(mutation(data, rng))
        result = check_file(path)
        assert not result["traceback"], (mutation.__name__, result["traceback"])
        assert not result["no_line"] and not result["bad_lines"], (mutation.__name__, result)
