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
    Not reported: a command that is itself a shell (`sh`, `/bin/bash script.sh`, `bash -c
    "…"`): in exec form that shell is PID 1 instead, and gets the signals no better. Safe
    for ENTRYPOINT when the stage has no CMD (an exec-form ENTRYPOINT would receive CMD as
    arguments; that case is unsafe). A CMD is what the ENTRYPOINT receives, so under an
    ENTRYPOINT of the stage or a stage it is built FROM it is left alone; with none there,
    the base image's ENTRYPOINT receives it, and the fix is safe only when that is known:
    the base has none (scratch, alpine, busybox, debian, ubuntu, golang, python, distroless
    static/base/cc, Chainguard static) or its entrypoint script ends in `exec "$@"` (php's
    docker-php-entrypoint, node's docker-entrypoint.sh). Under any other base the fix is
    unsafe, the reason naming the base. A Dockerfile whose path says it builds no shipped
    image (under tests/ or examples/, Dockerfile.dev, a template) is reported without a fix.
    On scratch and distroless a shell form that needs a shell is reported without a fix: it
    cannot run there. Stages under a SHELL instruction and Windows images are left alone.
    Not fixed either: an instruction with a suppression comment (`# dockerfix:`,
    `# hadolint`) inside its continuation, which would start to suppress findings above it.
    A Dockerfile named on the command line (not found by a search) is fixed whatever its
    path says, unless --force-exclude is given.
"""
from __future__ import annotations

import json
import re

from ..lazy_regex import lazy_regex
from ..syntax.edits import comments_moved_above
from ..syntax.shell import lex_script
from ..syntax.tree import Instruction, Stage
from ._support.images import DISTROLESS, SCRATCH, WINDOWS, ImageRef, family
from ._support.shipped import base_image, unshipped_image_reason
from .base import MIXED, SAFE, UNSAFE, Checker, Diagnostic, Edit, Rule

SHELL_ONLY = lazy_regex(r"[*?\[~]")
# Shell builtins with no program of their name in an image: in exec form there is nothing to run.
SHELL_BUILTINS = frozenset({".", ":", "alias", "break", "cd", "command", "continue", "declare", "eval", "exit",
                            "export", "getopts", "hash", "local", "read", "readonly", "return", "set", "shift",
                            "source", "times", "trap", "type", "typeset", "ulimit", "umask", "unalias", "unset",
                            "wait"})
# A command that is a shell itself gains nothing from exec form: the shell is PID 1 either way.
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"})

# What a CMD goes to when the Dockerfile sets no ENTRYPOINT: the base image's. Known for these
# images only; under any other the fix is unsafe.
NO_ENTRYPOINT = "has no ENTRYPOINT"
EXECS_ARGUMENTS = 'has an ENTRYPOINT that ends in `exec "$@"`'
OFFICIAL_IMAGE_ENTRYPOINTS = {  # Docker Hub official images, by name; whatever the tag
    "alpine": NO_ENTRYPOINT,    # docker-library/official-images, alpine: its Dockerfile ends in CMD ["/bin/sh"]
    "busybox": NO_ENTRYPOINT,   # docker-library/busybox: CMD ["sh"] only
    "debian": NO_ENTRYPOINT,    # debuerreotype/docker-debian-artifacts: CMD ["bash"] only
    "ubuntu": NO_ENTRYPOINT,    # the ubuntu image's Dockerfile: CMD ["/bin/bash"] only
    "golang": NO_ENTRYPOINT,    # docker-library/golang: no ENTRYPOINT, nor in the images it is built on
    "python": NO_ENTRYPOINT,    # docker-library/python: CMD ["python3"] only
    # docker-library/php: ENTRYPOINT ["docker-php-entrypoint"], which puts `php` (`php-fpm`)
    # before a first word that is an option and ends in `exec "$@"`.
    "php": EXECS_ARGUMENTS,
    # nodejs/docker-node: ENTRYPOINT ["docker-entrypoint.sh"], which puts `node` before a first
    # word that is an option or no command (where `sh -c` would fail) and ends in `exec "$@"`.
    "node": EXECS_ARGUMENTS,
}
# Docker Hub, and the mirrors of its official images (mirror.gcr.io: Google's Docker Hub mirror)
OFFICIAL_PREFIXES = ("", "library/", "docker.io/", "docker.io/library/", "index.docker.io/library/",
                     "registry-1.docker.io/library/", "public.ecr.aws/docker/library/", "mirror.gcr.io/",
                     "mirror.gcr.io/library/")
# GoogleContainerTools/distroless README: the base images leave the entrypoint "the default empty
# vector" (static, base, base-nossl, cc); the language images (java, python3, nodejs) set one, and
# so do the :debug tags (the busybox shell).
DISTROLESS_WITHOUT_ENTRYPOINT = lazy_regex(r"gcr\.io/distroless/(static|base|base-nossl|cc)(-debian\d+)?")
CHAINGUARD_WITHOUT_ENTRYPOINT = "cgr.dev/chainguard/static"  # chainguard-images static: no entrypoint
DEBUG_TAG = lazy_regex(r"debug|dev")  # the shell variants of distroless and Chainguard images


def check(checker: Checker):
    index = checker.index
    not_shipped = unshipped_image_reason(checker)
    for stage in index.stages:
        chain = index.chain(stage)
        if family(index.base_image(stage)) == WINDOWS or any(node.keyword == "SHELL" for s in chain
                                                             for node in s.instructions):
            continue
        for node in stage.instructions:
            if node.keyword in ("CMD", "ENTRYPOINT") and not node.json and node.arguments:
                finding = _finding(checker, stage, node, not_shipped)
                if finding is not None:
                    yield finding


def _finding(checker: Checker, stage: Stage, node: Instruction, not_shipped: str | None) -> Diagnostic | None:
    index = checker.index
    argv = _plain_argv(node.arguments)
    if argv is None:
        if family(index.base_image(stage)) not in (SCRATCH, DISTROLESS):
            return None
        return checker.report(RULE, node, f"{node.keyword} in shell form on {stage.base}, which has no /bin/sh: "
                                          "the container cannot start", reason="the command uses shell features")
    chain = index.chain(stage)
    if _runs_a_shell(argv) or node.keyword == "CMD" and any(other.keyword == "ENTRYPOINT" for member in chain
                                                            for other in member.instructions):
        return None
    message = f"{node.keyword} in shell form runs under /bin/sh, which gets the signals: use exec form"
    if not_shipped:
        return checker.report(RULE, node, message, reason=f"{not_shipped}; its signals matter to no one it ships to")
    span = node.logical.source_span(node.arguments_start, len(node.arguments) + node.arguments_start)
    kept = comments_moved_above(checker.tree, node, span.start, span.end)
    if kept is None:
        return checker.report(RULE, node, message,
                              reason="a comment inside the instruction would start to mean something above it")
    edits = (*kept, Edit(span.start, span.end, json.dumps(argv, ensure_ascii=False)))
    if node.keyword == "ENTRYPOINT":
        if any(other.keyword == "CMD" for other in stage.instructions):
            return checker.report(RULE, node, message, *edits, applicability=UNSAFE,
                                  reason="the ENTRYPOINT would receive CMD as arguments")
        return checker.report(RULE, node, message, *edits, applicability=SAFE)
    base = base_image(index, stage)
    known = _known_entrypoint(base)
    if known is None:
        return checker.report(RULE, node, message, *edits, applicability=UNSAFE,
                              reason=f"{base.text} may have an ENTRYPOINT, which would receive the command's "
                                     "words instead of `/bin/sh -c` and the command")
    return checker.report(RULE, node, message, *edits, applicability=SAFE,
                          evidence=(f"{base.text} {known}: the CMD runs as it is",))


def _runs_a_shell(argv: list[str]) -> bool:
    """Whether the command is a shell (`bash script.sh`, `sh -c "…"`, `/usr/bin/env bash`)."""
    program = argv[0]
    if _name(program) == "env":
        program = next((word for word in argv[1:] if not word.startswith("-") and "=" not in word), "")
    return _name(program) in SHELLS


def _name(program: str) -> str:
    return program.rsplit("/", 1)[-1]


def _known_entrypoint(image: ImageRef) -> str | None:
    """What the base image does with a CMD, where that is known: it has no ENTRYPOINT, or one
    that execs its arguments; None for any other image, and for an image named by a variable."""
    if image.has_variable:
        return None
    repository = image.repository
    if repository == SCRATCH:
        return NO_ENTRYPOINT
    if DISTROLESS_WITHOUT_ENTRYPOINT.fullmatch(repository) or repository == CHAINGUARD_WITHOUT_ENTRYPOINT:
        return None if DEBUG_TAG.search(image.tag) else NO_ENTRYPOINT
    for prefix in OFFICIAL_PREFIXES:
        if repository.startswith(prefix) and repository[len(prefix):] in OFFICIAL_IMAGE_ENTRYPOINTS:
            return OFFICIAL_IMAGE_ENTRYPOINTS[repository[len(prefix):]]
    return None


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
