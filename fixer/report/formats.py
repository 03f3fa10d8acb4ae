"""Machine-readable reports: concise lines, JSON, SARIF 2.1.0 and GitHub workflow annotations.

They all report the findings of the files as they are on disk after the run: with
`--write`, what is left; otherwise what dockerfix would fix as well as what it cannot.

The JSON format is stable (its `version` changes when a field's meaning does):

    {"version": 1,
     "files": [{"path", "context", "changed", "error", "error_line",
                "findings": [{"rule", "name", "line", "end_line", "message",
                              "fix": null | "safe" | "unsafe", "fixed": bool,
                              "reason": null | why the fix is unsafe or missing,
                              "evidence": [what the fix or its refusal rests on]}],
                "context_files": [{"path", "created"}]}],
     "summary": {"files", "changed", "errors", "findings", "fixes_by_rule": {rule: count}}}
"""
from __future__ import annotations

import json
import os

from ..console import shown_path

JSON_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/dockerfix/dockerfix"


def reported(result, written: bool) -> list[tuple[object, bool]]:
    """(finding, fixed) pairs as they stand on disk after the run."""
    pairs = [(_as_written(finding) if written else finding, False) for finding in result.remaining]
    if result.applied:
        pairs = [(finding, written) for finding in result.applied] + pairs
    return sorted(pairs, key=lambda pair: (pair[0].line, pair[0].rule_id))


def _as_written(finding):
    """A finding that stays, at its line in the file as written."""
    from ..records import replace

    if not getattr(finding, "output_line", 0):
        return finding
    shift = finding.output_line - finding.line
    return replace(finding, line=finding.output_line, end_line=finding.end_line + shift)


def concise(results, written: bool) -> str:
    lines = []
    for result in results:
        if result.error:
            lines.append(f"{shown_path(result.path)}:{result.error_line or 1}: error: {result.error}")
        for finding, fixed in reported(result, written):
            if not fixed:
                lines.append(f"{shown_path(result.path)}:{finding.line}: {finding.rule_id} {finding.text}")
    return "".join(line + "\n" for line in lines)


def as_json(results, written: bool, summary: dict) -> str:
    files = []
    for result in results:
        files.append({
            "path": result.path, "context": result.context, "changed": result.changed,
            "error": result.error, "error_line": result.error_line or None,
            "findings": [{"rule": f.rule_id, "name": f.rule_name, "line": f.line, "end_line": f.end_line,
                          "message": f.message, "fix": f.fix, "fixed": fixed,
                          "reason": f.reason or None, "evidence": list(f.evidence)}
                         for f, fixed in reported(result, written)],
            "context_files": [{"path": change.path, "created": change.before is None} for change in result.files],
        })
    return json.dumps({"version": JSON_VERSION, "files": files, "summary": summary}, indent=2) + "\n"


def sarif(results, written: bool, rules) -> str:
    from .. import __version__

    used = {finding.rule_id for result in results for finding, fixed in reported(result, written) if not fixed}
    known = [rule for rule in rules if rule.id in used]
    index = {rule.id: position for position, rule in enumerate(known)}
    sarif_results = []
    for result in results:
        for finding, fixed in reported(result, written):
            if fixed:
                continue
            sarif_results.append({
                "ruleId": finding.rule_id, "ruleIndex": index[finding.rule_id],
                "level": "warning" if finding.fix else "error" if finding.rule_id == "DF019" else "note",
                "message": {"text": finding.text},
                "properties": {"fix": finding.fix, "evidence": list(finding.evidence)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": _uri(result.path)},
                    "region": {"startLine": finding.line, "endLine": max(finding.end_line, finding.line)}}}],
            })
        if result.error:
            sarif_results.append({"ruleId": "error", "level": "error", "message": {"text": result.error},
                                  "locations": [{"physicalLocation": {
                                      "artifactLocation": {"uri": _uri(result.path)},
                                      "region": {"startLine": result.error_line or 1}}}]})
    log = {
        "$schema": SARIF_SCHEMA, "version": "2.1.0",
        "runs": [{"tool": {"driver": {
            "name": "dockerfix", "version": __version__, "informationUri": INFORMATION_URI,
            "rules": [{"id": rule.id, "name": rule.name, "shortDescription": {"text": rule.summary},
                       "fullDescription": {"text": _first_paragraph(rule.doc)},
                       "help": {"text": rule.doc.split("\n", 1)[-1].strip()},
                       "properties": {"fix": rule.fix_safety, "hadolint": list(rule.hadolint)}}
                      for rule in known]}},
            "results": sarif_results}],
    }
    return json.dumps(log, indent=2) + "\n"


def github(results, written: bool) -> str:
    """Workflow commands: one annotation per finding, file and lines (no columns)."""
    lines = []
    for result in results:
        if result.error:
            lines.append(f"::error file={_escape_property(result.path)},line={result.error_line or 1}"
                         f"::{_escape_data(result.error)}")
        for finding, fixed in reported(result, written):
            if fixed:
                continue
            end = f",endLine={finding.end_line}" if finding.end_line > finding.line else ""
            title = _escape_property(f"{finding.rule_id} {finding.rule_name}")
            lines.append(f"::warning file={_escape_property(result.path)},line={finding.line}{end},title={title}"
                         f"::{_escape_data(finding.text)}")
    return "".join(line + "\n" for line in lines)


def _uri(path: str) -> str:
    """The path as a URI reference (RFC 3986): a relative one, resolved against the directory
    dockerfix ran in, or a file URI; percent-encoded, `%`, `#`, `?`, spaces and bytes that
    are not ASCII included."""
    from pathlib import PurePath
    from urllib.parse import quote_from_bytes

    if os.path.isabs(path):
        return PurePath(path).as_uri()
    if os.sep != "/":
        path = path.replace(os.sep, "/")
    return quote_from_bytes(os.fsencode(path.removeprefix("./")), safe="/")


def _first_paragraph(doc: str) -> str:
    body = doc.split("\n", 1)[-1].strip()
    return body.split("\n\n", 1)[0].replace("What it does\n", "").strip() or doc.split("\n", 1)[0]


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
