"""Regular expressions compiled on first use, not at import: most runs need few of them,
and compiling them all would cost a pre-commit hook a fifth of its start-up."""
from __future__ import annotations

import re

METHODS = ("match", "fullmatch", "search", "finditer", "findall", "sub", "split")


class LazyRegex:
    __slots__ = ("pattern", "flags", "_compiled", *METHODS)
    _compiled: re.Pattern[str] | None

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern, self.flags, self._compiled = pattern, flags, None

    def __getattr__(self, name: str):
        compiled = self._compiled = re.compile(self.pattern, self.flags)
        for method in METHODS:  # later calls find these on the instance, with no detour
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


def lazy_regex(pattern: str, flags: int = 0) -> LazyRegex:
    return LazyRegex(pattern, flags)
