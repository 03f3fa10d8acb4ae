"""unused-suppression (DF000): a `# dockerfix: ignore…` comment that suppresses nothing.

What it does
    Reports dockerfix suppression comments naming a rule that found nothing where the
    comment points, names that are no rule at all, and comments that look like a
    suppression but are none (`# dockerfix: ignore`, `ignore DF002`), in Dockerfiles and in
    Compose files alike. (The engine finds these after the
    other rules have run; this module is the rule's entry and documentation.)

Why
    A suppression outlives the finding it was written for: the code is fixed, the comment
    stays, and one day it hides a new finding nobody saw. Like ruff's RUF100.

Example
    # dockerfix: ignore=DF004
    RUN make
    ->
    (reported: DF004 reports nothing here; remove the suppression)

Fix safety
    Report only: deleting a comment is the author's call. `# hadolint ignore=` comments are
    never reported; they may be there for hadolint's own rules.
"""
from __future__ import annotations

from .base import NO_FIX, Checker, Rule


def check(checker: Checker):
    return ()  # the engine reports unused suppressions once it knows what was suppressed


RULE = Rule(id="DF000", name="unused-suppression", summary="suppression comments that suppress nothing are reported",
            check=check, doc=__doc__, fix_safety=NO_FIX, severity="error")
