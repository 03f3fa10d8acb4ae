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
    Unsafe, and only with limits from configuration (`compose-limits = { memory = "512M",
    cpus = "1.0" }`): dockerfix adds them as `deploy.resources.limits` to services that have
    no `deploy` key; the right limits are the service's to measure, so a guess is never
    written. Off by default: most local development files rightly have none; select it for
    files that run in production.
"""
from __future__ import annotations

from ..base import UNSAFE, ComposeChecker, Edit, Rule
from .support import Where, key_line, key_position


def check(checker: ComposeChecker):
    for _, name, service in checker.tree.services():
        limits = _mapping_at(service, "deploy", "resources", "limits")
        if limits is None:
            continue  # not the shape Compose reads: `docker compose config` says what is wrong
        missing = [key for key in ("memory", "cpus") if key not in limits]
        if missing and not any(key in service for key in ("mem_limit", "cpus")):
            services = next(m["services"] for m in checker.tree.data if name in (m.get("services") or {}))
            line = key_line(services, name) + 1
            message = f"{name} has no {' or '.join(missing)} limit"
            limits_wanted = checker.options.get("compose_limits") or {}
            edit = _limits_edit(checker.tree, services, name, service, limits_wanted) if limits_wanted else None
            if edit is None:
                yield checker.report(RULE, Where(line, line), message)
            else:
                yield checker.report(RULE, Where(line, line), message, edit, applicability=UNSAFE,
                                     reason="the configured limits may not fit this service")


def _mapping_at(service, *keys) -> dict | None:
    """The mapping at service[key][key]…, {} where a key is absent, None where a value on the
    way is not a mapping (a list, a string, a number, a date)."""
    value = service
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            return {}
        if not isinstance(value, dict):
            return None
    return value


def _limits_edit(document, services, name, service, limits: dict) -> Edit | None:
    """`deploy: resources: limits:` appended to the service's block, at its indentation."""
    if "deploy" in service or not service or getattr(service.fa, "flow_style", lambda: False)():
        return None
    first_key = next(iter(service))
    position = key_position(service, first_key)
    if position is None:
        return None
    indent = " " * position[1]
    names = list(services)
    following = names.index(name) + 1
    if following < len(names):
        end_line = key_line(services, names[following]) - 1
    else:
        end_line = len(document.line_starts) - 1
    while end_line > position[0] and not document.text[document.offset(end_line):document.line_end(end_line)].strip():
        end_line -= 1
    if document.text[document.offset(end_line):document.line_end(end_line)].lstrip().startswith("#"):
        return None  # a comment closes the block: whose is it? leave it to the author
    nl = document.newline
    at = document.line_end(end_line)
    prefix = "" if document.text[:at].endswith("\n") else nl
    values = "".join(f"{indent}      {key}: {_scalar(value)}{nl}" for key, value in limits.items())
    return Edit(at, at, f"{prefix}{indent}deploy:{nl}{indent}  resources:{nl}{indent}    limits:{nl}{values}")


def _scalar(value) -> str:
    return f'"{value}"' if isinstance(value, str) and value.replace(".", "", 1).isdigit() else str(value)


RULE = Rule(id="DC007", name="compose-resource-limits", summary="services set memory and CPU limits",
            check=check, doc=__doc__, kind="compose", fix_safety=UNSAFE, default=False, severity="info",
            options=("compose-limits",))
