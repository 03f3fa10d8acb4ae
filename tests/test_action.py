"""The GitHub Action (action.yml): its steps fit together, and its check step's script, run
here with bash as the runner runs it, writes the SARIF log and the outputs the upload and
the last step read."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT
from ruamel.yaml import YAML

ACTION = YAML(typ="safe").load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = {step.get("id") or step.get("name"): step for step in ACTION["runs"]["steps"]}


def test_the_action_is_composite_and_uploads_sarif():
    assert ACTION["runs"]["using"] == "composite"
    python = STEPS["python"]
    assert python["uses"].startswith("actions/setup-python@")
    assert python["with"]["update-environment"] is False, "the job's own Python is left alone"
    assert '"$ACTION_PATH"' in STEPS["install"]["run"] and STEPS["install"]["env"]["ACTION_PATH"] == \
        "${{ github.action_path }}", "dockerfix is installed from the action's own checkout"
    upload = next(step for step in ACTION["runs"]["steps"] if "upload-sarif" in step.get("uses", ""))
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"


def test_every_expression_names_an_input_or_an_earlier_step():
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    inputs = re.findall(r"inputs\.([\w-]+)", text)
    assert set(ACTION["inputs"]) <= set(inputs), "every input is used (and the pattern still finds them)"
    for name in inputs:
        assert name in ACTION["inputs"], name
    ids = [step.get("id") for step in ACTION["runs"]["steps"]]
    for position, step in enumerate(ACTION["runs"]["steps"]):
        for name in re.findall(r"steps\.([\w-]+)\.outputs", json.dumps(step)):
            assert name in ids[:position], f"{name} is not an earlier step"
    outputs = re.findall(r"steps\.([\w-]+)\.outputs", json.dumps(ACTION["outputs"]))
    assert len(outputs) == len(ACTION["outputs"]), "each output is a step's"
    for name in outputs:
        assert name in ids


def run_check(project: Path, tmp_path: Path, path: str = ".", args: str = "", fail_level: str = ""
              ) -> tuple[int, dict[str, str]]:
    outputs = tmp_path / "github_output"
    outputs.write_text("")
    env = {"PATH": "/usr/bin:/bin", "GITHUB_OUTPUT": str(outputs), "DOCKERFIX": str(Path(sys.executable).parent /
                                                                                        "dockerfix"),
           "INPUT_PATH": path, "INPUT_ARGS": args, "INPUT_FAIL_LEVEL": fail_level, "SARIF_FILE": "dockerfix.sarif"}
    completed = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", STEPS["check"]["run"]],
                               cwd=project, env=env, capture_output=True, text=True)
    return completed.returncode, dict(line.split("=", 1) for line in outputs.read_text().splitlines())


@pytest.fixture
def project(tmp_path):
    shutil.copytree(ROOT / "examples" / "go-mcp-server", tmp_path / "project")
    return tmp_path / "project"


def test_findings_give_a_sarif_log_annotations_and_exit_code_1(project, tmp_path):
    status, outputs = run_check(project, tmp_path)
    assert status == 0, "the upload comes first; the last step fails the job"
    assert outputs == {"exit-code": "1", "sarif-file": "dockerfix.sarif"}
    log = json.loads((project / "dockerfix.sarif").read_text())
    assert log["version"] == "2.1.0" and log["runs"][0]["results"]


def test_options_and_several_paths_are_passed_as_words(project, tmp_path):
    (project / "other.Dockerfile").write_text("FROM alpine:3.24 as base\n")
    status, outputs = run_check(project, tmp_path, path="Dockerfile other.Dockerfile",
                                args="--select DF001 --isolated")
    assert status == 0 and outputs["exit-code"] == "1"
    results = json.loads((project / "dockerfix.sarif").read_text())["runs"][0]["results"]
    assert {result["ruleId"] for result in results} == {"DF001"}
    files = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in results}
    assert files == {"Dockerfile", "other.Dockerfile"}


def test_nothing_to_change_is_exit_code_0(project, tmp_path):
    status, outputs = run_check(project, tmp_path, args="--select DF016")
    assert status == 0 and outputs["exit-code"] == "0"


def test_an_error_fails_the_step(project, tmp_path):
    status, outputs = run_check(project, tmp_path, path="no-such-directory")
    assert status == 2 and outputs["exit-code"] == "2"


def test_the_texts_say_what_fails_the_step_as_the_cli_decides_it():
    """--check exits 1 for a file that would change or a finding at or above --fail-level."""
    inputs, outputs = ACTION["inputs"], ACTION["outputs"]
    assert "at or above it fail the step" in inputs["fail-level"]["description"]
    assert inputs["fail-level"]["default"] == ""   # dockerfix decides: its configuration, .hadolint.yaml, warning
    for text in (inputs["fail-on-findings"]["description"], outputs["exit-code"]["description"]):
        assert "a file would change" in text and "at or above --fail-level" in text, text
    assert "--fail-level" in STEPS["check"]["run"] and STEPS["check"]["env"]["INPUT_FAIL_LEVEL"] == \
        "${{ inputs.fail-level }}"
    last = ACTION["runs"]["steps"][-1]
    assert "at or above --fail-level" in last["run"] and "what it cannot fix" not in last["run"]
    assert "steps.check.outputs.exit-code == '1'" in last["if"]   # 1, as the texts say; 2 failed the check step


@pytest.fixture
def secret(tmp_path):
    """A file whose one finding is DF019 (error, no fix): what fails depends on the fail level."""
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "Dockerfile").write_text("FROM alpine:3.24\nENV API_TOKEN=abc\n")
    return tmp_path / "project"


@pytest.mark.parametrize("fail_level, hadolint, code", [
    ("", None, "1"),             # dockerfix's default, warning: the error fails
    ("none", None, "0"),         # only a change fails
    ("error", None, "1"),
    ("", "failure-threshold: error\n", "1"),
    ("none", "failure-threshold: error\n", "0"),   # the input beats .hadolint.yaml
])
def test_the_fail_level_input_is_dockerfix_s_fail_level(secret, tmp_path, fail_level, hadolint, code):
    if hadolint:
        (secret / ".hadolint.yaml").write_text(hadolint)
    (secret / ".dockerfix.toml").write_text('select = ["DF019"]\n')
    status, outputs = run_check(secret, tmp_path, fail_level=fail_level)
    assert status == 0 and outputs["exit-code"] == code


def test_output_options_in_args_cannot_spoil_the_sarif_log(secret, tmp_path):
    status, outputs = run_check(secret, tmp_path, args="--output-format text --select DF019")
    assert status == 0 and outputs["exit-code"] == "1"
    assert json.loads((secret / "dockerfix.sarif").read_text())["version"] == "2.1.0"
