"""Releases people can install, as they install them: the sdist and the wheel built from it
(`python -m build`, as `make dist` does), the wheel installed into a fresh virtual
environment and run on the example; and the container image of dockerfix (./Dockerfile),
built with the engine the build tests use from a stand-in of its Python base, and run on
the example. Slow (a minute or two: builds, installs from the package index), so they are
here with the build tests."""
from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import ROOT, engine_unavailable, skip_or_fail

from fixer.verify import standins

EXAMPLE = ROOT / "examples" / "go-mcp-server"
# Files the package reads at run time, besides its modules.
PACKAGE_DATA = ("fixer/verify/data/apk", "fixer/data/completion/dockerfix.bash")


def _run(*command, **options) -> subprocess.CompletedProcess:
    completed = subprocess.run([str(part) for part in command], capture_output=True, text=True, **options)
    assert completed.returncode == 0, f"{' '.join(map(str, command))}:\n{completed.stdout}\n{completed.stderr}"
    return completed


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """dist/ as `make dist` makes it: the sdist, and the wheel built from the unpacked sdist."""
    root = tmp_path_factory.mktemp("release")
    _run(sys.executable, "-m", "venv", root / "tools")
    _run(root / "tools" / "bin" / "python", "-m", "pip", "install", "--quiet", "build")
    _run(root / "tools" / "bin" / "python", "-m", "build", "--outdir", root / "dist", ROOT)
    return root / "dist"


def test_the_sdist_and_the_wheel_hold_the_package_and_nothing_of_the_tests(dist):
    [sdist], [wheel] = dist.glob("dockerfix-*.tar.gz"), dist.glob("dockerfix-*-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
    modules = {str(path.relative_to(ROOT)) for path in (ROOT / "fixer").rglob("*.py")}
    assert modules <= in_wheel, sorted(modules - in_wheel)
    assert set(PACKAGE_DATA) <= in_wheel
    assert not any(name.startswith(("tests/", "fixtures/", "examples/")) for name in in_wheel)
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"pyproject.toml", "README.md", "LICENSE", *PACKAGE_DATA} <= in_sdist


def test_the_wheel_installs_into_a_fresh_venv_and_runs_on_the_example(dist, tmp_path):
    [wheel] = dist.glob("*.whl")
    _run(sys.executable, "-m", "venv", tmp_path / "venv")
    _run(tmp_path / "venv" / "bin" / "python", "-m", "pip", "install", "--quiet", wheel)
    dockerfix = tmp_path / "venv" / "bin" / "dockerfix"
    project = tmp_path / "example"
    shutil.copytree(EXAMPLE, project)
    installed = subprocess.run([dockerfix, "Dockerfile"], capture_output=True, text=True, cwd=project)
    here = subprocess.run([sys.executable, "-m", "fixer", "Dockerfile"], capture_output=True, text=True, cwd=project)
    assert installed.returncode == 0, installed.stderr
    assert "+FROM alpine:3.24\n" in installed.stdout and installed.stdout == here.stdout
    assert subprocess.run([dockerfix, "--check", "-q", "."], cwd=project, capture_output=True).returncode == 1
    assert "apk add" in _run(dockerfix, "--explain", "DF002").stdout
    assert "complete" in _run(dockerfix, "--completion", "bash").stdout
    assert "--make-standins" in _run(dockerfix, "verify", "--help").stdout


def test_the_container_image_builds_and_runs_on_the_example(engine, tmp_path):
    reason = engine_unavailable(("python",))
    if reason:
        skip_or_fail(reason)
    base = "python:3.11-slim"
    assert f"FROM {base} AS build\n" in (ROOT / "Dockerfile").read_text()
    if standins.kind_of(base) is None:
        skip_or_fail(f"the stand-in for {base} is the Python running the tests, and that is {sys.version.split()[0]}")
    assert standins.make(engine, [base], tmp_path) == {base: "stand-in"}
    # pip installs dockerfix's dependencies from the package index: this build has a network
    with_network = replace(engine, network=None, created=[])
    with_network.build(str(ROOT / "Dockerfile"), str(ROOT), "dockerfix-test/dockerfix")
    try:
        project = tmp_path / "example"
        shutil.copytree(EXAMPLE, project)
        run = ["podman", "run", "--rm", "--network", "none", "-v", f"{project}:/src:ro", "dockerfix-test/dockerfix"]
        in_image = subprocess.run([*run, "Dockerfile"], capture_output=True, text=True)
        here = subprocess.run([sys.executable, "-m", "fixer", "Dockerfile"], capture_output=True, text=True,
                              cwd=project)
        assert in_image.returncode == 0, in_image.stderr
        assert in_image.stdout == here.stdout and "+FROM alpine:3.24\n" in in_image.stdout
        assert subprocess.run([*run, "--check", "-q", "."], capture_output=True).returncode == 1
        assert engine.facts("dockerfix-test/dockerfix").config["User"] == "65534:65534"
    finally:
        with_network.cleanup()
