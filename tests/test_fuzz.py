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
from conftest import SHARED, corpus_files, needs_shared, read_utf8
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


def _compose_texts() -> list[str]:
    texts = []
    for path in sorted((SHARED / "compose").glob("*/*")):
        if path.suffix in (".yml", ".yaml"):
            texts.append(path.read_bytes().decode("utf-8"))
    return texts or ["services: {}\n"]


COMPOSE_TEXTS = _compose_texts() if (SHARED / "compose").is_dir() else ["services: {}\n"]
COMPOSE_LINES = ["version: '3'", "    depends_on:", "      - db", "    links:", "      - db", "  db:",
                 "    healthcheck:", "      test: [CMD, true]", "    environment:", "      DB_PASSWORD: x",
                 "    privileged: true", "# a comment", "", "x-a: &a {b: 1}", "    <<: *a", "---"]


@st.composite
def compose_mutant(draw):
    lines = draw(st.sampled_from(COMPOSE_TEXTS)).splitlines(keepends=True) or ["services: {}\n"]
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        kind = draw(st.sampled_from(["delete", "duplicate", "insert", "crlf"]))
        if kind == "delete" and len(lines) > 1:
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "insert":
            lines.insert(at, draw(st.sampled_from(COMPOSE_LINES)) + "\n")
        elif kind == "crlf":
            lines = [line.rstrip("\r\n") + "\r\n" if line.endswith("\n") else line for line in lines]
    return "".join(lines)


@SETTINGS
@given(compose_mutant(), st.booleans())
def test_mutated_compose_files_are_refused_cleanly_or_fixed_to_a_fixed_point(text, unsafe):
    from fixer.engine.compose import fix_compose
    from fixer.rules import ALL_RULES
    from fixer.syntax.compose import ComposeError, load

    rules = [rule for rule in ALL_RULES if rule.kind == "compose"]
    try:
        load(text)
    except ComposeError:
        return
    result = fix_compose(text, rules=rules, unsafe_fixes=unsafe)
    load(result.output)
    assert fix_compose(result.output, rules=rules, unsafe_fixes=unsafe).output == result.output
