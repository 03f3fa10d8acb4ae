"""Which directory is a Dockerfile's build context, when the user does not say.

The Dockerfile's own directory, unless an ancestor (up to the repository root) is where
the Dockerfile's COPY/ADD sources resolve and go.mod lives: `build/Dockerfile` with
`COPY . .` and `COPY go.mod go.sum ./` is built from the repository root.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..syntax.tree import Dockerfile
from .build_context import BuildContext


def find_build_context(dockerfile: Path, tree: Dockerfile | None) -> BuildContext:
    dockerfile = Path(dockerfile).absolute()
    home = dockerfile.parent
    sources = _local_sources(tree) if tree is not None else []
    for candidate in _candidates(home):
        if _has_go_mod(candidate) and all(_resolves(candidate, source) for source in sources):
            how = "the Dockerfile's directory" if candidate == home else "nearest ancestor with go.mod " \
                                                                           "where the COPY sources resolve"
            return BuildContext(candidate, dockerfile, how)
    return BuildContext(home, dockerfile, "the Dockerfile's directory")


@lru_cache(maxsize=512)
def _candidates(home: Path) -> list[Path]:
    """The directory and its ancestors, up to and including the repository root."""
    found = []
    for directory in (home, *home.parents):
        found.append(directory)
        if (directory / ".git").exists():
            break
    return found


@lru_cache(maxsize=512)
def _has_go_mod(directory: Path) -> bool:
    return (directory / "go.mod").is_file()


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


def _resolves(root: Path, source: str) -> bool:
    relative = source.lstrip("/") or "."
    if any(char in relative for char in "*?["):
        import glob

        return bool(glob.glob(str(root / relative)))
    return (root / relative).exists()
