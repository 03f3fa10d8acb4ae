"""pytest's hooks for the whole suite. Shared helpers are in helpers.py, not here.

The build tests carry the marker `e2e`: `make quick` runs everything else, `make test` everything.
A test that runs a container engine (or builds the release) belongs in tests/e2e/, which marks it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

# Re-exported for the modules that still import them from here (tests/syntax/test_parser.py and
# test_shell.py, test_corpus.py, test_history.py); new code imports them from helpers.
from helpers import (  # noqa: F401
    FIXTURES,
    ROOT,
    SHARED,
    corpus_context,
    corpus_files,
    history_files,
    needs_shared,
    read_utf8,
)

BUILD_TESTS = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BUILD_TESTS in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
