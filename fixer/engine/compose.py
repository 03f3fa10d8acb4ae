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
                              if not _suppressed(d, suppressed)),
                             key=lambda d: (d.line, d.rule.id))
        fixes = [d for d in diagnostics if d.fix and d.fix.edits and (unsafe_fixes or d.fix.applicability == SAFE)]
        if not fixes:
            result.remaining = diagnostics
            result.files = changed_files(result.applied)
            return result
        document, _ = next_pass(result, fixes, seen, load, "that is not a valid Compose file")
    raise FixError(f"fixes did not settle after {MAX_PASSES} passes", [d.rule for d in fixes], _first_line(fixes))


def _suppressed(diagnostic, suppressed: dict[int, frozenset[str]]) -> bool:
    rules = suppressed.get(diagnostic.line, frozenset()) | suppressed.get(0, frozenset())
    return diagnostic.rule.id in rules or "ALL" in rules


def _suppressions(text: str) -> dict[int, frozenset[str]]:
    """`# dockerfix: ignore=DC005` on the line(s) above a line or at its end, or
    `ignore-file=`: line (1-based; 0 for the whole file) -> the rules suppressed there
    (`ALL` for every rule). A malformed one suppresses nothing."""
    from .suppression import ALL, read_directive

    found: dict[int, set[str]] = {}
    pending: set[str] = set()
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        content, comment = _trailing_comment(stripped)
        directive = read_directive(comment) if comment else None
        rules = set() if directive is None or not directive.kind else \
            ({ALL} if directive.every_rule else set(directive.rules))
        if directive is not None and directive.kind == "ignore-file":
            found.setdefault(0, set()).update(rules)
        elif content:
            found.setdefault(number, set()).update(pending | rules)
            pending = set()
        else:
            pending |= rules
    return {line: frozenset(rules) for line, rules in found.items() if rules}


def _trailing_comment(line: str) -> tuple[str, str]:
    """(content, comment) of a YAML line: a comment starts a line or follows a blank, outside quotes."""
    if line.startswith("#"):
        return "", line
    quote = None
    for index, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and index and line[index - 1] in " \t":
            return line[:index].rstrip(), line[index:]
    return line, ""
