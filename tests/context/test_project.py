"""The project model: which builds of a Dockerfile the repository holds, with which contexts,
which Dockerfiles read a .dockerignore, and where the build stamps version-control data.

Repositories are invented: two fixture folders (fixtures/projects/repo-*/, copied with a .git
made beside them, since a fixture cannot hold one) and small ones written here."""
from __future__ import annotations

import os
import shutil
import time

import pytest
from helpers import FIXTURES, write_repository

from fixer.context import project as project_module
from fixer.context.project import BuildUse, forget_projects, project_for


@pytest.fixture(autouse=True)
def fresh_models():
    forget_projects()
    yield
    forget_projects()


def repository(root, files: dict[str, str]):
    """A repository at `root` with these files; its Project."""
    write_repository(root, files)
    return project_for(str(root))


def fixture_repository(name: str, tmp_path):
    root = tmp_path / name
    shutil.copytree(FIXTURES / "projects" / name, root)
    (root / ".git").mkdir()
    return root, project_for(str(root))


def at(root, *parts) -> str:
    return os.path.join(str(root), *parts)


def summary(project, root, dockerfile: str) -> list[tuple]:
    """(context relative to root, or None; source; kind; prebuilt) of each build."""
    return [(None if build.context is None else os.path.relpath(build.context, root), build.source, build.kind,
             build.prebuilt) for build in project.builds_of(at(root, dockerfile))]


# --- Finding the repository ----------------------------------------------------------------------

def test_a_lone_dockerfile_outside_any_repository_has_no_model_and_pays_one_walk(tmp_path, monkeypatch):
    if any(os.path.exists(os.path.join(above, ".git")) for above in [str(tmp_path), *map(str, tmp_path.parents)]):
        pytest.skip("the temporary directory is inside a repository here")
    (tmp_path / "lone").mkdir()
    (tmp_path / "lone" / "Dockerfile").write_text("FROM scratch\n")
    assert project_for(str(tmp_path / "lone")) is None
    looked = []
    real_exists = os.path.exists
    monkeypatch.setattr(os.path, "exists", lambda path: looked.append(path) or real_exists(path))
    assert project_for(str(tmp_path / "lone")) is None
    assert project_for(str(tmp_path)) is None  # an ancestor: its answer was kept on the way up
    assert looked == []


def test_one_model_per_root_found_from_any_directory_below_and_forgotten_on_request(tmp_path):
    project = repository(tmp_path, {"services/api/Dockerfile": "FROM scratch\n"})
    assert project.root == str(tmp_path)
    assert project_for(str(tmp_path / "services" / "api")) is project
    (tmp_path / ".git").rmdir()
    (tmp_path / ".git").write_text("gitdir: ../elsewhere\n")  # a worktree's .git is a file
    assert project_for(str(tmp_path / "services")) is project
    forget_projects()
    assert project_for(str(tmp_path / "services")) is not project


def test_a_virtual_environment_of_any_name_is_not_walked(tmp_path):
    project = repository(tmp_path, {"Dockerfile": "FROM scratch\n", ".venv-bench/pyvenv.cfg": "home = /usr/bin\n",
                                    ".venv-bench/lib/pkg/Dockerfile": "FROM scratch\n",
                                    ".venv-bench/lib/pkg/Makefile": "image:\n\tdocker build -t x ../../..\n"})
    assert project.dockerfiles() == (at(tmp_path, "Dockerfile"),)
    assert project.builds_of(at(tmp_path, "Dockerfile")) == ()


def test_dockerfiles_skip_what_a_directory_search_skips_and_nested_repositories(tmp_path):
    names = ["Dockerfile", "cmd/api.Dockerfile", "deploy/Containerfile", "node_modules/x/Dockerfile",
             "testdata/Dockerfile", "vendor/modules.txt", "vendor/github.com/a/Dockerfile", ".devcontainer/Dockerfile",
             "third_party/lib/.git/HEAD", "third_party/lib/Dockerfile", "build/Dockerfile.dockerignore",
             "test/fixtures/Dockerfile", "frontend/dockerfile/parser/testfiles/x/Dockerfile", "golden/Dockerfile",
             "internal/test-data/Dockerfile", "__snapshots__/Dockerfile", ".git/Dockerfile"]
    project = repository(tmp_path, dict.fromkeys(names, "FROM scratch\n"))
    assert project.dockerfiles() == tuple(at(tmp_path, name) for name in
                                          ["Dockerfile", ".devcontainer/Dockerfile", "cmd/api.Dockerfile",
                                           "deploy/Containerfile"])


def test_the_model_and_a_directory_search_skip_the_same_directories(tmp_path):
    from fixer import files

    names = [f"{directory}/Dockerfile" for directory in sorted(files.SKIPPED_DIRS)]
    names += ["vendor/modules.txt", "vendor/x/Dockerfile", "own/vendor/Dockerfile", "Dockerfile",
              ".docker/Dockerfile-alpine", "src/fixtures/Dockerfile"]
    project = repository(tmp_path, dict.fromkeys(names, "FROM scratch\n"))
    searched, _ = files.discover([str(tmp_path)])
    assert set(project.dockerfiles()) == {os.path.abspath(path) for path in searched}
    assert set(project.dockerfiles()) == {at(tmp_path, name) for name in
                                          ["Dockerfile", ".docker/Dockerfile-alpine", "own/vendor/Dockerfile"]}


def test_build_files_in_test_inputs_are_not_builds(tmp_path):
    project = repository(tmp_path, {
        "Dockerfile": "FROM scratch\n",
        "testdata/Makefile": "image:\n\tdocker build -f $(FILE) .\n",
        "fixtures/build.sh": "docker build -f ../Dockerfile ..\n",
        "testdata/compose.yaml": "services:\n  api:\n    build: ..\n",
        ".gitlab/testdata/x.gitlab-ci.yml": "job:\n  script:\n    - docker build -f $F .\n",
        "testdata/version.sh": "docker build .\ngit describe --tags\n",
        ".github/scripts/build.sh": "docker build -f ../../Dockerfile ../..\n"})  # hidden, not test input
    assert project.unresolved == () and project.vcs_stamping == ()
    assert summary(project, tmp_path, "Dockerfile") == [(".", ".github/scripts/build.sh:1", "script", False)]


def test_every_file_is_read_through_reading_and_a_fifo_reads_as_absent(tmp_path, monkeypatch):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text("FROM scratch\nRUN git describe\n")
    os.mkfifo(tmp_path / "Makefile")            # an ordinary open would wait for a writer
    os.mkfifo(tmp_path / "compose.yaml")
    (tmp_path / "big.sh").write_text("docker build . # " + "x" * project_module.MAX_BYTES + "\n")
    read = []
    real = project_module.read_bytes
    monkeypatch.setattr(project_module, "read_bytes", lambda path, limit=None: read.append(limit) or real(path, limit))
    monkeypatch.setattr("builtins.open", lambda *args, **kwargs: pytest.fail(f"open{args}"))
    project = project_for(str(tmp_path))
    assert project.builds_of(at(tmp_path, "Dockerfile")) == () and project.unresolved == ()
    assert project.vcs_stamping == ("Dockerfile:2: RUN git describe",)
    assert project.parsed_dockerfile(at(tmp_path, "Dockerfile")) is not None
    assert read and set(read) == {project_module.MAX_BYTES + 1, project_module.DOCKERFILE_MAX_BYTES + 1}


def test_a_dockerfile_is_read_up_to_the_size_dockerfix_fixes(tmp_path):
    """A Dockerfile larger than a build script may be is still one the rules must see."""
    text = "FROM scratch\nCOPY data /data\n" + "# padding\n" * (project_module.MAX_BYTES // 10 + 1)
    project = repository(tmp_path, {"Dockerfile": text, "big.sh": "docker build . #" + "x" * project_module.MAX_BYTES})
    assert project.parsed_dockerfile(at(tmp_path, "Dockerfile")) is not None
    assert project.builds_of(at(tmp_path, "Dockerfile")) == ()  # the oversized script is not read


# --- Where builds are found ----------------------------------------------------------------------

def test_compose_builds_with_contexts_relative_to_the_compose_file(tmp_path):
    root, project = fixture_repository("repo-monorepo", tmp_path)
    assert ("services/api", "deploy/compose.yaml:6", "compose", False) in summary(project, root,
                                                                                 "services/api/Dockerfile")
    # a mapping (here with a `<<` merge): dockerfile relative to the context
    assert summary(project, root, "services/worker/worker.Dockerfile") == [
        ("services", "deploy/compose.yaml:8", "compose", False)]
    assert "deploy/compose.yaml:17: build: context=${CUSTOM_CONTEXT:-.} dockerfile=Dockerfile" in project.unresolved
    assert not any("sidecar" in build.source or "inline" in build.dockerfile
                   for path in project.dockerfiles() for build in project.builds_of(path))


def test_bake_targets_with_inheritance_and_variables(tmp_path):
    root, project = fixture_repository("repo-monorepo", tmp_path)
    assert ("services", "docker-bake.hcl:16", "bake", False) in summary(project, root, "services/api/Dockerfile")
    assert ("services/worker", "docker-bake.hcl:22", "bake", False) in summary(project, root,
                                                                               "services/worker/Dockerfile")
    assert project.builds_of(at(root, "services/Dockerfile")) == ()  # `_go` is only inherited from
    assert 'docker-bake.hcl:26: target "nightly": context=${NIGHTLY_CONTEXT} dockerfile=Dockerfile' \
        in project.unresolved


def test_bake_json(tmp_path):
    project = repository(tmp_path, {
        "docker-bake.json": '{\n  "target": {\n    "app": {"context": "app", "dockerfile": "Containerfile"},\n'
                            '    "base": {}\n  },\n  "group": {"default": {"targets": ["app", "base"]}}\n}\n',
        "app/Containerfile": "FROM scratch\n"})
    assert project.builds_of(at(tmp_path, "app/Containerfile")) == (
        BuildUse(at(tmp_path, "app/Containerfile"), at(tmp_path, "app"), "docker-bake.json:3", "bake"),)
    assert project.contexts_of(at(tmp_path, "Dockerfile")) == (str(tmp_path),)  # bake's defaults


def test_github_actions_build_push_action_matrix_working_directory_and_expressions(tmp_path):
    project = repository(tmp_path, {
        ".github/workflows/images.yaml": """\
on: push
defaults:
  run:
    working-directory: services
jobs:
  default-context:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/build-push-action@v6
  per-service:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        service: [api, worker]
    steps:
      - uses: docker/build-push-action@v6
        with:
          context: ${{ github.workspace }}/services/${{ matrix.service }}
      - uses: docker/build-push-action@v6
        with:
          file: ${{ inputs.dockerfile }}
  shell:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: services/api
    env:
      FILE: build.Dockerfile
    steps:
      - run: docker build -f "$FILE" .
      - name: from the workflow's default directory
        working-directory: services/worker
        run: |
          echo building
          docker buildx build --platform linux/amd64 --tag w:1 .
""",
        "Dockerfile": "FROM scratch\n", "services/api/Dockerfile": "FROM scratch\n",
        "services/api/build.Dockerfile": "FROM scratch\n", "services/worker/Dockerfile": "FROM scratch\n"})
    workflow = ".github/workflows/images.yaml"
    assert summary(project, tmp_path, "Dockerfile") == [(".", f"{workflow}:9", "github-actions", False)]
    assert summary(project, tmp_path, "services/api/Dockerfile") == [
        ("services/api", f"{workflow}:16", "github-actions", False)]
    assert summary(project, tmp_path, "services/worker/Dockerfile") == [
        ("services/worker", f"{workflow}:16", "github-actions", False),
        ("services/worker", f"{workflow}:35", "github-actions", False)]
    assert summary(project, tmp_path, "services/api/build.Dockerfile") == [
        ("services/api", f"{workflow}:30", "github-actions", False)]
    assert project.unresolved == (
        f"{workflow}:19: docker/build-push-action@v6 context=. file=${{{{ inputs.dockerfile }}}}",)
    assert project.incomplete_for(at(tmp_path, "Dockerfile"))


def test_github_actions_builds_from_downloaded_artifacts_are_prebuilt(tmp_path):
    root, project = fixture_repository("repo-release", tmp_path)
    # downloaded into dist/ beside a checkout, but built from the root: the source is there
    assert summary(project, root, "build/package/Dockerfile") == [
        (".", ".github/workflows/release.yml:26", "github-actions", False)]
    assert ("artifacts", ".github/workflows/release.yml:37", "github-actions", True) in summary(
        project, root, "build/goreleaser.Dockerfile")


def test_gitlab_ci_docker_and_kaniko_with_variables_anchors_and_artifacts(tmp_path):
    root, project = fixture_repository("repo-monorepo", tmp_path)
    assert ("services/api", ".gitlab-ci.yml:17", "gitlab-ci", False) in summary(project, root,
                                                                              "services/api/Dockerfile")
    # a before_script's `cd` (brought in by a `<<` merge) holds for the script
    assert ("services/worker", ".gitlab-ci.yml:34", "gitlab-ci", False) in summary(project, root,
                                                                                 "services/worker/Dockerfile")
    # the hidden .kaniko job runs only as api-image, which extends it with SERVICE
    assert not any(".gitlab-ci.yml" in line for line in project.unresolved)
    # built from bin/, where the compile job leaves its artifacts
    assert summary(project, root, "services/api/deploy/Dockerfile") == [("bin", ".gitlab-ci.yml:40", "gitlab-ci", True)]
    assert project.built_from_artifacts(at(root, "services/api/deploy/Dockerfile"))
    assert not project.built_from_artifacts(at(root, "services/api/Dockerfile"))


def test_makefile_variables_continuations_and_what_cannot_be_known(tmp_path):
    project = repository(tmp_path, {
        "Makefile": "include build/common.mk\nAPI_FILE := build/api.Dockerfile\nWORKER = $(BUILD_DIR)/worker\n"
                    "FILE ?= a\nFILE ?= b\n\n"
                    "images:\n"
                    "\t@$(ENGINE) build -f $(API_FILE) \\\n\t\t-t api:$$(date +%s) .\n"
                    "\tcd $(WORKER) && $(ENGINE) build .\n"
                    "\tdocker build -f $(FILE) .\n"
                    "\tdocker build -f $(UNDEFINED)/Dockerfile $(CURDIR)\n"
                    "\tgo build ./...\n"
                    "\t$(CONTAINER_TOOL) build -t w build/worker\n"
                    "\t$(GO) build -o bin/ ./cmd/...\n",
        "build/common.mk": "ENGINE ?= podman\nBUILD_DIR := build\n",
        "build/api.Dockerfile": "FROM scratch\n", "build/worker/Dockerfile": "FROM scratch\n"})
    assert summary(project, tmp_path, "build/api.Dockerfile") == [(".", "Makefile:8", "makefile", False)]
    assert summary(project, tmp_path, "build/worker/Dockerfile") == [
        ("build/worker", "Makefile:10", "makefile", False),
        ("build/worker", "Makefile:14", "makefile", False)]  # an engine named by an unknown variable
    assert project.unresolved == ("Makefile:11: docker build -f $FILE .",
                                  "Makefile:12: docker build -f $UNDEFINED/Dockerfile " + str(tmp_path))
    assert project.incomplete_for(at(tmp_path, "build/worker/Dockerfile"))  # $(UNDEFINED)/Dockerfile may be it
    assert project.incomplete_for(at(tmp_path, "build/api.Dockerfile"))  # so may `-f $(FILE)`, defined twice


def test_makefiles_run_with_make_f_and_builds_that_send_no_context(tmp_path):
    project = repository(tmp_path, {
        "docker.Makefile": "dev:\n\tcat ./dockerfiles/Dockerfile.dev | docker build ${ARGS} -t dev -\n",
        "Makefile.release": "lint:\n\tdocker build -t lint - < dockerfiles/Dockerfile.lint\n"
                            "image:\n\tdocker build -f dockerfiles/Dockerfile.lint .\n",
        "dockerfiles/Dockerfile.dev": "FROM scratch\n", "dockerfiles/Dockerfile.lint": "FROM scratch\n"})
    [dev] = project.builds_of(at(tmp_path, "dockerfiles/Dockerfile.dev"))
    assert (dev.context, dev.source, dev.sends_context) == (None, "docker.Makefile:2", False)
    assert project.ignore_files_of(at(tmp_path, "dockerfiles/Dockerfile.dev")) == ()
    assert not project.incomplete_for(at(tmp_path, "dockerfiles/Dockerfile.dev"))
    assert summary(project, tmp_path, "dockerfiles/Dockerfile.lint") == [
        (None, "Makefile.release:2", "makefile", False), (".", "Makefile.release:4", "makefile", False)]
    assert project.ignore_files_of(at(tmp_path, "dockerfiles/Dockerfile.lint")) == (at(tmp_path, ".dockerignore"),)


def test_scripts_follow_cd_assignments_and_skip_comments_heredocs_and_redirections(tmp_path):
    root, project = fixture_repository("repo-monorepo", tmp_path)
    assert ("services/worker", "scripts/build-images.sh:7", "script", False) in summary(
        project, root, "services/worker/Dockerfile")
    assert ("services/api", "scripts/build-images.sh:8", "script", False) in summary(
        project, root, "services/api/Dockerfile")
    assert not any("not/this" in build.dockerfile for build in project._findings.builds)
    assert "scripts/build-images.sh:15: docker build -t shop/$service services/$service" in project.unresolved
    assert project.incomplete_for(at(root, "services/api/Dockerfile"))  # services/$service/Dockerfile
    assert not project.incomplete_for(at(root, "services/worker/worker.Dockerfile"))


def test_script_paths_are_relative_to_the_script_else_to_the_root(tmp_path):
    project = repository(tmp_path, {
        "hack/image.sh": "docker build -f deploy/Dockerfile .\nbuildah bud -f Containerfile\n",
        "hack/Containerfile": "FROM scratch\n", "deploy/Dockerfile": "FROM scratch\n"})
    assert summary(project, tmp_path, "deploy/Dockerfile") == [(".", "hack/image.sh:1", "script", False)]
    assert summary(project, tmp_path, "hack/Containerfile") == [("hack", "hack/image.sh:2", "script", False)]


def test_goreleaser_dockers_are_built_from_its_binaries_and_kos_build_no_dockerfile(tmp_path):
    root, project = fixture_repository("repo-release", tmp_path)
    goreleaser = [build for build in project.builds_of(at(root, "build/goreleaser.Dockerfile"))
                  if build.kind == "goreleaser"]
    assert goreleaser == [BuildUse(at(root, "build/goreleaser.Dockerfile"), None, ".goreleaser.yaml:8", "goreleaser",
                                   prebuilt=True)]
    assert project.built_from_artifacts(at(root, "build/goreleaser.Dockerfile"))
    assert not project.incomplete_for(at(root, "build/goreleaser.Dockerfile"))
    assert sum(build.kind == "goreleaser" for build in project._findings.builds) == 1


def test_goreleaser_default_dockerfile(tmp_path):
    project = repository(tmp_path, {".goreleaser.yml": "dockers:\n  - image_templates: [x]\n  - dockerfile: "
                                                        "'{{ .Env.DOCKERFILE }}'\n"})
    assert summary(project, tmp_path, "Dockerfile") == [(None, ".goreleaser.yml:2", "goreleaser", True)]
    assert project.unresolved == (".goreleaser.yml:3: dockers: dockerfile={{ .Env.DOCKERFILE }}",)


# --- .dockerignore -------------------------------------------------------------------------------

def test_a_shared_dockerignore_is_read_by_every_dockerfile_built_from_its_directory(tmp_path):
    root, project = fixture_repository("repo-release", tmp_path)
    assert project.dockerfiles_using_ignore(at(root, ".dockerignore")) == (
        at(root, "build/package/Dockerfile"), at(root, "build/server/Dockerfile"))
    assert project.dockerfiles_using_ignore(at(root, "artifacts/.dockerignore")) == (
        at(root, "build/goreleaser.Dockerfile"),)  # goreleaser's own context reads none of the repository's


def test_a_dockerfiles_own_dockerignore_takes_precedence(tmp_path):
    root, project = fixture_repository("repo-monorepo", tmp_path)
    worker = at(root, "services/worker/worker.Dockerfile")
    assert project.ignore_files_of(worker) == (worker + ".dockerignore",)
    assert project.dockerfiles_using_ignore(worker + ".dockerignore") == (worker,)
    assert worker not in project.dockerfiles_using_ignore(at(root, "services/.dockerignore"))
    assert at(root, "services/api/Dockerfile") in project.dockerfiles_using_ignore(at(root, "services/.dockerignore"))


def test_a_dockerfile_nothing_names_reads_its_directory_or_its_modules(tmp_path):
    project = repository(tmp_path, {"go.mod": "module m\n", "services/api/go.mod": "module api\n",
                                    "services/api/deploy/Dockerfile": "FROM scratch\n",
                                    "tools/Dockerfile": "FROM scratch\n"})
    assert project.contexts_of(at(tmp_path, "tools/Dockerfile")) == ()
    assert project.ignore_files_of(at(tmp_path, "services/api/deploy/Dockerfile")) == (
        at(tmp_path, "services/api/deploy/.dockerignore"), at(tmp_path, "services/api/.dockerignore"))
    assert project.dockerfiles_using_ignore(at(tmp_path, ".dockerignore")) == (at(tmp_path, "tools/Dockerfile"),)


# --- Version-control stamping ----------------------------------------------------------------------

def test_vcs_stamping_in_the_makefile_goreleaser_and_ci_steps_of_jobs_that_build(tmp_path):
    _, project = fixture_repository("repo-release", tmp_path)
    assert project.vcs_stamping == (
        "Makefile:3: VERSION := $(shell git describe --tags --always --dirty)",
        ".goreleaser.yaml:6: - -X main.version={{.Version}} -X main.commit={{.ShortCommit}}",
        ".github/workflows/release.yml:27: --build-arg VERSION=$(git describe --tags) \\")
    # the changelog job runs `git log` but builds no image


def test_vcs_stamping_in_dockerfile_runs_not_in_comments_or_package_installs(tmp_path):
    project = repository(tmp_path, {
        "Dockerfile": "FROM golang:1.23\n# git describe --tags (a comment)\nRUN apk add --no-cache git\n"
                      "COPY .git .git\nRUN go build \\\n# git describe, a comment inside the RUN\n"
                      "    -ldflags \"-X main.v=$(git describe --tags)\" .\n"
                      "RUN --mount=type=bind,source=.git,target=.git go build .\n",
        "other.Dockerfile": "FROM alpine\nRUN echo git describe > /dev/null && git clone https://x/y\n"
                            "COPY .github /ci\n",
        "scripts/version.sh": "# git rev-parse HEAD\necho $(git rev-parse --short HEAD)\n",
        "magefile.go": 'package main\n\nfunc Version() { sh.Output("git", "describe", "--tags") }\n',
        "main.go": 'package main\n\nfunc v() { exec.Command("git", "describe") }\n'})
    assert project.vcs_stamping == (
        'scripts/version.sh:2: echo $(git rev-parse --short HEAD)',
        'magefile.go:3: func Version() { sh.Output("git", "describe", "--tags") }',
        "Dockerfile:4: COPY .git .git",
        'Dockerfile:7: -ldflags "-X main.v=$(git describe --tags)" .',
        "Dockerfile:8: RUN --mount=type=bind,source=.git,target=.git go build .",
        "other.Dockerfile:2: RUN echo git describe > /dev/null && git clone https://x/y")


# --- Robustness and cost -------------------------------------------------------------------------

def test_malformed_build_files_do_not_stop_the_model(tmp_path):
    project = repository(tmp_path, {
        ".github/workflows/broken.yml": "jobs:\n  build:\n    steps: [\n      - run: docker build .\n",
        ".github/workflows/odd.yml": "jobs: [docker, build]\n",
        ".github/workflows/odder.yml": "jobs:\n  a:\n    steps: docker build .\n  b: [1]\n  c:\n    steps:\n"
                                       "      - run: [docker]\n      - uses: docker/build-push-action@v6\n"
                                       "        with: nothing\n",
        "compose.yaml": "services:\n  api:\n    build: {context: [1, 2]}\n  web: docker\n",
        "docker-bake.hcl": 'target "x" {\n  context = "unterminated\n',
        "docker-bake.json": "{not json docker",
        "Makefile": "image:\n\tdocker build -f \"unterminated .\n\t$(ENGINE build\n",
        "Dockerfile": "FROM scratch\n"})
    assert project.builds_of(at(tmp_path, "Dockerfile"))  # odder.yml's build-push-action, with its defaults
    assert ".github/workflows/broken.yml:1: cannot be parsed as YAML" in project.unresolved
    assert "docker-bake.json:1: cannot be parsed" in project.unresolved
    assert project.incomplete_for(at(tmp_path, "Dockerfile"))
    assert isinstance(project.vcs_stamping, tuple)


def test_a_large_repository_is_modelled_without_reading_go_files(tmp_path, monkeypatch):
    files = {"Makefile": "images:\n" + "".join(f"\tdocker build -f svc{index}/Dockerfile svc{index}\n"
                                               for index in range(0, 100, 2))}
    for index in range(100):
        files[f"svc{index}/Dockerfile"] = "FROM golang:1.23\nCOPY . .\nRUN go build -o /app .\n"
        files[f"svc{index}/go.mod"] = f"module svc{index}\n"
        files.update({f"svc{index}/pkg/p{file}/p.go": "package p\n" for file in range(50)})
    project = repository(tmp_path, files)
    read = []
    real_read = project_module._read_text
    monkeypatch.setattr(project_module, "_read_text", lambda path, *limit: read.append(path) or real_read(path, *limit))
    started = time.perf_counter()
    assert len(project.dockerfiles()) == 100
    assert project.contexts_of(at(tmp_path, "svc2/Dockerfile")) == (at(tmp_path, "svc2"),)
    assert project.contexts_of(at(tmp_path, "svc3/Dockerfile")) == ()
    assert project.dockerfiles_using_ignore(at(tmp_path, "svc3/.dockerignore")) == (at(tmp_path, "svc3/Dockerfile"),)
    assert project.vcs_stamping == () and project.unresolved == ()
    elapsed = time.perf_counter() - started
    assert read and not [path for path in read if path.endswith(".go")]
    assert len(read) == len(set(read))  # each file read once
    assert elapsed < 5  # the real target (well under a second) is the benchmark's


def test_df009_leaves_a_file_alone_that_ci_builds_from_a_context_without_go_mod(tmp_path):
    import fixer
    from fixer.context import BuildContext
    from fixer.rules import find_rule

    (tmp_path / ".git").mkdir()
    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.22\n")
    (tmp_path / "dist").mkdir()
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "release.yml").write_text("on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n"
                                           "      - uses: actions/checkout@v4\n"
                                           "      - run: docker build -f Dockerfile dist\n")
    text = "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /app .\n"
    (tmp_path / "Dockerfile").write_text(text)
    rule = [find_rule("DF009")]
    result = fixer.fix(text, rules=rule, context=BuildContext(tmp_path, tmp_path / "Dockerfile"))
    assert not result.changed
    assert "release.yml:7 builds this file from a context without go.mod" in result.remaining[0].reason
    (workflows / "release.yml").unlink()
    from fixer.context.project import forget_projects

    forget_projects()
    assert fixer.fix(text, rules=rule, context=BuildContext(tmp_path, tmp_path / "Dockerfile")).changed


def _df020(tmp_path, makefile: str | None, other_dockerfile: bool):
    import fixer
    from fixer.context import BuildContext
    from fixer.context.project import forget_projects
    from fixer.rules import find_rule

    forget_projects()
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / "go.mod").write_text("module example.com/x\n\ngo 1.22\n")
    if makefile is not None:
        (tmp_path / "Makefile").write_text(makefile)
    if other_dockerfile:
        (tmp_path / "tools.Dockerfile").write_text("FROM alpine\nCOPY dist/tool /tool\n")
    text = "FROM golang:1.22-alpine\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n"  # no git: no VCS stamp
    (tmp_path / "Dockerfile").write_text(text)
    return fixer.fix(text, rules=[find_rule("DF020")], context=BuildContext(tmp_path, tmp_path / "Dockerfile"))


def test_df020_leaves_git_out_when_the_makefile_stamps_the_version_on_the_host(tmp_path):
    result = _df020(tmp_path, "image:\n\tdocker build --build-arg VERSION=$(shell git describe --tags) .\n", False)
    written = result.files[0].after.splitlines()  # git runs where the repository is: the build gets an argument
    assert ".git" in written and ".env" not in written  # and nothing says .env files are a convention here
    assert not any("git describe" in line for line in result.applied[0].evidence)


def test_df020_keeps_what_another_dockerfile_sharing_the_dockerignore_copies(tmp_path):
    result = _df020(tmp_path, None, True)  # tools.Dockerfile: COPY dist/tool /tool
    written = result.files[0].after.splitlines()
    assert "dist/" not in written and "bin/" in written and ".git" in written
    assert result.applied[0].fix.applicability == "safe"
    assert any("tools.Dockerfile" in line for line in result.applied[0].evidence)


def test_df020_alone_in_its_context_is_safe(tmp_path):
    result = _df020(tmp_path, None, False)
    assert ".git" in result.files[0].after.splitlines() and result.applied[0].fix.applicability == "safe"


def _df020_in(root, dockerfile: str = "Dockerfile", context: str | None = None, how: str = "given"):
    """DF020 on a Dockerfile of the repository at `root`, with the context dockerfix would be given."""
    import fixer
    from fixer.context import BuildContext
    from fixer.rules import find_rule

    forget_projects()
    path = root / dockerfile
    where = root / context if context is not None else path.parent
    return fixer.fix(path.read_text(), rules=[find_rule("DF020")], context=BuildContext(where, path, how),
                     unsafe_fixes=True)


GO_MOD = "module example.com/x\n\ngo 1.22\n"
SOURCE_BUILD = "FROM golang:1.22-alpine\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n"


def test_df020_keeps_a_directory_a_release_dockerfile_of_the_context_copies_from(tmp_path):
    repository(tmp_path, {"go.mod": GO_MOD, "Dockerfile": SOURCE_BUILD,
                          "Dockerfile.release": "FROM alpine:3.20\nCOPY dist/app /app\n"})
    result = _df020_in(tmp_path)
    assert [change.path for change in result.files] == [at(tmp_path, ".dockerignore")]
    assert "dist/" not in result.files[0].after.splitlines() and result.applied[0].fix.applicability == "safe"
    # and the release Dockerfile, all explicit paths, gets the same file: one plan for the shared file
    assert _df020_in(tmp_path, "Dockerfile.release").files[0].after == result.files[0].after


def test_df020_keeps_git_when_another_dockerfile_of_the_context_builds_with_buildvcs(tmp_path):
    repository(tmp_path, {"go.mod": GO_MOD, "Dockerfile": SOURCE_BUILD,
                          "debug.Dockerfile": "FROM golang:1.22-alpine\nWORKDIR /src\nCOPY . .\n"
                                              "RUN go build -buildvcs=true -gcflags=all=-N -o /app .\n",
                          ".gitignore": "/bin/\n"})
    result = _df020_in(tmp_path)
    assert result.files[0].after.splitlines()[-1:] == ["bin/"]  # .git kept, and only what git ignores left out
    assert any(line.startswith("debug.Dockerfile:4: ") for line in result.applied[0].evidence)


def test_df020_takes_no_account_of_a_dockerfile_buildkit_rejects(tmp_path):
    repository(tmp_path, {"go.mod": GO_MOD, "Dockerfile": SOURCE_BUILD,
                          "testdata-like/broken.Dockerfile": "FROM alpine\nRUN <<EOF\necho unterminated\n"})
    assert project_for(str(tmp_path)).parsed_dockerfile(at(tmp_path, "testdata-like/broken.Dockerfile")) is None
    result = _df020_in(tmp_path)
    assert result.applied[0].fix.applicability == "safe"
    assert any(line.startswith("testdata-like/broken.Dockerfile: BuildKit rejects it")
               for line in result.applied[0].evidence)


def test_df020_is_unsafe_when_the_context_also_builds_a_dockerfile_the_build_makes(tmp_path):
    makefile = "image:\n\t./gen-dockerfile > build/Dockerfile.gen\n\tdocker build -f build/Dockerfile.gen .\n"
    repository(tmp_path, {"go.mod": GO_MOD, "Dockerfile": SOURCE_BUILD, "Makefile": makefile})
    result = _df020_in(tmp_path)
    assert result.applied[0].fix.applicability == "unsafe" and "build/Dockerfile.gen" in result.applied[0].reason


def test_df020_keeps_what_a_dockerfile_an_unreadable_build_may_build_takes(tmp_path):
    makefile = "image:\n\tdocker build -f $(DOCKERFILE) .\n"  # DOCKERFILE comes from the environment
    project = repository(tmp_path, {"go.mod": GO_MOD, "Dockerfile": SOURCE_BUILD, "Makefile": makefile,
                                    "svc/go.mod": GO_MOD, "svc/Dockerfile": "FROM alpine\nCOPY dist/svc /svc\n"})
    assert at(tmp_path, "svc/Dockerfile") in project.unresolved_dockerfiles
    assert at(tmp_path, "svc/Dockerfile") not in project.dockerfiles_using_ignore(at(tmp_path, ".dockerignore"))
    result = _df020_in(tmp_path)
    assert "dist/" not in result.files[0].after.splitlines() and "bin/" in result.files[0].after.splitlines()
    assert any("Makefile:2" in line for line in result.applied[0].evidence)


def test_df020_keeps_the_directories_ci_puts_artifacts_into_before_building(tmp_path):
    workflow = ("on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - uses: actions/checkout@v4\n"
                "      - uses: actions/download-artifact@v4\n        with:\n          name: binaries\n"
                "          path: dist/linux\n"
                "      - run: docker build -t example.com/x .\n")
    project = repository(tmp_path, {"go.mod": GO_MOD, ".github/workflows/image.yml": workflow,
                                    "Dockerfile": "FROM alpine:3.20\nCOPY . /opt/x\nRUN cp /opt/x/dist/linux/x /x\n"})
    assert project.artifact_paths(at(tmp_path, "Dockerfile")) == (at(tmp_path, "dist", "linux"),)
    assert not project.built_from_artifacts(at(tmp_path, "Dockerfile"))  # the source is there too
    written = _df020_in(tmp_path).files[0].after.splitlines()
    assert "dist/" not in written and "bin/" in written


def test_df020_keeps_what_another_gitlab_job_leaves_as_artifacts(tmp_path):
    pipeline = ("compile:\n  script:\n    - go build -o bin/x .\n  artifacts:\n    paths:\n      - bin/\n"
                "package:\n  script:\n    - docker build -t example.com/x .\n")
    repository(tmp_path, {"go.mod": GO_MOD, ".gitlab-ci.yml": pipeline,
                          "Dockerfile": "FROM alpine:3.20\nCOPY . /opt/x\nENTRYPOINT [\"/opt/x/bin/x\"]\n"})
    written = _df020_in(tmp_path).files[0].after.splitlines()
    assert "bin/" not in written and "dist/" in written


def test_df020_writes_the_dockerignore_of_the_context_the_builds_use(tmp_path):
    compose = "services:\n  api:\n    build:\n      context: .\n      dockerfile: build/api/Dockerfile\n"
    repository(tmp_path, {"go.mod": GO_MOD, "compose.yaml": compose, "build/api/Dockerfile": SOURCE_BUILD,
                          "build/api/.DS_Store": ""})
    result = _df020_in(tmp_path, "build/api/Dockerfile")  # dockerfix was given the Dockerfile's directory
    assert [change.path for change in result.files] == [at(tmp_path, ".dockerignore")]
    assert "the repository builds it from .: compose.yaml:3" in result.applied[0].evidence
    given = _df020_in(tmp_path, "build/api/Dockerfile", how="--context")  # unless the user named it
    assert [change.path for change in given.files] == [at(tmp_path, "build", "api", ".dockerignore")]


def test_df020_writes_nothing_where_no_build_reads_a_dockerignore(tmp_path):
    goreleaser = "dockers:\n  - dockerfile: release.Dockerfile\n    image_templates: [example.com/x]\n"
    repository(tmp_path, {"go.mod": GO_MOD, ".goreleaser.yaml": goreleaser,
                          "release.Dockerfile": "FROM alpine:3.20\nCOPY . /opt/x\n",
                          "tools/Makefile": "image:\n\tdocker build -f ../tools/Dockerfile ../deploy\n"
                                            "\tdocker build -f ../tools/Dockerfile ../ops\n",
                          "tools/Dockerfile": SOURCE_BUILD, "deploy/go.mod": GO_MOD, "ops/go.mod": GO_MOD})
    for dockerfile in ("release.Dockerfile", "tools/Dockerfile"):  # goreleaser's own directory; two others
        result = _df020_in(tmp_path, dockerfile)
        assert not result.files and not result.applied and not result.remaining


def test_df020_writes_nothing_into_a_context_directory_ci_makes(tmp_path):
    workflow = ("on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - uses: actions/checkout@v4\n"
                "      - run: go build -o bin/x . && mkdir ctx && mv bin/x ctx\n"
                "      - uses: docker/build-push-action@v6\n        with:\n          context: ctx\n"
                "          file: Dockerfile\n")
    dockerfile = "FROM golang:1.22-alpine\nCOPY . .\nRUN test -f x || go build -o x .\n"
    project = repository(tmp_path, {"go.mod": GO_MOD, ".github/workflows/image.yml": workflow,
                                    "Dockerfile": dockerfile})
    assert project.ignore_files_of(at(tmp_path, "Dockerfile")) == (at(tmp_path, "ctx", ".dockerignore"),)
    result = _df020_in(tmp_path)
    assert not result.files and not result.applied and not result.remaining


def test_df020_keeps_git_when_the_makefile_runs_a_script_that_reads_it(tmp_path):
    makefile = ("VERSION ?= $(shell ./scripts/git-version)\n\n"
                "release-binary:\n\tgo build -ldflags \"-X main.v=$(VERSION)\" .\n")
    project = repository(tmp_path, {"go.mod": GO_MOD, "Makefile": makefile,
                                    "scripts/git-version": "#!/bin/sh -e\nCOMMIT=`git rev-parse HEAD`\necho $COMMIT\n",
                                    "Dockerfile": "FROM golang:1.22-alpine\nRUN apk add --no-cache make\nCOPY . /src\n"
                                                  "RUN cd /src && make release-binary\n",
                                    ".gitignore": ".env\n"})
    assert project.vcs_stamping == ("scripts/git-version:2: COMMIT=`git rev-parse HEAD`",)
    result = _df020_in(tmp_path)
    assert ".git" not in result.files[0].after.splitlines() and ".env" in result.files[0].after.splitlines()
    assert "Dockerfile*" not in result.files[0].after.splitlines()  # git in the build would see it deleted


def test_a_compose_file_that_never_says_docker_is_read_for_its_builds(tmp_path):
    project = repository(tmp_path, {"Dockerfile": "FROM alpine\n", "compose.yaml": "services:\n  api:\n    build: .\n"})
    assert summary(project, tmp_path, "Dockerfile") == [(".", "compose.yaml:3", "compose", False)]


def test_workers_share_the_parent_s_model_so_a_repository_is_modelled_once_per_run(tmp_path, monkeypatch):
    import multiprocessing

    from fixer.run import Overrides, SettingsFinder, fix_files

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("workers that are not forked build their own models")
    files = {f"svc{n}/Dockerfile": "FROM alpine:3.20\nRUN apk add curl\n" for n in range(12)}
    repository(tmp_path / "repo", {**files, "compose.yaml": "services:\n  a:\n    build: svc0\n"})
    forget_projects()
    walks = tmp_path / "walks"
    walk = project_module._walk

    def counted(root):
        with open(walks, "a") as log:
            log.write(f"{os.getpid()}\n")
        return walk(root)

    monkeypatch.setattr(project_module, "_walk", counted)
    paths = [str(tmp_path / "repo" / name) for name in files]
    results = fix_files(paths, SettingsFinder(Overrides()), jobs=2)
    assert all(result.error is None for result in results) and len(results) == 12
    assert walks.read_text().count("\n") == 1


def test_options_held_in_a_variable_are_split_as_the_shell_splits_them(tmp_path):
    script = 'ARGS="--platform linux/amd64 -t app -f docker/Dockerfile.server"\ndocker build $ARGS .\n'
    project = repository(tmp_path, {"build.sh": script, "Dockerfile": "FROM alpine\n",
                                    "docker/Dockerfile.server": "FROM alpine\n"})
    assert summary(project, tmp_path, "docker/Dockerfile.server") == [(".", "build.sh:2", "script", False)]
    assert summary(project, tmp_path, "Dockerfile") == []


def test_a_variable_that_may_hold_the_file_flag_leaves_the_dockerfile_unknown(tmp_path):
    project = repository(tmp_path, {"build.sh": "docker build $EXTRA_ARGS .\n", "Dockerfile": "FROM alpine\n"})
    assert summary(project, tmp_path, "Dockerfile") == []
    assert project.incomplete_for(at(tmp_path, "Dockerfile"))


def test_what_the_services_built_from_a_dockerfile_mount(tmp_path):
    compose = ("services:\n  app:\n    build: .\n    volumes:\n      - ./data:/var/lib/app\n      - cache:/cache\n"
               "      - /var/run/docker.sock:/var/run/docker.sock:ro\n      - /scratch\n"
               "      - type: bind\n        source: ./conf\n        target: /etc/app\n        read_only: true\n"
               "  db:\n    image: postgres:16\n    volumes:\n      - db:/var/lib/postgresql/data\n")
    project = repository(tmp_path, {"Dockerfile": "FROM alpine\n", "compose.yaml": compose})
    mounts = [(m.target, m.shown, m.where, m.read_only) for m in project.mounts_of(at(tmp_path, "Dockerfile"))]
    assert mounts == [("/var/lib/app", "the host directory ./data", "compose.yaml:4", False),
                      ("/cache", "the volume cache", "compose.yaml:4", False),
                      ("/var/run/docker.sock", "the host directory /var/run/docker.sock", "compose.yaml:4", True),
                      ("/scratch", "an anonymous volume", "compose.yaml:4", False),
                      ("/etc/app", "the host directory ./conf", "compose.yaml:4", True)]


def test_mounts_an_override_file_adds_and_variables_in_short_entries_are_seen(tmp_path):
    project = repository(tmp_path, {
        "Dockerfile": "FROM alpine\n",
        "compose.yaml": "services:\n  app:\n    build: .\n",
        "compose.override.yaml": "services:\n  app:\n    volumes:\n"
                                 "      - ${DOCKER_SOCK:-/var/run/docker.sock}:/var/run/docker.sock\n"
                                 "      - ${DATA:-./data}:/data:ro\n"})
    mounts = [(m.target, m.source, m.where, m.read_only) for m in project.mounts_of(at(tmp_path, "Dockerfile"))]
    assert mounts == [
        ("/var/run/docker.sock", "${DOCKER_SOCK:-/var/run/docker.sock}", "compose.override.yaml:3", False),
        ("/data", "${DATA:-./data}", "compose.override.yaml:3", True)]


def test_mounts_of_a_service_that_another_file_builds_from_another_dockerfile_are_not_its(tmp_path):
    project = repository(tmp_path, {
        "docker/Dockerfile": "FROM alpine\n", "docker/Dockerfile.debug": "FROM alpine\n",
        "docker-compose.yml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n"
                              "    volumes:\n      - ./:/app\n",
        "docker-compose.debug.yml": "services:\n  web:\n    build:\n      context: .\n"
                                    "      dockerfile: docker/Dockerfile.debug\n    volumes:\n      - ./dlv:/dlv\n"})
    assert [m.target for m in project.mounts_of(at(tmp_path, "docker/Dockerfile"))] == ["/app"]
    assert [m.target for m in project.mounts_of(at(tmp_path, "docker/Dockerfile.debug"))] == ["/dlv"]


def test_what_a_docker_run_of_the_image_a_makefile_builds_mounts(tmp_path):
    makefile = ("IMAGE ?= example/notes:dev\n\nimage:\n\tdocker build -t $(IMAGE) -f build/Dockerfile .\n\n"
                "run:\n\tdocker run --rm -it -p 8080:8080 -e TOKEN \\\n"
                "\t\t-v /var/run/docker.sock:/var/run/docker.sock \\\n"
                "\t\t--mount type=bind,src=$(DIR),dst=/notes,readonly \\\n\t\t$(IMAGE) serve\n\n"
                "other:\n\tdocker run -v $(PWD):/work alpine:3.24 ls /work\n")
    project = repository(tmp_path, {"build/Dockerfile": "FROM alpine\n", "Makefile": makefile})
    mounts = [(m.target, m.shown, m.where, m.read_only) for m in project.mounts_of(at(tmp_path, "build/Dockerfile"))]
    assert mounts == [("/var/run/docker.sock", "the host directory /var/run/docker.sock", "Makefile:7", False),
                      ("/notes", "the host directory $DIR", "Makefile:7", True)]


def test_a_docker_run_of_an_image_the_repository_does_not_build_from_it_is_not_its(tmp_path):
    script = "#!/bin/sh\ndocker build -t web .\ndocker run -v \"$PWD/data:/data\" webhook:latest\n"
    project = repository(tmp_path, {"Dockerfile": "FROM alpine\n", "scripts/run.sh": script})
    assert project.mounts_of(at(tmp_path, "Dockerfile")) == ()


def test_an_option_variable_holding_one_file_flag_names_the_dockerfile(tmp_path):
    for flag in ("-f", "--file"):
        project = repository(tmp_path / flag, {"build.sh": f'ARGS="{flag} docker/Dockerfile"\ndocker build $ARGS .\n',
                                               "Dockerfile": "FROM alpine\n", "docker/Dockerfile": "FROM alpine\n"})
        assert summary(project, tmp_path / flag, "docker/Dockerfile") == [(".", "build.sh:2", "script", False)]
        assert summary(project, tmp_path / flag, "Dockerfile") == []


def test_mounts_of_the_base_file_go_with_the_dockerfile_its_override_file_builds(tmp_path):
    project = repository(tmp_path, {
        "Dockerfile": "FROM alpine\n", "Dockerfile.dev": "FROM alpine\n",
        "compose.yaml": "services:\n  web:\n    build: .\n    volumes:\n      - ./data:/data\n",
        "compose.override.yaml": "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.dev\n"})
    assert [m.target for m in project.mounts_of(at(tmp_path, "Dockerfile.dev"))] == ["/data"]


def test_a_build_that_names_no_file_reads_a_lowercase_dockerfile_where_there_is_no_dockerfile(tmp_path):
    workflow = ("jobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n"
                "        with:\n          context: .\n")
    project = repository(tmp_path, {".github/workflows/image.yml": workflow, "dockerfile": "FROM alpine\n",
                                    "web/Dockerfile": "FROM alpine\n", "web/dockerfile.old": "FROM alpine\n",
                                    "compose.yaml": "services:\n  web:\n    build: web\n"})
    assert summary(project, tmp_path, "dockerfile") == [(".", ".github/workflows/image.yml:5", "github-actions", False)]
    assert summary(project, tmp_path, "web/Dockerfile") == [("web", "compose.yaml:3", "compose", False)]
