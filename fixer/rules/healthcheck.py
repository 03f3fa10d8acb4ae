"""healthcheck (DF021): an HTTP service's final stage has a HEALTHCHECK that works on its base.

What it does
    When the final stage EXPOSEs a port, has no HEALTHCHECK, and the build context's Go
    sources serve HTTP (or the `healthcheck` option says where to ask), adds before the
    ENTRYPOINT/CMD:
    - on alpine and busybox: `HEALTHCHECK --interval=30s --timeout=3s --start-period=5s
      --retries=3 CMD wget -q -O /dev/null http://127.0.0.1:<port><path> || exit 1`
      (busybox wget; curl is not there);
    - on scratch and distroless, which have no shell and no wget: the exec-form command the
      `healthcheck` option gives (`command = ["/server", "-healthcheck"]`), or nothing.
    The path is `/healthz` unless configured; the port is the first EXPOSEd TCP port.

Why
    Without a HEALTHCHECK, Docker and Compose (`depends_on: condition: service_healthy`)
    only know that the process runs, not that it answers.

Example
    EXPOSE 8080
    CMD ["/server"]
    ->
    EXPOSE 8080
    HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
        CMD wget -q -O /dev/null http://127.0.0.1:8080/healthz || exit 1
    CMD ["/server"]
    (on one line in the output)

Fix safety
    Unsafe unless the `healthcheck` option names the path: the endpoint is a guess, and a
    check against a path the program does not serve marks a healthy container unhealthy
    (and an orchestrator may restart it). MCP servers speaking stdio (no EXPOSE) get no
    HEALTHCHECK and no complaint; without a build context or a configured check nothing is
    said, because nothing says the program speaks HTTP.
"""
from __future__ import annotations

import json

from ..syntax.edits import lines_at
from .base import MIXED, SAFE, UNSAFE, Checker, Rule
from .images import (
    ALPINE,
    CHAINGUARD,
    DISTROLESS,
    SCRATCH,
    after_build_steps,
    external_base,
    family,
    final_stage,
    parse_image,
    stage_chain,
)

DEFAULTS = {"path": "/healthz", "interval": "30s", "timeout": "3s", "start_period": "5s", "retries": 3}


def check(checker: Checker):
    tree = checker.tree
    stages, stage = final_stage(tree)
    if stage is None:
        return
    chain = stage_chain(stages, stage)
    configured = checker.options.get("healthcheck") or {}
    port = configured.get("port") or _first_tcp_port(chain)
    if port is None or any(n.keyword == "HEALTHCHECK" for s in chain for n in s.instructions):
        return
    context = checker.context
    if not configured and (context is None or not context.go_sources.serves_http):  # the sources are read last
        return
    settings = {**DEFAULTS, **configured}
    base = external_base(stages, stage)
    base_family = family(base)
    message = f"the image serves HTTP on port {port} but has no HEALTHCHECK"
    command = _command(base_family, base, settings, port)
    if command is None:
        if base_family in (SCRATCH, DISTROLESS, CHAINGUARD):
            yield checker.report(RULE, stage.from_, message,
                                 reason=f"{stage.base} has no shell and no wget; set the healthcheck option's command")
        return
    flags = (f"--interval={settings['interval']} --timeout={settings['timeout']} "
             f"--start-period={settings['start_period']} --retries={settings['retries']}")
    at = after_build_steps(tree, stage)
    edits = lines_at(tree, at, f"HEALTHCHECK {flags} CMD {command}{tree.newline}")
    if "path" in configured or "command" in configured:
        yield checker.report(RULE, stage.from_, message, *edits, applicability=SAFE)
    else:
        yield checker.report(RULE, stage.from_, message, *edits, applicability=UNSAFE,
                             reason=f"the endpoint {settings['path']} is a guess; set the healthcheck option's path")


def _command(base_family: str, base, settings: dict, port) -> str | None:
    if settings.get("command"):
        return json.dumps(list(settings["command"]))
    if base_family == ALPINE or parse_image(base.text).name == "busybox":
        return f"wget -q -O /dev/null http://127.0.0.1:{port}{settings['path']} || exit 1"
    return None


def _first_tcp_port(chain) -> int | None:
    for stage in reversed(chain):
        for node in stage.instructions:
            if node.keyword == "EXPOSE":
                for value in node.values:
                    number, _, protocol = value.partition("/")
                    if number.isdigit() and protocol in ("", "tcp"):
                        return int(number)
    return None


RULE = Rule(id="DF021", name="healthcheck", summary="HTTP services get a HEALTHCHECK that works on their base",
            check=check, doc=__doc__, fix_safety=MIXED)
