"""non-root-user (DF005): the final stage runs as a non-root user, written as a numeric uid:gid.

What it does
    When the final stage has no USER (and its base does not set one) or ends as root, adds
    `USER uid:gid` after the last step that needs root and before ENTRYPOINT/CMD:
    `65532:65532` on distroless and Chainguard images (their `nonroot`), `65534:65534`
    (`nobody`) everywhere else, scratch included. A VOLUME the program will write to is
    created and given to that user just before the VOLUME instruction (`RUN mkdir -p … &&
    chown …`), so that its contents are kept with the legacy builder as with BuildKit.

Why
    A process that runs as root in the container is root on the host's kernel; one escape
    away from the host. The user is numeric because Kubernetes' `runAsNonRoot` can only
    verify numeric users and hadolint flags names (DL3066), and because scratch has no
    /etc/passwd: `USER nobody` there fails when the container starts. hadolint: DL3002.

Example
    FROM alpine:3.20
    COPY --from=builder /out/server /usr/local/bin/server
    ENTRYPOINT ["server"]
    ->
    FROM alpine:3.20
    COPY --from=builder /out/server /usr/local/bin/server
    USER 65534:65534
    ENTRYPOINT ["server"]

Fix safety
    Safe only on positive evidence that the program works as that user: the command is the
    binary a `go build` of this Dockerfile makes, from a package of the build context; that
    package's import graph (fixer.context.goprogram) is read whole, imports no module whose
    code dockerfix cannot see, writes no files outside /tmp and does not use its home
    directory; and the base is one dockerfix knows runs as root (alpine, Debian, Ubuntu,
    scratch, distroless, golang). The evidence is shown with `-v`.
    Otherwise the fix is offered only under --unsafe-fixes, with the reason: a command that
    is not such a Go program (Python, Node, uv, a prebuilt binary, a shell script — read
    where the image copies it from the build context, and the reason names what it runs: a
    command that needs root such as chown, gosu or su-exec, or a program that writes in its
    home such as npm or firebase — or a tool that steps down itself); a program that writes files (its
    working directory, a database file, a data directory), uses its home directory, or
    imports other modules; a base image dockerfix does not know (it may set a user of its
    own; an official image is known to run as root whatever its tag, `alpine:${VERSION}`);
    a deliberate `USER root` (kept where RUN steps after it run as root: the new USER goes
    after them); a volume (it keeps what an earlier, root-run image wrote there); a host
    directory, volume or the Docker socket that a Compose service built from this file mounts,
    or a `docker run` of the image a Makefile, script or CI step builds from it (named with
    its file and line: what is there may belong to another user); a program that runs other
    programs (`exec.Command("go", …)`: the go command, git and the like write in their home
    and caches); a program that talks to the Docker daemon (a Docker or Podman API client among its imports, or, where
    the program cannot be read, in the repository's Go code: the socket is root's); an
    EXPOSEd port below 1024, or one the program listens on by default (outside Docker, only
    root binds it); a `go` command as the entrypoint (it needs a writable cache); a VOLUME on an
    image without a shell to chown it; a directory the stage makes with `mkdir` and never
    hands over with chown or chmod (the unsafe fix gives such directories to the user with
    `RUN chown` before the USER line). A WORKDIR of /root is reported without a fix, and
    so is a file watcher that builds or runs the source again on every change (reflex, air,
    CompileDaemon, nodemon, watchexec: a development image, whose toolchain writes caches a
    user without a home cannot; `go build` as 65534 has no cache to write).
    An existing non-root USER, named or numeric, is left alone; so are builder stages,
    final stages without their own ENTRYPOINT or CMD, or whose command is a bare shell
    (base, tool and artifact images, which run what their user says), images whose tag
    says `nonroot`, Chainguard images other than their `-dev` variants (they run as
    65532 already), images known to set a non-root USER of their own (curlimages/curl,
    nginxinc/nginx-unprivileged, grafana/grafana, prom/prometheus, …), Windows
    images (an `.exe` entrypoint too), and images of databases
    whose own entrypoint starts as root to prepare the data directory and then steps down
    to the image's user (postgres, mysql, mariadb, mongo, redis, rabbitmq, …: without an
    ENTRYPOINT of the Dockerfile's). A Dockerfile whose path says it builds no shipped
    image (under tests/ or examples/, Dockerfile.dev, Dockerfile.e2e, .devcontainer/) is
    reported without a fix: a demo or test image that runs as root harms no one.
    A Dockerfile named on the command line (not found by a search) is fixed whatever its
    path says, unless --force-exclude is given.
"""
from __future__ import annotations

import posixpath
import re

from ..lazy_regex import lazy_regex
from ..syntax.edits import insert_before
from ..syntax.tree import Instruction
from ._support.filesystem import PLAIN_PATH, SYSTEM_PATH, directories_made, is_within, volumes
from ._support.gomodule import context_file
from ._support.images import ALPINE, CHAINGUARD, DEBIAN, DISTROLESS, GOLANG, SCRATCH, UNKNOWN, WINDOWS, family
from ._support.runtime_program import PORT_OF, SHELLS, address_flags, rebuilder, runtime_program
from ._support.shipped import unshipped_image_reason
from ._support.stages import after_build_steps, last_instruction, variables_set
from ._support.users import is_root_user
from .base import MIXED, SAFE, UNSAFE, Checker, Edit, Rule

KNOWN_ROOT_BASES = frozenset({ALPINE, DEBIAN, SCRATCH, DISTROLESS, CHAINGUARD, GOLANG})  # root unless tagged nonroot
# Docker's official images that run as root in every tag: `alpine:${ALPINE_VERSION}` is known
# to, though which alpine it is (its family, for other rules) is not.
ROOT_IN_EVERY_TAG = frozenset({"alpine", "busybox", "debian", "ubuntu", "golang"})

# images whose Dockerfile ends with a non-root USER of their own (in every tag)
IMAGES_WITH_A_USER = frozenset({"curlimages/curl", "nginxinc/nginx-unprivileged", "grafana/grafana",
                                "prom/prometheus", "prom/alertmanager", "prom/node-exporter", "jenkins/jenkins"})

EXPOSED_VARIABLE = lazy_regex(r"\$\{(\w+)\}|\$(\w+)")
ADDRESS_VARIABLE = lazy_regex(r"PORT|ADDR|LISTEN|BIND", re.I)

# Docker Engine (and Podman) API clients: the program talks to the daemon through its socket,
# which root owns (and the docker group, which 65534 is not in)
DOCKER_CLIENTS = ("github.com/docker/docker/client", "github.com/moby/moby/client", "github.com/fsouza/go-dockerclient",
                  "github.com/docker/cli/cli/command", "github.com/containers/podman/v4/pkg/bindings",
                  "github.com/containers/podman/v5/pkg/bindings")
SCRIPT_REASON = "the entrypoint is a script that may need root or step down itself"
SCRIPT_COMMAND = lazy_regex(r"(?:^|[;&|]|\bexec|\bthen|\bdo|\belse)[ \t]*([A-Za-z0-9_./-]+)", re.M)
ROOT_COMMANDS = frozenset({"gosu", "su-exec", "setpriv", "su", "sudo", "chroot", "chown", "chgrp", "apk", "apt-get",
                           "apt", "useradd", "adduser", "update-ca-certificates", "mount", "sysctl", "iptables"})
HOME_WRITERS = frozenset({"node", "npm", "npx", "yarn", "pnpm", "firebase", "python", "python3", "pip", "pip3", "uv",
                          "java", "ruby", "bundle", "php", "composer", "go", "dotnet"})
STEP_DOWN_TOOLS = ("gosu", "su-exec", "setpriv", "chroot", "su ", "sudo")
STEPPING_DOWN_IMAGES = {  # the image, and the commands its entrypoint steps down for
    "postgres": ("postgres",), "postgis/postgis": ("postgres",), "mysql": ("mysqld",),
    "mariadb": ("mysqld", "mariadbd"), "percona": ("mysqld",), "mongo": ("mongod", "mongos"),
    "redis": ("redis-server",), "rabbitmq": ("rabbitmq-server",), "cassandra": ("cassandra",),
    "couchdb": ("couchdb",), "zookeeper": ("zkServer.sh",), "influxdb": ("influxd",), "neo4j": ("neo4j",),
}
INTERPRETERS = frozenset({"python", "uv", "uvx", "node", "npm", "npx", "bun", "deno", "java", "ruby", "bundle",
                          "php", "perl", "dotnet", "pnpm", "yarn", "gunicorn", "uvicorn"})


def check(checker: Checker):
    tree, index = checker.tree, checker.index
    stage = index.final_stage
    if stage is None:
        return
    chain = index.chain(stage)
    base = index.base_image(stage)
    base_family = family(base)
    user = index.user(stage)
    entrypoint = last_instruction(chain, "ENTRYPOINT") or last_instruction(chain, "CMD")
    if base_family == WINDOWS or entrypoint is None or _runs_a_shell(entrypoint) or \
            (base_family == UNKNOWN and _windows_program(entrypoint)):
        return
    if user is not None and not is_root_user(user):
        return
    if user is None and ("nonroot" in base.tag.lower() or _chainguard_nonroot(base, base_family)
                         or base.docker_hub_name in IMAGES_WITH_A_USER):
        return
    watcher = rebuilder(entrypoint)
    if watcher:
        yield checker.report(RULE, user or stage.from_, "the final stage runs as root",
                             reason=f"{watcher} builds or runs the source again on every change: a development "
                                    "image, whose toolchain writes its caches and build output where a user "
                                    "without a home cannot (`go build` needs a writable module and build cache)")
        return
    uid = checker.options.get("user") or ("65532:65532" if base_family in (DISTROLESS, CHAINGUARD) else "65534:65534")
    declared = volumes(stage)  # made and handed over below, or a reason of their own
    made = [path for path in _directories_left_to_root(index, chain)
            if not any(is_within(path, volume.rstrip("/")) for volume in declared)]
    reasons = _reasons_for_caution(chain, user, entrypoint, base_family, made, declared)
    running = runtime_program(checker, index.stages, stage)
    reasons += _reasons_in_the_program(running, base, base_family, uid, chain)
    if running.program is None and reasons and checker.context is not None:
        reasons[:0] = _docker_clients_in_the_repository(checker.context, uid)
    reasons += _mount_risks(checker.context.mounts() if checker.context is not None else (), uid)
    if SCRIPT_REASON in reasons:
        script = _script_reason(checker, stage, entrypoint, uid)
        reasons = [script if reason == SCRIPT_REASON else reason for reason in reasons]
    if last_instruction(chain, "ENTRYPOINT") is None and _steps_down_itself(base, last_instruction(chain, "CMD")):
        return  # it starts as root by design: its entrypoint prepares the data and then runs as its own user
    workdir = last_instruction(chain, "WORKDIR")
    if workdir is not None and workdir.arguments.rstrip("/") == "/root":
        yield checker.report(RULE, user or stage.from_, "the final stage runs as root in /root",
                             reason="its WORKDIR is /root, which only root may write to: move it, then add a USER")
        return
    if user is not None and user in stage.instructions and not _runs_after(stage, user):
        span = user.logical.source_span(user.arguments_start, len(user.logical.text.rstrip()))
        edits = [Edit(span.start, span.end, uid)]
        message = f"the final stage ends as root: use `USER {uid}`"
    else:
        hand_over = " ".join(path for path in made if PLAIN_PATH.fullmatch(path))
        chown = [f"RUN chown {uid} {hand_over}"] if hand_over else []
        edits = list(after_build_steps(tree, stage, [*chown, f"USER {uid}"]))
        message = f"the final stage runs as root: add `USER {uid}`"
    if declared and base_family not in (SCRATCH, DISTROLESS) and all(PLAIN_PATH.fullmatch(v) for v in declared):
        first_volume = next(node for node in stage.instructions if node.keyword == "VOLUME")
        paths = " ".join(declared)
        edits += insert_before(tree, first_volume, [f"RUN mkdir -p {paths} && chown {uid} {paths}"])
    not_shipped = unshipped_image_reason(checker)
    if not_shipped:
        yield checker.report(RULE, user or stage.from_, message, reason=not_shipped)
    elif reasons:
        yield checker.report(RULE, user or stage.from_, message, *edits, applicability=UNSAFE,
                             reason="; ".join(dict.fromkeys(reasons)), evidence=running.evidence)
    else:
        root = f"{base.text} runs as root and sets no USER" if base_family in KNOWN_ROOT_BASES else \
            f"{base.text}: {base.name} images run as root and set no USER, in every tag"
        evidence = (*running.evidence, root,
                    "the program writes no files outside /tmp and does not use its home directory")
        yield checker.report(RULE, user or stage.from_, message, *edits, applicability=SAFE, evidence=evidence)


def _chainguard_nonroot(base, base_family: str) -> bool:
    """Chainguard images run as their nonroot user (65532), except the `-dev` variants."""
    return base_family == CHAINGUARD and "dev" not in base.tag.lower()


def _mount_risks(mounts, uid: str) -> list[str]:
    """What the Compose services built from this file mount, which the new user may not use."""
    risks = []
    for mount in mounts:
        if mount.target.endswith("docker.sock"):
            risks.append(f"{mount.where} mounts the Docker socket at {mount.target}: only root or its group may use it")
        elif not mount.read_only:
            risks.append(f"{mount.where} mounts {mount.shown} at {mount.target}: what is there may belong to root "
                         f"or another user, and {uid} may not write it")
    return risks[:2]


def _runs_after(stage, user: Instruction) -> bool:
    """Whether a RUN after the USER runs as it: then the USER stays, and another goes after them."""
    return any(node.keyword in ("RUN", "VOLUME")  # before a VOLUME the fix puts a RUN of its own
               for node in stage.instructions[stage.instructions.index(user) + 1:])


def _windows_program(entrypoint: Instruction) -> bool:
    """`ENTRYPOINT ["exporter.exe"]`: a Windows image (from a base named by a variable), whose
    users are no Linux uids."""
    return _first_word(entrypoint).lower().endswith(".exe")


def _first_word(command: Instruction) -> str:
    """The first word of a CMD or ENTRYPOINT, exec or shell form, without its quotes."""
    words = command.values if command.json else command.arguments.split()
    return words[0].strip("\"'") if words else ""


def _unread_program_risk(executable: str, uid: str, workdir) -> str:
    """What may break when a program dockerfix does not read runs as `uid`."""
    name = executable.rsplit("/", 1)[-1]
    where = workdir.arguments if workdir is not None else "/"
    if name in INTERPRETERS or name.rstrip("0123456789.") in INTERPRETERS:
        risk = f"the {name} program it runs may write in its working directory {where} or its home, " \
               f"which {uid} cannot write"
        return risk + ("; uv keeps its cache in the home directory unless UV_CACHE_DIR says otherwise"
                       if name in ("uv", "uvx") else "")
    if not executable:
        return "dockerfix cannot tell which program the command starts, nor what it writes or needs"
    return f"dockerfix saw no `go build` of this Dockerfile make {executable}, so it cannot tell what " \
           f"{name} writes or needs"


def _steps_down_itself(base, command: Instruction | None) -> bool:
    """An official image whose docker-entrypoint.sh, run as root, chowns its data directory and
    then runs the server as the image's own user (gosu, su-exec): when the command is that
    server (or its options, or the image's own CMD). Another command runs as root."""
    servers = STEPPING_DOWN_IMAGES.get(base.docker_hub_name)
    if servers is None:
        return False
    if command is None:
        return True
    first = _first_word(command)
    return first.startswith("-") or first.rsplit("/", 1)[-1] in servers


def _official_root_image(base) -> bool:
    """An official image named without variables, whose tag or digest may hold one."""
    return base.docker_hub_name in ROOT_IN_EVERY_TAG


def _reasons_in_the_program(running, base, base_family: str, uid: str, chain) -> list[str]:
    """Why the program may not work as `uid`: positive evidence that it does is needed."""
    if base_family not in KNOWN_ROOT_BASES and not _official_root_image(base):
        return [f"dockerfix does not know whether {base.text or 'the base image'} already sets a user"]
    if not running.is_go_binary:
        if running.executable.endswith(".sh"):  # `sh -c /app/start.sh` too, which the caution check does not see
            return [SCRIPT_REASON]
        return [_unread_program_risk(running.executable, uid, last_instruction(chain, "WORKDIR"))]
    program = running.program
    if program is None:
        return [f"dockerfix cannot read the program: {running.unknown}"]
    reasons = []
    if program.home:
        reasons.append(f"the program uses its home directory ({program.home[0].what} at {program.home[0].where}): "
                       f"{uid} has no writable home")
    writes = [fact for fact in program.writes if not (fact.path or "").startswith("/tmp")]
    if writes:
        workdir = last_instruction(chain, "WORKDIR")
        relative = writes[0] in program.relative_writes
        where = f", relative to its working directory {workdir.arguments if workdir is not None else '/'}" \
            if relative else ""
        reasons.append(f"the program writes files: {writes[0].what} at {writes[0].where}{where}, "
                       f"where {uid} may not be allowed to")
    if program.commands:
        started = next((fact for fact in program.commands if fact.path), program.commands[0])
        name = f"`{started.path}`" if started.path else "a command its code builds"
        reasons.append(f"the program runs {name} ({started.where}), which may write in its home or need root: "
                       f"{uid} has neither")
    if not any(port < 1024 for port in _exposed_ports(chain)):  # an EXPOSEd one is named already
        reasons += _listen_port_reasons(program, chain)
    clients = [path for path in program.external if path.startswith(DOCKER_CLIENTS)]
    if clients:
        reasons.insert(0, f"the program talks to the Docker daemon ({clients[0]}): its socket is root's, and {uid} "
                          "cannot open it")
    if program.missing:
        reasons.append(f"the program's package {program.missing[0]} cannot be read")
    elif program.external:
        more = f" and {len(program.external) - 1} more" if len(program.external) > 1 else ""
        reasons.append(f"the program imports {program.external[0]}{more}, whose code dockerfix cannot see: it may "
                       "write files or use its home directory")
    return reasons


def _docker_clients_in_the_repository(context, uid: str) -> list[str]:
    """Where the program cannot be read (a prebuilt binary): whether the repository's Go code
    talks to the Docker daemon, which a user without the socket's group cannot reach."""
    project = context.project
    sources = context.at(project.root).go_sources if project is not None else context.go_sources
    clients = sorted(path for path in sources.imports if path.startswith(DOCKER_CLIENTS))
    if not clients:
        return []
    return [f"the repository's Go code talks to the Docker daemon ({clients[0]}): its socket is root's, and {uid} "
            "cannot open it"]


def _listen_port_reasons(program, chain) -> list[str]:
    """A port below 1024 the program listens on: one the command sets (`-listen :80`), else
    its own default, unless the command or an ENV sets the address otherwise."""
    flags = address_flags(chain)
    for node, word, value in flags:
        port = PORT_OF.fullmatch(value)
        if port and 0 < int(port.group(1)) < 1024:
            return [f"{node.keyword} (line {node.start_line}) sets {word} to port {port.group(1)}: outside Docker "
                    "only root may bind it"]
    if flags or any(ADDRESS_VARIABLE.search(name) for stage in chain for node in stage.instructions
                    if node.keyword == "ENV" for name, _ in variables_set(node)):
        return []  # the address is the command's or the environment's, not the program's default
    low = sorted(port for port in program.listen_ports if 0 < port < 1024)
    return [f"the program listens on port {low[0]} by default: outside Docker only root may bind it"] if low else []


def _script_reason(checker: Checker, stage, entrypoint: Instruction, uid: str) -> str:
    """What the entrypoint script may need root for, read from the script where the image
    copies it from the build context: a tool that steps down or changes owners, or a program
    that writes in its home or working directory; the general reason where it cannot be read."""
    words = list(entrypoint.values) if entrypoint.json else entrypoint.arguments.split()
    path = next((word for word in words if word.endswith(".sh") or "entrypoint" in word.rsplit("/", 1)[-1]), "")
    context = checker.context
    if not path or context is None:
        return SCRIPT_REASON
    places = [path] if "/" in path else [posixpath.join(directory, path) for directory in SYSTEM_PATH]
    source = next(filter(None, (context_file(checker.tree, stage, place, context) for place in places)), None)
    text = context.script_text(source) if source is not None else None
    if text is None:
        return SCRIPT_REASON
    name = posixpath.basename(path)
    commands = [match.group(1).rsplit("/", 1)[-1] for match in SCRIPT_COMMAND.finditer(text)]
    needs_root = [command for command in commands if command in ROOT_COMMANDS]
    if needs_root:
        return f"the entrypoint script {name} runs {needs_root[0]}, which needs root: it starts as root on purpose"
    writers = [command for command in commands if command.rstrip("0123456789.") in HOME_WRITERS]
    if writers:
        return (f"the entrypoint script {name} runs {writers[0]}, which may write in its home or working directory: "
                f"{uid} has no home and owns no directory of the image")
    return f"the entrypoint script {name} may need root: dockerfix does not know what its commands write"


def _runs_a_shell(entrypoint: Instruction) -> bool:
    """An interactive shell as the command: a tool image, whose user decides what runs."""
    words = entrypoint.values if entrypoint.json else tuple(entrypoint.arguments.split())
    return len(words) == 1 and words[0].rsplit("/", 1)[-1] in SHELLS


def _reasons_for_caution(chain, user, entrypoint, base_family, made: list[str], declared: list[str]) -> list[str]:
    reasons = []
    if user is not None:
        reasons.append("the Dockerfile switches to root on purpose")
    command = " ".join(entrypoint.values) if entrypoint is not None else ""
    first = entrypoint.values[0] if entrypoint is not None and entrypoint.values else ""
    if first.endswith(".sh") or "entrypoint" in first.rsplit("/", 1)[-1] or any(t in command for t in STEP_DOWN_TOOLS):
        reasons.append(SCRIPT_REASON)
    if first.rsplit("/", 1)[-1] == "go" or command.startswith("go "):
        reasons.append("`go` as the entrypoint needs a writable cache")
    low_ports = [port for port in _exposed_ports(chain) if port < 1024]
    if low_ports:
        reasons.append(f"port {low_ports[0]} is below 1024: outside Docker only root may bind it")
    if declared and base_family in (SCRATCH, DISTROLESS):
        reasons.append("a VOLUME on an image without a shell cannot be given to the user")
    elif any("$" in volume for volume in declared):
        reasons.append("a VOLUME path uses a variable")
    elif not all(PLAIN_PATH.fullmatch(volume) for volume in declared):
        reasons.append("a VOLUME path has characters a shell would read: it is not written into a RUN")
    elif declared:
        reasons.append(f"a volume at {declared[0]} keeps what an earlier image wrote there as root: after an "
                       "upgrade the new user may not write it")
    if made:
        reasons.append(f"the image makes {made[0]} as root, and the program may write there")
    return reasons


def _directories_left_to_root(index, chain) -> list[str]:
    """Directories a RUN of the final stage's chain makes (`mkdir`) and no chown or chmod there
    names: a daemon's run or state directory the new user could not write to."""
    handed_over: set[str] = set()
    for stage in chain:
        for node in stage.instructions:
            script = index.shell_view(node) if node.keyword == "RUN" else None
            for command in script.commands if script is not None else ():
                if command.name in ("chown", "chmod"):
                    handed_over.update(value.rstrip("/") for value in command.argv[1:])
    return [path for path in directories_made(index, chain)
            if not any(is_within(path, other) for other in handed_over)]


def _exposed_ports(chain) -> list[int]:
    """The ports the chain EXPOSEs, a variable read as its ARG default or ENV value
    (`ARG PORT=80` + `EXPOSE $PORT`: what the image does unless the build says otherwise)."""
    ports, values = [], {}
    for stage in reversed(chain):
        for node in stage.instructions:
            if node.keyword in ("ARG", "ENV"):
                for name, value in variables_set(node):
                    if value is not None and (node.keyword == "ENV" or name not in values):
                        values[name] = value.strip("\"'")
            elif node.keyword == "EXPOSE":
                for value in node.values:
                    number = EXPOSED_VARIABLE.sub(lambda match: values.get(match.group(1) or match.group(2), "?"),
                                                  value).split("/", 1)[0]
                    if number.isdigit():
                        ports.append(int(number))
    return ports




RULE = Rule(id="DF005", name="non-root-user", summary="the final stage runs as a numeric non-root user",
            check=check, doc=__doc__, fix_safety=MIXED, hadolint=("DL3002",), severity="warning", security_severity=5.0,
            options=("user",))
