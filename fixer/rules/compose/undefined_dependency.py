"""compose-undefined-dependency (DC002): `depends_on` and `links` name services that exist.

What it does
    Reports a `depends_on` or `links` entry naming a service the file does not define.

Why
    `docker compose up` refuses the file ("depends on undefined service"), usually after a
    service was renamed in one place only.

Example
    services:
      web:
        depends_on: [database]
      db:
        image: postgres:17
    ->
    (reported: web depends on undefined service 'database')

Fix safety
    No fix: which name is right is the author's call. Files that `include` or `extends`
    others are left alone, as their services may be defined there.
"""
from __future__ import annotations

from ..base import NO_FIX, ComposeChecker, Rule
from .support import Where, item_line, key_line, names


def check(checker: ComposeChecker):
    document = checker.tree
    for mapping in document.data:
        if "include" in mapping:
            continue
        services = mapping.get("services") or {}
        defined = {str(name) for name in services}
        for name, service in services.items():
            if not hasattr(service, "get") or "extends" in service:
                continue
            for key in ("depends_on", "links"):
                value = service.get(key)
                for index, dependency in enumerate(names(value)):
                    if dependency not in defined:
                        line = _line(value, index, service, key) + 1
                        yield checker.report(RULE, Where(line, line), f"{name} {key.replace('_', ' ')} undefined "
                                                                      f"service '{dependency}'")


def _line(value, index: int, service, key) -> int:
    fallback = key_line(service, key)
    if isinstance(value, list):
        return item_line(value, index, fallback)
    return key_line(value, list(value.keys())[index], fallback)


RULE = Rule(id="DC002", name="compose-undefined-dependency", summary="depends_on and links name defined services",
            check=check, doc=__doc__, kind="compose", fix_safety=NO_FIX, severity="error")
