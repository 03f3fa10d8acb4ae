"""The container engines `dockerfix verify` builds and runs images with: Docker (with
BuildKit), Podman, or Buildah (building) with Podman (running and inspecting).

Each engine is driven through its command-line tool. Nothing here talks to a registry:
builds use `--pull=never` where the engine has it, so bases must already be local.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field


class EngineError(Exception):
    """The engine is missing or failed; the message says which command and why."""


@dataclass
class ImageFacts:
    config: dict              # User, Entrypoint, Cmd, ExposedPorts, Env, WorkingDir, Labels, Healthcheck
    size: int                 # bytes
    layers: int


@dataclass
class RunResult:
    exit_code: int
    stdout: bytes
    stderr: bytes


@dataclass
class Engine:
    name: str
    build_tool: str            # docker, podman or buildah
    run_tool: str              # docker or podman
    created: list[str] = field(default_factory=list)   # images to remove at the end
    containers: list[str] = field(default_factory=list)

    def build(self, dockerfile: str, context: str, tag: str, ignore_file: str | None = None,
              timeout: float = 900) -> float:
        """Build and tag; returns the wall time in seconds. `ignore_file` replaces the context's
        .dockerignore (Docker reads it as `<Dockerfile>.dockerignore` beside the Dockerfile)."""
        env = None
        if self.build_tool == "docker":
            command = ["docker", "build", "--network", "none", "-f", dockerfile, "-t", tag, context]
            env = {**os.environ, "DOCKER_BUILDKIT": "1"}
        else:
            tool = ["podman", "build"] if self.build_tool == "podman" else ["buildah", "bud"]
            command = [*tool, "--pull=never", "--format", "docker", "-f", dockerfile, "-t", tag]
            if ignore_file is not None:
                command += ["--ignorefile", ignore_file]
            command.append(context)
        started = time.monotonic()
        self._run(command, timeout=timeout, env=env)
        self.created.append(tag)
        return time.monotonic() - started

    def facts(self, tag: str) -> ImageFacts:
        data = json.loads(self._run([self.run_tool, "image", "inspect", tag]).stdout)[0]
        config = data.get("Config") or {}
        layers = len((data.get("RootFS") or {}).get("Layers") or [])
        return ImageFacts(config, int(data.get("Size") or 0), layers)

    def read_file(self, tag: str, path: str) -> bytes | None:
        """A file's bytes from the image, or None when it is not there."""
        container = self._run([self.run_tool, "create", tag, "true"]).stdout.decode().strip()
        try:
            completed = subprocess.run([self.run_tool, "cp", f"{container}:{path}", "-"], capture_output=True)
            if completed.returncode != 0:
                return None
            return _untar_first(completed.stdout)
        finally:
            subprocess.run([self.run_tool, "rm", "-f", container], capture_output=True)

    def run(self, tag: str, args: list[str] = (), stdin: bytes | None = None, network: str = "none",
            timeout: float = 60) -> RunResult:
        command = [self.run_tool, "run", "--rm", "-i", "--network", network, tag, *args]
        completed = subprocess.run(command, input=stdin or b"", capture_output=True, timeout=timeout)
        return RunResult(completed.returncode, completed.stdout, completed.stderr)

    def start(self, tag: str, args: list[str] = ()) -> str:
        """Start a container in the background, networking off; returns its id."""
        container = self._run([self.run_tool, "run", "-d", "--network", "none", tag, *args]).stdout.decode().strip()
        self.containers.append(container)
        return container

    def run_beside(self, container: str, tag: str, args: list[str], timeout: float = 60) -> RunResult:
        """Run a command in a new container that shares `container`'s network namespace."""
        command = [self.run_tool, "run", "--rm", "--network", f"container:{container}", tag, *args]
        completed = subprocess.run(command, capture_output=True, timeout=timeout)
        return RunResult(completed.returncode, completed.stdout, completed.stderr)

    def logs(self, container: str) -> str:
        completed = subprocess.run([self.run_tool, "logs", container], capture_output=True)
        return (completed.stdout + completed.stderr).decode(errors="replace")

    def tag(self, source: str, target: str) -> None:
        self._run([self.run_tool, "tag", source, target])

    def cleanup(self) -> None:
        for container in self.containers:
            subprocess.run([self.run_tool, "rm", "-f", container], capture_output=True)
        for tag in self.created:
            subprocess.run([self.run_tool, "rmi", "-f", tag], capture_output=True)
        self.containers, self.created = [], []

    def _run(self, command: list[str], timeout: float = 300, env=None) -> subprocess.CompletedProcess:
        try:
            completed = subprocess.run(command, capture_output=True, timeout=timeout, env=env)
        except FileNotFoundError:
            raise EngineError(f"{command[0]} is not installed") from None
        except subprocess.TimeoutExpired:
            raise EngineError(f"`{' '.join(command[:3])} …` took longer than {timeout:.0f} s") from None
        if completed.returncode != 0:
            tail = completed.stderr.decode(errors="replace").strip().splitlines()[-12:]
            raise EngineError(f"`{' '.join(command[:3])} …` failed (exit {completed.returncode}):\n  "
                              + "\n  ".join(tail))
        return completed


def _untar_first(data: bytes) -> bytes | None:
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        for member in archive:
            if member.isfile():
                handle = archive.extractfile(member)
                return handle.read() if handle else None
            if member.issym() or member.islnk():
                return None
    return None


def detect(preferred: str | None = None) -> Engine:
    """The engine to use: the one asked for, else Docker with a running daemon, Podman, Buildah."""
    candidates = [preferred] if preferred else ["docker", "podman", "buildah"]
    problems = []
    for name in candidates:
        engine = _engine(name)
        reason = _unusable(engine)
        if reason is None:
            return engine
        problems.append(f"{name}: {reason}")
    raise EngineError("no container engine to build with (" + "; ".join(problems) + ")")


def _engine(name: str) -> Engine:
    if name == "docker":
        return Engine("docker", "docker", "docker")
    if name == "podman":
        return Engine("podman", "podman", "podman")
    if name == "buildah":
        return Engine("buildah", "buildah", "podman")
    raise EngineError(f"unknown engine {name!r} (docker, podman or buildah)")


def _unusable(engine: Engine) -> str | None:
    for tool in {engine.build_tool, engine.run_tool}:
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if engine.build_tool == "docker":
        probe = subprocess.run(["docker", "info"], capture_output=True)
        if probe.returncode != 0:
            return "no Docker daemon answers"
    return None
