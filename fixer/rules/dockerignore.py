"""dockerignore (DF020): the build context has a .dockerignore that keeps secrets and clutter out.

What it does
    For a Dockerfile that takes files from its build context (COPY, ADD, RUN bind mounts):
    - no .dockerignore: creates one with what an image build never needs — `.git`, `.env`
      files (but `.env.example`), editor and OS files, the Dockerfiles and Compose files
      themselves, build outputs (`bin/`, `dist/`, test binaries, coverage profiles), and
      `node_modules/` where a build installs the packages of the context's package.json;
    - a .dockerignore that lets `.git` or `.env` through: appends those entries.
    An entry is written only with evidence that the build is better without it, and never
    when it would take away something a build needs:
    - a source must take in a name the entry is there for: `COPY . .` takes in everything,
      `COPY *.yaml ./` a `compose.yaml`, `COPY go.mod go.sum ./`, `COPY cmd/ cmd/` or
      `COPY *.go ./` nothing an entry is for. When no entry is left nothing is written:
      BuildKit sends only the paths the Dockerfile names, so the file would change nothing.
      Nor is a new file written for test outputs alone (`*.test`, coverage profiles: where
      git runs in the build only what git ignores may go, and these are seldom there);
    - it must not match what a Dockerfile reading the same .dockerignore takes from the
      context (all of the repository's Dockerfiles built from that context, and those a
      build dockerfix could not read may build from it), a path CI puts into the context
      before building (downloaded artifacts), or a `bin/` or `dist/` the context commits
      (its .gitignore does not ignore it). A source with a variable is known up to it:
      `dist/$TARGETOS/app` keeps `dist/`, `${SRC}` keeps everything. Template Dockerfiles
      (`*.tmpl`, `*.template`, files under a `templates/` directory) that no build names
      read no context, and get no .dockerignore themselves;
    - a context below the repository's root (a service's folder) gets a new file only where
      an entry leaves out something it holds, `.env` files are a convention there, or a
      build installs its packages: editors, OS files and build outputs gather at the top of
      a repository, and a file of entries that match nothing there is noise;
    - `.env` entries only where `.env` files are a convention of the context: the
      repository's .gitignore ignores its `.env`, it holds a `.env` or `.env.example`, a
      Compose file there loads one (`env_file`), or its packages or Go code load them
      (dotenv). Elsewhere a `.env` line guards against nothing. No entry leaves out a file
      the repository commits, which is configuration the program may read: no `.env` where
      `.env` is committed, no `.env.*` where `.env.production` is (a file git does not
      ignore counts as committed unless git says it does not track it). Next.js and Vite
      builds read the `.env` and `.env.production` those projects commit, so their packages
      are no evidence. No `.env` entry where the final image copies the whole context in and
      its program reads a `.env` (godotenv, a `".env"` path in its code): the program would
      find none at run time;
    - `.git` only where the context holds one (a directory below the repository root does
      not), and it stays when git runs in the image build: a RUN reads the repository (`git
      describe`, `git rev-parse`, `-buildvcs=true`; git commands after a `git clone` in the
      same RUN are taken to work in the clone), `go build` stamps version-control data (the
      default where git is in the stage — golang's Debian images, or a RUN installs it — and
      the stage has the whole context; `-buildvcs=false` or GOFLAGS turn it off), or a RUN
      runs the repository's build files (`make`, a script, `go run build.go`) where git may
      be, or that stamp version data. Git run where the repository is — CI steps, release
      scripts, `docker build --build-arg VERSION=$(git describe)` — needs no .git in the
      context;
    - where .git stays, only what git ignores: git in the build sees a tracked file the
      context leaves out as deleted, and `git describe --dirty` (or Go's `vcs.modified`)
      makes every version a dirty one. So no Dockerfiles, Compose files or .dockerignore
      there, nor editor settings the repository tracks.
    An ignore file dockerfix cannot read as UTF-8 text — a directory named .dockerignore, a
    UTF-16 or otherwise not UTF-8 file, one it may not read, a symbolic link to nothing — is
    reported, with what is wrong with it, and never rewritten or added to.
    The file written is the one the builds read: a `<Dockerfile>.dockerignore` beside the
    Dockerfile when it exists (BuildKit reads it first), else the .dockerignore of the
    context the repository's builds (CI, Compose, bake, Makefiles, scripts) use, when that
    is one directory of the repository. Nothing is written when those builds read none
    (goreleaser builds from a directory of its own), several, or one CI makes; when the
    repository's .gitignore ignores the file (it never leaves that machine); nor, when
    nothing in the repository builds the Dockerfile, for a directory where a source is
    missing and is no build output (a template directory, a Dockerfile built from another
    directory): nothing builds it there. With --context the context given is the one used.
    Outside a repository the Dockerfiles beside it at the top of the context are taken to
    share its .dockerignore, and its own .gitignore is the one asked.

Why
    Without it `COPY . .` puts the whole repository into the image: `.git` (history, and
    sometimes tokens in its config), `.env` files with real credentials, binaries built on
    the host. Every change to any of them also invalidates the layer cache.

Example
    (no .dockerignore, Dockerfile has `COPY . .`)
    ->
    a new .dockerignore starting with `.git`, `.idea`, `.vscode`, … (and `.env`, `.env.*`,
    `!.env.example` where the .gitignore ignores `.env`)

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

from ..context.dockerignore import (
    compose_env_files,
    env_loading_packages,
    ignore_file_problem,
    is_ignored,
    parse_dockerignore,
)
from ..context.gitignore import git_tracks, repository_ignores
from ..context.project import GO_BUILD_SCRIPTS, GORELEASER_NAMES
from ..files import is_dockerfile_name
from ..lazy_regex import lazy_regex
from ..records import record
from ..syntax.edits import text_with_lines
from ..syntax.errors import DockerfileError
from ..syntax.parser import parse
from ..syntax.shell import lex_script
from ._support.gobuild import stage_go_builds
from ._support.images import ALPINE, DISTROLESS, GOLANG, SCRATCH, WINDOWS, family
from ._support.runtime_program import package_arguments, runtime_program
from ._support.shipped import base_image
from .base import MIXED, SAFE, UNSAFE, Checker, FileChange, Rule
from .semantic import SemanticIndex

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; type checkers take it as true
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..context import BuildContext
    from ..syntax.tree import Dockerfile

ENTRY_GROUPS = (
    ("# Version control, secrets, editors and OS files", ".git", ".env", ".env.*", "!.env.example", ".idea",
     ".vscode", "*.swp", ".DS_Store"),
    ("# How the image is built and run, not what goes in it", "Dockerfile*", "*.Dockerfile", ".dockerignore",
     "docker-compose*.yml", "docker-compose*.yaml", "compose*.yml", "compose*.yaml"),
    ("# Build outputs", "bin/", "dist/", "*.test", "coverage.out", "*.coverprofile"),
    ("# Packages installed on the host", "node_modules/"),
)
SENSITIVE = (".git", ".env")
TEST_OUTPUTS = frozenset({"*.test", "coverage.out", "*.coverprofile"})
ENV_ENTRIES = frozenset({".env", ".env.*", "!.env.example"})
ENV_FILE = lazy_regex(r"\.env(\..+)?")
ENV_TEMPLATES = frozenset({".env.example", ".env.sample", ".env.template", ".env.dist", ".env.defaults"})
TRACKED_ENTRIES = frozenset(ENTRY_GROUPS[1][1:])  # the repository's own files: git tracks them
EXCEPTIONS = {".env.*": ("!.env.example",)}       # what an entry's group lets back in
DIRECTORY_ENTRIES = frozenset({".git", ".idea", ".vscode", "bin", "dist", "node_modules"})
OUTPUT_DIRECTORIES = ("bin", "dist")  # the build outputs of ENTRY_GROUPS that are directories
GIT_COMMAND = lazy_regex(r"(?:^|[;&|(`\n]|\$\()[ \t]*git[ \t]+([^;&|)\n`]*)")  # git in command position
GIT_WITHOUT_REPOSITORY = frozenset({"clone", "init", "ls-remote", "version", "help"})
BUILDVCS_ON = lazy_regex(r"-buildvcs(?:=true)?(?![=\w-])")
GO_VERSION_TAG = lazy_regex(r"(\d+)\.(\d+)")
PACKAGE_MANAGERS = frozenset({"apk", "apt-get", "apt", "yum", "dnf", "microdnf"})
SUBSTITUTED_SCRIPT = lazy_regex(r"(?:\$\(|`)[ \t]*((?:\.{1,2}/|[\w-]+/)[\w./-]*|[\w./-]+\.sh)(?=[\s)`])")
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
NODE_INSTALLS = {"npm": ("ci", "install", "i"), "yarn": ("", "install"), "pnpm": ("install", "i"),
                 "bun": ("install", "i")}
GO_DOTENV_PACKAGES = ("github.com/joho/godotenv", "github.com/joho/godotenv/autoload", "github.com/subosito/gotenv")
TEMPLATE_SUFFIXES = (".tmpl", ".template", ".tpl")
TEMPLATE_DIRECTORY = "templates"
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
    "node_modules": ("node_modules",),
}


def check(checker: Checker):
    tree, context = checker.tree, checker.context
    if context is None or not _context_reads(tree) or _is_template(context.project, context.dockerfile):
        return
    found = _context_the_builds_read(context, tree)
    if found is None:
        return
    context, built_by = found
    if _git_ignores_the_file(context):
        return  # a file git ignores stays on this machine: the repository's builds never read it
    project, readers = context.project, _readers(context, tree)
    reach = tuple(dict.fromkeys(source for _, each in readers.trees for source in _context_reads(each)))
    git_uses = [f"{_name(project, name)}:{line}: {what}" for name, each in readers.trees + readers.maybe
                for line, what in _git_uses(_index_of(checker, each))]
    stamping = _stamps_the_build_runs(checker, context, readers)
    kept = reach + tuple(source for _, each in readers.maybe for source in _context_reads(each)) \
        + _committed_output_directories(context) + _artifact_paths(context, [name for name, _ in readers.trees])
    if git_uses or stamping:
        kept += (".git",)
    offered, why, conventional = _offered(checker, context, readers, _hides_any(".git", kept),
                                          _env_the_image_reads(checker, context))
    evidence = (*built_by, *git_uses[:3], *stamping[:3], *_readers_evidence(project, readers), *why)
    problem = ignore_file_problem(context.dockerignore_path)
    if problem:
        yield from _unusable(checker, tree, context.dockerignore_path, problem, (kept, reach, offered), evidence)
        return
    text = context.dockerignore_text
    change = plan(context.dockerignore_path, text, kept, reach, offered)
    if change is None:
        return
    if text is None and not conventional and _below_the_root(context) \
            and not _leaves_out_what_is_there(context, _written(change)):
        return  # editors, OS files and build outputs gather at a repository's top, not in its folders
    message = _message(change, reach)
    if ".git" in kept and text is None and _may_hold_git(context) and any(_reaches(".git", source) for source in reach):
        message += " (.git is kept: the build uses it)"
    node = _first_reader(tree, _written(change))
    if readers.unknown:
        yield checker.report(RULE, node, message, files=(change,), applicability=UNSAFE, evidence=evidence,
                             reason=f"the repository also builds {_names(project, readers.unknown)} from this "
                                    "context, and it is not there to read: what it takes from the context is not "
                                    "known")
        return
    yield checker.report(RULE, node, message, files=(change,), applicability=SAFE, evidence=evidence)


def _unusable(checker: Checker, tree, path: str, problem: str, planned: tuple, evidence: tuple[str, ...]):
    """The finding for an ignore file dockerfix cannot read (a directory, UTF-16, unreadable):
    report-only, when a new file there would have entries worth writing (`planned`: what
    `plan` is given besides the path and the text)."""
    wanted = plan(path, None, *planned)
    if wanted is None:
        return
    name = os.path.basename(path)
    yield checker.report(RULE, _first_reader(tree, _written(wanted)),
                         f"{name} cannot be read, so what it keeps out of the build is not known",
                         reason=f"{problem}; dockerfix does not rewrite or add to an ignore file it cannot read as "
                                "UTF-8 text", evidence=(f"{name}: {problem}", *evidence))


# --- Which ignore file, read by which Dockerfiles ----------------------------------------------

def _context_the_builds_read(context, tree) -> tuple[BuildContext, tuple[str, ...]] | None:
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

    trees: tuple[tuple[str | None, Dockerfile], ...]  # (path, tree) of each, the one checked first
    maybe: tuple[tuple[str, Dockerfile], ...] = ()    # those a build not understood may build from here
    unknown: tuple[str, ...] = ()                     # named by a build and not there to read
    rejected: tuple[str, ...] = ()                    # BuildKit rejects them: nothing builds them


def _readers(context, tree) -> _Readers:
    """The Dockerfiles reading the context's ignore file: the project's, else those beside."""
    project, path, own = context.project, context.dockerignore_path, ((context.dockerfile, tree),)
    if project is None:
        return _Readers(own + tuple(_readers_beside(context, path)))
    others: list[tuple[str, Dockerfile]] = []
    unknown: list[str] = []
    rejected: list[str] = []
    present = frozenset(project.dockerfiles())
    for name in project.dockerfiles_using_ignore(path):
        if name == context.dockerfile or _is_template(project, name):
            continue
        parsed = project.parsed_dockerfile(name)
        if parsed is not None:
            others.append((name, parsed))
        else:
            (rejected if name in present else unknown).append(name)
    names = {name for name, _ in others}
    maybe = [(name, parsed) for name in project.unresolved_dockerfiles
             if name != context.dockerfile and name not in names and not _is_template(project, name)
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


def _readers_beside(context, path: str) -> list[tuple[str, Dockerfile]]:
    """Outside a repository: the other Dockerfiles at the top of the context, as discovery
    would give them this context (those BuildKit rejects build nothing)."""
    if path != os.path.join(context.root, ".dockerignore"):
        return []  # `<Dockerfile>.dockerignore`: read for that Dockerfile alone
    found = []
    for name, text in context.dockerfiles_beside.items():
        if _is_template(None, name):
            continue
        try:
            found.append((name, parse(text or "")))
        except DockerfileError:  # an empty text too: no instructions
            continue
    return found


def _is_template(project, dockerfile: str | None) -> bool:
    """Whether the Dockerfile is a template that no build of the repository names: a
    `Dockerfile.tmpl` or `.template`, or a file under a `templates/` directory of the
    repository (scaffolding a tool writes out for its users). It reads no context here."""
    if dockerfile is None or project is not None and project.builds_of(dockerfile):
        return False
    if os.path.basename(dockerfile).endswith(TEMPLATE_SUFFIXES):
        return True
    if project is None:
        return False
    return TEMPLATE_DIRECTORY in os.path.relpath(os.path.dirname(dockerfile), project.root).split(os.sep)


def _git_ignores_the_file(context) -> bool:
    """Whether the repository's .gitignore files ignore the ignore file itself: then it is a
    file of one machine, never committed, and neither CI nor anyone else builds with it."""
    path, project = context.dockerignore_path, context.project
    ignores = repository_ignores(os.path.dirname(path), project.root if project is not None else None)
    return ignores.ignores(os.path.basename(path)).ignored


def _name(project, path: str | None) -> str:
    if path is None:
        return "Dockerfile"
    return os.path.relpath(path, project.root) if project is not None else os.path.basename(path)


def _names(project, paths: Sequence[str | None]) -> str:
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


def _artifact_paths(context, other_dockerfiles: list[str | None]) -> tuple[str, ...]:
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
    found += [(line, what) for line, what in _stamping_go_builds(index) if line not in {line for line, _ in found}]
    return found + [(line, what) for line, what in _stamping_build_file_runs(index)
                    if line not in {line for line, _ in found}]


def _stamping_go_builds(index: SemanticIndex) -> list[tuple[int, str]]:
    """The `go build`/`go install` commands that stamp version-control data (-buildvcs, on by
    default when git is there) in a stage whose files include the context's .git."""
    found = []
    for stage in index.stages:
        chain = index.chain(stage)
        git = None
        for build in _go_builds(index, stage):
            setting = _buildvcs(build)
            if setting is False or _installs_a_module(build) or _builds_files(build):
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


def _go_builds(index: SemanticIndex, stage) -> list:
    """The stage's `go build` commands, those of its heredoc scripts too."""
    builds = list(index.go_builds(stage))
    for node in stage.instructions:
        for script in _heredoc_scripts(node) if node.keyword == "RUN" else ():
            builds += stage_go_builds(stage, index.environment(stage),
                                      lambda each, node=node, script=script: script if each is node else None)
    return builds


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


def _builds_files(build) -> bool:
    """`go build main.go`: a package of files named on the command line, which Go stamps no
    version-control data into."""
    packages = package_arguments(build)
    return bool(packages) and all(word.endswith(".go") for word in packages)


def _takes_git(chain) -> bool:
    return any(node.keyword in ("COPY", "ADD") and not node.flag_values("from") and not node.heredocs
               and any(_reaches(".git", source) for source in node.values[:-1])
               for stage in chain for node in stage.instructions)


def _has_git(index: SemanticIndex, chain) -> str:
    """Why `go build` stamps version-control data in the stage ("git is in golang:1.22"), or ""
    when its image is known to come without git and no RUN installs it, or its Go predates
    stamping."""
    image = base_image(index, chain[0])
    version = GO_VERSION_TAG.match(image.tag.lower())
    if image.name == "golang" and version and (int(version.group(1)), int(version.group(2))) < (1, 18):
        return ""  # Go stamps version-control data from 1.18 on
    return _may_have_git(index, chain)


def _may_have_git(index: SemanticIndex, chain) -> str:
    """Why git may be in the stage ("git is in golang:1.22", "line 3 installs git", "git may be
    in example.com/builder": an image not known to come without it), or ""."""
    installed = _installs_git(index, chain)
    if installed:
        return installed
    image = base_image(index, chain[0])
    kind, tag = family(image), image.tag.lower()
    if kind == GOLANG:
        return "" if "alpine" in tag or "nanoserver" in tag else f"git is in {image.text}"
    if kind in (SCRATCH, DISTROLESS, ALPINE, WINDOWS) or image.name in ("debian", "ubuntu") or "slim" in tag:
        return ""
    return f"git may be in {image.text}"


def _installs_git(index: SemanticIndex, chain) -> str:
    for stage in chain:
        for node in stage.instructions:
            for argv in _commands(index, node) if node.keyword == "RUN" else ():
                if argv and argv[0] in PACKAGE_MANAGERS and "git" in argv[1:]:
                    return f"line {node.start_line} installs git"
    return ""


def _commands(index: SemanticIndex, node) -> list[list[str]]:
    """The argument vectors of a RUN's commands: of its shell form, its exec form, and of its
    heredocs read as scripts (one that is a file's text is read so too: what that finds only
    keeps .git, or installs packages the build has anyway)."""
    script = index.shell_view(node)
    found = [command.argv for command in script.commands] if script is not None \
        else [list(node.values)] if node.json else []
    return found + [command.argv for script in _heredoc_scripts(node) for command in script.commands]


def _heredoc_scripts(node) -> list:
    if not node.heredocs:  # most RUNs
        return []
    scripts = [lex_script(heredoc.content) for heredoc in node.heredocs]
    return [script for script in scripts if not script.opaque]


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


def _stamping_build_file_runs(index: SemanticIndex) -> list[tuple[int, str]]:
    """The RUNs that run the repository's build files (`make`, a script, `go run build.go`) in
    a stage that may have git and whose files include the context's .git: what they run may
    read it (`git describe` in a file a Makefile includes, `go build` stamping), though
    neither the Dockerfile nor the build files dockerfix reads show it."""
    found = []
    for stage in index.stages:
        chain = index.chain(stage)
        for node in stage.instructions:
            runs = _build_files_run(index, node) if node.keyword == "RUN" else []
            if not runs or not (_takes_git(chain) or any(_reaches(".git", source) for source in _bind_sources(node))):
                continue
            git = _may_have_git(index, chain)
            if git:
                found.append((node.start_line, f"{runs[0]} runs the repository's build files where {git}: they "
                                               "may read .git"))
    return found


def _stamps_the_build_runs(checker: Checker, context, readers: _Readers) -> list[str]:
    """Evidence for the version-control stamps (the project's `vcs_stamping`) in the build files
    of the context that a RUN of a Dockerfile reading the ignore file runs: the Makefiles and
    the scripts they may run for `make`, build.go for `go run`, the script a RUN names. Git
    then runs in the image build. Stamps anywhere else (CI steps, scripts run on the host,
    other directories) run where the repository is, and need no .git in the context."""
    project = context.project
    if project is None:
        return []
    runs = [(name, node.start_line, run) for name, each in readers.trees + readers.maybe
            for index in [_index_of(checker, each)] for node in each.instructions if node.keyword == "RUN"
            for run in _build_file_runs(index, node)]
    base = os.path.relpath(context.root, project.root).replace(os.sep, "/")
    prefix = "" if base == "." else base + "/"
    found = []
    for stamp in project.vcs_stamping if runs else ():
        path = stamp.split(":", 1)[0]
        if not path.startswith(prefix):
            continue
        by = next(((name, line, run) for name, line, run in runs if _runs_the_file(run, path[len(prefix):])), None)
        if by is not None:
            found.append(f"the build stamps version-control data: {stamp} ({_name(project, by[0])}:{by[1]} runs "
                         f"{by[2][0]})")
    return found


def _runs_the_file(run: tuple[str, str, str], path: str) -> bool:
    """Whether a build file run (shown, kind, script) may run the file at `path` (relative to the
    context): a Makefile, or a script a Makefile may run, for `make`; build.go or magefile.go
    for `go run` and `mage`; a goreleaser file for `goreleaser`; the script itself."""
    _, kind, script = run
    name = posixpath.basename(path)
    if is_dockerfile_name(name) or name.endswith((".yml", ".yaml")) and name not in GORELEASER_NAMES:
        return False  # a Dockerfile's RUNs are _git_uses; CI steps run where the repository is
    if kind == "make":
        return name not in GO_BUILD_SCRIPTS and name not in GORELEASER_NAMES
    if kind == "go":
        return name in GO_BUILD_SCRIPTS
    if kind == "goreleaser":
        return name in GORELEASER_NAMES
    word = posixpath.normpath(script).lstrip("/")
    return word == path or word.endswith("/" + path) or path.endswith("/" + word)


def _build_files_run(index: SemanticIndex, node) -> list[str]:
    """How a RUN runs the repository's build files (`make build`), as evidence shows it."""
    return [shown for shown, _, _ in _build_file_runs(index, node)]


def _build_file_runs(index: SemanticIndex, node) -> list[tuple[str, str, str]]:
    """(shown, kind, script) for each command of a RUN that runs the repository's build files:
    `make`, `mage`, `goreleaser`, a script (`./build.sh`, `sh hack/build.sh`,
    `$(./hack/version)`), `go run` of local code."""
    found = []
    for argv in _commands(index, node):
        kind, script = _build_file_run(argv) if argv else ("", "")
        if kind:
            found.append((f"`{' '.join(argv[:2])}`", kind, script))
    texts = (node.arguments, *(heredoc.content for heredoc in node.heredocs))
    return found + [(f"`{match.group(1)}`", "script", match.group(1)) for text in texts
                    for match in SUBSTITUTED_SCRIPT.finditer(text)]


def _build_file_run(argv: list[str]) -> tuple[str, str]:
    """(kind, script) when the command runs the repository's build files; ("", "") else."""
    program = posixpath.basename(argv[0])
    if program in ("make", "gmake"):
        return "make", ""
    if program == "mage":
        return "go", ""
    if program == "goreleaser":
        return "goreleaser", ""
    if program == "go":
        targets = [word for word in argv[2:] if not word.startswith("-")]
        local = argv[1:2] == ["run"] and any(word.startswith(".") or word.endswith(".go") for word in targets[:1])
        return ("go", "") if local else ("", "")
    if program in SHELLS:
        words = [word for word in argv[1:] if not word.startswith("-")]
        script = words[0] if words and "-c" not in argv[1:] else ""
        return ("script", script) if _is_a_script(script) else ("", "")
    return ("script", argv[0]) if _is_a_script(argv[0]) else ("", "")


def _is_a_script(word: str) -> bool:
    """A script of the repository: `x.sh`, or a relative path (`./build`, `hack/release`)."""
    return word.endswith(".sh") or ("/" in word and not word.startswith("/") and "$" not in word)


# --- What the ignore file may leave out -----------------------------------------------------------

def _offered(checker: Checker, context, readers: _Readers, git_kept: bool,
             env_read: str) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """The entries the ignore file may get, the evidence for those that need some, and whether
    a convention of the context asks for some (.env files, packages a build installs): the .env
    entries where .env files are a convention of the context, `node_modules/` where a build
    installs the context's packages; and when the build runs git in the repository, only what
    git ignores — a tracked file left out of the context reads as deleted there, and `git
    describe --dirty` or Go's vcs.modified would make every image version a dirty one. No .env
    entry where the image holds the context's files and its program reads a .env (`env_read`)."""
    project = context.project
    ignores = repository_ignores(context.root, project.root if project is not None else None)
    entries, evidence = [entry for group in ENTRY_GROUPS for entry in group[1:]], []
    if not _may_hold_git(context):
        entries.remove(".git")
    if git_kept and not _holds_git(context):
        git_kept = False  # git in the build finds no repository, whatever the file leaves out
    convention = "" if env_read else _env_convention(context, ignores)
    if env_read:
        evidence.append(f"the image holds the context's files and its program reads a .env, which stays: {env_read}")
    if convention:
        evidence.append(f".env files are a convention here: {convention}")
        entries = [entry for entry in entries if entry not in _committed_env_entries(context, ignores)]
    else:
        entries = [entry for entry in entries if entry not in ENV_ENTRIES]
    installs = _installs_node_packages(checker, context, readers)
    if installs:
        evidence.append(installs)
    else:
        entries.remove("node_modules/")
    if git_kept:
        entries = [entry for entry in entries if entry.startswith("!") or _untracked(context, ignores, entry)]
        evidence.append("the build runs git in the repository: only what git ignores is left out (a tracked file "
                        "left out reads as deleted, and the version as dirty)")
    return tuple(entries), tuple(evidence), bool(convention or installs)


def _env_the_image_reads(checker: Checker, context) -> str:
    """Why the final image needs the context's .env (a fact of its program), or "": it copies
    the whole context in (`COPY . .`, `ADD . /app`) and the program it runs reads a .env. When
    the program is not known, importing a dotenv package anywhere in the context counts."""
    index = checker.index
    final = index.final_stage
    if final is None or not any(node.keyword in ("COPY", "ADD") and not node.flag_values("from")
                                and any(posixpath.normpath(source.lstrip("/") or ".") == "."
                                        for source in node.values[:-1])
                                for stage in index.chain(final) for node in stage.instructions):
        return ""
    program = runtime_program(checker, index.stages, final).program
    if program is not None:
        return str(program.dotenv[0]) if program.dotenv else ""
    loaders = [package for package in GO_DOTENV_PACKAGES if package in context.go_sources.imports]
    return f"the Go code imports {loaders[0]}" if loaders else ""


def _below_the_root(context) -> bool:
    return context.project is not None and os.path.abspath(context.root) != os.path.abspath(context.project.root)


def _leaves_out_what_is_there(context, entries: list[str]) -> bool:
    """Whether an entry (not one for the build's own files, which every context holds) leaves
    out a file or directory at the top of the context."""
    patterns = parse_dockerignore("\n".join(entry for entry in entries if entry not in TRACKED_ENTRIES))
    return any(is_ignored(patterns, name) for name in (*context.root_files, *context.root_directories))


def _holds_git(context) -> bool:
    """Whether the context holds a .git (a repository's root, a submodule, a worktree)."""
    return ".git" in context.root_directories or ".git" in context.root_files


def _may_hold_git(context) -> bool:
    """Whether a .git entry may leave anything out: where the context holds one, or outside a
    repository, which it may become; not for a directory below a repository's root."""
    return context.project is None or _holds_git(context)


def _env_convention(context, ignores) -> str:
    """Why .env files are a convention of the context (".gitignore:4 ignores .env"), or "": a
    .gitignore ignores its .env, it holds a .env or .env.example, its Compose files load one,
    or its packages or Go code load them."""
    verdict = ignores.ignores(".env")
    if verdict.ignored:
        return f"{verdict.where} ignores .env"
    held = [name for name in context.root_files if name == ".env" or name.startswith(".env.")]
    if held:
        return f"the context holds {held[0]}"
    found = compose_env_files(context.root, context.root_files) or env_loading_packages(context.root,
                                                                                         context.root_files)
    if found:
        return found[0]
    loaders = [package for package in GO_DOTENV_PACKAGES if package in context.go_sources.imports]
    return f"the Go code imports {loaders[0]}" if loaders else ""


def _committed_env_entries(context, ignores) -> frozenset[str]:
    """The .env entries that would leave out a file the repository commits: configuration the
    build or the program may read (`.env` for a committed `.env`, `.env.*` for a committed
    `.env.production`). A file git ignores is no one's but its author's; one git does not
    ignore counts as committed unless git says it does not track it. Outside a repository:
    none."""
    if context.project is None:
        return frozenset()
    committed = [name for name in context.root_files if ENV_FILE.fullmatch(name) and name not in ENV_TEMPLATES
                 and not ignores.ignores(name).ignored and git_tracks(context.root, name) is not False]
    return frozenset({".env"} & set(committed)
                     | ({".env.*"} if any(name.startswith(".env.") for name in committed) else set()))


def _installs_node_packages(checker: Checker, context, readers: _Readers) -> str:
    """Why node_modules/ may be left out ("ui/Dockerfile:4: `npm ci` installs the packages of
    package.json in the build"), or "": the context has a package.json and a build installs
    its packages."""
    if "package.json" not in context.root_files:
        return ""
    for name, each in readers.trees:
        index = _index_of(checker, each)
        for node in each.instructions:
            for argv in _commands(index, node) if node.keyword == "RUN" else ():
                if argv and _installs_package_json(argv):
                    return (f"{_name(context.project, name)}:{node.start_line}: `{' '.join(argv[:2])}` installs the "
                            "packages of package.json in the build")
    return ""


def _installs_package_json(argv: list[str]) -> bool:
    """`npm ci`, `npm install`, `yarn`, `pnpm install`: the packages package.json names (not
    `npm install -g pnpm`, a tool of its own)."""
    words = [word for word in argv[1:] if not word.startswith("-")]
    global_install = any(word in ("-g", "--global") for word in argv[1:])
    return (words[:1] or [""])[0] in NODE_INSTALLS.get(argv[0], ()) and len(words) <= 1 and not global_install


def _untracked(context, ignores, entry: str) -> bool:
    """Whether git ignores what the entry leaves out: the names it is there for, and what the
    top of the context holds that it matches (each file of a directory, unless git ignores the
    directory whole). The repository's own files (Dockerfiles, Compose files) are tracked."""
    if entry in TRACKED_ENTRIES:
        return False
    name = entry.rstrip("/")
    directory = name in DIRECTORY_ENTRIES
    paths = [f"{sample}/x" if directory else sample for sample in NAMES_OF_ENTRIES[name]]
    patterns = parse_dockerignore("\n".join((entry, *EXCEPTIONS.get(entry, ()))))
    for present in (context.root_directories if directory else context.root_files):
        if not is_ignored(patterns, present):
            continue
        if not directory:
            paths.append(present)
        elif not ignores.ignores_directory(present).ignored:
            below = context.files_below(present, limit=500)
            if below is None:
                return False
            paths += [f"{present}/{file}" for file in below]
    return all(ignores.ignores(path).ignored for path in paths)


# --- The ignore file ------------------------------------------------------------------------------

@lru_cache(maxsize=256)
def plan(path: str, text: str | None, kept: tuple[str, ...], reach: tuple[str, ...],
         offered: tuple[str, ...]) -> FileChange | None:
    """The change to the ignore file at `path`: entries among `offered` that leave out something
    a source in `reach` takes in and none of the paths in `kept`. None when no entry is worth
    writing (the same question comes back in every pass of the fix loop, hence the cache)."""
    if text is None:
        after = _new_file(kept, reach, offered)
        if after is None:
            return None
    else:
        patterns = parse_dockerignore(text)
        missing = [entry for entry in SENSITIVE if entry in offered and not is_ignored(patterns, entry)
                   and _worth(entry, kept, reach)]
        if not missing:
            return None
        after = text_with_lines(text, ["# Added by dockerfix: secrets stay out of the build", *missing])
    if after == text:
        return None
    return FileChange(path, text, after, merge=_Replan(kept, reach, offered))


@lru_cache(maxsize=256)
def _new_file(kept: tuple[str, ...], reach: tuple[str, ...], offered: tuple[str, ...]) -> str | None:
    """A new ignore file with the entries worth writing; None when there are none."""
    lines, chosen = [HEADER], []
    for group in ENTRY_GROUPS:
        entries = [entry for entry in group[1:]
                   if entry in offered and (entry.startswith("!") or _worth(entry, kept, reach))]
        if ".env.*" not in entries:
            entries = [entry for entry in entries if entry != "!.env.example"]
        if entries:
            lines += ["", group[0], *entries]
            chosen += entries
    if not set(chosen) - TEST_OUTPUTS:
        return None  # what `go test -c` and a coverage run leave behind: too rare to earn a file of its own
    return "\n".join(lines) + "\n"


@record(frozen=True)
class _Replan:
    """Merges two plans for one ignore file: plan again from the original text, leaving out
    nothing that either Dockerfile takes from the context, and only what both may write."""

    kept: tuple[str, ...]
    reach: tuple[str, ...]
    offered: tuple[str, ...]

    def __call__(self, first: FileChange, second: FileChange) -> FileChange:
        theirs = second.merge if isinstance(second.merge, _Replan) else _Replan((), (), self.offered)
        offered = tuple(entry for entry in self.offered if entry in theirs.offered)
        merged = plan(first.path, first.before, tuple(dict.fromkeys(self.kept + theirs.kept)),
                      tuple(dict.fromkeys(self.reach + theirs.reach)), offered)
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
    sensitive = [name for entry, name in ((".git", ".git"), (".env", ".env files")) if entry in entries]
    if sensitive:
        return f"the build context has no .dockerignore: {', '.join(sensitive)} and build outputs go into the build"
    sources = ", ".join(f"`{source}`" for source in reach if any(_reaches(entry, source) for entry in entries))
    shown = ", ".join(entries[:5]) + (", …" if len(entries) > 5 else "")
    return f"the build context has no .dockerignore: {sources} takes in what the image does not need ({shown})"


def _written(change: FileChange) -> list[str]:
    """The entries the change adds (not its comments and exceptions)."""
    added = change.after[len(change.before or ""):]
    return [line for line in added.splitlines() if line and not line.startswith(("#", "!"))]


def _missing_names(change: FileChange) -> str:
    added = change.after[len(change.before or ""):].split()
    return " and ".join(entry for entry in SENSITIVE if entry in added)


RULE = Rule(id="DF020", name="dockerignore", summary="the build context has a .dockerignore that keeps secrets out",
            check=check, doc=__doc__, fix_safety=MIXED, severity="warning", security_severity=4.0)
