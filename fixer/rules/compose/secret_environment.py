"""compose-secret-environment (DC005): no literal secrets in a service's `environment`.

What it does
    Reports `environment` entries whose name says they hold a credential (`DB_PASSWORD`,
    `API_KEY`, …) and whose value is written out in the file, and any value that looks
    like a known credential format.

Why
    A Compose file is committed; a password in it is in the repository's history for good.
    `${DB_PASSWORD}` interpolation with the value in a git-ignored `.env` file, or Compose
    `secrets:`, keep it out.

Example
    environment:
      POSTGRES_PASSWORD: hunter2
    ->
    (reported: use ${POSTGRES_PASSWORD} and an .env file)

Fix safety
    No fix (yet): moving a secret means writing it somewhere new, which dockerfix never
    does. Values that are interpolations (`${…}`), empty, or obvious placeholders
    (`changeme`, `example`, `password`) are not reported.
"""
from __future__ import annotations

from ..base import NO_FIX, Checker, Rule
from ..secrets import CREDENTIAL_VALUE, _secret_name
from .support import Where, item_line, key_line

PLACEHOLDERS = frozenset({"", "changeme", "change-me", "example", "password", "secret", "xxx", "todo", "none"})


def check(checker: Checker):
    for _, name, service in checker.tree.services():
        environment = service.get("environment")
        for key, value, line in _entries(environment):
            text = "" if value is None else str(value)
            literal = "$" not in text and text.strip("'\"").lower() not in PLACEHOLDERS
            if (literal and _secret_name(key)) or CREDENTIAL_VALUE.search(text):
                yield checker.report(RULE, Where(line + 1, line + 1),
                                     f"{name}: {key} is written out in the Compose file: use ${{{key}}} with an "
                                     ".env file, or Compose secrets")


def _entries(environment):
    if hasattr(environment, "items"):
        for key, value in environment.items():
            yield str(key), value, key_line(environment, key)
    elif isinstance(environment, list):
        for index, item in enumerate(environment):
            key, _, value = str(item).partition("=")
            if _:
                yield key, value, item_line(environment, index)


RULE = Rule(id="DC005", name="compose-secret-environment", summary="no literal secrets in `environment`",
            check=check, doc=__doc__, kind="compose", fix_safety=NO_FIX)
