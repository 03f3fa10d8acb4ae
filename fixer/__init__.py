"""dockerfix: a lossless auto-fixer for Dockerfiles, first of all for Go services.

Library use:

    >>> import fixer
    >>> tree = fixer.parse("FROM golang:1.23 as build\\n")
    >>> str(tree) == "FROM golang:1.23 as build\\n"
    True
    >>> fixer.fix("FROM golang:1.23 as build\\n").output
    'FROM golang:1.23 AS build\\n'
"""
from __future__ import annotations

__version__ = "0.2.1"

from .syntax import DockerfileError, parse


def fix(text: str, **options):
    """Fix Dockerfile source; see fixer.engine.fix for the options and the result."""
    from .engine import fix as engine_fix

    return engine_fix(text, **options)


__all__ = ["DockerfileError", "fix", "parse", "__version__"]
