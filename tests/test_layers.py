"""The layering the README states holds: every `fixer` import of every module under fixer/
(those inside functions too) goes down the layers, never up, and rules read no file.

    syntax < context < rules < engine < report < cli

`records`, `lazy_regex` and `files` sit below them all; `console` (output, colour) is what
the report layer prints with; the command line, its settings (`config`, `run`), `verify`
and the language server (`server`) are the top. The package itself (`fixer/__init__.py`) is
the library's door: it imports the engine and the parser when first asked, and any module
may read its `__version__`.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "fixer"
LAYERS = (
    ("fixer.records", "fixer.lazy_regex", "fixer.files"),
    ("fixer.syntax",),
    ("fixer.context",),
    ("fixer.rules",),
    ("fixer.engine",),
    ("fixer.report", "fixer.console"),
    ("fixer.cli", "fixer.__main__", "fixer.completion", "fixer.config", "fixer.run", "fixer.verify",
     "fixer.server"),
)
DOOR = "fixer"
FILE_READS = {"open"}                                            # builtins
MODULE_FILE_READS = {("os", "open"), ("io", "open"), ("os", "listdir"), ("os", "walk"), ("os", "scandir"),
                     ("os", "stat"), ("os", "lstat"), ("glob", "glob"), ("glob", "iglob"),
                     ("path", "exists"), ("path", "lexists"), ("path", "isfile"), ("path", "isdir"),
                     ("path", "islink"), ("path", "getsize"), ("path", "getmtime")}  # os.path.…
PATH_READS = {"read_text", "read_bytes", "write_text", "write_bytes", "iterdir", "rglob"}  # pathlib.Path
KNOWN_FILE_READERS: dict[str, str] = {}  # rule modules that still read files themselves (issue 20): none


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The fixer modules `name` imports, anywhere in it: `from . import x` names module x when
    there is one, else the package."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            for alias in node.names:
                found.add(f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in MODULES else origin)
    return {module for module in found if module == "fixer" or module.startswith("fixer.")}


IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(module: str) -> int:
    for index, members in enumerate(LAYERS):
        if any(module == member or module.startswith(member + ".") for member in members):
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS (and to the README's layering)")


def test_every_module_is_in_a_layer():
    for module in MODULES:
        if module != DOOR:
            _layer(module)


def test_no_module_imports_a_higher_layer():
    upward = [f"{module} imports {imported}" for module, imported_modules in IMPORTS.items() if module != DOOR
              for imported in sorted(imported_modules) if imported != DOOR and _layer(imported) > _layer(module)]
    assert upward == []


def test_the_door_is_imported_only_for_its_version():
    for module, path in MODULES.items():
        if module != DOOR and DOOR in IMPORTS[module]:
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and _origin(module, path, node) == DOOR:
                    assert [alias.name for alias in node.names] == ["__version__"], module


def _origin(module: str, path: Path, node: ast.ImportFrom) -> str:
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    if not node.level:
        return node.module or ""
    base = package.split(".")[:len(package.split(".")) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def test_rules_never_import_the_engine_the_reports_or_the_command_line():
    forbidden = ("fixer.engine", "fixer.report", "fixer.cli", "fixer.run", "fixer.config")
    found = [f"{module} imports {imported}" for module, imported_modules in IMPORTS.items()
             if module.startswith("fixer.rules") for imported in imported_modules
             if imported == DOOR or any(imported == name or imported.startswith(name + ".") for name in forbidden)]
    assert found == []


def test_the_engine_imports_no_rule_module_only_the_contract_and_the_registry():
    found = [f"{module} imports {imported}" for module, imported_modules in IMPORTS.items()
             if module.startswith("fixer.engine") for imported in imported_modules
             if imported.startswith("fixer.rules.") and imported != "fixer.rules.base"]
    assert found == []


def test_verify_never_imports_the_command_line():
    found = [f"{module} imports {imported}" for module, imported_modules in IMPORTS.items()
             if module.startswith("fixer.verify") for imported in imported_modules
             if imported in ("fixer.cli", "fixer.__main__", "fixer.completion")]
    assert found == []


def _rule_modules() -> list:
    cases = []
    for path in sorted((PACKAGE / "rules").rglob("*.py")):
        known = KNOWN_FILE_READERS.get(path.name) if path.parent == PACKAGE / "rules" else None
        marks = [pytest.mark.xfail(strict=True, reason=f"{path.name} {known}")] if known else []
        cases.append(pytest.param(path, marks=marks, id=str(path.relative_to(PACKAGE / "rules"))))
    return cases


@pytest.mark.parametrize("path", _rule_modules())
def test_no_rule_module_reads_files(path: Path):
    """Reads go through fixer/context: what a rule reads is then read once, and tested there."""
    reads = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Name) and function.id in FILE_READS:
            reads.append(f"line {node.lineno}: {function.id}()")
        elif isinstance(function, ast.Attribute):
            owner = function.value.attr if isinstance(function.value, ast.Attribute) else \
                getattr(function.value, "id", "")
            if (owner, function.attr) in MODULE_FILE_READS or function.attr in PATH_READS:
                reads.append(f"line {node.lineno}: {owner}.{function.attr}()")
    assert reads == []
