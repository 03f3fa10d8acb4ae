"""What the build context says: go.mod, go.sum, go.work, vendor/, .dockerignore, the main
packages and what their sources use. Read lazily, once per context."""
from .build_context import BuildContext, GoModule, GoSources, parse_go_mod
from .discovery import find_build_context
from .dockerignore import is_ignored, parse_dockerignore

__all__ = ["BuildContext", "GoModule", "GoSources", "find_build_context", "is_ignored", "parse_dockerignore",
           "parse_go_mod"]
