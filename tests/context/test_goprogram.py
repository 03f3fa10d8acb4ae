"""The model of the Go program a Dockerfile builds: only what its import graph does counts,
and code it cannot see makes the answer unknown. Fixtures: fixtures/programs/<name>/."""
from __future__ import annotations

import pytest
from helpers import FIXTURES

from fixer.context import goprogram
from fixer.context.goprogram import Fact, forget_programs, load_program, main_packages

PROGRAMS = FIXTURES / "programs"


@pytest.fixture(autouse=True)
def fresh():
    forget_programs()
    yield
    forget_programs()


def program(name: str, package: str = "."):
    loaded = load_program(str(PROGRAMS / name), package)
    assert loaded is not None
    return loaded


def write(root, files: dict[str, str]):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return str(root)


def single(root, body: str, imports: str = '"os"', module: str = "example.com/t"):
    """A module whose main.go imports `imports` and has `body` after them."""
    main = f"package main\n\nimport (\n{imports}\n)\n\n{body}\n"
    return load_program(write(root, {"go.mod": f"module {module}\n", "main.go": main}), ".")


def whats(facts) -> list[str]:
    return [fact.what for fact in facts]


# --- stdio and comments --------------------------------------------------------------------

def test_a_stdio_mcp_server_writes_nothing_and_serves_no_http():
    notes = program("stdio-notes")
    assert (notes.writes, notes.home, notes.http_servers, notes.listen_ports) == ((), (), (), ())
    assert [str(fact) for fact in notes.stdio] == ["os.Stdin (main.go:25)"]
    assert notes.complete and notes.known and notes.files == 1


def test_calls_named_in_comments_and_strings_do_not_count_but_the_call_does(tmp_path):
    found = single(tmp_path, '// os.WriteFile("a", nil, 0)\n/* os.Create("b") */\nconst s = "os.WriteFile(\\"c\\")"\n\n'
                             'func main() { os.WriteFile("real.txt", nil, 0o600) }')
    assert [str(fact) for fact in found.writes] == ["os.WriteFile real.txt (main.go:11)"]


# --- writes ------------------------------------------------------------------------------

def test_a_sqlite_file_in_the_working_directory_is_a_relative_write():
    tally = program("sqlite-relative")
    assert Fact("sqlite file data.db", "main.go:17", "data.db") in tally.relative_writes
    assert "embedded database or log file modernc.org/sqlite" in whats(tally.writes)


def test_a_flag_default_path_is_relative_an_absolute_one_is_a_write_only():
    tally = program("sqlite-relative")
    assert whats(tally.relative_writes) == ["sqlite file data.db", "os.WriteFile exports/tally.json"]
    assert "os.MkdirAll /var/lib/tally" in whats(tally.writes)
    assert not any("memory" in what or "tally.conf" in what for what in whats(tally.writes))  # :memory:, O_RDONLY


def test_an_external_driver_makes_the_program_incomplete():
    tally = program("sqlite-relative")
    assert tally.external == ("modernc.org/sqlite",)
    assert not tally.complete and not tally.known


@pytest.mark.parametrize("imports, body, what, relative", [
    ('bolt "go.etcd.io/bbolt"', 'func main() { bolt.Open("app.db", 0o600, nil) }', "bolt database app.db", True),
    ('"gopkg.in/natefinch/lumberjack.v2"', 'var l = &lumberjack.Logger{MaxSize: 5, Filename: "logs/app.log"}',
     "log file logs/app.log", True),
    ('"net"', 'func main() { net.Listen("unix", "/run/app.sock") }', "unix socket /run/app.sock", False),
    ('"os"', 'func main() { os.OpenFile("events.log", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644) }',
     "os.OpenFile events.log", True),
    ('"os"', 'func main() { os.CreateTemp("", "upload-*") }', "os.CreateTemp in the temporary directory /tmp", False),
    ('"os"\n"path/filepath"', 'const dir = "cache"\nfunc main() { os.MkdirAll(filepath.Join(dir, "x"), 0o755) }',
     "os.MkdirAll cache/…", True),
    ('"database/sql"', 'type C struct{ DB string }\nvar c = C{DB: "state.db"}\n'
     'func main() { sql.Open("sqlite3", c.DB) }', "sqlite file state.db", True),
    ('"database/sql"', 'func main(dir string) { sql.Open("sqlite3", "file:"+dir+"/x.db") }', "sqlite file", False),
])
def test_writes_with_their_paths(tmp_path, imports, body, what, relative):
    found = single(tmp_path, body, imports)
    assert what in whats(found.writes)
    assert (what in whats(found.relative_writes)) is relative


def test_a_read_only_open_is_not_a_write(tmp_path):
    assert single(tmp_path, 'func main() { os.OpenFile("in.txt", os.O_RDONLY, 0) }').writes == ()


# --- programs it runs, .env files it reads -------------------------------------------------

@pytest.mark.parametrize("imports, body, commands", [
    ('"os/exec"', 'func main() { exec.Command("git", "describe").Run() }', ['exec.Command("git")']),
    ('"context"\n"os/exec"', 'const tool = "gopls"\nfunc main() { exec.CommandContext(context.TODO(), tool).Run() }',
     ['exec.CommandContext("gopls")']),
    ('"os/exec"', 'func main(name string) { exec.LookPath(name) }', ["exec.LookPath of a command the code builds"]),
    ('"os"', 'func main() { os.Getenv("EXEC") } // exec.Command("sh")', []),
])
def test_the_programs_it_runs(tmp_path, imports, body, commands):
    assert whats(single(tmp_path, body, imports).commands) == commands


@pytest.mark.parametrize("imports, body, dotenv", [
    ('"github.com/joho/godotenv"', "func main() { godotenv.Load() }", ["godotenv.Load .env"]),
    ('"github.com/joho/godotenv"', 'func main() { godotenv.Load("config/app.env") }', ["godotenv.Load config/app.env"]),
    ('_ "github.com/joho/godotenv/autoload"', "func main() {}",
     ["github.com/joho/godotenv/autoload (loads .env as the program starts)"]),
    ('"os"', 'func main() { os.ReadFile(".env") }', ['".env"']),
    ('"os"', 'func main() { os.ReadFile("app.env.example") }', []),
])
def test_the_env_files_it_reads(tmp_path, imports, body, dotenv):
    assert whats(single(tmp_path, body, imports).dotenv) == dotenv


# --- the graph ---------------------------------------------------------------------------

def test_the_home_directory_is_found_through_a_local_package():
    bookmarks = program("home-store")
    assert bookmarks.packages == (".", "internal/store")
    assert "os.UserHomeDir (internal/store/store.go:12)" in [str(fact) for fact in bookmarks.home]
    assert [str(fact) for fact in bookmarks.writes] == ["os.MkdirAll (internal/store/store.go:16)",
                                                         "os.WriteFile (internal/store/store.go:20)"]
    assert bookmarks.relative_writes == ()


def test_a_package_outside_the_graph_and_files_go_does_not_build_do_not_count():
    bookmarks = program("home-store")
    seen = " ".join(str(fact) for fact in bookmarks.writes + bookmarks.home)
    for absent in ("UserCacheDir", "cache.bin", "fixture.txt", "AppData", "zz_generated", "unused", "_test", "gen.go"):
        assert absent not in seen
    assert bookmarks.files == 3  # main.go, store.go and data_other.go (`!windows`)
    assert 'os.Getenv("XDG_DATA_HOME") (internal/store/data_other.go:7)' in [str(fact) for fact in bookmarks.home]


def test_an_ignored_file_named_on_the_command_line_is_built_as_go_run_does():
    generator = program("home-store", "./internal/store/gen.go")
    assert generator.package == "internal/store"
    assert [str(fact) for fact in generator.relative_writes] == ["os.Create zz_generated.go (internal/store/gen.go:9)"]
    assert load_program(str(PROGRAMS / "home-store"), "./internal/store") is None  # package store


def test_facts_two_imports_deep_count_and_each_package_is_read_once(tmp_path):
    root = write(tmp_path, {"go.mod": "module example.com/t\n",
                            "main.go": 'package main\nimport (\n"example.com/t/a"\n"example.com/t/c"\n)\n'
                                       "func main() { a.Do(); c.Do() }\n",
                            "a/a.go": 'package a\nimport "example.com/t/b"\nfunc Do() { b.Do() }\n',
                            "c/c.go": 'package c\nimport "example.com/t/b"\nfunc Do() { b.Do() }\n',
                            "b/b.go": 'package b\nimport "os"\nfunc Do() { os.Remove("lock") }\n'})
    found = load_program(root, ".")
    assert found.packages == (".", "a", "c", "b") and found.files == 4
    assert [str(fact) for fact in found.relative_writes] == ["os.Remove lock (b/b.go:3)"]
    assert load_program(root, "./a/a.go") is None  # a library named by its file


def test_a_missing_local_package_makes_the_program_incomplete(tmp_path):
    found = single(tmp_path, "func main() { gone.Do() }", '"example.com/t/internal/gone"')
    assert found.missing == ("example.com/t/internal/gone",)
    assert not found.complete and found.packages == (".",)


def test_a_nested_module_is_another_module(tmp_path):
    root = write(tmp_path, {"go.mod": "module example.com/t\n", "tools/go.mod": "module example.com/t/tools\n",
                            "tools/x/x.go": 'package x\nimport "os"\nfunc Do() { os.WriteFile("y", nil, 0) }\n',
                            "tools/main.go": "package main\nfunc main() {}\n",
                            "main.go": 'package main\nimport "example.com/t/tools/x"\nfunc main() { x.Do() }\n'})
    found = load_program(root, ".")
    assert found.external == ("example.com/t/tools/x",) and found.writes == ()
    assert load_program(root, "./tools") is None
    assert main_packages(root) == (".",)


def test_only_the_graph_is_read(tmp_path, monkeypatch):
    files = {"go.mod": "module example.com/big\n",
             "main.go": 'package main\nimport "example.com/big/internal/used"\nfunc main() { used.Do() }\n',
             "internal/used/used.go": "package used\nfunc Do() {}\n"}
    for number in range(300):
        files[f"pkg/p{number}/p.go"] = f'package p{number}\nimport "os"\nfunc F() {{ os.WriteFile("x", nil, 0) }}\n'
    root = write(tmp_path, files)
    read = []
    original = goprogram._read_text
    monkeypatch.setattr(goprogram, "_read_text", lambda path: read.append(path) or original(path))
    assert load_program(root, ".").writes == ()
    assert sorted(p.removeprefix(root + "/") for p in read) == ["go.mod", "internal/used/used.go", "main.go"]


def test_programs_are_cached_until_forgotten(tmp_path):
    root = write(tmp_path, {"go.mod": "module m\n", "main.go": "package main\nfunc main() {}\n"})
    first = load_program(root, ".")
    assert load_program(root, ".") is first
    write(tmp_path, {"main.go": 'package main\nimport "os"\nfunc main() { os.Remove("x") }\n'})
    assert load_program(root, ".").writes == ()
    forget_programs()
    assert whats(load_program(root, ".").writes) == ["os.Remove x"]


# --- the argument go build was given -------------------------------------------------------

@pytest.mark.parametrize("argument, package", [
    (".", "."), ("./", "."), ("main.go", "."), ("./main.go", "."), ("example.com/bookmarks", "."),
    ("./cmd/export", "cmd/export"), ("cmd/export", "cmd/export"), ("cmd/export/", "cmd/export"),
    ("example.com/bookmarks/cmd/export", "cmd/export"), ("./cmd/export/main.go", "cmd/export"),
    ("cmd/export/main.go", "cmd/export"),
])
def test_the_forms_of_the_package_argument(argument, package):
    found = program("home-store", argument)
    assert found.package == package and found.packages == (package, "internal/store")


@pytest.mark.parametrize("argument", ["./internal/store", "example.com/bookmarks/internal/store", "./...",
                                      "./cmd/missing", "../elsewhere", "/src", "github.com/other/x",
                                      "main.go cmd/export/main.go"])
def test_what_is_not_a_main_package_of_the_module(argument):
    assert load_program(str(PROGRAMS / "home-store"), argument) is None


def test_no_go_mod_no_program(tmp_path):
    write(tmp_path, {"main.go": "package main\nfunc main() {}\n"})
    assert load_program(str(tmp_path), ".") is None


def test_main_packages_skip_ignored_files_tests_and_libraries():
    assert main_packages(str(PROGRAMS / "home-store")) == (".", "cmd/export")
    assert main_packages(str(PROGRAMS / "mcp-go")) == ("cmd/sse", "cmd/stdio")


# --- HTTP ----------------------------------------------------------------------------------

def test_routes_in_a_local_package_and_the_port_from_a_flag_default():
    pinger = program("http-health")
    assert whats(pinger.http_servers) == ["http.ListenAndServe"]
    assert pinger.health_routes == ("/healthz", "/livez")
    assert pinger.listen_ports == (9090,)


def test_go_1_22_patterns_lose_their_method_and_host():
    assert program("http-health").routes == ("/healthz", "/livez", "/api/items", "/api/items/{id}", "/")


def test_an_external_router_still_gives_routes_but_not_completeness():
    catalog = program("external-chi")
    assert catalog.external == ("github.com/go-chi/chi/v5",) and not catalog.known
    assert (catalog.routes, catalog.health_routes) == (("/health", "/products"), ("/health",))
    assert catalog.listen_ports == (8080,)


def test_an_mcp_go_stdio_server_is_not_an_http_server_and_sse_is():
    stdio, sse = program("mcp-go", "./cmd/stdio"), program("mcp-go", "./cmd/sse")
    assert (stdio.http_servers, whats(stdio.stdio)) == ((), ["server.ServeStdio"])
    assert "server.NewSSEServer" in whats(sse.http_servers) and sse.listen_ports == (8081,)
    assert sse.stdio == ()


@pytest.mark.parametrize("imports, body, port", [
    ('"flag"\n"fmt"\n"net/http"', 'var p = flag.Int("port", 8081, "")\n'
     'func main() { http.ListenAndServe(fmt.Sprintf(":%d", *p), nil) }', 8081),
    ('"net/http"\n"os"', 'func env(k, d string) string { if v := os.Getenv(k); v != "" { return v }; return d }\n'
     'func main() { http.ListenAndServe(env("PORT", "8082"), nil) }', 8082),
    ('"net/http"', 'func main() { s := &http.Server{ReadTimeout: 5, Addr: "0.0.0.0:8443"}\n'
     's.ListenAndServeTLS("", "") }', 8443),
    ('"net/http"', 'const listenAddr = ":7070"\nfunc main() { http.ListenAndServe(listenAddr, nil) }', 7070),
    ('"net/http"\n"os"', 'func main() { port := os.Getenv("PORT")\nif port == "" {\nport = "3000"\n}\n'
     'http.ListenAndServe(":"+port, nil) }', 3000),
])
def test_listen_ports(tmp_path, imports, body, port):
    found = single(tmp_path, body, imports)
    assert found.listen_ports == (port,) and found.http_servers


def test_a_client_port_is_not_a_listen_port(tmp_path):
    found = single(tmp_path, 'func env(k, d string) string { return d }\nvar db = env("DB_PORT", "5432")\n'
                             'var redisAddr = "localhost:6379"\nfunc main() { http.ListenAndServe(":8080", nil) }',
                   '"net/http"')
    assert found.listen_ports == (8080,)


def test_a_grpc_server_is_not_an_http_server(tmp_path):
    found = single(tmp_path, 'func main() { l, _ := net.Listen("tcp", ":50051")\ngrpc.NewServer().Serve(l) }',
                   '"net"\n"google.golang.org/grpc"')
    assert (whats(found.grpc_servers), found.http_servers, found.listen_ports) == (["grpc.NewServer"], (), (50051,))


@pytest.mark.parametrize("route, health", [("/healthz", True), ("/api/v1/health", True), ("/-/healthy", True),
                                           ("/ping", True), ("/orders/status", False), ("/", False)])
def test_health_routes(route, health):
    assert goprogram.is_health_route(route) is health


# --- zones, TLS, home ------------------------------------------------------------------------

def test_time_zones_with_and_without_the_embedded_database():
    local, embedded, utc = (program("clock", f"./cmd/{name}") for name in ("local", "embedded", "utc"))
    assert whats(local.zones) == ['time.LoadLocation("Europe/Lisbon")'] and not local.embeds_zones
    assert embedded.embeds_zones and 'time.LoadLocation("Asia/Tokyo")' in whats(embedded.zones)
    assert utc.zones == () and not utc.embeds_zones


def test_an_https_client_is_a_tls_client_and_plain_http_to_localhost_is_not():
    remote = program("fetcher", "./cmd/remote")
    assert [str(fact) for fact in remote.tls_clients] == ["http.Get (cmd/remote/main.go:13)"]
    assert program("fetcher", "./cmd/local").tls_clients == ()


def test_tls_libraries_are_tls_clients(tmp_path):
    found = single(tmp_path, "var _ = tls.Config{}\nfunc main() {}", '"crypto/tls"\n_ "github.com/jackc/pgx/v5"')
    assert whats(found.tls_clients) == ["TLS client crypto/tls", "TLS client github.com/jackc/pgx/v5"]


def test_home_paths_in_strings_and_home_libraries(tmp_path):
    found = single(tmp_path, 'var config = "~/.config/app.yaml"\nvar help = "(default $HOME/.app)"\nfunc main() {}',
                   '_ "github.com/adrg/xdg"')
    assert whats(found.home) == ["home directory library github.com/adrg/xdg", '"~/.config/app.yaml"']


# --- build constraints ---------------------------------------------------------------------

@pytest.mark.parametrize("expression, value", [
    ("ignore", False), ("linux", True), ("!linux", False), ("windows || darwin", False), ("!windows", True),
    ("linux && amd64", None), ("linux && (ignore || windows)", False), ("cgo || linux", True), ("integration", None),
])
def test_build_constraints_in_three_valued_logic(expression, value):
    assert goprogram._constraint(expression) is value


@pytest.mark.parametrize("header, built", [
    ("//go:build ignore\n\n", False), ("// +build ignore\n\n", False), ("// +build linux,amd64 windows\n\n", True),
    ("// +build !linux\n\n", False), ("//go:build integration\n\n", True), ("// a comment\n\n", True),
])
def test_files_left_out_by_their_constraint(tmp_path, header, built):
    root = write(tmp_path, {"go.mod": "module m\n", "main.go": "package main\nfunc main() {}\n",
                            "extra.go": header + 'package main\nimport "os"\nfunc init() { os.Remove("x") }\n'})
    assert bool(load_program(root, ".").writes) is built


def test_fact_reads_as_what_and_where():
    assert str(Fact("os.WriteFile", "cmd/server/main.go:42")) == "os.WriteFile (cmd/server/main.go:42)"


@pytest.mark.parametrize("body, path", [
    ('func main() { os.CreateTemp("", "upload-*") }', "/tmp"),
    ('func main() { os.MkdirTemp(os.TempDir(), "cache-*") }', "/tmp"),
    ('func main(dir string) { os.MkdirTemp(dir, "cache-*") }', None),   # a directory the source does not show
    ('func main() { os.MkdirTemp("/var/cache/app", "x-*") }', "/var/cache/app"),
])
def test_temporary_files_are_in_tmp_only_where_the_source_says_so(tmp_path, body, path):
    [write] = single(tmp_path, body).writes
    assert write.path == path
