"""Stages and instructions: which stages a stage is built on, the instruction in effect, the
working directory, what ARG/ENV/LABEL set, where runtime settings go, and whether a later step
reads what an earlier one left."""
from __future__ import annotations

import bisect
import posixpath
from collections.abc import Callable
from functools import partial

from ...syntax.edits import Edit, Lines, insert_after, insert_before
from ...syntax.shell import Script, shell_view
from ...syntax.tree import Dockerfile, Instruction, Stage

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..semantic import SemanticIndex


def stage_chain(stages: Sequence[Stage], stage: Stage) -> list[Stage]:
    """The stage and the earlier stages it is built FROM, nearest first. Rules ask
    `checker.index.chain(stage)`, which links every stage once per pass; this follows the
    one stage's chain afresh, as stage_chains links it."""
    chain, position = [stage], _position(stages, stage)
    while position is not None:
        base = chain[-1].base.lower()
        position = next((index for index in range(position - 1, -1, -1)
                         if (name := stages[index].name) and name.lower() == base), None)
        if position is not None:
            chain.append(stages[position])
    return chain


def _position(stages: Sequence[Stage], stage: Stage) -> int | None:
    if stage.index < len(stages) and stages[stage.index] is stage:  # the tree's own stages
        return stage.index
    return next((index for index, other in enumerate(stages) if other is stage), None)


def stage_chains(stages: Sequence[Stage]) -> list[list[Stage]]:
    """Every stage's chain, in the order of `stages`, in one pass: `FROM name` is the latest
    earlier stage of that name (BuildKit refuses a name used twice), and a chain is the stage
    before that stage's chain."""
    by_name: dict[str, int] = {}   # name -> position of the latest stage of that name
    chains: list[list[Stage]] = []
    for stage in stages:
        base = by_name.get(stage.base.lower())
        chains.append([stage, *chains[base]] if base is not None else [stage])
        if stage.name:
            by_name[stage.name.lower()] = len(chains) - 1
    return chains


def last_instruction(chain: list[Stage], keyword: str) -> Instruction | None:
    """The instruction in effect for the stage: the last one in it or in a stage it builds on."""
    for stage in chain:
        found = [node for node in stage.instructions if node.keyword == keyword]
        if found:
            return found[-1]
    return None


def variables_set(node: Instruction) -> list[tuple[str, str | None]]:
    """The (name, value) pairs an ARG, ENV or LABEL sets, in order; None for an ARG without a
    default."""
    values = node.values
    if node.keyword == "ARG":
        return [(name, value if equals else None) for name, equals, value in (item.partition("=") for item in values)]
    return list(zip(values[::2], values[1::2], strict=False))


def pairs_set(node: Instruction) -> list[tuple[str, str]]:
    """The (name, value) pairs an ENV or LABEL sets, in order: variables_set where every value is there."""
    values = node.values
    return list(zip(values[::2], values[1::2], strict=False))


def final_stage(tree: Dockerfile) -> tuple[tuple[Stage, ...], Stage | None]:
    stages = tree.stages()
    return stages, stages[-1] if stages else None


def workdir_at(stage: Stage, node: Instruction) -> str:
    """The working directory in effect for `node` ("/" until a WORKDIR says otherwise)."""
    workdir = "/"
    for earlier in stage.instructions[:stage.instructions.index(node)]:
        if earlier.keyword == "WORKDIR" and earlier.values:
            workdir = posixpath.join(workdir, earlier.values[0])
    return posixpath.normpath(workdir)


BUILD_STEPS = frozenset({"FROM", "RUN", "COPY", "ADD", "WORKDIR", "VOLUME", "USER", "ONBUILD"})


def after_build_steps(tree: Dockerfile, stage: Stage, lines: Lines) -> tuple[Edit, ...]:
    """The edits that put `lines` where runtime settings go: above the first instruction after
    the stage's last build step (and the comments above it), or after the stage's last instruction."""
    last_step = max(i for i, node in enumerate(stage.instructions) if node.keyword in BUILD_STEPS)
    if last_step + 1 >= len(stage.instructions):
        return insert_after(tree, stage.instructions[-1], lines)
    return insert_before(tree, stage.instructions[last_step + 1], lines)


def script_reader(index: SemanticIndex | Dockerfile) -> Callable[[Instruction], Script | None]:
    """How to get a RUN's shell view: from the checker's semantic index, which reads each RUN
    once per pass, or, for a caller that has no checker, from the tree."""
    if isinstance(index, Dockerfile):
        return partial(shell_view, index)
    return index.shell_view


def used_later(stages: Sequence[Stage], node: Instruction, use) -> bool:
    """Whether a step on top of `node`'s layer needs what `node` left there. `use(step)` says
    for one instruction: True (it needs it), False (it makes its own: nothing after depends
    on `node` any more), None (neither). The rest of `node`'s stage is read in order, then
    each stage built on it (a builder `FROM` it as much as the final stage), each in order."""
    found = stage_and_position(stages, node)
    if found is None:  # before any FROM: no build runs it; say "needed", so that nothing is removed
        return True
    own, position = found
    verdict = _first_verdict(own.instructions[position + 1:], use)
    if verdict is not None:
        return verdict
    later = zip(stages, stage_chains(stages), strict=True)
    return any(_first_verdict(stage.instructions, use) for stage, chain in later if stage is not own and own in chain)


def first_use(script: Script, use_of) -> bool | None:
    """For `used_later`, within one script: True when a command reads what earlier steps left
    before the script renews it for good, False when it renews it first, else None.
    `use_of(command)` says "renews", "reads" or None. A renewal under `if`, in a loop or after
    `||` may not run: it serves only the reads after it in its own branch (Script.branches)."""
    renewed: list[tuple] = []  # the branches where the script has renewed it
    for command, path in zip(script.commands, script.branches(), strict=True):
        use = use_of(command)
        if use == "renews":
            if not path:
                return False
            renewed.append(path)
        elif use == "reads" and not any(path[:len(branch)] == branch for branch in renewed):
            return True
    return None


def stage_and_position(stages: Sequence[Stage], node: Instruction) -> tuple[Stage, int] | None:
    """The stage `node` is in and its index there (None before the first FROM), found by
    bisection on the lines: stages and their instructions are in source order."""
    index = bisect.bisect_right(stages, node.start_line, key=lambda stage: stage.from_.start_line) - 1
    if index < 0:
        return None
    instructions = stages[index].instructions
    position = bisect.bisect_left(instructions, node.start_line, key=lambda instruction: instruction.start_line)
    if position < len(instructions) and instructions[position] is node:
        return stages[index], position
    return None


def _first_verdict(steps, use) -> bool | None:
    for step in steps:
        verdict = use(step)
        if verdict is not None:
            return verdict
    return None
