"""The insertion helpers every rule uses: a missing final line break and a dangling escape."""
from __future__ import annotations

import dockerfile as buildkit
import pytest

import fixer
from fixer.engine.fix import apply_fixes
from fixer.rules import Diagnostic, Fix, Rule
from fixer.syntax.edits import (
    CannotClose,
    Edit,
    append_lines,
    dangling_escape,
    insert_after,
    insert_before,
    lines_at,
    move_before,
    node_lines,
    removal,
)

RULE = Rule(id="T1", name="t", summary="t", check=lambda checker: (), fix_safety="safe")


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


def _removed(text: str, *indexes: int) -> str:
    tree = fixer.parse(text)
    return _applied(text, removal(tree, *(tree.instructions[index] for index in indexes)))


def test_a_removed_instruction_takes_the_comments_directly_above_it():
    text = "FROM alpine\n\n# refresh the index\nRUN apk update\n\nRUN apk add git\n"
    assert _removed(text, 1) == "FROM alpine\n\nRUN apk add git\n"


def test_a_comment_heading_a_paragraph_that_goes_on_stays():
    text = "FROM alpine\n\n# the packages\nRUN apk update\nRUN apk add git\n"
    assert _removed(text, 1) == "FROM alpine\n\n# the packages\nRUN apk add git\n"


def test_a_comment_between_two_instructions_belongs_to_the_one_below():
    text = "FROM alpine\nRUN a\n# why b\nRUN b\nRUN c\n"
    assert _removed(text, 2) == "FROM alpine\nRUN a\nRUN c\n"


def test_the_suppressions_of_a_removed_instruction_go_with_it_and_no_other():
    text = ("# hadolint global ignore=DL3006\nFROM alpine\n# dockerfix: ignore=DF003\n\n# the packages\n"
            "# hadolint ignore=DL3019\n# dockerfix: ignore-file=DF016\nRUN apk update\nRUN apk add git\n")
    assert _removed(text, 1) == ("# hadolint global ignore=DL3006\nFROM alpine\n\n# the packages\n"
                                 "# dockerfix: ignore-file=DF016\nRUN apk add git\n")


def test_a_stage_suppression_goes_when_it_would_cover_the_next_stage():
    text = "FROM alpine\n# dockerfix: ignore-stage=DF005\nRUN a\nFROM b\n"
    assert _removed(text, 1) == "FROM alpine\nFROM b\n"
    text = "FROM alpine\n# dockerfix: ignore-stage=DF005\nRUN a\nRUN b\n"
    assert _removed(text, 1) == "FROM alpine\n# dockerfix: ignore-stage=DF005\nRUN b\n"


def test_a_removal_leaves_no_doubled_blank_line_nor_one_at_either_end():
    assert _removed("FROM alpine\n\nRUN a\n\nRUN b\n", 1) == "FROM alpine\n\nRUN b\n"
    assert _removed("FROM alpine\n\nRUN a\n\nRUN b\n", 1, 2) == "FROM alpine\n"
    assert _removed("ARG V=1\n\nFROM alpine:$V\n", 0) == "FROM alpine:$V\n"
    assert _removed("FROM alpine\r\n\r\nRUN a\r\n\r\nRUN b\r\n", 2) == "FROM alpine\r\n\r\nRUN a\r\n"


def test_a_removal_at_the_end_of_a_file_without_a_final_line_break_or_with_an_open_continuation():
    assert _removed("FROM alpine\nRUN a\nRUN b", 2) == "FROM alpine\nRUN a\n"
    assert _removed("FROM alpine\nRUN a\nRUN b \\\n# a note\n", 2) == "FROM alpine\nRUN a\n"


@pytest.mark.parametrize("text", [
    "ARG V\n# escape=`\nFROM alpine\nRUN echo a `\n  b\n",
    "# syntax=docker/dockerfile:1\n# a note\nARG V\n# escape=`\nFROM alpine\nRUN echo a `\n  b\n",
    "# syntax=docker/dockerfile:1\nARG V\n# syntax=other\nFROM alpine\n",
    "ARG V\n\ufeffFROM alpine\n",  # U+FEFF at the start of the file would be a byte order mark
])
def test_a_removal_never_changes_what_the_top_of_the_file_means(text):
    result = _removed(text, 0)
    assert _commands(result) == _commands(text)[1:]
    assert fixer.parse(result).escape == fixer.parse(text).escape


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_lines_inserted_before_a_node_go_above_its_comments_with_the_files_line_breaks(newline):
    text = f"FROM alpine{newline}# about b{newline}RUN b{newline}"
    tree = fixer.parse(text)
    result = _applied(text, insert_before(tree, tree.instructions[1], ["USER 1", "EXPOSE 80"]))
    assert result == f"FROM alpine{newline}USER 1{newline}EXPOSE 80{newline}# about b{newline}RUN b{newline}"


@pytest.mark.parametrize("ending", ["", "\n", " \\", " \\\n", " \\\n# a note", " \\\n  \n", " \\\n  \\\n",
                                    " \\\n\u3000\\\n# a note \\\n\\"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_lines_inserted_after_the_last_node_or_appended_stay_instructions_of_their_own(ending, newline):
    text = f"FROM alpine{newline}RUN apk add git" + ending.replace("\n", newline)
    tree = fixer.parse(text)
    for edits in (insert_after(tree, tree.instructions[-1], ["USER 1"]), append_lines(tree, "USER 1")):
        result = _applied(text, edits)
        assert _commands(result) == [("FROM", ("alpine",)), ("RUN", ("apk add git",)), ("USER", ("1",))]
        assert result.endswith(f"{newline}USER 1{newline}")


def test_lines_inserted_after_a_node_inside_the_file_go_after_its_heredoc():
    text = "FROM alpine\nRUN <<EOF\napk add git\nEOF\nCMD x\n"
    tree = fixer.parse(text)
    result = _applied(text, insert_after(tree, tree.instructions[1], ["USER 1"]))
    assert result == "FROM alpine\nRUN <<EOF\napk add git\nEOF\nUSER 1\nCMD x\n"


def test_a_moved_node_takes_its_comments_and_leaves_its_dangling_escape():
    text = "FROM alpine\nCOPY . .\n\n# the packages\nRUN apk add git \\\n"
    tree = fixer.parse(text)
    result = _applied(text, move_before(tree, tree.instructions[2], tree.instructions[1]))
    assert result == "FROM alpine\n# the packages\nRUN apk add git\nCOPY . .\n"


@pytest.mark.parametrize("ending, open_at", [
    (" \\\\\n", None),                 # a doubled escape continues nothing
    ("\\\v\n", None),                  # \v is no blank BuildKit trims before the escape
    (" \\\n\x1c\n", None),             # \x1c is no white space to Go: a line that closes the RUN
    (" \\\n\u00a0# c \\\n", " \\\n"),  # a no-break space before `#` makes a comment line (Go's white space)
    (" \\\r\n", " \\\r\n"),
])
def test_a_dangling_escape_is_found_as_the_parser_finds_continuations(ending, open_at):
    text = "FROM alpine\nRUN echo a" + ending
    tree = fixer.parse(text)
    span = dangling_escape(tree, tree.nodes[-1])
    assert (span is None) == (open_at is None)
    if span is not None:
        assert text[span.start:].startswith(open_at.rstrip("\r\n"))
    result = _applied(text, append_lines(tree, ["USER 1"]))
    assert _commands(result)[:2] == _commands(text) and _commands(result)[-1] == ("USER", ("1",))


def test_nothing_is_put_after_an_open_line_that_removing_its_escape_leaves_open():
    text = "FROM alpine\nRUN echo a \\ \\\n"  # BuildKit: `echo a \`, a literal backslash last
    tree = fixer.parse(text)
    with pytest.raises(CannotClose, match="line 2"):
        append_lines(tree, ["USER 1"])
    with pytest.raises(CannotClose):
        node_lines(tree, tree.instructions[-1])
    tree = fixer.parse("FROM alpine\n\u2028 \\\n")  # an instruction of one escape character (and Go's white space)
    with pytest.raises(CannotClose, match="only a"):
        append_lines(tree, ["USER 1"])


def test_a_fix_that_would_append_after_such_a_line_is_refused_with_the_line_not_written_wrong():
    text = 'FROM alpine\nENTRYPOINT ["/app"]\nCOPY app /app \\ \\\n'  # DF005 would add a USER at the end
    try:
        output = fixer.fix(text, select=["ALL"], unsafe_fixes=True).output
    except fixer.DockerfileError as error:  # CannotClose: the file is reported, not changed
        assert error.line == 3
        return
    assert ("COPY", ("app", "/app", "\\")) in _commands(output)


@pytest.mark.parametrize("text, lines, after", [
    ("", ["a", "b"], "a\nb\n"),
    ("x\n", ["a"], "x\na\n"),
    ("x", ["a"], "x\na\n"),                  # the missing line break comes first
    ("x\r\ny\r\n", ["a"], "x\r\ny\r\na\r\n"),  # the file's own line breaks
    ("x\r\ny", ["a"], "x\r\ny\r\na\r\n"),
    ("x\n", [], "x\n"),
])
def test_lines_are_added_to_a_text_file_in_its_own_line_breaks(text, lines, after):
    from fixer.syntax.edits import text_with_lines

    assert text_with_lines(text, lines) == after
