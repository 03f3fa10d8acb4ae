"""Offsets and LSP positions: lines as LSP ends them, characters in the agreed encoding."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fixer.server.positions import UTF8, UTF16, UTF32, PositionMap

TEXT = "a😀b\r\né\rx\n"  # an astral character, CRLF, a lone CR, a final line break


@pytest.mark.parametrize(("encoding", "after_emoji"), [(UTF16, 3), (UTF8, 5), (UTF32, 2)])
def test_characters_are_counted_in_the_agreed_encoding(encoding, after_emoji):
    positions = PositionMap(TEXT, encoding)
    assert positions.position(2) == (0, after_emoji)
    assert positions.offset(0, after_emoji) == 2


def test_lines_end_at_crlf_a_lone_cr_and_lf():
    positions = PositionMap(TEXT)
    assert positions.starts == [0, 5, 7, 9]
    assert positions.position(5) == (1, 0) and positions.position(7) == (2, 0)
    assert positions.position(len(TEXT)) == (3, 0)
    assert positions.line_end(0) == 3  # before the CRLF


def test_out_of_range_positions_are_clamped_as_lsp_says():
    positions = PositionMap(TEXT)
    assert positions.offset(0, 99) == 3          # past the end of its line: the line's end
    assert positions.offset(99, 0) == len(TEXT)  # past the last line: the end of the text
    assert positions.offset(0, 2) == 1           # inside the surrogate pair: the character's start
    assert positions.offset(-1, 5) == 0
    assert positions.position(-3) == (0, 0) and positions.position(10_000) == (3, 0)


@given(st.lists(st.sampled_from(["a", "é", "😀", "\n", "\r", "\r\n", " "]), max_size=40).map("".join),
       st.sampled_from([UTF8, UTF16, UTF32]))
def test_every_offset_comes_back_from_its_position(text, encoding):
    positions = PositionMap(text, encoding)
    for offset in range(len(text) + 1):
        if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
            continue  # between the two characters of a CRLF: no position of its own
        assert positions.offset(*positions.position(offset)) == offset
