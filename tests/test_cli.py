"""The command-line contract: modes, exit codes, messages, and bad input left untouched."""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
import warnings

import pytest
from helpers import invoke, run

NAIVE = "FROM golang:1.23 as build\nRUN apk add git\n"
FIXED = "FROM golang:1.23 AS build\nRUN apk add --no-cache git\n"
GOOD = "FROM golang:1.23 AS build\nRUN apk add --no-cache git\n"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "Dockerfile").write_text(NAIVE)
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "api.Dockerfile").write_text(GOOD)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "Dockerfile").write_text("not a dockerfile at all\n")
    (tmp_path / "README.md").write_text("hello\n")
    return tmp_path


def test_default_prints_a_diff_and_writes_nothing(project):
    result = run(str(project))
    assert result.exit_code == 0
    assert f"--- {project / 'Dockerfile'}" in result.stdout
    assert "+RUN apk add --no-cache git" in result.stdout
    assert "1 file would be changed (2 fixes), 1 left unchanged" in result.stderr
    assert (project / "Dockerfile").read_text() == NAIVE


def test_write_edits_in_place_keeping_the_mode(project):
    path = project / "Dockerfile"
    path.chmod(0o640)
    result = run("--write", str(project))
    assert result.exit_code == 0
    assert path.read_text() == FIXED
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert not [p for p in project.iterdir() if p.name.endswith(".dockerfix")]
    assert run("--check", str(project)).exit_code == 0


def test_check_exits_1_and_lists_findings(project):
    result = run("--check", str(project))
    assert result.exit_code == 1
    assert f"{project / 'Dockerfile'}:1:1: DF001 style:" in result.stdout
    assert f"{project / 'Dockerfile'}:2:1: DF002 warning:" in result.stdout
    assert "---" not in result.stdout
    assert "+RUN" in run("--check", "--diff", str(project)).stdout
    assert run("--check", str(project / "svc")).exit_code == 0


def test_select_and_ignore_by_id_or_name(project):
    path = str(project / "Dockerfile")
    assert "AS build" in run("--select", "from-as-casing", path).stdout
    assert "--no-cache" not in run("--select", "DF001", path).stdout
    assert "AS build" not in run("--ignore", "DF001,apk-no-cache", path).stdout
    result = run("--select", "DF999", path)
    assert result.exit_code == 2 and "unknown rule" in result.stderr


def test_stdin_prints_the_fixed_text():
    result = run("-", input=NAIVE)
    assert result.exit_code == 0 and result.stdout == FIXED
    result = run("--check", "--stdin-filename", "svc/Dockerfile", "-", input=NAIVE)
    assert result.exit_code == 1 and "svc/Dockerfile:2:1: DF002" in result.stdout


def test_symlink_is_written_through_not_replaced(project):
    link = project / "link.Dockerfile"
    link.symlink_to(project / "Dockerfile")
    assert run("--write", str(link)).exit_code == 0
    assert link.is_symlink()
    assert (project / "Dockerfile").read_text() == FIXED


def test_crlf_bom_and_missing_final_newline_survive_write(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_bytes("\ufeffFROM alpine:3.20\r\nRUN apk add git".encode("utf-8"))
    assert run("--write", str(path)).exit_code == 0
    assert path.read_bytes() == "\ufeffFROM alpine:3.20\r\nRUN apk add --no-cache git".encode("utf-8")


def test_list_rules_explain_and_version():
    assert "DF002  apk-no-cache" in run("--list-rules").stdout
    explained = run("--explain", "apk-no-cache").stdout
    assert "Fix safety" in explained and "DL3019" in explained
    assert run("--version").stdout.startswith("dockerfix 0.")


def test_help_is_as_wide_as_columns_says(monkeypatch):
    monkeypatch.setenv("COLUMNS", "50")
    narrow = run("--help")
    monkeypatch.setenv("COLUMNS", "200")
    wide = run("--help")
    assert narrow.exit_code == wide.exit_code == 0 and "--output-format" in narrow.stdout
    assert max(map(len, narrow.stdout.splitlines())) <= 50 < max(map(len, wide.stdout.splitlines()))


def test_usage_errors_exit_2(project):
    assert run().exit_code == 2
    assert run("--write", "--check", str(project)).exit_code == 2
    assert run("--explain", "nope").exit_code == 2
    bad_jobs = run("--check", "-j", "0", str(project))
    assert bad_jobs.exit_code == 2 and "usage: dockerfix" in bad_jobs.stderr and "-j/--jobs" in bad_jobs.stderr
    assert run("--chec", str(project)).exit_code == 2  # no abbreviations: a later option could make them ambiguous


def test_options_and_paths_mix_in_any_order(project):
    assert run(str(project / "svc"), "--check", "--select", "DF002").exit_code == 0
    assert run(str(project / "svc"), "--check", str(project / "Dockerfile")).exit_code == 1


def test_output_keeps_its_order_when_both_streams_go_to_one_log(tmp_path):
    # as in CI (`2>&1`): findings go to standard output, errors and the summary to standard
    # error; stdout is block-buffered in a pipe, and its lines must not all come out last
    (tmp_path / "a.Dockerfile").write_text(NAIVE)
    (tmp_path / "b.Dockerfile").write_bytes(b"")
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    completed = subprocess.run([sys.executable, "-m", "fixer", "--check", str(tmp_path)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=environment)
    lines = completed.stdout.splitlines()
    finding = next(i for i, line in enumerate(lines) if "a.Dockerfile:2:1: DF002" in line)
    error = next(i for i, line in enumerate(lines) if "b.Dockerfile" in line and "error" in line)
    summary = next(i for i, line in enumerate(lines) if line.startswith("dockerfix: "))
    assert finding < error < summary, completed.stdout


def test_ctrl_c_in_a_parallel_run_writes_nothing_and_exits_130(tmp_path):
    text = "FROM alpine:3.24\n" + "".join(f"RUN apk add pkg{i}\nWORKDIR /w{i}\n" for i in range(3000))
    for index in range(24):  # about a second of work each
        (tmp_path / f"s{index:02}.Dockerfile").write_text(text)
    # Ctrl-C goes to the terminal's whole process group: the command and its workers
    command = subprocess.Popen([sys.executable, "-m", "fixer", "--write", "-j", "2", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(1.5)  # started, and fixing
    os.killpg(command.pid, signal.SIGINT)
    stderr = command.stderr.read().decode()
    assert command.wait(timeout=60) == 130 and "Traceback" not in stderr, stderr
    assert all(path.read_text() == text for path in tmp_path.iterdir())  # fixes are written only at the end


def test_a_closed_pipe_ends_the_run_quietly(tmp_path):
    big = tmp_path / "Dockerfile"  # a diff of some 300 KB: more than a pipe holds
    big.write_text("FROM alpine:3.24\n" + "".join(f"RUN apk add pkg{i}\nWORKDIR /w{i}\n" for i in range(3000)))
    # buffered, as a shell runs it (under PYTHONUNBUFFERED CPython ends a partial write silently)
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    reader = subprocess.Popen([sys.executable, "-m", "fixer", "--select", "DF002", str(big)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    reader.stdout.read(10)
    reader.stdout.close()  # as `| head -c 10` does
    stderr = reader.stderr.read().decode()
    assert reader.wait() == 1 and "Traceback" not in stderr, stderr


def test_a_finished_run_says_all_it_has_before_it_exits(tmp_path):
    # it ends without tearing the interpreter down (os._exit): its buffered output must be out first
    big = tmp_path / "Dockerfile"
    big.write_text("FROM alpine:3.24\n" + "".join(f"RUN apk add pkg{i}\nWORKDIR /w{i}\n" for i in range(3000)))
    (tmp_path / "bad.Dockerfile").write_text("FROM alpine:3.24\nRUN <<EOF\n")
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    (tmp_path / "small").mkdir()
    (tmp_path / "small" / "Dockerfile").write_text(NAIVE)
    runs = [["--diff", str(tmp_path)], ["--check", "--output-format", "json", str(tmp_path / "small")]]
    seen = []
    for arguments in runs:  # a large diff with a summary after it; a small report, last and alone
        completed = subprocess.run([sys.executable, "-m", "fixer", *arguments], capture_output=True, text=True,
                                   env=environment)
        in_process = run(*arguments)
        assert completed.returncode == in_process.exit_code != 0
        assert completed.stdout == in_process.stdout and completed.stderr == in_process.stderr
        seen.append(completed)
    assert len(seen[0].stdout) > 200_000 and "unterminated heredoc" in seen[0].stderr
    assert '"fixes_by_rule"' in seen[1].stdout and not seen[1].stderr


def test_python_m_fixer_works(project):
    completed = subprocess.run([sys.executable, "-m", "fixer", "--check", str(project / "svc")],
                               capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr


# Bad input: a clear message naming the file (and line), exit 2, the file untouched.

BAD_INPUTS = {
    "empty": (b"", "file with no instructions"),
    "only-comments": (b"# just a comment\n\n# another\n", "file with no instructions"),
    "binary": (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary file"),
    "not-utf8": (b"FROM alpine\nRUN echo \xe9t\xe9\n", "not valid UTF-8"),
    "utf16-bom": ("FROM alpine\n".encode("utf-16"), "UTF-16"),
    "unterminated-heredoc": (b"FROM alpine\nRUN apk add git\nRUN <<EOF\necho\n", "unterminated heredoc"),
    "unknown-instruction": (b"FROM alpine\nRUNN apk add git\n", "unknown instruction: RUNN"),
    "duplicate-directive": (b"# escape=`\n# escape=\\\nFROM alpine\n", "only one escape parser directive"),
    "huge-file": (None, "dockerfix reads Dockerfiles up to"),  # 5 MB, made by _bad_content
    "long-line": (b"FROM alpine\nRUN echo " + b"x" * 70000 + b"\n", "longer than BuildKit's limit"),
}
EXPECTED_LINE = {"not-utf8": 2, "unterminated-heredoc": 3, "unknown-instruction": 2, "duplicate-directive": 2,
                 "long-line": 2, "binary": 1}


def _bad_content(name: str) -> tuple[bytes, str]:
    if name == "huge-file":
        line = b"RUN apk add git && echo " + b"y" * 60 + b"\n"
        return b"FROM alpine\n" + line * (5 * 1024 * 1024 // len(line) + 1), BAD_INPUTS[name][1]
    return BAD_INPUTS[name]


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
@pytest.mark.parametrize("mode", ["--write", "--check"])
def test_bad_input_is_reported_and_left_untouched(tmp_path, name, mode):
    content, message = _bad_content(name)
    path = tmp_path / "Dockerfile"
    path.write_bytes(content)
    good = tmp_path / "other.Dockerfile"
    good.write_text(NAIVE)
    result = run(mode, str(path), str(good))
    assert result.exit_code == 2
    assert message in result.stderr
    line = EXPECTED_LINE.get(name)
    assert (f"{path}:{line}: error:" if line else f"{path}") in result.stderr
    assert path.read_bytes() == content
    if mode == "--write":  # one bad file does not stop the others
        assert good.read_text() == FIXED


def test_bad_stdin_exits_2():
    result = run("-", input=b"\xff\xfeF\x00")
    assert result.exit_code == 2 and "UTF-16" in result.stderr


def test_ten_thousand_line_continuation_is_handled(tmp_path):
    path = tmp_path / "Dockerfile"
    body = "".join(f"    pkg{i} \\\n" for i in range(10_000))
    path.write_text("FROM alpine:3.20\nRUN apk add \\\n" + body + "    last\n")
    result = run("--write", str(path))
    assert result.exit_code == 0
    assert path.read_text().startswith("FROM alpine:3.20\nRUN apk add --no-cache \\\n    pkg0 \\\n")


def test_a_directory_walk_skips_other_peoples_code_and_go_test_fixtures(tmp_path):
    from fixer.files import discover

    files = ["Dockerfile", "node_modules/pkg/Dockerfile", "vendor/modules.txt", "vendor/github.com/a/b/Dockerfile",
             "testdata/Dockerfile", "services/vendor/Dockerfile", "services/api/Dockerfile",
             "tools/testdata/x/Dockerfile"]
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(NAIVE)
    found, errors = discover([str(tmp_path)])
    # a directory named vendor without modules.txt is somebody's own (here: a service)
    assert [os.path.relpath(path, tmp_path) for path in found] == [
        "Dockerfile", "services/api/Dockerfile", "services/vendor/Dockerfile"] and not errors
    named, _ = discover([str(tmp_path / "testdata"), str(tmp_path / "vendor/github.com/a/b/Dockerfile")])
    assert len(named) == 2  # what is named outright is fixed
    forced, _ = discover([str(tmp_path / "vendor/github.com/a/b/Dockerfile"), str(tmp_path / "node_modules/pkg"),
                          str(tmp_path / "services/vendor/Dockerfile")], force_exclude=True)
    assert forced == [str(tmp_path / "services/vendor/Dockerfile")]  # unless --force-exclude (pre-commit's hooks)


def test_a_file_named_several_ways_is_fixed_once(tmp_path):
    from fixer.files import discover

    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "Dockerfile").write_text(NAIVE)
    (tmp_path / "link").symlink_to(tmp_path / "api")
    os.link(tmp_path / "api" / "Dockerfile", tmp_path / "Dockerfile.copy")  # a hard link: one file, two names
    names = [str(tmp_path / "api" / "Dockerfile"), str(tmp_path / "link" / "Dockerfile"),
             str(tmp_path / "api" / ".." / "api" / "Dockerfile"), str(tmp_path / "api"),
             str(tmp_path / "Dockerfile.copy")]
    found, errors = discover(names)
    assert found == [str(tmp_path / "api" / "Dockerfile")] and not errors


def test_directory_without_dockerfiles(tmp_path):
    (tmp_path / "main.go").write_text("package main\n")
    result = run(str(tmp_path))
    assert result.exit_code == 2 and "no Dockerfiles or Compose files found" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file regardless of its mode")
def test_unreadable_file(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_text(NAIVE)
    path.chmod(0)
    result = run("--check", str(path))
    assert result.exit_code == 2 and "permission denied" in result.stderr


def test_unreadable_file_as_any_user(tmp_path, monkeypatch):
    """Root can read a mode-000 file, so the read failure is also forced for coverage as root."""
    path = tmp_path / "Dockerfile"
    path.write_text(NAIVE)

    def refuse(path, flags, mode=0o777):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("fixer.files.os.open", refuse)
    result = run("--check", str(path))
    assert result.exit_code == 2 and f"{path}: error: permission denied" in result.stderr


def test_a_fifo_named_as_a_dockerfile_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "Dockerfile"
    os.mkfifo(fifo)
    completed = subprocess.run([sys.executable, "-m", "fixer", "--check", str(fifo)], capture_output=True, text=True,
                               timeout=60)
    assert completed.returncode == 2 and f"{fifo}: error: not a regular file" in completed.stderr


def test_read_only_file_with_write(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_text(NAIVE)
    path.chmod(0o444)
    result = run("--write", str(path))
    assert result.exit_code == 2 and "read-only" in result.stderr
    assert path.read_text() == NAIVE


def test_a_file_edited_while_dockerfix_runs_keeps_the_edit(tmp_path, monkeypatch):
    import fixer.run

    path = tmp_path / "Dockerfile"
    path.write_text(NAIVE)
    edited = NAIVE + "# saved by an editor meanwhile\n"
    fix_file = fixer.run.fix_file

    def fix_then_edit(*args):
        result = fix_file(*args)
        path.write_text(edited)  # after dockerfix read the file, before it writes
        return result

    monkeypatch.setattr(fixer.run, "fix_file", fix_then_edit)
    result = run("--write", "-j", "1", str(path))
    assert result.exit_code == 2 and f"{path}: error: changed while dockerfix ran; not written" in result.stderr
    assert path.read_text() == edited and [p.name for p in tmp_path.iterdir()] == ["Dockerfile"]


def test_dangling_symlink(tmp_path):
    link = tmp_path / "Dockerfile"
    link.symlink_to(tmp_path / "gone")
    result = run("--check", str(link))
    assert result.exit_code == 2 and "broken symbolic link" in result.stderr
    assert link.is_symlink()


def test_missing_path(tmp_path):
    result = run("--check", str(tmp_path / "nope"))
    assert result.exit_code == 2 and "no such file or directory" in result.stderr


@pytest.mark.parametrize("with_go_sum, expected", [(True, "+COPY go.mod go.sum ./"), (False, "+COPY go.mod ./")])
def test_the_dockerfiles_directory_is_its_build_context(tmp_path, with_go_sum, expected):
    (tmp_path / "Dockerfile").write_text("FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN go build ./...\n")
    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.23\n")
    if with_go_sum:
        (tmp_path / "go.sum").write_text("")
    result = run("--select", "DF009", str(tmp_path / "Dockerfile"))
    assert expected + "\n" in result.stdout


def test_stdin_without_a_filename_has_no_context_and_copies_go_sum_by_glob():
    result = run("--select", "DF009", "-", input="FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build ./...\n")
    assert "COPY go.mod go.sum* ./\n" in result.stdout


def test_runtime_base_option_reaches_the_split(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.23\n")
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    (tmp_path / "Dockerfile").write_text('FROM golang:1.23\nWORKDIR /app\nCOPY . .\nRUN go build -o /x .\nCMD ["/x"]\n')
    result = run("--runtime-base", "scratch", "--select", "DF011,DF006", str(tmp_path / "Dockerfile"))
    assert result.exit_code == 0 and "+FROM scratch\n" in result.stdout
    # the builder DF011 writes is golang:*-alpine, which has no C compiler: cgo is off already (Go 1.20+)
    assert "-alpine AS builder\n" in result.stdout and "CGO_ENABLED" not in result.stdout


def test_write_creates_the_dockerignore_once_for_dockerfiles_sharing_a_context(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.23\n")
    (tmp_path / "Dockerfile").write_text("FROM golang:1.23 AS b\nCOPY . .\n")
    (tmp_path / "tools.Dockerfile").write_text("FROM alpine:3.24\nCOPY bin/tool /usr/local/bin/tool\n")
    (tmp_path / ".gitignore").write_text(".env\n")  # .env files are a convention here
    shown = run("--select", "DF020", str(tmp_path))
    assert shown.stdout.count("+++ ") == 1 and "--- /dev/null" in shown.stdout
    assert "\n+bin/\n" not in shown.stdout  # tools.Dockerfile copies bin/tool: never ignored
    assert not (tmp_path / ".dockerignore").exists()
    assert run("--check", "--select", "DF020", str(tmp_path)).exit_code == 1
    assert run("--write", "--select", "DF020", str(tmp_path)).exit_code == 0
    written = (tmp_path / ".dockerignore").read_text()
    assert ".git\n" in written and ".env\n" in written and "bin/" not in written
    assert run("--check", "--select", "DF020", str(tmp_path)).exit_code == 0


def test_dockerignore_on_stdin_is_named_not_written(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/x\n")
    result = run("--select", "DF020", "--stdin-filename", str(tmp_path / "Dockerfile"), "-",
                 input="FROM golang:1.23\nCOPY . .\n")
    assert "would also create" in result.stderr and not (tmp_path / ".dockerignore").exists()


def test_monorepo_dockerfile_in_build_is_fixed_with_the_repository_root_as_context(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "go.mod").write_text("module github.com/acme/mono\n\ngo 1.23\n")
    (tmp_path / "cmd" / "api").mkdir(parents=True)
    (tmp_path / "cmd" / "api" / "main.go").write_text("package main\n\nfunc main() {}\n")
    (tmp_path / "cmd" / "worker").mkdir(parents=True)
    (tmp_path / "cmd" / "worker" / "main.go").write_text("package main\n\nfunc main() {}\n")
    (tmp_path / "build").mkdir()
    dockerfile = tmp_path / "build" / "api.Dockerfile"
    dockerfile.write_text("FROM golang:1.21 AS builder\nWORKDIR /src\nCOPY . .\nRUN go build -o /api ./cmd/api\n"
                          "FROM alpine:3.24\nCOPY --from=builder /api /api\nCMD [\"/api\"]\n")
    result = run("-v", "--select", "DF009,DF015", str(dockerfile))
    assert f"build context {tmp_path} (nearest ancestor" in result.stderr
    assert "+FROM golang:1.23 AS builder\n" in result.stdout  # go.mod at the root asks for 1.23
    assert "+COPY go.mod ./\n" in result.stdout  # the root has no go.sum
    explicit = run("--context", str(tmp_path / "build"), "--select", "DF009,DF015", str(dockerfile))
    assert "golang:1.23" not in explicit.stdout  # no go.mod there: nothing to go by


def test_verify_without_an_engine_exits_2_with_the_reason(tmp_path, monkeypatch):
    from fixer.verify.cli import main as verify

    monkeypatch.setenv("PATH", str(tmp_path))  # no docker, podman or buildah to find
    (tmp_path / "Dockerfile").write_text("FROM golang:1.23\nRUN go build -o /x .\nCMD [\"/x\"]\n")
    result = invoke(verify, [str(tmp_path / "Dockerfile")])
    assert result.exit_code == 2
    assert "no container engine" in result.stderr and "docker is not installed" in result.stderr
    assert (tmp_path / "Dockerfile").read_text().startswith("FROM golang:1.23\n")


def test_entry_dispatches_verify(tmp_path, monkeypatch):
    from fixer import cli
    from fixer.verify import cli as verify_cli

    called = []
    monkeypatch.setattr(verify_cli, "main", lambda args: called.append(("verify", args)) or 3)
    monkeypatch.setattr(cli, "main", lambda args: called.append(("fix", args)) or 4)

    def exit_now(code):  # a finished run ends with os._exit: here, as an exception pytest can catch
        raise SystemExit(code)

    monkeypatch.setattr(os, "_exit", exit_now)
    codes = []
    for argv in (["dockerfix", "verify", "x"], ["dockerfix", "--check", "y"]):
        monkeypatch.setattr(sys, "argv", argv)
        with pytest.raises(SystemExit) as exit:
            cli.entry()
        codes.append(exit.value.code)
    assert called == [("verify", ["x"]), ("fix", ["--check", "y"])] and codes == [3, 4]


def test_compose_files_are_found_fixed_and_bad_ones_refused(tmp_path):
    (tmp_path / "README.md").write_text("docker compose up -d\n")   # DC001's evidence: Compose v2 reads it
    (tmp_path / "docker-compose.yml").write_text('version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n')
    (tmp_path / "compose.override.yaml").write_text("services: [broken\n")
    result = run("--write", str(tmp_path))
    assert (tmp_path / "docker-compose.yml").read_text() == "services:\n  web:\n    image: nginx:1.27\n"
    assert result.exit_code == 2 and "compose.override.yaml:" in result.stderr and "not valid YAML" in result.stderr
    assert (tmp_path / "compose.override.yaml").read_text() == "services: [broken\n"


def test_docker_compose_dash_files_are_found_and_named_yaml_files_read_as_compose(tmp_path):
    # 7 of the 48 real Compose files of ../shared/compose are named so; they were read as
    # Dockerfiles ("unknown instruction: SERVICES:") and a directory search passed them by
    text = 'version: "3.8"\nservices:\n  cache:\n    image: memcached:1.6\n'
    (tmp_path / "README.md").write_text("docker compose up -d\n")   # DC001's evidence: Compose v2 reads it
    (tmp_path / "docker-compose-memcached.yml").write_text(text)
    (tmp_path / "compose-env.yaml").write_text(text)
    (tmp_path / "values-compose.yaml").write_text("replicas: 2\n")  # not searched for: not a Compose name
    searched = run("--check", "--select", "DC001", str(tmp_path))
    assert searched.exit_code == 1, searched.stdout + searched.stderr
    assert "docker-compose-memcached.yml:1:1: DC001" in searched.stdout and "compose-env" not in searched.stdout
    assert "values-compose" not in searched.stdout + searched.stderr
    named = run("--write", "--select", "DC001", str(tmp_path / "compose-env.yaml"))
    assert named.exit_code == 0 and (tmp_path / "compose-env.yaml").read_text().startswith("services:")
    not_compose = run("--check", str(tmp_path / "values-compose.yaml"))
    assert not_compose.exit_code == 2 and "not a Compose file" in not_compose.stderr, not_compose.stderr


def test_a_dockerfile_a_compose_service_builds_gets_that_services_context(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.23\n")
    (tmp_path / "deploy").mkdir()
    dockerfile = tmp_path / "deploy" / "api.Dockerfile"
    dockerfile.write_text("FROM golang:1.21\nWORKDIR /src\nCOPY . .\nRUN go build ./...\n")
    (tmp_path / "deploy" / "compose.yaml").write_text(
        "services:\n  api:\n    build:\n      context: ..\n      dockerfile: deploy/api.Dockerfile\n")
    result = run("-v", "--select", "DF015", str(tmp_path / "deploy"))
    assert "+FROM golang:1.23\n" in result.stdout, result.stdout + result.stderr
    assert f"build context {tmp_path} (the build: entry of a Compose file)" in result.stderr


def test_findings_name_lines_of_the_file_as_it_is_on_disk(tmp_path):
    path = tmp_path / "Dockerfile"
    # DF004 merges lines 2-3 in pass 1; DF019's finding (no fix) sits on line 5 of the input,
    # line 4 of the output.
    path.write_text("FROM alpine:3.24\nRUN a\nRUN rm b\n\nENV API_TOKEN=x\nCMD [\"/x\"]\n")
    checked = run("--check", "--select", "DF004,DF019", str(path))
    assert f"{path}:5:1: DF019" in checked.stdout and f"{path}:3:1: DF004" in checked.stdout
    written = run("--write", "--select", "DF004,DF019", str(path))
    assert f"{path}:5:1: DF019" in written.stdout  # "RUN a && \\" + "    rm b" keeps the line count
    path.write_text("FROM alpine:3.24\nRUN apk update\nRUN apk add --no-cache git\nENV API_TOKEN=x\n")
    written = run("--write", "--select", "DF003,DF019", str(path))
    assert f"{path}:3:1: DF019" in written.stdout  # the lone `apk update` line is gone


def test_a_compose_file_the_yaml_library_chokes_on_is_refused_not_crashed_on(tmp_path):
    # found by the Compose fuzzer: a merge into a mapping nested under an anchored one
    text = "x-k: &k\n  A: 1\n\n  z:\n    i: 1\n  b:\n    <<: *k\n"
    (tmp_path / "compose.yaml").write_text(text)
    result = run("--check", str(tmp_path / "compose.yaml"))
    assert result.exit_code == 2 and "not valid YAML" in result.stderr
    assert (tmp_path / "compose.yaml").read_text() == text


def test_an_anchor_defined_twice_takes_the_later_one_without_a_library_warning(tmp_path):
    # found by the Compose fuzzer: ruamel.yaml's ReusedAnchorWarning reached the terminal
    text = "x-a: &a\n  x: 1\nx-b: &a\n  y: 2\nservices:\n  web:\n    image: nginx:1.27\n    <<: *a\n"
    (tmp_path / "compose.yaml").write_text(text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run("--check", "--select", "DC001", str(tmp_path / "compose.yaml"))
    assert result.exit_code == 0 and not caught, [str(warning.message) for warning in caught]


def test_a_crlf_dockerignore_is_updated_with_crlf_lines(tmp_path):
    # it was read with universal newlines, so it never matched itself on disk and was not written
    (tmp_path / "Dockerfile").write_text("FROM golang:1.23-alpine\nCOPY . .\nRUN go build -o /app .\n")
    (tmp_path / ".dockerignore").write_bytes(b"node_modules\r\n*.md\r\n")
    result = run("--write", "--select", "DF020", str(tmp_path / "Dockerfile"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / ".dockerignore").read_bytes() == (
        b"node_modules\r\n*.md\r\n# Added by dockerfix: secrets stay out of the build\r\n.git\r\n")


def test_a_crlf_env_example_gets_the_missing_key_in_crlf(tmp_path):
    # it was read with universal newlines, so it never matched itself on disk and was not written
    (tmp_path / "compose.yaml").write_text("services:\n  db:\n    image: postgres:16\n    environment:\n"
                                           "      POSTGRES_PASSWORD: hunter2hunter2\n")
    (tmp_path / ".env.example").write_bytes(b"POSTGRES_USER=\r\n")
    result = run("--write", "--unsafe-fixes", "--select", "DC005", str(tmp_path / "compose.yaml"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / ".env.example").read_bytes() == b"POSTGRES_USER=\r\nPOSTGRES_PASSWORD=\r\n"
    assert "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}" in (tmp_path / "compose.yaml").read_text()


def test_an_env_example_that_is_not_utf8_leaves_the_secret_reported_and_both_files_alone(tmp_path):
    # the fix would have to rewrite a file dockerfix cannot read: it was a UnicodeDecodeError traceback
    compose = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: hunter2hunter2\n"
    (tmp_path / "compose.yaml").write_text(compose)
    (tmp_path / ".env.example").write_bytes(b"# caf\xe9\nPOSTGRES_USER=\n")
    result = run("--write", "--unsafe-fixes", "--select", "DC005", str(tmp_path / "compose.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "POSTGRES_PASSWORD is written out" in result.stdout and "1 advisory finding (1 error)" in result.stderr
    assert (tmp_path / "compose.yaml").read_text() == compose
    assert (tmp_path / ".env.example").read_bytes() == b"# caf\xe9\nPOSTGRES_USER=\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_internal_error_in_one_file_spares_the_others(tmp_path, monkeypatch, jobs):
    """A bug in a rule on one file: that file is named with the error and left as it was,
    every other file is written, and the exit code is 2 (never 1, which --check means)."""
    import fixer.run

    fix = fixer.run.fix

    def failing(text, **options):
        if "BOOM" in text:
            raise IndexError("tuple index out of range")
        return fix(text, **options)

    monkeypatch.setattr(fixer.run, "fix", failing)  # forked workers inherit it
    for index in range(12):
        (tmp_path / f"{index:02}.Dockerfile").write_text(NAIVE + ("# BOOM\n" if index == 5 else ""))
    result = run("--write", "--jobs", jobs, "--select", "DF002", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path / '05.Dockerfile'}: error: internal error: IndexError: tuple index out of range" in result.stderr
    assert (tmp_path / "05.Dockerfile").read_text() == NAIVE + "# BOOM\n"
    written = [path for path in sorted(tmp_path.iterdir()) if path.name != "05.Dockerfile"]
    assert all("--no-cache" in path.read_text() for path in written), written


def test_ignore_all_runs_no_rule(tmp_path):
    (tmp_path / "Dockerfile").write_text(NAIVE)
    result = run("--check", "--ignore", "ALL", str(tmp_path / "Dockerfile"))
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("name, text", [
    ("Dockerfile", "FROM alpine\nSHELL []\nRUN apk add git\n"),
    ("Dockerfile", "FROM alpine\nCMD " + "[" * 990 + "\n"),
    ("Dockerfile", 'FROM alpine\nRUN echo "' + '$("' * 245 + "\n"),
    ("Dockerfile", "FROM golang:1.22 AS b\nRUN go build -ldflags= -o /app .\nFROM alpine\nCOPY --from=b /app /app\n"),
    *[("compose.yaml", f"services:\n  web:\n    image: nginx\n    deploy: {deploy}\n")
      for deploy in ("[]", '"x"', "5", "2024-01-01", "{resources: {limits: 5}}")],
], ids=["shell-empty", "cmd-deep-json", "run-deep-substitution", "ldflags-empty", "deploy-list", "deploy-string",
        "deploy-number", "deploy-date", "limits-number"])
def test_inputs_that_crashed_0_5_0_are_read(tmp_path, name, text):
    (tmp_path / name).write_text(text)
    result = run("--select", "ALL", str(tmp_path / name))
    assert result.exit_code in (0, 1) and "internal error" not in result.stderr, result.stderr


@pytest.mark.parametrize("text, message", [
    ("[tool.dockerfix]\nx = " + "[" * 5000 + "]" * 5000 + "\n", "not valid TOML: nested too deeply"),
    ("tool = 1\n", "[tool.dockerfix] must be a table"),
    ('[tool]\ndockerfix = "x"\n', "[tool.dockerfix] must be a table"),
])
def test_a_broken_pyproject_is_a_configuration_error(tmp_path, text, message):
    (tmp_path / "pyproject.toml").write_text(text)
    (tmp_path / "Dockerfile").write_text(GOOD)
    result = run("--config", str(tmp_path / "pyproject.toml"), str(tmp_path / "Dockerfile"))
    assert result.exit_code == 2 and message in result.stderr, result.stderr


def test_a_path_that_is_not_utf_8_is_searched(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    odd = os.path.join(os.fsencode(tmp_path), b"a\xffb")
    os.mkdir(odd)
    with open(os.path.join(odd, b"Dockerfile"), "w") as file:
        file.write(NAIVE)
    environment = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([sys.executable, "-m", "fixer", "--check", str(tmp_path)], capture_output=True,
                            env=environment)
    assert result.returncode == 1 and b"internal error" not in result.stderr, result.stderr
    assert b"a\xffb/Dockerfile" in result.stdout + result.stderr


UNUSABLE_DOCKERIGNORES = {  # how each is made, what the finding's reason says
    "a-directory": (lambda path: path.mkdir(), "it is a directory, not a file"),
    "utf-16": (lambda path: path.write_bytes("node_modules\n".encode("utf-16")), "it is UTF-16 encoded, not UTF-8"),
    "utf-16-without-bom": (lambda path: path.write_bytes("node_modules\n".encode("utf-16-le")),
                           "it holds NUL bytes (UTF-16 without a byte order mark, or not text)"),
    "latin-1": (lambda path: path.write_bytes(b"# caf\xe9\nnode_modules\n"),
                "it is not valid UTF-8: byte 0xe9 on line 1"),
    "dangling-symlink": (lambda path: path.symlink_to("nowhere"), "it is a symbolic link to nothing"),
}


def _snapshot(directory) -> dict:
    return {name: (os.readlink(directory / name) if (directory / name).is_symlink() else
                   sorted(os.listdir(directory / name)) if (directory / name).is_dir() else
                   (directory / name).read_bytes()) for name in os.listdir(directory)}


@pytest.mark.parametrize("kind", sorted(UNUSABLE_DOCKERIGNORES))
def test_an_unusable_dockerignore_is_reported_with_its_problem_and_never_written(tmp_path, kind):
    make, problem = UNUSABLE_DOCKERIGNORES[kind]
    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.23\n")
    (tmp_path / "Dockerfile").write_text("FROM golang:1.23 AS b\nCOPY . .\nRUN go build -o /app .\n")
    make(tmp_path / ".dockerignore")
    before = _snapshot(tmp_path)
    written = run("--write", "--select", "DF020", str(tmp_path / "Dockerfile"))
    assert written.exit_code == 0, written.stderr  # report-only: nothing to write, nothing failed
    assert f"DF020 warning: .dockerignore cannot be read, so what it keeps out of the build is not known " \
           f"[not fixed: {problem}; dockerfix does not rewrite or add to an ignore file" in written.stdout
    assert _snapshot(tmp_path) == before  # no temporary file left, nothing written in a directory
    checked = run("--check", "--select", "DF020", str(tmp_path / "Dockerfile"))
    assert checked.exit_code == 1 and "would be created" not in checked.stdout + checked.stderr
    assert json.loads(run("--check", "--select", "DF020", "--output-format", "json", str(tmp_path / "Dockerfile"))
                      .stdout)["summary"]["context_files"] == 0


def test_a_dockerignore_dockerfix_may_not_read_is_reported_not_replaced(tmp_path, monkeypatch):
    """Root reads a mode-000 file: the refusal is forced, as it is for another user."""
    (tmp_path / "Dockerfile").write_text("FROM golang:1.23\nCOPY . .\nRUN go build -o /app .\n")
    (tmp_path / ".dockerignore").write_text("node_modules\n")
    opened = os.open

    def refuse(path, flags, *mode):
        if os.fspath(path).endswith(".dockerignore"):
            raise PermissionError(13, "Permission denied", str(path))
        return opened(path, flags, *mode)

    monkeypatch.setattr(os, "open", refuse)
    result = run("--write", "--select", "DF020", str(tmp_path / "Dockerfile"))
    monkeypatch.undo()
    assert result.exit_code == 0, result.stderr
    assert "[not fixed: it cannot be read: permission denied; " in result.stdout
    assert (tmp_path / ".dockerignore").read_text() == "node_modules\n"


def test_control_characters_in_paths_are_escaped_in_every_human_line(tmp_path):
    directory = tmp_path / "svc\nprod\x1b[31m"
    directory.mkdir()
    (directory / "Dockerfile").write_text("FROM golang:1.23 as build\n")
    (directory / "broken.Dockerfile").write_text("FROM golang:1.23\nNOSUCH x\n")
    result = run("--check", str(directory))
    output = result.stdout + result.stderr
    assert "\x1b[31m" not in output and '"' + str(directory).replace("\n", "\\n").replace("\x1b", "\\033") in output
    for line in output.splitlines():
        assert not line.startswith("prod"), output  # no finding or error line cut in two


def _one_line_each(output: str, directory) -> None:
    """No line of `output` is cut by the newline in `directory`'s name, which is shown quoted."""
    assert str(directory) not in output, output
    assert '"' + str(directory).replace("\n", "\\n") in output, output
    assert not any(line.startswith("prod") for line in output.splitlines()), output


def test_a_newline_in_a_path_is_quoted_in_every_message_that_names_it(tmp_path, monkeypatch):
    directory = tmp_path / "svc\nprod"
    directory.mkdir()
    (directory / "go.mod").write_text("module example.com/x\n\ngo 1.23\n")
    (directory / "Dockerfile").write_text("FROM golang:1.23 AS b\nCOPY . .\nRUN go build -o /app .\n")
    (directory / ".hadolint.yaml").write_text("failure-threshold: error\n")
    (directory / "base.toml").write_text('severity = { DF021 = "warning" }\n')
    (directory / ".dockerfix.toml").write_text('extend = "base.toml"\n')
    verbose = run("--check", "-v", str(directory / "Dockerfile"))  # build context, "would be created"
    assert "build context" in verbose.stderr and "would be created" in verbose.stdout
    _one_line_each(verbose.stdout + verbose.stderr, directory)
    settings = run("--show-settings", str(directory / "Dockerfile"))  # configuration, extends, hadolint, context
    assert settings.exit_code == 0 and "extends:" in settings.stdout and "fail-level:    error" in settings.stdout
    _one_line_each(settings.stdout + settings.stderr, directory)
    stdin = run("--check", "--stdin-filename", str(directory / "Dockerfile"), "-",
                input="FROM golang:1.23 AS b\nCOPY . .\n")  # "would also create"
    assert "would also create" in stdin.stderr
    _one_line_each(stdin.stdout + stdin.stderr, directory)
    for arguments in (["--context", str(directory / "none"), str(directory / "Dockerfile")],
                      ["-o", str(directory / "none" / "report.txt"), str(directory / "Dockerfile")],
                      ["--show-settings", str(directory / "missing")]):
        failed = run(*arguments)
        assert failed.exit_code == 2
        _one_line_each(failed.stdout + failed.stderr, directory)
    (directory / ".dockerfix.toml").write_text('extend = "base.toml"\nselct = ["DF001"]\n')  # a configuration error
    broken = run("--check", str(directory / "Dockerfile"))
    assert broken.exit_code == 2 and "unknown key 'selct'" in broken.stderr
    _one_line_each(broken.stderr, directory)
    monkeypatch.chdir(tmp_path)
    mistyped = run("verfy\nprod")  # a path that is not there, like a subcommand
    assert mistyped.exit_code == 2 and '"verfy\\nprod": no such file' in mistyped.stderr, mistyped.stderr


COMPOSE = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: hunter2hunter2\n"


@pytest.mark.parametrize("name, data, message", [
    ("compose.yaml", COMPOSE.encode("utf-16"), "1: error: file is UTF-16 encoded; Compose files must be UTF-8"),
    ("docker-compose.yml", COMPOSE.encode("utf-16-le"),
     "1: error: file is UTF-16 encoded (little-endian, without a byte order mark); Compose files must be UTF-8"),
    ("compose.yml", COMPOSE.encode("utf-16-be"),
     "1: error: file is UTF-16 encoded (big-endian, without a byte order mark); Compose files must be UTF-8"),
    ("compose.override.yaml", COMPOSE.replace("hunter2", "caf\u00e9").encode("latin-1"),
     "5: error: not valid UTF-8 (byte 0xe9); Compose files must be UTF-8"),
])
def test_a_compose_file_that_is_not_utf_8_is_named_with_its_encoding_and_left_alone(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    (tmp_path / "Dockerfile").write_text(NAIVE)  # another file: fixed all the same
    result = run("--write", "--unsafe-fixes", "--select", "ALL", str(tmp_path))
    assert result.exit_code == 2 and f"{tmp_path / name}:{message}\n" in result.stderr, result.stderr
    assert (tmp_path / name).read_bytes() == data
    assert sorted(os.listdir(tmp_path)) == sorted(["Dockerfile", name])  # no .env.example, no temporary file
    assert (tmp_path / "Dockerfile").read_text() != NAIVE
    piped = run("--check", "--stdin-filename", str(tmp_path / name), "-", input=data)
    assert piped.exit_code == 2 and f"{tmp_path / name}:{message}\n" in piped.stderr, piped.stderr


def test_a_dockerfile_in_utf_16_without_a_byte_order_mark_is_named_as_utf_16(tmp_path):
    (tmp_path / "Dockerfile").write_bytes(NAIVE.encode("utf-16-le"))
    result = run("--check", str(tmp_path / "Dockerfile"))
    assert result.exit_code == 2
    assert "Dockerfile:1: error: file is UTF-16 encoded (little-endian, without a byte order mark); Dockerfiles " \
           "must be UTF-8" in result.stderr, result.stderr
    (tmp_path / "Dockerfile").write_bytes(b"FROM alpine\n\x00\x01\x02binary")
    assert "binary file (contains a NUL byte)" in run("--check", str(tmp_path / "Dockerfile")).stderr


def test_ctrl_c_while_writing_leaves_each_file_whole_or_untouched_and_exits_130(tmp_path, monkeypatch, capsys):
    """Interrupted between two files: the file written is fixed whole, the others are as they
    were, no temporary file is left, the -o report is not replaced by half a report."""
    import fixer.files
    from fixer import cli

    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.Dockerfile").write_text(NAIVE)
    report = tmp_path / "report.txt"
    report.write_text("the last run's report\n")
    write, calls = fixer.files.write_atomically, []

    def interrupted(source, text):
        calls.append(source.path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        write(source, text)

    monkeypatch.setattr(fixer.files, "write_atomically", interrupted)
    monkeypatch.setattr(sys, "argv", ["dockerfix", "--write", "-j", "1", "-o", str(report), str(tmp_path)])
    with pytest.raises(SystemExit) as exit:
        cli.entry()
    assert exit.value.code == 130 and "Traceback" not in capsys.readouterr().err
    assert [(tmp_path / f"{name}.Dockerfile").read_text() for name in "abc"] == [FIXED, NAIVE, NAIVE]
    assert report.read_text() == "the last run's report\n"
    assert sorted(os.listdir(tmp_path)) == ["a.Dockerfile", "b.Dockerfile", "c.Dockerfile", "report.txt"]


EXAMPLE_IMAGE = ("FROM golang:1.23-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\n"
                 "FROM alpine:3.20\nRUN apk add curl\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n")


def test_an_example_image_is_fixed_when_named_and_reported_when_found_by_a_search(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    dockerfile = tmp_path / "examples" / "demo" / "Dockerfile"
    dockerfile.parent.mkdir(parents=True)
    dockerfile.write_text(EXAMPLE_IMAGE)
    monkeypatch.chdir(tmp_path)
    named = run("--select", "DF002", "examples/demo/Dockerfile")
    assert "+RUN apk add --no-cache curl" in named.stdout
    searched = run("--select", "DF002", "examples")
    assert "apk add --no-cache" not in searched.stdout and "lies under examples/" in searched.stdout
    forced = run("--select", "DF002", "--force-exclude", "examples/demo/Dockerfile")
    assert "apk add --no-cache" not in forced.stdout
    piped = run("--select", "DF002", "--stdin-filename", "examples/demo/Dockerfile", "-", input=EXAMPLE_IMAGE)
    assert "RUN apk add --no-cache curl" in piped.stdout
