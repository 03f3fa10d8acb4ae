"""dockerignore (DF020): the build context has a .dockerignore that keeps secrets and clutter out.

What it does
    For a Dockerfile that copies from its build context:
    - no .dockerignore: creates one with what a Go image build never needs — `.git`,
      `.env` files (but `.env.example`), editor and OS files, the Dockerfiles and Compose
      files themselves, build outputs (`bin/`, `dist/`, test binaries, coverage profiles);
    - a .dockerignore that lets `.git` or `.env` through: appends those entries.
    Nothing is ever added that matches a path the Dockerfile COPYs or ADDs, and `.git` is
    not added when a RUN reads the repository (`git describe`, `git rev-parse`, `cd /src &&
    git …`, `-buildvcs=true`; git commands after a `git clone` in the same RUN are taken to
    work in the clone): without it that RUN fails or stamps no version. `bin/` and `dist/`
    are left out of it when the context has them and its .gitignore does not ignore them
    (committed scripts or assets, not build outputs). A
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
from ..lazy_regex import lazy_regex
from ..records import record
from .base import MIXED, SAFE, UNSAFE, Checker, FileChange, Rule

GO_BUILD_ENTRIES = (
    ("# Version control, secrets, editors and OS files", ".git", ".env", ".env.*", "!.env.example", ".idea",
     ".vscode", "*.swp", ".DS_Store"),
    ("# How the image is built and run, not what goes in it", "Dockerfile*", "*.Dockerfile", ".dockerignore",
     "docker-compose*.yml", "docker-compose*.yaml", "compose*.yml", "compose*.yaml"),
    ("# Build outputs", "bin/", "dist/", "*.test", "coverage.out", "*.coverprofile"),
)
SENSITIVE = (".git", ".env")
OUTPUT_DIRECTORIES = ("bin", "dist")  # the build outputs of GO_BUILD_ENTRIES that are directories
GIT_COMMAND = lazy_regex(r"(?:^|[;&|(`\n]|\$\()[ \t]*git[ \t]+([^;&|)\n`]*)")  # git in command position
GIT_WITHOUT_REPOSITORY = frozenset({"clone", "init", "ls-remote", "version", "help"})
BUILDVCS_ON = lazy_regex(r"-buildvcs(?:=true)?(?![=\w-])")
HEADER = "# Written by dockerfix: what the image build does not need."


def check(checker: Checker):
    context = checker.context
    if context is None:
        return
    sources = _copied_sources(checker.tree)
    if not sources:
        return
    sources += _committed_output_directories(context)
    path = context.dockerignore_path
    project = context.project
    stamping = project.vcs_stamping if project is not None else ()
    if stamping and ".git" not in sources:
        sources += (".git",)
    sharing = [other for other in project.dockerfiles_using_ignore(path) if other != context.dockerfile] \
        if project is not None else []
    text = context.dockerignore_text
    change = plan(path, text, sources)
    if change is None:
        return
    first_copy = next(node for node in checker.tree.instructions if node.keyword in ("COPY", "ADD")
                      and not node.flag_values("from"))
    message = ("the build context has no .dockerignore: .git, .env files and build outputs go into the build"
               if text is None else f"{os.path.basename(path)} lets {_missing_names(change)} into the build")
    if ".git" in sources and text is None:
        message += " (.git is kept: the build uses it)"
    evidence = tuple(f"the build stamps version-control data: {line}" for line in stamping[:3])
    if sharing:
        names = ", ".join(os.path.relpath(other, project.root) for other in sharing[:3])
        yield checker.report(RULE, first_copy, message, files=(change,), applicability=UNSAFE, evidence=evidence,
                             reason=f"other Dockerfiles read this .dockerignore too ({names}): what they need "
                                    "from the context was not checked")
        return
    yield checker.report(RULE, first_copy, message, files=(change,), applicability=SAFE, evidence=evidence)


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
    """What the build takes from the context: the COPY and ADD sources, and `.git` when a RUN
    reads the repository (`git describe`, `-buildvcs=true`): leaving it out would fail the build."""
    sources = []
    for node in tree.instructions:
        if node.keyword in ("COPY", "ADD") and not node.flag_values("from") and not node.heredocs:
            sources += [source for source in node.values[:-1] if "://" not in source]
    if sources and any(node.keyword == "RUN" and _reads_repository(node) for node in tree.instructions):
        sources.append(".git")
    return tuple(sources)


def _committed_output_directories(context) -> tuple[str, ...]:
    """`bin` and `dist` when the context has them and its .gitignore does not ignore them:
    then they are the repository's own (scripts, checked-in assets), not build outputs, and a
    .dockerignore must not take them from a `COPY . .`."""
    found = tuple(name for name in OUTPUT_DIRECTORIES if name in context.root_directories)
    if not found:
        return ()
    try:
        with open(os.path.join(context.root, ".gitignore"), encoding="utf-8", errors="replace") as file:
            ignored = {line.strip().strip("/").removesuffix("/*").removesuffix("/**") for line in file}
    except OSError:
        ignored = set()
    return tuple(name for name in found if name not in ignored)


def _reads_repository(node) -> bool:
    if _text_reads_repository(node.arguments):
        return True
    return any(_text_reads_repository(heredoc.content) for heredoc in node.heredocs) if node.heredocs else False


@lru_cache(maxsize=2048)
def _text_reads_repository(text: str) -> bool:
    """Whether a RUN's script runs git in the context's repository, or builds with
    -buildvcs=true. Cached by the text: the same RUNs come back in every pass."""
    if "git" not in text and "-buildvcs" not in text:  # most RUNs: no regex needed
        return False
    if BUILDVCS_ON.search(text):
        return True
    for match in GIT_COMMAND.finditer(text):
        subcommand = _git_subcommand(match.group(1))
        if subcommand == "clone":  # the git commands after it work in the clone, as a rule
            return False
        if _git_reads(subcommand, match.group(1)):
            return True
    return False


def _git_subcommand(arguments: str) -> str:
    words = arguments.split()
    while words and words[0].startswith("-"):
        words = words[2:] if words[0] in ("-C", "-c") else words[1:]
    return words[0] if words else ""


def _git_reads(subcommand: str, arguments: str) -> bool:
    """Whether `git <arguments>` reads the repository it runs in (not clone, init, a global
    config, `--version`, …)."""
    if not subcommand:
        return arguments.split()[:1] not in (["--version"], ["--help"])
    if subcommand == "config":
        return not {"--global", "--system"} & set(arguments.split())
    return subcommand not in GIT_WITHOUT_REPOSITORY


def _hides_any(entry: str, sources: tuple[str, ...]) -> bool:
    """Whether ignoring `entry` would take away a copied source, or something inside or above it."""
    for source in sources:  # a loop, not any(): this runs for every entry of every new file
        if _hides(entry, source):
            return True
    return False


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
            check=check, doc=__doc__, fix_safety=MIXED)
