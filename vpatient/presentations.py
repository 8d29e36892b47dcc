"""Reading presentation files (issue 12): the bundled ``presentations/`` folder, or an
instructor's. A folder holds ``mix.toml``, ``people.toml``, ``phrases.toml`` and one file per
presentation (in subfolders by site); every problem is ``path:line: key: message``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from vpatient.core.generator import PresentationSet
from vpatient.core.presentation import (
    PRESENTATION_LIMITS,
    Mix,
    People,
    Phrasebook,
    Presentation,
    lesion_problems,
    mix_problems,
    parse_file,
    people_problems,
)
from vpatient.core.tomlcheck import Checked, Problem, dotted

SHARED_FILES = {"mix.toml": Mix, "people.toml": People, "phrases.toml": Phrasebook}


def bundled_presentations_dir() -> Path:
    """Inside the package when installed from a wheel; the repository's top-level
    ``presentations/`` in a checkout (as for the case library)."""
    here = Path(__file__).resolve().parent
    installed = here / "_bundled_presentations"
    return installed if installed.is_dir() else here.parent / "presentations"


@dataclass
class PresentationLoad:
    presentations: list[Presentation] = field(default_factory=list)
    shared: dict[str, object] = field(default_factory=dict)  # file name -> model
    paths: dict[str, Path] = field(default_factory=dict)  # presentation id or file -> path
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0
    bad_files: set[str] = field(default_factory=set)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    def as_set(self) -> PresentationSet:
        missing = [name for name in SHARED_FILES if name not in self.shared]
        if missing:
            raise ValueError(f"no valid {missing[0]} among the presentation files")
        return PresentationSet(tuple(self.presentations), self.shared["mix.toml"],  # type: ignore[arg-type]
                               self.shared["people.toml"], self.shared["phrases.toml"])  # type: ignore[arg-type]


def _files(path: Path) -> Iterable[Path]:
    if path.is_dir():
        yield from sorted(p for p in path.rglob("*.toml") if p.is_file())
    else:
        yield path


def _read(path: Path, model) -> Checked:
    try:
        if not path.is_file():
            raise OSError(0, "not a regular file")
        with path.open("rb") as file:  # never more than the limit (and one byte to tell)
            data = file.read(PRESENTATION_LIMITS.max_bytes + 1)
    except OSError as err:
        return Checked(None, (Problem(str(path), None, "", f"cannot read: {err.strerror}"),))
    return parse_file(data, str(path), model)


def load_presentations(paths: Iterable[Path | str]) -> PresentationLoad:
    """Every presentation file under these files and folders, checked alone and together."""
    load = PresentationLoad()
    locators: dict[str, object] = {}
    broken_sites: set[str] = set()  # of presentation files with errors: the mix is not to blame
    for root in paths:
        root = Path(root)
        if not root.exists():
            load.problems.append(Problem(str(root), None, "", "no such file or folder"))
            load.bad_files.add(str(root))
            continue
        for file in _files(root):
            load.files_read += 1
            model = SHARED_FILES.get(file.name, Presentation)
            parsed = _read(file, model)
            locators[str(file)] = parsed.locate
            load.problems.extend(parsed.problems)
            if not parsed.ok:
                load.bad_files.add(str(file))
                if model is Presentation:
                    broken_sites.add(_raw_site(file))
                continue
            if model is not Presentation:
                load.shared[file.name] = parsed.value
                load.paths[file.name] = file
                continue
            p: Presentation = parsed.value  # type: ignore[assignment]
            locate = parsed.locate
            problems = [Problem(str(file), locate(loc), dotted(loc), message)
                        for loc, message in lesion_problems(p)]
            if file.stem != p.id:
                problems.append(Problem(str(file), locate(("id",)), "id",
                                        f"'{p.id}' must be the file name ('{file.stem}')"))
            if p.id in load.paths:
                problems.append(Problem(str(file), locate(("id",)), "id",
                                        f"duplicate id '{p.id}': already used by "
                                        f"{load.paths[p.id]}"))
            if problems:
                load.problems.extend(problems)
                load.bad_files.add(str(file))
                broken_sites.add(p.site)
                continue
            load.paths[p.id] = file
            load.presentations.append(p)
    _check_together(load, locators, broken_sites)
    return load


def _raw_site(path: Path) -> str:
    """The site a broken presentation file names, if it is a file that parses that far."""
    try:
        if not path.is_file() or path.stat().st_size > PRESENTATION_LIMITS.max_bytes:
            return ""
        return str(tomllib.loads(path.read_text("utf-8")).get("site", ""))
    except (OSError, ValueError, RecursionError, AttributeError):
        return ""


def _check_together(load: PresentationLoad, locators: dict, broken_sites: set[str]) -> None:
    mix = load.shared.get("mix.toml")
    if isinstance(mix, Mix) and load.presentations:
        path = str(load.paths["mix.toml"])
        for loc, message in mix_problems(mix, load.presentations, broken_sites):
            load.problems.append(Problem(path, locators[path](loc), dotted(loc), message))
            load.bad_files.add(path)
    people = load.shared.get("people.toml")
    if isinstance(people, People):
        broken = set()
        for pid, loc, message in people_problems(people, load.presentations):
            path = str(load.paths[pid])
            load.problems.append(Problem(path, locators[path](loc), dotted(loc), message))
            load.bad_files.add(path)
            broken.add(pid)
        load.presentations = [p for p in load.presentations if p.id not in broken]


@lru_cache(maxsize=1)
def bundled_presentations() -> PresentationSet:
    """The bundled presentations, read and checked once per process."""
    load = load_presentations([bundled_presentations_dir()])
    if load.errors:
        raise ValueError(f"the bundled presentations have errors: {load.errors[0]}")
    return load.as_set()
