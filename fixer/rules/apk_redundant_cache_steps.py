"""apk-redundant-cache-steps (DF003): no `apk update` or cache removal that `--no-cache` makes redundant.

What it does
    Where every `apk` command of a RUN uses `--no-cache`, removes from that RUN
    `apk update` (`apk update && apk add --no-cache …` → `apk add --no-cache …`), and with
    it an `rm -rf /var/cache/apk/*` of the same RUN. A RUN that is nothing but `apk update`, directly followed
    by a RUN whose `apk add` uses `--no-cache`, is removed whole, with the comments about it
    and its suppressions (left behind, they would cover the next RUN).

Why
    `apk add --no-cache` fetches a fresh index and keeps none of it, so a separate
    `apk update` only adds an index to the layer (or a whole layer of its own), and
    removing /var/cache/apk afterwards removes nothing. hadolint's DL3019 says the same.

Example
    RUN apk update && apk add --no-cache git && rm -rf /var/cache/apk/*
    ->
    RUN apk add --no-cache git

Fix safety
    Safe: the same packages from the same fresh index. The rule runs after apk-no-cache
    (DF002) has added `--no-cache`, in the next pass of the fix loop. An `apk update` whose
    index a later RUN (of the stage, or of a stage built on it) still installs from without
    `--no-cache` stays: without it that RUN would not find its packages. It leaves alone
    `apk update` joined by `||` or `|`, commands under `if`/`then`, `rm` with other paths,
    removals that would take a comment line with them, and scripts it cannot read. An
    `rm -rf /var/cache/apk/*` without an `apk update` to remove is left as it is: it removes
    nothing, and taking it out changes no image (review: 18 of 19 such changes were noise).
    Within a RUN, only layers a shipped image holds are looked at (fixer.rules._support.shipped): a
    builder stage's index stays behind anyway; a RUN that is nothing but a redundant
    `apk update` goes in any stage, a layer less to build. In a Dockerfile whose path says it builds no shipped image
    (tests/, examples/, Dockerfile.dev, .devcontainer/) the finding has no fix.
    A Dockerfile named on the command line (not found by a search) is fixed whatever its
    path says, unless --force-exclude is given.
"""
from __future__ import annotations

from ..lazy_regex import lazy_regex
from ..syntax.edits import removal
from ..syntax.shell import Script, SimpleCommand
from ._support.shipped import left_behind, unshipped_image_reason
from ._support.stages import first_use, used_later
from .base import SAFE, Checker, Edit, Rule

APK_CACHE = frozenset({"/var/cache/apk/*", "/var/cache/apk", "/var/cache/apk/"})
FETCHES_INDEX = frozenset({"-U", "--update-cache", "--update"})  # the command renews the index for all after it
INDEX_ACTIONS = frozenset({"add", "upgrade", "search", "fetch", "fix", "policy", "list", "dot", "version"})
COMMENT_LINE = lazy_regex(r"\n[ \t]*#")


def check(checker: Checker):
    index = checker.index
    if "apk" not in index.command_names:  # every report is about a command named apk
        return
    instructions = checker.tree.instructions
    not_shipped = unshipped_image_reason(checker)
    for position, node in enumerate(instructions):
        script = index.shell_view(node)
        if script is None or script.opaque:
            continue
        if _uses_no_cache_only(script) and not left_behind(index, node):
            found = _redundant_steps_within(checker, node, script)
        elif _is_lone_update(script) and position + 1 < len(instructions) \
                and _adds_with_no_cache(index, instructions[position + 1]) and not _index_read_later(index, node):
            found = [("`apk update` is redundant: the next RUN uses `apk add --no-cache`",
                      tuple(removal(checker.tree, node)))]
        else:
            continue
        for message, edits in found:
            yield checker.report(RULE, node, message, reason=not_shipped) if not_shipped \
                else checker.report(RULE, node, message, *edits, applicability=SAFE)


def _index_read_later(index, node) -> bool:
    """Whether a later RUN uses the index `apk update` leaves (an `apk add` without
    `--no-cache`) before fetching one itself: without it, that RUN cannot find its packages."""
    return used_later(index.stages, node, lambda step: _uses_index(index, step))


def _uses_index(index, step) -> bool | None:
    """True when the RUN reads the apk index first, False when it fetches one first, else None."""
    script = index.shell_view(step)
    if script is None:
        return None
    if script.opaque:
        return True if "apk" in step.logical.text else None  # cannot tell: as if it read it
    return first_use(script, _index_use)


def _index_use(command: SimpleCommand) -> str | None:
    if command.name != "apk":
        return None
    arguments = [arg for arg in command.argv[1:] if not arg.startswith("-")]
    action = arguments[0] if arguments else ""
    if action == "update" or FETCHES_INDEX & set(command.argv):
        return "renews"
    if action in INDEX_ACTIONS and "--no-cache" not in command.argv:  # --no-cache: an index of its own
        return "reads"
    return None


def _redundant_steps_within(checker: Checker, node, script: Script) -> list[tuple[str, tuple[Edit, ...]]]:
    updates = [] if _index_read_later(checker.index, node) else [
        edit for position, command in enumerate(script.commands) if _is_update(command)
        for edit in [_remove_with_operator_after(checker.tree, script, position)] if edit is not None]
    if not updates:
        return []  # a lone `rm -rf /var/cache/apk/*` removes nothing, and taking it out changes no image
    removals = [edit for position, command in enumerate(script.commands) if _is_cache_removal(command)
                for edit in [_remove_with_operator_before(checker.tree, script, position)] if edit is not None]
    message = "`apk update` is redundant before `apk add --no-cache`"
    if removals:
        message += ", and so is removing /var/cache/apk afterwards"
    return [(message, (*updates, *removals))]


def _apk_commands(script: Script) -> list[SimpleCommand]:
    return [command for command in script.commands if command.name == "apk"]


def _uses_no_cache_only(script: Script) -> bool:
    """Some `apk add`, and every apk command but `apk update` itself runs with --no-cache."""
    commands = [c for c in _apk_commands(script) if not _is_update(c)]
    return any("add" in c.argv for c in commands) and all(
        "--no-cache" in c.argv or c.argv[1:2] in (["del"], ["info"]) for c in commands)


def _is_update(command: SimpleCommand) -> bool:
    return command.name == "apk" and command.argv[1:] in (["update"], ["-q", "update"], ["update", "-q"],
                                                          ["--quiet", "update"], ["update", "--quiet"])


def _is_lone_update(script: Script) -> bool:
    return len(script.commands) == 1 and _is_update(script.commands[0]) and not script.commands[0].redirects


def _adds_with_no_cache(index, node) -> bool:
    script = index.shell_view(node)
    return script is not None and not script.opaque and _uses_no_cache_only(script)


def _is_cache_removal(command: SimpleCommand) -> bool:
    argv = command.argv
    if command.name != "rm" or len(argv) < 2 or argv[-1] not in APK_CACHE:
        return False
    return all(arg.startswith("-") for arg in argv[1:-1])


def _plain(command: SimpleCommand) -> bool:
    return not command.reserved and not command.redirects and not command.assignments


def _remove_with_operator_after(tree, script: Script, position: int) -> Edit | None:
    """`apk update && ` up to the next command, when the operator after it is && or ;."""
    command = script.commands[position]
    if not _plain(command) or position + 1 >= len(script.commands) or position >= len(script.operators):
        return None
    if position > 0 and script.operators[position - 1].text not in ("&&", ";"):
        return None
    if script.operators[position].text not in ("&&", ";"):
        return None
    following = script.commands[position + 1]
    if not following.words and not following.assignments:
        return None
    start = script.source_offset(command.start)
    end = script.source_offset(following.start)
    return _edit_without_comments(tree, start, end)


def _remove_with_operator_before(tree, script: Script, position: int) -> Edit | None:
    """` && rm -rf /var/cache/apk/*` back to the end of the previous command."""
    command = script.commands[position]
    if not _plain(command) or position == 0 or script.operators[position - 1].text not in ("&&", ";"):
        return None
    if position < len(script.operators) and script.operators[position].text not in ("&&", ";"):
        return None
    previous = script.commands[position - 1]
    start = script.source_span(previous.start, previous.end).end
    end = script.source_span(command.start, command.end).end
    return _edit_without_comments(tree, start, end)


def _edit_without_comments(tree, start: int, end: int) -> Edit | None:
    if COMMENT_LINE.search(tree.text, start, end):
        return None
    return Edit(start, end, "")


RULE = Rule(id="DF003", name="apk-redundant-cache-steps",
            summary="no `apk update` or /var/cache/apk removal next to `apk add --no-cache`",
            check=check, doc=__doc__, hadolint=("DL3019",), fix_safety=SAFE, severity="info")
