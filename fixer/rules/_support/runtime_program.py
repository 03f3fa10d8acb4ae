"""The Go program the final image runs: which `go build` of the Dockerfile made the
entrypoint's binary, from which package of which module in the build context, and that
package's program model (fixer.context.goprogram).

Rules whose fix depends on what the program does (its user, certificates, zone data, health
endpoint) ask here. The answer is positive evidence or nothing: `program` is None whenever
a link of the chain cannot be told (a command that is not a binary built here, a package
named by a variable, sources that do not come from the build context, a `cd` to a place
that cannot be followed), and `unknown` then says which link. Where the build runs and which
go.mod it finds is fixer.rules._support.gomodule's walk (WORKDIR, `cd`, `pushd`, `-C`, COPY and bind
mounts), the one the Go version rule uses too.
"""
from __future__ import annotations

import posixpath

from ...context.goprogram import CLIENT_WORDS
from ...lazy_regex import lazy_regex
from ...records import record
from ...syntax.tree import Instruction, Stage
from . import gomodule
from .gobuild import GoBuild, copied_from, go_builds, go_words
from .stages import last_instruction, stage_chain

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; type checkers take it as true
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ...context.goprogram import GoProgram
    from ..semantic import SemanticIndex

SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
ADDRESS_WORDS = frozenset({"PORT", "ADDR", "ADDRESS", "LISTEN", "BIND", "HOST"})
NAME_WORDS = lazy_regex(r"[-_.]")
PORT_OF = lazy_regex(r"(?:.*:)?(\d{1,5})")  # the port of an address: `:8080`, `0.0.0.0:80`, `443`
# file watchers that run `go build`/`go run` again on every change: a hot-reload image
REBUILDERS = frozenset({"reflex", "air", "CompileDaemon", "gin", "fresh", "realize", "watchexec", "nodemon", "modd",
                        "gow", "entr", "wgo", "gowatch", "bee"})


def address_flags(chain) -> list[tuple[Instruction, str, str]]:
    """The flags of the ENTRYPOINT and CMD in effect that name a listen port, address or host
    (`-listen :8443`, `--port=80`; not a client's `--db-host`): (instruction, flag as
    written, its value)."""
    found = []
    for node in filter(None, (last_instruction(chain, "ENTRYPOINT"), last_instruction(chain, "CMD"))):
        words = list(node.values) if node.json else node.arguments.split()
        for index, word in enumerate(words):
            if not word.startswith("-") or word in ("-", "--"):
                continue
            name, equals, value = word.lstrip("-").partition("=")
            parts = {part.upper() for part in NAME_WORDS.split(name)}
            if not parts & ADDRESS_WORDS or parts & CLIENT_WORDS:
                continue
            if not equals:
                following = words[index + 1] if index + 1 < len(words) else ""
                value = "" if following.startswith("-") else following
            found.append((node, word, value))
    return found


def rebuilder(command: Instruction | None) -> str:
    """The file watcher the command runs, which builds the source again at run time (a
    development image, whose toolchain is the point), or ""."""
    if command is None:
        return ""
    words = command.values if command.json else tuple(command.arguments.split())
    name = words[0].strip("\"'").rsplit("/", 1)[-1] if words else ""
    return name if name in REBUILDERS else ""


@record(frozen=True)
class RuntimeProgram:
    command: Instruction | None    # the ENTRYPOINT or CMD in effect
    executable: str                # its first word, as written ("" when there is no command)
    build: GoBuild | None          # the build that makes it
    program: GoProgram | None = None  # when every link is known
    unknown: str = ""              # which link is not known, when `program` is None
    evidence: tuple[str, ...] = ()

    @property
    def is_go_binary(self) -> bool:
        """Whether the command runs a binary a `go build` of this Dockerfile makes."""
        return self.build is not None


def runtime_program(checker, stages: Sequence[Stage], final: Stage) -> RuntimeProgram:
    """What the final stage runs, read once per pass."""
    return checker.index.derived(("runtime_program", final.index),
                                 lambda: _runtime_program(checker.index, checker.context, stages, final))


def _runtime_program(index: SemanticIndex, context, stages: Sequence[Stage], final: Stage) -> RuntimeProgram:
    chain = stage_chain(stages, final)
    command = last_instruction(chain, "ENTRYPOINT") or last_instruction(chain, "CMD")
    executable = _executable(command)
    if command is None or not executable:
        return RuntimeProgram(command, "", None, unknown="the final stage runs no command of its own")
    built = _build_of(index, stages, final, executable)
    if built is None:
        return RuntimeProgram(command, executable, None,
                              unknown=f"{executable} is not a binary a `go build` of this Dockerfile makes")
    build, stage = built
    runs = (f"{command.keyword} (line {command.start_line}) runs {executable}, which `go {build.subcommand.value}` "
            f"makes at line {build.instruction.start_line}")
    if context is None:
        return RuntimeProgram(command, executable, build, unknown="there is no build context to read the program from",
                              evidence=(runs,))
    found = _program_in(index, stage, build, context)
    if isinstance(found, str):
        return RuntimeProgram(command, executable, build, unknown=found, evidence=(runs,))
    program, where = found
    elsewhere = _other_contexts(index, stage, build, context, program)
    if isinstance(elsewhere, str):
        return RuntimeProgram(command, executable, build, unknown=elsewhere, evidence=(runs,))
    read = f"package {where}: {program.files} Go files in {len(program.packages)} local packages read"
    return RuntimeProgram(command, executable, build, program, evidence=(runs, read, *elsewhere))


def _program_in(index, stage, build: GoBuild, context):
    """(the program the build makes from this context, where it is in the context), or why it
    cannot be told."""
    located = _package_in_context(index, stage, build, context)
    if isinstance(located, str):
        return located
    module_directory, package = located
    program = context.program(module_directory, package)
    where = package if module_directory == "." else f"{package} of the module in {module_directory}/"
    if program is None:
        return f"{where} is not a main package dockerfix can read"
    return program, where


def _other_contexts(index, stage, build: GoBuild, context, program) -> tuple[str, ...] | str:
    """Evidence that every build of the file the repository runs (CI, Compose, a Makefile)
    makes the same program from its context, or why that is not known: a fix resting on the
    program must be right for each of them."""
    project, dockerfile = context.project, context.dockerfile
    if project is None or dockerfile is None:
        return ()
    others = []
    for use in project.builds_of(dockerfile):
        if use.context is None:
            what = "of built binaries" if use.prebuilt else "dockerfix cannot tell"
            return f"{use.source} builds this file from a context {what}"
        if use.context.rstrip("/") == str(context.root).rstrip("/"):
            continue
        theirs = _program_in(index, stage, build, context.at(use.context))
        if isinstance(theirs, str) or theirs[0] != program:
            return f"{use.source} builds this file from another context, where the program is not the same"
        others.append(use.source)
    if project.incomplete_for(dockerfile):
        return f"a build the repository runs may build this file from another context ({project.unresolved[0]})"
    return (f"the same program from the contexts of {', '.join(dict.fromkeys(others))}",) if others else ()


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
    first = _unquoted(words[0]) if words else ""
    return first if "$" not in first else ""


def _unquoted(word: str) -> str:
    """A shell word in one pair of quotes (`"/app/server"`), without them."""
    if len(word) > 1 and word[0] == word[-1] and word[0] in "'\"":
        return word[1:-1]
    return word


def _build_of(index, stages, final, executable: str) -> tuple[GoBuild, Stage] | None:
    """The build whose binary the executable is: one of the same file name made in the final
    stage's chain or in a stage it copies from, or the only build of the stage the
    executable is copied from. A name two builds share is not told apart."""
    chain = stage_chain(stages, final)
    sources = [*chain, *(source for stage in chain for source in copied_from(stages, stage))]
    name = posixpath.basename(executable)
    candidates = [(build, stage) for stage in dict.fromkeys(sources) for build in go_builds(index, stages, stage)
                  if _binary_name(build) == name]
    if not candidates:
        stage = _stage_copied_to(stages, chain, executable)
        builds = go_builds(index, stages, stage) if stage is not None else []
        if stage is not None and len(builds) == 1 and _binary_name(builds[0]) is None:
            candidates = [(builds[0], stage)]
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
    """The package words of the build: what follows its flags (and `-C dir`)."""
    words = go_words(build.command)[0]  # type: ignore[index]  # a GoBuild's command runs go
    arguments = [word.value for word in words[words.index(build.subcommand) + 1:]]
    return gomodule.package_arguments(build.subcommand.value, gomodule.change_directory_flag(arguments)[1])


def _package_in_context(index, stage, build: GoBuild, context) -> tuple[str, str] | str:
    """(module directory in the context, package relative to it), or why it cannot be told.
    Where the build runs, which go.mod it finds and what the stage copied where come from
    fixer.rules._support.gomodule, which follows WORKDIR, `cd`, `pushd`, subshells and `-C`."""
    use = gomodule.build_use(index, stage, build.command, context)
    if use is None or use.directory is None:
        return "the build runs in a directory dockerfix cannot tell (a `cd` or `-C` it cannot follow)"
    if use.problem:
        return use.problem
    packages = list(use.packages) or ["."]
    files = all(word.endswith(".go") for word in packages)
    if use.go_mod is None and not files or use.go_mod is not None and context.go_mod_file(use.go_mod) is None:
        return "the build context has no go.mod for the build"
    if len(packages) > 1 and not files:
        return "the build names several packages"
    if any("$" in word for word in packages):
        return "the build's package is a variable"
    directories = {gomodule.package_directory(use, word, context) for word in packages}
    image_directory = directories.pop() if len(directories) == 1 else None
    if image_directory is None:
        return f"{' '.join(packages)} is not one package directory of the build's module"
    source = gomodule.context_directory(image_directory, use.placements)
    if source is None:
        return f"the sources in {image_directory} are not the build context copied whole"
    module_directory = _module_directory(use.go_mod, source, context)
    if module_directory is None:
        return f"the sources in {image_directory} lie outside the module of {use.go_mod}"
    below = posixpath.relpath(source, module_directory)
    if below == ".." or below.startswith("../"):
        return f"the sources in {image_directory} lie outside the module of {use.go_mod}"
    package = "." if below == "." else "./" + below
    if packages[0].endswith(".go"):
        package = " ".join(posixpath.join(package, posixpath.basename(word)) for word in packages)
    return module_directory, package


def _module_directory(go_mod: str | None, source: str, context) -> str | None:
    """The context directory of the module the package at `source` is built in: the go.mod's;
    in a workspace (go.work) the nearest module at or above the package within it; for .go
    files built where no go.mod is (the go command then builds them alone), the nearest
    module of the context, for reading them."""
    if go_mod is not None and not go_mod.endswith("go.work"):
        return posixpath.dirname(go_mod) or "."
    top = posixpath.dirname(go_mod) or "." if go_mod is not None else "."
    directory = source
    while not context.exists(posixpath.join(directory, "go.mod")):
        if directory in (".", "", top):
            return None
        directory = posixpath.dirname(directory) or "."
    return directory
