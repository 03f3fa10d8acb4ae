"""Writing to the terminal: a message on standard output or error, ANSI colour, and help
as wide as the terminal; and reading the option values both commands share."""
from __future__ import annotations

import argparse
import os
import sys

_COLORS = {"red": 31, "green": 32, "yellow": 33, "cyan": 36}


def echo(message: str = "", err: bool = False, nl: bool = True) -> None:
    if err:  # what went to standard output first comes first where both streams are one log (CI)
        sys.stdout.flush()
    stream = sys.stderr if err else sys.stdout
    stream.write(message + "\n" if nl else message)
    if not nl:  # a progress line that is rewritten in place: show it now
        stream.flush()


def style(text: str, fg: str | None = None, bold: bool = False) -> str:
    codes = ([str(_COLORS[fg])] if fg else []) + (["1"] if bold else [])
    return f"\x1b[{';'.join(codes)}m{text}\x1b[0m"


class HelpFormatter(argparse.HelpFormatter):
    """argparse's, as wide as the terminal, found without importing shutil (argparse makes a
    formatter for every option it is given, and shutil with its compression modules would be
    3 ms of every run)."""

    def __init__(self, prog: str):
        super().__init__(prog, width=terminal_width() - 2)


def terminal_width() -> int:
    """What shutil.get_terminal_size() says: $COLUMNS, else the terminal's, else 80."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80


def split_names(values: list[str]) -> list[str]:
    """Repeated, comma-separated option values as one list (`--select A,B --select C`)."""
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


# C escapes of the characters git writes escaped in a quoted file name
_C_ESCAPES = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r",
              '"': '\\"', "\\": "\\\\"}


def shown_path(path: str) -> str:
    """`path` as dockerfix prints it for a person: as it is, or, when it holds a character that
    is not printable (a line break or other control character, U+2028) or starts with a quote,
    in double quotes with C escapes as git writes such a name: a newline as `\\n`, others as
    the octal escapes of their UTF-8 bytes (U+2028 as `\\342\\200\\250`). A finding stays one
    line, and `patch` and `git apply` read the name back from a diff's header. A byte that is
    not UTF-8 (a lone surrogate here) is printed as the byte it is, as before."""
    if _plain(path) and not path.startswith('"'):
        return path
    return '"' + "".join(_c_escaped(character) for character in path) + '"'


def _plain(text: str) -> bool:
    return text.isprintable() or all(character.isprintable() or _undecoded(character) for character in text)


def _undecoded(character: str) -> bool:
    """A byte that is not UTF-8, as os.fsdecode gives it back (surrogateescape)."""
    return "\udc80" <= character <= "\udcff"


def _c_escaped(character: str) -> str:
    if character in _C_ESCAPES:
        return _C_ESCAPES[character]
    if character.isprintable() or _undecoded(character):
        return character
    return "".join(f"\\{byte:03o}" for byte in character.encode("utf-8", "surrogatepass"))
