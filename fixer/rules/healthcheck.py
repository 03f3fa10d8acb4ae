"""healthcheck (DF021): an HTTP service's final stage has a HEALTHCHECK that works on its base.

What it does
    When the final stage EXPOSEs a port, has no HEALTHCHECK, and runs a Go program built in
    the Dockerfile whose import graph serves HTTP, adds before the ENTRYPOINT/CMD:
    - on alpine and busybox: `HEALTHCHECK --interval=30s --timeout=3s --start-period=5s
      --retries=3 CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:<port><path>"]`
      (busybox wget; curl is not there). Exec form: no shell reads the URL, so a path
      with `&` or `;` cannot change what runs;
    - on scratch and distroless, which have no shell and no wget: the exec-form command the
      `healthcheck` option gives (`command = ["/server", "-healthcheck"]`), or nothing.
    The path is the health route the program registers (`/healthz`, `/livez`, `/health`,
    …) unless the `healthcheck` option gives one; the port is the first EXPOSEd TCP port.

Why
    Without a HEALTHCHECK, Docker and Compose (`depends_on: condition: service_healthy`)
    only know that the process runs, not that it answers.

Example
    EXPOSE 8080
    CMD ["/server"]
    ->
    EXPOSE 8080
    HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
        CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]
    CMD ["/server"]
    (on one line in the output)

Fix safety
    Safe when the program is known to serve HTTP and the path is a route it registers, or
    the `healthcheck` option names the path or command. A program that serves HTTP but
    registers no health route is reported without a fix (a check against a path it does
    not serve marks a healthy container unhealthy, and an orchestrator may restart it).
    With a configured check, an image whose program dockerfix cannot read gets the fix
    only under --unsafe-fixes; an image whose command is a shell, and one that serves
    nothing dockerfix can see, get nothing, whatever is configured. MCP servers speaking
    stdio (no EXPOSE) get no HEALTHCHECK and no complaint.
"""
from __future__ import annotations

import json
import posixpath

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
from .runtime_program import SHELLS, runtime_program

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
    running = runtime_program(checker, stages, stage)
    serves = _serves_http(running)
    if serves is None and (not configured or posixpath.basename(running.executable) in SHELLS):
        return
    settings = {**DEFAULTS, **configured}
    path = configured.get("path") or (running.program.health_routes[0] if serves and running.program.health_routes
                                      else None)
    base = external_base(stages, stage)
    base_family = family(base)
    message = (f"the image serves HTTP on port {port} but has no HEALTHCHECK" if serves else
               f"the image exposes port {port} and a HEALTHCHECK is configured for it, but it has none")
    command = _command(base_family, base, {**settings, "path": path}, port)
    evidence = running.evidence + ((serves,) if serves else ())
    if serves is None:
        reason = f"dockerfix cannot tell whether the image serves HTTP ({running.unknown or 'no server found'})"
    elif path is None and "command" not in configured:
        routes = ", ".join(running.program.routes[:5]) or "none found"
        yield checker.report(RULE, stage.from_, message, evidence=evidence,
                             reason=f"the program registers no health route (routes: {routes}); "
                                    "set the healthcheck option's path")
        return
    else:
        reason = ""
    if command is None:
        if base_family in (SCRATCH, DISTROLESS, CHAINGUARD):
            yield checker.report(RULE, stage.from_, message, evidence=evidence,
                                 reason=f"{stage.base} has no shell and no wget; set the healthcheck option's command")
        return
    flags = (f"--interval={settings['interval']} --timeout={settings['timeout']} "
             f"--start-period={settings['start_period']} --retries={settings['retries']}")
    at = after_build_steps(tree, stage)
    edits = lines_at(tree, at, f"HEALTHCHECK {flags} CMD {command}{tree.newline}")
    if reason:
        yield checker.report(RULE, stage.from_, message, *edits, applicability=UNSAFE, reason=reason,
                             evidence=evidence)
        return
    source = "the healthcheck option" if configured.get("path") or configured.get("command") else \
        f"the program registers the health route {path}"
    yield checker.report(RULE, stage.from_, message, *edits, applicability=SAFE, evidence=(*evidence, source))


def _serves_http(running) -> str | None:
    """The evidence that the program serves HTTP, or None when there is none."""
    program = running.program
    if program is None or not program.http_servers:
        return None
    return f"the program serves HTTP: {program.http_servers[0]}"


def _command(base_family: str, base, settings: dict, port) -> str | None:
    if settings.get("command"):
        return json.dumps(list(settings["command"]))
    if base_family == ALPINE or parse_image(base.text).name == "busybox":
        return json.dumps(["wget", "-q", "-O", "/dev/null", f"http://127.0.0.1:{port}{settings['path']}"])
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
            check=check, doc=__doc__, fix_safety=MIXED, severity="info")
