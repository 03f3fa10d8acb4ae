"""Writing to the terminal: a message on standard output or error, ANSI colour, and help
as wide as the terminal; reading the option values both commands share; and "did you mean"
for a mistyped option, choice or rule (difflib, imported only then)."""
from __future__ import annotations

import argparse
import os
import re
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
    """argparse's, as wide as the terminal, found without importing shutil (docs/performance.md,
    imports on demand). In a description or epilog, an indented line (a command, a table row)
    is kept as written; the other lines are filled as paragraphs."""

    def __init__(self, prog: str):
        super().__init__(prog, width=terminal_width() - 2)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n\n".join(self._fill_block(block, width, indent) for block in text.split("\n\n"))

    def _fill_block(self, block: str, width: int, indent: str) -> str:
        if not (block.startswith(" ") or "\n " in block):
            return super()._fill_text(block, width, indent)
        return "\n".join(_table_row(line, width, indent) if line.startswith(" ") else
                         super(HelpFormatter, self)._fill_text(line, width, indent) for line in block.splitlines())


def _table_row(line: str, width: int, indent: str) -> str:
    """`  left  right`, the right column wrapped under itself (or, when the left one is too
    wide for that, on the lines below)."""
    import textwrap

    row = re.fullmatch(r"(\s*\S.*?\s\s+)(\S.*)", line)
    if not row or len(indent + line) <= width:
        return indent + line
    left, right = indent + row[1], row[2]
    hanging = len(left) if len(left) <= width // 2 else len(indent) + 8
    lines = textwrap.wrap(right, max(width - hanging, 20))
    first = [left + lines.pop(0)] if hanging == len(left) else [left.rstrip()]
    return "\n".join(first + [" " * hanging + rest for rest in lines])


class ArgumentParser(argparse.ArgumentParser):
    """argparse's, saying which option or value a mistyped one was likely meant to be."""

    def error(self, message: str):
        super().error(_with_suggestions(message, self))


def _with_suggestions(message: str, parser: argparse.ArgumentParser) -> str:
    """argparse's usage error, with "did you mean" for an unknown option or an invalid choice."""
    if message.startswith("unrecognized arguments: "):
        known = [string for action in parser._actions for string in action.option_strings]  # no public way
        words = message.removeprefix("unrecognized arguments: ").split(" ")
        return "unrecognized arguments: " + " ".join(word + _option_hint(word, known) for word in words)
    choice = re.search(r"invalid choice: '(.*)' \(choose from (.*)\)$", message)
    match = choice and close_match(choice[1], re.findall(r"'([^']*)'", choice[2]))
    return f"{message}; did you mean '{match}'?" if match else message


def _option_hint(word: str, options: list[str]) -> str:
    """" (did you mean --X?)" for a mistyped option, else "" (also for a stray value)."""
    if not word.startswith("-"):
        return ""
    name = word.split("=", 1)[0]
    match = OTHER_TOOLS_OPTIONS.get(name) or close_match(name, options)
    return f" (did you mean {match}?)" if match else ""


# Options of other fixers that dockerfix calls something else
OTHER_TOOLS_OPTIONS = {"--fix": "--write", "--in-place": "--write", "--dry-run": "--check",
                       "--format": "--output-format"}


def close_match(word: str, candidates) -> str | None:
    """The candidate `word` was most likely meant to be, or None. Only for error messages:
    difflib is 1 ms of a start-up otherwise."""
    import difflib

    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def rule_hint(name: str) -> str:
    """"; did you mean X?" for a rule id or name that is not one, or ""."""
    from .rules import all_rules

    rules, wanted = all_rules(), name.strip().lower()
    numbered = re.fullmatch(r"(d[fc])-?0*(\d{1,3})", wanted)  # df2, DF02, DF-002: DF002
    if numbered:
        guess = f"{numbered[1].upper()}{int(numbered[2]):03}"
        return f"; did you mean {guess}?" if any(rule.id == guess for rule in rules) else ""
    for rule in rules:  # a hadolint code for what a rule fixes
        if wanted.upper() in rule.hadolint:
            return f"; did you mean {rule.name} ({rule.id}), which fixes what hadolint reports as {wanted.upper()}?"
    match = close_match(wanted.replace("_", "-"), [rule.name for rule in rules])
    return f"; did you mean {match}?" if match else ""


def terminal_width() -> int:
    """What shutil.get_terminal_size() says: $COLUMNS, else the terminal's, else 80."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]  # caught below
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
