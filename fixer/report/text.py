"""One line per finding: `path:line:column: ID severity: message`, marked when dockerfix can fix it."""
from __future__ import annotations

from ..console import shown_path

MARKS = {"safe": " [*]", "unsafe": " [unsafe fix: --unsafe-fixes]"}


def finding_line(path: str, finding, fixed: bool = False, rule_id: str | None = None) -> str:
    """`finding` is a fixer.run.Finding; `rule_id` replaces its id as shown (e.g. coloured). A
    finding whose column is not known is at `path:line:`."""
    mark = " [fixed]" if fixed else MARKS.get(finding.fix, "")
    where = f"{finding.line}:{finding.column}" if finding.column else str(finding.line)
    return f"{shown_path(path)}:{where}: {rule_id or finding.rule_id} {finding.severity}: {finding.text}{mark}"


def error_line(path: str, message: str, line: int = 0) -> str:
    path = shown_path(path)
    return f"{path}:{line}: error: {message}" if line else f"{path}: error: {message}"
