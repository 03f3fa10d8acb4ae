"""`.env` files as Compose reads them (compose-go's dotenv): what a file sets a key to, a
`KEY=value` line that reads back as the value, and changes appending lines to such files.

Compose reads `KEY=value` and `KEY: value` lines, with an optional `export `; an unquoted
value ends at a `#` (older releases: any `#`, newer ones: one after a blank) and loses its
trailing blanks; a single-quoted value is taken as it is, up to the next `'` not after a
`\\`; a double-quoted one has its escapes (`\\n`, `\\"`, `\\\\`) expanded; unquoted and
double-quoted values interpolate `$`. A bare `KEY` takes the value from the environment.
"""
from __future__ import annotations

from ...lazy_regex import lazy_regex
from ...records import record
from ...syntax.edits import text_with_lines
from ..base import FileChange

UNQUOTED = lazy_regex(r"[A-Za-z0-9_./:@+,%^~=!?*-]+")  # reads back as itself in every release
CONTROL = lazy_regex(r"[\x00-\x08\x0a-\x1f\x7f]")
DEFINITION = lazy_regex(r"^[ \t]*(?:export[ \t]+)?(?P<key>[A-Za-z0-9_.]+)[ \t]*(?P<sep>[=:]|$)(?P<value>.*)$")
UNKNOWN = object()  # what a line sets cannot be told without running Compose


def line(key: str, value: str) -> str | None:
    """`KEY=value` that Compose reads back as `value` (quoted where it has to be); None when no
    quoting keeps it as it is (a line break, a `$`, a control character, a `\\` with a quote)."""
    if "$" in value or CONTROL.search(value):
        return None
    if UNQUOTED.fullmatch(value):
        return f"{key}={value}"
    if "'" not in value and "\\" not in value:
        return f"{key}='{value}'"
    if '"' not in value and "\\" not in value:
        return f'{key}="{value}"'
    return None


def value_of(text: str, key: str):
    """What the .env `text` sets `key` to: the value, None when it does not set it, UNKNOWN
    when dockerfix cannot tell (interpolation, escapes, a comment sign, a bare `KEY`)."""
    found = None
    for raw in text.splitlines():
        match = DEFINITION.match(raw)
        if match is None or match.group("key") != key:
            continue
        found = UNKNOWN if not match.group("sep") else _value(match.group("value").strip(" \t"))
    return found


def _value(written: str):
    if written[:1] in ("'", '"'):
        quote = written[0]
        close = written.find(quote, 1)
        inner = written[1:close] if close > 0 else None
        if inner is None or written[close + 1:].strip(" \t")[:1] not in ("", "#") or "\\" in inner:
            return UNKNOWN
        return UNKNOWN if quote == '"' and "$" in inner else inner
    if "#" in written or "$" in written or "\\" in written:
        return UNKNOWN
    return written


def keys_in(text: str) -> set[str]:
    return {match.group("key") for match in map(DEFINITION.match, text.splitlines()) if match}


def appended(path: str, before: str | None, entries: tuple[tuple[str, str], ...]) -> FileChange:
    """The change adding `entries` ((key, line) pairs) to the .env-style file at `path`, but for
    the keys it sets already; changes to one file merge."""
    return Append(entries)(FileChange(path, before, before or ""), None)


@record(frozen=True)
class Append:
    """Adds each (key, line) whose key the file does not set yet, the first line given for a
    key winning; combines with another Append for the same file (two Compose files of one
    directory)."""

    entries: tuple[tuple[str, str], ...]

    def __call__(self, first: FileChange, second: FileChange | None) -> FileChange:
        more = second.merge.entries if second is not None and isinstance(second.merge, Append) else ()
        first_lines: dict[str, str] = {}
        for key, written in self.entries + more:
            first_lines.setdefault(key, written)
        entries = tuple(first_lines.items())
        before = first.before or ""
        present = keys_in(before)
        after = text_with_lines(before, [written for key, written in entries if key not in present])
        return FileChange(first.path, first.before, after, merge=Append(entries))
