"""Which directory is a Dockerfile's build context, when the user does not say.

The Dockerfile's own directory, unless an ancestor (up to the repository root) is where
the Dockerfile's COPY/ADD sources resolve and go.mod lives: `build/Dockerfile` with
`COPY . .` and `COPY go.mod go.sum ./` is built from the repository root. A Dockerfile
beside a go.mod template (`go.mod.tmpl`) belongs to a project template that a tool writes
out with its go.mod: it is built from its own directory, never from the repository that
ships it.
"""
from __future__ import annotations

import os
from functools import lru_cache

from ..syntax.tree import Dockerfile
from .build_context import BuildContext

GO_MOD_TEMPLATES = ("go.mod.tmpl", "go.mod.template", "go.mod.tpl", "go.mod.gotmpl")


def find_build_context(dockerfile: str | os.PathLike, tree: Dockerfile | None) -> BuildContext:
    dockerfile = os.path.abspath(dockerfile)
    home = os.path.dirname(dockerfile)
    if _is_project_template(home):
        return BuildContext(home, dockerfile, "the Dockerfile's directory: a project template, beside its go.mod "
                                              "template")
    sources = _local_sources(tree) if tree is not None else []
    for candidate in _candidates(home):
        if _has_go_mod(candidate) and all(_resolves(candidate, source) for source in sources):
            how = "the Dockerfile's directory" if candidate == home else "nearest ancestor with go.mod " \
                                                                           "where the COPY sources resolve"
            return BuildContext(candidate, dockerfile, how)
    return BuildContext(home, dockerfile, "the Dockerfile's directory")


def _candidates(home: str) -> list[str]:
    """The directory and its ancestors, up to and including the repository root."""
    found = []
    directory = home
    while True:
        found.append(directory)
        parent = os.path.dirname(directory)
        if parent == directory or _is_repository_root(directory):
            return found
        directory = parent


# Many Dockerfiles share ancestors: each directory is asked about once per run.
@lru_cache(maxsize=1024)
def _is_repository_root(directory: str) -> bool:
    return os.path.exists(os.path.join(directory, ".git"))


@lru_cache(maxsize=1024)
def _has_go_mod(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "go.mod"))


@lru_cache(maxsize=1024)
def _is_project_template(directory: str) -> bool:
    return any(os.path.isfile(os.path.join(directory, name)) for name in GO_MOD_TEMPLATES)


def forget_directories() -> None:
    """Forget which directories hold .git, go.mod and go.mod templates: a run starts by
    looking afresh, so that a long-lived process sees what changed since its last run."""
    _is_repository_root.cache_clear()
    _has_go_mod.cache_clear()
    _is_project_template.cache_clear()


def _local_sources(tree: Dockerfile) -> list[str]:
    sources = []
    for node in tree.instructions:
        if node.keyword not in ("COPY", "ADD") or node.flag_values("from") or node.heredocs or len(node.values) < 2:
            continue
        for source in node.values[:-1]:
            if "$" in source or "://" in source or source.startswith("git@"):
                continue
            sources.append(source)
    return sources


def _resolves(root: str, source: str) -> bool:
    relative = source.lstrip("/") or "."
    if any(char in relative for char in "*?["):
        import glob

        return bool(glob.glob(os.path.join(root, relative)))
    return os.path.exists(os.path.join(root, relative))
