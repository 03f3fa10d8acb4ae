"""Issue #19 §7 and §9: the flags users look for (-q, --statistics, --show-fixes,
--show-settings, --exclude, -o), where findings and the summary go, flags that do nothing
saying so, "did you mean" for typos, `verify` as a real subcommand, the help's exit codes and
examples, and the shell completion scripts shipped ahead of time."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys

import pytest
from helpers import run

from fixer import cli, completion

NAIVE = "FROM golang:1.23 as build\nRUN apk add git\n"
SECRET = "FROM alpine:3.24\nENV API_TOKEN=abc\nRUN apk add git\n"   # DF019 (no fix) on line 2, DF002 on 3


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "b.Dockerfile").write_text(NAIVE)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "Dockerfile").write_text(SECRET)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def finding_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if ": DF0" in line]


# §7: findings on standard output, sorted; the summary on standard error


def test_findings_go_to_standard_output_in_every_mode(project):
    shown = run("a/Dockerfile")  # the diff, and what it cannot show
    assert "a/Dockerfile:2:1: DF019" in shown.stdout and "+RUN apk add --no-cache git" in shown.stdout
    assert "DF019" not in shown.stderr and "would be changed" in shown.stderr
    written = run("--write", "a/Dockerfile")
    assert "a/Dockerfile:2:1: DF019" in written.stdout and "DF019" not in written.stderr
    checked = run("--check", "--stdin-filename", "a/Dockerfile", "-", input=SECRET)
    assert "a/Dockerfile:2:1: DF019" in checked.stdout and "DF019" not in checked.stderr


def test_standard_input_printed_fixed_keeps_standard_output_for_the_text(project):
    printed = run("--stdin-filename", "a/Dockerfile", "-", input=SECRET)
    assert printed.stdout == SECRET.replace("apk add", "apk add --no-cache")
    assert "a/Dockerfile:2:1: DF019" in printed.stderr


def test_findings_are_sorted_by_file_then_line(project):
    checked = run("--check", "b.Dockerfile", "a")  # named in the other order
    assert [line.split(":")[0] for line in finding_lines(checked.stdout)] == \
        ["a/Dockerfile", "a/Dockerfile", "b.Dockerfile", "b.Dockerfile"]
    # within a file: what would be fixed (DF002, line 3) and what would not (DF019, line 2), by line
    shown = [line.split(": ")[0] for line in finding_lines(checked.stdout)]
    assert shown[:2] == ["a/Dockerfile:2:1", "a/Dockerfile:3:1"]
    concise = run("--check", "--output-format", "concise", "b.Dockerfile", "a")
    assert [line.split(":")[0] for line in concise.stdout.splitlines()][0] == "a/Dockerfile"
    files = json.loads(run("--check", "--output-format", "json", "b.Dockerfile", "a").stdout)["files"]
    assert [item["path"] for item in files] == ["a/Dockerfile", "b.Dockerfile"]


def test_a_directory_sorts_before_a_file_named_like_it_with_a_dash(tmp_path, monkeypatch):
    (tmp_path / "x-y.Dockerfile").write_text(NAIVE)
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "Dockerfile").write_text(NAIVE)
    monkeypatch.chdir(tmp_path)
    lines = finding_lines(run("--check", ".").stdout)
    assert lines[0].startswith("x/Dockerfile:") and lines[-1].startswith("x-y.Dockerfile:")


# -q/--quiet


def test_quiet_leaves_findings_and_errors_only(project):
    (project / "bad.Dockerfile").write_text("FROM alpine\nRUNN x\n")
    loud, quiet = run("--check", "."), run("--check", "-q", ".")
    assert "dockerfix: " in loud.stderr and "would be changed" in loud.stderr
    assert quiet.stdout == loud.stdout and quiet.exit_code == loud.exit_code == 2
    assert quiet.stderr.splitlines() == [line for line in loud.stderr.splitlines() if "error:" in line]
    assert "unknown instruction" in quiet.stderr
    assert run("-q", "--show-fixes", "--output-format", "json", "a").stderr == ""  # its warning too


def test_quiet_and_verbose_exclude_each_other(project):
    result = run("-q", "-v", "a")
    assert result.exit_code == 2 and "not allowed with argument" in result.stderr


# --statistics


def test_statistics_count_findings_per_rule_as_ruff_does(project):
    result = run("--check", "--statistics", ".")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["2\tDF002\t[*] apk-no-cache", "1\tDF001\t[*] from-as-casing",
                                          "1\tDF019\t[ ] secrets"]
    assert "would be changed" in result.stderr  # the summary is still there
    left = run("--write", "--statistics", ".")  # what is left after writing
    assert left.stdout == "1\tDF019\t[ ] secrets\n" and "+RUN" not in left.stdout


def test_statistics_as_json(project):
    rows = json.loads(run("--check", "--statistics", "--output-format", "json", ".").stdout)
    assert rows[0] == {"code": "DF002", "name": "apk-no-cache", "count": 2, "fixable": True, "unsafe_fixable": False}


def test_statistics_mark_what_only_unsafe_fixes_would_fix(tmp_path):
    (tmp_path / "Dockerfile").write_text('FROM alpine:3.24\nCOPY x /x\nCMD ["/x"]\n')
    table = run("--check", "--statistics", "--select", "DF005", str(tmp_path / "Dockerfile")).stdout
    assert table == "1\tDF005\t[-] non-root-user\n"


# --show-fixes


def test_show_fixes_lists_the_fixes_of_each_file(project):
    result = run("--write", "--show-fixes", ".")
    assert result.stdout.splitlines()[-6:] == [
        "Fixed 3 findings in 2 files:", "- a/Dockerfile:", "    1 × DF002 (apk-no-cache)",
        "- b.Dockerfile:", "    1 × DF001 (from-as-casing)", "    1 × DF002 (apk-no-cache)"]
    assert run("--write", "--show-fixes", ".").stdout.endswith("No fixes made.\n")


def test_show_fixes_without_write_lists_what_would_be_fixed(project):
    assert "Would fix 3 findings in 2 files:" in run("--check", "--show-fixes", ".").stdout
    assert "Would fix 1 finding in 1 file:" in run("--show-fixes", "--stdin-filename", "x", "-", input=SECRET).stderr


# --show-settings


def test_show_settings_names_the_configuration_context_rules_and_options(project):
    (project / "a" / ".dockerfix.toml").write_text('select = ["DF002", "DF019"]\nuser = "10001"\n')
    (project / "a" / "go.mod").write_text("module example.com/a\n\ngo 1.23\n")
    result = run("--show-settings", "a/Dockerfile")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("a/Dockerfile:\n")
    assert f"configuration: {project / 'a' / '.dockerfix.toml'} (the nearest one at or above the file)" in result.stdout
    assert f"build context: {project / 'a'} (" in result.stdout
    assert "rules:         2: DF002, DF019" in result.stdout and 'user:          "10001"' in result.stdout
    isolated = json.loads(run("--show-settings", "--isolated", "--output-format", "json", "a/Dockerfile").stdout)
    assert isolated[0]["configuration"] == {"file": None, "how": "--isolated", "extends": []}
    assert "DF001" in isolated[0]["rules"]
    assert isolated[0]["excluded"] is False


def test_show_settings_says_when_a_search_leaves_a_file_out(tmp_path):
    (tmp_path / "testdata").mkdir()
    (tmp_path / "testdata" / "Dockerfile").write_text(NAIVE)
    shown = json.loads(run("--show-settings", "--output-format", "json", str(tmp_path / "testdata" / "Dockerfile"))
                       .stdout)
    assert shown[0]["excluded"] is True


# --exclude


@pytest.fixture
def tree(tmp_path, monkeypatch):
    for directory in ("testdata", "legacy", "svc", ".git"):
        (tmp_path / directory).mkdir()
        (tmp_path / directory / "Dockerfile").write_text(NAIVE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def searched(*args) -> set[str]:
    result = run("--check", "--output-format", "json", *args)
    return {item["path"] for item in json.loads(result.stdout)["files"]}


def test_exclude_replaces_the_default_exclusions(tree):
    assert searched(".") == {"legacy/Dockerfile", "svc/Dockerfile"}
    assert searched("--exclude", "legacy", ".") == {"testdata/Dockerfile", "svc/Dockerfile"}  # .git: never
    assert searched("--exclude", "legacy", "--extend-exclude", "svc", ".") == {"testdata/Dockerfile"}


def test_exclude_in_the_configuration_and_the_command_line_over_it(tree):
    (tree / ".dockerfix.toml").write_text('exclude = ["svc"]\n')
    assert searched(".") == {"testdata/Dockerfile", "legacy/Dockerfile"}
    assert searched("--exclude", "legacy", ".") == {"testdata/Dockerfile", "svc/Dockerfile"}


def test_force_exclude_applies_exclude_to_named_files(tree):
    named = ["testdata/Dockerfile", "svc/Dockerfile"]
    assert searched("--force-exclude", *named) == {"svc/Dockerfile"}
    assert searched("--force-exclude", "--exclude", "svc", *named) == {"testdata/Dockerfile"}


# -o/--output-file


def test_output_file_gets_the_report_and_the_terminal_the_summary(project):
    result = run("--check", "-o", "report.txt", ".")
    assert result.exit_code == 1 and result.stdout == ""
    assert "would be changed" in result.stderr
    assert finding_lines((project / "report.txt").read_text()) == finding_lines(run("--check", ".").stdout)
    assert [path.name for path in project.iterdir() if path.name.endswith(".dockerfix")] == []


def test_output_file_in_json_is_replaced_whole_keeping_its_mode(project):
    report = project / "report.json"
    report.write_text("old and much longer than the new report " * 100)
    report.chmod(0o640)
    assert run("--check", "--output-format", "json", "--output-file", str(report), "a").exit_code == 1
    assert json.loads(report.read_text())["files"][0]["path"] == "a/Dockerfile"
    assert stat.S_IMODE(report.stat().st_mode) == 0o640


def test_output_file_in_a_missing_directory_is_a_usage_error_before_any_work(project):
    result = run("--write", "-o", "missing/report.txt", ".")
    assert result.exit_code == 2 and "no such directory" in result.stderr
    assert (project / "b.Dockerfile").read_text() == NAIVE


def test_output_file_takes_the_fixed_standard_input(project):
    assert run("-o", "fixed", "-", input=NAIVE).stdout == ""
    assert (project / "fixed").read_text() == "FROM golang:1.23 AS build\nRUN apk add --no-cache git\n"


# flags that do nothing say so


@pytest.mark.parametrize("args, warning", [
    (["--output-format", "json", "--show-fixes", "a"], "--show-fixes does nothing with --output-format json"),
    (["--output-format", "sarif", "--statistics", "a"], "--statistics does nothing with --output-format sarif"),
    (["--output-format", "json", "--color", "always", "a"], "--color does nothing with --output-format json"),
    (["--check", "--exit-non-zero-on-fix", "a"], "--exit-non-zero-on-fix does nothing without --write"),
    (["--stdin-filename", "x", "a"], "--stdin-filename does nothing without - (standard input)"),
    (["--jobs", "2", "-"], "--jobs does nothing with - (standard input)"),
    (["--write", "--list-rules"], "--write does nothing with --list-rules"),
    (["--show-settings", "--output-format", "sarif", "a"], "--output-format sarif does nothing with --show-settings"),
    (["--diff", "a"], "--diff does nothing without --check or --write (the diff is what a run without them prints)"),
])
def test_a_flag_that_does_nothing_says_so(project, args, warning):
    result = run(*args, input=NAIVE)
    assert f"dockerfix: warning: {warning}" in result.stderr


@pytest.mark.parametrize("args", [["--diff", "-"], ["--diff", "--statistics", "a"], ["--diff", "--check", "a"]])
def test_diff_without_check_or_write_is_not_idle_where_it_changes_the_output(project, args):
    # standard input: the diff instead of the fixed text; --statistics: the diffs it would leave out
    result = run(*args, input=NAIVE)
    assert "--diff does nothing" not in result.stderr and "+++ " in result.stdout


def test_diff_with_a_machine_format_leaves_the_report_readable(project):
    result = run("--check", "--diff", "--output-format", "json", "a")
    assert json.loads(result.stdout)["files"] and "--diff does nothing with --output-format json" in result.stderr


# §9: did you mean


@pytest.mark.parametrize("args, suggestion", [
    (["--chec", "."], "--chec (did you mean --check?)"),
    (["--statistic", "."], "(did you mean --statistics?)"),
    (["--fix", "."], "--fix (did you mean --write?)"),
    (["--output-format", "jsn", "."], "did you mean 'json'?"),
    (["--select", "apk-no-cach", "."], "unknown rule 'apk-no-cach' (see --list-rules); did you mean apk-no-cache?"),
    (["--ignore", "apk_no_cache", "."], "did you mean apk-no-cache?"),
    (["--select", "DF2", "."], "did you mean DF002?"),
    (["--explain", "from-as-case"], "did you mean from-as-casing?"),
    (["--explain", "DL3019"], "did you mean apk-no-cache (DF002), which fixes what hadolint reports as DL3019?"),
    (["verfy", "Dockerfile"], "verfy: no such file or directory, nor a command (did you mean `dockerfix verify`?)"),
    (["--check", "sever"], "did you mean `dockerfix server`?"),
])
def test_a_typo_gets_a_suggestion(project, args, suggestion):
    result = run(*args)
    assert result.exit_code == 2 and suggestion in result.stderr, result.stderr


def test_a_rule_typo_in_the_configuration_gets_a_suggestion(project):
    (project / ".dockerfix.toml").write_text('ignore = ["apk-no-cach"]\n')
    result = run("--check", "a")
    assert result.exit_code == 2 and "did you mean apk-no-cache?" in result.stderr


def test_a_file_named_like_a_subcommand_is_a_path(project):
    (project / "verfy").mkdir()
    (project / "verfy" / "Dockerfile").write_text(NAIVE)
    assert run("--check", "verfy").exit_code == 1
    assert run("--check", "nothing-like-a-command").stderr.startswith("nothing-like-a-command: error: no such file")


# §9: verify is a real subcommand


@pytest.mark.parametrize("argv, expected", [
    (["verify", "x"], ("verify", ["x"])),
    (["--isolated", "--select", "DF002", "verify", "x"], ("verify", ["--isolated", "--select", "DF002", "x"])),
    (["--select=DF002", "verify", "--run", "x"], ("verify", ["--select=DF002", "--run", "x"])),
    (["--isolated", "server"], ("server", ["--isolated"])),
    (["--stdin-filename", "verify", "-"], (None, ["--stdin-filename", "verify", "-"])),  # a value, not a command
    (["--check", "Dockerfile", "verify"], (None, ["--check", "Dockerfile", "verify"])),  # a second path
    (["--check", "--", "verify"], (None, ["--check", "--", "verify"])),
])
def test_the_first_path_names_a_subcommand_after_options(argv, expected):
    assert cli.split_subcommand(argv) == expected


def test_verify_after_global_options_is_dispatched_with_them(tmp_path, monkeypatch):
    from fixer.verify import cli as verify_cli

    called = []
    monkeypatch.setattr(verify_cli, "main", lambda args: called.append(args) or 3)
    monkeypatch.setattr(sys, "argv", ["dockerfix", "--isolated", "verify", "x"])

    def exit_now(code):
        raise SystemExit(code)

    monkeypatch.setattr(os, "_exit", exit_now)
    with pytest.raises(SystemExit) as exit:
        cli.entry()
    assert exit.value.code == 3 and called == [["--isolated", "x"]]


def test_help_lists_the_subcommands_exit_codes_and_examples(monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    shown = run("--help").stdout
    assert "dockerfix verify [options] PATH" in shown and "dockerfix server" in shown
    assert "exit codes:\n  0  " in shown and "\n  130  interrupted" in shown
    assert "examples:\n  dockerfix .  " in shown and "dockerfix --check --statistics ." in shown


# shell completion


@pytest.mark.parametrize("shell", completion.SCRIPTS)
def test_the_shipped_completion_scripts_are_up_to_date_with_the_parser(shell):
    assert completion.shipped_script(shell) == completion.script(shell), \
        "regenerate: .venv/bin/python -m fixer.completion"


@pytest.mark.parametrize("shell", completion.SCRIPTS)
def test_completion_prints_the_shipped_script(shell):
    result = run("--completion", shell)
    assert result.exit_code == 0 and result.stdout == completion.shipped_script(shell)


@pytest.mark.parametrize("shell", completion.SCRIPTS)
def test_every_option_is_in_every_script(shell):
    script = completion.shipped_script(shell)
    for action in cli.build_parser()._actions:
        for string in action.option_strings:
            name = string.lstrip("-")
            assert name in script, (shell, string)


@pytest.mark.parametrize("shell, check", [("bash", ["bash", "-n"]), ("zsh", ["zsh", "-n"]), ("fish", ["fish", "-n"])])
def test_the_completion_scripts_are_valid_shell(tmp_path, shell, check):
    if not shutil.which(check[0]):
        pytest.skip(f"{check[0]} is not installed")
    path = tmp_path / completion.SCRIPTS[shell]
    path.write_text(completion.shipped_script(shell))
    completed = subprocess.run([*check, str(path)], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr


BASH_PROBE = """
source "$1"
shift
COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
_dockerfix
printf '%s\\n' "${COMPREPLY[@]}"
"""


@pytest.mark.skipif(not shutil.which("bash"), reason="needs bash")
@pytest.mark.parametrize("words, expected", [
    (["dockerfix", "--stat"], ["--statistics"]),
    (["dockerfix", "--output-format", "s"], ["sarif"]),
    (["dockerfix", "--isolated", "ver"], ["verify"]),
    (["dockerfix", "--isolated", "verify", "--eng"], ["--engine"]),
    (["dockerfix", "--select", "DF001,apk-no-c"], ["DF001,apk-no-cache"]),
])
def test_bash_completes_options_choices_commands_and_rules(tmp_path, words, expected):
    script = tmp_path / "dockerfix.bash"
    script.write_text(completion.shipped_script("bash"))
    environment = {**os.environ, "PATH": os.pathsep.join([os.path.dirname(sys.executable), os.environ["PATH"]])}
    completed = subprocess.run(["bash", "-c", BASH_PROBE, "probe", str(script), *words], capture_output=True,
                               text=True, cwd=tmp_path, env=environment)
    assert completed.stdout.split() == expected, completed.stderr


def test_a_run_does_not_read_or_build_the_completion(tmp_path):
    (tmp_path / "Dockerfile").write_text(NAIVE)
    probe = "import sys; from fixer.cli import main; main(sys.argv[1:]); print('fixer.completion' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", probe, "--check", str(tmp_path / "Dockerfile")],
                               capture_output=True, text=True)
    assert completed.stdout.splitlines()[-1] == "False", completed.stderr


def test_show_settings_shows_the_extend_chain_hadolint_file_fail_level_and_changed_severities(tmp_path):
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile").write_text(NAIVE)
    (tmp_path / "base.toml").write_text('severity = { DF021 = "warning" }\n')
    (tmp_path / "pyproject.toml").write_text('[tool.dockerfix]\nextend = "base.toml"\nfail-level = "info"\n')
    (tmp_path / "svc" / ".dockerfix.toml").write_text('extend = "../pyproject.toml"\nseverity = { DF001 = "error" }\n')
    (tmp_path / ".hadolint.yaml").write_text("failure-threshold: error\noverride:\n  error: [DL3019]\n")
    text = run("--show-settings", str(tmp_path / "svc" / "Dockerfile")).stdout
    assert f"configuration: {tmp_path / 'svc' / '.dockerfix.toml'} (the nearest one" in text
    assert f"extends:       {tmp_path / 'pyproject.toml'} -> {tmp_path / 'base.toml'} (each over the next)\n" in text
    assert f"hadolint:      {tmp_path / '.hadolint.yaml'} (the nearest .hadolint.yaml" in text
    assert f"fail-level:    info (fail-level in {tmp_path / 'pyproject.toml'}; over error: failure-threshold: error " \
           f"in {tmp_path / '.hadolint.yaml'})\n" in text
    severities = text[text.index("  severities:"):text.index("  unsafe-fixes:")].splitlines()
    assert severities == [
        f"  severities:    DF001 error (default style; severity table in {tmp_path / 'svc' / '.dockerfix.toml'})",
        f"                 DF002 error (default warning; override: error: DL3019 in {tmp_path / '.hadolint.yaml'})",
        f"                 DF003 error (default info; override: error: DL3019 in {tmp_path / '.hadolint.yaml'})",
        f"                 DF021 warning (default info; severity table in {tmp_path / 'base.toml'})"]
    [shown] = json.loads(run("--show-settings", "--output-format", "json", str(tmp_path / "svc" / "Dockerfile")).stdout)
    assert shown["configuration"]["extends"] == [str(tmp_path / "pyproject.toml"), str(tmp_path / "base.toml")]
    assert shown["hadolint"]["file"] == str(tmp_path / ".hadolint.yaml")
    assert shown["fail_level"] == {"level": "info", "how": "fail-level", "file": str(tmp_path / "pyproject.toml"),
                                   "over": [{"level": "error", "how": "failure-threshold: error",
                                             "file": str(tmp_path / ".hadolint.yaml")}]}
    assert shown["severities"]["DF002"] == {"severity": "error", "default": "warning",
                                            "how": "override: error: DL3019", "file": str(tmp_path / ".hadolint.yaml")}
    assert shown["severities"]["DF004"] == {"severity": "style", "default": "style", "how": "the rule's own",
                                            "file": None}
    assert set(shown["severities"]) == set(shown["rules"])
    isolated = run("--show-settings", "--isolated", str(tmp_path / "svc" / "Dockerfile")).stdout
    assert "extends:" not in isolated and "hadolint:      none (--isolated)" in isolated
    assert "severities:    each rule's own" in isolated and "fail-level:    warning (the default)" in isolated
    flagged = run("--show-settings", "--fail-level", "style", str(tmp_path / "svc" / "Dockerfile"))
    assert "fail-level:    style (--fail-level; over info: fail-level in" in flagged.stdout
    assert "--fail-level does nothing" not in flagged.stderr
