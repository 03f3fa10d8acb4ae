"""The Go program a Dockerfile builds: its main package and the local packages it imports,
read as text (no Go toolchain), and what they do that the image must allow for.

Grepping the whole repository is wrong both ways: a helper nobody imports makes a fix look
unsafe, and a server that writes `data.db` in its working directory goes unseen when the
word to grep for is not there. So a fact counts only when it is in the program's import
graph, found in code (comments and string contents blanked), with the line it is on. Where
the answer depends on code the model cannot see (a module outside this one, a package that
is missing) `complete` is False, and the answer is "unknown", never "no".

Reading stays proportional to the program: one directory listing and its .go files per
package of the graph, whatever the size of the repository.
"""
from __future__ import annotations

import os
import posixpath
import re
from bisect import bisect_right
from collections import deque

from ..lazy_regex import lazy_regex
from ..records import record
from .build_context import GO_SKIPPED_DIRECTORIES
from .reading import read_bytes
from .reading import read_text as _read_text


@record(frozen=True)
class Fact:
    """One thing the program does, and the line that does it."""

    what: str                # "os.WriteFile out.json", "sqlite file data.db", "route /healthz"
    where: str               # "cmd/server/main.go:42", relative to the module root
    path: str | None = None  # the file or directory written, when the source says which

    def __str__(self) -> str:
        return f"{self.what} ({self.where})"


@record(frozen=True)
class GoProgram:
    package: str                       # the main package's directory, relative to the module root
    module: str                        # the module path from go.mod
    packages: tuple[str, ...]          # local package directories of the graph, the main one first
    missing: tuple[str, ...]           # local import paths whose directory is absent, unreadable or empty
    external: tuple[str, ...]          # imported paths outside the module and the standard library
    home: tuple[Fact, ...]             # the home directory: os.UserHomeDir, $HOME, "~/", xdg libraries
    writes: tuple[Fact, ...]           # file-system writes, embedded databases, log files, unix sockets
    relative_writes: tuple[Fact, ...]  # the writes to a relative literal path (or a flag's default): WORKDIR
    http_servers: tuple[Fact, ...]     # net/http, fasthttp, gin/echo/fiber/iris, MCP SSE/streamable HTTP
    grpc_servers: tuple[Fact, ...]     # grpc.NewServer, the grpc health service
    stdio: tuple[Fact, ...]            # serves or reads standard input: MCP stdio transports, os.Stdin
    routes: tuple[str, ...]            # literal paths registered, in source order
    health_routes: tuple[str, ...]     # the routes that are health endpoints
    listen_ports: tuple[int, ...]      # literal ports listened on, flag and environment defaults
    zones: tuple[Fact, ...]            # time.LoadLocation of a named zone, the time/tzdata import
    embeds_zones: bool                 # time/tzdata is imported: the binary carries the zone database
    tls_clients: tuple[Fact, ...]      # outgoing TLS: HTTP clients, crypto/tls, cloud SDKs, database drivers
    commands: tuple[Fact, ...]         # programs it runs (os/exec, syscall.Exec): `path` is the name, if written
    dotenv: tuple[Fact, ...]           # reads a .env file: godotenv/gotenv, a ".env" path in the code
    complete: bool                     # every local package was read and no external package is imported
    files: int = 0                     # Go files read

    @property
    def known(self) -> bool:
        """Whether the sources can tell what the program does: some were read, and all of it."""
        return self.complete and self.files > 0


_PROGRAMS: dict = {}
_PACKAGES: dict = {}
_MAINS: dict = {}


def forget_programs() -> None:
    """Drop what was read, for a long-running caller or a test that changes the sources."""
    _PROGRAMS.clear()
    _PACKAGES.clear()
    _MAINS.clear()


def load_program(module_root: str, package: str) -> GoProgram | None:
    """The program `go build <package>` makes in the module at `module_root`. `package` is
    as a Dockerfile gives it: ".", "./cmd/server", "cmd/server", the module's own import
    path, or .go files ("main.go", "./cmd/x/main.go"). None when go.mod is missing or the
    argument is not a main package of this module (`./...` included: see main_packages)."""
    key = (os.fspath(module_root), package)
    if key not in _PROGRAMS:
        _PROGRAMS[key] = _load(*key)
    return _PROGRAMS[key]


def main_packages(module_root: str) -> tuple[str, ...]:
    """The directories of the module with a `package main`, for a Dockerfile that builds
    `./...` or names its package in a way that cannot be told. This one walks the tree (but
    reads only the head of a file, up to its package clause)."""
    root = os.fspath(module_root)
    if root not in _MAINS:
        _MAINS[root] = tuple(sorted(_walk_mains(root)))
    return _MAINS[root]


# --- reading the sources --------------------------------------------------------------

TOKENS = lazy_regex(r"""//[^\n]*|/\*.*?(?:\*/|\Z)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`[^`]*`?""", re.S)
PACKAGE_CLAUSE = lazy_regex(r"^[ \t]*package[ \t]+(\w+)", re.M)
GO_BUILD = lazy_regex(r"^//go:build[ \t]+([^\n]*)", re.M)
PLUS_BUILD = lazy_regex(r"^//[ \t]*\+build[ \t]+([^\n]*)", re.M)
CONSTRAINT_TOKEN = lazy_regex(r"\s*(\(|\)|!|&&|\|\||[\w.]+)")
IMPORT = lazy_regex(r"(?<![\w.])import\s*(\()?")
IMPORT_SPEC = lazy_regex(r"""(?:([\w.]+)[ \t]+)?("[^"\n]*"|`[^`]*`)""")
MODULE_LINE = lazy_regex(r"""^[ \t]*module[ \t]+["`]?([^\s"`]+)""", re.M)
VERSION_ELEMENT = lazy_regex(r"v\d+|.*\.v\d+")
GOOS = frozenset("aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris "
                 "wasip1 windows zos".split())
GOARCH = frozenset("386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 "
                   "mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm".split())
HEAD_BYTES = 8192
NEWLINE = lazy_regex(r"\n")


class _File:
    """One Go file, twice: `text` with comments blanked, `code` with string contents blanked
    too, same length and same line breaks, so a match in one is read in the other."""

    __slots__ = ("name", "text", "code", "strings", "package", "imports", "aliases", "_lines")

    def __init__(self, name: str, source: str):
        self.name = name
        self.text, self.code, self.strings = _blank(source)
        clause = PACKAGE_CLAUSE.search(self.code)
        self.package = clause.group(1) if clause else ""
        self.imports = _imports(self)
        self.aliases: dict[str, str] = {}
        self._lines: list[int] | None = None  # where each line ends: made when first asked for

    def where(self, offset: int) -> str:
        if self._lines is None:
            self._lines = [match.start() for match in NEWLINE.finditer(self.text)]
        return f"{self.name}:{bisect_right(self._lines, offset - 1) + 1}"

    def literal(self, offset: int) -> str | None:
        """The value of the string literal starting at `offset`."""
        return self.strings.get(offset)


class _Package:
    __slots__ = ("directory", "path", "name", "files", "bindings", "flags", "unreadable")

    def __init__(self, directory: str, path: str, files: list[_File], unreadable: bool):
        self.directory, self.path, self.files, self.unreadable = directory, path, files, unreadable
        self.name = next((file.package for file in files if file.package), "")
        self.bindings: dict[str, str] = {}
        self.flags: list[tuple[str, str, _File, int]] = []  # (flag name, default, file, offset)


def _blank(source: str) -> tuple[str, str, dict[int, str]]:
    text, code, strings, last = [], [], {}, 0
    for match in TOKENS.finditer(source):
        start, token = match.start(), match.group()
        text.append(source[last:start])
        code.append(source[last:start])
        if token[0] == "/":
            text.append(_spaces(token))
            code.append(_spaces(token))
        else:
            closed = len(token) > 1 and token[-1] == token[0]
            inner = token[1:-1] if closed else token[1:]
            text.append(token)
            code.append(token[0] + _spaces(inner) + (token[-1] if closed else ""))
            if token[0] != "'":
                strings[start] = inner
        last = match.end()
    text.append(source[last:])
    code.append(source[last:])
    return "".join(text), "".join(code), strings


def _spaces(token: str) -> str:
    return "\n".join(" " * len(line) for line in token.split("\n"))


def _imports(file: _File) -> list[tuple[str | None, str, int]]:
    """(alias, import path, offset) of each import spec, found in code so that a template in
    a raw string that says `import (` is not taken for one."""
    found = []
    for match in IMPORT.finditer(file.code):
        end = file.code.find(")", match.end()) if match.group(1) else file.code.find("\n", match.end())
        end = len(file.code) if end < 0 else end
        for spec in IMPORT_SPEC.finditer(file.text, match.end(), end):
            found.append((spec.group(1), spec.group(2)[1:-1], spec.start(2)))
            if not match.group(1):
                break
    return found


def _read_head(path: str) -> str | None:
    """The start of a file, up to its package clause: enough to tell its package and its
    build constraint without reading a large file whole."""
    head = read_bytes(path, HEAD_BYTES)
    if head is not None and len(head) == HEAD_BYTES and b"package" not in head:
        head = read_bytes(path)
    return None if head is None else head.decode("utf-8", errors="replace")


def _module_path(root: str) -> str | None:
    text = _read_text(os.path.join(root, "go.mod"))
    match = MODULE_LINE.search(text) if text is not None else None
    return match.group(1) if match else None


def _goes_with_linux(name: str) -> bool:
    """go/build's file name rule: `x_windows.go`, `x_darwin_arm64.go` are for other systems.
    An architecture alone is unknown here, and the file stays."""
    elements = name[:-3].removesuffix("_test").split("_")[1:]
    if len(elements) >= 2 and elements[-1] in GOARCH and elements[-2] in GOOS:
        return elements[-2] == "linux"
    return not elements or elements[-1] not in GOOS or elements[-1] == "linux"


def _buildable_name(name: str) -> bool:
    return (name.endswith(".go") and not name.endswith("_test.go") and not name.startswith(("_", "."))
            and _goes_with_linux(name))


def _excluded(source: str) -> bool:
    """Whether the file's build constraint is surely false for a linux build. Architectures,
    cgo and custom tags are unknown (a Dockerfile may pass -tags): such a file stays."""
    clause = PACKAGE_CLAUSE.search(source)
    header = source[:clause.start()] if clause else source
    if "build" not in header:
        return False
    if match := GO_BUILD.search(header):
        return _constraint(match.group(1)) is False
    lines = PLUS_BUILD.findall(header)
    if not lines:
        return False
    expression = " && ".join("(" + " || ".join("(" + " && ".join(option.split(",")) + ")" for option in line.split())
                             + ")" for line in lines)
    return _constraint(expression) is False


def _constraint(expression: str) -> bool | None:
    """A `//go:build` expression in three-valued logic: True, False, or None for unknown."""
    tokens = [match.group(1) for match in CONSTRAINT_TOKEN.finditer(expression.split("//")[0])]
    value, rest = _either(tokens)
    return value if not rest else None


def _either(tokens: list[str]):
    value, tokens = _both(tokens)
    while tokens[:1] == ["||"]:
        other, tokens = _both(tokens[1:])
        value = True if True in (value, other) else None if None in (value, other) else False
    return value, tokens


def _both(tokens: list[str]):
    value, tokens = _single(tokens)
    while tokens[:1] == ["&&"]:
        other, tokens = _single(tokens[1:])
        value = False if False in (value, other) else None if None in (value, other) else True
    return value, tokens


def _single(tokens: list[str]):
    if not tokens:
        return None, tokens
    if tokens[0] == "!":
        value, rest = _single(tokens[1:])
        return (None if value is None else not value), rest
    if tokens[0] == "(":
        value, rest = _either(tokens[1:])
        return value, rest[1:] if rest[:1] == [")"] else rest
    return _tag(tokens[0]), tokens[1:]


def _tag(tag: str) -> bool | None:
    if tag in ("linux", "unix", "gc") or tag.startswith("go1."):
        return True
    if tag in GOOS or tag in ("ignore", "gccgo"):
        return False
    return None


def _read_package(root: str, directory: str, path: str, only: tuple[str, ...] | None = None) -> _Package | None:
    """The package in `directory`: its buildable .go files, or `only` the files named on the
    command line (which, as `go run gen.go` shows, are built whatever their constraint)."""
    key = (root, directory, only)
    if key in _PACKAGES:
        return _PACKAGES[key]
    full = root if directory == "." else os.path.join(root, *directory.split("/"))
    if only is None:
        try:
            with os.scandir(full) as entries:
                names = sorted(entry.name for entry in entries if _buildable_name(entry.name) and entry.is_file())
        except OSError:
            names = []
    else:
        names = list(only)
    files, unreadable = [], False
    for name in names:
        source = _read_text(os.path.join(full, name))
        if source is None:
            unreadable = True
        elif only is not None or not _excluded(source):
            files.append(_File(name if directory == "." else f"{directory}/{name}", source))
    package = _Package(directory, path, files, unreadable) if files else None
    _PACKAGES[key] = package
    return package


def _in_other_module(root: str, directory: str) -> bool:
    """Whether a go.mod between the root and `directory` makes it part of another module."""
    parts = [] if directory == "." else directory.split("/")
    return any(os.path.isfile(os.path.join(root, *parts[:count], "go.mod")) for count in range(1, len(parts) + 1))


def _walk_mains(root: str):
    stack = ["."]
    while stack:
        directory = stack.pop()
        full = root if directory == "." else os.path.join(root, *directory.split("/"))
        try:
            with os.scandir(full) as scanned:
                entries = sorted(scanned, key=lambda entry: entry.name)
        except OSError:
            continue
        names = [entry.name for entry in entries if _buildable_name(entry.name) and entry.is_file()]
        if _is_main(full, names):
            yield directory
        for entry in entries:
            if (entry.is_dir(follow_symlinks=False) and entry.name not in GO_SKIPPED_DIRECTORIES
                    and not entry.name.startswith((".", "_"))
                    and not os.path.isfile(os.path.join(entry.path, "go.mod"))):
                stack.append(entry.name if directory == "." else f"{directory}/{entry.name}")


def _is_main(full: str, names: list[str]) -> bool:
    """Whether the first file that is built says `package main` (all of them say the same)."""
    for name in names:
        head = _read_head(os.path.join(full, name))
        if head is None or _excluded(head):
            continue
        clause = PACKAGE_CLAUSE.search(_blank(head)[1])
        if clause:
            return clause.group(1) == "main"
    return False


# --- the graph ------------------------------------------------------------------------

def _load(root: str, argument: str) -> GoProgram | None:
    module = _module_path(root)
    if module is None:
        return None
    target = _target(module, argument)
    if target is None or _in_other_module(root, target[0]):
        return None
    directory, only = target
    main = _read_package(root, directory, _import_path(module, directory), only)
    if main is None or main.name != "main":
        return None
    packages, missing, external = _graph(root, module, main)
    return _Reader(root, module, packages).program(main, missing, external)


def _target(module: str, argument: str) -> tuple[str, tuple[str, ...] | None] | None:
    """(directory, named files or None) of a `go build` argument, or None for a pattern or a
    path outside the module."""
    words = argument.replace("\\", "/").split()
    if not words or "..." in argument:
        return None
    if all(word.endswith(".go") for word in words):
        directories = {posixpath.normpath(posixpath.dirname(word) or ".") for word in words}
        if len(directories) != 1:
            return None
        return _inside(directories.pop(), tuple(posixpath.basename(word) for word in words))
    if len(words) != 1:
        return None
    word = words[0]
    if word == module or word.startswith(module + "/"):
        word = word[len(module):].lstrip("/") or "."
    return _inside(posixpath.normpath(word), None)


def _inside(directory: str, only):
    if directory == ".." or directory.startswith(("../", "/")):
        return None
    return directory, only


def _import_path(module: str, directory: str) -> str:
    return module if directory == "." else f"{module}/{directory}"


def _graph(root: str, module: str, main: _Package):
    """Breadth first from the main package: each local package read once; external and
    missing ones noted, in the order they were met."""
    packages, queue, seen = [main], deque([main]), {main.path}
    missing, external = ([main.path] if main.unreadable else []), []
    while queue:
        for _, path, _ in (spec for file in queue.popleft().files for spec in file.imports):
            if path in seen:
                continue
            seen.add(path)
            kind = _classify(module, path)
            directory = "." if path == module else path[len(module) + 1:]
            if kind == "external" or (kind == "local" and _in_other_module(root, directory)):
                external.append(path)
            elif kind == "local":
                package = _read_package(root, directory, path)
                if package is None or package.unreadable:
                    missing.append(path)
                if package is not None:
                    packages.append(package)
                    queue.append(package)
    return packages, missing, external


def _classify(module: str, path: str) -> str:
    if path == module or path.startswith(module + "/"):
        return "local"
    return "external" if "." in path.split("/")[0] else "std"


def _default_name(path: str) -> str:
    """The name an import is used by when it has no alias: the last element, without a
    major version (`echo/v4`, `yaml.v3`) or a go- prefix (`go-sqlite3` is sqlite3)."""
    parts = path.split("/")
    last = parts[-2] if len(parts) > 1 and VERSION_ELEMENT.fullmatch(parts[-1]) and "." not in parts[-1] else parts[-1]
    last = last.split(".")[0].removeprefix("go-").removesuffix("-go")
    return last.rsplit("-", 1)[-1]


# --- what the program does -------------------------------------------------------------

KINDS = (("github.com/gin-gonic/gin", "gin"), ("github.com/labstack/echo", "echo"),
         ("github.com/gofiber/fiber", "fiber"), ("github.com/kataras/iris", "iris"),
         ("github.com/valyala/fasthttp", "fasthttp"), ("github.com/mark3labs/mcp-go/server", "mcp-go"),
         ("github.com/modelcontextprotocol/go-sdk/mcp", "mcp-sdk"),
         ("google.golang.org/grpc/credentials", "grpc-credentials"),
         ("google.golang.org/grpc/health/grpc_health_v1", "grpc-health"), ("google.golang.org/grpc", "grpc"),
         ("github.com/jmoiron/sqlx", "sqlx"), ("gorm.io/driver/sqlite", "gorm-sqlite"),
         ("github.com/glebarez/sqlite", "gorm-sqlite"), ("go.etcd.io/bbolt", "bolt"),
         ("github.com/boltdb/bolt", "bolt"), ("github.com/dgraph-io/badger", "badger"),
         ("github.com/syndtr/goleveldb/leveldb", "leveldb"), ("github.com/cockroachdb/pebble", "pebble"),
         ("gopkg.in/natefinch/lumberjack", "lumberjack"), ("github.com/natefinch/lumberjack", "lumberjack"),
         ("github.com/gorilla/websocket", "websocket"), ("nhooyr.io/websocket", "websocket"),
         ("github.com/coder/websocket", "websocket"), ("github.com/joho/godotenv", "godotenv"),
         ("github.com/subosito/gotenv", "gotenv"))
WRITE_MODULES = ("github.com/mattn/go-sqlite3", "modernc.org/sqlite", "github.com/glebarez/sqlite",
                 "github.com/glebarez/go-sqlite", "gorm.io/driver/sqlite", "github.com/ncruces/go-sqlite3",
                 "zombiezen.com/go/sqlite", "crawshaw.io/sqlite", "go.etcd.io/bbolt", "github.com/boltdb/bolt",
                 "github.com/dgraph-io/badger", "github.com/syndtr/goleveldb", "github.com/cockroachdb/pebble",
                 "github.com/tidwall/buntdb", "gopkg.in/natefinch/lumberjack", "github.com/natefinch/lumberjack")
HOME_MODULES = ("github.com/adrg/xdg", "github.com/mitchellh/go-homedir", "github.com/kirsle/configdir",
                "github.com/shibukawa/configdir", "github.com/OpenPeeDeeP/xdg", "github.com/muesli/go-app-paths")
TLS_MODULES = ("crypto/tls", "net/smtp", "github.com/jackc/pgx", "github.com/lib/pq",
               "github.com/go-sql-driver/mysql", "go.mongodb.org/mongo-driver", "github.com/aws/aws-sdk-go",
               "github.com/aws/aws-sdk-go-v2", "cloud.google.com/go", "google.golang.org/api",
               "github.com/Azure/azure-sdk-for-go", "golang.org/x/oauth2", "github.com/google/go-github",
               "github.com/slack-go/slack", "github.com/sashabaranov/go-openai", "github.com/openai/openai-go",
               "github.com/anthropics/anthropic-sdk-go", "github.com/stripe/stripe-go")
FRAMEWORK_METHODS = {"gin": ("Run", "RunTLS"), "echo": ("Start", "StartTLS", "StartAutoTLS"),
                     "fiber": ("Listen", "ListenTLS"), "iris": ("Listen",), "mcp-go": ("Start",)}
CALLS = {
    **dict.fromkeys((("os", "UserHomeDir"), ("os", "UserCacheDir"), ("os", "UserConfigDir"), ("os/user", "Current"),
                     ("os/user", "Lookup"), ("os/user", "LookupId")), "home"),
    **dict.fromkeys((("os", "Getenv"), ("os", "LookupEnv")), "environment"),
    **dict.fromkeys((("os", name) for name in ("Create", "WriteFile", "Mkdir", "MkdirAll", "Rename", "Remove",
                                                "RemoveAll", "Symlink", "Link", "Chmod", "Chown", "Lchown",
                                                "Chtimes", "Truncate")), "write"),
    ("io/ioutil", "WriteFile"): "write", ("os", "OpenFile"): "open",
    **dict.fromkeys((("os", "CreateTemp"), ("os", "MkdirTemp"), ("io/ioutil", "TempFile"), ("io/ioutil", "TempDir")),
                    "temporary"),
    **dict.fromkeys((("database/sql", "Open"), ("sqlx", "Open"), ("sqlx", "Connect"), ("sqlx", "MustOpen"),
                     ("sqlx", "MustConnect")), "sql"),
    ("gorm-sqlite", "Open"): "sqlite",
    **dict.fromkeys((("bolt", "Open"), ("badger", "DefaultOptions"), ("leveldb", "OpenFile"), ("pebble", "Open")),
                    "database"),
    ("lumberjack", "Logger"): "log_file", ("net", "Listen"): "listen",
    **dict.fromkeys((("net/http", "ListenAndServe"), ("net/http", "ListenAndServeTLS"), ("fasthttp", "ListenAndServe"),
                     ("fasthttp", "ListenAndServeTLS")), "serve_address"),
    **dict.fromkeys((("net/http", "Serve"), ("net/http", "ServeTLS"), ("fasthttp", "Serve"), ("mcp-go", "NewSSEServer"),
                     ("mcp-go", "NewStreamableHTTPServer"), ("mcp-sdk", "NewSSEHandler"),
                     ("mcp-sdk", "NewStreamableHTTPHandler"), ("gin", "Default"), ("gin", "New"), ("echo", "New"),
                     ("fiber", "New"), ("iris", "New"), ("iris", "Default")), "serve"),
    ("net/http", "Server"): "server_literal", ("fasthttp", "Server"): "server_literal",
    **dict.fromkeys((("mcp-go", "ServeStdio"), ("mcp-go", "NewStdioServer"), ("mcp-sdk", "StdioTransport"),
                     ("mcp-sdk", "NewStdioTransport"), ("os", "Stdin")), "stdio"),
    ("grpc", "NewServer"): "grpc", ("grpc-health", "RegisterHealthServer"): "grpc",
    ("time", "LoadLocation"): "zone",
    **dict.fromkeys((("os/exec", "Command"), ("os/exec", "LookPath"), ("syscall", "Exec")), "command"),
    ("os/exec", "CommandContext"): "command_with_context",
    **dict.fromkeys((("godotenv", "Load"), ("godotenv", "Overload"), ("godotenv", "Read"), ("gotenv", "Load"),
                     ("gotenv", "OverLoad"), ("gotenv", "Must")), "dotenv"),
    **dict.fromkeys((("net/http", name) for name in ("Get", "Post", "Head", "PostForm", "NewRequest",
                                                      "NewRequestWithContext", "DefaultClient", "DefaultTransport")),
                    "http_client"),
    ("net/http", "Client"): "client_literal", ("net/http", "Transport"): "client_literal",
    **dict.fromkeys((("grpc-credentials", "NewTLS"), ("grpc-credentials", "NewClientTLSFromCert"),
                     ("grpc-credentials", "NewClientTLSFromFile"), ("websocket", "Dial"),
                     ("websocket", "DefaultDialer")), "tls"),
}
HOME_VARIABLES = frozenset({"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
CLIENT_WORDS = frozenset("DB DATABASE REDIS POSTGRES PG MYSQL SMTP MAIL MONGO AMQP RABBIT RABBITMQ KAFKA NATS ELASTIC "
                         "PROXY UPSTREAM BACKEND REMOTE TARGET CLIENT OTEL OTLP JAEGER".split())
HEALTH_PATHS = frozenset({"/healthz", "/health", "/livez", "/readyz", "/ready", "/ping", "/status", "/-/healthy",
                          "/-/ready", "/live", "/alive", "/liveness", "/readiness", "/heartbeat"})
SELECTOR = lazy_regex(r"(?<![\w.])([A-Za-z_]\w*)\.([A-Z]\w*)\s*([({]?)")
ROUTE_CALL = lazy_regex(r"\.\s*(?:HandleFunc|Handle|HandlerFunc|Handler|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|Any|"
                        r"Get|Post|Put|Patch|Delete|Head|Options|Route|Group|Mount|Path|PathPrefix|All)\s*\(\s*"
                        r"""(?:"[^"\n]*"\s*,\s*)?(?=")""")
ROUTE_VALUE = lazy_regex(r"(?:[A-Z]+[ \t]+[^/\s]*)?(/\S*)")
FRAMEWORK_CALL = lazy_regex(r"\.\s*(Run|RunTLS|Start|StartTLS|StartAutoTLS|Listen|ListenTLS)\s*\(")
FLAG_CALL = lazy_regex(r"\.\s*(String|Int|Int64|Uint|Uint16|Uint64)(Var)?(P)?\s*\(")
FLAG_TARGET = lazy_regex(r"([A-Za-z_][\w.]*)[ \t]*:?=[ \t]*[\w.()]*$")
BINDING = lazy_regex(r"(?<![\w.])(?!(?:var|const|return|case|if|for|switch|go|defer|else|range|type|func)\b)"
                     r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(?:[ \t]+\*?[A-Za-z_][\w.]*)?[ \t]*:?=[ \t]*(?=[\"`]|\d)")
FIELD = lazy_regex(r"(?<![\w.])([A-Z]\w*)[ \t]*:[ \t]*(?=[\"`])")
ENV_DEFAULT = lazy_regex(r"""\(\s*"([A-Z0-9_]*(?:PORT|ADDR|ADDRESS|LISTEN)[A-Z0-9_]*)"\s*\)?\s*,"""
                         r"""\s*(?:"([^"\n]*)"|(\d+))""")
PORT_NAME = lazy_regex(r"(?:^|http|listen|server|serve|bind|web|api|metrics|health|grpc|default)(?:port|addr|address)$"
                       r"|^listen\w*$|^bind$")
PORT_VALUE = lazy_regex(r"(?:\[[^\]]*\]|[\w.\-]*):(\d{1,5})|(\d{1,5})")
NUMBER = lazy_regex(r"\d+\b")
NAME = lazy_regex(r"[*&]?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)")
BRACKETS = lazy_regex(r"[()\[\]{},]")
WRITE_FLAGS = ("O_CREATE", "O_WRONLY", "O_RDWR", "O_APPEND", "O_TRUNC")
PATH_ARGUMENT = {"Symlink": 1, "Link": 1}


def _kind(path: str) -> str:
    """The key a package's calls are looked up by: the standard library's own path, a short
    name for the external packages whose calls matter, "" for the rest."""
    if "." not in path.split("/")[0]:
        return path
    return next((kind for prefix, kind in KINDS if _under(path, prefix)), "")


def _under(path: str, prefix: str) -> bool:
    return path == prefix or (path.startswith(prefix) and path[len(prefix)] in "/.")


class _Reader:
    """Walks the files of the graph once and sorts what it finds by kind."""

    def __init__(self, root: str, module: str, packages: list[_Package]):
        self.root, self.module, self.packages = root, module, packages
        self.by_path = {package.path: package for package in packages}
        self.positions = {id(file): (index, file.name)
                          for index, package in enumerate(packages) for file in package.files}
        self.found: dict[str, list] = {}
        self.order = 0
        self.frameworks: set[str] = set()

    def program(self, main: _Package, missing: list[str], external: list[str]) -> GoProgram:
        for package in self.packages:
            for file in package.files:
                file.aliases = self._aliases(file)
            _bind_literals(package)
        for package in self.packages:
            for file in package.files:
                self._flags(package, file)
        for package in self.packages:
            for file in package.files:
                self._import_facts(file)
                self._scan(package, file)
        self._framework_calls()
        self._binding_ports()
        return self._result(main, missing, external)

    def _aliases(self, file: _File) -> dict[str, str]:
        aliases = {}
        for alias, path, _ in file.imports:
            if alias in ("_", "."):
                continue
            local = self.by_path.get(path)
            aliases[alias or (local.name if local else _default_name(path))] = path
        return aliases

    def add(self, kind: str, file: _File, offset: int, value) -> None:
        self.order += 1
        self.found.setdefault(kind, []).append(((self.positions[id(file)], offset, self.order), value))

    def fact(self, kind: str, file: _File, offset: int, what: str, path: str | None = None) -> None:
        self.add(kind, file, offset, Fact(what, file.where(offset), path))

    # imports

    def _import_facts(self, file: _File) -> None:
        for _, path, offset in file.imports:
            kind = _kind(path)
            if kind in FRAMEWORK_METHODS:
                self.frameworks.add(kind)
            if path == "time/tzdata":
                self.fact("zones", file, offset, "time/tzdata (embeds the zone database)")
                self.fact("embeds_zones", file, offset, path)
            if any(_under(path, prefix) for prefix in WRITE_MODULES):
                self.fact("writes", file, offset, f"embedded database or log file {path}")
            if any(_under(path, prefix) for prefix in HOME_MODULES):
                self.fact("home", file, offset, f"home directory library {path}")
            if path.endswith("/autoload") and _kind(path) in ("godotenv", "gotenv"):
                self.fact("dotenv", file, offset, f"{path} (loads .env as the program starts)", ".env")
            if any(_under(path, prefix) for prefix in TLS_MODULES):
                self.fact("tls_clients", file, offset, f"TLS client {path}")

    # calls

    def _scan(self, package: _Package, file: _File) -> None:
        for match in SELECTOR.finditer(file.code):
            path = file.aliases.get(match.group(1))
            handler = path is not None and CALLS.get((_kind(path), match.group(2)))
            if handler:
                getattr(self, "_" + handler)(package, file, match)
        for offset, value in file.strings.items():
            if value.startswith(("~/", "$HOME/", "${HOME}/")) or value in ("$HOME", "${HOME}"):
                self.fact("home", file, offset, f'"{value}"')
            elif value == ".env" or value.endswith("/.env"):
                self.fact("dotenv", file, offset, f'"{value}"', value)
        for match in ROUTE_CALL.finditer(file.code):
            route = ROUTE_VALUE.fullmatch(file.literal(match.end()) or "")
            if route:
                self.add("routes", file, match.end(), route.group(1).replace("{$}", "") or "/")
        for match in ENV_DEFAULT.finditer(file.text):
            if not CLIENT_WORDS.intersection(match.group(1).split("_")):
                self._port(file, match.start(), match.group(2) or match.group(3))

    def _arguments(self, file: _File, offset: int) -> list[tuple[int, int]]:
        """The spans of the top-level arguments of the call (or composite) whose bracket is
        at `offset`; found in code, where strings cannot hold a comma or a bracket."""
        spans, start, depth = [], offset + 1, 0
        for match in BRACKETS.finditer(file.code, offset + 1, offset + 5000):
            char = match.group()
            if char in "([{":
                depth += 1
            elif char in ")]}" and depth:
                depth -= 1
            elif char in ")]}" or (char == "," and not depth):
                if file.text[start:match.start()].strip():
                    spans.append((start, match.start()))
                start = match.start() + 1
                if char != ",":
                    return spans
        return spans

    def _argument(self, package: _Package, file: _File, match, index: int) -> str | None:
        spans = self._arguments(file, match.end() - 1) if match.group(3) else []
        return self.value(package, file, *spans[index]) if index < len(spans) else None

    def value(self, package: _Package, file: _File, start: int, end: int) -> str | None:
        """What an expression is, when the source says: a literal, a constant, a variable or
        a flag's default, the first part of a `+` or of filepath.Join (then ending in "…")."""
        source = file.text[start:end]
        start += len(source) - len(source.lstrip())
        source = source.strip()
        end = start + len(source)
        if not source:
            return None
        literal = file.literal(start) if source[0] in "\"`" else None
        if literal is not None and len(literal) + 2 == len(source):
            return literal
        if NUMBER.fullmatch(source):
            return source
        plus = _top_level_plus(file.code[start:end])
        if plus > 0:
            first = self.value(package, file, start, start + plus)
            return first.removesuffix("…") + "…" if first else None
        join = SELECTOR.match(file.code, start)
        if join and join.group(2) == "Join" and file.aliases.get(join.group(1)) in ("path", "path/filepath"):
            spans = self._arguments(file, join.end() - 1)
            first = self.value(package, file, *spans[0]) if spans else None
            return first + ("/…" if len(spans) > 1 else "") if first is not None else None
        name = NAME.fullmatch(source)
        return self._lookup(package, file, name.group(1)) if name else None

    def _lookup(self, package: _Package, file: _File, name: str) -> str | None:
        if name in package.bindings:
            return package.bindings[name]
        head, _, rest = name.partition(".")
        other = self.by_path.get(file.aliases.get(head, ""))
        if rest and other is not None and rest in other.bindings:
            return other.bindings[rest]
        field = "." + name.rsplit(".", 1)[-1]
        if rest:
            return next((found.bindings[field] for found in [package, *self.packages] if field in found.bindings), None)
        return None

    def _flags(self, package: _Package, file: _File) -> None:
        """Flag defaults, as bindings of the variable they go to: `flag.String("db", "data.db", …)`
        and `fs.StringVar(&cfg.DB, "db", "data.db", …)`, pflag's P forms too."""
        for match in FLAG_CALL.finditer(file.code):
            spans = self._arguments(file, match.end() - 1)
            if match.group(2):
                target, spans = file.text[slice(*spans[0])].strip().lstrip("&") if spans else "", spans[1:]
            else:
                line_start = file.code.rfind("\n", 0, match.start()) + 1
                before = FLAG_TARGET.search(file.code, line_start, match.start())
                target = before.group(1) if before else ""
            default_index = 2 if match.group(3) else 1
            if len(spans) <= default_index:
                continue
            name = file.literal(spans[0][0] + _indent(file, spans[0]))
            if name is None:
                continue
            default = self.value(package, file, *spans[default_index])
            if default is None:
                continue
            if target:
                package.bindings.setdefault(target, default)
            package.flags.append((name, default, file, match.start()))

    # handlers, by the name CALLS gives them

    def _home(self, package, file, match):
        self.fact("home", file, match.start(), f"{_short(file, match)}")

    def _environment(self, package, file, match):
        name = self._argument(package, file, match, 0)
        if name in HOME_VARIABLES:
            self.fact("home", file, match.start(), f'{_short(file, match)}("{name}")')

    def _write(self, package, file, match, index=None):
        path = self._argument(package, file, match, PATH_ARGUMENT.get(match.group(2), 0) if index is None else index)
        self._written(file, match.start(), _short(file, match), path)

    def _written(self, file, offset, what, path):
        fact = Fact(f"{what} {path}" if path else what, file.where(offset), path)
        self.add("writes", file, offset, fact)
        if _relative(path):
            self.add("relative_writes", file, offset, fact)

    def _open(self, package, file, match):
        spans = self._arguments(file, match.end() - 1) if match.group(3) else []
        flags = file.code[slice(*spans[1])] if len(spans) > 1 else ""
        if "O_RDONLY" in flags and not any(flag in flags for flag in WRITE_FLAGS):
            return
        self._write(package, file, match)

    def _temporary(self, package, file, match):
        """os.CreateTemp("", …) and os.MkdirTemp(os.TempDir(), …) write in /tmp (TMPDIR unset); a
        directory given otherwise, or that the source does not show, is a write like any other."""
        spans = self._arguments(file, match.end() - 1) if match.group(3) else []
        written = file.code[slice(*spans[0])].strip() if spans else ""
        if written in ('""', "``") or written.endswith("TempDir()"):
            self._written(file, match.start(), f"{_short(file, match)} in the temporary directory", "/tmp")
        else:
            self._write(package, file, match)

    def _sql(self, package, file, match):
        driver = self._argument(package, file, match, 0)
        if driver and "sqlite" in driver.lower():
            self._sqlite_file(file, match.start(), self._argument(package, file, match, 1))

    def _sqlite(self, package, file, match):
        self._sqlite_file(file, match.start(), self._argument(package, file, match, 0))

    def _sqlite_file(self, file, offset, dsn):
        path, _, query = (dsn or "").removeprefix("file:").partition("?")
        if dsn is not None and (path in ("", ":memory:") or "mode=memory" in query):
            return
        self._written(file, offset, "sqlite file", path if path.strip("…") else None)

    def _database(self, package, file, match):
        path = self._argument(package, file, match, 0)
        if path != "":
            self._written(file, match.start(), f"{_kind(file.aliases[match.group(1)])} database", path)

    def _log_file(self, package, file, match):
        if match.group(3) == "{":
            self._written(file, match.start(), "log file", self._field(package, file, match, "Filename"))

    def _field(self, package, file, match, name):
        for start, end in self._arguments(file, match.end() - 1):
            key, colon, _ = file.code[start:end].partition(":")
            if colon and key.strip() == name:
                return self.value(package, file, start + len(key) + 1, end)
        return None

    def _listen(self, package, file, match):
        network, address = self._argument(package, file, match, 0), self._argument(package, file, match, 1)
        if network and network.startswith("unix"):
            self._written(file, match.start(), "unix socket", address)
        else:
            self._port(file, match.start(), address)

    def _serve_address(self, package, file, match):
        self._serve(package, file, match)
        self._port(file, match.start(), self._argument(package, file, match, 0))

    def _serve(self, package, file, match):
        self.fact("http_servers", file, match.start(), _short(file, match))

    def _server_literal(self, package, file, match):
        if match.group(3) == "{":
            self.fact("http_servers", file, match.start(), _short(file, match) + "{}")
            self._port(file, match.start(), self._field(package, file, match, "Addr"))

    def _stdio(self, package, file, match):
        self.fact("stdio", file, match.start(), _short(file, match))

    def _grpc(self, package, file, match):
        self.fact("grpc_servers", file, match.start(), _short(file, match))

    def _zone(self, package, file, match):
        zone = self._argument(package, file, match, 0)
        if zone not in ("UTC", "Local", ""):
            self.fact("zones", file, match.start(), f'{_short(file, match)}("{zone}")' if zone else _short(file, match))

    def _command(self, package, file, match, index=0):
        name = self._argument(package, file, match, index)
        what = f"{_short(file, match)}(\"{name}\")" if name else f"{_short(file, match)} of a command the code builds"
        self.fact("commands", file, match.start(), what, name)

    def _command_with_context(self, package, file, match):
        self._command(package, file, match, 1)

    def _dotenv(self, package, file, match):
        """godotenv.Load() reads .env; given names, those files."""
        spans = self._arguments(file, match.end() - 1) if match.group(3) == "(" else []
        names = [self.value(package, file, *span) for span in spans] or [".env"]
        self.fact("dotenv", file, match.start(), f"{_short(file, match)} {', '.join(name or '…' for name in names)}",
                  names[0])

    def _http_client(self, package, file, match):
        spans = self._arguments(file, match.end() - 1) if match.group(3) == "(" else []
        urls = [self.value(package, file, *span) or "" for span in spans[:2]]
        if not any(url.startswith("http://") for url in urls):
            self.fact("tls_clients", file, match.start(), _short(file, match))

    def _client_literal(self, package, file, match):
        if match.group(3) == "{":
            self.fact("tls_clients", file, match.start(), _short(file, match) + "{}")

    def _tls(self, package, file, match):
        line = file.text[file.text.rfind("\n", 0, match.start()) + 1:file.text.find("\n", match.start())]
        if "ws://" not in line or "wss://" in line:
            self.fact("tls_clients", file, match.start(), _short(file, match))

    # the rest

    def _framework_calls(self) -> None:
        """`r.Run(":8080")`, `e.Start(addr)`, `app.Listen(":3000")`: methods of values, so
        looked for only when the graph imports the framework, and only with an argument
        (`cmd.Run()` is not a server)."""
        methods = {method: kind for kind in self.frameworks for method in FRAMEWORK_METHODS[kind]}
        if not methods:
            return
        for package in self.packages:
            for file in package.files:
                for match in FRAMEWORK_CALL.finditer(file.code):
                    spans = self._arguments(file, match.end() - 1)
                    if match.group(1) in methods and spans:
                        self.fact("http_servers", file, match.start(), f"{methods[match.group(1)]} {match.group(1)}")
                        self._port(file, match.start(), self.value(package, file, *spans[0]))

    def _binding_ports(self) -> None:
        """Ports said by name: a flag or a variable called addr, port, listen, http-addr…"""
        for package in self.packages:
            for name, default, file, offset in package.flags:
                if PORT_NAME.search(_squeeze(name)):
                    self._port(file, offset, default)

    def _port(self, file: _File, offset: int, value: str | None) -> None:
        match = PORT_VALUE.fullmatch(value.strip()) if value else None
        port = int(match.group(1) or match.group(2)) if match else 0
        if 0 < port < 65536:
            self.add("listen_ports", file, offset, port)

    def _result(self, main: _Package, missing: list[str], external: list[str]) -> GoProgram:
        facts = {kind: _ordered(values) for kind, values in self.found.items()}
        routes = facts.get("routes", ())
        return GoProgram(
            package=main.directory, module=self.module, packages=tuple(package.directory for package in self.packages),
            missing=tuple(missing), external=tuple(external), home=facts.get("home", ()),
            writes=facts.get("writes", ()), relative_writes=facts.get("relative_writes", ()),
            http_servers=facts.get("http_servers", ()), grpc_servers=facts.get("grpc_servers", ()),
            stdio=facts.get("stdio", ()), routes=routes, health_routes=tuple(filter(is_health_route, routes)),
            listen_ports=facts.get("listen_ports", ()), zones=facts.get("zones", ()),
            embeds_zones="embeds_zones" in facts, tls_clients=facts.get("tls_clients", ()),
            commands=facts.get("commands", ()), dotenv=facts.get("dotenv", ()),
            complete=not missing and not external, files=sum(len(package.files) for package in self.packages))


def is_health_route(route: str) -> bool:
    """/healthz, /livez, /-/healthy… or any path whose last element is a health word."""
    path = route.rstrip("/").lower() or "/"
    last = path.rsplit("/", 1)[-1]
    return path in HEALTH_PATHS or last in ("health", "healthz", "healthcheck", "health-check", "livez", "readyz")


def _bind_literals(package: _Package) -> None:
    """Names bound to a literal in the package: `const dbFile = "data.db"`, `port := 8080`,
    and struct fields given one (`DBPath: "data.db"`, kept as ".DBPath"). The first wins."""
    for file in package.files:
        for match in BINDING.finditer(file.code):
            value = file.literal(match.end())
            if value is None:
                number = NUMBER.match(file.code, match.end())
                value = number.group() if number else None
            if value is not None:
                package.bindings.setdefault(match.group(1), value)
                if PORT_NAME.search(_squeeze(match.group(1).rsplit(".", 1)[-1])):
                    package.flags.append((match.group(1), value, file, match.start()))
        for match in FIELD.finditer(file.code):
            if (value := file.literal(match.end())) is not None:
                package.bindings.setdefault("." + match.group(1), value)


def _top_level_plus(code: str) -> int:
    depth = 0
    for index, char in enumerate(code):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "+" and not depth:
            return index
    return -1


def _indent(file: _File, span: tuple[int, int]) -> int:
    text = file.text[span[0]:span[1]]
    return len(text) - len(text.lstrip())


def _short(file: _File, match) -> str:
    """`os.WriteFile`, `http.ListenAndServe`: the package's usual name, not the file's alias."""
    return f"{_default_name(file.aliases[match.group(1)])}.{match.group(2)}"


def _squeeze(name: str) -> str:
    return name.lower().replace("-", "").replace("_", "").replace(".", "")


def _relative(path: str | None) -> bool:
    """A path the program resolves against its working directory."""
    if not path:
        return False
    return not path.startswith(("/", "~", "$", "\\", "…", ":memory:")) and path[1:2] != ":"


def _ordered(values: list) -> tuple:
    seen, ordered = set(), []
    for _, value in sorted(values, key=lambda item: item[0]):
        if value not in seen:
            seen.add(value)
            ordered.append(value)
    return tuple(ordered)
