"""Which Go program the final image runs: the links from the command to the build, the
build to its package, the package to the module in the build context."""
from __future__ import annotations

import pytest

from fixer.context import BuildContext
from fixer.context.goprogram import forget_programs
from fixer.rules._support.runtime_program import runtime_program
from fixer.rules._support.stages import final_stage
from fixer.rules.base import Checker
from fixer.syntax.parser import parse

MAIN = 'package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe(":8080", nil) }\n'


@pytest.fixture
def context(tmp_path):
    forget_programs()
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.22\n")
    (tmp_path / "cmd" / "server").mkdir(parents=True)
    (tmp_path / "cmd" / "server" / "main.go").write_text(MAIN)
    (tmp_path / "main.go").write_text(MAIN)
    yield BuildContext(tmp_path, tmp_path / "Dockerfile")
    forget_programs()


def running(text: str, context):
    tree = parse(text)
    stages, final = final_stage(tree)
    return runtime_program(Checker(tree, context), stages, final)


def test_entrypoint_is_the_binary_the_builder_makes(context):
    found = running("FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/server ./cmd/server\n"
                    "FROM alpine:3.20\nCOPY --from=build /out/server /usr/local/bin/server\nENTRYPOINT [\"server\"]\n",
                    context)
    assert found.program is not None and found.program.package == "cmd/server"
    assert found.evidence[0] == "ENTRYPOINT (line 7) runs server, which `go build` makes at line 4"


def test_a_binary_named_after_its_package_is_found_through_the_copy(context):
    found = running("FROM golang:1.22 AS build\nWORKDIR /go/src/app\nCOPY . .\nRUN go build .\n"
                    "FROM alpine:3.20\nCOPY --from=build /go/src/app/app /usr/bin/tool\n"
                    "ENTRYPOINT [\"/usr/bin/tool\"]\n",
                    context)
    assert found.program is not None and found.program.package == "."


def test_files_copied_one_by_one_that_agree_on_their_origin(context):
    found = running("FROM golang:1.22 AS build\nWORKDIR /w\nCOPY go.mod ./\nCOPY cmd cmd\n"
                    "RUN go build -o /server ./cmd/server\nFROM scratch\nCOPY --from=build /server /server\n"
                    "ENTRYPOINT [\"/server\"]\n", context)
    assert found.program is not None and found.program.package == "cmd/server"


def test_files_copied_from_places_that_disagree_are_not_a_module(context):
    found = running("FROM golang:1.22 AS build\nWORKDIR /w\nCOPY go.mod ./\nCOPY cmd/server/main.go ./main.go\n"
                    "RUN go build -o /server .\nFROM scratch\nCOPY --from=build /server /server\n"
                    "ENTRYPOINT [\"/server\"]\n", context)
    assert found.program is None and "not the build context copied whole" in found.unknown


@pytest.mark.parametrize("build, unknown", [
    ("cd \"$(dirname $0)\" && go build -o /server .", "directory dockerfix cannot tell"),
    ("cd $SERVICE && go build -o /server .", "directory dockerfix cannot tell"),
    ("cd && go build -o /server .", "directory dockerfix cannot tell"),
    ("go build -C $SERVICE -o /server .", "directory dockerfix cannot tell"),
    ("popd && go build -o /server .", "directory dockerfix cannot tell"),
    ("go build -o /server $PACKAGE", "variable"),
    ("go build -o /server ./cmd/server ./cmd/other", "several packages"),
])
def test_what_cannot_be_told_is_unknown(context, build, unknown):
    found = running(f"FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN {build}\n"
                    "FROM scratch\nCOPY --from=build /server /server\nENTRYPOINT [\"/server\"]\n", context)
    assert found.program is None and unknown in found.unknown


def test_a_command_that_is_not_built_here(context):
    found = running("FROM python:3.12-slim\nCOPY . .\nCMD [\"python\", \"app.py\"]\n", context)
    assert not found.is_go_binary and found.unknown == "python is not a binary a `go build` of this Dockerfile makes"


def test_a_package_in_a_sub_module_is_read_from_that_module(context, tmp_path):
    (tmp_path / "tools" / "gen").mkdir(parents=True)
    (tmp_path / "tools" / "go.mod").write_text("module example.com/tools\n\ngo 1.22\n")
    (tmp_path / "tools" / "gen" / "main.go").write_text(MAIN)
    found = running("FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nWORKDIR /src/tools\n"
                    "RUN go build -o /gen ./gen\nFROM scratch\nCOPY --from=build /gen /gen\nENTRYPOINT [\"/gen\"]\n",
                    context)
    assert found.program is not None and found.program.module == "example.com/tools"
    assert "of the module in tools/" in found.evidence[1]


# --- Where the build runs: WORKDIR, cd, pushd, subshells, -C (fixer.rules._support.gomodule's walk) ---------

@pytest.mark.parametrize("steps", [
    "WORKDIR /src\nCOPY . .\nRUN cd cmd/server && go build -o /server .",
    "WORKDIR /src\nCOPY . .\nRUN cd /src/cmd/server && CGO_ENABLED=0 go build -o /server",
    "WORKDIR /src\nCOPY . .\nRUN cd cmd && cd server && go build -o /server .",
    "WORKDIR /src\nCOPY . .\nRUN cd cmd/server; go build -o /server .",
    "WORKDIR /src\nCOPY . .\nRUN pushd cmd/server && go build -o /server . && popd",
    "WORKDIR /src\nCOPY . .\nRUN (cd internal && go generate ./...) && cd cmd/server && go build -o /server .",
    "WORKDIR /src\nCOPY . .\nWORKDIR cmd/server\nRUN go build -o /server .",
    "WORKDIR /src\nCOPY . .\nWORKDIR /src/cmd\nRUN go build -o /server ./server",
    "WORKDIR /src\nCOPY . .\nWORKDIR /src/cmd/server\nRUN go build -o /server ../../cmd/server",
    "WORKDIR /src\nCOPY . .\nRUN go build -C cmd/server -o /server .",
    "WORKDIR /src\nCOPY . .\nRUN go build -C=cmd/server -o /server .",
    "WORKDIR /src\nCOPY . .\nRUN go build -C /src -o /server ./cmd/server",
    "ARG APP=/src\nWORKDIR $APP\nCOPY . .\nRUN cd ${APP}/cmd/server && go build -o /server .",
    "COPY . /src\nRUN cd /src/cmd/server && go build -o /server .",
    "WORKDIR /src\nCOPY go.mod go.sum ./\nCOPY cmd/server cmd/server\nRUN cd cmd/server && go build -o /server .",
    "WORKDIR /src\nRUN --mount=type=bind,target=. cd cmd/server && go build -o /server .",
    "WORKDIR /src\nCOPY . .\nRUN go build -o /server example.com/app/cmd/server",
])
def test_the_package_is_found_where_the_build_runs(context, steps):
    found = running(f"FROM golang:1.22 AS build\n{steps}\n"
                    "FROM scratch\nCOPY --from=build /server /server\nENTRYPOINT [\"/server\"]\n", context)
    assert found.program is not None, found.unknown
    assert found.program.package == "cmd/server"


@pytest.mark.parametrize("steps", [
    "WORKDIR /src\nCOPY . .\nRUN (cd cmd/server && go generate) && go build -o /server .",
    "WORKDIR /src\nCOPY . .\nRUN pushd cmd/server && popd && go build -o /server .",
    "WORKDIR /src/cmd/server\nCOPY . /src\nWORKDIR /src\nRUN go build -o /server .",
    "WORKDIR /src\nCOPY . .\nRUN go -C cmd/server version && go build -o /server .",
])
def test_a_directory_change_that_ends_before_the_build_does_not_count(context, steps):
    found = running(f"FROM golang:1.22 AS build\n{steps}\n"
                    "FROM scratch\nCOPY --from=build /server /server\nENTRYPOINT [\"/server\"]\n", context)
    assert found.program is not None and found.program.package == ".", found.unknown


def test_the_base_stage_sets_up_what_the_build_stage_builds(context):
    found = running("FROM golang:1.22 AS base\nWORKDIR /src\nCOPY . .\n"
                    "FROM base AS build\nRUN cd cmd/server && go build -o /server .\n"
                    "FROM scratch\nCOPY --from=build /server /server\nENTRYPOINT [\"/server\"]\n", context)
    assert found.program is not None and found.program.package == "cmd/server"


@pytest.mark.parametrize("steps, unknown", [
    # Go sources from another stage, a heredoc, or a copy whose origin is not one directory
    ("COPY --from=gen /out/ ./cmd/server/\nRUN cd cmd/server && go build -o /server .", "not the build context"),
    ("COPY <<EOF cmd/server/extra.go\npackage main\nEOF\nRUN cd cmd/server && go build -o /server .",
     "not the build context"),
    ("COPY cmd/server/*.go ./\nRUN go build -o /server .", "not the build context"),
    ("COPY * ./\nRUN go build -o /server .", "not the build context"),
    ("RUN --mount=type=cache,target=/src/cmd/server cd cmd/server && go build -o /server .", "no go.mod"),
    ("RUN --mount=type=cache,target=/src/cmd go build -o /server ./cmd/server", "another module"),
    # the go.mod of another module, or none
    ("WORKDIR /elsewhere\nRUN go build -o /server .", "no go.mod"),
    ("RUN cd /tmp && go mod init example.com/x && go build -o /server .", "no go.mod"),
])
def test_sources_that_are_not_the_context_copied_whole(context, steps, unknown):
    found = running("FROM golang:1.22 AS gen\nRUN mkdir /out\n"
                    f"FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n{steps}\n"
                    "FROM scratch\nCOPY --from=build /server /server\nENTRYPOINT [\"/server\"]\n", context)
    assert found.program is None and unknown in found.unknown, found.unknown


def test_go_files_named_on_the_command_line_after_a_cd(context):
    found = running("FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n"
                    "RUN cd cmd && go build -o /server server/main.go\n"
                    "FROM scratch\nCOPY --from=build /server /server\nENTRYPOINT [\"/server\"]\n", context)
    assert found.program is not None and found.program.package == "cmd/server"


def test_a_package_of_a_workspace_module_is_read_from_that_module(context, tmp_path):
    (tmp_path / "tools" / "gen").mkdir(parents=True)
    (tmp_path / "go.work").write_text("go 1.22\n\nuse (\n\t.\n\t./tools\n)\n")
    (tmp_path / "tools" / "go.mod").write_text("module example.com/tools\n\ngo 1.22\n")
    (tmp_path / "tools" / "gen" / "main.go").write_text(MAIN)
    found = running("FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n"
                    "RUN cd tools/gen && go build -o /gen .\nFROM scratch\nCOPY --from=build /gen /gen\n"
                    "ENTRYPOINT [\"/gen\"]\n", context)
    assert found.program is not None and found.program.module == "example.com/tools"
    assert found.program.package == "gen"


def test_go_files_built_without_a_go_mod_are_read_as_they_are(context):
    # no go.mod copied: the go command builds the named files alone
    found = running("FROM golang:1.22 AS build\nWORKDIR /app\nCOPY main.go ./\nRUN go build -o /server main.go\n"
                    "FROM scratch\nCOPY --from=build /server /server\nENTRYPOINT [\"/server\"]\n", context)
    assert found.program is not None and found.program.package == "."


def test_a_go_mod_copied_from_a_path_the_context_lacks(context):
    found = running("FROM golang:1.22 AS build\nWORKDIR /app\nCOPY generated/go.mod ./\nCOPY cmd cmd\n"
                    "RUN go build -o /server ./cmd/server\n"
                    "FROM scratch\nCOPY --from=build /server /server\nENTRYPOINT [\"/server\"]\n", context)
    assert found.program is None and "no go.mod" in found.unknown


# --- Every context the repository builds the file with -------------------------------------------

def in_repository(context, tmp_path, files: dict[str, str]):
    from fixer.context.project import forget_projects

    forget_projects()
    (tmp_path / ".git").mkdir()
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "Dockerfile").write_text(SERVER)
    context.__dict__.pop("project", None)  # asked again: the repository made here
    return context


SERVER = ("FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN cd cmd/server && go build -o /server .\n"
          "FROM scratch\nCOPY --from=build /server /server\nENTRYPOINT [\"/server\"]\n")
WORKFLOW = ("on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
            "      - run: {run}\n")


def test_builds_from_other_contexts_with_the_same_program(context, tmp_path):
    found = running(SERVER, in_repository(context, tmp_path, {
        "deploy/compose.yaml": "services:\n  api:\n    build:\n      context: ..\n",  # this context
        "copy/go.mod": "module example.com/app\n\ngo 1.22\n", "copy/cmd/server/main.go": MAIN,
        ".github/workflows/image.yml": WORKFLOW.format(run="docker build -f Dockerfile copy")}))
    assert found.program is not None and found.program.package == "cmd/server"
    assert found.evidence[2] == "the same program from the contexts of .github/workflows/image.yml:7"


def test_a_build_from_another_context_where_the_package_differs(context, tmp_path):
    other = {"other/go.mod": "module example.com/other\n\ngo 1.22\n", "other/cmd/server/main.go": "package main\n"
             "\nimport \"os\"\n\nfunc main() { _ = os.WriteFile(\"data.db\", nil, 0o600) }\n"}
    found = running(SERVER, in_repository(context, tmp_path, {
        **other, ".github/workflows/image.yml": WORKFLOW.format(run="docker build -f Dockerfile other")}))
    assert found.program is None
    assert found.unknown == (".github/workflows/image.yml:7 builds this file from another context, where the "
                             "program is not the same")


@pytest.mark.parametrize("files, unknown", [
    ({".goreleaser.yml": "dockers:\n  - dockerfile: Dockerfile\n"}, "a context of built binaries"),
    ({"Makefile": "image:\n\tdocker build -f Dockerfile $(CONTEXT)\n"}, "a context dockerfix cannot tell"),
    ({"build.sh": "docker build -f $DOCKERFILE .\n"}, "may build this file from another context"),
])
def test_a_build_whose_context_cannot_be_told(context, tmp_path, files, unknown):
    found = running(SERVER, in_repository(context, tmp_path, files))
    assert found.program is None and unknown in found.unknown, found.unknown
