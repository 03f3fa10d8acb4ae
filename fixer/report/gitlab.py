"""GitLab Code Quality: the JSON array of issues a merge request's Code Quality widget reads
(`artifacts: reports: codequality:`), a subset of Code Climate's issue format:

    [{"description", "check_name", "fingerprint", "severity": "info" | "minor" | "major" |
      "critical" | "blocker", "location": {"path", "lines": {"begin", "end"}},
      "categories": [...], "type": "issue", "engine_name": "dockerfix"}]

Severities: error -> critical (blocker for a security rule), warning -> major, info -> minor,
style -> info; a file dockerfix cannot read, parse or fix is a critical DF999. The fingerprint
is of the path, the rule, the finding's source line and how many the same came before it:
it stays when lines above are added or removed, and differs between equal findings.
"""
from __future__ import annotations

import hashlib
import json
import os

from .formats import FILE_ERROR, advisory, relative
from .text import fix_status

SEVERITIES = {"error": "critical", "warning": "major", "info": "minor", "style": "info"}
CATEGORIES = {"error": "Bug Risk", "warning": "Bug Risk", "info": "Performance", "style": "Style"}


def report(results, written: bool) -> str:
    from ..rules import find_rule

    seen: dict[tuple[str, str, str], int] = {}  # (path, check, line) -> its count so far: _fingerprint
    root, issues = os.getcwd(), []
    for result, finding in advisory(results, written):
        path = relative(result.path, root)
        lines = _lines(result, written)
        if finding is None:
            issues.append(_issue(path, FILE_ERROR["id"], result.error, "critical", ["Bug Risk"],
                                 result.error_line or 1, result.error_line or 1, lines, seen))
            continue
        security = find_rule(finding.rule_id).security_severity is not None
        severity = "blocker" if security and finding.severity == "error" else SEVERITIES[finding.severity]
        categories = ["Security"] if security else [CATEGORIES[finding.severity]]
        issue = _issue(path, finding.rule_id, f"{finding.rule_id} {finding.rule_name}: {finding.message}",
                       severity, categories, finding.line, max(finding.end_line, finding.line), lines, seen)
        status = fix_status(finding.fix, finding.reason)
        if status:
            issue["content"] = {"body": status}   # the Code Climate spec's markdown body
        issues.append(issue)
    return json.dumps(issues, indent=2) + "\n"


def _issue(path: str, check: str, description: str, severity: str, categories: list[str], begin: int, end: int,
           lines: list[str], seen: dict) -> dict:
    return {"type": "issue", "engine_name": "dockerfix", "check_name": check, "description": description,
            "categories": categories, "severity": severity,
            "fingerprint": _fingerprint(path, check, lines[begin - 1].strip() if begin <= len(lines) else "", seen),
            "location": {"path": path, "lines": {"begin": begin, "end": end}}}


def _lines(result, written: bool) -> list[str]:
    """The file's lines as the findings count them, as it is on disk after the run."""
    text = (result.output if written and result.output is not None else result.source) or ""
    return text.split("\n")


def _fingerprint(path: str, check: str, line: str, seen: dict) -> str:
    key = (path, check, line)
    seen[key] = seen.get(key, -1) + 1
    return hashlib.md5("\0".join((*key, str(seen[key]))).encode("utf-8", "surrogateescape"),
                       usedforsecurity=False).hexdigest()
