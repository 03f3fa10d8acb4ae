"""Writing to the terminal: a message on standard output or error, and ANSI colour."""
from __future__ import annotations

import sys

_COLORS = {"red": 31, "green": 32, "yellow": 33, "cyan": 36}


def echo(message: str = "", err: bool = False, nl: bool = True) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(message + "\n" if nl else message)
    if not nl:  # a progress line that is rewritten in place: show it now
        stream.flush()


def style(text: str, fg: str | None = None, bold: bool = False) -> str:
    codes = ([str(_COLORS[fg])] if fg else []) + (["1"] if bold else [])
    return f"\x1b[{';'.join(codes)}m{text}\x1b[0m"
