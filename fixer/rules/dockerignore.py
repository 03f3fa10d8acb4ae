"""dockerignore (DF020): the build context has a .dockerignore that keeps secrets and clutter out.

What it does
    For a Dockerfile that takes files from its build context (COPY, ADD, RUN bind mounts):
    - no .dockerignore: creates one with what a Go image build never needs — `.git`,
      `.env` files (but `.env.example`), editor and OS files, the Dockerfiles and Compose
      files themselves, build outputs (`bin/`, `dist/`, test binaries, coverage profiles);
    - a .dockerignore that lets `.git` or `.env` through: appends those entries.
    An entry is written only when it changes what the build takes in, and never when it
    would take away something a build needs:
    - a source must take in a name the entry is there for: `COPY . .` takes in everything,
      `COPY *.yaml ./` a `compose.yaml`, `COPY go.mod go.sum ./`, `COPY cmd/ cmd/` or
      `COPY *.go ./` nothing an entry is for. When no entry is left nothing is written:
      BuildKit sends only the paths the Dockerfile names, so the file would change nothing;
    - it must not match what a Dockerfile reading the same .dockerignore takes from the
      context (all of the repository's Dockerfiles built from that context, and those a
      build dockerfix could not read may build from it), a path CI puts into the context
      before building (downloaded artifacts), or a `bin/` or `dist/` the context commits
      (its .gitignore does not ignore it). A source with a variable is known up to it:
      `dist/$TARGETOS/app` keeps `dist/`, `${SRC}` keeps everything;
    - `.git` stays when the build uses it: a RUN reads the repository (`git describe`,
      `git rev-parse`, `-buildvcs=true`; git commands after a `git clone` in the same RUN
      are taken to work in the clone), `go build` stamps version-control data (the default
      where git is in the stage — golang's Debian images, or a RUN installs it — and the
      stage copied the whole context; `-buildvcs=false` or GOFLAGS turn it off), or a
      Makefile, script, goreleaser file or CI step stamps it.
    An ignore file dockerfix cannot read as UTF-8 text — a directory named .dockerignore, a
    UTF-16 or otherwise not UTF-8 file, one it may not read, a symbolic link to nothing — is
    reported, with what is wrong with it, and never rewritten or added to.
    The file written is the one the builds read: a `<Dockerfile>.dockerignore` beside the
    Dockerfile when it exists (BuildKit reads it first), else the .dockerignore of the
    context the repository's builds (CI, Compose, bake, Makefiles, scripts) use, when that
    is one directory of the repository. Nothing is written when those builds read none
    (goreleaser builds from a directory of its own), several, or one CI makes; nor, when
    nothing in the repository builds the Dockerfile, for a directory where a source is
    missing and is no build output (a template directory, a Dockerfile built from another
    directory): nothing builds it there. With --context the context given is the one used.
    Outside a repository the Dockerfiles beside it at the top of the context are taken to
    share its .dockerignore.

Why
    Without it `COPY . .` puts the whole repository into the image: `.git` (history, and
    sometimes tokens in its config), `.env` files with real credentials, binaries built on
    the host. Every change to any of them also invalidates the layer cache.

Example
    (no .dockerignore, Dockerfile has `COPY . .`)
    ->
    a new .dockerignore starting with `.git`, `.env`, `.env.*`, `!.env.example`, …

Fix safety
    Safe: an entry that matches anything a Dockerfile reading the file takes from the
    context is left out, and an existing file only gains lines; a Dockerfile BuildKit
    rejects builds nothing and is not asked. Unsafe when a build of the repository reads
    the file for a Dockerfile that is not there to read (one the build writes): what it
    needs is not known. Report-only when the ignore file cannot be read: what it says is not
    known. Only with a build context (not on standard input). In diff mode the
    new file shows as a diff from /dev/null; `--write` creates it; `--check` counts it.
"""
from __future__ import annotations

import os
import posixpath
from fnmatch import fnmatchcase
from functools import lru_cache

from ..context.dockerignore import ignore_file_problem, is_ignored, parse_dockerignore
from ..lazy_regex import lazy_regex
from ..records import record
from ..syntax.errors import DockerfileError
from ..syntax.parser import parse
from .base import MIXED, SAFE, UNSAFE, Checker, FileChange, Rule
from .images import parse_image
from .semantic import SemanticIndex

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
GO_VERSION_TAG = lazy_regex(r"(\d+)\.(\d+)")
PACKAGE_MANAGERS = frozenset({"apk", "apt-get", "apt", "yum", "dnf", "microdnf"})
EXPLICIT_CONTEXT = "--context"  # the `how` of a context the user named: it is not second-guessed
HEADER = "# Written by dockerfix: what the image build does not need."
NAMES_OF_ENTRIES = {  # the names each entry is there for: what a source must be able to take in
    ".git": (".git",), ".env": (".env",), ".env.*": (".env.local", ".env.production", ".env.development"),
    ".env.example": (".env.example",), ".idea": (".idea",), ".vscode": (".vscode",), "*.swp": (".main.go.swp",),
    ".DS_Store": (".DS_Store",), "Dockerfile*": ("Dockerfile", "Dockerfile.dev"), "*.Dockerfile": ("dev.Dockerfile",),
    ".dockerignore": (".dockerignore",), "docker-compose*.yml": ("docker-compose.yml", "docker-compose.override.yml"),
    "docker-compose*.yaml": ("docker-compose.yaml",), "compose*.yml": ("compose.yml",),
    "compose*.yaml": ("compose.yaml", "compose.override.yaml"), "bin": ("bin",), "dist": ("dist",),
    "*.test": ("server.test",), "coverage.out": ("coverage.out",), "*.coverprofile": ("unit.coverprofile",),
}


def check(checker: Checker):
    tree, context = checker.tree, checker.context
    if context is None or not _context_reads(tree):
        return
    found = _context_the_builds_read(context, tree)
    if found is None:
        return
    context, built_by = found
    project, readers = context.project, _readers(context, tree)
    reach = tuple(dict.fromkeys(source for _, each in readers.trees for source in _context_reads(each)))
    git_uses = [f"{_name(project, name)}:{line}: {what}" for name, each in readers.trees + readers.maybe
                for line, what in _git_uses(_index_of(checker, each))]
    stamping = project.vcs_stamping if project is not None else ()
    kept = reach + tuple(source for _, each in readers.maybe for source in _context_reads(each)) \
        + _committed_output_directories(context) + _artifact_paths(context, [name for name, _ in readers.trees])
    if git_uses or stamping:
        kept += (".git",)
    evidence = (*built_by, *git_uses[:3], *(f"the build stamps version-control data: {line}" for line in stamping[:3]),
                *_readers_evidence(project, readers))
    problem = ignore_file_problem(context.dockerignore_path)
    if problem:
        yield from _unusable(checker, tree, context.dockerignore_path, problem, kept, reach, evidence)
        return
    text = context.dockerignore_text
    change = plan(context.dockerignore_path, text, kept, reach)
    if change is None:
        return
    message = _message(change, reach)
    if ".git" in kept and text is None and any(_reaches(".git", source) for source in reach):
        message += " (.git is kept: the build uses it)"
    node = _first_reader(tree, _written(change))
    if readers.unknown:
        yield checker.report(RULE, node, message, files=(change,), applicability=UNSAFE, evidence=evidence,
                             reason=f"the repository also builds {_names(project, readers.unknown)} from this "
                                    "context, and it is not there to read: what it takes from the context is not "
                                    "known")
        return
    yield checker.report(RULE, node, message, files=(change,), applicability=SAFE, evidence=evidence)


def _unusable(checker: Checker, tree, path: str, problem: str, kept: tuple[str, ...], reach: tuple[str, ...],
              evidence: tuple[str, ...]):
    """The finding for an ignore file dockerfix cannot read (a directory, UTF-16, unreadable):
    report-only, when a new file there would have entries worth writing."""
    wanted = plan(path, None, kept, reach)
    if wanted is None:
        return
    name = os.path.basename(path)
    yield checker.report(RULE, _first_reader(tree, _written(wanted)),
                         f"{name} cannot be read, so what it keeps out of the build is not known",
                         reason=f"{problem}; dockerfix does not rewrite or add to an ignore file it cannot read as "
                                "UTF-8 text", evidence=(f"{name}: {problem}", *evidence))


# --- Which ignore file, read by which Dockerfiles ----------------------------------------------

def _context_the_builds_read(context, tree) -> tuple[object, tuple[str, ...]] | None:
    """The context whose .dockerignore the Dockerfile's builds read, with evidence when it is
    not the one dockerfix found; None when no build reads one there (goreleaser builds from a
    directory of its own; several other contexts; a directory where its sources are not)."""
    project, dockerfile = context.project, context.dockerfile
    if context.how == EXPLICIT_CONTEXT:
        return context, ()
    if project is not None and dockerfile is not None and project.builds_of(dockerfile):
        files = project.ignore_files_of(dockerfile)
        if context.dockerignore_path in files:
            return context, ()
        if len(files) != 1 or os.path.basename(files[0]) != ".dockerignore":
            return None
        root = os.path.dirname(files[0])
        theirs = context.at(root)
        if not theirs.exists("."):
            return None  # a directory CI makes (`mkdir ctx && mv bin/* ctx`): nothing of the repository's
        sources = [build.source for build in project.builds_of(dockerfile) if build.context == root]
        where = f"the repository builds it from {_name(project, root)}"
        return theirs, (f"{where}: {', '.join(sources[:3])}" if sources else where,)
    if any(_missing(context, source) for source in _checkable_sources(tree)):
        return None  # nothing shows a build from here, and the build would fail here
    return context, ()


def _missing(context, source: str) -> bool:
    """Whether a source is not in the context and is no build output either (under `bin/` or
    `dist/`, or a name the context's .gitignore ignores): a step before the build makes those."""
    if any(char in source for char in "*?["):  # one name with a wildcard: among the top's entries
        if any(fnmatchcase(name, source) for name in (*context.root_files, *context.root_directories)):
            return False
    elif context.exists(source):
        return False
    top = source.split("/", 1)[0]
    return top not in OUTPUT_DIRECTORIES and top not in _gitignored_names(context)


@record(frozen=True)
class _Readers:
    """The Dockerfiles whose builds read one ignore file."""

    trees: tuple[tuple[str | None, object], ...]  # (path, tree) of each, the one checked first
    maybe: tuple[tuple[str, object], ...] = ()     # those a build not understood may build from here
    unknown: tuple[str, ...] = ()                  # named by a build and not there to read
    rejected: tuple[str, ...] = ()                 # BuildKit rejects them: nothing builds them


def _readers(context, tree) -> _Readers:
    """The Dockerfiles reading the context's ignore file: the project's, else those beside."""
    project, path, own = context.project, context.dockerignore_path, ((context.dockerfile, tree),)
    if project is None:
        return _Readers(own + tuple(_readers_beside(context, path)))
    others, unknown, rejected = [], [], []
    present = frozenset(project.dockerfiles())
    for name in project.dockerfiles_using_ignore(path):
        if name == context.dockerfile:
            continue
        parsed = project.parsed_dockerfile(name)
        if parsed is not None:
            others.append((name, parsed))
        else:
            (rejected if name in present else unknown).append(name)
    names = {name for name, _ in others}
    maybe = [(name, parsed) for name in project.unresolved_dockerfiles
             if name != context.dockerfile and name not in names
             for parsed in [project.parsed_dockerfile(name)] if parsed is not None]
    return _Readers(own + tuple(others), tuple(maybe), tuple(unknown), tuple(rejected))


def _readers_evidence(project, readers: _Readers) -> tuple[str, ...]:
    evidence = []
    if len(readers.trees) > 1:
        names = _names(project, [name for name, _ in readers.trees[1:]])
        evidence.append(f"also read by {names}: what they take from the context is kept")
    if readers.maybe:
        names = _names(project, [name for name, _ in readers.maybe])
        evidence.append(f"what {names} take from a context is kept: a build the repository runs may build them "
                        f"from here ({project.unresolved[0]})")
    if readers.rejected:
        evidence.append(f"{_names(project, list(readers.rejected))}: BuildKit rejects it, so no build reads the "
                        "file for it")
    return tuple(evidence)


def _readers_beside(context, path: str) -> list[tuple[str, object]]:
    """Outside a repository: the other Dockerfiles at the top of the context, as discovery
    would give them this context (those BuildKit rejects build nothing)."""
    if path != os.path.join(context.root, ".dockerignore"):
        return []  # `<Dockerfile>.dockerignore`: read for that Dockerfile alone
    found = []
    for name, text in context.dockerfiles_beside.items():
        try:
            found.append((name, parse(text or "")))
        except DockerfileError:  # an empty text too: no instructions
            continue
    return found


def _name(project, path: str | None) -> str:
    if path is None:
        return "Dockerfile"
    return os.path.relpath(path, project.root) if project is not None else os.path.basename(path)


def _names(project, paths: list[str]) -> str:
    return ", ".join(_name(project, path) for path in paths[:3]) + (", …" if len(paths) > 3 else "")


# --- What a Dockerfile takes from the context ---------------------------------------------------

def _context_reads(tree) -> tuple[str, ...]:
    """The paths the build takes from the context: COPY and ADD sources, and the sources of
    RUN bind mounts (the context's root when none is named)."""
    return tuple(source for node in tree.instructions for source in _context_reads_of(node))


def _context_reads_of(node) -> list[str]:
    if node.keyword in ("COPY", "ADD") and not node.flag_values("from") and not node.heredocs:
        return [source for source in node.values[:-1] if "://" not in source and not source.startswith("git@")]
    return _bind_sources(node) if node.keyword == "RUN" and node.flags else []


def _bind_sources(node) -> list[str]:
    found = []
    for mount in node.flag_values("mount"):
        options = dict(part.partition("=")[::2] for part in mount.split(","))
        if options.get("type", "bind") == "bind" and not options.get("from"):  # bind is the default type
            found.append(options.get("source") or options.get("src") or ".")
    return found


def _first_reader(tree, entries: list[str]):
    """The first instruction that takes in something the entries leave out; else the first
    that reads the context at all (the change is for another Dockerfile's sake)."""
    readers = [(node, _context_reads_of(node)) for node in tree.instructions]
    readers = [(node, sources) for node, sources in readers if sources]
    return next((node for node, sources in readers
                 if any(_reaches(entry, source) for entry in entries for source in sources)), readers[0][0])


def _checkable_sources(tree) -> list[str]:
    """The sources whose presence can be checked, relative to the context: those without a
    variable, and with a wildcard only in a name at the top (`package*.json`, not `cmd/*/`)."""
    found = []
    for source in _context_reads(tree):
        path = posixpath.normpath(source.lstrip("/") or ".")
        wild = any(char in path for char in "*?[")
        if "$" not in path and "\\" not in path and not (wild and "/" in path):
            found.append(path)
    return found


def _committed_output_directories(context) -> tuple[str, ...]:
    """`bin` and `dist` when the context has them and its .gitignore does not ignore them:
    then they are the repository's own (scripts, checked-in assets), not build outputs, and a
    .dockerignore must not take them from a `COPY . .`."""
    found = tuple(name for name in OUTPUT_DIRECTORIES if name in context.root_directories)
    if not found:
        return ()
    ignored = _gitignored_names(context)
    return tuple(name for name in found if name not in ignored)


def _gitignored_names(context) -> set[str]:
    """The names the context's .gitignore ignores as whole entries (`bin/`, `/dist`, `out/*`)."""
    return {line.strip().strip("/").removesuffix("/*").removesuffix("/**")
            for line in (context.gitignore_text or "").splitlines()}


def _artifact_paths(context, other_dockerfiles: list[str]) -> tuple[str, ...]:
    """What CI puts into this context before building (downloaded artifacts), relative to it."""
    project = context.project
    if project is None:
        return ()
    found = []
    for dockerfile in (context.dockerfile, *other_dockerfiles):
        for path in project.artifact_paths(dockerfile) if dockerfile else ():
            if path.startswith(context.root.rstrip(os.sep) + os.sep):
                found.append(os.path.relpath(path, context.root).replace(os.sep, "/"))
    return tuple(dict.fromkeys(found))


# --- Whether the build reads .git -----------------------------------------------------------------

def _index_of(checker: Checker, tree) -> SemanticIndex:
    """The checker's index for its own tree; for another Dockerfile's, an index of its own."""
    return checker.index if tree is checker.tree else SemanticIndex(tree)


def _git_uses(index: SemanticIndex) -> list[tuple[int, str]]:
    """(line, what) for each RUN that needs the repository's .git: git commands that read it,
    `-buildvcs=true`, and `go build` stamping version-control data with git in its stage."""
    tree = index.tree
    if not _context_reads(tree):
        return []
    found = [(node.start_line, "a RUN reads the repository with git") for node in tree.instructions
             if node.keyword == "RUN" and _reads_repository(node)]
    lines = {line for line, _ in found}
    return found + [(line, what) for line, what in _stamping_go_builds(index) if line not in lines]


def _stamping_go_builds(index: SemanticIndex) -> list[tuple[int, str]]:
    """The `go build`/`go install` commands that stamp version-control data (-buildvcs, on by
    default when git is there) in a stage whose files include the context's .git."""
    found = []
    for stage in index.stages:
        chain = index.chain(stage)
        git = None
        for build in index.go_builds(stage):
            setting = _buildvcs(build)
            if setting is False or _installs_a_module(build):
                continue
            if not (_takes_git(chain) or any(_reaches(".git", source) for source in _bind_sources(build.instruction))):
                continue
            if setting is None:
                git = git if git is not None else _has_git(index, chain)
                if not git:
                    continue
                found.append((build.instruction.start_line, f"`go build` stamps version-control data ({git})"))
            else:
                found.append((build.instruction.start_line, "`go build -buildvcs=true` needs the repository"))
    return found


def _buildvcs(build) -> bool | None:
    """True or False when the command or GOFLAGS set -buildvcs; None for the default, `auto`."""
    flag = build.value_of("buildvcs")
    if flag is not None:
        word, prefix, value = flag
        return True if not prefix else {"true": True, "false": False, "1": True, "0": False}.get(value.lower())
    for word in build.environment.get("GOFLAGS", "").split():
        if word in ("-buildvcs", "-buildvcs=true"):
            return True
        if word == "-buildvcs=false":
            return False
    return None


def _installs_a_module(build) -> bool:
    """`go install example.com/tool@v1`: built in the module cache, away from the repository."""
    words = [word.value for word in build.command.words]
    after = words[words.index(build.subcommand.value) + 1:] if build.subcommand.value in words else words
    return any("@" in word and not word.startswith("-") for word in after)


def _takes_git(chain) -> bool:
    return any(node.keyword in ("COPY", "ADD") and not node.flag_values("from") and not node.heredocs
               and any(_reaches(".git", source) for source in node.values[:-1])
               for stage in chain for node in stage.instructions)


def _has_git(index: SemanticIndex, chain) -> str:
    """Why git is in the stage ("git is in golang:1.22"), or "" when nothing says it is."""
    image = parse_image(chain[-1].base)
    tag = image.tag.lower()
    version = GO_VERSION_TAG.match(tag)
    if image.name == "golang" and version and (int(version.group(1)), int(version.group(2))) < (1, 18):
        return ""  # Go stamps version-control data from 1.18 on
    if image.name == "golang" and "alpine" not in tag and "nanoserver" not in tag:
        return f"git is in {image.text}"
    for stage in chain:
        for node in stage.instructions:
            script = index.shell_view(node) if node.keyword == "RUN" else None
            for command in script.commands if script is not None else ():
                if command.name in PACKAGE_MANAGERS and "git" in command.argv[1:]:
                    return f"line {node.start_line} installs git"
    return ""


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


# --- The ignore file ------------------------------------------------------------------------------

@lru_cache(maxsize=256)
def plan(path: str, text: str | None, kept: tuple[str, ...], reach: tuple[str, ...]) -> FileChange | None:
    """The change to the ignore file at `path`: entries that leave out something a source in
    `reach` takes in and none of the paths in `kept`. None when no entry is worth writing (the
    same question comes back in every pass of the fix loop, hence the cache)."""
    if text is None:
        after = _new_file(kept, reach)
        if after is None:
            return None
    else:
        patterns = parse_dockerignore(text)
        missing = [entry for entry in SENSITIVE if not is_ignored(patterns, entry) and _worth(entry, kept, reach)]
        if not missing:
            return None
        newline = "\r\n" if "\r\n" in text else "\n"
        separator = "" if not text or text.endswith("\n") else newline
        after = text + separator + newline.join(["# Added by dockerfix: secrets stay out of the build", *missing]) \
            + newline
    if after == text:
        return None
    return FileChange(path, text, after, merge=_Replan(kept, reach))


@lru_cache(maxsize=256)
def _new_file(kept: tuple[str, ...], reach: tuple[str, ...]) -> str | None:
    """A new ignore file with the entries worth writing; None when there are none."""
    lines, written = [HEADER], False
    for group in GO_BUILD_ENTRIES:
        entries = [entry for entry in group[1:] if entry.startswith("!") or _worth(entry, kept, reach)]
        if ".env.*" not in entries:
            entries = [entry for entry in entries if entry != "!.env.example"]
        if entries:
            lines += ["", group[0], *entries]
            written = True
    return "\n".join(lines) + "\n" if written else None


@record(frozen=True)
class _Replan:
    """Merges two plans for one ignore file: plan again from the original text, leaving out
    nothing that either Dockerfile takes from the context."""

    kept: tuple[str, ...]
    reach: tuple[str, ...]

    def __call__(self, first: FileChange, second: FileChange) -> FileChange:
        theirs = second.merge if isinstance(second.merge, _Replan) else _Replan((), ())
        merged = plan(first.path, first.before, tuple(dict.fromkeys(self.kept + theirs.kept)),
                      tuple(dict.fromkeys(self.reach + theirs.reach)))
        return merged if merged is not None else FileChange(first.path, first.before, first.before or "")


def _worth(entry: str, kept: tuple[str, ...], reach: tuple[str, ...]) -> bool:
    """Whether the entry leaves out something a source takes in, and nothing that is kept."""
    return not _hides_any(entry, kept) and any(_reaches(entry, source) for source in reach)


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
    if "$" in path:  # a variable may be anything from there on: what it may be is what counts
        return _reaches(entry, source)
    patterns = parse_dockerignore(entry)
    return is_ignored(patterns, path) or is_ignored(patterns, path + "/x")


@lru_cache(maxsize=4096)
def _reaches(entry: str, source: str) -> bool:
    """Whether copying `source` takes in a name the entry is there for (`COPY *.go ./` takes
    in no `compose.yaml`, though `Dockerfile.go` would match both): the source is the whole
    context, or its first name can be one of the entry's names. A variable may be anything
    from where it starts, a `/` included: `dist/$OS/app` is `dist/*`."""
    path = posixpath.normpath(source.lstrip("/") or ".")
    if path == "." or path.startswith(".."):
        return True
    first = path.split("/", 1)[0]
    if "$" in first:
        first = first[:first.index("$")] + "*"
    return any(fnmatchcase(name, first) for name in NAMES_OF_ENTRIES[entry.lstrip("!").rstrip("/")])


def _message(change: FileChange, reach: tuple[str, ...]) -> str:
    if change.before is not None:
        return f"{os.path.basename(change.path)} lets {_missing_names(change)} into the build"
    entries = _written(change)
    if {".git", ".env"} & set(entries):
        return "the build context has no .dockerignore: .git, .env files and build outputs go into the build"
    sources = ", ".join(f"`{source}`" for source in reach if any(_reaches(entry, source) for entry in entries))
    return f"the build context has no .dockerignore: {sources} takes in what the image does not need " \
           f"({', '.join(entries)})"


def _written(change: FileChange) -> list[str]:
    """The entries the change adds (not its comments and exceptions)."""
    added = change.after[len(change.before or ""):]
    return [line for line in added.splitlines() if line and not line.startswith(("#", "!"))]


def _missing_names(change: FileChange) -> str:
    added = change.after[len(change.before or ""):].split()
    return " and ".join(entry for entry in SENSITIVE if entry in added)


RULE = Rule(id="DF020", name="dockerignore", summary="the build context has a .dockerignore that keeps secrets out",
            check=check, doc=__doc__, fix_safety=MIXED, severity="warning", security_severity=4.0)
