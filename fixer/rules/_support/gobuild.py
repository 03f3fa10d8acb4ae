"""The Go builds of a Dockerfile: where `go build` / `go install` run, with which flags and
environment, and which stage's binaries end up in the final image."""
from __future__ import annotations

import re

from ...lazy_regex import lazy_regex
from ...records import record
from ...syntax.shell import Script, SimpleCommand, Word
from ...syntax.tree import Dockerfile, Instruction, Stage
from .stages import script_reader, stage_chain

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..semantic import SemanticIndex

GO_SUBCOMMANDS = ("build", "install")
BOOLEAN_FLAGS = frozenset({"-a", "-n", "-race", "-msan", "-asan", "-v", "-work", "-x", "-trimpath", "-linkshared",
                           "-modcacherw", "-buildvcs", "-cover", "-i"})
ENV_ASSIGNMENT = lazy_regex(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", re.S)


@record
class GoBuild:
    """One `go build` or `go install` command in a shell-form RUN."""

    instruction: Instruction
    script: Script
    command: SimpleCommand
    subcommand: Word            # the `build` / `install` word
    flags: dict[str, list[Word]]   # flag name -> the words holding its value (or the flag itself)
    environment: dict[str, str]   # what the stage, the script before it and the command set

    @property
    def start(self) -> int:
        """Script offset of the command proper: its first assignment or word, after `if`, `then`, …"""
        command = self.command
        return (command.assignments or command.words)[0].start

    @property
    def flag_words(self) -> list[Word]:
        return [word for words in self.flags.values() for word in words]

    def value_of(self, flag: str) -> tuple[Word, str, str] | None:
        """(word, prefix, value) of the last `-flag=value` or `-flag value`; the value as written."""
        words = self.flags.get(flag)
        if not words:
            return None
        word = words[-1]
        for spelling in (f"-{flag}=", f"--{flag}="):
            if word.raw.startswith(spelling):
                return word, spelling, word.raw[len(spelling):]
        return word, "", word.raw


def go_builds(index: SemanticIndex | Dockerfile, stages: Sequence[Stage], stage: Stage) -> list[GoBuild]:
    """The `go build`/`go install` commands of a stage, with the environment each runs in.
    Rules ask `checker.index.go_builds(stage)`: read once per pass (and so does this, given
    the index and its own stages). Given a tree, or other stages, they are read afresh.
    Callers must not change the list."""
    if not isinstance(index, Dockerfile) and stages is index.stages:
        return index.go_builds(stage)
    chain = stage_chain(stages, stage)
    return stage_go_builds(stage, stage_environment(chain), script_reader(index))


def stage_go_builds(stage: Stage, environment: dict[str, str], script_of) -> list[GoBuild]:
    """The Go builds of the stage, which starts with `environment` (see stage_environment);
    `script_of(node)` is the shell view of a RUN."""
    builds = []
    environment = dict(environment)
    for node in stage.instructions:
        if node.keyword == "ENV":
            environment.update(_env_pairs(node))
        script = script_of(node) if node.keyword == "RUN" else None
        if script is None or script.opaque:
            continue
        exported = dict(environment)
        for command in script.commands:
            build = _as_go_build(node, script, command, exported)
            if build is not None:
                builds.append(build)
            if command.name == "export":
                exported.update(_assignment_values(command.words[1:]))
    return builds


def go_words(command: SimpleCommand) -> tuple[list[Word], list[Word]] | None:
    """(the words from `go` on, the assignments before it) when the command runs go, also
    through `env VAR=value go …`; else None."""
    first = command.words[0].value if command.words else ""
    if first != "env" and first.rsplit("/", 1)[-1] != "go":  # most commands: decided without copying
        return None
    words, assignments = list(command.words), list(command.assignments)
    if words and words[0].value == "env":
        words = words[1:]
        while words and ENV_ASSIGNMENT.match(words[0].value):
            assignments.append(words.pop(0))
    if not words or words[0].value.rsplit("/", 1)[-1] != "go":
        return None
    return words, assignments


def _as_go_build(node, script, command: SimpleCommand, environment: dict[str, str]) -> GoBuild | None:
    found = go_words(command)
    if found is None:
        return None
    words, assignments = found
    assigned = _assignment_values(assignments)
    index = 1
    while index < len(words) and words[index].value.startswith("-"):  # `go -C dir build`
        index += 2 if words[index].value == "-C" else 1
    if index >= len(words) or words[index].value not in GO_SUBCOMMANDS:
        return None
    return GoBuild(node, script, command, words[index], _flags(words[index + 1:]), {**environment, **assigned})


def _flags(words: list[Word]) -> dict[str, list[Word]]:
    flags: dict[str, list[Word]] = {}
    index = 0
    while index < len(words) and words[index].value.startswith("-") and words[index].value != "--":
        word = words[index]
        name = word.value.lstrip("-").split("=", 1)[0]
        if "=" in word.value or f"-{name}" in BOOLEAN_FLAGS or index + 1 >= len(words):
            flags.setdefault(name, []).append(word)
            index += 1
        else:
            flags.setdefault(name, []).append(words[index + 1])
            index += 2
    return flags


def _assignment_values(words: list[Word]) -> dict[str, str]:
    values = {}
    for word in words:
        match = ENV_ASSIGNMENT.match(word.value)
        if match:
            values[match.group(1)] = match.group(2)
    return values


def _env_pairs(node: Instruction) -> dict[str, str]:
    values = node.values
    return {values[i]: values[i + 1].strip('"\'') for i in range(0, len(values) - 1, 2)}


def stage_environment(chain: list[Stage]) -> dict[str, str]:
    """What the first stage of `chain` starts with: the ENV values of the stages it is built
    FROM, and its own ARG defaults."""
    stage, environment = chain[0], {}
    for earlier in reversed(chain[1:]):
        for node in earlier.instructions:
            if node.keyword == "ENV":
                environment.update(_env_pairs(node))
    for node in stage.instructions:
        if node.keyword == "ARG":
            for value in node.values:
                name, _, default = value.partition("=")
                if default:
                    environment.setdefault(name, default)
    return environment


def copied_from(stages: Sequence[Stage], stage: Stage) -> list[Stage]:
    """The earlier stages the given stage copies files from with `COPY --from=<stage>`."""
    by_name = {s.name.lower(): s for s in stages if s.name}
    by_index = {str(s.index): s for s in stages}
    sources = []
    for node in stage.instructions:
        if node.keyword != "COPY":
            continue
        for source in node.flag_values("from"):
            found = by_name.get(source.lower()) or by_index.get(source)
            if found is not None and found.index < stage.index and found not in sources:
                sources.append(found)
    return sources


def runtime_builds(index: SemanticIndex | Dockerfile) -> list[GoBuild]:
    """The Go builds of the stages whose files the final stage copies in: those of the
    checker's semantic index (`checker.index.runtime_builds()`), or of a tree, read afresh."""
    if not isinstance(index, Dockerfile):
        return index.runtime_builds()
    stages = index.stages()
    if len(stages) < 2:
        return []
    return [build for stage in copied_from(stages, stages[-1]) for build in go_builds(index, stages, stage)]


def is_debug_build(build: GoBuild) -> bool:
    """Built for a debugger, the race detector or coverage: symbols and paths are the point."""
    if {"race", "cover", "msan", "asan"} & build.flags.keys():
        return True
    gcflags = build.value_of("gcflags")
    tokens = gcflags[2].replace('"', " ").replace("'", " ").split() if gcflags else []
    return any(token.split("=")[-1] in ("-N", "-l") for token in tokens)


def insert_flag(build: GoBuild, flag: str) -> tuple[int, str]:
    """Where and what to insert so that `flag` comes right after `go build`."""
    end = build.script.source_span(build.subcommand.start, build.subcommand.end).end
    return end, f" {flag}"
