"""Edits on the source text, and the helpers every rule uses to remove, insert and move lines.

An edit replaces a span of the source. The helpers take a tree and give the edits:

- `removal(tree, *nodes)`: nodes removed with the comments that belong to them;
- `insert_before(tree, node, lines)`, `insert_after(tree, node, lines)`, `append_lines(tree,
  lines)`, `lines_at(tree, offset, lines)`: whole lines put in;
- `move_before(tree, node, target)`: a node and its comments taken to above another;
  `taken_away(tree, node)` the same as lines to put elsewhere and the edits that take them.

`lines` is a sequence of lines without line breaks (each gets the file's line break, `\n` or
`\r\n`), or source text of whole lines, put in as it is (a missing last line break is added).

Inserting whole lines has two traps that these helpers close once for every rule: a file
without a final line break (the new line must not be glued to the last one), and an
instruction left open at the end of the file by a trailing escape character, which BuildKit
accepts — a line inserted after it would become part of it (`RUN apk add git \\` + `COPY . .`
reads as `RUN apk add git COPY . .`). The dangling escape changes nothing where it is
(nothing follows it), so it is removed when something is put after it, or when its
instruction is moved above another line. Where removing it would leave the line open still
(`RUN echo a \\ \\`), the helpers raise CannotClose (a DockerfileError: the file is
reported, not changed).

Removing lines has two of its own. A comment is not text to lose: the comments directly
above a node go with it unless they head a paragraph that goes on below it (a moved node
takes them all), and a
suppression (`# dockerfix: ignore=…`, `# hadolint ignore=…`) goes with the instruction it is
for wherever it is, since left behind it would cover the next one (a suppression of the
stage or the file stays, unless the stage it covers would change). And a comment that
comes to the top of the file must not turn into a parser directive (`# escape=…`), nor a
U+FEFF that starts a line into a byte order mark: where one would, a blank line stays in
place of what was removed.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from ..lazy_regex import lazy_regex
from ..records import record
from .errors import DockerfileError
from .parser import BOM, read_directive
from .tree import Blank, Comment, Directive, Dockerfile, Instruction, Node, Span
from .words import lstrip_space

Lines = str | Sequence[str]  # source text of whole lines, or lines without their line breaks

# comments that tell dockerfix or hadolint something about the instruction below them
_SUPPRESSION = lazy_regex(r"#\s*(dockerfix:|hadolint\b)", re.I)


class CannotClose(DockerfileError):
    """The last instruction is left open by an escape character, and what is before that escape
    ends with another one (`RUN echo a \\ \\`): with the escape removed the line is still open,
    and doubled the literal one would mean something else. Nothing can be put after it."""


@record(frozen=True, slots=True)
class Edit:
    """Replace source[start:end] with `replacement` (an insertion when start == end)."""

    start: int
    end: int
    replacement: str


def dangling_escape(tree: Dockerfile, node: Node) -> Span | None:
    """The escape character that leaves `node` open at the end of the file, with the blanks
    before it, or None. Only the file's last instruction can be open: a continuation takes
    the next line in. The lines are read as the parser reads them: comment and blank lines
    (Go's white space) skipped, an escape character then only spaces and tabs continues the
    line, a doubled one does not."""
    if not isinstance(node, Instruction) or node.heredocs or node.span.end != len(tree.text):
        return None
    for start, token in _content_lines_backwards(tree, node):
        trimmed = token.rstrip(" \t")
        if not _continues(trimmed, tree.escape):
            return None
        return Span(start + len(trimmed[:-1].rstrip(" \t")), start + len(trimmed))
    return None


def _closing_escapes(tree: Dockerfile, node: Node) -> tuple[Span, ...]:
    """What to remove so that `node`, open at the end of the file, is closed without a change
    to what it means: its dangling escape, and where that leaves a blank line (BuildKit skips
    it, and the line above goes on), the escape of the line above too. CannotClose where what
    is left of the line ends with a literal escape character, or where the escape is all the
    instruction has (removed, the instruction would be gone)."""
    if not isinstance(node, Instruction) or dangling_escape(tree, node) is None:
        return ()
    spans = []
    for start, token in _content_lines_backwards(tree, node):
        trimmed = token.rstrip(" \t")
        left = trimmed[:-1].rstrip(" \t")
        spans.append(Span(start + len(left), start + len(trimmed)))
        if start + len(trimmed) - 1 <= node.logical.source_offset(0):
            raise CannotClose(f"the instruction open at the end of the file is only a {tree.escape}: nothing can "
                              "be added after it", node.start_line)
        if lstrip_space(left):
            if _continues(left, tree.escape):
                raise CannotClose(f"the instruction open at the end of the file ends with a literal {tree.escape} "
                                  "before its continuation: nothing can be added after it", node.start_line)
            break
    return tuple(spans)


def _content_lines_backwards(tree: Dockerfile, node: Node):
    """(start, line without its line break) of each line of `node` that is no comment or blank
    line, from the last."""
    text, end = tree.text, node.span.end
    while end > node.span.start:
        start = text.rfind("\n", node.span.start, end - 1) + 1 or node.span.start
        token = text[start:end].rstrip("\r\n")
        content = lstrip_space(token)
        if content and content[0] != "#":
            yield start, token
        end = start


def _continues(trimmed: str, escape: str) -> bool:
    """Whether a line (its trailing spaces and tabs removed) goes on: it ends with the escape
    character, not doubled."""
    return trimmed[-1:] == escape and trimmed[-2:-1] != escape


def lines_at(tree: Dockerfile, at: int, lines: Lines) -> tuple[Edit, ...]:
    """Insert `lines` at offset `at`, a line start or the end of the file: after the last line,
    a line break is added first where the file has none, and a dangling escape before `at` is
    removed."""
    text = as_text(tree, lines)
    edits = []
    if at == len(tree.text):
        last = _last_node(tree)
        edits += [Edit(span.start, span.end, "") for span in _closing_escapes(tree, last)] if last else []
        if tree.text and not tree.text.endswith("\n"):
            text = tree.newline + text
    edits.append(Edit(at, at, text))
    return tuple(edits)


def as_text(tree: Dockerfile, lines: Lines) -> str:
    """`lines` as source text of whole lines: each line of a sequence ends with the file's line
    break; text is kept as it is, with the file's line break added where its last line has none."""
    if isinstance(lines, str):
        return lines if not lines or lines.endswith("\n") else lines + tree.newline
    return "".join(line + tree.newline for line in lines)


def insert_before(tree: Dockerfile, node: Node, lines: Lines) -> tuple[Edit, ...]:
    """Insert `lines` above `node` and the comment lines directly above it (which are about it)."""
    return lines_at(tree, tree.start_with_comments(node), lines)


def insert_after(tree: Dockerfile, node: Node, lines: Lines) -> tuple[Edit, ...]:
    """Insert `lines` right after `node` (after its continuation lines and heredoc bodies)."""
    return lines_at(tree, node.span.end, lines)


def append_lines(tree: Dockerfile, lines: Lines) -> tuple[Edit, ...]:
    """Add `lines` at the end of the file."""
    return lines_at(tree, len(tree.text), lines)


def text_with_lines(text: str, lines: list[str]) -> str:
    """A line-based text file (.dockerignore, .gitignore, .env) with `lines` added at its end,
    in its own line breaks (CRLF where it has one), after a line break it may lack."""
    if not lines:
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    separator = newline if text and not text.endswith("\n") else ""
    return text + separator + "".join(line + newline for line in lines)


def removal(tree: Dockerfile, *nodes: Node) -> tuple[Edit, ...]:
    """The edits that remove `nodes` (top-level nodes of `tree`) with the comments that belong
    to them (see the module's docstring). A blank line the removal would leave doubled, or at
    the top of the file, goes too."""
    removed = _belonging(tree, nodes)
    while True:  # a blank line taken can make the run reach the end of the file: once more
        blank = {index for first, last in _runs(removed) for index in _doubled_blank_line(tree.nodes, first, last)}
        if blank <= removed:
            break
        removed |= blank
    edits = []
    for first, last in _runs(removed):
        replacement = tree.newline if _would_change_the_top(tree, first, last) else ""
        edits.append(Edit(tree.nodes[first].span.start, tree.nodes[last].span.end, replacement))
    return tuple(edits)


def move_before(tree: Dockerfile, node: Node, target: Node) -> tuple[Edit, ...]:
    """The edits that take `node`, with its comments and suppressions, to above `target` and
    the comment lines directly above it."""
    text, removed = taken_away(tree, node)
    return (*removed, *insert_before(tree, target, text))


def taken_away(tree: Dockerfile, node: Node) -> tuple[str, tuple[Edit, ...]]:
    """`node` with the comment lines directly above it (a paragraph's heading too: what is
    written above a moved instruction is about it more often than not) and its suppressions,
    as source lines to put elsewhere; and the edits that take them from where they are."""
    start = tree.start_with_comments(node)
    removed = removal(tree, *(other for other in tree.nodes if start <= other.span.start < node.span.start), node)
    comments = "".join(tree.text[other.span.start:other.span.end] for other in tree.nodes if isinstance(other, Comment)
                       and any(edit.start <= other.span.start and other.span.end <= edit.end for edit in removed))
    return comments + node_lines(tree, node), removed


def _belonging(tree: Dockerfile, nodes: Sequence[Node]) -> set[int]:
    """The indexes in tree.nodes of `nodes` and of the comments that belong to them."""
    all_nodes = tree.nodes
    wanted = {tree.nodes.index(node) for node in nodes}
    removed = set(wanted)
    for index in wanted:
        node = all_nodes[index]
        if not isinstance(node, Instruction):  # a comment or blank line goes alone
            continue
        below = _next_instruction(all_nodes, index, wanted)
        block = index
        while block > 0 and isinstance(all_nodes[block - 1], Comment):
            block -= 1
        heads_a_paragraph = block == 0 or not isinstance(all_nodes[block - 1], Instruction)
        paragraph_goes_on = below is not None and all(
            between in wanted and isinstance(all_nodes[between], Instruction) for between in range(index + 1, below))
        moves_stage = node.keyword == "FROM" or \
            below is not None and all_nodes[below].keyword == "FROM"  # type: ignore[attr-defined]  # an Instruction
        whole_block = not (heads_a_paragraph and paragraph_goes_on)
        above = index - 1
        while above >= 0 and not isinstance(all_nodes[above], Instruction):
            comment = all_nodes[above]
            if isinstance(comment, Comment):
                scope = _suppression_scope(comment.text)
                if scope == "instruction" or scope == "stage" and moves_stage or above >= block and whole_block \
                        and scope is None:
                    removed.add(above)
            above -= 1
    return removed


def _next_instruction(nodes: Sequence[Node], index: int, removed: set[int]) -> int | None:
    """The index of the first instruction after `index` that stays, or None."""
    for later in range(index + 1, len(nodes)):
        if isinstance(nodes[later], Instruction) and later not in removed:
            return later
    return None


def _suppression_scope(comment: str) -> str | None:
    """What the suppression `comment` covers, read as fixer.engine.suppression reads it: the
    instruction below it (`# dockerfix: ignore=`, `# hadolint ignore=`), that instruction's
    stage (`ignore-stage=`), the file (`ignore-file=`, `# hadolint global ignore=`); None for a
    comment that is no suppression."""
    body = comment.strip()[1:].strip().lower()
    if body.startswith("dockerfix:"):
        kind, equals, _ = body[len("dockerfix:"):].partition("=")
        return {"ignore": "instruction", "ignore-stage": "stage", "ignore-file": "file"}.get(kind.strip()) \
            if equals else None
    words = body.split(None, 1)
    if len(words) != 2 or words[0] != "hadolint":
        return None
    rest = words[1]
    wide = rest.split(None, 1)
    if len(wide) == 2 and wide[0] == "global":
        rest = wide[1]
    kind, equals, _ = rest.partition("=")
    if kind.strip() != "ignore" or not equals:
        return None
    return "file" if rest is not words[1] else "instruction"


def _runs(indexes: set[int]) -> list[tuple[int, int]]:
    """Sorted indexes as (first, last) runs of consecutive ones."""
    runs: list[tuple[int, int]] = []
    for index in sorted(indexes):
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def _doubled_blank_line(nodes: Sequence[Node], first: int, last: int) -> tuple[int, ...]:
    """The blank line that removing nodes[first:last + 1] would leave doubled: the one after
    it when a blank line (or the top of the file) is before it, the one before it when the
    end of the file is after it."""
    before_blank = first == 0 or isinstance(nodes[first - 1], Blank)
    if last + 1 < len(nodes) and before_blank and isinstance(nodes[last + 1], Blank):
        return (last + 1,)
    if last + 1 == len(nodes) and first > 0 and isinstance(nodes[first - 1], Blank):
        return (first - 1,)
    return ()


def _would_change_the_top(tree: Dockerfile, first: int, last: int) -> bool:
    """Whether removing nodes[first:last + 1] brings a line to the top of the file where it
    means something else: a comment that reads as a parser directive to where directives are
    read (only directives before it), or a line starting with U+FEFF to the very start, where
    BuildKit takes it for a byte order mark."""
    nodes = tree.nodes
    if not all(isinstance(node, Directive) for node in nodes[:first]) or last + 1 >= len(nodes):
        return False
    after = nodes[last + 1]
    if nodes[first].span.start == 0 and tree.text.startswith(BOM, after.span.start):
        return True
    return isinstance(after, Comment) and read_directive(after.text) is not None


def node_lines(tree: Dockerfile, node: Node, start: int | None = None) -> str:
    """The source of `node` from `start` (default: its own start) as whole lines to put
    elsewhere: with a final line break, and without a dangling escape."""
    start = node.span.start if start is None else start
    text = tree.text[start:node.span.end]
    for span in _closing_escapes(tree, node):  # from the last
        text = text[:span.start - start] + text[span.end - start:]
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
