"""The machine-readable reports: SARIF 2.1.0 that GitHub code scanning accepts, workflow
annotations, concise lines.

The official SARIF JSON schema cannot be fetched here (no network but package registries),
so the SARIF log is validated with sarif-pydantic's SARIF 2.1.0 models (required fields,
enumerations, types), plus the properties GitHub code scanning needs of each result.
"""
from __future__ import annotations

import json

from helpers import run
from sarif_pydantic import Sarif

NAIVE = 'FROM golang:1.23 as build\nRUN apk add git\nENV API_TOKEN=x\nCMD ["/x"]\n'


def _project(tmp_path):
    (tmp_path / "Dockerfile").write_text(NAIVE)
    return tmp_path / "Dockerfile"


def _report(*args, exit_code: int = 1) -> str:
    """What dockerfix prints, with the exit code it must end with (--check on NAIVE: 1)."""
    result = run(*args)
    assert result.exit_code == exit_code, result.stderr
    return result.stdout


def test_sarif_is_valid_2_1_0_with_what_code_scanning_needs(tmp_path):
    path = _project(tmp_path)
    log = json.loads(_report("--check", "--output-format", "sarif", str(path)))
    Sarif.model_validate(log)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert run_["tool"]["driver"]["name"] == "dockerfix"
    assert {result["ruleId"] for result in run_["results"]} <= {rule["id"] for rule in rules}
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["endLine"] >= region["startLine"]
        assert result["message"]["text"]
    assert any(result["ruleId"] == "DF019" and result["level"] == "error" for result in run_["results"])


def test_sarif_after_write_reports_only_what_is_left(tmp_path):
    path = _project(tmp_path)
    log = json.loads(_report("--write", "--output-format", "sarif", str(path), exit_code=0))
    Sarif.model_validate(log)
    left = {result["ruleId"]: result for result in log["runs"][0]["results"]}
    assert left.keys() == {"DF005", "DF019"}  # DF005's fix is unsafe: no Go program to read in a lone file
    assert left["DF005"]["properties"]["fix"] == "unsafe"


def test_github_annotations(tmp_path):
    path = _project(tmp_path)
    lines = _report("--check", "--output-format", "github", str(path)).splitlines()
    assert f"::warning file={path},line=2,col=1,endColumn=16,title=DF002 apk-no-cache::`apk add` without " \
           "`--no-cache` keeps the package index in the image" in lines
    assert f"::notice file={path},line=1,col=1,endColumn=26,title=DF001 from-as-casing::'as' should match the " \
           "casing of 'FROM'" in lines  # style: a notice
    assert any(line.startswith(f"::error file={path},line=3,col=1,") and "DF019" in line for line in lines)


def test_github_annotation_escapes_and_multi_line_spans(tmp_path):
    from fixer.report.formats import github
    from fixer.run import FileResult, Finding

    result = FileResult("a,b:c/Dockerfile", source="x", output="x",
                        remaining=[Finding("DF019", "secrets", 3, 5, "100% bad\nreally", None)])
    assert github([result], written=False) == (
        "::warning file=a%2Cb%3Ac/Dockerfile,line=3,endLine=5,title=DF019 secrets::100%25 bad%0Areally\n")


def test_concise_lists_one_line_per_finding(tmp_path):
    path = _project(tmp_path)
    lines = _report("--check", "--output-format", "concise", str(path)).splitlines()
    assert f"{path}:2:1: DF002 warning: `apk add` without `--no-cache` keeps the package index in the image [*]" \
        in lines
    assert all(line.startswith(f"{path}:") for line in lines)
