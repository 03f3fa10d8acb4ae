"""The rules, one module each, found in this package's directory (a module that declares a
`RULE`; the others are the rules' helpers), in two registries: `DOCKERFILE_RULES`, read with
this package, and the Compose rules (fixer.rules.compose), read when first asked for, so that
a run over Dockerfiles does not import them. `ALL_RULES` is both, in id order. A new rule is
a new module: no list here names it."""
from __future__ import annotations

import sys
from functools import lru_cache

from ..context.package_modules import module_names
from .base import (
    MIXED,
    NO_FIX,
    SAFE,
    UNSAFE,
    Checker,
    ComposeChecker,
    Diagnostic,
    Edit,
    FileChange,
    Fix,
    Rule,
    merge_file_changes,
)


def rules_in(package: str, path) -> tuple[Rule, ...]:
    """The rules the modules of `package` (its `__path__`) declare as `RULE`, in id order."""
    found: dict[str, Rule] = {}
    for name in module_names(path):
        qualified = f"{package}.{name}"
        __import__(qualified)  # importlib.import_module, without importing importlib
        rule = getattr(sys.modules[qualified], "RULE", None)
        if rule is None:
            continue
        earlier = found.setdefault(rule.id, rule)
        if earlier is not rule:
            raise ValueError(f"{qualified} declares {rule.id}, which {earlier.check.__module__} declares too")
    return tuple(found[rule_id] for rule_id in sorted(found))


DOCKERFILE_RULES: tuple[Rule, ...] = rules_in(__name__, __path__)


@lru_cache(maxsize=1)
def compose_rules() -> tuple[Rule, ...]:
    from . import compose

    return rules_in(compose.__name__, compose.__path__)


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    return tuple(sorted(DOCKERFILE_RULES + compose_rules(), key=lambda rule: rule.id))


def rules_of_kind(kind: str | None) -> tuple[Rule, ...]:
    """The rules that read `kind` files ("dockerfile" or "compose"); None: all of them. DF000
    (unused-suppression) is of both: the fix loop reports the suppressions of either kind."""
    if kind == "compose":
        return (*(rule for rule in DOCKERFILE_RULES if rule.id == "DF000"), *compose_rules())
    return DOCKERFILE_RULES if kind == "dockerfile" else all_rules()


def __getattr__(name: str):
    if name == "ALL_RULES":
        return all_rules()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class UnknownRule(ValueError):
    pass


def find_rule(name: str) -> Rule:
    """A rule by id (DF002) or name (apk-no-cache), case-insensitively."""
    wanted = name.strip().lower()
    found = _named(DOCKERFILE_RULES, wanted) or _named(compose_rules(), wanted)  # Compose rules: only if asked
    if found is None:
        raise UnknownRule(f"unknown rule '{name}' (see --list-rules)")
    return found


def _named(rules: tuple[Rule, ...], wanted: str) -> Rule | None:
    return next((rule for rule in rules if wanted in (rule.id.lower(), rule.name)), None)


def resolve(select: list[str] | None = None, ignore: list[str] | None = None, kind: str | None = None) -> list[Rule]:
    """The rules to run on `kind` files (None: all kinds): the default ones, or the selected
    ones (`ALL` for all), less the ignored."""
    pool = rules_of_kind(kind)
    if select:
        chosen = list(pool) if any(name.upper() == "ALL" for name in select) else [find_rule(n) for n in select]
    else:
        chosen = [rule for rule in pool if rule.default]
    if any(name.upper() == "ALL" for name in ignore or ()):
        return []
    ignored = {find_rule(name).id for name in ignore or ()}
    return [rule for rule in pool if rule in chosen and rule.id not in ignored]


__all__ = ["ALL_RULES", "DOCKERFILE_RULES", "MIXED", "NO_FIX", "SAFE", "UNSAFE", "Checker", "ComposeChecker",
           "Diagnostic", "Edit", "FileChange", "Fix", "Rule", "UnknownRule", "all_rules", "compose_rules", "find_rule",
           "merge_file_changes", "resolve", "rules_in", "rules_of_kind"]
