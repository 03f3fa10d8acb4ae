"""One line per finding: `path:line:column: ID severity: message [fix]`.

The message says what is wrong; the bracket after it says whether and how dockerfix fixes
it, with the reason where the fix is unsafe or missing:

    Dockerfile:1:1: DF002 warning: apk add keeps its package index in the image [*]
    Dockerfile:9:1: DF005 warning: the final stage runs as root [unsafe fix (--unsafe-fixes): the program may write ...]
    Dockerfile:9:1: DF005 warning: the final stage runs as root [not fixed: the base image sets no user ...]
"""
from __future__ import annotations

from ..console import shown_path

SAFE_MARK = " [*]"
UNSAFE_MARK = " [unsafe fix: --unsafe-fixes]"


def finding_line(path: str, finding, fixed: bool = False, rule_id: str | None = None) -> str:
    """`finding` is a fixer.run.Finding; `rule_id` replaces its id as shown (e.g. coloured). A
    finding whose column is not known is at `path:line:`."""
    return f"{shown_path(path)}:{at(finding)}: {rule_id or finding.rule_id} {finding.severity}: " \
           f"{finding.message}{fix_mark(finding.fix, finding.reason, fixed)}"


def at(finding) -> str:
    """`line:column`, or `line` where the column is not known."""
    return f"{finding.line}:{finding.column}" if finding.column else str(finding.line)


def fix_mark(applicability: str | None, reason: str, fixed: bool = False) -> str:
    """What the text formats show after a message about its fix: `[fixed]`, `[*]` (a safe fix),
    the unsafe fix and why it is unsafe, or why there is no fix; "" for none of these."""
    if fixed:
        return " [fixed]"
    if applicability == "safe":
        return SAFE_MARK
    if applicability == "unsafe":
        return f" [unsafe fix (--unsafe-fixes): {reason}]" if reason else UNSAFE_MARK
    return f" [not fixed: {reason}]" if reason else ""


def fix_status(applicability: str | None, reason: str) -> str:
    """Why a fix is unsafe or missing, for formats that show it apart from the message; "" when
    the fix is safe or nothing needs saying."""
    if applicability == "unsafe":
        return f"unsafe fix: {reason}" if reason else "unsafe fix"
    return f"not fixed: {reason}" if reason and applicability is None else ""


def message_with_status(finding) -> str:
    """The message, and after it in parentheses why the fix is unsafe or missing: for formats
    with a single text (checkstyle, rdjson)."""
    status = fix_status(finding.fix, finding.reason)
    return f"{finding.message} ({status})" if status else finding.message


def error_line(path: str, message: str, line: int = 0) -> str:
    path = shown_path(path)
    return f"{path}:{line}: error: {message}" if line else f"{path}: error: {message}"
