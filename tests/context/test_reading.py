"""Files of a context are read only when they are regular files, and never block."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from fixer.context.reading import read_bytes, read_text

NAIVE_GO = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /server .\nCMD [\"/server\"]\n"


def test_a_regular_file_is_read_whole_or_in_part(tmp_path):
    (tmp_path / "f").write_bytes(b"abc\r\n\xff")
    assert read_bytes(tmp_path / "f") == b"abc\r\n\xff"
    assert read_bytes(tmp_path / "f", 2) == b"ab"
    assert read_text(tmp_path / "f") == "abc\r\n\ufffd"


def test_what_is_not_a_regular_file_reads_as_absent(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "directory").mkdir()
    assert read_bytes(tmp_path / "fifo") is None
    assert read_bytes(tmp_path / "directory") is None
    assert read_bytes(tmp_path / "missing") is None


@pytest.mark.parametrize("name", ["go.mod", ".dockerignore", "main.go", "LICENSE"])
def test_a_fifo_in_the_build_context_does_not_hang_a_run(tmp_path, name):
    (tmp_path / "Dockerfile").write_text(NAIVE_GO)
    if name != "go.mod":
        (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.22\n")
    if name != "main.go":
        (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    os.mkfifo(tmp_path / name)
    completed = subprocess.run([sys.executable, "-m", "fixer", "--select", "ALL", str(tmp_path / "Dockerfile")],
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert f"+++ {tmp_path / 'Dockerfile'}\n" in completed.stdout, "it read the Dockerfile and printed its fixes"
