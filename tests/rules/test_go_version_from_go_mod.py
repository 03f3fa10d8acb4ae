"""go-version-from-go-mod (DF015): which go.mod a stage builds with, how versions and tags
compare, and the table of the tags the golang image publishes. The fixtures show whole
cases; these pin the parts."""
from __future__ import annotations

import pytest

import fixer
from fixer.context import BuildContext
from fixer.rules import find_rule
from fixer.rules._support import gomodule
from fixer.rules.go_version_from_go_mod import (
    NO,
    UNKNOWN,
    YES,
    Requirement,
    Tag,
    _is_official,
    _new_enough,
    _version,
    golang_tags,
    parse_tag,
    published,
)
from fixer.rules.semantic import SemanticIndex
from fixer.syntax import parse

RULE = find_rule("DF015")
MAIN = "package main\n\nfunc main() {}\n"


def write(root, files: dict[str, str]):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def context_of(root) -> BuildContext:
    context = BuildContext(root, root / "Dockerfile")
    context.project = None
    return context


def go_mods(tmp_path, dockerfile: str, files: dict[str, str]) -> list[tuple[str | None, str]]:
    """(go.mod, problem) of each use of the first stage."""
    write(tmp_path, files)
    tree = parse(dockerfile)
    found = gomodule.uses(SemanticIndex(tree), tree.stages()[0], context_of(tmp_path))
    return [(use.go_mod, use.problem) for use in found]


def requirement(version: tuple[int, int, int]) -> Requirement:
    return Requirement(version, "go.mod", None, ".".join(map(str, version)))


@pytest.mark.parametrize("text, version", [
    ("1.21", (1, 21, 0)), ("1.21.0", (1, 21, 0)), ("1.21.3", (1, 21, 3)), ("1.21rc2", (1, 21, 0)),
    ("1.9", (1, 9, 0)), ("1.10", (1, 10, 0)), ("junk", None),
])
def test_go_lines_read_as_numbers(text, version):
    assert _version(text) == version


@pytest.mark.parametrize("tag, wanted, enough", [
    ("1.10", (1, 9, 0), True),         # compared as numbers, not as text
    ("1.9", (1, 10, 0), False),
    ("1.21", (1, 21, 0), True),        # `go 1.21` and `go 1.21.0` ask the same
    ("1.21.0", (1, 21, 0), True),
    ("1.21", (1, 21, 5), True),        # a minor tag moves to the newest patch
    ("1.21.4", (1, 21, 5), False),
    ("1.22.0", (1, 21, 9), True),
    ("1.24-alpine", (1, 23, 2), True),  # never lowered
])
def test_a_tag_is_new_enough_by_its_version(tag, wanted, enough):
    assert _new_enough(parse_tag(tag), requirement(wanted)) is enough


@pytest.mark.parametrize("text", ["latest", "alpine", "tip-trixie", "1", "1-alpine", "1.22rc1", "1.22-rc-alpine",
                                  "2.0", "bookworm"])
def test_only_numeric_release_tags_are_read(text):
    assert parse_tag(text) is None


def test_a_tag_keeps_its_variant():
    assert parse_tag("1.22.3-alpine3.20") == Tag(22, 3, "alpine3.20")
    assert Tag(24, None, "windowsservercore-ltsc2022").text() == "1.24-windowsservercore-ltsc2022"


@pytest.mark.parametrize("tag, needed_patch, status", [
    (Tag(24, None, "alpine3.21"), 0, YES),
    (Tag(24, None, "alpine3.19"), 0, NO),      # alpine3.19 had gone before Go 1.24
    (Tag(24, None, "alpine3.20"), 5, NO),      # 1.24-alpine3.20 stayed at 1.24.3
    (Tag(24, 5, "alpine3.20"), 5, NO),
    (Tag(24, 2, "alpine3.20"), 2, YES),
    (Tag(25, None, "bullseye"), 0, NO),        # bullseye ended with Go 1.24
    (Tag(24, None, "trixie"), 6, YES),
    (Tag(24, 5, "trixie"), 5, NO),             # trixie came with 1.24.6
    (Tag(16, None, "alpine3.16"), 0, NO),
    (Tag(30, None, ""), 0, YES),               # newer than the table: every release is published plain
    (Tag(30, 1, "alpine"), 1, YES),
    (Tag(30, None, "bookworm"), 0, UNKNOWN),
    (Tag(26, 99, "alpine"), 99, YES),          # a patch newer than the table
    (Tag(26, 99, "trixie"), 99, UNKNOWN),
    (Tag(27, None, "alpine3.25"), 0, UNKNOWN),  # a release the newest Go may still get
    (Tag(23, None, "nonsense"), 0, NO),
])
def test_published_tags_by_the_table(tag, needed_patch, status):
    assert published(tag, needed_patch)[0] == status


def test_the_table_is_well_formed():
    version, table = golang_tags()
    assert version
    for minor, variants in table.items():
        assert {"", "alpine"} <= variants.keys(), minor
        for ranges in variants.values():
            assert all(low <= high for low, high in ranges)
            assert all(earlier[1] < later[0] for earlier, later in zip(ranges, ranges[1:], strict=False))


@pytest.mark.parametrize("repository, official", [
    ("golang", True), ("library/golang", True), ("docker.io/library/golang", True), ("docker.io/golang", True),
    ("mirror.gcr.io/library/golang", True), ("public.ecr.aws/docker/library/golang", True),
    ("localhost:5000/golang", True), ("registry.example.com/base/golang", False), ("circleci/golang", False),
])
def test_the_official_image_and_its_mirrors(repository, official):
    assert _is_official(repository) is official


def test_the_go_mod_of_the_workdir_applies(tmp_path):
    files = {"go.mod": "module a\n\ngo 1.21\n", "tool/go.mod": "module b\n\ngo 1.24\n", "tool/main.go": MAIN}
    dockerfile = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nWORKDIR tool\nRUN go build -o /x .\n"
    assert go_mods(tmp_path, dockerfile, files) == [("tool/go.mod", "")]


@pytest.mark.parametrize("run, found", [
    ("cd tool && go build .", "tool/go.mod"),
    ("go -C tool build .", "tool/go.mod"),
    ("env CGO_ENABLED=0 go build ./cmd/x", "go.mod"),
    ('["go", "build", "-o", "/x", "."]', "go.mod"),
    ("xx-go build -o /x .", "go.mod"),
    ("go build ./tool/...", None),             # the pattern's root is another module
    ("go build -modfile=other.mod .", None),
])
def test_where_a_go_command_runs(tmp_path, run, found):
    files = {"go.mod": "module a\n\ngo 1.21\n", "tool/go.mod": "module b\n\ngo 1.24\n"}
    [(go_mod, problem)] = go_mods(tmp_path, f"FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN {run}\n", files)
    if found:
        assert (go_mod, problem) == (found, "")
    else:
        assert problem, "a go.mod that cannot be told is a problem said"


def test_a_package_of_a_nested_module_cannot_be_told(tmp_path):
    files = {"go.mod": "module a\n\ngo 1.21\n", "tools/x/go.mod": "module x\n\ngo 1.24\n"}
    [(go_mod, problem)] = go_mods(tmp_path, "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build ./tools/x\n",
                                  files)
    assert go_mod == "go.mod" and "another module (tools/x/go.mod)" in problem


@pytest.mark.parametrize("run", ["go install golang.org/x/tools/gopls@v0.16.0", "go version", "go env GOPATH",
                                 "GO111MODULE=off go build ."])
def test_go_commands_that_use_no_module_of_the_context(tmp_path, run):
    files = {"go.mod": "module a\n\ngo 1.24\n"}
    assert go_mods(tmp_path, f"FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN {run}\n", files) == []


def test_a_go_mod_from_another_stage_is_not_the_contexts(tmp_path):
    files = {"go.mod": "module a\n\ngo 1.24\n"}
    dockerfile = "FROM golang:1.22\nWORKDIR /src\nCOPY --from=source /src/go.mod ./\nRUN go build .\n"
    assert go_mods(tmp_path, dockerfile, files) == []


def test_a_cloned_repository_is_not_the_context(tmp_path):
    files = {"go.mod": "module a\n\ngo 1.24\n"}
    dockerfile = "FROM golang:1.22\nWORKDIR /src\nADD https://github.com/acme/tool.git#v1 .\nRUN go build .\n"
    assert go_mods(tmp_path, dockerfile, files) == []


def test_dockerignore_keeps_a_go_mod_out(tmp_path):
    files = {"go.mod": "module a\n\ngo 1.21\n", "tool/go.mod": "module b\n\ngo 1.24\n",
             ".dockerignore": "tool/go.mod\n"}
    dockerfile = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nWORKDIR tool\nRUN go build .\n"
    assert go_mods(tmp_path, dockerfile, files) == [("go.mod", "")]


def test_a_bind_mount_of_a_directory(tmp_path):
    files = {"go.mod": "module a\n\ngo 1.21\n", "svc/go.mod": "module b\n\ngo 1.24\n"}
    dockerfile = "FROM golang:1.22\nWORKDIR /app\nRUN --mount=source=svc,target=. go build -o /x .\n"
    assert go_mods(tmp_path, dockerfile, files) == [("svc/go.mod", "")]


def test_a_heredoc_script_is_followed(tmp_path):
    files = {"go.mod": "module a\n\ngo 1.21\n", "tool/go.mod": "module b\n\ngo 1.24\n"}
    dockerfile = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN <<EOT\nset -e\ncd tool\ngo build .\nEOT\n"
    assert go_mods(tmp_path, dockerfile, files) == [("tool/go.mod", "")]


def test_a_workspace_unless_gowork_is_off(tmp_path):
    files = {"go.work": "go 1.24\n\nuse ./app\n", "app/go.mod": "module a\n\ngo 1.22\n"}
    dockerfile = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nWORKDIR app\nRUN {}go build .\n"
    assert go_mods(tmp_path, dockerfile.format(""), files) == [("go.work", "")]
    assert go_mods(tmp_path, dockerfile.format("GOWORK=off "), files) == [("app/go.mod", "")]


def test_build_tools_count_only_without_go_commands(tmp_path):
    files = {"go.mod": "module a\n\ngo 1.24\n", "tool/go.mod": "module b\n\ngo 1.21\n"}
    dockerfile = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN make\nRUN cd tool && go build .\n"
    write(tmp_path, files)
    tree = parse(dockerfile)
    [use] = gomodule.uses(SemanticIndex(tree), tree.stages()[0], context_of(tmp_path))
    assert (use.command, use.go_mod, use.by_tool) == ("go build", "tool/go.mod", False)


def fixed(tmp_path, dockerfile: str, files: dict[str, str], unsafe: bool = False):
    write(tmp_path, files)
    return fixer.fix(dockerfile, rules=[RULE], unsafe_fixes=unsafe, context=context_of(tmp_path))


def test_the_newest_of_the_modules_built_wins(tmp_path):
    files = {"go.mod": "module a\n\ngo 1.22\n", "tool/go.mod": "module b\n\ngo 1.24.1\n"}
    dockerfile = ("FROM golang:1.21-bookworm AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /a .\n"
                  "RUN cd tool && go build -o /b .\n")
    result = fixed(tmp_path, dockerfile, files)
    assert result.output.startswith("FROM golang:1.24-bookworm AS build\n")
    assert "tool/go.mod asks for Go 1.24.1" in result.applied[0].message


def test_the_argument_of_a_later_stage(tmp_path):
    files = {"go.mod": "module a\n\ngo 1.24\n"}
    dockerfile = ("ARG GO_VERSION=1.22\nFROM alpine:3.22 AS certs\nRUN apk add ca-certificates\n"
                  "FROM golang:${GO_VERSION} AS build\nWORKDIR /src\nCOPY . .\nRUN go build .\n")
    assert fixed(tmp_path, dockerfile, files).output.startswith("ARG GO_VERSION=1.24\n")


def test_an_argument_whose_variant_has_no_default_is_unsafe(tmp_path):
    files = {"go.mod": "module a\n\ngo 1.24\n"}
    dockerfile = "ARG GO_VERSION=1.22\nARG DISTRO\nFROM golang:${GO_VERSION}-${DISTRO}\nCOPY . .\nRUN go build .\n"
    assert not fixed(tmp_path, dockerfile, files).changed
    result = fixed(tmp_path, dockerfile, files, unsafe=True)
    assert result.output.startswith("ARG GO_VERSION=1.24\n") and "${DISTRO}" in result.applied[0].reason


def test_the_fix_says_what_it_rests_on(tmp_path):
    files = {"go.mod": "module a\n\ngo 1.23\n"}
    result = fixed(tmp_path, "FROM golang:1.21\nWORKDIR /src\nCOPY . .\nRUN go build .\n", files)
    assert result.applied[0].evidence == ("`go build` in /src finds the context's go.mod: `go 1.23`",
                                          f"golang publishes `1.23` (dockerfix golang tag table {golang_tags()[0]})")


@pytest.mark.parametrize("dockerfile", [
    "FROM golang:1.22\nWORKDIR $NOWHERE\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache go build .\n",
    "FROM golang:1.22\nWORKDIR $NOWHERE\nRUN --mount=target=. go build .\n",
    "FROM golang:1.22\nWORKDIR /src\nCOPY . $NOWHERE\nRUN --mount=type=cache,target=$GOCACHE go build .\n",
])
def test_directories_that_cannot_be_told(tmp_path, dockerfile):
    assert go_mods(tmp_path, dockerfile, {"go.mod": "module a\n\ngo 1.24\n"}) == []


def test_an_absolute_workdir_after_one_that_cannot_be_told(tmp_path):
    dockerfile = "FROM golang:1.22\nWORKDIR $NOWHERE\nWORKDIR /src\nCOPY . .\nRUN go build .\n"
    assert go_mods(tmp_path, dockerfile, {"go.mod": "module a\n\ngo 1.24\n"}) == [("go.mod", "")]
