"""compose-depends-on-condition (DC003): dependencies with a healthcheck are waited for until healthy.

What it does
    Turns a short `depends_on` list, block (`- db`) or flow (`[db, cache]`), into the long
    form when at least one dependency has a healthcheck: those get `condition:
    service_healthy`, the others `condition: service_started` (what the short form meant).

Why
    The short form only waits for the dependency's container to start, not for the
    database inside it to accept connections; the service then fails its first requests or
    crashes at start. A healthcheck is only worth having if someone waits for it.

Example
    depends_on: [db, cache]
    ->
    depends_on:
      db:
        condition: service_healthy
      cache:
        condition: service_started

Fix safety
    Safe: nothing starts before it did; a dependency with a healthcheck is waited for
    longer. A dependency that is there for `network_mode: service:X` (the service only joins
    X's network) is not made to wait for X's health. Only a healthcheck with a `test` of its
    own counts: one that is disabled
    (`disable: true`, `test: ["NONE"]`) or leaves the test to the image would make `docker
    compose up` fail waiting for a health the service never reports, and one that always
    passes (`exit 0`, `true`) would only delay the start by an interval. Comments stay: one
    after an item stays after its entry, one between items stays between them, one after a
    flow list moves to the `depends_on:` line. A list is only rewritten when every item is
    a service name, written plainly or in quotes (and kept so), one to a line in a block
    list; a flow list must start on the `depends_on:` line. A list naming a service twice,
    with an anchor (other services share it) or a tag, inside a flow mapping, or with
    comments inside a flow list spread over lines is reported without a fix.
"""
from __future__ import annotations

from ...records import record
from ..base import SAFE, ComposeChecker, Edit, Rule
from .support import at_key, key_position

SERVICE_NAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def check(checker: ComposeChecker):
    document = checker.tree
    for _, name, service in document.services():
        value = service.get("depends_on")
        if not isinstance(value, list) or not value:
            continue
        services = next(mapping.get("services") for mapping in document.data if name in (mapping.get("services")
                                                                                       or {}))
        healthy = list(dict.fromkeys(str(dep) for dep in value if hasattr(services.get(str(dep)), "get")
                                     and _has_health_test(services[str(dep)].get("healthcheck"))
                                     and str(dep) != _network_service(service)))
        if not healthy:
            continue
        message = f"{name} waits only for {', '.join(healthy)} to start, not to be healthy"
        edit = _long_form(document, service, value, healthy, _step(services, name, service))
        if edit is None:
            yield checker.report(RULE, at_key(service, "depends_on"), message, reason="write the long form")
        else:
            yield checker.report(RULE, at_key(service, "depends_on"), message, edit, applicability=SAFE,
                                 evidence=tuple(f"{dep} has a healthcheck with a test" for dep in healthy))


def _has_health_test(healthcheck) -> bool:
    """Whether the service's healthcheck says what to run: not disabled (`disable: true`,
    `test: ["NONE"]`), and not left to the image (no `test`: the image may have none, and
    waiting for `service_healthy` on a service without a check fails `docker compose up`)."""
    if not hasattr(healthcheck, "get") or healthcheck.get("disable") is True:
        return False
    test = healthcheck.get("test")
    if isinstance(test, str):
        return bool(test.strip()) and test.strip().upper() != "NONE" and not _always_healthy(test.split())
    return isinstance(test, list) and bool(test) and str(test[0]).upper() != "NONE" \
        and not _always_healthy([str(word) for word in test[1:]])


def _always_healthy(command: list[str]) -> bool:
    """`exit 0`, `true`, `["CMD", "true"]`: a check that passes whatever the service does, so
    waiting for it waits out an interval and nothing more."""
    words = command[1:] if command[:1] == ["CMD-SHELL"] else command
    words = words[0].split() if len(words) == 1 else words
    return words in (["exit", "0"], ["true"], [":"], ["/bin/true"])


def _network_service(service) -> str | None:
    """The service whose network namespace it joins (`network_mode: service:X`): it depends on X
    to share X's network, not to use X, and need not wait for X to be healthy (a dev container
    would wait out X's healthcheck before it could even open)."""
    mode = service.get("network_mode")
    if isinstance(mode, str) and mode.startswith("service:"):
        return mode[len("service:"):].strip()
    return None


def _step(services, name, service) -> int:
    """The file's indentation step, as the service's keys sit under its name (2 when unknown)."""
    try:
        step = service.lc.key("depends_on")[1] - services.lc.key(name)[1]
    except (AttributeError, KeyError, TypeError):
        return 2
    return step if step > 0 else 2


def _long_form(document, service, value, healthy, step: int) -> Edit | None:
    """The edit writing `value` in the long form, or None when it cannot be written losslessly."""
    position = key_position(service, "depends_on")
    if position is None or not hasattr(value, "fa") or not hasattr(service, "fa"):
        return None  # merged in from an anchor: not written here
    if service.fa.flow_style() or _anchored_or_tagged(value):
        return None  # inside a flow mapping; or a list other services share, or read as something else
    if len(set(value)) != len(value) or not all(isinstance(item, str) and _is_service_name(item) for item in value):
        return None  # a name listed twice would become a duplicate key
    entries = _Entries(document.newline, healthy, position[1], step)
    if value.fa.flow_style():
        edit = _from_flow(document, value, position[0], entries)
    else:
        edit = _from_block(document, value, entries)
    if edit is not None and edit.end == len(document.text) and not document.text.endswith(("\n", "\r")):
        edit = Edit(edit.start, edit.end, edit.replacement[:-len(document.newline)])
    return edit


def _anchored_or_tagged(value) -> bool:
    """An anchored list is shared with the services that name its alias; a tag changes its meaning."""
    anchor = getattr(getattr(value, "anchor", None), "value", None)
    tag = getattr(getattr(value, "tag", None), "value", None)
    return anchor is not None or tag is not None


def _is_service_name(name: str) -> bool:
    return bool(name) and set(name) <= SERVICE_NAME_CHARACTERS and name[0].isalnum()


@record(frozen=True)
class _Entries:
    """Writes the long form's entries under the `depends_on` key at `key_column`."""

    newline: str
    healthy: list[str]
    key_column: int
    step: int          # the file's indentation step

    def entry(self, token: str, name: str, unit: int, trailing: str = "") -> str:
        """`token` (the name as written) as a key at `unit` under the key, then its condition."""
        condition = "service_healthy" if name in self.healthy else "service_started"
        return (f"{' ' * (self.key_column + unit)}{token}:{trailing}{self.newline}"
                f"{' ' * (self.key_column + 2 * unit)}condition: {condition}{self.newline}")


def _written_name(token: str, name: str) -> bool:
    """Whether `token`, as written in the list, is `name` plainly or in quotes (and so, followed
    by a colon, the key `name`)."""
    return token in (name, f'"{name}"', f"'{name}'")


def _from_block(document, value, entries: _Entries) -> Edit | None:
    """Each `- name  # comment` line becomes `name:  # comment` and its condition; comment and
    blank lines between the items stay, moved with the entries."""
    first, last = value.lc.item(0)[0], value.lc.item(len(value) - 1)[0]
    start, end = document.offset(first), document.line_end(last)
    lines = [line.removesuffix("\r") for line in document.text[start:end].split("\n")]
    if not lines[-1]:
        lines.pop()  # after the last line break
    indent = lines[0][:len(lines[0]) - len(lines[0].lstrip())]
    unit = len(indent) - entries.key_column if len(indent) > entries.key_column else entries.step
    shift = entries.key_column + unit - len(indent)
    names = iter(value)
    out = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            out.append(line + entries.newline)
        elif stripped.startswith("#"):
            kept = len(line) - len(line.lstrip())
            out.append(" " * max(0, kept + shift) + stripped + entries.newline)
        elif line.startswith(indent + "- ") or line.startswith(indent + "-\t"):
            token, trailing = _item_and_comment(line[len(indent) + 1:])
            name = next(names, None)
            if name is None or trailing is None or not _written_name(token, name):
                return None
            out.append(entries.entry(token, name, unit, trailing))
        else:
            return None  # an item over more than one line, or something this reading does not know
    if next(names, None) is not None:
        return None
    return Edit(start, end, "".join(out))


def _item_and_comment(rest: str) -> tuple[str, str | None]:
    """The item's text, and what follows it on the line: "", the spaces and comment after it,
    or None when it is something else."""
    body = rest.lstrip(" \t")
    cut = next((index for index, char in enumerate(body) if char in " \t"), len(body))
    token, after = body[:cut], body[cut:]
    if not after.strip():
        return token, ""
    return token, (after if after.lstrip(" \t").startswith("#") else None)


def _from_flow(document, value, key_line: int, entries: _Entries) -> Edit | None:
    """`depends_on: [db, cache]  # comment` becomes `depends_on:  # comment` and the entries
    below it. The list must start on the key's line; it may spread over lines without comments."""
    if value.lc.line != key_line:
        return None
    opening = document.offset(value.lc.line, value.lc.col)
    text = document.text
    closing = text.find("]", opening)
    if text[opening:opening + 1] != "[" or closing < 0:
        return None
    tokens = [token.strip() for token in text[opening + 1:closing].split(",")]
    if len(tokens) > 1 and not tokens[-1]:
        tokens.pop()  # `[db, cache,]`: a trailing comma
    if len(tokens) != len(value) or not all(map(_written_name, tokens, value)):
        return None  # a comment inside, or something this reading does not know
    line_end = text.find("\n", closing)
    line_end = len(text) if line_end < 0 else line_end + 1
    after = text[closing + 1:line_end].rstrip("\r\n")
    if after.strip() and not (after[:1] in " \t" and after.lstrip(" \t").startswith("#")):
        return None
    start = opening
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    unit = entries.step
    body = "".join(entries.entry(token, name, unit) for token, name in zip(tokens, value, strict=True))
    return Edit(start, line_end, after.rstrip(" \t") + entries.newline + body)


RULE = Rule(id="DC003", name="compose-depends-on-condition",
            summary="dependencies with a healthcheck are waited for until healthy", check=check, doc=__doc__,
            kind="compose", fix_safety=SAFE, severity="warning")
