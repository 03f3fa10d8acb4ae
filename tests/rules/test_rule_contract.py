"""What every rule declares holds: the registry finds each rule module by itself, and a rule
reads only the configuration options it declares (`Rule.options`, fixer.rules.options).

That a rule's fixes have only the applicabilities its declared fix safety allows is checked
on every fixture case by tests/rules/test_rule_fixtures.py (`_assert_declared_applicabilities`).
"""
from __future__ import annotations

import ast
import json
import pkgutil
import sys

import pytest
from helpers import FIXTURES, ROOT

from fixer import config
from fixer.context import BuildContext
from fixer.context.package_modules import module_names
from fixer.engine import check, read
from fixer.rules import ALL_RULES, DOCKERFILE_RULES, compose_rules, rules_in
from fixer.rules.options import BY_NAME, OPTIONS, RUNTIME_BASES

RULES_DIRECTORY = ROOT / "fixer" / "rules"


def _pkgutil_modules(package) -> list[str]:
    return sorted(module.name for module in pkgutil.iter_modules(package.__path__)
                  if not module.ispkg and not module.name.startswith("_"))


def test_the_registry_finds_the_modules_pkgutil_finds():
    import fixer.rules
    import fixer.rules.compose

    for package in (fixer.rules, fixer.rules.compose):
        assert module_names(package.__path__) == _pkgutil_modules(package)


def test_every_module_that_declares_a_rule_is_registered_and_no_other():
    import fixer.rules
    import fixer.rules.compose

    for package, registered in ((fixer.rules, DOCKERFILE_RULES), (fixer.rules.compose, compose_rules())):
        declaring = [sys.modules[f"{package.__name__}.{name}"].RULE for name in _pkgutil_modules(package)
                     if hasattr(sys.modules[f"{package.__name__}.{name}"], "RULE")]
        assert sorted(rule.id for rule in declaring) == [rule.id for rule in registered]


def test_the_compose_package_s_own_list_agrees_with_the_registry():
    from fixer.rules.compose import COMPOSE_RULES

    assert COMPOSE_RULES == compose_rules()


def test_a_rule_declared_by_two_modules_is_an_error(tmp_path, monkeypatch):
    package = tmp_path / "twice"
    package.mkdir()
    (package / "__init__.py").write_text("")
    rule = ("from fixer.rules import Rule\n"
            "RULE = Rule(id='DF999', name='x', summary='x', check=lambda checker: (), fix_safety='none')\n")
    (package / "one.py").write_text(rule)
    (package / "two.py").write_text(rule)
    (package / "helper.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ValueError, match="twice.two declares DF999, which twice.one declares too"):
        rules_in("twice", [str(package)])


def test_a_helper_module_is_no_rule(tmp_path, monkeypatch):
    package = tmp_path / "helped"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "rule.py").write_text(
        "from fixer.rules import Rule\n"
        "RULE = Rule(id='DF998', name='y', summary='y', check=lambda checker: (), fix_safety='none')\n")
    (package / "helper.py").write_text("VALUE = 1\n")
    (package / "_private.py").write_text("raise ImportError('never imported')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert [rule.id for rule in rules_in("helped", [str(package)])] == ["DF998"]


# options

def test_each_option_is_declared_once_and_read_by_a_rule():
    assert len(BY_NAME) == len(OPTIONS)
    for option in OPTIONS:
        assert any(option.name in rule.options for rule in ALL_RULES), f"{option.name}: no rule reads it"


def test_each_rule_declares_only_options_there_are_once():
    for rule in ALL_RULES:
        assert len(set(rule.options)) == len(rule.options), rule.id
        assert set(rule.options) <= set(BY_NAME), f"{rule.id} declares {sorted(set(rule.options) - set(BY_NAME))}"


def test_the_command_line_offers_the_runtime_bases_the_option_takes():
    assert config.RUNTIME_BASES == RUNTIME_BASES


def _option_keys_read(tree: ast.AST) -> set[str]:
    """The keys a module reads of a checker's options by literal: `checker.options.get("k")`,
    `self.checker.options["k"]` (a plain `options`, such as a RUN --mount's, is another thing)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            owner, arguments = node.func.value, node.args
        elif isinstance(node, ast.Subscript):
            owner, arguments = node.value, [node.slice]
        else:
            continue
        if isinstance(owner, ast.Attribute) and owner.attr == "options" and arguments and \
                isinstance(arguments[0], ast.Constant):
            found.add(arguments[0].value)
    return found


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.id)
def test_a_rule_module_reads_only_the_options_it_declares(rule):
    """Every path of the rule's own module, read or not by its cases (the test below)."""
    module = sys.modules[rule.check.__module__]
    with open(module.__file__, encoding="utf-8") as file:
        read = _option_keys_read(ast.parse(file.read()))
    assert read <= {BY_NAME[name].key for name in rule.options}, f"{rule.id} reads {sorted(read)}"


class ReadOptions(dict):
    """The options a rule gets, noting each key it asks for; reading them all at once fails."""

    def __init__(self, options: dict):
        super().__init__(options)
        self.asked: set[str] = set()

    def __bool__(self) -> bool:  # the engine gives rules `options or {}`: keep this one even when empty
        return True

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        self.asked.add(key)
        return super().__contains__(key)

    def _whole(self, *args):
        raise AssertionError("a rule reads the options by key, each declared")

    keys = values = items = __iter__ = copy = _whole


def _cases(rule) -> list:
    folder = FIXTURES / "rules" / f"{rule.id}-{rule.name}"
    return sorted(case for case in folder.iterdir() if case.is_dir()) if folder.is_dir() else []


def _check_case(rule, case, options: ReadOptions) -> None:
    """One pass of `rule` over the case's input (the options a rule reads do not depend on the pass)."""
    name = "compose.yaml" if rule.kind == "compose" else "Dockerfile"
    tree = read((case / name).read_bytes().decode("utf-8"), rule.kind)
    if rule.kind == "compose":
        context = case
    elif (case / "context").is_dir():
        context = BuildContext(case / "context", case / "Dockerfile")
        context.project = None  # a case is no repository: not the one these fixtures live in
    else:
        context = None
    check(tree, [rule], context, options, kind=rule.kind)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.id)
def test_a_rule_asks_only_for_the_options_it_declares_on_its_cases(rule):
    declared = {BY_NAME[name].key for name in rule.options}
    asked = set()
    for case in _cases(rule):
        written = case / "options.json"
        options = ReadOptions(json.loads(written.read_text()) if written.exists() else {})
        _check_case(rule, case, options)
        asked |= options.asked
    assert asked <= declared, f"{rule.id} asks for {sorted(asked - declared)}, declares {sorted(declared)}"


def test_a_rule_must_say_how_safe_its_fix_is():
    from fixer.rules import Rule

    with pytest.raises(ValueError, match="DF997: fix_safety must be one of safe, unsafe, mixed, none, not ''"):
        Rule(id="DF997", name="z", summary="z", check=lambda checker: ())
    assert all(rule.fix_safety for rule in ALL_RULES)
