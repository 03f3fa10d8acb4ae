"""go-module-cache-order (DF009): go.mod and go.sum are copied, and modules downloaded, before the source.

What it does
    In a stage that copies the whole build context (`COPY . .`, `ADD . /src`, `COPY / ./`, …) and then
    runs the go command, with no earlier step copying go.mod: inserts, just before that
    copy, `COPY go.mod go.sum <same destination>` and `RUN go mod download`. An existing
    `RUN go mod download` after the copy is moved up, with its flags and the comments above
    it; a leading `go mod download &&` of a longer RUN is taken out of it. Where a go RUN of
    the stage mounts a cache on the module cache (/go/pkg/mod, GOMODCACHE), the download
    mounts the same cache; where every go RUN after the copy mounts one, nothing is reported:
    the modules survive in the mount whatever changes, and a download layer would be empty.
    Nor where the stage copies in the module cache another stage downloaded (`COPY
    --from=modules /go/pkg /go/pkg`): the modules are cached there. Where the build calls go
    by its path (`/usr/local/go/bin/go`), so does the download.
    The new lines go above the ENV and ARG lines right before the copy that only feed the
    build (`ENV VERSION=${VERSION}`), which would otherwise rebuild the download layer with
    every release.

Why
    Docker reuses a layer only while everything it was built from is unchanged. With the
    whole source copied first, every edit to any file downloads all modules again. With
    go.mod and go.sum first, the download layer survives until the dependencies change.

Example
    WORKDIR /src
    COPY . .
    RUN go mod download
    RUN go build -o /server .
    ->
    WORKDIR /src
    COPY go.mod go.sum ./
    RUN go mod download
    COPY . .
    RUN go build -o /server .

Fix safety
    Safe. `go.sum` is copied only where the build context has one (a module without
    dependencies has none, and `COPY go.mod go.sum ./` would fail); without a known context
    the copy is `go.sum*`, which matches nothing without failing. The download runs `go`
    only where it is known to be on PATH before the copy: a golang base image (also named
    through a build arg's default), an ENV PATH with a go/bin directory, or an earlier RUN
    that runs `go` or installs it with the package manager; a build that calls go by its
    path has the download call that path, where the Go root is known to be unpacked
    before the copy. Reported without a fix: vendored builds (`-mod=vendor`,
    vendor/modules.txt), workspaces (go.work), modules whose go.mod replaces a module with
    a local directory (`replace x => ./lib`: `go mod download` fails while only go.mod and
    go.sum are there), modules whose go.mod is not where the copy puts the context root
    (another WORKDIR or a `cd` before the go command, or no go.mod at the context root), and
    builds that set up fetching after the copy — git credentials (`git config … insteadOf`,
    a .netrc, ssh keys), `go env -w`, git installed, or GOPRIVATE, GOPROXY, GOFLAGS=-mod…,
    proxy variables, GO111MODULE other than `on` set — which a download moved before the
    copy would not have. Also reported without a fix: `go` not known to be there before the
    copy (the download would fail with "go: not found"); modules turned off
    (GO111MODULE=off, Go before 1.11) or off where the download runs (Go before 1.13 inside
    GOPATH/src without GO111MODULE=on before the copy); go.mod or go.sum changed after the
    copy (`sed -i … go.mod`, a redirect into them, `go mod edit`, `go get module@version`;
    `go get -d ./...` fetches what the source imports, and the download before it only
    leaves less to fetch); a stage that
    tests for prebuilt files before building (`[ -f dist/app ] || go build`: it may be built
    from a context without go.mod); and a Dockerfile that the repository (CI, Compose, bake,
    Makefiles, goreleaser) builds from a context without go.mod, which the reason names.
"""
from __future__ import annotations

import fnmatch
import posixpath

from ..lazy_regex import lazy_regex
from ..syntax.edits import as_text, insert_before, taken_away
from ..syntax.shell import shell_view
from ..syntax.tree import Instruction
from ._support.filesystem import is_within
from ._support.gobuild import go_builds, go_words
from ._support.images import GOLANG, family
from ._support.shipped import base_image, golang_image
from ._support.stages import pairs_set, variables_set, workdir_at
from .base import SAFE, Checker, Edit, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; type checkers take it as true
if TYPE_CHECKING:
    from collections.abc import Sequence

GO_SUBCOMMANDS = frozenset({"build", "install", "mod", "test", "generate", "vet", "run", "get", "list"})
WHOLE_CONTEXT = frozenset({".", "./", "/"})  # BuildKit reads a source of `/` as the context root
FETCH_VARIABLES = frozenset({"GOPROXY", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GONOSUMCHECK", "GOSUMDB",
                             "GOINSECURE", "GOFLAGS", "GOAUTH", "GOTOOLCHAIN", "GOPATH", "GOMODCACHE", "HTTP_PROXY",
                             "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "SSH_AUTH_SOCK"})
FETCH_SETUP = lazy_regex(r"\bgit\s+config\b|insteadOf|\.netrc|\.gitconfig|\.ssh\b|\bssh-(?:keyscan|add|agent)\b"
                         r"|\bgo\s+env\s+-w\b")
MODULE_FILES = lazy_regex(r"(?:^|/)go\.(?:mod|sum)\b")
READERS = frozenset({"cat", "grep", "head", "tail", "ls", "test", "[", "stat", "wc", "diff", "sha256sum", "md5sum"})
GO_SETUP_VARIABLES = frozenset({"PATH", "HOME", "USER", "GOROOT", "GOENV", "GOWORK", "GOTOOLCHAIN", "GOPATH",
                                "GOMODCACHE"})
GO_PACKAGES = frozenset({"go", "golang", "golang-go"})
GO_TAG_VERSION = lazy_regex(r"(\d+)\.(\d+)")
MODULES_SINCE = (1, 11)
MODULES_IN_GOPATH_SINCE = (1, 13)  # before: GO111MODULE=auto turns modules off inside GOPATH/src
NEWEST = (9999, 0)
FLOATING_GO_TAG = lazy_regex(r"(?:1(?:-|$)|latest$|$|(?!alpine3\.(?:[0-9]|10)\b)[a-z])")  # not alpine3.10 or older
VCS_PACKAGES = frozenset({"git", "mercurial", "subversion", "bzr", "fossil", "openssh", "openssh-client", "git-lfs"})


def check(checker: Checker):
    tree = checker.tree
    stages = tree.stages()
    for stage in stages:
        copy = _whole_context_copy(stage)
        if copy is None or _copies_go_mod_before(stage, copy) or _copies_module_cache_before(stage, copy):
            continue
        after = stage.instructions[stage.instructions.index(copy) + 1:]
        go_run = _first_go_run(tree, after)
        if go_run is None or _every_go_run_caches_modules(checker.index, stage, after):
            continue
        message = "the whole source is copied before go.mod: every change downloads all modules again"
        reason = _why_not(checker, tree, stages, stage, copy, after, go_run)
        go, missing = _go_program(checker.index, stage, copy, go_run) if not reason else (None, "")
        if go is None:  # `reason` or `missing` says why
            yield checker.report(RULE, copy, message, reason=reason or missing)
            continue
        evidence = checker.context.go_mod_evidence() if checker.context is not None else ()
        yield checker.report(RULE, copy, message, *_edits(checker, tree, stage, copy, after, go),
                             applicability=SAFE, evidence=evidence)


def _whole_context_copy(stage) -> Instruction | None:
    for node in stage.instructions:
        if node.keyword in ("COPY", "ADD") and not node.flag_values("from") and len(node.values) == 2 \
                and node.values[0] in WHOLE_CONTEXT:
            return node
    return None


def _copies_go_mod_before(stage, copy: Instruction) -> bool:
    for node in stage.instructions[:stage.instructions.index(copy)]:
        if node.keyword in ("COPY", "ADD") and not node.flag_values("from"):
            names = [source.rstrip("/").rsplit("/", 1)[-1] for source in node.values[:-1]]
            if any(_matches_go_mod(name) for name in names):
                return True
    return False


def _copies_module_cache_before(stage, copy: Instruction) -> bool:
    """Whether the stage takes a module cache another stage downloaded (`COPY --from=modules
    /go/pkg /go/pkg`) before the source: the modules are cached there already."""
    for node in stage.instructions[:stage.instructions.index(copy)]:
        if node.keyword == "COPY" and node.flag_values("from"):
            for source in node.values[:-1]:
                path = posixpath.normpath(source)
                if path in ("/go", "/root/go") or path.startswith(("/go/pkg", "/root/go/pkg")):
                    return True
    return False


def _matches_go_mod(name: str) -> bool:
    """Whether a COPY source's last element names go.mod (`go.mod`, `go.*`, `*.mod`); a name
    without wildcards is compared, not compiled into a pattern."""
    if not any(char in name for char in "*?["):
        return name == "go.mod"
    return fnmatch.fnmatchcase("go.mod", name)


def _go_commands(tree, node: Instruction):
    script = shell_view(tree, node) if node.keyword == "RUN" else None
    if script is None or script.opaque:
        return None, []
    found = []
    for position, command in enumerate(script.commands):
        go = go_words(command)
        if go is not None and len(go[0]) > 1 and go[0][1].value in GO_SUBCOMMANDS:
            found.append(position)
    return script, found


def _first_go_run(tree, after: Sequence[Instruction]) -> Instruction | None:
    for node in after:
        if _go_commands(tree, node)[1]:
            return node
    return None


def _why_not(checker: Checker, tree, stages, stage, copy: Instruction, after, go_run) -> str | None:
    context = checker.context
    lacking = context.builds_without_go_mod() if context is not None else ()
    if lacking:
        return lacking[0]
    if context is not None and context.has_go_work:
        return "the build context has a go.work workspace"
    if (context is not None and context.has_vendor) or _builds_vendored(checker.index, stages, stage):
        return "the build uses vendor/, so there is nothing to download"
    module = context.go_module if context is not None else None
    if context is not None and module is None:
        return "go.mod is not at the root of the build context"
    replaced = [path for path in module.local_replacements
                if posixpath.normpath(path) != "."] if module is not None else []
    if replaced:
        return f"go.mod replaces a module with the directory {replaced[0]}, which `go mod download` reads"
    if workdir_at(stage, go_run) != _destination(stage, copy):
        return "the go command runs in another directory than the copy"
    if workdir_at(stage, copy) != _destination(stage, copy) and not posixpath.isabs(copy.values[-1]):
        return "the copy goes to a directory relative to one that changes before the build"
    script, positions = _go_commands(tree, go_run)
    if any(command.name in ("cd", "pushd") for command in script.commands[:positions[0]]):
        return "the go command runs in another directory than the copy"
    user = next((node for node in after[:after.index(go_run)] if node.keyword == "USER"), None)
    if user is not None:
        return f"USER on line {user.start_line} changes who runs the go command: a download moved above it would " \
               "run as another user"
    changed = _edits_module_files(tree, [*after[:after.index(go_run)], go_run], script.commands[positions[0]])
    if changed:
        return changed
    prebuilt = _tests_for_prebuilt_files(tree, after)
    if prebuilt:
        return prebuilt
    gopath_mode = _gopath_mode(checker.index, stage, copy)
    if gopath_mode:
        return gopath_mode
    return _fetch_setup_after_copy(tree, after[:after.index(go_run)], go_run, script.commands[:positions[0] + 1])


def _edits_module_files(tree, steps: list[Instruction], first_go) -> str | None:
    """Why go.mod or go.sum may differ after the copy from what a download before it would
    read: a step edits them (`sed -i … go.mod`, a redirect into them, `go mod edit`,
    `go get` of another module), up to and including the first go command."""
    for node in steps:
        script = shell_view(tree, node) if node.keyword == "RUN" else None
        if script is None or script.opaque:
            if node.keyword == "RUN" and MODULE_FILES.search(node.arguments):
                return f"the RUN on line {node.start_line} may change go.mod or go.sum after the copy"
            continue
        for command in script.commands:
            go = go_words(command)
            argv = [word.value for word in go[0]] if go is not None else command.argv
            if argv[1:3] == ["mod", "edit"] or _gets_other_modules(argv) or any(
                    redirect.target is not None and MODULE_FILES.search(redirect.target.value)
                    for redirect in command.redirects if ">" in redirect.operator) or (
                    go is None and command.name not in READERS and any(MODULE_FILES.search(arg) for arg in argv[1:])):
                return f"the RUN on line {node.start_line} changes go.mod or go.sum after the copy"
            if command is first_go:
                break
    return None


def _gets_other_modules(argv: list[str]) -> bool:
    """`go get module@version` edits go.mod; `go get -d ./...` only fetches what it requires."""
    if argv[1:2] != ["get"]:
        return False
    return any(not arg.startswith((".", "-")) for arg in argv[2:])


def _tests_for_prebuilt_files(tree, after: list[Instruction]) -> str | None:
    """A stage that tests whether files exist before it builds (`[ -f bin/app ] || go
    build`) may be built from a context of prebuilt files, without go.mod."""
    for node in after:
        script = shell_view(tree, node) if node.keyword == "RUN" else None
        for command in script.commands if script is not None and not script.opaque else ():
            if command.name in ("[", "[[", "test") and any(arg in ("-f", "-e", "-x", "-s") for arg in command.argv):
                return f"the RUN on line {node.start_line} tests for files the build context may hold prebuilt, " \
                       "without go.mod"
    return None


def _fetch_setup_after_copy(tree, between: list[Instruction], go_run: Instruction, before_go: list) -> str | None:
    """Why a `go mod download` put before the copy might not fetch what the go command
    fetches: a step after the copy that sets up fetching (git credentials, a netrc, ssh keys,
    `go env -w`, git itself installed) or a variable that steers it (GOPRIVATE, GOPROXY, …)."""
    for node in between:
        if node.keyword == "RUN" and _sets_up_fetching(tree, node, None):
            return f"the RUN on line {node.start_line}, between the copy and the go command, sets up how " \
                   "modules are fetched"
        if node.keyword in ("ENV", "ARG"):
            steering = [name for name, value in variables_set(node) if _steers_fetching(name, value)]
            if steering:
                return f"{node.keyword} {steering[0]} is set between the copy and the go command"
    if _sets_up_fetching(tree, go_run, before_go):
        return "the go command's RUN sets up how modules are fetched before it"
    return None


def _sets_up_fetching(tree, node: Instruction, commands) -> bool:
    """Whether the RUN (or, given, those of its commands) sets up module fetching."""
    script = shell_view(tree, node)
    if script is None or script.opaque:
        return bool(FETCH_SETUP.search(node.arguments))
    for command in script.commands if commands is None else commands:
        text = script.text[command.start:command.end]
        if FETCH_SETUP.search(text) or any(_steers_fetching(*_assignment(word.value)) for word in
                                           command.assignments):
            return True
        argv = command.argv
        if command.name == "export" and any(_steers_fetching(*_assignment(arg)) for arg in argv[1:]):
            return True
        if command.name in ("apk", "apt-get", "apt", "yum", "dnf") and VCS_PACKAGES & set(argv):
            return True
    return False


def _assignment(text: str) -> tuple[str, str | None]:
    name, equals, value = text.partition("=")
    return name, value if equals else None


def _steers_fetching(name: str, value: str | None = None) -> bool:
    """A variable that changes what or how modules are fetched (GOFLAGS only with a -mod
    flag in a value it is known to have; GO111MODULE unless `on`, where modules are used
    before the copy already: _gopath_mode)."""
    if name == "GOFLAGS" and value is not None:
        return "-mod" in value
    if name == "GO111MODULE":
        return value is None or value.strip("'\"") != "on"
    return name in FETCH_VARIABLES or name.startswith("GIT_")


def _destination(stage, copy: Instruction) -> str:
    return posixpath.normpath(posixpath.join(workdir_at(stage, copy), copy.values[-1]))


def _builds_vendored(index, stages, stage) -> bool:
    for build in go_builds(index, stages, stage):
        mod = build.value_of("mod")
        if (mod is not None and mod[2].strip("'\"") == "vendor") or "-mod=vendor" in build.environment.get(
                "GOFLAGS", ""):
            return True
    return False


def _edits(checker: Checker, tree, stage, copy: Instruction, after: Sequence[Instruction], go: str) -> list[Edit]:
    destination = copy.values[-1]
    lines = []
    if workdir_at(stage, copy) != _destination(stage, copy):  # go mod download must run where go.mod lands
        lines.append(f"WORKDIR {destination}")
        destination = "./"
    if not destination.endswith("/"):
        destination += "/"
    context = checker.context
    go_sum = "go.sum" if context is not None and context.has_go_sum else "go.sum*"
    if context is not None and not context.has_go_sum:
        go_sum = ""
    flags = "".join(f"{flag.raw} " for flag in copy.flags if flag.name in ("chown", "chmod"))
    sources = f"go.mod {go_sum}".rstrip()
    lines.append(f"COPY {flags}{sources} {destination}")
    download, edits = _download_step(tree, after, go, _module_cache_mount(checker.index, stage))
    text = as_text(tree, lines) + download
    return [*edits, *insert_before(tree, _inserted_above(stage, copy, text), text)]


def _inserted_above(stage, copy: Instruction, text: str) -> Instruction:
    """The instruction the new lines go above: the copy, or the first of the ENV and ARG lines
    right before it that only feed the build (`ENV VERSION=…`): a value that changes with every
    release would otherwise rebuild the download layer too. Not past a line the new ones may read."""
    position = stage.instructions.index(copy)
    while position > 1 and "$" not in text and _only_feeds_the_build(stage.instructions[position - 1]):
        position -= 1
    return stage.instructions[position]


def _only_feeds_the_build(node: Instruction) -> bool:
    """An ENV or ARG none of whose variables changes where or how go finds and fetches modules."""
    if node.keyword not in ("ENV", "ARG"):
        return False
    return all(not _steers_fetching(name) and name not in GO_SETUP_VARIABLES and not name.startswith("SSH_")
               for name, _ in variables_set(node))


def _every_go_run_caches_modules(index, stage, after: Sequence[Instruction]) -> bool:
    """Whether every RUN after the copy that runs go mounts a cache on the module cache: the
    modules stay in the mount whatever the source does, and a download layer would be empty."""
    runs = [node for node in after if node.keyword == "RUN" and _go_commands(index.tree, node)[1]]
    return bool(runs) and all(_cache_mount_of(index, stage, node) for node in runs)


def _module_cache_mount(index, stage) -> str:
    """The `--mount=…` of a cache on the module cache that a go RUN of the stage has, for the
    download to fill the same cache; "" when none has one."""
    for node in stage.instructions:
        if node.keyword == "RUN" and _go_commands(index.tree, node)[1]:
            mount = _cache_mount_of(index, stage, node)
            if mount:
                return mount
    return ""


def _cache_mount_of(index, stage, node: Instruction) -> str:
    """The RUN's `--mount=…` of a cache on the module cache, or ""."""
    caches = {"/go/pkg/mod", "/root/go/pkg/mod"}
    environment = _environment_at(index, stage, node)
    if environment.get("GOMODCACHE", "").startswith("/"):
        caches.add(posixpath.normpath(environment["GOMODCACHE"]))
    if environment.get("GOPATH", "").startswith("/"):
        caches.add(posixpath.join(environment["GOPATH"].split(":")[0], "pkg", "mod"))
    for flag in node.flags:
        options = dict(option.split("=", 1) for option in (flag.value or "").split(",") if "=" in option)
        target = options.get("target") or options.get("dst") or options.get("destination") or ""
        if flag.name == "mount" and options.get("type") == "cache" and posixpath.normpath(target) in caches:
            return flag.raw
    return ""


def _download_step(tree, after: Sequence[Instruction], go: str, cache_mount: str) -> tuple[str, list[Edit]]:
    """The `RUN go mod download` to put before the copy (as source lines), and the edits that
    take it from where it was."""
    fresh = as_text(tree, [f"RUN {cache_mount + ' ' if cache_mount else ''}{go} mod download"])
    for node in after:
        script, positions = _go_commands(tree, node)
        if not positions:
            continue
        first = script.commands[positions[0]]
        if first.argv[:3] != ["go", "mod", "download"] or positions[0] != 0 or first.redirects:
            break
        mounts = "".join(f"{flag.raw} " for flag in node.flags if flag.name == "mount")
        if len(script.commands) == 1:
            text, removed = taken_away(tree, node)
            return text, list(removed)
        if script.operators and script.operators[0].text == "&&":
            following = script.commands[1]
            if following.words or following.assignments:
                start = script.source_offset(first.start)
                end = script.source_offset(following.start)
                if "#" not in tree.text[start:end]:
                    return as_text(tree, [f"RUN {mounts}go mod download"]), [Edit(start, end, "")]
        break
    return fresh, []


def _go_program(index, stage, copy: Instruction, go_run: Instruction) -> tuple[str | None, str]:
    """(how the download calls go, why it cannot): `go` where it is on PATH before the copy
    (a golang image, an ENV PATH with a go/bin directory, an earlier RUN that runs `go` or
    installs it), or the path the build calls it by (`/usr/local/go/bin/go`) where that is
    there before the copy."""
    script, positions = _go_commands(index.tree, go_run)
    go = go_words(script.commands[positions[0]])
    assert go is not None  # _go_commands gives the positions of commands that run go
    called = go[0][0].value
    before = _before(index, stage, copy)
    golang = golang_image(index, stage)
    if "/" in called:
        if called.startswith("/") and "$" not in called and (golang or _unpacks_go_at(before, called)):
            return called, ""
        return None, f"the build runs go as {called}, which dockerfix cannot tell is there before the copy"
    if golang or any(_puts_go_on_path(index, node) for node in before):
        return "go", ""
    return None, "`go` is not known to be on PATH before the copy: the base image is not a golang image, " \
                 "and no ENV PATH or earlier RUN puts it there"


def _before(index, stage, node: Instruction) -> list[Instruction]:
    """The instructions of the stage's chain that run before `node`, in order."""
    found = []
    for member in reversed(index.chain(stage)):
        instructions = member.instructions
        found += instructions[:instructions.index(node)] if member is stage else instructions
    return found


def _unpacks_go_at(nodes: list[Instruction], go: str) -> bool:
    """Whether an instruction names the Go root of `go` (/usr/local/go for /usr/local/go/bin/go),
    or a RUN unpacks an archive into the directory above it (`tar -C /usr/local`)."""
    root = posixpath.dirname(posixpath.dirname(go))
    parent = posixpath.dirname(root)
    return any(node.keyword in ("RUN", "ADD", "COPY") and root in node.arguments for node in nodes) or any(
        node.keyword == "RUN" and parent != "/" and parent in node.arguments.split() and "tar" in node.arguments
        for node in nodes)


def _puts_go_on_path(index, node: Instruction) -> bool:
    if node.keyword == "ENV":
        return any(name == "PATH" and any(_go_bin_directory(entry) for entry in value.split(":"))
                   for name, value in pairs_set(node))
    script = index.shell_view(node) if node.keyword == "RUN" else None
    for command in script.commands if script is not None and not script.opaque else ():
        go = go_words(command)
        if go is not None and go[0][0].value == "go":
            return True
        if command.name in ("apk", "apt-get", "apt", "yum", "dnf") and GO_PACKAGES & set(command.argv[1:]):
            return True
    return False


def _go_bin_directory(entry: str) -> bool:
    entry = entry.strip("'\"").rstrip("/")
    return entry.endswith("go/bin") or entry in ("$GOROOT/bin", "${GOROOT}/bin")


def _gopath_mode(index, stage, copy: Instruction) -> str | None:
    """Why the go command may not use modules where the download would run: GO111MODULE=off,
    Go before 1.11 (no modules), or Go before 1.13 (modules off inside GOPATH/src unless
    GO111MODULE=on) with go.mod copied under GOPATH/src."""
    environment = _environment_at(index, stage, copy)
    setting = environment.get("GO111MODULE", "")
    if setting == "off":
        return "GO111MODULE=off: the build does not use modules"
    version = _go_version(base_image(index, stage))
    if version is not None and version < MODULES_SINCE:
        return f"Go {version[0]}.{version[1]} has no modules: `go mod download` would fail"
    gopath = environment.get("GOPATH") or ("/go" if golang_image(index, stage) else "")
    source = posixpath.join(gopath.split(":")[0], "src") if gopath.startswith("/") else None
    if setting == "on" or source is None or not is_within(_destination(stage, copy), source):
        return None
    if version is not None and version >= MODULES_IN_GOPATH_SINCE:
        return None
    inside = f"inside GOPATH/src ({_destination(stage, copy)}) unless GO111MODULE=on before the copy"
    if version is None:
        return f"the Go version is not known, and Go before 1.13 disables modules {inside}"
    return f"Go {version[0]}.{version[1]} disables modules {inside}: `go mod download` would fail there"


def _environment_at(index, stage, node: Instruction) -> dict[str, str]:
    environment: dict[str, str] = {}
    for earlier in _before(index, stage, node):
        if earlier.keyword in ("ENV", "ARG"):
            for name, value in variables_set(earlier):
                if value is not None and (earlier.keyword == "ENV" or name not in environment):
                    environment[name] = value.strip("'\"")
    return environment


def _go_version(image) -> tuple[int, int] | None:
    """The Go version of a golang image's tag (1.12 for golang:1.12-alpine3.10); the newest for
    a tag that floats (golang:alpine, golang:1-bookworm); None when it cannot be told."""
    if family(image) != GOLANG:
        return None
    match = GO_TAG_VERSION.match(image.tag)
    if match:
        return int(match.group(1)), int(match.group(2))
    return NEWEST if FLOATING_GO_TAG.match(image.tag) else None


RULE = Rule(id="DF009", name="go-module-cache-order",
            summary="go.mod/go.sum are copied and modules downloaded before the source", check=check, doc=__doc__,
            fix_safety=SAFE, severity="info")
