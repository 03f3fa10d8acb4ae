"""go-multi-stage (DF011): a single-stage Go image is split into a builder and a minimal runtime stage.

What it does
    For a Dockerfile with one stage, on a `golang` image, that builds a binary (`go build
    -o`, `go install`, or `go run` in its command) and runs it from ENTRYPOINT/CMD: names
    the stage `builder` and appends a runtime stage on a minimal base (alpine by default;
    `scratch` or distroless with the `runtime_base` option) that gets CA certificates, the
    binary at the same path, the non-Go files the Dockerfile copied in, the files the
    command names, a numeric non-root USER, the runtime ENV and ARGs it uses, and the
    original EXPOSE, LABEL, VOLUME, STOPSIGNAL, HEALTHCHECK, ENTRYPOINT and CMD, moved
    with their comments. On alpine, the VOLUME directories are made and given to that
    user first (`RUN mkdir -p … && chown …`): Docker would make them root's. `go run ./x`
    becomes a build of ./x and the built binary runs.

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
    FROM golang:1.22 AS builder
    WORKDIR /app
    COPY . .
    RUN go build -o server .

    FROM alpine:3.24
    RUN apk add --no-cache ca-certificates
    WORKDIR /app
    COPY --from=builder /app/server /app/server
    USER 65534:65534
    EXPOSE 8080
    CMD ["./server"]

Fix safety
    Safe only when the context shows what the program could read at runtime: a build context
    with nothing but Go sources, go.mod/go.sum and repository files (docs, CI, tests)
    besides what the Dockerfile copies explicitly. Otherwise unsafe, with the reason: no
    build context to check, non-Go files in a context copied whole, packages installed for
    runtime, a shell script as entrypoint, cgo (`CGO_ENABLED=1`, a C toolchain), a
    HEALTHCHECK that may need tools the runtime lacks, a VOLUME on a runtime without a shell
    (or with a path to quote), a directory a RUN makes that the runtime stage would lack
    (`mkdir -p /var/run/app`; the binary's own directory and the WORKDIR are made there
    anyway), `go run` flags that use variables. Reported without a fix when the Dockerfile
    builds Go but the binary the command runs cannot be traced to a build; not reported at
    all for images without a Go build or whose command is a bare shell (toolchain and CI
    images). The builder moves to `golang:<version>-alpine` only where that cannot break the
    build: a build context with no .git (or a .dockerignore that leaves it out: Go stamps
    the VCS state and golang:alpine has no git) and RUN steps that need nothing but busybox
    and Go; otherwise it keeps its image, whose size does not ship anyway.
"""
from __future__ import annotations

import json
import os
import posixpath
import re
from functools import cached_property

from ..lazy_regex import lazy_regex
from ..syntax.edits import lines_at, node_lines
from ..syntax.shell import shell_view
from ..syntax.tree import Blank, Instruction
from .base import MIXED, SAFE, UNSAFE, Checker, Edit, Rule
from .gobuild import go_builds
from .images import (
    GOLANG,
    PLAIN_PATH,
    directories_made,
    external_base,
    family,
    final_stage,
    image_span,
    is_within,
    parse_image,
    volumes,
    workdir_at,
)

RUNTIME_IMAGES = {"alpine": "alpine:3.24", "scratch": "scratch", "distroless": "gcr.io/distroless/static-debian12"}
RUNTIME_USERS = {"alpine": "65534:65534", "scratch": "65534:65534", "distroless": "65532:65532"}
MOVED = frozenset({"EXPOSE", "CMD", "ENTRYPOINT", "LABEL", "HEALTHCHECK", "VOLUME", "STOPSIGNAL", "MAINTAINER"})
BUILD_ENV = lazy_regex(r"^(GO\w*|CGO_\w+|PATH)$")
PATH_DIRS = ("/usr/local/bin", "/usr/bin", "/bin", "/go/bin", "/usr/local/go/bin", "/usr/local/sbin", "/usr/sbin")
ALPINE_READY_TAG = lazy_regex(r"\d+(\.\d+){0,2}")
ALPINE_COMMANDS = frozenset({"go", "apk", "sh", "cd", "mkdir", "rm", "cp", "mv", "ln", "echo", "ls", "cat", "chmod",
                             "chown", "test", "[", "true", "false", "export", "set", "env", "sed", "grep", "tar",
                             "gzip", "wget", "touch", "adduser", "addgroup", "find", "xargs", "printf", "install"})
SYSTEM_PATH = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")
BUILD_PACKAGES = frozenset({"git", "make", "gcc", "g++", "musl-dev", "build-base", "libc-dev", "libc6-dev", "bash",
                            "curl", "wget", "openssh", "openssh-client", "upx", "binutils", "protobuf", "protoc",
                            "ca-certificates", "tzdata", "mercurial", "bzr", "pkgconfig", "pkg-config"})
RUNTIME_PACKAGES_KEPT = ("ca-certificates", "tzdata")
GO_SOURCE_NAMES = frozenset({"go.mod", "go.sum", "go.work", "go.work.sum", "cmd", "internal", "pkg", "vendor"})
REPOSITORY_FILES = lazy_regex(
    r"(?i)^(\..*|readme.*|license.*|licence.*|copying.*|changelog.*|contributing.*|code_of_conduct.*|security.*"
    r"|notice.*|authors.*|makefile|dockerfile.*|.*\.dockerfile|.*\.go|.*\.md|.*\.mod|.*\.sum|docs?|test|tests"
    r"|testdata|scripts?|hack|build|deploy|deployments|charts?|examples?|\.github|tools|go\.work.*|compose.*"
    r"|docker-compose.*|.*\.ya?ml\.example|goreleaser.*|codecov.*|renovate.*)$")


def check(checker: Checker):
    tree = checker.tree
    stages, stage = final_stage(tree)
    if stage is None or len(stages) != 1 or family(external_base(stages, stage)) != GOLANG:
        return
    entrypoint = _last(stage, "ENTRYPOINT")
    command = entrypoint if entrypoint is not None and entrypoint.values else _last(stage, "CMD")
    if command is None or _is_bare_shell(command):
        return
    plan = _Plan(checker, stage, command)
    message = f"single-stage image on {stage.base}: the compiler ships with the program"
    if plan.binary is None:
        if go_builds(tree, stages, stage):  # a Go build we could not follow; otherwise a tool image
            yield checker.report(RULE, stage.from_, message, reason=plan.blocker)
        return
    edits = plan.edits()
    if plan.reasons:
        yield checker.report(RULE, stage.from_, f"{message}: split into builder and runtime stages", *edits,
                             applicability=UNSAFE, reason="; ".join(plan.reasons))
    else:
        yield checker.report(RULE, stage.from_, f"{message}: split into builder and runtime stages", *edits,
                             applicability=SAFE)


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
        self.runtime = checker.options.get("runtime_base", "alpine")
        self.reasons: list[str] = []
        self.blocker = ""
        self.build_step = ""         # a `RUN go build` to add for `go run`
        self.new_command = ""        # the command rewritten for `go run`
        self.binary = self._find_binary()
        if self.binary is not None:
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
        workdir = workdir_at(self.stage, self.command)
        for build in go_builds(self.tree, [self.stage], self.stage):
            output = self._output_of(build)
            if output is not None and _runs(argv[0], output, workdir):
                return output
        self.blocker = f"no `go build -o` or `go install` in this Dockerfile makes `{argv[0]}`"
        return None

    def _command_argv(self) -> list[str] | None:
        node = self.command
        if node.json:
            argv = list(node.values)
        else:
            if any(ch in node.arguments for ch in "$`|&;<>()'\"\\*?"):
                return None
            argv = node.arguments.split()
        return argv

    def _output_of(self, build) -> str | None:
        script = build.script
        position = script.commands.index(build.command)
        if any(c.name in ("cd", "pushd") for c in script.commands[:position]):
            return None
        workdir = workdir_at(self.stage, build.instruction)
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
        copies = self._context_copies()
        if any(_whole(node) for node in copies):
            if context is None:
                self.reasons.append("no build context to see what the program reads at runtime")
            else:
                assets = _possible_assets(context.root)
                if assets:
                    self.reasons.append(f"the program may read {', '.join(assets[:3])} at runtime")
        packages = self._installed_packages()
        runtime_packages = sorted(set(packages) - BUILD_PACKAGES)
        if runtime_packages:
            self.reasons.append(f"the image installs {', '.join(runtime_packages[:3])}, which the program may need")
        first = self.command.values[0] if self.command.json and self.command.values else ""
        if first.endswith(".sh"):
            self.reasons.append("the entrypoint is a shell script")
        environment = {}
        for build in go_builds(self.tree, [self.stage], self.stage):
            environment.update(build.environment)
        if environment.get("CGO_ENABLED") == "1" or {"gcc", "build-base", "musl-dev", "libc-dev"} & set(packages):
            self.reasons.append("the build may use cgo and system libraries")
        build_runs = [b.instruction for b in go_builds(self.tree, [self.stage], self.stage)]
        later = self.stage.instructions[self.stage.instructions.index(build_runs[-1]) + 1:] if build_runs else []
        if any(node.keyword == "RUN" for node in later):
            self.reasons.append("RUN steps after the build may prepare files the program needs")
        made = self._directories_only_the_builder_has()
        if made:
            self.reasons.append(f"the image makes {made[0]}, which the runtime stage would not have")
        if self._volumes and not self._volumes_made_here:
            self.reasons.append(f"the VOLUME {self._volumes[0]} cannot be made the runtime user's, and the program may "
                                "write there")
        healthcheck = _last(self.stage, "HEALTHCHECK")
        if healthcheck is not None and not (healthcheck.json or "NONE" in healthcheck.arguments.upper()[:4]):
            self.reasons.append("the HEALTHCHECK may need tools the runtime image lacks")

    def _directories_only_the_builder_has(self) -> list[str]:
        """Directories a RUN makes (`mkdir`) that the runtime stage does not get anyway: it has
        the binary's, the copied files', the WORKDIR's and the VOLUMEs' directories."""
        kept = [posixpath.dirname(self.binary), workdir_at(self.stage, self.command), *self._volumes,
                *(posixpath.dirname(asset) for asset in self._assets())]
        return [path for path in directories_made(self.tree, [self.stage])
                if not any(is_within(directory, path) for directory in kept)]

    @cached_property
    def _volumes(self) -> list[str]:
        return [volume.rstrip("/") or "/" for volume in volumes(self.stage)]

    @property
    def _volumes_made_here(self) -> bool:
        """Whether the runtime stage makes the VOLUME directories and gives them to its user
        (alpine has the shell for it; every path must go into the RUN unquoted)."""
        return bool(self._volumes) and self.runtime == "alpine" and all(PLAIN_PATH.fullmatch(v) for v in self._volumes)

    def _context_copies(self) -> list[Instruction]:
        return [node for node in self.stage.instructions
                if node.keyword in ("COPY", "ADD") and not node.flag_values("from")]

    def _installed_packages(self) -> list[str]:
        packages = []
        for node in self.stage.instructions:
            script = shell_view(self.tree, node) if node.keyword == "RUN" else None
            for command in script.commands if script is not None else ():
                argv = command.argv
                if command.name in ("apk", "apt-get", "apt") and any(a in ("add", "install") for a in argv):
                    start = next(i for i, a in enumerate(argv) if a in ("add", "install")) + 1
                    packages += [a for a in argv[start:] if not a.startswith("-") and "=" not in a[:1]]
        return packages

    # -- the edits --------------------------------------------------------------------------------

    def edits(self) -> list[Edit]:
        tree, newline = self.tree, self.tree.newline
        edits = [edit for edit in (self._alpine_builder(), self._name_builder()) if edit is not None]
        moved: list[str] = []
        for node in self.stage.instructions:
            if node in self._trailing_users():  # its comments stay: they may say more than who runs
                edits.append(Edit(node.span.start, node.span.end, ""))
            elif node.keyword in MOVED:
                start = tree.start_with_comments(node)
                text = node_lines(tree, node, start)
                if node is self.command and self.new_command:
                    text = tree.text[start:node.span.start] + self.new_command + newline
                moved.append(text)
                edits.append(Edit(start, node.span.end, ""))
        build_step = f"{self.build_step}{newline}" if self.build_step else ""
        separator = "" if _ends_blank_after(tree, edits) and not build_step else newline
        appended = lines_at(tree, len(tree.text), build_step + separator + self._runtime_stage("".join(moved)))
        edits += [edit for edit in appended if not any(o.start <= edit.start < o.end for o in edits)]
        return edits

    def _alpine_builder(self) -> Edit | None:
        """`golang:1.22` -> `golang:1.22-alpine` where that is proven not to break the build:
        a build context without .git (or one its .dockerignore leaves out: Go's VCS stamping
        needs git, which golang:alpine lacks), and RUN steps that use only what busybox and
        Go provide (no apt-get, bash, make, gcc, git, curl)."""
        context = self.checker.context
        image = parse_image(self.stage.base)
        if context is None or image.digest or image.has_variable or "-" in image.tag or \
                image.tag not in ("", "latest") and not ALPINE_READY_TAG.fullmatch(image.tag):
            return None
        if context.exists(".git") and not context.is_ignored(".git"):
            return None
        for node in self.stage.instructions:
            script = shell_view(self.tree, node) if node.keyword == "RUN" else None
            if node.keyword == "RUN" and (script is None or script.opaque):
                return None
            for command in script.commands if script is not None else ():
                if command.name is not None and command.name.rsplit("/", 1)[-1] not in ALPINE_COMMANDS:
                    return None
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

    def _runtime_stage(self, moved: str) -> str:
        nl, runtime, builder = self.tree.newline, self.runtime, self.builder_name
        keyword = self.tree.text[self.stage.from_.keyword_span.start:self.stage.from_.keyword_span.end]
        case = str.lower if keyword.islower() else str.upper  # follow the file's keyword casing
        image = self.checker.options.get("runtime_image") or RUNTIME_IMAGES.get(runtime, runtime)
        lines = [f"{case('FROM')} {image}"]
        if runtime == "alpine":
            kept = [p for p in RUNTIME_PACKAGES_KEPT if p in self._installed_packages() or p == "ca-certificates"]
            lines.append(f"{case('RUN')} apk add --no-cache {' '.join(kept)}")
        elif runtime == "scratch":
            lines.append(f"{case('COPY')} --from={builder} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/")
        body = moved + "".join(self._environment())
        lines += [f"{case('ARG')} {name}" for name in self._arguments_used(body)]
        if _last(self.stage, "WORKDIR") is not None:
            lines.append(f"{case('WORKDIR')} {workdir_at(self.stage, self.command)}")
        lines.append(f"{case('COPY')} --from={builder} {self.binary} {self._binary_destination()}")
        lines += [f"{case('COPY')} --from={builder} {path} {path}" for path in self._assets()]
        lines += [line.rstrip("\r\n") for line in self._environment()]
        if self._volumes_made_here:
            paths = " ".join(self._volumes)  # made for the user here: Docker would make them root's
            lines.append(f"{case('RUN')} mkdir -p {paths} && chown {self._runtime_user()} {paths}")
        lines.append(f"{case('USER')} {self._runtime_user()}")
        return nl.join(lines) + nl + moved

    def _binary_destination(self) -> str:
        """Where the runtime stage puts the binary: the same path, or /usr/local/bin when the
        command finds it through a PATH the runtime base does not have (/go/bin)."""
        program = (self._command_argv() or [""])[0]
        if "/" not in program and not self.new_command and posixpath.dirname(self.binary) not in SYSTEM_PATH:
            return posixpath.join("/usr/local/bin", posixpath.basename(self.binary))
        return self.binary

    def _trailing_users(self) -> list[Instruction]:
        """USER instructions after the last build step: they only say who runs the program."""
        steps = [i for i, node in enumerate(self.stage.instructions) if node.keyword in ("RUN", "COPY", "ADD")]
        last = steps[-1] if steps else 0
        return [node for node in self.stage.instructions[last:] if node.keyword == "USER"]

    def _runtime_user(self) -> str:
        """The numeric non-root user the Dockerfile already runs as, or the runtime base's default."""
        users = self._trailing_users()
        value = users[-1].arguments.strip() if users else ""
        if re.fullmatch(r"[1-9]\d*(:\d+)?", value):
            return value
        return self.checker.options.get("user") or RUNTIME_USERS.get(self.runtime, "65534:65534")

    def _environment(self) -> list[str]:
        nl, found = self.tree.newline, []
        for node in self.stage.instructions:
            if node.keyword == "ENV":
                values = node.values
                names = [values[i] for i in range(0, len(values), 2)]
                if not any(BUILD_ENV.match(name) for name in names):
                    found.append(self.tree.text[node.span.start:node.span.end].rstrip("\r\n") + nl)
        return found

    def _arguments_used(self, text: str) -> list[str]:
        names = []
        for node in self.stage.instructions:
            if node.keyword == "ARG":
                for value in node.values:
                    name = value.split("=", 1)[0]
                    if re.search(rf"\$\{{?{re.escape(name)}\b", text) and name not in names:
                        names.append(name)
        return names

    def _assets(self) -> list[str]:
        """Files the Dockerfile copies that are not Go sources, and files the command names."""
        assets = []
        for node in self._context_copies():
            if _whole(node) or len(node.values) != 2:
                continue
            source, destination = node.values
            if source.rstrip("/").rsplit("/", 1)[-1] in GO_SOURCE_NAMES or source.endswith(".go") or "*" in source:
                continue
            target = posixpath.join(workdir_at(self.stage, node), destination)
            if destination.endswith("/") or destination in (".", "./"):
                target = posixpath.join(target, source.rstrip("/").rsplit("/", 1)[-1])
            assets.append(posixpath.normpath(target))
        workdir = workdir_at(self.stage, self.command)
        outputs = {self._output_of(build) for build in go_builds(self.tree, [self.stage], self.stage)}
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


def _ends_blank_after(tree, removals: list[Edit]) -> bool:
    """Whether what is left of the file after the removals ends with a blank line."""
    for node in reversed(tree.nodes):
        if any(edit.start <= node.span.start and node.span.end <= edit.end for edit in removals):
            continue
        return isinstance(node, Blank)
    return False


def _whole(node: Instruction) -> bool:
    return len(node.values) == 2 and node.values[0] in (".", "./")


def _possible_assets(root: str) -> list[str]:
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return ["files dockerfix could not list"]
    assets = []
    for name in names:
        if REPOSITORY_FILES.match(name) or name in GO_SOURCE_NAMES:
            continue
        path = os.path.join(root, name)
        is_directory = os.path.isdir(path)
        if is_directory and _only_go_sources(path):
            continue
        assets.append(name + ("/" if is_directory else ""))
    return assets


def _only_go_sources(directory: str, limit: int = 2000) -> bool:
    count = 0
    for parent, subdirectories, files in os.walk(directory):
        count += len(subdirectories) + len(files)
        if count > limit:
            return False
        for name in files:
            if os.path.isfile(os.path.join(parent, name)) and not (
                    os.path.splitext(name)[1] in (".go", ".s", ".md") or name in ("go.mod", "go.sum")):
                return False
    return True


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
            check=check, doc=__doc__, fix_safety=MIXED)
