"""Directory searches skip test inputs: Go's testdata, fixture, golden and snapshot
directories, BuildKit's parser test suite. A file or directory named outright is still
fixed; --force-exclude leaves out what a search would, up to the repository's root."""
from __future__ import annotations

import os

import pytest

from fixer.files import SKIPPED_DIRS, discover
from fixer.run import builds_it

NAIVE = "FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n"
TEST_INPUTS = ("testdata", "test-data", "test_data", "fixtures", "__fixtures__", "testfixtures", "test-fixtures",
               "test_fixtures", "golden", "goldens", "__snapshots__", "testfiles", "testfiles-negative")


def tree(root, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(NAIVE)


def found_in(root, paths: list, **options) -> list[str]:
    """What a search finds, leaving out test suites' Dockerfiles nothing builds, as the command line does."""
    options.setdefault("keeps_test_input", builds_it)
    found, _ = discover([str(path) for path in paths], **options)
    return [os.path.relpath(path, root) for path in found]


def test_every_test_input_directory_is_skipped():
    assert set(TEST_INPUTS) <= SKIPPED_DIRS


@pytest.mark.parametrize("directory", TEST_INPUTS)
def test_a_search_skips_test_inputs(tmp_path, directory):
    tree(tmp_path, ["Dockerfile", f"{directory}/Dockerfile", f"pkg/{directory}/case/Dockerfile",
                    f"pkg/{directory}/compose.yaml"])
    assert found_in(tmp_path, [tmp_path]) == ["Dockerfile"]


def test_names_are_matched_whole(tmp_path):
    tree(tmp_path, ["fixtures-service/Dockerfile", "my-testdata/Dockerfile", "golden-gate/Dockerfile",
                    "Fixtures/Dockerfile", "my-tests/Dockerfile"])
    assert found_in(tmp_path, [tmp_path]) == ["Fixtures/Dockerfile", "fixtures-service/Dockerfile",
                                              "golden-gate/Dockerfile", "my-testdata/Dockerfile", "my-tests/Dockerfile"]


def test_dash_names_are_dockerfiles_too(tmp_path):
    tree(tmp_path, ["Dockerfile-rootless", ".docker/Dockerfile-build", "Containerfile-arm64",
                    "Dockerfile-x.dockerignore", "notes/Dockerfiles.md"])
    assert sorted(found_in(tmp_path, [tmp_path])) == [".docker/Dockerfile-build", "Containerfile-arm64",
                                                      "Dockerfile-rootless"]


def test_buildkits_parser_test_suite_is_skipped(tmp_path):
    suite = "frontend/dockerfile/parser"
    tree(tmp_path, ["Dockerfile", f"{suite}/testfiles/env/Dockerfile", f"{suite}/testfiles/escape/Dockerfile",
                    f"{suite}/testfiles-negative/empty_dockerfile/Dockerfile"])
    assert found_in(tmp_path, [tmp_path]) == ["Dockerfile"]


def test_what_is_named_outright_is_fixed(tmp_path):
    tree(tmp_path, ["Dockerfile", "fixtures/a/Dockerfile", "fixtures/b/Dockerfile", "golden/expected.Dockerfile"])
    assert found_in(tmp_path, [tmp_path / "fixtures" / "a" / "Dockerfile"]) == ["fixtures/a/Dockerfile"]
    assert found_in(tmp_path, [tmp_path / "fixtures"]) == ["fixtures/a/Dockerfile", "fixtures/b/Dockerfile"]
    assert found_in(tmp_path, [tmp_path / "golden" / "expected.Dockerfile"]) == ["golden/expected.Dockerfile"]


def test_a_search_inside_a_named_test_directory_skips_the_ones_below(tmp_path):
    tree(tmp_path, ["fixtures/case/Dockerfile", "fixtures/case/testdata/Dockerfile"])
    assert found_in(tmp_path, [tmp_path / "fixtures"]) == ["fixtures/case/Dockerfile"]


def test_force_exclude_leaves_named_test_inputs_out(tmp_path):
    (tmp_path / ".git").mkdir()
    tree(tmp_path, ["Dockerfile", "fixtures/a/Dockerfile"])
    named = [tmp_path / "Dockerfile", tmp_path / "fixtures" / "a" / "Dockerfile"]
    assert found_in(tmp_path, named, force_exclude=True) == ["Dockerfile"]


def test_force_exclude_looks_no_higher_than_the_repository(tmp_path):
    """A checkout that happens to live under a directory named like test data is no test data."""
    repository = tmp_path / "fixtures" / "service"
    (repository / ".git").mkdir(parents=True)
    tree(repository, ["Dockerfile", "testdata/Dockerfile"])
    named = [repository / "Dockerfile", repository / "testdata" / "Dockerfile"]
    assert found_in(repository, named, force_exclude=True) == ["Dockerfile"]
    assert found_in(repository, [repository]) == ["Dockerfile"]


def repository(root, names: list[str]) -> None:
    (root / ".git").mkdir()
    tree(root, names)


def test_a_test_suites_dockerfiles_are_left_out_when_nothing_builds_them(tmp_path):
    repository(tmp_path, ["Dockerfile", "tests/bud/add-file/Dockerfile", "tests/bud/maintainer/Dockerfile.bad",
                          "integration/dockerfiles/issue-57/Dockerfile", "e2e/harness/Dockerfile.client",
                          "internal/testing/Dockerfile", "tests/compose.yaml", "contest/Dockerfile"])
    assert sorted(found_in(tmp_path, [tmp_path])) == ["Dockerfile", "contest/Dockerfile", "tests/compose.yaml"]


def test_a_test_suites_dockerfile_that_ci_builds_is_an_image(tmp_path):
    repository(tmp_path, ["Dockerfile", "tests/servers/echo/Dockerfile", "tests/bud/case/Dockerfile"])
    workflow = tmp_path / ".github" / "workflows" / "images.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("on: push\njobs:\n  echo:\n    runs-on: ubuntu-latest\n    steps:\n"
                        "      - uses: docker/build-push-action@v6\n"
                        "        with:\n          context: tests/servers/echo\n"
                        "          file: tests/servers/echo/Dockerfile\n")
    assert sorted(found_in(tmp_path, [tmp_path])) == ["Dockerfile", "tests/servers/echo/Dockerfile"]


def test_test_suites_are_searched_when_named_or_when_exclusions_are_replaced(tmp_path):
    repository(tmp_path, ["Dockerfile", "tests/bud/case/Dockerfile"])
    assert found_in(tmp_path, [tmp_path / "tests"]) == ["tests/bud/case/Dockerfile"]
    assert found_in(tmp_path, [tmp_path / "tests" / "bud" / "case" / "Dockerfile"]) == ["tests/bud/case/Dockerfile"]
    assert found_in(tmp_path, [tmp_path / "tests" / "bud" / "case" / "Dockerfile"], force_exclude=True) == []
    assert sorted(found_in(tmp_path, [tmp_path], skipped=lambda parent, name: name == ".git",
                           keeps_test_input=lambda path: True)) == ["Dockerfile", "tests/bud/case/Dockerfile"]


def test_notes_scripts_and_backups_named_like_dockerfiles_are_not_dockerfiles(tmp_path):
    tree(tmp_path, ["Dockerfile.md", "Dockerfile.txt", "Dockerfile.rst", "Dockerfile.json", "Dockerfile.yaml",
                    "Dockerfile.sh", "Dockerfile.bak", "Dockerfile.orig", "Dockerfile.swp", "Dockerfile~",
                    "Dockerfile.dockerignore", "Dockerfile.prod", "Dockerfile.go", "Dockerfile.py"])
    assert found_in(tmp_path, [tmp_path]) == ["Dockerfile.go", "Dockerfile.prod", "Dockerfile.py"]


def test_underscore_lowercase_and_containerfile_suffix_names_are_dockerfiles(tmp_path):
    tree(tmp_path, ["a/Dockerfile_prod", "b/dockerfile", "c/app.containerfile", "d/Containerfile_arm64",
                    "e/dockerfile_test.go"])
    assert found_in(tmp_path, [tmp_path]) == ["a/Dockerfile_prod", "b/dockerfile", "c/app.containerfile",
                                              "d/Containerfile_arm64"]


def test_virtual_environments_and_vendored_code_are_skipped(tmp_path):
    tree(tmp_path, [".venv/lib/pkg/Dockerfile", "venv/x/Dockerfile", "node_modules/p/Dockerfile",
                    "php/composer.json", "php/vendor/acme/lib/Dockerfile", "go/go.mod", "go/vendor/x/Dockerfile",
                    "services/vendor/Dockerfile"])
    assert found_in(tmp_path, [tmp_path]) == ["services/vendor/Dockerfile"]


def test_a_virtual_environment_of_any_name_is_skipped(tmp_path):
    tree(tmp_path, [".venv-bench/pyvenv.cfg", ".venv-bench/lib/python3.11/site-packages/pkg/Dockerfile",
                    "env311/pyvenv.cfg", "env311/src/Dockerfile", "env/Dockerfile", "app/Dockerfile"])
    assert found_in(tmp_path, [tmp_path]) == ["app/Dockerfile", "env/Dockerfile"]


def test_tool_caches_are_skipped(tmp_path):
    tree(tmp_path, ["app/__pycache__/Dockerfile", ".mypy_cache/3.11/Dockerfile", ".next/cache/Dockerfile",
                    ".terraform/modules/m/Dockerfile", "app/Dockerfile"])
    assert found_in(tmp_path, [tmp_path]) == ["app/Dockerfile"]


def test_outside_git_the_gitignore_files_are_still_honoured(tmp_path):
    from fixer.run import Overrides, SettingsFinder

    tree(tmp_path, ["kept/Dockerfile", "ignored/Dockerfile", "Dockerfile.local", "deep/build/Dockerfile"])
    (tmp_path / ".gitignore").write_text("ignored/\n*.local\n")
    (tmp_path / "deep" / ".gitignore").write_text("build\n")
    finder = SettingsFinder(Overrides())
    assert found_in(tmp_path, [tmp_path], excluded=finder.excluded, skipped=finder.skipped) == ["kept/Dockerfile"]
