"""go-version-from-go-mod (DF015): the `golang` image of a build stage is as new as go.mod asks.

What it does
    Finds the go.mod of the module each stage on a `golang` image builds, and raises an older
    image tag to that go.mod's `go` version, keeping the tag's precision and variant
    (`1.21-alpine` → `1.23-alpine`, `1.21.4-bookworm` → `1.23.2-bookworm`). A tag built from
    `ARG GO_VERSION=…` has the ARG's default raised instead. Tags are only raised, never
    lowered, and only numeric ones: `golang`, `latest`, variant-only tags (`alpine`), `1`
    and `tip-*` already follow the newest Go.

    The go.mod is the one the go command finds: the go commands of the stage (and of the
    stages built FROM it) are followed through WORKDIR, `cd` and `-C` to the directory they
    run in, and COPY, ADD and bind mounts back to the build context
    (`WORKDIR /src/cmd/tool` after `COPY . /src` reads cmd/tool/go.mod when there is one).
    A go.work there or above it is read instead, as the go command does. The `toolchain`
    line is not a minimum: a Go older than it but as new as the `go` line builds the module
    (the golang images set GOTOOLCHAIN=local; elsewhere the go command fetches the
    toolchain).

Why
    A Go older than go.mod's `go` line refuses to build the module ("go.mod requires go >=
    1.23"), and the official images do not fetch a newer toolchain (GOTOOLCHAIN=local).

Example
    go.mod: go 1.23.2
    FROM golang:1.21-alpine AS builder
    ->
    FROM golang:1.23-alpine AS builder

Fix safety
    Safe when the new tag is one the golang image publishes, by dockerfix's table of its
    tags (`fixer/rules/data/golang_tags.py`, taken from docker-library's history): a
    variant naming a distribution release (`-alpine3.19`, `-bullseye`,
    `-windowsservercore-1809`) is published for the Go releases of its time only, and its
    minor tag (`1.22-alpine3.18`) stays at the last patch built on it; plain tags and
    `-alpine` are published for every Go release. Unsafe, with the reason, where the table
    cannot tell (a Go newer than it, an image other than the official one or its mirrors,
    a variant from an ARG without a default), and where the stage runs only a build tool
    (`make`, a script): the go.mod is then the one of the directory the tool runs in.
    Reported without a fix: a tag the golang image does not publish (the reason names the
    releases of the same distribution that it does; a minor tag stuck at an older patch
    too), digest-pinned images (the digest would still pull the old image), and stages where
    which go.mod applies cannot be told (a package of a nested module named on the command
    line, `-modfile`, GOWORK naming a file). Nothing is said without a build context, or
    where no go command finds a go.mod of the context (`go install tool@version`, GOPATH
    mode, sources from another stage or a cloned repository).
"""
from __future__ import annotations

from functools import lru_cache

from ..lazy_regex import lazy_regex
from ..records import record
from ._support import gomodule
from ._support.images import GOLANG, image_span, parse_image
from .base import MIXED, SAFE, UNSAFE, Checker, Edit, Rule

VERSION = lazy_regex(r"^(\d+)\.(\d+)(?:\.(\d+))?")
TAG = lazy_regex(r"^1\.(\d+)(?:\.(\d+))?(?:-(.+))?$")
VARIABLE = lazy_regex(r"^\$(?:\{(\w+)\}|(\w+))")
ANY_VARIABLE = lazy_regex(r"\$(?:\{(\w+)\}|(\w+))")
EVERY_RELEASE = ("", "alpine")  # published for every Go release
LIVE_MINORS = 2  # Go supports its two newest minor versions: their tags may still grow
DEBIAN_RELEASES = ("wheezy", "jessie", "stretch", "buster", "bullseye", "bookworm", "trixie")
YES, NO, UNKNOWN = "yes", "no", "unknown"


@record(frozen=True)
class Tag:
    """A numeric golang tag: `1.N` or `1.N.P`, with an optional variant (`alpine3.20`)."""

    minor: int
    patch: int | None   # None for a minor tag, which moves with each patch release
    variant: str

    def text(self) -> str:
        version = f"1.{self.minor}" if self.patch is None else f"1.{self.minor}.{self.patch}"
        return f"{version}-{self.variant}" if self.variant else version


@record(frozen=True)
class Requirement:
    version: tuple[int, int, int]
    go_mod: str             # the go.mod (or go.work) that asks, a path in the context
    use: gomodule.ModuleUse
    written: str            # the `go` line's version as written

    def evidence(self) -> str:
        use = self.use
        return f"`{use.command}` in {use.directory} finds the context's {self.go_mod}: `go {self.written}`"


def check(checker: Checker):
    context = checker.context
    if context is None:
        return
    for stage in checker.index.stages:
        image = parse_image(stage.base)
        if image.name != GOLANG:
            continue
        uses = gomodule.uses(checker.index, stage, context)
        requirement = _requirement(uses, context)
        if requirement is None:
            continue
        problem = next((use.problem for use in uses if use.problem), "")
        if image.has_variable:
            yield from _raise_argument(checker, stage, image, requirement, problem)
        else:
            yield from _raise_tag(checker, stage, image, requirement, problem)


def _requirement(uses, context) -> Requirement | None:
    """The newest `go` line of the go.mod files the stage's go commands use."""
    found = []
    for use in uses:
        module = context.go_mod_file(use.go_mod) if use.go_mod else None
        version = _version(module.go) if module is not None and module.go else None
        if module is not None and version is not None and version[0] == 1:
            found.append(Requirement(version, use.go_mod, use, module.go))
    # the last of equals: the build rather than the `go mod download` before it
    return max(reversed(found), key=lambda requirement: requirement.version) if found else None


def _version(text: str) -> tuple[int, int, int] | None:
    """`1.21`, `1.21.3`, `1.21rc2` as (1, 21, 0), (1, 21, 3), (1, 21, 0): a pre-release asks
    no more than the release."""
    match = VERSION.match(text)
    return (int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)) if match else None


def _asked(requirement: Requirement) -> str:
    major, minor, patch = requirement.version
    return f"{major}.{minor}.{patch}" if patch else f"{major}.{minor}"


def parse_tag(text: str) -> Tag | None:
    match = TAG.match(text)
    if match is None or (match.group(3) or "").startswith("rc"):
        return None  # `1.22-rc-alpine`: the release candidates' channel, not a version
    return Tag(int(match.group(1)), int(match.group(2)) if match.group(2) else None, match.group(3) or "")


def _raise_tag(checker, stage, image, requirement: Requirement, problem: str):
    tag = parse_tag(image.tag)
    if tag is None or _new_enough(tag, requirement):
        if tag is not None and _is_official(image.repository) and not image.digest and _stuck(tag, requirement):
            yield _report_stuck(checker, stage.from_, image.text, tag, requirement)
        return
    new = _raised(tag, requirement)
    start, end = image_span(stage.from_)
    written = checker.tree.text[start:end]
    replacement = f"{_repository_as_written(written)}:{new.text()}"
    where = f"{requirement.go_mod} asks for Go {_asked(requirement)}: `{image.text.split('@', 1)[0]}` is older"
    verdict = _verdict(image.repository, new, requirement, problem, image.digest)
    yield _report(checker, stage.from_, where, f"use `{replacement}`", Edit(start, end, replacement), verdict,
                  requirement)


def _raise_argument(checker, stage, image, requirement: Requirement, problem: str):
    """`FROM golang:${GO_VERSION}-alpine` with `ARG GO_VERSION=1.21` before the first FROM:
    raise the default."""
    match = VARIABLE.match(image.tag)
    if match is None:
        return
    name = match.group(1) or match.group(2)
    defaults = _global_defaults(checker.tree)
    argument = defaults.get(name)
    if argument is None:
        return
    node, value = argument
    bare = value.strip("'\"")
    own = parse_tag(bare)
    if own is None:
        return
    rest = _expanded(image.tag[match.end():], {key: item[1].strip("'\"") for key, item in defaults.items()})
    variant = None if rest is None else "-".join(part for part in (own.variant, rest.lstrip("-")) if part)
    tag = Tag(own.minor, own.patch, variant or "")
    if _new_enough(tag, requirement):
        return
    raised = _raised(own, requirement).text()
    located = node.logical.text.find(f"{name}={value}", node.arguments_start)
    if located < 0:
        return
    start = located + len(name) + 1 + (len(value) - len(value.lstrip("'\"")))
    span = node.logical.source_span(start, start + len(bare))
    verdict = _verdict(image.repository, _raised(tag, requirement), requirement, problem, image.digest)
    if variant is None and verdict[0] == YES:
        verdict = UNKNOWN, f"the variant depends on `{image.tag[match.end():]}`, which has no default"
    where = f"{requirement.go_mod} asks for Go {_asked(requirement)}: {name}={bare} is older"
    yield _report(checker, node, where, f"raise it to {raised}", Edit(span.start, span.end, raised), verdict,
                  requirement)


def _report(checker, node, where: str, advice: str, edit: Edit, verdict: tuple[str, str], requirement: Requirement):
    status, reason = verdict
    evidence = (requirement.evidence(),)
    if status == NO:
        return checker.report(RULE, node, where, reason=reason, evidence=evidence)
    if status == UNKNOWN:
        return checker.report(RULE, node, f"{where}; {advice}", edit, applicability=UNSAFE, reason=reason,
                              evidence=evidence)
    return checker.report(RULE, node, f"{where}; {advice}", edit, applicability=SAFE,
                          evidence=evidence + (reason,))


def _verdict(repository: str, new: Tag, requirement: Requirement, problem: str, digest: str) -> tuple[str, str]:
    """(YES, evidence) for a safe fix, (UNKNOWN, reason) for an unsafe one, (NO, reason) for
    none."""
    if problem:
        return NO, f"which go.mod applies cannot be told: {problem}"
    if digest:
        return NO, "the digest pins the image: a new tag needs a new digest"
    if not _is_official(repository):
        return UNKNOWN, f"`{repository}` is not the official golang image: check that it publishes `{new.text()}`"
    status, reason = published(new, requirement.version[2])
    if status == YES and requirement.use.by_tool:
        command = requirement.use.command
        return UNKNOWN, (f"the stage runs `{command}`, not the go command: dockerfix took the go.mod of the "
                         f"directory it runs in")
    return status, reason


def published(tag: Tag, needed_patch: int) -> tuple[str, str]:
    """Whether the golang image publishes `tag` (a minor tag: at a patch of at least
    `needed_patch`), by the table; with the evidence or the reason."""
    version, table = golang_tags()
    variants = table.get(tag.minor)
    unlisted = f"dockerfix's golang tag table ({version}) does not list `{tag.text()}`: check that it is published"
    if variants is None or _patch(tag, needed_patch) > _last_patch(variants):
        if tag.variant in EVERY_RELEASE:
            return YES, "golang publishes every Go release plain and as `-alpine`"
        return UNKNOWN, unlisted
    ranges = variants.get(tag.variant)
    if ranges is None:
        return (UNKNOWN, unlisted) if _is_live(tag.minor, table) else (NO, _not_published(tag, needed_patch, variants))
    if tag.patch is None:
        covered = ranges[-1][1] >= needed_patch  # a minor tag stays at the last patch built on its variant
    else:
        covered = any(low <= tag.patch <= high for low, high in ranges)
    if covered:
        return YES, f"golang publishes `{tag.text()}` (dockerfix golang tag table {version})"
    return NO, _not_published(tag, needed_patch, variants)


def _patch(tag: Tag, needed_patch: int) -> int:
    """The patch release a tag must have: its own, or for a minor tag the one go.mod asks for."""
    return needed_patch if tag.patch is None else tag.patch


def _not_published(tag: Tag, needed_patch: int, variants: dict) -> str:
    """Why `tag` does not do, and the releases of the same distribution that would."""
    patch = _patch(tag, needed_patch)
    others = [variant for variant, ranges in variants.items()
              if _same_family(variant, tag.variant) and variant not in EVERY_RELEASE and
              (ranges[-1][1] >= patch if tag.patch is None else any(low <= patch <= high for low, high in ranges))]
    if tag.patch is None and tag.variant in variants:
        said, asked = f"`{tag.text()}` stays at Go 1.{tag.minor}.{variants[tag.variant][-1][1]}", \
            f"1.{tag.minor}.{patch}"
    else:
        said, asked = f"golang does not publish `{tag.text()}`", \
            f"1.{tag.minor}" if tag.patch is None else f"1.{tag.minor}.{patch}"
    return f"{said}; Go {asked} is published on {', '.join(others)}" if others else said


def _new_enough(tag: Tag, requirement: Requirement) -> bool:
    """Whether the tag's Go is at least the required one; a minor tag counts as its newest
    patch (whether it stays behind is `_stuck`'s question)."""
    _, minor, patch = requirement.version
    if tag.patch is None:
        return tag.minor >= minor
    return (tag.minor, tag.patch) >= (minor, patch)


def _stuck(tag: Tag, requirement: Requirement) -> bool:
    """A minor tag of the required minor version whose variant is no longer built: it
    stays at a patch older than go.mod asks (`1.22-alpine3.18` is Go 1.22.3)."""
    _, minor, patch = requirement.version
    if tag.patch is not None or tag.minor != minor or not patch or tag.variant in EVERY_RELEASE:
        return False  # decided without the table (docs/performance.md, data tables)
    return _listed(tag) and published(tag, patch)[0] == NO


def _listed(tag: Tag) -> bool:
    """Whether the table lists the tag's variant for its minor version."""
    return tag.variant in golang_tags()[1].get(tag.minor, {})


def _report_stuck(checker, node, image_text: str, tag: Tag, requirement: Requirement):
    reason = _not_published(tag, requirement.version[2], golang_tags()[1][tag.minor])
    message = f"{requirement.go_mod} asks for Go {_asked(requirement)}: `{image_text}` is older"
    return checker.report(RULE, node, message, reason=reason, evidence=(requirement.evidence(),))


def _raised(tag: Tag, requirement: Requirement) -> Tag:
    _, minor, patch = requirement.version
    return Tag(minor, None if tag.patch is None else patch, tag.variant)


def _last_patch(variants: dict) -> int:
    return max(ranges[-1][1] for ranges in variants.values())


def _is_live(minor: int, table: dict) -> bool:
    return minor in sorted(table)[-LIVE_MINORS:]


def _same_family(variant: str, other: str) -> bool:
    def family(name: str) -> str:
        if name in DEBIAN_RELEASES:
            return "debian"
        return name.split("-", 1)[0].rstrip("0123456789.") or "plain"
    return family(variant) == family(other)


def _is_official(repository: str) -> bool:
    """Docker Hub's golang, also through a registry mirror (`mirror.gcr.io/library/golang`)."""
    parts = repository.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    return parts in (["golang"], ["library", "golang"]) or parts[-2:] == ["library", "golang"]


@lru_cache(maxsize=1)
def golang_tags() -> tuple[str, dict[int, dict[str, list[tuple[int, int]]]]]:
    """(the table's version, {minor: {variant: [(first patch, last patch), …]}})."""
    from .data import golang_tags as table  # on first use: most files are decided without it

    return table.VERSION, {int(version.split(".")[1]): variants for version, variants in table.VARIANTS.items()}


def _global_defaults(tree) -> dict:
    """The ARGs before the first FROM (the only ones a FROM line sees): name -> (node, default)."""
    found = {}
    for node in tree.instructions:
        if node.keyword == "FROM":
            break
        if node.keyword == "ARG":
            for item in node.values:
                name, has_default, value = item.partition("=")
                if has_default:
                    found[name] = (node, value)
    return found


def _expanded(text: str, defaults: dict) -> str | None:
    """`text` with the global ARG defaults put in; None when one has none."""
    unknown = False

    def value(match) -> str:
        nonlocal unknown
        name = match.group(1) or match.group(2)
        unknown = unknown or name not in defaults
        return defaults.get(name, "")

    expanded = ANY_VARIABLE.sub(value, text)
    return None if unknown else expanded


def _repository_as_written(reference: str) -> str:
    rest = reference.split("@", 1)[0]
    slash, colon = rest.rfind("/"), rest.rfind(":")
    return rest[:colon] if colon > slash else rest


RULE = Rule(id="DF015", name="go-version-from-go-mod", summary="golang build images are as new as go.mod asks",
            check=check, doc=__doc__, fix_safety=MIXED, severity="warning")
