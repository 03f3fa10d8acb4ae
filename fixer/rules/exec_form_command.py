"""exec-form-command (DF012): CMD and ENTRYPOINT in exec (JSON) form where the shell adds nothing.

What it does
    Rewrites `CMD ./server --port 8080` as `CMD ["./server", "--port", "8080"]` when the
    shell form uses no shell feature: one simple command, no variables, globs, `~`,
    redirections, operators or comments. Quotes and escapes are resolved as the shell would;
    a leading `exec` goes (`exec ./server` is what exec form does), and a command that is a
    shell builtin (`ulimit`, `cd`, `source`, …) stays in shell form: there is no program of
    that name to run. Comment lines inside the instruction's continuation (BuildKit skips
    them) move above it, in their order: the JSON array is one line.

Why
    In shell form the program runs under `/bin/sh -c`: it is not PID 1, so `docker stop`'s
    SIGTERM goes to the shell and the program is killed after the timeout instead of shutting
    down cleanly. On scratch and distroless there is no `/bin/sh` at all, and the container
    cannot start. hadolint: DL3025; BuildKit: JSONArgsRecommended.

Example
    CMD ./server --port 8080
    ->
    CMD ["./server", "--port", "8080"]

Fix safety
    Safe for CMD when the stage has no ENTRYPOINT (with one, CMD's form decides what the
    ENTRYPOINT receives), and for ENTRYPOINT when the stage has no CMD (an exec-form
    ENTRYPOINT would receive CMD as arguments; that case is unsafe). On scratch and
    distroless a shell form that needs a shell is reported without a fix: it cannot run
    there. Stages under a SHELL instruction and Windows images are left alone. Not fixed
    either: an instruction with a suppression comment (`# dockerfix:`, `# hadolint`) inside
    its continuation, which would start to suppress findings above it.
"""
from __future__ import annotations

import json
import re

from ..lazy_regex import lazy_regex
from ..syntax.edits import comments_moved_above
from ..syntax.shell import lex_script
from .base import MIXED, SAFE, UNSAFE, Checker, Edit, Rule
from .images import DISTROLESS, SCRATCH, WINDOWS, family

SHELL_ONLY = lazy_regex(r"[*?\[~]")
# Shell builtins with no program of their name in an image: in exec form there is nothing to run.
SHELL_BUILTINS = frozenset({".", ":", "alias", "break", "cd", "command", "continue", "declare", "eval", "exit",
                            "export", "getopts", "hash", "local", "read", "readonly", "return", "set", "shift",
                            "source", "times", "trap", "type", "typeset", "ulimit", "umask", "unalias", "unset",
                            "wait"})


def check(checker: Checker):
    tree, index = checker.tree, checker.index
    for stage in index.stages:
        chain = index.chain(stage)
        base_family = family(index.base_image(stage))
        if base_family == WINDOWS or any(node.keyword == "SHELL" for s in chain for node in s.instructions):
            continue
        keywords = {node.keyword for node in stage.instructions}
        for node in stage.instructions:
            if node.keyword not in ("CMD", "ENTRYPOINT") or node.json or not node.arguments:
                continue
            argv = _plain_argv(node.arguments)
            no_shell = base_family in (SCRATCH, DISTROLESS)
            if argv is None:
                if no_shell:
                    yield checker.report(RULE, node, f"{node.keyword} in shell form on {stage.base}, which has no "
                                                     "/bin/sh: the container cannot start",
                                         reason="the command uses shell features")
                continue
            other = "ENTRYPOINT" if node.keyword == "CMD" else "CMD"
            if node.keyword == "CMD" and other in keywords:
                continue
            message = f"{node.keyword} in shell form runs under /bin/sh, which gets the signals: use exec form"
            span = node.logical.source_span(node.arguments_start, len(node.arguments) + node.arguments_start)
            kept = comments_moved_above(tree, node, span.start, span.end)
            if kept is None:
                yield checker.report(RULE, node, message, reason="a comment inside the instruction would start "
                                                                 "to mean something above it")
                continue
            edits = (*kept, Edit(span.start, span.end, json.dumps(argv, ensure_ascii=False)))
            if node.keyword == "ENTRYPOINT" and other in keywords:
                yield checker.report(RULE, node, message, *edits, applicability=UNSAFE,
                                     reason="the ENTRYPOINT would receive CMD as arguments")
            else:
                yield checker.report(RULE, node, message, *edits, applicability=SAFE)


def _plain_argv(arguments: str) -> list[str] | None:
    """The words of a command that needs no shell, or None."""
    script = lex_script(arguments)
    if script.opaque or script.operators or script.comment_start is not None or len(script.commands) != 1:
        return None
    command = script.commands[0]
    if command.reserved or command.assignments or command.redirects or command.compound_header:
        return None
    if any(word.expands or SHELL_ONLY.search(_unquoted(word.raw)) for word in command.words):
        return None
    argv = [word.value for word in command.words]
    if argv[:1] == ["exec"]:  # `exec /app`: what exec form does anyway, without the shell's builtin
        argv = argv[1:] if len(argv) > 1 and not argv[1].startswith("-") else []
    if argv and argv[0] in SHELL_BUILTINS:
        return None
    return argv or None


def _unquoted(raw: str) -> str:
    """The characters of a word outside quotes (where the shell would glob)."""
    return re.sub(r"'[^']*'|\"(?:\\\\.|[^\"\\\\])*\"|\\\\.", "", raw)


RULE = Rule(id="DF012", name="exec-form-command", summary="CMD and ENTRYPOINT use exec form when no shell is needed",
            check=check, doc=__doc__, fix_safety=MIXED, hadolint=("DL3025",), buildkit=("JSONArgsRecommended",),
            severity="warning")
