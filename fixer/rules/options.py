"""The options rules read from the configuration: one declaration each, however many rules
read it (`user` is read by non-root-user and go-multi-stage alike).

A rule names the options it reads in its declaration, `Rule(..., options=("user",))`, and
reads them from `checker.options` under their `key` ("runtime_base" for `runtime-base`).
The configuration (fixer.config) checks each key against these declarations, and the rules
documentation (docs/rules.md) lists them from here. Adding an option is one `Option` below
and its name in the rules that read it.
"""
from __future__ import annotations

from collections.abc import Callable  # not typing (docs/performance.md, imports on demand)

from ..lazy_regex import lazy_regex
from ..records import record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; type checkers take it as true
if TYPE_CHECKING:
    from typing import Any

RUNTIME_BASES = ("alpine", "scratch", "distroless")   # config.RUNTIME_BASES, --runtime-base's choices, says them again
HEALTHCHECK_KEYS = {"path": str, "port": int, "interval": str, "timeout": str, "start-period": str,
                    "retries": int, "command": list}
COMPOSE_LIMIT_KEYS = ("memory", "cpus")
KINDS = {bool: "true or false", str: "a string", int: "a number", dict: "a table", list: "a list"}
NON_ROOT_ID = lazy_regex(r"[1-9]\d*(:\d+)?")
GO_DURATION = lazy_regex(r"(?:\d+(?:\.\d*)?(?:ns|us|µs|ms|s|m|h))+")
URL_PATH = lazy_regex(r"/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*")
# what an image reference and a tag may hold (the distribution reference grammar's characters):
# the value is written into a FROM line, so a space or a line break must never get through
IMAGE_REFERENCE = lazy_regex(r"(?i)[a-z0-9][a-z0-9._/:@+-]*")
IMAGE_TAG = lazy_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")


class OptionError(ValueError):
    """A value an option does not take: what is wrong, and the dotted key it is about. For an
    unknown key of a table, `unknown` is that key and `known` the ones there are (the
    configuration suggests the nearest)."""

    def __init__(self, message: str, key: str, unknown: str = "", known: tuple[str, ...] = ()):
        super().__init__(message)
        self.message, self.key, self.unknown, self.known = message, key, unknown, known


@record(frozen=True)
class Option:
    name: str            # as written in the configuration: "runtime-base"
    value: str           # what it takes, as the documentation says it
    description: str     # one line: what it sets
    check: Callable[[str, object], object]   # (the key as written, its value) -> the value; raises OptionError
    default: object = None    # what the rules get when it is not set; None: nothing (each rule has its own)
    default_text: str = ""    # the default, in words, where the rules work it out themselves
    for_rules: Callable[[Any], object] | None = None   # the value as the rules read it; None: as written

    @property
    def key(self) -> str:
        """The name the rules read it under in `checker.options`."""
        return self.name.replace("-", "_")

    def rule_value(self, value):
        return self.for_rules(value) if self.for_rules else value


def typed(key: str, value, kind):
    """`value`, if it is of `kind` (a bool is no number); else an OptionError naming `key`."""
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise OptionError(f"{key} must be {KINDS[kind]}, not {type(value).__name__}", key)
    return value


def _runtime_base(key: str, value) -> str:
    if value not in RUNTIME_BASES:
        raise OptionError(f"{key} must be one of {', '.join(RUNTIME_BASES)}, not {value!r}", key)
    return value


def _image(key: str, value) -> str:
    if not IMAGE_REFERENCE.fullmatch(typed(key, value, str)):
        raise OptionError(f"{key} must be an image reference such as alpine:3.24, not {value!r}", key)
    return value


def _tag(key: str, value) -> str:
    if not IMAGE_TAG.fullmatch(typed(key, value, str)):
        raise OptionError(f"{key} must be an image tag such as 3.24, not {value!r}", key)
    return value


def _user(key: str, value) -> str:
    if not NON_ROOT_ID.fullmatch(typed(key, value, str)):
        raise OptionError(f"{key} must be a numeric non-root uid or uid:gid, not {value!r}", key)
    return value


def _pins(key: str, value) -> dict[str, str]:
    return {_image(key, image): _tag(f"{key}.{image}", tag) for image, tag in typed(key, value, dict).items()}


def _healthcheck(key: str, value) -> dict:
    table = typed(key, value, dict)
    for name, item in table.items():
        _known(key, name, tuple(HEALTHCHECK_KEYS))
        typed(f"{key}.{name}", item, HEALTHCHECK_KEYS[name])
        problem = _healthcheck_value_problem(name, item)
        if problem:
            raise OptionError(f"{key}.{name} {problem}", f"{key}.{name}")
    return dict(table)


def _healthcheck_value_problem(name: str, value) -> str:
    """What is wrong with one value of the healthcheck table, or ""."""
    if name == "port" and not 1 <= value <= 65535:
        return f"must be a port number from 1 to 65535, not {value}"
    if name == "retries" and value < 0:
        return f"must be at least 0, not {value}"
    if name in ("interval", "timeout", "start-period") and not GO_DURATION.fullmatch(value):
        return f"must be a duration such as 30s, 1m30s or 500ms, not {value!r}"
    if name == "path" and not URL_PATH.fullmatch(value):
        return f"must be a URL path starting with / without spaces or control characters, not {value!r}"
    if name == "command" and (not value or not all(isinstance(word, str) and word for word in value)):
        return "must be a non-empty list of non-empty strings"
    return ""


def _compose_limits(key: str, value) -> dict:
    table = typed(key, value, dict)
    for limit, item in table.items():
        _known(key, limit, COMPOSE_LIMIT_KEYS)
        typed(f"{key}.{limit}", item, str)
    return dict(table)


def _known(key: str, name: str, known: tuple[str, ...]) -> None:
    if name not in known:
        raise OptionError(f"unknown key {key}.{name!r} (known: {', '.join(known)})", f"{key}.{name}", name, known)


def _with_underscores(table: dict) -> dict:
    return {key.replace("-", "_"): value for key, value in table.items()}


OPTIONS = (
    Option("runtime-base", "alpine, scratch or distroless", "the base of the runtime stage a split image gets",
           _runtime_base, default="alpine"),
    Option("runtime-image", "an image reference", "the pinned image of that base",
           _image, default_text="alpine:3.24, scratch or gcr.io/distroless/static-debian12, by `runtime-base`"),
    Option("user", "a numeric non-root uid or uid:gid", "the non-root user dockerfix writes",
           _user, default_text="65534:65534, or 65532:65532 on distroless and Chainguard"),
    Option("base-image-pins", "a table: image = tag", "tags for untagged and `:latest` images, over the shipped table",
           _pins, default_text="the shipped table alone"),
    Option("compose-limits", "a table: memory, cpus (strings)", "the limits services without any may get",
           _compose_limits, default_text="none (nothing is added)"),
    Option("healthcheck", "a table: path, port, interval, timeout, start-period, retries, command",
           "the HEALTHCHECK written: its route, port and timings, or the command to run",
           _healthcheck, default_text="the route the program registers, the first EXPOSEd port, interval 30s, "
                                      "timeout 3s, start-period 5s, retries 3",
           for_rules=_with_underscores),
)
BY_NAME = {option.name: option for option in OPTIONS}


def option_named(name: str) -> Option | None:
    """The option a configuration key names (`runtime_base` as well as `runtime-base`), or None."""
    return BY_NAME.get(name.replace("_", "-"))


def options_of(rule) -> tuple[Option, ...]:
    """The options `rule` declares it reads."""
    return tuple(BY_NAME[name] for name in rule.options)


def rules_reading(option: Option, rules) -> list:
    """Those of `rules` that declare they read `option`."""
    return [rule for rule in rules if option.name in rule.options]
