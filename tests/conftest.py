"""pytest's hooks for the whole suite. Shared helpers are in helpers.py, not here.

The build tests carry the marker `e2e`: `make quick` runs everything else, `make test` everything.
A test that runs a container engine (or builds the release) belongs in tests/e2e/, which marks it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

BUILD_TESTS = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BUILD_TESTS in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
