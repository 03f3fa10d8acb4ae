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

__version__ = "0.5.0"


def fix(text: str, **options):
    """Fix Dockerfile source; see fixer.engine.fix for the options and the result."""
    from .engine import fix as engine_fix

    return engine_fix(text, **options)


def __getattr__(name: str):
    # `parse` and `DockerfileError` are imported when first asked for: the command imports
    # this package before it can set the collector's pace (see fixer.__main__).
    if name in ("parse", "DockerfileError"):
        from . import syntax

        return getattr(syntax, name)
    raise AttributeError(f"module 'fixer' has no attribute {name!r}")


__all__ = ["DockerfileError", "fix", "parse", "__version__"]
