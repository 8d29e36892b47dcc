"""The student's settings: a small TOML file in the user config folder.

``settings.toml`` lives in ``platformdirs.user_config_dir("vpatient")`` unless
``VPATIENT_CONFIG_DIR`` names another folder. It holds the difficulty of generated patients, the
theme and key bindings by binding id (``[keys]`` ``"home.practice" = "n"``). The game writes it
when the student changes the difficulty or the theme.

A bad file never stops the game: each problem is reported as ``path:line: key: message`` and
that setting keeps its default; the rest of the file still applies. A file with problems is not
overwritten (the student's text is kept for them to fix).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

# The plain vocabulary (no pydantic): reading a good settings file at start-up stays cheap.
from vpatient.core.vocabulary import DIFFICULTIES

if TYPE_CHECKING:  # pydantic and the core are imported only to report a bad file
    from pydantic import BaseModel

    from vpatient.core.casefile import Problem

CONFIG_DIR_ENV = "VPATIENT_CONFIG_DIR"
SETTINGS_NAME = "settings.toml"
# A key as Textual names it: "n", "ctrl+n", "f2", "question_mark"; several joined by commas.
_KEY = re.compile(r"^[A-Za-z0-9_+\-]+$|^[^\s,]$")


@dataclass(frozen=True)
class Settings:
    """What a student can set (every field optional in the file)."""

    difficulty: str = "core"
    theme: str | None = None
    keys: Mapping[str, str] = field(default_factory=dict)


@lru_cache(maxsize=1)
def settings_model() -> type[BaseModel]:
    """The file's schema as a pydantic model: what a bad file is checked against."""
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, Field

    class SettingsFile(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)

        difficulty: Literal[DIFFICULTIES] = Field(  # type: ignore[valid-type]
            default="core", description="Difficulty of generated patients")
        theme: str | None = Field(default=None, description="A theme name, e.g. textual-ansi")
        keys: dict[str, str] = Field(
            default_factory=dict,
            description='Key bindings by id, e.g. "home.practice" = "n" (several: "n,ctrl+n")')

    return SettingsFile


def _plain(raw: dict[str, Any]) -> Settings | None:
    """The settings when the file is entirely well-formed; None when anything is off."""
    if set(raw) - {"difficulty", "theme", "keys"}:
        return None
    difficulty, theme, keys = raw.get("difficulty", "core"), raw.get("theme"), raw.get("keys", {})
    if difficulty not in DIFFICULTIES or not (theme is None or isinstance(theme, str)) or \
            not isinstance(keys, dict) or \
            not all(isinstance(k, str) and isinstance(v, str) for k, v in keys.items()):
        return None
    return Settings(difficulty, theme, dict(keys))


def config_dir() -> Path:
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("vpatient", appauthor=False))


def settings_path() -> Path:
    return config_dir() / SETTINGS_NAME


@dataclass(frozen=True)
class LoadedSettings:
    settings: Settings
    path: Path
    problems: tuple[Problem, ...] = ()
    exists: bool = False

    @property
    def writable(self) -> bool:
        """Whether the game may rewrite the file (not while it holds problems to fix)."""
        return not self.problems


# --- TOML text + model -> problems ---------------------------------------------------------------
# A local stand-in for the shared helper (core/tomlcheck.py, in progress elsewhere): the same
# shape, for a flat file with one table.

_HEADER = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$")
_KEY_LINE = re.compile(r'^\s*("([^"]+)"|\'([^\']+)\'|[A-Za-z0-9_.-]+)\s*=')
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    in_multiline = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count('"""') % 2 or line.count("'''") % 2:
            in_multiline = not in_multiline
            if not in_multiline:
                continue
        if in_multiline and not _KEY_LINE.match(line):
            continue
        if header := _HEADER.match(line):
            table = (header.group(1).strip(),)
            lines.setdefault(table, number)
        elif key := _KEY_LINE.match(line):
            lines.setdefault((*table, key.group(2) or key.group(3) or key.group(1)), number)
    return lines


def toml_problems(text: str, path: str, model: type[BaseModel]
                  ) -> tuple[BaseModel | None, tuple[Problem, ...]]:
    """Parse and validate; every problem as ``path:line: key: message``."""
    from pydantic import ValidationError

    from vpatient.core.casefile import Problem

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        match = _TOML_POSITION.search(str(err))
        message = _TOML_POSITION.sub("", str(err)).strip()
        return None, (Problem(path, int(match.group(1)) if match else None, "",
                              f"not valid TOML: {message}"),)
    try:
        return model.model_validate(raw), ()
    except ValidationError as err:
        lines = _key_lines(text)
        problems = []
        for error in err.errors(include_url=False):
            loc = tuple(str(p) for p in error["loc"])
            line = lines.get(loc) or lines.get(loc[:1])
            message = ("unknown setting" if error["type"] == "extra_forbidden"
                       else error["msg"].replace("Input should be", "must be"))
            if error["type"] == "literal_error":
                message += f" (got {error['input']!r})"
            problems.append(Problem(path, line, ".".join(loc), message))
        return None, tuple(problems)


# --- Loading and saving --------------------------------------------------------------------------


def _problem(path: Path, line: int | None, key: str, message: str) -> Problem:
    from vpatient.core.casefile import Problem

    return Problem(str(path), line, key, message)


def load_settings(path: Path | None = None, *, binding_ids: Collection[str] | None = None,
                  themes: Collection[str] | None = None) -> LoadedSettings:
    """The settings, with any problems; ``binding_ids`` and ``themes`` are what exists."""
    path = path or settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedSettings(Settings(), path)
    except (OSError, UnicodeDecodeError) as err:
        return LoadedSettings(Settings(), path, (_problem(path, None, "",
                                                          f"cannot be read: {err}"),), True)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raw = None
    settings = _plain(raw) if raw is not None else None
    problems: tuple[Problem, ...] = ()
    if settings is None:  # something is off: the full check says what, and where
        _model, problems = toml_problems(text, str(path), settings_model())
        settings = _valid_part(raw or {})
    more: list[Problem] = []
    lines = _key_lines(text) if (themes is not None or settings.keys) else {}
    if themes is not None and settings.theme is not None and settings.theme not in themes:
        more.append(_problem(path, lines.get(("theme",)), "theme",
                             f"unknown theme '{settings.theme}' (choose from: "
                             f"{', '.join(sorted(themes))})"))
        settings = replace(settings, theme=None)
    keys = {}
    for binding_id, keys_text in settings.keys.items():
        where = lines.get(("keys", binding_id))
        if binding_ids is not None and binding_id not in binding_ids:
            more.append(_problem(path, where, f"keys.{binding_id}",
                                 "no such binding (the help screen lists the ids)"))
        elif not keys_text.strip() or \
                not all(_KEY.match(k.strip()) for k in keys_text.split(",")):
            more.append(_problem(path, where, f"keys.{binding_id}",
                                 f"'{keys_text}' is not a key like 'n', 'ctrl+n' or 'f2'"))
        else:
            keys[binding_id] = keys_text
    settings = replace(settings, keys=keys)
    every = sorted((*problems, *more), key=lambda p: (p.line is None, p.line or 0))
    return LoadedSettings(settings, path, tuple(every), True)


def _valid_part(raw: dict[str, Any]) -> Settings:
    """The settings from a file that failed validation: each valid field, defaults for the rest
    (a table of keys keeps its good entries)."""
    values: dict[str, Any] = {}
    if raw.get("difficulty") in DIFFICULTIES:
        values["difficulty"] = raw["difficulty"]
    if isinstance(raw.get("theme"), str):
        values["theme"] = raw["theme"]
    if isinstance(raw.get("keys"), dict):
        values["keys"] = {k: v for k, v in raw["keys"].items() if isinstance(v, str)}
    return Settings(**values)


def settings_text(settings: Settings) -> str:
    """The file as the game writes it (JSON strings are valid TOML basic strings)."""
    lines = ["# vpatient settings: the game rewrites this file (the help screen, F1, lists the key ids).",
             f"difficulty = {json.dumps(settings.difficulty)}"]
    if settings.theme is not None:
        lines.append(f"theme = {json.dumps(settings.theme)}")
    lines += ["", "# Key bindings by id, e.g. \"home.practice\" = \"n\"", "[keys]"]
    lines += [f"{json.dumps(k)} = {json.dumps(v)}" for k, v in sorted(settings.keys.items())]
    return "\n".join(lines) + "\n"


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the file whole or not at all (a temporary file renamed over it)."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(settings_text(settings), encoding="utf-8")
    os.replace(temporary, path)
    return path


@dataclass
class SettingsKeeper:
    """The settings the game is using, and saving them when they change."""

    loaded: LoadedSettings
    settings: Settings = field(init=False)

    def __post_init__(self) -> None:
        self.settings = self.loaded.settings

    def change(self, **values: object) -> str | None:
        """Change and save; a sentence for the student when it could not be saved."""
        updated = replace(self.settings, **values)
        if updated == self.settings:
            return None
        self.settings = updated
        if not self.loaded.writable:
            return (f"Not saved: {self.loaded.path} has problems to fix first (it was left "
                    "as it is).")
        try:
            save_settings(updated, self.loaded.path)
        except OSError as err:
            return f"Settings could not be saved: {err}"
        return None
