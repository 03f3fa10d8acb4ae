"""Compose files in the fix loop (fixer.engine.fix): read with the YAML library, which
also validates a pass's result, and checked by the Compose rules with a checker of their
own. Imported only when a Compose file is fixed: a Dockerfile run needs neither."""
from __future__ import annotations

from ..rules.base import ComposeChecker, Rule
from ..syntax.compose import ComposeDocument, load, yaml_line_starts
from .fix import FileKind, FixResult, fix
from .suppression import compose_suppressions


def _suppressions(document: ComposeDocument):
    return compose_suppressions(document.text, document.line_starts)


COMPOSE = FileKind("compose", load, lambda document: None, ComposeChecker, _suppressions, yaml_line_starts,
                   "that is not a valid Compose file", detail=lambda error: error.message)


def fix_compose(text: str, *, select=None, ignore=None, unsafe_fixes: bool = False, options: dict | None = None,
                rules: list[Rule] | None = None, context=None) -> FixResult:
    """`fix(text, kind="compose", …)`, for the callers that name it. Raises ComposeError for a
    file that is not YAML or not Compose, FixError when fixing fails."""
    return fix(text, kind="compose", select=select, ignore=ignore, unsafe_fixes=unsafe_fixes, options=options,
               rules=rules, context=context)
