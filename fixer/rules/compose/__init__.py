"""The Compose rules, one module each (ids DCxxx), with kind "compose": `COMPOSE_RULES`, in id
order. They read a fixer.syntax.compose.ComposeDocument as the checker's tree. This package is
imported only when a run has Compose files or asks for these rules (fixer.rules.compose_rules)."""
from __future__ import annotations

from .. import compose_rules

COMPOSE_RULES = compose_rules()   # the modules of this package that declare a RULE, found as fixer/rules' are
