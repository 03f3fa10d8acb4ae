"""End to end: fix the naive Dockerfiles of real (small) Go projects, build the original
and the fixed ones with a real engine, run them, and check that the fixed images work.

The projects (fixtures/projects/) are standard-library Go programs: an MCP server speaking
JSON-RPC over stdio, an HTTP service (also built for scratch), and a program that reads a
non-Go asset at runtime. The engine is buildah (builds) with podman (runs), as root with
chroot isolation, networking off. Base images are local stand-ins (fixer/verify/standins.py);
the engine is conftest.py's fixture, its skipping in tests/helpers.py.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import ROOT

import fixer
from fixer.context import BuildContext
from fixer.run import Overrides
from fixer.verify import Engine, fixed_build, verify

from .projects import DOCKERFILES, PROJECTS
from .projects import fixed as _fixed

INITIALIZE = (b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
              b'"capabilities":{},"clientInfo":{"name":"test","version":"0"}}}\n'
              b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n'
              b'{"jsonrpc":"2.0","id":2,"method":"tools/list"}\n')


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: str(p.relative_to(PROJECTS)))
def test_fixture_dockerfiles_are_naive_enough_to_exercise_the_transforms(path):
    applied = {d.rule.id for d in _fixed(path).applied}
    assert applied & {"DF011", "DF006"}, "every project needs a split or a static build"
    assert "DF005" in applied or "DF011" in applied, "and a non-root user"


def test_every_transform_is_exercised_by_some_fixture():
    applied = set()
    for path in DOCKERFILES:
        applied |= {d.rule.id for d in _fixed(path).applied}
    assert {"DF002", "DF003", "DF004", "DF005", "DF006", "DF007", "DF009", "DF011", "DF012"} <= applied


def test_mcp_server_answers_initialize_before_and_after(engine):
    report = verify(fixed_build(str(PROJECTS / "mcp-server" / "Dockerfile")), engine=engine, run=True,
                    stdin=INITIALIZE, rebuild=False, keep_images=True)
    assert report.passed, _explain(report)
    tag = report.images[1]
    result = engine.run(tag, stdin=INITIALIZE)
    answers = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert result.exit_code == 0 and answers[0]["result"]["serverInfo"]["name"] == "mcp-server"
    assert answers[1]["result"]["tools"][0]["name"] == "forecast"
    assert engine.facts(tag).config["User"] == "65534:65534"


@pytest.mark.parametrize("dockerfile", ["Dockerfile", "scratch.Dockerfile"])
def test_http_service_answers_inside_its_own_network_namespace(engine, dockerfile):
    path = PROJECTS / "http-service" / dockerfile
    report = verify(fixed_build(str(path)), engine=engine, rebuild=False, keep_images=True)
    assert report.passed, _explain(report)
    tag = report.images[1]
    server = engine.start(tag)
    answer = _wget_beside(engine, server, "http://127.0.0.1:8080/healthz")
    assert answer.stdout.decode().strip() == "ok", engine.logs(server)
    assert engine.facts(tag).config["User"] == "65534:65534"


def test_asset_reader_finds_its_template_after_the_split(engine):
    path = PROJECTS / "asset-reader" / "Dockerfile"
    report = verify(fixed_build(str(path)), engine=engine, run=True, rebuild=False, keep_images=True)
    assert report.passed, _explain(report)
    result = engine.run(report.images[1])
    assert result.exit_code == 0 and b"Hello from a template" in result.stdout


def test_scratch_runtime_gets_a_static_binary_and_shrinks(engine):
    path = PROJECTS / "http-service" / "Dockerfile"
    report = verify(fixed_build(str(path), Overrides(runtime_base="scratch")), engine=engine, rebuild=True)
    assert report.passed, _explain(report)
    program = next(check for check in report.checks if check.name == "the program is in the image")
    assert "statically linked" in program.detail
    assert report.after.size < report.before.size / 5
    assert report.after.rebuild_seconds is not None



def test_a_directory_the_image_makes_is_handed_to_the_new_user(engine, tmp_path):
    # DF005's unsafe fix: USER alone leaves /var/run/server to root, where the program must write
    text = ('FROM alpine:3.24\nRUN mkdir -p /var/run/server\n'
            'ENTRYPOINT ["sh", "-c", "touch /var/run/server/pid && echo written"]\n')
    assert not fixer.fix(text, select=["DF005"]).changed, "only under --unsafe-fixes"
    fixed = fixer.fix(text, select=["DF005"], unsafe_fixes=True).output
    assert "RUN chown 65534:65534 /var/run/server\nUSER 65534:65534\n" in fixed
    for name, dockerfile in (("handed-over", fixed), ("user-only", fixed.replace("RUN chown 65534:65534 "
                                                                                  "/var/run/server\n", ""))):
        (tmp_path / f"{name}.Dockerfile").write_text(dockerfile)
        engine.build(str(tmp_path / f"{name}.Dockerfile"), str(tmp_path), f"dockerfix-test/{name}")
    handed_over, user_only = engine.run("dockerfix-test/handed-over"), engine.run("dockerfix-test/user-only")
    assert handed_over.exit_code == 0 and handed_over.stdout.strip() == b"written", handed_over.stderr
    assert user_only.exit_code != 0 and b"Permission denied" in user_only.stderr, user_only
    assert engine.facts("dockerfix-test/handed-over").config["User"] == "65534:65534"



def test_exec_in_a_shell_form_command_is_dropped_not_run(engine, tmp_path):
    # DF012: `exec` is a shell builtin; `CMD ["exec", "echo", …]` had nothing to run
    fixed = fixer.fix('FROM alpine:3.24\nCMD exec echo started\n', select=["DF012"]).output
    assert fixed == 'FROM alpine:3.24\nCMD ["echo", "started"]\n'
    for name, dockerfile in (("exec-dropped", fixed), ("exec-kept", fixed.replace('["echo"', '["exec", "echo"'))):
        (tmp_path / f"{name}.Dockerfile").write_text(dockerfile)
        engine.build(str(tmp_path / f"{name}.Dockerfile"), str(tmp_path), f"dockerfix-test/{name}")
    dropped, kept = engine.run("dockerfix-test/exec-dropped"), engine.run("dockerfix-test/exec-kept")
    assert dropped.exit_code == 0 and dropped.stdout.strip() == b"started", dropped.stderr
    assert kept.exit_code != 0, kept



def test_add_of_an_archive_without_its_extension_unpacks_and_is_kept(engine, tmp_path):
    # DF013 looks at the bytes, as the engine does: COPY would have put the archive itself there
    case = ROOT / "fixtures" / "rules" / "DF013-add-to-copy" / "ok-archive-without-extension"
    text = (case / "Dockerfile").read_text()
    context = BuildContext(case / "context", case / "Dockerfile")
    assert fixer.fix(text, select=["DF013"], context=context).output == text
    (tmp_path / "release").write_bytes((case / "context" / "release").read_bytes())
    for name, keyword in (("add", "ADD"), ("copy", "COPY")):
        (tmp_path / f"{name}.Dockerfile").write_text(f"FROM alpine:3.24\n{keyword} release /app/\n")
        engine.build(str(tmp_path / f"{name}.Dockerfile"), str(tmp_path), f"dockerfix-test/{name}")
    assert engine.read_file("dockerfix-test/add", "/app/hello.txt") == b"hello\n"
    assert engine.read_file("dockerfix-test/copy", "/app/hello.txt") is None




def _wget_beside(engine: Engine, server: str, url: str):
    for _ in range(50):
        answer = engine.run_beside(server, "dockerfix-standin/alpine", ["wget", "-q", "-O", "-", url])
        if answer.exit_code == 0:
            return answer
        subprocess.run(["sleep", "0.1"])
    return answer


def _explain(report) -> str:
    from fixer.verify import format_report

    return format_report(report)


def test_verify_command_prints_a_report_and_exits_0(engine):
    command = [sys.executable, "-m", "fixer", "verify", "--engine", "buildah", "--no-rebuild", "--run",
               str(PROJECTS / "asset-reader" / "Dockerfile")]
    completed = subprocess.run(command, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "[ok  ] runs as a non-root user: User=65534:65534" in completed.stdout
    assert "size " in completed.stdout and "verified" in completed.stdout
    as_json = subprocess.run(command + ["--json"], capture_output=True, text=True)
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    assert report["passed"] and report["after"]["size"] < report["before"]["size"]
    assert "DF011" in report["rules"]
