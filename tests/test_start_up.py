"""A one-file run imports only what it needs: start-up is most of a pre-commit hook's time.

Not a timed test (the benchmark measures time): it names the modules a one-file `--check`
must not import, each of which once cost the hook milliseconds on every run.
"""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig

from helpers import ROOT

NAIVE = "FROM golang:1.23 as build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n"
NOT_NEEDED = (
    "pathlib",               # with urllib.parse and ipaddress, more than all the rules' own code
    "dataclasses",           # fixer.records instead
    "tempfile", "difflib",   # only when writing, only for diffs
    "tomllib",               # only when there is a configuration file
    "ruamel.yaml", "fixer.syntax.compose", "fixer.engine.compose",  # only for Compose files
    "fixer.rules.compose",
    "concurrent.futures", "multiprocessing",                        # only for many files
    "fixer.verify", "subprocess",
    "click",                 # the command line is argparse: click's import was 55 ms
    "typing",                # collections.abc for annotations: typing's import is 3 ms
    "shutil",                # argparse imports it for the terminal's width (console.HelpFormatter)
    "fixer.server", "pygls", "lsprotocol",   # only for `dockerfix server`: 0.3-0.6 s of imports
)
PROBE = """
import sys
before = set(sys.modules)
sys.argv = ["dockerfix", "--check", "--isolated", sys.argv[1]]
from fixer.__main__ import entry
def exit_now(code):  # a finished run ends with os._exit; the probe has more to say
    raise SystemExit(code)
import os
os._exit = exit_now
try:
    entry()
except SystemExit as exit:
    code = exit.code
print("imported:", code, *sorted(set(sys.modules) - before), file=sys.stderr)
"""


def test_a_one_file_check_imports_only_what_it_needs(tmp_path):
    (tmp_path / "Dockerfile").write_text(NAIVE)
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.23\n")
    # -S: without site, whose import hooks (an editable install's) load pathlib themselves; the
    # installed packages on the path even so, that an import of one shows here and not as an ImportError
    installed = dict.fromkeys((sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]))
    path = os.pathsep.join([str(ROOT), *installed])
    completed = subprocess.run([sys.executable, "-S", "-c", PROBE, str(tmp_path / "Dockerfile")],
                               capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": path})
    report = completed.stderr[completed.stderr.rindex("imported:"):]
    code, *imported = report.split()[1:]
    assert code == "1", completed.stderr  # it ran the rules and found something to fix
    assert "fixer.rules.go_multi_stage" in imported
    assert [name for name in NOT_NEEDED if name in imported] == []
