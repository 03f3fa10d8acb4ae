"""The syntax tree: byte-for-byte round trip and exactly BuildKit's reading of each file."""
from __future__ import annotations

import pytest
from helpers import (
    FIXTURES,
    buildkit_view,
    corpus_files,
    disagreement,
    history_files,
    needs_shared,
    our_view,
    read_utf8,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import fixer
from fixer.syntax import words
from fixer.syntax.tree import Flag, Instruction, Span

GRAMMAR_FIXTURES = sorted((FIXTURES / "syntax").glob("*.Dockerfile"))


def _text(path) -> str:
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("path", GRAMMAR_FIXTURES, ids=lambda p: p.stem)
def test_grammar_corner_agrees_with_buildkit(path):
    text = _text(path)
    assert disagreement(text) is None
    rejected = isinstance(buildkit_view(text), str)
    assert rejected == path.stem.startswith("reject-"), "fixture name says whether BuildKit rejects it"


@pytest.mark.parametrize("path", [p for p in GRAMMAR_FIXTURES if not p.stem.startswith("reject-")],
                         ids=lambda p: p.stem)
def test_grammar_corner_round_trips(path):
    text = _text(path)
    tree = fixer.parse(text)
    assert tree.to_source() == text
    assert str(tree) == text


def test_every_character_has_exactly_one_owner():
    text = _text(FIXTURES / "syntax" / "continuation-comment-and-blank-lines.Dockerfile")
    tree = fixer.parse(text)
    position = len(tree.bom)
    for node in tree.nodes:
        assert node.span.start == position
        position = node.span.end
    assert position == len(text)


def test_logical_line_maps_back_to_source():
    text = "FROM alpine\nRUN apk add \\\n  # comment\n    git\n"
    tree = fixer.parse(text)
    run = tree.instructions[1]
    assert run.logical.text == "RUN apk add     git"
    git_at = run.logical.text.index("git")
    span = run.logical.source_span(git_at, git_at + 3)
    assert text[span.start:span.end] == "git"


def test_heredoc_spans_cover_body_and_terminator():
    text = "FROM alpine\nRUN <<EOF\necho hi\nEOF\nCMD x\n"
    heredoc = fixer.parse(text).instructions[1].heredocs[0]
    assert text[heredoc.body.start:heredoc.body.end] == "echo hi\n"
    assert text[heredoc.terminator.start:heredoc.terminator.end] == "EOF\n"


# What BuildKit's shell lexer makes of the words around `<<` decides whether there is a
# heredoc at all (where it fails, there is none): expansions, quotes and escapes, mixed.
heredoc_line_piece = st.sampled_from(["${", "}", "$", "V", "1", "#", "%", "/", ":", "-", "+", "?", "=", "^", "@",
                                      "'", '"', "\\", " ", "x", "<<E", "$(", ")", "`", "{"])


@settings(max_examples=400, deadline=None)
@given(st.lists(heredoc_line_piece, max_size=8), st.lists(heredoc_line_piece, max_size=8))
def test_heredocs_are_found_where_buildkit_finds_them(before, after):
    text = f"FROM a\nRUN {''.join(before)} cat <<E {''.join(after)}\nE\n"
    assert disagreement(text) is None


def test_parse_error_names_the_line():
    with pytest.raises(fixer.DockerfileError) as caught:
        fixer.parse("FROM alpine\n\nRUN <<EOF\nnever ends\n")
    assert caught.value.line == 3
    assert "unterminated heredoc" in caught.value.message


@needs_shared
@pytest.mark.parametrize("path", corpus_files() + history_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_real_file_round_trips_and_agrees_with_buildkit(path):
    text = read_utf8(path)
    if text is None:
        pytest.skip("UTF-16 file: BuildKit rejects it too (covered by the CLI tests)")
    assert disagreement(text) is None
    if not isinstance(our_view(text), str):
        assert fixer.parse(text).to_source() == text


# Flags and ENV/LABEL/ARG words without quotes or escapes take a fast path: it must split
# exactly as BuildKit's character-by-character lexers (kept for the quoted case) do.
_UNQUOTED = st.text(alphabet="-=ab \t\u00a0\u2003`", max_size=24)


@settings(max_examples=500, deadline=None)
@given(line=_UNQUOTED)
def test_unquoted_flags_split_as_the_full_lexer_splits_them(line):
    assert words._split_plain_flags(line) == words._split_quoted_flags(line)


@settings(max_examples=500, deadline=None)
@given(rest=_UNQUOTED.filter(lambda text: "\\" not in text))
def test_unquoted_words_split_as_the_full_lexer_splits_them(rest):
    assert words.parse_words(rest, "\\") == words._parse_quoted_words(rest, "\\")


@settings(max_examples=1000, deadline=None)
@given(rest=st.text(alphabet="a= \t\u00a0'\"\\`", max_size=24), escape=st.sampled_from(["\\", "`"]))
def test_quoted_words_split_as_the_full_lexer_splits_them(rest, escape):
    assert words.parse_words(rest, escape) == words._parse_quoted_words(rest, escape)


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.text(alphabet="-=mo", max_size=7).map(lambda text: "--" + text), max_size=4),
       name=st.sampled_from(["m", "mo", "o", ""]))
def test_flag_values_read_flags_as_their_name_and_value_do(texts, name):
    node = Instruction(Span(0, 0), 0, 0, flags=tuple(Flag(text, text) for text in texts))
    assert node.flag_values(name) == [flag.value or "" for flag in node.flags if flag.name == name]


@pytest.mark.parametrize("first_line", ["#\u00a0escape=`", "# escape=`\v", "#\vescape=`", "# escape =\t` \t",
                                        "#escape=`\f", "# syntax=x" + " " * 2000 + "y", "# escape= "])
def test_directives_are_read_with_go_whitespace(first_line):
    """Go's \\s is [\\t\\n\\f\\r ]: a no-break space or \\v does not make a directive."""
    text = f"{first_line}\nFROM alpine\nRUN echo a `\n  b\nRUN echo c\n"
    assert disagreement(text) is None


def test_the_default_keyword_span_is_one_value_nobody_can_change():
    first, second = Instruction(Span(0, 0), 1, 1), Instruction(Span(5, 9), 2, 2)
    assert first.keyword_span is second.keyword_span
    with pytest.raises(AttributeError):
        first.keyword_span.end = 3
    with pytest.raises(AttributeError):
        first.span.start = 1


def test_what_the_parser_caches_across_files_holds_only_immutable_values():
    from fixer.syntax.parser import _split_cached

    text = ("FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nONBUILD RUN --mount=type=cache,target=/x go build\n"
            'COPY --chown=1:1 ["a", "b"]\nENV A=1 B="2 3"\nHEALTHCHECK --interval=5s CMD ["true"]\n')
    tree = fixer.parse(text)
    for node in tree.instructions:
        hash(_split_cached(node.logical.text, tree.escape))  # a list or a mutable record anywhere: TypeError
        hash((node.span, node.keyword_span, node.logical, node.flags, node.heredocs))


def test_a_tree_hands_out_tuples_and_shares_no_node_with_an_earlier_parse():
    text = "ARG V=1\nFROM alpine AS a\nRUN echo a\nFROM a\nCOPY x y\n"
    earlier = fixer.parse(text)
    tree = fixer.parse(text + "USER 1\n")
    assert all(isinstance(sequence, tuple) for sequence in (tree.nodes, tree.instructions, tree.stages(),
                                                             tree.stages()[0].instructions))
    assert [[node.keyword for node in stage.instructions] for stage in tree.stages()] == [
        ["FROM", "RUN"], ["FROM", "COPY", "USER"]]
    assert not {id(node) for node in earlier.nodes} & {id(node) for node in tree.nodes}
    assert fixer.parse("ARG V=1\n").stages() == ()
    assert tree.stages()[0].name == "a" and tree.stages()[1].name is None
    with pytest.raises(AttributeError):
        tree.stages()[0].instructions = ()
