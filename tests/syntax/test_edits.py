"""The insertion helpers every rule uses: a missing final line break and a dangling escape."""
from __future__ import annotations

import dockerfile as buildkit

import fixer
from fixer.engine.fix import apply_fixes
from fixer.rules import Diagnostic, Fix, Rule
from fixer.syntax.edits import Edit, dangling_escape, lines_at, node_lines

RULE = Rule(id="T1", name="t", summary="t", check=lambda checker: ())


def _applied(text: str, edits) -> str:
    return apply_fixes(text, [Diagnostic(RULE, 1, "m", Fix(tuple(edits), "safe"))])[0]


def _commands(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(node.cmd, tuple(node.value)) for node in buildkit.parse_string(text)]


def test_a_line_appended_after_a_dangling_escape_stays_an_instruction_of_its_own():
    text = "FROM alpine\nCOPY app /app \\\n"
    tree = fixer.parse(text)
    result = _applied(text, lines_at(tree, len(text), "USER 1:1\n"))
    assert result == "FROM alpine\nCOPY app /app\nUSER 1:1\n"
    assert _commands(result)[-1] == ("USER", ("1:1",))


def test_a_dangling_escape_followed_by_comment_lines_is_found():
    text = "FROM alpine\nRUN echo a \\\n# a note\n"
    tree = fixer.parse(text)
    span = dangling_escape(tree, tree.nodes[-1])
    assert span is not None and text[span.start:span.end] == " \\"


def test_a_closed_last_instruction_has_no_dangling_escape():
    closed = ("FROM alpine\nRUN echo a\n", "FROM alpine\nRUN echo a \\\n  b\n", "FROM alpine\nRUN <<EOF\nx \\\nEOF\n")
    for text in closed:
        tree = fixer.parse(text)
        assert dangling_escape(tree, tree.nodes[-1]) is None, text


def test_the_escape_directive_decides_which_character_dangles():
    text = "# escape=`\nFROM alpine\nRUN echo a \\ `\n"
    tree = fixer.parse(text)
    span = dangling_escape(tree, tree.nodes[-1])
    assert text[span.start:span.end] == " `"


def test_a_file_without_a_final_line_break_gets_one_before_the_new_line():
    text = "FROM alpine\r\nRUN echo a"
    tree = fixer.parse(text)
    assert _applied(text, lines_at(tree, len(text), "USER 1:1\r\n")) == "FROM alpine\r\nRUN echo a\r\nUSER 1:1\r\n"


def test_an_insertion_inside_the_file_is_only_the_insertion():
    text = "FROM alpine\nRUN a\n"
    tree = fixer.parse(text)
    assert lines_at(tree, 12, "USER 1:1\n") == (Edit(12, 12, "USER 1:1\n"),)


def test_a_moved_instruction_leaves_its_dangling_escape_behind():
    text = "FROM alpine\nCOPY . .\nRUN apk add git \\\n"
    tree = fixer.parse(text)
    assert node_lines(tree, tree.nodes[-1]) == "RUN apk add git\n"
    assert node_lines(tree, tree.nodes[1]) == "COPY . .\n"
