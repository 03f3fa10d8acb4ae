"""Property tests over generated Dockerfiles: round trip, BuildKit agreement, idempotence.

Two generators: one builds files from the grammar's pieces (directives, continuations with
comment and blank lines, heredocs, flags, JSON and shell forms, CRLF, BOM); the other glues
random lines from a small Dockerfile-ish alphabet, which finds the corners nobody wrote down.
Set DOCKERFIX_FUZZ_EXAMPLES for a longer run.
"""
from __future__ import annotations

import os

import dockerfile as buildkit
from buildkit_oracle import disagreement
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fixer

EXAMPLES = int(os.environ.get("DOCKERFIX_FUZZ_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

newline = st.sampled_from(["\n", "\r\n"])
space = st.sampled_from(["", " ", "  ", "\t"])
word = st.sampled_from(["git", "curl", "ca-certificates", "make", "$PKG", "\"a b\"", "'c d'", "x\\ y",
                        "--virtual", ".build-deps", "-U", "--update", "--no-cache"])
command = st.one_of(
    st.builds(lambda ws: "apk add " + " ".join(ws), st.lists(word, min_size=1, max_size=4)),
    st.sampled_from(["apk update", "go mod download", "CGO_ENABLED=0 go build -o /app .", "echo hi # note",
                     "rm -rf /var/cache/apk/*", "if [ -n \"$X\" ]; then apk add git; fi", "true || false"]),
)
separator = st.sampled_from([" && ", "; ", " || ", " | "])


@st.composite
def run_instruction(draw):
    parts = draw(st.lists(command, min_size=1, max_size=4))
    nl = draw(newline)
    text = draw(st.sampled_from(["RUN ", "run ", "RUN --mount=type=cache,target=/var/cache/apk ",
                                 "ONBUILD RUN "]))
    for index, part in enumerate(parts):
        if index:
            text += draw(separator)
            if draw(st.booleans()):
                text += "\\" + draw(space) + nl
                text += draw(st.sampled_from(["", "  # a comment" + nl, draw(space) + nl]))
                text += draw(space)
        text += part
    return text + nl


@st.composite
def other_instruction(draw):
    nl = draw(newline)
    return draw(st.sampled_from([
        "FROM golang:1.23 as build", "FROM alpine:3.20 AS run", "from scratch", "FROM --platform=$X alpine",
        'CMD ["/app", "serve"]', "CMD /app serve", "ENTRYPOINT ['/app']", "ENV A=1 B=\"two words\"",
        "ENV OLD style value", "LABEL a=b", "ARG VERSION", "COPY --from=build /app /app", "WORKDIR /src",
        "EXPOSE 8080", "USER 65534:65534", "HEALTHCHECK CMD wget -q -O- localhost", "# a comment", "",
        "   ", "COPY <<EOF /etc/x" + nl + "content" + nl + "EOF", "RUN <<-EOT" + nl + "\techo" + nl + "\tEOT",
        'RUN ["apk", "add", "git"]', "SHELL [\"/bin/bash\", \"-c\"]",
    ])) + draw(space) + nl


@st.composite
def dockerfile_text(draw):
    text = draw(st.sampled_from(["", "\ufeff"]))
    if draw(st.booleans()):
        text += "# syntax=docker/dockerfile:1" + draw(newline)
    text += "FROM alpine:3.20" + draw(newline)
    body = draw(st.lists(st.one_of(run_instruction(), other_instruction()), min_size=1, max_size=8))
    text += "".join(body)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text


def _agrees_and_round_trips(text: str) -> bool:
    """Both parsers read `text` alike; if it parses, it prints back unchanged. False if rejected."""
    assert disagreement(text) is None
    try:
        tree = fixer.parse(text)
    except fixer.DockerfileError:
        return False
    assert tree.to_source() == text
    return True


def _accepted_by_buildkit(text: str) -> bool:
    try:
        buildkit.parse_string(text)
        return True
    except buildkit.GoParseError:
        return False


@SETTINGS
@given(dockerfile_text())
def test_generated_files_agree_round_trip_and_fix_idempotently(text):
    if not _agrees_and_round_trips(text):
        return
    try:
        once = fixer.fix(text).output
    except fixer.DockerfileError:
        return  # valid grammar but not buildable (e.g. an unknown instruction): refused, not fixed
    assert _accepted_by_buildkit(once)
    assert fixer.fix(once).output == once


LINE_PIECES = ["FROM a", "RUN x", "RUN a \\", "\\", "`", "# escape=`", "# syntax=x", "#", "", "  ", "\t",
               "COPY <<EOF /x", "RUN <<-EOF", "EOF", "\tEOF", "RUN 3<<E cat", "E", 'CMD ["a"]', "CMD [1]",
               "ENV a", "ENV a=b c", "ONBUILD RUN x", "LABEL a=\"b", "RUN echo '<<EOF'", "HEALTHCHECK",
               "RUN --mount=type=cache,target=/x -- y", "ARG x=\"a b\"", "RUN apk add git # c \\"]


@SETTINGS
@given(st.lists(st.sampled_from(LINE_PIECES), min_size=1, max_size=10),
       st.lists(st.sampled_from(["\n", "\r\n", " \n", "\\\n"]), min_size=10, max_size=10),
       st.booleans())
def test_random_line_soup_agrees_with_buildkit(pieces, endings, final_newline):
    text = "".join(piece + ending for piece, ending in zip(pieces, endings, strict=False))
    if not final_newline:
        text = text.rstrip("\r\n")
    _agrees_and_round_trips(text)
