"""The container engine the build tests use: buildah builds and podman runs, as root with
chroot isolation, in a storage of their own, from local stand-in base images
(fixer/verify/standins.py; no registry is reachable here).

On a machine without the engine the tests are skipped with the reason; CI and `make test`
as root install it, and set DOCKERFIX_REQUIRE_ENGINE=1 so that a missing engine fails.
"""
from __future__ import annotations

import os
import subprocess

import pytest
from helpers import engine_settings, engine_unavailable, skip_or_fail

from fixer.verify import Engine, standins

from .projects import bases_used


@pytest.fixture(scope="session")
def engine(tmp_path_factory):
    """The engine, with stand-ins tagged as every base the projects use; its builds have no
    network (the projects need none: GOPROXY=off, and apk installs what the image carries)."""
    reason = engine_unavailable()
    if reason:
        skip_or_fail(reason)
    root = tmp_path_factory.mktemp("containers")
    saved = {name: os.environ.get(name) for name in ("CONTAINERS_STORAGE_CONF", "CONTAINERS_CONF",
                                                      "BUILDAH_ISOLATION")}
    os.environ.update(engine_settings(root))
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
