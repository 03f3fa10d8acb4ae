"""The small Go projects the build tests fix, build and run (fixtures/projects/), and the
base images their Dockerfiles use before and after fixing."""
from __future__ import annotations

from pathlib import Path

from helpers import ROOT

import fixer
from fixer.context import find_build_context
from fixer.syntax import parse
from fixer.verify.run import base_images

PROJECTS = ROOT / "fixtures" / "projects"
DOCKERFILES = sorted(PROJECTS.glob("*/Dockerfile")) + sorted(PROJECTS.glob("*/*.Dockerfile"))
RUNTIME_BASES = ("alpine", "scratch", "distroless")


def fixed(path: Path, runtime: str = "alpine"):
    context = find_build_context(path, parse(path.read_text()))
    return fixer.fix(path.read_text(), context=context, options={"runtime_base": runtime})


def bases_used() -> set[str]:
    """Every external base the projects' Dockerfiles use, before and after fixing, for every runtime base."""
    images = {"alpine:3.24"}
    for path in DOCKERFILES:
        for text in [path.read_text()] + [fixed(path, runtime).output for runtime in RUNTIME_BASES]:
            images |= set(base_images(text))
    return images
