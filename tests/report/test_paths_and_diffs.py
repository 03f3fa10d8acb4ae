"""Diffs that apply, and paths shown so that one finding stays one line.

A diff's lines are the file's lines: cut at `\\n` only, as BuildKit (and `patch`) cut them, so a
`\\f`, `\\x1c`, U+2028 or lone `\\r` inside a line stays in it. Each diff is applied with the
real `patch -p0` and `git apply`. A path with a line break or other control character is
printed quoted as git quotes it (which both tools read back), and a SARIF location is a
percent-encoded URI.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from urllib.parse import unquote

import pytest
from helpers import run

from fixer.console import shown_path
from fixer.report.diff import unified_diff
from fixer.report.formats import _uri

ODD = ["\f", "\x1c", "\u2028", "\r", "\x85", "\v"]


def _dockerfile(odd: str) -> str:
    return (f"# build{odd}notes\nFROM alpine:latest\nRUN echo a{odd}b\nMAINTAINER me{odd}x\n"
            f"RUN apk add curl{odd}\nCMD [\"sh\"]\n")


def _apply(tool: str, directory, diff: bytes) -> None:
    if tool == "patch":
        command = ["patch", "-p0", "--batch", "--silent"]
    else:
        subprocess.run(["git", "init", "-q"], cwd=directory, check=True)
        command = ["git", "apply", "-p0", "-"]
    completed = subprocess.run(command, input=diff, cwd=directory, capture_output=True)
    assert completed.returncode == 0, completed.stderr


@pytest.mark.skipif(not shutil.which("patch") or not shutil.which("git"), reason="needs patch and git")
@pytest.mark.parametrize("tool", ["patch", "git"])
@pytest.mark.parametrize("odd", ODD, ids=repr)
def test_the_diff_applies_with_patch_and_git_apply(tmp_path, monkeypatch, odd, tool):
    text = _dockerfile(odd)
    for name in ("original", "written"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_bytes(text.encode())
    monkeypatch.chdir(tmp_path / "original")
    shown = run("--check", "--diff", "--select", "DF002,DF014,DF016", "Dockerfile")
    assert shown.exit_code == 1 and "@@" in shown.stdout, shown.stderr
    monkeypatch.chdir(tmp_path / "written")
    assert run("--write", "--select", "DF002,DF014,DF016", "Dockerfile").exit_code == 0
    _apply(tool, tmp_path / "original", shown.stdout.encode())
    assert (tmp_path / "original" / "Dockerfile").read_bytes() == (tmp_path / "written" / "Dockerfile").read_bytes()


@pytest.mark.parametrize("odd", ODD, ids=repr)
def test_diff_lines_are_the_files_lines(odd):
    before = f"FROM a\nRUN x{odd}y\n"
    diff = unified_diff(before, before + "USER app\n", "Dockerfile")
    assert diff.split("\n")[2:] == ["@@ -1,2 +1,3 @@", " FROM a", f" RUN x{odd}y", "+USER app", ""]


@pytest.mark.parametrize("path, shown", [
    ("Dockerfile", "Dockerfile"),
    ("my app/Dockerfile", "my app/Dockerfile"),
    ("caf\u00e9/Dockerfile", "caf\u00e9/Dockerfile"),
    ("a\nb/Dockerfile", '"a\\nb/Dockerfile"'),
    ("tab\there", '"tab\\there"'),
    ("x\x1by", '"x\\033y"'),
    ("p\u2028q", '"p\\342\\200\\250q"'),
    ('a"b\\c\nd', '"a\\"b\\\\c\\nd"'),
    ('"quoted"', '"\\"quoted\\""'),
    ("bytes\udcff", "bytes\udcff"),  # not UTF-8: printed as the byte it is
])
def test_paths_are_shown_quoted_only_when_they_must_be(path, shown):
    assert shown_path(path) == shown


@pytest.mark.skipif(not shutil.which("patch") or not shutil.which("git"), reason="needs patch and git")
@pytest.mark.parametrize("tool", ["patch", "git"])
def test_a_quoted_path_in_a_diff_header_is_read_back(tmp_path, tool):
    name = "odd\ndir\x1c\u2028"
    (tmp_path / name).mkdir()
    path = os.path.join(name, "Dockerfile")
    (tmp_path / path).write_text("FROM a\n")
    _apply(tool, tmp_path, unified_diff("FROM a\n", "FROM a\nUSER app\n", path).encode())
    assert (tmp_path / path).read_text() == "FROM a\nUSER app\n"


def test_a_newline_in_a_path_does_not_split_a_finding(tmp_path):
    directory = tmp_path / "a\nb"
    directory.mkdir()
    (directory / "Dockerfile").write_text("FROM golang:1.23 as build\n")
    for format_ in ("text", "concise"):
        result = run("--check", "--output-format", format_, str(directory / "Dockerfile"))
        lines = [line for line in (result.stdout + result.stderr).splitlines() if "DF001" in line]
        assert lines and all(line.startswith('"') and "a\\nb/Dockerfile" in line for line in lines), result


@pytest.mark.parametrize("path, uri", [
    ("Dockerfile", "Dockerfile"),
    ("./svc/Dockerfile", "svc/Dockerfile"),
    ("my app/Dockerfile", "my%20app/Dockerfile"),
    ("a#b%c?d/Dockerfile", "a%23b%25c%3Fd/Dockerfile"),
    ("c:d/Dockerfile", "c%3Ad/Dockerfile"),  # not a URI scheme
    ("caf\u00e9/Dockerfile", "caf%C3%A9/Dockerfile"),
    ("a\nb/Dockerfile", "a%0Ab/Dockerfile"),
    ("/srv/my app/Dockerfile", "file:///srv/my%20app/Dockerfile"),
])
def test_sarif_uris_are_percent_encoded(path, uri):
    assert _uri(path) == uri
    assert unquote(uri.removeprefix("file://")) == path.removeprefix("./")


def test_sarif_log_locations_are_uris(tmp_path, monkeypatch):
    directory = tmp_path / "my app#1"
    directory.mkdir()
    (directory / "Dockerfile").write_text("FROM golang:1.23 as build\n")
    monkeypatch.chdir(tmp_path)
    log = json.loads(run("--check", "--output-format", "sarif", "my app#1/Dockerfile").stdout)
    uris = {location["physicalLocation"]["artifactLocation"]["uri"]
            for result in log["runs"][0]["results"] for location in result["locations"]}
    assert uris == {"my%20app%231/Dockerfile"}
