"""compose-resource-limits (DC007, off by default): services set memory and CPU limits.

What it does
    Reports services without `deploy.resources.limits` (memory and cpus).

Why
    Without limits one service's leak or loop takes the whole host's memory or CPU, and the
    kernel's OOM killer picks a victim among all of them.

Example
    services:
      api:
        image: acme/api:1.4
    ->
    (reported: set deploy.resources.limits memory and cpus)

Fix safety
    No fix: the right limits are the service's to measure. Off by default: most local
    development files rightly have none; select it for files that run in production.
"""
from __future__ import annotations

from ..base import NO_FIX, Checker, Rule
from .support import Where, key_line


def check(checker: Checker):
    for _, name, service in checker.tree.services():
        limits = ((service.get("deploy") or {}).get("resources") or {}).get("limits") or {}
        missing = [key for key in ("memory", "cpus") if key not in limits]
        if missing and not any(key in service for key in ("mem_limit", "cpus")):
            services = next(m["services"] for m in checker.tree.data if name in (m.get("services") or {}))
            line = key_line(services, name) + 1
            yield checker.report(RULE, Where(line, line), f"{name} has no {' or '.join(missing)} limit")


RULE = Rule(id="DC007", name="compose-resource-limits", summary="services set memory and CPU limits",
            check=check, doc=__doc__, kind="compose", fix_safety=NO_FIX, default=False)
