"""compose-privileges (DC006): no privileged containers, root users or host networking.

What it does
    Reports services with `privileged: true`, `user: root` (or 0), `network_mode: host`,
    or `pid: host`.

Why
    Each gives the container the host: a privileged container can load kernel modules and
    mount the host's disks, host networking exposes every port it opens, and root inside
    is one escape from root outside.

Example
    services:
      agent:
        privileged: true
    ->
    (reported: grant the capabilities it needs with cap_add instead)

Fix safety
    No fix: what the service really needs (a capability, a device, one port) only its
    owners know.
"""
from __future__ import annotations

from ..base import NO_FIX, ComposeChecker, Rule
from .support import at_key

CHECKS = (
    ("privileged", lambda v: v is True, "runs privileged: grant the capabilities it needs with cap_add instead"),
    ("user", lambda v: str(v).split(":", 1)[0] in ("root", "0"), "runs as root: use a numeric non-root user"),
    ("network_mode", lambda v: v == "host", "uses the host's network: publish the ports it needs instead"),
    ("pid", lambda v: v == "host", "shares the host's process namespace"),
)


def check(checker: ComposeChecker):
    for _, name, service in checker.tree.services():
        for key, matches, message in CHECKS:
            if key in service and matches(service[key]):
                yield checker.report(RULE, at_key(service, key), f"{name} {message}")


RULE = Rule(id="DC006", name="compose-privileges", summary="no privileged containers, root users or host networking",
            check=check, doc=__doc__, kind="compose", fix_safety=NO_FIX, severity="warning", security_severity=7.0)
