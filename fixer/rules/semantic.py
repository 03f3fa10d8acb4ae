"""The semantic index of one Dockerfile: what rules derive from its tree and share.

Stage chains, the shell view of each RUN, the USER in effect, the variables a stage
inherits and its Go builds are asked for by many rules. The index computes each when first
asked for and keeps it for the pass, the way ruff's semantic model does; the checker owns
it (`checker.index`). A fix pass parses the new text and makes a new checker, so nothing
derived from one text is ever seen with another, and the tree itself is never written to.

What the index hands out is shared by every rule of the pass: callers must not change it.
"""
from __future__ import annotations

from ..syntax.shell import Script, shell_view
from ..syntax.tree import Dockerfile, Instruction, Stage, line_starts
from ._support.gobuild import GoBuild, copied_from, stage_environment, stage_go_builds
from ._support.images import ImageRef, parse_image
from ._support.stages import last_instruction, stage_chains


class SemanticIndex:
    """The derived facts of one tree, each computed when first asked for."""

    def __init__(self, tree: Dockerfile):
        self.tree = tree
        self._stages: tuple[Stage, ...] | None = None
        self._line_starts: list[int] | None = None
        self._chains: list[list[Stage]] | None = None         # by stage index
        self._scripts: dict[int, Script] | None = None        # id of a RUN (or ONBUILD RUN) -> its shell view
        self._command_names: frozenset[str] | None = None
        self._environments: dict[int, dict[str, str]] = {}    # by stage index
        self._go_builds: dict[int, list[GoBuild]] = {}        # by stage index
        self._derived: dict = {}

    @property
    def stages(self) -> tuple[Stage, ...]:
        if self._stages is None:
            self._stages = self.tree.stages()
        return self._stages

    @property
    def final_stage(self) -> Stage | None:
        stages = self.stages
        return stages[-1] if stages else None

    @property
    def line_starts(self) -> list[int]:
        """Where the tree's lines start (a Dockerfile's lines end at `\\n`)."""
        if self._line_starts is None:
            self._line_starts = line_starts(self.tree.text)
        return self._line_starts

    # --- Stages ----------------------------------------------------------------------------

    def chain(self, stage: Stage) -> list[Stage]:
        """The stage and the earlier stages it is built FROM, nearest first."""
        if self._chains is None:
            self._chains = stage_chains(self.stages)
        return self._chains[stage.index]

    def base_image(self, stage: Stage) -> ImageRef:
        """The image the stage really starts from, following `FROM <earlier stage>`."""
        return parse_image(self.chain(stage)[-1].base)

    def user(self, stage: Stage) -> Instruction | None:
        """The USER in effect at the end of the stage: its own last one, or the one of a stage
        it is built FROM (None: the base image's user)."""
        return last_instruction(self.chain(stage), "USER")

    def environment(self, stage: Stage) -> dict[str, str]:
        """The variables a stage starts with: the ENV values of the stages it is built FROM and
        its own ARG defaults (its ENVs take effect in order, as its instructions are read)."""
        found = self._environments.get(stage.index)
        if found is None:
            found = self._environments[stage.index] = stage_environment(self.chain(stage))
        return found

    # --- RUN -------------------------------------------------------------------------------

    def shell_view(self, node: Instruction) -> Script | None:
        """The shell view of a shell-form RUN (or the RUN an ONBUILD wraps), with the SHELL in
        effect for it; None for any other instruction."""
        if self._scripts is None:
            self._scripts = self._every_script()
        return self._scripts.get(id(node))

    def _every_script(self) -> dict[int, Script]:
        tree, scripts = self.tree, {}
        for node in tree.instructions:
            if (node.sub or node).keyword == "RUN":
                script = shell_view(tree, node)
                if script is not None:
                    scripts[id(node)] = script
        return scripts

    @property
    def command_names(self) -> frozenset[str]:
        """The names of the simple commands of every shell-form RUN (opaque scripts' too): a rule
        about `apk` has nothing to do in a file whose RUNs never run it."""
        if self._command_names is None:
            if self._scripts is None:
                self._scripts = self._every_script()
            self._command_names = frozenset(command.words[0].value for script in self._scripts.values()
                                            for command in script.commands if command.words)
        return self._command_names

    # --- Go --------------------------------------------------------------------------------

    def go_builds(self, stage: Stage) -> list[GoBuild]:
        """The `go build` / `go install` commands of the stage, each with its environment."""
        found = self._go_builds.get(stage.index)
        if found is None:
            found = self._go_builds[stage.index] = stage_go_builds(stage, self.environment(stage), self.shell_view)
        return found

    def runtime_builds(self) -> list[GoBuild]:
        """The Go builds of the stages whose files the final stage copies in."""
        stages = self.stages
        if len(stages) < 2:
            return []
        return [build for stage in copied_from(stages, stages[-1]) for build in self.go_builds(stage)]

    # --- What one rule module derives ------------------------------------------------------

    def derived(self, key, compute):
        """`compute()`, once per pass for `key`: for a fact one rule module derives and reads
        more than once (its module name in the key). A fact several modules read gets a
        method of its own above."""
        try:
            return self._derived[key]
        except KeyError:
            found = self._derived[key] = compute()
            return found
