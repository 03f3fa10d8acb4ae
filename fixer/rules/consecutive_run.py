"""consecutive-run (DF004): consecutive RUN instructions of a stage that ships are merged into one.

What it does
    Joins a RUN to the RUN before it with ` && \\` and a continuation line, where the merge
    gains something: two consecutive installs of the same package manager, or a step that
    changes or removes files an earlier RUN may have made (`rm`, `chmod`, `chown`, `mv`,
    `sed -i`, an append with `>>`, `strip`, `apk del`, `apt-get purge`, …). Consecutive RUNs
    are merged up to the last such step; blank lines between them go, and each RUN's own
    lines keep their layout. Two installs of the same package manager with the same options
    become one command: `apk add --no-cache git` and `apk add --no-cache make` give `apk add
    --no-cache git make` (likewise `apt-get install`). RUNs whose merge gains nothing
    (`adduser` after `addgroup`, `mkdir` after `apk add`, `ln` after `ln`, `chown` of the
    directories the RUN before made) are left as they are, and reported by nobody: a
    suppression of DF004 there is unused (DF000). Only the stages whose layers end up in the
    image are merged: the final stage and the stages it is built FROM.

Why
    Every RUN is a layer. What a later step deletes still ships in the earlier layer (`rm`
    frees nothing), and what it changes ships twice (`chmod` and `chown` copy the whole
    file into the new layer); two installs read the package index twice. Merging steps that
    gain nothing of this is churn: hadolint reports every pair as DL3059, at info level. A
    builder stage's layers are thrown away (only the files COPY --from takes survive):
    merging its RUNs would only cost cache hits.

Example
    RUN apk add --no-cache git
    RUN apk add --no-cache make
    RUN curl -fsSLo /usr/local/bin/tool https://example.com/tool
    RUN chmod +x /usr/local/bin/tool
    ->
    RUN apk add --no-cache git make && \\
        curl -fsSLo /usr/local/bin/tool https://example.com/tool && \\
        chmod +x /usr/local/bin/tool

Fix safety
    Safe: each RUN is a single command, so `first && second` fails exactly when one of
    the two RUNs would have failed. One install of both package lists ends with the same
    packages installed, with the same options, and fails when either install would have;
    where an option's meaning is not known to dockerfix, or a word has a variable (it may
    hold options, or nothing), or `--virtual` names a package group (a second `--virtual`
    of the same name replaces the first's list), the two stay two commands joined with `&&`.
    Like hadolint's DL3059, a RUN that already chains commands is taken as a layer someone cut
    on purpose and is left alone; so are two RUNs with a comment between them: the comment
    says the steps are apart on purpose, and it must not end up inside a continuation. A RUN
    that only updates a package index (`apk update`, `apt-get update`) is left to DF003,
    which removes it before `apk add --no-cache`, and DF010, which folds it.
    Reported without a fix: RUNs of a stage with a comment anywhere in it (above its FROM
    too) that speaks of layers, steps or the build cache ("must be picked from cache",
    "a separate layer"): the split is deliberate; and RUNs of a Dockerfile whose path says it
    builds no shipped image (under tests/ or examples/, Dockerfile.dev, a template). Unsafe:
    a merge of RUNs that another Dockerfile beside this one (in its directory; outside a
    repository, at the top of its build context) starts a stage with as well, the same
    steps from its FROM on: the two builds share those layers in the cache, and the merge
    ends that.
    Not merged, and not reported: RUNs in JSON form or with heredocs, RUNs whose
    flags differ (`--mount`, `--network`, `--security`), RUNs under a non-POSIX SHELL,
    ONBUILD RUNs, and scripts dockerfix cannot read. Not merged either, because the merge
    would change what runs: a first RUN that changes shell state for what follows (`cd`,
    `export`, `set`, `exit`, a bare assignment, …) or ends in a comment or in `;`/`&`. A
    suppression of this rule between them is honoured as usual.
    A Dockerfile named on the command line (not found by a search) is fixed whatever its
    path says, unless --force-exclude is given.
"""
from __future__ import annotations

import os
import re

from ..lazy_regex import lazy_regex
from ..syntax.edits import comment_lines, is_comment_line, physical_lines
from ..syntax.errors import DockerfileError
from ..syntax.parser import parse
from ..syntax.shell import Script, SimpleCommand
from ..syntax.tree import Dockerfile, Instruction, Stage
from ._support.shipped import unshipped_image_reason
from ._support.stages import stage_chains
from .base import MIXED, SAFE, UNSAFE, Checker, Diagnostic, Edit, Rule

STATEFUL_COMMANDS = frozenset({
    "cd", "pushd", "popd", "export", "set", "unset", "umask", "alias", "unalias", "source", ".", "shopt",
    "trap", "exit", "exec", "ulimit", "readonly", "local", "shift", "eval", "declare", "typeset", "return",
})
DEFAULT_INDENT = "    "
MESSAGE = "RUN follows a RUN: merge them into one layer"
SUPPRESSION_OF_THIS_RULE = lazy_regex(r"\s*#\s*(dockerfix:|hadolint\b).*(DF004|consecutive-run|DL3059)", re.I)
MAX_COMMANDS = 1  # a RUN that already chains commands is a layer on purpose (hadolint 2.15 DL3059 agrees)
# A comment that speaks of layers, steps or the build cache: the RUNs of its stage are apart on
# purpose. Not `--no-cache`, `/var/cache`, nor a cache of the program's ("prerender cache").
DELIBERATE_SPLIT = lazy_regex(
    r"(?<![\w./-])(?:layers?|steps?|cached|caching"
    r"|(?:from|the|docker|docker's|build|buildkit|layer|image|share|leverage|bust|invalidates?)\s+cache"
    r"|cache\s+(?:hits?|miss(?:es)?|sharing|bust\w*|invalidation|reuse|efficiency|source))(?![\w/-])", re.I)


class Installer:
    """The options of one package manager's install subcommand that dockerfix knows: those that
    take no value, and those that take the next word (or `=value`) as their value."""

    def __init__(self, subcommand: str, flags: str, valued: str, short_flags: str = ""):
        self.subcommand = subcommand
        self.flags = frozenset(flags.split())
        self.valued = frozenset(valued.split())
        self.short_flags = short_flags  # letters that may be grouped: `-qy`


APK = Installer(
    "add",
    "--no-cache -U --update-cache --update -u --upgrade -l --latest -q --quiet -v --verbose -i --interactive "
    "--no-interactive --no-progress --progress --no-network --no-scripts --allow-untrusted --force-overwrite "
    "--force-broken-world --force-non-repository --force-refresh --clean-protected --purge --initdb --usermode "
    "-s --simulate",
    "-X --repository -p --root --arch --keys-dir --repositories-file --cache-dir --cache-max-age --timeout "
    "--progress-fd --wait")
APT = Installer(
    "install",
    "-y --yes --assume-yes -q --quiet --no-install-recommends --no-install-suggests --install-recommends "
    "--install-suggests -f --fix-broken -m --fix-missing --ignore-missing --allow-downgrades "
    "--allow-remove-essential --allow-change-held-packages --allow-unauthenticated --reinstall --no-upgrade "
    "--only-upgrade --show-progress --force-yes --no-download -V --verbose-versions --purge --no-remove "
    "--ignore-hold --trivial-only",
    "-o --option -t --target-release --default-release -c --config-file -a --host-architecture",
    short_flags="yqfmV")
INSTALLERS = {"apk": APK, "apt-get": APT, "apt": APT}
# commands that change or remove files an earlier layer may hold
FILE_CHANGERS = frozenset({"rm", "rmdir", "unlink", "chmod", "chown", "chgrp", "mv", "strip", "upx", "truncate",
                           "shred", "setcap"})
PACKAGE_REMOVALS = {"apk": ("del",), "apt-get": ("purge", "remove", "autoremove", "clean"),
                    "apt": ("purge", "remove", "autoremove", "clean"), "yum": ("remove", "erase", "clean"),
                    "dnf": ("remove", "erase", "clean"), "microdnf": ("remove", "clean"), "pip": ("uninstall", "cache"),
                    "npm": ("uninstall", "cache"), "yarn": ("remove", "cache")}


def check(checker: Checker):
    index = checker.index
    final = index.final_stage
    if final is None:
        return
    shipped = index.chain(final)
    not_shipped = unshipped_image_reason(checker)
    for stage in index.stages:
        if stage in shipped:
            yield from _check_stage(checker, stage, not_shipped)


def _check_stage(checker: Checker, stage: Stage, not_shipped: str | None):
    index, tree = checker.index, checker.tree
    runs = [node for node in stage.instructions if node.keyword == "RUN"]
    commands = [_single_command(index, node) for node in runs]
    gains = {id(runs[position]) for position in range(1, len(runs))
             if _merge_gains(index, commands[position - 1], commands[position], runs[position])}
    if not gains:
        return  # no merge would gain anything: nothing to report, however the RUNs group
    group: list[Instruction] = []  # consecutive RUNs that could be one
    previous: Instruction | None = None
    for node in stage.instructions:
        if previous is not None and _mergeable(index, previous, node):
            comments = _comments_between(tree, previous, node)
            if not comments:
                group.append(node)
                previous = node
                continue
            if all(SUPPRESSION_OF_THIS_RULE.match(line) for line in comments) and id(node) in gains:
                # reported, so that the suppression between them is honoured (and counts as used)
                yield checker.report(RULE, node, MESSAGE, reason="a comment separates them")
        yield from _merges(checker, stage, group, gains, not_shipped)
        group = [node] if node.keyword == "RUN" else []
        previous = node if node.keyword == "RUN" else None
    yield from _merges(checker, stage, group, gains, not_shipped)


def _merges(checker: Checker, stage: Stage, group: list[Instruction], gains: set[int], not_shipped: str | None):
    """The merges of a group of consecutive RUNs, up to the last RUN whose merge gains
    something (`gains`: the RUNs whose merge into the RUN before them does): none when no RUN
    of the group does."""
    last = next((position for position in range(len(group) - 1, 0, -1) if id(group[position]) in gains), 0)
    for position in range(1, last + 1):
        yield _merge(checker, stage, group[position - 1], group[position], group[0], not_shipped)


def _merge_gains(index, before: list[str], after: list[str], second: Instruction) -> bool:
    """Whether merging `second` (whose first command is `after`) into the RUN before it (whose
    first command is `before`) changes the image or its build: two installs of one package
    manager (one command, one index), or a step that changes or removes files an earlier layer
    holds (a separate layer keeps the old copy: `rm` frees nothing, `chmod` and `chown` copy
    the whole file, `>>` the file it appends to)."""
    if _installs(before) and _installs(after) and before[0] == after[0]:
        return True
    changes = bool(after) and (_changes_files(after) or _appends(index, second))
    return changes and not _owns_what_was_just_made(before, after)


def _appends(index, node: Instruction) -> bool:
    script = index.shell_view(node)
    return script is not None and any(redirect.operator == ">>" for command in script.commands
                                      for redirect in command.redirects)


def _owns_what_was_just_made(before: list[str], after: list[str]) -> bool:
    """`mkdir -p /data` then `chown app /data`: the directories are empty, and their new
    owner or mode costs the layer nothing."""
    if before[:1] != ["mkdir"] or after[:1] not in (["chown"], ["chmod"], ["chgrp"]):
        return False
    made = {word.rstrip("/") for word in before[1:] if not word.startswith("-")}
    targets = [word.rstrip("/") for word in after[1:] if not word.startswith("-")][1:]  # after the owner or mode
    return bool(targets) and all(target in made for target in targets)


def _single_command(index, node: Instruction) -> list[str]:
    script = index.shell_view(node)
    return next((command.argv for command in script.commands if command.words), []) if script is not None else []


def _installs(argv: list[str]) -> bool:
    return bool(argv) and argv[0] in INSTALLERS and any(word in ("add", "install") for word in argv[1:])


def _changes_files(argv: list[str]) -> bool:
    if not argv:
        return False
    name, words = argv[0].rsplit("/", 1)[-1], argv[1:]
    if name in FILE_CHANGERS:
        return True
    if name == "sed":  # -i, -i.bak, -Ei, --in-place
        return any(word.startswith("--in-place") or word[:1] == "-" and word[1:2] != "-" and "i" in word[1:]
                   for word in words)
    if name == "find":
        return any(word in ("-delete", "-exec", "-execdir") for word in words)
    return any(word in PACKAGE_REMOVALS.get(name, ()) for word in words[:3])


def _merge(checker: Checker, stage: Stage, first: Instruction, second: Instruction, head: Instruction,
           not_shipped: str | None) -> Diagnostic:
    """The finding for two RUNs that can be merged: a fix where nothing says the split is wanted."""
    if not_shipped:
        return checker.report(RULE, second, MESSAGE, reason=f"{not_shipped}; its layers ship nowhere")
    deliberate = _deliberate_split(checker, stage)
    if deliberate is not None:
        line, comment = deliberate
        return checker.report(RULE, second, MESSAGE, reason=f'line {line} says "{comment}": the steps are apart '
                                                            "on purpose")
    edits = _merge_edits(checker.index, first, second, _indent(checker.tree, head))
    sharing = _sharing_cache(checker, stage, first)
    if sharing is not None:
        return checker.report(RULE, second, MESSAGE, *edits, applicability=UNSAFE,
                              reason=f"{sharing} starts a stage with the same steps as this one up to the RUN on "
                                     f"line {first.start_line}: the two builds share those layers in the cache, and "
                                     "merged they would not")
    return checker.report(RULE, second, MESSAGE, *edits, applicability=SAFE)


def _deliberate_split(checker: Checker, stage: Stage) -> tuple[int, str] | None:
    """(its line, its text) for the first comment of the stage, or above its FROM, that speaks
    of layers, steps or the build cache."""
    index = checker.index
    return index.derived(("consecutive_run", "deliberate", stage.index),
                         lambda: _comment_about_layers(index.tree, *_stage_text(index, stage)))


def _stage_text(index, stage: Stage) -> tuple[int, int]:
    """Where the stage's text starts and ends: from the end of the stage before (what lies
    between two stages is above the next one's FROM) to the end of its last instruction, or
    of the file for the last stage."""
    stages, text = index.stages, index.tree.text
    start = stages[stage.index - 1].instructions[-1].span.end if stage.index else 0
    end = stage.instructions[-1].span.end if stage.index + 1 < len(stages) else len(text)
    return start, end


def _comment_about_layers(tree: Dockerfile, start: int, end: int) -> tuple[int, str] | None:
    text = tree.text
    line_number = text.count("\n", 0, start) + 1
    for line in physical_lines(text[start:end]):
        if is_comment_line(line) and DELIBERATE_SPLIT.search(line):
            return line_number, _shortened(line.strip().lstrip("#").strip())
        line_number += 1
    return None


def _shortened(comment: str, limit: int = 80) -> str:
    return comment if len(comment) <= limit else comment[:limit - 1].rstrip() + "…"


def _sharing_cache(checker: Checker, stage: Stage, run: Instruction) -> str | None:
    """The name of a Dockerfile beside this one with a stage whose steps, from its FROM up to
    `run`, are the same as this stage's (the same cache keys); None when there is none. What
    each one shares is worked out once per stage: a stage of many RUNs stays linear."""
    index = checker.index
    beside = index.derived(("consecutive_run", "beside"), lambda: _dockerfiles_beside(checker.context))
    if not beside:
        return None
    shared, positions = index.derived(("consecutive_run", "shared", stage.index),
                                      lambda: _shared_steps(index, stage, beside))
    needed = positions[id(run)]
    return next((name for name, length in shared if length >= needed), None)


def _shared_steps(index, stage: Stage, beside) -> tuple[list[tuple[str, int]], dict[int, int]]:
    """For each Dockerfile beside, how many of this stage's steps (from its chain's FROM) one of
    its stages starts with; and for each instruction of the stage, how many steps end with it."""
    steps = _steps(index.chain(stage))
    first = len(steps) - len(stage.instructions)  # the steps before this stage's own
    positions = {id(node): first + number + 1 for number, node in enumerate(stage.instructions)}
    shared = []
    for path, tree in beside:
        longest = max((_common_prefix(_steps(chain), steps) for chain in stage_chains(list(tree.stages()))),
                      default=0)
        shared.append((os.path.basename(path), longest))
    return shared, positions


def _common_prefix(one: list[tuple], other: list[tuple]) -> int:
    length = 0
    for a, b in zip(one, other, strict=False):  # the shorter one ends the prefix
        if a != b:
            break
        length += 1
    return length


def _steps(chain: list[Stage]) -> list[tuple]:
    """What the build cache keys a stage's layers on, step by step: its base image (the FROM
    of the first stage of its chain) and each instruction after, as BuildKit reads it."""
    root, *later = reversed(chain)
    steps = [("FROM", tuple(flag.text for flag in root.from_.flags), root.base.lower())]
    for member in [root, *later]:
        steps += [(node.keyword, tuple(flag.text for flag in node.flags), node.arguments)
                  for node in member.instructions[1:]]
    return steps


def _dockerfiles_beside(context) -> list[tuple[str, Dockerfile]]:
    """The other Dockerfiles beside the one checked, parsed: in a repository those of its
    directory, as the project model lists them; outside one those at the top of its build
    context. Empty without a context or a Dockerfile path."""
    dockerfile = getattr(context, "dockerfile", None) if context is not None else None
    if not dockerfile:
        return []
    project = context.project
    if project is None:
        return [(path, tree) for path, text in context.dockerfiles_beside.items()
                for tree in [_parsed(text)] if tree is not None]
    own = os.path.abspath(dockerfile)
    return [(path, tree) for path in project.dockerfiles()
            if path != own and os.path.dirname(path) == os.path.dirname(own)
            for tree in [project.parsed_dockerfile(path)] if tree is not None]


def _parsed(text: str | None) -> Dockerfile | None:
    try:
        return parse(text or "")
    except DockerfileError:  # an empty text too: no instructions
        return None


def _only_updates_an_index(script: Script) -> bool:
    commands = [command.argv for command in script.commands if command.words]
    return len(commands) == 1 and commands[0][0] in ("apk", "apt-get", "apt") and commands[0][-1] == "update"


def _script(index, node: Instruction) -> Script | None:
    if node.keyword != "RUN" or node.sub is not None or node.heredocs:
        return None
    script = index.shell_view(node)
    if script is None or script.opaque or not any(c.words or c.assignments for c in script.commands):
        return None
    return script


def _mergeable(index, first: Instruction, second: Instruction) -> bool:
    first_script, second_script = _script(index, first), _script(index, second)
    if first_script is None or second_script is None:
        return False
    if sorted(flag.text for flag in first.flags) != sorted(flag.text for flag in second.flags):
        return False
    if _command_count(first_script) > MAX_COMMANDS or _command_count(second_script) > MAX_COMMANDS:
        return False
    if second_script.operators:  # `X=1; make`: one command, but `first && X=1; make` hides first's failure
        return False
    if first_script.comment_start is not None or _ends_with_operator(first_script):
        return False
    if _only_updates_an_index(first_script):
        return False  # apk-redundant-cache-steps (DF003) removes it, apt-get-hygiene (DF010) folds it
    return not any(_changes_shell_state(command) for command in first_script.commands)


def _comments_between(tree, first: Instruction, second: Instruction) -> list[str]:
    """The comment lines from the end of the first RUN's arguments to the start of the second's
    (between the two, and inside the second before its arguments)."""
    return comment_lines(tree, first.arguments_source_end, _arguments_start(second))


def _arguments_start(node: Instruction) -> int:
    return node.logical.source_offset(node.arguments_start)


def _command_count(script: Script) -> int:
    return sum(1 for command in script.commands if command.words)


def _changes_shell_state(command) -> bool:
    if command.name in STATEFUL_COMMANDS:
        return True
    return bool(command.assignments) and not command.words and not command.redirects


def _ends_with_operator(script: Script) -> bool:
    return len(script.operators) >= len(script.commands)


def _merge_edits(index, first: Instruction, second: Instruction, indent: str) -> list[Edit]:
    tree, first_end = index.tree, first.arguments_source_end
    packages = _package_lists(index, first, second)
    if packages is not None:
        first_packages, second_packages = packages
        return [Edit(first_end, second_packages, _package_separator(tree, first, first_packages))]
    newline = tree.newline
    return [Edit(first_end, _arguments_start(second), f" && {tree.escape}{newline}{indent}")]


def _package_separator(tree, first: Instruction, first_packages: int) -> str:
    """A space; or, when the first RUN lists its packages over several lines, a continuation onto a
    line indented like its last one."""
    text, end = tree.text, first.arguments_source_end
    line_start = text.rfind("\n", first_packages, end) + 1
    if not line_start:
        return " "
    line = text[line_start:end]
    indent = line[:len(line) - len(line.lstrip(" \t"))]
    return f" {tree.escape}{tree.newline}{indent}"


def _package_lists(index, first: Instruction, second: Instruction) -> tuple[int, int] | None:
    """Where each RUN's package list starts in the source, when both RUNs are one install with the
    same package manager, subcommand, options and environment (their packages then go into one
    command); else None."""
    first_install, second_install = _only_install(index, first), _only_install(index, second)
    if first_install is None or second_install is None or first_install[0] != second_install[0]:
        return None
    if comment_lines(index.tree, _arguments_start(second), second_install[1]):
        return None  # the comment stays where it is: inside the second RUN, not inside the first
    return first_install[1], second_install[1]


def _only_install(index, node: Instruction) -> tuple[tuple, int] | None:
    """What identifies the RUN's install command, and where its packages start in the source;
    None unless the RUN is that one command and nothing else."""
    script = index.shell_view(node)
    if len(script.commands) != 1 or script.operators or script.comment_start is not None:
        return None
    command = script.commands[0]
    install = _install(command)
    if install is None:
        return None
    identity, index = install
    return identity, script.source_span(command.words[index].start, command.words[index].end).start


def _install(command: SimpleCommand) -> tuple[tuple, int] | None:
    """What identifies an install command (its environment, program, subcommand and options)
    and the index of its first package word; None when it is no install dockerfix can extend
    with more packages: no packages, a word with a variable, an option it does not know, an
    option after a package, a redirection."""
    installer = INSTALLERS.get(command.name or "")
    if installer is None or command.redirects or command.reserved or command.compound_header:
        return None
    words = command.words
    options: list[tuple[str, ...]] = []
    subcommand = None
    index = 1
    while index < len(words):
        raw = words[index].raw
        if words[index].expands or raw == "--" or raw == "-":
            return None
        if not raw.startswith("-"):
            if subcommand is not None:
                break
            subcommand = raw
            index += 1
            continue
        taken = _option_words(installer, words, index)
        if taken is None:
            return None
        options.append(tuple(word.raw for word in words[index:index + taken]))
        index += taken
    if subcommand != installer.subcommand or index >= len(words):
        return None
    packages = words[index:]
    if any(word.expands or word.raw.startswith("-") for word in packages):
        return None
    identity = (tuple(word.raw for word in command.assignments), command.name, subcommand, tuple(sorted(options)))
    return identity, index


def _option_words(installer: Installer, words, index: int) -> int | None:
    """How many words the option at `index` takes (itself and its value), or None for an
    option dockerfix does not know."""
    raw = words[index].raw
    name = raw.split("=", 1)[0]
    if name in installer.flags:
        return 1
    if name in installer.valued:
        if "=" in raw:
            return 1
        if index + 1 < len(words) and not words[index + 1].expands:
            return 2
        return None
    if not raw.startswith("--") and installer.short_flags and all(c in installer.short_flags for c in raw[1:]):
        return 1  # grouped short options: `-qy`
    if raw[:2] in installer.valued and len(raw) > 2 and not raw.startswith("--"):
        return 1  # a short option with its value attached: `-oAPT::Get::Assume-Yes=1`
    return None


def _indent(tree, node: Instruction) -> str:
    """The indentation of the RUN's continuation lines, or four spaces."""
    start = node.span.start
    line_starts = [start + i + 1 for i, ch in enumerate(tree.text[start:node.logical.source_end()]) if ch == "\n"]
    for line_start in line_starts:
        line = tree.text[line_start:node.span.end]
        indent = line[:len(line) - len(line.lstrip(" \t"))]
        if indent and not is_comment_line(line):
            return indent
    return DEFAULT_INDENT


RULE = Rule(id="DF004", name="consecutive-run", summary="consecutive RUN instructions are merged into one",
            check=check, doc=__doc__, fix_safety=MIXED, hadolint=("DL3059",), severity="style")
