"""go-version-from-go-mod (DF015): the `golang` image of a build stage is as new as go.mod asks.

What it does
    Reads go.mod's `go` and `toolchain` directives from the build context and, in every stage
    on a `golang` image that builds from the context, raises an older image tag to that
    version, keeping the tag's precision and variant (`1.21-alpine` → `1.23-alpine`,
    `1.21.4-bookworm` → `1.23.2-bookworm`). Only numeric tags are raised, never lowered:
    `golang`, `latest`, variant-only tags (`alpine`) and `tip-*` already follow the newest Go,
    and a version put in front of them may name a tag that is not published.
    A tag built from `ARG GO_VERSION=…` has the ARG's default raised instead.

Why
    The official images set GOTOOLCHAIN=local: a Go older than go.mod's directive refuses
    to build the module ("go.mod requires go >= 1.23"). `latest` builds today and breaks, or
    changes the compiler under you, the day a new Go is released.

Example
    go.mod: go 1.23.2
    FROM golang:1.21-alpine AS builder
    ->
    FROM golang:1.23-alpine AS builder

Fix safety
    Safe, except where the tag names an older distribution release (`-alpine3.19`,
    `-bullseye`) and the Go minor version changes: the images of a new Go are published for
    the releases of their time only, and `golang:1.24-alpine3.19` does not exist — unsafe,
    with the reason (`-alpine`, `-bookworm` and `-trixie` are published for every current Go). Only with a build context
    that has go.mod (without one there is nothing to go by, and nothing is said).
    Digest-pinned images and tags built from variables without a default are left alone, as
    are stages that do not build from the context.
"""
from __future__ import annotations

from ..lazy_regex import lazy_regex
from .base import MIXED, SAFE, UNSAFE, Checker, Edit, Rule
from .images import GOLANG, family, image_span, parse_image

VERSION = lazy_regex(r"^(\d+)\.(\d+)(?:\.(\d+))?")
TAG = lazy_regex(r"^(?P<version>\d+(?:\.\d+){0,2}(?:rc\d+|beta\d+)?)?(?P<rest>.*)$")
VARIABLE = lazy_regex(r"^\$\{?(\w+)\}?")
# Variants published for the Go versions of their time only (bookworm and trixie are current for every
# supported Go; plain `alpine` always is).
UNPUBLISHED = "check that the tag is published; the images of a new Go drop old distribution releases"
OLD_DISTRIBUTION_RELEASE = lazy_regex(r"(?:^|-)(?:alpine\d|bullseye|buster|stretch|jessie|windowsservercore"
                                      r"|nanoserver)")


def check(checker: Checker):
    context = checker.context
    module = context.go_module if context is not None else None
    wanted = _required(module)
    if wanted is None:
        return
    tree = checker.tree
    for stage in tree.stages():
        image = parse_image(stage.base)
        if image.name != GOLANG or image.digest or not _builds_from_context(stage):
            continue
        if image.has_variable:
            yield from _raise_argument(checker, tree, stage, image, wanted)
            continue
        if family(image) != GOLANG:
            continue
        new_tag = _raised_tag(image.tag, wanted)
        if new_tag is not None:
            yield _report(checker, stage.from_, image, new_tag, wanted, _unpublished_risk(image.tag, new_tag))


def _required(module) -> tuple[int, int, int] | None:
    if module is None:
        return None
    versions = [_version(text) for text in (module.go, module.toolchain) if text]
    versions = [v for v in versions if v is not None]
    return max(versions) if versions else None


def _version(text: str) -> tuple[int, int, int] | None:
    match = VERSION.match(text)
    return (int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)) if match else None


def _asked(version: tuple[int, int, int]) -> str:
    return _format(version, 3) if version[2] else _format(version, 2)


def _format(version: tuple[int, int, int], precision: int) -> str:
    return ".".join(str(part) for part in version[:precision])


def _raised_tag(tag: str, wanted: tuple[int, int, int]) -> str | None:
    """The tag with its version raised to `wanted`, or None when it is new enough or names no
    version: `latest`, `alpine` and `tip-trixie` follow the newest Go already, and a version
    put in front of them may name a tag the golang image does not publish (`1.24-tip-trixie`)."""
    match = TAG.match(tag)
    version, rest = match.group("version"), match.group("rest")
    if not version:
        return None
    have = _version(version if version.count(".") else version + ".0")
    precision = version.count(".") + 1
    if have is None or precision < 2:
        return None
    if have[:precision] >= wanted[:precision]:
        return None
    return _format(wanted, precision) + rest


def _unpublished_risk(old_tag: str, new_tag: str) -> bool:
    """Whether the new tag may not exist: a variant that names an older distribution release
    (`-alpine3.19`, `-bullseye`) is published only for the Go versions of its time, and the
    minor version changes."""
    return bool(OLD_DISTRIBUTION_RELEASE.search(new_tag)) and _minor_changes(old_tag, new_tag)


def _minor_changes(old_tag: str, new_tag: str) -> bool:
    old, new = _version(old_tag), _version(new_tag)
    return old is None or new is None or old[:2] != new[:2]


def _report(checker, node, image, new_tag, wanted, unpublished_risk: bool = False):
    text = checker.tree.text
    span = image_span(node)
    old = text[span[0]:span[1]]
    replacement = f"{_repository_as_written(old)}:{new_tag}"
    message = (f"go.mod asks for Go {_asked(wanted)}: `{image.text}` is older or unpinned; "
               f"use `{replacement}`")
    return _raise(checker, node, message, Edit(span[0], span[1], replacement), unpublished_risk)


def _raise(checker, node, message: str, edit: Edit, unpublished_risk: bool):
    if unpublished_risk:
        return checker.report(RULE, node, message, edit, applicability=UNSAFE, reason=UNPUBLISHED)
    return checker.report(RULE, node, message, edit, applicability=SAFE)


def _repository_as_written(reference: str) -> str:
    rest = reference.split("@", 1)[0]
    slash, colon = rest.rfind("/"), rest.rfind(":")
    return rest[:colon] if colon > slash else rest




def _raise_argument(checker, tree, stage, image, wanted):
    """`FROM golang:${GO_VERSION}-alpine` with `ARG GO_VERSION=1.21` before it: raise the default."""
    match = VARIABLE.match(image.tag)
    if match is None:
        return
    name = match.group(1)
    argument = None
    for node in tree.instructions:
        if node is stage.from_:
            break
        if node.keyword == "FROM":
            argument = None  # only ARGs before the first FROM (global) reach a FROM line
            break
        if node.keyword == "ARG" and any(v.split("=", 1)[0] == name for v in node.values):
            argument = node
    if argument is None:
        return
    value = next(v for v in argument.values if v.split("=", 1)[0] == name).partition("=")[2]
    bare = value.strip("'\"")
    raised = _raised_tag(bare, wanted) if bare and VERSION.match(bare) else None
    if raised is None:
        return
    located = argument.logical.text.find(f"{name}={value}", argument.arguments_start)
    if located < 0:
        return
    start = located + len(name) + 1 + (len(value) - len(value.lstrip("'\"")))
    span = argument.logical.source_span(start, start + len(bare))
    message = f"go.mod asks for Go {_asked(wanted)}: raise {name} from {bare} to {raised}"
    risk = bool(OLD_DISTRIBUTION_RELEASE.search(image.tag)) and _minor_changes(bare, raised)
    yield _raise(checker, argument, message, Edit(span.start, span.end, raised), risk)


def _builds_from_context(stage) -> bool:
    for node in stage.instructions:
        if node.keyword in ("COPY", "ADD") and not node.flag_values("from"):
            return True
        if node.keyword == "RUN" and any(_is_bind_mount(mount) for mount in node.flag_values("mount")):
            return True
    return False


def _is_bind_mount(mount: str) -> bool:
    fields = dict(part.split("=", 1) for part in mount.split(",") if "=" in part)
    return fields.get("type", "bind") == "bind" and "from" not in fields


RULE = Rule(id="DF015", name="go-version-from-go-mod", summary="golang build images are as new as go.mod asks",
            check=check, doc=__doc__, fix_safety=MIXED)
