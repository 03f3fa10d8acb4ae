"""How `dockerfix verify` drives the engines, without one: the command lines built for
docker, podman and buildah (--pull, --network), the base images made sure of before any
build, and what is an error (exit 2, with what to do) rather than a failed fix (exit 1).

The engine here is a fake on PATH that logs its command lines and answers as the real
tools do; the same cases with the real engine are in tests/e2e/test_base_images.py."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from fixer.verify import Engine
from fixer.verify.run import base_images
from fixer.verify.standins import kind_of

FAKE_ENGINE = r'''#!{python} -S
"""A fake docker/podman/buildah: logs each command line, answers from $FAKE_ENGINE."""
import io, json, os, sys, tarfile

tool, args = os.path.basename(sys.argv[0]), sys.argv[1:]
plan = json.loads(os.environ.get("FAKE_ENGINE", "{{}}"))
with open(os.environ["FAKE_ENGINE_LOG"], "a") as log:
    log.write(json.dumps([tool, *args]) + "\n")
with open(os.environ["FAKE_ENGINE_LOG"]) as log:
    builds = sum(1 for line in log if json.loads(line)[1] in ("build", "bud"))
local = set(plan.get("local", []))
if args[0] == "info":
    sys.exit(plan.get("info", 0))
if args[0] in ("build", "bud"):
    failure = plan.get("fail_build", {{}}).get(str(builds))
    if failure:
        sys.stderr.write(failure + "\n")
        sys.exit(125 if "creating build container" in failure else 1)
    sys.exit(0)
if args[:2] == ["image", "exists"]:
    sys.exit(0 if args[2] in local else 1)
if args[:3] == ["image", "inspect", "--format"]:
    if args[4] in local:
        print("sha256:0")
        sys.exit(0)
    sys.stderr.write(f"Error: No such image: {{args[4]}}\n")
    sys.exit(1)
if args[:2] == ["image", "inspect"]:
    config = {{"User": "65534:65534", "Cmd": ["/app"]}}
    print(json.dumps([{{"Config": config, "Size": 1000, "RootFS": {{"Layers": ["a"]}}}}]))
    sys.exit(0)
if args[0] == "pull":
    if args[-1] in plan.get("pullable", []):
        sys.exit(0)
    sys.stderr.write(f"Error: initializing source docker://{{args[-1]}}: pinging container registry: no such host\n")
    sys.exit(125)
if args[0] == "create":
    print("container-1")
    sys.exit(0)
if args[0] == "cp":
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as archive:
        content = b"#!/bin/sh\n"
        member = tarfile.TarInfo("app")
        member.size = len(content)
        archive.addfile(member, io.BytesIO(content))
    sys.stdout.buffer.write(data.getvalue())
    sys.exit(0)
sys.exit(0)
'''
NAIVE_ALPINE = 'FROM alpine:3.24\nRUN apk add --update ca-certificates\nCMD ["/app"]\n'
NAIVE_GO = 'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n'


@pytest.fixture
def fake(tmp_path):
    """A directory of fake engine tools; `run(...)` runs `dockerfix verify` with them alone on PATH."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("docker", "podman", "buildah"):
        (tools / tool).write_text(FAKE_ENGINE.format(python=sys.executable))
        (tools / tool).chmod(0o755)
    log = tmp_path / "engine.log"
    project = tmp_path / "project"
    project.mkdir()

    class Fake:
        directory = project

        @staticmethod
        def run(*argv: str, plan: dict | None = None, dockerfile: str = NAIVE_ALPINE, path: str = str(tools)):
            (project / "Dockerfile").write_text(dockerfile)
            log.write_text("")
            env = {**os.environ, "PATH": path, "FAKE_ENGINE": json.dumps(plan or {}), "FAKE_ENGINE_LOG": str(log)}
            command = [sys.executable, "-m", "fixer", "verify", "--isolated", "--no-rebuild", *argv,
                       str(project / "Dockerfile")]
            return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)

        @staticmethod
        def commands() -> list[list[str]]:
            return [json.loads(line) for line in log.read_text().splitlines()]

    return Fake


def builds(commands):
    return [command for command in commands if command[1] in ("build", "bud")]


@pytest.mark.parametrize("engine, pull, network, expected", [
    ("docker", "missing", None, ["docker", "build"]),
    ("docker", "always", None, ["docker", "build", "--pull"]),
    ("docker", "never", "none", ["docker", "build", "--network", "none"]),
    ("podman", "missing", None, ["podman", "build", "--pull=missing", "--format", "docker"]),
    ("podman", "never", "none", ["podman", "build", "--pull=never", "--format", "docker", "--network", "none"]),
    ("buildah", "always", "host", ["buildah", "bud", "--pull=always", "--format", "docker", "--network", "host"]),
])
def test_the_build_command_line_of_each_engine(engine, pull, network, expected):
    tools = {"docker": ("docker", "docker"), "podman": ("podman", "podman"), "buildah": ("buildah", "podman")}
    command = Engine(engine, *tools[engine], pull=pull, network=network).build_command("D", "C", "T")
    assert command == [*expected, "-f", "D", "-t", "T", "C"]


def test_the_ignore_file_is_named_to_podman_and_buildah_and_lies_beside_the_dockerfile_for_docker():
    assert "--ignorefile D.dockerignore" in " ".join(Engine("buildah", "buildah", "podman").build_command(
        "D", "C", "T", "D.dockerignore"))
    assert Engine("docker", "docker", "docker").build_command("D", "C", "T", "D.dockerignore") == [
        "docker", "build", "-f", "D", "-t", "T", "C"]


# each engine, each policy, with and without --network none (the command lines of every
# combination are above; this is the plumbing from the command line to them)
@pytest.mark.parametrize("engine, pull, network", [
    ("docker", "always", True), ("docker", "never", False), ("podman", "never", True), ("podman", "missing", False),
    ("buildah", "missing", True), ("buildah", "always", False)])
def test_pull_and_network_reach_every_build_of_each_engine(fake, engine, pull, network):
    network = ["--network", "none"] if network else []
    result = fake.run("--engine", engine, "--pull", pull, *network, plan={"local": ["alpine:3.24"],
                                                                         "pullable": ["alpine:3.24"]})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "verified" in result.stdout
    built = builds(fake.commands())
    assert len(built) == 2, "the original and the fixed Dockerfile"
    for command in built:
        assert command[0] == engine
        assert ("--network" in command) == bool(network) and (not network or "none" in command)
        if engine == "docker":
            assert ("--pull" in command) == (pull == "always")
        else:
            assert f"--pull={pull}" in command
    pulled = [command for command in fake.commands() if command[1] == "pull"]
    assert pulled == ([[("docker" if engine == "docker" else "podman"), "pull", "-q", "alpine:3.24"]]
                      if pull == "always" else []), "missing pulls only what is not there; never never pulls"


def test_builds_have_the_engine_s_network_unless_none_is_asked_for(fake):
    assert fake.run("--engine", "podman", plan={"local": ["alpine:3.24"]}).returncode == 0
    built = builds(fake.commands())
    assert len(built) == 2 and all("--network" not in command for command in built)


def test_a_base_missing_under_pull_never_is_an_error_with_what_to_do_and_nothing_is_built(fake):
    result = fake.run("--engine", "podman", "--pull", "never")
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    message = result.stderr
    assert "base image alpine:3.24 (FROM in the original Dockerfile) is not among the local images" in message
    assert "`podman pull alpine:3.24`" in message and "podman load -i" in message and "--pull missing" in message
    assert "dockerfix verify --make-standins PATH" in message, "alpine has a stand-in"
    assert builds(fake.commands()) == []


def test_a_base_that_cannot_be_pulled_is_an_error_with_the_engine_s_reason(fake):
    result = fake.run("--engine", "docker", dockerfile=NAIVE_ALPINE.replace("alpine:3.24", "example.com/team/base:1"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "base image example.com/team/base:1 (FROM in the original Dockerfile) is not local and could not be " \
           "pulled" in result.stderr
    assert "no such host" in result.stderr and "`docker login REGISTRY`" in result.stderr
    assert "--make-standins" not in result.stderr, "no stand-in for that image"
    assert builds(fake.commands()) == []


def test_a_base_only_the_fixed_dockerfile_uses_is_an_error_not_a_failed_fix(fake):
    (fake.directory / "go.mod").write_text("module example.com/app\n\ngo 1.23\n")
    (fake.directory / "main.go").write_text("package main\n\nfunc main() {}\n")
    result = fake.run("--engine", "buildah", "--pull", "never", plan={"local": ["golang:1.23", "golang:1.23-alpine"]},
                      dockerfile=NAIVE_GO)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "base image alpine:3.24 (FROM in the fixed Dockerfile)" in result.stderr
    assert "NOT verified" not in result.stdout and builds(fake.commands()) == []


def test_a_fixed_build_that_cannot_get_its_base_is_an_error_not_a_failed_fix(fake):
    trouble = "Error: creating build container: docker.io/library/alpine:3.24: image not known"
    result = fake.run("--engine", "podman", plan={"local": ["alpine:3.24"], "fail_build": {"2": trouble}})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "could not get a base image" in result.stderr and "image not known" in result.stderr
    assert "NOT verified" not in result.stdout


def test_a_step_of_the_fixed_build_that_fails_is_a_failed_check(fake):
    step = 'Error: building at STEP "RUN apk add --no-cache ca-certificates": exit status 1'
    result = fake.run("--engine", "podman", plan={"local": ["alpine:3.24"], "fail_build": {"2": step}})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[FAIL] fixed image builds" in result.stdout and "NOT verified" in result.stdout


RUNTIME_STUMBLE = ('Close_Fd sealing memfd copy: Device or resource busy\n'
                   'Error: building at STEP "RUN apk add --no-cache ca-certificates": exit status 1')


def test_a_runtime_that_stumbles_once_is_tried_again(fake):
    result = fake.run("--engine", "buildah", plan={"local": ["alpine:3.24"], "fail_build": {"2": RUNTIME_STUMBLE}})
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(builds(fake.commands())) == 3  # the original, the fixed one twice


def test_a_runtime_that_keeps_stumbling_is_an_error_not_a_failed_fix(fake):
    plan = {"local": ["alpine:3.24"], "fail_build": {"2": RUNTIME_STUMBLE, "3": RUNTIME_STUMBLE}}
    result = fake.run("--engine", "buildah", plan=plan)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "sealing memfd" in result.stderr and "NOT verified" not in result.stdout


def test_an_original_that_does_not_build_is_an_error_saying_so(fake):
    step = 'Error: building at STEP "RUN apk add --update ca-certificates": exit status 1'
    result = fake.run("--engine", "podman", plan={"local": ["alpine:3.24"], "fail_build": {"1": step}})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "does not build, so there is nothing to compare the fix with" in result.stderr
    assert len(builds(fake.commands())) == 1


def test_an_engine_in_trouble_during_the_fixed_build_is_an_error(fake):
    trouble = "Error: committing container: write /var/lib/containers: no space left on device"
    result = fake.run("--engine", "podman", plan={"local": ["alpine:3.24"], "fail_build": {"2": trouble}})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "the engine is in trouble, not the Dockerfile" in result.stderr and "podman info" in result.stderr


def test_no_engine_at_all_is_an_error_saying_what_to_install(fake, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = fake.run(path=str(empty))
    assert result.returncode == 2
    assert "no container engine to build with" in result.stderr and "apt-get install podman buildah" in result.stderr


def test_a_docker_daemon_that_does_not_answer_is_an_error_saying_what_to_do(fake):
    result = fake.run("--engine", "docker", plan={"info": 1})
    assert result.returncode == 2
    assert "no Docker daemon answers" in result.stderr and "start the Docker daemon" in result.stderr


def test_an_empty_network_is_a_usage_error(fake):
    result = fake.run("--network", "")
    assert result.returncode == 2 and "--network: empty" in result.stderr


def test_make_standins_leaves_images_the_engine_has_alone(fake):
    result = fake.run("--engine", "podman", "--make-standins", plan={"local": ["alpine:3.24"]})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "alpine:3.24: the engine has it: left alone\n"
    assert builds(fake.commands()) == [] and not [c for c in fake.commands() if c[1] == "tag"]


def test_make_standins_says_which_bases_have_none(fake):
    result = fake.run("--engine", "podman", "--make-standins",
                      dockerfile=NAIVE_ALPINE.replace("alpine:3.24", "example.com/team/base:1"))
    assert result.returncode == 2
    assert result.stdout == "example.com/team/base:1: no stand-in for this image\n"


def test_the_base_images_of_a_dockerfile():
    text = ('ARG GO=1.23\nARG BASE="alpine:3.20"\nARG UNSET\n'
            'FROM --platform=$BUILDPLATFORM golang:${GO}-alpine AS build\nFROM build AS test\n'
            'FROM $BASE\nFROM ${UNSET:-debian:12}\nFROM $UNSET\nFROM scratch\nFROM Build\n'
            'FROM gcr.io/distroless/static@sha256:abc\nFROM golang:1.23-alpine\n')
    assert base_images(text) == ["golang:1.23-alpine", "alpine:3.20", "debian:12",
                                 "gcr.io/distroless/static@sha256:abc"]


def test_which_images_have_a_stand_in():
    running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert kind_of("golang:1.23-alpine") == kind_of("docker.io/library/golang") == "golang"
    assert kind_of("alpine:3.24") == kind_of("busybox:1.36") == "alpine"
    assert kind_of("gcr.io/distroless/static-debian12:nonroot") == "distroless"
    assert kind_of("gcr.io/distroless/base-debian12") is None, "base has a C library; the stand-in has none"
    assert kind_of(f"python:{running}-slim") == kind_of("python:slim") == "python"
    assert kind_of("python:2.7") is None, "a stand-in is the running Python"
    assert kind_of("debian:12") is None and kind_of("example.com/app:1") is None


def test_the_stand_in_apk_script_ships_with_the_package():
    from fixer.verify.standins import APK

    assert APK.is_file() and APK.read_text().startswith("#!/bin/sh\n")
    assert str(APK.relative_to(ROOT / "fixer")) == "verify/data/apk"
    assert "data/apk" in Path(ROOT / "pyproject.toml").read_text()
