"""Is the exam folder private? Checked by ``vpatient serve`` before it listens, as OpenSSH
checks its own files: a private key others can read, or a key folder others can write to, stops
the server; a readable exam.toml or results file is a warning with the command that fixes it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from vpatient.exam.config import (
    CONFIG_NAME,
    HOST_KEY_NAME,
    LOGS_DIR,
    RESULTS_NAME,
    SECRET_NAME,
    STUDENTS_DIR,
)

# What others must not read: the server stops (OpenSSH refuses such a host key too).
SECRETS = (HOST_KEY_NAME, SECRET_NAME)
# What others should not read: the cases, the answers.
PRIVATE = (CONFIG_NAME, RESULTS_NAME, RESULTS_NAME + "-wal", RESULTS_NAME + "-shm", LOGS_DIR)


def _mode(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def _octal(st: os.stat_result) -> str:
    return f"{stat.S_IMODE(st.st_mode):04o}"


def check_folder(root: Path) -> tuple[list[str], list[str]]:
    """(problems that stop the server, warnings), each one line."""
    errors: list[str] = []
    warnings: list[str] = []
    me = os.getuid()
    for name in SECRETS:
        st = _mode(root / name)
        if st is not None and st.st_mode & 0o077:
            errors.append(f"{root / name}: permissions {_octal(st)} are too open: it must be "
                          f"private to you (chmod 600 {root / name})")
    students = root / STUDENTS_DIR
    for path in [root, students, *sorted(students.glob("*.pub"))]:
        st = _mode(path)
        if st is None:
            continue
        if st.st_mode & 0o022:
            errors.append(f"{path}: permissions {_octal(st)} let others write it, and so add a "
                          f"student's key (chmod go-w {path})")
        elif st.st_uid not in (me, 0):
            errors.append(f"{path}: owned by another user (uid {st.st_uid}); it decides who may "
                          "log in, so it must be yours")
    open_to_others = []
    st = _mode(root)
    if st is not None and st.st_mode & 0o077:
        open_to_others.append(f"the folder ({_octal(st)})")
    for name in PRIVATE:
        st = _mode(root / name)
        if st is not None and st.st_mode & 0o077:
            open_to_others.append(f"{name} ({_octal(st)})")
    if open_to_others:
        warnings.append(f"{root}: others can read {', '.join(open_to_others)}, which name the "
                        f"cases and hold the answers (chmod -R go-rwx {root})")
    return errors, warnings
