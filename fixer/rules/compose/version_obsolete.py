"""compose-version-obsolete (DC001): the top-level `version:` key goes.

What it does
    Deletes the top-level `version:` line of a Compose file.

Why
    The Compose Specification ignores `version`; Docker Compose v2 warns that it is obsolete
    ("the attribute `version` is obsolete, it will be ignored"). It only misleads readers
    into thinking a file format version still matters.

Example
    version: "3.8"
    services:
      web:
        image: nginx:1.27
    ->
    services:
      web:
        image: nginx:1.27

Fix safety
    Safe: Compose ignores the key. Left alone when its value spans several lines.
"""
from __future__ import annotations

from ..base import SAFE, Checker, Edit, Rule
from .support import at_key, key_position


def check(checker: Checker):
    document = checker.tree
    for mapping in document.data:
        if "version" not in mapping or key_position(mapping, "version") is None:
            continue
        key_line, value_line = mapping.lc.key("version")[0], mapping.lc.value("version")[0]
        if key_line != value_line:
            yield checker.report(RULE, at_key(mapping, "version"), "`version` is obsolete: Compose ignores it")
            continue
        end = document.line_end(key_line)
        if _blank(document, key_line + 1) and (key_line == 0 or _blank(document, key_line - 1)):
            end = document.line_end(key_line + 1)  # no blank line left behind at the top, or doubled
        yield checker.report(RULE, at_key(mapping, "version"), "`version` is obsolete: Compose ignores it",
                             Edit(document.offset(key_line), end, ""), applicability=SAFE)


def _blank(document, line: int) -> bool:
    if line < 0 or line >= len(document.line_starts):
        return False
    return not document.text[document.offset(line):document.line_end(line)].strip()


RULE = Rule(id="DC001", name="compose-version-obsolete", summary="the obsolete top-level `version:` key goes",
            check=check, doc=__doc__, kind="compose")
