"""go-multi-stage (DF011): a single-stage Go image is split into a builder and a minimal runtime stage.

What it does
    For a Dockerfile with one stage, on a `golang` image, that builds a binary (`go build
    -o`, `go install`, or `go run` in its command) and runs it from ENTRYPOINT/CMD: names
    the stage `builder` and appends a runtime stage on a minimal base (alpine by default;
    `scratch` or distroless with the `runtime_base` option) that gets CA certificates (on
    scratch copied from the builder; alpine carries ca-certificates-bundle, the file Go reads,
    and gets only the ca-certificates and tzdata packages the image installed), the binary
    at the same path, the non-Go files the Dockerfile copied in, the files the
    command names, the user the image ran as, the ENV the program may read and the ARGs
    they use, and the original EXPOSE, LABEL, VOLUME, STOPSIGNAL, HEALTHCHECK, ENTRYPOINT
    and CMD, moved with their comments.
    The builder keeps only what the build needs: a USER after the last build step, and an
    ENV that no later build step reads (by `$NAME`, or through a script or tool that may
    read any variable), move to the runtime stage; an ENV the build reads (CGO_ENABLED,
    GOFLAGS, GOPROXY, one a RUN names) stays, and is copied too when the program may read it
    as well (GOGC, GOMAXPROCS, GODEBUG, proxies, HOME, TZ, a name a RUN uses).
    The user: an explicit USER is carried (root, nobody and numeric ids as written; as
    numbers on scratch, which has no /etc/passwd); without one the image ran as root, and so
    does the runtime stage: non-root-user (DF005) adds a USER where the program it reads
    shows that one works. With a non-root USER on alpine, the VOLUME directories are made
    and given to that user first (`RUN mkdir -p … && chown …`): Docker would make them
    root's. `go run ./x`
    becomes a build of ./x and the built binary runs. Where the builder keeps a glibc image
    (Debian `golang`), the builds whose binaries ship get `CGO_ENABLED=0`: a binary linked
    against glibc does not start on alpine, scratch or distroless-static. A shell-form CMD
    or ENTRYPOINT moves as it is: on scratch and distroless, which have no shell,
    exec-form-command (DF012) rewrites it next.

Why
    The `golang` image is 800 MB of compiler, headers and module cache; the program needs
    none of it. A runtime stage holding only the binary is 10-20 MB, starts faster, and
    gives scanners and attackers far less to work with.

Example
    FROM golang:1.22
    WORKDIR /app
    COPY . .
    RUN go build -o server .
    EXPOSE 8080
    CMD ["./server"]
    ->
    FROM golang:1.22-alpine AS builder
    WORKDIR /app
    COPY . .
    RUN go build -o server .

    FROM alpine:3.24
    WORKDIR /app
    COPY --from=builder /app/server /app/server
    EXPOSE 8080
    CMD ["./server"]

Fix safety
    Safe only when the context shows what the program could read at runtime: a build context
    with nothing but Go sources, go.mod/go.sum, repository files (docs, CI, tests) and files
    the Go code embeds (`//go:embed`) besides what the Dockerfile copies explicitly.
    Otherwise unsafe, with the reason: no build context to check, non-Go files in a context
    copied whole, a copy dockerfix cannot follow (a glob, a directory spread into another
    without a context to list it, an archive ADD unpacks), packages installed for runtime, a
    shell script as entrypoint or copied in (it may run tools the runtime lacks), a program
    that runs other programs (`exec.Command("gopls")`, `go env`: the golang image has them,
    the runtime stage may not) or reads a `.env` the image copies in with the context, other
    binaries the image builds besides the one it runs (a `migrate` a Compose command runs),
    cgo (`CGO_ENABLED=1`, a C toolchain, a cgo package among the imports, or Go sources it
    cannot read while the fix turns cgo off), a HEALTHCHECK that may need tools the runtime
    lacks, a VOLUME on a runtime without a shell (or with a path to quote), a directory a RUN
    makes that the runtime stage would lack (`mkdir -p /var/run/app`; the binary's own
    directory and the WORKDIR are made there anyway), a path whose owner or mode a RUN
    changes (`chown`, `chmod`) that the runtime stage does not copy, a user the runtime base
    does not know (one the Dockerfile creates with adduser: named in the reason; the runtime
    stage then runs as the uid the Dockerfile gave it, or the default user) or one written
    with a variable, `go run` flags that use variables. Reported without a fix when the Dockerfile builds Go but the
    binary the command runs cannot be traced to a build, when the WORKDIR uses a variable
    other than the stage's own ENV (the runtime stage would not have it), and when the build
    needs cgo on a glibc builder (its binary needs a base with glibc, which is for the
    file's owners to choose); not reported at all for images without a Go build or whose
    command is a bare shell (toolchain and CI images) or a file watcher that rebuilds the source
    at run time (reflex, air, CompileDaemon: a development image needs its compiler). The
    CGO_ENABLED=0 a glibc builder's builds get rests on the Go sources: none imports `C` or a package known to need cgo
    (go-sqlite3, confluent-kafka-go, gopacket/pcap, …). The builder moves to
    `golang:<version>-alpine` only where that cannot break the build: a build context with no
    .git (or a .dockerignore that leaves it out: Go stamps the VCS state and golang:alpine
    has no git), RUN steps that need nothing but busybox and Go (no GNU long options, no
    Debian adduser) and no cgo; otherwise it keeps its image, whose size does not ship anyway.
    In a Dockerfile whose path or header says it builds no shipped image (Dockerfile.integration,
    tests/, examples/, .devcontainer/) an unsafe split is reported without a fix: a test
    harness may run the tools the single stage has (bash, curl, sqlite3). A safe split is
    made there too.
"""
from __future__ import annotations

import json
import posixpath
import re
from functools import cached_property

from ..lazy_regex import lazy_regex
from ..syntax.edits import as_text, insert_after, node_lines, removal
from ..syntax.tree import Blank, Comment, Instruction, Node
from ._support.filesystem import PLAIN_PATH, SYSTEM_PATH, directories_made, is_within, volumes
from ._support.images import GOLANG, family, image_span, parse_image
from ._support.runtime_program import rebuilder, runtime_program
from ._support.shipped import unshipped_image_reason
from ._support.stages import pairs_set, variables_set, workdir_at
from .base import MIXED, SAFE, UNSAFE, Checker, Edit, Rule

RUNTIME_IMAGES = {"alpine": "alpine:3.24", "scratch": "scratch", "distroless": "gcr.io/distroless/static-debian12"}
RUNTIME_USERS = {"alpine": "65534:65534", "scratch": "65534:65534", "distroless": "65532:65532"}
# uid and primary gid of the names the golang images, alpine and distroless all have alike
KNOWN_USERS = {"root": ("0", "0"), "nobody": ("65534", "65534")}
KNOWN_GROUPS = {"root": "0"}
MOVED = frozenset({"EXPOSE", "CMD", "ENTRYPOINT", "LABEL", "HEALTHCHECK", "VOLUME", "STOPSIGNAL", "MAINTAINER"})
BUILD_ENV = lazy_regex(r"^(GO[A-Z0-9]+|CGO_\w+|PATH|CC|CXX|AR|PKG_CONFIG\w*|C(PP|XX)?FLAGS|LDFLAGS|DEBIAN_FRONTEND"
                       r"|GIT_\w+)$")
# read by the go command and by the program alike: the Go runtime's knobs, proxies, locale
SHARED_ENV = lazy_regex(r"^(GOGC|GOMEMLIMIT|GOMAXPROCS|GOTRACEBACK|GODEBUG|HOME|LANG|LC_\w+|TZ|SSL_CERT_\w+"
                        r"|(?i:https?_proxy|no_proxy|all_proxy))$")
BUILD, SHARED, RUNTIME = "build", "shared", "runtime"  # whose an ENV variable is: the builder's, both, the runtime's
VARIABLE = lazy_regex(r"\$(?:\{(\w+)\}|(\w+))")
PATH_DIRS = ("/usr/local/bin", "/usr/bin", "/bin", "/go/bin", "/usr/local/go/bin", "/usr/local/sbin", "/usr/sbin")
ALPINE_READY_TAG = lazy_regex(r"\d+(\.\d+){0,2}")
# commands busybox has with the same short options (Debian's adduser and addgroup take other ones)
ALPINE_COMMANDS = frozenset({"go", "apk", "sh", "cd", "mkdir", "rm", "cp", "mv", "ln", "echo", "ls", "cat", "chmod",
                             "chown", "test", "[", "true", "false", "export", "set", "env", "sed", "grep", "tar",
                             "gzip", "wget", "touch", "find", "xargs", "printf", "install"})
# commands that read no variable a Dockerfile sets for the program (only their own: GIT_*, proxies)
ENVIRONMENT_BLIND = (ALPINE_COMMANDS - {"go", "sh", "env", "find", "xargs"}) | {
    "apt-get", "apt", "git", "curl", "adduser", "addgroup", "useradd", "groupadd", "usermod", "unzip",
    "update-ca-certificates", "upx", "strip", ":"}
GO_SUBCOMMANDS_RUNNING_CODE = frozenset({"generate", "test", "run", "tool"})
BUSYBOX_TOOLS = frozenset({"wget", "nc", "sh", "test", "[", "cat", "pgrep", "pidof", "ps", "true"})
BUILD_PACKAGES = frozenset({"git", "make", "gcc", "g++", "musl-dev", "build-base", "libc-dev", "libc6-dev", "bash",
                            "curl", "wget", "openssh", "openssh-client", "upx", "binutils", "protobuf", "protoc",
                            "ca-certificates", "tzdata", "mercurial", "bzr", "pkgconfig", "pkg-config"})
RUNTIME_PACKAGES_KEPT = ("ca-certificates", "tzdata")
# imports that need cgo (and with it a C library at runtime), the program's own `import "C"` first
CGO_IMPORTS = ("C", "github.com/mattn/go-sqlite3", "gorm.io/driver/sqlite", "github.com/mattn/go-oci8",
               "github.com/confluentinc/confluent-kafka-go", "gopkg.in/confluentinc/confluent-kafka-go",
               "github.com/google/gopacket/pcap", "gocv.io/x/gocv", "github.com/godror/godror")
GO_SOURCE_NAMES = frozenset({"go.mod", "go.sum", "go.work", "go.work.sum", "cmd", "internal", "pkg", "vendor"})
ARCHIVE = lazy_regex(r".*\.(tar|tar\.\w+|tgz|tbz2?|txz)$")
SPREAD_LIMIT = 8  # a directory copied into another: its entries are copied one a line, up to this many
REPOSITORY_FILES = lazy_regex(
    r"(?i)^(\.(?!env$|env\.).*|readme.*|license.*|licence.*|copying.*|changelog.*|contributing.*"
    r"|code_of_conduct.*|security.*"
    r"|notice.*|authors.*|makefile|dockerfile.*|.*\.dockerfile|.*\.go|.*\.md|.*\.mod|.*\.sum|docs?|test|tests"
    r"|testdata|scripts?|hack|build|deploy|deployments|charts?|examples?|\.github|tools|go\.work.*|compose.*"
    r"|docker-compose.*|.*\.ya?ml\.example|goreleaser.*|codecov.*|renovate.*)$")


def check(checker: Checker):
    index = checker.index
    stage = index.final_stage
    if stage is None or len(index.stages) != 1 or family(index.base_image(stage)) != GOLANG:
        return
    entrypoint = _last(stage, "ENTRYPOINT")
    command = entrypoint if entrypoint is not None and entrypoint.values else _last(stage, "CMD")
    if command is None or _is_bare_shell(command) or rebuilder(command):
        return
    plan = _Plan(checker, stage, command)
    message = f"single-stage image on {stage.base}: the compiler ships with the program"
    if plan.binary is None:
        if index.go_builds(stage):  # a Go build we could not follow; otherwise a tool image
            yield checker.report(RULE, stage.from_, message, reason=plan.blocker)
        return
    if plan.blocker:
        yield checker.report(RULE, stage.from_, message, reason=plan.blocker)
        return
    edits = plan.edits()
    message = f"{message}: split into builder and runtime stages"
    not_shipped = unshipped_image_reason(checker) if plan.reasons else None
    if not_shipped:  # a test harness may run the tools the single stage has: with a doubt, no fix
        yield checker.report(RULE, stage.from_, message, reason=f"{not_shipped}; {'; '.join(plan.reasons)}")
    elif plan.reasons:
        yield checker.report(RULE, stage.from_, message, *edits, applicability=UNSAFE,
                             reason="; ".join(plan.reasons), evidence=plan.evidence)
    else:
        yield checker.report(RULE, stage.from_, message, *edits, applicability=SAFE, evidence=plan.evidence)


def _is_bare_shell(command: Instruction) -> bool:
    words = command.values if command.json else tuple(command.arguments.split())
    return len(words) == 1 and words[0].rsplit("/", 1)[-1] in ("sh", "bash", "ash", "zsh")


def _last(stage, keyword: str) -> Instruction | None:
    found = [node for node in stage.instructions if node.keyword == keyword]
    return found[-1] if found else None


class _Plan:
    """What goes where: the binary, the files and instructions the runtime stage needs, and why not."""

    def __init__(self, checker: Checker, stage, command: Instruction):
        self.checker, self.tree, self.stage, self.command = checker, checker.tree, stage, command
        self.index = checker.index  # the stage is the file's only one: its Go builds are the index's
        self.runtime = checker.options.get("runtime_base", "alpine")
        self.runtime_image = checker.options.get("runtime_image") or RUNTIME_IMAGES.get(self.runtime, self.runtime)
        self.reasons: list[str] = []
        self.evidence: list[str] = []
        self.blocker = ""
        self.build_step = ""         # a `RUN go build` to add for `go run`
        self.new_command = ""        # the command rewritten for `go run`
        self.binary = self._find_binary()
        if self.binary is not None:
            self.found_binary = self.binary  # for the rest of the plan (check asks for edits only then): a str
            self.user = self._runtime_user()
            self._collect_reasons()

    # -- the binary -------------------------------------------------------------------------------

    def _find_binary(self) -> str | None:
        argv = self._command_argv()
        if argv is None:
            self.blocker = "the command is a shell expression dockerfix cannot read"
            return None
        if argv[:2] == ["go", "run"]:
            return self._binary_from_go_run(argv)
        if not argv:
            self.blocker = "the command is empty"
            return None
        workdir = self._workdir_at(self.command)
        if "$" in workdir:
            self.blocker = f"the WORKDIR uses {VARIABLE.search(workdir).group(0)}, which dockerfix cannot resolve"
            return None
        for build in self.index.go_builds(self.stage):
            output = self._output_of(build)
            if output is not None and _runs(argv[0], output, workdir):
                return output
        self.blocker = f"no `go build -o` or `go install` in this Dockerfile makes `{argv[0]}`"
        return None

    def _workdir_at(self, node: Instruction) -> str:
        """The WORKDIR in effect for `node`, with the variables the stage's ENV gives a plain
        value written out (and the golang image's GOPATH): the runtime stage lacks them."""
        known: dict[str, str | None] = {"GOPATH": "/go"}
        for earlier in self.stage.instructions[:self.stage.instructions.index(node)]:
            if earlier.keyword in ("ENV", "ARG"):
                for name, value in variables_set(earlier):
                    plain = (value or "").strip("\"'")
                    known[name] = plain if earlier.keyword == "ENV" and "$" not in plain else None
        written = VARIABLE.sub(lambda match: known.get(match.group(1) or match.group(2)) or match.group(0),
                               workdir_at(self.stage, node))
        return posixpath.normpath("/" + written.lstrip("/"))

    def _command_argv(self) -> list[str] | None:
        node = self.command
        return list(node.values) if node.json else _plain_words(node.arguments)

    def _output_of(self, build) -> str | None:
        script = build.script
        position = script.commands.index(build.command)
        if any(c.name in ("cd", "pushd") for c in script.commands[:position]):
            return None
        workdir = self._workdir_at(build.instruction)
        output = build.value_of("o")
        if build.subcommand.value == "install":
            package = _packages(build)
            name = _package_name(package[0] if package else ".", self.checker.context)
            gobin = build.environment.get("GOBIN") or posixpath.join(build.environment.get("GOPATH", "/go"), "bin")
            return posixpath.join(gobin, name) if name else None
        if output is None:
            return None
        path = output[0].value if not output[1] else output[2].strip("'\"")
        if "$" in path or path.endswith("/"):
            return None
        return posixpath.normpath(posixpath.join(workdir, path))

    def _binary_from_go_run(self, argv: list[str]) -> str | None:
        index, flags = 2, []
        while index < len(argv) and argv[index].startswith("-"):
            flags.append(argv[index])
            if "=" not in argv[index] and argv[index] in ("-tags", "-ldflags", "-gcflags", "-mod", "-C"):
                index += 1
                flags.append(argv[index] if index < len(argv) else "")
            index += 1
        if any("$" in flag for flag in flags):
            self.reasons.append("`go run` flags use variables dockerfix cannot resolve")
        files = []
        while index < len(argv) and argv[index].endswith(".go"):
            files.append(argv[index])
            index += 1
        if not files:
            if index >= len(argv):
                self.blocker = "`go run` without a package"
                return None
            files, index = [argv[index]], index + 1
        name = _package_name(files[0] if not files[0].endswith(".go") else ".", self.checker.context) or "app"
        binary = f"/usr/local/bin/{name}"
        self.build_step = f"RUN go build {' '.join(_quote(f) for f in flags + ['-o', binary] + files)}"
        self.new_command = f"{self.command.keyword} {json.dumps([binary] + argv[index:])}"
        return binary

    # -- what may go wrong ------------------------------------------------------------------------

    def _collect_reasons(self) -> None:
        context = self.checker.context
        if any(_whole(node) for node in self._context_copies()):
            if context is None:
                self.reasons.append("no build context to see what the program reads at runtime")
            else:
                assets = _possible_assets(context)
                if assets:
                    self.reasons.append(f"the program may read {', '.join(assets[:3])} at runtime")
                else:
                    self.evidence.append("the build context holds nothing but Go sources and repository files "
                                         "besides what the Dockerfile copies by name")
        if self._copies_not_followed:
            self.reasons.append(f"dockerfix cannot tell which files {', '.join(self._copies_not_followed[:2])} "
                                "brings in")
        packages = self._installed_packages()
        runtime_packages = sorted(set(packages) - BUILD_PACKAGES)
        if runtime_packages:
            self.reasons.append(f"the image installs {', '.join(runtime_packages[:3])}, which the program may need")
        first = self.command.values[0] if self.command.json and self.command.values else ""
        if first.endswith(".sh"):
            self.reasons.append("the entrypoint is a shell script")
        scripts = self._scripts_copied_in()
        if scripts and not first.endswith(".sh"):
            self.reasons.append(f"the image copies in {scripts[0]}: a script may run tools the runtime stage lacks "
                                "(go, bash, curl)")
        self._collect_program_reasons()
        others = [(output, build) for build in self.index.go_builds(self.stage)
                  if (output := self._output_of(build)) is not None and output != self.binary]
        if others:
            output, build = others[0]
            self.reasons.append(f"the image also builds {output} (line {build.instruction.start_line}), which the "
                                "runtime stage would not hold")
        self._collect_cgo_reasons()
        build_runs = [b.instruction for b in self.index.go_builds(self.stage)]
        later = self.stage.instructions[self.stage.instructions.index(build_runs[-1]) + 1:] if build_runs else []
        if any(node.keyword == "RUN" for node in later):
            self.reasons.append("RUN steps after the build may prepare files the program needs")
        made = self._directories_only_the_builder_has()
        if made:
            self.reasons.append(f"the image makes {made[0]}, which the runtime stage would not have")
        changed = self._paths_changed_only_in_the_builder()
        if changed:
            self.reasons.append(f"the image changes the owner or mode of {changed[0]}, which the runtime stage "
                                "would not")
        if self._volumes and self.user and not self._volumes_made_here:
            self.reasons.append(f"the VOLUME {self._volumes[0]} cannot be made the runtime user's, and the program may "
                                "write there")
        self._collect_healthcheck_reasons()

    def _collect_program_reasons(self) -> None:
        """A program that runs other programs (`exec.Command("gopls")`, `go env`) finds them in the
        golang image, and may not in the runtime stage."""
        program = runtime_program(self.checker, self.index.stages, self.stage).program
        if program is not None:
            if program.commands:
                first = next((fact for fact in program.commands if fact.path), program.commands[0])
                what = f"`{first.path}`" if first.path else "a command its code builds"
                self.reasons.append(f"the program runs {what} ({first.where}), which the runtime stage may not have")
            else:
                self.evidence.append("the program runs no other program (no os/exec in its packages)")
            if program.dotenv and any(_whole(node) for node in self._context_copies()):
                read = program.dotenv[0]
                self.reasons.append(f"the program reads {read.path or 'a .env file'} ({read.where}), which the image "
                                    "copies in with the context and the runtime stage would not hold")
            return
        context = self.checker.context
        if context is not None and "os/exec" in context.go_sources.imports:
            self.reasons.append("the Go sources import os/exec: the program may run tools the golang image has and "
                                "the runtime stage lacks (go, git, …)")

    def _collect_cgo_reasons(self) -> None:
        if self._cgo_wanted:
            if self._builder_is_glibc:  # a runtime base with glibc is for the file's owners to choose
                self.blocker = (f"{self._cgo_wanted}, and a cgo binary built on {self.stage.base} needs glibc, "
                                f"which {self.runtime_image} lacks")
            else:
                self.reasons.append("the build may use cgo and system libraries")
            return
        if not self._builds_without_cgo and not self._go_run_without_cgo:
            return
        sources = self.checker.context.go_sources if self.checker.context is not None else None
        if sources is None or not sources.known:
            self.reasons.append(f"{self.stage.base} builds with cgo on: the fix turns it off (CGO_ENABLED=0) "
                                "without Go sources to show that the program does without")
        else:
            self.evidence.append(f"the Go sources import no cgo package: built with CGO_ENABLED=0 for "
                                 f"{self.runtime_image}, which has no glibc")

    def _collect_healthcheck_reasons(self) -> None:
        healthcheck = _last(self.stage, "HEALTHCHECK")
        if healthcheck is None or healthcheck.arguments.upper()[:4] == "NONE":
            return
        if not healthcheck.json:
            self.reasons.append("the HEALTHCHECK may need tools the runtime image lacks")
            return
        program = healthcheck.values[1] if len(healthcheck.values) > 1 else ""
        workdir = self._workdir_at(self.command)
        shipped = [self.found_binary, *self._assets()]
        if any(_runs(program, path, workdir) for path in shipped):
            return
        if self.runtime == "alpine" and program.rsplit("/", 1)[-1] in BUSYBOX_TOOLS:
            return
        self.reasons.append(f"the HEALTHCHECK runs {program}, which {self.runtime_image} may lack")

    def _directories_only_the_builder_has(self) -> list[str]:
        """Directories a RUN makes (`mkdir`) that the runtime stage does not get anyway: it has
        the binary's, the copied files', the WORKDIR's and the VOLUMEs' directories."""
        kept = [posixpath.dirname(self.found_binary), self._workdir_at(self.command), *self._volumes,
                *(posixpath.dirname(asset) for asset in self._assets())]
        return [path for path in directories_made(self.index, [self.stage])
                if not any(is_within(directory, path) for directory in kept)]

    def _paths_changed_only_in_the_builder(self) -> list[str]:
        """Paths a RUN gives an owner or mode (`chown`, `chmod`) that the runtime stage does
        not copy: COPY --from keeps owners and modes, a WORKDIR there is made afresh."""
        shipped = [self.binary, *self._assets(), *(self._volumes if self._volumes_made_here else ())]
        changed = []
        for node in self.stage.instructions:
            script = self.index.shell_view(node) if node.keyword == "RUN" else None
            for command in script.commands if script is not None else ():
                if command.name not in ("chown", "chmod"):
                    continue
                operands = [a for a in command.argv[1:] if not a.startswith("-")][1:]
                for operand in operands:
                    path = posixpath.normpath(posixpath.join(self._workdir_at(node), operand))
                    if not any(is_within(path, kept) for kept in shipped) and path not in changed:
                        changed.append(path)
        return changed

    @cached_property
    def _volumes(self) -> list[str]:
        return [volume.rstrip("/") or "/" for volume in volumes(self.stage)]

    @property
    def _volumes_made_here(self) -> bool:
        """Whether the runtime stage makes the VOLUME directories and gives them to its user
        (alpine has the shell for it; every path must go into the RUN unquoted)."""
        return bool(self._volumes) and bool(self.user) and self.runtime == "alpine" and \
            all(PLAIN_PATH.fullmatch(v) for v in self._volumes)

    def _scripts_copied_in(self) -> list[str]:
        """Shell scripts an explicit COPY or ADD takes from the context, named or inside a
        directory it copies (as the context names them), less those a RUN of the stage runs:
        those serve the build."""
        context, scripts = self.checker.context, []
        for node in self._context_copies():
            if _whole(node) or len(node.values) < 2:
                continue
            for source in node.values[:-1]:
                relative = _in_context(source)
                below = context.files_below(relative) if context is not None and "$" not in relative else None
                candidates = [relative] if below is None else [posixpath.join(relative, path) for path in below]
                scripts += [path for path in candidates if path.endswith((".sh", ".bash"))]
        run_text = " ".join(node.arguments for node in self.stage.instructions if node.keyword == "RUN")
        return [path for path in scripts if posixpath.basename(path) not in run_text]

    def _context_copies(self) -> list[Instruction]:
        return [node for node in self.stage.instructions
                if node.keyword in ("COPY", "ADD") and not node.flag_values("from")]

    def _installed_packages(self) -> list[str]:
        packages = []
        for node in self.stage.instructions:
            script = self.index.shell_view(node) if node.keyword == "RUN" else None
            for command in script.commands if script is not None else ():
                argv = command.argv
                if command.name in ("apk", "apt-get", "apt") and any(a in ("add", "install") for a in argv):
                    start = next(i for i, a in enumerate(argv) if a in ("add", "install")) + 1
                    packages += [a for a in argv[start:] if not a.startswith("-") and "=" not in a[:1]]
        return packages

    # -- the user ---------------------------------------------------------------------------------

    def _runtime_user(self) -> str:
        """The runtime stage's USER: the user the image ran as, written so that the runtime base
        resolves it to the same ids; "" (no USER: root, as before) where the image had none.
        Whether the program works as another user is non-root-user's (DF005) question, on the
        evidence of the program it reads."""
        users = [node for node in self.stage.instructions if node.keyword == "USER"]
        default = self.checker.options.get("user") or RUNTIME_USERS.get(self.runtime, "65534:65534")
        if not users:
            self.evidence.append("the image ran as root by default: so does the runtime stage (DF005 decides on a "
                                 "USER)")
            return ""
        written = users[-1].arguments.strip()
        if "$" in written:
            self.reasons.append(f"the image runs as `{written}`, which dockerfix cannot resolve")
            return written
        name, _, group = written.partition(":")
        known = name.isdigit() or name in KNOWN_USERS
        if known and (not group or group.isdigit() or group in KNOWN_GROUPS):
            self.evidence.append(f"the image runs as `{written}` (line {users[-1].start_line}): so does the runtime "
                                 "stage")
            return _numeric_user(name, group) if self.runtime == "scratch" else written
        if known:  # the group is the runtime base's unknown: the user keeps its uid, its group is 0
            instead = _numeric_user(name, "") if self.runtime == "scratch" else name
        else:
            instead = self._uid_created_for(name) or default
        unknown = f"user `{name}`" if not known else f"group `{group}`"
        self.reasons.append(f"the image runs as `{written}`, and {self.runtime_image} has no {unknown}: the runtime "
                            f"stage runs as {instead}")
        return instead

    def _uid_created_for(self, name: str) -> str | None:
        """The uid an `adduser` / `useradd` of the Dockerfile gives the user, when it says."""
        for node in self.stage.instructions:
            script = self.index.shell_view(node) if node.keyword == "RUN" else None
            for command in script.commands if script is not None else ():
                argv = command.argv
                if command.name not in ("adduser", "useradd") or name not in argv[1:]:
                    continue
                for index, word in enumerate(argv):
                    value = argv[index + 1] if word in ("-u", "--uid") and index + 1 < len(argv) else \
                        word.partition("=")[2] if word.startswith("--uid=") else ""
                    if value.isdigit():
                        return value
        return None

    # -- the environment --------------------------------------------------------------------------

    @cached_property
    def _environment(self) -> dict[Instruction, list[tuple[str, str, str]]]:
        """Each ENV of the stage with its (name, value as written, role) triples: BUILD stays
        in the builder, RUNTIME moves to the runtime stage, SHARED is in both."""
        found = {node: [[name, value, self._role(name, node)] for name, value in pairs_set(node)]
                 for node in self.stage.instructions if node.keyword == "ENV"}
        changed = True
        while changed:  # a variable named where the other stage reads it belongs to both
            values = [(role, value) for triples in found.values() for _, value, role in triples]
            carried = "\n".join([self.user, *self._moved_texts()] + [v for role, v in values if role != BUILD])
            kept = "\n".join(v for role, v in values if role != RUNTIME)
            changed = False
            for triples in found.values():
                for triple in triples:
                    if triple[2] != SHARED and _names(carried if triple[2] == BUILD else kept, triple[0]):
                        triple[2], changed = SHARED, True
        return {node: [(name, value, role) for name, value, role in triples] for node, triples in found.items()}

    def _role(self, name: str, node: Instruction) -> str:
        shared = bool(SHARED_ENV.match(name))
        if BUILD_ENV.match(name) and not shared:
            return BUILD
        trailing = self._trailing_users()
        for step in self.stage.instructions[self.stage.instructions.index(node) + 1:]:
            if step.keyword in MOVED or step.keyword == "ENV" or step in trailing:  # ENV: see _environment
                continue
            if _names(self.tree.text[step.span.start:step.span.end], name):
                return SHARED
            if step.keyword == "RUN" and (shared or self._may_read_any_variable(step)):
                return SHARED
        return RUNTIME

    def _may_read_any_variable(self, node: Instruction) -> bool:
        """Whether a RUN runs something that may read variables it is not given by name: a
        script, make, a shell, `go generate` or `go test`."""
        script = self.index.shell_view(node)
        if script is None or script.opaque:
            return True
        for command in script.commands:
            name = (command.name or "").rsplit("/", 1)[-1]
            if name == "go":
                words = [a for a in command.argv[1:] if not a.startswith("-")]
                if words and words[0] in GO_SUBCOMMANDS_RUNNING_CODE:
                    return True
            elif name and name not in ENVIRONMENT_BLIND:
                return True
        return False

    def _moves_whole(self, node: Instruction) -> bool:
        """Whether an ENV sets only what the program reads: it moves, with its comments."""
        triples = self._environment[node]
        return bool(triples) and all(role == RUNTIME for _, _, role in triples)

    def _environment_edits(self, node: Instruction) -> tuple[Edit | None, str]:
        """The builder's edit of an ENV that stays (None: as it is), and what the runtime stage
        gets of it ("" for nothing)."""
        triples = self._environment[node]
        kept = [(name, value) for name, value, role in triples if role != RUNTIME]
        carried = [(name, value) for name, value, role in triples if role != BUILD]
        if not carried:
            return None, ""
        tree = self.tree
        keyword = tree.text[node.keyword_span.start:node.keyword_span.end]
        whole = len(carried) == len(triples)
        runtime_text = node_lines(tree, node) if whole else as_text(tree, [f"{keyword} {_pairs(carried)}"])
        if len(kept) == len(triples):
            return None, runtime_text
        return Edit(node.span.start, _content_end(tree, node), f"{keyword} {_pairs(kept)}"), runtime_text

    # -- the edits --------------------------------------------------------------------------------

    def edits(self) -> list[Edit]:
        tree, instructions, trailing = self.tree, self.stage.instructions, self._trailing_users()
        edits = [edit for edit in (self._alpine_builder, self._name_builder()) if edit is not None]
        edits += self._cgo_edits()
        user = next((node for node in trailing if self._carries(node)), None)
        replaced = [node for node in trailing if node is not user]  # the comments above it stay: they may say more
        taken = [node for node in instructions if node.keyword in MOVED or node is user
                 or node.keyword == "ENV" and self._moves_whole(node)]
        whole_removal = removal(tree, *(comment for node in taken for comment in _comments_above(tree, node)),
                                *taken, *replaced)
        comments = _comments_taken(tree, whole_removal)
        removed = _sparing(tree, whole_removal, [comment for node in replaced for comment in comments[node]])
        environment = []
        for node in instructions:
            if node.keyword == "ENV" and node in taken:
                environment.append(self._carried(node, comments[node]))
            elif node.keyword == "ENV":
                edit, text = self._environment_edits(node)
                edits += [edit] if edit is not None else []
                environment += [text] if text else []
        moved = [self._carried(node, comments[node]) for node in taken if node.keyword in MOVED]
        user_comments = comments.get(user, ()) if user is not None else ()
        runtime = self._runtime_stage("".join(environment), "".join(moved), _source(tree, user_comments))
        build_step = as_text(tree, [self._build_step()]) if self.build_step else ""
        left = [node for node in tree.nodes if not any(_within(node, edit) for edit in removed)]
        separator = "" if isinstance(left[-1], Blank) and not build_step else tree.newline
        return edits + removed + list(insert_after(tree, left[-1], build_step + separator + runtime))

    def _carried(self, node: Instruction, comments: list[Comment]) -> str:
        """A node taken to the runtime stage as lines there: below its comments, and the command
        as `go run` becomes."""
        own = as_text(self.tree, [self.new_command]) if node is self.command and self.new_command \
            else node_lines(self.tree, node)
        return _source(self.tree, comments) + own

    def _carries(self, user: Instruction) -> bool:
        """Whether the runtime stage runs as this USER says, written the same."""
        return user is _last(self.stage, "USER") and user.arguments.strip() == self.user

    def _moved_texts(self) -> list[str]:
        return [self.tree.text[node.span.start:node.span.end] for node in self.stage.instructions
                if node.keyword in MOVED]

    @cached_property
    def _cgo_wanted(self) -> str:
        """Why the build uses cgo ("" when nothing says it does): CGO_ENABLED=1, a C toolchain,
        a package that needs cgo among the Go sources' imports."""
        environment = {}
        for build in self.index.go_builds(self.stage):
            environment.update(build.environment)
        if environment.get("CGO_ENABLED") == "1":
            return "the build sets CGO_ENABLED=1"
        toolchain = sorted({"gcc", "build-base", "musl-dev", "libc-dev"} & set(self._installed_packages()))
        if toolchain:
            return f"the image installs {toolchain[0]}"
        context = self.checker.context
        imports = context.go_sources.imports if context is not None else ()
        needing = sorted(name for name in imports if any(name == c or name.startswith(c + "/") for c in CGO_IMPORTS))
        return f"the program imports {needing[0]}, which needs cgo" if needing else ""

    @cached_property
    def _builder_is_glibc(self) -> bool:
        """Whether the builder, as the fix leaves it, links cgo builds against glibc."""
        return "alpine" not in parse_image(self.stage.base).tag and self._alpine_builder is None

    @cached_property
    def _builds_without_cgo(self) -> list:
        """The builds of shipped binaries that the fix makes with CGO_ENABLED=0."""
        if not self._builder_is_glibc:
            return []
        shipped = {self.binary, *self._assets()}
        return [build for build in self.index.go_builds(self.stage)
                if self._output_of(build) in shipped and "CGO_ENABLED" not in build.environment
                and not _links_statically(build)]

    @property
    def _go_run_without_cgo(self) -> bool:
        """Whether the build that replaces `go run` needs CGO_ENABLED=0 (it runs after every ENV)."""
        return bool(self.build_step) and self._builder_is_glibc and not any(
            name == "CGO_ENABLED" for node in self.stage.instructions if node.keyword == "ENV"
            for name, _ in variables_set(node))

    def _cgo_edits(self) -> list[Edit]:
        return [Edit(at, at, "CGO_ENABLED=0 ") for at in
                (build.script.source_offset(build.start) for build in self._builds_without_cgo)]

    def _build_step(self) -> str:
        if self._go_run_without_cgo:
            return self.build_step.replace("RUN go build", "RUN CGO_ENABLED=0 go build", 1)
        return self.build_step

    @cached_property
    def _alpine_builder(self) -> Edit | None:
        """`golang:1.22` -> `golang:1.22-alpine` where that is proven not to break the build:
        a build context without .git (or one its .dockerignore leaves out: Go's VCS stamping
        needs git, which golang:alpine lacks), RUN steps that use only what busybox and Go
        provide (no apt-get, bash, make, gcc, git, curl), and no cgo (golang:alpine has no C
        compiler)."""
        context = self.checker.context
        image = parse_image(self.stage.base)
        if context is None or self._cgo_wanted or image.digest or image.has_variable or "-" in image.tag or \
                image.tag not in ("", "latest") and not ALPINE_READY_TAG.fullmatch(image.tag):
            return None
        if context.exists(".git") and not context.is_ignored(".git"):
            return None
        for node in self.stage.instructions:
            script = self.index.shell_view(node) if node.keyword == "RUN" else None
            if node.keyword == "RUN" and (script is None or script.opaque):
                return None
            for command in script.commands if script is not None else ():
                name = command.name.rsplit("/", 1)[-1] if command.name is not None else None
                if name is not None and (name not in ALPINE_COMMANDS or name != "go" and
                                         any(word.startswith("--") for word in command.argv[1:])):
                    return None  # a GNU long option busybox may not know
        tag = "alpine" if image.tag in ("", "latest") else f"{image.tag}-alpine"
        start, end = image_span(self.stage.from_)
        written = self.tree.text[start:end]
        repository = written.rsplit(":", 1)[0] if image.tag else written
        return Edit(start, end, f"{repository}:{tag}")

    def _name_builder(self) -> Edit | None:
        node = self.stage.from_
        values_end = node.arguments_source_end
        if len(node.values) >= 3:  # already named: keep the name, the runtime copies from it
            return None
        keyword = self.tree.text[node.keyword_span.start:node.keyword_span.end]
        return Edit(values_end, values_end, " AS builder" if keyword.isupper() or not keyword.islower() else
                    " as builder")

    @property
    def builder_name(self) -> str:
        values = self.stage.from_.values
        return values[2] if len(values) >= 3 else "builder"

    def _runtime_stage(self, environment: str, moved: str, user_comments: str) -> str:
        runtime, builder = self.runtime, self.builder_name
        keyword = self.tree.text[self.stage.from_.keyword_span.start:self.stage.from_.keyword_span.end]
        case = str.lower if keyword.islower() else str.upper  # follow the file's keyword casing
        lines = [f"{case('FROM')} {self.runtime_image}"]
        if runtime == "alpine":
            kept = [p for p in RUNTIME_PACKAGES_KEPT if p in self._installed_packages()]
            if kept:  # alpine carries ca-certificates-bundle, the file Go reads: nothing to add for it
                lines.append(f"{case('RUN')} apk add --no-cache {' '.join(kept)}")
        elif runtime == "scratch":
            lines.append(f"{case('COPY')} --from={builder} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/")
        lines += [f"{case('ARG')} {name}" for name in self._arguments_used(f"{self.user}\n{environment}{moved}")]
        if environment:
            lines.append(environment.rstrip("\r\n"))
        if _last(self.stage, "WORKDIR") is not None:
            lines.append(f"{case('WORKDIR')} {self._workdir_at(self.command)}")
        lines.append(f"{case('COPY')} --from={builder} {_copy_paths(self.found_binary, self._binary_destination())}")
        lines += [f"{case('COPY')} --from={builder} {_copy_paths(path, path)}" for path in self._assets()]
        if self._volumes_made_here:
            paths = " ".join(self._volumes)  # made for the user here: Docker would make them root's
            lines.append(f"{case('RUN')} mkdir -p {paths} && chown {self.user} {paths}")
        if self.user:
            lines.append(f"{user_comments}{case('USER')} {self.user}")
        return as_text(self.tree, lines) + moved

    def _binary_destination(self) -> str:
        """Where the runtime stage puts the binary: the same path, or /usr/local/bin when the
        command finds it through a PATH the runtime base does not have (/go/bin)."""
        program = (self._command_argv() or [""])[0]
        if "/" not in program and not self.new_command and posixpath.dirname(self.found_binary) not in SYSTEM_PATH:
            return posixpath.join("/usr/local/bin", posixpath.basename(self.found_binary))
        return self.found_binary

    def _trailing_users(self) -> list[Instruction]:
        """USER instructions after the last build step: they only say who runs the program
        (one before a build step says who runs the build, and stays)."""
        steps = [i for i, node in enumerate(self.stage.instructions) if node.keyword in ("RUN", "COPY", "ADD")]
        last = steps[-1] if steps else 0
        return [node for node in self.stage.instructions[last:] if node.keyword == "USER"]

    def _arguments_used(self, text: str) -> list[str]:
        """The stage's ARGs that `text` uses, as declared (with the default: an ARG is declared
        again in the runtime stage, and without its default it would be empty there)."""
        declared = {}
        for node in self.stage.instructions:
            if node.keyword == "ARG":
                for value in node.values:
                    name = value.split("=", 1)[0]
                    if _names(text, name):
                        declared[name] = value
        return list(declared.values())

    # -- the files --------------------------------------------------------------------------------

    def _assets(self) -> list[str]:
        """Files the Dockerfile copies that are not Go sources, and files the command names."""
        assets = [path for path in self._copied_files[0] if path != self.binary]
        workdir = self._workdir_at(self.command)
        outputs = {self._output_of(build) for build in self.index.go_builds(self.stage)}
        for argument in (self.command.values[1:] if self.command.json else ()):
            if argument in outputs and argument != self.binary and argument not in assets:
                assets.append(argument)  # another binary the command hands on (`dlv exec /go/bin/app`)
                continue
            if re.search(r"\.(ya?ml|json|toml|conf|ini|env|html|tmpl|txt|pem|crt|key)$", argument) \
                    and "$" not in argument and "=" not in argument:
                path = posixpath.normpath(posixpath.join(workdir, argument))
                if path not in assets and path != self.binary:
                    assets.append(path)
        return assets

    @cached_property
    def _copied_files(self) -> tuple[list[str], list[str]]:
        """(the paths of the files and directories the Dockerfile copies in by name that are
        not Go sources, the copies dockerfix cannot follow, as `COPY source`)."""
        paths, unknown = [], []
        for node in self.stage.instructions:
            if node.keyword not in ("COPY", "ADD") or _whole(node) or len(node.values) < 2:
                continue
            *sources, destination = node.values
            target = posixpath.normpath(posixpath.join(self._workdir_at(node), destination))
            into_directory = len(sources) > 1 or destination.endswith("/") or destination in (".", "./")
            for source in sources:
                found = self._copy_targets(node, source, target, into_directory)
                if found is None:
                    unknown.append(f"`{node.keyword} {source}`")
                paths += [path for path in found or () if path not in paths]
        return paths, unknown

    @property
    def _copies_not_followed(self) -> list[str]:
        return self._copied_files[1]

    def _copy_targets(self, node: Instruction, source: str, target: str, into_directory: bool) -> list[str] | None:
        """Where one source of a COPY or ADD lands that the runtime needs ([] for Go sources),
        or None when dockerfix cannot tell."""
        from_image = bool(node.flag_values("from"))
        remote = "://" in source
        if not from_image and not remote and self._is_go_source(source):
            return []
        if node.heredocs or "$" in source or "$" in target or any(ch in source for ch in "*?["):
            return None
        name = source.rstrip("/").rsplit("/", 1)[-1]
        if node.keyword == "ADD" and not remote and ARCHIVE.fullmatch(name):
            return None  # ADD unpacks it: its files are what lands
        if not into_directory:
            return [target]
        if from_image or remote:
            return None if source.endswith("/") else [posixpath.join(target, name)]
        context = self.checker.context
        relative = _in_context(source)
        entries = context.directory_entries(relative) if context is not None else None
        if entries is not None:
            entries = [entry for entry in entries if not _left_out(context, posixpath.join(relative, entry))]
        if entries is None:  # a file, unless it says it is a directory where no context can tell
            return None if source.endswith("/") or context is None and "." not in name else \
                [posixpath.join(target, name)]
        if self._holds_only_this(node, target):
            return [target]
        if len(entries) > SPREAD_LIMIT:
            return None
        return [posixpath.join(target, entry) for entry in entries]  # a directory's entries, not itself

    def _holds_only_this(self, node: Instruction, directory: str) -> bool:
        """Whether a directory a COPY spreads a directory into may be copied whole: it is not
        the WORKDIR, nor where the binary or the sources copied whole go."""
        whole = [posixpath.normpath(posixpath.join(self._workdir_at(n), n.values[1]))
                 for n in self._context_copies() if _whole(n)]
        return directory != self._workdir_at(node) and not is_within(self.found_binary, directory) and \
            not any(is_within(path, directory) or is_within(directory, path) for path in whole)

    def _is_go_source(self, source: str) -> bool:
        name = source.rstrip("/").rsplit("/", 1)[-1]
        if name in GO_SOURCE_NAMES or name.endswith(".go") or name.startswith(("go.mod", "go.sum", "go.work", "go.")):
            return True
        context = self.checker.context
        relative = _in_context(source)
        return context is not None and relative != "." and _only_go_sources(context, relative)


def _comments_above(tree, node: Instruction) -> list[Node]:
    """The comment lines directly above `node`: they go where it goes (a paragraph's heading
    too: here it is most often about the instruction below it)."""
    start = tree.start_with_comments(node)
    return [other for other in tree.nodes if start <= other.span.start < node.span.start]


def _comments_taken(tree, removed: tuple[Edit, ...]) -> dict[Instruction, list[Comment]]:
    """The comment lines the removal takes, by the instruction below them they belong to."""
    found: dict[Instruction, list[Comment]] = {}
    above: list[Comment] = []
    for node in tree.nodes:
        taken = any(_within(node, edit) for edit in removed)
        if isinstance(node, Comment) and taken:
            above.append(node)
        elif isinstance(node, Instruction):
            found[node] = above if taken else []
            above = []
    return found


def _sparing(tree, removed: tuple[Edit, ...], spared: list[Node]) -> list[Edit]:
    """The removals with the lines of the `spared` nodes left where they are, and the blank line
    above them (the removal took it for one that the end of the file would leave last)."""
    nodes = tree.nodes
    spared = [*spared, *(nodes[index - 1] for index in (nodes.index(node) for node in spared)
                         if index and isinstance(nodes[index - 1], Blank))]
    edits = []
    for edit in removed:
        start = edit.start
        for node in sorted((node for node in spared if _within(node, edit)), key=lambda node: node.span.start):
            edits += [Edit(start, node.span.start, "")] if start < node.span.start else []
            start = node.span.end
        edits += [Edit(start, edit.end, edit.replacement)] if start < edit.end or edit.replacement else []
    return edits


def _within(node: Node, edit: Edit) -> bool:
    return edit.start <= node.span.start and node.span.end <= edit.end


def _source(tree, nodes) -> str:
    return "".join(tree.text[node.span.start:node.span.end] for node in nodes)


def _content_end(tree, node: Instruction) -> int:
    """Where the arguments of `node` end, with the blanks after them that end its line: an edit
    up to there leaves its line break (and an escape that leaves it open at the end of the file,
    which the lines put after it remove) where they are."""
    end = node.arguments_source_end
    rest = tree.text[end:node.span.end]
    blanks = len(rest) - len(rest.lstrip(" \t"))
    return end + blanks if rest[blanks:blanks + 1] in ("", "\r", "\n") else end


def _whole(node: Instruction) -> bool:
    return len(node.values) == 2 and node.values[0] in (".", "./")


def _in_context(source: str) -> str:
    """A COPY source as a path relative to the build context (a leading / names its root)."""
    return posixpath.normpath(source.lstrip("/") or ".")


def _links_statically(build) -> bool:
    ldflags = build.value_of("ldflags")
    return ldflags is not None and "-static" in ldflags[2]


def _plain_words(text: str) -> list[str] | None:
    """The words of a shell-form command, or None when the shell would do more than split it."""
    return None if any(ch in text for ch in "$`|&;<>()'\"\\*?") else text.split()


def _names(text: str, name: str) -> bool:
    """Whether `text` expands the variable `name` ($NAME, ${NAME}, ${NAME:-…})."""
    return re.search(rf"\$(\{{)?{re.escape(name)}\b", text) is not None


def _pairs(pairs: list[tuple[str, str]]) -> str:
    return " ".join(f"{name}={value}" for name, value in pairs)


def _copy_paths(source: str, destination: str) -> str:
    """The paths of a COPY as its arguments: JSON form where a path holds a blank or a quote
    (`COPY --from=b ["/out/my app", "/out/my app"]`), which shell form would split."""
    if any(char.isspace() or char in "\"'[" for char in source + destination):
        return json.dumps([source, destination])
    return f"{source} {destination}"


def _numeric_user(name: str, group: str) -> str:
    """`user[:group]` in ids, for a base without /etc/passwd (only known names come here)."""
    uid, primary = KNOWN_USERS.get(name, (name, None))
    gid = KNOWN_GROUPS.get(group, group) if group else primary
    return f"{uid}:{gid}" if gid is not None else uid


def _possible_assets(context) -> list[str]:
    names = context.directory_entries(".")
    if names is None:
        return ["files dockerfix could not list"]
    assets = []
    for name in names:
        if REPOSITORY_FILES.match(name) or name in GO_SOURCE_NAMES or _left_out(context, name) \
                or context.go_sources.embeds(name):
            continue
        is_directory = name in context.root_directories
        if is_directory and _only_go_sources(context, name):
            continue
        assets.append(name + ("/" if is_directory else ""))
    return assets


def _left_out(context, relative: str) -> bool:
    """Whether the .dockerignore keeps a path out of the build (no `!` exception could bring
    back something below it)."""
    return context.is_ignored(relative) and not any(pattern.exclusion for pattern in context.ignore_patterns)


def _only_go_sources(context, directory: str) -> bool:
    files = context.files_below(directory)
    return files is not None and all(posixpath.splitext(path)[1] in (".go", ".s", ".md")
                                     or posixpath.basename(path) in ("go.mod", "go.sum") for path in files)


def _packages(build) -> list[str]:
    words = build.command.words
    start = words.index(build.subcommand) + 1
    flag_words = {id(word) for word in build.flag_words}
    rest = [w.value for w in words[start:] if id(w) not in flag_words and not w.value.startswith("-")]
    return rest


def _package_name(package: str, context) -> str | None:
    """The binary name go gives a main package: its last path element (a /vN suffix skipped)."""
    package = package.split("@", 1)[0].rstrip("/")
    if package in (".", "./", ""):
        module = context.go_module.path if context is not None and context.go_module else ""
        package = module
    parts = [part for part in package.split("/") if part not in (".", "")]
    if parts and re.fullmatch(r"v\d+", parts[-1]) and len(parts) > 1:
        parts = parts[:-1]
    return parts[-1] if parts and "$" not in parts[-1] and "..." not in parts[-1] else None


def _runs(program: str, binary: str, workdir: str) -> bool:
    if "/" in program:
        return posixpath.normpath(posixpath.join(workdir, program)) == binary
    return posixpath.dirname(binary) in PATH_DIRS and posixpath.basename(binary) == program


def _quote(word: str) -> str:
    return word if re.fullmatch(r"[\w@%+=:,./-]+", word) else "'" + word.replace("'", "'\\''") + "'"


RULE = Rule(id="DF011", name="go-multi-stage", summary="a single-stage Go image is split into builder and runtime",
            check=check, doc=__doc__, fix_safety=MIXED, severity="warning",
            options=("runtime-base", "runtime-image", "user"))
