"""Suppression comments. Dockerfiles have no trailing comments, so a suppression is a
comment line of its own:

    # dockerfix: ignore=DF004,non-root-user    the instruction right below (comments between allowed)
    # dockerfix: ignore-stage=DF005            every instruction of the stage the comment is in
                                               (above a FROM: that FROM's stage)
    # dockerfix: ignore-file=DF016             the whole file; `ignore-file` alone: every rule
    # hadolint ignore=DL3002,DL3059            the instruction below, for the rules that map
                                               to those hadolint rules

A dockerfix suppression that suppresses nothing is reported (rule DF000), so stale ones do
not pile up; hadolint's are left alone (they may be for rules dockerfix does not have).
"""
from __future__ import annotations

import re

from ..lazy_regex import lazy_regex
from ..records import field, record
from ..rules import DOCKERFILE_RULES, Diagnostic, UnknownRule, find_rule
from ..syntax.tree import Comment, Dockerfile, Instruction

DIRECTIVE = lazy_regex(r"#\s*dockerfix:\s*(ignore|ignore-stage|ignore-file)\b\s*(?:=\s*([\w\-, ]+))?\s*$", re.I)
HADOLINT = lazy_regex(r"#\s*hadolint\s+ignore\s*=\s*([\w, ]+)\s*$", re.I)


@record
class Suppression:
    line: int                  # of the comment
    scope: str                 # instruction, stage, file
    rules: frozenset[str]      # rule ids; empty with scope "file": every rule
    first: int                 # the lines it covers
    last: int
    from_hadolint: bool = False
    used: set[str] = field(default_factory=set)
    problem: str = ""          # a rule name that does not exist
    key: tuple = ()            # the comment's text and which of its kind: stable across fix passes

    def covers(self, diagnostic: Diagnostic) -> bool:
        return self.first <= diagnostic.line <= self.last and (not self.rules or diagnostic.rule.id in self.rules)


def suppressions(tree: Dockerfile) -> list[Suppression]:
    found = _suppressions(tree)
    seen: dict[str, int] = {}
    for item in found:
        seen[item.key[0]] = seen.get(item.key[0], 0) + 1
        item.key = (item.key[0], seen[item.key[0]])
    return found


def _suppressions(tree: Dockerfile) -> list[Suppression]:
    found = []
    stages = tree.stages()
    nodes = tree.nodes
    for index, node in enumerate(nodes):
        if not isinstance(node, Comment) or not _may_suppress(node.text):
            continue
        text = node.text.strip()
        target = next((nodes[after] for after in range(index + 1, len(nodes)) if isinstance(nodes[after], Instruction)),
                      None)
        match = DIRECTIVE.match(text)
        if match:
            kind, names = match.group(1).lower(), match.group(2) or ""
            rules, problem = _rule_ids(names)
            if kind == "ignore-file":
                found.append(Suppression(node.start_line, "file", rules, 1, 1 << 30, problem=problem, key=(text,)))
            elif target is not None:
                first, last = _span(kind, target, stages)
                found.append(Suppression(node.start_line, "stage" if kind == "ignore-stage" else "instruction",
                                         rules, first, last, problem=problem, key=(text,)))
            continue
        match = HADOLINT.match(text)
        if match and target is not None:
            codes = {code.strip().upper() for code in match.group(1).split(",")}
            rules = frozenset(rule.id for rule in DOCKERFILE_RULES if codes & set(rule.hadolint))
            if rules:
                found.append(Suppression(node.start_line, "instruction", rules, target.start_line, target.end_line,
                                         from_hadolint=True, key=(text,)))
    return found


def _may_suppress(comment: str) -> bool:
    """A cheap test before the patterns: most comments are prose."""
    lowered = comment.lower()
    return "dockerfix" in lowered or "hadolint" in lowered


def _rule_ids(names: str) -> tuple[frozenset[str], str]:
    ids, problems = set(), []
    for name in (part.strip() for part in names.split(",")):
        if not name:
            continue
        try:
            ids.add(find_rule(name).id)
        except UnknownRule:
            problems.append(name)
    return frozenset(ids), ", ".join(problems)


def _span(kind: str, target: Instruction, stages) -> tuple[int, int]:
    if kind == "ignore-stage":
        for position, stage in enumerate(stages):
            last_stage = position + 1 == len(stages)
            end = (1 << 30) if last_stage else stages[position + 1].from_.start_line - 1
            if stage.from_.start_line <= target.start_line <= end:
                return stage.from_.start_line, end
    return target.start_line, target.end_line


def apply(diagnostics: list[Diagnostic], found: list[Suppression], usage: dict | None = None) -> list[Diagnostic]:
    """The diagnostics no suppression covers; marks the suppressions that covered one. `usage`
    carries what each suppression covered over the passes of the fix loop."""
    kept = []
    for diagnostic in diagnostics:
        covering = [s for s in found if s.covers(diagnostic)]
        for suppression in covering:
            suppression.used.add(diagnostic.rule.id)
        if not covering:
            kept.append(diagnostic)
    if usage is not None:
        for suppression in found:
            suppression.used = usage.setdefault(suppression.key, set()) | suppression.used
            usage[suppression.key] = suppression.used
    return kept
