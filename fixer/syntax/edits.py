"""Edits on the source text, and the helpers every rule uses to insert and move lines.

An edit replaces a span of the source. Inserting whole lines has two traps that the helpers
here close once for every rule: a file without a final line break (the new line must not be
glued to the last one), and an instruction left open at the end of the file by a trailing
escape character, which BuildKit accepts — a line inserted after it would become part of it
(`RUN apk add git \\` + `COPY . .` reads as `RUN apk add git COPY . .`). The dangling escape
changes nothing where it is (nothing follows it), so it is removed when something is put
after it, or when its instruction is moved above another line.
"""
from __future__ import annotations

import re

from ..lazy_regex import lazy_regex
from ..records import record
from .tree import Directive, Dockerfile, Instruction, Node, Span
from .words import lstrip_space

# comments that tell dockerfix or hadolint something about the instruction below them
_SUPPRESSION = lazy_regex(r"#\s*(dockerfix:|hadolint\b)", re.I)


@record(frozen=True, slots=True)
class Edit:
    """Replace source[start:end] with `replacement` (an insertion when start == end)."""

    start: int
    end: int
    replacement: str


def dangling_escape(tree: Dockerfile, node: Node) -> Span | None:
    """The escape character that leaves `node` open at the end of the file, with the blanks
    before it, or None. Only the file's last instruction can be open: a continuation takes
    the next line in."""
    if not isinstance(node, Instruction) or node.heredocs or node.span.end != len(tree.text):
        return None
    text = tree.text
    end = node.span.end
    while end > node.span.start:
        start = text.rfind("\n", node.span.start, end - 1) + 1 or node.span.start
        line = text[start:end]
        content = line.rstrip(" \t\r\n\v\f")
        if content.strip() and not content.lstrip(" \t").startswith("#"):
            escape = start + len(content) - 1
            if content.endswith(tree.escape) and escape > node.span.start:
                return Span(start + len(content[:-1].rstrip(" \t")), escape + 1)
            return None
        end = start
    return None


def lines_at(tree: Dockerfile, at: int, lines: str) -> tuple[Edit, ...]:
    """Insert `lines` (whole lines, each ending with the file's line break) at offset `at`, a
    line start or the end of the file: after the last line, a line break is added first where
    the file has none, and a dangling escape before `at` is removed."""
    edits = []
    if at == len(tree.text):
        last = _last_node(tree)
        escape = dangling_escape(tree, last) if last is not None else None
        if escape is not None:
            edits.append(Edit(escape.start, escape.end, ""))
        if tree.text and not tree.text.endswith("\n"):
            lines = tree.newline + lines
    edits.append(Edit(at, at, lines))
    return tuple(edits)


def node_lines(tree: Dockerfile, node: Node, start: int | None = None) -> str:
    """The source of `node` from `start` (default: its own start) as whole lines to put
    elsewhere: with a final line break, and without a dangling escape."""
    start = node.span.start if start is None else start
    text = tree.text[start:node.span.end]
    escape = dangling_escape(tree, node)
    if escape is not None:
        text = text[:escape.start - start] + text[escape.end - start:]
    return text if text.endswith("\n") else text + tree.newline


def _last_node(tree: Dockerfile) -> Node | None:
    """The node the end of the file belongs to (comment lines inside an open continuation are
    the instruction's own)."""
    return tree.nodes[-1] if tree.nodes else None


def physical_lines(text: str) -> list[str]:
    """`text` cut into lines as BuildKit reads a Dockerfile: at `\\n` only, each line with its
    line break (`\\n` or `\\r\\n`; a last line may have none). `str.splitlines` cuts at `\\r`,
    `\\v`, `\\f`, `\\x1c`-`\\x1e`, `\\x85`, U+2028 and U+2029 too: here they are characters of a
    line, and a comment goes on past them."""
    lines = text.split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last] if last else [])


def is_comment_line(line: str) -> bool:
    """Whether BuildKit reads the physical line as a comment (first character after Unicode
    white space `#`). Inside a continuation such a line is skipped, even with an escape at its end."""
    return lstrip_space(line)[:1] == "#"


def comment_lines(tree: Dockerfile, start: int, end: int) -> list[str]:
    """The comment lines that lie whole in source[start:end], each with its line break, in order:
    what an edit replacing that range (inside an instruction) must keep."""
    text = tree.text
    if start > 0 and text[start - 1] != "\n":  # a line that starts before the range is not whole in it
        start = text.find("\n", start, end) + 1 or end
    return [line for line in physical_lines(text[start:end]) if line.endswith("\n") and is_comment_line(line)]


def comments_moved_above(tree: Dockerfile, node: Instruction, start: int, end: int) -> tuple[Edit, ...] | None:
    """The edit that keeps the comment lines an edit of source[start:end] (inside `node`) would drop,
    moved above `node` in their order: () when there are none, None when they cannot move because
    they would start to mean something there. Inside a continuation BuildKit, dockerfix and
    hadolint skip them; above the instruction, `# dockerfix: ignore=…` or `# hadolint ignore=…`
    would suppress findings, and at the top of the file `# escape=` would be a parser directive."""
    comments = comment_lines(tree, start, end)
    if not comments:
        return ()
    if any(_SUPPRESSION.match(lstrip_space(line)) for line in comments):
        return None
    index = tree.nodes.index(node)
    if all(isinstance(before, Directive) for before in tree.nodes[:index]):
        return None
    return (Edit(node.span.start, node.span.start, "".join(comments)),)
