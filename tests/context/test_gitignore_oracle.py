"""The .gitignore matcher against git itself: for generated .gitignore files (root and one
below) and paths, `fixer.context.gitignore.ignored` says what `git check-ignore --no-index`
says. git is the oracle here as BuildKit's parser is for the grammar.

Set DOCKERFIX_FUZZ_EXAMPLES for a longer run.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from helpers import FUZZ_EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixer.context.gitignore import GitIgnoreFile, ignored

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

NAMES = ["ab", "bb", "x.log", "y.env", ".env", "node_modules", "c d", "#h", "!n", "[x]"]  # no directory's name
DIRECTORIES = ["", "a/", "b/", "a/b/", "build/", "sub/", "sub/build/", "sub/a/"]
PATTERN_PIECES = ["a", "b", "ab", "*", "**", "?", "*.log", "x.*", ".env", "build", "node_modules", "[ab]",
                  "[!a]", "[a-c]", "[]", "[", "c d", "c\\ d", "\\#h", "\\!n", "#h", "sub", "\\[x]"]
PATTERN_GLUE = ["", "/", "/**/", "**/"]


@st.composite
def patterns(draw) -> str:
    parts = draw(st.lists(st.sampled_from(PATTERN_PIECES), min_size=1, max_size=3))
    glue = [draw(st.sampled_from(PATTERN_GLUE)) for _ in parts[1:]]
    body = parts[0] + "".join(g + p for g, p in zip(glue, parts[1:], strict=True))
    prefix = draw(st.sampled_from(["", "", "/", "**/", "!", "!/"]))
    suffix = draw(st.sampled_from(["", "", "/", "/**", "  ", "\\ ", "/*"]))
    return prefix + body + suffix


gitignores = st.lists(patterns(), max_size=5).map(lambda lines: "".join(line + "\n" for line in lines))
paths = st.lists(st.tuples(st.sampled_from(DIRECTORIES), st.sampled_from(NAMES)).map("".join),
                 min_size=1, max_size=8, unique=True)


def git_ignored(root: Path, relative: list[str]) -> set[str]:
    result = subprocess.run(["git", "check-ignore", "--no-index", "--stdin", "-z"], cwd=root,
                            input="\0".join(relative) + "\0", capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr
    return {path for path in result.stdout.split("\0") if path}


@settings(max_examples=max(FUZZ_EXAMPLES // 2, 60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(root_text=gitignores, sub_text=gitignores, relative=paths)
def test_ignored_agrees_with_git_check_ignore(root_text, sub_text, relative):
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        (root / ".gitignore").write_text(root_text)
        (root / "sub").mkdir()
        (root / "sub" / ".gitignore").write_text(sub_text)
        for path in relative:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text("")
        expected = git_ignored(root, relative)
    files = [GitIgnoreFile("", root_text, ".gitignore"), GitIgnoreFile("sub", sub_text, "sub/.gitignore")]
    for path in relative:
        assert ignored(path, files).ignored is (path in expected), (path, root_text, sub_text)
