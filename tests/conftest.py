"""Shared test helpers: where the shared corpora are, and a skip when they are absent."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(Path(__file__).resolve().parent))

needs_shared = pytest.mark.skipif(
    not (SHARED / "corpus").is_dir(),
    reason="../shared (the real-world corpus) is not beside this checkout; CI always has it",
)


def corpus_files() -> list[Path]:
    return sorted((SHARED / "corpus").glob("*/Dockerfile"))


def history_files() -> list[Path]:
    return sorted((SHARED / "history").glob("*/*.Dockerfile"))


def read_utf8(path: Path) -> str | None:
    """The file's text, or None for the corpus's one UTF-16 file (BuildKit rejects it too)."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None
