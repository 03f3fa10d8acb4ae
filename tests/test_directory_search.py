"""Directory searches skip test inputs: Go's testdata, fixture, golden and snapshot
directories, BuildKit's parser test suite. A file or directory named outright is still
fixed; --force-exclude leaves out what a search would, up to the repository's root."""
from __future__ import annotations

import os

import pytest

from fixer.files import SKIPPED_DIRS, discover

NAIVE = "FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n"
TEST_INPUTS = ("testdata", "test-data", "test_data", "fixtures", "__fixtures__", "testfixtures", "test-fixtures",
               "test_fixtures", "golden", "goldens", "__snapshots__", "testfiles", "testfiles-negative")


def tree(root, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(NAIVE)


def found_in(root, paths: list, **options) -> list[str]:
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
                    "Fixtures/Dockerfile", "tests/Dockerfile"])
    assert found_in(tmp_path, [tmp_path]) == ["Fixtures/Dockerfile", "fixtures-service/Dockerfile",
                                              "golden-gate/Dockerfile", "my-testdata/Dockerfile", "tests/Dockerfile"]


def test_dash_names_are_dockerfiles_too(tmp_path):
    tree(tmp_path, ["Dockerfile-rootless", ".docker/Dockerfile-build", "Containerfile-arm64", "Dockerfile-x.dockerignore",
                    "notes/Dockerfiles.md"])
    assert sorted(found_in(tmp_path, [tmp_path])) == [".docker/Dockerfile-build", "Containerfile-arm64", "Dockerfile-rootless"]


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
