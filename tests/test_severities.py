"""Severities (issue #19 §6): each rule's own, the configuration's `severity` table, what a
.hadolint.yaml `override:` says, and the gate `--check` makes of them with --fail-level and
--exit-zero; the summary keeps what would change apart from what is advisory."""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from helpers import run

from fixer.config import ConfigError, forget_directories, load
from fixer.rules import all_rules, find_rule
from fixer.rules.base import SEVERITIES, Rule, at_least

SECRET_ONLY = "FROM alpine:3.24\nENV API_TOKEN=abc\n"           # DF019 (error), nothing to fix
NAIVE = "FROM golang:1.23 as build\nRUN apk add git\n"           # DF001 (style) and DF002 (warning), both fixed


# --- the rules' own severities --------------------------------------------------------------------

def test_every_rule_has_a_severity_and_security_rules_a_score():
    for rule in all_rules():
        assert rule.severity in SEVERITIES, rule.id
        assert rule.security_severity is None or 0.1 <= rule.security_severity <= 10.0, rule.id
    declared = {rule.id: rule.severity for rule in all_rules()}
    assert declared["DF019"] == "error" and declared["DF000"] == "error"   # a secret; a typo'd suppression
    assert declared["DF021"] == "info" and declared["DF016"] == "info"
    assert declared["DF001"] == "style" and declared["DF004"] == "style"
    security = {rule.id for rule in all_rules() if rule.security_severity is not None}
    assert {"DF005", "DF019", "DC005", "DC006", "DC008"} <= security and "DF002" not in security


def test_a_rule_with_an_unknown_severity_is_refused():
    with pytest.raises(ValueError, match="severity must be one of error, warning, info, style"):
        Rule(id="DF998", name="x", summary="x", check=lambda checker: (), fix_safety="none", severity="fatal")


def test_at_least_orders_the_severities_and_none_fails_nothing():
    assert at_least("error", "warning") and at_least("warning", "warning") and not at_least("info", "warning")
    assert at_least("style", "style") and not at_least("error", "none")


def test_list_rules_shows_each_rules_severity():
    lines = run("--list-rules").stdout.splitlines()
    assert any(line.startswith("DF019  secrets ") and " error " in line for line in lines)
    assert any(line.startswith("DF021  healthcheck ") and " info " in line for line in lines)


# --- the configuration -------------------------------------------------------------------------

def test_the_severity_table_sets_rules_by_id_or_name(tmp_path):
    (tmp_path / ".dockerfix.toml").write_text('severity = { DF021 = "warning", "non-root-user" = "error" }\n')
    settings = load(tmp_path / ".dockerfix.toml")
    assert settings.severity == {"DF021": "warning", "DF005": "error"}
    severities = settings.severities([find_rule("DF021"), find_rule("DF005"), find_rule("DF002")])
    assert severities == {"DF021": "warning", "DF005": "error", "DF002": "warning"}


def test_all_in_the_severity_table_sets_every_rule_and_a_rule_named_beside_it_wins(tmp_path):
    (tmp_path / ".dockerfix.toml").write_text('[severity]\nDF001 = "style"\nALL = "error"\n')
    severities = load(tmp_path / ".dockerfix.toml").severities([find_rule("DF001"), find_rule("DF021")])
    assert severities == {"DF001": "style", "DF021": "error"}


@pytest.mark.parametrize("text, message", [
    ('severity = { DF021 = "fatal" }\n', ":1: severity.DF021 must be one of error, warning, info, style, not 'fatal'"),
    ('severity = { DF021 = "Warning" }\n', "not 'Warning'; did you mean 'warning'?"),
    ('\nseverity = { "non-rot-user" = "error" }\n',
     ":2: severity: unknown rule 'non-rot-user' (see --list-rules); did you mean non-root-user?"),
    ('severity = "error"\n', ":1: severity must be a table, not str"),
    ('severity = { DF021 = 3 }\n', "not 3"),
])
def test_a_bad_severity_table_is_an_error_naming_the_line(tmp_path, text, message):
    (tmp_path / ".dockerfix.toml").write_text(text)
    with pytest.raises(ConfigError) as error:
        load(tmp_path / ".dockerfix.toml")
    assert message in str(error.value)


def test_extend_merges_the_severity_table_key_by_key(tmp_path):
    (tmp_path / "base.toml").write_text('severity = { DF021 = "warning", DF004 = "info" }\n')
    (tmp_path / ".dockerfix.toml").write_text('extend = "base.toml"\nseverity = { consecutive-run = "error" }\n')
    assert load(tmp_path / ".dockerfix.toml").severity == {"DF021": "warning", "DF004": "error"}


def test_hadolint_override_sets_the_severity_of_the_rules_its_codes_map_to(tmp_path):
    from fixer.run import Overrides, SettingsFinder

    (tmp_path / ".hadolint.yaml").write_text(
        "override:\n  error: [DL3002, DL3009]\n  info: [DL3019]\n  style: [DL3015, DL3025]\n")
    (tmp_path / "Dockerfile").write_text(NAIVE)
    settings = SettingsFinder(Overrides()).for_path(str(tmp_path / "Dockerfile"))
    rules = [find_rule(name) for name in ("DF005", "DF002", "DF003", "DF010", "DF012", "DF019")]
    assert settings.severities(rules) == {
        "DF005": "error",    # DL3002
        "DF002": "info", "DF003": "info",   # DL3019 maps to both
        "DF010": "error",    # DL3009 error and DL3015 style: the most severe
        "DF012": "style",    # DL3025
        "DF019": "error",    # no hadolint code: its own
    }
    # dockerfix's own configuration has the last word
    (tmp_path / ".dockerfix.toml").write_text('severity = { DF005 = "info" }\n')
    forget_directories()  # where configuration files are was cached
    settings = SettingsFinder(Overrides()).for_path(str(tmp_path / "Dockerfile"))
    assert settings.severities([find_rule("DF005")]) == {"DF005": "info"}
    assert SettingsFinder(Overrides(isolated=True)).for_path(str(tmp_path / "Dockerfile")).severities(
        [find_rule("DF005")]) == {"DF005": "warning"}


def test_findings_carry_the_configured_severity(tmp_path):
    (tmp_path / "Dockerfile").write_text(SECRET_ONLY)
    (tmp_path / ".dockerfix.toml").write_text('severity = { secrets = "info" }\n')
    data = json.loads(run("--check", "--output-format", "json", str(tmp_path / "Dockerfile")).stdout)
    [finding] = data["files"][0]["findings"]
    assert (finding["rule"], finding["severity"]) == ("DF019", "info")
    assert "DF019 info: ENV API_TOKEN" in run("--check", str(tmp_path / "Dockerfile")).stdout


# --- the gate ---------------------------------------------------------------------------------

@pytest.fixture
def secret(tmp_path):
    (tmp_path / "Dockerfile").write_text(SECRET_ONLY)
    return str(tmp_path / "Dockerfile")


@pytest.mark.parametrize("options, code", [
    ((), 1),                               # an error left: at or above the default, warning
    (("--fail-level", "error"), 1),
    (("--fail-level", "style"), 1),
    (("--fail-level", "none"), 0),         # nothing left fails it
    (("--exit-zero",), 0),
])
def test_check_fails_on_a_finding_left_at_or_above_the_fail_level(secret, options, code):
    assert run("--check", *options, secret).exit_code == code


def test_below_the_fail_level_a_finding_is_advisory(tmp_path, secret):
    (tmp_path / ".dockerfix.toml").write_text('severity = { DF019 = "info" }\n')
    assert run("--check", secret).exit_code == 0                        # info is below warning
    assert run("--check", "--fail-level", "info", secret).exit_code == 1
    assert run("--check", "--fail-level", "warning", "-", "--stdin-filename", secret, input=SECRET_ONLY
               ).exit_code == 0                                          # standard input: the same gate
    assert run("--check", "--fail-level", "info", "-", "--stdin-filename", secret, input=SECRET_ONLY
               ).exit_code == 1


def test_a_file_that_would_change_fails_the_check_whatever_the_fail_level(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.24 as base\n")   # DF001, style, fixable
    path = str(tmp_path / "Dockerfile")
    assert run("--check", "--select", "DF001", "--fail-level", "none", path).exit_code == 1
    assert run("--check", "--select", "DF001", "--fail-level", "none", "-", input="FROM alpine:3.24 as base\n"
               ).exit_code == 1
    assert run("--check", "--select", "DF001", "--exit-zero", path).exit_code == 0


def test_exit_zero_leaves_errors_exit_2_and_overrides_exit_non_zero_on_fix(tmp_path):
    (tmp_path / "bad.Dockerfile").write_text("FROM alpine:3.24\nRUNN x\n")
    assert run("--check", "--exit-zero", str(tmp_path / "bad.Dockerfile")).exit_code == 2
    (tmp_path / "Dockerfile").write_text(NAIVE)
    written = run("--write", "--exit-non-zero-on-fix", "--exit-zero", "--select", "DF001",
                  str(tmp_path / "Dockerfile"))
    assert written.exit_code == 0 and "AS build" in (tmp_path / "Dockerfile").read_text()


@pytest.mark.parametrize("args, warning", [
    (["--fail-level", "error", "x"], "--fail-level does nothing without --check"),
    (["--check", "--fail-level", "error", "--exit-zero", "x"], "--fail-level does nothing with --exit-zero"),
    (["--exit-zero", "x"], "--exit-zero does nothing without --check or --exit-non-zero-on-fix"),
])
def test_gate_flags_that_do_nothing_say_so(tmp_path, monkeypatch, args, warning):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x").write_text("FROM alpine:3.24\n")
    assert f"dockerfix: warning: {warning}" in run(*args).stderr


# --- the summary ------------------------------------------------------------------------------

def test_the_summary_separates_what_would_change_from_what_is_advisory(tmp_path):
    (tmp_path / "a.Dockerfile").write_text(NAIVE)
    (tmp_path / "b.Dockerfile").write_text(SECRET_ONLY + "EXPOSE 80\n")
    result = run("--check", str(tmp_path))
    assert "dockerfix: 1 file would be changed (2 fixes), 1 left unchanged\n" in result.stderr
    assert "dockerfix: 1 advisory finding (1 error), 1 at or above --fail-level warning\n" in result.stderr
    written = run("--write", str(tmp_path))
    assert "dockerfix: 1 file changed (2 fixes), 1 left unchanged\n" in written.stderr
    assert "dockerfix: 1 advisory finding (1 error)\n" in written.stderr


def test_json_summary_counts_agree_with_the_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.23\n")
    (tmp_path / "Dockerfile").write_text("FROM golang:1.23\nCOPY . .\nRUN go build -o /app .\nENV API_TOKEN=x\n")
    data = json.loads(run("--check", "--select", "DF019,DF020", "--output-format", "json", ".").stdout)
    summary = data["summary"]
    findings = [finding for item in data["files"] for finding in item["findings"]]
    assert summary["context_files"] == 1 == len(data["files"][0]["context_files"])   # the .dockerignore
    assert summary["fixes"] == sum(finding["fix"] is not None and finding["rule"] == "DF020" for finding in findings)
    assert summary["findings"] == 1 and summary["advisory"] == {"error": 1}
    assert summary["files"] == len(data["files"]) and summary["errors"] == 0


# --- the distroless image hadolint passes -----------------------------------------------------

DISTROLESS = """\
FROM golang:1.23 AS builder
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /server .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=builder /server /server
EXPOSE 8080
ENTRYPOINT ["/server"]
"""
SERVER = """\
package main

import "net/http"

func main() {
\thttp.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
\thttp.ListenAndServe(":8080", nil)
}
"""


def _hadolint() -> str | None:
    beside_python = Path(sys.executable).parent / "hadolint"
    return str(beside_python) if beside_python.exists() else shutil.which("hadolint")


def test_a_distroless_image_without_healthcheck_passes_the_gate(tmp_path):
    """Kubernetes probes stand in for a HEALTHCHECK: that finding is info, and does not fail."""
    (tmp_path / "go.mod").write_text("module example.com/server\n\ngo 1.23\n")
    (tmp_path / "main.go").write_text(SERVER)
    (tmp_path / ".dockerignore").write_text(".git\n.env\n")
    (tmp_path / "Dockerfile").write_text(DISTROLESS)
    result = run("--check", str(tmp_path / "Dockerfile"))
    assert [line.split(": ")[1] for line in result.stdout.splitlines()] == ["DF021 info"], result.stdout
    assert result.exit_code == 0, result.stdout + result.stderr
    assert run("--check", "--fail-level", "info", str(tmp_path / "Dockerfile")).exit_code == 1
    hadolint = _hadolint()
    if hadolint:  # and hadolint passes it
        import subprocess

        assert subprocess.run([hadolint, str(tmp_path / "Dockerfile")], capture_output=True,
                              env={**os.environ, "NO_COLOR": "1"}).returncode == 0


# --- the fail level from the configuration and .hadolint.yaml's failure-threshold -------------------

def _secret_at(tmp_path, severity: str) -> str:
    """A Dockerfile whose one finding, left unfixed, is of `severity` (DF019 set so)."""
    (tmp_path / "Dockerfile").write_text(SECRET_ONLY)
    (tmp_path / ".dockerfix.toml").write_text(f'severity = {{ DF019 = "{severity}" }}\n')
    return str(tmp_path / "Dockerfile")


@pytest.mark.parametrize("threshold, severity, code", [
    ("error", "error", 1), ("error", "warning", 0),          # at or above the threshold, as hadolint
    ("warning", "warning", 1), ("warning", "info", 0),
    ("info", "info", 1), ("info", "style", 0),
    ("style", "style", 1),
    ("ignore", "style", 1), ("none", "style", 1),            # hadolint: below every severity, so all fail
])
def test_hadolint_failure_threshold_is_the_fail_level(tmp_path, threshold, severity, code):
    path = _secret_at(tmp_path, severity)
    (tmp_path / ".hadolint.yaml").write_text(f"failure-threshold: {threshold}\n")
    assert run("--check", path).exit_code == code
    assert run("--check", "-", "--stdin-filename", path, input=SECRET_ONLY).exit_code == code
    assert run("--check", "--isolated", path).exit_code == 1   # the default, warning; DF019 is an error there


def test_the_command_line_beats_the_configuration_which_beats_hadolint(tmp_path):
    path = _secret_at(tmp_path, "info")
    (tmp_path / ".hadolint.yaml").write_text("failure-threshold: style\n")
    assert run("--check", path).exit_code == 1                               # hadolint's: style
    (tmp_path / ".dockerfix.toml").write_text('severity = { DF019 = "info" }\nfail-level = "error"\n')
    assert run("--check", path).exit_code == 0                               # dockerfix's: error
    assert run("--check", "--fail-level", "info", path).exit_code == 1       # the command line's: info
    assert run("--check", "--fail-level", "none", path).exit_code == 0
    shown = run("--show-settings", "--fail-level", "info", path).stdout
    assert f"fail-level:    info (--fail-level; over error: fail-level in {tmp_path / '.dockerfix.toml'}; " \
           f"over style: failure-threshold: style in {tmp_path / '.hadolint.yaml'})" in shown
    assert f"fail-level:    error (fail-level in {tmp_path / '.dockerfix.toml'}; over style" in \
        run("--show-settings", path).stdout


def test_fail_level_none_in_the_configuration_fails_only_on_a_change(tmp_path):
    path = _secret_at(tmp_path, "error")
    (tmp_path / ".dockerfix.toml").write_text('fail-level = "none"\n')
    assert run("--check", path).exit_code == 0
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.24 as base\n")
    assert run("--check", "--select", "DF001", path).exit_code == 1


def test_fail_level_comes_through_extend_and_each_file_has_its_own(tmp_path):
    (tmp_path / "base.toml").write_text('fail-level = "error"\n')
    (tmp_path / "strict").mkdir()
    (tmp_path / "lax").mkdir()
    for name in ("strict", "lax"):
        (tmp_path / name / "Dockerfile").write_text(SECRET_ONLY)
    (tmp_path / "lax" / ".dockerfix.toml").write_text('extend = "../base.toml"\nseverity = { DF019 = "warning" }\n')
    assert load(tmp_path / "lax" / ".dockerfix.toml").failing_level() == ("error", "fail-level",
                                                                          str(tmp_path / "base.toml"))
    assert run("--check", str(tmp_path / "lax")).exit_code == 0
    (tmp_path / "strict" / ".hadolint.yaml").write_text("failure-threshold: warning\n")
    both = run("--check", str(tmp_path))
    assert both.exit_code == 1   # strict/Dockerfile's error is at or above its warning
    assert "2 advisory findings (1 error, 1 warning), 1 at or above the fail level of their file" in both.stderr


@pytest.mark.parametrize("text, message", [
    ("ignored: []\nfailure-threshold: Warning\n", ":2: failure-threshold must be one of error, warning, info, "
                                                  "style, ignore, none, not 'Warning'; did you mean 'warning'?"),
    ("failure-threshold: [error]\n", ":1: failure-threshold must be one of"),
])
def test_a_failure_threshold_hadolint_refuses_is_an_error(tmp_path, text, message):
    (tmp_path / "Dockerfile").write_text(SECRET_ONLY)
    (tmp_path / ".hadolint.yaml").write_text(text)
    result = run("--check", str(tmp_path / "Dockerfile"))
    assert result.exit_code == 2 and f"{tmp_path / '.hadolint.yaml'}{message}" in result.stderr, result.stderr


def test_a_bad_fail_level_in_the_configuration_is_an_error(tmp_path):
    (tmp_path / ".dockerfix.toml").write_text('\nfail-level = "warn"\n')
    with pytest.raises(ConfigError, match=r":2: fail-level must be one of error, warning, info, style, none, "
                                          r"not 'warn'; did you mean 'warning'\?"):
        load(tmp_path / ".dockerfix.toml")
