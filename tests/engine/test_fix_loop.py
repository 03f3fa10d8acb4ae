"""The fix loop: overlap deferral, fixed point, unsafe gating, and refusing broken output."""
from __future__ import annotations

import pytest

import fixer
from fixer.engine import FixError, fix
from fixer.engine.fix import apply_fixes
from fixer.rules import SAFE, UNSAFE, Diagnostic, Edit, Fix, Rule


def _rule(name: str, check, safety: str = SAFE) -> Rule:
    return Rule(id=f"T{name}", name=name, summary=name, check=check, fix_safety=safety)


def _replace_first(text_to_find: str, replacement: str, applicability: str = SAFE):
    def check(checker):
        at = checker.tree.text.find(text_to_find)
        if at >= 0:
            node = checker.tree.instructions[0]
            yield checker.report(RULE_HOLDER[0], node, "found",
                                 Edit(at, at + len(text_to_find), replacement), applicability=applicability)
    return check


RULE_HOLDER: list[Rule] = []


def _single(name, find, replace, applicability=SAFE) -> Rule:
    rule = _rule(name, _replace_first(find, replace, applicability), applicability)
    RULE_HOLDER[:] = [rule]
    return rule


def test_overlapping_fixes_wait_for_the_next_pass():
    dummy = _rule("x", lambda c: ())
    text = "abcdef"
    first = Diagnostic(dummy, 1, "a", Fix((Edit(0, 3, "X"),), "safe"))
    second = Diagnostic(dummy, 1, "b", Fix((Edit(2, 4, "Y"),), "safe"))
    third = Diagnostic(dummy, 1, "c", Fix((Edit(4, 4, "Z"),), "safe"))
    output, used = apply_fixes(text, [second, first, third])
    assert output == "XdZef"
    assert used == [first, third]


def test_insertions_at_the_same_point_do_not_both_apply():
    dummy = _rule("x", lambda c: ())
    one = Diagnostic(dummy, 1, "a", Fix((Edit(2, 2, "1"),), "safe"))
    two = Diagnostic(dummy, 1, "b", Fix((Edit(2, 2, "2"),), "safe"))
    output, used = apply_fixes("abcd", [one, two])
    assert output == "ab1cd" and used == [one]


def test_loop_reaches_a_fixed_point():
    result = fix("FROM golang:1.23 as build\nRUN apk add git && apk add make\n")
    assert result.output == "FROM golang:1.23 AS build\nRUN apk add --no-cache git && apk add --no-cache make\n"
    assert fix(result.output).output == result.output


def test_unsafe_fixes_only_on_request():
    rule = _single("unsafe", "alpine\n", "alpine:3.20\n", UNSAFE)
    text = "FROM alpine\n"
    assert fix(text, rules=[rule]).output == text
    assert [d.rule for d in fix(text, rules=[rule]).remaining] == [rule]
    assert fix(text, rules=[rule], unsafe_fixes=True).output == "FROM alpine:3.20\n"


def test_a_fix_that_breaks_the_file_is_refused_with_the_rule_named():
    rule = _single("breaks", "FROM alpine", "FROBNICATE alpine")
    with pytest.raises(FixError) as caught:
        fix("FROM alpine\n", rules=[rule])
    assert "Tbreaks" in str(caught.value) and "unknown instruction" in str(caught.value)
    assert caught.value.line == 1


def test_a_fix_that_never_settles_is_refused():
    def grow(checker):
        node = checker.tree.instructions[0]
        end = node.span.end
        yield checker.report(endless, node, "again", Edit(end, end, "RUN x\n"), applicability="safe")
    endless = _rule("grows", grow)
    with pytest.raises(FixError) as caught:
        fix("FROM alpine\n", rules=[endless])
    assert "did not settle" in str(caught.value)


def test_fixes_that_undo_each_other_are_refused():
    def toggle(checker):
        node = checker.tree.instructions[0]
        text = checker.tree.text
        word = "alpine" if "alpine" in text else "busybox"
        at = text.find(word)
        other = "busybox" if word == "alpine" else "alpine"
        yield checker.report(flip, node, "flip", Edit(at, at + len(word), other), applicability="safe")
    flip = _rule("flip", toggle)
    with pytest.raises(FixError, match="undo each other"):
        fix("FROM alpine\n", rules=[flip])


def test_bad_input_raises_a_located_error():
    with pytest.raises(fixer.DockerfileError) as caught:
        fix("FROM alpine\nRUNN echo\n")
    assert caught.value.line == 2


def test_a_later_pass_finding_is_placed_on_its_original_line():
    from fixer.engine.fix import _Pass
    from fixer.rules import Edit

    edits = _Pass([Edit(20, 25, ""), Edit(0, 0, "new line\n")])  # a line inserted at the top, 5 chars cut
    assert edits.before(9) == 0            # the old first line now starts after the insertion
    assert edits.before(3) == 0            # inside the insertion: where it was made
    assert edits.before(40) == 36          # after both: shifted back by +9 and -5
    text = "FROM alpine:3.24\nRUN apk update\nRUN apk add git\n\nENV API_TOKEN=x\n"
    result = fixer.fix(text, select=["DF002", "DF003", "DF019"])
    by_rule = {d.rule.id: d for d in result.applied + result.remaining}
    assert by_rule["DF003"].source_line == 2   # found in pass 2, on the line it was on
    assert by_rule["DF019"].source_line == 5 and by_rule["DF019"].line == 4  # the output lost a line


def test_a_fix_must_say_its_applicability():
    from fixer.rules import Checker

    forgetful = _rule("forgetful", lambda c: ())
    checker = Checker(fixer.parse("FROM alpine\n"))
    with pytest.raises(ValueError, match="applicability"):
        checker.report(forgetful, checker.tree.instructions[0], "m", Edit(0, 0, "x"))
    assert checker.report(forgetful, checker.tree.instructions[0], "m").fix is None  # a finding alone needs none
