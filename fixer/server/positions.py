"""Offsets in a text (Python string indices) and LSP positions, both ways.

An LSP position is a line and a character within it. Lines end at `\\n`, `\\r\\n` or a lone
`\\r`; characters are counted in the code units of the encoding the client and the server
agreed on at initialization: UTF-16 unless the client offered another (a character outside
the Basic Multilingual Plane is two UTF-16 units, one UTF-32 unit, four UTF-8 units).
"""
from __future__ import annotations

import bisect
import re

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class PositionMap:
    """One text's LSP positions, for the encoding agreed on."""

    def __init__(self, text: str, encoding: str = UTF16):
        self.text = text
        self.encoding = encoding
        self.starts = [0] + [match.end() for match in _LINE_BREAK.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        """(line, character) of `offset`, 0-based both."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return line, self.units(self.text[start:offset])

    def offset(self, line: int, character: int) -> int:
        """The offset of a position. As LSP says, a character past the end of its line means
        the line's end, and a line past the last means the end of the text; a position inside
        a character (between the two UTF-16 units of one) means that character's start."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.line_end(line)
        offset, remaining = start, max(character, 0)
        while offset < end and remaining > 0:
            remaining -= self.units(self.text[offset])
            if remaining < 0:
                break
            offset += 1
        return offset

    def line_end(self, line: int) -> int:
        """The offset where `line`'s content ends, before its line break."""
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        while end > self.starts[line] and self.text[end - 1] in "\r\n":
            end -= 1
        return end

    def units(self, text: str) -> int:
        """How many code units of the encoding `text` is."""
        if self.encoding == UTF32:
            return len(text)
        if self.encoding == UTF8:
            return len(text.encode("utf-8", "surrogatepass"))
        if text.isascii():
            return len(text)
        return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)
