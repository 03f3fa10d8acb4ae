"""fixer.rules._support.gomodule's walk: the directory a go command runs in (WORKDIR, cd, pushd,
subshells, -C) and the context directory a directory of the image is a copy of. DF015 and
the runtime program (test_runtime_program.py) both stand on it."""
from __future__ import annotations

import pytest

from fixer.context import BuildContext
from fixer.rules._support import gomodule
from fixer.rules._support.gomodule import Placement, context_directory
from fixer.rules.semantic import SemanticIndex
from fixer.syntax import parse

FILES = {"go.mod": "module a\n\ngo 1.21\n", "tool/go.mod": "module b\n\ngo 1.24\n",
         "cmd/server/main.go": "package main\n\nfunc main() {}\n"}


@pytest.fixture
def context(tmp_path):
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    found = BuildContext(tmp_path, tmp_path / "Dockerfile")
    found.project = None
    return found


def uses(context, run: str) -> list[tuple[str | None, str | None]]:
    tree = parse(f"FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN {run}\n")
    return [(use.directory, use.go_mod) for use in gomodule.uses(SemanticIndex(tree), tree.stages()[0], context)]


@pytest.mark.parametrize("run, found", [
    ("cd tool && go build .", [("/src/tool", "tool/go.mod")]),
    ("cd -P tool && go build .", [("/src/tool", "tool/go.mod")]),
    ("(cd tool && go build .) && go build ./cmd/server", [("/src/tool", "tool/go.mod"), ("/src", "go.mod")]),
    ("pushd tool && go build . && popd && go build ./cmd/server",
     [("/src/tool", "tool/go.mod"), ("/src", "go.mod")]),
    ("go build -C tool -o /x .", [("/src/tool", "tool/go.mod")]),
    ("go build -C=tool -o /x .", [("/src/tool", "tool/go.mod")]),
    ("go -C tool build .", [("/src/tool", "tool/go.mod")]),
    ("cd $SOMEWHERE && go build .", []),  # where it runs cannot be told: no use
    ("cd tool && cd - && go build .", []),
])
def test_where_a_go_command_runs(context, run, found):
    assert uses(context, run) == found


def test_build_use_gives_the_command_even_where_its_directory_is_unknown(context):
    tree = parse("FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN cd $SOMEWHERE && go build -o /x .\n")
    index = SemanticIndex(tree)
    stage = index.stages[0]
    command = next(command for command in index.shell_view(stage.instructions[-1]).commands if command.name == "go")
    use = gomodule.build_use(index, stage, command, context)
    assert use.directory is None and use.go_mod is None and use.packages == (".",)


@pytest.mark.parametrize("placements, found", [
    ([Placement("/src", ".", True)], "cmd/server"),                                   # COPY . /src
    ([Placement("/src/go.mod", "go.mod", False), Placement("/src/cmd", "cmd", True)], "cmd/server"),
    ([Placement("/src/cmd/server", "cmd/server", True, pattern="*.go")], "cmd/server"),  # COPY cmd/server/*.go ./
    ([Placement("/src/cmd/server", ".", True, pattern="*")], None),                  # directories' contents too
    ([Placement("/src/cmd/server/main.go", "main.go", False)], "."),                 # COPY main.go cmd/server/
    ([Placement("/src/cmd/server/go.mod", "go.mod", False),                          # from two directories
      Placement("/src/cmd/server/main.go", "cmd/server/main.go", False)], None),
    ([Placement("/src", ".", True), Placement("/src/cmd", "?", True, foreign=True)], None),   # COPY --from
    ([Placement("/src", ".", True), Placement("/src/cmd/server/x.go", "?", False, foreign=True)], None),
    ([Placement("/src", ".", True), Placement("/src/cmd/server/web", "?", True, foreign=True)], "cmd/server"),
    ([Placement("/src", ".", True), Placement("/src/cmd", "?", True, hides=True)], None),  # a cache mount
    ([], None),
])
def test_the_context_directory_an_image_directory_copies(placements, found):
    assert context_directory("/src/cmd/server", placements) == found
