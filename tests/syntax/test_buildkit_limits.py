"""Where BuildKit's limits and Go's decoding draw the line, checked against BuildKit's parser.

A line is read with bufio.Scanner: its 64 KiB buffer holds the line and its `\\n`, so 65,535
bytes before the `\\n` pass (a `\\r` before it and the first line's byte order mark count) and
one more byte fails. An exec-form array is decoded with Go's encoding/json into interfaces: a
number that rounds to infinity as a float64 (`1e400`, a 400-digit integer) is an error, so
the instruction is shell form; a finite number makes it an array of something other than strings.
"""
from __future__ import annotations

import pytest
from helpers import disagreement

import fixer
from fixer.syntax.words import NotStringArray, parse_json_array

LIMIT = 65535


def _run_line(size: int, end: str = "\n", character: str = "a") -> str:
    """`RUN …` of `size` bytes before its line break, `character` repeated (1 or 2 bytes)."""
    width = len(character.encode())
    body = character * ((size - 4) // width) + "a" * ((size - 4) % width)
    return "RUN " + body + end


LINES = [  # by the bytes before the `\n`: the limit and one more
    pytest.param(_run_line(size - end.count("\r"), end), id=f"{size}{name}")
    for size in (LIMIT, LIMIT + 1)
    for end, name in (("\n", "-lf"), ("\r\n", "-crlf"), ("", "-at-end"))
] + [
    pytest.param(_run_line(size, character="é"), id=f"{size}-two-byte-characters") for size in (LIMIT, LIMIT + 1)
] + [
    pytest.param("#" + "c" * (size - 1) + "\nRUN x\n", id=f"{size}-comment") for size in (LIMIT, LIMIT + 1)
]


@pytest.mark.parametrize("line", LINES)
def test_line_length_limit_is_buildkits(line):
    text = "FROM alpine\n" + line
    assert disagreement(text) is None


@pytest.mark.parametrize("size", [LIMIT - 3, LIMIT - 2])
def test_the_byte_order_mark_counts_in_the_first_line(size):
    text = "\ufeffFROM " + "a" * (size - 5) + "\nRUN x\n"
    assert disagreement(text) is None


def test_a_line_of_exactly_the_limit_is_read():
    """65,535 bytes and a `\\n` (or 65,534 and `\\r\\n`): BuildKit builds it."""
    for line in (_run_line(LIMIT), "RUN " + "a" * (LIMIT - 5) + "\r\n"):
        tree = fixer.parse("FROM alpine\n" + line)
        assert tree.instructions[-1].keyword == "RUN"
    with pytest.raises(fixer.DockerfileError, match="65535"):
        fixer.parse("FROM alpine\n" + _run_line(LIMIT + 1))


NUMBERS = ["1e400", "-1e400", "9" * 400, "1.7976931348623159e308", "1e-400", "9" * 300,
           "1.7976931348623157e308", "0", "-0.5"]


@pytest.mark.parametrize("arguments", [f"[{number}]" for number in NUMBERS] + [
    '["a", 1e400]', "[1, 1e400]", "[[1e400]]", '[{"a": 1e400}]', '["sh", "-c"] 1e400', "[" + "1" * 5000 + "]",
])
def test_json_numbers_decode_as_go_decodes_them(arguments):
    assert disagreement(f"FROM alpine\nCMD {arguments}\n") is None


def test_a_number_go_cannot_hold_makes_shell_form():
    assert parse_json_array("[1e400]") is None
    assert parse_json_array("[" + "9" * 400 + "]") is None
    with pytest.raises(NotStringArray):
        parse_json_array("[1e300]")
    tree = fixer.parse("FROM alpine\nCMD [1e400]\n")
    assert not tree.instructions[-1].json
