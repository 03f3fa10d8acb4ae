"""A last instruction no line can follow (`COPY a b \\ \\` at the end of the file): a rule whose
fix would append a line reports its finding without a fix; the file is still checked and
nothing is swallowed into that instruction."""
from __future__ import annotations

import fixer

OPEN_AT_END = 'FROM alpine:3.24\nENTRYPOINT ["/app"]\nRUN apk add git\nCOPY app /app \\ \\\n'


def test_a_fix_that_needs_a_following_line_becomes_a_finding_without_a_fix():
    result = fixer.fix(OPEN_AT_END, unsafe_fixes=True, select=["DF005", "DF002"])
    assert "apk add --no-cache git" in result.output                  # the other rule still fixes
    assert result.output.endswith("COPY app /app \\ \\\n")            # nothing appended to the open line
    [user] = [d for d in result.remaining if d.rule.id == "DF005"]
    assert user.fix is None and "literal" in user.reason and user.line == 4
