"""Parse a Dockerfile into the lossless tree, with exactly BuildKit's grammar.

The loop follows BuildKit's `parser.Parse` line by line: parser directives only at the
very top, the continuation rule of the escape character, comment and blank lines skipped
inside continuations, heredoc bodies read after the instruction's last line, and each
instruction's arguments split by the line parser BuildKit dispatches to.
"""
from __future__ import annotations

import re

from ..lazy_regex import lazy_regex
from .errors import DockerfileError
from .tree import Blank, Comment, Directive, Dockerfile, Flag, Heredoc, Instruction, LogicalLine, Node, Span
from .words import (
    HEREDOC_WORD,
    WHITESPACE_RUN,
    NotStringArray,
    heredoc_candidate_words,
    heredoc_name,
    is_space,
    lstrip_space,
    parse_json_array,
    parse_words,
    split_flags,
    trim_space,
)

BOM = "\ufeff"
DIRECTIVE = lazy_regex(r"^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*\Z", re.ASCII)
KNOWN_DIRECTIVES = ("syntax", "escape", "check")
HEREDOC_KEYWORDS = ("RUN", "COPY", "ADD")
MAX_LINE_BYTES = 65535  # bufio.Scanner's token limit, which BuildKit inherits

_CONTINUATION = {
    "\\": lazy_regex(r"([^\\])\\[ \t]*\Z|^\\[ \t]*\Z"),
    "`": lazy_regex(r"([^`])`[ \t]*\Z|^`[ \t]*\Z"),
}


def parse(text: str) -> Dockerfile:
    """Parse Dockerfile source. Raises DockerfileError where BuildKit would reject the file."""
    return _Parser(text).run()


def physical_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, the end after its line break (a last line may have none)."""
    spans: list[tuple[int, int]] = []
    start = 0
    find = text.find
    while start < len(text):
        newline = find("\n", start)
        end = len(text) if newline < 0 else newline + 1
        spans.append((start, end))
        start = end
    return spans


def _trim_newline(line: str) -> str:
    return line.rstrip("\r\n")


def _is_comment(line: str) -> bool:
    return lstrip_space(line).startswith("#")


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.bom = BOM if text.startswith(BOM) else ""
        self.lines = physical_lines(text)
        if self.lines and self.bom:
            self.lines[0] = (len(BOM), self.lines[0][1])
        self.escape = "\\"
        self.continuation = _CONTINUATION["\\"]
        self.directives: dict[str, str] = {}
        self.directives_done = False
        self.nodes: list[Node] = []
        self.warnings: list[str] = []

    def run(self) -> Dockerfile:
        index = 0
        while index < len(self.lines):
            index = self._line(index)
        if not any(isinstance(node, Instruction) for node in self.nodes):
            raise DockerfileError("file with no instructions", max(len(self.lines), 1))
        return Dockerfile(self.text, self.bom, self.nodes, self.escape, self.directives, self.warnings)

    def _line_text(self, index: int) -> str:
        start, end = self.lines[index]
        line = self.text[start:end]
        if end - start > MAX_LINE_BYTES and len(line.encode("utf-8")) > MAX_LINE_BYTES:
            raise DockerfileError(f"line longer than BuildKit's limit of {MAX_LINE_BYTES} bytes", index + 1)
        return line

    def _line(self, index: int) -> int:
        start, end = self.lines[index]
        raw = self._line_text(index)
        token = _trim_newline(raw)
        stripped = lstrip_space(token)
        number = index + 1
        if self._directive(stripped, number):
            name, value = self._last_directive
            self.nodes.append(Directive(Span(start, end), number, number, name, value))
            return index + 1
        if stripped.startswith("#"):
            self.nodes.append(Comment(Span(start, end), number, number, stripped))
            return index + 1
        kept, ends = self._trim_continuation(stripped)
        if ends and not kept:
            self.nodes.append(Blank(Span(start, end), number, number))
            return index + 1
        return self._instruction(index, start + len(token) - len(stripped), kept, ends)

    def _directive(self, line: str, number: int) -> bool:
        if self.directives_done:
            return False
        if not line.startswith("#"):
            self.directives_done = True
            return False
        match = DIRECTIVE.match(lstrip_space(line[1:]))
        if not match or match.group(1).lower() not in KNOWN_DIRECTIVES:
            self.directives_done = True
            return False
        name, value = match.group(1).lower(), match.group(2)
        if name in self.directives:
            raise DockerfileError(f"only one {name} parser directive can be used", number)
        if name == "escape":
            if value not in _CONTINUATION:
                raise DockerfileError(f"invalid escape token '{value}' does not match ` or \\", number)
            self.escape = value
            self.continuation = _CONTINUATION[value]
        self.directives[name] = value
        self._last_directive = (name, value)
        if name == "check":
            # The BuildKit of our grammar oracle does not know `check`: it ends the directives
            # there, so what follows (a second check, an escape) is a comment. We keep its value.
            self.directives_done = True
        return True

    def _trim_continuation(self, line: str) -> tuple[str, bool]:
        match = self.continuation.search(line)
        if not match:
            return line, True
        keep = match.start() + (1 if match.group(1) is not None else 0)
        return line[:keep], False

    def _instruction(self, first: int, text_start: int, joined: str, ends: bool) -> int:
        pieces = [(0, text_start)]
        parts = [joined]
        length = len(joined)
        index = first + 1
        empty_continuation = False
        while not ends and index < len(self.lines):
            start, _ = self.lines[index]
            raw = self._line_text(index)
            index += 1
            if _is_comment(raw):
                continue
            token = _trim_newline(raw)
            if not lstrip_space(token):
                empty_continuation = True
                continue
            kept, ends = self._trim_continuation(token)
            pieces.append((length, start))
            parts.append(kept)
            length += len(kept)
        logical = LogicalLine("".join(parts), pieces)
        start_line = first + 1
        if empty_continuation:
            self.warnings.append(f"line {start_line}: empty continuation line (BuildKit: NoEmptyContinuation)")
        try:
            instruction = _split_instruction(logical.text, 0, self.escape)
        except DockerfileError as error:
            raise DockerfileError(error.message, start_line) from None
        target = instruction.sub or instruction
        if target.keyword in HEREDOC_KEYWORDS and not target.json and "<<" in logical.text:
            heredocs, index = self._heredocs(logical.text, index, start_line)
            instruction.heredocs = target.heredocs = heredocs
        span = Span(self.lines[first][0], self.lines[index - 1][1])
        for node in (instruction, instruction.sub) if instruction.sub else (instruction,):
            node.logical, node.span, node.start_line, node.end_line = logical, span, start_line, index
            node.keyword_span = logical.source_span(node.keyword_span.start, node.keyword_span.end)
        self.nodes.append(instruction)
        return index

    def _heredocs(self, line: str, index: int, start_line: int) -> tuple[tuple[Heredoc, ...], int]:
        found: list[Heredoc] = []
        for word in heredoc_candidate_words(line):
            match = HEREDOC_WORD.match(word)
            if not match:
                continue
            named = heredoc_name(match.group(3))
            if named is None:
                continue
            name, expand = named
            chomp = match.group(2) == "-"
            body_start = self.lines[index][0] if index < len(self.lines) else len(self.text)
            content: list[str] = []
            while True:
                if index >= len(self.lines):
                    raise DockerfileError("unterminated heredoc", start_line)
                start, end = self.lines[index]
                raw = self._line_text(index)
                index += 1
                candidate = _trim_newline(raw)
                if chomp:
                    candidate = candidate.lstrip("\t")
                if candidate == name:
                    found.append(Heredoc(name, int(match.group(1) or 0), chomp, expand, "".join(content),
                                         Span(body_start, start), Span(start, end)))
                    break
                content.append(raw)
        return tuple(found), index


def _split_instruction(line: str, offset: int, escape: str) -> Instruction:
    """BuildKit's newNodeFromLine: keyword, flags and arguments of one logical line.

    `offset` is where `line` starts inside the logical line (non-zero for ONBUILD's inner
    instruction); every offset recorded is relative to the whole logical line.
    """
    lead = len(line) - len(lstrip_space(line))
    trimmed = trim_space(line)
    split = WHITESPACE_RUN.search(trimmed)
    keyword_text = trimmed[:split.start()] if split else trimmed
    rest_start = lead + (split.end() if split else len(trimmed))
    rest = line[rest_start:lead + len(trimmed)] if split else ""
    flags: list[str] = []
    arguments_at = rest_start + len(rest)
    if rest and "--" in rest:
        flag_end, flags = split_flags(rest)
        remainder = rest[flag_end:]
        arguments_at = rest_start + flag_end + len(remainder) - len(lstrip_space(remainder))
    elif rest:  # no flags (most instructions): the arguments start after any leading space
        arguments_at = rest_start + len(rest) - len(lstrip_space(rest))
    arguments = trim_space(line[arguments_at:rest_start + len(rest)]) if rest else ""
    keyword = keyword_text.upper()
    instruction = Instruction(Span(0, 0), 0, 0, keyword=keyword,
                              keyword_span=Span(offset + lead, offset + lead + len(keyword_text)),
                              flags=tuple(Flag(flag) for flag in flags),
                              arguments_start=offset + arguments_at)
    _dispatch(instruction, arguments, escape, offset + arguments_at)
    return instruction


def _dispatch(instruction: Instruction, rest: str, escape: str, rest_offset: int) -> None:
    keyword = instruction.keyword
    if keyword in ("RUN", "CMD", "ENTRYPOINT", "SHELL"):
        _maybe_json(instruction, rest)
    elif keyword in ("ADD", "COPY", "VOLUME"):
        array = _json_or_none(rest)
        if array is not None:
            instruction.json, instruction.values = True, tuple(array)
        else:
            instruction.values = _whitespace_split(rest)
    elif keyword in ("FROM", "EXPOSE"):
        instruction.values = _whitespace_split(rest)
    elif keyword == "ARG":
        instruction.values = tuple(parse_words(rest, escape))
    elif keyword in ("ENV", "LABEL"):
        instruction.values = _name_values(rest, keyword, escape)
    elif keyword in ("MAINTAINER", "STOPSIGNAL", "USER", "WORKDIR"):
        instruction.values = (rest,) if rest else ()
    elif keyword == "HEALTHCHECK":
        _healthcheck(instruction, rest)
    elif keyword == "ONBUILD":
        if rest:
            instruction.sub = _split_instruction(rest, rest_offset, escape)
            instruction.values = instruction.sub.values
            instruction.json = instruction.sub.json
    else:
        instruction.values = ("",)


def _json_or_none(rest: str) -> list[str] | None:
    try:
        return parse_json_array(rest)
    except NotStringArray as error:
        raise DockerfileError(str(error)) from None


def _maybe_json(instruction: Instruction, rest: str) -> None:
    if not rest:
        return
    array = _json_or_none(rest)
    if array is not None:
        instruction.json, instruction.values = True, tuple(array)
    else:
        instruction.values = (rest,)


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


def _healthcheck(instruction: Instruction, rest: str) -> None:
    sep = 0
    while sep < len(rest) and not is_space(rest[sep]):
        sep += 1
    if sep == 0:
        return
    after = sep
    while after < len(rest) and is_space(rest[after]):
        after += 1
    inner = Instruction(Span(0, 0), 0, 0)
    _maybe_json(inner, rest[after:])
    instruction.json = inner.json
    instruction.values = (rest[:sep],) + inner.values
