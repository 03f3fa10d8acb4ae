"""go-ldflags-strip (DF007): Go binaries for the final image are built with `-ldflags="-s -w"`.

What it does
    For every `go build` / `go install` whose binary reaches the shipped image, adds `-s -w`
    to the linker flags: into an existing `-ldflags` value (keeping its quoting and its `-X`
    settings, and after a package pattern: `all=-s -w -X …`), or as a new
    `-ldflags="-s -w"` right after `go build`. Flags already there, on the command or in
    GOFLAGS, are not repeated. A binary reaches the image when the final stage (or another
    target stage with an ENTRYPOINT or CMD that no stage uses) copies its path (`-o`, or
    GOBIN / $GOPATH/bin for `go install`) with `COPY --from`, through any chain of stages,
    or when it is built in that stage of a multi-stage file (fixer.rules._support.shipped). Tools a
    builder installs for itself (`protoc-gen-go`) and cache-warming builds of libraries,
    which write no binary, are not findings.

Why
    `-s` drops the symbol table and `-w` the DWARF debug information: the binary, and the
    image, shrink by a quarter or more. Panics still print full stack traces (those come
    from pclntab, which stays).

Example
    RUN go build -ldflags "-X main.version=${VERSION}" -o /server .
    ->
    RUN go build -ldflags "-s -w -X main.version=${VERSION}" -o /server .

Fix safety
    Safe, on the evidence that the binary is in the final image. Left alone: debug, race
    and coverage builds (`-gcflags "all=-N -l"`, `-race`, `-cover`), and a whole file that
    builds a debug image (a build with `-N` or `-l` in -gcflags, or delve installed, copied
    or run), whose binaries keep their symbols on purpose; linker flags that come whole from
    a variable (`-ldflags "$LDFLAGS"`), which whoever sets the variable decides. Reported
    without a fix: an `-ldflags` value dockerfix cannot edit without changing its meaning
    (mixed quoting, escapes, line continuations), linker flags set in GOFLAGS (an `-ldflags`
    flag on the command would replace them), the other builds of a stage whose build is
    one of those (half a stage stripped is not what its author would write), and every
    build of a Dockerfile whose path says it builds no shipped image: under a test, e2e,
    integration, mock or example directory, or named for development or as a template
    (Dockerfile.dev, dev.Dockerfile, Dockerfile.local, Dockerfile.tmpl).
    A Dockerfile named on the command line (not found by a search) is fixed whatever its
    path says, unless --force-exclude is given.
"""
from __future__ import annotations

from ..lazy_regex import lazy_regex
from ._support.gobuild import GoBuild, go_builds, insert_flag, is_debug_build
from ._support.shipped import shipped_builds, unshipped_image_reason
from .base import SAFE, Checker, Edit, Rule

STRIP_FLAGS = ("-s", "-w")
DELVE = lazy_regex(r"(?<![\w.-])dlv(?![\w-])|go-delve/delve")
DELVE_KEYWORDS = frozenset({"RUN", "COPY", "ADD", "ENTRYPOINT", "CMD"})


def check(checker: Checker):
    if _debug_image(checker):
        return
    findings = [(shipped, *_finding(shipped.build)) for shipped in shipped_builds(checker.index)]
    findings = [finding for finding in findings if finding[1] is not None]
    not_shipped = unshipped_image_reason(checker)
    declined: dict[int, tuple[GoBuild, str]] = {}  # stage index -> (the first build of it reported without a fix, why)
    for shipped, _message, edit, reason in findings:
        if edit is None:
            declined.setdefault(shipped.stage.index, (shipped.build, reason))
    for shipped, message, edit, reason in findings:
        reason = reason or _why_left_alone(shipped, not_shipped, declined.get(shipped.stage.index))
        if reason:
            yield checker.report(
                RULE, shipped.build.instruction, message,  # type: ignore[arg-type]  # kept: it has a message
                reason=reason, evidence=(shipped.evidence,))
        else:
            yield checker.report(
                RULE, shipped.build.instruction, message, edit,  # type: ignore[arg-type]  # no reason: an edit
                applicability=SAFE, evidence=(shipped.evidence,))


def _why_left_alone(shipped, not_shipped: str | None, declined) -> str:
    """Why a build that could be fixed is not: its Dockerfile's path says the image is not
    shipped, or another build of its stage is not fixed (half a stage stripped is not what
    its authors would write)."""
    if not_shipped:
        return f"{not_shipped}; a smaller binary there ships nowhere"
    if declined is not None:
        build, why = declined
        return f"the build on line {build.instruction.start_line} of this stage is not fixed ({why}); " \
               "strip the stage's binaries together, by hand"
    return ""


def _finding(build: GoBuild) -> tuple[str | None, Edit | None, str]:
    """(the message, the edit, why there is none) for one shipped build; no message when it
    is stripped already, a debug build, or takes its linker flags whole from a variable."""
    if is_debug_build(build):
        return None, None, ""
    found = build.value_of("ldflags")
    if found is not None and _only_variables(found[2]):
        return None, None, ""
    from_goflags = found is None and "-ldflags" in build.environment.get("GOFLAGS", "")
    value = found[2] if found else _goflags_ldflags(build.environment["GOFLAGS"]) if from_goflags else ""
    present = _linker_flags(value)
    missing = [flag for flag in STRIP_FLAGS if flag not in present]
    if not missing:
        return None, None, ""
    message = f"the binary keeps its symbol table and debug information: add `{' '.join(missing)}` to -ldflags"
    if from_goflags:  # an -ldflags flag would replace GOFLAGS' value, -X settings and all
        return message, None, "GOFLAGS sets -ldflags; add them there"
    edit = _edit(build, found, " ".join(missing))
    return message, edit, "" if edit is not None else "the -ldflags value is too intricate to edit safely"


def _debug_image(checker: Checker) -> bool:
    """Whether the file builds a debug image: a build with optimizations or inlining off
    (`-gcflags "all=-N -l"`), or delve installed, copied or run. Its binaries keep their
    symbols on purpose, the helpers' too."""
    index = checker.index
    for stage in index.stages:
        if any(_optimizations_off(build) for build in go_builds(index, index.stages, stage)):
            return True
    return any(node.keyword in DELVE_KEYWORDS and DELVE.search(node.arguments) for node in checker.tree.instructions)


def _optimizations_off(build: GoBuild) -> bool:
    gcflags = build.value_of("gcflags")
    value = (gcflags[2] if gcflags else "") + " " + build.environment.get("GOFLAGS", "")
    tokens = value.replace('"', " ").replace("'", " ").split()
    return any(token.split("=")[-1] in ("-N", "-l") for token in tokens)


def _only_variables(value: str) -> bool:
    """`-ldflags "$LDFLAGS"`: the flags come from elsewhere (a build arg, a Makefile), not from here."""
    return "$" in value and not _linker_flags(value)


def _linker_flags(value: str) -> set[str]:
    """The flags a linker flag string sets, normalised to one dash: `--s` and `-s` are `-s`."""
    content = value.replace('"', " ").replace("'", " ")
    content = content[_pattern_end(content):]
    tokens = content.split()
    return {"-" + token.lstrip("-").split("=", 1)[0] for token in tokens if token.startswith("-")}


def _pattern_end(content: str) -> int:
    """Where the linker flags start in an -ldflags value: after `all=` in `all=-X a=b` (go's
    `[pattern=]args`: a value not starting with a dash names packages first); 0 otherwise,
    and also when there is no `=` (go refuses such a value: nothing to skip)."""
    body = content.lstrip()
    if not body or body.startswith("-") or "=" not in body:
        return 0
    return len(content) - len(body) + body.index("=") + 1


def _goflags_ldflags(goflags: str) -> str:
    """The -ldflags value inside GOFLAGS (`-ldflags=-s -w` quoted as a whole, or one word)."""
    return goflags.split("-ldflags", 1)[1].lstrip("=")


def _edit(build: GoBuild, found, missing: str) -> Edit | None:
    if found is None:
        at, text = insert_flag(build, f'-ldflags="{missing}"')
        return Edit(at, at, text)
    word, prefix, raw = found
    start = build.script.source_span(word.start, word.end).start + len(prefix)
    if build.script.source_span(word.start, word.end).end - start != len(raw):
        return None  # the word spans a line continuation: offsets inside it do not map simply
    if raw and raw[0] in "'\"" and raw.endswith(raw[0]) and raw.count(raw[0]) == 2:
        content = raw[1:-1]
        at = _pattern_end(content)
        return Edit(start + 1 + at, start + 1 + at, f"{missing} " if content[at:].strip() else missing)
    if not any(ch in raw for ch in "'\"\\ "):
        at = _pattern_end(raw)
        return Edit(start, start + len(raw), f'"{raw[:at]}{missing} {raw[at:]}"' if raw[at:] else
                    f'"{raw[:at]}{missing}"')
    return None


RULE = Rule(id="DF007", name="go-ldflags-strip",
            summary='Go binaries for the final image are built with -ldflags="-s -w"', check=check, doc=__doc__,
            fix_safety=SAFE, severity="info")
