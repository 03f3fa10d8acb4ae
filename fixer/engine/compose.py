"""The fix loop for Compose files: the same as for Dockerfiles (edits on spans, re-read
after every pass, a fixed point), with the YAML library as the parser and validator."""
from __future__ import annotations

from ..rules import SAFE, Checker, Rule, resolve
from ..syntax.compose import ComposeError, load
from .fix import MAX_PASSES, FixError, FixResult, _first_line, apply_fixes


def fix_compose(text: str, *, select=None, ignore=None, unsafe_fixes: bool = False, options: dict | None = None,
                rules: list[Rule] | None = None, context=None) -> FixResult:
    """Raises ComposeError for a file that is not YAML or not Compose, FixError when fixing fails."""
    rules = [rule for rule in (rules if rules is not None else resolve(select, ignore)) if rule.kind == "compose"]
    document = load(text)
    result = FixResult(text, text)
    seen = {text}
    for _ in range(MAX_PASSES):
        checker = Checker(document, context, options or {})
        diagnostics = sorted((d for rule in rules for d in rule.check(checker) if not _suppressed(d, document.text)),
                             key=lambda d: (d.line, d.rule.id))
        fixes = [d for d in diagnostics if d.fix and d.fix.edits and (unsafe_fixes or d.fix.applicability == SAFE)]
        if not fixes:
            result.remaining = diagnostics
            result.files = _merged_files(result.applied)
            return result
        new_text, used = apply_fixes(result.output, fixes)
        try:
            document = load(new_text)
        except ComposeError as error:
            raise FixError(f"fixes made a file that is not a valid Compose file ({error.message})",
                           [d.rule for d in used], _first_line(used)) from None
        if new_text in seen:
            raise FixError("fixes undo each other", [d.rule for d in used], _first_line(used))
        seen.add(new_text)
        result.output = new_text
        result.applied.extend(used)
    raise FixError(f"fixes did not settle after {MAX_PASSES} passes", [d.rule for d in fixes], _first_line(fixes))


def _suppressed(diagnostic, text: str) -> bool:
    """`# dockerfix: ignore=DC005` on the line(s) above the reported line, or ignore-file=."""
    return diagnostic.rule.id in _suppressions(text).get(diagnostic.line, ()) or \
        diagnostic.rule.id in _suppressions(text).get(0, ())


_CACHE: dict[str, dict[int, frozenset[str]]] = {}


def _suppressions(text: str) -> dict[int, frozenset[str]]:
    """Line (1-based; 0 for the whole file) -> the rules suppressed there."""
    if text in _CACHE:
        return _CACHE[text]
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
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[text] = {line: frozenset(rules) for line, rules in found.items()}
    return _CACHE[text]


def _merged_files(applied) -> list:
    merged: dict[str, object] = {}
    for diagnostic in applied:
        for change in diagnostic.fix.files:
            earlier = merged.get(change.path)
            merged[change.path] = earlier.merge(earlier, change) if earlier and earlier.merge else change
    return [change for change in merged.values() if change.after != (change.before or "")]
