"""The build context of a Dockerfile: the directory its COPY and ADD sources come from.

Facts are read on first use and cached, so a rule that never asks costs nothing, and many
Dockerfiles sharing one context read it once. A rule that gets no context (stdin, or a
context that does not exist) must fall back to a form that is right either way.
"""
from __future__ import annotations

import os
import posixpath
import re
from fnmatch import fnmatchcase
from functools import cached_property

from ..lazy_regex import lazy_regex
from ..records import record
from .dockerignore import IgnorePattern, is_ignored, parse_dockerignore
from .reading import read_text

GO_DIRECTIVE = lazy_regex(r"go[ \t]+(\S+)")
TOOLCHAIN_DIRECTIVE = lazy_regex(r"toolchain[ \t]+go(\S+)")
MODULE_DIRECTIVE = lazy_regex(r"""module[ \t]+["`]?([^\s"`]+)""")


@record(frozen=True)
class GoModule:
    path: str              # the module path, e.g. github.com/acme/server
    go: str | None         # the `go` directive, e.g. 1.22 or 1.22.3
    toolchain: str | None  # the `toolchain` directive without its `go` prefix
    local_replacements: tuple[str, ...] = ()  # `replace … => ./dir`: directories, as written


def parse_go_mod(text: str) -> GoModule:
    module, go, toolchain = (_directive(text, "module", MODULE_DIRECTIVE), _directive(text, "go", GO_DIRECTIVE),
                             _directive(text, "toolchain", TOOLCHAIN_DIRECTIVE))
    return GoModule(_value(module) or "", _value(go), _value(toolchain), _local_replacements(text))


def _local_replacements(text: str) -> tuple[str, ...]:
    """The directories `replace` directives point to (a replacement starting with ./, ../ or /
    is a directory, by the go.mod reference), single-line or in a `replace ( … )` block.
    Lines are found with str.find, as `_directive` does: require blocks run to thousands."""
    if "=>" not in text:  # most go.mod files
        return ()
    found: list[str] = []
    line_start = 0 if text.startswith("replace") else text.find("\nreplace") + 1 or -1
    while line_start >= 0:
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        words = text[line_start:line_end].split("//", 1)[0].split()
        if words[1:] == ["("] or words == ["replace("]:
            while line_end < len(text):  # the block's lines, up to its `)`: replace blocks are short
                start, line_end = line_end + 1, text.find("\n", line_end + 1)
                line_end = len(text) if line_end < 0 else line_end
                line = text[start:line_end]
                if line.split("//", 1)[0].split() == [")"]:
                    break
                if path := _local_target(line):
                    found.append(path)
        elif words[:1] == ["replace"] and (path := _local_target(" ".join(words[1:]))):
            found.append(path)
        next_line = text.find("\nreplace", line_end)
        line_start = next_line + 1 if next_line >= 0 else -1
    return tuple(found)


def _local_target(entry: str) -> str | None:
    """The replacement of one `old [version] => new [version]` entry when it is a directory."""
    words = entry.split("//", 1)[0].split()
    if "=>" not in words or words.index("=>") + 1 >= len(words):
        return None
    path = words[words.index("=>") + 1].strip('"`')
    return path if path in (".", "..") or path.startswith(("./", "../", "/")) else None


def _directive(text: str, word: str, pattern):
    """The first line starting with `word` that `pattern` matches. Lines are found with
    str.find: a regex scan through a go.mod's long require blocks cost more than the rest of
    a Dockerfile's check."""
    if text.startswith(word) and (match := pattern.match(text)):
        return match
    newline = text.find("\n" + word)
    while newline >= 0:
        if match := pattern.match(text, newline + 1):
            return match
        newline = text.find("\n" + word, newline + 1)
    return None


def _value(directive) -> str | None:
    """The directive's value, without a `//` comment written right after it."""
    return directive.group(1).split("//", 1)[0] or None if directive else None


def _embedded_names(text: str) -> list[str]:
    """The `//go:embed` patterns that take in a name of the package's directory whole
    (`static`, `all:web`, `*.tmpl`); not `static/*.html`, which may leave files of `static/`
    out."""
    names = []
    for line in GO_EMBED.findall(text):
        for pattern in _embed_words(line):
            pattern = pattern.removeprefix("all:")
            if pattern and "/" not in pattern:
                names.append(pattern)
    return names


def _embed_words(line: str) -> list[str]:
    """The patterns of a `//go:embed` line: blank-separated, or Go-quoted ("a b", `c`)."""
    return [quoted or backquoted or plain for quoted, backquoted, plain in EMBED_WORD.findall(line)]


@record(frozen=True)
class GoSources:
    """What the non-test Go files of the context say, read once (within SCAN_LIMIT files)."""

    main_packages: tuple[str, ...]   # directories, relative to the context, with `package main`
    imports: frozenset[str]
    loads_time_zones: bool           # time.LoadLocation
    serves_http: bool                # http.ListenAndServe, http.Server, ...
    complete: bool                   # False when the scan stopped at SCAN_LIMIT
    files: int = 0                   # Go files read
    uses_home: bool = False          # os.UserHomeDir, os.UserCacheDir, os.UserConfigDir
    root_embeds: tuple[str, ...] = ()  # //go:embed patterns of the context root's Go files that name a file whole

    def embeds(self, name: str) -> bool:
        """Whether a `//go:embed` of a Go file at the context root takes in `name` (a file or
        directory there): it is compiled into the binary, not read at run time."""
        return any(fnmatchcase(name, pattern) for pattern in self.root_embeds)

    @property
    def known(self) -> bool:
        """Whether the sources can tell what the program does: some were read, and all of them."""
        return self.complete and self.files > 0


SCAN_LIMIT = 4000
HOME_CALLS = ("os.UserHomeDir(", "os.UserCacheDir(", "os.UserConfigDir(")
# Where Go sources are listed (and by fixer.context.goprogram), what the go command leaves out
# of `./...`, with the names that start with `.` or `_`. Not a directory search's exclusions
# (fixer.files.SKIPPED_DIRS, which the project model shares): a package under fixtures/ or
# golden/ is code a program may import.
GO_SKIPPED_DIRECTORIES = frozenset({"vendor", "testdata", "node_modules"})
PACKAGE_MAIN = lazy_regex(r"^package\s+main\b", re.M)
IMPORT_BLOCK = lazy_regex(r"^import\s*(?:\(([^)]*)\)|([^\n]*))", re.M)
QUOTED = lazy_regex(r'"([^"\n]+)"')
EMBED_WORD = lazy_regex(r'"([^"]*)"|`([^`]*)`|(\S+)')
GO_EMBED = lazy_regex(r"^[ \t]*//go:embed\s+(.+)$", re.M)
SERVES_HTTP = lazy_regex(r"\b(ListenAndServe(TLS)?|http\.Server\s*\{|http\.Serve\()")
LICENSE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "COPYING")
LICENSE_IDS = (("Apache License", "Apache-2.0"), ("MIT License", "MIT"), ("Permission is hereby granted", "MIT"),
               ("Mozilla Public License", "MPL-2.0"), ("GNU AFFERO GENERAL PUBLIC LICENSE", "AGPL-3.0"),
               ("GNU GENERAL PUBLIC LICENSE", "GPL-3.0"), ("BSD 3-Clause", "BSD-3-Clause"),
               ("Redistribution and use in source and binary forms", "BSD-3-Clause"), ("ISC License", "ISC"))


class BuildContext:
    """The build context of one Dockerfile. `how` says why this directory (for --verbose).

    Paths are strings (`os.PathLike` is accepted), not pathlib (docs/performance.md, imports
    on demand)."""

    def __init__(self, root: str | os.PathLike, dockerfile: str | os.PathLike | None = None, how: str = "given"):
        self.root = os.fspath(root)
        self.dockerfile = None if dockerfile is None else os.fspath(dockerfile)
        self.how = how
        self.named = False  # named on the command line: the user asked for this file, whatever its path says

    def __repr__(self) -> str:
        return f"BuildContext({self.root!r})"

    def exists(self, relative: str) -> bool:
        return os.path.exists(os.path.join(self.root, relative))

    def script_text(self, relative: str) -> str | None:
        """The text of a small file of the context (a script the image runs), or None when it
        is not a regular file there, is larger than 64 KiB, or is not UTF-8."""
        path = os.path.normpath(os.path.join(self.root, relative))
        if not path.startswith(os.path.join(self.root, "")) or not os.path.isfile(path) \
                or os.path.getsize(path) > 65536:
            return None
        return read_text(path)

    @cached_property
    def project(self):
        """The repository's project model (fixer.context.project), or None outside a repository."""
        from .project import project_for

        return project_for(self.root)

    def builds(self) -> tuple:
        """The explicit builds of this Dockerfile the repository names (CI, Compose, bake, …)."""
        project = self.project
        return project.builds_of(self.dockerfile) if project is not None and self.dockerfile else ()

    def builds_without_go_mod(self) -> tuple[str, ...]:
        """Why some build of this Dockerfile has no go.mod at its context's root, one line a
        build: a context of built artifacts (goreleaser, downloaded CI artifacts) or another
        directory. COPY go.mod there would break that build."""
        found = []
        for build in self.builds():
            if build.prebuilt:
                found.append(f"{build.source} builds this file from a context of built artifacts, without go.mod")
            elif build.context is not None and not os.path.isfile(os.path.join(build.context, "go.mod")):
                found.append(f"{build.source} builds this file from a context without go.mod")
        return tuple(found)

    def mounts(self) -> tuple:
        """What the Compose services that build this Dockerfile mount (fixer.context.project.Mount)."""
        project = self.project
        return project.mounts_of(self.dockerfile) if project is not None and self.dockerfile else ()

    def go_mod_evidence(self) -> tuple[str, ...]:
        """Where the builds of this Dockerfile find go.mod (and go.sum): one line a build the
        repository names, or the context dockerfix found and why."""
        held = "go.mod and go.sum" if self.has_go_sum else "go.mod"
        builds = [build for build in self.builds() if build.context is not None]
        if builds:
            return tuple(f"{build.source} builds this file from {self._shown(build.context)}, which holds go.mod"
                         for build in builds[:3])
        return (f"the build context {self._shown(self.root)} ({self.how}) holds {held}",)

    def _shown(self, directory: str) -> str:
        project = self.project
        base = project.root if project is not None else os.path.dirname(self.dockerfile or self.root)
        relative = os.path.relpath(directory, base)
        return "`.`" if relative == "." else f"`{relative}`"

    def is_directory(self, relative: str) -> bool:
        return os.path.isdir(os.path.join(self.root, relative))

    def program(self, module_directory: str, package: str):
        """The Go program (fixer.context.goprogram.GoProgram) `go build <package>` makes in
        the module at `module_directory` of the context, or None when that is no main package."""
        from .goprogram import load_program

        return load_program(os.path.normpath(os.path.join(self.root, module_directory)), package)

    @cached_property
    def go_module(self) -> GoModule | None:
        text = _read_text(os.path.join(self.root, "go.mod"))
        return parse_go_mod(text) if text is not None else None

    @property
    def root_files(self) -> list[str]:
        """The names of the regular files at the top of the context, sorted."""
        return self._root_entries[0]

    @property
    def root_directories(self) -> frozenset[str]:
        """The names of the directories at the top of the context."""
        return self._root_entries[1]

    @cached_property
    def _root_entries(self) -> tuple[list[str], frozenset[str]]:
        """The top of the context, read once for its files and its directories."""
        files, directories = [], set()
        try:
            with os.scandir(self.root) as entries:
                for entry in entries:
                    if entry.is_file():
                        files.append(entry.name)
                    elif entry.is_dir():
                        directories.add(entry.name)
        except OSError:
            pass
        return sorted(files), frozenset(directories)

    @cached_property
    def has_go_sum(self) -> bool:
        return self.exists("go.sum")

    @cached_property
    def has_go_work(self) -> bool:
        return self.exists("go.work")

    @cached_property
    def has_vendor(self) -> bool:
        return self.exists("vendor/modules.txt")

    @cached_property
    def dockerignore_path(self) -> str:
        """`<Dockerfile>.dockerignore` beside the Dockerfile wins over the context's `.dockerignore`."""
        if self.dockerfile is not None:
            specific = self.dockerfile + ".dockerignore"
            if os.path.isfile(specific):
                return specific
        return os.path.join(self.root, ".dockerignore")

    @cached_property
    def dockerignore_text(self) -> str | None:
        return _read_text(self.dockerignore_path)

    @cached_property
    def ignore_patterns(self) -> list[IgnorePattern]:
        return parse_dockerignore(self.dockerignore_text or "")

    def is_ignored(self, relative: str) -> bool:
        return is_ignored(self.ignore_patterns, relative)

    @cached_property
    def license_id(self) -> str | None:
        """The SPDX id of the LICENSE file at the context root, when its text says which."""
        for name in LICENSE_NAMES:
            head = _read_text(os.path.join(self.root, name))
            if head is None:
                continue
            head = head[:2000]
            return next((spdx for marker, spdx in LICENSE_IDS if marker.lower() in head.lower()), None)
        return None

    @cached_property
    def go_sources(self) -> GoSources:
        mains, imports, zones, http, home, seen = set(), set(), False, False, False, 0
        embeds: set[str] = set()
        for path in self._go_files():
            seen += 1
            if seen > SCAN_LIMIT:
                break
            text = _read_text(path)
            if text is None:
                continue
            if PACKAGE_MAIN.search(text):
                mains.add(_posix_relative(os.path.dirname(path), self.root))
            for block in IMPORT_BLOCK.finditer(text):
                imports.update(QUOTED.findall(block.group(1) or block.group(2) or ""))
            zones = zones or "LoadLocation(" in text
            http = http or bool(SERVES_HTTP.search(text))
            home = home or any(call in text for call in HOME_CALLS)
            if os.path.dirname(path) == self.root:
                embeds.update(_embedded_names(text))
        return GoSources(tuple(sorted(mains)), frozenset(imports), zones, http, seen <= SCAN_LIMIT,
                         min(seen, SCAN_LIMIT), home, tuple(sorted(embeds)))

    def _go_files(self):
        stack = [self.root]
        while stack:
            directory = stack.pop()
            try:
                entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
            except OSError:
                continue
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in GO_SKIPPED_DIRECTORIES and not entry.name.startswith((".", "_")):
                        stack.append(entry.path)
                elif entry.name.endswith(".go") and not entry.name.endswith("_test.go"):
                    yield entry.path

    @cached_property
    def gitignore_text(self) -> str | None:
        """The .gitignore at the top of the context, as written; None when there is none."""
        return _read_text(os.path.join(self.root, ".gitignore"))

    def at(self, root: str) -> BuildContext:
        """The same Dockerfile's context at another directory (the one the repository's builds
        use), with this one's project model."""
        other = BuildContext(root, self.dockerfile, "the context the repository's builds use")
        other.project = self.project
        return other

    def go_mod_file(self, relative: str) -> GoModule | None:
        """The go.mod (or go.work) file at `relative`, a `/`-separated path in the context,
        parsed once; None when there is no such file, or the path leads out of the context."""
        relative = posixpath.normpath(relative)
        if relative.startswith(("../", "/")) or relative == "..":
            return None
        read = self.__dict__.setdefault("_go_mod_files", {})
        if relative not in read:
            text = _read_text(os.path.join(self.root, relative))
            read[relative] = parse_go_mod(text) if text is not None else None
        return read[relative]

    def directory_entries(self, relative: str) -> list[str] | None:
        """The names in a directory of the context, sorted; None when it is no directory or
        cannot be read."""
        try:
            return sorted(os.listdir(os.path.join(self.root, relative)))
        except OSError:
            return None

    def files_below(self, relative: str, limit: int = 2000) -> list[str] | None:
        """The regular files in a directory of the context and below it, as paths relative to
        that directory, sorted; None when it is no directory or holds more than `limit`
        entries (files and directories)."""
        top = os.path.join(self.root, relative)
        if not os.path.isdir(top):
            return None
        found, count = [], 0
        for parent, subdirectories, files in os.walk(top):
            count += len(subdirectories) + len(files)
            if count > limit:
                return None
            found += [_posix_relative(os.path.join(parent, name), top) for name in files
                      if os.path.isfile(os.path.join(parent, name))]
        return sorted(found)

    @cached_property
    def dockerfiles_beside(self) -> dict[str, str | None]:
        """The other Dockerfiles at the top of the context, by path, with their text (None when
        unreadable): outside a repository, the Dockerfiles that may share its .dockerignore."""
        from ..files import is_dockerfile_name

        paths = [os.path.join(self.root, name) for name in self.root_files if is_dockerfile_name(name)]
        return {path: _read_text(path) for path in paths if path != self.dockerfile}


def _posix_relative(path: str, root: str) -> str:
    """`path` below `root`, with forward slashes; "." for the root itself."""
    return os.path.relpath(path, root).replace(os.sep, "/")


def _read_text(path) -> str | None:
    """The file's text as it is, line breaks included: a .dockerignore with CRLF lines is
    compared with and written back as it was read. A FIFO or device reads as absent."""
    return read_text(path)
