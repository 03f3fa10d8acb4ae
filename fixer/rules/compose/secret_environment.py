"""compose-secret-environment (DC005): no literal secrets in a service's `environment`.

What it does
    Reports `environment` entries whose name says they hold a credential (`DB_PASSWORD`,
    `API_KEY`, …) and whose value is written out in the file, and any value that looks
    like a known credential format. The fix moves the value to `.env` beside the Compose
    file, which Compose reads to interpolate the file: the value becomes `${KEY}` wherever
    the file writes it (`DATABASE_URL: postgres://app:${DB_PASSWORD}@db/app`, a
    healthcheck's `--password=${DB_PASSWORD}`, comments), `.env` gains `KEY=value`,
    `.env.example` `KEY=`, and the directory's `.gitignore` `/.env` when no .gitignore from
    there up to the repository root ignores `.env` already.

Why
    A Compose file is committed; a password in it is in the repository's history for good.
    `${DB_PASSWORD}` interpolation with the value in a git-ignored `.env` file, or Compose
    `secrets:`, keep it out.

Example
    environment:
      POSTGRES_PASSWORD: hunter2
    ->
    environment:
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
    (.env: POSTGRES_PASSWORD=hunter2; .env.example: POSTGRES_PASSWORD=)

Fix safety
    Unsafe: Compose reads `.env` only when it runs with this directory as the project
    directory and no `--env-file`, a variable of the same name in the shell wins over it,
    and a fresh checkout has no `.env`. Values that are interpolations (`${…}`), empty,
    obvious placeholders (`changeme`, `example`, `password`) or `!reset` are not reported.
    A value written as a block scalar (`>-`) or behind an anchor is replaced where it is
    written, and reaches every alias. The fix rests on evidence it checks, and is not
    offered (the finding says why) when:
    - the value is not a one-line string or number (a block scalar keeping its line break,
      a tag), is not written as it reads (escapes, a quoted scalar folded over lines), or
      `.env` cannot hold it as it is (a backslash, both kinds of quote); the key is not a
      name `${…}` takes;
    - the file gives the key different values, or this file or another Compose file of
      the directory (they share `.env`) already uses `${KEY}` or sets the key otherwise;
    - the value is also written where it is not this secret: inside a longer word, in a
      key, or anywhere but the value of a credential's name (`POSTGRES_USER: postgres`
      shares the password `postgres`: no fix), a URL's password or a password option's
      argument (`--password=…`, `-a …`); known credential formats may be anywhere;
    - the file, read again with the YAML library, does not hold exactly what it held with
      `${KEY}` for the value;
    - `.env` sets the key to something else, a service reads `.env` as its `env_file`
      (the key would join its environment), git tracks `.env` or cannot say whether it
      does, or a file involved cannot be read as UTF-8 text.
    The value goes only into `.env`, which must be untracked and git-ignored: never into a
    file git tracks.
"""
from __future__ import annotations

import os
import re

from ...context.compose_directory import ComposeDirectory
from ...lazy_regex import lazy_regex
from ...records import record
from ...syntax.compose import ComposeError, load
from ...syntax.edits import text_with_lines
from ..base import UNSAFE, ComposeChecker, Edit, FileChange, Rule
from ..secrets import CREDENTIAL_VALUE, _secret_name
from . import dotenv
from .support import Where, item_line, key_line, plain

PLACEHOLDERS = frozenset({"", "changeme", "change-me", "example", "password", "secret", "xxx", "todo", "none"})
NAME = lazy_regex(r"[A-Za-z_][A-Za-z0-9_]*")
BOUNDARY = " \t\r\n\"'`:=/@,;()\\[\\]{}<>|&?#!*+"  # around a whole occurrence (a character class body)
SECRET_OPTIONS = frozenset({"a", "auth"})  # redis-cli -a …
SECRET_WORDS = ("pass", "secret", "token", "pwd")
REASON = "Compose then reads it from .env, which a fresh checkout lacks and the shell's variable overrides"
GITIGNORE_LINES = "# Added by dockerfix: the values the Compose file reads from .env\n/.env\n"


class _Declined(Exception):
    """Why the fix is not offered."""


@record(frozen=True)
class _Entry:
    service: str
    key: str
    value: object   # as the YAML library reads it
    line: int       # 0-based


@record(frozen=True)
class _Plan:
    edits: tuple[Edit, ...]
    files: tuple[FileChange, ...]
    evidence: tuple[str, ...]


def check(checker: ComposeChecker):
    document = checker.tree
    entries = [entry for entry in _entries(document) if _reported(entry)]
    values: dict[str, set[str]] = {}
    for entry in entries:
        values.setdefault(entry.key, set()).add(_text(entry.value))
    directory = None if checker.context is None else ComposeDirectory(checker.context)
    for entry in entries:
        where = Where(entry.line + 1, entry.line + 1)
        message = (f"{entry.service}: {entry.key} is written out in the Compose file: use ${{{entry.key}}} with an "
                   ".env file, or Compose secrets")
        try:
            plan = _plan(document, entry, values, directory)
        except _Declined as declined:
            yield checker.report(RULE, where, message, reason=str(declined))
            continue
        yield checker.report(RULE, where, message, *plan.edits, applicability=UNSAFE, reason=REASON,
                             files=plan.files, evidence=plan.evidence)


def _entries(document):
    for _, name, service in document.services():
        environment = service.get("environment")
        if hasattr(environment, "items"):
            for key, value in environment.items():
                yield _Entry(str(name), str(key), value, key_line(environment, key))
        elif isinstance(environment, list):
            for index, item in enumerate(environment):
                key, equals, value = str(item).partition("=")
                if equals:
                    yield _Entry(str(name), key, value, item_line(environment, index))


def _reported(entry: _Entry) -> bool:
    if _reset(entry.value):
        return False
    text = _text(entry.value)
    literal = "$" not in text and text.strip("'\"").lower() not in PLACEHOLDERS
    return bool((literal and _secret_name(entry.key)) or CREDENTIAL_VALUE.search(text))


def _reset(value) -> bool:
    """`KEY: !reset null`: the variable taken away (from a file this one overrides), no value."""
    return getattr(getattr(value, "tag", None), "value", None) == "!reset"


def _text(value) -> str:
    return "" if value is None else str(value)


def _plan(document, entry: _Entry, values: dict[str, set[str]], directory: ComposeDirectory | None) -> _Plan:
    """The fix for `entry`, or _Declined saying why there is none. The checks that read
    only this file come first."""
    literal = _literal(entry)
    key = entry.key
    if directory is None:
        raise _Declined("dockerfix does not know the file's directory, where .env would be")
    if not NAME.fullmatch(key):
        raise _Declined(f"{key} is not a name Compose interpolates as ${{…}}")
    if len(values[key]) > 1:
        raise _Declined(f"the file gives {key} different values")
    written = dotenv.line(key, literal)
    if written is None:
        raise _Declined(".env cannot hold its value as it is")
    used = _use_of(document.text, key)
    if used:
        raise _Declined(f"the file already uses ${{{key}}} (line {used})")
    if literal not in document.text:
        raise _Declined("its value is not written as it reads (escapes, or folded over several lines)")
    edits = _replacements(document.text, literal, key)
    _check_places(document, literal)
    _check_replaced(document, edits, literal, key)
    files, evidence = _env_changes(document, directory, key, literal, written)
    lines = sorted({document.text.count("\n", 0, edit.start) + 1 for edit in edits})
    shown = ", ".join(map(str, lines))
    return _Plan(edits, files, (f"the value is written on line{'s' if len(lines) > 1 else ''} {shown}: "
                                f"each becomes ${{{key}}}", *evidence))


def _literal(entry: _Entry) -> str:
    value = entry.value
    if isinstance(value, str):
        text = str(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(int(value))
    elif hasattr(value, "tag") and hasattr(value, "value"):
        raise _Declined("its value has a YAML tag")
    else:
        raise _Declined("its value is not a string")
    if "\n" in text or "\r" in text:
        raise _Declined("its value holds a line break")
    return text


def _use_of(text: str, key: str) -> int:
    """The line of the first `$KEY` or `${KEY…}` in `text`; 0 when there is none."""
    match = re.search(rf"\$\{{?{re.escape(key)}(?![A-Za-z0-9_])", text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def _occurrence(literal: str) -> re.Pattern:
    """A whole occurrence of `literal`: with a boundary character, or nothing, either side."""
    return re.compile(f"(?<![^{BOUNDARY}]){re.escape(literal)}(?![^{BOUNDARY}])")


def _replacements(text: str, literal: str, key: str) -> tuple[Edit, ...]:
    """`${key}` for every occurrence of `literal` in the text (comments included); _Declined
    when one is part of a longer word: the value would stay in the file."""
    whole = {match.start() for match in _occurrence(literal).finditer(text)}
    start = text.find(literal)
    while start >= 0:
        if start not in whole:
            raise _Declined(f"the value is also part of a longer word (line {text.count(chr(10), 0, start) + 1})")
        start = text.find(literal, start + 1)
    return tuple(Edit(start, start + len(literal), "${" + key + "}") for start in sorted(whole))


def _check_places(document, literal: str) -> None:
    """_Declined when the value is also written where it is not this secret; a value in a known
    credential format is one wherever it is."""
    if CREDENTIAL_VALUE.search(literal):
        return
    pattern = _occurrence(literal)
    for mapping in document.data:
        found = _misplaced(mapping, [], None, literal, pattern)
        if found:
            raise _Declined(f"the value is also written {found}, which is not where a secret goes")


def _misplaced(node, path: list, owner: str | None, literal: str, pattern: re.Pattern) -> str | None:
    """Where in `node` the literal is written other than as a secret; None when nowhere."""
    if hasattr(node, "items"):
        for key, value in node.items():
            if literal in str(key):
                return f"in the key {_path(path + [key])}"
            found = _misplaced(value, path + [key], str(key), literal, pattern)
            if found:
                return found
        return None
    if isinstance(node, list):
        previous = None
        for index, item in enumerate(node):
            found = _misplaced(item, path + [index], previous if isinstance(previous, str) else None, literal, pattern)
            if found:
                return found
            previous = item
        return None
    text = _scalar_text(node)
    if text is None or literal not in text:
        return None
    spans = [match.span() for match in pattern.finditer(text)]
    if len(spans) != text.count(literal):
        return f"inside a longer word in {_path(path)}"
    for start, end in spans:
        name = owner if (start, end) == (0, len(text)) else _name_before(text, start, end)
        if not _secret_place(name):
            return f"in {_path(path)}"
    return None


def _scalar_text(node) -> str | None:
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int) and not isinstance(node, bool):
        return str(int(node))
    value = getattr(node, "value", None)  # a TaggedScalar
    return str(value) if isinstance(value, str) else None


def _name_before(text: str, start: int, end: int) -> str | None:
    """What names the occurrence at text[start:end] inside a longer string: the word before
    `=` (`--password=…`, `DB_PASSWORD=…`), the option before it (`-a …`), or `password` for
    a URL's password (`scheme://user:…@host`)."""
    before = text[:start]
    if before.endswith(("'", '"')):
        before = before[:-1]
    if re.search(r"://[^/@\s]*:$", before) and text[end:].startswith("@"):
        return "password"
    if before.endswith("="):
        words = re.split(r"[\s'\"]", before[:-1])
        return words[-1] or None
    if before[-1:] in (" ", "\t"):
        words = before.split()
        return words[-1].strip("'\"") if words else None
    return None


def _secret_place(name: str | None) -> bool:
    if not name:
        return False
    bare = name.strip("'\"").lstrip("-").rsplit(".", 1)[-1]
    return bare.lower() in SECRET_OPTIONS or _secret_name(bare) or any(word in bare.lower() for word in SECRET_WORDS)


def _path(path: list) -> str:
    shown = ""
    for part in path:
        shown += f"[{part}]" if isinstance(part, int) else (f".{part}" if shown else str(part))
    return shown or "at the top"


def _check_replaced(document, edits: tuple[Edit, ...], literal: str, key: str) -> None:
    """_Declined unless the text with `edits` reads as the same Compose file with `${key}` for
    every whole occurrence of `literal` in its values, and holds the literal no more."""
    pieces, position = [], 0
    for edit in edits:
        pieces += [document.text[position:edit.start], edit.replacement]
        position = edit.end
    text = "".join(pieces) + document.text[position:]
    if literal in text:
        raise _Declined("the value would still be in the file")
    try:
        after = load(text)
    except ComposeError:
        raise _Declined("the file would not read as Compose with ${" + key + "} for the value") from None
    pattern, interpolation = _occurrence(literal), "${" + key + "}"

    def replaced(value):
        if isinstance(value, int) and not isinstance(value, bool) and str(int(value)) == literal:
            return ("str", interpolation)
        if isinstance(value, str):
            return ("str", pattern.sub(lambda _: interpolation, str(value)))
        if isinstance(getattr(value, "value", None), str):  # a TaggedScalar
            return ("tagged", value.tag.value, pattern.sub(lambda _: interpolation, value.value))
        return None

    expected = [plain(mapping, replaced) for mapping in document.data]
    if [plain(mapping) for mapping in after.data] != expected:
        raise _Declined("the file would read differently with ${" + key + "} for the value")


def _env_changes(document, directory: ComposeDirectory, key: str, literal: str,
                 written: str) -> tuple[tuple[FileChange, ...], tuple[str, ...]]:
    """The changes to .env, .gitignore and .env.example, and what they rest on; _Declined
    when they cannot be made. What decides against the fix whatever git says comes first."""
    env = _readable(directory.file(".env"))
    current = None if env.text is None else dotenv.value_of(env.text, key)
    if current is dotenv.UNKNOWN:
        raise _Declined(f"dockerfix cannot tell what .env sets {key} to")
    if current is not None and current != literal:
        raise _Declined(f".env sets {key} to another value")
    files, evidence = [], []
    if current is None:
        _check_env_file_users(document, directory, key)
        _check_other_compose_files(directory, key, literal)
        files.append(dotenv.appended(env.path, env.text, ((key, written),)))
        evidence.append(f".env gains {key}")
    else:
        evidence.append(f".env sets {key} to this value already")
    change, ignored = _gitignore(directory)
    files += [change] if change else []
    evidence.append(ignored)
    tracked = directory.tracked(".env")
    if tracked is None:
        raise _Declined("git cannot say whether it tracks .env")
    if tracked:
        raise _Declined("git tracks .env: the value would be committed")
    evidence.append(".env is not tracked by git" if directory.root else "no git repository")
    example = _readable(directory.file(".env.example"))
    files.append(dotenv.appended(example.path, example.text, ((key, f"{key}="),)))
    return tuple(files), tuple(evidence)


def _readable(file):
    if file.problem:
        raise _Declined(f"{file.name} cannot be read: {file.problem}")
    return file


def _gitignore(directory: ComposeDirectory) -> tuple[FileChange | None, str]:
    """The change making git ignore .env (None when a .gitignore does already), and evidence."""
    for file in directory.gitignore_files():
        if file.problem:
            raise _Declined(f"{os.path.relpath(file.path, directory.directory)} cannot be read: {file.problem}")
    verdict = directory.git_ignores(".env")
    if verdict.ignored:
        return None, f".env is git-ignored ({verdict.where})"
    own = directory.file(".gitignore")
    before = own.text or ""
    after = text_with_lines(before, GITIGNORE_LINES.splitlines())
    if not directory.git_ignores(".env", after).ignored:
        raise _Declined("dockerfix cannot make git ignore .env")
    return FileChange(own.path, own.text, after, merge=_first), ".env was not git-ignored: .gitignore gains /.env"


def _first(first: FileChange, second: FileChange) -> FileChange:
    return first  # the same lines added to the same file


def _check_env_file_users(document, directory: ComposeDirectory, key: str, shown: str = "") -> None:
    """_Declined when a service reads .env as its `env_file`: the key would join its environment."""
    env = os.path.join(directory.directory, ".env")
    where = f" of {shown}" if shown else ""
    for _, name, service in document.services():
        for path in _env_file_paths(service.get("env_file")):
            if "$" in path:
                raise _Declined(f"service {name}{where} reads an env_file named by a variable, .env perhaps")
            if os.path.normpath(os.path.join(directory.directory, path)) == env:
                raise _Declined(f"service {name}{where} reads .env as its env_file: {key} would join its environment")


def _env_file_paths(value) -> list[str]:
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [str(item.get("path", "")) if hasattr(item, "get") else str(item) for item in items]


def _check_other_compose_files(directory: ComposeDirectory, key: str, literal: str) -> None:
    """_Declined when another Compose file of the directory, which shares .env, uses ${key},
    sets the key to another value, or reads .env as an env_file (this one too, as it is on disk)."""
    for other in directory.other_compose_files():
        if other.problem:
            raise _Declined(f"{other.name}, which shares .env, cannot be read: {other.problem}")
        if other.text is None or (key not in other.text and "env_file" not in other.text):
            continue
        try:
            loaded = load(other.text)
        except ComposeError:
            raise _Declined(f"{other.name}, which shares .env, is not a Compose file dockerfix reads") from None
        if _use_of(other.text, key):
            raise _Declined(f"{other.name}, which shares .env, uses ${{{key}}}")
        if any(entry.key == key and _text(entry.value) != literal and not _reset(entry.value)
               for entry in _entries(loaded)):
            raise _Declined(f"{other.name}, which shares .env, sets {key} to another value")
        _check_env_file_users(loaded, directory, key, other.name)


RULE = Rule(id="DC005", name="compose-secret-environment", summary="no literal secrets in `environment`",
            check=check, doc=__doc__, kind="compose", fix_safety=UNSAFE, severity="error", security_severity=7.5)
