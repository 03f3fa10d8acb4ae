"""The code base stays clean: under ruff, with the settings in pyproject.toml, and under dockerfix
itself for its own Dockerfile."""
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import ROOT


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).parent / "ruff"
    command = str(ruff) if ruff.exists() else shutil.which("ruff")
    assert command, "ruff is a test dependency; install with: pip install -e .[test]"
    completed = subprocess.run([command, "check", "--output-format", "concise", "fixer", "tests", "benchmarks"],
                               cwd=ROOT, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_dockerfix_s_own_dockerfile_has_nothing_to_fix():
    completed = subprocess.run([sys.executable, "-m", "fixer", "--check", "Dockerfile"], capture_output=True,
                               text=True, cwd=ROOT)
    assert completed.returncode == 0, completed.stdout + completed.stderr
