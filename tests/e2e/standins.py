"""Local stand-ins for the base images the fixture projects build from.

No container registry is reachable here, so the end-to-end tests cannot pull `alpine`,
`golang` or distroless. They build these instead, once per test session, and tag them with
the names the Dockerfiles use:

- alpine (and busybox): Debian's busybox-static with every applet, an /etc/passwd with
  `nobody` (65534), the host's CA bundle where Alpine keeps it, and `apk`: a documented
  stand-in script (fixtures/standins/apk) that installs only the packages the image carries
  (ca-certificates, tzdata) and fails for any other;
- golang (any tag): the alpine stand-in plus Debian's Go toolchain (golang-go) at
  /usr/local/go, with GOPATH=/go, GOPROXY=off (no network) and CGO_ENABLED=0 (there is no
  C compiler, as in golang:*-alpine);
- gcr.io/distroless/static*: no shell at all, /etc/passwd with `nonroot` (65532), the CA
  bundle and zone data.

What is real: the engine (buildah builds, podman runs), every build step, the Go compiler
and the programs the tests run. What is a stand-in: only these base images.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT

APK = ROOT / "fixtures" / "standins" / "apk"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
PASSWD = ("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
          "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n")
GROUP = "root:x:0:\nnogroup:x:65534:\nnonroot:x:65532:\n"
PACKAGES = ("buildah", "podman", "runc", "busybox-static", "golang-go", "ca-certificates", "tzdata")


def missing_tools() -> list[str]:
    needed = {"buildah": "buildah", "podman": "podman", "runc": "runc", "busybox": "busybox-static",
              "go": "golang-go"}
    missing = [package for tool, package in needed.items() if shutil.which(tool) is None]
    files = {"/etc/ssl/certs/ca-certificates.crt": "ca-certificates", "/usr/share/zoneinfo/UTC": "tzdata"}
    return missing + [package for path, package in files.items() if not os.path.exists(path)]


def configure(root: Path) -> dict[str, str]:
    """Engine settings that work on this kind of machine, in a graphroot of our own."""
    (root / "storage.conf").write_text(
        f'[storage]\ndriver = "overlay"\ngraphroot = "{root}/graph"\nrunroot = "{root}/run"\n')
    (root / "containers.conf").write_text(
        '[containers]\nnetns = "none"\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n'
        '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n')
    return {"CONTAINERS_STORAGE_CONF": str(root / "storage.conf"),
            "CONTAINERS_CONF": str(root / "containers.conf"), "BUILDAH_ISOLATION": "chroot"}


def _run(*command: str) -> str:
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])}: {completed.stderr.strip()[-2000:]}")
    return completed.stdout.strip()


def build_alpine(root: Path) -> str:
    rootfs = root / "alpine-rootfs"
    for directory in ("bin", "sbin", "etc/ssl/certs", "tmp", "root", "var/cache/apk", "usr/share/standin"):
        (rootfs / directory).mkdir(parents=True, exist_ok=True)
    shutil.copy2(shutil.which("busybox"), rootfs / "bin" / "busybox")
    shutil.copy2(APK, rootfs / "sbin" / "apk")
    (rootfs / "etc" / "passwd").write_text(PASSWD)
    (rootfs / "etc" / "group").write_text(GROUP)
    bundle = Path("/etc/ssl/certs/ca-certificates.crt")
    shutil.copy2(bundle, rootfs / "etc" / "ssl" / "certs" / bundle.name)
    carried = rootfs / "usr" / "share" / "standin"
    (carried / "ca-certificates" / "etc" / "ssl" / "certs").mkdir(parents=True, exist_ok=True)
    shutil.copy2(bundle, carried / "ca-certificates" / "etc" / "ssl" / "certs" / bundle.name)
    (carried / "tzdata" / "usr" / "share").mkdir(parents=True, exist_ok=True)
    shutil.copytree("/usr/share/zoneinfo", carried / "tzdata" / "usr" / "share" / "zoneinfo", symlinks=True)
    (root / "alpine.Dockerfile").write_text(
        f'FROM scratch\nCOPY alpine-rootfs/ /\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n'
        f'ENV PATH={PATH}\nCMD ["/bin/sh"]\n')
    _run("buildah", "bud", "--pull=never", "-q", "-t", "dockerfix-standin/alpine", "-f",
         str(root / "alpine.Dockerfile"), str(root))
    return "dockerfix-standin/alpine"


def build_golang(alpine: str, root: Path) -> str:
    goroot = _go_root(root)
    container = _run("buildah", "from", "--pull=never", alpine)
    try:
        _run("buildah", "copy", "-q", container, str(goroot), "/usr/local/go")
        for library in ("/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"):
            if os.path.exists(library):
                _run("buildah", "copy", "-q", container, library, os.path.dirname(library) + "/")
        _run("buildah", "config", "--env", "GOPATH=/go", "--env", f"PATH=/go/bin:/usr/local/go/bin:{PATH}",
             "--env", "GOPROXY=off", "--env", "CGO_ENABLED=0",
             "--workingdir", "/go", container)
        _run("buildah", "run", container, "mkdir", "-p", "/go/bin")
        _run("buildah", "commit", "-q", container, "dockerfix-standin/golang")
    finally:
        subprocess.run(["buildah", "rm", container], capture_output=True)
    return "dockerfix-standin/golang"


def _go_root(root: Path) -> Path:
    """Debian's Go toolchain as one tree: Debian keeps src/ and pkg/include elsewhere, linked."""
    debian = Path(sorted(glob.glob("/usr/lib/go-1.*"))[-1])
    goroot = root / "goroot"
    for part in ("VERSION", "bin", "pkg", "src"):
        source = debian / part
        if source.is_dir():
            shutil.copytree(source, goroot / part, symlinks=False)
        else:
            goroot.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, goroot / part)
    return goroot


def build_distroless(root: Path) -> str:
    rootfs = root / "distroless-rootfs"
    (rootfs / "etc" / "ssl" / "certs").mkdir(parents=True, exist_ok=True)
    (rootfs / "tmp").mkdir(exist_ok=True)
    (rootfs / "etc" / "passwd").write_text(PASSWD)
    (rootfs / "etc" / "group").write_text(GROUP)
    shutil.copy2("/etc/ssl/certs/ca-certificates.crt", rootfs / "etc" / "ssl" / "certs")
    (root / "distroless.Dockerfile").write_text(f"FROM scratch\nCOPY distroless-rootfs/ /\nENV PATH={PATH}\n")
    _run("buildah", "bud", "--pull=never", "-q", "-t", "dockerfix-standin/distroless", "-f",
         str(root / "distroless.Dockerfile"), str(root))
    return "dockerfix-standin/distroless"


def stand_in_for(image: str, built: dict[str, str]) -> str | None:
    name = image.split("@", 1)[0].rsplit(":", 1)[0] if ":" in image.rsplit("/", 1)[-1] else image
    last = name.rsplit("/", 1)[-1]
    if last == "golang":
        return built["golang"]
    if last in ("alpine", "busybox"):
        return built["alpine"]
    if name.startswith("gcr.io/distroless/"):
        return built["distroless"]
    return None


def tag_as(images: set[str], built: dict[str, str]) -> None:
    for image in sorted(images):
        standin = stand_in_for(image, built)
        if standin is None:
            raise RuntimeError(f"no stand-in for base image {image}")
        _run("buildah", "tag", standin, image)
