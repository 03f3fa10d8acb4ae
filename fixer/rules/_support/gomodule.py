"""Which Go module a build stage builds: the go.mod the go command finds where it runs.

The go command takes its main module from the go.mod in its working directory or the
nearest one above it (a go.work there or above makes a workspace of several). So for each
go command of a stage (and of the stages built FROM it) we follow WORKDIR, `cd`, `pushd`,
subshells and `-C` to the directory it runs in, and COPY, ADD and RUN bind mounts back from that directory
to the build context: the go.mod there is the one that applies. A package named on the
command line that lies in another module (`go build ./tools/x` with tools/x/go.mod) is
built with a go.mod we cannot pick, and said so.

A stage that runs no go command, only a build tool (`make`, a script), is taken to build
the module of the directory the tool runs in: `uses` marks those as `by_tool`.

The same walk tells which package of the context a `go build` compiles (`build_use`, then
`context_directory` of the package's directory): fixer.rules._support.runtime_program follows it from
the image's command to the program's sources.
"""
from __future__ import annotations

import posixpath

from ...lazy_regex import lazy_regex
from ...records import field, record, replace
from ...syntax.shell import lex_script
from ...syntax.tree import Dockerfile, Instruction, Stage
from .gobuild import BOOLEAN_FLAGS, go_words
from .stages import stage_chain, variables_set

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; type checkers take it as true
if TYPE_CHECKING:
    from ...syntax.shell import SimpleCommand
    from ..semantic import SemanticIndex

# Subcommands that load the main module (`go env`, `go version`, `go work init` do not).
MODULE_SUBCOMMANDS = frozenset({"build", "install", "run", "test", "vet", "generate", "mod", "list", "get", "tool",
                                "fmt", "fix"})
PACKAGE_SUBCOMMANDS = frozenset({"build", "install"})  # every argument after the flags is a package
GO_PROGRAMS = frozenset({"go", "xx-go"})  # xx-go: tonistiigi/xx's cross-compiling wrapper
BUILD_TOOLS = frozenset({"make", "gmake", "mage", "task", "just", "goreleaser"})
GOLANG_IMAGE_ENV = {"GOPATH": "/go"}  # set by the golang images, used in WORKDIR $GOPATH/src/…
VARIABLE = lazy_regex(r"\$(?:\{(\w+)\}|(\w+))")
SHELLS = frozenset({"sh", "bash", "ash", "dash"})
UNKNOWN = "?"  # the origin of files that are not the build context's (another stage or image, a RUN)


@record
class Placement:
    """Files the stage has at `image` (a file, or a directory and everything below it), from
    `source` in the build context (UNKNOWN: from elsewhere). A mount hides what was below
    it; a directory of unknown origin that does not hide is taken to bring no go.mod."""

    image: str
    source: str
    directory: bool
    hides: bool = False
    pattern: str = ""      # only the files of `source` matching it, put directly into `image`
    foreign: bool = False  # files from another stage, an image or a heredoc: not a directory known to
                           # exist, and no go.mod (those are placements of their own); Go sources may be


@record
class ModuleUse:
    """One go command (or build tool) of a stage, and the go.mod that applies to it."""

    node: Instruction
    command: str                # as shown: "go build", "make"
    directory: str | None       # where it runs, in the image; None where a `cd` leads we cannot tell
    go_mod: str | None = None   # the go.mod (or go.work) that applies, a path in the context
    problem: str = ""           # why the go.mod that applies cannot be told
    by_tool: bool = False       # a build tool, not the go command
    packages: tuple[str, ...] = ()  # the package arguments, as written (build, install, run)
    shell_command: SimpleCommand | None = None  # the command of a shell-form RUN it is
    placements: tuple[Placement, ...] = ()  # what the stage holds where when it runs (context_directory)


@record
class _State:
    workdir: str | None = "/"   # None: a WORKDIR that cannot be told
    environment: dict = field(default_factory=dict)
    placements: list[Placement] = field(default_factory=list)


def uses(index: SemanticIndex, stage: Stage, context) -> list[ModuleUse]:
    """The go commands (or, if there are none, build tools) that run in `stage` and in the
    stages built FROM it, with the go.mod each one finds. Commands that find no go.mod (a
    `go install tool@version`, GOPATH mode) are left out."""
    found: list[ModuleUse] = []
    for later in index.stages[stage.index:]:
        chain = index.chain(later)
        if stage in chain:
            found += _stage_uses(index, list(reversed(chain[:chain.index(stage) + 1])), context)
    found = [use for use in found if use.go_mod or use.problem]
    return [use for use in found if not use.by_tool] or found


def build_use(index: SemanticIndex, stage: Stage, command, context) -> ModuleUse | None:
    """The use of `command`, a go command of one of the stage's shell-form RUNs, after every
    stage it is built FROM has set up its files; None when it loads no main module (`go
    install tool@v1`). Unlike `uses`, a command that finds no go.mod, or runs where we cannot
    tell, is given all the same (`go_mod` None, `directory` None)."""
    chain = list(reversed(index.chain(stage)))
    return next((use for use in _stage_uses(index, chain, context) if use.shell_command is command), None)


def context_file(tree: Dockerfile, stage: Stage, path: str, context) -> str | None:
    """The file of the build context that the file at `path` in the image of `stage` is a
    copy of (a relative `path` from the stage's last WORKDIR), by the walk that finds go.mod:
    None when no COPY or ADD of the stage's chain puts one there from the context."""
    state = _State(environment=dict(GOLANG_IMAGE_ENV))
    for each in reversed(stage_chain(tree.stages(), stage)):
        for node in each.instructions:
            if node.keyword != "RUN":
                _apply(node, state, context)
    image_path = _absolute(state.workdir, _expand(path, state.environment))
    if image_path is None:
        return None
    origin = _origin(image_path, state.placements, context, context.exists)
    return origin if origin not in ("", UNKNOWN) else None


def context_directory(path: str, placements) -> str | None:
    """The directory of the build context that the image's directory `path` is a copy of, as
    the go command finds it: from the last copy of a directory at or above it (`COPY . .`),
    and the entries copied into it since, which must all agree where they come from (`COPY
    go.mod go.sum ./` with `COPY cmd cmd`). None when they disagree, when nothing was copied
    there, or when Go sources may have come from elsewhere (another stage, a heredoc)."""
    whole: str | None = None
    roots: set[str | None] = set()
    foreign = False
    for placement in placements:
        below = _below(path, placement.image)
        if placement.foreign:
            foreign = foreign or below is not None or (
                placement.image.endswith(".go") and _below(placement.image, path) is not None)
        elif below is not None and placement.directory and not placement.pattern:
            whole = UNKNOWN if placement.source == UNKNOWN else posixpath.normpath(
                posixpath.join(placement.source, below))
            roots, foreign = set(), foreign and not placement.hides
        elif below == "." and placement.pattern:  # `*.go`: files; `*` also directories' contents
            roots.add(placement.source if "." in placement.pattern else None)
        elif (inside := _below(placement.image, path)) not in (None, "."):
            roots.add(_root_of(placement.source, inside))
    if UNKNOWN in roots or None in roots or foreign or whole == UNKNOWN:
        return None
    if roots and whole is not None:
        roots.add(whole)
    if roots:
        return roots.pop() if len(roots) == 1 else None
    return whole


def package_directory(use: ModuleUse, package: str, context) -> str | None:
    """The image directory of one package argument of the use (".", "./cmd/x", "/src/cmd/x",
    "main.go", or an import path in the module of its go.mod); None for a pattern, an import
    path outside that module, or where the use's directory is not known."""
    if use.directory is None or "..." in package:
        return None
    if package.endswith(".go"):
        return _absolute(use.directory, posixpath.dirname(package) or ".")
    if package.startswith((".", "/")):
        return _absolute(use.directory, package)
    module = context.go_mod_file(use.go_mod) if use.go_mod and use.go_mod.endswith("go.mod") else None
    found = _find_upwards("go.mod", use.directory, use.placements, context) if module else None
    if module is None or found is None or not (package == module.path or package.startswith(module.path + "/")):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(found[0]), package[len(module.path):].lstrip("/")))


def _root_of(source: str, inside: str) -> str | None:
    """The context directory an entry copied to `inside` (relative to a directory) says that
    directory is: `cmd/server` copied to `server` says `cmd`; None when the names differ."""
    if source == inside:
        return "."
    return posixpath.normpath(source[:-len(inside)]) if source.endswith("/" + inside) else None


def _stage_uses(index: SemanticIndex, chain: list[Stage], context) -> list[ModuleUse]:
    """The uses of the last stage of `chain`, after the stages before it have set up files:
    walked once per pass for each chain and context (`uses` and `build_use` share it)."""
    key = ("gomodule", tuple(stage.index for stage in chain), id(context))
    # the context is kept with what was found, so that its id is not another's while the pass lasts
    return index.derived(key, lambda: (context, _walk_uses(index, chain, context)))[1]


def _walk_uses(index: SemanticIndex, chain: list[Stage], context) -> list[ModuleUse]:
    state = _State(environment=dict(GOLANG_IMAGE_ENV))
    found = []
    for stage in chain:
        for node in stage.instructions:
            if node.keyword == "RUN":
                found += _run_uses(index, node, state, context, collect=stage is chain[-1])
            else:
                _apply(node, state, context)
    return found


def _apply(node: Instruction, state: _State, context) -> None:
    keyword = node.keyword
    if keyword == "WORKDIR" and node.values:
        state.workdir = _absolute(state.workdir, _expand(node.values[0], state.environment))
    elif keyword in ("ENV", "ARG"):
        for name, value in variables_set(node):
            if value is not None and (keyword == "ENV" or name not in state.environment):
                expanded = _expand(value.strip("\"'"), state.environment)
                state.environment[name] = UNKNOWN if expanded is None else expanded
    elif keyword in ("COPY", "ADD"):
        state.placements += _copied(node, state, context)


def _copied(node: Instruction, state: _State, context) -> list[Placement]:
    """Where a COPY or ADD puts which files of the context. From elsewhere (another stage or
    image, a heredoc) a go.mod or go.work counts, and the rest is marked foreign; a git
    repository ADDed, and sources we cannot expand, leave their destination unknown."""
    values = [_expand(value, state.environment) for value in node.values]
    target = _absolute(state.workdir, values[-1]) if len(values) >= 2 else None
    if target is None:
        return []  # nowhere we can tell: it is taken to bring no go.mod
    *sources, destination = values
    into_directory = destination.endswith("/") or (  # type: ignore[union-attr]  # known, as target is
        destination in (".", "..") or len(sources) > 1 or target in _directories(state))
    known = [source for source in sources if source is not None]
    if len(known) < len(sources) or node.flag_values("parents"):
        return [Placement(target, UNKNOWN, True, hides=True)]
    if node.flag_values("from") or node.heredocs:
        names = [posixpath.basename(source.rstrip("/")) for source in known] if into_directory else \
            [posixpath.basename(target)]
        return [*_foreign(names, target, into_directory),
                *(Placement(posixpath.join(target, name) if into_directory else target, UNKNOWN, False)
                  for name in names if name in ("go.mod", "go.work"))]
    placed = []
    for source in known:
        if "://" in source or source.startswith("git@"):
            if node.keyword == "ADD" and (".git" in source or source.startswith("git@")):
                placed.append(Placement(target, UNKNOWN, True, hides=True))
            continue
        placed += _placed(source.lstrip("/") or ".", target, into_directory, context)
    return placed


def _foreign(names: list[str], target: str, into_directory: bool) -> list[Placement]:
    """Where files from outside the context land: a .go file named, or whatever a source that
    may be a directory holds, put into the target (COPY copies a directory's contents)."""
    if not into_directory:
        return [Placement(target, UNKNOWN, True, foreign=True)]
    return [Placement(posixpath.join(target, name), UNKNOWN, False, foreign=True) if name.endswith(".go")
            else Placement(target, UNKNOWN, True, foreign=True) for name in dict.fromkeys(names)]


def _placed(source: str, target: str, into_directory: bool, context) -> list[Placement]:
    source = posixpath.normpath(source)
    if any(char in source for char in "*?["):
        # for go.mod: `COPY go.* ./`, `COPY * ./` bring it when the pattern matches it
        directory, pattern = posixpath.split(source)
        if any(char in directory for char in "*?["):
            return [Placement(target, UNKNOWN, True, foreign=True)]
        placed = [Placement(target, directory or ".", True, pattern=pattern) if into_directory
                  else Placement(target, UNKNOWN, True, foreign=True)]
        go_mod = posixpath.join(directory, "go.mod")
        if _fnmatch("go.mod", pattern) and context.go_mod_file(go_mod) is not None:
            placed.append(Placement(posixpath.join(target, "go.mod"), go_mod, False))
        return placed
    if context.is_directory(source):
        return [Placement(target, source, True)]
    name = posixpath.basename(source)
    return [Placement(posixpath.join(target, name) if into_directory else target, source, False)]


def _run_uses(index: SemanticIndex, node: Instruction, state: _State, context, collect: bool) -> list[ModuleUse]:
    """The uses of a RUN's go commands (`collect`), after noting the go.mod a `go mod init`
    makes, which is all an earlier stage of the chain is walked for."""
    mounted = _mounts(node, state, context) if collect else []
    placements = state.placements + mounted
    commands: list[tuple[object, list[str], str | None, dict]]
    if node.json:
        commands = [(None, list(node.values), state.workdir, {})]
    else:
        commands = [command for script in _scripts(index, node)
                    for command in _commands_with_directories(script, state)]
    found = []
    for command, argv, directory, assigned in commands:
        if {**state.environment, **assigned}.get("GO111MODULE") == "off":
            continue  # GOPATH mode: go.mod is not read
        use = _use(node, argv, directory, {**state.environment, **assigned}, placements, context) if collect else None
        if use is not None:
            found.append(replace(use, shell_command=command, placements=tuple(placements)))
        if argv[:3] == ["go", "mod", "init"] and directory:
            created = Placement(posixpath.join(directory, "go.mod"), UNKNOWN, False)
            state.placements.append(created)
            placements.append(created)
    return found


def _scripts(index: SemanticIndex, node: Instruction) -> list:
    """The shell scripts a RUN runs: its heredocs when it hands them to the shell (`RUN <<EOT`,
    `RUN bash <<EOT`), else its command line. They are only read here, so a script rules may
    not rewrite (`case`, a heredoc) is read all the same."""
    words = node.arguments.split()
    if node.heredocs and words and (words[0].startswith("<<") or words[0] in SHELLS):
        return [lex_script(heredoc.content) for heredoc in node.heredocs]
    script = index.shell_view(node)
    return [script] if script is not None else []


def _commands_with_directories(script, state: _State) -> list[tuple[object, list[str], str | None, dict]]:
    """Each command, its words (from `go` on for `env … go`), the directory it runs in, and
    the variables it is given. The directory follows `cd` and `pushd`/`popd`, and comes back
    where a subshell `( … )` ends; it is None where a `cd` leads somewhere we cannot tell."""
    directory: str | None = state.workdir
    subshells: list[str | None] = []  # the directory at each open `(`
    pushed: list[str | None] = []
    operators = iter(script.operators)
    operator = next(operators, None)
    found = []
    for command in script.commands:
        while operator is not None and operator.start < command.start:
            if operator.text == "(":
                subshells.append(directory)
            elif operator.text == ")" and subshells:
                directory = subshells.pop()
            operator = next(operators, None)
        if command.compound_header or not command.words:
            continue
        if command.name in ("cd", "pushd"):
            if command.name == "pushd":
                pushed.append(directory)
            target = _directory_argument(command, state.environment)
            directory = _absolute(directory, target) if directory and target else None
            continue
        if command.name == "popd":
            directory = pushed.pop() if pushed else None
            continue
        go = go_words(command)
        words, assignments = go if go is not None else (command.words, command.assignments)
        assigned = dict(word.value.split("=", 1) for word in assignments if "=" in word.value)
        found.append((command, [word.value for word in words], directory, assigned))
    return found


def _directory_argument(command, environment: dict) -> str | None:
    """Where `cd DIR` or `pushd DIR` goes, expanded; None for `cd` alone (home), `cd -`,
    `pushd +1`, and what cannot be expanded."""
    words = [word.value for word in command.words[1:]]
    while words and words[0] in ("-P", "-L", "-e"):
        words = words[1:]
    words = words[1:] if words[:1] == ["--"] else words
    if len(words) != 1 or words[0] == "-" or words[0][:1] in ("+", "~"):
        return None
    return _expand(words[0], environment)


def _use(node, argv: list[str], directory: str | None, environment: dict, placements, context) -> ModuleUse | None:
    program = argv[0].rsplit("/", 1)[-1] if argv else ""
    if program in GO_PROGRAMS:
        return _go_use(node, argv, directory, environment, placements, context)
    if directory is not None and _is_build_tool(program, argv):
        return ModuleUse(node, program, directory, *_module_at(directory, placements, context, environment),
                         by_tool=True)
    return None


def _is_build_tool(program: str, argv: list[str]) -> bool:
    """`make`, `mage`, …, and scripts: `./build.sh`, `sh scripts/build.sh`."""
    script = argv[1] if program in ("sh", "bash") and len(argv) > 1 else argv[0]
    return program in BUILD_TOOLS or script.endswith(".sh") or script.startswith("./")


def _go_use(node, argv: list[str], directory: str | None, environment: dict, placements,
            context) -> ModuleUse | None:
    index = 1
    while index < len(argv) and argv[index].startswith("-"):  # `go -C dir build` (older forms)
        if argv[index] == "-C" and index + 1 < len(argv):
            directory = _absolute(directory, _expand(argv[index + 1], environment))
        index += 2 if argv[index] == "-C" else 1
    if index >= len(argv) or argv[index] not in MODULE_SUBCOMMANDS:
        return None
    subcommand, arguments = argv[index], argv[index + 1:]
    changed, arguments = change_directory_flag(arguments)
    if changed is not None:
        directory = _absolute(directory, _expand(changed, environment))
    packages = package_arguments(subcommand, arguments)
    if subcommand in ("install", "run") and any("@" in package for package in packages):
        return None  # `go install tool@v1.2.3` builds outside the main module
    if subcommand == "mod" and arguments[:1] == ["init"]:
        return None
    shown = f"go {subcommand}"
    if directory is None:
        return ModuleUse(node, shown, None, packages=tuple(packages))
    go_mod, problem = _module_at(directory, placements, context, environment)
    if "-modfile" in " ".join(arguments):
        problem = f"`{shown} -modfile` names its own go.mod"
    elif go_mod is not None and not go_mod.endswith("go.work"):
        problem = _other_module(shown, packages, directory, go_mod, placements, context) or problem
    return ModuleUse(node, shown, directory, go_mod, problem, packages=tuple(packages))


def change_directory_flag(arguments: list[str]) -> tuple[str | None, list[str]]:
    """(the directory of `go build -C dir`, the arguments after it): the go command takes -C
    only as the first flag after the subcommand."""
    first = arguments[0] if arguments else ""
    if first in ("-C", "--C") and len(arguments) > 1:
        return arguments[1], arguments[2:]
    if first.startswith(("-C=", "--C=")):
        return first.split("=", 1)[1], arguments[1:]
    return None, arguments


def _module_at(directory: str, placements, context, environment: dict) -> tuple[str | None, str]:
    """(the go.work or go.mod that applies in `directory`, a path in the context; why it
    cannot be told). A go.work at or above the directory wins, as it does for the go command,
    unless GOWORK=off."""
    workspace = environment.get("GOWORK", "")
    if workspace not in ("", "off"):
        return None, f"GOWORK={workspace} names the workspace"
    if workspace != "off":
        work = _find_upwards("go.work", directory, placements, context)
        if work is not None:
            return (None if work[1] == UNKNOWN else work[1]), ""
    module = _find_upwards("go.mod", directory, placements, context)
    if module is None or module[1] == UNKNOWN:
        return None, ""  # no module, or one that is not the context's: not this rule's business
    return module[1], ""


def _other_module(shown: str, packages: list[str], directory: str, go_mod: str, placements, context) -> str:
    """Why a package argument may be built with another go.mod: it lies in a nested module."""
    for package in packages:
        if package.endswith(".go"):
            path = posixpath.dirname(package) or "."
        elif package.startswith((".", "/")):
            path = package.removesuffix("/...").removesuffix("...") or "."
        else:
            continue  # an import path: a package of the main module or of a dependency
        own = _find_upwards("go.mod", _absolute(directory, path),  # type: ignore[arg-type]  # both are known
                            placements, context)
        if own is not None and own[1] != go_mod:
            where = own[1] if own[1] != UNKNOWN else own[0]
            return f"`{shown} {package}` builds a package of another module ({where})"
    return ""


def package_arguments(subcommand: str, arguments: list[str]) -> list[str]:
    """The package arguments: after the flags, all of them for build and install, the first
    for run (the rest are the program's)."""
    if subcommand not in PACKAGE_SUBCOMMANDS and subcommand != "run":
        return []
    index = 0
    while index < len(arguments) and arguments[index].startswith("-") and arguments[index] != "--":
        flag = arguments[index]
        index += 1 if "=" in flag or "-" + flag.lstrip("-") in BOOLEAN_FLAGS else 2
    rest = arguments[index + (index < len(arguments) and arguments[index] == "--"):]
    return rest[:1] if subcommand == "run" else rest


def _find_upwards(name: str, directory: str, placements, context) -> tuple[str, str] | None:
    """(image path, origin) of the nearest file `name` at or above `directory`."""
    while True:
        path = posixpath.join(directory, name)
        origin = _origin(path, placements, context)
        if origin:
            return path, origin
        if directory == "/":
            return None
        directory = posixpath.dirname(directory)


def _origin(path: str, placements, context, present=None) -> str:
    """Where the file at `path` in the image comes from: a path in the context, UNKNOWN, or
    "" when it is not there. Later copies win; a directory copy brings the file only if the
    context has it (`present`, by default a readable go.mod there) and .dockerignore lets it
    in; a bind mount hides what was there."""
    for placement in reversed(placements):
        if placement.pattern:
            continue  # its go.mod, if it matches, is a placement of its own
        if not placement.directory:
            if placement.image == path:
                return placement.source
            continue
        below = _below(path, placement.image)
        if below is None:
            continue
        if placement.source == UNKNOWN:
            if placement.hides:
                return UNKNOWN
            continue
        source = posixpath.normpath(posixpath.join(placement.source, below))
        held = present(source) if present is not None else context.go_mod_file(source) is not None
        if held and not context.is_ignored(source):
            return source
        if placement.hides:
            return ""
    return ""


def _mounts(node: Instruction, state: _State, context) -> list[Placement]:
    placed = []
    for mount in node.flag_values("mount"):
        fields = dict(part.split("=", 1) for part in mount.split(",") if "=" in part)
        kind = fields.get("type", "bind")
        target = fields.get("target") or fields.get("dst") or fields.get("destination")
        if kind not in ("bind", "cache") or not target:
            continue
        target = _absolute(state.workdir, _expand(target, state.environment))
        if target is None:
            continue
        source = fields.get("source") or fields.get("src") or "."
        if kind == "cache" or "from" in fields:
            placed.append(Placement(target, UNKNOWN, True, hides=True))
        elif context.is_directory(source.lstrip("/") or "."):
            placed.append(Placement(target, posixpath.normpath(source.lstrip("/") or "."), True, hides=True))
        else:
            placed.append(Placement(target, posixpath.normpath(source.lstrip("/")), False, hides=True))
    return placed


def _directories(state: _State) -> set[str | None]:
    """Directories the stage is known to have: its WORKDIR and the directories copied."""
    return {state.workdir} | {placement.image for placement in state.placements
                              if placement.directory and not placement.foreign}


def _below(path: str, directory: str) -> str | None:
    if directory == "/":
        return path.lstrip("/") or "."
    if path == directory:
        return "."
    return path[len(directory) + 1:] if path.startswith(directory + "/") else None


def _absolute(directory: str | None, path: str | None) -> str | None:
    """`path` made absolute from `directory`; None when either is unknown and it matters."""
    if path is None or directory is None and not path.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(directory or "/", path))


def _expand(text: str, environment: dict) -> str | None:
    """`text` with the variables the stage sets expanded; None when one is not known."""
    if "$" not in text:
        return text
    unknown = False

    def value(match) -> str:
        nonlocal unknown
        found = environment.get(match.group(1) or match.group(2), UNKNOWN)
        unknown = unknown or found == UNKNOWN
        return found

    expanded = VARIABLE.sub(value, text)
    return None if unknown or "$" in expanded else expanded


def _fnmatch(name: str, pattern: str) -> bool:
    import fnmatch

    return fnmatch.fnmatchcase(name, pattern)
