"""The rules, one module each, in two registries: `DOCKERFILE_RULES`, imported with this
package, and the Compose rules (fixer.rules.compose), imported when first asked for, so that
a run over Dockerfiles does not import them. `ALL_RULES` is both, in id order."""
from __future__ import annotations

from functools import lru_cache

from . import (
    add_to_copy,
    apk_no_cache,
    apk_redundant_cache_steps,
    apt_get_hygiene,
    consecutive_run,
    dockerignore,
    exec_form_command,
    from_as_casing,
    go_ldflags_strip,
    go_module_cache_order,
    go_multi_stage,
    go_static_build,
    go_trimpath,
    go_version_from_go_mod,
    healthcheck,
    install_before_source,
    maintainer_to_label,
    non_root_user,
    oci_labels,
    pin_base_images,
    runtime_certificates,
    secrets,
    unused_suppression,
)
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

_MODULES = (from_as_casing, apk_no_cache, apk_redundant_cache_steps, consecutive_run, non_root_user, go_static_build,
            go_ldflags_strip, go_trimpath, go_module_cache_order, apt_get_hygiene,
            go_multi_stage, exec_form_command, add_to_copy, maintainer_to_label,
            go_version_from_go_mod, pin_base_images, runtime_certificates,
            oci_labels, secrets, dockerignore, healthcheck, install_before_source,
            unused_suppression)
DOCKERFILE_RULES: tuple[Rule, ...] = tuple(sorted((module.RULE for module in _MODULES), key=lambda rule: rule.id))


def compose_rules() -> tuple[Rule, ...]:
    from .compose import COMPOSE_RULES

    return COMPOSE_RULES


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    return tuple(sorted(DOCKERFILE_RULES + compose_rules(), key=lambda rule: rule.id))


def rules_of_kind(kind: str | None) -> tuple[Rule, ...]:
    """The rules that read `kind` files ("dockerfile" or "compose"); None: all of them."""
    return DOCKERFILE_RULES if kind == "dockerfile" else compose_rules() if kind == "compose" else all_rules()


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
           "Diagnostic", "Edit", "FileChange", "Fix", "Rule", "UnknownRule", "all_rules", "compose_rules", "find_rule", "merge_file_changes",
           "resolve", "rules_of_kind"]
