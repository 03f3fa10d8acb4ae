"""What of a Dockerfile reaches the image it ships.

Two questions rules ask before they change a build for the sake of the image:

- Does the Dockerfile build an image that is shipped at all? A Dockerfile under tests/,
  examples/ or e2e/, or named Dockerfile.dev or Dockerfile.tmpl, builds a test image, an
  example, a development image or a template: `not_shipped_reason` says which, from its
  path in the repository (`dockerfile_path`); `unshipped_image_reason` asks that for the
  checked file, or its top comment when that says "for testing purposes only", unless the
  user named it on the command line.
- Does a `go build` / `go install` make a binary a shipped image holds? `shipped_builds`
  answers with positive evidence only. The shipped images are the final stage's, and those
  of stages no other stage uses that say what they run (ENTRYPOINT or CMD: a target of
  their own, `--target worker`), but for names saying test, dev or debug. A binary reaches
  one when its path is copied by a `COPY --from` of the image's stage, followed through any
  chain of stages that copy it on, or when it is built in that stage, or, for an image
  that says what it runs, in a stage it is built FROM. A build whose output cannot be told
  (a `cd` that cannot be followed, no known GOBIN), a `go build` of several packages (go
  discards what it compiles), and a `go install` of a dependency's packages that no copy
  names by file (they may be libraries, which install nothing) are not shipped. A
  single-stage file ships the Go toolchain: go-multi-stage splits it first.
- Which stages does a shipped image hold whole? `whole_image_stages` names them: the shipped
  images' own stages and those they are built FROM. What a stage only hands on by `COPY
  --from` (a builder, a download stage) leaves its other layers behind: a package index or
  apt lists there never reach an image, and the rules about image size leave such stages alone.
"""
from __future__ import annotations

import fnmatch
import os
import posixpath
import re

from ...lazy_regex import lazy_regex
from ...records import record
from ...syntax.tree import Comment, Instruction, Stage
from .gobuild import GoBuild, go_builds
from .images import ALPINE, DEBIAN, GOLANG, ImageRef, family, parse_image
from .runtime_program import package_arguments
from .stages import variables_set

NOT_SHIPPED_DIRECTORIES = {  # directory -> what the images built there are
    "test": "test", "tests": "test", "testdata": "test", "e2e": "test", "integration": "test",
    "integrationtest": "test", "mock": "mock", "mocks": "mock", "example": "example", "examples": "example",
    "evals": "evaluation", ".devcontainer": "development container",
}
DEVELOPMENT_WORDS = frozenset({"dev", "develop", "development", "local", "debug"})
TEMPLATE_WORDS = frozenset({"tmpl", "template"})
NAME_WORDS = lazy_regex(r"[.\-_]")
UNSHIPPED_STAGE_WORDS = ("test", "dev", "debug", "lint", "e2e", "integration", "mock", "example", "local", "ci")
EVERYTHING = ()  # the pattern of a stage whose whole file system is in the image
NOT_SHIPPED_COMMENT = lazy_regex(
    r"\bfor (?:\w+ )?(?:testing|tests?|development|debugging)(?: purposes)? only\b"
    r"|\bnot (?:meant |intended )?for production\b|\b(?:testing|test|development) (?:purposes )?only\b", re.I)
MAJOR_VERSION = lazy_regex(r"v\d+")
WINDOWS_DRIVE = lazy_regex(r"[A-Za-z]:(?:[/\\]|$)")
VARIABLE = lazy_regex(r"\$\{(\w+)\}|\$(\w+)")


# --- The Dockerfile's path -------------------------------------------------------------------

def dockerfile_path(context) -> str | None:
    """The Dockerfile's path, relative to its repository, else to its build context, else its
    file name; None when the rule was given no Dockerfile path (stdin)."""
    dockerfile = getattr(context, "dockerfile", None) if context is not None else None
    if not dockerfile:
        return None
    project = context.project
    for root in ([project.root] if project is not None else []) + [context.root]:
        relative = os.path.relpath(dockerfile, root).replace(os.sep, "/")
        if relative != ".." and not relative.startswith("../"):
            return relative
    return os.path.basename(dockerfile)


def not_shipped_reason(path: str | None) -> str | None:
    """Why a Dockerfile at `path` (relative to its repository) looks like it builds no image
    that is shipped: a directory of tests, examples or mocks on the way to it (`tests/`,
    `ssh_server_tests/`), or a file name saying development, test or template
    (Dockerfile.dev, dev.Dockerfile, Dockerfile.e2e, Dockerfile.tmpl). None when nothing in
    the path says so."""
    if not path:
        return None
    *directories, name = path.split("/")
    words = set(NAME_WORDS.split(name.lower())) - {"dockerfile", "containerfile"}
    if words & TEMPLATE_WORDS:
        return f"{name} looks like a template, not a Dockerfile that is built"
    if words & DEVELOPMENT_WORDS:
        return f"{name} looks like a development image"
    kind = next((NOT_SHIPPED_DIRECTORIES[word] for word in sorted(words) if word in NOT_SHIPPED_DIRECTORIES), None)
    if kind is not None:
        return f"{name} looks like {_article(kind)} {kind} image"
    for directory in directories:
        kind = NOT_SHIPPED_DIRECTORIES.get(directory.lower()) or next(
            (NOT_SHIPPED_DIRECTORIES[word] for word in NAME_WORDS.split(directory.lower())
             if word in NOT_SHIPPED_DIRECTORIES and not word.startswith(".")), None)
        if kind is not None:
            return f"{path} lies under {directory}/: it looks like {_article(kind)} {kind} image, not a shipped one"
    return None


def unshipped_image_reason(checker) -> str | None:
    """Why the checked Dockerfile builds no shipped image, from its path (`not_shipped_reason`)
    or from the comment at its top ("For testing purposes only"); None when the user named it
    on the command line: a file asked for by name is fixed whatever its path says (as test
    inputs are), a search over a repository leaves examples and test images as they are."""
    context = checker.context
    if context is not None and getattr(context, "named", False):
        return None
    return not_shipped_reason(dockerfile_path(context)) or _header_says_not_shipped(checker.tree)


def _header_says_not_shipped(tree) -> str | None:
    """The first lines of the comment above the first instruction, when they say the image is
    for tests or development only ("# For integration testing only.")."""
    for node in tree.nodes:
        if isinstance(node, Comment):
            if NOT_SHIPPED_COMMENT.search(node.text):
                return f"its first comment says \"{node.text.lstrip('#').strip()[:60]}\""
        elif isinstance(node, Instruction):
            return None
    return None


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


# --- Which Go builds' binaries reach the final image ------------------------------------------

@record(frozen=True)
class Output:
    """Where a build writes a binary: an absolute path, split, its elements "?" where not known."""

    parts: tuple[str, ...]
    named_only: bool = False   # the package may be a library: only a copy naming the file is evidence


@record(frozen=True)
class ShippedBuild:
    build: GoBuild
    stage: Stage
    evidence: str   # how its binary reaches the image


def shipped_builds(index) -> list[ShippedBuild]:
    """The Go builds of the checker's semantic index whose binaries a shipped image holds, in
    file order, each with the fact that says so (none in a single-stage file)."""
    return index.derived(("shipped", "builds"), lambda: _shipped_builds(index))


def whole_image_stages(index) -> frozenset[int]:
    """The indexes of the stages whose whole file system is in a shipped image."""
    return index.derived(("shipped", "whole"), lambda: frozenset(
        number for number, patterns in _reached(index).items()
        if any(pattern is EVERYTHING for pattern, _ in patterns)))


def left_behind(index, node) -> bool:
    """Whether the instruction's layer is in no shipped image: its stage only hands files on."""
    kept = index.derived(("shipped", "whole instructions"), lambda: frozenset(
        id(each) for stage in index.stages if stage.index in whole_image_stages(index)
        for each in stage.instructions))
    return id(node) not in kept


def _shipped_builds(index) -> list[ShippedBuild]:
    stages = index.stages
    if len(stages) < 2:
        return []
    reached = _reached(index)
    found = []
    for stage in stages:
        patterns = reached.get(stage.index, [])
        if not patterns:
            continue
        for build in go_builds(index, stages, stage):
            evidence = _reaching(build_outputs(index, stage, build), patterns)
            if evidence is not None:
                found.append(ShippedBuild(build, stage, evidence))
    return found


def _reaching(outputs: list[Output], patterns) -> str | None:
    for output in outputs:
        for pattern, evidence in patterns:
            if _covers(pattern, output):
                return evidence
    return None


def _covers(pattern: tuple[str, ...], output: Output) -> bool:
    """Whether what a copy takes (`pattern`, a path that may hold wildcards) holds the output:
    the output is the path or below it. A library's output counts only when named as a file."""
    parts = output.parts
    if pattern is EVERYTHING:
        return True
    if len(pattern) > len(parts) or not all(_same(a, b) for a, b in zip(pattern, parts, strict=False)):
        return False
    return not output.named_only or (len(pattern) == len(parts) and pattern[-1] == parts[-1])


def _same(pattern: str, part: str) -> bool:
    if part == "?" or pattern == part:
        return True
    return any(char in pattern for char in "*?[") and fnmatch.fnmatchcase(part, pattern)


def _reached(index) -> dict[int, list[tuple[tuple[str, ...], str]]]:
    return index.derived(("shipped", "reached"), lambda: _reached_paths(index, index.stages))


def _reached_paths(index, stages) -> dict[int, list[tuple[tuple[str, ...], str]]]:
    """For each stage, the paths of its file system that end up in a shipped image, each with
    why: everything, for the target stages and the stages they are built FROM; what `COPY
    --from` takes, for the stages copied from, followed through the copies they make in turn."""
    by_name = {stage.name.lower(): stage for stage in stages if stage.name}
    reached: dict[int, list] = {}
    work: list[tuple[Stage, tuple[str, ...], str | None]] = [  # None: the target's own files
        (target, EVERYTHING, None) for target in _targets(index, stages, by_name)]
    seen = set()
    while work:
        stage, pattern, evidence = work.pop()
        if (stage.index, pattern) in seen:
            continue
        seen.add((stage.index, pattern))
        chain = index.chain(stage)
        if pattern is EVERYTHING and not _runs_a_command(chain):
            chain = chain[:1]  # a check or an export (`FROM gen AS validate`): its bases' tools are not shipped
        for member in chain:
            reached.setdefault(member.index, []).append(
                (pattern, evidence or f"the build runs in {_image_of(stage, stages)}"))
            for node, source_stage, taken in _copied_on(index, member, pattern, by_name, stages):
                copied = f"COPY --from={node.flag_values('from')[0]} (line {node.start_line}) puts it in " \
                         f"{_image_of(stage, stages)}"
                work.append((source_stage, taken, evidence or copied))
    return reached


def _targets(index, stages, by_name) -> list:
    """The stages whose images are shipped: the last, and every other that no stage builds on
    or copies from (a target of its own: `--target worker`), says what it runs, and whose
    name does not say test, development or debug."""
    used: set[int] = set()  # the indexes of the stages others build on or copy from
    for stage in stages:
        used.update(member.index for member in index.chain(stage)[1:])
        for node in stage.instructions:
            for reference in _stages_referenced(node):
                found = _stage_named(reference, by_name, stages, stage)
                if found is not None:
                    used.add(found.index)
    last = stages[-1]
    return [last] + [stage for stage in stages[:-1] if stage.index not in used and not _unshipped_name(stage.name)
                     and _runs_a_command(index.chain(stage))]


def _runs_a_command(chain) -> bool:
    """Whether the image says what it runs (an ENTRYPOINT or CMD of its own or of a stage it is
    built FROM): an image to run, not a check that builds nothing, or files to export."""
    return any(node.keyword in ("ENTRYPOINT", "CMD") for stage in chain for node in stage.instructions)


def _stages_referenced(node) -> list[str]:
    if node.keyword == "COPY":
        return node.flag_values("from")
    if node.keyword == "RUN":
        return [option.split("=", 1)[1] for mount in node.flag_values("mount") for option in mount.split(",")
                if option.startswith("from=")]
    return []


def _unshipped_name(name: str | None) -> bool:
    words = NAME_WORDS.split((name or "").lower())
    return any(word.startswith(UNSHIPPED_STAGE_WORDS) for word in words)


def _image_of(stage, stages) -> str:
    if stage is stages[-1]:
        return f"the final image (stage on line {stage.from_.start_line})"
    return f"the image of target {stage.name} (line {stage.from_.start_line})"


def _copied_on(index, stage, pattern, by_name, stages) -> list:
    """(COPY, stage copied from, path there) for what the stage's `COPY --from`s put at `pattern`."""
    found = []
    for node in stage.instructions:
        origins = node.flag_values("from") if node.keyword == "COPY" and len(node.values) >= 2 else []
        source_stage = _stage_named(origins[0], by_name, stages, stage) if origins else None
        if source_stage is None:
            continue
        destination = _split(_absolute(_workdir(index, stage, node), node.values[-1]))
        for source in node.values[:-1]:
            for taken in _taken_from(_split(_absolute("/", source)), destination, pattern):
                found.append((node, source_stage, taken))
    return found


def _taken_from(source: tuple[str, ...], destination: tuple[str, ...], pattern) -> list[tuple[str, ...]]:
    """The paths of the source stage that a copy `source` -> `destination` puts at `pattern`."""
    if pattern is EVERYTHING or (len(pattern) <= len(destination)
                                 and all(_same(a, b) for a, b in zip(pattern, destination, strict=False))):
        return [source]
    if len(pattern) > len(destination) and all(_same(a, b) for a, b in zip(pattern, destination, strict=False)):
        below = pattern[len(destination):]
        taken = [source + below]  # a directory's contents copied in
        if source and _same(source[-1], below[0]):
            taken.append(source[:-1] + below)  # the file or directory itself, by its name
        return taken
    return []


def _stage_named(reference: str, by_name, stages, stage):
    found = by_name.get(reference.lower())
    if found is None and reference.isdigit() and int(reference) < len(stages):
        found = stages[int(reference)]
    return found if found is not None and found.index < stage.index else None


def build_outputs(index, stage, build: GoBuild) -> list[Output]:
    """Where the build writes binaries; empty when it writes none (`go build` of several
    packages) or where cannot be told."""
    directory = _build_directory(index, stage, build)
    change = build.value_of("C")
    if change is not None and directory is not None:
        directory = _absolute(directory, change[2].strip("'\""))
    packages = package_arguments(build) or ["."]
    if build.subcommand.value == "build":
        return _build_output(build, directory, packages)
    bin_directory = _bin_directory(index, stage, build)
    if bin_directory is None:
        return []
    outputs = []
    for package in packages:
        name, named_only = _installed_name(package)
        outputs.append(Output(_split(posixpath.join(bin_directory, name)), named_only))
        if {"GOOS", "GOARCH"} & build.environment.keys() and "GOBIN" not in build.environment:
            outputs.append(Output(_split(posixpath.join(bin_directory, _platform(build), name)), named_only))
    return outputs


def _build_output(build: GoBuild, directory: str | None, packages: list[str]) -> list[Output]:
    output = build.value_of("o")
    if output is not None:
        value = output[2].strip("'\"")
        path = _absolute(directory, value) if directory is not None or value.startswith("/") else None
        if path is None:
            return []
        return [Output(_split(path) + (("?",) if value.endswith("/") else ()))]
    if all(package.endswith(".go") for package in packages):  # one package, named after its first file
        packages = [posixpath.basename(packages[0])[:-3]]
    if len(packages) > 1 or "..." in packages[0] or directory is None:
        return []  # several packages: go compiles them and discards the result
    name, named_only = _installed_name(packages[0])
    return [Output(_split(posixpath.join(directory, name)), named_only)]


def _installed_name(package: str) -> tuple[str, bool]:
    """(the binary's file name, "?" when not known; whether the package may be a library).
    `path@version` is a command (go install refuses anything else); a package of the build
    context (`./cmd/x`) is the program built here; an import path without a version may be a
    dependency's library, warmed into the build cache."""
    local = package.startswith((".", "/")) or package.endswith(".go")
    path, _, version = package.partition("@")
    elements = posixpath.normpath(path or ".").split("/")
    if len(elements) > 1 and MAJOR_VERSION.fullmatch(elements[-1]) and not local:
        elements.pop()  # example.com/tool/v2 installs `tool`
    name = elements[-1]
    if name in (".", "..", "") or "..." in path or "$" in name or MAJOR_VERSION.fullmatch(name):
        name = "?"
    return name, not local and not version


def _platform(build: GoBuild) -> str:
    """The directory `go install` puts cross-compiled binaries in: bin/<goos>_<goarch>."""
    goos, goarch = build.environment.get("GOOS", ""), build.environment.get("GOARCH", "")
    return f"{goos}_{goarch}" if goos and goarch and "$" not in goos + goarch else "?"


def _bin_directory(index, stage, build: GoBuild) -> str | None:
    """Where `go install` puts binaries: GOBIN, else the first GOPATH's bin (GOPATH is /go in
    the golang images, $HOME/go elsewhere: /root/go for root); None where that cannot be told."""
    environment = dict(build.environment)
    if golang_image(index, stage):
        environment.setdefault("GOPATH", "/go")
    elif family(base_image(index, stage)) in (ALPINE, DEBIAN) and index.user(stage) is None:
        environment.setdefault("HOME", "/root")  # the base images' user is root
    found: str | None
    if environment.get("GOBIN"):
        found = _expanded(environment["GOBIN"], environment)
    elif environment.get("GOPATH"):
        found = posixpath.join(_expanded(environment["GOPATH"].split(":")[0], environment), "bin")
    else:
        found = posixpath.join(environment["HOME"], "go", "bin") if "HOME" in environment else None
    return found if found and found.startswith("/") and "$" not in found else None


def golang_image(index, stage) -> bool:
    """Whether the stage starts from a golang image, whatever its tag (`golang:${GO_VERSION}`)."""
    image = base_image(index, stage)
    return family(image) == GOLANG or (image.name == GOLANG and "$" not in image.repository)


def base_image(index, stage) -> ImageRef:
    """The image the stage starts from, with the defaults of the ARGs before the first FROM put
    in (`FROM ${BUILDER_IMAGE}`); as written where one has no default."""
    image = index.base_image(stage)
    if not image.has_variable:
        return image
    defaults = index.derived(("shipped", "global defaults"), lambda: _global_defaults(index.tree))
    expanded = VARIABLE.sub(lambda match: defaults.get(match.group(1) or match.group(2), match.group(0)), image.text)
    return parse_image(expanded)


def _global_defaults(tree) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in tree.instructions:
        if node.keyword == "FROM":
            break
        if node.keyword == "ARG":
            found.update((name, value.strip("'\"")) for name, value in variables_set(node) if value is not None)
    return found


def _build_directory(index, stage, build: GoBuild) -> str | None:
    """The directory the build command runs in: the WORKDIR in effect (through the stages the
    stage is built FROM), then each `cd` before it in its RUN; None past a `cd` that cannot be
    followed."""
    directory: str | None = _workdir(index, stage, build.instruction)
    script = build.script
    moved = False
    for command in script.commands:
        if command is build.command:
            break
        if command.name in ("cd", "pushd", "popd"):
            moved = True
            targets = [word for word in command.argv[1:] if not word.startswith("-")]
            known = command.name != "popd" and len(targets) == 1 and "$" not in targets[0] and targets[0][:1] != "~"
            directory = _absolute(directory, targets[0]) if known else None
    if moved and any(operator.text == "(" for operator in script.operators):
        return None  # a `cd` in a subshell may not apply: not followed
    return directory


def _workdir(index, stage, node) -> str:
    """The working directory for `node`, with the WORKDIRs of the stages `stage` is built FROM."""
    directory, environment = "/", {}
    if golang_image(index, stage):
        environment["GOPATH"] = "/go"
    for member in reversed(index.chain(stage)):
        for earlier in member.instructions:
            if earlier is node:
                return directory
            if earlier.keyword in ("ENV", "ARG"):
                environment.update((name, value.strip("'\"")) for name, value in variables_set(earlier)
                                   if value is not None)
            elif earlier.keyword == "WORKDIR" and earlier.values:
                directory = _absolute(  # type: ignore[assignment]  # given a directory, never None
                    directory, _expanded(earlier.values[0], environment))
    return directory


def _expanded(text: str, environment: dict) -> str:
    """`$NAME` and `${NAME}` replaced by known values; unknown ones kept, written `$NAME`."""
    def value(match) -> str:
        name = match.group(1) or match.group(2)
        return environment.get(name, f"${name}")
    return VARIABLE.sub(value, text) if "$" in text else text


def _absolute(directory: str | None, path: str) -> str | None:
    path = _posix(path)
    if path.startswith("/"):
        return posixpath.normpath(path)
    return posixpath.normpath(posixpath.join(directory, path)) if directory is not None else None


def _posix(path: str) -> str:
    """A Windows path (`C:\\app\\server.exe`) written the POSIX way: `/c:/app/server.exe`."""
    if "\\" not in path and not WINDOWS_DRIVE.match(path):
        return path
    path = path.replace("\\", "/")
    return "/" + path[0].lower() + path[1:] if WINDOWS_DRIVE.match(path) else path


def _split(path: str | None) -> tuple[str, ...]:
    path = VARIABLE.sub(lambda match: f"${match.group(1) or match.group(2)}", posixpath.normpath(path or "/"))
    return tuple(part for part in path.split("/") if part and part != ".")
