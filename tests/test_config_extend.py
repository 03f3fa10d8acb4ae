"""`extend`: a configuration file that builds on another, as in ruff."""
from __future__ import annotations

import json

import pytest
from helpers import run

from fixer.config import ConfigError, load

NAIVE = "FROM golang:1.23 as build\nRUN apk add git\n"   # DF001 (as) and DF002 (apk add)


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "Dockerfile").write_text(NAIVE)
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "api.Dockerfile").write_text(NAIVE)
    return tmp_path


def reported(path) -> set[str]:
    """The rules `--check` reports for the file at `path` (which it must have checked)."""
    result = run("--check", "--output-format", "json", str(path))
    [item] = json.loads(result.stdout)["files"]
    assert item["path"] == str(path) and not item["error"], item
    found = {finding["rule"] for finding in item["findings"]}
    assert result.exit_code == (1 if found else 0), result.stderr  # NAIVE's DF001 and DF002 both change it
    return found


def test_a_nested_configuration_adds_to_the_one_it_extends(repo):
    (repo / "pyproject.toml").write_text('[tool.dockerfix]\nselect = ["DF001"]\n')
    (repo / "svc" / ".dockerfix.toml").write_text('extend = "../pyproject.toml"\nextend-select = ["DF002"]\n')
    assert reported(repo / "Dockerfile") == {"DF001"}
    assert reported(repo / "svc" / "api.Dockerfile") == {"DF001", "DF002"}


def test_select_in_the_extending_file_starts_the_selection_afresh(repo):
    (repo / ".dockerfix.toml").write_text('select = ["DF001", "DF002"]\nignore = ["DF002"]\n')
    (repo / "svc" / ".dockerfix.toml").write_text('extend = "../.dockerfix.toml"\nselect = ["DF002"]\n')
    assert reported(repo / "svc" / "api.Dockerfile") == {"DF002"}


def test_without_select_ignore_adds_up_and_extend_select_brings_a_rule_back(repo):
    (repo / ".dockerfix.toml").write_text('select = ["DF001", "DF002"]\nignore = ["DF002"]\n')
    (repo / "svc" / ".dockerfix.toml").write_text('extend = "../.dockerfix.toml"\nextend-select = ["apk-no-cache"]\n')
    assert reported(repo / "svc" / "api.Dockerfile") == {"DF001", "DF002"}
    (repo / "svc" / ".dockerfix.toml").write_text('extend = "../.dockerfix.toml"\nignore = ["DF001"]\n')
    assert reported(repo / "svc" / "api.Dockerfile") == set()


def test_extend_select_brings_a_rule_back_from_ignore_all(tmp_path):
    (tmp_path / "base.toml").write_text('ignore = ["ALL"]\n')
    (tmp_path / ".dockerfix.toml").write_text('extend = "base.toml"\nextend-select = ["DF016"]\nignore = ["DF002"]\n')
    settings = load(tmp_path / ".dockerfix.toml")
    assert (settings.select, settings.extend_select, settings.ignore) == (["DF016"], [], ["DF002"])


def test_keys_the_extending_file_sets_win_and_tables_merge_key_by_key(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.dockerfix]\nunsafe-fixes = true\nruntime-base = "distroless"\nuser = "10001"\n'
        'base-image-pins = { alpine = "3.22" }\nhealthcheck = { path = "/healthz", port = 8080 }\n')
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / ".dockerfix.toml").write_text(
        'extend = "../pyproject.toml"\nruntime-base = "scratch"\nbase-image-pins = { golang = "1.23" }\n'
        '[healthcheck]\nport = 9090\n')
    settings = load(tmp_path / "svc" / ".dockerfix.toml")
    assert settings.source == str(tmp_path / "svc" / ".dockerfix.toml")
    assert (settings.unsafe_fixes, settings.options["runtime-base"], settings.options["user"]) == (True, "scratch",
                                                                                                    "10001")
    assert settings.options["base-image-pins"] == {"alpine": "3.22", "golang": "1.23"}
    assert settings.options["healthcheck"] == {"path": "/healthz", "port": 9090}


def test_paths_and_patterns_stay_relative_to_the_file_that_wrote_them(repo):
    (repo / "svc" / "old").mkdir()
    (repo / "svc" / "old" / "Dockerfile").write_text(NAIVE)
    (repo / "svc" / "gen").mkdir()
    (repo / "svc" / "gen" / "Dockerfile").write_text(NAIVE)
    (repo / "pyproject.toml").write_text(
        '[tool.dockerfix]\nselect = ["DF001", "DF002"]\ncontext = "svc"\nextend-exclude = ["svc/old"]\n'
        '[tool.dockerfix.per-file-ignores]\n"svc/*.Dockerfile" = ["DF002"]\n')
    (repo / "svc" / ".dockerfix.toml").write_text('extend = "../pyproject.toml"\nextend-exclude = ["gen"]\n')
    settings = load(repo / "svc" / ".dockerfix.toml")
    assert settings.context == str(repo / "svc")
    assert settings.ignored_for(str(repo / "svc" / "api.Dockerfile")) == ["DF002"]
    result = run("--check", "--output-format", "json", str(repo / "svc"))
    assert result.exit_code == 1, result.stderr
    files = {item["path"]: {finding["rule"] for finding in item["findings"]}
             for item in json.loads(result.stdout)["files"]}
    assert files == {str(repo / "svc" / "api.Dockerfile"): {"DF001"}}  # old/ (root's), gen/ (its own) left out


def test_per_file_ignores_of_the_extending_file_replace_the_others(tmp_path):
    (tmp_path / "base.toml").write_text('[per-file-ignores]\n"*.Dockerfile" = ["DF002"]\n')
    (tmp_path / ".dockerfix.toml").write_text('extend = "base.toml"\n[per-file-ignores]\n"x/*" = ["DF001"]\n')
    settings = load(tmp_path / ".dockerfix.toml")
    assert settings.ignored_for(str(tmp_path / "api.Dockerfile")) == []
    assert settings.ignored_for(str(tmp_path / "x" / "Dockerfile")) == ["DF001"]


def test_a_chain_of_files_each_over_the_one_it_extends(tmp_path, monkeypatch):
    (tmp_path / "a.toml").write_text('select = ["DF001"]\nuser = "1000"\n')
    (tmp_path / "b.toml").write_text('extend = "a.toml"\nextend-select = ["DF002"]\nuser = "2000"\n')
    (tmp_path / "c.toml").write_text('extend = "$CONFIGS/b.toml"\nextend-select = ["DF004"]\n')
    monkeypatch.setenv("CONFIGS", str(tmp_path))
    settings = load(tmp_path / "c.toml")
    assert (settings.select, settings.extend_select, settings.options["user"]) == (["DF001"], ["DF002", "DF004"],
                                                                                   "2000")


def test_a_cycle_is_an_error_naming_the_files(repo):
    (repo / ".dockerfix.toml").write_text('select = ["DF001"]\nextend = "svc/.dockerfix.toml"\n')
    (repo / "svc" / ".dockerfix.toml").write_text('extend = "../.dockerfix.toml"\n')
    result = run("--check", str(repo / "Dockerfile"))
    assert result.exit_code == 2
    top, nested = str(repo / ".dockerfix.toml"), str(repo / "svc" / ".dockerfix.toml")
    assert f"extend makes a cycle: {top} -> {nested} -> {top}" in result.stderr
    assert f"{nested}:1: " in result.stderr  # where the cycle closes


def test_a_file_extending_itself_is_a_cycle(tmp_path):
    (tmp_path / ".dockerfix.toml").write_text('extend = "./.dockerfix.toml"\n')
    with pytest.raises(ConfigError, match="extend makes a cycle"):
        load(tmp_path / ".dockerfix.toml")


@pytest.mark.parametrize("config, message", [
    ('select = ["DF001"]\nextend = "../nowhere.toml"\n', ":2: extend names '../nowhere.toml': no such file"),
    ('extend = ["base.toml"]\n', ":1: extend must be the path of a configuration file"),
])
def test_a_bad_extend_is_an_error_naming_file_and_line(repo, config, message):
    (repo / ".dockerfix.toml").write_text(config)
    result = run("--check", str(repo / "Dockerfile"))
    assert result.exit_code == 2 and f"{repo / '.dockerfix.toml'}{message}" in result.stderr


def test_an_error_in_the_extended_file_names_that_file_and_line(repo):
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.dockerfix]\nselect = ["DF001"]\nrainbow = 1\n')
    (repo / "svc" / ".dockerfix.toml").write_text('extend = "../pyproject.toml"\n')
    result = run("--check", str(repo / "svc" / "api.Dockerfile"))
    assert result.exit_code == 2
    assert f"{repo / 'pyproject.toml'}:6: unknown key 'rainbow' in [tool.dockerfix]" in result.stderr


def test_the_command_line_still_has_the_last_word(repo):
    (repo / ".dockerfix.toml").write_text('select = ["DF001"]\n')
    (repo / "svc" / ".dockerfix.toml").write_text('extend = "../.dockerfix.toml"\n')
    assert reported(repo / "svc" / "api.Dockerfile") == {"DF001"}
    result = run("--check", "--output-format", "json", "--select", "DF002", str(repo / "svc" / "api.Dockerfile"))
    assert result.exit_code == 1 and {f["rule"] for f in json.loads(result.stdout)["files"][0]["findings"]} == {"DF002"}


def test_the_settings_name_the_files_read_in_order(tmp_path):
    (tmp_path / "root.toml").write_text('fail-level = "error"\n')
    (tmp_path / "team.toml").write_text('extend = "root.toml"\n')
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / ".dockerfix.toml").write_text('extend = "../team.toml"\nfail-level = "style"\n')
    settings = load(tmp_path / "svc" / ".dockerfix.toml")
    assert settings.chain == (str(tmp_path / "svc" / ".dockerfix.toml"), str(tmp_path / "team.toml"),
                              str(tmp_path / "root.toml"))
    assert settings.failing_level() == ("style", "fail-level", str(tmp_path / "svc" / ".dockerfix.toml"))
    assert load(tmp_path / "team.toml").failing_level() == ("error", "fail-level", str(tmp_path / "root.toml"))
    assert load(tmp_path / "root.toml").chain == (str(tmp_path / "root.toml"),)
