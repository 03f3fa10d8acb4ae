"""Issue #19 §8 and §11: locations with columns in every format, and what review tools read of
the machine formats: SARIF (levels, help, security, fixes, base URIs, file errors), JSON
(severity, columns, relative paths, edits, summary), GitLab Code Quality, reviewdog's rdjson,
JUnit and checkstyle XML. The shapes are checked against what each format documents."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from helpers import ROOT, run
from sarif_pydantic import Sarif

from fixer.report.rules_doc import anchor, render

NAIVE = "FROM golang:1.23 as build\nRUN apk add git\nENV API_TOKEN=x\nCMD [\"/x\"]\n"
FIXED = "FROM golang:1.23 AS build\nRUN apk add --no-cache git\nENV API_TOKEN=x\nCMD [\"/x\"]\n"
INDENTED = "FROM alpine:3.24\n  RUN apk add git\n"           # DF002 at column 3
PRIVILEGED = "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n"   # DC006 at 4:5


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A directory to run in: paths in it are reported relative to it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _report(fmt: str, *args, exit_code: int = 1) -> str:
    """The report of `--check`, here always on files with findings (exit code 1), or with a file
    that cannot be read as well (2)."""
    result = run("--check", "--output-format", fmt, *args)
    assert result.exit_code == exit_code, result.stderr
    return result.stdout


def apply(text: str, edits) -> str:
    """`edits` ((line, column, end_line, end_column, content), 1-based, ends exclusive) applied to `text`."""
    starts = [0] + [match.end() for match in re.finditer("\n", text)]
    spans = sorted(((starts[line - 1] + column - 1, starts[end_line - 1] + end_column - 1, content)
                    for line, column, end_line, end_column, content in edits), reverse=True)
    for start, end, content in spans:
        text = text[:start] + content + text[end:]
    return text


# --- §8: columns ------------------------------------------------------------------------------

def test_locations_carry_columns_in_text_github_sarif_and_json(here):
    (here / "Dockerfile").write_text(INDENTED)
    (here / "compose.yaml").write_text(PRIVILEGED)
    text = run("--check", "Dockerfile", "compose.yaml").stdout
    assert "Dockerfile:2:3: DF002 warning: " in text and "compose.yaml:4:5: DC006 warning: " in text
    assert "Dockerfile:2:3: DF002 warning: " in _report("concise", "Dockerfile")
    github = _report("github", "Dockerfile", "compose.yaml")
    assert "::warning file=Dockerfile,line=2,col=3,endColumn=18,title=DF002 apk-no-cache::" in github
    assert "::warning file=compose.yaml,line=4,col=5,title=DC006 compose-privileges::" in github
    regions = {result["ruleId"]: result["locations"][0]["physicalLocation"]["region"]
               for result in json.loads(_report("sarif", "Dockerfile", "compose.yaml"))["runs"][0]["results"]}
    assert regions["DF002"] == {"startLine": 2, "startColumn": 3, "endLine": 2, "endColumn": 18}
    assert regions["DC006"] == {"startLine": 4, "startColumn": 5, "endLine": 4}
    found = {finding["rule"]: finding for item in json.loads(_report("json", "Dockerfile", "compose.yaml"))["files"]
             for finding in item["findings"]}
    assert (found["DF002"]["column"], found["DF002"]["end_column"]) == (3, 18)
    assert (found["DC006"]["line"], found["DC006"]["column"], found["DC006"]["end_column"]) == (4, 5, None)


# --- §11: SARIF -------------------------------------------------------------------------------

def _sarif(*args, exit_code: int = 1) -> dict:
    log = json.loads(_report("sarif", *args, exit_code=exit_code))
    Sarif.model_validate(log)
    return log


def test_sarif_levels_come_from_severities_and_rules_link_their_docs(here):
    (here / "Dockerfile").write_text(NAIVE)
    run_ = _sarif("Dockerfile")["runs"][0]
    levels = {result["ruleId"]: result["level"] for result in run_["results"]}
    assert levels == {"DF001": "note", "DF002": "warning", "DF005": "warning", "DF019": "error"}
    rules = {rule["id"]: rule for rule in run_["tool"]["driver"]["rules"]}
    assert rules["DF001"]["defaultConfiguration"] == {"level": "note"}
    headings = {_github_anchor(line[3:]) for line in render().splitlines() if line.startswith("## ")}
    for rule in rules.values():
        base, _, fragment = rule["helpUri"].partition("#")
        assert base.startswith("https://") and base.endswith("/docs/rules.md")  # an absolute URI, as SARIF asks
        assert fragment == anchor(rule["id"], rule["name"]) and fragment in headings


def _github_anchor(heading: str) -> str:
    """The anchor GitHub makes of a markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_sarif_security_rules_carry_security_severity_and_tags(here):
    (here / "Dockerfile").write_text(NAIVE)
    rules = {rule["id"]: rule for rule in _sarif("Dockerfile")["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["DF019"]["properties"]["security-severity"] == "8.0"
    assert rules["DF019"]["properties"]["tags"] == ["security"]
    assert float(rules["DF005"]["properties"]["security-severity"]) > 0
    assert "security-severity" not in rules["DF002"]["properties"] and "tags" not in rules["DF002"]["properties"]


def test_sarif_fixes_carry_the_edits_and_make_the_fixed_file(here):
    (here / "Dockerfile").write_text(NAIVE)
    results = _sarif("Dockerfile")["runs"][0]["results"]
    safe = [change for result in results if result["properties"]["fix"] == "safe"
            for fix in result["fixes"] for change in fix["artifactChanges"]]
    assert {change["artifactLocation"]["uri"] for change in safe} == {"Dockerfile"}
    edits = [(region["startLine"], region["startColumn"], region["endLine"], region["endColumn"],
              replacement["insertedContent"]["text"])
             for change in safe for replacement in change["replacements"]
             for region in [replacement["deletedRegion"]]]
    assert apply(NAIVE, edits) == FIXED
    # the unsafe fix was made on the fixed text: placed on the lines it came from, it is what
    # --unsafe-fixes alone would make of the file as it is
    [unsafe] = [result for result in results if result["ruleId"] == "DF005"]
    replacements = unsafe["fixes"][0]["artifactChanges"][0]["replacements"]
    edits = [(r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"], r["deletedRegion"]["endLine"],
              r["deletedRegion"]["endColumn"], r["insertedContent"]["text"]) for r in replacements]
    alone = run("--unsafe-fixes", "--select", "DF005", "-", input=NAIVE).stdout
    assert apply(NAIVE, edits) == alone != NAIVE


def test_sarif_messages_say_what_is_wrong_and_the_fix_says_why_it_is_unsafe(here):
    (here / "Dockerfile").write_text(NAIVE)
    results = _sarif("Dockerfile")["runs"][0]["results"]
    [unsafe] = [result for result in results if result["ruleId"] == "DF005"]
    reason = unsafe["properties"]["reason"]
    assert reason and reason not in unsafe["message"]["text"] and "(unsafe" not in unsafe["message"]["text"]
    assert unsafe["fixes"][0]["description"]["text"].endswith(f"applied only with --unsafe-fixes: {reason}")
    assert all("(not fixed" not in result["message"]["text"] for result in results)


def test_sarif_uris_are_relative_to_a_srcroot_base(here):
    (here / "svc").mkdir()
    (here / "svc" / "Dockerfile").write_text(NAIVE)
    run_ = _sarif(str(here / "svc" / "Dockerfile"))["runs"][0]   # named absolute: still relative to it
    assert run_["originalUriBaseIds"] == {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}}
    locations = [location["physicalLocation"]["artifactLocation"]
                 for result in run_["results"] for location in result["locations"]]
    assert locations and all(location == {"uri": "svc/Dockerfile", "uriBaseId": "%SRCROOT%"}
                             for location in locations)


def test_sarif_file_errors_are_results_of_a_defined_rule(here):
    (here / "bad.Dockerfile").write_text("FROM alpine:3.24\nRUNN x\n")
    (here / "Dockerfile").write_text(NAIVE)
    run_ = _sarif(".", exit_code=2)["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    [error] = [result for result in run_["results"] if result["level"] == "error" and result["ruleId"] != "DF019"]
    assert error["ruleId"] == "DF999" and rules[error["ruleIndex"]]["id"] == "DF999"
    assert rules[error["ruleIndex"]]["name"] == "file-error" and "unknown instruction" in error["message"]["text"]
    assert error["locations"][0]["physicalLocation"]["region"] == {"startLine": 2}
    assert all(rules[result["ruleIndex"]]["id"] == result["ruleId"] for result in run_["results"])


# --- §11: JSON --------------------------------------------------------------------------------

def test_json_has_severity_columns_relative_paths_and_edits(here):
    (here / "go.mod").write_text("module example.com/x\n\ngo 1.23\n")
    (here / "Dockerfile").write_text("FROM golang:1.23 as build\nCOPY . .\nRUN go build -o /app .\n")
    data = json.loads(_report("json", "--select", "DF001,DF020", str(here / "Dockerfile")))
    [item] = data["files"]
    assert (item["path"], item["context"]) == ("Dockerfile", ".")
    assert item["context_files"] == [{"path": ".dockerignore", "created": True}]
    findings = {finding["rule"]: finding for finding in item["findings"]}
    casing = findings["DF001"]
    assert (casing["severity"], casing["line"], casing["column"], casing["end_column"]) == ("style", 1, 1, 26)
    assert casing["edits"] == [{"content": "AS", "location": {"line": 1, "column": 18},
                                "end_location": {"line": 1, "column": 20}}]
    [ignore] = findings["DF020"]["context_files"]
    assert ignore["path"] == ".dockerignore" and ignore["created"] and "Dockerfile*" in ignore["content"]
    assert data["summary"]["context_files"] == 1 and data["summary"]["fixes"] == 2


def test_json_edits_rebuild_the_fixed_file_and_paths_outside_stay_absolute(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    (tmp_path / "Dockerfile").write_text(NAIVE)
    monkeypatch.chdir(tmp_path / "in")
    data = json.loads(_report("json", str(tmp_path / "Dockerfile")))
    [item] = data["files"]
    assert item["path"] == str(tmp_path / "Dockerfile")   # outside the directory dockerfix ran in
    edits = [(edit["location"]["line"], edit["location"]["column"], edit["end_location"]["line"],
              edit["end_location"]["column"], edit["content"])
             for finding in item["findings"] if finding["fix"] == "safe" for edit in finding["edits"]]
    assert apply(NAIVE, edits) == FIXED


def test_json_after_write_places_the_edits_left_in_the_written_file(here):
    (here / "Dockerfile").write_text(NAIVE)
    data = json.loads(run("--write", "--output-format", "json", "Dockerfile").stdout)
    [unsafe] = [finding for finding in data["files"][0]["findings"] if finding["rule"] == "DF005"]
    edits = [(edit["location"]["line"], edit["location"]["column"], edit["end_location"]["line"],
              edit["end_location"]["column"], edit["content"]) for edit in unsafe["edits"]]
    assert apply(FIXED, edits) == run("--unsafe-fixes", "--select", "DF005", "-", input=FIXED).stdout


# --- GitLab Code Quality ----------------------------------------------------------------------

GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
TWICE = "FROM alpine:3.24 AS a\nRUN apk add git\nFROM alpine:3.24\nRUN apk add git\n"


def _check_gitlab(issues) -> None:
    """The fields GitLab's Code Quality report format requires, with their types."""
    assert isinstance(issues, list)
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        assert re.fullmatch(r"[0-9a-f]{32}", issue["fingerprint"])
        assert issue["severity"] in GITLAB_SEVERITIES
        assert isinstance(issue["location"]["path"], str) and not os.path.isabs(issue["location"]["path"])
        lines = issue["location"]["lines"]
        assert isinstance(lines["begin"], int) and lines["begin"] >= 1 and lines.get("end", lines["begin"]) >= 1
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)   # GitLab keeps one per fingerprint


def test_gitlab_code_quality_report(here):
    (here / "Dockerfile").write_text(NAIVE)
    (here / "twice.Dockerfile").write_text(TWICE)
    (here / "bad.Dockerfile").write_text("FROM alpine:3.24\nRUNN x\n")
    issues = json.loads(_report("gitlab", ".", exit_code=2))
    _check_gitlab(issues)
    by = {(issue["location"]["path"], issue["check_name"], issue["location"]["lines"]["begin"]): issue
          for issue in issues}
    assert by[("Dockerfile", "DF019", 3)]["severity"] == "blocker"   # an error of a security rule
    assert by[("Dockerfile", "DF002", 2)]["severity"] == "major"
    assert by[("Dockerfile", "DF001", 1)]["severity"] == "info"
    assert by[("bad.Dockerfile", "DF999", 2)]["severity"] == "critical"
    # equal findings differ; lines added above keep the fingerprints
    (here / "twice.Dockerfile").write_text("# a comment\n" + TWICE)
    again = {issue["fingerprint"] for issue in json.loads(_report("gitlab", "twice.Dockerfile"))}
    assert again == {issue["fingerprint"] for issue in issues if issue["location"]["path"] == "twice.Dockerfile"}


# --- reviewdog rdjson -------------------------------------------------------------------------

RDJSON_SEVERITIES = {"UNKNOWN_SEVERITY", "ERROR", "WARNING", "INFO"}


def _check_position(position) -> None:
    assert isinstance(position["line"], int) and position["line"] >= 1
    assert "column" not in position or isinstance(position["column"], int) and position["column"] >= 1


def _check_range(where) -> None:
    _check_position(where["start"])
    if "end" in where:
        _check_position(where["end"])


def _check_rdjson(result) -> None:
    """reviewdog's DiagnosticResult (proto/rdf/reviewdog.proto), as JSON."""
    assert set(result) <= {"diagnostics", "source", "severity"} and isinstance(result["source"]["name"], str)
    for diagnostic in result["diagnostics"]:
        assert set(diagnostic) <= {"message", "location", "severity", "source", "code", "suggestions",
                                   "original_output", "related_locations"}
        assert isinstance(diagnostic["message"], str) and diagnostic["severity"] in RDJSON_SEVERITIES
        assert isinstance(diagnostic["location"]["path"], str)
        _check_range(diagnostic["location"]["range"])
        assert isinstance(diagnostic["code"]["value"], str) and diagnostic["code"]["url"].startswith("https://")
        for suggestion in diagnostic.get("suggestions", ()):
            _check_range(suggestion["range"])
            assert isinstance(suggestion["text"], str)
            assert "column" in suggestion["range"]["start"] and "end" in suggestion["range"]


def _apply_bytes(text: str, suggestions) -> str:
    """rdjson suggestions (UTF-8 byte columns) applied to `text`."""
    data = text.encode("utf-8")
    starts = [0] + [match.end() for match in re.finditer(b"\n", data)]
    spans = sorted(((starts[s["range"]["start"]["line"] - 1] + s["range"]["start"]["column"] - 1,
                     starts[s["range"]["end"]["line"] - 1] + s["range"]["end"]["column"] - 1,
                     s["text"].encode("utf-8")) for s in suggestions), reverse=True)
    for start, end, content in spans:
        data = data[:start] + content + data[end:]
    return data.decode("utf-8")


def test_rdjson_report_with_suggestions(here):
    (here / "Dockerfile").write_text(NAIVE)
    (here / "bad.Dockerfile").write_text("FROM alpine:3.24\nRUNN x\n")
    result = json.loads(_report("rdjson", ".", exit_code=2))
    _check_rdjson(result)
    by = {(d["location"]["path"], d["code"]["value"]): d for d in result["diagnostics"]}
    assert by[("Dockerfile", "DF019")]["severity"] == "ERROR" and by[("Dockerfile", "DF001")]["severity"] == "INFO"
    assert by[("bad.Dockerfile", "DF999")]["severity"] == "ERROR"
    assert by[("Dockerfile", "DF002")]["code"]["url"].endswith("#df002-apk-no-cache")
    safe = [s for (path, code), d in by.items() if path == "Dockerfile" and code in ("DF001", "DF002")
            for s in d["suggestions"]]
    assert _apply_bytes(NAIVE, safe) == FIXED


def test_rdjson_columns_count_utf8_bytes(here):
    text = "FROM alpine:3.24\nRUN echo café && apk add git\n"
    (here / "Dockerfile").write_text(text)
    [diagnostic] = json.loads(_report("rdjson", "--select", "DF002", "Dockerfile"))["diagnostics"]
    [suggestion] = diagnostic["suggestions"]
    assert suggestion["range"]["start"]["column"] == len("RUN echo café && apk add".encode("utf-8")) + 1
    assert _apply_bytes(text, [suggestion]) == "FROM alpine:3.24\nRUN echo café && apk add --no-cache git\n"


# --- JUnit and checkstyle -------------------------------------------------------------------

def test_junit_report_fails_what_the_check_fails(here):
    (here / "Dockerfile").write_text(NAIVE)
    (here / "clean.Dockerfile").write_text("FROM alpine:3.24\n")
    (here / "bad.Dockerfile").write_text("FROM alpine:3.24\nRUNN x\n")
    (here / ".dockerfix.toml").write_text('severity = { DF005 = "info" }\n')
    root = ElementTree.fromstring(_report("junit", ".", exit_code=2))
    assert root.tag == "testsuites"
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert set(suites) == {"Dockerfile", "clean.Dockerfile", "bad.Dockerfile"}
    for element in [root, *suites.values()]:   # the counts agree with the test cases
        cases = list(element.iter("testcase"))
        assert int(element.get("tests")) == len(cases)
        assert int(element.get("failures")) == sum(case.find("failure") is not None for case in cases)
        assert int(element.get("errors")) == sum(case.find("error") is not None for case in cases)
    cases = {case.get("name").split()[0]: case for case in suites["Dockerfile"].findall("testcase")}
    assert cases["DF001"].find("failure").get("type") == "style"       # style, but the check fixes it
    assert cases["DF019"].find("failure") is not None                  # an error
    assert cases["DF005"].find("failure") is None and "DF005 info" in cases["DF005"].find("system-out").text
    [clean] = suites["clean.Dockerfile"].findall("testcase")
    assert list(clean) == []                                           # a file without findings passes
    [bad] = suites["bad.Dockerfile"].findall("testcase")
    assert bad.find("error").get("type") == "DF999"
    strict = ElementTree.fromstring(_report("junit", "--fail-level", "info", "Dockerfile"))
    assert strict.get("failures") == strict.get("tests")


def test_junit_report_fails_by_each_files_own_fail_level(here):
    """Two configurations, two fail levels: each file's test cases fail as its --check does."""
    for directory, level in (("strict", "info"), ("lenient", "error")):
        (here / directory).mkdir()
        (here / directory / ".dockerfix.toml").write_text(f'fail-level = "{level}"\n')
        (here / directory / "Dockerfile").write_text("FROM alpine:3.24\nCOPY --from=b /app /app\n"
                                                     'ENTRYPOINT ["/app"]\n')
    root = ElementTree.fromstring(_report("junit", "--select", "DF005", "."))
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    [strict] = suites["strict/Dockerfile"].findall("testcase")
    [lenient] = suites["lenient/Dockerfile"].findall("testcase")
    assert strict.find("failure") is not None          # a warning, at or above info
    assert lenient.find("failure") is None and lenient.find("system-out") is not None


def test_checkstyle_report(here):
    (here / "Dockerfile").write_text(NAIVE)
    (here / "compose.yaml").write_text(PRIVILEGED)
    (here / "bad.Dockerfile").write_text("FROM alpine:3.24\nRUNN \x1b x\n")   # a control character: not XML
    root = ElementTree.fromstring(_report("checkstyle", ".", exit_code=2))
    assert root.tag == "checkstyle" and root.get("version")
    files = {item.get("name"): item for item in root.findall("file")}
    assert set(files) == {"Dockerfile", "compose.yaml", "bad.Dockerfile"}
    errors = {error.get("source"): error for item in files.values() for error in item.findall("error")}
    assert errors["dockerfix.DF001"].get("severity") == "info"           # style
    assert errors["dockerfix.DF019"].get("severity") == "error"
    assert (errors["dockerfix.DC006"].get("line"), errors["dockerfix.DC006"].get("column")) == ("4", "5")
    assert errors["dockerfix.DF999"].get("severity") == "error"
    for error in errors.values():
        assert error.get("message") and int(error.get("line")) >= 1


# --- start-up ---------------------------------------------------------------------------------

PROBE = """
import sys
sys.argv = ["dockerfix", "--check", "--isolated", "--output-format", sys.argv[2], sys.argv[1]]
from fixer.__main__ import entry
import os
def exit_now(code):
    raise SystemExit(code)
os._exit = exit_now
try:
    entry()
except SystemExit as exit:
    code = exit.code
print("imported:", code, *sorted(sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize("fmt, wanted, unwanted", [
    ("text", "fixer.report.text", ("fixer.report.formats", "fixer.report.gitlab", "fixer.report.rdjson",
                                   "fixer.report.xml_reports", "xml.etree.ElementTree", "hashlib", "difflib")),
    ("gitlab", "fixer.report.gitlab", ("fixer.report.rdjson", "fixer.report.xml_reports", "xml.etree.ElementTree")),
    ("junit", "fixer.report.xml_reports", ("fixer.report.gitlab", "fixer.report.rdjson")),
])
def test_a_format_module_is_imported_only_when_chosen(tmp_path, fmt, wanted, unwanted):
    (tmp_path / "Dockerfile").write_text(NAIVE)
    completed = subprocess.run([sys.executable, "-S", "-c", PROBE, str(tmp_path / "Dockerfile"), fmt],
                               capture_output=True, text=True, cwd=tmp_path,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    code, *imported = completed.stderr[completed.stderr.rindex("imported:"):].split()[1:]
    assert code == "1" and wanted in imported, completed.stderr[-2000:]  # it ran, and wrote its report
    assert [name for name in unwanted if name in imported] == [], completed.stderr[-2000:]


def test_rdjson_says_why_a_fix_is_unsafe_or_missing_in_its_only_text(here):
    (here / "Dockerfile").write_text("FROM alpine:3.24\nWORKDIR /root\nCOPY app /app\nCMD [\"/app\"]\n")
    [diagnostic] = json.loads(_report("rdjson", "--select", "DF005", "Dockerfile"))["diagnostics"]
    assert diagnostic["message"].startswith("the final stage runs as root in /root (not fixed: its WORKDIR is /root")
