"""Base images and networks with the real engine (buildah builds, podman inspects): a base
that cannot be had is exit 2 with what to do, before anything is built and never as a fix
that failed; `--make-standins` tags what a Dockerfile needs offline; `--network none`
reaches the build. (The same without an engine, for docker and podman too:
tests/test_verify_engines.py.)"""
from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest

from fixer.verify import BuildFailed

NAIVE_GO = 'FROM golang:1.19-alpine\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n'


def verify(directory, *options: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "fixer", "verify", "--engine", "buildah", "--no-rebuild", *options,
               str(directory / "Dockerfile")]
    return subprocess.run(command, capture_output=True, text=True)


@pytest.mark.parametrize("pull", ["never", "missing"])
def test_a_missing_base_image_is_exit_2_with_what_to_do(engine, tmp_path, pull):
    (tmp_path / "Dockerfile").write_text("FROM dockerfix-test/absent:1\nRUN apk add --update ca-certificates\n")
    result = verify(tmp_path, "--pull", pull)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert "base image dockerfix-test/absent:1 (FROM in the original Dockerfile)" in result.stderr
    assert "`podman pull dockerfix-test/absent:1`" in result.stderr and "podman load -i" in result.stderr
    if pull == "missing":
        assert "could not be pulled" in result.stderr and "did not resolve" in result.stderr, "the engine's reason"


def test_a_base_only_the_fix_brings_in_is_exit_2_not_a_failed_fix(engine, tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.19\n")
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    (tmp_path / ".dockerfix.toml").write_text('runtime-image = "dockerfix-test/absent-runtime:1"\n')
    (tmp_path / "Dockerfile").write_text(NAIVE_GO)
    result = verify(tmp_path, "--pull", "never")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "base image dockerfix-test/absent-runtime:1 (FROM in the fixed Dockerfile)" in result.stderr
    assert "fixed image builds" not in result.stdout


def test_make_standins_then_verify_offline(engine, tmp_path):
    (tmp_path / "Dockerfile").write_text('FROM busybox:1.36\nRUN apk add --update ca-certificates\n'
                                         'USER 65534:65534\nCMD ["/bin/busybox", "true"]\n')
    assert verify(tmp_path, "--pull", "never").returncode == 2, "not there yet"
    made = verify(tmp_path, "--make-standins")
    assert made.returncode == 0, made.stdout + made.stderr
    assert made.stdout == "busybox:1.36: tagged a local stand-in as it\n"
    again = verify(tmp_path, "--make-standins")
    assert again.returncode == 0
    assert again.stdout == "busybox:1.36: the engine has it: left alone\n", "a tagged image is never replaced"
    verified = verify(tmp_path, "--pull", "never", "--network", "none")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "[ok  ] fixed image builds" in verified.stdout and "verified" in verified.stdout


def test_builds_have_a_network_unless_none_is_asked_for(engine, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.24\nRUN grep -q nameserver /etc/resolv.conf\n")
    with_network = replace(engine, network=None, created=[])
    try:
        with_network.build(str(tmp_path / "Dockerfile"), str(tmp_path), "dockerfix-test/networked")
        with pytest.raises(BuildFailed):
            replace(engine, network="none", created=[]).build(str(tmp_path / "Dockerfile"), str(tmp_path),
                                                              "dockerfix-test/offline")
    finally:
        with_network.cleanup()
