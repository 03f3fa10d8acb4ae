"""fixer/ type-checks: mypy, with the settings of pyproject.toml ([tool.mypy]: its default
strictness, Python 3.11, every module of fixer/ and no module left out or given an override),
reports nothing; an ignore comment that hides nothing any more is itself an error.

The annotations cost a run nothing: `from __future__ import annotations` keeps them unevaluated,
and what only they need is imported under `if TYPE_CHECKING:` (see tests/test_start_up.py).
"""
from __future__ import annotations

import subprocess
import sys

from helpers import ROOT


def test_mypy_reports_no_error_in_fixer():
    completed = subprocess.run([sys.executable, "-m", "mypy", "--config-file", "pyproject.toml"],
                               capture_output=True, text=True, cwd=ROOT)
    assert completed.returncode == 0, completed.stdout + completed.stderr  # mypy missing: pip install -e '.[test]'
    assert "Success: no issues found" in completed.stdout, completed.stdout
