"""add-to-copy (DF013): `ADD` of local files becomes `COPY`.

What it does
    Replaces the ADD keyword with COPY (in the same letter case) when every source is a
    local path that ADD would copy as it is.

Why
    ADD also fetches URLs, clones git repositories and unpacks local tar archives. Used for
    plain files it hides which of those the author meant, and a file renamed to `.tar.gz`
    one day is silently unpacked. COPY says what happens. hadolint: DL3020.

Example
    ADD . /src
    ->
    COPY . /src

Fix safety
    Safe: for plain local files both copy the same bytes with the same flags. Left alone:
    URLs and git sources, archives (`.tar`, `.tgz`, `.tar.gz`, `.tar.bz2`, `.tar.xz`, …, which
    ADD unpacks), and — since the engine tells an archive by its first bytes, not its name —
    files of the build context that are tar archives or compressed whatever they are called,
    globs that match one, and globs when there is no build context to look in; sources with
    variables (they could name either), and ADD-only flags (`--checksum`, `--keep-git-dir`,
    `--unpack`). An ADD to a relative destination in a stage
    without WORKDIR is left too: where it lands depends on the base image, which the author
    should say (hadolint's DL3045 flags such a COPY).
"""
from __future__ import annotations

import re

from ..context.reading import heads
from ..lazy_regex import lazy_regex
from .base import SAFE, Checker, Edit, Rule

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Sequence

ARCHIVE = lazy_regex(r"\.(tar|tgz|tbz2?|txz|tzst|gz|bz2|xz|zst|lz4|lzma|z)$", re.I)
ADD_ONLY_FLAGS = frozenset({"checksum", "keep-git-dir", "unpack", "exclude"})
COMPRESSED_MAGIC = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd")


def check(checker: Checker):
    tree, index = checker.tree, checker.index
    workdir_set = _workdir_set(index)
    for stage in index.stages:  # an ADD before the first FROM is in no build
        for node in stage.instructions:
            if node.keyword != "ADD" or node.sub is not None or len(node.values) < 2:
                continue
            if any(flag.name in ADD_ONLY_FLAGS for flag in node.flags):
                continue
            sources = [] if node.heredocs else node.values[:-1]
            if any(_not_plain(source) for source in sources) or \
                    (_relative(node.values[-1]) and not workdir_set[stage.index]):
                continue  # a relative destination where no WORKDIR says relative to what (the base image decides)
            read = [_files_read(checker.context, source) for source in sources]
            if any(files is None for files in read):
                continue
            written = tree.text[node.keyword_span.start:node.keyword_span.end]
            replacement = "copy" if written.islower() else "Copy" if written.istitle() else "COPY"
            yield checker.report(RULE, node, "ADD of local files: use COPY, which does only that",
                                 Edit(node.keyword_span.start, node.keyword_span.end, replacement),
                                 applicability=SAFE, evidence=_evidence(checker.context, sources, read))


def _relative(destination: str) -> bool:
    return not destination.startswith(("/", "$")) and not re.match(r"[A-Za-z]:[\\/]", destination)


def _workdir_set(index) -> list[bool]:
    """For each stage, whether a WORKDIR in it or in a stage it builds on sets the directory
    (a stage's base stage comes before it, so its answer is there already)."""
    found: list[bool] = []
    for stage in index.stages:
        chain = index.chain(stage)
        found.append(any(node.keyword == "WORKDIR" for node in stage.instructions)
                     or (len(chain) > 1 and found[chain[1].index]))
    return found


def _not_plain(source: str) -> bool:
    return "$" in source or "://" in source or source.startswith("git@") or bool(ARCHIVE.search(source))


def _files_read(context, source: str) -> int | None:
    """How many files of the build context `source` names, none of which ADD could unpack
    (Docker tells a tar archive by its first bytes, not its name); None when one could be an
    archive. Without a build context, a glob may match anything."""
    pattern = source.lstrip("/") or "."
    if context is None:
        return None if any(char in pattern for char in "*?[") else 0
    files = heads(context.root, pattern, 262)
    return None if any(_is_archive(head) for head in files) else len(files)


def _evidence(context, sources: Sequence[str], read: list[int | None]) -> tuple[str, ...]:
    """What the fix rests on, a line a source: what ADD finds there is nothing it would unpack."""
    if not sources:
        return ("the source is a heredoc: ADD and COPY write it alike",)
    if context is None:
        return ("no build context to read: the sources have no archive names and no wildcards",)
    return tuple(_source_evidence(context, source, count) for source, count in zip(sources, read, strict=True))


def _source_evidence(context, source: str, count: int | None) -> str:
    if count:
        return f"`{source}`: {count} file{'s' if count > 1 else ''} of the build context, no tar archive, " \
               "nothing compressed"
    if context.is_directory(source.lstrip("/") or "."):
        return f"`{source}` is a directory of the build context: ADD unpacks no archive inside one"
    return f"`{source}` is not in the build context (a step before the build makes it) and has no archive name"


def _is_archive(head: bytes) -> bool:
    """A tar archive, or a compressed stream that may hold one (gzip, bzip2, xz, zstd), by the
    file's first bytes (a tar archive says `ustar` at 257)."""
    return head.startswith(COMPRESSED_MAGIC) or head[257:262] == b"ustar"


RULE = Rule(id="DF013", name="add-to-copy", summary="ADD of local files becomes COPY",
            check=check, doc=__doc__, hadolint=("DL3020",), fix_safety=SAFE, severity="style")
