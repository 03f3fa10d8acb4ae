"""fixer.rules._support.shipped: which Dockerfiles build no shipped image, by their path, and which Go
builds make a binary the final image holds. The rule fixtures (DF007) show the second on
whole files; a fixture's Dockerfile is always named `Dockerfile`, so the path is shown here."""
from __future__ import annotations

import pytest

import fixer
from fixer.context import BuildContext
from fixer.rules import find_rule
from fixer.rules._support.shipped import dockerfile_path, not_shipped_reason, shipped_builds
from fixer.rules.base import Checker
from fixer.syntax.parser import parse

SHIPPED = ("Dockerfile", "build/Dockerfile", "cmd/server/Dockerfile", "Dockerfile.server", "deploy/prod.Dockerfile",
           "Containerfile", "docker/Dockerfile.release", "contest/Dockerfile", "testing-tools/Dockerfile", None, "")


@pytest.mark.parametrize("path", SHIPPED)
def test_paths_that_say_nothing_are_shipped(path):
    assert not_shipped_reason(path) is None


@pytest.mark.parametrize(("path", "reason"), [
    ("Dockerfile.dev", "Dockerfile.dev looks like a development image"),
    ("dev.Dockerfile", "dev.Dockerfile looks like a development image"),
    ("docker/Dockerfile.local", "Dockerfile.local looks like a development image"),
    ("Dockerfile.debug", "Dockerfile.debug looks like a development image"),
    ("Dockerfile-dev", "Dockerfile-dev looks like a development image"),
    ("templates/Dockerfile.tmpl", "Dockerfile.tmpl looks like a template, not a Dockerfile that is built"),
    ("Dockerfile.template", "Dockerfile.template looks like a template, not a Dockerfile that is built"),
    ("tests/servers/echo/Dockerfile", "tests/servers/echo/Dockerfile lies under tests/: it looks like a test image, "
                                      "not a shipped one"),
    ("test/Dockerfile", "test/Dockerfile lies under test/: it looks like a test image, not a shipped one"),
    ("e2e/harness/Dockerfile.client", "e2e/harness/Dockerfile.client lies under e2e/: it looks like a test image, "
                                      "not a shipped one"),
    ("pkg/watch/integrationtest/Dockerfile", "pkg/watch/integrationtest/Dockerfile lies under integrationtest/: it "
                                             "looks like a test image, not a shipped one"),
    ("Examples/http/Dockerfile", "Examples/http/Dockerfile lies under Examples/: it looks like an example image, "
                                 "not a shipped one"),
    ("evals/Dockerfile", "evals/Dockerfile lies under evals/: it looks like an evaluation image, not a shipped one"),
    ("internal/mocks/Dockerfile", "internal/mocks/Dockerfile lies under mocks/: it looks like a mock image, "
                                  "not a shipped one"),
    ("dockerfiles/Dockerfile.e2e", "Dockerfile.e2e looks like a test image"),
    ("Dockerfile.integration", "Dockerfile.integration looks like a test image"),
    ("ssh_server_tests/Dockerfile", "ssh_server_tests/Dockerfile lies under ssh_server_tests/: it looks like a "
                                    "test image, not a shipped one"),
    (".devcontainer/Dockerfile", ".devcontainer/Dockerfile lies under .devcontainer/: it looks like a development "
                                 "container image, not a shipped one"),
])
def test_paths_that_say_test_example_development_or_template(path, reason):
    assert not_shipped_reason(path) == reason


def test_the_path_is_read_from_the_repository_root_not_from_above_it(tmp_path):
    repository = tmp_path / "tests" / "repository"  # a `tests` directory above the repository says nothing
    (repository / ".git").mkdir(parents=True)
    (repository / "cmd").mkdir()
    context = BuildContext(repository, repository / "cmd" / "Dockerfile")
    assert dockerfile_path(context) == "cmd/Dockerfile"
    assert not_shipped_reason(dockerfile_path(context)) is None


def test_without_a_repository_the_path_is_read_from_the_context_or_is_the_file_name(tmp_path):
    (tmp_path / "examples").mkdir()
    assert dockerfile_path(BuildContext(tmp_path, tmp_path / "examples" / "Dockerfile")) == "examples/Dockerfile"
    assert dockerfile_path(BuildContext(tmp_path / "ctx", tmp_path / "Dockerfile.dev")) == "Dockerfile.dev"
    assert dockerfile_path(None) is None and dockerfile_path(BuildContext(tmp_path)) is None


STRIPPABLE = ("FROM golang:1.22 AS builder\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/server ./cmd/server\n"
              "FROM alpine:3.20\nCOPY --from=builder /out/server /server\nENTRYPOINT [\"/server\"]\n")


def _ldflags(tmp_path, relative: str):
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / ".git").mkdir(exist_ok=True)
    context = BuildContext(path.parent, path)
    return fixer.fix(STRIPPABLE, rules=[find_rule("DF007")], context=context)


def test_df007_reports_a_development_image_without_fixing_it(tmp_path):
    result = _ldflags(tmp_path, "Dockerfile.dev")
    assert not result.changed
    [finding] = result.remaining
    assert finding.reason == "Dockerfile.dev looks like a development image; a smaller binary there ships nowhere"


def test_df007_reports_a_test_image_without_fixing_it(tmp_path):
    result = _ldflags(tmp_path, "test/servers/echo/Dockerfile")
    assert not result.changed
    [finding] = result.remaining
    assert finding.reason.startswith("test/servers/echo/Dockerfile lies under test/")


def test_df007_fixes_the_same_file_where_its_path_says_nothing(tmp_path):
    result = _ldflags(tmp_path, "build/Dockerfile")
    assert result.changed and '-ldflags="-s -w"' in result.output


def _fixed_at(tmp_path, relative: str, rule: str, text: str, **options):
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / ".git").mkdir(exist_ok=True)
    return fixer.fix(text, rules=[find_rule(rule)], context=BuildContext(path.parent, path), **options)


IMAGE_HYGIENE = ("FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"
                 "FROM alpine:3.20\nRUN apk add curl\nENTRYPOINT [\"curl\"]\n")


@pytest.mark.parametrize("rule", ["DF002", "DF005"])
def test_image_rules_report_an_example_image_without_fixing_it(tmp_path, rule):
    result = _fixed_at(tmp_path, "examples/client/Dockerfile", rule, IMAGE_HYGIENE, unsafe_fixes=True)
    assert not result.changed
    [finding] = result.remaining
    assert finding.reason.startswith("examples/client/Dockerfile lies under examples/")


def test_image_rules_fix_the_same_file_where_its_path_says_nothing(tmp_path):
    assert _fixed_at(tmp_path, "client/Dockerfile", "DF002", IMAGE_HYGIENE).changed
    assert _fixed_at(tmp_path, "client/Dockerfile", "DF005", IMAGE_HYGIENE, unsafe_fixes=True).changed


def test_the_lists_of_a_stage_left_behind_are_not_reported():
    result = fixer.fix(IMAGE_HYGIENE, rules=[find_rule("DF010")])
    assert not result.changed and not result.remaining


def _shipped(text: str) -> list[int]:
    return [shipped.build.instruction.start_line for shipped in shipped_builds(Checker(parse(text)).index)]


def test_a_single_stage_file_ships_nothing_dockerfix_strips():
    assert _shipped("FROM golang:1.22\nRUN go build -o /server .\nCMD [\"/server\"]\n") == []


def test_go_install_follows_gobin_and_cross_compiled_directories():
    assert _shipped("FROM golang:1.22 AS b\nENV GOBIN=/tools\nRUN go install ./cmd/a\nRUN go install ./cmd/b\n"
                    "FROM scratch\nCOPY --from=b /tools/a /a\n") == [3]
    assert _shipped("FROM golang:1.22 AS b\nRUN GOOS=linux GOARCH=arm64 go install ./cmd/a\n"
                    "FROM scratch\nCOPY --from=b /go/bin/linux_arm64/a /a\n") == [2]


def test_a_relative_output_follows_workdir_and_cd():
    assert _shipped("FROM golang:1.22 AS b\nWORKDIR /src\nRUN cd cmd/app && go build -o ../../bin/app .\n"
                    "FROM scratch\nCOPY --from=b /src/bin/app /app\n") == [3]
    assert _shipped("FROM golang:1.22 AS b\nWORKDIR /src\nRUN cd \"$DIR\" && go build -o bin/app .\n"
                    "FROM scratch\nCOPY --from=b /src/bin/app /app\n") == []


def test_a_build_in_a_stage_the_final_one_is_built_from_is_shipped():
    assert _shipped("FROM golang:1.22 AS b\nRUN go build -o /usr/local/bin/app .\nFROM b\nCMD [\"app\"]\n") == [2]


@pytest.mark.parametrize("header", ["# For testing purposes only", "# For integration testing only.",
                                    "# syntax=docker/dockerfile:1\n# Development only: not for production"])
def test_a_header_comment_saying_test_or_development_only_means_not_shipped(header):
    result = fixer.fix(f"{header}\n\n{STRIPPABLE}", rules=[find_rule("DF007")])
    assert not result.changed
    [finding] = result.remaining
    assert finding.reason.startswith("its first comment says")


def test_a_comment_below_the_first_instruction_says_nothing_about_the_image():
    text = STRIPPABLE.replace("WORKDIR /src\n", "WORKDIR /src\n# for testing only: the flags below\n")
    assert fixer.fix(text, rules=[find_rule("DF007")]).changed


SINGLE_STAGE_GO = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nCMD [\"/app\"]\n"


def test_an_unsafe_split_of_an_integration_image_is_reported_without_a_fix(tmp_path):
    (tmp_path / "go.mod").write_text("module x\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    (tmp_path / "config.yaml").write_text("a: 1\n")  # a non-Go file the program may read: the split is unsafe
    result = _fixed_at(tmp_path, "Dockerfile.integration", "DF011", SINGLE_STAGE_GO, unsafe_fixes=True)
    assert not result.changed
    [finding] = result.remaining
    assert "integration" in finding.reason and "config.yaml" in finding.reason
    assert _fixed_at(tmp_path, "Dockerfile", "DF011", SINGLE_STAGE_GO, unsafe_fixes=True).changed


def test_a_safe_split_of_a_test_image_is_made(tmp_path):
    (tmp_path / "go.mod").write_text("module x\n\ngo 1.22\n")
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    assert _fixed_at(tmp_path, "tests/server/Dockerfile", "DF011", SINGLE_STAGE_GO).changed
