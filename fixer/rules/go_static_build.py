"""go-static-build (DF006): a Go binary that runs on scratch or distroless-static is built with `CGO_ENABLED=0`.

What it does
    Finds the `go build` / `go install` commands of the stages the final stage copies from,
    when the final stage is `scratch` or `gcr.io/distroless/static*`, and puts
    `CGO_ENABLED=0` in front of those that do not already have it (on the command, through
    `env`, an earlier `export`, or an ENV or ARG default of the stage).

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
    (`CGO_ENABLED=1`) or the stage installs a C toolchain (gcc, musl-dev, build-base):
    such a program may need cgo, and belongs on a base with libc (distroless/base, alpine).
    Builds that link statically on purpose (`-extldflags -static`) are left alone.
"""
from __future__ import annotations

from ..syntax.shell import shell_view
from .base import SAFE, Checker, Edit, Rule
from .gobuild import copied_from, go_builds
from .images import DISTROLESS, SCRATCH, external_base, family, final_stage

C_TOOLCHAIN_PACKAGES = frozenset({"gcc", "musl-dev", "build-base", "libc-dev", "libc6-dev", "clang", "g++"})


def check(checker: Checker):
    tree = checker.tree
    stages, final = final_stage(tree)
    if final is None or not _static_only(external_base(stages, final)):
        return
    for stage in copied_from(stages, final):
        installs_c_toolchain = _installs_c_toolchain(tree, stage)
        for build in go_builds(tree, stages, stage):
            cgo = build.environment.get("CGO_ENABLED")
            if cgo == "0" or _links_statically(build):
                continue
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


def _installs_c_toolchain(tree, stage) -> bool:
    for node in stage.instructions:
        script = shell_view(tree, node) if node.keyword == "RUN" else None
        for command in script.commands if script is not None else ():
            if command.name in ("apk", "apt-get", "apt", "yum", "dnf") and C_TOOLCHAIN_PACKAGES & set(command.argv):
                return True
    return False


RULE = Rule(id="DF006", name="go-static-build",
            summary="Go binaries for scratch/distroless-static are built with CGO_ENABLED=0",
            check=check, doc=__doc__, severity="warning")
