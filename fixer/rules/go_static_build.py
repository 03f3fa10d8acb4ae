"""go-static-build (DF006): a Go binary that runs on scratch or distroless-static is built with `CGO_ENABLED=0`.

What it does
    Finds the `go build` / `go install` commands of the stages the final stage copies from,
    when the final stage is `scratch` or `gcr.io/distroless/static*`, and puts
    `CGO_ENABLED=0` in front of those that do not already have it (on the command, through
    `env`, an earlier `export`, or an ENV or ARG default of the stage). Not a finding: a
    build in a golang Alpine image (Go 1.20 or later) where no C compiler is installed,
    where the go command turns cgo off by itself and the prefix would change nothing.

Why
    With cgo on (the default where a C compiler exists, as in the Debian `golang` images),
    a program that imports `net` or `os/user` links against libc dynamically. scratch and
    distroless-static have no libc, so the container fails at start with a confusing
    "no such file or directory". This is a correctness fix, not a size one.

Example
    FROM golang:1.22 AS builder
    RUN go build -o /server .
    FROM scratch
    COPY --from=builder /server /server
    ->
    RUN CGO_ENABLED=0 go build -o /server .

Fix safety
    Safe: a binary that needs libc cannot run on these bases anyway, and without a C
    compiler cgo was already off. Reported without a fix when the build asks for cgo
    (`CGO_ENABLED=1`) or the stage, or one it is built FROM, installs a C toolchain (gcc,
    clang, musl-dev, build-base, also through tonistiigi/xx's `xx-apk`): such a program
    may need cgo, and belongs on a base with libc (distroless/base, alpine). Builds that
    link statically on purpose (`-extldflags -static`) are left alone. cgo is taken to be
    off by itself only in `golang:1.20-alpine` or later, `golang:alpine` and
    `golang:alpine3.17` or later, with no compiler installed, CC unset and no files copied
    in from another image.
"""
from __future__ import annotations

from ..lazy_regex import lazy_regex
from ._support.gobuild import copied_from, go_builds
from ._support.images import DISTROLESS, GOLANG, SCRATCH, external_base, family
from ._support.shipped import base_image
from ._support.stages import final_stage, variables_set
from .base import SAFE, Checker, Edit, Rule

C_TOOLCHAIN_PACKAGES = frozenset({"gcc", "musl-dev", "build-base", "alpine-sdk", "libc-dev", "libc6-dev", "clang",
                                  "g++", "build-essential"})
PACKAGE_MANAGERS = frozenset({"apk", "apt-get", "apt", "yum", "dnf", "microdnf"})
PACKAGE_VERSION = lazy_regex(r"[=<>~].*")
ALPINE_GO_TAG = lazy_regex(r"(?:(\d+)(?:\.(\d+))?[^-]*-)?alpine(?:(\d+)\.(\d+))?")
CGO_OFF_SINCE = (1, 20)   # go turns cgo off where it finds no C compiler
FLOATING_GO_SINCE = (3, 17)  # golang:alpine3.17 and later floating tags hold Go 1.20 or newer


def check(checker: Checker):
    tree, index = checker.tree, checker.index
    stages, final = final_stage(tree)
    if final is None or not _static_only(external_base(stages, final)):
        return
    for stage in copied_from(stages, final):
        chain = index.chain(stage)
        installs_c_toolchain = _installs_c_toolchain(index, chain)
        no_compiler = not installs_c_toolchain and not _may_bring_a_compiler(index, chain) and \
            _golang_alpine_with_cgo_off(base_image(index, stage))
        for build in go_builds(index, stages, stage):
            cgo = build.environment.get("CGO_ENABLED")
            if cgo == "0" or _links_statically(build):
                continue
            if cgo is None and no_compiler and "CC" not in build.environment:
                continue  # no C compiler: cgo is off already
            message = f"the binary runs on {final.base}, which has no libc: build it with CGO_ENABLED=0"
            if cgo is not None or installs_c_toolchain:
                why = f"CGO_ENABLED={cgo}" if cgo is not None else "the stage installs a C toolchain"
                yield checker.report(RULE, build.instruction,
                                     message, reason=f"{why}; if the program needs cgo, "
                                     "use a base with libc such as gcr.io/distroless/base or alpine")
                continue
            at = build.script.source_offset(build.start)
            yield checker.report(RULE, build.instruction, message, Edit(at, at, "CGO_ENABLED=0 "), applicability=SAFE)


def _static_only(image) -> bool:
    base_family = family(image)
    return base_family == SCRATCH or (base_family == DISTROLESS and image.name.startswith("static"))


def _links_statically(build) -> bool:
    found = build.value_of("ldflags")
    return found is not None and "-static" in found[2]


def _golang_alpine_with_cgo_off(image) -> bool:
    """Whether the image is a golang Alpine image whose Go (1.20 or later) turns cgo off by
    itself: Alpine images have no C compiler until one is installed."""
    match = ALPINE_GO_TAG.fullmatch(image.tag.lower()) if family(image) == GOLANG else None
    if match is None:
        return False
    major, minor, alpine_major, alpine_minor = match.groups()
    if major is not None:
        return minor is None or (int(major), int(minor)) >= CGO_OFF_SINCE  # golang:1-alpine floats on 1.x
    return alpine_major is None or (int(alpine_major), int(alpine_minor)) >= FLOATING_GO_SINCE


def _installs_c_toolchain(index, chain) -> bool:
    """Whether the stage, or a stage it is built FROM, installs C compiler packages."""
    for stage in chain:
        for node in stage.instructions:
            script = index.shell_view(node) if node.keyword == "RUN" else None
            for command in script.commands if script is not None else ():
                if _installs_c_packages(command.name or "", command.argv):
                    return True
    return False


def _may_bring_a_compiler(index, chain) -> bool:
    """Whether the stage, or one it is built FROM, sets CC or copies files in from an image
    whose contents are not known: a C compiler may come with them."""
    names = {stage.name.lower() for stage in index.stages if stage.name} | {str(s.index) for s in index.stages}
    for stage in chain:
        for node in stage.instructions:
            if node.keyword == "ENV" and any(name == "CC" for name, _ in variables_set(node)):
                return True
            if node.keyword == "COPY" and any(origin.lower() not in names for origin in node.flag_values("from")):
                return True
    return False


def _installs_c_packages(name: str, argv: list[str]) -> bool:
    if name.removeprefix("xx-") not in PACKAGE_MANAGERS:  # tonistiigi/xx's xx-apk, xx-apt-get
        return False
    packages = {PACKAGE_VERSION.sub("", arg) for arg in argv[1:]}
    return bool(C_TOOLCHAIN_PACKAGES & packages) or any(package.startswith(("gcc", "clang")) for package in packages)


RULE = Rule(id="DF006", name="go-static-build",
            summary="Go binaries for scratch/distroless-static are built with CGO_ENABLED=0",
            check=check, doc=__doc__, fix_safety=SAFE, severity="warning")
