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
    Nothing when a Compose service that builds the Dockerfile defines its own `healthcheck:`
    (it replaces the image's): the maintainers keep the check there.

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
    A check that fails marks a healthy container unhealthy, and Swarm or an autoheal
    restarts it: the fix is safe only with evidence for each thing the probe assumes.
    - The program serves HTTP, and the path is a route it registers (or the `healthcheck`
      option names the path or the command). No route found: reported, no fix.
    - It serves HTTP however it is started: a program with a standard-input transport (MCP
      servers that take `-t stdio`, `TRANSPORT_MODE=stdio`) serves HTTP only when told to.
    - It listens on the port probed: no ENV of the image that looks like its listen address
      (`PORT`, `*_ADDR`, `*_LISTEN`…; what a user overrides at `docker run`), no ENTRYPOINT or
      CMD flag that sets another address or one from a variable, and the program's own
      literal ports, when it has any, include it.
    - It answers a request for 127.0.0.1: a Host-header check (allowed hosts, DNS-rebinding
      protection) answers 403. The program model records neither flags nor middleware, so
      dockerfix cannot tell yet, and says so.
    - The stage is the image that ships: a last stage named for debugging, development or
      tests (`debug`, `dev`) may not be the target a release builds.
    Where any of these is unknown the finding is reported without a fix, its reason naming
    the first unknown; where the `healthcheck` option asks for the check, the fix is unsafe
    instead. A configured `command` is the maintainers' own probe: only the stage and an
    unreadable program keep it from being safe. An image whose program dockerfix cannot
    read gets a configured check only under --unsafe-fixes; an image whose command is a
    shell, and one that serves nothing dockerfix can see, get nothing, whatever is
    configured. MCP servers speaking stdio alone (no EXPOSE) get no HEALTHCHECK and no
    complaint.
"""
from __future__ import annotations

import json
import posixpath

from ..context.compose_services import services_building
from ..context.goprogram import CLIENT_WORDS
from ._support.images import ALPINE, CHAINGUARD, DISTROLESS, SCRATCH, external_base, family, parse_image
from ._support.runtime_program import ADDRESS_WORDS, NAME_WORDS, PORT_OF, SHELLS, address_flags, runtime_program
from ._support.stages import after_build_steps, final_stage, stage_chain, variables_set
from .base import MIXED, SAFE, UNSAFE, Checker, Rule

DEFAULTS = {"path": "/healthz", "interval": "30s", "timeout": "3s", "start_period": "5s", "retries": 3}
ANY_OR_LOOPBACK = frozenset({"", "0.0.0.0", "::", "[::]", "127.0.0.1", "localhost", "[::1]", "::1"})
UNSHIPPED_STAGE_WORDS = ("debug", "dev", "test")  # as names start: debug, develop, testing


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
    if any(service.healthcheck for service in services_building(checker.context)):
        return
    settings = {**DEFAULTS, **configured}
    server = running.program if serves else None  # the program, where it serves HTTP: None just when serves is
    path = configured.get("path") or (server.health_routes[0] if server is not None and server.health_routes
                                      else None)
    base = external_base(stages, stage)
    base_family = family(base)
    message = (f"the image serves HTTP on port {port} but has no HEALTHCHECK" if serves else
               f"the image exposes port {port} and a HEALTHCHECK is configured for it, but it has none")
    command = _command(base_family, base, {**settings, "path": path}, port)
    evidence = running.evidence + ((serves,) if serves else ())
    if server is None:
        reason = f"dockerfix cannot tell whether the image serves HTTP ({running.unknown or 'no server found'})"
    elif path is None and "command" not in configured:
        routes = ", ".join(server.routes[:5]) or "none found"
        yield checker.report(RULE, stage.from_, message, evidence=evidence,
                             reason=f"the program registers no health route (routes: {routes}); "
                                    "set the healthcheck option's path")
        return
    else:
        reason = _doubt(stage, chain, running.program, port, own_probe="command" in configured)
    if command is None:
        if base_family in (SCRATCH, DISTROLESS, CHAINGUARD):
            yield checker.report(RULE, stage.from_, message, evidence=evidence,
                                 reason=f"{stage.base} has no shell and no wget; set the healthcheck option's command")
        return
    if reason and not configured:
        yield checker.report(RULE, stage.from_, message, evidence=evidence, reason=reason)
        return
    flags = (f"--interval={settings['interval']} --timeout={settings['timeout']} "
             f"--start-period={settings['start_period']} --retries={settings['retries']}")
    edits = after_build_steps(tree, stage, [f"HEALTHCHECK {flags} CMD {command}"])
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


def _doubt(stage, chain, program, port: int, own_probe: bool) -> str:
    """The first thing that may make the check fail on a healthy container, "" when there is
    none. With the maintainers' own probe (`own_probe`) only the stage is dockerfix's to doubt."""
    if stage.name and any(word.startswith(UNSHIPPED_STAGE_WORDS) for word in NAME_WORDS.split(stage.name.lower())):
        return (f"the last stage, {stage.name}, is named as a debug, development or test image: "
                "the image that ships may be another target")
    if own_probe:
        return ""
    if program.stdio:
        transport = next((fact for fact in program.stdio if not fact.what.startswith("os.")), program.stdio[0])
        return (f"the program also has a standard-input transport ({transport}): whether a container "
                f"serves HTTP on port {port} depends on how it is started")
    set_port, doubt = _command_address(chain, port)
    if doubt:
        return doubt
    for node in (node for member in reversed(chain) for node in member.instructions if node.keyword == "ENV"):
        for name, _ in variables_set(node):
            words = set(name.upper().split("_"))
            if words & ADDRESS_WORDS and not words & CLIENT_WORDS:
                return (f"ENV {name} (line {node.start_line}) looks like the address the program listens on, "
                        "a setting users change, and dockerfix cannot tell whether the program reads it: "
                        f"a check on port {port} fails once it is changed")
    if not set_port and program.listen_ports and port not in program.listen_ports:
        ports = ", ".join(map(str, program.listen_ports))
        return f"the program's own ports are {ports}, not the EXPOSEd {port}"
    return (f"dockerfix cannot tell whether the program answers a request for 127.0.0.1:{port} (a Host-header "
            "check, an allowed-hosts list or DNS-rebinding protection answers 403): the program model records "
            "neither its flags nor its middleware")


def _command_address(chain, port: int) -> tuple[bool, str]:
    """(whether the ENTRYPOINT or CMD sets the listen port to `port`, why it may set another
    address: a flag naming a port, address or host with another value or a variable)."""
    set_port = False
    for node, word, value in address_flags(chain):
        said = f"{node.keyword} (line {node.start_line}) sets {word}{'' if '=' in word else ' ' + value}".rstrip()
        if "$" in value:
            return set_port, f"{said}: the address comes from a variable"
        number = PORT_OF.fullmatch(value)
        if number and int(number.group(1)) != port:
            return set_port, f"{said}, not port {port}"
        if number:
            set_port = True
        elif value not in ANY_OR_LOOPBACK:
            return set_port, f"{said}: the program may not listen on 127.0.0.1"
    return set_port, ""


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
            check=check, doc=__doc__, fix_safety=MIXED, severity="info", options=("healthcheck",))
