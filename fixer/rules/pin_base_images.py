"""pin-base-images (DF016, off by default): `:latest` and untagged base images get a pinned tag.

What it does
    Gives `FROM alpine`, `FROM alpine:latest` and the like the tag from the table dockerfix
    ships (`fixer/rules/data/base_images.py`; the message names its version), which the
    option `base_image_pins` can override or extend.

Why
    `latest` is whatever was pushed last: the same Dockerfile builds a different image next
    month, and a major upgrade arrives unannounced. A tag says what you tested.

Example
    FROM alpine:latest
    ->
    FROM alpine:3.24

Fix safety
    Safe in that the pinned tag is what `latest` pointed to when the table was written; it
    may be older than today's `latest`. Off by default (the Go image guidance itself uses
    `alpine:latest`); turn it on with `--select DF016` where the team pins. Left alone:
    digests, variables, stage names, `scratch`, images the table does not know, and
    `golang` (go-version-from-go-mod, DF015, takes its version from go.mod).
"""
from __future__ import annotations

from functools import lru_cache

from ..lazy_regex import lazy_regex
from ..syntax.tree import Instruction
from ._support.images import parse_image
from .base import SAFE, Checker, Edit, Rule

FROM_WORD = lazy_regex(r"[^\t\v\f\r ]+")  # BuildKit splits FROM's arguments at [\t\v\f\r ]+


@lru_cache(maxsize=1)
def shipped_table() -> tuple[str, dict[str, str]]:
    from .data import base_images as table

    return table.VERSION, dict(table.PINS)


def check(checker: Checker):
    tree, stages = checker.tree, checker.index.stages
    version, pins = shipped_table()
    pins = {**pins, **checker.options.get("base_image_pins", {})}
    stage_names = {stage.name.lower() for stage in stages if stage.name}
    for stage in stages:
        image = parse_image(stage.base)
        if image.digest or image.has_variable or image.repository in stage_names or image.tag not in ("", "latest"):
            continue
        short = image.docker_hub_name
        pin = pins.get(short)
        if pin is None or short == "golang":
            continue
        start, end = _reference_span(stage.from_)
        written = tree.text[start:end]
        repository = written.rsplit(":", 1)[0] if image.tag else written
        yield checker.report(RULE, stage.from_, f"`{stage.base}` is not pinned: use `{short}:{pin}` "
                                                f"(dockerfix base image table {version})",
                             Edit(start, end, f"{repository}:{pin}"), applicability=SAFE)


def _reference_span(from_node: Instruction) -> tuple[int, int]:
    """Source span of the image reference, the first word as BuildKit splits FROM: a `\\f`, `\\v`
    or `\\r` after it is a separator, not part of what the pinned tag is appended to."""
    text = from_node.logical.text
    word = FROM_WORD.search(text, from_node.arguments_start)
    span = from_node.logical.source_span(word.start(), word.end())
    return span.start, span.end




RULE = Rule(id="DF016", name="pin-base-images", summary="`:latest` and untagged base images get a pinned tag",
            check=check, doc=__doc__, default=False, hadolint=("DL3006", "DL3007"), fix_safety=SAFE, severity="info",
            options=("base-image-pins",))
