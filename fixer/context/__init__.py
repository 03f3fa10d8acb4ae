"""What the build context says: go.mod, go.sum, go.work, vendor/. Read lazily, once per context."""
from .build_context import BuildContext, GoModule, parse_go_mod

__all__ = ["BuildContext", "GoModule", "parse_go_mod"]
