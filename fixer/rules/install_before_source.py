"""install-before-source (DF022): package installs come before the source is copied.

What it does
    Moves a RUN that only installs system packages (`apk add`, `apt-get update/install`,
    their cache cleanup) from after the stage's whole-context copy (`COPY . .`) to just
    before it, with the comments above it, when nothing between the two could change what
    the install does.

Why
    A layer is rebuilt when anything before it changes. After `COPY . .`, every edit to any
    source file reinstalls every package; before it, the install layer is cached until the
    package list itself changes.

Example
    COPY . .
    RUN apk add --no-cache git make
    RUN make build
    ->
    RUN apk add --no-cache git make
    COPY . .
    RUN make build

Fix safety
    Safe: the install reads nothing from the source. Not moved: past a COPY or ADD into `/`
    or a system directory (/etc, /usr, /var, …, or a relative destination with no WORKDIR),
    which may bring what the install reads (an apk repositories file) or overwrite what it
    writes; scripts with anything but
    package-manager commands, variables (`$`), local package files (`./x.deb`), or
    redirections; and installs with anything between them and the copy but other COPY/ADD
    from the context, WORKDIR, LABEL and EXPOSE (a USER, ENV, ARG, SHELL or RUN in between
    could change what the install sees).
"""
from __future__ import annotations

import posixpath

from ..syntax.edits import move_before
from ._support.stages import workdir_at
from .base import SAFE, Checker, Rule

NEUTRAL_BETWEEN = frozenset({"COPY", "ADD", "WORKDIR", "LABEL", "EXPOSE"})
PACKAGE_COMMANDS = {"apk": {"add", "update", "upgrade", "del"}, "apt-get": {"update", "install", "upgrade", "clean"},
                    "apt": {"update", "install"}}
CLEANUP_PATHS = ("/var/lib/apt/lists", "/var/cache/apk", "/var/cache/apt", "/tmp/")
SYSTEM_DIRECTORIES = ("/etc", "/usr", "/var", "/lib", "/bin", "/sbin")


def check(checker: Checker):
    tree, index = checker.tree, checker.index
    for stage in index.stages:
        instructions = stage.instructions
        copy = next((node for node in instructions if node.keyword in ("COPY", "ADD") and _whole_context(node)),
                    None)
        if copy is None:
            continue
        if _into_the_system(stage, copy):
            continue
        for node in instructions[instructions.index(copy) + 1:]:
            if node.keyword in ("COPY", "ADD") and _into_the_system(stage, node):
                break
            if node.keyword == "RUN" and _only_installs(index, node):
                yield checker.report(RULE, node, "packages are installed after the source is copied: every source "
                                                 "change reinstalls them", *move_before(tree, node, copy),
                                     applicability=SAFE)
                break
            if node.keyword not in NEUTRAL_BETWEEN or node.flag_values("from") or node.keyword == "RUN":
                break


def _into_the_system(stage, node) -> bool:
    """Whether a COPY/ADD puts files where the package manager reads or writes (`/`, /etc,
    /usr, /var, …): an install moved before it would not see them (a repositories file), or
    would now be overwritten by them. A relative destination with no WORKDIR counts as `/`;
    a COPY without a destination (BuildKit parses it, the build refuses it) is not crossed."""
    if len(node.values) < 2:
        return True
    destination = posixpath.normpath(posixpath.join(workdir_at(stage, node), node.values[-1]))
    return destination == "/" or destination.startswith(SYSTEM_DIRECTORIES)


def _whole_context(node) -> bool:
    return not node.flag_values("from") and len(node.values) == 2 and node.values[0] in (".", "./", "/")


def _only_installs(index, node) -> bool:
    script = index.shell_view(node)
    if script is None or script.opaque or script.comment_start is not None or "$" in script.text:
        return False
    commands = [command for command in script.commands if command.words]
    if not commands or not any(_is_install(command) for command in commands):
        return False
    return all((_is_install(c) or _is_package_step(c) or _is_cleanup(c)) and not c.redirects and not c.assignments
               for c in commands)


def _is_install(command) -> bool:
    argv = command.argv
    return command.name in PACKAGE_COMMANDS and any(a in ("add", "install") for a in argv[1:]) and not any(
        a.startswith((".", "/", "~")) or a.endswith((".deb", ".apk")) for a in argv[2:])


def _is_package_step(command) -> bool:
    verbs = PACKAGE_COMMANDS.get(command.name)
    return verbs is not None and any(a in verbs for a in command.argv[1:])


def _is_cleanup(command) -> bool:
    return command.name == "rm" and all(a.startswith("-") or a.startswith(CLEANUP_PATHS) for a in command.argv[1:])


RULE = Rule(id="DF022", name="install-before-source", summary="package installs come before the source is copied",
            check=check, doc=__doc__, fix_safety=SAFE, severity="info")
