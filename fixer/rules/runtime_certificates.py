"""runtime-certificates (DF017): a Go runtime stage has CA certificates, and tzdata when the program needs it.

What it does
    In a final stage that copies from an earlier stage that builds Go (a
    `go build` or `go install` in it, or a `golang` image running `make` or `go run
    build.go`):
    - CA certificates, where the base image has none and the program the image runs may
      make TLS connections (fixer.context.goprogram: an HTTP, gRPC or database client,
      crypto/tls, or a module whose code dockerfix cannot see; nothing for a program known
      whole that makes none): Debian and Ubuntu get `ca-certificates` with apt-get (added to
      an existing `apt-get install`, or a new RUN), scratch and busybox a copy of the Go
      builder's `/etc/ssl/certs/ca-certificates.crt`, alpine older than 3.7 `apk add
      ca-certificates`.
    - Time zone data, only when the program's import graph loads a named zone
      (`time.LoadLocation("Europe/Berlin")`, not UTC or Local) without embedding
      `time/tzdata` (or building with `-tags timetzdata`): `tzdata` on alpine and Debian, and
      on scratch Go's own zoneinfo.zip from the builder with `ENV ZONEINFO` pointing at it.

    Nothing on alpine 3.7 and later, nor on images built on it (`node:22-alpine`): they
    carry ca-certificates-bundle, the /etc/ssl/certs/ca-certificates.crt Go reads. Nothing
    where the stage already installs the package or copies the files, in a heredoc RUN
    too, nor on official Debian images where an `apt-get install` of git, curl or wget
    without --no-install-recommends brings ca-certificates in (Debian's git, wget and
    libcurl recommend it, and apt installs what is recommended by default).

Why
    Without the certificate bundle every HTTPS call fails with "x509: certificate signed
    by unknown authority"; without zone data `time.LoadLocation("Europe/Berlin")` fails.
    Both only show at runtime, in production.

Example
    FROM debian:12-slim
    COPY --from=builder /server /server
    ->
    FROM debian:12-slim
    RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
    COPY --from=builder /server /server

Fix safety
    CA certificates: safe. The image gains files, nothing else changes; the evidence (`-v`)
    says why the program may need them. Stages that only export files (scratch without
    ENTRYPOINT or CMD) get nothing. distroless and Chainguard images have both already;
    images dockerfix knows nothing about are left alone, and scratch images whose Go
    builder is not a golang or alpine image are reported without a fix.
    busybox (no apk), images whose tag says they run as non-root, and stages built FROM a
    stage that ends with a non-root USER (no install as that user) get the files copied
    from the builder, as scratch does.
    Time zone data: safe only when the zone is a constant of the code. A zone named at run
    time (a variable, a flag, an environment value, a setting) makes it the maintainers'
    choice whether the image carries zone data (some document that it does not): unsafe.
    The program model records the zone's name when it can resolve the argument, but not
    whether the name is a constant or a variable's value (a flag's default, or a binding of
    the same name elsewhere in the package): until it does, every tzdata fix is unsafe, its
    reason naming the call.
"""
from __future__ import annotations

from ..lazy_regex import lazy_regex
from ..syntax.edits import insert_after
from ..syntax.shell import lex_script, shell_view
from ._support.gobuild import copied_from, go_builds
from ._support.images import ALPINE, DEBIAN, GOLANG, SCRATCH, external_base, family
from ._support.runtime_program import runtime_program
from ._support.stages import final_stage, last_instruction, stage_chain
from ._support.users import is_root_user
from .base import MIXED, SAFE, UNSAFE, Checker, Edit, Rule

BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
ZONEINFO = "/usr/local/go/lib/time/zoneinfo.zip"
BUNDLED_SINCE = (3, 7)  # alpine 3.7 made ca-certificates-bundle part of every image (apk needs it)
ALPINE_VERSION = lazy_regex(r"(\d+)(?:\.(\d+))?")
ALPINE_IN_TAG = lazy_regex(r"alpine(\d+)\.(\d+)")
DEBIAN_REPOSITORIES = frozenset({"debian", "library/debian", "docker.io/library/debian",
                                 "index.docker.io/library/debian"})
# Debian packages that recommend ca-certificates, themselves or through the library they depend
# on: git and wget Recommends it, curl Depends on libcurl4, which Recommends it (Debian 12's
# package metadata; git's Recommends goes back many releases)
RECOMMEND_CERTIFICATES = frozenset({"git", "curl", "wget"})
NAMED_ZONE = lazy_regex(r'\("(.+)"\)$')  # goprogram's zone fact: `time.LoadLocation("Europe/Berlin")`


def check(checker: Checker):
    tree = checker.tree
    stages, final = final_stage(tree)
    if final is None:
        return
    builders = [stage for stage in copied_from(stages, final)
                if go_builds(checker.index, stages, stage) or external_base(stages, stage).name == GOLANG]
    if not builders:
        return
    base = external_base(stages, final)
    base_family = family(base)
    if base_family not in (ALPINE, DEBIAN, SCRATCH):
        return
    running = runtime_program(checker, stages, final)
    if running.command is None and base_family == SCRATCH:  # nothing runs: a stage that only exports files
        return
    chain = stage_chain(stages, final)
    builder = builders[0]
    tls = _tls_evidence(running)
    if tls and not _carries_bundle(base) and not _has(tree, chain, "ca-certificates", "/etc/ssl/certs") \
            and not _recommended_with(tree, chain, base):
        yield from _add(checker, final, builder, base_family, "ca-certificates",
                        "the program may make TLS connections, but the image has no CA certificates",
                        [f"COPY --from={_name(builder)} {BUNDLE} /etc/ssl/certs/"], tls)
    zones = _zone_evidence(running, checker.index, stages, builders)
    if zones and not _has(tree, chain, "tzdata", "zoneinfo"):
        yield from _add(checker, final, builder, base_family, "tzdata",
                        "the program loads time zones, but the image has no zone data",
                        [f"COPY --from={_name(builder)} {ZONEINFO} /zoneinfo.zip", "ENV ZONEINFO=/zoneinfo.zip"],
                        zones, _zone_doubt(running.program))


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


def _carries_bundle(image) -> bool:
    """Whether the image has /etc/ssl/certs/ca-certificates.crt already: alpine since 3.7
    (ca-certificates-bundle) and images built on it (`node:22-alpine`); busybox has none."""
    if family(image) != ALPINE or image.name == "busybox":
        return False
    version = ALPINE_VERSION.match(image.tag) if image.name == "alpine" else ALPINE_IN_TAG.search(image.tag.lower())
    if version is None or version.group(2) is None:  # latest, edge, `3`, `22-alpine`: a current alpine
        return True
    return (int(version.group(1)), int(version.group(2))) >= BUNDLED_SINCE


def _zone_evidence(running, index, stages, builders) -> tuple[str, ...]:
    """Where the program loads a time zone, when it does and does not carry the zone database."""
    program = running.program
    if program is None or not program.zones or program.embeds_zones:
        return ()
    for stage in builders:
        for build in go_builds(index, stages, stage):
            tags = build.value_of("tags")
            if tags is not None and "timetzdata" in tags[2]:
                return ()
    return (*running.evidence, f"the program loads time zones: {program.zones[0]}")


def _zone_doubt(program) -> str:
    """Why zone data is not a safe addition: a zone is named at run time, or dockerfix cannot
    tell whether its name is a constant. The zone facts of fixer.context.goprogram say the
    name when the argument resolves (a literal, a constant, a variable's or a flag's default)
    and do not say which of these it was: a resolved name is not yet evidence of a constant."""
    named = [(fact, NAMED_ZONE.search(fact.what)) for fact in program.zones]
    unnamed = [fact for fact, name in named if name is None]
    if unnamed:
        return (f"the program loads time zones named at run time: {unnamed[0]}; "
                "whether the image should carry zone data is the maintainers' choice")
    fact, name = named[0]
    return (f'the program loads the zone "{name.group(1)}" ({fact.where}), and dockerfix cannot tell whether '
            "that name is a constant or a value from input (a variable, a flag, a setting); whether the image "
            "should carry zone data is the maintainers' choice")


def _has(tree, chain, package: str, path: str) -> bool:
    """Whether the stages copy the files in or install the package, in a heredoc RUN too."""
    for stage in chain:
        for node in stage.instructions:
            if node.keyword in ("COPY", "ADD") and any(path in value for value in node.values):
                return True
            if node.keyword == "RUN" and any(_names(word, package) for command in _commands(tree, node)
                                             for word in command.argv):
                return True
    return False


def _names(word: str, package: str) -> bool:
    """`tzdata`, and `tzdata=2024a-r0`, `tzdata~2024`, `tzdata/bookworm`: the package, pinned or not."""
    return word == package or (word.startswith(package) and word[len(package)] in "=<>~/")


def _commands(tree, node):
    """The simple commands of a RUN: its shell view's, and those of its heredoc bodies (which
    are scripts for `RUN <<EOF` and `RUN sh <<EOF`, and are read as such for the others too:
    a package named in a file the RUN writes is as good as a reason to leave it alone)."""
    script = shell_view(tree, node)
    found = list(script.commands) if script is not None else []
    for heredoc in (node.sub or node).heredocs:
        found += lex_script(heredoc.content).commands
    return found


def _recommended_with(tree, chain, image) -> bool:
    """Whether an `apt-get install` of the stages brings ca-certificates in as a recommended
    package: on an official Debian image (whose apt installs recommended packages), a package
    of RECOMMEND_CERTIFICATES installed without --no-install-recommends, in stages that
    never set APT::Install-Recommends."""
    if image.repository not in DEBIAN_REPOSITORIES:
        return False
    runs = [node for stage in chain for node in stage.instructions if node.keyword == "RUN"]
    if any("Install-Recommends" in (node.sub or node).arguments or
           any("Install-Recommends" in heredoc.content for heredoc in (node.sub or node).heredocs) for node in runs):
        return False
    for node in runs:
        for command in _commands(tree, node):
            argv = command.argv
            if command.name not in ("apt-get", "apt") or "install" not in argv:
                continue
            if any(word.startswith("--no-install-recommends") for word in argv):
                continue
            if RECOMMEND_CERTIFICATES.intersection(word.split("=", 1)[0] for word in argv):
                return True
    return False


def _name(stage) -> str:
    return stage.name or str(stage.index)


def _add(checker: Checker, final, builder, base_family: str, package: str, message: str, scratch_lines: list[str],
         evidence: tuple[str, ...], doubt: str = ""):
    """The fix: copied from the builder where nothing can be installed, else installed;
    safe unless there is a `doubt`, which is then its reason."""
    tree = checker.tree
    stages = tree.stages()
    applicability = UNSAFE if doubt else SAFE
    if base_family == SCRATCH or _cannot_install(external_base(stages, final)) or \
            _runs_as_non_root(stage_chain(stages, final)[1:]):
        if family(external_base(stages, builder)) not in (GOLANG, ALPINE):
            reason = "copy them in from a stage that has them"
            yield checker.report(RULE, final.from_, message, reason=f"{doubt}; {reason}" if doubt else reason,
                                 evidence=evidence)
            return
        yield checker.report(RULE, final.from_, message, *insert_after(tree, final.from_, scratch_lines),
                             applicability=applicability, reason=doubt, evidence=evidence)
        return
    installer = _existing_install(tree, final, "apk" if base_family == ALPINE else "apt-get")
    if installer is not None:
        yield checker.report(RULE, final.from_, message, Edit(installer, installer, f" {package}"),
                             applicability=applicability, reason=doubt, evidence=evidence)
        return
    if base_family == ALPINE:
        line = f"RUN apk add --no-cache {package}"
    else:
        line = (f"RUN apt-get update && apt-get install -y --no-install-recommends {package} "
                "&& rm -rf /var/lib/apt/lists/*")
    yield checker.report(RULE, final.from_, message, *insert_after(tree, final.from_, [line]),
                         applicability=applicability, reason=doubt, evidence=evidence)


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
            check=check, doc=__doc__, fix_safety=MIXED, severity="warning")
