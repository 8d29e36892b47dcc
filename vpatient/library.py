"""Loading case files and folders from disk; one bad file never stops the rest loading.

Only regular files are read, never more than the size limit (``read_bounded``): a FIFO, a device
or a huge file gives a one-line problem instead of a hang. Problems name the file; lines and
messages come from ``core/tomlcheck.py``.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from vpatient.core.case import Case
from vpatient.core.casefile import ParsedCase, Problem, parse_case
from vpatient.core.tomlcheck import LIMITS


def bundled_cases_dir() -> Path:
    """The library shipped with vpatient: inside the package when installed from a wheel, the
    repository's top-level ``cases/`` when running from a checkout (editable install)."""
    here = Path(__file__).resolve().parent
    installed = here / "_bundled_cases"
    return installed if installed.is_dir() else here.parent / "cases"


@dataclass
class CaseLibrary:
    cases: list[Case] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)  # case id -> file
    files_read: int = 0
    bad_files: set[str] = field(default_factory=set)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    def by_id(self, case_id: str) -> Case | None:
        return next((c for c in self.cases if c.id == case_id), None)

    def tags(self) -> list[str]:
        return sorted({t for c in self.cases for t in c.tags})


class UnreadableFile(Exception):
    """A path that cannot be read as a file; the message is one line, without the path."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing  # nothing at that path (as opposed to something unreadable)


def os_reason(err: OSError) -> str:
    """Why a path cannot be used, in a few words (no path, no errno)."""
    reasons = {
        errno.ENOENT: "no such file or folder",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENAMETOOLONG: "the path is too long",
        errno.ELOOP: "too many symbolic links (a loop?)",
        errno.ENOTDIR: "a part of the path is not a folder",
        errno.EISDIR: "is a folder",
    }
    return reasons.get(err.errno or 0) or f"cannot read: {(err.strerror or str(err)).lower()}"


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def path_kind(path: Path | str) -> str:
    """'missing', 'file', 'folder', or what else it is or what is wrong ('a FIFO', 'permission
    denied', 'the path is too long'); never raises, whatever the path."""
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        return "missing" if err.errno == errno.ENOENT else os_reason(err)
    except ValueError:  # an embedded NUL
        return "not a valid path"
    if stat.S_ISDIR(mode):
        return "folder"
    return "file" if stat.S_ISREG(mode) else _kind(mode)


def read_bounded(path: Path | str, max_bytes: int = LIMITS.max_bytes) -> bytes:
    """The bytes of a regular file, at most ``max_bytes + 1`` of them (so the caller can tell
    the file is too big without reading all of it). Raises UnreadableFile for anything else: a
    FIFO, a device (``/dev/zero``) or a socket is never opened for reading, so nothing blocks or
    reads forever."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableFile("is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(f"not a regular file ({_kind(info.st_mode)})")
        # O_NONBLOCK: should the path be swapped for a FIFO after the check, opening it does
        # not wait for a writer, and fstat below refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) |
                     getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise UnreadableFile(os_reason(err), missing=err.errno == errno.ENOENT) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnreadableFile("not a regular file")
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError as err:
        raise UnreadableFile(os_reason(err)) from None
    finally:
        os.close(fd)


def _case_files(root: Path, problems: list[Problem]) -> Iterable[Path]:
    """The ``*.toml`` files under a folder, sorted, following links without looping; folders
    that cannot be read are reported, not skipped silently."""
    seen: set[tuple[int, int]] = set()

    def unreadable(err: OSError) -> None:
        problems.append(Problem(str(err.filename or root), None, "",
                                f"cannot read the folder: {os_reason(err)}"))

    for folder, dirs, files in os.walk(root, onerror=unreadable, followlinks=True):
        keep = []
        for name in sorted(dirs):
            try:
                info = os.stat(os.path.join(folder, name))
            except OSError as err:
                unreadable(err)
                continue
            if (info.st_dev, info.st_ino) not in seen:
                seen.add((info.st_dev, info.st_ino))
                keep.append(name)
        dirs[:] = keep
        for name in sorted(files):
            if name.endswith(".toml"):
                yield Path(folder, name)


def read_case_file(path: Path) -> ParsedCase:
    try:
        data = read_bounded(path)
    except UnreadableFile as err:
        return ParsedCase(str(path), None, (Problem(str(path), None, "", str(err)),))
    return parse_case(data, str(path))


def load_library(paths: Iterable[Path | str]) -> CaseLibrary:
    """Every case under these files and folders; broken files are reported and skipped."""
    lib = CaseLibrary()
    for root in paths:
        root = Path(root)
        try:
            is_folder = stat.S_ISDIR(os.stat(root).st_mode)
        except OSError as err:
            lib.problems.append(Problem(str(root), None, "", os_reason(err)))
            lib.bad_files.add(str(root))
            continue
        folder_problems: list[Problem] = []
        for file in _case_files(root, folder_problems) if is_folder else [root]:
            lib.files_read += 1
            parsed = read_case_file(file)
            lib.problems.extend(parsed.problems)
            if not parsed.ok or parsed.case is None:
                lib.bad_files.add(str(file))
                continue
            case = parsed.case
            if case.id in lib.paths:
                first = lib.paths[case.id]
                lib.problems.append(Problem(
                    str(file), parsed.locate(("id",)), "id",
                    f"duplicate id '{case.id}': already used by {first}",
                ))
                lib.bad_files.add(str(file))
                continue
            lib.paths[case.id] = file
            lib.cases.append(case)
        lib.problems.extend(folder_problems)
        lib.bad_files.update(p.path for p in folder_problems)
    return lib


def load_bundled() -> CaseLibrary:
    return load_library([bundled_cases_dir()])
