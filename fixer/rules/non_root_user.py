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
    Safe where nothing says the program needs root. Offered only under --unsafe-fixes, with
    the reason in the message: a deliberate `USER root`; an entrypoint that is a shell
    script or steps down itself (gosu, su-exec); an EXPOSEd port below 1024 (outside
    Docker, only root binds it); a `go` command as the entrypoint (it needs a writable
    cache); a WORKDIR of /root; a VOLUME on an image without a shell to chown it; a
    directory the stage makes with `mkdir` and never hands over with chown or chmod (a
    daemon's run or state directory, such as /var/run/server, would not be writable: the
    unsafe fix gives such directories to the user with `RUN chown` before the USER line); Go
    sources that use the home directory (`os.UserHomeDir`, `os.UserCacheDir`,
    `os.UserConfigDir`: nobody's home is `/` or missing).
    An existing non-root USER, named or numeric, is left alone; so are builder stages,
    final stages without their own ENTRYPOINT or CMD, or whose command is a bare shell
    (base, tool and artifact images, which run what their user says), images whose tag
    says `nonroot`, and Windows images.
"""
from __future__ import annotations

from ..syntax.edits import lines_at
from ..syntax.shell import shell_view
from ..syntax.tree import Instruction
from .base import MIXED, SAFE, UNSAFE, Checker, Edit, Rule
from .images import (
    CHAINGUARD,
    DISTROLESS,
    PLAIN_PATH,
    SCRATCH,
    WINDOWS,
    after_build_steps,
    directories_made,
    external_base,
    family,
    final_stage,
    is_root_user,
    is_within,
    last_instruction,
    stage_chain,
    volumes,
)

SHELLS = frozenset({"sh", "bash", "ash", "zsh", "dash"})
STEP_DOWN_TOOLS = ("gosu", "su-exec", "setpriv", "chroot", "su ", "sudo")


def check(checker: Checker):
    tree = checker.tree
    stages, stage = final_stage(tree)
    if stage is None:
        return
    chain = stage_chain(stages, stage)
    base = external_base(stages, stage)
    base_family = family(base)
    user = last_instruction(chain, "USER")
    entrypoint = last_instruction(chain, "ENTRYPOINT") or last_instruction(chain, "CMD")
    if base_family == WINDOWS or entrypoint is None or _runs_a_shell(entrypoint):
        return
    if user is not None and not is_root_user(user):
        return
    if user is None and "nonroot" in base.tag.lower():
        return
    uid = checker.options.get("user") or ("65532:65532" if base_family in (DISTROLESS, CHAINGUARD) else "65534:65534")
    declared = volumes(stage)  # made and handed over below, or a reason of their own
    made = [path for path in _directories_left_to_root(tree, chain)
            if not any(is_within(path, volume.rstrip("/")) for volume in declared)]
    reasons = _reasons_for_caution(chain, user, entrypoint, base_family, made, declared, checker.context)
    if user is not None and user in stage.instructions:
        span = user.logical.source_span(user.arguments_start, len(user.logical.text.rstrip()))
        edits = [Edit(span.start, span.end, uid)]
        message = f"the final stage ends as root: use `USER {uid}`"
    else:
        at = after_build_steps(tree, stage)
        hand_over = " ".join(path for path in made if PLAIN_PATH.fullmatch(path))
        chown = f"RUN chown {uid} {hand_over}{tree.newline}" if hand_over else ""
        edits = list(lines_at(tree, at, f"{chown}USER {uid}{tree.newline}"))
        message = f"the final stage runs as root: add `USER {uid}`"
    if declared and base_family not in (SCRATCH, DISTROLESS) and all(PLAIN_PATH.fullmatch(v) for v in declared):
        first_volume = next(node for node in stage.instructions if node.keyword == "VOLUME")
        paths = " ".join(declared)
        edits.append(Edit(first_volume.span.start, first_volume.span.start,
                          f"RUN mkdir -p {paths} && chown {uid} {paths}{tree.newline}"))
    if reasons:
        yield checker.report(RULE, user or stage.from_, message, *edits, applicability=UNSAFE,
                             reason="; ".join(reasons))
    else:
        yield checker.report(RULE, user or stage.from_, message, *edits, applicability=SAFE)


def _runs_a_shell(entrypoint: Instruction) -> bool:
    """An interactive shell as the command: a tool image, whose user decides what runs."""
    words = entrypoint.values if entrypoint.json else tuple(entrypoint.arguments.split())
    return len(words) == 1 and words[0].rsplit("/", 1)[-1] in SHELLS


def _reasons_for_caution(chain, user, entrypoint, base_family, made: list[str], declared: list[str],
                         context) -> list[str]:
    reasons = []
    if user is not None:
        reasons.append("the Dockerfile switches to root on purpose")
    command = " ".join(entrypoint.values) if entrypoint is not None else ""
    first = entrypoint.values[0] if entrypoint is not None and entrypoint.values else ""
    if first.endswith(".sh") or "entrypoint" in first.rsplit("/", 1)[-1] or any(t in command for t in STEP_DOWN_TOOLS):
        reasons.append("the entrypoint is a script that may need root or step down itself")
    if first.rsplit("/", 1)[-1] == "go" or command.startswith("go "):
        reasons.append("`go` as the entrypoint needs a writable cache")
    workdir = last_instruction(chain, "WORKDIR")
    if workdir is not None and workdir.arguments.rstrip("/") == "/root":
        reasons.append("the WORKDIR is /root, which only root may write to")
    low_ports = [port for port in _exposed_ports(chain) if port < 1024]
    if low_ports:
        reasons.append(f"port {low_ports[0]} is below 1024: outside Docker only root may bind it")
    if declared and base_family in (SCRATCH, DISTROLESS):
        reasons.append("a VOLUME on an image without a shell cannot be given to the user")
    elif any("$" in volume for volume in declared):
        reasons.append("a VOLUME path uses a variable")
    elif not all(PLAIN_PATH.fullmatch(volume) for volume in declared):
        reasons.append("a VOLUME path has characters a shell would read: it is not written into a RUN")
    if made:
        reasons.append(f"the image makes {made[0]} as root, and the program may write there")
    if context is not None and context.go_sources.uses_home:
        reasons.append("the Go sources call os.UserHomeDir, UserCacheDir or UserConfigDir: the new user has no "
                       "writable home")
    return reasons


def _directories_left_to_root(tree, chain) -> list[str]:
    """Directories a RUN of the final stage's chain makes (`mkdir`) and no chown or chmod there
    names: a daemon's run or state directory the new user could not write to."""
    handed_over = set()
    for stage in chain:
        for node in stage.instructions:
            script = shell_view(tree, node) if node.keyword == "RUN" else None
            for command in script.commands if script is not None else ():
                if command.name in ("chown", "chmod"):
                    handed_over.update(value.rstrip("/") for value in command.argv[1:])
    return [path for path in directories_made(tree, chain)
            if not any(is_within(path, other) for other in handed_over)]


def _exposed_ports(chain) -> list[int]:
    ports = []
    for stage in chain:
        for node in stage.instructions:
            if node.keyword == "EXPOSE":
                for value in node.values:
                    number = value.split("/", 1)[0]
                    if number.isdigit():
                        ports.append(int(number))
    return ports




RULE = Rule(id="DF005", name="non-root-user", summary="the final stage runs as a numeric non-root user",
            check=check, doc=__doc__, fix_safety=MIXED, hadolint=("DL3002",))
