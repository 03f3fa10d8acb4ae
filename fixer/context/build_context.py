"""The build context of a Dockerfile: the directory its COPY and ADD sources come from.

Facts are read on first use and cached, so a rule that never asks costs nothing, and many
Dockerfiles sharing one context read it once. A rule that gets no context (stdin, or a
context that does not exist) must fall back to a form that is right either way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

GO_DIRECTIVE = re.compile(r"^go[ \t]+(\S+)", re.M)
TOOLCHAIN_DIRECTIVE = re.compile(r"^toolchain[ \t]+go(\S+)", re.M)
MODULE_DIRECTIVE = re.compile(r"""^module[ \t]+["`]?([^\s"`]+)""", re.M)


@dataclass(frozen=True)
class GoModule:
    path: str              # the module path, e.g. github.com/acme/server
    go: str | None         # the `go` directive, e.g. 1.22 or 1.22.3
    toolchain: str | None  # the `toolchain` directive without its `go` prefix


def parse_go_mod(text: str) -> GoModule:
    text = re.sub(r"//[^\n]*", "", text)
    module, go, toolchain = (MODULE_DIRECTIVE.search(text), GO_DIRECTIVE.search(text),
                             TOOLCHAIN_DIRECTIVE.search(text))
    return GoModule(module.group(1) if module else "", go.group(1) if go else None,
                    toolchain.group(1) if toolchain else None)


class BuildContext:
    def __init__(self, root: Path):
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"BuildContext({str(self.root)!r})"

    def exists(self, relative: str) -> bool:
        return (self.root / relative).exists()

    @cached_property
    def go_module(self) -> GoModule | None:
        try:
            return parse_go_mod((self.root / "go.mod").read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return None

    @cached_property
    def has_go_sum(self) -> bool:
        return self.exists("go.sum")

    @cached_property
    def has_go_work(self) -> bool:
        return self.exists("go.work")

    @cached_property
    def has_vendor(self) -> bool:
        return self.exists("vendor/modules.txt")
