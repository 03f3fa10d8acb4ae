"""The code base stays clean under ruff, with the settings in pyproject.toml."""
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).parent / "ruff"
    command = str(ruff) if ruff.exists() else shutil.which("ruff")
    assert command, "ruff is a test dependency; install with: pip install -e .[test]"
    completed = subprocess.run([command, "check", "--output-format", "concise", "fixer", "tests", "benchmarks"],
                               cwd=ROOT, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr
