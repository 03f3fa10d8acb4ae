"""What rules need to know about stages and base images: references, families, stage chains."""
from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Callable
from functools import lru_cache, partial

from ...lazy_regex import lazy_regex
from ...records import record
from ...syntax.edits import Edit, Lines, insert_after, insert_before
from ...syntax.shell import Script, shell_view
from ...syntax.tree import Dockerfile, Instruction, Stage

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..semantic import SemanticIndex

SCRATCH = "scratch"
DISTROLESS = "distroless"    # gcr.io/distroless/*: no shell, user nonroot is 65532
CHAINGUARD = "chainguard"    # cgr.dev/chainguard/*: nonroot is 65532 as well
ALPINE = "alpine"            # alpine and busybox: a shell, apk, `nobody` is 65534
DEBIAN = "debian"            # debian, ubuntu and images built on them: apt-get, `nobody` is 65534
GOLANG = "golang"            # the Go toolchain images
WINDOWS = "windows"
UNKNOWN = "unknown"          # a variable, or an image we know nothing about
ROOT_NAMES = frozenset({"root", "0"})
PLAIN_PATH = lazy_regex(r"/[\w./@+-]+", re.ASCII)  # written into a RUN as it is: nothing to quote


@record(frozen=True)
class ImageRef:
    """`registry/path/name:tag@digest`, split. Variables are left as written."""

    text: str
    repository: str   # everything before the tag, lower case
    tag: str
    digest: str

    @property
    def name(self) -> str:
        """The last path element: `golang` for `docker.io/library/golang:1.22`."""
        return self.repository.rsplit("/", 1)[-1]

    @property
    def has_variable(self) -> bool:
        return "$" in self.text


@lru_cache(maxsize=1024)
def parse_image(text: str) -> ImageRef:
    rest, _, digest = text.partition("@")
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > slash:
        repository, tag = rest[:colon], rest[colon + 1:]
    else:
        repository, tag = rest, ""
    return ImageRef(text, repository.lower(), tag, digest)


def family(image: ImageRef) -> str:
    return _family(image.text)  # cached by the text: hashing the record would cost more than the answer


@lru_cache(maxsize=1024)
def _family(text: str) -> str:
    image = parse_image(text)
    repository, name, tag = image.repository, image.name, image.tag.lower()
    if image.has_variable:
        return UNKNOWN
    if repository == SCRATCH:
        return SCRATCH
    if "windows" in repository or name in ("nanoserver", "servercore") or "windowsservercore" in tag \
            or "nanoserver" in tag:
        return WINDOWS
    if repository.startswith("gcr.io/distroless/"):
        return DISTROLESS
    if repository.startswith("cgr.dev/chainguard/"):
        return CHAINGUARD
    if name == GOLANG:
        return GOLANG
    if name in ("alpine", "busybox") or "alpine" in tag:
        return ALPINE
    if name in ("debian", "ubuntu") or any(code in tag for code in DEBIAN_CODENAMES):
        return DEBIAN
    return UNKNOWN


DEBIAN_CODENAMES = ("bookworm", "bullseye", "buster", "trixie", "jammy", "noble", "focal", "slim")


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


def external_base(stages: Sequence[Stage], stage: Stage) -> ImageRef:
    """The image a stage really starts from, following `FROM <earlier stage>`."""
    return parse_image(stage_chain(stages, stage)[-1].base)


def last_instruction(chain: list[Stage], keyword: str) -> Instruction | None:
    """The instruction in effect for the stage: the last one in it or in a stage it builds on."""
    for stage in chain:
        found = [node for node in stage.instructions if node.keyword == keyword]
        if found:
            return found[-1]
    return None


def is_root_user(user: Instruction) -> bool:
    """Whether a USER instruction names root (by name or uid)."""
    return user.arguments.split(":", 1)[0].strip() in ROOT_NAMES


def is_within(path: str, directory: str) -> bool:
    """Whether `path` is `directory` or below it (both without a trailing slash)."""
    return path == directory or path.startswith(directory + "/")


def volumes(stage: Stage) -> list[str]:
    """The paths the stage's VOLUME instructions declare, as written."""
    return [volume for node in stage.instructions if node.keyword == "VOLUME" for volume in node.values]


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


def image_span(from_node: Instruction) -> tuple[int, int]:
    """Source span of the image reference in a FROM instruction (its first argument)."""
    text, start = from_node.logical.text, from_node.arguments_start
    while start < len(text) and text[start] in " \t":
        start += 1
    end = start
    while end < len(text) and text[end] not in " \t":
        end += 1
    span = from_node.logical.source_span(start, end)
    return span.start, span.end


BUILD_STEPS = frozenset({"FROM", "RUN", "COPY", "ADD", "WORKDIR", "VOLUME", "USER", "ONBUILD"})


def after_build_steps(tree: Dockerfile, stage: Stage, lines: Lines) -> tuple[Edit, ...]:
    """The edits that put `lines` where runtime settings go: above the first instruction after
    the stage's last build step (and the comments above it), or after the stage's last instruction."""
    last_step = max(i for i, node in enumerate(stage.instructions) if node.keyword in BUILD_STEPS)
    if last_step + 1 >= len(stage.instructions):
        return insert_after(tree, stage.instructions[-1], lines)
    return insert_before(tree, stage.instructions[last_step + 1], lines)


def directories_made(index: SemanticIndex | Dockerfile, stages: Sequence[Stage]) -> list[str]:
    """The absolute directories the RUNs of `stages` make with `mkdir`, in order, each once.
    `index`: the checker's semantic index (a tree: see script_reader)."""
    script_of = script_reader(index)
    made: list[str] = []
    for stage in stages:
        for node in stage.instructions:
            script = script_of(node) if node.keyword == "RUN" else None
            for command in script.commands if script is not None else ():
                if command.name == "mkdir":
                    made += _mkdir_paths(command.argv[1:])
    return list(dict.fromkeys(made))


def script_reader(index: SemanticIndex | Dockerfile) -> Callable[[Instruction], Script | None]:
    """How to get a RUN's shell view: from the checker's semantic index, which reads each RUN
    once per pass, or, for a caller that has no checker, from the tree."""
    if isinstance(index, Dockerfile):
        return partial(shell_view, index)
    return index.shell_view


def _mkdir_paths(arguments: list[str]) -> list[str]:
    paths, skip_next = [], False
    for value in arguments:
        if skip_next:
            skip_next = False
        elif value in ("-m", "--mode", "--context"):
            skip_next = value != "--context"
        elif not value.startswith("-") and value.startswith("/") and value.rstrip("/"):
            paths.append(value.rstrip("/"))
    return paths


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
