"""from-as-casing (DF001): the `AS` of a named stage matches the casing of `FROM`.

What it does
    Rewrites `FROM golang:1.23 as builder` to `FROM golang:1.23 AS builder` (and
    `from x AS y` to `from x as y`): the stage keyword takes the casing of `FROM`.

Why
    BuildKit warns about mixed casing (its check FromAsCasing), and files copied from
    many sources end up with both spellings. One casing reads as one file.

Example
    FROM golang:1.23-alpine as build   ->   FROM golang:1.23-alpine AS build

Fix safety
    Safe: keywords are case-insensitive, so the build is the same.
    Not reported where the file pins a Dockerfile frontend older than 1.8
    (`# syntax=docker/dockerfile:1.2`), which runs no build checks, or turns the check off
    (`# check=skip=FromAsCasing`, or `skip=all`): there nothing warns, and the casing is the
    authors' own.
"""
from __future__ import annotations

from ..lazy_regex import lazy_regex
from .base import SAFE, Checker, Edit, Rule

PINNED_FRONTEND = lazy_regex(r"(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)/)?"
                             r"docker/dockerfile(?:-upstream)?:(?:(\d+)\.(\d+)|(experimental)\b)")


def _frontend_without_checks(syntax: str) -> bool:
    """A `# syntax=` frontend older than 1.8, the first with build checks (`experimental`
    is a tag of the 1.0 days)."""
    pinned = PINNED_FRONTEND.match(syntax.strip())
    if pinned is None:
        return False
    return bool(pinned.group(3)) or (int(pinned.group(1)), int(pinned.group(2))) < (1, 8)


def check(checker: Checker):
    if _frontend_without_checks(checker.tree.directives.get("syntax", "")):
        return
    for node in checker.tree.instructions:
        if node.keyword != "FROM" or len(node.values) < 3 or node.values[1].lower() != "as":
            continue
        keyword = checker.tree.text[node.keyword_span.start:node.keyword_span.end]
        wanted = _casing_of(keyword, node.values[1])
        if wanted is None or wanted == node.values[1]:
            continue
        span = _as_span(node)
        if span is None:
            continue
        yield checker.report(RULE, node, f"'{node.values[1]}' should match the casing of '{keyword}'",
                             Edit(span[0], span[1], wanted), applicability=SAFE)


def _casing_of(keyword: str, word: str) -> str | None:
    if keyword.isupper():
        return word.upper()
    if keyword.islower():
        return word.lower()
    return None  # mixed-case FROM: no casing to follow


def _as_span(node) -> tuple[int, int] | None:
    """Source span of the `as` word: the second whitespace-separated argument."""
    text = node.logical.text
    start = node.arguments_start
    index = start
    for position in range(2):
        while index < len(text) and text[index] in " \t":
            index += 1
        word_start = index
        while index < len(text) and text[index] not in " \t":
            index += 1
        if position == 1 and text[word_start:index].lower() == "as":
            span = node.logical.source_span(word_start, index)
            return (span.start, span.end) if span.end - span.start == 2 else None
    return None


RULE = Rule(id="DF001", name="from-as-casing", summary="`AS` in FROM matches the casing of `FROM`",
            check=check, doc=__doc__, buildkit=("FromAsCasing",), fix_safety=SAFE, severity="style")
