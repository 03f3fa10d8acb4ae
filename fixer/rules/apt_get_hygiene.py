"""apt-get-hygiene (DF010): `apt-get update` with the install, the lists removed after it, no recommends.

What it does
    - A RUN that is nothing but `apt-get update`, directly followed by a RUN that installs
      with apt-get, is folded into it: `apt-get update && apt-get install …`. The comments about
      it and its suppressions go with it (left behind, a suppression would cover the RUN
      it is folded into).
    - A RUN of a shipped image's stages (fixer.rules._support.shipped: not a builder that only hands
      files on) that runs `apt-get update` and `apt-get install` gets
      `&& rm -rf /var/lib/apt/lists/*` at its end.
    - `apt-get install` gets `--no-install-recommends` (an unsafe fix, see below).

Why
    An `apt-get update` in a layer of its own is cached for ever: a later install, changed
    or not, uses stale package lists and fails or installs old versions (hadolint DL3009's
    sibling advice). The lists are 20-40 MB the running image never reads (DL3009).
    Recommended packages are rarely needed in a container and often large (DL3015).

Example
    RUN apt-get update
    RUN apt-get install -y curl
    ->
    RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*

Fix safety
    Folding `apt-get update` and removing the lists are safe; the lists are not removed
    (only reported) when a later RUN of the stage, or of a stage built on it, installs from
    them before any RUN fetches them again (an `apt-get update` under `if`, in a loop or
    after `||` may not run: it fetches lists only for what follows it in its own branch), and only reported in a
    Dockerfile whose path says it builds no shipped image (tests/, examples/,
    .devcontainer/, Dockerfile.dev). `--no-install-recommends` is
    unsafe: a recommended package can be one the program needs. The reason names the
    recommendations known to matter (`curl` recommends ca-certificates, without which it
    cannot verify any TLS peer; `git` openssh-client; `docker-ce-cli` the buildx and compose
    plugins; `imagemagick` ghostscript), unless the install names them itself. RUNs that mount a cache
    at /var/lib/apt or /var/cache/apt are left alone (the cache is the better practice),
    as are scripts dockerfix cannot read and RUNs that end in a comment or `;`/`&`.
    Builder stages keep their lists: they do not ship.
    A Dockerfile named on the command line (not found by a search) is fixed whatever its
    path says, unless --force-exclude is given.
"""
from __future__ import annotations

from fnmatch import fnmatchcase

from ..lazy_regex import lazy_regex
from ..syntax.edits import physical_lines, removal
from ..syntax.shell import Script, SimpleCommand
from ._support.shipped import left_behind, unshipped_image_reason
from ._support.stages import first_use, used_later
from .base import MIXED, SAFE, UNSAFE, Checker, Edit, Rule

APT_CACHE_DIRS = ("/var/lib/apt", "/var/lib/apt/lists", "/var/cache/apt")
LISTS_CLEANUP = "rm -rf /var/lib/apt/lists/*"
LIST_FREE_ACTIONS = frozenset({"clean", "autoclean", "remove", "purge", "autoremove"})
APT_WORD = lazy_regex(r"\bapt(?:-get|-cache)?\b")


def check(checker: Checker):
    index = checker.index
    if "apt-get" not in index.command_names:  # every report is about a command named apt-get
        return
    not_shipped = unshipped_image_reason(checker)
    instructions = checker.tree.instructions
    for position, node in enumerate(instructions):
        script = _readable(index, node)
        if script is None:
            continue
        following = instructions[position + 1] if position + 1 < len(instructions) else None
        if _is_lone_update(script) and following is not None:
            yield from _fold_update(checker, node, following)
        installs = [command for command in script.commands if _is_install(command)]
        for command in installs:
            yield from _no_recommends(checker, node, script, command)
        if installs and not left_behind(index, node) and any(_is_update(c) for c in script.commands) \
                and not _removes_lists(script):
            if _lists_read_later(index, node) or not_shipped:
                yield checker.report(RULE, node, "the apt package lists stay in the image: remove "
                                     "/var/lib/apt/lists/*", reason=not_shipped or "a later RUN installs from them")
            else:
                yield from _remove_lists(checker, node, script)


def _lists_read_later(index, node) -> bool:
    """Whether a RUN on top of `node`'s layer installs from (or otherwise reads) the package
    lists before a RUN fetches them again: removing them would make it fail ("Unable to
    locate package")."""
    return used_later(index.stages, node, lambda step: _uses_lists(index, step))


def _uses_lists(index, step) -> bool | None:
    """True when the RUN reads the lists first, False when it fetches them first, else None."""
    if step.keyword != "RUN" or _mounts_apt_cache(step):
        return None
    script = index.shell_view(step) if step.sub is None else None
    if script is None or script.opaque:
        return True if APT_WORD.search(step.logical.text) else None  # cannot tell: as if it read them
    return first_use(script, _list_use)


def _list_use(command: SimpleCommand) -> str | None:
    action = _apt_action(command)
    if action == "update":
        return "renews"
    return "reads" if action is not None and action not in LIST_FREE_ACTIONS else None


def _apt_action(command: SimpleCommand) -> str | None:
    """What apt-get, apt or apt-cache is asked to do (`install`, `update`, …), or None."""
    if command.name not in ("apt-get", "apt", "apt-cache"):
        return None
    return next((arg for arg in command.argv[1:] if not arg.startswith("-")), "")


def _readable(index, node) -> Script | None:
    script = index.shell_view(node) if node.keyword == "RUN" and node.sub is None else None
    if script is None or script.opaque or _mounts_apt_cache(node):
        return None
    return script


def _mounts_apt_cache(node) -> bool:
    for mount in node.flag_values("mount"):
        fields: dict[str, str] = dict(part.split("=", 1) for part in mount.split(",") if "=" in part)
        target = fields.get("target", fields.get("dst", fields.get("destination", ""))).rstrip("/")
        if fields.get("type") == "cache" and target in APT_CACHE_DIRS:
            return True
    return False


def _apt_get(command: SimpleCommand) -> list[str]:
    """The apt-get arguments without options, or [] for another command."""
    if command.name != "apt-get":
        return []
    return [arg for arg in command.argv[1:] if not arg.startswith("-")]


def _is_update(command: SimpleCommand) -> bool:
    return _apt_get(command)[:1] == ["update"]


def _is_install(command: SimpleCommand) -> bool:
    return _apt_get(command)[:1] == ["install"]


def _is_lone_update(script: Script) -> bool:
    commands = [c for c in script.commands if c.words or c.assignments]
    return len(commands) == 1 and _is_update(commands[0]) and not commands[0].redirects \
        and not script.operators and script.comment_start is None


def _fold_update(checker: Checker, node, following):
    tree = checker.tree
    script = _readable(checker.index, following)
    if script is None or sorted(f.text for f in node.flags) != sorted(f.text for f in following.flags):
        return
    commands = [c for c in script.commands if c.words]
    if not commands or not _is_install(commands[0]) or any(_is_update(c) for c in commands):
        return
    if commands[0].reserved:
        return
    update = tree.text[node.logical.source_offset(node.arguments_start):node.arguments_source_end]
    at = script.source_offset((commands[0].assignments or commands[0].words)[0].start)
    yield checker.report(RULE, node, "`apt-get update` in a RUN of its own is cached with stale lists: "
                                     "run it in the RUN that installs", *removal(tree, node),
                         Edit(at, at, f"{update} && "), applicability=SAFE)


# Recommendations whose loss breaks what images commonly do: (the recommended packages, what they give).
TLS_CERTIFICATES = (("ca-certificates",), "ca-certificates (without it TLS connections fail)")
CONSEQUENTIAL_RECOMMENDS = {
    "curl": TLS_CERTIFICATES, "wget": TLS_CERTIFICATES, "libcurl4": TLS_CERTIFICATES, "nodejs": TLS_CERTIFICATES,
    "git": (("openssh-client",), "openssh-client (git over ssh), less and patch"),
    "git-all": (("openssh-client",), "openssh-client (git over ssh)"),
    "docker-ce-cli": (("docker-buildx-plugin", "docker-compose-plugin"),
                      "docker-buildx-plugin and docker-compose-plugin (`docker buildx`, `docker compose`)"),
    "gpg-agent": (("gnupg",), "gnupg (apt-key needs it)"), "gnupg-agent": (("gnupg",), "gnupg (apt-key needs it)"),
    "imagemagick": (("ghostscript",), "ghostscript and gsfonts (PDF and PostScript)"),
    "php*-imagick": (("ghostscript",), "ghostscript (PDF and PostScript through ImageMagick)"),
    "libvulkan1": (("mesa-vulkan-drivers",), "mesa-vulkan-drivers (the Vulkan GPU drivers)"),
    "python3-pip": (("build-essential",), "build-essential and python3-dev (pip builds C extensions)"),
    "python-pip": (("python-setuptools",), "python-setuptools"),
    "poppler-utils": (("poppler-data",), "poppler-data (CJK and other encodings)"),
}


def _no_recommends(checker: Checker, node, script: Script, command: SimpleCommand):
    argv = command.argv
    if "--no-install-recommends" in argv or any("Install-Recommends" in arg for arg in argv):
        return
    install = next(word for word in command.words[1:] if word.value == "install")
    at = script.source_span(install.start, install.end).end
    yield checker.report(RULE, node, "`apt-get install` without `--no-install-recommends` installs recommended "
                                     "packages too", Edit(at, at, " --no-install-recommends"),
                         applicability=UNSAFE, reason=_recommends_risk(argv))


def _recommends_risk(argv: list[str]) -> str:
    """Which recommendations would go, naming first those known to matter."""
    packages = [arg.split("=", 1)[0] for arg in argv[argv.index("install") + 1:] if not arg.startswith("-")]
    known = [f"`{name}` recommends {what}" for name in packages
             for what in [_consequential_recommends(name, packages)] if what]
    if known:
        return "; ".join(known[:3]) + ": no longer installed"
    named = ", ".join(f"`{name}`" for name in packages[:3]) + (" and more" if len(packages) > 3 else "")
    return f"what {named or 'the packages'} recommend{'s' if len(packages) == 1 else ''} is no longer installed, " \
           "and the image may need it"


def _consequential_recommends(name: str, installed: list[str]) -> str:
    for pattern, (recommended, what) in CONSEQUENTIAL_RECOMMENDS.items():
        if fnmatchcase(name, pattern) and not any(package in installed for package in recommended):
            return what
    return ""


def _removes_lists(script: Script) -> bool:
    return any(command.name == "rm" and any(arg.startswith("/var/lib/apt/lists") for arg in command.argv)
               for command in script.commands)


def _remove_lists(checker: Checker, node, script: Script):
    if script.comment_start is not None or len(script.operators) >= len(script.commands):
        return
    at = node.arguments_source_end
    yield checker.report(RULE, node, "the apt package lists stay in the image: remove /var/lib/apt/lists/* "
                                     "in the same RUN", Edit(at, at, _appended(checker.tree, node, LISTS_CLEANUP)),
                         applicability=SAFE)


def _appended(tree, node, command: str) -> str:
    """` && command`, on a continuation line of its own when the RUN already spans lines,
    following its style: `&&` leading the line or ending it."""
    lines = physical_lines(tree.text[node.span.start:node.arguments_source_end])
    if len(lines) < 2:
        return f" && {command}"
    continuation = f" {tree.escape}{tree.newline}"
    leading = [line for line in lines[1:] if line.lstrip(" \t").startswith("&&")]
    if leading:
        return f"{continuation}{_indent(leading[-1])}&& {command}"
    return f" &&{continuation}{_indent(lines[-1])}{command}"


def _indent(line: str) -> str:
    return line[:len(line) - len(line.lstrip(" \t"))]




RULE = Rule(id="DF010", name="apt-get-hygiene",
            summary="apt-get update runs with the install, lists are removed, no recommends",
            check=check, doc=__doc__, fix_safety=MIXED, hadolint=("DL3009", "DL3015"), severity="warning")
