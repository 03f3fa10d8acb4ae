"""The repository's project model: every place that builds a Dockerfile, and from which context.

One Dockerfile and its directory are not evidence enough for a fix. On real repositories a
.dockerignore is shared by Dockerfiles that copy different things, a Makefile stamps
`git describe` into the image, CI builds a Dockerfile from a directory of prebuilt binaries
(goreleaser). The evidence is the whole repository, so rules ask this model and never the
file system.

The repository is walked once, on the first question, for the names of the files that build
images (Go sources are never read); each file is read at most once, when a question needs it.
Nothing here raises for what a repository holds: a file that cannot be parsed is skipped, or
noted in `unresolved` when it clearly builds something.
"""
from __future__ import annotations

import os
import re
from bisect import bisect_right
from functools import cached_property

from ..files import MAX_BYTES as DOCKERFILE_MAX_BYTES
from ..files import VIRTUAL_ENVIRONMENT, is_compose_name, is_dockerfile_name, skipped_by_default
from ..lazy_regex import lazy_regex
from ..records import record, replace
from .reading import read_bytes

MAKEFILE_NAMES = frozenset({"Makefile", "makefile", "GNUmakefile"})
GORELEASER_NAMES = frozenset({".goreleaser.yml", ".goreleaser.yaml", "goreleaser.yml", "goreleaser.yaml"})
GITLAB_NAMES = (".gitlab-ci.yml", ".gitlab-ci.yaml")
GO_BUILD_SCRIPTS = frozenset({"build.go", "magefile.go"})
YAML_SUFFIXES = (".yml", ".yaml")
MAX_BYTES = 2 * 1024 * 1024  # larger files are generated, not build scripts
BUILD_HINTS = ("docker", "podman", "buildah", "nerdctl", "kaniko", "container", "dockers")

# Shell: what starts a container build, and which of its flags take a value (the context is
# the last word that is neither a flag nor a flag's value).
UNKNOWN = "\x00"  # brackets the name of what could not be expanded: "\x00VERSION\x00"
BUILD_TOOLS = {"docker": "docker", "nerdctl": "docker", "podman": "podman", "buildah": "podman"}
BUILD_SUBCOMMANDS = frozenset({"build", "bud", "build-using-dockerfile"})
ENGINE_VARIABLE = lazy_regex(r"(?i)docker|podman|buildah|nerdctl|container|engine|oci")
COMMAND_PREFIXES = frozenset({"sudo", "time", "exec", "command", "nohup", "env", "if", "then", "else", "elif",
                              "do", "while", "until", "!", "{"})
DECLARATIONS = frozenset({"export", "readonly", "local", "declare", "typeset"})
VALUE_FLAGS = frozenset({
    "-t", "--tag", "--build-arg", "--build-context", "--target", "--platform", "--label", "--cache-from",
    "--cache-to", "-o", "--output", "--secret", "--ssh", "--network", "--progress", "--iidfile",
    "--metadata-file", "--add-host", "--cgroup-parent", "--shm-size", "--ulimit", "-m", "--memory",
    "--memory-swap", "--cpu-shares", "--cpuset-cpus", "--cpuset-mems", "--cpu-period", "--cpu-quota",
    "--isolation", "--security-opt", "--builder", "--attest", "--annotation", "--allow", "--call", "--format",
    "--authfile", "--creds", "--arch", "--os", "--variant", "--jobs", "-v", "--volume", "--env", "--manifest",
    "--runtime", "--userns", "--timestamp", "--signature-policy", "--logfile", "--retry", "--retry-delay",
    "--layer-label", "--build-arg-file", "--from", "--cap-add", "--cap-drop", "--device", "--dns",
    "--ignorefile", "--cache-ttl", "--cert-dir", "--sign-by", "--unsetenv", "--unsetlabel", "--hooks-dir",
})
RUN_VALUE_FLAGS = frozenset({  # the options of `docker run` that take the next word as their value
    "-e", "--env", "--env-file", "-p", "--publish", "--name", "-w", "--workdir", "--network", "--net", "-u", "--user",
    "--entrypoint", "--platform", "-l", "--label", "-h", "--hostname", "--add-host", "--cap-add", "--cap-drop",
    "--device", "--restart", "-m", "--memory", "--cpus", "--dns", "--log-driver", "--log-opt", "--security-opt",
    "--ulimit", "--pull", "--stop-signal", "--tmpfs", "--volumes-from", "--ipc", "--pid", "--userns", "--gpus",
    "--shm-size", "--expose", "--link", "--health-cmd", "--cidfile", "--runtime", "--group-add", "-a", "--attach",
    "--label-file", "--mac-address", "--ip", "--ip6", "--network-alias", "--uts", "--cgroupns", "--memory-swap",
    "--cpuset-cpus", "--cpu-shares", "--stop-timeout", "--health-interval", "--health-timeout", "--health-retries",
})
STDIN_REDIRECT = re.compile(r"(?<![<\d])<[ \t]*([^\s<>|;&]+)")
SEPARATORS = ";&|()\n"
ASSIGNMENT = lazy_regex(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", re.S)
VARIABLE_NAME = lazy_regex(r"[A-Za-z_][A-Za-z0-9_]*|[0-9#@*?$!-]")
SHELL_EXPANSION = lazy_regex(r"\$(?:\{([^{}]*)\}|\(((?:[^()]|\([^()]*\))*)\)|([A-Za-z_][A-Za-z0-9_]*|[0-9#@*?$!-]))")
SCRIPT_DIRECTORY = lazy_regex(r"dirname\s+(?:--\s+)?\"?\$\{?(?:0|BASH_SOURCE(?:\[0\])?)\}?\"?")
CD_AND_PWD = lazy_regex(r"cd\s+(?:-P\s+)?(.+?)\s*&&\s*pwd(?:\s+-P)?", re.S)
HEREDOC = lazy_regex(r"(?<!<)<<(?!<)(-?)[ \t]*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2")
UNRESOLVED_PART = lazy_regex(r"\x00[^\x00]*\x00|\$\{\{.*?\}\}|\{\{.*?\}\}|\$\{[^}]*\}|\$\((?:[^()]|\([^()]*\))*\)"
                             r"|\$[A-Za-z0-9_#@*?$!-]+|`[^`]*`|\$")

# Make: definitions, references (innermost first, `$$` set aside), comments.
OVERRIDE_SUFFIX = lazy_regex(r"\.override(?=\.ya?ml$)")
MAKE_DEFINITION = lazy_regex(r"(?:(?:export|override)[ \t]+)*([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*"
                             r"(:::=|::=|:=|\?=|\+=|!=|=)[ \t]*(.*)", re.S)
MAKE_REFERENCE = lazy_regex(r"\$(?:\(([^()$]*)\)|\{([^{}$]*)\}|([^({$]))")
MAKE_ESCAPED_DOLLAR = "\x01"

# CI and bake.
GITHUB_EXPRESSION = lazy_regex(r"\$\{\{\s*(.*?)\s*\}\}")
GITLAB_KEYWORDS = frozenset({"stages", "include", "workflow", "variables", "default", "image", "services", "cache",
                             "before_script", "after_script", "spec", "types"})
MAX_MATRIX_ROWS = 64
BAKE_TARGET = lazy_regex(r'^[ \t]*target[ \t]+"([^"]+)"[ \t]*\{', re.M)
BAKE_ATTRIBUTE = lazy_regex(r"^[ \t]*(context|dockerfile|dockerfile-inline)[ \t]*=[ \t]*(.*?)[ \t]*$", re.M)
BAKE_INHERITS = lazy_regex(r"^[ \t]*inherits[ \t]*=[ \t]*\[([^\]]*)\]", re.M)
BAKE_GROUP_TARGETS = lazy_regex(r'^[ \t]*group[ \t]+"[^"]+"[ \t]*\{[^}]*?\btargets[ \t]*=[ \t]*\[([^\]]*)\]', re.M)
HCL_STRING = lazy_regex(r'"((?:[^"\\\n]|\\.)*)"')

# Version-control stamping: git commands that read the repository, and their Go and goreleaser forms.
GIT_READS = r"(?:describe|rev-parse|rev-list|log|show|status|diff|tag|branch|symbolic-ref|name-rev)"
GIT_CALL = lazy_regex(r"\bgit(?:[ \t]+-[Cc][ \t]+\S+)*[ \t]+" + GIT_READS + r"\b|\$\(shell[ \t]+git\b")
GO_GIT_CALL = lazy_regex(r'"git"\s*,\s*"' + GIT_READS + r'"|\bgit(?:[ \t]+-C[ \t]+\S+)*[ \t]+' + GIT_READS + r"\b")
GORELEASER_STAMP = lazy_regex(r"^(?=.*\{\{\s*\.(?:Version|RawVersion|Tag|Commit|ShortCommit|FullCommit|CommitDate"
                              r"|CommitTimestamp|Summary)\s*\}\})(?=.*(?:-X\b|ldflags|build[-_]args?|label))", re.M)
MAKE_RUNS_FILE = lazy_regex(r"(?:\$\(shell[ \t]+|^\t[@+-]*[ \t]*)((?:\./)?[\w.-]+/[\w./-]*[\w-])(?=[\s)])", re.M)
GIT_FROM_CONTEXT = lazy_regex(r"(?:source|src)=\.git\b")
COPIES_GIT = lazy_regex(r"(?:^|\s)\.git(?:/\S*)?(?=\s)")


@record(frozen=True)
class BuildUse:
    """One place that builds a Dockerfile, and with which context."""

    dockerfile: str          # absolute, normalised path of the Dockerfile
    context: str | None      # absolute, normalised context directory; None when it cannot be known
    source: str              # where this was found, relative to the repository root, with line
    kind: str                # compose | bake | github-actions | gitlab-ci | makefile | script | goreleaser
    prebuilt: bool = False   # the context holds built artifacts, not the source
    artifacts: tuple[str, ...] = ()  # paths inside its context where CI put built artifacts before it
    sends_context: bool = True  # False: the Dockerfile goes in on standard input (`docker build -`), no context


@record(frozen=True)
class Mount:
    """A path the service that builds a Dockerfile mounts into its container (Compose `volumes:`)."""

    target: str        # the path in the container
    source: str        # a host path, a named volume, or "" for an anonymous one
    where: str         # the Compose file and line
    read_only: bool = False

    @property
    def shown(self) -> str:
        if self.source.startswith((".", "/", "~", "$")):
            return f"the host directory {self.source}"
        return f"the volume {self.source}" if self.source else "an anonymous volume"


@record(frozen=True)
class _Gap:
    """A build whose Dockerfile or context could not be read, and which Dockerfiles it may build."""

    evidence: str               # "Makefile:12: docker build -f $FILE ."
    patterns: tuple[str, ...]   # fnmatch patterns over absolute Dockerfile paths; `*` spans directories


class Project:
    """The build facts of one repository, gathered on the first question and kept for the run."""

    def __init__(self, root: str):
        self.root = os.path.abspath(root)
        self._texts: dict[str, str | None] = {}
        self._trees: dict[str, object] = {}

    def __repr__(self) -> str:
        return f"Project({self.root!r})"

    def dockerfiles(self) -> tuple[str, ...]:
        """Every Dockerfile of the repository, as a directory search finds them."""
        return self._inventory.dockerfiles  # type: ignore[return-value]  # a tuple once walked

    def builds_of(self, dockerfile: str) -> tuple[BuildUse, ...]:
        """Every explicit build of the Dockerfile found; () when nothing names it."""
        return self._builds_by_dockerfile.get(os.path.abspath(dockerfile), ())

    def contexts_of(self, dockerfile: str) -> tuple[str | None, ...]:
        """The contexts of its builds, each once; () when nothing names it (discovery decides)."""
        return tuple(dict.fromkeys(build.context for build in self.builds_of(dockerfile)))

    def mounts_of(self, dockerfile: str) -> tuple[Mount, ...]:
        """What the Compose services built from this Dockerfile mount into their containers, and
        what a `docker run` of the image a Makefile, script or CI step builds from it mounts."""
        path, findings = os.path.abspath(dockerfile), self._findings
        composed = (mount for (directory, name, file), built in findings.service_builds.items()
                    if path in built for key in ((directory, name, file), (directory, name, ""))
                    for mount in findings.service_mounts.get(key, ()))
        run = (mount for image, built in findings.tagged.items() if path in built
               for mount in findings.run_mounts.get(image, ()))
        return tuple(dict.fromkeys((*composed, *run)))

    def built_from_artifacts(self, dockerfile: str) -> bool:
        """Whether some build gives it a context of built binaries rather than the source:
        COPY go.mod, or a builder stage, would break that build."""
        return any(build.prebuilt for build in self.builds_of(dockerfile))

    def incomplete_for(self, dockerfile: str) -> bool:
        """Whether a build that could not be read (a variable for its -f or its context) may be
        one of this Dockerfile: then `builds_of` may not tell the whole story."""
        from fnmatch import fnmatchcase

        path = os.path.abspath(dockerfile)
        return any(fnmatchcase(path, pattern) for gap in self._findings.gaps for pattern in gap.patterns)

    def artifact_paths(self, dockerfile: str) -> tuple[str, ...]:
        """The paths inside its builds' contexts where CI put built artifacts before building
        (an actions/download-artifact `path`, another GitLab job's `artifacts: paths`): the
        build may need them, so no .dockerignore may leave them out."""
        return tuple(dict.fromkeys(path for build in self.builds_of(dockerfile) for path in build.artifacts))

    def parsed_dockerfile(self, dockerfile: str):
        """The Dockerfile's syntax tree (fixer.syntax.tree.Dockerfile), parsed once: what a
        Dockerfile sharing a context copies is a question about its text. None when it cannot
        be read or BuildKit would reject it."""
        path = os.path.abspath(dockerfile)
        if path not in self._trees:
            self._trees[path] = _parsed(self._text(path, DOCKERFILE_MAX_BYTES))
        return self._trees[path]

    @cached_property
    def unresolved_dockerfiles(self) -> tuple[str, ...]:
        """The repository's Dockerfiles that a build it runs but could not read may build
        (`docker build -f $FILE …`), from a context that cannot be known either."""
        return tuple(path for path in self.dockerfiles() if self.incomplete_for(path))

    def ignore_files_of(self, dockerfile: str) -> tuple[str, ...]:
        """The .dockerignore files its builds read, existing or not (one may be written): its own
        `<Dockerfile>.dockerignore`, which wins, else each context's `.dockerignore`."""
        path = os.path.abspath(dockerfile)
        own = path + ".dockerignore"
        if own in self._inventory.ignore_files:
            return (own,)
        return tuple(os.path.join(context, ".dockerignore") for context in self._ignore_contexts(path))

    def dockerfiles_using_ignore(self, ignore_file: str) -> tuple[str, ...]:
        """The Dockerfiles whose builds read this .dockerignore: what it may leave out must be
        something none of them copies."""
        return self._readers_of_ignore.get(os.path.abspath(ignore_file), ())

    def model(self) -> None:
        """Gather every build fact now rather than on the first question."""
        self._readers_of_ignore, self.vcs_stamping, self.unresolved_dockerfiles  # noqa: B018

    @property
    def unresolved(self) -> tuple[str, ...]:
        """Evidence of builds whose Dockerfile or context could not be read."""
        return tuple(dict.fromkeys(gap.evidence for gap in self._findings.gaps))

    @cached_property
    def vcs_stamping(self) -> tuple[str, ...]:
        """Evidence that the build stamps version-control data into what it makes ("Makefile:12:
        VERSION := $(shell git describe --tags)"): the reason to keep .git in a context."""
        inventory, stamps = self._inventory, []
        for path in (*inventory.makefiles, *inventory.scripts, *self._scripts_makefiles_run()):
            stamps += self._stamps(path, GIT_CALL, "#")
        for path in inventory.go_build_files:
            stamps += self._stamps(path, GO_GIT_CALL, "//")
        for path in inventory.goreleaser_files:
            stamps += self._stamps(path, GORELEASER_STAMP, "#")
        stamps += self._findings.stamps
        for path in inventory.dockerfiles:
            text = self._text(path, DOCKERFILE_MAX_BYTES)
            if text and "git" in text:
                stamps += [f"{_relative(path, self.root)}:{number}: {_shown(line)}"
                           for number, line in _dockerfile_git_lines(text)]
        return tuple(dict.fromkeys(stamps))

    def _scripts_makefiles_run(self) -> list[str]:
        """The repository's files a Makefile runs by path without a `.sh` name (`VERSION ?=
        $(shell ./scripts/git-version)`, a recipe's `hack/version`): build scripts too."""
        found = []
        for makefile in self._inventory.makefiles:
            for word in MAKE_RUNS_FILE.findall(self._text(makefile) or ""):
                path = os.path.normpath(os.path.join(os.path.dirname(makefile), word))
                if not path.endswith(".sh") and _within(path, self.root) and os.path.isfile(path):
                    found.append(path)
        return list(dict.fromkeys(found))

    @cached_property
    def _inventory(self) -> _Inventory:
        return _walk(self.root)

    @cached_property
    def _findings(self) -> _Findings:
        inventory = self._inventory
        found = _Findings(self.root, frozenset(inventory.dockerfiles))
        readers = ((inventory.compose_files, _read_compose, ()), (inventory.bake_files, _read_bake, ()),
                   (inventory.workflows, _read_workflow, BUILD_HINTS),
                   (inventory.gitlab_files, _read_gitlab, BUILD_HINTS),
                   (inventory.makefiles, _make_reader(self._text, inventory.makefiles), BUILD_HINTS),
                   (inventory.scripts, _read_script, BUILD_HINTS),
                   (inventory.goreleaser_files, _read_goreleaser, BUILD_HINTS))
        for paths, reader, hints in readers:
            for path in paths:
                text = self._text(path)
                if text is not None and (not hints or any(hint in text.lower() for hint in hints)):
                    _read_safely(found, reader, path, text)
        found.finish()
        return found

    @cached_property
    def _builds_by_dockerfile(self) -> dict[str, tuple[BuildUse, ...]]:
        by_dockerfile: dict[str, list[BuildUse]] = {}
        for build in self._findings.builds:
            by_dockerfile.setdefault(build.dockerfile, []).append(build)
        return {path: tuple(builds) for path, builds in by_dockerfile.items()}

    @cached_property
    def _readers_of_ignore(self) -> dict[str, tuple[str, ...]]:
        readers: dict[str, list[str]] = {}
        for dockerfile in dict.fromkeys((*self.dockerfiles(), *self._builds_by_dockerfile)):
            for ignore_file in self.ignore_files_of(dockerfile):
                readers.setdefault(ignore_file, []).append(dockerfile)
        return {path: tuple(dockerfiles) for path, dockerfiles in readers.items()}

    def _ignore_contexts(self, dockerfile: str) -> tuple[str, ...]:
        """The contexts its builds name; where one cannot be known (or nothing names the
        Dockerfile), also those discovery could choose. A goreleaser build reads none."""
        builds = self.builds_of(dockerfile)
        contexts = [build.context for build in builds if build.context is not None]
        if (not builds or any(build.context is None and not build.prebuilt and build.sends_context for build in builds)
                or self.incomplete_for(dockerfile)):
            contexts += self._discoverable_contexts(dockerfile)
        return tuple(dict.fromkeys(contexts))

    def _discoverable_contexts(self, dockerfile: str) -> list[str]:
        """The Dockerfile's directory and the nearest directory up to the root with go.mod."""
        home = os.path.dirname(dockerfile)
        found, directory = [home], home
        while _within(directory, self.root):
            if directory in self._inventory.module_directories:
                found.append(directory)
                break
            if directory == self.root:
                break
            directory = os.path.dirname(directory)
        return found

    def _text(self, path: str, limit: int = MAX_BYTES) -> str | None:
        """The file's text, read once (a Dockerfile is read as dockerfix reads one to fix it)."""
        if path not in self._texts:
            self._texts[path] = _read_text(path, limit)
        return self._texts[path]

    def _stamps(self, path: str, pattern, comment: str) -> list[str]:
        text = self._text(path)
        if not text or not pattern.search(text):
            return []
        return [f"{_relative(path, self.root)}:{number}: {_shown(line)}"
                for number, line in enumerate(text.split("\n"), 1)
                if pattern.search(line) and not line.lstrip().startswith(comment)]


_PROJECTS: dict[str, Project] = {}
_ROOTS: dict[str, str | None] = {}  # directory -> the repository root above it, None outside one


def project_for(directory: str) -> Project | None:
    """The Project of the nearest directory (this one or above) holding .git; None outside a
    repository. Projects are kept per root and directories' answers per directory, so a lone
    Dockerfile pays one walk up and many Dockerfiles of one repository share one model."""
    root = _repository_root(os.path.abspath(directory))
    if root is None:
        return None
    if root not in _PROJECTS:
        _PROJECTS[root] = Project(root)
    return _PROJECTS[root]


def model_repositories(paths: list[str]) -> None:
    """Build the models of the repositories these files are in, now: worker processes forked
    after this inherit them, so that a repository is modelled once per run, not once per
    worker. (Go program models, asked for per main package, are still built where asked.)"""
    for directory in dict.fromkeys(os.path.dirname(os.path.abspath(path)) for path in paths):
        project = project_for(directory)
        if project is not None:
            project.model()


def forget_projects() -> None:
    """Forget every model and root: a run starts afresh, so a long-lived process sees what changed."""
    _PROJECTS.clear()
    _ROOTS.clear()


def _repository_root(directory: str) -> str | None:
    walked, root = [], None
    while True:
        if directory in _ROOTS:
            root = _ROOTS[directory]
            break
        walked.append(directory)
        if os.path.exists(os.path.join(directory, ".git")):  # a directory, or a file (worktree, submodule)
            root = directory
            break
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    for each in walked:
        _ROOTS[each] = root
    return root


# --- The walk: names only ------------------------------------------------------------------------

class _Inventory:
    """The paths of the files the model reads, from one walk of the repository."""

    def __init__(self) -> None:
        self.dockerfiles: list[str] | tuple[str, ...] = []
        self.ignore_files: set[str] = set()
        self.module_directories: set[str] = set()
        self.compose_files: list[str] = []
        self.bake_files: list[str] = []
        self.workflows: list[str] = []
        self.gitlab_files: list[str] = []
        self.makefiles: list[str] = []
        self.scripts: list[str] = []
        self.goreleaser_files: list[str] = []
        self.go_build_files: list[str] = []


def _walk(root: str) -> _Inventory:
    """One walk, pruning exactly what a directory search skips (fixer.files.skipped_by_default:
    .git, other people's code, test inputs such as testdata/ and fixtures/), and other
    repositories inside this one. Hidden directories are walked, as a search walks them:
    `.devcontainer/Dockerfile`, `.docker/Dockerfile-alpine` and `.github/scripts/build.sh`
    build from the repository too. GitHub's and GitLab's CI directories are listed on their own."""
    found = _Inventory()
    for directory, subdirectories, files in os.walk(root):
        if directory != root and (".git" in subdirectories or ".git" in files):
            subdirectories[:] = []  # a submodule or nested repository: its own project
            continue
        if directory != root and VIRTUAL_ENVIRONMENT in files:
            subdirectories[:] = []  # a Python virtual environment, whatever its name: other people's code
            continue
        if directory == root:
            found.workflows += _yaml_files(os.path.join(root, ".github", "workflows"))
            found.gitlab_files += _yaml_files(os.path.join(root, ".gitlab"), recursive=True)
        subdirectories[:] = sorted(name for name in subdirectories if not skipped_by_default(directory, name))
        for name in sorted(files):
            _classify(found, directory, name)
    found.dockerfiles = tuple(found.dockerfiles)
    found.gitlab_files = list(dict.fromkeys(found.gitlab_files))  # `.gitlab/ci/x.gitlab-ci.yml`: listed twice
    return found


def _classify(found: _Inventory, directory: str, name: str) -> None:
    if name.endswith(".go"):  # most names, checked first; only the build scripts are kept
        if name in GO_BUILD_SCRIPTS:
            found.go_build_files.append(os.path.join(directory, name))
        return
    path = os.path.join(directory, name)
    if is_dockerfile_name(name):
        found.dockerfiles.append(path)  # type: ignore[union-attr]  # a list until the walk ends
    elif name.endswith(".dockerignore"):
        found.ignore_files.add(path)
    elif name == "go.mod":
        found.module_directories.add(directory)
    elif is_compose_name(name):
        found.compose_files.append(path)
    elif name.startswith("docker-bake") and name.endswith((".hcl", ".json")):
        found.bake_files.append(path)
    elif name in MAKEFILE_NAMES or name.endswith((".mk", ".Makefile", ".makefile")) or name.startswith("Makefile."):
        found.makefiles.append(path)  # docker.Makefile, Makefile.docker: run with `make -f`
    elif name.endswith(".sh"):
        found.scripts.append(path)
    elif name in GORELEASER_NAMES:
        found.goreleaser_files.append(path)
    elif name.endswith(GITLAB_NAMES):
        found.gitlab_files.append(path)


def _yaml_files(directory: str, recursive: bool = False) -> list[str]:
    if not recursive:
        try:
            return sorted(entry.path for entry in os.scandir(directory)
                          if entry.name.endswith(YAML_SUFFIXES) and entry.is_file())
        except OSError:
            return []
    found = []
    for where, subdirectories, names in os.walk(directory):
        subdirectories[:] = [name for name in subdirectories if not skipped_by_default(where, name)]
        found += [os.path.join(where, name) for name in names if name.endswith(YAML_SUFFIXES)]
    return sorted(found)


def _parsed(text: str | None):
    from ..syntax.errors import DockerfileError
    from ..syntax.parser import parse

    if text is None:
        return None
    try:
        return parse(text)
    except DockerfileError:
        return None


def _read_text(path: str, limit: int = MAX_BYTES) -> str | None:
    """The file's text with LF line ends, or None when it cannot be read or is too large to be
    a build file (or no regular file: reading.read_bytes)."""
    data = read_bytes(path, limit + 1)
    if data is None or len(data) > limit:
        return None
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n")


# --- What was found ------------------------------------------------------------------------------

class _Findings:
    """The builds, the builds that could not be read, and the CI lines that stamp VCS data,
    gathered as the build files are read."""

    def __init__(self, root: str, dockerfiles: frozenset[str]):
        self.root = root
        self.dockerfiles = dockerfiles  # the repository's own: where a path is ambiguous, these win
        self.builds: list[BuildUse] = []
        self.gaps: list[_Gap] = []
        self.stamps: list[str] = []
        # What Compose services mount, and which Dockerfiles they build, by (directory, service,
        # file): a service that builds in a file mounts what that file and its override file say
        # (compose.yaml and compose.override.yaml, which Compose reads together); one that does
        # not build (file "") is an override, which Compose merges into the service of that name
        # that another file of the directory builds (`-f compose.yaml -f compose.prod.yaml`)
        self.service_mounts: dict[tuple[str, str, str], list[Mount]] = {}
        self.service_builds: dict[tuple[str, str, str], set[str]] = {}
        # `docker build -t NAME` and `docker run … NAME` in the same repository: the image a
        # Makefile or script builds from a Dockerfile, and what it mounts where it runs it
        self.tagged: dict[str, set[str]] = {}          # image name (no tag) -> Dockerfiles built as it
        self.run_mounts: dict[str, list[Mount]] = {}   # image name (no tag) -> what `docker run` mounts

    def source(self, path: str, line: int) -> str:
        return f"{_relative(path, self.root)}:{line}"

    def build(self, dockerfile: str | None, context: str | None, source: str, kind: str, shown: str,
              patterns: tuple[str, ...] = ("*",), prebuilt: bool = False) -> None:
        """Note a build: its use when the Dockerfile is known; a gap when the Dockerfile, or the
        context of a build from the source, is not."""
        evidence = f"{source}: {_shown(shown)}"
        if dockerfile is not None and os.path.basename(dockerfile) == "Dockerfile" \
                and dockerfile not in self.dockerfiles:  # docker's and buildx's fallback: a lowercase dockerfile
            lowercase = os.path.join(os.path.dirname(dockerfile), "dockerfile")
            dockerfile = lowercase if lowercase in self.dockerfiles else dockerfile
        if dockerfile is None:
            self.gaps.append(_Gap(evidence, patterns))
            return
        self.builds.append(BuildUse(dockerfile, context, source, kind, prebuilt))
        if context is None and not prebuilt:
            self.gaps.append(_Gap(evidence, (dockerfile,)))

    def unreadable(self, path: str, why: str) -> None:
        self.gaps.append(_Gap(f"{self.source(path, 1)}: {why}", ("*",)))

    def count(self) -> int:
        return len(self.builds) + len(self.gaps)

    def mark_prebuilt(self, start: int, directories: tuple[str, ...]) -> None:
        """Mark the builds found since `start` whose context lies in one of `directories` (where
        artifacts were put) as built from artifacts, and note the ones inside a build's context
        as its artifacts."""
        self.builds[start:] = [_with_artifacts(build, directories) for build in self.builds[start:]]

    def finish(self) -> None:
        """Each build and gap once (a matrix repeats them)."""
        self.builds = list(dict.fromkeys(self.builds))
        self.gaps = list(dict.fromkeys(self.gaps))
        self.stamps = list(dict.fromkeys(self.stamps))


def _with_artifacts(build: BuildUse, places: tuple[str, ...]) -> BuildUse:
    if build.context is None:
        return build
    prebuilt = build.prebuilt or any(_within(build.context, where) for where in places)
    inside = tuple(where for where in places if where != build.context and _within(where, build.context))
    if prebuilt == build.prebuilt and not inside:
        return build
    return replace(build, prebuilt=prebuilt, artifacts=tuple(dict.fromkeys((*build.artifacts, *inside))))


def _read_safely(found: _Findings, reader, path: str, text: str) -> None:
    """Read one build file; a file this reader cannot follow is evidence the model is incomplete,
    not a reason to stop fixing."""
    try:
        reader(found, path, text)
    except Exception as error:  # noqa: BLE001 - whatever a repository holds, dockerfix runs on
        found.unreadable(path, f"not understood ({type(error).__name__})")


# --- Shell: Makefile recipes, scripts, CI steps ------------------------------------------------

class _Shell:
    """Where a shell running build commands is, and what its variables hold."""

    def __init__(self, directories: tuple[str, ...], variables: dict[str, str | None], root: str,
                 script: str | None = None):
        self.directories = directories  # where it may be, the likelier first; () once unknown
        self.variables = variables      # name -> value (may hold UNKNOWN parts); None: unknowable
        self.root = root
        self.script = script            # the script's own path, for `$(dirname "$0")`
        self.pushed: list[tuple[str, ...]] = []


def _run_shell(found: _Findings, text: str, shell: _Shell, path: str, first_line: int, kind: str) -> None:
    """Note the container builds of a shell text, following its `cd`s and assignments."""
    newlines = _newline_offsets(text)
    commands = _shell_commands(text)
    previous: list[str] = []
    for position, (offset, raw) in enumerate(commands):
        words = [_expand(word, shell) for word in raw]
        piped, previous = _piped_file(text, commands, position, previous), words
        if _change_directory(words, shell) or _assign(words, shell):
            continue
        command = _container_build(words)
        if command is not None:
            source = found.source(path, first_line + bisect_right(newlines, offset))
            if command[2] == "-" and command[1] is None:
                _note_stdin_build(found, shell, piped, source, kind, " ".join(words))
            else:
                before = len(found.builds)
                _note_build(found, shell, command, source, kind, " ".join(words))
                for tag in _tags(words) if len(found.builds) > before else ():
                    found.tagged.setdefault(_image_name(tag), set()).add(found.builds[-1].dockerfile)
            continue
        run = _container_run(words)
        if run is not None and (run[1] or run[2]):
            where = found.source(path, first_line + bisect_right(newlines, offset))
            volumes, mounts = [_as_written(word) for word in run[1]], [_as_written(word) for word in run[2]]
            found.run_mounts.setdefault(_image_name(run[0]), []).extend(
                [*_compose_mounts(volumes, where), *(_bind_mount(option, where) for option in mounts)])


def _piped_file(text: str, commands: list[tuple[int, list[str]]], position: int, previous: list[str]) -> str | None:
    """The file a command reads on standard input: `cat FILE | command`, or `command < FILE`."""
    offset = commands[position][0]
    end = commands[position + 1][0] if position + 1 < len(commands) else len(text)
    redirect = STDIN_REDIRECT.search(text, offset, end)
    if redirect is not None:
        return redirect.group(1).strip("'\"")
    before = text[commands[position - 1][0]:offset].rstrip() if position else ""
    if previous[:1] == ["cat"] and len(previous) == 2 and before.endswith("|") and not before.endswith("||"):
        return previous[1]
    return None


def _note_stdin_build(found: _Findings, shell: _Shell, piped: str | None, source: str, kind: str,
                      shown: str) -> None:
    """`cat Dockerfile | docker build -`: the Dockerfile piped in is built with no context at all."""
    if piped is None or not _resolved(piped) or _is_remote(piped):
        return
    for directory in shell.directories or (None,):
        dockerfile = _absolute(piped, directory)
        if dockerfile in found.dockerfiles:  # only a Dockerfile of the repository's is worth a note
            found.builds.append(BuildUse(dockerfile, None, source, kind, sends_context=False))
            return


def _newline_offsets(text: str) -> list[int]:
    offsets, index = [], text.find("\n")
    while index >= 0:
        offsets.append(index)
        index = text.find("\n", index + 1)
    return offsets


def _shell_commands(text: str) -> list[tuple[int, list[str]]]:
    """The simple commands of a shell text: (offset, words). Quotes are removed; `$(…)`, `${…}`
    and backquotes stay whole, to be expanded or found unknowable; `;`, `&`, `|`, parentheses
    and line ends separate commands; redirections, heredoc bodies and comments are skipped."""
    if "<<" in text:
        text = _without_heredoc_bodies(text)
    commands: list[tuple[int, list[str]]] = []
    words: list[str] = []
    word: list[str] | None = None
    first = index = 0
    while index < len(text):
        char = text[index]
        if char in " \t\r" or char in SEPARATORS or (char == "#" and word is None):
            if word is not None:
                words.append("".join(word))
                word = None
            if char == "#":
                index = _line_end(text, index)
                continue
            if char in SEPARATORS and words:
                commands.append((first, words))
                words = []
            index += 1
            continue
        if char in "<>":
            if word is not None and "".join(word).isdigit():  # the descriptor of `2>file`
                word = None
            index = _redirection_end(text, index)
            continue
        if word is None:
            word = []
            first = index if not words else first
        index = _read_word_part(text, index, word)
    if word is not None:
        words.append("".join(word))
    if words:
        commands.append((first, words))
    return commands


def _read_word_part(text: str, index: int, word: list[str]) -> int:
    """Append the part of a word at `index` (a quoted string, an expansion, a character) and
    return where the next part starts."""
    char = text[index]
    if char == "\\":
        if text[index + 1:index + 2] not in ("\n", ""):
            word.append(text[index + 1])
        return index + 2
    if char == "'":
        end = _quote_end(text, index)
        word.append(text[index + 1:end])
        return end + 1
    if char == '"':
        end = _quote_end(text, index)
        word.append(re.sub(r'\\([\\"$`])|\\\n', lambda match: match.group(1) or "", text[index + 1:end]))
        return end + 1
    if char == "$" and text[index + 1:index + 2] in ("(", "{"):
        end = _group_end(text, index + 1)
        word.append(text[index:end + 1])
        return end + 1
    if char == "`":
        end = text.find("`", index + 1)
        end = len(text) - 1 if end < 0 else end
        word.append(text[index:end + 1])
        return end + 1
    word.append(char)
    return index + 1


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end


def _quote_end(text: str, start: int) -> int:
    """The index of the quote closing the one at `start` (expansions inside "…" skipped)."""
    if text[start] == "'":
        end = text.find("'", start + 1)
        return len(text) - 1 if end < 0 else end
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == '"':
            return index
        if char == "$" and text[index + 1:index + 2] in ("(", "{"):
            index = _group_end(text, index + 1)
        index += 1
    return len(text) - 1


def _group_end(text: str, start: int) -> int:
    """The index of the bracket closing the `(` or `{` at `start`, nested ones and quotes skipped."""
    opening = text[start]
    closing = ")" if opening == "(" else "}"
    depth, index = 0, start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char in "'\"" and opening == "(":
            index = _quote_end(text, index) + 1
            continue
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return len(text) - 1


def _redirection_end(text: str, index: int) -> int:
    """Where the text after a redirection (`>file`, `2>&1`, `<<EOF`) starts."""
    while index < len(text) and text[index] in "<>&|-":
        index += 1
    while index < len(text) and text[index] in " \t":
        index += 1
    part: list[str] = []
    while index < len(text) and text[index] not in " \t\r" + SEPARATORS + "<>":
        index = _read_word_part(text, index, part)
    return index


def _without_heredoc_bodies(text: str) -> str:
    """The text with each heredoc's body (and end line) blanked, newlines kept: what a script
    writes to a file is not run, and the offsets of what is run stay where they were."""
    position = 0
    while (heredoc := HEREDOC.search(text, position)) is not None:
        body_start = _line_end(text, heredoc.end()) + 1
        indent = "[ \t]*" if heredoc.group(1) else ""
        end_line = re.compile(rf"^{indent}{re.escape(heredoc.group(3))}[ \t]*$", re.M).search(text, body_start)
        body_end = end_line.end() if end_line else len(text)
        text = text[:body_start] + re.sub(r"[^\n]", " ", text[body_start:body_end]) + text[body_end:]
        position = max(body_end, heredoc.end())
    return text


def _expand(word: str, shell: _Shell) -> str:
    if "$" not in word:
        return word
    return SHELL_EXPANSION.sub(lambda match: _expansion(match, shell), word)


def _expansion(match, shell: _Shell) -> str:
    braced, command, bare = match.groups()
    if command is not None:
        return _command_output(command.strip(), shell)
    expression = braced if braced is not None else bare
    name_match = VARIABLE_NAME.match(expression)
    name = name_match.group(0) if name_match else expression
    rest = expression[len(name):]
    value = _variable(name, shell)
    if value is not None and (not rest or rest.startswith((":-", "-", ":=", "="))):
        return value
    return _unknown(name)


def _variable(name: str, shell: _Shell) -> str | None:
    if name in shell.variables:
        return shell.variables[name]
    if name in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
        return shell.root
    if name == "PWD" and shell.directories:
        return shell.directories[0]
    return None


def _command_output(command: str, shell: _Shell) -> str:
    """What `$(command)` prints, for the commands scripts use to find their directories."""
    if command == "pwd" and shell.directories:
        return shell.directories[0]
    if command == "git rev-parse --show-toplevel":
        return shell.root
    if shell.script is not None and SCRIPT_DIRECTORY.fullmatch(command):
        return os.path.dirname(shell.script)
    if match := CD_AND_PWD.fullmatch(command):
        target = _shell_commands(match.group(1))
        if target and target[0][1]:
            path = _absolute(_expand(target[0][1][0], shell), shell.directories[0] if shell.directories else None)
            if path is not None:
                return path
    return _unknown(command)


def _unknown(name: str) -> str:
    words = name.split()
    return f"{UNKNOWN}{words[0][:40] if words else '?'}{UNKNOWN}"


def _resolved(word: str) -> bool:
    return UNKNOWN not in word and "$" not in word and "`" not in word and "{{" not in word


def _change_directory(words: list[str], shell: _Shell) -> bool:
    if not words or words[0] not in ("cd", "pushd", "popd"):
        return False
    if words[0] == "popd":
        shell.directories = shell.pushed.pop() if shell.pushed else ()
        return True
    if words[0] == "pushd":
        shell.pushed.append(shell.directories)
    target = next((word for word in words[1:] if not word.startswith("-")), None)
    if target is None or not _resolved(target):
        shell.directories = ()
    elif os.path.isabs(target):
        shell.directories = (os.path.normpath(target),)
    else:
        shell.directories = tuple(dict.fromkeys(os.path.normpath(os.path.join(where, target))
                                                for where in shell.directories))
    return True


def _assign(words: list[str], shell: _Shell) -> bool:
    """Remember `NAME=value` (and `export NAME=value`); a command with assignments before it
    only sets them for itself."""
    declared = bool(words) and words[0] in DECLARATIONS
    names = [word for word in (words[1:] if declared else words) if not word.startswith("-")]
    assignments = [ASSIGNMENT.fullmatch(word) for word in names]
    if not names or not all(assignments):
        return declared
    for assignment in assignments:
        shell.variables[assignment.group(1)] = assignment.group(2)
    return True


def _container_build(words: list[str]) -> tuple[str, str | None, str | None] | None:
    """(tool, the -f word, the context word) when the words run a container build. `docker
    buildx bake` and `docker compose build` are not: their files are read as such."""
    words = _command_words(words)
    if not words:
        return None
    if words[0].endswith("kaniko/executor") or words[0] == "executor":
        return ("kaniko", *_kaniko_arguments(words[1:]))
    tool = _build_tool(words[0])
    rest = words[1:]
    if rest[:1] in (["buildx"], ["image"], ["builder"]):
        rest = rest[1:]
    if tool is None or not rest or rest[0] not in BUILD_SUBCOMMANDS:
        return None
    return (tool, *_build_arguments(rest[1:]))


def _container_run(words: list[str]) -> tuple[str, list[str], list[str]] | None:
    """(the image, the -v values, the --mount values) of `docker run` (podman, nerdctl), or None."""
    words = _command_words(words)
    if not words or _build_tool(words[0]) is None:
        return None
    rest = words[2:] if words[1:2] == ["container"] else words[1:]
    if rest[:1] != ["run"]:
        return None
    volumes: list[str] = []
    mounts: list[str] = []
    index = 1
    while index < len(rest):
        word = rest[index]
        index += 1
        flag, equals, value = word.partition("=")
        if flag in ("-v", "--volume", "--mount"):
            if not equals:
                value, index = (rest[index] if index < len(rest) else ""), index + 1
            (mounts if flag == "--mount" else volumes).append(value)
        elif word.startswith("-v") and len(word) > 2 and not word.startswith("--"):
            volumes.append(word[2:])
        elif not word.startswith("-"):
            return word, volumes, mounts
        elif not equals and flag in RUN_VALUE_FLAGS:
            index += 1
    return None


def _as_written(word: str) -> str:
    """A word with what could not be expanded shown as the variable it was (`$DIR`)."""
    return "".join("$" + part if number % 2 else part for number, part in enumerate(word.split(UNKNOWN)))


def _bind_mount(option: str, where: str) -> Mount:
    """`--mount type=bind,source=/srv,target=/data,readonly` as a Mount."""
    parts = (part.partition("=") for part in option.split(","))
    fields = {name: value if equals else "true" for name, equals, value in parts}
    source = fields.get("source") or fields.get("src") or ""
    target = fields.get("target") or fields.get("destination") or fields.get("dst") or ""
    read_only = fields.get("readonly", fields.get("ro", "false")) in ("true", "1")
    return Mount(target, source, where, read_only)


def _tags(words: list[str]) -> list[str]:
    """The `-t`/`--tag` values of a build command."""
    found = []
    for index, word in enumerate(words):
        if word in ("-t", "--tag") and index + 1 < len(words):
            found.append(words[index + 1])
        elif word.startswith(("--tag=", "-t=")):
            found.append(word.split("=", 1)[1])
    return found


def _image_name(reference: str) -> str:
    """An image reference without its tag or digest, and without Docker Hub's implied parts."""
    name = reference.split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    for prefix in ("docker.io/", "index.docker.io/", "library/"):
        name = name.removeprefix(prefix)
    return name


def _command_words(words: list[str]) -> list[str]:
    """The words from the program on: without `sudo`, `env`, shell keywords, assignments."""
    index = 0
    while index < len(words) and (words[index] in COMMAND_PREFIXES or ASSIGNMENT.fullmatch(words[index])
                                  or (index and words[index].startswith("-"))):
        index += 1
    return words[index:]


def _build_tool(program: str) -> str | None:
    if program.startswith(UNKNOWN) and program.endswith(UNKNOWN):  # `$(CONTAINER_TOOL) build`
        return "podman" if ENGINE_VARIABLE.search(program) else None
    return BUILD_TOOLS.get(os.path.basename(program))


def _build_arguments(arguments: list[str]) -> tuple[str | None, str | None]:
    # a variable of options expanded into one word (`ARGS="-t x -f d/Dockerfile"; build $ARGS .`)
    arguments = [part for argument in arguments
                 for part in (argument.split() if argument.startswith("-") and any(c.isspace() for c in argument)
                              else [argument])]
    dockerfile, positionals, index = None, [], 0
    while index < len(arguments):
        argument = arguments[index]
        index += 1
        if argument in ("-f", "--file"):
            dockerfile = arguments[index] if index < len(arguments) else None
            index += 1
        elif argument.startswith("--file="):
            dockerfile = argument[len("--file="):]
        elif argument.startswith("-f") and len(argument) > 2:
            dockerfile = argument[2:].lstrip("=")
        elif argument in VALUE_FLAGS:
            index += 1
        elif argument == "-" or not argument.startswith("-"):
            positionals.append(argument)
    hidden = [word for word in positionals[:-1] if word.startswith(UNKNOWN) and word.endswith(UNKNOWN)]
    if dockerfile is None and hidden and positionals[-1] != "-":
        dockerfile = hidden[0]  # `build $ARGS .`: the words may hold `-f`, so which Dockerfile is not known
    return dockerfile, positionals[-1] if positionals else None


def _kaniko_arguments(arguments: list[str]) -> tuple[str | None, str | None]:
    values: dict[str, str] = {}
    index = 0
    while index < len(arguments):
        flag, equals, value = arguments[index].partition("=")
        index += 1
        if flag in ("-c", "--context", "-f", "--dockerfile"):
            if not equals:
                value = arguments[index] if index < len(arguments) else ""
                index += 1
            values["context" if flag in ("-c", "--context") else "dockerfile"] = value
    context = values.get("context")
    if context is not None and context.startswith("dir://"):
        context = context[len("dir://"):]
    return values.get("dockerfile"), context


def _note_build(found: _Findings, shell: _Shell, command: tuple[str, str | None, str | None], source: str,
                kind: str, shown: str) -> None:
    """Resolve a build command's Dockerfile and context against the places the shell may be,
    preferring one where the Dockerfile is the repository's."""
    tool, dockerfile_word, context_word = command
    if "-" in (dockerfile_word, context_word) or _is_remote(context_word) or _is_remote(dockerfile_word):
        return  # a Dockerfile from stdin, or a remote context: nothing of this repository's
    best = None
    for directory in shell.directories or (None,):
        candidate = _locate(found.dockerfiles, tool, dockerfile_word, context_word, directory)
        if best is None or candidate[0] in found.dockerfiles:
            best = candidate
            if candidate[0] in found.dockerfiles:
                break
    dockerfile, context = best  # type: ignore[misc]  # set: the loop runs at least once
    where = shell.directories[0] if shell.directories else None
    patterns = () if dockerfile else _patterns(tool, dockerfile_word, context_word, where)
    found.build(dockerfile, context, source, kind, shown, patterns)


def _locate(known: frozenset[str], tool: str, dockerfile_word: str | None, context_word: str | None,
            directory: str | None) -> tuple[str | None, str | None]:
    """The Dockerfile and context of a build run in `directory`. Docker reads -f from where it
    runs; podman, buildah and kaniko try the context too."""
    context = _absolute(context_word, directory)
    if dockerfile_word is None:
        if context is None:
            return None, None
        names = ("Dockerfile",) if tool == "docker" else ("Containerfile", "Dockerfile")
        paths = [os.path.join(context, name) for name in names]
        return next((path for path in paths if path in known), paths[-1]), context
    options = [_absolute(dockerfile_word, directory)]
    if tool != "docker" and context is not None:
        options.append(_absolute(dockerfile_word, context))
    options = [option for option in options if option is not None]
    dockerfile = next((option for option in options if option in known), options[0] if options else None)
    if context_word is None and tool == "podman" and dockerfile is not None:
        context = os.path.dirname(dockerfile)  # buildah: the Containerfile's directory
    return dockerfile, context


def _patterns(tool: str, dockerfile_word: str | None, context_word: str | None,
              directory: str | None) -> tuple[str, ...]:
    """Which Dockerfiles a build that could not be read may be of."""
    if dockerfile_word is not None:
        return (_pattern(dockerfile_word, directory),)
    base = _pattern(context_word or "*", directory).rstrip("/")
    names = ("Dockerfile",) if tool == "docker" else ("Containerfile", "Dockerfile")
    return tuple(f"{base}/{name}" for name in names)


def _pattern(word: str, base: str | None) -> str:
    """The word as an fnmatch pattern over absolute paths: what could not be read becomes `*`."""
    pattern = UNRESOLVED_PART.sub("*", word)
    if pattern.startswith(("*", "/")):
        return pattern
    return "*/" + pattern if base is None else os.path.normpath(os.path.join(base, pattern))


def _absolute(word: str | None, base: str | None) -> str | None:
    """The word as an absolute path, when it can be known."""
    if word is None or not _resolved(word):
        return None
    if word.startswith("cwd://"):  # bake's "relative to where it runs"
        word = word[len("cwd://"):]
    if os.path.isabs(word):
        return os.path.normpath(word)
    return None if base is None else os.path.normpath(os.path.join(base, word))


def _is_remote(word: str | None) -> bool:
    return word is not None and ("://" in word.replace("cwd://", "") or word.startswith(("git@", "github.com/")))


def _directories(directory: str, root: str) -> tuple[str, ...]:
    """Where a script or Makefile may run: its own directory, else the repository root."""
    return tuple(dict.fromkeys((directory, root)))


def _read_script(found: _Findings, path: str, text: str) -> None:
    shell = _Shell(_directories(os.path.dirname(path), found.root), {}, found.root, script=path)
    _run_shell(found, text, shell, path, 1, "script")


# --- Makefiles -----------------------------------------------------------------------------------

def _make_reader(read, makefiles: list[str]):
    """A reader of Makefiles that knows every Makefile's simple variables: `include`d .mk files
    define what the Makefile's recipes use. A name defined differently in two places is unknowable."""
    shared: dict[str, str | None] = {}
    for path in makefiles:
        text = read(path)
        for name, value in _make_variables(_make_lines(text or "")).items():
            shared[name] = value if shared.get(name, value) == value else None

    def read_makefile(found: _Findings, path: str, text: str) -> None:
        lines = _make_lines(text)
        directory = os.path.dirname(path)
        variables = {"CURDIR": directory, **shared, **_make_variables(lines)}
        for number, line in lines:
            if line.startswith("\t"):
                recipe = _expand_make(line.strip().lstrip("@-+ \t"), variables)
                shell = _Shell(_directories(directory, found.root), {}, found.root)
                _run_shell(found, recipe, shell, path, number, "makefile")
    return read_makefile


def _make_lines(text: str) -> list[tuple[int, str]]:
    """The logical lines (backslash-newline joined), each with the line it starts on."""
    lines: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 1
    for number, line in enumerate(text.split("\n"), 1):
        if not pending:
            start = number
        if line.endswith("\\"):
            pending.append(line[:-1])
            continue
        lines.append((start, " ".join((*pending, line))))
        pending = []
    if pending:
        lines.append((start, " ".join(pending)))
    return lines


def _make_variables(lines: list[tuple[int, str]]) -> dict[str, str | None]:
    """`NAME = value`, `:=`, `::=`, `?=` outside recipes and `define` blocks; `+=`, `!=` and a
    second, different definition make the name unknowable."""
    variables: dict[str, str | None] = {}
    defining = False
    for _, line in lines:
        stripped = line.strip()
        if line.startswith("\t") or defining or stripped.startswith("define "):
            defining = (defining or stripped.startswith("define ")) and stripped != "endef"
            continue
        match = MAKE_DEFINITION.fullmatch(stripped)
        if match:
            name, operator, value = match.groups()
            value = None if operator in ("+=", "!=") else value.split("#", 1)[0].strip()
            variables[name] = value if variables.get(name, value) == value else None
    return variables


def _expand_make(text: str, variables: dict[str, str | None]) -> str:
    """Make's expansion of a recipe line: known variables replaced, unknown ones marked, `$$`
    left to the shell as `$`."""
    text = text.replace("$$", MAKE_ESCAPED_DOLLAR)
    for _ in range(10):
        expanded = MAKE_REFERENCE.sub(lambda match: _make_value(match, variables), text)
        if expanded == text:
            break
        text = expanded
    return text.replace(MAKE_ESCAPED_DOLLAR, "$")


def _make_value(match, variables: dict[str, str | None]) -> str:
    name = (match.group(1) or match.group(2) or match.group(3) or "").strip()
    value = variables.get(name)
    if value is None or " " in name or ":" in name:
        return _unknown(name)
    return value.replace("$$", MAKE_ESCAPED_DOLLAR)


# --- YAML with lines -----------------------------------------------------------------------------

class _LineText(str):
    """A YAML scalar that knows the line its text starts on."""

    line = 1


class _LineMapping(dict):
    """A YAML mapping that knows the line it starts on."""

    line = 1


def _load_yaml(text: str):
    """The document, its mappings and scalars knowing their lines (`.line`); None when the text
    is not one YAML document. Scalars stay strings: a build file's paths are text."""
    from ruamel.yaml import YAML

    try:
        node = YAML(typ="safe").compose(text)
        return None if node is None else _plain(node, [200_000])
    except Exception:  # noqa: BLE001 - ruamel raises several kinds; each means "not readable"
        return None


def _plain(node, budget: list[int]):
    """Python values for a composed node; `<<` merges applied. The budget stops alias bombs."""
    budget[0] -= 1
    if budget[0] < 0:
        raise ValueError("too many YAML nodes")
    if node.id == "scalar":
        if node.tag.endswith(":null"):
            return None
        text = _LineText(node.value)
        text.line = node.start_mark.line + 1 + (node.style in ("|", ">"))
        return text
    if node.id == "sequence":
        return [_plain(item, budget) for item in node.value]
    mapping = _LineMapping()
    mapping.line = node.start_mark.line + 1
    for key, value in node.value:
        if key.tag.endswith(":merge"):
            merged = _plain(value, budget)
            for each in merged if isinstance(merged, list) else [merged]:
                for name, item in (each.items() if isinstance(each, dict) else ()):
                    mapping.setdefault(name, item)
        else:
            mapping[_plain(key, budget)] = _plain(value, budget)
    return mapping


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _nested(value, *keys):
    for key in keys:
        value = _mapping(value).get(key)
    return value


def _string(value) -> str | None:
    return value if isinstance(value, str) else None


def _line(value, default: int = 1) -> int:
    return getattr(value, "line", default)


def _key_line(mapping: dict, key: str) -> int:
    return next((_line(name, _line(mapping)) for name in mapping if name == key), _line(mapping))


def _unparsed(found: _Findings, path: str, document, text: str) -> bool:
    """Whether the document is not the mapping it must be; noted when the text builds something."""
    if isinstance(document, dict):
        return False
    if document is None and text.strip():
        found.unreadable(path, "cannot be parsed as YAML")
    return True


# --- Compose, bake, goreleaser -------------------------------------------------------------------

def _read_compose(found: _Findings, path: str, text: str) -> None:
    """`services.*.build`: a context, or `context` and `dockerfile` (relative to the context)."""
    document = _load_yaml(text)
    if _unparsed(found, path, document, text):
        return
    base = os.path.dirname(path)
    for name, value in _mapping(document.get("services")).items():
        service = _mapping(value)
        build = service.get("build")
        key = (base, str(name), OVERRIDE_SUFFIX.sub("", path) if build is not None else "")
        if service.get("volumes") is not None:
            where = found.source(path, _key_line(service, "volumes"))
            found.service_mounts.setdefault(key, []).extend(_compose_mounts(service["volumes"], where))
        if build is None or "dockerfile_inline" in _mapping(build):
            continue
        context_word = build if isinstance(build, str) else _string(_mapping(build).get("context")) or "."
        dockerfile_word = _string(_mapping(build).get("dockerfile")) or "Dockerfile"
        source = found.source(path, _key_line(service, "build"))
        dockerfile = _note_relative_build(found, base, context_word, dockerfile_word, source, "compose",
                                          f"build: context={context_word} dockerfile={dockerfile_word}")
        if dockerfile is not None:
            found.service_builds.setdefault(key, set()).add(dockerfile)


def _split_outside_braces(entry: str) -> list[str]:
    """`${DATA:-./data}:/data:ro` at the colons that are not inside `${…}`."""
    parts, depth, start = [], 0, 0
    for position, character in enumerate(entry):
        if entry.startswith("${", position):
            depth += 1
        elif character == "}" and depth:
            depth -= 1
        elif character == ":" and not depth:
            parts.append(entry[start:position])
            start = position + 1
    return [*parts, entry[start:]]


def _compose_mounts(volumes, where: str) -> list[Mount]:
    """A service's `volumes:`, short (`src:/target:ro`) and long (`target:`, `read_only:`) forms."""
    mounts = []
    for entry in volumes if isinstance(volumes, list) else ():
        if isinstance(entry, str):
            parts = _split_outside_braces(entry)
            if len(parts) > 1 and len(parts[0]) == 1 and parts[0].isalpha():  # C:\data:/data
                parts = [f"{parts[0]}:{parts[1]}", *parts[2:]]
            source, target = (parts[0], parts[1]) if len(parts) > 1 else ("", parts[0])
            read_only = len(parts) > 2 and "ro" in parts[2].split(",")
        elif isinstance(entry, dict):
            source, target = _string(entry.get("source")) or "", _string(entry.get("target")) or ""
            read_only = str(entry.get("read_only")).lower() == "true"
        else:
            continue
        if target.startswith("/") or "$" in target:  # a target a variable names: still a mount
            mounts.append(Mount(target, source, where, read_only))
    return mounts


def _note_relative_build(found: _Findings, base: str, context_word: str, dockerfile_word: str, source: str,
                         kind: str, shown: str) -> str | None:
    """A build whose context is relative to `base` and whose Dockerfile is relative to the
    context; the Dockerfile's path, where it is known."""
    if _is_remote(context_word):
        return None
    context = _absolute(context_word, base)
    dockerfile = _absolute(dockerfile_word, context) if context or os.path.isabs(dockerfile_word) else None
    found.build(dockerfile, context, source, kind, shown,
                (_pattern(dockerfile_word, _pattern(context_word, base)),))
    return dockerfile


def _read_bake(found: _Findings, path: str, text: str) -> None:
    """Every target, with what it inherits; paths relative to the bake file's directory."""
    targets = _bake_targets_json(text) if path.endswith(".json") else _bake_targets_hcl(text)
    if targets is None:
        found.unreadable(path, "cannot be parsed")
        return
    grouped = _bake_grouped(text, path)
    parents = {parent for _, attributes in targets.values() for parent in attributes.get("inherits", ())}
    for name, (line, _) in targets.items():
        if name in parents and name not in grouped:
            continue  # only inherited from: a set of defaults, not an image
        attributes = _bake_attributes(targets, name, 0)
        if "dockerfile-inline" in attributes or str(attributes.get("context", "")).startswith("target:"):
            continue
        context_word, dockerfile_word = attributes.get("context", "."), attributes.get("dockerfile", "Dockerfile")
        _note_relative_build(found, os.path.dirname(path), context_word, dockerfile_word,
                             found.source(path, line), "bake",
                             f'target "{name}": context={context_word} dockerfile={dockerfile_word}')


def _bake_targets_hcl(text: str) -> dict[str, tuple[int, dict]]:
    """`target "name" { … }` blocks with their string attributes; an attribute that is not a
    plain string (a variable, a function) is marked unknown."""
    targets = {}
    for match in BAKE_TARGET.finditer(text):
        body = text[match.end():_block_end(text, match.end() - 1)]
        attributes: dict = {}
        for attribute in BAKE_ATTRIBUTE.finditer(body):
            name, value = attribute.groups()
            literal = HCL_STRING.match(value)
            rest = value[literal.end():].strip() if literal else value
            attributes[name] = literal.group(1) if literal and (not rest or rest.startswith(("#", "//"))) \
                else _unknown(value)
        if inherits := BAKE_INHERITS.search(body):
            attributes["inherits"] = HCL_STRING.findall(inherits.group(1))
        targets[match.group(1)] = (text.count("\n", 0, match.start()) + 1, attributes)
    return targets


def _bake_grouped(text: str, path: str) -> set[str]:
    """The targets groups name: those are built, whether or not others inherit from them."""
    if path.endswith(".json"):
        import json

        try:
            groups = _mapping(_mapping(json.loads(text)).get("group"))
        except ValueError:
            return set()
        return {name for group in groups.values() for name in _list(_mapping(group).get("targets"))
                if isinstance(name, str)}
    return {name for match in BAKE_GROUP_TARGETS.finditer(text) for name in HCL_STRING.findall(match.group(1))}


def _block_end(text: str, start: int) -> int:
    """The index of the `}` closing the `{` at `start`; strings and comments skipped."""
    depth, index = 0, start
    while index < len(text):
        char = text[index]
        if char == '"':
            literal = HCL_STRING.match(text, index)
            index = literal.end() if literal else index + 1
            continue
        if char == "#" or text.startswith("//", index):
            index = _line_end(text, index)
            continue
        depth += (char == "{") - (char == "}")
        if depth == 0:
            return index
        index += 1
    return len(text)


def _bake_targets_json(text: str) -> dict[str, tuple[int, dict]] | None:
    import json

    try:
        document = json.loads(text)
    except ValueError:
        return None
    targets = _mapping(_mapping(document).get("target"))
    return {name: (text.count("\n", 0, max(text.find(f'"{name}"'), 0)) + 1,
                   {key: value for key, value in _mapping(target).items() if isinstance(value, (str, list))})
            for name, target in targets.items()}


def _bake_attributes(targets: dict[str, tuple[int, dict]], name: str, depth: int) -> dict:
    """The target's attributes over those it inherits (a chain of inheritance is followed ten deep)."""
    own = targets[name][1]
    merged: dict = {}
    for parent in own.get("inherits", ()) if depth < 10 else ():
        if isinstance(parent, str) and parent in targets:
            merged.update(_bake_attributes(targets, parent, depth + 1))
    merged.update((key, value) for key, value in own.items() if key != "inherits" and isinstance(value, str))
    return merged


def _read_goreleaser(found: _Findings, path: str, text: str) -> None:
    """`dockers:` and `dockers_v2:` build their Dockerfile (default `Dockerfile`) from a directory
    goreleaser fills with the binaries it built: never the source. `kos:` builds no Dockerfile."""
    document = _load_yaml(text)
    if _unparsed(found, path, document, text):
        return
    base = os.path.dirname(path)
    for key in ("dockers", "dockers_v2"):
        entries = document.get(key)
        for entry in entries if isinstance(entries, list) else ():
            word = _string(_mapping(entry).get("dockerfile")) or "Dockerfile"
            found.build(_absolute(word, base), None, found.source(path, _line(entry)), "goreleaser",
                        f"{key}: dockerfile={word}", (_pattern(word, base),), prebuilt=True)


# --- GitHub Actions ------------------------------------------------------------------------------

def _read_workflow(found: _Findings, path: str, text: str) -> None:
    document = _load_yaml(text)
    if _unparsed(found, path, document, text):
        return
    for job in _mapping(document.get("jobs")).values():
        if isinstance(job, dict):
            _read_job(found, path, document, job)


def _read_job(found: _Findings, path: str, workflow: dict, job: dict) -> None:
    """Each step, for each row of the job's matrix; a job's builds whose context is where it
    downloaded artifacts are built from artifacts."""
    steps = [step for step in job.get("steps") or () if isinstance(step, dict)]
    start, counted, stamps = len(found.builds), found.count(), []
    for row in _matrix_rows(job):
        def expand(text: str, row=row) -> str:
            return _github_text(text, row, found.root)
        variables = {**_env(workflow, expand), **_env(job, expand)}
        directory = _string(_nested(job, "defaults", "run", "working-directory")) \
            or _string(_nested(workflow, "defaults", "run", "working-directory")) or "."
        for step in steps:
            stamps += _read_step(found, path, step, expand, variables, directory)
    if found.count() > counted:
        found.stamps += stamps
    if downloads := _artifact_directories(steps, found.root):
        found.mark_prebuilt(start, downloads)


def _read_step(found: _Findings, path: str, step: dict, expand, variables: dict, directory: str) -> list[str]:
    """Note the step's builds; return its lines that call git (stamps, if the job builds)."""
    action = (_string(step.get("uses")) or "").split("@")[0].lower()
    if action == "docker/build-push-action":
        _build_push_action(found, path, step, expand)
    elif action == "redhat-actions/buildah-build":
        _buildah_action(found, path, step, expand)
    run = _string(step.get("run"))
    if run is None:
        return []
    where = _absolute(expand(_string(step.get("working-directory")) or directory), found.root)
    shell = _Shell((where,) if where else (), {**variables, **_env(step, expand)}, found.root)
    text = expand(run)
    _run_shell(found, text, shell, path, _line(run), "github-actions")
    return [f"{found.source(path, _line(run) + number)}: {_shown(line)}"
            for number, line in enumerate(run.split("\n")) if GIT_CALL.search(line)]  # as written, once


def _build_push_action(found: _Findings, path: str, step: dict, expand) -> None:
    """docker/build-push-action: `context` (default: the git context, the repository's root) and
    `file` (default `{context}/Dockerfile`; otherwise relative to the workspace)."""
    inputs = _mapping(step.get("with"))
    context_word = expand(_string(inputs.get("context")) or ".")
    file_word = expand(_string(inputs.get("file")) or "")
    if context_word.startswith("{{defaultContext}}"):
        context_word = context_word[len("{{defaultContext}}"):].lstrip(":") or "."
    if _is_remote(context_word):
        return
    context = _absolute(context_word, found.root)
    if file_word:
        dockerfile, pattern = _absolute(file_word, found.root), _pattern(file_word, found.root)
    else:
        dockerfile = context and os.path.join(context, "Dockerfile")
        pattern = _pattern(context_word, found.root).rstrip("/") + "/Dockerfile"
    found.build(dockerfile, context, found.source(path, _line(step)), "github-actions",
                f"{step.get('uses')} context={context_word} file={file_word or '(default)'}", (pattern,))


def _buildah_action(found: _Findings, path: str, step: dict, expand) -> None:
    """redhat-actions/buildah-build: each of `containerfiles` (or `dockerfiles`) with `context`."""
    inputs = _mapping(step.get("with"))
    context_word = expand(_string(inputs.get("context")) or ".")
    files = _string(inputs.get("containerfiles")) or _string(inputs.get("dockerfiles")) or ""
    context = _absolute(context_word, found.root)
    for word in expand(files).split():
        found.build(_absolute(word, found.root), context, found.source(path, _line(step)), "github-actions",
                    f"{step.get('uses')} context={context_word} containerfile={word}",
                    (_pattern(word, found.root),))


def _env(holder: dict, expand) -> dict[str, str]:
    return {name: expand(value) for name, value in _mapping(holder.get("env")).items() if isinstance(value, str)}


def _github_text(text: str, row: dict, root: str) -> str:
    """The text with the expressions this model can know replaced: the workspace, the matrix."""
    if "${{" not in text:
        return text

    def value(match) -> str:
        expression = match.group(1)
        if expression == "github.workspace":
            return root
        if expression.startswith("matrix."):
            found: object = row
            for key in expression[len("matrix."):].split("."):
                found = _mapping(found).get(key)
            if isinstance(found, str):
                return found
        return match.group(0)
    return GITHUB_EXPRESSION.sub(value, text)


def _matrix_rows(job: dict) -> list[dict]:
    """The combinations of the job's matrix, with GitHub's `include` rule; [{}] without one."""
    matrix = _nested(job, "strategy", "matrix")
    if not isinstance(matrix, dict):
        return [{}]
    axes = {key: values for key, values in matrix.items() if key not in ("include", "exclude")
            and isinstance(values, list)}
    rows: list[dict] = [{}] if axes else []
    for key, values in axes.items():
        rows = [{**row, key: value} for row in rows for value in values][:MAX_MATRIX_ROWS]
    include = matrix.get("include")
    for extra in include if isinstance(include, list) else ():
        if isinstance(extra, dict):
            fitting = [row for row in rows if axes and all(row.get(key) == value for key, value in extra.items()
                                                           if key in axes)]
            for row in fitting:
                row.update(extra)
            if not fitting:
                rows.append(dict(extra))
    return rows[:MAX_MATRIX_ROWS] or [{}]


def _artifact_directories(steps: list[dict], root: str) -> tuple[str, ...]:
    """Where the job's actions/download-artifact steps put artifacts. The workspace root counts
    only in a job that checks out no source: then everything there is an artifact."""
    downloads, checked_out = [], False
    for step in steps:
        action = (_string(step.get("uses")) or "").split("@")[0].lower()
        if action == "actions/checkout":
            checked_out = True
        elif action == "actions/download-artifact":
            where = _string(_mapping(step.get("with")).get("path")) or "."
            downloads.append(_absolute(_github_text(where, {}, root), root))
    return tuple(where for where in downloads if where and (where != root or not checked_out))


# --- GitLab CI -----------------------------------------------------------------------------------

def _read_gitlab(found: _Findings, path: str, text: str) -> None:
    """Each job's script lines (before_script and script share a shell). A build whose context
    is where another job leaves its artifacts is built from artifacts."""
    document = _load_yaml(text)
    if _unparsed(found, path, document, text):
        return
    variables = _gitlab_variables(document.get("variables"))
    jobs = {name: _gitlab_extended(document, job, 0) for name, job in document.items()
            if name not in GITLAB_KEYWORDS and not name.startswith(".") and isinstance(job, dict)}
    artifacts = {name: _gitlab_artifacts(job, found.root) for name, job in jobs.items()}
    for name, job in jobs.items():
        start, counted = len(found.builds), found.count()
        stamps = _read_gitlab_job(found, path, document, job, variables)
        if found.count() > counted:
            found.stamps += stamps
        elsewhere = tuple(where for other, places in artifacts.items() if other != name for where in places)
        if elsewhere:
            found.mark_prebuilt(start, elsewhere)


def _gitlab_extended(document: dict, job: dict, depth: int) -> dict:
    """The job with what it `extends:` (hidden jobs run only through the jobs that extend them):
    mappings merged key by key, anything else the job's own (GitLab's rule, ten levels deep)."""
    bases = job.get("extends")
    merged: dict = {}
    for name in ([bases] if isinstance(bases, str) else _list(bases)) if depth < 10 else ():
        if isinstance(name, str) and isinstance(document.get(name), dict):
            merged = _deep_merge(merged, _gitlab_extended(document, document[name], depth + 1))
    return _deep_merge(merged, job) if merged else job


def _deep_merge(base: dict, over: dict) -> dict:
    merged = _LineMapping(base)
    merged.line = _line(over)
    for key, value in over.items():
        merged[key] = _deep_merge(base[key], value) if isinstance(value, dict) and isinstance(
            base.get(key), dict) else value
    return merged


def _read_gitlab_job(found: _Findings, path: str, document: dict, job: dict, variables: dict) -> list[str]:
    job_variables = {**variables, **_gitlab_variables(job.get("variables"))}
    before = job.get("before_script", _nested(document, "default", "before_script")
                     or document.get("before_script"))
    stamps: list[str] = []
    for part, fresh in ((before, True), (job.get("script"), False), (job.get("after_script"), True)):
        if fresh:
            shell = _Shell((found.root,), dict(job_variables), found.root)
        for line in _script_lines(part):
            _run_shell(found, line, shell, path, _line(line), "gitlab-ci")
            stamps += [f"{found.source(path, _line(line) + number)}: {_shown(text)}"
                       for number, text in enumerate(line.split("\n")) if GIT_CALL.search(text)]
    return stamps


def _script_lines(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [line for item in value for line in _script_lines(item)] if isinstance(value, list) else []


def _gitlab_variables(value) -> dict[str, str]:
    variables = {}
    for name, item in _mapping(value).items():
        item = _mapping(item).get("value") if isinstance(item, dict) else item
        if isinstance(item, str):
            variables[name] = item
    return variables


def _gitlab_artifacts(job: dict, root: str) -> list[str]:
    paths = _nested(job, "artifacts", "paths")
    return [where for word in paths if isinstance(word, str) and "*" not in word
            for where in [_absolute(word.rstrip("/") or ".", root)] if where] if isinstance(paths, list) else []


# --- Small helpers -------------------------------------------------------------------------------

def _dockerfile_git_lines(text: str) -> list[tuple[int, str]]:
    """The lines of RUN instructions that call git on the repository (or mount .git), and of
    COPY/ADD instructions that copy .git: the image is built from version-control data."""
    found, keyword, continued, heredoc = [], "", False, None
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if heredoc is not None:
            heredoc = None if stripped == heredoc else heredoc
        elif not continued:
            if not stripped or stripped.startswith("#"):
                continue
            keyword = stripped.split(None, 1)[0].upper()
            if keyword == "RUN" and (match := HEREDOC.search(line)):
                heredoc = match.group(3)
        elif stripped.startswith("#"):
            continue
        continued = heredoc is None and stripped.endswith("\\")
        if (keyword == "RUN" and (GIT_CALL.search(line) or GIT_FROM_CONTEXT.search(line))
                or keyword in ("COPY", "ADD") and COPIES_GIT.search(line + " ")):
            found.append((number, line))
    return found


def _shown(text: str) -> str:
    """A line as evidence: trimmed, unknown parts shown as variables, at most 160 characters."""
    text = " ".join(text.split()).replace(MAKE_ESCAPED_DOLLAR, "$")
    text = re.sub(f"{UNKNOWN}([^{UNKNOWN}]*){UNKNOWN}", r"$\1", text)
    return text if len(text) <= 160 else text[:157] + "..."


def _relative(path: str, root: str) -> str:
    if path.startswith(root + os.sep):
        return path[len(root) + 1:].replace(os.sep, "/")
    return os.path.relpath(path, root).replace(os.sep, "/")


def _within(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)
