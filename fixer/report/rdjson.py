"""reviewdog's Diagnostic Format as JSON (`reviewdog -f=rdjson`): one DiagnosticResult with a
diagnostic per finding, its fix's edits as `suggestions` (reviewdog offers them in review
comments). Positions are 1-based lines and columns counted in UTF-8 bytes, as the format says;
a range's end is exclusive. Severities: error -> ERROR, warning -> WARNING, info and style ->
INFO. A file dockerfix cannot read, parse or fix is an ERROR with code DF999.
"""
from __future__ import annotations

import json
import os

from .formats import FILE_ERROR, INFORMATION_URI, advisory, help_uri, relative
from .text import message_with_status

SEVERITIES = {"error": "ERROR", "warning": "WARNING", "info": "INFO", "style": "INFO"}


def report(results, written: bool) -> str:
    root, diagnostics = os.getcwd(), []
    for result, finding in advisory(results, written, edits=True):
        path = relative(result.path, root)
        if finding is None:
            line = result.error_line or 1
            diagnostics.append({"message": result.error, "severity": "ERROR",
                                "location": {"path": path, "range": {"start": {"line": line}}},
                                "code": {"value": FILE_ERROR["id"],
                                         "url": help_uri(FILE_ERROR["id"], FILE_ERROR["name"])}})
            continue
        lines = _Lines((result.output if written and result.output is not None else result.source) or "")
        diagnostics.append(_diagnostic(path, finding, lines))
    source = {"name": "dockerfix", "url": INFORMATION_URI}
    return json.dumps({"source": source, "diagnostics": diagnostics}, indent=2, ensure_ascii=False) + "\n"


def _diagnostic(path: str, finding, lines: "_Lines") -> dict:
    start = {"line": finding.line}
    if finding.column:
        start["column"] = lines.byte_column(finding.line, finding.column)
    where = {"start": start}
    if finding.column and finding.end_column:
        where["end"] = {"line": finding.end_line, "column": lines.byte_column(finding.end_line, finding.end_column)}
    item: dict = {"message": message_with_status(finding),  # rdjson has no field of its own for the reason
                  "severity": SEVERITIES[finding.severity],
                  "location": {"path": path, "range": where},
                  "code": {"value": finding.rule_id, "url": help_uri(finding.rule_id, finding.rule_name)}}
    if finding.edits:
        item["suggestions"] = [{"range": {"start": {"line": edit.line,
                                                    "column": lines.byte_column(edit.line, edit.column)},
                                          "end": {"line": edit.end_line,
                                                  "column": lines.byte_column(edit.end_line, edit.end_column)}},
                                "text": edit.content} for edit in finding.edits]
    return item


class _Lines:
    """Character columns as UTF-8 byte columns, on the lines of one text."""

    def __init__(self, text: str):
        self.lines = text.split("\n")

    def byte_column(self, line: int, column: int) -> int:
        if not 0 < line <= len(self.lines) or self.lines[line - 1].isascii():
            return column
        before = self.lines[line - 1][:column - 1]
        return len(before.encode("utf-8", "surrogateescape")) + 1 + max(column - 1 - len(before), 0)
