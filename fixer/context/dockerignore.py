""".dockerignore files, read the way BuildKit reads them (moby/patternmatcher).

Each line is a pattern; `#` lines are comments; leading and trailing whitespace goes; a
leading `!` makes an exception; patterns are cleaned like paths (a leading `/` and `./`
dropped). `*` matches within one path element, `?` one character, `**` any number of
elements. A path is excluded when the last pattern that matches it is not an exception;
a pattern that matches a directory also excludes everything below it.

Also what a context's own files say about the `.env` files an ignore file would keep out:
whether its Compose files load one (`env_file`), and whether its packages load one (dotenv).
"""
from __future__ import annotations

import json
import os
import posixpath
import re
import stat
import warnings
from functools import lru_cache

from ..files import is_compose_name
from ..lazy_regex import lazy_regex
from ..records import record
from .reading import read_text

ENV_FILE_KEY = lazy_regex(r"^([ \t]*)(?:-[ \t]+)?env_file[ \t]*:(.*)$")
ENV_FILE_NAME = lazy_regex(r"(?:^|[\s\[,'\"/:])(\.env(?:\.[\w.-]+)?|[\w.-]+\.env)(?=$|[\s\],'\"#])")
# Packages that load local `.env` files at run time. Not Next.js or Vite: their builds read
# `.env` and `.env.production`, which those projects commit (the secrets go in `.env*.local`).
ENV_LOADING_PACKAGES = {"dotenv": "dotenv", "dotenv-flow": "dotenv-flow", "dotenv-cli": "dotenv-cli"}


@record(frozen=True)
class IgnorePattern:
    text: str         # the cleaned pattern, without `!`
    exclusion: bool   # a `!` exception
    line: int


def ignore_file_problem(path: str) -> str:
    """Why the ignore file at `path` cannot be read as the UTF-8 text of one ("it is a
    directory, not a file"), or "" when it can, or is not there. Such a file is neither
    rewritten nor added to: what it says is not known."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "it is a symbolic link to nothing" if os.path.islink(path) else ""
    except OSError as error:
        return f"it cannot be read: {_reason(error)}"
    kind = _not_a_file(info.st_mode)
    if kind:
        return f"it is {kind}, not a file"
    return _content_problem(path, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


@lru_cache(maxsize=256)
def _content_problem(path: str, *version) -> str:
    """ignore_file_problem of a regular file, read once per `version` of it (every pass of the
    fix loop asks again: a file changed, or given other permissions, has a new ctime)."""
    try:  # O_NONBLOCK: a FIFO put there meanwhile must not block
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            with os.fdopen(descriptor, "rb", closefd=False) as file:
                data = file.read()
        finally:
            os.close(descriptor)
    except OSError as error:
        return f"it cannot be read: {_reason(error)}"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "it is UTF-16 encoded, not UTF-8"
    if b"\x00" in data:
        return "it holds NUL bytes (UTF-16 without a byte order mark, or not text)"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return f"it is not valid UTF-8: byte 0x{data[error.start]:02x} on line {line}"
    return ""


def _not_a_file(mode: int) -> str:
    for test, kind in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return kind
    return ""


def _reason(error: OSError) -> str:
    reason = error.strerror or str(error)
    return reason[:1].lower() + reason[1:]


def parse_dockerignore(text: str) -> list[IgnorePattern]:
    return list(_parsed(text))


@lru_cache(maxsize=256)
def _parsed(text: str) -> tuple[IgnorePattern, ...]:
    patterns = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exclusion = line.startswith("!")
        if exclusion:
            line = line[1:].strip()
        line = posixpath.normpath(line.replace("\\", "/")).lstrip("/")
        if line in ("", "."):
            continue
        patterns.append(IgnorePattern(line, exclusion, number))
    return tuple(patterns)


def is_ignored(patterns: list[IgnorePattern], path: str) -> bool:
    """Whether `path` (relative to the context, `/`-separated) is left out of the context."""
    parents = _parents(path)
    ignored = False
    for pattern in patterns:
        if _matches(pattern.text, parents):
            ignored = not pattern.exclusion
    return ignored


def _matches(pattern: str, parents: tuple[str, ...]) -> bool:
    prefix, suffix = _literal_ends(pattern)
    if prefix == pattern:  # a plain name only matches itself
        return pattern in parents
    # What a match must start and end with decides most cases before a regex is compiled.
    candidates = [parent for parent in parents if len(parent) >= len(prefix) + len(suffix)
                  and parent.startswith(prefix) and parent.endswith(suffix)]
    if not candidates:
        return False
    regex = _compiled(pattern)
    return regex is not None and any(regex.fullmatch(parent) for parent in candidates)


@lru_cache(maxsize=1024)
def _literal_ends(pattern: str) -> tuple[str, str]:
    """The pattern's text before its first wildcard, escape or class, and after its last."""
    special = [index for index, char in enumerate(pattern)
               if char in "*?[]\\" or (char == "/" and pattern[index - 2:index] == "**")]  # `**/` may match nothing
    if not special:
        return pattern, ""
    return pattern[:special[0]], pattern[special[-1] + 1:]


@lru_cache(maxsize=1024)
def _compiled(pattern: str):
    """The pattern as a regular expression; None for one Docker refuses (`[]`, `[z-a]`): the
    build fails on such an ignore file, and it leaves nothing out before that."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # `[[` and `--` in a class read as literals
        try:
            return re.compile(_translate(pattern))
        except re.error:
            return None


@lru_cache(maxsize=1024)
def _parents(path: str) -> tuple[str, ...]:
    """The path, normalised, and every directory above it: a pattern matching any of them
    leaves the path out. The same sources are asked about for every pattern, hence the cache."""
    parts = posixpath.normpath(path).lstrip("/").split("/")
    return tuple("/".join(parts[:index]) for index in range(1, len(parts) + 1))


def _translate(pattern: str) -> str:
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**", index):
            index += 2
            if pattern.startswith("/", index):
                index += 1
                out.append("(?:.*/)?")
            else:
                out.append(".*")
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", index + 1)
            if end < 0:
                out.append(re.escape(char))
            else:
                body = pattern[index + 1:end].replace("\\", "\\\\")
                out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
                index = end
        elif char == "\\" and index + 1 < len(pattern):
            index += 1
            out.append(re.escape(pattern[index]))
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


# --- What a context says about its .env files ----------------------------------------------------

def compose_env_files(root: str, names: list[str]) -> list[str]:
    """Evidence lines ("compose.yaml:7: env_file: .env") for each Compose file among `names`, the
    files at the top of the context `root`, that loads a `.env` file into a service."""
    found = []
    for name in names:
        if is_compose_name(name):
            text = read_text(os.path.join(root, name))
            found += [f"{name}:{line}: {shown}" for line, shown in _env_file_lines(text or "")]
    return found


def _env_file_lines(text: str) -> list[tuple[int, str]]:
    """(line, text) of each `env_file` whose value (inline, or the list below it) names a .env file."""
    if "env_file" not in text:
        return []
    lines, found = text.splitlines(), []
    for index, line in enumerate(lines):
        match = ENV_FILE_KEY.match(line)
        if match is None:
            continue
        indent, value = len(match.group(1)), [match.group(2)]
        for following in lines[index + 1:]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            value.append(following)
        named = next((match for part in value if (match := ENV_FILE_NAME.search(part.split("#", 1)[0]))), None)
        if named is not None:
            found.append((index + 1, f"env_file {named.group(1)}"))
    return found


def env_loading_packages(root: str, names: list[str]) -> list[str]:
    """Evidence lines for the packages of the context `root` (its package.json, Python
    requirements) that load `.env` files: "package.json: dotenv"."""
    found = []
    if "package.json" in names:
        found += [f"package.json: {what}" for what in _node_env_loaders(read_text(os.path.join(root, "package.json")))]
    for name in ("requirements.txt", "pyproject.toml"):
        if name in names and "python-dotenv" in (read_text(os.path.join(root, name)) or ""):
            found.append(f"{name}: python-dotenv")
    return found


def _node_env_loaders(text: str | None) -> list[str]:
    try:
        manifest = json.loads(text or "")
    except ValueError:
        return []
    if not isinstance(manifest, dict):
        return []
    packages = set()
    for key in ("dependencies", "devDependencies"):
        if isinstance(manifest.get(key), dict):
            packages.update(manifest[key])
    return [ENV_LOADING_PACKAGES[name] for name in sorted(packages) if name in ENV_LOADING_PACKAGES]
