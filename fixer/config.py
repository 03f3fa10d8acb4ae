"""Configuration: `[tool.dockerfix]` in pyproject.toml, or a `.dockerfix.toml`, found by walking
up from each file (the nearest wins; in one directory `.dockerfix.toml` wins over
pyproject.toml, as ruff does with ruff.toml). `--config FILE` names one for every file;
`--isolated` ignores them all. Command-line flags override what the file says.

    [tool.dockerfix]
    extend = "../pyproject.toml"     # the configuration this one builds on (see below)
    select = ["ALL"]                 # rule ids or names; default: the rules on by default
    extend-select = ["DF016"]        # added to the selection
    ignore = ["DF004"]
    unsafe-fixes = false
    per-file-ignores = { "build/*.Dockerfile" = ["DF005"] }
    exclude = ["third_party"]        # left out of directory searches instead of .git, node_modules, testdata, ...
    extend-exclude = ["legacy"]      # left out of directory searches too
    runtime-base = "alpine"          # alpine | scratch | distroless: runtime stages dockerfix writes
    runtime-image = "alpine:3.24"    # the pinned image for that base
    user = "65534:65534"             # the non-root user dockerfix writes (numeric uid:gid)
    context = "."                    # the build context, relative to this file
    base-image-pins = { alpine = "3.22" }
    healthcheck = { path = "/healthz", port = 8080, interval = "30s", command = ["/server", "-health"] }
    compose-limits = { memory = "512M", cpus = "1.0" }   # what compose-resource-limits may add
    severity = { DF021 = "warning", "non-root-user" = "error" }   # error | warning | info | style
    fail-level = "warning"           # what --check fails on, as --fail-level (error | warning | info | style | none)

`extend`, as in ruff: the file it names (relative to this one; `~` and `$VARIABLES` are
expanded) is read first, and this file's settings go over it, so a nested configuration adds
to the root's instead of replacing it. A key this file sets replaces the other file's value,
except that
  - `extend-select` and `extend-exclude` add to the other file's;
  - `select` starts the rule selection afresh (the other file's `select`, `extend-select` and
    `ignore` no longer count); without it, `ignore` adds to the other file's, and
    `extend-select` brings back a rule the other file ignored;
  - `healthcheck`, `compose-limits`, `base-image-pins` and `severity` are merged key by key;
  - `per-file-ignores` and `exclude` replace the other file's whole (as in ruff).
Paths and patterns stay relative to the file that wrote them. The extended file may extend
another; a cycle is an error naming the files.

hadolint's own configuration is honoured as well: the nearest `.hadolint.yaml` (or
`.hadolint.yml`) at or above each file, whatever dockerfix configuration applies (`--isolated`
ignores it too). The rules that report what its `ignored:` codes report (docs/rules.md maps
them) are ignored, unless `select` or `extend-select` (of the file or the command line) names
the rule itself: dockerfix's configuration has the last word. Its `override:` sets the
severity of the rules its codes map to (the most severe, where a rule's codes are given
different ones), unless the `severity` table names the rule. Its `failure-threshold:` is the
fail level of `--check` unless `--fail-level` or the dockerfix configuration's `fail-level`
says otherwise (the command line beats dockerfix's configuration, which beats hadolint's).
hadolint fails on a finding at or above the threshold, as dockerfix does, so `error`,
`warning`, `info` and `style` mean the same to both; hadolint's `ignore` and `none` sort
below every severity, so there every finding fails: dockerfix reads them as `style` (its own
`none`, "only a file that would change fails", is another thing). Its other keys are
hadolint's alone.

The keys that set what rules do (`runtime-base`, `runtime-image`, `user`, `base-image-pins`,
`healthcheck`, `compose-limits`) are the rules' options, declared once each in
fixer.rules.options with what they take: they are checked from those declarations and kept
in `Settings.options`, and the rules read them as `Settings.rule_options()` gives them.

Unknown keys and values of the wrong kind are errors that name the file, the line and the
key, and suggest the known key nearest to an unknown one.
"""
from __future__ import annotations

import fnmatch
import os
import re
from functools import lru_cache

from .records import field, record, replace

# --runtime-base's choices: fixer.rules.options.RUNTIME_BASES, said again here so that the
# command line's parser does not import the rules (a test holds the two alike)
RUNTIME_BASES = ("alpine", "scratch", "distroless")
KEYS = ("extend", "select", "extend-select", "ignore", "unsafe-fixes", "per-file-ignores", "exclude", "extend-exclude",
        "context", "severity", "fail-level")   # and the rules' options (fixer.rules.options)
PYPROJECT_TABLE = "tool.dockerfix"
HADOLINT_FILES = (".hadolint.yaml", ".hadolint.yml")   # hadolint's order
HADOLINT_SEVERITIES = ("error", "warning", "info", "style")   # hadolint's names are dockerfix's (rules.base)
FAIL_LEVELS = (*HADOLINT_SEVERITIES, "none")   # rules.base.SEVERITIES, and none: only a change fails --check
DEFAULT_FAIL_LEVEL = "warning"
# hadolint's failure-threshold values -> dockerfix's fail level. hadolint's `ignore` and `none`
# sort below every severity, so every finding is at or above them and fails (hadolint#613)
HADOLINT_THRESHOLDS = {"error": "error", "warning": "warning", "info": "info", "style": "style",
                       "ignore": "style", "none": "style"}


class ConfigError(Exception):
    """A configuration file dockerfix cannot use, with the 1-based line where it can say."""

    def __init__(self, path: str, message: str, line: int = 0, key: str = ""):
        from .console import shown_path  # an error path: not loaded before one

        shown = shown_path(path)
        super().__init__(f"{shown}:{line}: {message}" if line else f"{shown}: {message}")
        self.path = path
        self.message = message
        self.line = line
        self.key = key   # the dotted key the message is about, for finding its line


@record
class HadolintSettings:
    """What dockerfix reads of a `.hadolint.yaml`: the codes as written there."""

    source: str
    ignored: tuple[str, ...] = ()
    override: dict[str, tuple[str, ...]] = field(default_factory=dict)   # severity -> codes
    failure_threshold: str | None = None   # as written there (HADOLINT_THRESHOLDS)
    no_fail: bool = False                  # `no-fail: true`: hadolint's findings never fail

    def ignored_rules(self) -> list[str]:
        return hadolint_rules(self.ignored)

    def severities(self) -> dict[str, str]:
        """Rule id -> the severity `override:` gives the codes it maps to: the most severe where
        its codes are given different ones."""
        found: dict[str, str] = {}
        for severity in reversed(HADOLINT_SEVERITIES):  # least severe first: a more severe one overwrites it
            found.update(dict.fromkeys(hadolint_rules(self.override.get(severity, ())), severity))
        return found

    def overridden(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """Rule id -> (the severity `override:` gives it, as `severities`, and the rule's codes
        given that severity there)."""
        found: dict[str, tuple[str, tuple[str, ...]]] = {}
        for severity in reversed(HADOLINT_SEVERITIES):
            codes = self.override.get(severity, ())
            for rule in hadolint_rules(codes):
                found[rule] = (severity, tuple(code for code in codes if code in _codes_of(rule)))
        return found

    @property
    def fail_level(self) -> str | None:
        """dockerfix's fail level for `no-fail: true` (none: only a change fails --check, as
        hadolint then fails on no finding) or `failure-threshold:`; None when neither is set."""
        if self.no_fail:
            return "none"
        return HADOLINT_THRESHOLDS[self.failure_threshold] if self.failure_threshold else None

    @property
    def fail_level_key(self) -> str:
        """The setting `fail_level` comes from, as written in the file."""
        return "no-fail: true" if self.no_fail else f"failure-threshold: {self.failure_threshold}"


@record
class Settings:
    source: str | None = None
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    unsafe_fixes: bool = False
    per_file_ignores: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # directory -> pattern -> rules
    options: dict = field(default_factory=dict)   # the rules' options that are set: name ("runtime-base") -> value
    context: str | None = None
    context_how: str = "--context"
    exclude: dict[str, list[str]] | None = None   # directory -> glob patterns; replaces the default exclusions
    extend_exclude: dict[str, list[str]] = field(default_factory=dict)   # directory -> glob patterns
    severity: dict[str, str] = field(default_factory=dict)   # rule id -> severity
    severity_from: dict[str, str] = field(default_factory=dict)   # rule id -> the file whose table set it
    fail_level: str | None = None          # FAIL_LEVELS; None: .hadolint.yaml's, else the default
    fail_level_from: str = ""              # the file that set it
    command_line_fail_level: str | None = None   # --fail-level, over them all
    chain: tuple[str, ...] = ()            # the files read, this one first, then the one it extends, ...
    hadolint: HadolintSettings | None = None
    named: bool = False                    # the file was named on the command line (not found by a search)

    def severities(self, rules) -> dict[str, str]:
        """Rule id -> the severity of its findings, for each of `rules`: the `severity` table's,
        else what .hadolint.yaml's `override:` gives its codes, else the rule's own."""
        overridden = self.hadolint.severities() if self.hadolint and self.hadolint.override else {}
        return {rule.id: self.severity.get(rule.id) or overridden.get(rule.id) or rule.severity for rule in rules}

    def severity_sources(self, rules) -> dict[str, tuple[str, str, str | None]]:
        """Rule id -> (its severity as `severities` says, what sets it, the file that says so or
        None), for each of `rules` (for --show-settings)."""
        overridden = self.hadolint.overridden() if self.hadolint and self.hadolint.override else {}
        found: dict[str, tuple[str, str, str | None]] = {}
        for rule in rules:
            if rule.id in self.severity:
                found[rule.id] = (self.severity[rule.id], "severity table",
                                  self.severity_from.get(rule.id, self.source))
            elif rule.id in overridden and self.hadolint:  # overridden is empty without hadolint
                severity, codes = overridden[rule.id]
                found[rule.id] = (severity, f"override: {severity}: {', '.join(codes)}", self.hadolint.source)
            else:
                found[rule.id] = (rule.severity, "the rule's own", None)
        return found

    def failing_level(self) -> tuple[str, str, str | None]:
        """The fail level of --check for this file, what sets it and the file that says so (or
        None): --fail-level, else the dockerfix configuration's `fail-level`, else
        .hadolint.yaml's `failure-threshold:`, else the default."""
        return self.fail_levels()[0]

    def fail_levels(self) -> list[tuple[str, str, str | None]]:
        """Every fail level set for this file, as failing_level gives them, the one that counts
        first; the last is the default."""
        found: list[tuple[str, str, str | None]] = []
        if self.command_line_fail_level is not None:
            found.append((self.command_line_fail_level, "--fail-level", None))
        if self.fail_level is not None:
            found.append((self.fail_level, "fail-level", self.fail_level_from or self.source))
        if self.hadolint is not None and self.hadolint.fail_level is not None:
            found.append((self.hadolint.fail_level, self.hadolint.fail_level_key, self.hadolint.source))
        return [*found, (DEFAULT_FAIL_LEVEL, "the default", None)]

    def rule_options(self) -> dict:
        """What the rules read as `checker.options`: each option that is set, or has a default,
        under its key ("runtime_base"), as the rules read it."""
        from .rules.options import OPTIONS

        found = {}
        for option in OPTIONS:
            value = self.options.get(option.name, option.default)
            if value:
                found[option.key] = option.rule_value(value)
        return found

    def option(self, name: str):
        """The rule option `name` ("runtime-base"): as set, else its declared default."""
        from .rules.options import BY_NAME

        return self.options.get(name, BY_NAME[name].default)

    @property
    def directory(self) -> str:
        """What the file's own path patterns are relative to: its directory."""
        return os.path.dirname(self.source) if self.source else os.curdir

    def ignored_for(self, path: str) -> list[str]:
        """Rules per-file-ignores switches off for `path` (patterns relative to the directory of
        the configuration file that wrote them)."""
        return [rule for directory, table in self.per_file_ignores.items() for pattern, rules in table.items()
                if excluded_by([pattern], path, directory) for rule in rules]

    def excludes(self, path: str, with_ancestors: bool = False) -> bool:
        """Whether an extend-exclude pattern (relative to the directory of the configuration file
        that wrote it) matches `path` or its name — or, `with_ancestors`, a directory it is in."""
        return any(excluded_by(patterns, path, directory, with_ancestors)
                   for directory, patterns in self.extend_exclude.items())


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
    _hadolint_config_in.cache_clear()


def _has_tool_table(pyproject: str) -> bool:
    try:
        with open(pyproject, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\[tool\.dockerfix[.\]]", text, re.M) is not None


def load(path: str | os.PathLike) -> Settings:
    """The settings of a configuration file, over those of the files it extends."""
    return _load(os.fspath(path), ())


def _load(path: str, extending: tuple[str, ...]) -> Settings:
    """`extending`: the real paths of the files that extend this one, nearest last."""
    text = _read(path)
    data, table = _dockerfix_table(path, text)
    base = _extended(path, text, table, data["extend"], extending) if "extend" in data else None
    own, written = _settings(path, text, table, data)
    own.chain = (path,)
    if base is None:
        return own
    merged = _over(base, own, written)
    merged.chain = (path, *base.chain)
    return merged


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except OSError as error:
        raise ConfigError(path, f"cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(path, f"not valid UTF-8 (byte 0x{error.object[error.start]:02x})") from None


def _dockerfix_table(path: str, text: str) -> tuple[dict, str]:
    """The file's dockerfix settings, and the name of the table they are in ("" for the whole file)."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, f"not valid TOML: {error}", _toml_error_line(error)) from None
    except RecursionError:
        raise ConfigError(path, "not valid TOML: nested too deeply") from None
    if os.path.basename(path) != "pyproject.toml":
        return data, ""
    tool = data.get("tool", {})
    table = tool.get("dockerfix", {}) if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise ConfigError(path, "[tool.dockerfix] must be a table", _key_line(text, "tool", "dockerfix"))
    return table, PYPROJECT_TABLE


def _toml_error_line(error) -> int:
    """The line tomllib's message names (Python 3.14 also has it as an attribute)."""
    found = re.search(r"\(at line (\d+), column \d+\)", str(error))
    return getattr(error, "lineno", None) or (int(found[1]) if found else 0)


def _extended(path: str, text: str, table: str, value, extending: tuple[str, ...]) -> Settings:
    """The settings of the file `extend` names, relative to the file `path` that names it."""
    line = _key_line(text, table, "extend")
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(path, "extend must be the path of a configuration file, as a string", line)
    named = os.path.expandvars(os.path.expanduser(value))
    target = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(path)), named))
    chain = (*extending, os.path.realpath(path))
    if os.path.realpath(target) in chain:
        cycle = chain[chain.index(os.path.realpath(target)):]
        raise ConfigError(path, f"extend makes a cycle: {' -> '.join(map(_shown, (*cycle, cycle[0])))}", line)
    if not os.path.isfile(target):
        raise ConfigError(path, f"extend names {value!r}: no such file ({_shown(target)})", line)
    return _load(target, chain)


def _shown(path: str) -> str:
    from .console import shown_path

    return shown_path(path)


def _over(base: Settings, own: Settings, written: set[str]) -> Settings:
    """`own`, the settings a file writes (its keys `written`), over `base`, those of the file it extends."""
    merged = replace(base, source=own.source)
    for name in ("unsafe_fixes", "context", "per_file_ignores", "exclude"):
        if name in written:
            setattr(merged, name, getattr(own, name))
    if "fail_level" in written:
        merged.fail_level, merged.fail_level_from = own.fail_level, own.fail_level_from
    for name in ("severity", "severity_from"):
        setattr(merged, name, {**getattr(base, name), **getattr(own, name)})
    merged.options = {**base.options, **{name: _over_option(base.options.get(name), value)
                                         for name, value in own.options.items()}}
    merged.extend_exclude = {directory: [*base.extend_exclude.get(directory, ()), *patterns]
                             for directory, patterns in {**base.extend_exclude, **own.extend_exclude}.items()}
    merged.select, merged.extend_select, merged.ignore = _selection(base, own, "select" in written)
    return merged


def _over_option(base, own):
    """A rule option's value `own` over `base`'s: a table is merged key by key, anything else replaces."""
    return {**(base or {}), **own} if isinstance(own, dict) else own


def _selection(base: Settings, own: Settings, selects: bool) -> tuple[list[str] | None, list[str], list[str]]:
    """select, extend-select and ignore of `own` over `base`, as ruff layers them: a `select`
    starts afresh; without one, `extend-select` adds (bringing back what the base ignored) and
    `ignore` takes away."""
    if selects:
        return own.select, list(own.extend_select), list(own.ignore)
    if not own.extend_select:
        return base.select, list(base.extend_select), [*base.ignore, *own.ignore]
    picked = {_rule_id(name) for name in own.extend_select}
    if "ALL" in {_rule_id(name) for name in base.ignore}:
        return list(own.extend_select), [], list(own.ignore)  # nothing was left: only what this file picks
    kept = [name for name in base.ignore if "ALL" not in picked and _rule_id(name) not in picked]
    return base.select, [*base.extend_select, *own.extend_select], [*kept, *own.ignore]


def _rule_id(name: str) -> str:
    from .rules import find_rule

    return "ALL" if name.upper() == "ALL" else find_rule(name).id


def _settings(path: str, text: str, table: str, data: dict) -> tuple[Settings, set[str]]:
    """The settings one file writes, and which (Settings' names) it writes."""
    settings = Settings(source=path)
    written = set()
    for key, value in data.items():
        try:
            written.add(_set(settings, path, key, value, table))
        except ConfigError as error:
            sub = error.key[len(key) + 1:] if error.key.startswith(f"{key}.") else ""
            raise ConfigError(path, error.message, _key_line(text, table, key, sub)) from None
    if settings.context is not None:
        settings.context = os.path.normpath(os.path.join(os.path.dirname(path), settings.context))
    return settings, written


def _set(settings: Settings, path: str, key: str, value, table: str) -> str:
    """Set what `key` says on `settings`; its name there (a rule option's: its own)."""
    name = key.replace("-", "_")
    if name in ("select", "extend_select", "ignore"):
        setattr(settings, name, _names(path, key, value))
    elif name == "extend":
        pass  # read first, by _load
    elif name == "unsafe_fixes":
        settings.unsafe_fixes = _typed(path, key, value, bool)
    elif name == "per_file_ignores":
        patterns = _typed(path, key, value, dict)
        settings.per_file_ignores = {settings.directory: {pattern: _names(path, f"{key}.{pattern}", rules)
                                                          for pattern, rules in patterns.items()}}
    elif name == "exclude":
        settings.exclude = {settings.directory: _strings(path, key, value, "glob patterns")}
    elif name == "extend_exclude":
        settings.extend_exclude = {settings.directory: _strings(path, key, value, "glob patterns")}
    elif name == "context":
        settings.context = _typed(path, key, value, str)
    elif name == "severity":
        settings.severity = _severities(path, key, value)
        settings.severity_from = dict.fromkeys(settings.severity, path)
    elif name == "fail_level":
        if not isinstance(value, str) or value not in FAIL_LEVELS:
            hint = _hint(value.lower(), FAIL_LEVELS) if isinstance(value, str) else ""
            raise ConfigError(path, f"{key} must be one of {', '.join(FAIL_LEVELS)}, not {value!r}{hint}", key=key)
        settings.fail_level, settings.fail_level_from = value, path
    else:
        return _set_option(settings, path, key, value, table)
    return name


def _set_option(settings: Settings, path: str, key: str, value, table: str) -> str:
    """Set the rule option `key` names, as its declaration checks it; its name."""
    from .rules.options import OPTIONS, OptionError, option_named

    option = option_named(key)
    if option is None:
        where = f"[{table}]" if table else "the file"
        known = (*KEYS, *(declared.name for declared in OPTIONS))
        raise ConfigError(path, f"unknown key {key!r} in {where}{_hint(key, known)}", key=key)
    try:
        settings.options[option.name] = option.check(key, value)
    except OptionError as error:
        hint = _hint(error.unknown, error.known) if error.unknown else ""
        raise ConfigError(path, f"{error.message}{hint}", key=error.key) from None
    return option.name


def _hint(word: str, known) -> str:
    """"; did you mean 'x'?" for the known key nearest to `word`, or "" (on the error path only)."""
    from .console import close_match

    match = close_match(word.replace("_", "-"), known)
    return f"; did you mean {match!r}?" if match else ""


def _key_line(text: str, table: str, key: str, sub: str = "") -> int:
    """The 1-based line where `key` of `table` is written (and, given, its `sub` key after
    it), or 0. TOML readers keep no positions: this finds the key in the text."""
    lines = text.splitlines()
    start = _top_key_line(lines, table, key)
    if not start or not sub:
        return start
    written = re.compile(r"(?:^|[\s{,.])[\"']?" + re.escape(sub) + r"[\"']?\s*=")
    return next((number for number in range(start, len(lines) + 1) if written.search(lines[number - 1])), start)


def _top_key_line(lines: list[str], table: str, key: str) -> int:
    header = f"{table}.{key}" if table else key
    section = ""
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            section = _dotted(stripped.lstrip("[").partition("]")[0])
            if section == header:
                return number
        elif section == table and "=" in stripped:
            name = _dotted(stripped.partition("=")[0])
            if name == key or name.startswith(f"{key}."):
                return number
    return 0


def _dotted(name: str) -> str:
    """A TOML key or table name without its quotes and the spaces around its dots."""
    return ".".join(part.strip().strip("\"'") for part in name.split("."))


def _severities(path: str, key: str, value) -> dict[str, str]:
    """The `severity` table: rule ids or names -> severity, by rule id. `ALL` sets every rule's;
    a rule named beside it keeps its own."""
    from .rules import ALL_RULES, UnknownRule, find_rule
    from .rules.base import SEVERITIES

    found: dict[str, str] = {}
    table = _typed(path, key, value, dict)
    for name, severity in sorted(table.items(), key=lambda item: item[0] != "ALL"):  # ALL first
        if severity not in SEVERITIES:
            hint = _hint(severity.lower(), SEVERITIES) if isinstance(severity, str) else ""
            raise ConfigError(path, f"{key}.{name} must be one of {', '.join(SEVERITIES)}, not {severity!r}{hint}",
                              key=f"{key}.{name}")
        try:
            rules = ALL_RULES if name == "ALL" else (find_rule(name),)
        except UnknownRule as error:
            from .console import rule_hint

            raise ConfigError(path, f"{key}: {error}{rule_hint(name)}", key=f"{key}.{name}") from None
        found.update((rule.id, severity) for rule in rules)
    return found


def _typed(path: str, key: str, value, kind):
    from .rules.options import OptionError, typed

    try:
        return typed(key, value, kind)
    except OptionError as error:
        raise ConfigError(path, error.message, key=error.key) from None


def _strings(path: str, key: str, value, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(path, f"{key} must be a list of {what}", key=key)
    return list(value)


def _names(path: str, key: str, value) -> list[str]:
    value = _strings(path, key, value, "rule ids or names")
    from .rules import UnknownRule, find_rule

    for item in value:
        if item.upper() != "ALL":
            try:
                find_rule(item)
            except UnknownRule as error:
                from .console import rule_hint

                raise ConfigError(path, f"{key}: {error}{rule_hint(item)}", key=key) from None
    return value


def find_hadolint_config(start: str | os.PathLike) -> str | None:
    """hadolint's configuration file for `start` (a file or a directory): the nearest
    `.hadolint.yaml` or `.hadolint.yml` at or above it, or None."""
    directory = start if os.path.isdir(start) else os.path.dirname(os.path.abspath(start))
    return _hadolint_config_in(os.path.abspath(directory))


@lru_cache(maxsize=1024)
def _hadolint_config_in(directory: str) -> str | None:
    for name in HADOLINT_FILES:
        candidate = os.path.join(directory, name)
        if os.path.isfile(candidate):
            return candidate
    parent = os.path.dirname(directory)
    return None if parent == directory else _hadolint_config_in(parent)


def load_hadolint(path: str) -> HadolintSettings:
    """The `ignored:` and `override:` codes of a .hadolint.yaml. A file hadolint could not read
    either is an error; keys hadolint has and dockerfix does not use are left alone."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    text = _read(path)
    try:
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise ConfigError(path, f"not valid YAML: {error.problem or error}", mark.line + 1 if mark else 0) from None
    except YAMLError as error:
        raise ConfigError(path, f"not valid YAML: {error}") from None
    if data is None:
        return HadolintSettings(path)
    if not hasattr(data, "items"):
        raise ConfigError(path, "must be a mapping of hadolint's settings (ignored:, override:, ...)", 1)
    override = data.get("override")
    if override is not None and not hasattr(override, "items"):
        raise ConfigError(path, f"override must map severities ({', '.join(HADOLINT_SEVERITIES)}) to lists of "
                                "rule codes", _yaml_line(data, "override"))
    severities = {} if override is None else {severity: _codes(path, override, severity, "override.")
                                              for severity in HADOLINT_SEVERITIES}
    return HadolintSettings(path, _codes(path, data, "ignored"),
                            {severity: codes for severity, codes in severities.items() if codes},
                            _failure_threshold(path, data), _no_fail(path, data))


def _no_fail(path: str, mapping) -> bool:
    """`no-fail:` as hadolint reads it: a boolean."""
    value = mapping.get("no-fail", False)
    if not isinstance(value, bool):
        raise ConfigError(path, f"no-fail must be true or false, not {value!r}", _yaml_line(mapping, "no-fail"))
    return value


def _failure_threshold(path: str, mapping) -> str | None:
    """`failure-threshold:` as hadolint reads it (a value it does not know is its error too)."""
    value = mapping.get("failure-threshold")
    if value is None:
        return None
    if not isinstance(value, str) or value not in HADOLINT_THRESHOLDS:
        hint = _hint(value.lower(), HADOLINT_THRESHOLDS) if isinstance(value, str) else ""
        raise ConfigError(path, f"failure-threshold must be one of {', '.join(HADOLINT_THRESHOLDS)}, not {value!r}"
                                f"{hint}", _yaml_line(mapping, "failure-threshold"))
    return value


def _codes(path: str, mapping, key: str, prefix: str = "") -> tuple[str, ...]:
    value = mapping.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ConfigError(path, f"{prefix}{key} must be a list of rule codes such as DL3008", _yaml_line(mapping, key))
    return tuple(code.strip().upper() for code in value)


def _yaml_line(mapping, key: str) -> int:
    try:
        return mapping.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return 0


def hadolint_rules(codes) -> list[str]:
    """The ids of the rules that report what hadolint reports as one of `codes` (their
    `hadolint=` declarations; docs/rules.md lists them)."""
    from .rules import all_rules

    wanted = {code.upper() for code in codes}
    return [rule.id for rule in all_rules() if wanted & set(rule.hadolint)]


def _codes_of(rule_id: str) -> frozenset[str]:
    """The hadolint codes of the rule `rule_id` (its `hadolint=` declaration)."""
    from .rules import find_rule

    return frozenset(find_rule(rule_id).hadolint)


def with_hadolint(settings: Settings, hadolint: HadolintSettings | None) -> Settings:
    """`settings` with what a .hadolint.yaml says: the rules its `ignored:` codes map to are
    ignored, except a rule `select` or `extend-select` names itself (not as ALL)."""
    if hadolint is None:
        return settings
    named = {_rule_id(name) for name in [*(settings.select or ()), *settings.extend_select]}
    ignored = [rule for rule in hadolint.ignored_rules() if rule not in named]
    return replace(settings, hadolint=hadolint, ignore=[*settings.ignore, *ignored])
