"""The student's settings: a small TOML file in the user config folder.

``settings.toml`` lives in ``platformdirs.user_config_dir("vpatient")`` unless
``VPATIENT_CONFIG_DIR`` names another folder. It holds the difficulty of generated patients, the
theme and key bindings by binding id (``[keys]`` ``"home.practice" = "n"``). The game writes it
when the student changes the difficulty or the theme.

A bad file never stops the game: each problem is reported as ``path:line: key: message`` (by the
shared checker, ``core/tomlcheck.py``) and that setting keeps its default; the rest of the file
still applies. A file with problems is not overwritten (the student's text is kept for them to
fix).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

# The plain vocabulary (no pydantic): reading a good settings file at start-up stays cheap.
from vpatient.core.vocabulary import DIFFICULTIES

if TYPE_CHECKING:  # pydantic and the core are imported only to report a bad file
    from pydantic import BaseModel

    from vpatient.core.tomlcheck import Problem

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


# --- Loading and saving --------------------------------------------------------------------------


# A good settings file is a few lines: one this small that reads cleanly skips pydantic.
FAST_READ_BYTES = 4096
# Never read more than this; the shared checker refuses anything over its own (smaller) limit.
MAX_READ_BYTES = 1 << 20


def _read(path: Path) -> bytes:
    """The file's bytes, from a regular file only (never a FIFO or a device)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise OSError("not a regular file")
    with path.open("rb") as handle:
        return handle.read(MAX_READ_BYTES + 1)


def _issues(settings: Settings, binding_ids: Collection[str] | None,
            themes: Collection[str] | None) -> list[tuple[tuple[str, ...], str]]:
    """What the model cannot know: the theme and the binding ids that exist, key names."""
    issues = []
    if themes is not None and settings.theme is not None and settings.theme not in themes:
        issues.append((("theme",), f"unknown theme '{settings.theme}' (choose from: "
                                   f"{', '.join(sorted(themes))})"))
    for binding_id, keys_text in settings.keys.items():
        if binding_ids is not None and binding_id not in binding_ids:
            issues.append((("keys", binding_id),
                           "no such binding (the help screen, F1, lists the ids)"))
        elif not keys_text.strip() or \
                not all(_KEY.match(k.strip()) for k in keys_text.split(",")):
            issues.append((("keys", binding_id),
                           f"'{keys_text}' is not a key like 'n', 'ctrl+n' or 'f2'"))
    return issues


def load_settings(path: Path | None = None, *, binding_ids: Collection[str] | None = None,
                  themes: Collection[str] | None = None) -> LoadedSettings:
    """The settings, with any problems; ``binding_ids`` and ``themes`` are what exists.

    Each bad setting keeps its default and the rest of the file applies."""
    path = path or settings_path()
    try:
        data = _read(path)
    except FileNotFoundError:
        return LoadedSettings(Settings(), path)
    except OSError as err:
        from vpatient.core.tomlcheck import Problem

        reason = err.strerror or str(err)
        return LoadedSettings(Settings(), path, (Problem(str(path), None, "",
                                                         f"cannot be read: {reason}"),), True)
    import tomllib  # only when there is a file (start-up without one stays lean)

    settings = None
    if len(data) <= FAST_READ_BYTES:
        try:
            settings = _plain(tomllib.loads(data.decode("utf-8")))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            settings = None
    if settings is not None and not _issues(settings, binding_ids, themes):
        return LoadedSettings(settings, path, (), True)
    # Something is off: the shared checker says what, and where.
    from vpatient.core.tomlcheck import KeyLocator, Problem, check_toml, dotted

    checked = check_toml(data, settings_model(), str(path),
                         unknown_key_hint="the help screen (F1) lists the settings")
    problems = list(checked.problems)
    if settings is None:  # keep the good settings, unless the file as a whole is bad
        whole_file = any(p.key == "" for p in problems)  # syntax, encoding, a limit
        settings = Settings() if whole_file else _valid_part(data)
    issues = _issues(settings, binding_ids, themes)
    if issues:
        locate = KeyLocator(data.decode("utf-8", "replace"))
        problems += [Problem(str(path), locate(loc), dotted(loc), message)
                     for loc, message in issues]
        bad = {loc for loc, _ in issues}
        settings = replace(
            settings, theme=None if ("theme",) in bad else settings.theme,
            keys={k: v for k, v in settings.keys.items() if ("keys", k) not in bad})
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return LoadedSettings(settings, path, tuple(problems), True)


def _valid_part(data: bytes) -> Settings:
    """The settings from a file that failed validation: each valid field, defaults for the rest
    (a table of keys keeps its good entries). Only called on a file that parsed."""
    import tomllib

    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return Settings()
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
    import json

    lines = ["# vpatient settings: the game rewrites this file (F1, the help screen, lists the "
             "key ids).",
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
