"""Machine-readable reports: concise lines, JSON, SARIF 2.1.0 and GitHub workflow annotations
(and, each in a module of its own, imported only when chosen: GitLab Code Quality, reviewdog's
rdjson, JUnit and checkstyle XML).

They all report the findings of the files as they are on disk after the run: with
`--write`, what is left; otherwise what dockerfix would fix as well as what it cannot. Paths
are relative to the directory dockerfix ran in (absolute for a file outside it), with `/`.

The JSON format is stable (its `version` changes when a field's meaning does):

    {"version": 2,
     "files": [{"path", "context", "changed", "error", "error_line",
                "findings": [{"rule", "name", "severity": "error" | "warning" | "info" | "style",
                              "line", "column", "end_line", "end_column", "message",
                              "fix": null | "safe" | "unsafe", "fixed": bool,
                              "reason": null | why the fix is unsafe or missing,
                              "evidence": [what the fix or its refusal rests on],
                              "edits": [{"content", "location": {"line", "column"},
                                         "end_location": {"line", "column"}}],
                              "context_files": [{"path", "created", "content"}]}],
                "context_files": [{"path", "created"}]}],
     "summary": {"files", "changed", "context_files", "errors", "fixes", "findings",
                 "advisory": {severity: count}, "fixes_by_rule": {rule: count}}}

Columns count characters from 1; an end is just past the last character; `column` and
`end_column` are null where not known. A finding's `edits` are its fix's, in the file as
reported (the lines and columns of the finding itself): empty when there is no fix, or when
the fix was made on the text an earlier fix left (it is in the diff). `summary.findings`
counts the findings this run does not fix (the advisory ones), by severity in `advisory`.
"""
from __future__ import annotations

import json
import os

from ..console import shown_path
from .text import finding_line, fix_status

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; type checkers take it as true
if TYPE_CHECKING:
    from typing import Any

JSON_VERSION = 2   # 2: paths relative to the directory dockerfix ran in; severity, columns, edits
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/dockerfix/dockerfix"
SRCROOT = "%SRCROOT%"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note", "style": "note"}
GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice", "style": "notice"}
FILE_ERROR = {"id": "DF999", "name": "file-error",
              "summary": "a file dockerfix cannot read, parse or fix (never ignored: the run exits 2)"}


def reported(result, written: bool, edits: bool = False) -> list[tuple[Any, bool]]:  # Any: a fixer.run.Finding
    """(finding, fixed) pairs as they stand on disk after the run; `edits`: with all the fix
    edits that can be placed there (see _with_edits_on_source)."""
    if written:
        pairs = [(_as_written(finding), False) for finding in result.remaining]
    else:
        pairs = [(finding, False) for finding in (_with_edits_on_source(result) if edits else result.remaining)]
    if result.applied:
        pairs = [(finding, written) for finding in result.applied] + pairs
    return sorted(pairs, key=lambda pair: (pair[0].line, getattr(pair[0], "column", 0), pair[0].rule_id))


def _with_edits_on_source(result) -> list:
    """The findings left, each with its fix's edits in the file as read. Those left after other
    fixes were made on the fixed text: they are placed in the lines they came from, where the
    fixes changed none of the lines they touch (else they are in no file on disk: none)."""
    waiting = [finding for finding in result.remaining if getattr(finding, "output_edits", ()) and not finding.edits]
    if not waiting or not result.changed or not _lines_split_alike(result):
        return result.remaining
    from ..records import replace

    origin = _line_origins(result.source, result.output)
    placed = {id(finding): _placed(finding.output_edits, origin) for finding in waiting}
    return [replace(finding, edits=placed[id(finding)]) if placed.get(id(finding)) else finding
            for finding in result.remaining]


def _lines_split_alike(result) -> bool:
    """Whether lines split at line feeds are the lines the findings count (a Compose file counts more breaks)."""
    from ..files import is_compose_path

    if not is_compose_path(os.path.basename(result.path)):
        return True
    return all(text.isascii() and "\r" not in text for text in (result.source, result.output))


def _line_origins(source: str, output: str) -> dict[int, int]:
    """Line of the fixed text -> the same line of the text as read, for the lines no fix changed."""
    import difflib

    matcher = difflib.SequenceMatcher(None, source.split("\n"), output.split("\n"), autojunk=False)
    return {new + 1 + offset: old + 1 + offset for old, new, size in matcher.get_matching_blocks()
            for offset in range(size)}


def _placed(edits, origin: dict[int, int]) -> tuple:
    from ..records import replace

    if not all(edit.line in origin and edit.end_line in origin for edit in edits):
        return ()
    return tuple(replace(edit, line=origin[edit.line], end_line=origin[edit.end_line]) for edit in edits)


def _as_written(finding):
    """A finding that stays, at its line in the file as written, with its fix's edits there."""
    from ..records import replace

    if not getattr(finding, "output_line", 0):
        return finding
    shift = finding.output_line - finding.line
    return replace(finding, line=finding.output_line, end_line=finding.end_line + shift, edits=finding.output_edits)


def relative(path: str, root: str | None = None) -> str:
    """`path` relative to `root` (the current directory) when it is in it, else absolute; with `/`."""
    root = root or os.getcwd()   # a real path: the working directory's symbolic links resolved
    absolute = os.path.abspath(path)
    shown = absolute
    for candidate in (absolute, os.path.realpath(absolute)):
        if os.path.commonpath([candidate, root]) == root:
            shown = os.path.relpath(candidate, root)
            break
    return shown.replace(os.sep, "/") if os.sep != "/" else shown


def advisory(results, written: bool, edits: bool = False):
    """(result, finding) of each finding left on disk, and each file error as (result, None)."""
    for result in results:
        if result.error:
            yield result, None
        for finding, fixed in reported(result, written, edits):
            if not fixed:
                yield result, finding


def concise(results, written: bool) -> str:
    lines = []
    for result in results:
        if result.error:
            lines.append(f"{shown_path(result.path)}:{result.error_line or 1}: error: {result.error}")
        for finding, fixed in reported(result, written):
            if not fixed:
                lines.append(finding_line(result.path, finding))
    return "".join(line + "\n" for line in lines)


def as_json(results, written: bool, summary: dict) -> str:
    root = os.getcwd()
    files = []
    for result in results:
        files.append({
            "path": relative(result.path, root), "context": relative(result.context, root) if result.context else None,
            "changed": result.changed, "error": result.error, "error_line": result.error_line or None,
            "findings": [_json_finding(f, fixed, root) for f, fixed in reported(result, written, edits=True)],
            "context_files": [{"path": relative(change.path, root), "created": change.before is None}
                              for change in result.files],
        })
    return json.dumps({"version": JSON_VERSION, "files": files, "summary": summary}, indent=2) + "\n"


def _json_finding(finding, fixed: bool, root: str) -> dict:
    return {"rule": finding.rule_id, "name": finding.rule_name, "severity": finding.severity,
            "line": finding.line, "column": finding.column or None,
            "end_line": finding.end_line, "end_column": finding.end_column or None,
            "message": finding.message, "fix": finding.fix, "fixed": fixed,
            "reason": finding.reason or None, "evidence": list(finding.evidence),
            "edits": [{"content": edit.content, "location": {"line": edit.line, "column": edit.column},
                       "end_location": {"line": edit.end_line, "column": edit.end_column}}
                      for edit in finding.edits],
            "context_files": [{"path": relative(path, root), "created": created, "content": whole.content}
                              for path, created, whole in finding.files]}


def sarif(results, written: bool, rules) -> str:
    from .. import __version__

    root = os.getcwd()
    findings = list(advisory(results, written, edits=True))
    used = {finding.rule_id for _, finding in findings if finding is not None}
    known = [rule for rule in rules if rule.id in used]
    descriptors = [_sarif_rule(rule) for rule in known]
    if any(finding is None for _, finding in findings):
        descriptors.append(_file_error_rule())
    index = {descriptor["id"]: position for position, descriptor in enumerate(descriptors)}
    sarif_results = [_sarif_result(result, finding, index, root) if finding is not None
                     else _sarif_error(result, index, root) for result, finding in findings]
    log = {
        "$schema": SARIF_SCHEMA, "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "dockerfix", "version": __version__, "semanticVersion": __version__,
                                      "informationUri": INFORMATION_URI, "rules": descriptors}},
                  "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(root)}},
                  "columnKind": "unicodeCodePoints",
                  "results": sarif_results}],
    }
    return json.dumps(log, indent=2) + "\n"


def _sarif_rule(rule) -> dict:
    properties = {"fix": rule.fix_safety, "hadolint": list(rule.hadolint), "severity": rule.severity}
    if rule.security_severity is not None:
        properties["tags"] = ["security"]
        properties["security-severity"] = f"{rule.security_severity:.1f}"
    return {"id": rule.id, "name": rule.name, "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": _first_paragraph(rule.doc)},
            "help": {"text": rule.doc.split("\n", 1)[-1].strip()}, "helpUri": help_uri(rule.id, rule.name),
            "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity]}, "properties": properties}


def _file_error_rule() -> dict:
    return {"id": FILE_ERROR["id"], "name": FILE_ERROR["name"], "shortDescription": {"text": FILE_ERROR["summary"]},
            "helpUri": help_uri(FILE_ERROR["id"], FILE_ERROR["name"]),
            "defaultConfiguration": {"level": "error"}, "properties": {"severity": "error"}}


def _sarif_result(result, finding, index: dict, root: str) -> dict:
    region = {"startLine": finding.line}
    if finding.column:
        region["startColumn"] = finding.column
    region["endLine"] = max(finding.end_line, finding.line)
    if finding.end_column and (region["endLine"] > finding.line or finding.end_column > finding.column):
        region["endColumn"] = finding.end_column
    item = {"ruleId": finding.rule_id, "ruleIndex": index[finding.rule_id], "level": SARIF_LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(result.path, root), "region": region}}],
            "properties": {"fix": finding.fix, "severity": finding.severity, "reason": finding.reason or None,
                           "evidence": list(finding.evidence)}}
    changes = _sarif_changes(result.path, finding, root)
    if changes:
        item["fixes"] = [{"description": {"text": f"{finding.rule_name}: {_fix_description(finding)}"},
                          "artifactChanges": changes, "properties": {"applicability": finding.fix}}]
    return item


def _fix_description(finding) -> str:
    if finding.fix == "safe":
        return "a safe fix"
    unsafe = "an unsafe fix, applied only with --unsafe-fixes"
    return f"{unsafe}: {finding.reason}" if finding.reason else unsafe


def _sarif_changes(path: str, finding, root: str) -> list[dict]:
    changes = []
    if finding.edits:
        changes.append({"artifactLocation": _artifact(path, root),
                        "replacements": [_replacement(edit) for edit in finding.edits]})
    for other, _, whole in finding.files:
        changes.append({"artifactLocation": _artifact(other, root), "replacements": [_replacement(whole)]})
    return changes


def _replacement(edit) -> dict:
    return {"deletedRegion": {"startLine": edit.line, "startColumn": edit.column,
                              "endLine": edit.end_line, "endColumn": edit.end_column},
            "insertedContent": {"text": edit.content}}


def _sarif_error(result, index: dict, root: str) -> dict:
    return {"ruleId": FILE_ERROR["id"], "ruleIndex": index[FILE_ERROR["id"]], "level": "error",
            "message": {"text": result.error},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(result.path, root),
                                                "region": {"startLine": result.error_line or 1}}}],
            "properties": {"severity": "error"}}


def _artifact(path: str, root: str) -> dict:
    """A file's location: relative to %SRCROOT% (the directory dockerfix ran in), or a file URI."""
    shown = relative(path, root)
    return {"uri": _uri(shown)} if os.path.isabs(shown) else {"uri": _uri(shown), "uriBaseId": SRCROOT}


def _directory_uri(directory: str) -> str:
    from pathlib import PurePath

    uri = PurePath(directory).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def help_uri(rule_id: str, name: str) -> str:
    """The rule's section of docs/rules.md on the project's repository."""
    from .rules_doc import anchor, repository_document

    document = repository_document() or f"{INFORMATION_URI}/blob/main/docs/rules.md"  # helpUri must be absolute
    return f"{document}#{anchor(rule_id, name)}"


def github(results, written: bool) -> str:
    """Workflow commands: one annotation per finding, at its lines and columns, its level by its severity."""
    lines, root = [], os.getcwd()
    for result in results:
        path = _escape_property(relative(result.path, root))
        if result.error:
            lines.append(f"::error file={path},line={result.error_line or 1}::{_escape_data(result.error)}")
        for finding, fixed in reported(result, written):
            if fixed:
                continue
            where = f"line={finding.line}"
            if getattr(finding, "column", 0):
                where += f",col={finding.column}"
            if finding.end_line > finding.line:
                where += f",endLine={finding.end_line}"
            elif getattr(finding, "end_column", 0) > finding.column:
                where += f",endColumn={finding.end_column}"
            title = _escape_property(f"{finding.rule_id} {finding.rule_name}")
            level = GITHUB_LEVELS[getattr(finding, "severity", "warning")]
            status = fix_status(finding.fix, finding.reason)
            message = f"{finding.message}\n{status}" if status else finding.message
            lines.append(f"::{level} file={path},{where},title={title}::{_escape_data(message)}")
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
