"""One line per finding: `path:line: ID message`, marked when dockerfix can fix it."""
from __future__ import annotations

from ..rules import SAFE, Diagnostic


def finding_line(path: str, diagnostic: Diagnostic, fixed: bool = False) -> str:
    rule = diagnostic.rule
    if fixed:
        mark = " [fixed]"
    elif diagnostic.fix and diagnostic.fix.applicability == SAFE:
        mark = " [*]"
    elif diagnostic.fix:
        mark = " [unsafe fix: --unsafe-fixes]"
    else:
        mark = ""
    return f"{path}:{diagnostic.line}: {rule.id} {diagnostic.message}{mark}"


def error_line(path: str, message: str, line: int = 0) -> str:
    return f"{path}:{line}: error: {message}" if line else f"{path}: error: {message}"
