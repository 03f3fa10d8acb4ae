""".dockerignore files, read the way BuildKit reads them (moby/patternmatcher).

Each line is a pattern; `#` lines are comments; leading and trailing whitespace goes; a
leading `!` makes an exception; patterns are cleaned like paths (a leading `/` and `./`
dropped). `*` matches within one path element, `?` one character, `**` any number of
elements. A path is excluded when the last pattern that matches it is not an exception;
a pattern that matches a directory also excludes everything below it.
"""
from __future__ import annotations

import posixpath
import re
import warnings
from functools import lru_cache

from ..records import record


@record(frozen=True)
class IgnorePattern:
    text: str         # the cleaned pattern, without `!`
    exclusion: bool   # a `!` exception
    line: int


def parse_dockerignore(text: str) -> list[IgnorePattern]:
    return list(_parsed(text))


@lru_cache(maxsize=256)
def _parsed(text: str) -> tuple[IgnorePattern, ...]:
    patterns = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exclusion = line.startswith("!")
        if exclusion:
            line = line[1:].strip()
        line = posixpath.normpath(line.replace("\\", "/")).lstrip("/")
        if line in ("", "."):
            continue
        patterns.append(IgnorePattern(line, exclusion, number))
    return tuple(patterns)


def is_ignored(patterns: list[IgnorePattern], path: str) -> bool:
    """Whether `path` (relative to the context, `/`-separated) is left out of the context."""
    parents = _parents(path)
    ignored = False
    for pattern in patterns:
        if _matches(pattern.text, parents):
            ignored = not pattern.exclusion
    return ignored


def _matches(pattern: str, parents: tuple[str, ...]) -> bool:
    prefix, suffix = _literal_ends(pattern)
    if prefix == pattern:  # a plain name only matches itself
        return pattern in parents
    # What a match must start and end with decides most cases before a regex is compiled.
    candidates = [parent for parent in parents if len(parent) >= len(prefix) + len(suffix)
                  and parent.startswith(prefix) and parent.endswith(suffix)]
    if not candidates:
        return False
    regex = _compiled(pattern)
    return regex is not None and any(regex.fullmatch(parent) for parent in candidates)


@lru_cache(maxsize=1024)
def _literal_ends(pattern: str) -> tuple[str, str]:
    """The pattern's text before its first wildcard, escape or class, and after its last."""
    special = [index for index, char in enumerate(pattern)
               if char in "*?[]\\" or (char == "/" and pattern[index - 2:index] == "**")]  # `**/` may match nothing
    if not special:
        return pattern, ""
    return pattern[:special[0]], pattern[special[-1] + 1:]


@lru_cache(maxsize=1024)
def _compiled(pattern: str):
    """The pattern as a regular expression; None for one Docker refuses (`[]`, `[z-a]`): the
    build fails on such an ignore file, and it leaves nothing out before that."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # `[[` and `--` in a class read as literals
        try:
            return re.compile(_translate(pattern))
        except re.error:
            return None


@lru_cache(maxsize=1024)
def _parents(path: str) -> tuple[str, ...]:
    """The path, normalised, and every directory above it: a pattern matching any of them
    leaves the path out. The same sources are asked about for every pattern, hence the cache."""
    parts = posixpath.normpath(path).lstrip("/").split("/")
    return tuple("/".join(parts[:index]) for index in range(1, len(parts) + 1))


def _translate(pattern: str) -> str:
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**", index):
            index += 2
            if pattern.startswith("/", index):
                index += 1
                out.append("(?:.*/)?")
            else:
                out.append(".*")
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", index + 1)
            if end < 0:
                out.append(re.escape(char))
            else:
                body = pattern[index + 1:end].replace("\\", "\\\\")
                out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
                index = end
        elif char == "\\" and index + 1 < len(pattern):
            index += 1
            out.append(re.escape(pattern[index]))
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)
