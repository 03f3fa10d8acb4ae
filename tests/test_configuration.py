"""Configuration files, suppressions and the many-files options, through the command."""
from __future__ import annotations

import json

import pytest
from helpers import run

NAIVE = "FROM golang:1.23 as build\nRUN apk add git\n"


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "Dockerfile").write_text(NAIVE)
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "api.Dockerfile").write_text(NAIVE)
    return tmp_path


def test_pyproject_table_selects_and_ignores(repo):
    (repo / "pyproject.toml").write_text('[tool.dockerfix]\nselect = ["DF001", "DF002"]\nignore = ["DF002"]\n')
    result = run("--check", str(repo / "Dockerfile"))
    assert "DF001" in result.stdout and "DF002" not in result.stdout


def test_nearest_config_wins_and_dockerfix_toml_beats_pyproject(repo):
    (repo / "pyproject.toml").write_text('[tool.dockerfix]\nselect = ["DF001"]\n')
    (repo / "svc" / ".dockerfix.toml").write_text('select = ["DF002"]\n')
    (repo / "svc" / "pyproject.toml").write_text('[tool.dockerfix]\nselect = ["DF001"]\n')
    top = run("--check", str(repo / "Dockerfile")).stdout
    nested = run("--check", str(repo / "svc" / "api.Dockerfile")).stdout
    assert "DF001" in top and "DF002" not in top
    assert "DF002" in nested and "DF001" not in nested


def test_command_line_overrides_config_and_isolated_ignores_it(repo):
    (repo / ".dockerfix.toml").write_text('select = ["DF001"]\n')
    assert "DF002" in run("--check", "--select", "DF002", str(repo / "Dockerfile")).stdout
    isolated = run("--check", "--isolated", str(repo / "Dockerfile")).stdout
    assert "DF001" in isolated and "DF002" in isolated


def test_explicit_config_file_applies_to_every_file(repo, tmp_path_factory):
    config = tmp_path_factory.mktemp("elsewhere") / "team.toml"
    config.write_text('select = ["DF002"]\n')
    result = run("--check", "--config", str(config), str(repo))
    assert result.stdout.count("DF002") == 2 and "DF001" not in result.stdout


def test_per_file_ignores_match_paths_relative_to_the_config(repo):
    (repo / ".dockerfix.toml").write_text('select = ["DF001", "DF002"]\n[per-file-ignores]\n"svc/*" = ["DF002"]\n')
    result = run("--check", str(repo))
    assert f"{repo / 'svc' / 'api.Dockerfile'}:2:1: DF002" not in result.stdout
    assert f"{repo / 'Dockerfile'}:2:1: DF002" in result.stdout


@pytest.mark.parametrize("config, message", [
    ('select = ["DF001"]\nrainbow = true\n', "unknown key 'rainbow'"),
    ('select = "DF001"\n', "select must be a list of rule ids or names"),
    ('select = ["DF999"]\n', "select: unknown rule 'DF999'"),
    ('runtime-base = "ubuntu"\n', "runtime-base must be one of alpine, scratch, distroless"),
    ('user = "nobody"\n', "user must be a numeric non-root uid"),
    ('unsafe-fixes = "yes"\n', "unsafe-fixes must be true or false"),
    ('healthcheck = { path = "/h", verb = "GET" }\n', "unknown key healthcheck.'verb'"),
    ("select = [\n", "not valid TOML"),
    ('compose-limits = { disk = "1G" }\n', "unknown key compose-limits.'disk'"),
    ('healthcheck = { path = "/h\\nRUN rm -rf /" }\n', "healthcheck.path must be a URL path"),
    ('healthcheck = { path = "h" }\n', "healthcheck.path must be a URL path"),
    ('healthcheck = { interval = "soon" }\n', "healthcheck.interval must be a duration"),
    ('healthcheck = { retries = -1 }\n', "healthcheck.retries must be at least 0"),
    ('healthcheck = { port = -5 }\n', "healthcheck.port must be a port number from 1 to 65535"),
    ('healthcheck = { port = 70000 }\n', "healthcheck.port must be a port number from 1 to 65535"),
    ('healthcheck = { command = [] }\n', "healthcheck.command must be a non-empty list"),
])
def test_bad_configuration_is_an_error_naming_file_and_key(repo, config, message):
    (repo / ".dockerfix.toml").write_text(config)
    result = run("--check", str(repo / "Dockerfile"))
    assert result.exit_code == 2
    assert str(repo / ".dockerfix.toml") in result.stderr and message in result.stderr
    assert (repo / "Dockerfile").read_text() == NAIVE


def test_a_configuration_file_that_is_not_utf8_is_an_error_naming_it(repo):
    (repo / ".dockerfix.toml").write_bytes(b'select = ["DF001"]  # caf\xe9\n')
    result = run("--check", str(repo / "Dockerfile"))
    assert result.exit_code == 2
    assert str(repo / ".dockerfix.toml") in result.stderr and "not valid UTF-8 (byte 0xe9)" in result.stderr


def test_config_options_reach_the_rules(tmp_path):
    (tmp_path / ".dockerfix.toml").write_text('select = ["DF005"]\nuser = "10001:10001"\n')
    (tmp_path / "Dockerfile").write_text('FROM alpine:3.24\nCOPY x /x\nCMD ["/x"]\n')
    # A prebuilt binary: the fix is unsafe (nothing says what /x needs), the option still names the user.
    assert "+USER 10001:10001\n" in run("--unsafe-fixes", str(tmp_path / "Dockerfile")).stdout


def test_suppression_comment_through_the_command(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.24\n# dockerfix: ignore=apk-no-cache\nRUN apk add git\n")
    result = run("--check", "--select", "DF002,DF000", str(tmp_path / "Dockerfile"))
    assert result.exit_code == 0, result.stdout


def test_exit_non_zero_on_fix(repo):
    assert run("--write", "--exit-non-zero-on-fix", str(repo / "Dockerfile")).exit_code == 1
    assert run("--write", "--exit-non-zero-on-fix", str(repo / "Dockerfile")).exit_code == 0


def test_color_only_when_asked_or_on_a_terminal(repo, monkeypatch):
    plain = run(str(repo / "Dockerfile")).stdout  # not a terminal
    assert "\n+" in plain and "\x1b[" not in plain  # the diff is there, without colour
    assert "\x1b[32m+" in run("--color", "always", str(repo / "Dockerfile")).stdout
    monkeypatch.setenv("NO_COLOR", "1")
    plain = run("--color", "auto", str(repo / "Dockerfile")).stdout
    assert "\n+" in plain and "\x1b[" not in plain


def test_jobs_keep_the_input_order(tmp_path):
    for index in range(12):
        (tmp_path / f"s{index:02}.Dockerfile").write_text(NAIVE if index % 2 else "FROM alpine:3.24\n")
    serial = run("--check", "-j", "1", "--output-format", "concise", str(tmp_path))
    parallel = run("--check", "-j", "2", "--output-format", "concise", str(tmp_path))
    assert serial.stdout == parallel.stdout and serial.exit_code == parallel.exit_code == 1


def test_gitignored_files_are_skipped_in_directories_and_force_exclude_skips_named_ones(tmp_path):
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("vendor/\n")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "Dockerfile").write_text(NAIVE)
    (tmp_path / "Dockerfile").write_text(NAIVE)
    walked = run("--check", "--output-format", "concise", str(tmp_path)).stdout
    assert "vendor" not in walked and str(tmp_path / "Dockerfile") in walked
    named = str(tmp_path / "vendor" / "Dockerfile")
    assert named in run("--check", "--output-format", "concise", named).stdout
    excluded = run("--check", "--force-exclude", named)
    assert excluded.stdout == "" and excluded.exit_code == 0, excluded  # a bad path is empty too, but exits 2


def test_force_exclude_asks_each_repository_about_its_own_files(tmp_path):
    import subprocess

    kept = []
    for name in ("one", "two"):
        repository = tmp_path / name
        subprocess.run(["git", "init", "-q", str(repository)], check=True)
        (repository / ".gitignore").write_text("generated/\n")
        (repository / "generated").mkdir()
        (repository / "generated" / "Dockerfile").write_text(NAIVE)
        (repository / "Dockerfile").write_text(NAIVE)
        kept.append(str(repository / "Dockerfile"))
    named = [str(tmp_path / name / path) for name in ("one", "two") for path in ("generated/Dockerfile", "Dockerfile")]
    result = run("--check", "--force-exclude", "--output-format", "json", *named)
    assert [item["path"] for item in json.loads(result.stdout)["files"]] == kept


def test_summary_counts_fixes_by_rule(repo):
    result = run(str(repo))
    assert "fixes by rule: DF001 2, DF002 2" in result.stderr


def test_json_output_is_the_documented_shape(repo):
    data = json.loads(run("--check", "--output-format", "json", str(repo)).stdout)
    assert data["version"] == 2 and data["summary"]["files"] == 2
    first = data["files"][0]
    assert set(first) == {"path", "context", "changed", "error", "error_line", "findings", "context_files"}
    assert {"rule", "name", "severity", "line", "column", "end_line", "end_column", "message", "fix", "fixed",
            "reason", "evidence", "edits", "context_files"} == set(first["findings"][0])


def test_a_second_run_in_the_same_process_sees_new_configuration_and_go_mod(tmp_path):
    # what a run learns of directories is cached for its files; a long-lived process (an
    # editor, a watcher) must not keep it from one run to the next
    from fixer.run import Overrides, SettingsFinder, fix_files

    service = tmp_path / "svc"
    service.mkdir()
    (tmp_path / ".git").mkdir()
    dockerfile = service / "Dockerfile"
    dockerfile.write_text("FROM golang:1.21\nWORKDIR /src\nCOPY . .\nRUN go build -o /app ./svc\n")
    (service / ".DS_Store").write_bytes(b"")  # something a .dockerignore of this folder would leave out

    def once():
        [result] = fix_files([str(dockerfile)], SettingsFinder(Overrides()), jobs=1)
        return result

    first = once()
    assert first.context == str(service)  # no go.mod anywhere yet
    assert {f.rule_id for f in first.applied} == {"DF020"}  # the default rules: .dockerignore
    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.23\n")
    (tmp_path / ".dockerfix.toml").write_text('select = ["DF015"]\n')
    second = once()
    assert second.context == str(tmp_path)  # the new go.mod above it, where `./svc` resolves
    assert {f.rule_id for f in second.applied} == {"DF015"}  # the new configuration


@pytest.fixture
def monorepo(tmp_path):
    for directory in (".", "legacy", "svc", "deploy/old"):
        (tmp_path / directory).mkdir(parents=True, exist_ok=True)
        (tmp_path / directory / "Dockerfile").write_text(NAIVE)
    (tmp_path / "svc" / "x.generated.Dockerfile").write_text(NAIVE)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.dockerfix]\nextend-exclude = ["legacy", "deploy/old", "*.generated.Dockerfile"]\n')
    return tmp_path


def _checked(*args) -> set[str]:
    result = run("--check", "--output-format", "json", *args)
    return {item["path"] for item in json.loads(result.stdout)["files"]}


def test_extend_exclude_leaves_paths_out_of_a_directory_search(monorepo):
    assert _checked(str(monorepo)) == {str(monorepo / "Dockerfile"), str(monorepo / "svc" / "Dockerfile")}


def test_what_is_named_outright_is_fixed_unless_force_exclude(monorepo):
    named = [str(monorepo / "legacy"), str(monorepo / "svc" / "x.generated.Dockerfile")]
    assert _checked(*named) == {str(monorepo / "legacy" / "Dockerfile"), named[1]}
    forced = [str(monorepo / "legacy" / "Dockerfile"), str(monorepo / "deploy" / "old" / "Dockerfile"), named[1],
              str(monorepo / "svc" / "Dockerfile")]
    assert _checked("--force-exclude", *forced) == {str(monorepo / "svc" / "Dockerfile")}
    assert _checked("--force-exclude", str(monorepo / "legacy"), str(monorepo / "svc")) == {
        str(monorepo / "svc" / "Dockerfile")}


def test_extend_exclude_on_the_command_line_is_relative_to_the_current_directory(monorepo, monkeypatch):
    monkeypatch.chdir(monorepo)
    assert _checked("--isolated", "--extend-exclude", "svc,legacy", ".") == {"Dockerfile", "deploy/old/Dockerfile"}


def test_extend_exclude_must_be_a_list_of_patterns(monorepo):
    (monorepo / "pyproject.toml").write_text('[tool.dockerfix]\nextend-exclude = "legacy"\n')
    result = run("--check", str(monorepo))
    assert result.exit_code == 2 and "extend-exclude must be a list of glob patterns" in result.stderr


@pytest.mark.parametrize("config, message", [
    ('select = ["DF001"]\nunsafe_fixs = true\n',
     ":2: unknown key 'unsafe_fixs' in the file; did you mean 'unsafe-fixes'?"),
    ('select = ["DF001"]\n\nuser = "nobody"\n', ":3: user must be a numeric non-root uid"),
    ('ignore = ["apk-no-cach"]\n',
     ":1: ignore: unknown rule 'apk-no-cach' (see --list-rules); did you mean apk-no-cache?"),
    ('[healthcheck]\npath = "/h"\npoort = 8080\n', ":3: unknown key healthcheck.'poort' (known: path, port,"),
    ('healthcheck = { path = "/h", intervl = "5s" }\n', ":1: unknown key healthcheck.'intervl'"),
    ('select = ["DF001"]\n[per-file-ignores]\n"a/*" = ["DF001"]\n"b/*" = ["DF999"]\n',
     ":4: per-file-ignores.b/*: unknown rule"),
    ('select = ["DF001"]\nignore = [DF002]\n', ":2: not valid TOML: Invalid value (at line 2, column 11)"),
])
def test_configuration_errors_name_the_line_and_the_nearest_key(repo, config, message):
    (repo / ".dockerfix.toml").write_text(config)
    result = run("--check", str(repo / "Dockerfile"))
    assert result.exit_code == 2 and f"{repo / '.dockerfix.toml'}{message}" in result.stderr, result.stderr


def test_errors_in_pyproject_name_the_line_in_its_table(repo):
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\nselect = 1\n\n'
                                         '[tool.dockerfix]\n# ours\nselct = ["DF001"]\n')
    result = run("--check", str(repo / "Dockerfile"))
    assert f"{repo / 'pyproject.toml'}:7: unknown key 'selct' in [tool.dockerfix]; did you mean 'select'?" \
        in result.stderr
    (repo / "pyproject.toml").write_text('[tool.dockerfix]\nselect = ["DF001"]\n[tool.dockerfix.compose-limits]\n'
                                         'memory = "1G"\ncpu = "1"\n')
    assert f"{repo / 'pyproject.toml'}:5: unknown key compose-limits.'cpu' (known: memory, cpus); did you mean " \
           "'cpus'?" in run("--check", str(repo / "Dockerfile")).stderr


def test_hadolint_yaml_ignored_codes_switch_off_the_rules_that_report_them(repo):
    (repo / ".hadolint.yaml").write_text("ignored:\n  - DL3019  # apk --no-cache\n  - SC2086\n")
    assert "DF002" not in run("--check", str(repo / "Dockerfile")).stdout
    assert "DF002" not in run("--check", str(repo / "svc" / "api.Dockerfile")).stdout  # the nearest, above it
    assert "DF002" in run("--check", "--isolated", str(repo / "Dockerfile")).stdout
    # dockerfix's own configuration, or command line, naming the rule has the last word
    assert "DF002" in run("--check", "--select", "apk-no-cache", str(repo / "Dockerfile")).stdout
    (repo / ".dockerfix.toml").write_text('extend-select = ["DF002"]\n')
    assert "DF002" in run("--check", str(repo / "Dockerfile")).stdout
    (repo / ".dockerfix.toml").write_text('select = ["ALL"]\n')
    assert "DF002" not in run("--check", str(repo / "Dockerfile")).stdout


def test_the_nearest_hadolint_file_wins_and_yml_is_read_too(repo):
    (repo / ".hadolint.yaml").write_text("ignored: [DL3019]\n")
    (repo / "svc" / ".hadolint.yml").write_text("ignored: []\n")
    assert "DF002" not in run("--check", str(repo / "Dockerfile")).stdout
    assert "DF002" in run("--check", str(repo / "svc" / "api.Dockerfile")).stdout


def test_hadolint_override_is_recorded_and_changes_nothing_yet(repo):
    from fixer.run import Overrides, SettingsFinder

    (repo / ".hadolint.yaml").write_text("failure-threshold: warning\noverride:\n  error: [DL3019]\n"
                                         "  info:\n    - DL3059\n")
    settings = SettingsFinder(Overrides()).for_path(str(repo / "Dockerfile"))
    assert settings.hadolint.source == str(repo / ".hadolint.yaml")
    assert settings.hadolint.override == {"error": ("DL3019",), "info": ("DL3059",)}
    assert settings.hadolint.failure_threshold == "warning" and settings.failing_level() == (
        "warning", "failure-threshold: warning", str(repo / ".hadolint.yaml"))
    assert settings.hadolint.ignored == () and "DF002" in run("--check", str(repo / "Dockerfile")).stdout


@pytest.mark.parametrize("text, message", [
    ("ignored: DL3019\n", ":1: ignored must be a list of rule codes"),
    ("override:\n  error: DL3019\n", ":2: override.error must be a list of rule codes"),
    ("ignored:\n  - DL3019\n - DL3020\n", ":3: not valid YAML"),
])
def test_a_hadolint_file_hadolint_could_not_read_is_an_error_naming_file_and_line(repo, text, message):
    (repo / ".hadolint.yaml").write_text(text)
    result = run("--check", str(repo / "Dockerfile"))
    assert result.exit_code == 2 and f"{repo / '.hadolint.yaml'}{message}" in result.stderr, result.stderr


def test_hadolint_global_ignore_covers_the_whole_file(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.24\nRUN apk add git\nRUN apk add curl\n"
                                         "# hadolint global ignore=DL3019,DL3059 # not ours to fix\n")
    result = run("--check", "--select", "DF002,DF004,DF000", str(tmp_path / "Dockerfile"))
    assert result.exit_code == 0, result.stdout
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.24\n# hadolint global ignore=DL3059\nRUN apk add git\n")
    assert "DF002" in run("--check", "--select", "DF002,DF000", str(tmp_path / "Dockerfile")).stdout


# the rules' options (fixer.rules.options): checked from their declarations, read by the rules as before

def test_the_rules_read_the_options_under_their_keys_as_before(tmp_path):
    from fixer.config import Settings, load

    (tmp_path / ".dockerfix.toml").write_text(
        'runtime_base = "scratch"\nruntime-image = "scratch"\nuser = "10001:10001"\n'
        'base-image-pins = { alpine = "3.22" }\ncompose-limits = { memory = "512M" }\n'
        'healthcheck = { path = "/h", start-period = "10s" }\n')
    settings = load(tmp_path / ".dockerfix.toml")
    assert settings.options["runtime-base"] == "scratch"  # written with an underscore, kept by its name
    assert settings.rule_options() == {
        "runtime_base": "scratch", "runtime_image": "scratch", "user": "10001:10001",
        "base_image_pins": {"alpine": "3.22"}, "compose_limits": {"memory": "512M"},
        "healthcheck": {"path": "/h", "start_period": "10s"}}
    assert Settings().rule_options() == {"runtime_base": "alpine"}  # only what has a default


def test_runtime_base_on_the_command_line_leaves_the_configuration_read_alone(tmp_path):
    from fixer.run import Overrides, SettingsFinder

    (tmp_path / ".dockerfix.toml").write_text('runtime-base = "scratch"\nuser = "10001"\n')
    (tmp_path / "Dockerfile").write_text(NAIVE)
    finder = SettingsFinder(Overrides(runtime_base="distroless"))
    settings = finder.for_path(str(tmp_path / "Dockerfile"))
    assert (settings.rule_options()["runtime_base"], settings.rule_options()["user"]) == ("distroless", "10001")
    assert finder.loaded[str(tmp_path / ".dockerfix.toml")].options == {"runtime-base": "scratch", "user": "10001"}


@pytest.mark.parametrize("config, message", [
    ('helthcheck = { port = 8080 }\n', ":1: unknown key 'helthcheck' in the file; did you mean 'healthcheck'?"),
    ('select = ["DF001"]\ncompose-limits = "512M"\n', ":2: compose-limits must be a table, not str"),
    ('base-image-pins = { alpine = 3 }\n', ":1: base-image-pins.alpine must be a string, not int"),
    ('runtime-image = ["alpine"]\n', ":1: runtime-image must be a string, not list"),
    ('runtime-image = "alpine\\nRUN x"\n', ":1: runtime-image must be an image reference such as alpine:3.24, "
                                          "not 'alpine\\nRUN x'"),
    ('base-image-pins = { alpine = "3.24 AS x" }\n', ":1: base-image-pins.alpine must be an image tag such as 3.24, "
                                                   "not '3.24 AS x'"),
    ('[healthcheck]\npath = "/h"\nstart_period = "5s"\n',
     ":3: unknown key healthcheck.'start_period' (known: path, port, interval, timeout, start-period, retries, "
     "command); did you mean 'start-period'?"),
])
def test_an_option_s_errors_come_from_its_declaration_with_the_line(repo, config, message):
    (repo / ".dockerfix.toml").write_text(config)
    result = run("--check", str(repo / "Dockerfile"))
    assert result.exit_code == 2 and f"{repo / '.dockerfix.toml'}{message}" in result.stderr, result.stderr


def test_hadolint_no_fail_lets_only_a_change_fail_the_check(tmp_path):
    (tmp_path / "Dockerfile").write_text('FROM alpine:3.24\nCOPY server /usr/local/bin/server\n'
                                         'ENTRYPOINT ["/usr/local/bin/server"]\n')  # a DF005 warning, no safe fix
    assert run("--check", str(tmp_path / "Dockerfile")).exit_code == 1
    (tmp_path / ".hadolint.yaml").write_text("failure-threshold: style\nno-fail: true\n")
    assert run("--check", str(tmp_path / "Dockerfile")).exit_code == 0
    assert "none (no-fail: true in" in run("--show-settings", str(tmp_path / "Dockerfile")).stdout
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.24 as base\nRUN apk add git\n")  # changes still fail
    assert run("--check", str(tmp_path / "Dockerfile")).exit_code == 1
    (tmp_path / ".hadolint.yaml").write_text("no-fail: yes please\n")
    broken = run("--check", str(tmp_path / "Dockerfile"))
    assert broken.exit_code == 2 and ".hadolint.yaml:1: no-fail must be true or false" in broken.stderr
