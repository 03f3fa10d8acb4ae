"""What the server finds in a buffer, in process: the same as the command line, on the buffer's text."""
from __future__ import annotations

import pytest

from fixer.run import Overrides, SettingsFinder, fix_text
from fixer.server.analysis import COMPOSE, DOCKERFILE, Analyzer, fix_all, fixed_alone, kind_of, suppression
from fixer.server.lsp import fix_title

NAIVE = 'FROM golang:1.23 as build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n'


@pytest.fixture
def project(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.23\n")
    (tmp_path / "main.go").write_text('package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n')
    return tmp_path


def analyze(path, text, kind=DOCKERFILE):
    return Analyzer().analyze(str(path), text, kind)


def found(analysis) -> list[tuple[str, int]]:
    return [(p.diagnostic.rule.id, p.diagnostic.line) for p in analysis.problems if p.diagnostic]


@pytest.mark.parametrize(("name", "language", "kind"), [
    ("Dockerfile", "dockerfile", DOCKERFILE), ("api.Dockerfile", "plaintext", DOCKERFILE),
    ("build.docker", "dockerfile", DOCKERFILE), ("compose.yaml", "yaml", COMPOSE),
    ("docker-compose.prod.yml", "yaml", COMPOSE), ("stack.yml", "dockercompose", COMPOSE),
    ("deployment.yaml", "yaml", None), ("main.go", "go", None)])
def test_which_buffers_are_read_and_as_what(name, language, kind):
    assert kind_of(f"/src/{name}", language) == kind


def test_a_suppression_only_used_after_other_fixes_is_not_reported_unused(project):
    # DF007 comes only once DF011 has split the stages: the command line's fix loop says so
    text = NAIVE.replace("RUN go", "# dockerfix: ignore=DF007\nRUN go")
    assert "DF000" not in [rule for rule, _ in found(analyze(project / "Dockerfile", text))]
    text = NAIVE.replace("RUN go", "# dockerfix: ignore=DF013\nRUN go")
    assert ("DF000", 4) in found(analyze(project / "Dockerfile", text))


def test_fixing_all_is_what_the_command_line_writes_and_runs_once(project):
    analysis = analyze(project / "Dockerfile", NAIVE)
    assert analysis.fixed is None  # not run for the diagnostics
    fixed = fix_all(analysis)
    path = str(project / "Dockerfile")
    cli = fix_text(path, NAIVE, SettingsFinder(Overrides()).for_path(path))
    assert fixed.text == cli.output and [c.path for c in fixed.files] == [c.path for c in cli.files]
    assert fix_all(analysis) is fixed


def test_a_configuration_that_switches_unsafe_fixes_on_is_followed(project):
    (project / ".dockerfix.toml").write_text("unsafe-fixes = true\nignore = [\"DF011\"]\n")
    text = "FROM alpine:3.20\nCOPY server /server\nCMD [\"/server\"]\n"
    analysis = analyze(project / "Dockerfile", text)
    assert "USER 65534:65534" in fix_all(analysis).text
    (project / ".dockerfix.toml").write_text("ignore = [\"DF005\"]\n")
    assert "DF005" not in [rule for rule, _ in found(analyze(project / "Dockerfile", text))]


def test_a_bad_configuration_is_one_error_at_the_top(project):
    (project / ".dockerfix.toml").write_text("no-such-key = 1\n")
    analysis = analyze(project / "Dockerfile", NAIVE)
    assert not analysis.readable and len(analysis.problems) == 1
    assert analysis.problems[0].message.startswith("configuration: ")


def test_a_file_the_configuration_excludes_is_left_alone(project):
    (project / ".dockerfix.toml").write_text('extend-exclude = ["legacy"]\n')
    (project / "legacy").mkdir()
    assert analyze(project / "legacy" / "Dockerfile", NAIVE).problems == []


def test_a_fix_alone_is_offered_only_when_its_result_reads(project):
    analysis = analyze(project / "Dockerfile", NAIVE)
    casing = next(p for p in analysis.problems if p.diagnostic.rule.id == "DF001")
    assert fixed_alone(analysis, casing) == NAIVE.replace(" as ", " AS ")


@pytest.mark.parametrize(("before", "after", "title"), [
    ("FROM a as b\nRUN x\n", "FROM a AS b\nRUN x\n", "change line 1 to `FROM a AS b`"),
    ("FROM a\nCMD x\n", "FROM a\nUSER 1:1\nCMD x\n", "add `USER 1:1`"),
    ("FROM a\nRUN b\nRUN c\n", "FROM a\nRUN b && \\\n    c\n", "rewrite lines 2–3"),
    ("FROM a\nRUN apk update\nRUN x\n", "FROM a\nRUN x\n", "remove `RUN apk update`"),
])
def test_a_fix_is_titled_with_what_it_does(before, after, title):
    assert fix_title(before, after, ()) == title


def test_a_compose_suppression_goes_above_the_line_but_never_into_a_value(tmp_path):
    text = ("services:\n  web:\n    image: nginx\n    environment:\n      API_TOKEN: s3cr3t-t0ken-value\n"
            "    command: |\n      echo one\n")
    analysis = analyze(tmp_path / "compose.yaml", text, COMPOSE)
    secret = next(p for p in analysis.problems if p.diagnostic.rule.id == "DC005")
    edit = suppression(analysis, secret)
    assert edit.replacement == "      # dockerfix: ignore=DC005\n"
    secret.diagnostic.line = 7  # as if it were found inside the block scalar: a `#` line there is text
    assert suppression(analysis, secret) is None
