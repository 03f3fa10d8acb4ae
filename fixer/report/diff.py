"""Unified diffs that survive CRLF files and a missing final newline."""
from __future__ import annotations

import difflib

from ..console import shown_path
from ..syntax.edits import physical_lines

NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(before: str | None, after: str, path: str) -> str:
    """A unified diff `patch` and `git apply` accept; CR bytes stay in the lines they end.
    `before` None is a file that does not exist yet (its header is /dev/null). A path with a
    line break or other control character is quoted in the headers as git quotes it."""
    old, new = physical_lines(before or ""), physical_lines(after)  # not splitlines: a `\f` is no line break
    path = shown_path(path)
    lines = difflib.unified_diff(old, new, "/dev/null" if before is None else path, path, lineterm="\n")
    out: list[str] = []
    for line in lines:
        if line.startswith(("---", "+++")) and not line.endswith("\n"):
            line += "\n"
        if line.startswith("@@") or line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n" + NO_NEWLINE)
    return "".join(out)
