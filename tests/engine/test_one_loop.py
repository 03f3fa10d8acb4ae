"""One fix loop for every kind of file: Compose files get what Dockerfiles get (suppressions,
findings placed on their original lines, the loop's errors), through the same public API,
and each kind's rules get a checker whose tree is of that kind."""
from __future__ import annotations

import pytest

from fixer.engine import FixError, check, fix, read
from fixer.engine.compose import fix_compose
from fixer.rules import SAFE, Edit, Rule
from fixer.rules.base import Checker, ComposeChecker
from fixer.syntax.compose import ComposeDocument, ComposeError
from fixer.syntax.tree import Comment, Dockerfile, Span

COMPOSE_TEXT = "services:\n  web:\n    image: nginx\n    privileged: true\n"


def _compose_rule(name: str, check) -> Rule:
    return Rule(id=f"TC{name}", name=f"compose-{name}", summary=name, check=check, fix_safety=SAFE, kind="compose")


def _at_line(line: int) -> Comment:
    return Comment(Span(0, 0), line, line)


def _line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def _reports(needle: str):
    """A report-only compose rule: a finding on the line holding `needle`."""
    def check(checker):
        if needle in checker.tree.text:
            yield checker.report(RULE_REPORTS[needle], _at_line(_line_of(checker.tree.text, needle)), f"{needle} here",
                                 reason="a test")
    return check


RULE_REPORTS: dict[str, Rule] = {}


def _reporting(needle: str) -> Rule:
    rule = RULE_REPORTS[needle] = _compose_rule(needle.strip(":"), _reports(needle))
    return rule


def _inserting_a_header():
    """A compose rule that adds a comment line at the top, once."""
    def check(checker):
        if not checker.tree.text.startswith("# header"):
            yield checker.report(HEADER[0], _at_line(1), "no header", Edit(0, 0, "# header\n# more\n"),
                                 applicability=SAFE)
    return check


HEADER = [_compose_rule("header", _inserting_a_header())]


def test_each_kind_of_rule_gets_a_checker_whose_tree_is_of_its_kind():
    seen = []
    dockerfile_rule = Rule(id="TD1", name="d", summary="d", check=lambda c: seen.append(c) or (), fix_safety=SAFE)
    compose_rule = _compose_rule("c", lambda c: seen.append(c) or ())
    fix("FROM alpine\n", rules=[dockerfile_rule, compose_rule])
    fix(COMPOSE_TEXT, kind="compose", rules=[dockerfile_rule, compose_rule])
    assert [type(checker) for checker in seen] == [Checker, ComposeChecker]
    assert isinstance(seen[0].tree, Dockerfile) and isinstance(seen[1].tree, ComposeDocument)


def test_a_compose_finding_of_a_later_pass_is_placed_on_its_original_line():
    privileged = _reporting("privileged:")
    result = fix(COMPOSE_TEXT, kind="compose", rules=[HEADER[0], privileged])
    assert result.output.startswith("# header\n# more\n")
    [found] = result.remaining
    assert found.line == 6            # in the fixed text
    assert found.source_line == 4     # in the file as it was


def test_compose_suppressions_are_read_in_the_loop():
    from fixer.rules.compose.privileges import RULE as PRIVILEGES  # DC006: reports `privileged: true`

    above = COMPOSE_TEXT.replace("    privileged", "    # dockerfix: ignore=DC006\n    privileged")
    at_end = COMPOSE_TEXT.replace("privileged: true", "privileged: true  # dockerfix: ignore=ALL")
    whole_file = "# dockerfix: ignore-file=compose-privileges\n" + COMPOSE_TEXT
    above_a_blank = COMPOSE_TEXT.replace("    privileged", "    # dockerfix: ignore=DC006\n\n    privileged")
    for text in (above, at_end, whole_file, above_a_blank):
        assert fix(text, kind="compose", rules=[PRIVILEGES]).remaining == [], text
    for text in (COMPOSE_TEXT.replace("    privileged", "    # dockerfix: ignore=DC001\n    privileged"),
                 COMPOSE_TEXT.replace("    image", "    # dockerfix: ignore=DC006\n    image"),
                 COMPOSE_TEXT.replace("    privileged", "    # dockerfix: ignore DC006\n    privileged")):
        assert [d.rule for d in fix(text, kind="compose", rules=[PRIVILEGES]).remaining] == [PRIVILEGES], text


@pytest.mark.parametrize("suppression, message", [
    ("# dockerfix: ignore=DC06", "no such rule in the suppression: DC06"),
    ("# dockerfix: ignore", "not a suppression dockerfix reads"),
    ("# dockerfix: ignore DC006", "not a suppression dockerfix reads"),
    ("# dockerfix: ignore=DC004", "DC004 reports nothing here: remove the suppression"),
])
def test_a_compose_suppression_that_suppresses_nothing_is_reported_as_in_a_dockerfile(suppression, message):
    from fixer.rules import resolve, rules_of_kind
    from fixer.rules.compose.privileges import RULE as PRIVILEGES

    assert "DF000" in [rule.id for rule in rules_of_kind("compose")]
    text = COMPOSE_TEXT.replace("privileged: true", f"privileged: true  {suppression}")
    found = fix(text, kind="compose", rules=[*resolve(["DF000", "DC004"], None, "compose"), PRIVILEGES]).remaining
    unused = [d for d in found if d.rule.id == "DF000"]
    assert len(unused) == 1 and unused[0].message.startswith(message), found
    assert not [d for d in fix(text, kind="compose", rules=[PRIVILEGES]).remaining if d.rule.id == "DF000"]


def test_a_compose_fix_that_breaks_the_file_names_the_rule():
    def check(checker):
        if "services:" in checker.tree.text:
            yield checker.report(BREAKER[0], _at_line(1), "x", Edit(0, len("services:"), "nonsense:"),
                                 applicability=SAFE)
    BREAKER[:] = [_compose_rule("breaker", check)]
    with pytest.raises(FixError, match=r"not a valid Compose file \(not a Compose file: unknown top-level key "
                                       r"'nonsense'\): TCbreaker"):
        fix(COMPOSE_TEXT, kind="compose", rules=BREAKER)


BREAKER: list[Rule] = []


def test_the_compose_entry_point_is_the_loop():
    from fixer.rules.compose import COMPOSE_RULES

    text = "version: '3'\nservices:\n  web:\n    image: nginx\n    links: [db]\n  db:\n    image: postgres\n"
    direct = fix(text, kind="compose", rules=list(COMPOSE_RULES), unsafe_fixes=True)
    assert direct.output != text
    assert fix_compose(text, rules=list(COMPOSE_RULES), unsafe_fixes=True).output == direct.output


def test_check_and_read_take_the_kind_of_file():
    privileged = _reporting("privileged:")
    document = read(COMPOSE_TEXT, "compose")
    assert [d.line for d in check(document, [privileged], kind="compose")] == [4]
    with pytest.raises(ComposeError):
        read("FROM alpine\n", "compose")
    assert isinstance(read("FROM alpine\n"), Dockerfile)
    with pytest.raises(ValueError, match="kind of file"):
        read("x", "makefile")
