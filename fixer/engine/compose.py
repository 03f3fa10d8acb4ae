"""The fix loop for Compose files: the same as for Dockerfiles (edits on spans, re-read
after every pass, a fixed point), with the YAML library as the parser and validator."""
from __future__ import annotations

from ..rules import SAFE, Checker, Rule, resolve
from ..syntax.compose import load
from .fix import MAX_PASSES, FixError, FixResult, _first_line, changed_files, next_pass


def fix_compose(text: str, *, select=None, ignore=None, unsafe_fixes: bool = False, options: dict | None = None,
                rules: list[Rule] | None = None, context=None) -> FixResult:
    """Raises ComposeError for a file that is not YAML or not Compose, FixError when fixing fails."""
    rules = [rule for rule in (rules if rules is not None else resolve(select, ignore, "compose"))
             if rule.kind == "compose"]
    document = load(text)
    result = FixResult(text, text)
    seen = {text}
    for _ in range(MAX_PASSES):
        checker = Checker(document, context, options or {})
        suppressed = _suppressions(document.text)
        diagnostics = sorted((d for rule in rules for d in rule.check(checker)
                              if d.rule.id not in suppressed.get(d.line, frozenset()) | suppressed.get(0, frozenset())),
                             key=lambda d: (d.line, d.rule.id))
        fixes = [d for d in diagnostics if d.fix and d.fix.edits and (unsafe_fixes or d.fix.applicability == SAFE)]
        if not fixes:
            result.remaining = diagnostics
            result.files = changed_files(result.applied)
            return result
        document, _ = next_pass(result, fixes, seen, load, "that is not a valid Compose file")
    raise FixError(f"fixes did not settle after {MAX_PASSES} passes", [d.rule for d in fixes], _first_line(fixes))


def _suppressions(text: str) -> dict[int, frozenset[str]]:
    """`# dockerfix: ignore=DC005` on the line(s) above a line, or `ignore-file=`: line
    (1-based; 0 for the whole file) -> the rules suppressed there."""
    from .suppression import DIRECTIVE, _rule_ids

    found: dict[int, set[str]] = {}
    pending: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        match = DIRECTIVE.match(stripped)
        if match:
            rules, _ = _rule_ids(match.group(2) or "")
            if match.group(1).lower() == "ignore-file":
                found.setdefault(0, set()).update(rules)
            else:
                pending |= rules
        elif stripped and not stripped.startswith("#"):
            if pending:
                found.setdefault(number, set()).update(pending)
            pending = set()
    return {line: frozenset(rules) for line, rules in found.items()}
