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
    Unsafe: the value becomes `${KEY}` and `.env.example` beside the Compose file gains a
    `KEY=` line — the secret itself is never written anywhere new; whoever runs the file
    must now provide it (in a git-ignored `.env`, or the environment). Values that are
    interpolations (`${…}`), empty, or obvious placeholders (`changeme`, `example`,
    `password`) are not reported; values dockerfix cannot locate on one line, and any value
    when `.env.example` is there but not readable UTF-8 text, are reported without a fix.
"""
from __future__ import annotations

import os

from ...lazy_regex import lazy_regex
from ...records import record
from ..base import UNSAFE, Checker, Edit, FileChange, Rule
from ..secrets import CREDENTIAL_VALUE, _secret_name
from .support import Where, item_line, key_line

MAP_ENTRY = lazy_regex(r"^\s*[\"']?(?P<key>[\w.-]+)[\"']?\s*:\s*(?P<value>\S(?:.*\S)?)\s*$")
LIST_ENTRY = lazy_regex(r"^\s*-\s*(?P<q>[\"']?)(?P<key>[\w.-]+)=(?P<value>[^\"']*?)(?P=q)\s*$")
PLACEHOLDERS = frozenset({"", "changeme", "change-me", "example", "password", "secret", "xxx", "todo", "none"})


def check(checker: Checker):
    for _, name, service in checker.tree.services():
        environment = service.get("environment")
        for key, value, line in _entries(environment):
            text = "" if value is None else str(value)
            literal = "$" not in text and text.strip("'\"").lower() not in PLACEHOLDERS
            if (literal and _secret_name(key)) or CREDENTIAL_VALUE.search(text):
                message = (f"{name}: {key} is written out in the Compose file: use ${{{key}}} with an .env file, "
                           "or Compose secrets")
                edit = _interpolation(checker.tree, line, key)
                example = None if edit is None or checker.context is None else _env_example(checker.context, key)
                if example is None:
                    yield checker.report(RULE, Where(line + 1, line + 1), message)
                    continue
                yield checker.report(RULE, Where(line + 1, line + 1), message, edit, applicability=UNSAFE,
                                     reason="it must then be provided by whoever runs the file",
                                     files=(example,))


def _interpolation(document, line: int, key: str) -> Edit | None:
    """An edit turning the value on `line` into ${key}, or None when it is not simply there."""
    start, end = document.offset(line), document.line_end(line)
    text = document.text[start:end].rstrip("\r\n")
    match = MAP_ENTRY.match(text) or LIST_ENTRY.match(text)
    if match is None or match.group("key") != key or " #" in match.group("value"):
        return None
    return Edit(start + match.start("value"), start + match.end("value"), "${" + key + "}")


def _env_example(directory: str, key: str) -> FileChange | None:
    """The change adding `key` to `.env.example`; None when that file is there but cannot be read
    as UTF-8 text (the fix is then not offered: dockerfix would have to guess at its content)."""
    path = os.path.join(directory, ".env.example")
    try:
        with open(path, "rb") as file:
            before = file.read().decode("utf-8")  # line breaks as they are: compared again when written
    except FileNotFoundError:
        before = None
    except (OSError, UnicodeDecodeError):
        return None
    return _EnvExample((key,))(FileChange(path, before, before or ""), None)


@record(frozen=True)
class _EnvExample:
    """Adds `KEY=` lines (never values) for the keys, to what the file says; merges plans."""

    keys: tuple[str, ...]

    def __call__(self, first: FileChange, second: FileChange | None) -> FileChange:
        keys = self.keys + (second.merge.keys if second is not None and isinstance(second.merge, _EnvExample) else ())
        before = first.before or ""
        present = {line.split("=", 1)[0].strip() for line in before.splitlines() if "=" in line}
        missing = [key for key in dict.fromkeys(keys) if key not in present]
        newline = "\r\n" if "\r\n" in before else "\n"
        after = before + ("" if not before or before.endswith("\n") else newline) + "".join(
            f"{key}={newline}" for key in missing)
        return FileChange(first.path, first.before, after, merge=_EnvExample(tuple(dict.fromkeys(keys))))


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
            check=check, doc=__doc__, kind="compose", fix_safety=UNSAFE)
