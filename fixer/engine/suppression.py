"""Suppression comments. Dockerfiles have no trailing comments, so there a suppression is a
comment line of its own:

    # dockerfix: ignore=DF004,non-root-user    the instruction right below (comments between allowed)
    # dockerfix: ignore-stage=DF005            every instruction of the stage the comment is in
                                               (above a FROM: that FROM's stage)
    # dockerfix: ignore-file=DF016             the whole file
    # dockerfix: ignore=ALL                    every rule (only ever written as ALL)
    # hadolint ignore=DL3002,DL3059            the instruction below, for the rules that map
                                               to those hadolint rules (docs/rules.md)
    # hadolint global ignore=DL3002            the whole file, for those rules (wherever it is)
    # check=skip=FromAsCasing                  BuildKit's parser directive: the whole file, for the
                                               rules that stand for those build checks and say no
                                               more (DF001, DF014; `skip=all`: both)

In a Compose file, `# dockerfix: ignore=DC005` covers the next line that is not only a
comment or blank, or, at the end of a line, that line; `ignore-file=` the whole file
(`ignore-stage=` reads as `ignore=`: Compose has no stages).

A dockerfix suppression in a Dockerfile that suppresses nothing is reported (rule DF000),
so stale ones do not pile up; hadolint's are left alone (they may be for rules dockerfix
does not have), and so is BuildKit's `check` directive. A suppression that names no rule, a
rule that does not exist, or is not written as above (`# dockerfix: ignore DF002`)
suppresses nothing and is reported: a typo must never silence every rule.

Comments are read with string methods, not one regular expression: a pattern with
optional spaces on both sides of a repetition backtracks quadratically on a long line.
"""
from __future__ import annotations

import bisect

from ..lazy_regex import lazy_regex
from ..records import field, record
from ..rules import DOCKERFILE_RULES, Diagnostic, UnknownRule, find_rule
from ..rules.base import INFO, STYLE
from ..syntax.tree import Comment, Dockerfile, Instruction
from ..syntax.tree import Directive as DirectiveNode

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; type checkers take it as true
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..syntax.tree import Node

KINDS = ("ignore", "ignore-stage", "ignore-file")
RULE_NAME = lazy_regex(r"[A-Za-z0-9_-]+")
ALL = "ALL"
UNUSED_SUPPRESSION = "DF000"  # the rule whose findings the fix loop makes (fixer.rules.unused_suppression)
MALFORMED = ("not a suppression dockerfix reads: write `# dockerfix: ignore=<rule>[,<rule>]` "
             "(or ignore-stage=, ignore-file=)")


@record
class Suppression:
    line: int                  # of the comment
    scope: str                 # instruction, stage, file
    rules: frozenset[str]      # rule ids
    first: int                 # the lines it covers
    last: int
    from_hadolint: bool = False  # another tool's (hadolint's comments, BuildKit's check directive): never reported
    used: set[str] = field(default_factory=set)
    problem: str = ""          # what is wrong with it, as reported
    key: tuple = ()            # the comment's text and which of its kind: stable across fix passes
    every_rule: bool = False   # written `ALL`

    def covers(self, diagnostic: Diagnostic) -> bool:
        return self.first <= diagnostic.line <= self.last and (self.every_rule or diagnostic.rule.id in self.rules)


@record(frozen=True)
class Directive:
    """One `# dockerfix: …` comment, read."""

    kind: str                  # ignore, ignore-stage, ignore-file; "" when it is malformed
    rules: frozenset[str]
    every_rule: bool
    problem: str


def read_directive(comment: str) -> Directive | None:
    """The suppression a comment holds, or None for a comment that is not `# dockerfix:`."""
    text = comment.strip()
    if not text.startswith("#"):
        return None
    body = text[1:].lstrip()
    if body[:10].lower() != "dockerfix:":
        return None
    kind, equals, names = body[10:].strip().partition("=")
    kind = kind.strip().lower()
    if kind not in KINDS or not equals:
        return Directive("", frozenset(), False, MALFORMED)
    listed = [name.strip() for name in names.split(",")]
    if not any(listed):
        return Directive(kind, frozenset(), False, "the suppression names no rule: name them, or write ALL")
    if ALL in listed:
        others = [name for name in listed if name and name != ALL]
        problem = f"ALL already names every rule: {', '.join(others)}" if others else ""
        return Directive(kind, frozenset(), True, problem)
    rules, problem = _rule_ids(names)
    return Directive(kind, rules, False, f"no such rule in the suppression: {problem}" if problem else "")


@record(frozen=True)
class HadolintIgnore:
    """One `# hadolint ignore=…` or `# hadolint global ignore=…` comment, read."""

    codes: frozenset[str]
    whole_file: bool   # `global`


def read_hadolint(comment: str) -> HadolintIgnore | None:
    """The hadolint codes of a `# hadolint ignore=DL3002,DL3059` or `# hadolint global
    ignore=DL3002` comment (a `# note` may follow the codes, as hadolint allows), or None."""
    body = comment.strip()[1:].strip()
    words = body.split(None, 1)
    if len(words) != 2 or words[0].lower() != "hadolint":
        return None
    rest, whole_file = words[1], False
    first = rest.split(None, 1)
    if len(first) == 2 and first[0].lower() == "global":
        rest, whole_file = first[1], True
    kind, equals, codes = rest.partition("=")
    if kind.strip().lower() != "ignore" or not equals:
        return None
    listed = codes.partition("#")[0].split(",")
    return HadolintIgnore(frozenset(code.strip().upper() for code in listed if code.strip()), whole_file)


def suppressions(tree: Dockerfile) -> list[Suppression]:
    """The suppressions of a Dockerfile, each with the lines it covers."""
    return _numbered(_suppressions(tree))


def _numbered(found: list[Suppression]) -> list[Suppression]:
    """Each suppression's key made (its text, which of that text it is): the same across passes."""
    seen: dict[str, int] = {}
    for item in found:
        seen[item.key[0]] = seen.get(item.key[0], 0) + 1
        item.key = (item.key[0], seen[item.key[0]])
    return found


def _suppressions(tree: Dockerfile) -> list[Suppression]:
    found = _skipped_build_checks(tree)
    stage_starts = [stage.from_.start_line for stage in tree.stages()]
    for node, target in _comments_and_targets(tree.nodes):
        if not _may_suppress(node.text):
            continue
        text = node.text.strip()
        directive = read_directive(text)
        if directive is not None:
            kind = directive.kind
            if kind == "ignore-file":
                first, last, scope = 1, 1 << 30, "file"
            elif kind == "ignore-stage" and target is not None:
                (first, last), scope = _stage_span(target, stage_starts), "stage"
            elif kind and target is not None:
                first, last, scope = target.start_line, target.end_line, "instruction"
            else:  # malformed, or nothing below it: suppresses nothing, and says so when it is malformed
                if not directive.problem:
                    continue
                first, last, scope = 0, -1, "instruction"
            found.append(Suppression(node.start_line, scope, directive.rules, first, last, problem=directive.problem,
                                     key=(text,), every_rule=directive.every_rule))
            continue
        hadolint = read_hadolint(text)
        if hadolint is None or not (hadolint.whole_file or target is not None):
            continue
        rules = frozenset(rule.id for rule in DOCKERFILE_RULES if hadolint.codes & set(rule.hadolint))
        if rules:
            first, last, scope = (1, 1 << 30, "file") if hadolint.whole_file or target is None else \
                (target.start_line, target.end_line, "instruction")
            found.append(Suppression(node.start_line, scope, rules, first, last, from_hadolint=True, key=(text,)))
    return found


def _skipped_build_checks(tree: Dockerfile) -> list[Suppression]:
    """BuildKit's `# check=skip=A,B` (or `skip=all`) directive, as a suppression of the rules
    that stand for those checks and say no more than they do (style and advice: DF001's
    FromAsCasing, DF014's MaintainerDeprecated): the file's authors turned the checks off. A
    rule that finds more than its check (DF012: a shell form that cannot start on scratch;
    DF019: secrets) takes a suppression of its own."""
    directive = next((node for node in tree.nodes if isinstance(node, DirectiveNode) and node.name == "check"), None)
    if directive is None:
        return []
    skipped = _check_skips(directive.value)
    rules = frozenset(rule.id for rule in DOCKERFILE_RULES
                      if rule.buildkit and rule.severity in (STYLE, INFO) and not rule.security_severity
                      and ("all" in skipped or set(rule.buildkit) <= skipped))
    if not rules:
        return []
    return [Suppression(directive.start_line, "file", rules, 1, 1 << 30, from_hadolint=True,
                        key=(f"# check={directive.value}",))]


def _check_skips(value: str) -> frozenset[str]:
    """The checks a `check` directive skips, read as BuildKit reads it: the value up to its first
    blank, `;`-separated `skip=` and `error=` options (the last `skip=` counts), check names as
    written, `all` only as the whole list. A directive BuildKit refuses skips nothing."""
    skipped: frozenset[str] = frozenset()
    for option in value.strip().split(" ", 1)[0].split(";"):
        key, equals, names = option.partition("=")
        if not equals or key not in ("skip", "error"):
            return frozenset()  # BuildKit: "invalid check option"
        if key == "skip":
            skipped = frozenset({"all"}) if names == "all" else frozenset(names.split(",")) - {"", "all"}
    return skipped


def _comments_and_targets(nodes: Sequence[Node]) -> list[tuple[Comment, Instruction | None]]:
    """Each comment, in order, with the first instruction below it (None below the last)."""
    paired, below = [], None
    for node in reversed(nodes):
        if isinstance(node, Instruction):
            below = node
        elif isinstance(node, Comment):
            paired.append((node, below))
    return paired[::-1]


def _may_suppress(comment: str) -> bool:
    """A cheap test before the patterns: most comments are prose."""
    lowered = comment.lower()
    return "dockerfix" in lowered or "hadolint" in lowered


def _rule_ids(names: str) -> tuple[frozenset[str], str]:
    ids, problems = set(), []
    for name in (part.strip() for part in names.split(",")):
        if not name:
            continue
        if not RULE_NAME.fullmatch(name):
            problems.append(name)
            continue
        try:
            ids.add(find_rule(name).id)
        except UnknownRule:
            problems.append(name)
    return frozenset(ids), ", ".join(problems)


def _stage_span(target: Instruction, stage_starts: list[int]) -> tuple[int, int]:
    """The lines of the stage `target` is in (to the end of the file for the last stage); for
    an instruction before the first FROM, its own lines."""
    position = bisect.bisect_right(stage_starts, target.start_line) - 1
    if position < 0:
        return target.start_line, target.end_line
    last_stage = position + 1 == len(stage_starts)
    return stage_starts[position], (1 << 30) if last_stage else stage_starts[position + 1] - 1


def compose_suppressions(text: str, starts: list[int]) -> list[Suppression]:
    """The suppressions of a Compose file whose lines start at `starts`, each with the lines it
    covers. A malformed one covers nothing."""
    found: list[Suppression] = []
    pending: list[tuple[int, Directive, str]] = []   # above the next line of content
    for number, start in enumerate(starts, start=1):
        end = starts[number] if number < len(starts) else len(text)
        content, comment = trailing_comment(text[start:end].strip())
        directive = read_directive(comment) if comment else None
        if directive is not None and directive.kind == "ignore-file":
            found.append(_compose_suppression(number, directive, comment, "file", 1, 1 << 30))
        elif content:
            at_end = [(number, directive, comment)] if directive is not None else []
            found += [_compose_suppression(line, above, said, "instruction", number, number)
                      for line, above, said in pending + at_end]
            pending = []
        elif directive is not None:
            pending.append((number, directive, comment))
    return _numbered(found)


def _compose_suppression(line: int, directive: Directive, comment: str, scope: str, first: int,
                         last: int) -> Suppression:
    return Suppression(line, scope, directive.rules, first, last, problem=directive.problem, key=(comment,),
                       every_rule=directive.every_rule)


def trailing_comment(line: str) -> tuple[str, str]:
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


def apply(diagnostics: list[Diagnostic], found: list[Suppression], usage: dict | None = None) -> list[Diagnostic]:
    """The diagnostics no suppression covers; marks the suppressions that covered one. `usage`
    carries what each suppression covered over the passes of the fix loop."""
    by_line = _ByLine(found)
    kept = []
    for diagnostic in diagnostics:
        covering = [s for s in by_line.at(diagnostic.line) if s.covers(diagnostic)]
        for suppression in covering:
            suppression.used.add(diagnostic.rule.id)
        if not covering:
            kept.append(diagnostic)
    if usage is not None:
        for suppression in found:
            suppression.used = usage.setdefault(suppression.key, set()) | suppression.used
            usage[suppression.key] = suppression.used
    return kept


class _ByLine:
    """The suppressions whose lines include a given line. Within one scope, two suppressions
    cover the same lines or none in common (no two instructions, or two stages, share a line),
    so each scope is a sorted list of separate spans, searched by bisection."""

    def __init__(self, found: list[Suppression]):
        self.scopes = []
        for scope in ("instruction", "stage", "file"):
            spans: dict[tuple[int, int], list[Suppression]] = {}
            for item in found:
                if item.scope == scope and item.first <= item.last:
                    spans.setdefault((item.first, item.last), []).append(item)
            ordered = sorted(spans.items())
            self.scopes.append(([first for (first, _), _ in ordered], ordered))

    def at(self, line: int):
        for firsts, ordered in self.scopes:
            position = bisect.bisect_right(firsts, line) - 1
            if position >= 0 and line <= ordered[position][0][1]:
                yield from ordered[position][1]
