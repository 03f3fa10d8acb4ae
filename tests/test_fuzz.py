"""A mutational fuzzer over the real files of ../shared/corpus.

Each example takes a corpus file and mutates it the ways real edits and real mistakes do:
lines deleted, duplicated, swapped or inserted from a Dockerfile-ish alphabet, line
endings switched, continuations added or removed, text cut short. For every mutant:
dockerfix either refuses it with a clean parse error or reads it exactly as BuildKit does
and prints it back byte for byte; fixing it gives a file BuildKit accepts, and fixing that
again changes nothing.

A fast slice runs with the suite; DOCKERFIX_FUZZ_EXAMPLES=5000 runs long. Every failure
found becomes a fixture in fixtures/syntax/ or fixtures/rules/.
"""
from __future__ import annotations

import dockerfile as buildkit
import pytest
from buildkit_oracle import disagreement
from conftest import corpus_files, needs_shared, read_utf8
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import EXAMPLES, LINE_PIECES

import fixer
from fixer.context import BuildContext

pytestmark = needs_shared
SETTINGS = settings(max_examples=max(EXAMPLES // 2, 60), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
EXTRA_LINES = LINE_PIECES + ["FROM golang:1.23", "COPY . .", "RUN go build -o /x .", "USER root", 'CMD ["/x"]',
                             "RUN apk add git && \\", "  # a comment", "WORKDIR /src", "FROM scratch",
                             "COPY --from=0 /x /x", "ENV A=1 \\", "RUN apt-get update", "RUN apt-get install -y x"]


def _texts() -> list[str]:
    texts = []
    for path in corpus_files():
        text = read_utf8(path)
        if text is not None and len(text) < 20000:
            texts.append(text)
    return texts


TEXTS = _texts() if corpus_files() else [""]


@st.composite
def mutant(draw):
    lines = draw(st.sampled_from(TEXTS)).splitlines(keepends=True) or ["FROM alpine\n"]
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "crlf", "continuation", "cut"]))
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        if kind == "delete" and len(lines) > 1:
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "insert":
            lines.insert(at, draw(st.sampled_from(EXTRA_LINES)) + draw(st.sampled_from(["\n", "\r\n"])))
        elif kind == "crlf":
            lines = [line.rstrip("\r\n") + "\r\n" if line.endswith("\n") else line for line in lines]
        elif kind == "continuation":
            line = lines[at].rstrip("\r\n")
            ending = lines[at][len(line):]
            lines[at] = (line[:-1] if line.endswith("\\") else line + " \\") + ending
        elif kind == "cut":
            text = "".join(lines)
            lines = [text[:draw(st.integers(0, len(text)))]]
    return "".join(lines)


@SETTINGS
@given(mutant(), st.booleans())
def test_mutated_corpus_files_parse_like_buildkit_and_fix_to_a_fixed_point(text, unsafe):
    assert disagreement(text) is None
    try:
        tree = fixer.parse(text)
    except fixer.DockerfileError:
        return
    assert tree.to_source() == text
    try:
        once = fixer.fix(text, unsafe_fixes=unsafe, select=["ALL"])
    except fixer.DockerfileError:
        return  # grammar accepted, but not a buildable file (unknown instruction): refused
    buildkit.parse_string(once.output)
    assert fixer.fix(once.output, unsafe_fixes=unsafe, select=["ALL"]).output == once.output


@pytest.mark.parametrize("runtime", ["alpine", "scratch", "distroless"])
def test_every_corpus_file_with_every_rule_and_unsafe_fixes_stays_valid(runtime, tmp_path):
    context = BuildContext(tmp_path)
    for text in TEXTS:
        try:
            result = fixer.fix(text, select=["ALL"], unsafe_fixes=True, context=context,
                               options={"runtime_base": runtime})
        except fixer.DockerfileError:
            continue
        buildkit.parse_string(result.output)
        again = fixer.fix(result.output, select=["ALL"], unsafe_fixes=True, context=context,
                          options={"runtime_base": runtime})
        assert again.output == result.output
