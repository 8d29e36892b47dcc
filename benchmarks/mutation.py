"""Mutation testing of the clinical core (issue 9): does a changed clinical fact fail a test?

    python benchmarks/mutation.py [--modules anatomy,timecourse] [--tests "tests/core"]
                                  [--out .mutation] [--fresh] [--limit N] [--report-only]
                                  [--sample N --seed S] [--retest-survivors]

Needs the `mutation` extra (`pip install -e ".[test,mutation]"`, which brings cosmic-ray).

What it does:
1. copies the repository's files (tracked and untracked-but-not-ignored) into ``OUT/src``, so
   the working tree is never mutated and a run reflects exactly what a fresh clone holds;
2. lists the mutants of each target module of ``benchmarks/mutation.toml`` with cosmic-ray's
   operators plus one of this project's: a spinal segment name moved one level up or down
   ("C5" -> "C4" / "C6"), the commonest way a clinical table goes wrong;
3. runs the fast clinical tests (``tests`` in the TOML) against each mutant, one at a time (the
   sessions in ``OUT/*.sqlite`` resume where they stopped); ``--limit N`` takes the first N in
   file order, ``--sample N --seed S`` a seeded random N of the module's mutants (an unbiased
   estimate of the score; the same seed picks the same mutants, so a sampled run resumes);
4. writes ``OUT/report.md`` and ``OUT/report.json``: per module killed / survived / equivalent
   and the score (killed / (killed + surviving non-equivalent)), then every surviving mutant.

Mutants judged equivalent (no observable behaviour can tell them apart) are listed, each with a
one-line reason, in ``benchmarks/mutation_equivalents.toml``.

This is slow (a test run per mutant, about two thousand mutants): it is not part of CI.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "benchmarks" / "mutation.toml"
EQUIVALENTS = ROOT / "benchmarks" / "mutation_equivalents.toml"
sys.path.insert(0, str(ROOT / "benchmarks"))  # mutation_effects.py beside this file

# C1..C8, T1..T12, L1..L5, S1..S5 (written out here: the mutated copy of anatomy.py must not be
# the source of the operator's own vocabulary).
SEGMENTS: tuple[str, ...] = (
    *(f"C{i}" for i in range(1, 9)), *(f"T{i}" for i in range(1, 13)),
    *(f"L{i}" for i in range(1, 6)), *(f"S{i}" for i in range(1, 6)),
)
_SEGMENT_STRING = re.compile(r"^(?P<q>['\"])(?P<seg>[CTLS]\d{1,2})(?P=q)$")


def _segment_shifts(segment: str) -> list[str]:
    i = SEGMENTS.index(segment)
    return [SEGMENTS[j] for j in (i - 1, i + 1) if 0 <= j < len(SEGMENTS)]


def segment_shift_operator():
    """A cosmic-ray operator: a segment name string moved one segment up or down the cord."""
    import parso
    from cosmic_ray.operators.operator import Example, Operator

    class ShiftSegment(Operator):
        """Moves a spinal segment name ("C5") to its neighbour above or below."""

        def _shifts(self, node) -> list[str]:
            if node.type != "string":
                return []
            match = _SEGMENT_STRING.match(node.value)
            if not match or match["seg"] not in SEGMENTS:
                return []
            return _segment_shifts(match["seg"])

        def mutation_positions(self, node):
            for _ in self._shifts(node):
                yield (node.start_pos, node.end_pos)

        def mutate(self, node, index):
            quote = node.value[0]
            new = f"{quote}{self._shifts(node)[index]}{quote}"
            return parso.python.tree.String(new, node.start_pos, prefix=node.prefix)

        @classmethod
        def examples(cls):
            return (Example('x = "C5"', 'x = "C4"'), Example('x = "C8"', 'x = "T1"', 1))

    return ShiftSegment


def register_operators(exclude: list[str]) -> None:
    """Keep the chosen cosmic-ray operators and add the segment shift (provider 'vpatient')."""
    import cosmic_ray.plugins as plugins

    core = plugins.OPERATOR_PROVIDERS["core"]
    patterns = [re.compile(p) for p in exclude]
    kept = {name: core[name] for name in core
            if not any(p.match(f"core/{name}") for p in patterns)}
    plugins.OPERATOR_PROVIDERS.clear()
    plugins.OPERATOR_PROVIDERS.update({"core": kept,
                                       "vpatient": {"ShiftSegment": segment_shift_operator()}})


# --- the copy ------------------------------------------------------------------------------------


def copy_repository(dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
        files = [f for f in listed if f and (ROOT / f).is_file()]
    except (OSError, subprocess.CalledProcessError):
        skip = {".venv", ".git", ".mutation", "__pycache__", ".hypothesis", ".pytest_cache"}
        files = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
                 if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]
    for name in files:
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)


def expand_tests(src: Path, tests: list[str]) -> list[str]:
    """Test files in the order given, a folder standing for its files not named before it
    (pytest drops a folder named after files inside it)."""
    out: list[str] = []
    for name in tests:
        path = src / name
        found = sorted(path.rglob("test_*.py")) if path.is_dir() else [path]
        out += [str(f.relative_to(src)) for f in found if str(f.relative_to(src)) not in out]
    return out


def test_command(tests: list[str]) -> str:
    # Plugin autoloading off: the TUI snapshot plugin would import Textual for every mutant.
    return (f"{sys.executable} -m pytest -x -q --no-header -p no:cacheprovider "
            f"-o addopts= -W ignore::pytest.PytestConfigWarning {' '.join(tests)}")


def check_baseline(src: Path, command: str) -> None:
    """The unmutated copy must pass, and must be the code the tests import."""
    where = subprocess.run([sys.executable, "-c", "import vpatient; print(vpatient.__file__)"],
                           cwd=src, capture_output=True, text=True, check=True).stdout.strip()
    if not Path(where).resolve().is_relative_to(src.resolve()):
        sys.exit(f"the tests would import vpatient from {where}, not from the copy in {src}")
    start = time.perf_counter()
    run = subprocess.run(command.split(), cwd=src, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"the tests fail without any mutation:\n{run.stdout[-3000:]}")
    print(f"baseline: tests pass on the unmutated copy in {time.perf_counter() - start:.1f} s")


# --- sessions ------------------------------------------------------------------------------------


def _in_scope(target: dict, definition: str | None) -> bool:
    name = definition or ""
    if "include_definitions" in target and name not in target["include_definitions"]:
        return False
    return name not in target.get("exclude_definitions", ())


def annotation_spans(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where the module's annotations are: with ``from __future__ import annotations`` they are
    never evaluated, so a mutant inside one cannot change behaviour."""
    import ast

    spans = []
    for node in ast.walk(ast.parse(source)):
        found = []
        if isinstance(node, ast.AnnAssign | ast.arg) and node.annotation is not None:
            found.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            found.append(node.returns)
        spans += [((a.lineno, a.col_offset), (a.end_lineno or a.lineno, a.end_col_offset or 0))
                  for a in found]
    return spans


def init_session(db_path: Path, target: dict) -> None:
    from cosmic_ray.commands import init
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    source = Path(target["module"]).read_text()
    lazy = "from __future__ import annotations" in source
    spans = annotation_spans(source) if lazy else []

    def in_annotation(pos: tuple[int, int]) -> bool:
        return any(start <= tuple(pos) < end for start, end in spans)

    with use_db(str(db_path), WorkDB.Mode.create) as db:
        init([Path(target["module"])], db, {})
        for item in list(db.work_items):
            if not all(_in_scope(target, m.definition_name) and not in_annotation(m.start_pos)
                       for m in item.mutations):
                db.set_result(item.job_id, WorkResult(worker_outcome=WorkerOutcome.SKIPPED))


def forget_survivors(db_path: Path, target: dict, equivalents: Equivalents,
                     inert: Inert) -> set[str]:
    """Drop the results of the surviving mutants that are not listed as equivalent, so that
    they are tested again (after new tests); an equivalent one would only survive again, at the
    cost of a whole test run each."""
    import sqlite3

    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome

    tables = top_level_names((db_path.parent / "src" / target["module"]).read_text())
    original = _original_source(db_path)
    with use_db(str(db_path), WorkDB.Mode.open) as db:
        results = dict(db.results)
        jobs = {item.job_id for item in db.work_items
                if (result := results.get(item.job_id)) is not None
                and result.test_outcome == TestOutcome.SURVIVED
                and equivalents.match(_mutant(target["module"], item, result, tables),
                                      result.diff or "", original) is None
                and not (original is not None and inert.check(
                    item.job_id, target["module"], original, result.diff or ""))}
    with sqlite3.connect(db_path) as db:
        db.executemany("DELETE FROM work_results WHERE job_id = ?", [(job,) for job in jobs])
    return jobs


def sampled_jobs(db, sample: int, seed: int) -> list[str]:
    """The first N of a seeded shuffle of the session's in-scope mutants, drawn from all of them
    (not from the pending ones): the same seed picks the same mutants when a run resumes, and a
    smaller N picks a prefix of a larger one, so a run stopped early is still a random sample."""
    import random

    from cosmic_ray.work_item import WorkerOutcome

    skipped = {job for job, result in db.results
               if result.worker_outcome == WorkerOutcome.SKIPPED}
    jobs = sorted(item.job_id for item in db.work_items if item.job_id not in skipped)
    random.Random(seed).shuffle(jobs)
    return jobs[:sample]


def run_session(db_path: Path, command: str, timeout: float, limit: int | None,
                only: set[str] | None = None, sample: int | None = None,
                seed: int = 0) -> None:
    from cosmic_ray.mutating import mutate_and_test
    from cosmic_ray.work_db import WorkDB, use_db

    with use_db(str(db_path), WorkDB.Mode.open) as db:
        pending = list(db.pending_work_items)
        if only is not None:
            pending = [item for item in pending if item.job_id in only]
        elif sample is not None:
            order = {job: n for n, job in enumerate(sampled_jobs(db, sample, seed))}
            pending = sorted((item for item in pending if item.job_id in order),
                             key=lambda item: order[item.job_id])
        if limit is not None:
            pending = pending[:limit]
        start = time.perf_counter()
        for n, item in enumerate(pending, 1):
            result = mutate_and_test(item.mutations, command, timeout)
            db.set_result(item.job_id, result)
            if n % 25 == 0 or n == len(pending):
                rate = (time.perf_counter() - start) / n
                print(f"  {db_path.stem}: {n}/{len(pending)} mutants, {rate:.1f} s each, "
                      f"about {rate * (len(pending) - n) / 60:.0f} min left", flush=True)


# --- the report ----------------------------------------------------------------------------------


@dataclass
class Mutant:
    module: str
    operator: str
    line: int
    before: str
    after: str
    definition: str | None
    table: str = ""  # the module-level name assigned by the statement holding the mutant

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.module, self.operator, self.before, self.after)


def top_level_names(source: str) -> dict[int, str]:
    """Line -> the name a module-level assignment binds (for mutants inside data tables)."""
    import ast

    names: dict[int, str] = {}
    for node in ast.parse(source).body:
        target = None
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            target = node.targets[0].id
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            target = node.target.id
        if target:
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                names[line] = target
    return names


@dataclass
class ModuleScore:
    module: str
    killed: int = 0
    survived: int = 0
    equivalent: int = 0
    skipped: int = 0
    pending: int = 0
    errors: int = 0
    inert: int = 0  # of the equivalent: no finding of any lesion in the lesion space changes
    survivors: list[Mutant] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        judged = self.killed + self.survived
        return self.killed / judged if judged else None


def _changed_lines(diff: str) -> tuple[str, str]:
    minus = [ln[1:].strip() for ln in diff.splitlines()
             if ln.startswith("-") and not ln.startswith("---")]
    plus = [ln[1:].strip() for ln in diff.splitlines()
            if ln.startswith("+") and not ln.startswith("+++")]
    return " / ".join(minus), " / ".join(plus)


@dataclass
class Equivalents:
    """The checked-in list: single mutants or whole tables (``entries``, keyed (module, operator,
    line, mutant) or (module, operator, "table:NAME", "*")), and classes of mutants judged by
    their effect (``rules``, per module; see ``mutation_effects.py``)."""
    entries: dict[tuple[str, str, str, str], str]
    rules: dict[str, list[dict]]

    def match(self, mutant: Mutant, diff: str, original_source: str | None) -> tuple | None:
        if mutant.key in self.entries:
            return mutant.key
        whole = (mutant.module, mutant.operator, f"table:{mutant.table}", "*")
        if mutant.table and whole in self.entries:
            return whole
        rules = self.rules.get(mutant.module)
        if rules and original_source is not None:
            from mutation_effects import matching_rule

            rule = matching_rule(original_source, diff, rules)
            if rule is not None:
                return ("effect", mutant.module, rule["effect"], rules.index(rule))
        return None


def load_equivalents() -> Equivalents:
    if not EQUIVALENTS.exists():
        return Equivalents({}, {})
    data = tomllib.loads(EQUIVALENTS.read_text())
    out: dict[tuple[str, str, str, str], str] = {}
    rules: dict[str, list[dict]] = {}
    for entry in [*data.get("equivalent", []), *data.get("equivalent_effect", [])]:
        if not entry.get("reason", "").strip():
            sys.exit(f"{EQUIVALENTS.name}: every equivalent mutant needs a reason: {entry}")
    for entry in data.get("equivalent", []):
        if "table" in entry:
            out[(entry["module"], entry["operator"], f"table:{entry['table']}", "*")] = \
                entry["reason"]
        else:
            out[(entry["module"], entry["operator"], entry["line"], entry["mutant"])] = \
                entry["reason"]
    for rule in data.get("equivalent_effect", []):
        rules.setdefault(rule["module"], []).append(rule)
    return Equivalents(out, rules)


def _original_source(db_path: Path) -> str | None:
    """The module as it was when its session listed the mutants."""
    stamp = db_path.with_suffix(".source")
    return stamp.read_text() if stamp.exists() else None


def _mutant(module: str, item, result, tables: dict[int, str]) -> Mutant:
    """The mutant a session's work item made, as the report and the equivalents name it."""
    spec = item.mutations[0]
    before, after = _changed_lines(result.diff or "")
    return Mutant(module, spec.operator_name, spec.start_pos[0], before, after,
                  spec.definition_name, tables.get(spec.start_pos[0], ""))


class Inert:
    """Which survivors change no finding of any lesion of the lesion space, remembered per
    session folder (each answer costs a derivation of the whole space)."""

    def __init__(self, out: Path) -> None:
        from mutation_effects import DIGEST_SCRIPT

        self.out, self.path = out, out / "inert.json"
        self.known: dict[str, object] = \
            json.loads(self.path.read_text()) if self.path.exists() else {}
        version = hashlib.sha256(DIGEST_SCRIPT.encode()).hexdigest()
        if self.known.get("version") != version:  # answers of another definition of inert
            self.known = {"version": version}

    def _digest(self, module: str, source: str) -> str | None:
        from mutation_effects import lesion_space_digest

        return lesion_space_digest(self.out / "src", module, source, self.out / "inert")

    def check(self, job: str, module: str, original: str, diff: str) -> bool:
        from mutation_effects import apply_diff

        if job not in self.known:
            base_key = "baseline " + module + " " + hashlib.sha256(original.encode()).hexdigest()
            if base_key not in self.known:
                self.known[base_key] = self._digest(module, original)
            mutated = self._digest(module, apply_diff(original, diff))
            self.known[job] = mutated is not None and mutated == self.known[base_key]
            self.path.write_text(json.dumps(self.known, indent=0))
        return bool(self.known[job])


def score_session(db_path: Path, target: dict, equivalents: Equivalents,
                  used: set[tuple], inert: Inert) -> ModuleScore:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    module = target["module"]
    score = ModuleScore(module)
    source = db_path.parent / "src" / module
    tables = top_level_names(source.read_text()) if source.exists() else {}
    original = _original_source(db_path)
    with use_db(str(db_path), WorkDB.Mode.open) as db:
        results = dict(db.results)
        for item in db.work_items:
            result = results.get(item.job_id)
            if result is None:
                score.pending += 1
                continue
            # Out of scope now (the TOML may have narrowed it since the session began).
            if result.worker_outcome in (WorkerOutcome.SKIPPED, WorkerOutcome.NO_TEST) or \
                    not _in_scope(target, item.mutations[0].definition_name):
                score.skipped += 1
                continue
            if result.worker_outcome != WorkerOutcome.NORMAL:
                score.errors += 1  # the mutation machinery failed: neither killed nor survived
                continue
            mutant = _mutant(module, item, result, tables)
            if result.test_outcome == TestOutcome.SURVIVED:
                match = equivalents.match(mutant, result.diff or "", original)
                if match:
                    score.equivalent += 1
                    used.add(match)
                elif original is not None and inert.check(item.job_id, module, original,
                                                          result.diff or ""):
                    score.equivalent += 1
                    score.inert += 1
                else:
                    score.survived += 1
                    score.survivors.append(mutant)
            else:
                score.killed += 1
    score.survivors.sort(key=lambda m: m.line)
    return score


def write_report(out: Path, scores: list[ModuleScore], stale: list[tuple]) -> None:
    lines = ["# Mutation testing of the clinical core", "",
             f"Equivalent mutants are listed in `{EQUIVALENTS.relative_to(ROOT)}`; the score is "
             "killed / (killed + surviving non-equivalent).", "",
             "An equivalent is listed there (one mutant, a whole table, or a class judged by its "
             "effect) or *inert*: it changes no finding of any lesion of the lesion space, in the "
             "textbook picture or in two patients' own expressions of it.", "",
             "| module | killed | survived | equivalent (listed + inert) | out of scope | pending "
             "| score |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s in scores:
        shown = "-" if s.score is None else f"{100 * s.score:.1f}%"
        lines.append(f"| {s.module} | {s.killed} | {s.survived} | "
                     f"{s.equivalent - s.inert} + {s.inert} | "
                     f"{s.skipped} | {s.pending} | {shown} |")
    if any(s.errors for s in scores):
        lines += ["", "Mutants whose run failed in the mutation machinery itself: " + ", ".join(
            f"{s.module} {s.errors}" for s in scores if s.errors)]
    for s in scores:
        if not s.survivors:
            continue
        lines += ["", f"## Survivors in {s.module}", ""]
        for m in s.survivors:
            lines.append(f"- line {m.line} ({m.definition or m.table or 'module level'}), "
                         f"`{m.operator}`: `{m.before}` -> `{m.after}`")
    if stale:
        lines += ["", "## Equivalent-list entries that matched no surviving mutant", ""]
        lines += [f"- {e[0]} `{e[1]}`: `{e[2]}` -> `{e[3]}`" for e in stale]
    (out / "report.md").write_text("\n".join(lines) + "\n")
    (out / "report.json").write_text(json.dumps([
        {"module": s.module, "killed": s.killed, "survived": s.survived,
         "equivalent": s.equivalent, "inert": s.inert, "out_of_scope": s.skipped,
         "pending": s.pending,
         "errors": s.errors, "score": s.score,
         "survivors": [m.__dict__ for m in s.survivors]} for s in scores], indent=1))
    print("\n".join(lines[:len(scores) + 8]))
    print(f"\nfull report: {out / 'report.md'}")


# --- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", help="comma-separated module stems, e.g. anatomy,timecourse "
                        "(default: every target of benchmarks/mutation.toml)")
    parser.add_argument("--tests", help="test paths to run per mutant, space-separated "
                        "(default: the TOML's `tests`)")
    parser.add_argument("--out", type=Path, default=ROOT / ".mutation",
                        help="working folder for the copy, sessions and report")
    parser.add_argument("--fresh", action="store_true",
                        help="start the sessions again instead of resuming them")
    parser.add_argument("--limit", type=int, help="test at most N pending mutants per module")
    parser.add_argument("--sample", type=int,
                        help="test a seeded random sample of N mutants per module (see --seed)")
    parser.add_argument("--seed", type=int, default=0, help="the seed of --sample")
    parser.add_argument("--retest-survivors", action="store_true",
                        help="test the surviving mutants not listed as equivalent again "
                        "(after adding tests)")
    parser.add_argument("--report-only", action="store_true",
                        help="only rewrite the report from the sessions in --out")
    args = parser.parse_args()

    config = tomllib.loads(CONFIG.read_text())
    targets = config["target"]
    if args.modules:
        wanted = {m.strip() for m in args.modules.split(",")}
        unknown = wanted - {Path(t["module"]).stem for t in targets}
        if unknown:
            parser.error(f"no such target module: {', '.join(sorted(unknown))}")
        targets = [t for t in targets if Path(t["module"]).stem in wanted]
    tests = args.tests.split() if args.tests else config["tests"]
    out: Path = args.out.resolve()
    src = out / "src"

    try:
        register_operators(config["operators"]["exclude"])
    except ImportError:
        sys.exit("cosmic-ray is missing: pip install -e \".[test,mutation]\"")

    if not args.report_only:
        out.mkdir(parents=True, exist_ok=True)
        if args.fresh:
            for old in (*out.glob("*.sqlite"), *out.glob("*.source")):
                old.unlink()
        copy_repository(src)
        command = test_command(expand_tests(src, tests))
        os.chdir(src)  # cosmic-ray mutates module paths relative to the working directory
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        check_baseline(src, command)
        for target in targets:
            db_path = out / f"{Path(target['module']).stem}.sqlite"
            # A session lists mutants by position: a changed module needs a new one.
            stamp = db_path.with_suffix(".source")
            source = Path(target["module"]).read_text()
            if db_path.exists() and (not stamp.exists() or stamp.read_text() != source):
                print(f"{target['module']} changed since its session: starting it again")
                db_path.unlink()
            only = None
            if not db_path.exists():
                init_session(db_path, target)
                stamp.write_text(source)
            elif args.retest_survivors:
                only = forget_survivors(db_path, target, load_equivalents(), Inert(out))
                print(f"{target['module']}: {len(only)} survivors not listed as equivalent "
                      "to test again")
            print(f"{target['module']}: testing mutants with: {' '.join(tests)}", flush=True)
            run_session(db_path, command, float(config["timeout"]), args.limit, only,
                        args.sample, args.seed)

    equivalents = load_equivalents()
    used: set[tuple] = set()
    inert = Inert(out)
    scores = [score_session(out / f"{Path(t['module']).stem}.sqlite", t, equivalents, used, inert)
              for t in targets if (out / f"{Path(t['module']).stem}.sqlite").exists()]
    checked = {s.module for s in scores if not s.pending}
    stale = [k for k in equivalents.entries if k not in used and k[0] in checked]
    write_report(out, scores, stale)


if __name__ == "__main__":
    main()
