"""Paths in the image: what VOLUME declares, the directories RUN steps make, and which paths
a RUN may take as they are written."""
from __future__ import annotations

import re

from ...lazy_regex import lazy_regex
from ...syntax.tree import Dockerfile, Stage
from .stages import script_reader

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..semantic import SemanticIndex

SYSTEM_PATH = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")  # a root's PATH
PLAIN_PATH = lazy_regex(r"/[\w./@+-]+", re.ASCII)  # written into a RUN as it is: nothing to quote


def is_within(path: str, directory: str) -> bool:
    """Whether `path` is `directory` or below it (both without a trailing slash)."""
    return path == directory or path.startswith(directory + "/")


def volumes(stage: Stage) -> list[str]:
    """The paths the stage's VOLUME instructions declare, as written."""
    return [volume for node in stage.instructions if node.keyword == "VOLUME" for volume in node.values]


def directories_made(index: SemanticIndex | Dockerfile, stages: Sequence[Stage]) -> list[str]:
    """The absolute directories the RUNs of `stages` make with `mkdir`, in order, each once.
    `index`: the checker's semantic index (a tree: see script_reader)."""
    script_of = script_reader(index)
    made: list[str] = []
    for stage in stages:
        for node in stage.instructions:
            script = script_of(node) if node.keyword == "RUN" else None
            for command in script.commands if script is not None else ():
                if command.name == "mkdir":
                    made += _mkdir_paths(command.argv[1:])
    return list(dict.fromkeys(made))


def _mkdir_paths(arguments: list[str]) -> list[str]:
    paths, skip_next = [], False
    for value in arguments:
        if skip_next:
            skip_next = False
        elif value in ("-m", "--mode", "--context"):
            skip_next = value != "--context"
        elif not value.startswith("-") and value.startswith("/") and value.rstrip("/"):
            paths.append(value.rstrip("/"))
    return paths
