"""The container engines `dockerfix verify` builds and runs images with: Docker (with
BuildKit), Podman, or Buildah (building) with Podman (running and inspecting).

Each engine is driven through its command-line tool, and the three are driven alike:
- base images are pulled as `--pull` says: `missing` (only those not present locally),
  `always`, or `never`. Before anything is built, every base image of both Dockerfiles is
  made sure of (`ensure_base_images`), so that a base that cannot be had is reported as
  what it is, never as a build of the fixed Dockerfile that failed. Docker's build has no
  `--pull=never`: there the check that every base is local is what `never` means.
- builds have the engine's default network unless `network` says otherwise (`none`);
  the images verify runs have none.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; type checkers take it as true
if TYPE_CHECKING:
    from collections.abc import Sequence

PULL_POLICIES = ("missing", "always", "never")


class EngineError(Exception):
    """The engine is missing or failed outside a build step; the message says which
    command, why, and what to do."""


class MissingBaseImage(EngineError):
    """A base image is neither local nor to be pulled."""


class BuildFailed(EngineError):
    """A build ran and one of its steps failed: the Dockerfile's doing, not the engine's."""


# What the engines say when a build could not get its base image (buildah and podman:
# "creating build container: …"; Docker with BuildKit: "failed to resolve source metadata …").
BASE_TROUBLE = re.compile(
    r"creating build container|failed to resolve source metadata|pull access denied|manifest unknown|"
    r"repository does not exist|did not resolve to an alias|image not known|initializing source docker://")
# … and when the engine itself is in trouble, whatever the Dockerfile says.
ENGINE_TROUBLE = re.compile(
    r"Cannot connect to the Docker daemon|permission denied while trying to connect|no space left on device|"
    r"buildx component is missing|database is locked|error mounting|cannot re-exec|kernel does not support|"
    r"sealing memfd")
# … and when the runtime failed to start a step's container for a moment (crun under load:
# "Close_Fd sealing memfd copy: Device or resource busy"): the build is tried once more.
TRANSIENT_TROUBLE = re.compile(r"sealing memfd|Device or resource busy")


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
    pull: str = "missing"      # missing, always or never (PULL_POLICIES)
    network: str | None = None  # the builds' network: None is the engine's default; "none" has none
    created: list[str] = field(default_factory=list)   # images to remove at the end
    containers: list[str] = field(default_factory=list)

    def build_command(self, dockerfile: str, context: str, tag: str, ignore_file: str | None = None) -> list[str]:
        """The command line that builds `dockerfile` from `context` as `tag`. `ignore_file`
        replaces the context's .dockerignore (Docker reads it as `<Dockerfile>.dockerignore`
        beside the Dockerfile, so it is not named)."""
        if self.build_tool == "docker":
            command = ["docker", "build"] + (["--pull"] if self.pull == "always" else [])
        else:
            tool = ["podman", "build"] if self.build_tool == "podman" else ["buildah", "bud"]
            command = [*tool, f"--pull={self.pull}", "--format", "docker"]
            if ignore_file is not None:
                command += ["--ignorefile", ignore_file]
        if self.network is not None:
            command += ["--network", self.network]
        return [*command, "-f", dockerfile, "-t", tag, context]

    def build(self, dockerfile: str, context: str, tag: str, ignore_file: str | None = None,
              timeout: float = 900, keep: bool = False) -> float:
        """Build and tag; returns the wall time in seconds. Raises BuildFailed when a step of
        the Dockerfile fails, and EngineError when the engine or a base image is the trouble.
        The image is removed at `cleanup` unless `keep`."""
        command = self.build_command(dockerfile, context, tag, ignore_file)
        env = {**os.environ, "DOCKER_BUILDKIT": "1"} if self.build_tool == "docker" else None
        started = time.monotonic()
        completed = self._call(command, timeout, env)
        if completed.returncode != 0 and TRANSIENT_TROUBLE.search(_stderr(completed)):
            completed = self._call(command, timeout, env)  # the runtime stumbled: once more before blaming anyone
        if completed.returncode != 0:
            raise _build_failure(self, command, completed)
        if not keep:
            self.created.append(tag)
        return time.monotonic() - started

    def has_image(self, image: str) -> bool:
        """Whether `image` is among the engine's local images (as a build would find it)."""
        if self.run_tool == "docker":
            completed = self._call(["docker", "image", "inspect", "--format", "{{.Id}}", image])
            if completed.returncode != 0 and "no such image" not in _stderr(completed).lower():
                raise _engine_trouble(self, completed.args, completed)
            return completed.returncode == 0
        completed = self._call([self.run_tool, "image", "exists", image])
        if completed.returncode not in (0, 1):
            raise _engine_trouble(self, completed.args, completed)
        return completed.returncode == 0

    def pull_image(self, image: str, timeout: float = 900) -> str | None:
        """Pull `image`; None when it worked, else what the engine said."""
        completed = self._call([self.run_tool, "pull", "-q", image], timeout)
        return None if completed.returncode == 0 else _tail(completed)

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

    def run(self, tag: str, args: Sequence[str] = (), stdin: bytes | None = None, network: str = "none",
            timeout: float = 60) -> RunResult:
        command = [self.run_tool, "run", "--rm", "-i", "--network", network, tag, *args]
        completed = subprocess.run(command, input=stdin or b"", capture_output=True, timeout=timeout)
        return RunResult(completed.returncode, completed.stdout, completed.stderr)

    def start(self, tag: str, args: Sequence[str] = ()) -> str:
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
        completed = self._call(command, timeout, env)
        if completed.returncode != 0:
            raise _engine_trouble(self, command, completed)
        return completed

    def _call(self, command: list[str], timeout: float = 300, env=None) -> subprocess.CompletedProcess:
        """Run an engine command; raises EngineError only when it cannot run or does not end."""
        try:
            return subprocess.run(command, capture_output=True, timeout=timeout, env=env)
        except FileNotFoundError:
            raise EngineError(f"{command[0]} is not installed{_INSTALL}") from None
        except subprocess.TimeoutExpired:
            raise EngineError(f"`{_shown(command)}` took longer than {timeout:.0f} s: the engine hangs or a "
                              f"download is slow (`{self.run_tool} info` shows the engine's state)") from None


_INSTALL = (": install Docker (with BuildKit), Podman, or Buildah with Podman (Debian and Ubuntu: "
            "`apt-get install podman buildah`), or name the one you have with --engine")


def _stderr(completed: subprocess.CompletedProcess) -> str:
    return completed.stderr.decode(errors="replace") if isinstance(completed.stderr, bytes) else completed.stderr


def _tail(completed: subprocess.CompletedProcess, lines: int = 12) -> str:
    return "\n  ".join(_stderr(completed).strip().splitlines()[-lines:])


def _shown(command: list[str]) -> str:
    return " ".join(command[:3]) + (" …" if len(command) > 3 else "")


def _engine_trouble(engine: Engine, command: list[str], completed) -> EngineError:
    return EngineError(f"`{_shown(command)}` failed (exit {completed.returncode}); the engine is in trouble, "
                       f"not the Dockerfile (`{engine.run_tool} info` shows its state):\n  {_tail(completed)}")


def _build_failure(engine: Engine, command: list[str], completed) -> EngineError:
    """A failed build, told apart: a base image that could not be had, the engine in trouble,
    or a step of the Dockerfile that failed (BuildFailed, the one a fix can be blamed for)."""
    said = _stderr(completed)
    if BASE_TROUBLE.search(said):
        return MissingBaseImage(f"`{_shown(command)}` could not get a base image (--pull {engine.pull}):\n  "
                                f"{_tail(completed)}\n{_GET_IMAGES.format(tool=engine.run_tool)}")
    if ENGINE_TROUBLE.search(said):
        return _engine_trouble(engine, command, completed)
    return BuildFailed(f"`{_shown(command)}` failed (exit {completed.returncode}):\n  {_tail(completed)}")


_GET_IMAGES = ("  To get it: `{tool} pull IMAGE` (after `{tool} login REGISTRY` for a private one), or "
               "`{tool} load -i FILE` with an archive `{tool} save` wrote where a registry is reachable.")


def ensure_base_images(engine: Engine, bases: dict[str, str], progress=lambda message: None) -> None:
    """Make sure every base image (image → which Dockerfile uses it) is there under the
    engine's pull policy before anything is built. Raises MissingBaseImage with what to do."""
    for image, where in bases.items():
        if engine.pull == "never":
            if not engine.has_image(image):
                raise MissingBaseImage(_missing(engine, image, where, "is not among the local images, and "
                                                "--pull never does not pull it", "or run with --pull missing."))
            continue
        if engine.pull == "missing" and engine.has_image(image):
            continue
        progress(f"pulling {image}")
        reason = engine.pull_image(image)
        if reason is None:
            continue
        if engine.pull == "always" and engine.has_image(image):
            raise MissingBaseImage(_missing(engine, image, where, f"could not be pulled (--pull always):\n  {reason}",
                                            "or use the local copy with --pull missing."))
        raise MissingBaseImage(_missing(engine, image, where, f"is not local and could not be pulled:\n  {reason}",
                                        "or check the name and the network."))


def _missing(engine: Engine, image: str, where: str, what: str, otherwise: str) -> str:
    from .standins import kind_of

    tool = engine.run_tool
    lines = [f"base image {image} ({where}) {what}",
             f"  To get it: `{tool} pull {image}` (after `{tool} login REGISTRY` for a private one), "
             f"`{tool} load -i FILE` with an archive `{tool} save` wrote where a registry is reachable, {otherwise}"]
    if kind_of(image) is not None:
        lines.append("  Offline, `dockerfix verify --make-standins PATH` tags a local stand-in for it "
                     "(a stand-in proves the fix builds and runs, not the real image).")
    return "\n".join(lines)


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


def detect(preferred: str | None = None, pull: str = "missing", network: str | None = None) -> Engine:
    """The engine to use: the one asked for, else Docker with a running daemon, Podman, Buildah."""
    candidates = [preferred] if preferred else ["docker", "podman", "buildah"]
    problems = []
    for name in candidates:
        engine = _engine(name, pull, network)
        reason = _unusable(engine)
        if reason is None:
            return engine
        problems.append(f"{name}: {reason}")
    what_to_do = (_DAEMON if preferred == "docker" and "daemon" in problems[0] else _INSTALL)
    raise EngineError("no container engine to build with (" + "; ".join(problems) + ")" + what_to_do)


_DAEMON = (": start the Docker daemon, or point DOCKER_HOST or `docker context use` at one that runs, or use "
           "--engine podman")


def _engine(name: str, pull: str = "missing", network: str | None = None) -> Engine:
    if pull not in PULL_POLICIES:
        raise EngineError(f"unknown pull policy {pull!r} (missing, always or never)")
    tools = {"docker": ("docker", "docker"), "podman": ("podman", "podman"), "buildah": ("buildah", "podman")}
    if name not in tools:
        raise EngineError(f"unknown engine {name!r} (docker, podman or buildah)")
    return Engine(name, *tools[name], pull=pull, network=network)


def _unusable(engine: Engine) -> str | None:
    for tool in {engine.build_tool, engine.run_tool}:
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if engine.build_tool == "docker":
        probe = subprocess.run(["docker", "info"], capture_output=True)
        if probe.returncode != 0:
            return "no Docker daemon answers"
    return None
