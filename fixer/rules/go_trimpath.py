"""go-trimpath (DF008, off by default): Go binaries for the final image are built with `-trimpath`.

What it does
    Adds `-trimpath` right after `go build` / `go install` in the stages the final stage
    copies from, where it is not there yet.

Why
    Without it the binary records the builder's file system paths (/src/..., /go/pkg/mod/...)
    in stack traces and debug data: the build is not reproducible across machines, and
    paths leak. Off by default because some teams rely on full paths in stack traces;
    select it with `--select DF008`.

Example
    RUN go build -o /server .
    ->
    RUN go build -trimpath -o /server .

Fix safety
    Safe: only recorded file names change. Debug builds (`-gcflags "all=-N -l"`) are left
    alone.
"""
from __future__ import annotations

from ._support.gobuild import insert_flag, is_debug_build
from .base import SAFE, Checker, Edit, Rule


def check(checker: Checker):
    for build in checker.index.runtime_builds():
        if "trimpath" in build.flags or is_debug_build(build) or "-trimpath" in build.environment.get("GOFLAGS", ""):
            continue
        at, text = insert_flag(build, "-trimpath")
        yield checker.report(RULE, build.instruction, "the binary records the builder's paths: build with -trimpath",
                             Edit(at, at, text), applicability=SAFE)


RULE = Rule(id="DF008", name="go-trimpath", summary="Go binaries for the final image are built with -trimpath",
            check=check, doc=__doc__, default=False, fix_safety=SAFE, severity="info")
