"""compose-depends-on-condition (DC003): dependencies with a healthcheck are waited for until healthy.

What it does
    Turns a short `depends_on` list into the long form when at least one dependency has a
    healthcheck: those get `condition: service_healthy`, the others
    `condition: service_started` (what the short form meant).

Why
    The short form only waits for the dependency's container to start, not for the
    database inside it to accept connections; the service then fails its first requests or
    crashes at start. A healthcheck is only worth having if someone waits for it.

Example
    depends_on:
      - db
    ->
    depends_on:
      db:
        condition: service_healthy

Fix safety
    Safe: nothing starts before it did; a dependency with a healthcheck is waited for
    longer. Only a healthcheck with a `test` of its own counts: one that is disabled
    (`disable: true`, `test: ["NONE"]`) or leaves the test to the image would make `docker
    compose up` fail waiting for a health the service never reports. Only block-style lists
    of plain names without comments are rewritten; flow lists (`[db, cache]`), lists with
    comments and lists naming a service twice are reported without a fix.
"""
from __future__ import annotations

from ..base import SAFE, Checker, Edit, Rule
from .support import at_key, key_position


def check(checker: Checker):
    document = checker.tree
    for _, name, service in document.services():
        value = service.get("depends_on")
        if not isinstance(value, list) or not value:
            continue
        services = next(mapping.get("services") for mapping in document.data if name in (mapping.get("services")
                                                                                       or {}))
        healthy = list(dict.fromkeys(str(dep) for dep in value if hasattr(services.get(str(dep)), "get")
                                     and _has_health_test(services[str(dep)].get("healthcheck"))))
        if not healthy:
            continue
        message = f"{name} waits only for {', '.join(healthy)} to start, not to be healthy"
        edit = _long_form(document, service, value, healthy, _step(services, name, service))
        if edit is None:
            yield checker.report(RULE, at_key(service, "depends_on"), message, reason="write the long form")
        else:
            yield checker.report(RULE, at_key(service, "depends_on"), message, edit, applicability=SAFE)


def _has_health_test(healthcheck) -> bool:
    """Whether the service's healthcheck says what to run: not disabled (`disable: true`,
    `test: ["NONE"]`), and not left to the image (no `test`: the image may have none, and
    waiting for `service_healthy` on a service without a check fails `docker compose up`)."""
    if not hasattr(healthcheck, "get") or healthcheck.get("disable") is True:
        return False
    test = healthcheck.get("test")
    if isinstance(test, str):
        return bool(test.strip()) and test.strip().upper() != "NONE"
    return isinstance(test, list) and bool(test) and str(test[0]).upper() != "NONE"


def _step(services, name, service) -> int:
    """The file's indentation step, as the service's keys sit under its name (2 when unknown)."""
    try:
        step = service.lc.key("depends_on")[1] - services.lc.key(name)[1]
    except (AttributeError, KeyError, TypeError):
        return 2
    return step if step > 0 else 2


def _long_form(document, service, value, healthy, step: int):
    if key_position(service, "depends_on") is None or not hasattr(value, "fa"):
        return None  # merged in from an anchor: not written here
    if value.fa.flow_style() or value.ca.items or getattr(value.ca, "comment", None):
        return None
    first, last = value.lc.item(0)[0], value.lc.item(len(value) - 1)[0]
    if last - first + 1 != len(value) or any(not isinstance(item, str) for item in value):
        return None
    if len(set(value)) != len(value):
        return None  # a name listed twice would become a duplicate key
    start, end = document.offset(first), document.line_end(last)
    block = document.text[start:end]
    lines = block.splitlines()
    indent = lines[0][:len(lines[0]) - len(lines[0].lstrip())]
    if any(not line.lstrip().startswith("- ") for line in lines):
        return None
    nl = document.newline
    key_column = service.lc.key("depends_on")[1]
    unit = len(indent) - key_column if len(indent) > key_column else step  # `- db` under the key, or not
    outer, inner = " " * (key_column + unit), " " * (key_column + 2 * unit)
    text = "".join(f"{outer}{dep}:{nl}{inner}condition: "
                   f"{'service_healthy' if str(dep) in healthy else 'service_started'}{nl}" for dep in value)
    if not document.text.endswith(("\n", "\r\n")) and end == len(document.text):
        text = text[:-len(nl)]
    return Edit(start, end, text)


RULE = Rule(id="DC003", name="compose-depends-on-condition",
            summary="dependencies with a healthcheck are waited for until healthy", check=check, doc=__doc__,
            kind="compose")
