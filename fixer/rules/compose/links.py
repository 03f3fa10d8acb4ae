"""compose-links (DC004): legacy `links` become `depends_on`.

What it does
    Renames a service's `links:` to `depends_on:` when it lists plain service names (no
    `service:alias`) and the service has no `depends_on` yet.

Why
    `links` is a legacy of the classic Docker network; on a Compose network every service
    already reaches the others by name. What `links` still does, starting the linked
    services first, is what `depends_on` says outright.

Example
    links:
      - db
    ->
    depends_on:
      - db

Fix safety
    Unsafe: a link also gives the dependency a network alias, and services on other
    networks than the default may rely on it. Aliased links are reported without a fix.
"""
from __future__ import annotations

from ..base import UNSAFE, ComposeChecker, Edit, Rule
from .support import at_key, key_position


def check(checker: ComposeChecker):
    document = checker.tree
    for _, name, service in document.services():
        value = service.get("links")
        if value is None:
            continue
        message = f"{name} uses legacy `links`: use `depends_on` (services reach each other by name)"
        position = key_position(service, "links")
        aliased = isinstance(value, list) and any(":" in str(item) for item in value)
        if "depends_on" in service or aliased or not isinstance(value, list) or position is None:
            yield checker.report(RULE, at_key(service, "links"), message, reason="aliases or depends_on")
            continue
        start = document.offset(*position)
        yield checker.report(RULE, at_key(service, "links"), message, Edit(start, start + len("links"), "depends_on"),
                             applicability=UNSAFE, reason="links also set network aliases")


RULE = Rule(id="DC004", name="compose-links", summary="legacy `links` become `depends_on`", check=check,
            doc=__doc__, kind="compose", fix_safety=UNSAFE, severity="info")
