"""Moved into helpers.py. This re-export goes once tests/syntax/ imports `disagreement` and
the views from helpers."""
from helpers import buildkit_view, disagreement, our_view  # noqa: F401
