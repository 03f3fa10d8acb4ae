"""`dockerfix verify` builds what `dockerfix --write` writes: the same configuration file,
the same command-line overrides, the same build context. Checked here without an engine;
the builds themselves are in tests/e2e."""
from __future__ import annotations

import pytest
from helpers import invoke

from fixer.cli import main as dockerfix
from fixer.verify import Engine, fixed_build, verify
from fixer.verify.cli import build_parser, fixing_overrides
from fixer.verify.cli import main as dockerfix_verify

NAIVE_GO = 'FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nEXPOSE 8080\nCMD ["/app"]\n'
# Each: the options given to both commands ({project} is the project's directory).
OPTIONS = {
    "configuration-found": [],
    "isolated": ["--isolated"],
    "ignore-added": ["--ignore", "DF009"],
    "select-and-ignore": ["--select", "DF011,DF005,DF009", "--unsafe-fixes"],
    "extend-select": ["--isolated", "--extend-select", "DF016"],
    "runtime-base": ["--isolated", "--runtime-base", "scratch"],
    "config-named": ["--config", "{project}/build/other.toml"],
    "context-given": ["--isolated", "--context", "{project}/cmd"],
}


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".dockerfix.toml").write_text('ignore = ["DF011"]\n')
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "other.toml").write_text(
        'runtime-base = "distroless"\nper-file-ignores = { "Dockerfile" = ["DF009"] }\n')
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.23\n")
    (tmp_path / "main.go").write_text('package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe'
                                      '(":8080", nil) }\n')
    (tmp_path / "cmd").mkdir()
    (tmp_path / "Dockerfile").write_text(NAIVE_GO)
    return tmp_path


def what_verify_builds(*argv: str):
    """What `dockerfix verify ARGV` would build, found as its command line finds it."""
    parser = build_parser()
    args = parser.parse_intermixed_args(list(argv))
    return fixed_build(args.path, fixing_overrides(parser, args))


@pytest.mark.parametrize("name", OPTIONS)
def test_verify_builds_what_write_writes_with_the_same_settings(project, name):
    options = [option.format(project=project) for option in OPTIONS[name]]
    dockerfile = str(project / "Dockerfile")
    built = what_verify_builds(*options, dockerfile)
    printed = invoke(dockerfix, [*options, "--stdin-filename", dockerfile, "-"], NAIVE_GO)
    assert printed.exit_code == 0, printed.stderr
    written = invoke(dockerfix, [*options, "--write", dockerfile])
    assert written.exit_code == 0, written.stderr
    assert built.output == printed.stdout == (project / "Dockerfile").read_text() != NAIVE_GO
    dockerignore = project / ("cmd" if name == "context-given" else "") / ".dockerignore"
    assert built.ignore_text == (dockerignore.read_text() if dockerignore.exists() else None), \
        "DF020's .dockerignore, as --write creates it"


def test_the_configuration_s_ignore_is_honoured(project):
    built = what_verify_builds(str(project / "Dockerfile"))
    assert "DF011" not in built.rules and "DF009" in built.rules
    assert "AS builder" not in built.output
    assert "DF011" in what_verify_builds("--isolated", str(project / "Dockerfile")).rules


def test_the_configuration_s_runtime_base_is_not_overridden_by_a_default(project):
    (project / ".dockerfix.toml").write_text('runtime-base = "scratch"\n')
    assert "\nFROM scratch\n" in what_verify_builds(str(project / "Dockerfile")).output
    overridden = what_verify_builds("--runtime-base", "alpine", str(project / "Dockerfile")).output
    assert "\nFROM alpine:3.24\n" in overridden and "\nFROM scratch\n" not in overridden


@pytest.mark.parametrize("configuration", ['ignore = ["DF999"]\n', "unknown-key = 1\n", "ignore = [\n"])
def test_a_bad_configuration_is_reported_as_the_main_command_reports_it(project, configuration):
    (project / ".dockerfix.toml").write_text(configuration)
    dockerfile = str(project / "Dockerfile")
    verified, checked = invoke(dockerfix_verify, [dockerfile]), invoke(dockerfix, ["--check", dockerfile])
    assert verified.exit_code == checked.exit_code == 2
    assert verified.stderr == checked.stderr and verified.stderr.startswith("dockerfix: error: ")
    assert verified.stdout == ""


def test_a_missing_config_file_is_reported_as_the_main_command_reports_it(project):
    options = ["--config", str(project / "missing.toml"), str(project / "Dockerfile")]
    verified, checked = invoke(dockerfix_verify, options), invoke(dockerfix, ["--check", *options])
    assert verified.exit_code == checked.exit_code == 2 and verified.stderr == checked.stderr


def test_a_file_that_cannot_be_parsed_is_reported_as_the_main_command_reports_it(project):
    (project / "Dockerfile").write_text("FROM golang:1.23\nONBUILD ONBUILD RUN true\n")
    dockerfile = str(project / "Dockerfile")
    verified, checked = invoke(dockerfix_verify, [dockerfile]), invoke(dockerfix, ["--check", dockerfile])
    assert verified.exit_code == checked.exit_code == 2
    assert verified.stderr == checked.stderr.splitlines(keepends=True)[0]  # less its summary line
    assert "ONBUILD isn't allowed as an ONBUILD trigger" in verified.stderr


@pytest.mark.parametrize("options", [["--select", "DF999"], ["--ignore", "nonsense"], ["--runtime-base", "ubuntu"]])
def test_a_bad_option_is_a_usage_error(project, options):
    result = invoke(dockerfix_verify, [*options, str(project / "Dockerfile")])
    assert result.exit_code == 2 and result.stderr.startswith("usage: dockerfix verify")


@pytest.mark.parametrize("options, suggestion", [
    (["--netwrk", "none"], "--netwrk (did you mean --network?)"),
    (["--pull", "nevr"], "did you mean 'never'?"),
    (["--select", "apk-nocache"], "unknown rule 'apk-nocache' (see --list-rules); did you mean apk-no-cache?"),
    (["--ignore", "DF2"], "did you mean DF002?"),
])
def test_a_typo_gets_the_main_command_s_suggestion(project, options, suggestion):
    result = invoke(dockerfix_verify, [*options, str(project / "Dockerfile")])
    assert result.exit_code == 2 and suggestion in result.stderr, result.stderr


def test_a_compose_file_is_refused_with_the_reason(project):
    (project / "compose.yaml").write_text("services:\n  app:\n    build: .\n")
    result = invoke(dockerfix_verify, [str(project / "compose.yaml")])
    assert result.exit_code == 2 and "verify builds a Dockerfile" in result.stderr


def test_nothing_is_built_when_the_fix_changes_nothing(project):
    fixed = what_verify_builds("--select", "DF012", str(project / "Dockerfile"))
    assert not fixed.changed
    report = verify(fixed, engine=Engine("none", "false", "false"))
    assert report.note == "dockerfix changes nothing here: nothing to verify" and not report.checks


def test_a_context_file_alone_is_something_to_verify(project):
    fixed = what_verify_builds("--select", "DF020", str(project / "Dockerfile"))
    assert fixed.output == NAIVE_GO and fixed.changed and fixed.ignore_text
