"""The lossless syntax tree of a Dockerfile.

Every character of the source belongs to exactly one top-level node (a directive, a
comment line, a blank line or an instruction with everything it spans: its continuation
lines, the comment and blank lines inside them, and its heredoc bodies). Printing the
nodes in order gives back the source, byte for byte. Changes are never made to the tree:
they are edits on source offsets (see fixer.syntax.edits), and the fixed text is parsed
afresh.

What a parse can share with other parses is frozen: spans, logical lines, heredocs, flags,
and the line splits the parser caches (tuples). The nodes themselves are new to each parse
and belong to its tree alone; they are not frozen (that costs a few percent of a corpus
run), so nothing but this paragraph stops an assignment to one. The tree's own sequences
(`nodes`, `instructions`, `stages()`, a stage's instructions) are tuples, and stages are
frozen.
"""
from __future__ import annotations

from bisect import bisect_right

from ..records import field, record


@record(frozen=True, slots=True)
class Span:
    """Half-open character offsets [start, end) into the source text."""

    start: int
    end: int


def line_starts(text: str) -> list[int]:
    """The offset where each line of `text` starts (after a final line break: one more)."""
    starts = [0]
    position = text.find("\n")
    while position >= 0:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


_AFTER_ANY = float("inf")  # (index, _AFTER_ANY) sorts after every piece that starts at index


@record(frozen=True, slots=True)
class LogicalLine:
    """An instruction's physical lines joined the way BuildKit joins them.

    BuildKit drops the escape character and line break at each continuation, skips comment
    and blank lines inside it, and strips the first line's leading whitespace. `pieces`
    records where each kept run of characters came from, so that any offset in `text`
    maps back to the source.
    """

    text: str
    pieces: tuple[tuple[int, int], ...]  # (offset in text, offset in source), ascending

    def source_offset(self, index: int) -> int:
        """Source offset of the character at `index` of the joined text."""
        pieces = self.pieces
        if len(pieces) == 1:  # most instructions are one line
            return pieces[0][1] + index
        text_start, source_start = pieces[max(bisect_right(pieces, (index, _AFTER_ANY)) - 1, 0)]
        return source_start + index - text_start

    def source_span(self, start: int, end: int) -> Span:
        """Source span of the joined-text range [start, end); an empty range stays empty."""
        if end <= start:
            offset = self.source_offset(start) if start < len(self.text) else self.source_end()
            return Span(offset, offset)
        if len(self.pieces) == 1:  # most instructions are one line: the range is in one piece
            return Span(self.pieces[0][1] + start, self.pieces[0][1] + end)
        return Span(self.source_offset(start), self.source_offset(end - 1) + 1)

    def source_end(self) -> int:
        if not self.text:
            return self.pieces[0][1] if self.pieces else 0
        return self.source_offset(len(self.text) - 1) + 1


@record(frozen=True, slots=True)
class Heredoc:
    name: str
    file_descriptor: int
    chomp: bool
    expand: bool
    content: str
    body: Span          # the body lines, without the terminator line
    terminator: Span    # the terminator line, with its line break


@record(frozen=True, slots=True)
class Flag:
    """A `--name[=value]` flag as BuildKit reports it (quotes and escapes processed, and each
    byte of a character beyond ASCII a character of its own), and as written: what an edit
    copies into the source is `raw`, never `text`."""

    text: str
    raw: str

    @property
    def name(self) -> str:
        return self.text[2:].split("=", 1)[0]

    @property
    def value(self) -> str | None:
        parts = self.text.split("=", 1)
        return parts[1] if len(parts) == 2 else None


@record(slots=True, eq=False)  # nodes are compared by identity
class Node:
    span: Span
    start_line: int
    end_line: int


@record(slots=True, eq=False)  # nodes are compared by identity
class Blank(Node):
    """A line with nothing but whitespace."""


@record(slots=True, eq=False)  # nodes are compared by identity
class Comment(Node):
    text: str = ""


@record(slots=True, eq=False)  # nodes are compared by identity
class Directive(Node):
    """A parser directive at the top of the file, such as `# syntax=docker/dockerfile:1`."""

    name: str = ""
    value: str = ""


@record(slots=True, eq=False)  # nodes are compared by identity
class Instruction(Node):
    keyword: str = ""                 # upper case
    keyword_span: Span = Span(0, 0)   # as written in the source
    logical: LogicalLine = None       # type: ignore[assignment]
    flags: tuple[Flag, ...] = ()
    arguments_start: int = 0          # offset in logical.text where the arguments begin
    json: bool = False
    values: tuple[str, ...] = ()
    heredocs: tuple[Heredoc, ...] = ()
    sub: "Instruction | None" = None  # the instruction ONBUILD wraps

    @property
    def arguments(self) -> str:
        """The arguments after the flags, as BuildKit hands them on (trimmed)."""
        return self.logical.text[self.arguments_start:].rstrip(" \t\r\v\f")

    @property
    def arguments_source_end(self) -> int:
        """Source offset just past the last non-blank character of the arguments."""
        return self.logical.source_offset(self.arguments_start + len(self.arguments) - 1) + 1

    def flag_values(self, name: str) -> list[str]:
        """The values of the `--name` flags ("" for one with no value), in order."""
        if not self.flags:  # most instructions
            return []
        bare = f"--{name}"
        return [flag.text[len(bare) + 1:] for flag in self.flags
                if flag.text == bare or flag.text.startswith(bare) and flag.text[len(bare)] == "="]


@record(frozen=True, slots=True, eq=False)  # stages are compared by identity
class Stage:
    """The instructions from one FROM up to the next. What is derived from stages (the chain of
    stages one builds on, its variables, its user) is in the checker's semantic index."""

    index: int
    from_: Instruction
    instructions: tuple[Instruction, ...]
    name: str | None = field(default=None, compare=False)  # `FROM image AS name`: set from from_, not given

    def __post_init__(self) -> None:
        values = self.from_.values
        object.__setattr__(self, "name", values[2] if len(values) >= 3 and values[1].lower() == "as" else None)

    @property
    def base(self) -> str:
        return self.from_.values[0] if self.from_.values else ""


@record(slots=True)
class Dockerfile:
    text: str                      # the whole source, BOM included
    bom: str                       # "\ufeff" or ""
    nodes: tuple[Node, ...]
    escape: str
    directives: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    shell_views: dict = field(default_factory=dict, repr=False, compare=False)  # cache of syntax.shell
    cache: dict = field(default_factory=dict, repr=False, compare=False)        # derived views, computed once

    def __str__(self) -> str:
        return self.to_source()

    def to_source(self) -> str:
        return self.bom + "".join(self.text[node.span.start:node.span.end] for node in self.nodes)

    # What is derived from the tree is computed once, in `cache`, and handed to every caller.

    @property
    def instructions(self) -> tuple[Instruction, ...]:
        found = self.cache.get("instructions")
        if found is None:
            found = self.cache["instructions"] = tuple([node for node in self.nodes if isinstance(node, Instruction)])
        return found

    @property
    def newline(self) -> str:
        """The line break to use for new lines: CRLF when most lines end so, else LF."""
        found = self.cache.get("newline")
        if found is None:
            crlf = self.text.count("\r\n")
            found = self.cache["newline"] = "\r\n" if crlf and crlf * 2 >= self.text.count("\n") else "\n"
        return found

    def start_with_comments(self, node: Node) -> int:
        """Where the node starts, counting the comment lines directly above it as its own."""
        index = self.nodes.index(node)
        while index > 0 and isinstance(self.nodes[index - 1], Comment):
            index -= 1
        return self.nodes[index].span.start

    def stages(self) -> tuple[Stage, ...]:
        found = self.cache.get("stages")
        if found is not None:
            return found
        instructions = self.instructions
        starts = [index for index, instruction in enumerate(instructions) if instruction.keyword == "FROM"]
        ends = [*starts[1:], len(instructions)] if starts else []
        found = self.cache["stages"] = tuple(Stage(number, instructions[start], instructions[start:end])
                                             for number, (start, end) in enumerate(zip(starts, ends, strict=True)))
        return found
