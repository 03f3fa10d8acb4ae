"""Apply the rules' fixes until the file stops changing: one loop for Dockerfiles and
Compose files (`kind`: "dockerfile" or "compose"), and what the command line, the language
server and `verify` use of it."""
from .fix import FileKind, FixError, FixResult, apply_fixes, check, file_kind, fix, parse_valid, read
from .suppression import read_directive, trailing_comment

__all__ = ["FileKind", "FixError", "FixResult", "apply_fixes", "check", "file_kind", "fix", "parse_valid", "read",
           "read_directive", "trailing_comment"]
