"""Which build context a Dockerfile gets when the user names none: a project template's
Dockerfile is built from its own directory."""
from __future__ import annotations

import pytest

from fixer.context import find_build_context
from fixer.syntax import parse

BUILD = "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/server .\n"


def write(root, files: dict[str, str]):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.mark.parametrize("template", ["go.mod.tmpl", "go.mod.template", "go.mod.tpl", "go.mod.gotmpl"])
def test_a_project_template_is_built_from_its_own_directory(tmp_path, template):
    write(tmp_path, {".git/HEAD": "", "go.mod": "module example.com/tool\n\ngo 1.25\n",
                     "internal/scaffold/templates/Dockerfile": BUILD,
                     f"internal/scaffold/templates/{template}": "module {{.Module}}\n\ngo 1.22\n"})
    dockerfile = tmp_path / "internal" / "scaffold" / "templates" / "Dockerfile"
    context = find_build_context(dockerfile, parse(BUILD))
    assert context.root == str(dockerfile.parent) and "template" in context.how
    assert context.go_module is None


def test_without_a_template_the_ancestor_with_go_mod_is_the_context(tmp_path):
    write(tmp_path, {".git/HEAD": "", "go.mod": "module example.com/tool\n\ngo 1.25\n", "build/Dockerfile": BUILD})
    context = find_build_context(tmp_path / "build" / "Dockerfile", parse(BUILD))
    assert context.root == str(tmp_path)


def test_a_go_mod_file_is_read_by_its_path_in_the_context(tmp_path):
    write(tmp_path, {"go.mod": "module a\n\ngo 1.21\n", "tools/x/go.mod": "module x\n\ngo 1.24.1\n"})
    context = find_build_context(tmp_path / "Dockerfile", None)
    assert context.go_mod_file("tools/x/go.mod").go == "1.24.1"
    assert context.go_mod_file("./tools/x/../x/go.mod").go == "1.24.1"
    assert context.go_mod_file("tools/y/go.mod") is None
    assert context.go_mod_file("tools") is None           # a directory
    assert context.go_mod_file("../go.mod") is None       # outside the context
