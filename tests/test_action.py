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
from conftest import ROOT
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
    for name in re.findall(r"inputs\.([\w-]+)", text):
        assert name in ACTION["inputs"], name
    ids = [step.get("id") for step in ACTION["runs"]["steps"]]
    for position, step in enumerate(ACTION["runs"]["steps"]):
        for name in re.findall(r"steps\.([\w-]+)\.outputs", json.dumps(step)):
            assert name in ids[:position], f"{name} is not an earlier step"
    for name in re.findall(r"steps\.([\w-]+)\.outputs", json.dumps(ACTION["outputs"])):
        assert name in ids


def run_check(project: Path, tmp_path: Path, path: str = ".", args: str = "") -> tuple[int, dict[str, str]]:
    outputs = tmp_path / "github_output"
    outputs.write_text("")
    env = {"PATH": "/usr/bin:/bin", "GITHUB_OUTPUT": str(outputs), "DOCKERFIX": str(Path(sys.executable).parent /
                                                                                        "dockerfix"),
           "INPUT_PATH": path, "INPUT_ARGS": args, "SARIF_FILE": "dockerfix.sarif"}
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
