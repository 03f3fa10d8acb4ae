"""Which Go program the final image runs: the links from the command to the build, the
build to its package, the package to the module in the build context."""
from __future__ import annotations

import pytest

from fixer.context import BuildContext
from fixer.context.goprogram import forget_programs
from fixer.rules.base import Checker
from fixer.rules.images import final_stage
from fixer.rules.runtime_program import runtime_program
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
    ("cd cmd/server && go build -o /server .", "changes directory"),
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
