"""fixer.context.compose_services: the Compose services that build a Dockerfile, and whether
they define a healthcheck. Repositories and folders are invented here."""
from __future__ import annotations

import pytest

from fixer.context import BuildContext
from fixer.context.compose_services import ComposeService, services_building
from fixer.context.project import forget_projects

DOCKERFILE = "FROM alpine:3.21\nCMD [\"/server\"]\n"


@pytest.fixture(autouse=True)
def fresh_models():
    forget_projects()
    yield
    forget_projects()


def write(root, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_a_repository_compose_file_elsewhere_that_builds_the_dockerfile(tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path, {
        "docker/api.Dockerfile": DOCKERFILE,
        "deploy/compose.yaml": ("services:\n"
                                "  api:\n"
                                "    build: {context: .., dockerfile: docker/api.Dockerfile}\n"
                                "    healthcheck:\n"
                                "      test: [CMD, wget, -q, --spider, http://localhost:8080/healthz]\n"
                                "  worker:\n"
                                "    build: {context: .., dockerfile: docker/worker.Dockerfile}\n"),
    })
    context = BuildContext(tmp_path, tmp_path / "docker" / "api.Dockerfile")
    assert services_building(context) == (ComposeService("deploy/compose.yaml", 3, "api", True),)


def test_a_service_without_healthcheck_and_one_that_runs_an_image_only(tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path, {
        "Dockerfile": DOCKERFILE,
        "docker-compose.yml": ("services:\n"
                               "  web:\n"
                               "    build: .\n"
                               "  cache:\n"
                               "    image: example/web:latest\n"
                               "    healthcheck: {disable: true}\n"),
    })
    found = services_building(BuildContext(tmp_path, tmp_path / "Dockerfile"))
    assert [(service.name, service.healthcheck) for service in found] == [("web", False)]


def test_outside_a_repository_the_compose_files_beside_the_dockerfile(tmp_path):
    write(tmp_path, {
        "Dockerfile": DOCKERFILE,
        "compose.yaml": "services:\n  app:\n    build: src\n    healthcheck: {test: [CMD, /app, ping]}\n",
        "src/Dockerfile": DOCKERFILE,
    })
    context = BuildContext(tmp_path / "src", tmp_path / "src" / "Dockerfile")
    context.project = None
    assert [service.name for service in services_building(context)] == []
    beside = BuildContext(tmp_path, tmp_path / "src" / "Dockerfile")
    beside.project = None
    assert [(service.name, service.healthcheck) for service in services_building(beside)] == [("app", True)]


def test_no_dockerfile_path_and_unreadable_compose_files_give_nothing(tmp_path):
    write(tmp_path, {"Dockerfile": DOCKERFILE, "compose.yaml": "services: [not, a, mapping\n"})
    context = BuildContext(tmp_path, tmp_path / "Dockerfile")
    context.project = None
    assert services_building(context) == ()
    assert services_building(BuildContext(tmp_path)) == ()
    assert services_building(None) == ()
