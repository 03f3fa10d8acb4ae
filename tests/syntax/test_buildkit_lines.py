"""Lines and heredocs exactly as BuildKit reads them, where Python's string methods differ.

BuildKit cuts a Dockerfile into lines at `\\n` only; `str.splitlines` also cuts at `\\r`, `\\v`,
`\\f`, `\\x1c`-`\\x1e`, `\\x85`, U+2028 and U+2029, and a rule that used it cut comments short.
BuildKit's shell lexer, which finds heredocs, splits words at Go's `unicode.IsSpace` (a no-break
space, `\\v`, U+3000, …), not only at blanks: where dockerfix missed a heredoc, rules edited its body.
"""
from __future__ import annotations

import dockerfile as buildkit
import pytest
from helpers import disagreement
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fixer
from fixer.rules import DOCKERFILE_RULES, find_rule
from fixer.syntax.edits import physical_lines
from fixer.syntax.words import GO_SPACE_CHARACTERS

# What str.splitlines or str.isspace treat as a line break or white space, and Go's unicode.IsSpace
# set: each is a line break, white space or neither to BuildKit, and must be so to dockerfix.
PYTHON_LINE_BREAKS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
ODD_CHARACTERS = sorted(set(PYTHON_LINE_BREAKS + GO_SPACE_CHARACTERS + "\x1f\u200b\ufeff") - {"\n"})

HEREDOC_TEMPLATES = [
    "FROM a\nRUN cat{c}<<E > /f\nRUN apk add curl\nE\n",
    "FROM a\nRUN{c}<<E\nx\nE\n",
    "FROM a\nRUN cat <<E{c}> /f\nx\nE\n",
    "FROM a\nRUN cat <<E{c}F\nx\nE\n",
    "FROM a\nRUN cat{c}2<<E\nx\nE\n",
    "FROM a\nRUN cat $X{c}<<E\nx\nE\n",
    "FROM a\nRUN cat ${{X}}{c}<<E\nx\nE\n",
    "FROM a\nRUN cat ${{X:-a{c}b}} <<E\nx\nE\n",
    "FROM a\nRUN cat \"<<E{c}\"\nx\nE\n",
    "FROM a\nRUN cat <<\"E{c}F\"\nx\nE{c}F\n",
    "FROM a\nRUN cat <<'E{c}F'\nx\nE{c}F\n",
    "FROM a\nRUN cat <<E\\{c}F\nx\nE{c}F\n",
    "FROM a\nRUN cat <<E\nx\nE{c}\n",
    "FROM a\nRUN cat <<-E\nx\n{c}E\n",
    "FROM a\nCOPY{c}<<E /f\nx\nE\n",
    "FROM a\nONBUILD RUN cat{c}<<E\nx\nE\n",
    "FROM a\nRUN echo a \\\n# c{c}d\n  <<E cat\nx\nE\n",
]


@pytest.mark.parametrize("template", HEREDOC_TEMPLATES)
@pytest.mark.parametrize("character", ODD_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_heredocs_start_where_buildkit_starts_them(template, character):
    assert disagreement(template.format(c=character)) is None


@pytest.mark.parametrize("character", ODD_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_no_rule_edits_a_heredoc_body_behind_unicode_white_space(character):
    text = f"FROM alpine\nRUN cat{character}<<EXPOSE > /setup.sh\nRUN apk add curl\nRUN apk add git\nEXPOSE\n" \
           "CMD ./server --port 8080\n"
    output = fixer.fix(text, rules=list(DOCKERFILE_RULES), unsafe_fixes=True).output
    if any(command.heredocs for command in buildkit.parse_string(text)):
        assert "RUN apk add curl\nRUN apk add git\nEXPOSE\n" in output


@pytest.mark.parametrize("character", ["²", "½", "Ⅷ", "〇", "٣", "é", "_"])
def test_heredoc_words_read_names_and_digits_as_go_does(character):
    # Go's unicode.IsDigit is Nd only (str.isdigit takes `²`), and RE2's \d is ASCII only.
    for text in (f"FROM a\nRUN cat ${{X{character}}} <<E\nx\nE\n", f"FROM a\nRUN cat {character}<<E\nx\nE\n",
                 f"FROM a\nRUN cat ${{{character}:-a b}} <<E\nx\nE\n"):
        assert disagreement(text) is None


heredoc_piece = st.sampled_from(["cat", " ", "<<E", "<<-E", "2<<E", "$X", "${X}", "'", '"', "\\", "x", ">", "f",
                                 *ODD_CHARACTERS])


@settings(max_examples=400, deadline=None)
@given(st.lists(heredoc_piece, max_size=8))
def test_heredocs_in_lines_with_unicode_white_space_agree_with_buildkit(pieces):
    assert disagreement(f"FROM a\nRUN {''.join(pieces)}\nE\nRUN echo after\n") is None


@pytest.mark.parametrize("character", ODD_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_instruction_and_comment_lines_agree_with_buildkit(character):
    for text in (f"FROM a\n# note{character}RUN rm -rf /\nRUN echo a{character}b\n",
                 f"FROM a\nRUN echo a \\\n# note{character}more\n  b\n",
                 f"FROM a\nRUN echo a \\{character}\n  b\n",
                 f"FROM a\n{character}# indented comment\nRUN echo b\n"):
        assert disagreement(text) is None


@given(st.text(alphabet="ab#\n\r" + PYTHON_LINE_BREAKS, max_size=30))
def test_physical_lines_cut_at_line_feeds_only(text):
    lines = physical_lines(text)
    assert "".join(lines) == text
    assert all(line.count("\n") == (1 if line.endswith("\n") else 0) for line in lines)
    assert len(lines) == text.count("\n") + (0 if text.endswith("\n") or not text else 1)


# Dockerfiles on which many rules have something to fix, with comment lines (between
# instructions and inside continuations) that hold a character str.splitlines cuts at. The
# comment is written with STAND_IN, a character of no meaning anywhere, and then with the odd
# character: every rule must do the same with both, so that no comment is cut short.
STAND_IN = "§"
comment_text = st.builds(lambda head, tail: f"{head}{STAND_IN}{tail}",
                         st.sampled_from(["# note", "  # why", "#"]), st.sampled_from(["more words", " x"]))
instruction = st.sampled_from([
    "RUN apk add git", "RUN apk add --no-cache make", "RUN apk update", "RUN rm -rf /var/cache/apk/*",
    "RUN apt-get update", "RUN apt-get install -y curl", "CMD ./server --port 8080", "ENTRYPOINT /app",
    "MAINTAINER Jane <jane@example.org>", "ADD app.tar /srv/", "ADD . /src", "RUN go build -o /app .",
    "COPY . .", "USER root", "EXPOSE 8080", "WORKDIR /src",
])


@st.composite
def commented_instruction(draw):
    """An instruction, maybe cut by a continuation with a comment line in it, maybe a comment above."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = draw(instruction)
    if draw(st.booleans()):
        keyword, rest = text.split(" ", 1)
        head, _, tail = rest.rpartition(" ")
        text = f"{keyword} {head} \\{newline}{draw(comment_text)}{newline}  {tail}" if head else \
            f"{keyword} \\{newline}{draw(comment_text)}{newline}  {tail}"
    if draw(st.booleans()):
        text = draw(comment_text) + newline + text
    return text + newline


@st.composite
def commented_dockerfile(draw):
    base = draw(st.sampled_from(["FROM alpine:3.20", "FROM golang:1.22", "FROM debian:12", "FROM scratch"]))
    return base + "\n" + "".join(draw(st.lists(commented_instruction(), min_size=1, max_size=6)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commented_dockerfile(), st.sampled_from(ODD_CHARACTERS), st.booleans())
def test_no_rule_cuts_a_comment_at_a_character_splitlines_breaks_at(text, character, unsafe):
    plain = fixer.fix(text, rules=list(DOCKERFILE_RULES), unsafe_fixes=unsafe).output
    odd = fixer.fix(text.replace(STAND_IN, character), rules=list(DOCKERFILE_RULES), unsafe_fixes=unsafe).output
    assert odd == plain.replace(STAND_IN, character)


@pytest.mark.parametrize("rule", ["DF004", "DF012", "DF014"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=commented_dockerfile(), character=st.sampled_from(ODD_CHARACTERS))
def test_rewrites_keep_every_comment_line_whole(rule, text, character):
    text = text.replace(STAND_IN, character)
    output = fixer.fix(text, rules=[find_rule(rule)]).output
    assert sorted(_comments(output)) == sorted(_comments(text))


def _comments(text: str) -> list[str]:
    return [line.strip(" \t\r\n") for line in physical_lines(text) if line.lstrip(" \t").startswith("#")]


FLAG_TEMPLATES = ["FROM a\nRUN --mount=type=cache,target=/x{c}y z\n", "FROM a\nRUN --mount{c}=x y\n",
                  'FROM a\nRUN --a="{c} b" y\n', "FROM a\nCOPY --chown=a{c}:b x y\n", "FROM a\nRUN --a=x {c}y\n",
                  "FROM a\nRUN --a\\{c}b y\n"]


@pytest.mark.parametrize("template", FLAG_TEMPLATES)
@pytest.mark.parametrize("character", [*ODD_CHARACTERS, "é", "à", "\u0105", "\u3042"], ids=lambda c: f"U+{ord(c):04X}")
def test_flags_are_split_on_bytes_as_buildkit_splits_them(template, character):
    """BuildKit's flag lexer reads bytes: 0x85 and 0xA0 end a flag (also as the last byte of `à`),
    U+3000 does not, and every byte of a flag is reported as a character of its own."""
    assert disagreement(template.format(c=character)) is None


def test_flags_that_end_inside_a_character_are_refused():
    with pytest.raises(fixer.DockerfileError, match="inside a character"):
        fixer.parse("FROM a\nRUN --x=\u0800 y\n")  # E0 A0 80: BuildKit's arguments would start at the byte 0x80


@pytest.mark.parametrize("line, raw", [
    ('COPY --chown="us er:g" --chmod=644 . .', ['--chown="us er:g"', "--chmod=644"]),
    ("COPY --chown=usér . .", ["--chown=usér"]),
    ("COPY --chown=à:b x y", ["--chown=à"]),  # BuildKit ends the flag at à's byte 0xA0
    ("RUN --mount=type=cache,target=/x\\ y z", ["--mount=type=cache,target=/x\\ y"]),
])
def test_each_flag_is_kept_as_written_beside_what_buildkit_reports(line, raw):
    text = f"FROM a\n{line}\n"
    flags = fixer.parse(text).instructions[1].flags
    assert [flag.raw for flag in flags] == raw
    assert [flag.text for flag in flags] == list(buildkit.parse_string(text)[1].flags)


@pytest.mark.parametrize("text", ["FROM alpine\nRUN cat <<'' > /f\nRUN echo hi\n",
                                  'FROM alpine\nRUN cat <<"" > /f\nRUN echo hi\n',
                                  "FROM alpine\nCOPY <<'' /f\nRUN apk add c\n\n"])
def test_an_empty_heredoc_word_starts_no_heredoc(text):
    assert disagreement(text) is None


@pytest.mark.parametrize("text", ["FROM a\nRUN <<E${$: cat <<E }\nE\n", "FROM a\nRUN <<E${X: cat <<E }\nE\n",
                                  "FROM a\nRUN <<E${X cat <<E }\nE\n"])
def test_a_heredoc_name_buildkit_cannot_process_is_refused_as_buildkit_refuses_it(text):
    assert disagreement(text) is None
