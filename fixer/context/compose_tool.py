"""Which Compose tool reads a repository's Compose files, as far as the repository says.

A Compose file without `version:` is read differently by different tools: Docker Compose v2
and everything built on the Compose Specification ignore the key, but docker-compose v1
before 1.27 reads such a file as the v1 format (and rejects `services:`), and `docker stack
deploy` and docker/cli's compose loader before Docker 23 (or libcompose, or a tool vendoring
them) refuse it. So the evidence is the whole repository: what its CI workflows, Makefiles,
scripts, docs and Go sources run, what it pins and vendors, and its other Compose files.

The repository is the nearest directory at or above the Compose file's that holds `.git`;
a Compose file below a directory that a directory search skips (testdata/, fixtures/) is a
test input, and its own directory stands for its repository, as does the directory of a
Compose file outside any repository. It is walked once per run, and each file read once.
"""
from __future__ import annotations

import os

from ..files import is_compose_name, skipped_by_default
from ..lazy_regex import lazy_regex
from ..records import record
from .reading import read_bytes

MAX_BYTES = 1024 * 1024  # larger files are generated or data, not what a person runs
TEXT_SUFFIXES = (".sh", ".bash", ".mk", ".md", ".rst", ".adoc", ".go", ".py", ".ps1", ".toml", ".cfg", ".ini")
TEXT_NAMES = frozenset({"Makefile", "makefile", "GNUmakefile", "Jenkinsfile", "Justfile", "justfile", "Taskfile.yml",
                        "Taskfile.yaml", "Vagrantfile", "go.mod", ".travis.yml", ".gitlab-ci.yml", ".drone.yml",
                        "azure-pipelines.yml", "bitbucket-pipelines.yml"})
CI_DIRECTORIES = (".github", ".circleci", ".gitlab", ".buildkite")
YAML_SUFFIXES = (".yml", ".yaml")

# Compose subcommands and flags: `docker compose` / `docker-compose` as a command, not a file
# name (`docker-compose.yml`) nor the product's name in prose.
_RUN = (r"(?=[ \t]+(?:-{1,2}[A-Za-z]|(?:up|down|build|run|exec|pull|push|config|logs|ps|start|stop|restart|create"
        r"|rm|kill|version|ls|watch|cp|top|images|port|wait|attach|stats|scale|events|pause|unpause|convert)\b))")
_ASSIGNED = r"(?:=|:=|\?=)[ \t]*[\"']?"  # `COMPOSE ?= docker compose`, the whole value
_END = r"[\"']?[ \t]*$"
COMPOSE_V2 = lazy_regex(r"(?<![\w-])docker[ \t]+compose" + _RUN + "|" + _ASSIGNED + r"docker[ \t]+compose" + _END)
DOCKER_COMPOSE = lazy_regex(r"(?<![\w./-])docker-compose(?:" + _RUN + r"|[\"'][ \t]*[,)])|" + _ASSIGNED
                            + "docker-compose" + _END)
STACK_DEPLOY = lazy_regex(r"(?<![\w-])docker[ \t]+stack[ \t]+(?:deploy|up)\b")
PINNED_V1 = lazy_regex(r"docker-compose[ \t]*(?:==|~=|<=|<|>=|@)[ \t]*v?1\.|docker-compose[ \t]+version[ \t]+1\."
                       r"|compose/releases/download/v?1\.|DOCKER_COMPOSE_VERSION[ \t]*[:?]?=[ \t]*[\"']?v?1\.")
LEGACY_LOADER = lazy_regex(r"github\.com/docker/(?:cli/cli/compose/loader|libcompose)\b")
SPEC_LOADER = lazy_regex(r"github\.com/compose-spec/compose-go\b")
HINT = lazy_regex(r"(?i)compose|stack")

# What each kind of clue says, for a rule's reason or evidence.
V2_KINDS = ("docker compose", "compose-go", "compose file without version")
LEGACY_KINDS = ("docker-compose", "docker-compose 1.x", "docker stack deploy", "compose loader")


@record(frozen=True)
class Clue:
    """One line of the repository that says which Compose tool reads its files."""

    kind: str    # one of V2_KINDS or LEGACY_KINDS
    where: str   # "Makefile:44", relative to the repository root
    line: str    # the line, trimmed

    def __str__(self) -> str:
        return f"{self.where}: {self.line}"


@record(frozen=True)
class ComposeTools:
    """The clues of one repository: those that say Compose v2 (or the Compose Specification)
    reads its files, and those that say an older tool may."""

    root: str
    v2: tuple[Clue, ...]
    legacy: tuple[Clue, ...]


_FOUND: dict[str, ComposeTools] = {}


def compose_tools(directory) -> ComposeTools:
    """The clues of the repository of the Compose files of `directory`, gathered once per run."""
    root = repository_of(os.path.abspath(str(directory)))
    if root not in _FOUND:
        _FOUND[root] = _gather(root)
    return _FOUND[root]


def forget() -> None:
    """Forget what was gathered: a run starts afresh."""
    _FOUND.clear()


def repository_of(directory: str) -> str:
    """The nearest directory at or above `directory` holding `.git`; `directory` itself when
    there is none, or when a directory a search skips lies between them (a test input)."""
    current = directory
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current or skipped_by_default(parent, os.path.basename(current)):
            return directory
        current = parent


def _gather(root: str) -> ComposeTools:
    v2: list[Clue] = []
    legacy: list[Clue] = []
    for path in _files(root):
        text = _text(path)
        if text is None:
            continue
        where = os.path.relpath(path, root).replace(os.sep, "/")
        if is_compose_name(os.path.basename(path)):
            clue = _versionless(text, where)
            v2 += [clue] if clue else []
        elif HINT.search(text):
            found = _clues(text, where)
            v2 += [clue for clue in found if clue.kind in V2_KINDS]
            legacy += [clue for clue in found if clue.kind in LEGACY_KINDS]
    return ComposeTools(root, tuple(v2), tuple(legacy))


def _files(root: str):
    """The files that may say which tool reads the Compose files, and the Compose files."""
    modules = os.path.join(root, "vendor", "modules.txt")
    if os.path.isfile(modules):
        yield modules  # vendor/ itself is someone else's code, and skipped
    for directory, subdirectories, names in os.walk(root):
        if directory != root and (".git" in subdirectories or ".git" in names):
            subdirectories[:] = []  # another repository
            continue
        subdirectories[:] = sorted(name for name in subdirectories if not skipped_by_default(directory, name))
        in_ci = os.path.relpath(directory, root).split(os.sep)[0] in CI_DIRECTORIES
        for name in sorted(names):
            if (name in TEXT_NAMES or name.endswith(TEXT_SUFFIXES) or is_compose_name(name)
                    or name.startswith("requirements") and name.endswith(".txt")
                    or in_ci and name.endswith(YAML_SUFFIXES)):
                yield os.path.join(directory, name)


def _text(path: str) -> str | None:
    data = read_bytes(path, MAX_BYTES + 1)
    if data is None or len(data) > MAX_BYTES or b"\0" in data[:1024]:
        return None
    return data.decode("utf-8", errors="replace")


def _clues(text: str, where: str) -> list[Clue]:
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        if not HINT.search(line):
            continue
        shown = _shown(line)
        for kind, pattern in (("docker compose", COMPOSE_V2), ("docker-compose", DOCKER_COMPOSE),
                              ("docker-compose 1.x", PINNED_V1), ("docker stack deploy", STACK_DEPLOY),
                              ("compose loader", LEGACY_LOADER), ("compose-go", SPEC_LOADER)):
            if pattern.search(line) and _counts(kind, where):
                found.append(Clue(kind, f"{where}:{number}", shown))
    return found


def _counts(kind: str, where: str) -> bool:
    """Which files may show a loader: go.mod and vendor/modules.txt (a Go file may import it too)."""
    if kind in ("compose loader", "compose-go"):
        return where.endswith(("go.mod", "modules.txt", ".go"))
    return True


def _versionless(text: str, where: str) -> Clue | None:
    """A Compose file with services and no `version:`: what reads the repository's files reads it."""
    from ..syntax.compose import ComposeError, load

    try:
        document = load(text)
    except ComposeError:  # a file that is not Compose says nothing
        return None
    mappings = [mapping for mapping in document.data if hasattr(mapping, "get")]
    if not mappings or any("version" in mapping for mapping in mappings):
        return None
    if not any(hasattr(mapping.get("services"), "get") for mapping in mappings):
        return None
    return Clue("compose file without version", where, "services: without version:")


def _shown(line: str) -> str:
    line = " ".join(line.split())
    return line if len(line) <= 120 else line[:117] + "..."

