"""Every rule case under fixtures/rules/<RULE-id-name>/<case>/: the input `Dockerfile` (or
`compose.yaml`) and the snapshots beside it (`fixed.Dockerfile`, `fix.diff`, `diagnostics.txt`,
and `context.diff` for changes to other files of the build context), reviewed by hand.
Cases named `ok-*` must come out unchanged, which the test asserts: they have no `fixed.*` or
`fix.diff` (their input and an empty diff), only `diagnostics.txt`. Cases named `unsafe-*` run
with --unsafe-fixes (and must not change without it). A case's `context/` folder is its build
context, its `options.json` the rule options, its `also.txt` other rules to run with it.
Regenerate one rule's snapshots with `pytest --snapshot-update -k DF004`; a snapshot no case
makes any more fails the test until it is deleted.

Every output must parse under BuildKit and be a fixed point.
"""
from __future__ import annotations

import json
import os

import dockerfile as buildkit
import pytest
from helpers import FIXTURES

import fixer
from fixer.context import BuildContext
from fixer.report.diff import unified_diff
from fixer.rules import find_rule

INPUTS = ("Dockerfile", "compose.yaml")
SNAPSHOTS = ("fixed.Dockerfile", "fixed.compose.yaml", "fix.diff", "diagnostics.txt", "context.diff")
CASES = sorted({path.parent for name in INPUTS for path in (FIXTURES / "rules").glob(f"*/*/{name}")})


def _also(case) -> list[str]:
    """Rules a case runs besides its own (`also.txt`), e.g. for suppressions of them."""
    also = case / "also.txt"
    return also.read_text().split() if also.exists() else []


def _rule_of(case) -> str:
    return case.parent.name.split("-", 1)[0]


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.parent.name}/{case.name}")
def test_rule_case(case, snapshot):
    rule = find_rule(_rule_of(case))
    if rule.kind == "compose":
        return _compose_case(case, rule, snapshot)
    text = (case / "Dockerfile").read_bytes().decode("utf-8")
    unsafe = case.name.startswith("unsafe-")
    context = BuildContext(case / "context", case / "Dockerfile") if (case / "context").is_dir() else None
    if context is not None:
        context.project = None  # a case is no repository: not the one these fixtures live in
    options = json.loads((case / "options.json").read_text()) if (case / "options.json").exists() else {}
    rules = [rule] + [find_rule(name) for name in _also(case)]
    result = fixer.fix(text, rules=rules, unsafe_fixes=unsafe, context=context, options=options)
    if unsafe:
        assert not fixer.fix(text, rules=rules, context=context, options=options).changed, "unsafe fix applied"
    if case.name.startswith("ok-"):
        assert result.output == text and not result.files and not result.applied
    else:
        assert result.changed and all(d.rule in rules for d in result.applied)
    _assert_declared_applicabilities(result)
    _match_snapshots(snapshot, case, text, result, "Dockerfile")  # context.diff: the .dockerignore
    buildkit.parse_string(result.output)
    again = fixer.fix(result.output, rules=rules, unsafe_fixes=unsafe, context=context, options=options)
    assert again.output == result.output


def _compose_case(case, rule, snapshot):
    """A Compose rule's case: `compose.yaml` in, `fixed.compose.yaml` out; the output must be
    a Compose file the YAML library reads, and a fixed point."""
    from fixer.engine.compose import fix_compose
    from fixer.syntax.compose import load

    text = (case / "compose.yaml").read_bytes().decode("utf-8")
    unsafe = case.name.startswith("unsafe-")
    options = json.loads((case / "options.json").read_text()) if (case / "options.json").exists() else {}
    result = fix_compose(text, rules=[rule], unsafe_fixes=unsafe, context=case, options=options)
    if unsafe:
        assert fix_compose(text, rules=[rule], context=case, options=options).output == text, "unsafe fix applied"
    if case.name.startswith("ok-"):
        assert result.output == text and not result.files and not result.applied
    else:
        assert result.output != text
    _assert_declared_applicabilities(result)
    _match_snapshots(snapshot, case, text, result, "compose.yaml")  # context.diff: .env.example
    load(result.output)
    again = fix_compose(result.output, rules=[rule], unsafe_fixes=unsafe, context=case, options=options)
    assert again.output == result.output


def test_every_rule_has_a_fixing_case_and_a_leave_alone_case():
    from fixer.rules import ALL_RULES, NO_FIX

    for rule in ALL_RULES:
        cases = [case for case in CASES if _rule_of(case) == rule.id]
        assert any(case.name.startswith("ok-") for case in cases), rule.id
        if rule.fix_safety == NO_FIX:  # a rule that only reports needs a case where it does
            assert any((case / "diagnostics.txt").read_text().strip() for case in cases), rule.id
        else:
            assert any(not case.name.startswith("ok-") for case in cases), rule.id


def _assert_declared_applicabilities(result) -> None:
    """A rule's fixes have only the applicabilities its declared fix safety allows."""
    for diagnostic in result.applied + result.remaining:
        if diagnostic.fix is not None:
            rule, made = diagnostic.rule, diagnostic.fix.applicability
            assert made in rule.applicabilities, f"{rule.id} declares {rule.fix_safety} but made a {made} fix"


def _match_snapshots(snapshot, case, text: str, result, name: str) -> None:
    """The case's snapshots: `fixed.<name>` and its diff (but for an `ok-*` case, whose output is
    its input), the findings, and the diff of the other files the fixes change, if any."""
    snapshot.snapshot_dir = case
    if not case.name.startswith("ok-"):
        snapshot.assert_match(result.output.encode("utf-8"), f"fixed.{name}")
        snapshot.assert_match(unified_diff(text, result.output, name).encode("utf-8"), "fix.diff")
    lines = [f"{d.line}: {d.rule.id} {_shown(d)} (fixed)" for d in result.applied]
    lines += [f"{d.line}: {d.rule.id} {_shown(d)}" for d in result.remaining]
    snapshot.assert_match("\n".join(lines) + "\n", "diagnostics.txt")
    if result.files:
        diffs = [unified_diff(c.before, c.after, os.path.relpath(c.path, case)) for c in result.files]
        snapshot.assert_match("".join(diffs).encode("utf-8"), "context.diff")
    else:
        assert not (case / "context.diff").exists(), "the case changes no other file: delete its context.diff"


def _shown(diagnostic) -> str:
    """The message, and why its fix is unsafe or missing, as the snapshots hold them."""
    if not diagnostic.reason:
        return diagnostic.message
    unsafe = diagnostic.fix is not None and diagnostic.fix.applicability == "unsafe"
    return f"{diagnostic.message} ({'unsafe' if unsafe else 'not fixed'}: {diagnostic.reason})"


def _snapshots_made(case) -> set[str]:
    """The snapshot files the case test makes for `case`, less context.diff (made when the fixes
    change another file: checked there)."""
    [name] = [name for name in INPUTS if (case / name).is_file()]
    return {"diagnostics.txt"} if case.name.startswith("ok-") else {f"fixed.{name}", "fix.diff", "diagnostics.txt"}


def test_every_case_folder_has_an_input_and_no_snapshot_its_case_does_not_make():
    """A folder without an input is no case (the test would pass it over in silence), and a
    snapshot no case makes (an ok-* case's fixed file, a renamed case's leftovers) says nothing."""
    from fixer.rules import ALL_RULES

    folders = {f"{rule.id}-{rule.name}" for rule in ALL_RULES}
    problems = []
    for folder in sorted((FIXTURES / "rules").iterdir()):
        if folder.name not in folders or not folder.is_dir():
            problems.append(f"{folder.name}: not the folder of a rule (<rule id>-<rule name>)")
            continue
        for case in sorted(folder.iterdir()):
            inputs = [name for name in INPUTS if (case / name).is_file()]
            if len(inputs) != 1:
                problems.append(f"{folder.name}/{case.name}: {len(inputs)} of {' and '.join(INPUTS)}, not one")
                continue
            present = {name for name in SNAPSHOTS if (case / name).exists()}
            for orphan in sorted(present - _snapshots_made(case) - {"context.diff"}):
                problems.append(f"{folder.name}/{case.name}/{orphan}: no case makes it")
    assert not problems, "\n".join(problems)
