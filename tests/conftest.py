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


def corpus_context(dockerfile: Path, root: Path):
    """A build context made from the corpus manifest's facts: go.mod (copied), go.sum,
    vendor/modules.txt and .dockerignore where the real context had them."""
    from fixer.context import BuildContext

    facts = _corpus_manifest().get(dockerfile.parent.name, {})
    context = root / dockerfile.parent.name
    context.mkdir(parents=True, exist_ok=True)
    for name in ("go.mod", ".dockerignore"):
        if (dockerfile.parent / name).exists():
            (context / name).write_bytes((dockerfile.parent / name).read_bytes())
    if facts.get("has_go_sum") == "true":
        (context / "go.sum").touch()
    if facts.get("has_vendor") == "true":
        (context / "vendor").mkdir(exist_ok=True)
        (context / "vendor" / "modules.txt").touch()
    return BuildContext(context)


_MANIFEST: dict = {}


def _corpus_manifest() -> dict:
    if not _MANIFEST:
        import csv

        with open(SHARED / "corpus" / "manifest.tsv", newline="", encoding="utf-8") as handle:
            _MANIFEST.update({row["id"]: row for row in csv.DictReader(handle, delimiter="\t")})
    return _MANIFEST
