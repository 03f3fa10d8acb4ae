"""consecutive-run (DF004): consecutive RUN instructions of a stage are merged into one.

What it does
    Joins a RUN to the RUN before it with ` && \\` and a continuation line. Comment lines
    between the two stay, as comment lines inside the continuation (BuildKit skips them);
    blank lines between them go. The second RUN's own lines keep their layout.

Why
    Every RUN is a layer and a cache step. Steps that belong together (install, configure,
    clean up) belong in one layer, or what a later step deletes still ships in an earlier
    layer. hadolint reports consecutive RUNs as DL3059.

Example
    RUN apk add --no-cache git
    # the build needs make too
    RUN apk add --no-cache make
    ->
    RUN apk add --no-cache git && \\
    # the build needs make too
        apk add --no-cache make

Fix safety
    Safe: each RUN is a single command, so `first && second` fails exactly when one of
    the two RUNs would have failed. Like hadolint's DL3059, a RUN that already chains
    commands is taken as a layer someone cut on purpose and is left alone.
    Not merged, and not reported: RUNs in JSON form or with heredocs, RUNs whose
    flags differ (`--mount`, `--network`, `--security`), RUNs under a non-POSIX SHELL,
    ONBUILD RUNs, and scripts dockerfix cannot read. Not merged either, because the merge
    would change what runs: a first RUN that changes shell state for what follows (`cd`,
    `export`, `set`, `exit`, a bare assignment, …) or ends in a comment or in `;`/`&`; and
    RUNs with a suppression comment for other rules between them (inside a RUN it would mean
    nothing). A suppression of this rule there is honoured as usual.
"""
from __future__ import annotations

import re

from ..lazy_regex import lazy_regex
from ..syntax.shell import Script, shell_view
from ..syntax.tree import Instruction
from .base import SAFE, Checker, Edit, Rule

STATEFUL_COMMANDS = frozenset({
    "cd", "pushd", "popd", "export", "set", "unset", "umask", "alias", "unalias", "source", ".", "shopt",
    "trap", "exit", "exec", "ulimit", "readonly", "local", "shift", "eval", "declare", "typeset", "return",
})
DEFAULT_INDENT = "    "
SUPPRESSION = lazy_regex(r"^[ \t]*#\s*(dockerfix:|hadolint\s+ignore)", re.M | re.I)
NAMES_THIS_RULE = lazy_regex(r"DF004|consecutive-run|DL3059", re.I)
MAX_COMMANDS = 1  # a RUN that already chains commands is a layer on purpose (hadolint 2.15 DL3059 agrees)


def check(checker: Checker):
    tree = checker.tree
    previous: Instruction | None = None
    head: Instruction | None = None  # the first RUN of a run of mergeable RUNs sets the indentation
    for node in tree.nodes:
        if not isinstance(node, Instruction):
            continue
        if previous is not None and _mergeable(tree, previous, node):
            yield checker.report(RULE, node, "RUN follows a RUN: merge them into one layer",
                                 *_merge_edits(tree, previous, node, _indent(tree, head)), applicability=SAFE)
        else:
            head = node
        previous = node if node.keyword == "RUN" else None


def _script(tree, node: Instruction) -> Script | None:
    if node.keyword != "RUN" or node.sub is not None or node.heredocs:
        return None
    script = shell_view(tree, node)
    if script is None or script.opaque or not any(c.words or c.assignments for c in script.commands):
        return None
    return script


def _mergeable(tree, first: Instruction, second: Instruction) -> bool:
    first_script, second_script = _script(tree, first), _script(tree, second)
    if first_script is None or second_script is None:
        return False
    if sorted(flag.text for flag in first.flags) != sorted(flag.text for flag in second.flags):
        return False
    if _command_count(first_script) > MAX_COMMANDS or _command_count(second_script) > MAX_COMMANDS:
        return False
    if first_script.comment_start is not None or _ends_with_operator(first_script):
        return False
    between = tree.text[first.span.end:second.span.start]
    if SUPPRESSION.search(between) and not NAMES_THIS_RULE.search(between):
        return False  # merged, a suppression for other rules would end up inside the RUN, meaning nothing
    return not any(_changes_shell_state(command) for command in first_script.commands)


def _command_count(script: Script) -> int:
    return sum(1 for command in script.commands if command.words)


def _changes_shell_state(command) -> bool:
    if command.name in STATEFUL_COMMANDS:
        return True
    return bool(command.assignments) and not command.words and not command.redirects


def _ends_with_operator(script: Script) -> bool:
    return len(script.operators) >= len(script.commands)


def _merge_edits(tree, first: Instruction, second: Instruction, indent: str) -> list[Edit]:
    text = tree.text
    first_end = first.arguments_source_end
    second_start = second.logical.source_offset(second.arguments_start)
    kept_comments = [line for line in text[first_end:second_start].splitlines(keepends=True)
                     if line.lstrip(" \t").startswith("#")]
    newline = tree.newline
    kept = "".join(line if line.endswith("\n") else line + newline for line in kept_comments)
    return [Edit(first_end, second_start, f" && {tree.escape}{newline}{kept}{indent}")]




def _indent(tree, node: Instruction) -> str:
    """The indentation of the RUN's continuation lines, or four spaces."""
    start = node.span.start
    line_starts = [start + i + 1 for i, ch in enumerate(tree.text[start:node.logical.source_end()]) if ch == "\n"]
    for line_start in line_starts:
        line = tree.text[line_start:node.span.end]
        indent = line[:len(line) - len(line.lstrip(" \t"))]
        if indent and not line.lstrip(" \t").startswith("#"):
            return indent
    return DEFAULT_INDENT


RULE = Rule(id="DF004", name="consecutive-run", summary="consecutive RUN instructions are merged into one",
            check=check, doc=__doc__, hadolint=("DL3059",))

