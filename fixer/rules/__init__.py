"""The rules, one module each. `ALL_RULES` is the registry, in id order."""
from __future__ import annotations

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
from .base import MIXED, NO_FIX, SAFE, UNSAFE, Checker, Diagnostic, Edit, FileChange, Fix, Rule, merge_file_changes
from .compose import (
    depends_on_condition,
    links,
    ports_all_interfaces,
    privileges,
    resource_limits,
    secret_environment,
    undefined_dependency,
    version_obsolete,
)

_MODULES = (from_as_casing, apk_no_cache, apk_redundant_cache_steps, consecutive_run, non_root_user, go_static_build,
            go_ldflags_strip, go_trimpath, go_module_cache_order, apt_get_hygiene,
            go_multi_stage, exec_form_command, add_to_copy, maintainer_to_label,
            go_version_from_go_mod, pin_base_images, runtime_certificates,
            oci_labels, secrets, dockerignore, healthcheck, install_before_source,
            unused_suppression, version_obsolete, undefined_dependency, depends_on_condition, links,
            secret_environment, privileges, resource_limits, ports_all_interfaces)
ALL_RULES: tuple[Rule, ...] = tuple(sorted((module.RULE for module in _MODULES), key=lambda rule: rule.id))


class UnknownRule(ValueError):
    pass


def find_rule(name: str) -> Rule:
    """A rule by id (DF002) or name (apk-no-cache), case-insensitively."""
    wanted = name.strip().lower()
    for rule in ALL_RULES:
        if wanted in (rule.id.lower(), rule.name):
            return rule
    raise UnknownRule(f"unknown rule '{name}' (see --list-rules)")


def resolve(select: list[str] | None = None, ignore: list[str] | None = None) -> list[Rule]:
    """The rules to run: the default ones, or the selected ones (`ALL` for all), less the ignored."""
    if select:
        chosen = list(ALL_RULES) if any(name.upper() == "ALL" for name in select) else [find_rule(n) for n in select]
    else:
        chosen = [rule for rule in ALL_RULES if rule.default]
    ignored = {find_rule(name).id for name in ignore or ()}
    return [rule for rule in ALL_RULES if rule in chosen and rule.id not in ignored]


__all__ = ["ALL_RULES", "MIXED", "NO_FIX", "SAFE", "UNSAFE", "Checker", "Diagnostic", "Edit", "FileChange", "Fix",
           "Rule", "UnknownRule", "find_rule", "merge_file_changes", "resolve"]
