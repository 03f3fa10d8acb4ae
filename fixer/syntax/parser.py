"""Parse a Dockerfile into the lossless tree, with exactly BuildKit's grammar.

The loop follows BuildKit's `parser.Parse` line by line: parser directives only at the
very top, the continuation rule of the escape character, comment and blank lines skipped
inside continuations, heredoc bodies read after the instruction's last line, and each
instruction's arguments split by the line parser BuildKit dispatches to.
"""
from __future__ import annotations

from functools import lru_cache
from itertools import accumulate

from ..lazy_regex import lazy_regex
from .errors import DockerfileError
from .tree import Blank, Comment, Directive, Dockerfile, Flag, Heredoc, Instruction, LogicalLine, Node, Span
from .words import (
    GO_SPACE_CHARACTERS,
    HEREDOC_WORD,
    WHITESPACE_RUN,
    NotStringArray,
    heredoc_candidate_words,
    heredoc_name,
    is_space,
    parse_json_array,
    parse_words,
    split_flags,
)

BOM = "\ufeff"
# BuildKit's `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` with Go's \s (no \v, no no-break
# space); the value's trailing blanks are stripped after the match, not by a lazy group
# that backtracks quadratically on a long line.
GO_REGEXP_SPACE = "\t\n\f\r "
DIRECTIVE = lazy_regex(r"^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+)\Z")
KNOWN_DIRECTIVES = ("syntax", "escape", "check")
HEREDOC_KEYWORDS = ("RUN", "COPY", "ADD")
SPLIT_CACHE_LIMIT = 2048  # longer logical lines are split afresh: hashing one costs about what splitting does
MAX_LINE_BYTES = 65535  # a line's bytes before its `\n`: bufio.Scanner's 64 KiB buffer holds them and the `\n`

ESCAPE_CHARACTERS = ("\\", "`")

# What splitting a logical line tells (a "LineParts" tuple), offsets relative to the line: the
# keyword (upper case) and its (start, end), the flags, where the arguments start, JSON form,
# the values, and the parts of the instruction ONBUILD wraps (or None). A plain tuple: the
# parser builds one per distinct line, and a named tuple cost a percent of a corpus run. It
# holds only immutable values (str, int, bool, tuples, frozen Flags): the split of a line is
# cached and shared by every file that has the line.
KEYWORD, KEYWORD_SPAN, FLAGS, ARGUMENTS_START, JSON, VALUES, SUB = range(7)
LineParts = tuple
_SPACE = GO_SPACE_CHARACTERS


def parse(text: str) -> Dockerfile:
    """Parse Dockerfile source. Raises DockerfileError where BuildKit would reject the file."""
    return _Parser(text).run()


def read_directive(line: str) -> tuple[str, str] | None:
    """The (name, value) of the parser directive `line` (a line without its leading white space
    or line break) is when it comes at the top of the file, or None when it is none."""
    if not line.startswith("#"):
        return None
    match = DIRECTIVE.match(line[1:].lstrip(GO_REGEXP_SPACE))
    if not match or match.group(1).lower() not in KNOWN_DIRECTIVES:
        return None
    return match.group(1).lower(), match.group(2).rstrip(GO_REGEXP_SPACE) or match.group(2)


def split_lines(text: str) -> tuple[list[str], list[int]]:
    """Each line with its line break (a last line may have none), and where each starts."""
    lines = text.split("\n")
    last = lines.pop()
    lines = [line + "\n" for line in lines]
    if last:
        lines.append(last)
    starts = list(accumulate(map(len, lines), initial=0))
    starts.pop()
    return lines, starts


def _first_too_long(lines: list[str], bom: str = "") -> int:
    """Index of the first line over BuildKit's byte limit, or len(lines) when there is none.
    What counts is a line's bytes before its `\n` (a `\r` before it, and the first line's byte
    order mark, count too). A character is at most 4 bytes in UTF-8: only long lines are encoded."""
    for index, line in enumerate(lines):
        if len(line) * 4 > MAX_LINE_BYTES and _line_bytes(line, bom if index == 0 else "") > MAX_LINE_BYTES:
            return index
    return len(lines)


def _line_bytes(line: str, bom: str) -> int:
    return len((bom + line).encode("utf-8", "surrogatepass")) - line.endswith("\n")


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.bom = BOM if text.startswith(BOM) else ""
        self.lines, self.starts = split_lines(text[len(self.bom):])
        if self.bom:
            self.starts = [start + len(BOM) for start in self.starts]
        self.too_long = _first_too_long(self.lines, self.bom) if len(text) * 4 > MAX_LINE_BYTES else len(self.lines)
        self.escape = "\\"
        self.directives: dict[str, str] = {}
        self.directives_done = False
        self.nodes: list[Node] = []
        self.warnings: list[str] = []

    def run(self) -> Dockerfile:
        lines, starts, nodes = self.lines, self.starts, self.nodes
        count, too_long = len(lines), self.too_long
        index = 0
        while index < count:
            raw = lines[index] if index < too_long else self._line_text(index)
            token = raw.rstrip("\r\n")
            stripped = token.lstrip(_SPACE)
            number = index + 1
            if not self.directives_done and self._directive(stripped, number):
                nodes.append(Directive(Span(starts[index], starts[index] + len(raw)), number, number,
                                       *self._last_directive))
            elif not stripped:
                nodes.append(Blank(Span(starts[index], starts[index] + len(raw)), number, number))
            elif stripped[0] == "#":
                nodes.append(Comment(Span(starts[index], starts[index] + len(raw)), number, number, stripped))
            else:
                number = self._instruction(index, starts[index] + len(token) - len(stripped), stripped)
            index = number
        if not any(isinstance(node, Instruction) for node in nodes):
            raise DockerfileError("file with no instructions", max(len(lines), 1))
        return Dockerfile(self.text, self.bom, tuple(nodes), self.escape, self.directives, self.warnings)

    def _line_text(self, index: int) -> str:
        if index >= self.too_long:
            raise DockerfileError(f"line longer than BuildKit's limit of {MAX_LINE_BYTES} bytes", index + 1)
        return self.lines[index]

    def _directive(self, line: str, number: int) -> bool:
        found = read_directive(line)
        if found is None:
            self.directives_done = True
            return False
        name, value = found
        if name in self.directives:
            raise DockerfileError(f"only one {name} parser directive can be used", number)
        if name == "escape":
            if value not in ESCAPE_CHARACTERS:
                raise DockerfileError(f"invalid escape token '{value}' does not match ` or \\", number)
            self.escape = value
        self.directives[name] = value
        self._last_directive = (name, value)
        if name == "check":
            # The BuildKit of our grammar oracle does not know `check`: it ends the directives
            # there, so what follows (a second check, an escape) is a comment. We keep its value.
            self.directives_done = True
        return True

    def _trim_continuation(self, line: str) -> tuple[str, bool]:
        """The line without its continuation (the escape character, then only blanks), and
        whether the instruction ends here. A doubled escape character is no continuation."""
        escape = self.escape
        trimmed = line.rstrip(" \t")
        if trimmed[-1:] == escape and trimmed[-2:-1] != escape:
            return trimmed[:-1], False
        return line, True

    def _instruction(self, first: int, text_start: int, line: str) -> int:
        """Read the instruction starting at line index `first` (`line`: its text from the
        keyword on, `text_start`: where that is in the source); returns the next line's index."""
        escape = self.escape
        pieces = [(0, text_start)]
        kept, ends = self._trim_continuation(line)
        joined, index = (line, first + 1) if ends else self._continuation(first, kept, pieces)
        start_line = first + 1
        try:
            parts = _split_cached(joined, escape) if len(joined) <= SPLIT_CACHE_LIMIT else \
                _split_line(joined, 0, escape)
        except DockerfileError as error:
            raise DockerfileError(error.message, start_line) from None
        target = parts[SUB] or parts
        heredocs: tuple[Heredoc, ...] = ()
        if "<<" in joined and target[KEYWORD] in HEREDOC_KEYWORDS and not target[JSON]:
            heredocs, index = self._heredocs(joined, index, start_line)
        starts = self.starts
        span = Span(starts[first], starts[index - 1] + len(self.lines[index - 1]))
        self.nodes.append(_node(parts, LogicalLine(joined, tuple(pieces)), span, start_line, index, heredocs))
        return index

    def _continuation(self, first: int, joined: str, pieces: list[tuple[int, int]]) -> tuple[str, int]:
        """Join the lines that continue the instruction on line `first` (skipping comment and
        blank lines); returns the joined text and the index of the line after the last one."""
        index = first + 1
        parts = [joined]
        length = len(joined)
        ends = False
        empty_continuation = False
        while not ends and index < len(self.lines):
            raw = self._line_text(index)
            start = self.starts[index]
            index += 1
            token = raw.rstrip("\r\n")
            content = token.lstrip(_SPACE)
            if content[:1] == "#":
                continue
            if not content:
                empty_continuation = True
                continue
            kept, ends = self._trim_continuation(token)
            pieces.append((length, start))
            parts.append(kept)
            length += len(kept)
        if empty_continuation:
            self.warnings.append(f"line {first + 1}: empty continuation line (BuildKit: NoEmptyContinuation)")
        return "".join(parts), index

    def _heredocs(self, line: str, index: int, start_line: int) -> tuple[tuple[Heredoc, ...], int]:
        found: list[Heredoc] = []
        for word in heredoc_candidate_words(line):
            match = HEREDOC_WORD.match(word)
            if not match:
                continue
            if match.group(3) and not heredoc_candidate_words(match.group(3)):
                # `<<E${X: cat }`: the line's words read, but its name alone does not: BuildKit fails
                raise DockerfileError(f'failed to process "{match.group(3)}": syntax error in the heredoc word',
                                      start_line)
            named = heredoc_name(match.group(3))
            if named is None:
                continue
            name, expand = named
            chomp = match.group(2) == "-"
            body_start = self.starts[index] if index < len(self.lines) else len(self.text)
            content: list[str] = []
            while True:
                if index >= len(self.lines):
                    raise DockerfileError("unterminated heredoc", start_line)
                raw = self._line_text(index)
                start, end = self.starts[index], self.starts[index] + len(raw)
                index += 1
                candidate = raw.rstrip("\r\n")
                if chomp:
                    candidate = candidate.lstrip("\t")
                if candidate == name:
                    found.append(Heredoc(name, int(match.group(1) or 0), chomp, expand, "".join(content),
                                         Span(body_start, start), Span(start, end)))
                    break
                content.append(raw)
        return tuple(found), index


@lru_cache(maxsize=4096)
def _split_cached(line: str, escape: str) -> LineParts:
    """`_split_line` of a short logical line. The same lines come back in every pass of the
    fix loop and across files (`WORKDIR /app`, `RUN go mod download`): they are split once."""
    return _split_line(line, 0, escape)


def _node(parts: LineParts, logical: LogicalLine, span: Span, start_line: int, end_line: int,
          heredocs: tuple) -> Instruction:
    keyword, keyword_span, flags, arguments_start, json, values, sub = parts
    return Instruction(span, start_line, end_line, keyword, logical.source_span(*keyword_span), logical, flags,
                       arguments_start, json, values, heredocs,
                       _node(sub, logical, span, start_line, end_line, heredocs) if sub else None)


def _split_line(line: str, offset: int, escape: str) -> LineParts:
    """BuildKit's newNodeFromLine: what one logical line says.

    `offset` is where `line` starts inside the logical line (non-zero for ONBUILD's inner
    instruction); every offset recorded is relative to the whole logical line.
    """
    stripped = line.lstrip(_SPACE)
    lead = len(line) - len(stripped)
    trimmed = stripped.rstrip(_SPACE)
    split = WHITESPACE_RUN.search(trimmed)
    flags: tuple[Flag, ...] = ()
    if split is None:
        keyword_text, rest_start, rest = trimmed, lead + len(trimmed), ""
        arguments_at, arguments = rest_start, ""
    else:
        keyword_text, rest_start, rest = trimmed[:split.start()], lead + split.end(), trimmed[split.end():]
        if "--" in rest:
            flag_end, found = split_flags(rest)
            flags = tuple(Flag(text, raw) for text, raw in found)
            remainder = rest[flag_end:]
            arguments_at = rest_start + flag_end + len(remainder) - len(remainder.lstrip(_SPACE))
        else:  # no flags (most instructions): the arguments start after any leading space
            arguments_at = rest_start + len(rest) - len(rest.lstrip(_SPACE))
        arguments = line[arguments_at:rest_start + len(rest)].strip(_SPACE)
    keyword = keyword_text.upper()
    json, values, sub = _arguments(keyword, arguments, escape, offset + arguments_at)
    return (keyword, (offset + lead, offset + lead + len(keyword_text)), flags, offset + arguments_at, json, values,
            sub)


def _arguments(keyword: str, rest: str, escape: str, rest_offset: int) -> tuple[bool, tuple[str, ...], tuple | None]:
    """JSON form, values and inner instruction, by the line parser BuildKit dispatches to."""
    if keyword in ("RUN", "CMD", "ENTRYPOINT", "SHELL"):
        return _maybe_json(rest)
    if keyword in ("ADD", "COPY", "VOLUME"):
        array = _json_or_none(rest)
        return (True, tuple(array), None) if array is not None else (False, _whitespace_split(rest), None)
    if keyword in ("FROM", "EXPOSE"):
        return False, _whitespace_split(rest), None
    if keyword == "ARG":
        return False, tuple(parse_words(rest, escape)), None
    if keyword in ("ENV", "LABEL"):
        return False, _name_values(rest, keyword, escape), None
    if keyword in ("MAINTAINER", "STOPSIGNAL", "USER", "WORKDIR"):
        return False, (rest,) if rest else (), None
    if keyword == "HEALTHCHECK":
        return _healthcheck(rest)
    if keyword == "ONBUILD":
        if not rest:
            return False, (), None
        sub = _split_line(rest, rest_offset, escape)
        return sub[JSON], sub[VALUES], sub
    return False, ("",), None


def _json_or_none(rest: str) -> list[str] | None:
    try:
        return parse_json_array(rest)
    except NotStringArray as error:
        raise DockerfileError(str(error)) from None


def _maybe_json(rest: str) -> tuple[bool, tuple[str, ...], None]:
    if not rest:
        return False, (), None
    array = _json_or_none(rest)
    return (True, tuple(array), None) if array is not None else (False, (rest,), None)


def _whitespace_split(rest: str) -> tuple[str, ...]:
    return tuple(WHITESPACE_RUN.split(rest)) if rest else ()


def _name_values(rest: str, keyword: str, escape: str) -> tuple[str, ...]:
    words = parse_words(rest, escape)
    if not words:
        return ()
    if "=" not in words[0]:
        parts = WHITESPACE_RUN.split(rest, maxsplit=1)
        if len(parts) < 2:
            raise DockerfileError(f"{keyword} must have two arguments")
        return (parts[0], parts[1])
    values: list[str] = []
    for word in words:
        if "=" not in word:
            raise DockerfileError(f"Syntax error - can't find = in {word!r}. Must be of the form: name=value")
        values.extend(word.split("=", 1))
    return tuple(values)


def _healthcheck(rest: str) -> tuple[bool, tuple[str, ...], None]:
    sep = 0
    while sep < len(rest) and not is_space(rest[sep]):
        sep += 1
    if sep == 0:
        return False, (), None
    after = sep
    while after < len(rest) and is_space(rest[after]):
        after += 1
    json, values, _ = _maybe_json(rest[after:])
    return json, (rest[:sep],) + values, None
