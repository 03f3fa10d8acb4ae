"""Compare dockerfix's reading of a Dockerfile with BuildKit's own parser (package `dockerfile`)."""
from __future__ import annotations

import dockerfile as buildkit

import fixer
from fixer.syntax.tree import Instruction


def buildkit_view(text: str) -> list[tuple] | str:
    """BuildKit's instruction list, or the error message when BuildKit rejects the text."""
    try:
        commands = buildkit.parse_string(text)
    except buildkit.GoParseError as error:
        return f"error: {error}"
    return [((c.cmd or "").upper(), c.sub_cmd and c.sub_cmd.upper(), c.json, c.start_line, c.end_line,
             tuple(c.flags), tuple(c.value), tuple((h.name, h.file_descriptor, h.content) for h in c.heredocs))
            for c in commands]


def our_view(text: str) -> list[tuple] | str:
    try:
        tree = fixer.parse(text)
    except fixer.DockerfileError as error:
        return f"error: {error.message}"
    return [_instruction_view(node) for node in tree.instructions]


def _c_string(value: str) -> str:
    # The `dockerfile` wrapper hands strings through C, which ends them at a NUL byte.
    return value.split("\x00", 1)[0]


def _instruction_view(node: Instruction) -> tuple:
    # The wrapper reports the outer node's flags for ONBUILD and none of its heredocs
    # (their bodies still count in end_line, which is compared).
    sub = node.sub
    heredocs = () if sub else node.heredocs
    return (node.keyword, sub.keyword if sub else None, node.json, node.start_line, node.end_line,
            tuple(flag.text for flag in node.flags), tuple(_c_string(v) for v in node.values),
            tuple((h.name, h.file_descriptor, h.content) for h in heredocs))


def disagreement(text: str) -> str | None:
    """None when both parsers read `text` the same way (or both reject it), else what differs."""
    theirs, ours = buildkit_view(text), our_view(text)
    if isinstance(theirs, str) or isinstance(ours, str):
        if isinstance(theirs, str) and isinstance(ours, str):
            return None
        return f"BuildKit: {theirs if isinstance(theirs, str) else 'accepts'}; dockerfix: " \
               f"{ours if isinstance(ours, str) else 'accepts'}"
    if theirs == ours:
        return None
    for index, (a, b) in enumerate(zip(theirs, ours, strict=False)):
        if a != b:
            return f"instruction {index + 1}: BuildKit {a!r} != dockerfix {b!r}"
    return f"instruction count: BuildKit {len(theirs)} != dockerfix {len(ours)}"
