"""The container engine the build tests use: buildah builds and podman runs, as root with
chroot isolation, in a storage of their own, from local stand-in base images
(fixer/verify/standins.py; no registry is reachable here).

On a machine without the engine the tests are skipped with the reason; CI and `make test`
as root install it, and set DOCKERFIX_REQUIRE_ENGINE=1 so that a missing engine fails.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from fixer.verify import Engine, standins

from .projects import bases_used

# What `make engine` installs (the Makefile's ENGINE_PACKAGES).
PACKAGES = ("buildah", "podman", "runc", "busybox-static", "golang-go", "ca-certificates", "tzdata")
KINDS = ("alpine", "golang", "distroless")


def unavailable(kinds=KINDS) -> str | None:
    if os.geteuid() != 0:
        return "the engine runs as root here (chroot isolation); not root"
    lacking = [tool for tool in ("buildah", "podman", "runc") if shutil.which(tool) is None]
    lacking += [item for kind in kinds for item in standins.missing(kind)]
    if lacking:
        return f"no container engine or stand-in material ({', '.join(dict.fromkeys(lacking))}): " \
               f"apt-get install {' '.join(PACKAGES)} (or run .ci/run)"
    return None


def skip_or_fail(reason: str) -> None:
    if os.environ.get("DOCKERFIX_REQUIRE_ENGINE"):
        pytest.fail(f"DOCKERFIX_REQUIRE_ENGINE is set, but {reason}")
    pytest.skip(reason)


def configure(root: Path) -> dict[str, str]:
    """Engine settings that work on this kind of machine, in a graphroot of our own."""
    (root / "storage.conf").write_text(
        f'[storage]\ndriver = "overlay"\ngraphroot = "{root}/graph"\nrunroot = "{root}/run"\n')
    (root / "containers.conf").write_text(
        '[containers]\nnetns = "none"\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n'
        '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n')
    return {"CONTAINERS_STORAGE_CONF": str(root / "storage.conf"),
            "CONTAINERS_CONF": str(root / "containers.conf"), "BUILDAH_ISOLATION": "chroot"}


@pytest.fixture(scope="session")
def engine(tmp_path_factory):
    """The engine, with stand-ins tagged as every base the projects use; its builds have no
    network (the projects need none: GOPROXY=off, and apk installs what the image carries)."""
    reason = unavailable()
    if reason:
        skip_or_fail(reason)
    root = tmp_path_factory.mktemp("containers")
    saved = {name: os.environ.get(name) for name in ("CONTAINERS_STORAGE_CONF", "CONTAINERS_CONF",
                                                      "BUILDAH_ISOLATION")}
    os.environ.update(configure(root))
    try:
        engine = Engine("buildah", "buildah", "podman", network="none")
        outcome = standins.make(engine, bases_used(), root)
        assert set(outcome.values()) == {"stand-in"}, outcome
        yield engine
    finally:
        subprocess.run(["podman", "system", "reset", "--force"], capture_output=True)
        # the storage library mounts its overlay directory on itself and the reset leaves that
        # mount: without this, pytest cannot remove the directory in a later run
        subprocess.run(["umount", str(root / "graph" / "overlay")], capture_output=True)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
