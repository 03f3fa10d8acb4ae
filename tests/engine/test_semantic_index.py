"""The semantic index: what rules derive from a tree, computed once per pass by the checker
that owns it, the same as the helpers compute afresh, and never written into the tree."""
from __future__ import annotations

import pytest

import fixer
from fixer.engine import check
from fixer.rules import DOCKERFILE_RULES
from fixer.rules._support.filesystem import directories_made
from fixer.rules._support.gobuild import go_builds, runtime_builds
from fixer.rules._support.stages import stage_chain
from fixer.rules.base import Checker
from fixer.syntax.shell import command_names, shell_view

DOCKERFILE = """\
ARG GO=1.23
FROM golang:${GO}-alpine AS base
ENV CGO_ENABLED=0
FROM base AS build
ARG VERSION=dev
USER builder
WORKDIR /src
COPY . .
RUN mkdir -p /out && GOOS=linux go build -o /out/app ./cmd/app
ONBUILD RUN echo later
FROM build AS test
RUN go test ./... && go install ./tools/x
FROM alpine:3.20
RUN apk add --no-cache ca-certificates
COPY --from=build /out/app /usr/local/bin/app
USER 65534
ENTRYPOINT ["/usr/local/bin/app"]
"""


@pytest.fixture
def index():
    return Checker(fixer.parse(DOCKERFILE)).index


def test_the_checker_owns_one_index_and_each_checker_its_own():
    tree = fixer.parse(DOCKERFILE)
    checker = Checker(tree)
    assert checker.index is checker.index and checker.index.tree is tree
    assert Checker(tree).index is not checker.index


def test_the_index_answers_as_the_helpers_do(index):
    tree, stages = index.tree, index.stages
    assert [[s.index for s in index.chain(stage)] for stage in stages] == [[0], [1, 0], [2, 1, 0], [3]]
    for stage in stages:
        assert index.chain(stage) == stage_chain(stages, stage)
        assert index.go_builds(stage) == go_builds(tree, stages, stage)
    for node in tree.instructions:
        assert index.shell_view(node) is shell_view(tree, node)
    assert index.runtime_builds() == runtime_builds(tree) and len(index.runtime_builds()) == 1
    assert {"mkdir", "go", "apk", "echo"} <= index.command_names
    assert directories_made(index, stages) == directories_made(tree, stages) == ["/out"]


def test_what_the_index_derives_is_computed_once_per_pass(index):
    build = index.stages[1]
    assert index.chain(build) is index.chain(build)
    assert index.go_builds(build) is index.go_builds(build)
    assert go_builds(index, index.stages, build) is index.go_builds(build)  # a helper handed the index reads it
    calls = []
    assert index.derived(("test", 1), lambda: calls.append(1) or "found") == "found"
    assert index.derived(("test", 1), lambda: calls.append(1) or "again") == "found" and calls == [1]


def test_users_and_variables(index):
    base, build, test, final = index.stages
    assert index.user(base) is None
    assert index.user(test).arguments == "builder"   # from the stage it is built FROM
    assert index.user(final).arguments == "65534"
    assert index.environment(build) == {"CGO_ENABLED": "0", "VERSION": "dev"}
    [go_build] = index.go_builds(build)
    assert go_build.environment == {"CGO_ENABLED": "0", "VERSION": "dev", "GOOS": "linux"}
    assert index.base_image(test).name == "golang"


def test_a_later_stage_of_a_name_is_not_its_own_base():
    tree = fixer.parse("FROM alpine AS x\nFROM x AS x2\nFROM x2 AS y\nFROM debian AS x\nFROM x\n")
    index = Checker(tree).index
    assert [[s.index for s in index.chain(stage)] for stage in index.stages] == [[0], [1, 0], [2, 1, 0], [3], [4, 3]]


def test_rules_write_nothing_into_the_tree():
    """Derived facts live in the index: after every rule has run, the tree holds only what the
    syntax layer derives for itself."""
    syntax_only = fixer.parse(DOCKERFILE)
    for node in syntax_only.instructions:
        shell_view(syntax_only, node)
    syntax_only.stages(), syntax_only.newline, command_names(syntax_only)  # noqa: B018 - the syntax layer's own
    tree = fixer.parse(DOCKERFILE)
    check(tree, list(DOCKERFILE_RULES), report_unused=True)
    assert not any(getattr(stage, "chain", None) is not None for stage in tree.stages())
    assert set(getattr(tree, "cache", {})) - set(getattr(syntax_only, "cache", {})) == set()
