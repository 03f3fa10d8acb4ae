""".gitignore files, read the way git reads them (gitignore(5)).

Each line is a pattern; `#` lines are comments, trailing blanks go unless escaped with a
backslash; a leading `!` re-includes; a trailing `/` matches directories only; a pattern
with a `/` at its start or in its middle is anchored to the .gitignore's directory, one
without matches a name at any depth. `*` and `?` stay within a path element, `**` spans elements
(leading `**/`, trailing `/**`, inner `/**/`). The last matching line decides, a deeper
.gitignore's lines after a shallower one's; a file in an ignored directory is ignored
whatever the lines below say (git does not look inside the directory).

`repository_ignores` reads the .gitignore files that decide for the names of one directory:
those from the repository root down to it.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache

from ..records import record
from .reading import read_text


@record(frozen=True)
class GitIgnorePattern:
    regex: re.Pattern
    negated: bool
    directory_only: bool
    line: int


@record(frozen=True)
class GitIgnoreFile:
    base: str    # its directory, relative to the repository root, `/`-separated ("" for the root)
    text: str
    shown: str   # how evidence names it ("deploy/.gitignore")


@record(frozen=True)
class Verdict:
    ignored: bool
    where: str = ""  # the line that decided it ("deploy/.gitignore:3"), "" when none matched


def ignored(path: str, files: list[GitIgnoreFile]) -> Verdict:
    """Whether git ignores the file `path` (relative to the repository root, `/`-separated),
    by `files`, the .gitignore files of the directories above it, root first."""
    parts = path.split("/")
    for depth in range(1, len(parts) + 1):
        verdict = _verdict("/".join(parts[:depth]), depth < len(parts), files)
        if verdict.ignored or depth == len(parts):
            return verdict
    return Verdict(False)


@record(frozen=True)
class DirectoryIgnores:
    """The .gitignore files that decide for the names of one directory, root first."""

    base: str                          # the directory, relative to the top, `/`-separated ("" for the top)
    files: tuple[GitIgnoreFile, ...]

    def ignores(self, name: str) -> Verdict:
        """Whether git ignores the file `name` (a `/`-separated path below the directory)."""
        return ignored(self._path(name), list(self.files))

    def ignores_directory(self, name: str) -> Verdict:
        """Whether git ignores the directory `name`, and so all it holds: git does not look inside."""
        parts = self._path(name).split("/")
        for depth in range(1, len(parts) + 1):
            verdict = _verdict("/".join(parts[:depth]), True, list(self.files))
            if verdict.ignored:
                return verdict
        return Verdict(False)

    def _path(self, name: str) -> str:
        return f"{self.base}/{name}" if self.base else name


def repository_ignores(directory: str, root: str | None) -> DirectoryIgnores:
    """The .gitignore files from the repository `root` down to `directory` (only the
    directory's own when it is not below `root`, or outside a repository)."""
    directory = os.path.abspath(directory)
    top = os.path.abspath(root) if root is not None else directory
    if not (directory == top or directory.startswith(top.rstrip(os.sep) + os.sep)):
        top = directory
    directories = [directory]
    while directories[-1] != top and os.path.dirname(directories[-1]) != directories[-1]:
        directories.append(os.path.dirname(directories[-1]))
    files = []
    for path in reversed(directories):
        text = _gitignore_text(os.path.join(path, ".gitignore"))
        if text is not None:
            base = _relative(path, top)
            files.append(GitIgnoreFile(base, text, f"{base}/.gitignore" if base else ".gitignore"))
    return DirectoryIgnores(_relative(directory, top), tuple(files))


def _gitignore_text(path: str) -> str | None:
    """The file's text, read once per version of it (every pass of a fix loop asks again)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return _read_version(path, info.st_ino, info.st_size, info.st_mtime_ns)


@lru_cache(maxsize=256)
def _read_version(path: str, *version) -> str | None:
    return read_text(path)


def _relative(path: str, top: str) -> str:
    relative = os.path.relpath(path, top).replace(os.sep, "/")
    return "" if relative == "." else relative


def _verdict(path: str, is_directory: bool, files: list[GitIgnoreFile]) -> Verdict:
    decided = Verdict(False)
    for file in files:
        if file.base and not path.startswith(file.base + "/"):
            continue
        relative = path[len(file.base) + 1:] if file.base else path
        for pattern in _patterns(file.text):
            if pattern.directory_only and not is_directory:
                continue
            if pattern.regex.fullmatch(relative):
                decided = Verdict(not pattern.negated, f"{file.shown}:{pattern.line}")
    return decided


@lru_cache(maxsize=64)
def _patterns(text: str) -> tuple[GitIgnorePattern, ...]:
    patterns = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _without_trailing_blanks(raw)
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        line = line[1:] if negated else line
        directory_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        body = _translate(line.lstrip("/"), anchored)
        regex = re.compile(body if anchored else f"(?:.*/)?{body}", re.DOTALL)
        patterns.append(GitIgnorePattern(regex, negated, directory_only, number))
    return tuple(patterns)


def _without_trailing_blanks(line: str) -> str:
    stripped = line.rstrip(" \t")
    if stripped.endswith("\\") and len(stripped) < len(line):
        return stripped + line[len(stripped)]  # `\ ` keeps the blank it escapes
    return stripped


def _translate(pattern: str, anchored: bool) -> str:
    """A regular expression for a glob relative to the .gitignore's directory.

    A run of stars spans path elements where git's wildmatch lets it: in an anchored pattern,
    when it stands alone between slashes (or at an end) and either follows a slash or the
    pattern's start — and git matches the literal text before the first special character
    on its own, so a run there counts as at the start (`x**/b` ignores `x/y/b`). Other
    runs are one `*`."""
    out, index = [], 0
    first_special = min((pattern.find(char) for char in "*?[\\" if char in pattern), default=-1)
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            end = index
            while end < len(pattern) and pattern[end] == "*":
                end += 1
            spans = (anchored and end - index > 1 and (end == len(pattern) or pattern[end] == "/")
                     and (index == 0 or pattern[index - 1] == "/" or index == first_special))
            if not spans:
                out.append("[^/]*")
            elif end == len(pattern):
                out.append(".*")
            else:
                out.append("(?:.*/)?")
                end += 1  # the slash is part of `**/`: zero or more whole elements
            index = end
        elif char == "?":
            out.append("[^/]")
            index += 1
        elif char == "[":
            index = _bracket(pattern, index, out)
        elif char == "\\" and index + 1 < len(pattern):
            out.append(re.escape(pattern[index + 1]))
            index += 2
        else:
            out.append(re.escape(char))
            index += 1
    return "".join(out)


def _bracket(pattern: str, start: int, out: list[str]) -> int:
    """A `[...]` class: appends its regex and returns the index after it (a `[` without a
    closing `]` is a literal `[`)."""
    index = start + 1
    if index < len(pattern) and pattern[index] in "!^":
        index += 1
    if index < len(pattern) and pattern[index] == "]":
        index += 1
    close = pattern.find("]", index)
    if close < 0:
        out.append(re.escape("["))
        return start + 1
    body = pattern[start + 1:close]
    negated = body[:1] in ("!", "^")
    body = body[1:] if negated else body
    members = "".join("\\" + c if c in "\\^[]" else c for c in body)
    out.append(f"[{'^' if negated else ''}{members}]" if not negated else f"(?!/)[^{members}]")
    return close + 1


def git_tracks(directory: str, name: str) -> bool | None:
    """Whether git tracks the file `name` of `directory` (None when git cannot say: no git,
    no repository, a tree without its history)."""
    import subprocess

    try:
        completed = subprocess.run(["git", "ls-files", "-z", "--", name], cwd=directory, capture_output=True,
                                   timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if completed.returncode != 0:
        return None
    return bool(completed.stdout)
