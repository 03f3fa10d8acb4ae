"""Configuration: `[tool.dockerfix]` in pyproject.toml, or a `.dockerfix.toml`, found by walking
up from each file (the nearest wins; in one directory `.dockerfix.toml` wins over
pyproject.toml, as ruff does with ruff.toml). `--config FILE` names one for every file;
`--isolated` ignores them all. Command-line flags override what the file says.

    [tool.dockerfix]
    select = ["ALL"]                 # rule ids or names; default: the rules on by default
    extend-select = ["DF016"]        # added to the selection
    ignore = ["DF004"]
    unsafe-fixes = false
    per-file-ignores = { "build/*.Dockerfile" = ["DF005"] }
    runtime-base = "alpine"          # alpine | scratch | distroless: runtime stages dockerfix writes
    runtime-image = "alpine:3.24"    # the pinned image for that base
    user = "65534:65534"             # the non-root user dockerfix writes (numeric uid:gid)
    context = "."                    # the build context, relative to this file
    base-image-pins = { alpine = "3.22" }
    healthcheck = { path = "/healthz", port = 8080, interval = "30s", command = ["/server", "-health"] }
    compose-limits = { memory = "512M", cpus = "1.0" }   # what compose-resource-limits may add

Unknown keys and values of the wrong kind are errors that name the file and the key.
"""
from __future__ import annotations

import fnmatch
import os
import re
from functools import lru_cache

from .records import field, record

RUNTIME_BASES = ("alpine", "scratch", "distroless")
HEALTHCHECK_KEYS = {"path": str, "port": int, "interval": str, "timeout": str, "start-period": str,
                    "retries": int, "command": list}


class ConfigError(Exception):
    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@record
class Settings:
    source: str | None = None
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    unsafe_fixes: bool = False
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    runtime_base: str = "alpine"
    runtime_image: str | None = None
    user: str | None = None
    context: str | None = None
    context_how: str = "--context"
    base_image_pins: dict[str, str] = field(default_factory=dict)
    healthcheck: dict = field(default_factory=dict)
    compose_limits: dict = field(default_factory=dict)
    extend_exclude: list[str] = field(default_factory=list)

    def rule_options(self) -> dict:
        options = {"runtime_base": self.runtime_base}
        for key in ("runtime_image", "user"):
            if getattr(self, key):
                options[key] = getattr(self, key)
        if self.base_image_pins:
            options["base_image_pins"] = dict(self.base_image_pins)
        if self.compose_limits:
            options["compose_limits"] = dict(self.compose_limits)
        if self.healthcheck:
            options["healthcheck"] = {key.replace("-", "_"): value for key, value in self.healthcheck.items()}
        return options

    @property
    def directory(self) -> str:
        """What the file's path patterns are relative to: its own directory."""
        return os.path.dirname(self.source) if self.source else os.curdir

    def ignored_for(self, path: str) -> list[str]:
        """Rules per-file-ignores switches off for `path` (patterns relative to the config's directory)."""
        return [rule for pattern, rules in self.per_file_ignores.items()
                if excluded_by([pattern], path, self.directory) for rule in rules]

    def excludes(self, path: str, with_ancestors: bool = False) -> bool:
        """Whether an extend-exclude pattern (relative to the config's directory) matches `path`
        or its name — or, `with_ancestors`, a directory it is in."""
        return bool(self.extend_exclude) and excluded_by(self.extend_exclude, path, self.directory, with_ancestors)


def excluded_by(patterns: list[str], path: str, base: str, with_ancestors: bool = False) -> bool:
    """Whether one of the glob `patterns` matches `path` relative to `base`, its name, or (with
    ancestors) the relative path or name of a directory above it."""
    parts = _relative_posix(path, base).split("/")
    depths = range(1, len(parts) + 1) if with_ancestors else (len(parts),)
    candidates = {"/".join(parts[:depth]) for depth in depths} | {parts[depth - 1] for depth in depths}
    return any(fnmatch.fnmatch(candidate, pattern) for pattern in patterns for candidate in candidates)


def _relative_posix(path: str, base: str) -> str:
    """`path` relative to `base` when it is below it, else as given; with forward slashes."""
    absolute, base = os.path.abspath(path), os.path.abspath(base)
    inside = os.path.commonpath([absolute, base]) == base
    return (os.path.relpath(absolute, base) if inside else os.path.normpath(path)).replace(os.sep, "/")


def find_config(start: str | os.PathLike) -> str | None:
    """The configuration file for `start` (a file or a directory), or None."""
    directory = start if os.path.isdir(start) else os.path.dirname(os.path.abspath(start))
    return _config_in(os.path.abspath(directory))


@lru_cache(maxsize=1024)
def _config_in(directory: str) -> str | None:
    """The nearest configuration file at or above `directory` (files in one directory share it)."""
    dedicated = os.path.join(directory, ".dockerfix.toml")
    if os.path.isfile(dedicated):
        return dedicated
    pyproject = os.path.join(directory, "pyproject.toml")
    if os.path.isfile(pyproject) and _has_tool_table(pyproject):
        return pyproject
    parent = os.path.dirname(directory)
    return None if parent == directory else _config_in(parent)


def forget_directories() -> None:
    """Forget where the configuration files were found (see context.discovery's namesake)."""
    _config_in.cache_clear()


def _has_tool_table(pyproject: str) -> bool:
    try:
        with open(pyproject, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\[tool\.dockerfix[.\]]", text, re.M) is not None


def load(path: str | os.PathLike) -> Settings:
    import tomllib

    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as file:
            data = tomllib.loads(file.read())
    except OSError as error:
        raise ConfigError(path, f"cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(path, f"not valid UTF-8 (byte 0x{error.object[error.start]:02x})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, f"not valid TOML: {error}") from None
    except RecursionError:
        raise ConfigError(path, "not valid TOML: nested too deeply") from None
    if os.path.basename(path) == "pyproject.toml":
        tool = data.get("tool", {})
        data = tool.get("dockerfix", {}) if isinstance(tool, dict) else None
        if not isinstance(data, dict):
            raise ConfigError(path, "[tool.dockerfix] must be a table")
        where = "[tool.dockerfix]"
    else:
        where = "the file"
    return _settings(path, data, where)


def _settings(path: str, data: dict, where: str) -> Settings:
    settings = Settings(source=path)
    for key, value in data.items():
        name = key.replace("-", "_")
        if name in ("select", "extend_select", "ignore"):
            setattr(settings, name, _names(path, key, value))
        elif name == "unsafe_fixes":
            settings.unsafe_fixes = _typed(path, key, value, bool)
        elif name == "per_file_ignores":
            table = _typed(path, key, value, dict)
            settings.per_file_ignores = {pattern: _names(path, f"{key}.{pattern}", rules)
                                         for pattern, rules in table.items()}
        elif name == "extend_exclude":
            settings.extend_exclude = _strings(path, key, value, "glob patterns")
        elif name == "runtime_base":
            if value not in RUNTIME_BASES:
                raise ConfigError(path, f"{key} must be one of {', '.join(RUNTIME_BASES)}, not {value!r}")
            settings.runtime_base = value
        elif name in ("runtime_image", "context"):
            setattr(settings, name, _typed(path, key, value, str))
        elif name == "user":
            settings.user = _typed(path, key, value, str)
            if not re.fullmatch(r"[1-9]\d*(:\d+)?", settings.user):
                raise ConfigError(path, f"{key} must be a numeric non-root uid or uid:gid, not {value!r}")
        elif name == "base_image_pins":
            table = _typed(path, key, value, dict)
            settings.base_image_pins = {image: _typed(path, f"{key}.{image}", tag, str) for image, tag in table.items()}
        elif name == "healthcheck":
            settings.healthcheck = _healthcheck(path, key, value)
        elif name == "compose_limits":
            table = _typed(path, key, value, dict)
            for limit, item in table.items():
                if limit not in ("memory", "cpus"):
                    raise ConfigError(path, f"unknown key {key}.{limit!r} (known: memory, cpus)")
                _typed(path, f"{key}.{limit}", item, str)
            settings.compose_limits = dict(table)
        else:
            raise ConfigError(path, f"unknown key {key!r} in {where}")
    if settings.context is not None:
        settings.context = os.path.normpath(os.path.join(os.path.dirname(path), settings.context))
    return settings


def _healthcheck(path: str, key: str, value) -> dict:
    table = _typed(path, key, value, dict)
    for name, item in table.items():
        if name not in HEALTHCHECK_KEYS:
            raise ConfigError(path, f"unknown key {key}.{name!r} (known: {', '.join(HEALTHCHECK_KEYS)})")
        _typed(path, f"{key}.{name}", item, HEALTHCHECK_KEYS[name])
        problem = _healthcheck_value_problem(name, item)
        if problem:
            raise ConfigError(path, f"{key}.{name} {problem}")
    return dict(table)


GO_DURATION = re.compile(r"(?:\d+(?:\.\d*)?(?:ns|us|µs|ms|s|m|h))+")
URL_PATH = re.compile(r"/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*")


def _healthcheck_value_problem(name: str, value) -> str:
    """What is wrong with one value of the healthcheck table, or ""."""
    if name == "port" and not 1 <= value <= 65535:
        return f"must be a port number from 1 to 65535, not {value}"
    if name == "retries" and value < 0:
        return f"must be at least 0, not {value}"
    if name in ("interval", "timeout", "start_period", "start-period") and not GO_DURATION.fullmatch(value):
        return f"must be a duration such as 30s, 1m30s or 500ms, not {value!r}"
    if name == "path" and not URL_PATH.fullmatch(value):
        return f"must be a URL path starting with / without spaces or control characters, not {value!r}"
    if name == "command" and (not value or not all(isinstance(word, str) and word for word in value)):
        return "must be a non-empty list of non-empty strings"
    return ""


def _typed(path: str, key: str, value, kind):
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(path, f"{key} must be {_kind(kind)}, not {type(value).__name__}")
    return value


def _strings(path: str, key: str, value, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(path, f"{key} must be a list of {what}")
    return list(value)


def _names(path: str, key: str, value) -> list[str]:
    value = _strings(path, key, value, "rule ids or names")
    from .rules import UnknownRule, find_rule

    for item in value:
        if item.upper() != "ALL":
            try:
                find_rule(item)
            except UnknownRule as error:
                raise ConfigError(path, f"{key}: {error}") from None
    return value


def _kind(kind) -> str:
    return {bool: "true or false", str: "a string", int: "a number", dict: "a table", list: "a list"}[kind]
