"""runtime-certificates (DF017): a Go runtime stage has CA certificates, and tzdata when the program needs it.

What it does
    In a final stage that copies from an earlier stage that builds Go (a
    `go build` or `go install` in it, or a `golang` image running `make` or `go run
    build.go`):
    - CA certificates, unless the program the image runs is known whole and makes no TLS
      connection (fixer.context.goprogram: no HTTP, gRPC or database client, no crypto/tls,
      no module whose code dockerfix cannot see):
      alpine gets `ca-certificates` (added to an existing `apk add`, or a new
      `RUN apk add --no-cache ca-certificates`), Debian and Ubuntu the same with apt-get,
      scratch a copy of the Go builder's `/etc/ssl/certs/ca-certificates.crt`.
    - Time zone data, only when the program's import graph loads a named zone
      (`time.LoadLocation("Europe/Berlin")`, not UTC or Local) without embedding
      `time/tzdata` (or building with `-tags timetzdata`): `tzdata` on alpine and Debian, and
      on scratch Go's own zoneinfo.zip from the builder with `ENV ZONEINFO` pointing at it.

Why
    Without the certificate bundle every HTTPS call fails with "x509: certificate signed
    by unknown authority"; without zone data `time.LoadLocation("Europe/Berlin")` fails.
    Both only show at runtime, in production.

Example
    FROM alpine:3.24
    COPY --from=builder /server /server
    ->
    FROM alpine:3.24
    RUN apk add --no-cache ca-certificates
    COPY --from=builder /server /server

    Current alpine images already carry a certificate bundle (ca-certificates-bundle, which
    apk itself needs); there the fix makes the dependency explicit and updatable with the
    image's packages, as the Go image guidance asks. On scratch and Debian slim it is what
    makes TLS work at all.

Fix safety
    Safe: the image gains files, nothing else changes; the evidence (`-v`) says why the
    program may need them. Stages that only export files (scratch without ENTRYPOINT or
    CMD) get nothing. distroless and Chainguard images have both already; images dockerfix
    knows nothing about are left alone, and scratch images whose Go builder is not a golang
    or alpine image are reported without a fix.
    busybox (no apk), images whose tag says they run as non-root, and stages built FROM a
    stage that ends with a non-root USER (no install as that user) get the files copied
    from the builder, as scratch does.
"""
from __future__ import annotations

from ..syntax.shell import shell_view
from .base import SAFE, Checker, Edit, Rule
from .gobuild import copied_from, go_builds
from .images import (
    ALPINE,
    DEBIAN,
    GOLANG,
    SCRATCH,
    external_base,
    family,
    final_stage,
    is_root_user,
    last_instruction,
    stage_chain,
)
from .runtime_program import runtime_program

BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
ZONEINFO = "/usr/local/go/lib/time/zoneinfo.zip"


def check(checker: Checker):
    tree = checker.tree
    stages, final = final_stage(tree)
    if final is None:
        return
    builders = [stage for stage in copied_from(stages, final)
                if go_builds(tree, stages, stage) or external_base(stages, stage).name == GOLANG]
    if not builders:
        return
    base_family = family(external_base(stages, final))
    if base_family not in (ALPINE, DEBIAN, SCRATCH):
        return
    running = runtime_program(checker, stages, final)
    if running.command is None and base_family == SCRATCH:  # nothing runs: a stage that only exports files
        return
    chain = stage_chain(stages, final)
    builder = builders[0]
    tls = _tls_evidence(running)
    if tls and not _has(tree, chain, "ca-certificates", "/etc/ssl/certs"):
        yield from _add(checker, final, builder, base_family, "ca-certificates",
                        "the program may make TLS connections, but the image has no CA certificates",
                        [f"COPY --from={_name(builder)} {BUNDLE} /etc/ssl/certs/"], tls)
    zones = _zone_evidence(running, tree, stages, builders)
    if zones and not _has(tree, chain, "tzdata", "zoneinfo"):
        yield from _add(checker, final, builder, base_family, "tzdata",
                        "the program loads time zones, but the image has no zone data",
                        [f"COPY --from={_name(builder)} {ZONEINFO} /zoneinfo.zip", "ENV ZONEINFO=/zoneinfo.zip"], zones)


def _tls_evidence(running) -> tuple[str, ...]:
    """Why the program may make TLS connections; empty when its whole graph shows it makes none."""
    program = running.program
    if program is None:
        return (f"what the image runs is not known ({running.unknown}): it may make TLS connections",)
    if program.tls_clients:
        return (*running.evidence, f"the program makes TLS connections: {program.tls_clients[0]}")
    if not program.complete:
        unseen = (program.missing or program.external)[0]
        return (*running.evidence, f"the program imports {unseen}, whose code dockerfix cannot see")
    return ()


def _zone_evidence(running, tree, stages, builders) -> tuple[str, ...]:
    """Where the program loads a time zone, when it does and does not carry the zone database."""
    program = running.program
    if program is None or not program.zones or program.embeds_zones:
        return ()
    for stage in builders:
        for build in go_builds(tree, stages, stage):
            tags = build.value_of("tags")
            if tags is not None and "timetzdata" in tags[2]:
                return ()
    return (*running.evidence, f"the program loads time zones: {program.zones[0]}")


def _has(tree, chain, package: str, path: str) -> bool:
    for stage in chain:
        for node in stage.instructions:
            if node.keyword in ("COPY", "ADD") and any(path in value for value in node.values):
                return True
            script = shell_view(tree, node) if node.keyword == "RUN" else None
            if script is not None and any(package in command.argv for command in script.commands):
                return True
    return False


def _name(stage) -> str:
    return stage.name or str(stage.index)


def _add(checker: Checker, final, builder, base_family: str, package: str, message: str, scratch_lines: list[str],
         evidence: tuple[str, ...]):
    tree, newline = checker.tree, checker.tree.newline
    after_from = final.from_.span.end
    prefix = "" if tree.text[:after_from].endswith("\n") else newline
    stages = tree.stages()
    if base_family == SCRATCH or _cannot_install(external_base(stages, final)) or \
            _runs_as_non_root(stage_chain(stages, final)[1:]):
        if family(external_base(stages, builder)) not in (GOLANG, ALPINE):
            yield checker.report(RULE, final.from_, message,
                                 reason="copy them in from a stage that has them", evidence=evidence)
            return
        text = prefix + newline.join(scratch_lines) + newline
        yield checker.report(RULE, final.from_, message, Edit(after_from, after_from, text), applicability=SAFE,
                             evidence=evidence)
        return
    installer = _existing_install(tree, final, "apk" if base_family == ALPINE else "apt-get")
    if installer is not None:
        yield checker.report(RULE, final.from_, message, Edit(installer, installer, f" {package}"), applicability=SAFE,
                             evidence=evidence)
        return
    if base_family == ALPINE:
        line = f"RUN apk add --no-cache {package}"
    else:
        line = (f"RUN apt-get update && apt-get install -y --no-install-recommends {package} "
                "&& rm -rf /var/lib/apt/lists/*")
    yield checker.report(RULE, final.from_, message, Edit(after_from, after_from, prefix + line + newline),
                         applicability=SAFE, evidence=evidence)


def _cannot_install(image) -> bool:
    """busybox has no apk; an image whose tag says it runs as non-root cannot install as its
    default user. Both get the files copied in from the builder, as scratch does."""
    tag = image.tag.lower()
    return image.name == "busybox" or any(word in tag for word in ("nonroot", "non-root", "rootless"))


def _runs_as_non_root(parents) -> bool:
    """Whether a stage this one is built FROM ends with a non-root USER: a RUN right after
    FROM would run as that user, and could not install."""
    user = last_instruction(parents, "USER")
    return user is not None and not is_root_user(user)


def _existing_install(tree, stage, tool: str) -> int | None:
    """Source offset just after the last package of the stage's first `apk add` / `apt-get install`."""
    for node in stage.instructions:
        script = shell_view(tree, node) if node.keyword == "RUN" else None
        if script is None or script.opaque:
            continue
        for command in script.commands:
            if command.name == tool and ({"add", "install"} & set(command.argv)) and not command.redirects:
                last = command.words[-1]
                if last.value.startswith("-") or last.value in ("add", "install"):
                    continue
                return script.source_span(last.start, last.end).end
    return None


RULE = Rule(id="DF017", name="runtime-certificates",
            summary="Go runtime stages have CA certificates, and tzdata where the program needs it",
            check=check, doc=__doc__, severity="warning")
