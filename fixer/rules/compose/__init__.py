"""The Compose rules, one module each (ids DCxxx), with kind "compose": `COMPOSE_RULES`, in id
order. They read a fixer.syntax.compose.ComposeDocument as the checker's tree. This package is
imported only when a run has Compose files or asks for these rules (fixer.rules.compose_rules)."""
from __future__ import annotations

from . import (
    depends_on_condition,
    links,
    ports_all_interfaces,
    privileges,
    resource_limits,
    secret_environment,
    undefined_dependency,
    version_obsolete,
)

_MODULES = (version_obsolete, undefined_dependency, depends_on_condition, links, secret_environment, privileges,
            resource_limits, ports_all_interfaces)
COMPOSE_RULES = tuple(sorted((module.RULE for module in _MODULES), key=lambda rule: rule.id))
