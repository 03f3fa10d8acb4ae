"""Reading a file of the repository or build context: regular files only, never blocking.

A FIFO named `go.mod`, `.dockerignore` or `LICENSE` in a context must not hang a run (an
ordinary open waits for a writer), and a device must not be read; they read as absent.
"""
from __future__ import annotations

import os
import stat


def read_bytes(path: str | os.PathLike, limit: int | None = None) -> bytes | None:
    """The file's bytes (the first `limit` of them, when given), or None when it is not a
    regular file or cannot be read."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        with os.fdopen(descriptor, "rb", buffering=0, closefd=False) as file:
            return file.read() if limit is None else file.read(limit)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def read_text(path: str | os.PathLike) -> str | None:
    """The file's text as it is, line breaks included; bytes that are not UTF-8 replaced."""
    data = read_bytes(path)
    return None if data is None else data.decode("utf-8", errors="replace")


def heads(root: str, pattern: str, limit: int) -> list[bytes]:
    """The first `limit` bytes of each regular file `pattern` names, relative to `root`: a
    path, or a glob (`*`, `?`, `[...]`) and every file it matches, as Python's glob matches."""
    if "\0" in pattern:  # no file's name has one (and os and glob would raise ValueError)
        return []
    path = os.path.join(root, pattern)
    if any(char in pattern for char in "*?["):
        import glob  # only a run with a glob to look at pays for the import

        paths = glob.glob(path)
    else:
        paths = [path]
    return [head for head in (read_bytes(found, limit) for found in paths) if head is not None]
