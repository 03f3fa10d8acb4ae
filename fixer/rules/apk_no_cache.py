"""apk-no-cache (DF002): `apk add` uses `--no-cache`.

What it does
    Adds `--no-cache` to `apk add` commands in shell-form RUN instructions, and turns
    `--update` / `-U` / `--update-cache` on the same command into `--no-cache` (which
    fetches a fresh index without keeping it).

Why
    Without it, apk leaves its package index in /var/cache/apk, and the image carries
    megabytes nobody uses. hadolint reports the same thing as DL3019.

Example
    RUN apk add --update git ca-certificates
    ->
    RUN apk add --no-cache git ca-certificates

Fix safety
    Safe: the same packages are installed. RUNs that mount a cache at /var/cache/apk or
    /etc/apk/cache are left alone: keeping the cache in a mount is the better practice
    (hadolint still flags it: hadolint#671). Scripts dockerfix cannot read reliably
    (case, functions, non-POSIX SHELL, heredocs) are left alone too. Where a later RUN
    removes the cache without `-f` (`rm /var/cache/apk/*`), the finding has no fix: with
    `--no-cache` the glob matches nothing and that `rm` fails the build.

    Only layers a shipped image holds are looked at: a stage that only hands files on by
    `COPY --from` (a builder) leaves its index behind anyway (fixer.rules._support.shipped). In a
    Dockerfile whose path says it builds no shipped image (under tests/ or examples/,
    Dockerfile.dev, .devcontainer/) the finding has no fix: the change would be noise there.
    A Dockerfile named on the command line (not found by a search) is fixed whatever its
    path says, unless --force-exclude is given.
"""
from __future__ import annotations

from ._support.shipped import left_behind, unshipped_image_reason
from .base import SAFE, Checker, Edit, Rule

UPDATE_FLAGS = ("--update", "-U", "--update-cache")
CACHE_DIRS = ("/var/cache/apk", "/etc/apk/cache")


def check(checker: Checker):
    index = checker.index
    if "apk" not in index.command_names:  # every report is about a command named apk
        return
    strict_removals = _strict_cache_removals(checker)
    not_shipped = unshipped_image_reason(checker)
    for node in checker.tree.instructions:
        script = index.shell_view(node)
        if script is None or script.opaque or _mounts_apk_cache(node) or left_behind(index, node):
            continue
        for command in script.commands:
            if command.name != "apk" or "add" not in command.argv:
                continue
            argv = command.argv
            if "--no-cache" in argv:
                continue
            update = next((word for word in command.words if word.value in UPDATE_FLAGS), None)
            if update is not None:
                span = script.source_span(update.start, update.end)
                edit = Edit(span.start, span.end, "--no-cache")
            else:
                add = command.words[argv.index("add")]
                at = script.source_span(add.start, add.end).end
                edit = Edit(at, at, " --no-cache")
            message = "`apk add` without `--no-cache` keeps the package index in the image"
            later = next((line for line in strict_removals if line > node.start_line), None)
            if later is not None:
                yield checker.report(RULE, node, message, reason=f"line {later} removes /var/cache/apk/* without -f: "
                                                                 "with --no-cache nothing matches and that rm fails")
                continue
            if not_shipped:
                yield checker.report(RULE, node, message, reason=not_shipped)
                continue
            yield checker.report(RULE, node, message, edit, applicability=SAFE)


def _strict_cache_removals(checker: Checker) -> list[int]:
    """The lines of RUNs whose `rm` of something under /var/cache/apk has no -f: it fails when
    nothing is there."""
    lines = []
    for node in checker.tree.instructions:
        script = checker.index.shell_view(node)
        if script is None or script.opaque:
            continue
        for command in script.commands:
            if command.name != "rm" or any(_forces(word) for word in command.argv[1:]):
                continue
            if any(word.startswith("/var/cache/apk/") for word in command.argv[1:]):
                lines.append(node.start_line)
    return lines


def _forces(word: str) -> bool:
    return word == "--force" or word.startswith("-") and not word.startswith("--") and "f" in word


def _mounts_apk_cache(node) -> bool:
    target = node.sub or node
    for mount in target.flag_values("mount"):
        fields: dict[str, str] = dict(part.split("=", 1) for part in mount.split(",") if "=" in part)
        if fields.get("type") == "cache" and fields.get("target", fields.get("dst", "")).rstrip("/") in CACHE_DIRS:
            return True
    return False


RULE = Rule(id="DF002", name="apk-no-cache", summary="`apk add` uses `--no-cache`",
            check=check, doc=__doc__, hadolint=("DL3019",), fix_safety=SAFE, severity="warning")
