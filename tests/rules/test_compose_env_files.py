"""DC005's moves to `.env` where they involve git or several files (the rule fixtures cannot:
they live in this repository, and a `.env` they hold would be tracked by it), DC001 on the
command line, and the readers under them: .gitignore matching checked against git itself,
and `.env` lines read back as Compose reads them."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from fixer.cli import main
from fixer.context.compose_directory import ComposeDirectory
from fixer.context.gitignore import GitIgnoreFile, ignored
from fixer.engine.compose import fix_compose
from fixer.rules import find_rule
from fixer.rules.compose import dotenv

DC005 = find_rule("DC005")
COMPOSE = "services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: s3cret-pw\n"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(root, *args) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def repository(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "compose.yaml").write_text(COMPOSE)
    return tmp_path / "deploy"


def fixed(directory):
    return fix_compose((directory / "compose.yaml").read_text(), rules=[DC005], unsafe_fixes=True, context=directory)


def changed(result) -> dict[str, str]:
    return {change.path.rsplit("/", 1)[-1]: change.after for change in result.files}


@needs_git
def test_a_tracked_env_is_never_written_to(tmp_path):
    deploy = repository(tmp_path)
    (tmp_path / ".gitignore").write_text(".env\n")
    (deploy / ".env").write_text("POSTGRES_PASSWORD=s3cret-pw\n")
    git(tmp_path, "add", "-f", "deploy/.env")  # ignored, yet committed before the .gitignore line came
    result = fixed(deploy)
    assert result.output == COMPOSE and not result.files
    assert "git tracks .env" in result.remaining[0].reason


@needs_git
def test_an_env_with_the_value_already_is_left_as_it_is(tmp_path):
    deploy = repository(tmp_path)
    (tmp_path / ".gitignore").write_text("*.log\n.env\n")
    (deploy / ".env").write_text("POSTGRES_PASSWORD='s3cret-pw'  # for local runs\n")
    result = fixed(deploy)
    assert "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}" in result.output
    assert changed(result) == {".env.example": "POSTGRES_PASSWORD=\n"}
    assert ".env is git-ignored (../.gitignore:2)" in result.applied[0].evidence


@needs_git
def test_an_env_in_an_ignored_directory_needs_no_new_gitignore_line(tmp_path):
    deploy = repository(tmp_path)
    (tmp_path / ".gitignore").write_text("/deploy/\n")
    result = fixed(deploy)
    assert set(changed(result)) == {".env", ".env.example"}
    assert changed(result)[".env"] == "POSTGRES_PASSWORD=s3cret-pw\n"


@needs_git
def test_what_the_fix_writes_git_ignores_and_does_not_track(tmp_path):
    deploy = repository(tmp_path)
    (tmp_path / ".gitignore").write_text("*.env\n!.env\n")  # re-included: the fix must ignore it again
    code = main(["--isolated", "--write", "--unsafe-fixes", "--select", "DC005", str(deploy / "compose.yaml")])
    assert code == 0
    assert (deploy / ".env").read_text() == "POSTGRES_PASSWORD=s3cret-pw\n"
    assert "s3cret-pw" not in (deploy / "compose.yaml").read_text() + (deploy / ".env.example").read_text()
    assert git(tmp_path, "check-ignore", "deploy/.env").strip() == "deploy/.env"
    git(tmp_path, "add", "-A")
    tracked = git(tmp_path, "ls-files")
    assert "deploy/.env\n" not in tracked and "deploy/.gitignore" in tracked


def test_outside_a_repository_the_directory_gitignore_is_the_one_read_and_written(tmp_path):
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    (tmp_path / ".gitignore").write_bytes(b"node_modules/\r\n")
    result = fixed(tmp_path)
    assert changed(result)[".gitignore"] == (
        "node_modules/\r\n# Added by dockerfix: the values the Compose file reads from .env\r\n/.env\r\n")
    assert "no git repository" in result.applied[0].evidence


def test_an_unreadable_gitignore_declines_the_fix(tmp_path):
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    (tmp_path / ".gitignore").write_bytes(b"caf\xe9\n")
    result = fixed(tmp_path)
    assert result.output == COMPOSE and ".gitignore cannot be read" in result.remaining[0].reason


def test_two_compose_files_of_one_directory_share_one_env(tmp_path):
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    (tmp_path / "compose.prod.yaml").write_text(COMPOSE.replace("db:", "primary:") +
                                                "      REDIS_PASSWORD: r3dis-pw\n")
    code = main(["--isolated", "--write", "--unsafe-fixes", "--select", "DC005", str(tmp_path)])
    assert code == 0
    assert (tmp_path / ".env").read_text() == "POSTGRES_PASSWORD=s3cret-pw\nREDIS_PASSWORD=r3dis-pw\n"
    assert (tmp_path / ".env.example").read_text() == "POSTGRES_PASSWORD=\nREDIS_PASSWORD=\n"
    assert (tmp_path / ".gitignore").read_text().count("/.env\n") == 1


def test_without_a_directory_there_is_no_fix():
    result = fix_compose(COMPOSE, rules=[DC005], unsafe_fixes=True)
    assert result.output == COMPOSE and "does not know the file's directory" in result.remaining[0].reason


def test_the_flow_style_reproducer_keeps_its_services(tmp_path):
    path = tmp_path / "docker-compose.yml"
    path.write_text('{"version": "3.8", "services": {"web": {"image": "nginx"}}}\n')
    (tmp_path / "README.md").write_text("docker compose up -d\n")   # DC001's evidence: Compose v2 reads it
    assert main(["--isolated", "--write", str(path)]) == 0
    assert path.read_text() == '{"services": {"web": {"image": "nginx"}}}\n'


@pytest.mark.parametrize("value", ["s3cret-pw", "two words # hash", "it's", 'say "hi"', " padded ", "a=b:c",
                                   "semi;colon", "#first", "x\ty"])
def test_an_env_line_reads_back_as_the_value(value):
    written = dotenv.line("KEY", value)
    assert written is not None and dotenv.value_of(f"OTHER=1\n{written}\n", "KEY") == value


@pytest.mark.parametrize("value", ["a$b", "line\nbreak", "both ' and \"", "back\\slash'", "bell\x07"])
def test_a_value_env_cannot_hold_as_it_is_gets_no_line(value):
    assert dotenv.line("KEY", value) is None


@pytest.mark.parametrize("text, value", [("KEY=a#b\n", dotenv.UNKNOWN), ("KEY=${OTHER}\n", dotenv.UNKNOWN),
                                         ("KEY\n", dotenv.UNKNOWN), ('KEY="a\\nb"\n', dotenv.UNKNOWN),
                                         ("export KEY=x\n", "x"), ("KEY: y\n", "y"), ("KEY=1\nKEY=2\n", "2"),
                                         ("# KEY=x\n", None), ("KEYS=x\n", None)])
def test_what_an_env_file_sets(text, value):
    assert dotenv.value_of(text, "KEY") == value  # UNKNOWN is a bare object(): equal to itself alone


LAYOUTS = [
    {".gitignore": ".env\n"},
    {".gitignore": "/.env\n"},
    {".gitignore": "/deploy/.env\n"},
    {".gitignore": "deploy/.env\n"},
    {".gitignore": "**/.env\n"},
    {".gitignore": "deploy/**\n"},
    {".gitignore": "deploy/\n"},
    {".gitignore": "deploy\n"},
    {".gitignore": ".env/\n"},
    {".gitignore": "*.env\n!.env\n"},
    {".gitignore": ".env\n", "deploy/.gitignore": "!.env\n"},
    {".gitignore": "!.env\n", "deploy/.gitignore": ".env\n"},
    {".gitignore": "deploy/\n!deploy/.env\n"},
    {".gitignore": ".e[nm]v\n"},
    {".gitignore": ".e[!n]v\n"},
    {".gitignore": ".en?\n"},
    {".gitignore": "\\.env\n"},
    {".gitignore": ".env \n"},
    {".gitignore": "# .env\n"},
    {".gitignore": "deploy/*/.env\n"},
    {".gitignore": "/**/.env\n"},
]


@needs_git
@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: "|".join(layout.values()).replace("\n", " "))
def test_gitignore_matching_agrees_with_git(tmp_path, layout):
    deploy = repository(tmp_path)
    for name, text in layout.items():
        (tmp_path / name).write_text(text)
    expected = subprocess.run(["git", "check-ignore", "-q", "--no-index", "deploy/.env"], cwd=tmp_path).returncode == 0
    assert ComposeDirectory(deploy).git_ignores(".env").ignored is expected


def test_a_deeper_gitignore_overrides_a_shallower_one():
    files = [GitIgnoreFile("", "*.env\n", ".gitignore"), GitIgnoreFile("a", "!x.env\n", "a/.gitignore")]
    assert not ignored("a/x.env", files).ignored and ignored("a/y.env", files).where == ".gitignore:1"
