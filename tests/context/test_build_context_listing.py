"""The build context's listings that rules ask for instead of walking directories themselves."""
from __future__ import annotations

from fixer.context import BuildContext


def _tree(root, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_directory_entries_lists_a_directory_and_nothing_else(tmp_path):
    _tree(tmp_path, {"templates/page.tmpl": "", "templates/index.tmpl": "", "config.yaml": ""})
    context = BuildContext(tmp_path)
    assert context.directory_entries("templates") == ["index.tmpl", "page.tmpl"]
    assert context.directory_entries(".") == ["config.yaml", "templates"]
    assert context.directory_entries("config.yaml") is None
    assert context.directory_entries("missing") is None


def test_files_below_walks_a_directory_within_a_limit(tmp_path):
    _tree(tmp_path, {"pkg/a.go": "", "pkg/sub/b.go": "", "pkg/sub/data.json": "", "main.go": ""})
    context = BuildContext(tmp_path)
    assert context.files_below("pkg") == ["a.go", "sub/b.go", "sub/data.json"]
    assert context.files_below("pkg", limit=2) is None  # 4 entries: a.go, sub, b.go, data.json
    assert context.files_below("main.go") is None
    assert context.files_below("missing") is None
