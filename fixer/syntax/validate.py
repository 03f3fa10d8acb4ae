"""Checks BuildKit makes after parsing, when it turns the tree into build instructions.

The parser accepts any word as a keyword; the build then fails on it. dockerfix refuses
such files up front, naming the line, rather than rewriting a file that cannot build.
"""
from __future__ import annotations

from .errors import DockerfileError
from .tree import Dockerfile

KEYWORDS = frozenset({"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
                      "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
                      "WORKDIR"})
NOT_UNDER_ONBUILD = frozenset({"ONBUILD", "FROM", "MAINTAINER"})


def validate(tree: Dockerfile) -> None:
    """Raise DockerfileError for the first instruction BuildKit would refuse to build."""
    for node in tree.instructions:
        if not node.keyword:
            raise DockerfileError("a line with only the escape character starts an empty instruction",
                                  node.start_line)
        if node.keyword not in KEYWORDS:
            raise DockerfileError(f"unknown instruction: {node.keyword}", node.start_line)
        if node.keyword == "ONBUILD":
            if node.sub is None:
                raise DockerfileError("ONBUILD requires an instruction to wrap", node.start_line)
            if node.sub.keyword not in KEYWORDS:
                raise DockerfileError(f"unknown instruction: {node.sub.keyword}", node.start_line)
            if node.sub.keyword in NOT_UNDER_ONBUILD:
                raise DockerfileError(f"{node.sub.keyword} isn't allowed as an ONBUILD trigger", node.start_line)
