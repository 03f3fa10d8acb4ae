"""oci-labels (DF018, off by default): the final stage carries the OCI image labels go.mod can tell.

What it does
    Adds one LABEL to the final stage, before its ENTRYPOINT/CMD, with those of these labels
    it does not have yet (here or in a stage it builds on):
    `org.opencontainers.image.source` (from go.mod's module path, on GitHub, GitLab,
    Bitbucket or Codeberg), `title` (the binary the command runs, or the module's name),
    `version` (from `ARG VERSION`, declared for the purpose), and `licenses` (when the
    LICENSE file says which). Builder stages get nothing.

Why
    Registries, scanners and Renovate read these labels: `source` links an image to its
    code (GitHub shows the repository, Renovate finds release notes), `version` says what is
    running. The module path already says where the code lives.

Example
    go.mod: module github.com/acme/weather-mcp
    FROM alpine:3.24
    COPY --from=builder /out/weather-mcp /usr/local/bin/weather-mcp
    ENTRYPOINT ["weather-mcp"]
    ->
    ...
    ARG VERSION
    LABEL org.opencontainers.image.source="https://github.com/acme/weather-mcp" \\
          org.opencontainers.image.title="weather-mcp" \\
          org.opencontainers.image.version="${VERSION}"
    ENTRYPOINT ["weather-mcp"]

Fix safety
    Safe: labels are metadata. Off by default because they are a team's convention, not a
    defect; only with a build context that has go.mod. `description` is not derived: nothing
    in a Go module states it reliably. The ARG goes after the last build step, so a new
    VERSION does not invalidate the cache of the steps before it.
"""
from __future__ import annotations

import re

from ._support.stages import after_build_steps
from .base import SAFE, Checker, Rule

PREFIX = "org.opencontainers.image."
FORGES = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")


def check(checker: Checker):
    context = checker.context
    module = context.go_module if context is not None else None
    tree, index = checker.tree, checker.index
    stage = index.final_stage
    if context is None or module is None or not module.path or stage is None or len(index.stages) < 2:
        return
    chain = index.chain(stage)
    present = _label_keys(chain)
    wanted = {
        "source": _source_url(module.path),
        "title": _title(chain) or _module_name(module.path),
        "version": "${VERSION}",
        "licenses": context.license_id,
    }
    missing = {key: value for key, value in wanted.items() if value and PREFIX + key not in present}
    if not missing:
        return
    lines = []
    if "version" in missing and not _declares(chain, "VERSION"):
        lines.append("ARG VERSION")
    pairs = [f'{PREFIX}{key}="{value}"' for key, value in missing.items()]
    lines.append("LABEL " + f" {tree.escape}{tree.newline}      ".join(pairs))

    names = ", ".join(missing)
    yield checker.report(RULE, stage.from_, f"the image has no OCI {names} label{'s' if len(missing) > 1 else ''}",
                         *after_build_steps(tree, stage, lines), applicability=SAFE)


def _label_keys(chain) -> set[str]:
    keys = set()
    for stage in chain:
        for node in stage.instructions:
            if node.keyword == "LABEL":
                keys.update(node.values[0::2])
    return {key.strip("'\"") for key in keys}


def _declares(chain, name: str) -> bool:
    return any(node.keyword == "ARG" and any(v.split("=", 1)[0] == name for v in node.values)
               for node in chain[0].instructions)


def _source_url(module_path: str) -> str | None:
    parts = module_path.split("/")
    if len(parts) >= 3 and parts[0] in FORGES:
        return "https://" + "/".join(parts[:3])
    return None


def _module_name(module_path: str) -> str:
    parts = [part for part in module_path.split("/") if part]
    if len(parts) > 1 and re.fullmatch(r"v\d+", parts[-1]):
        parts = parts[:-1]
    return parts[-1] if parts else ""


def _title(chain) -> str | None:
    for keyword in ("ENTRYPOINT", "CMD"):
        for stage in chain:
            nodes = [node for node in stage.instructions if node.keyword == keyword and node.values]
            if nodes:
                program = nodes[-1].values[0] if nodes[-1].json else nodes[-1].arguments.split()[0]
                name = program.rsplit("/", 1)[-1]
                if re.fullmatch(r"[\w.-]+", name) and name not in ("sh", "bash", "go"):
                    return name
    return None


RULE = Rule(id="DF018", name="oci-labels", summary="the final stage carries OCI labels derived from go.mod",
            check=check, doc=__doc__, default=False, fix_safety=SAFE, severity="info")
