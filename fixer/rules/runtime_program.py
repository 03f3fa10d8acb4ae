"""The Go program the final image runs: which `go build` of the Dockerfile made the
entrypoint's binary, from which package of which module in the build context, and that
package's program model (fixer.context.goprogram).

Rules whose fix depends on what the program does (its user, certificates, zone data, health
endpoint) ask here. The answer is positive evidence or nothing: `program` is None whenever
a link of the chain cannot be told (a command that is not a binary built here, a package
named by a variable, sources that do not come from the build context, a `cd` before the
build), and `unknown` then says which link.
"""
from __future__ import annotations

import posixpath

from ..records import record
from ..syntax.tree import Dockerfile, Instruction, Stage
from .gobuild import BOOLEAN_FLAGS, GoBuild, copied_from, go_builds, go_words
from .images import last_instruction, stage_chain

SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})


@record(frozen=True)
class RuntimeProgram:
    command: Instruction | None    # the ENTRYPOINT or CMD in effect
    executable: str                # its first word, as written ("" when there is no command)
    build: GoBuild | None          # the build that makes it
    program: object = None         # the GoProgram, when every link is known
    unknown: str = ""              # which link is not known, when `program` is None
    evidence: tuple[str, ...] = ()

    @property
    def is_go_binary(self) -> bool:
        """Whether the command runs a binary a `go build` of this Dockerfile makes."""
        return self.build is not None


def runtime_program(checker, stages: list[Stage], final: Stage) -> RuntimeProgram:
    """What the final stage runs, read once per pass."""
    key = ("runtime_program", final.index)
    found = checker.tree.cache.get(key)
    if found is None:
        found = checker.tree.cache[key] = _runtime_program(checker.tree, checker.context, stages, final)
    return found


def _runtime_program(tree: Dockerfile, context, stages: list[Stage], final: Stage) -> RuntimeProgram:
    chain = stage_chain(stages, final)
    command = last_instruction(chain, "ENTRYPOINT") or last_instruction(chain, "CMD")
    executable = _executable(command)
    if not executable:
        return RuntimeProgram(command, "", None, unknown="the final stage runs no command of its own")
    built = _build_of(tree, stages, final, executable)
    if built is None:
        return RuntimeProgram(command, executable, None,
                              unknown=f"{executable} is not a binary a `go build` of this Dockerfile makes")
    build, stage = built
    runs = (f"{command.keyword} (line {command.start_line}) runs {executable}, which `go {build.subcommand.value}` "
            f"makes at line {build.instruction.start_line}")
    if context is None:
        return RuntimeProgram(command, executable, build, unknown="there is no build context to read the program from",
                              evidence=(runs,))
    located = _package_in_context(tree, stages, stage, build, context)
    if isinstance(located, str):
        return RuntimeProgram(command, executable, build, unknown=located, evidence=(runs,))
    module_directory, package = located
    program = context.program(module_directory, package)
    where = package if module_directory == "." else f"{package} of the module in {module_directory}/"
    if program is None:
        return RuntimeProgram(command, executable, build, unknown=f"{where} is not a main package dockerfix can read",
                              evidence=(runs,))
    read = (f"package {where}: {program.files} Go files in {len(program.packages)} local packages read")
    return RuntimeProgram(command, executable, build, program, evidence=(runs, read))


def _executable(command: Instruction | None) -> str:
    """The program a command starts: the first exec-form word, or the first shell word (through
    `sh -c "…"` too, when that is a single word)."""
    if command is None:
        return ""
    words = list(command.values) if command.json else command.arguments.split()
    if len(words) >= 3 and words[0].rsplit("/", 1)[-1] in SHELLS and words[1] == "-c":
        words = words[2].split()
    if words and words[0] == "exec":
        words = words[1:]
    return words[0] if words and "$" not in words[0] else ""


def _build_of(tree, stages, final, executable: str) -> tuple[GoBuild, Stage] | None:
    """The build whose binary the executable is: one of the same file name made in the final
    stage's chain or in a stage it copies from, or the only build of the stage the
    executable is copied from. A name two builds share is not told apart."""
    chain = stage_chain(stages, final)
    sources = [*chain, *(source for stage in chain for source in copied_from(stages, stage))]
    name = posixpath.basename(executable)
    candidates = [(build, stage) for stage in dict.fromkeys(sources) for build in go_builds(tree, stages, stage)
                  if _binary_name(build) == name]
    if not candidates:
        stage = _stage_copied_to(stages, chain, executable)
        builds = go_builds(tree, stages, stage) if stage is not None else []
        candidates = [(builds[0], stage)] if len(builds) == 1 and _binary_name(builds[0]) is None else []
    return candidates[0] if len(candidates) == 1 else None


def _stage_copied_to(stages, chain, executable: str) -> Stage | None:
    """The stage a `COPY --from` of the chain takes the executable's file from."""
    if not executable.startswith("/"):
        return None
    for stage in chain:
        for node in reversed(stage.instructions):
            origin = node.flag_values("from") if node.keyword == "COPY" else []
            if not origin or len(node.values) != 2:
                continue
            source, destination = node.values
            if destination == executable or (destination.endswith("/") and
                                              destination + posixpath.basename(source) == executable):
                return next((s for s in stages if origin[0] in (s.name, str(s.index))), None)
    return None


def _binary_name(build: GoBuild) -> str | None:
    output = build.value_of("o")
    if output is not None:
        value = output[2].strip("'\"")
        return None if "$" in value or value.endswith("/") else posixpath.basename(value)
    packages = package_arguments(build)
    if len(packages) != 1 or "$" in packages[0]:
        return None
    package = packages[0].rstrip("/")
    if package.endswith(".go"):
        return posixpath.basename(package)[:-3]
    last = posixpath.basename(posixpath.normpath(package))
    return None if last in (".", "..") else last


def package_arguments(build: GoBuild) -> list[str]:
    """The package words of the build: what follows its flags."""
    words = go_words(build.command)[0]
    index = words.index(build.subcommand) + 1
    while index < len(words) and words[index].value.startswith("-") and words[index].value != "--":
        value = words[index].value
        name = value.lstrip("-").split("=", 1)[0]
        index += 1 if "=" in value or f"-{name}" in BOOLEAN_FLAGS else 2
    if index < len(words) and words[index].value == "--":
        index += 1
    return [word.value for word in words[index:]]


def _package_in_context(tree, stages, stage, build: GoBuild, context) -> tuple[str, str] | str:
    """(module directory in the context, package relative to it), or why it cannot be told."""
    if _changes_directory(build):
        return "the build changes directory first"
    packages = package_arguments(build)
    if len(packages) > 1 and not all(word.endswith(".go") for word in packages):
        return "the build names several packages"
    package = " ".join(packages) or "."
    if "$" in package:
        return "the build's package is a variable"
    chain = stage_chain(stages, stage)
    steps = [node for earlier in reversed(chain) for node in earlier.instructions]
    workdir = _workdir_before(steps, build.instruction)
    copied = _context_directory_at(steps, build.instruction, workdir, context)
    if copied is None:
        return f"the sources in {workdir} are not the build context copied whole"
    directory = copied
    while not context.exists(posixpath.join(directory, "go.mod")):
        if directory in (".", ""):
            return "the build context has no go.mod for the build"
        directory = posixpath.dirname(directory) or "."
    below = posixpath.relpath(copied, directory)
    relative = [_below(below, word) if word.startswith(".") else word for word in package.split()]
    return directory, " ".join(relative)


def _below(directory: str, package: str) -> str:
    """A package relative to the build's directory, made relative to the module's."""
    joined = posixpath.normpath(posixpath.join(directory, package))
    return joined if joined == "." else "./" + joined


def _changes_directory(build: GoBuild) -> bool:
    before = [command for command in build.script.commands if command.words and command is not build.command]
    return any(command.name in ("cd", "pushd") for command in before) or \
        any(word.value == "-C" for word in go_words(build.command)[0])


def _workdir_before(steps: list[Instruction], node: Instruction) -> str:
    workdir = "/"
    for step in steps:
        if step is node:
            break
        if step.keyword == "WORKDIR" and step.values:
            workdir = posixpath.normpath(posixpath.join(workdir, step.values[0]))
    return workdir


def _context_directory_at(steps: list[Instruction], node: Instruction, workdir: str, context) -> str | None:
    """The context directory that `workdir` holds a copy of at `node`, from the COPY
    instructions before it: a directory copied to it or above it (`COPY . .`), or entries
    copied into it that all agree where it comes from (`COPY go.mod go.sum ./` with
    `COPY cmd cmd`). None when they disagree or nothing was copied there."""
    whole, roots, current = None, set(), "/"
    for step in steps:
        if step is node:
            break
        if step.keyword == "WORKDIR" and step.values:
            current = posixpath.normpath(posixpath.join(current, step.values[0]))
        for image_path, context_path, is_directory in _copied(step, current, context):
            if is_directory and (workdir == image_path or workdir.startswith(image_path.rstrip("/") + "/")):
                below = posixpath.relpath(workdir, image_path)
                whole, roots = posixpath.normpath(posixpath.join(context_path, below)), set()
            elif image_path.startswith(workdir.rstrip("/") + "/"):
                inside = posixpath.relpath(image_path, workdir)
                if context_path == inside or context_path.endswith("/" + inside):
                    roots.add(posixpath.normpath(context_path[:len(context_path) - len(inside)] or "."))
                else:
                    roots.add(None)
    if roots:
        if whole is not None:
            roots.add(whole)
        return roots.pop() if len(roots) == 1 else None
    return whole


def _copied(step: Instruction, workdir: str, context) -> list[tuple[str, str, bool]]:
    """(image path, context path, whether a directory) for each source of a COPY or ADD from
    the build context; nothing for one whose paths have variables, wildcards or URLs."""
    if step.keyword not in ("COPY", "ADD") or step.flag_values("from") or len(step.values) < 2:
        return []
    *sources, destination = step.values
    if any("$" in value or "*" in value or "?" in value or "://" in value for value in step.values):
        return []
    target = posixpath.normpath(posixpath.join(workdir, destination))
    into = destination.endswith("/") or len(sources) > 1
    found = []
    for source in sources:
        path = posixpath.normpath(source.lstrip("/") or ".")
        directory = context.is_directory(path)
        image_path = target if directory or not into else posixpath.join(target, posixpath.basename(path))
        found.append((image_path, path, directory))
    return found
