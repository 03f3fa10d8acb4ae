"""What safe fixes rest on travels with them: one fact a line, with where it was found.

Repositories here are invented: a `.git` folder and the files a case needs."""
from __future__ import annotations

import os

import pytest
from helpers import write_repository

import fixer
from fixer.context import BuildContext
from fixer.context.project import forget_projects
from fixer.rules import find_rule

NAIVE = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n"


@pytest.fixture(autouse=True)
def fresh_models():
    forget_projects()
    yield
    forget_projects()


def applied(root, dockerfile_path: str, text: str, rule: str):
    context = BuildContext(str(root), os.path.join(str(root), dockerfile_path), "the Dockerfile's directory")
    result = fixer.fix(text, rules=[find_rule(rule)], context=context)
    return [diagnostic.evidence for diagnostic in result.applied]


def test_module_cache_order_names_the_build_that_finds_go_mod(tmp_path):
    write_repository(tmp_path, {"go.mod": "module x\n\ngo 1.22\n", "go.sum": "", "Dockerfile": NAIVE,
                          "compose.yaml": "services:\n  api:\n    build: .\n"})
    assert applied(tmp_path, "Dockerfile", NAIVE, "DF009") == [
        ("compose.yaml:3 builds this file from `.`, which holds go.mod",)]


def test_module_cache_order_without_named_builds_names_the_context_found(tmp_path):
    write_repository(tmp_path, {"go.mod": "module x\n\ngo 1.22\n", "go.sum": "", "Dockerfile": NAIVE})
    assert applied(tmp_path, "Dockerfile", NAIVE, "DF009") == [
        ("the build context `.` (the Dockerfile's directory) holds go.mod and go.sum",)]


def test_add_to_copy_says_why_each_source_is_no_archive(tmp_path):
    text = "FROM alpine\nWORKDIR /x\nADD . /src\nADD conf/*.yaml /etc/app/\nADD made-by-ci /bin/\n"
    write_repository(tmp_path, {"conf/a.yaml": "a: 1\n", "conf/b.yaml": "b: 2\n", "Dockerfile": text})
    assert applied(tmp_path, "Dockerfile", text, "DF013") == [
        ("`.` is a directory of the build context: ADD unpacks no archive inside one",),
        ("`conf/*.yaml`: 2 files of the build context, no tar archive, nothing compressed",),
        ("`made-by-ci` is not in the build context (a step before the build makes it) and has no archive name",)]


def test_add_of_a_file_that_is_an_archive_whatever_its_name_gets_no_fix(tmp_path):
    text = "FROM alpine\nWORKDIR /x\nADD bundle /opt/\n"
    write_repository(tmp_path, {"bundle": b"\x1f\x8b\x08\x00rest", "Dockerfile": text})
    assert applied(tmp_path, "Dockerfile", text, "DF013") == []


SERVER = ("FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /server .\n"
          "FROM alpine:3.20\nCOPY --from=build /server /server\nENTRYPOINT [\"/server\"]\n")


def test_a_directory_compose_mounts_makes_the_non_root_user_unsafe_and_says_where(tmp_path):
    write_repository(tmp_path, {"go.mod": "module x\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n",
                          "Dockerfile": SERVER, "compose.yaml": "services:\n  app:\n    build: .\n    volumes:\n"
                          "      - ./data:/data\n"})
    context = BuildContext(str(tmp_path), os.path.join(str(tmp_path), "Dockerfile"), "the Dockerfile's directory")
    [finding] = fixer.fix(SERVER, rules=[find_rule("DF005")], context=context).remaining
    assert finding.fix.applicability == "unsafe"
    assert finding.reason == ("compose.yaml:4 mounts the host directory ./data at /data: what is there may belong "
                              "to root or another user, and 65534:65534 may not write it")


def test_the_docker_socket_a_makefile_runs_the_image_with_makes_the_non_root_user_unsafe(tmp_path):
    makefile = ("image:\n\tdocker build -t sweeper .\n\nrun:\n\tdocker run -d --name sweeper "
                "-v /var/run/docker.sock:/var/run/docker.sock sweeper:latest\n")
    write_repository(tmp_path, {"go.mod": "module x\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n",
                                "Dockerfile": SERVER, "Makefile": makefile})
    context = BuildContext(str(tmp_path), os.path.join(str(tmp_path), "Dockerfile"), "the Dockerfile's directory")
    [finding] = fixer.fix(SERVER, rules=[find_rule("DF005")], context=context).remaining
    assert finding.fix.applicability == "unsafe"
    assert finding.reason == ("Makefile:5 mounts the Docker socket at /var/run/docker.sock: only root or its group "
                              "may use it")
