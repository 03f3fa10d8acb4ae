"""compose-ports-all-interfaces (DC008, off by default): published ports name the interface.

What it does
    Reports `ports` that publish on every interface of the host: `"8080:80"` or `"80"` in
    the short syntax, or the long syntax without `host_ip`.

Why
    Published without a host address, a port is open to every network the host is on,
    including public ones, and Docker's own firewall rules bypass the host's firewall.
    `"127.0.0.1:8080:80"` keeps a development database on the machine.

Example
    ports:
      - "5432:5432"
    ->
    (reported: bind it, e.g. "127.0.0.1:5432:5432")

Fix safety
    No fix: whether others must reach the port is the author's call. Off by default: it is
    what most files mean to do.
"""
from __future__ import annotations

from ..base import NO_FIX, ComposeChecker, Rule
from .support import Where, item_line


def check(checker: ComposeChecker):
    for _, name, service in checker.tree.services():
        ports = service.get("ports")
        if not isinstance(ports, list):
            continue
        for index, port in enumerate(ports):
            if _all_interfaces(port):
                line = item_line(ports, index) + 1
                yield checker.report(RULE, Where(line, line), f"{name} publishes {port} on every interface of the "
                                                              "host")


def _all_interfaces(port) -> bool:
    if hasattr(port, "get"):
        return not port.get("host_ip") and port.get("published") is not None
    text = str(port)
    parts = text.rsplit("/", 1)[0].split(":")
    return len(parts) <= 2 and "$" not in text


RULE = Rule(id="DC008", name="compose-ports-all-interfaces", summary="published ports name the host interface",
            check=check, doc=__doc__, kind="compose", fix_safety=NO_FIX, default=False,
            severity="warning", security_severity=5.0)
