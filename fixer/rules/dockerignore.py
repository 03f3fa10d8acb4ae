"""dockerignore (DF020): the build context has a .dockerignore that keeps secrets and clutter out.

What it does
    For a Dockerfile that copies from its build context:
    - no .dockerignore: creates one with what a Go image build never needs — `.git`,
      `.env` files (but `.env.example`), editor and OS files, the Dockerfiles and Compose
      files themselves, build outputs (`bin/`, `dist/`, test binaries, coverage profiles);
    - a .dockerignore that lets `.git` or `.env` through: appends those entries.
    Nothing is ever added that matches a path the Dockerfile COPYs or ADDs. A
    `<Dockerfile>.dockerignore` beside the Dockerfile is the one edited when it exists, as
    BuildKit reads it first. Several Dockerfiles sharing a context get one file that keeps
    what each of them copies.

Why
    Without it `COPY . .` puts the whole repository into the image: `.git` (history, and
    sometimes tokens in its config), `.env` files with real credentials, binaries built on
    the host. Every change to any of them also invalidates the layer cache.

Example
    (no .dockerignore, Dockerfile has `COPY . .`)
    ->
    a new .dockerignore starting with `.git`, `.env`, `.env.*`, `!.env.example`, …

Fix safety
    Safe: entries that match anything the Dockerfile copies are left out, and an existing
    file only gains lines. Only with a build context (not on standard input). In diff mode
    the new file shows as a diff from /dev/null; `--write` creates it; `--check` counts it.
"""
from __future__ import annotations

import os
from functools import lru_cache

from ..context.dockerignore import is_ignored, parse_dockerignore
from ..records import record
from .base import Checker, FileChange, Rule

GO_BUILD_ENTRIES = (
    ("# Version control, secrets, editors and OS files", ".git", ".env", ".env.*", "!.env.example", ".idea",
     ".vscode", "*.swp", ".DS_Store"),
    ("# How the image is built and run, not what goes in it", "Dockerfile*", "*.Dockerfile", ".dockerignore",
     "docker-compose*.yml", "docker-compose*.yaml", "compose*.yml", "compose*.yaml"),
    ("# Build outputs", "bin/", "dist/", "*.test", "coverage.out", "*.coverprofile"),
)
SENSITIVE = (".git", ".env")
HEADER = "# Written by dockerfix: what the image build does not need."


def check(checker: Checker):
    context = checker.context
    if context is None:
        return
    sources = _copied_sources(checker.tree)
    if not sources:
        return
    path = context.dockerignore_path
    text = context.dockerignore_text
    change = plan(path, text, sources)
    if change is None:
        return
    first_copy = next(node for node in checker.tree.instructions if node.keyword in ("COPY", "ADD")
                      and not node.flag_values("from"))
    message = ("the build context has no .dockerignore: .git, .env files and build outputs go into the build"
               if text is None else f"{os.path.basename(path)} lets {_missing_names(change)} into the build")
    yield checker.report(RULE, first_copy, message, files=(change,))


@lru_cache(maxsize=256)
def plan(path: str, text: str | None, sources: tuple[str, ...]) -> FileChange | None:
    """The change to the ignore file at `path` that leaves out none of `sources` (the same
    question comes back in every pass of the fix loop, hence the cache)."""
    if text is None:
        after = _new_file(sources)
    else:
        patterns = parse_dockerignore(text)
        missing = [entry for entry in SENSITIVE
                   if not is_ignored(patterns, entry) and not _hides_any(entry, sources)]
        if not missing:
            return None
        newline = "\r\n" if "\r\n" in text else "\n"
        separator = "" if not text or text.endswith("\n") else newline
        after = text + separator + newline.join(["# Added by dockerfix: secrets stay out of the build", *missing]) \
            + newline
    if after == text:
        return None
    return FileChange(path, text, after, merge=_Replan(sources))


@lru_cache(maxsize=256)
def _new_file(sources: tuple[str, ...]) -> str:
    """A new ignore file that hides none of `sources` (most Dockerfiles copy the same few)."""
    lines = [HEADER]
    for group in GO_BUILD_ENTRIES:
        kept = [entry for entry in group[1:] if entry.startswith("!") or not _hides_any(entry, sources)]
        if ".env.*" not in kept:
            kept = [entry for entry in kept if entry != "!.env.example"]
        if kept:
            lines += ["", group[0], *kept]
    return "\n".join(lines) + "\n"


@record(frozen=True)
class _Replan:
    """Merges two plans for one ignore file: plan again from the original text, leaving out
    nothing that either Dockerfile copies."""

    sources: tuple[str, ...]

    def __call__(self, first: FileChange, second: FileChange) -> FileChange:
        theirs = second.merge.sources if isinstance(second.merge, _Replan) else ()
        merged = plan(first.path, first.before, tuple(dict.fromkeys(self.sources + theirs)))
        return merged if merged is not None else FileChange(first.path, first.before, first.before or "")


def _copied_sources(tree) -> tuple[str, ...]:
    sources = []
    for node in tree.instructions:
        if node.keyword in ("COPY", "ADD") and not node.flag_values("from") and not node.heredocs:
            sources += [source for source in node.values[:-1] if "://" not in source]
    return tuple(sources)


def _hides_any(entry: str, sources: tuple[str, ...]) -> bool:
    """Whether ignoring `entry` would take away a copied source, or something inside or above it."""
    return any(_hides(entry, source) for source in sources)


@lru_cache(maxsize=4096)
def _hides(entry: str, source: str) -> bool:  # Dockerfiles copy the same few sources: go.mod, main.go, ...
    path = source.lstrip("/").rstrip("/") or "."
    if path == ".":
        return False
    if "$" in path:
        return True
    patterns = parse_dockerignore(entry)
    return is_ignored(patterns, path) or is_ignored(patterns, path + "/x")


def _missing_names(change: FileChange) -> str:
    added = change.after[len(change.before or ""):].split()
    return " and ".join(entry for entry in SENSITIVE if entry in added)


RULE = Rule(id="DF020", name="dockerignore", summary="the build context has a .dockerignore that keeps secrets out",
            check=check, doc=__doc__)
