"""What the repository says about the Compose tool that reads its files."""
from __future__ import annotations

import pytest

from fixer.context.compose_tool import compose_tools, forget, repository_of


@pytest.fixture(autouse=True)
def _fresh():
    forget()
    yield
    forget()


def _repository(tmp_path, files: dict[str, str]):
    (tmp_path / ".git").mkdir()
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def _kinds(clues) -> list[tuple[str, str]]:
    return [(clue.kind, clue.where) for clue in clues]


def test_docker_compose_with_a_space_is_compose_v2(tmp_path):
    root = _repository(tmp_path, {"Makefile": "up:\n\tdocker compose -f deploy/compose.yaml up -d\n",
                                  "deploy/compose.yaml": 'version: "3"\nservices: {web: {image: nginx}}\n'})
    tools = compose_tools(root / "deploy")
    assert _kinds(tools.v2) == [("docker compose", "Makefile:2")] and not tools.legacy


def test_older_tools_are_named(tmp_path):
    root = _repository(tmp_path, {
        ".github/workflows/ci.yml": "jobs:\n  t:\n    steps:\n      - run: docker-compose up -d\n",
        "scripts/deploy.sh": "docker stack deploy -c compose.yaml app\n",
        "requirements-dev.txt": "docker-compose==1.25.0\n",
        "go.mod": "module x\n\nrequire github.com/docker/libcompose v0.4.0\n",
        "internal/run.go": 'cmd := fmt.Sprintf("docker-compose -p app -f %s up", file)\n'})
    assert sorted(_kinds(compose_tools(root).legacy), key=lambda clue: clue[1]) == [
        ("docker-compose", ".github/workflows/ci.yml:4"), ("compose loader", "go.mod:3"),
        ("docker-compose", "internal/run.go:1"), ("docker-compose 1.x", "requirements-dev.txt:1"),
        ("docker stack deploy", "scripts/deploy.sh:1")]


def test_file_names_and_prose_say_nothing(tmp_path):
    root = _repository(tmp_path, {"README.md": "# docker-compose\nEdit docker-compose.yml, then see the Docker "
                                                "Compose docs; docker compose is great.\n"})
    tools = compose_tools(root)
    assert not tools.v2 and not tools.legacy


def test_a_makefile_variable_naming_the_tool_counts(tmp_path):
    root = _repository(tmp_path, {"Makefile": "COMPOSE ?= docker-compose\nV2 := docker compose\n"})
    tools = compose_tools(root)
    assert _kinds(tools.legacy) == [("docker-compose", "Makefile:1")]
    assert _kinds(tools.v2) == [("docker compose", "Makefile:2")]


def test_another_compose_file_without_version_is_evidence(tmp_path):
    root = _repository(tmp_path, {"compose.yaml": 'version: "3"\nservices: {web: {image: nginx}}\n',
                                  "dev/compose.override.yaml": "services:\n  web:\n    image: nginx\n",
                                  "other/docker-compose.yml": "not: [compose\n"})
    assert _kinds(compose_tools(root).v2) == [("compose file without version", "dev/compose.override.yaml")]


def test_a_compose_file_below_a_skipped_directory_is_its_own_repository(tmp_path):
    root = _repository(tmp_path, {"Makefile": "up:\n\tdocker-compose up\n",
                                  "testdata/case/compose.yaml": "services: {}\n"})
    case = root / "testdata" / "case"
    assert repository_of(str(case)) == str(case)
    assert not compose_tools(case).legacy
    assert repository_of(str(root / "testdata")) == str(root / "testdata")
    assert repository_of(str(root)) == str(root)


def test_outside_a_repository_the_directory_stands_for_it(tmp_path):
    (tmp_path / "run.sh").write_text("docker compose up\n")
    assert repository_of(str(tmp_path)) == str(tmp_path)
    assert _kinds(compose_tools(tmp_path).v2) == [("docker compose", "run.sh:1")]
