"""The XML reports CI servers read: JUnit (a test suite per file, a test case per finding) and
checkstyle (an <error> per finding). Text that XML 1.0 cannot hold (control characters, bytes
that are not UTF-8) is replaced by U+FFFD.

JUnit: a finding fails its test case when `--check` would fail on it (its fix changes the file,
or it is at or above its file's fail level); the others pass, their message in <system-out>, so the
report and the exit code agree. A file without findings is one passing test case; a file
dockerfix cannot read, parse or fix is a test case in <error> (DF999).

checkstyle: severities error, warning and info (style is info); a file error is a DF999 error.
"""
from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ElementTree

from .formats import FILE_ERROR, relative, reported
from .text import at, fix_mark, message_with_status

CHECKSTYLE_SEVERITIES = {"error": "error", "warning": "warning", "info": "info", "style": "info"}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def junit(results, written: bool) -> str:
    from ..rules.base import at_least

    root = os.getcwd()
    suites = ElementTree.Element("testsuites", name="dockerfix")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for result in results:
        path = _clean(relative(result.path, root))
        suite = ElementTree.SubElement(suites, "testsuite", name=path)
        counts = {"tests": 0, "failures": 0, "errors": 0}
        if result.error:
            case = _case(suite, path, f"{FILE_ERROR['id']} {FILE_ERROR['name']}", result.error_line or 1, counts)
            error = ElementTree.SubElement(case, "error", type=FILE_ERROR["id"], message=_clean(result.error))
            error.text = _clean(f"{path}:{result.error_line or 1}: {result.error}")
            counts["errors"] += 1
        would_fix = {id(finding) for finding in result.applied}   # reported as not fixed: without --write
        for finding, fixed in reported(result, written):
            if fixed:
                continue
            case = _case(suite, path, f"{finding.rule_id} {finding.rule_name}", finding.line, counts)
            text = _clean(f"{path}:{at(finding)}: {finding.rule_id} {finding.severity}: {finding.message}"
                          f"{fix_mark(finding.fix, finding.reason)}")
            if id(finding) in would_fix or at_least(finding.severity, result.fail_level):
                failure = ElementTree.SubElement(case, "failure", type=finding.severity,
                                                 message=_clean(finding.message))
                failure.text = text
                counts["failures"] += 1
            else:
                ElementTree.SubElement(case, "system-out").text = text
        if not counts["tests"]:
            _case(suite, path, "no findings", 1, counts)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        suites.set(key, str(value))
    return _serialized(suites)


def _case(suite, path: str, name: str, line: int, counts: dict):
    counts["tests"] += 1
    return ElementTree.SubElement(suite, "testcase", name=_clean(f"{name} (line {line})"), classname=path,
                                  file=path, line=str(line))


def checkstyle(results, written: bool) -> str:
    root = os.getcwd()
    document = ElementTree.Element("checkstyle", version="4.3")
    for result in results:
        item = ElementTree.SubElement(document, "file", name=_clean(relative(result.path, root)))
        if result.error:
            ElementTree.SubElement(item, "error", line=str(result.error_line or 1), severity="error",
                                   message=_clean(result.error), source=f"dockerfix.{FILE_ERROR['id']}")
        for finding, fixed in reported(result, written):
            if fixed:
                continue
            attributes = {"line": str(finding.line)}
            if finding.column:
                attributes["column"] = str(finding.column)
            attributes.update(severity=CHECKSTYLE_SEVERITIES[finding.severity],
                              message=_clean(message_with_status(finding)), source=f"dockerfix.{finding.rule_id}")
            ElementTree.SubElement(item, "error", attributes)
    return _serialized(document)


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _serialized(element) -> str:
    ElementTree.indent(element)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(element, encoding="unicode") + "\n"
