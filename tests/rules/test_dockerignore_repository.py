"""DF020 in a repository: what the whole repository says about a .dockerignore, which a rule
fixture (a context without a repository) cannot show. Repositories are invented here.

- .git is kept for git that runs in the image build (a RUN, or the build files a RUN runs),
  not for git that runs where the repository is (CI, release scripts, `docker build
  --build-arg VERSION=$(git describe)`);
- where .git is kept, only what git ignores is left out (`git describe --dirty`);
- the repository's .gitignore files decide for a nested context, and for the ignore file itself;
- template Dockerfiles read no context.
"""
from __future__ import annotations

import os

import pytest
from helpers import write_repository

import fixer
from fixer.context import BuildContext
from fixer.context.project import forget_projects
from fixer.rules import find_rule

GO_MOD = "module example.com/x\n\ngo 1.23\n"
ALPINE_BUILD = "FROM golang:1.23-alpine\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n"  # no git: no VCS stamp


@pytest.fixture(autouse=True)
def fresh_models():
    forget_projects()
    yield
    forget_projects()


def df020(root, dockerfile: str = "Dockerfile"):
    path = root / dockerfile
    return fixer.fix(path.read_text(), rules=[find_rule("DF020")], context=BuildContext(path.parent, path))


def written(result) -> list[str]:
    [change] = result.files
    return [line for line in change.after.splitlines() if line and not line.startswith("#")]


# --- .git: git in the image build, not on the host -------------------------------------------------

def test_a_release_script_run_on_the_host_keeps_no_git(tmp_path):
    script = "#!/bin/sh\nset -e\nCOMMIT=$(git rev-parse HEAD)\ngo build -ldflags \"-X main.commit=$COMMIT\" .\n"
    write_repository(tmp_path, {"go.mod": GO_MOD, "scripts/release.sh": script, "Dockerfile": ALPINE_BUILD})
    result = df020(tmp_path)
    assert ".git" in written(result)
    assert not any("release.sh" in line for line in result.applied[0].evidence)


def test_a_makefile_a_run_calls_keeps_git_and_only_what_git_ignores_is_left_out(tmp_path):
    makefile = ("VERSION := $(shell git describe --tags --always --dirty)\n\n"
                "build:\n\tgo build -ldflags \"-X main.version=$(VERSION)\" -o bin/tunnel .\n")
    dockerfile = ("FROM golang:1.23-alpine AS build\nRUN apk add --no-cache git make\nWORKDIR /src\nCOPY . .\n"
                  "RUN make build\n\nFROM alpine:3.20\nCOPY --from=build /src/bin/tunnel /tunnel\n")
    write_repository(tmp_path, {"go.mod": GO_MOD, "Makefile": makefile, "Dockerfile": dockerfile,
                          "compose.yaml": "services:\n  tunnel:\n    build: .\n", ".gitignore": "/bin/\n.env\n"})
    result = df020(tmp_path)
    assert written(result) == [".env", "bin/"]  # no Dockerfile*, compose*, .dockerignore: git tracks them
    evidence = result.applied[0].evidence
    assert any(line.startswith("the build stamps version-control data: Makefile:1: ") and "runs `make build`" in line
               for line in evidence)
    assert any("only what git ignores is left out" in line for line in evidence)


def test_tracked_editor_settings_stay_where_git_runs_in_the_build(tmp_path):
    dockerfile = ("FROM golang:1.23-alpine\nRUN apk add --no-cache git\nWORKDIR /src\nCOPY . .\n"
                  "RUN go build -ldflags \"-X main.v=$(git describe --tags --always --dirty)\" -o /app .\n")
    write_repository(tmp_path, {"go.mod": GO_MOD, "Dockerfile": dockerfile, ".vscode/settings.json": "{}\n",
                          ".gitignore": ".env\n/dist/\n.vscode/*\n!.vscode/settings.json\n.idea/\n"})
    assert written(df020(tmp_path)) == [".env", ".idea", "dist/"]  # .vscode holds a file git tracks


def test_nothing_is_written_where_git_runs_in_the_build_and_ignores_nothing(tmp_path):
    dockerfile = "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN make build VERSION=$(git describe --dirty)\n"
    write_repository(tmp_path, {"go.mod": GO_MOD, "Dockerfile": dockerfile, "Makefile": "build:\n\tgo build .\n"})
    result = df020(tmp_path)
    assert not result.files and not result.applied


def test_outside_a_repository_git_in_the_build_finds_nothing_to_call_dirty(tmp_path):
    dockerfile = "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n"  # stamps where .git is
    (tmp_path / "go.mod").write_text(GO_MOD)
    (tmp_path / "Dockerfile").write_text(dockerfile)
    context = BuildContext(tmp_path, tmp_path / "Dockerfile")
    context.project = None
    result = fixer.fix(dockerfile, rules=[find_rule("DF020")], context=context)
    assert "Dockerfile*" in written(result) and ".git" not in written(result)


def test_a_go_build_script_a_run_calls_keeps_git(tmp_path):
    build_go = ('package main\n\nfunc version() string {\n\tv, _ := runError("git", "describe", "--always", '
                '"--dirty")\n\treturn string(v)\n}\n')
    dockerfile = ("FROM golang:1.23-alpine\nRUN apk add --no-cache git\nWORKDIR /src\nCOPY . .\n"
                  "RUN go run build.go -no-upgrade build\n")
    write_repository(tmp_path, {"go.mod": GO_MOD, "build.go": build_go, "Dockerfile": dockerfile,
                          ".gitignore": "coverage.out\n/bin/\n"})
    assert written(df020(tmp_path)) == ["bin/", "coverage.out"]


def test_a_script_a_run_calls_keeps_git_for_its_own_stamps_only(tmp_path):
    dockerfile = "FROM alpine:3.20\nWORKDIR /src\nCOPY . .\nRUN ./scripts/install.sh\n"
    files = {"go.mod": GO_MOD, "Dockerfile": dockerfile, "scripts/install.sh": "#!/bin/sh\ncp -r etc /etc/x\n",
             "scripts/toolchain.sh": "#!/bin/sh\ngit diff-index --quiet HEAD -- go.toolchain.rev\n",
             ".gitignore": "/bin/\n"}
    write_repository(tmp_path, files)
    assert ".git" in written(df020(tmp_path))  # toolchain.sh runs on the host
    forget_projects()
    (tmp_path / "scripts/install.sh").write_text("#!/bin/sh\necho $(git describe --dirty) > /etc/x/version\n")
    assert written(df020(tmp_path)) == ["bin/"]


def test_build_files_run_where_git_is_keep_it_though_no_stamp_shows(tmp_path):
    makefile = "include build.vars\n\nbuild:\n\tgo build -ldflags \"-X main.commit=$(COMMIT)\" -o out/app .\n"
    dockerfile = "FROM golang:1.15 AS build\nWORKDIR /src\nCOPY . .\nRUN make build\n"  # golang:1.15 has git
    write_repository(tmp_path, {"go.mod": GO_MOD, "Makefile": makefile, "Dockerfile": dockerfile,
                                "build.vars": "COMMIT := $(shell git rev-parse HEAD)\n",
                                ".gitignore": "/out/\n*.test\n/bin/\n"})
    result = df020(tmp_path)
    assert written(result) == ["bin/", "*.test"]
    assert any("`make build` runs the repository's build files where git is in golang:1.15" in line
               for line in result.applied[0].evidence)


def test_no_new_file_for_test_outputs_alone(tmp_path):
    dockerfile = "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n"  # stamps: git stays
    write_repository(tmp_path, {"go.mod": GO_MOD, "Dockerfile": dockerfile, ".gitignore": "*.test\ncoverage.out\n"})
    result = df020(tmp_path)
    assert not result.changed and not result.applied


def test_build_files_run_where_git_is_not_keep_no_git(tmp_path):
    dockerfile = "FROM golang:1.23-alpine\nRUN apk add --no-cache make\nWORKDIR /src\nCOPY . .\nRUN make build\n"
    write_repository(tmp_path, {"go.mod": GO_MOD, "Makefile": "build:\n\tgo build -o out/app .\n",
                                "Dockerfile": dockerfile})
    assert ".git" in written(df020(tmp_path))


def test_a_heredoc_script_that_builds_with_git_in_the_stage_keeps_git(tmp_path):
    dockerfile = ("FROM golang:1.23-alpine\nRUN apk add --no-cache git\nWORKDIR /src\n"
                  "RUN --mount=type=bind,source=. <<EOT\nset -e\ngo build -o /out/app .\nEOT\n")
    write_repository(tmp_path, {"go.mod": GO_MOD, "Dockerfile": dockerfile, ".gitignore": ".env\n"})
    assert written(df020(tmp_path)) == [".env"]


def test_a_context_below_the_repository_root_holds_no_git(tmp_path):
    dockerfile = ("FROM golang:1.23\nWORKDIR /src\nCOPY . .\n"
                  "RUN go build -ldflags \"-X main.v=$(git describe --dirty)\" -o /app .\n")
    write_repository(tmp_path, {"svc/go.mod": GO_MOD, "svc/Dockerfile": dockerfile, "svc/.vscode/launch.json": "{}\n"})
    entries = written(df020(tmp_path, "svc/Dockerfile"))  # git in the build finds no repository there
    assert ".git" not in entries and ".vscode" in entries and "Dockerfile*" in entries


def test_a_folder_of_go_sources_below_the_root_gets_no_file_of_entries_that_match_nothing_there(tmp_path):
    write_repository(tmp_path, {"svc/go.mod": GO_MOD, "svc/main.go": "package main\n\nfunc main() {}\n",
                                "svc/Dockerfile": ALPINE_BUILD})
    result = df020(tmp_path, "svc/Dockerfile")
    assert not result.changed and not result.applied


def test_a_folder_whose_only_match_is_a_directory_it_commits_gets_no_file(tmp_path):
    write_repository(tmp_path, {"svc/go.mod": GO_MOD, "svc/main.go": "package main\n\nfunc main() {}\n",
                                "svc/bin/helper.sh": "#!/bin/sh\n", "svc/Dockerfile": ALPINE_BUILD})
    result = df020(tmp_path, "svc/Dockerfile")  # bin/ is committed: no entry may leave it out
    assert not result.changed and not result.applied


def test_a_folder_whose_build_installs_its_packages_gets_node_modules(tmp_path):
    dockerfile = "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n"
    write_repository(tmp_path, {"web/package.json": '{"dependencies": {}}\n', "web/Dockerfile": dockerfile})
    assert "node_modules/" in written(df020(tmp_path, "web/Dockerfile"))


# --- What the repository's .gitignore files say --------------------------------------------------

def test_an_env_file_ignored_only_in_another_directory_is_no_convention_here(tmp_path):
    write_repository(tmp_path, {"go.mod": GO_MOD, "Dockerfile": ALPINE_BUILD, ".gitignore": "e2e/.env\n/bin/\n"})
    assert ".env" not in written(df020(tmp_path))


def test_the_root_gitignore_decides_for_a_nested_context(tmp_path):
    write_repository(tmp_path, {"svc/go.mod": GO_MOD, "svc/Dockerfile": ALPINE_BUILD, ".gitignore": ".env\n"})
    assert ".env" in written(df020(tmp_path, "svc/Dockerfile"))


def test_nothing_is_written_where_git_would_ignore_the_file(tmp_path):
    write_repository(tmp_path, {"svc/go.mod": GO_MOD, "svc/Dockerfile": ALPINE_BUILD,
                                ".gitignore": ".env\n.dockerignore\n"})
    result = df020(tmp_path, "svc/Dockerfile")
    assert not result.files and not result.applied and not result.remaining


def test_an_existing_file_git_ignores_gains_nothing(tmp_path):
    write_repository(tmp_path, {"go.mod": GO_MOD, "Dockerfile": ALPINE_BUILD, ".dockerignore": "bin/\n",
                          ".gitignore": ".env\n/.dockerignore\n"})
    assert not df020(tmp_path).files


# --- Template Dockerfiles ------------------------------------------------------------------------

SCAFFOLD = "FROM {{ .Base }}\nWORKDIR /app\nCOPY . .\nRUN {{ .Build }}\n"


def test_a_template_dockerfile_gets_no_dockerignore(tmp_path):
    write_repository(tmp_path, {"go.mod": GO_MOD, "cmd/init/templates/basic/Dockerfile": ALPINE_BUILD,
                          "cmd/init/templates/basic/main.go": "package main\n"})
    result = df020(tmp_path, "cmd/init/templates/basic/Dockerfile")
    assert not result.files and not result.applied


def test_a_template_dockerfile_is_no_reader_of_the_modules_dockerignore(tmp_path):
    explicit = ("FROM golang:1.23-alpine AS build\nWORKDIR /src\nCOPY go.mod ./\nCOPY cmd/ cmd/\n"
                "RUN go build -o /out/tool ./cmd/tool\n")
    write_repository(tmp_path, {"go.mod": GO_MOD, "Dockerfile": explicit, "cmd/tool/main.go": "package main\n",
                          "pkg/frameworks/python/templates/Dockerfile.tmpl": SCAFFOLD,
                          "pkg/frameworks/go/Dockerfile.template": SCAFFOLD, ".gitignore": ".env\n"})
    result = df020(tmp_path)
    assert not result.files and not result.applied


def test_a_template_dockerfile_a_build_names_is_a_reader(tmp_path):
    makefile = "image:\n\tdocker build -f deploy/templates/Dockerfile.release -t x .\n"
    write_repository(tmp_path, {"go.mod": GO_MOD, "Makefile": makefile, "cmd/tool/main.go": "package main\n",
                          "Dockerfile": "FROM golang:1.23-alpine\nWORKDIR /src\nCOPY go.mod ./\nCOPY cmd/ cmd/\n",
                          "deploy/templates/Dockerfile.release": ALPINE_BUILD})
    assert ".git" in written(df020(tmp_path))


@pytest.mark.parametrize(("build_file", "build"), [
    ("Makefile", "dev-image:\n\tcat ./dev/Dockerfile.dev | docker build -t x-dev -\n"),   # piped in
    ("hack/dev-image.sh", "#!/bin/sh\ncd dev && docker build -t x-dev - < Dockerfile.dev\n"),  # redirected
], ids=["piped", "redirected"])
def test_a_dockerfile_built_from_standard_input_without_a_context_gets_no_dockerignore(tmp_path, build_file, build):
    write_repository(tmp_path, {"go.mod": GO_MOD, build_file: build, "dev/Dockerfile.dev": ALPINE_BUILD,
                          "dev/tools.go": "package dev\n"})
    result = df020(tmp_path, "dev/Dockerfile.dev")
    assert not result.files and not result.applied


def test_a_dockerfile_also_built_with_a_context_gets_that_contexts_dockerignore(tmp_path):
    makefile = ("dev-image:\n\tcat ./dev/Dockerfile.dev | docker build -t x-dev -\n"
                "image:\n\tdocker build -f dev/Dockerfile.dev .\n")
    write_repository(tmp_path, {"go.mod": GO_MOD, "Makefile": makefile, "dev/Dockerfile.dev": ALPINE_BUILD,
                          "dev/tools.go": "package dev\n"})
    result = df020(tmp_path, "dev/Dockerfile.dev")
    assert [os.path.relpath(change.path, tmp_path) for change in result.files] == [".dockerignore"]


# --- .env: secrets, not the project's configuration -------------------------------------------------

def git_repository(root, files: dict[str, str], untracked: dict[str, str]) -> None:
    """A real git repository: `files` committed, `untracked` written after the commit."""
    import subprocess

    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    write_repository(root, files)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
                   check=True)
    for name, text in untracked.items():
        (root / name).write_text(text)


MAIN_WITH_DOTENV = 'package main\n\nimport "github.com/joho/godotenv"\n\nfunc main() { godotenv.Load() }\n'
# the runtime stage gets the binary alone: whatever .env the context holds stays out of the image the program runs in
SPLIT_BUILD = ALPINE_BUILD + 'FROM alpine:3.24\nCOPY --from=0 /app /app\nCMD ["/app"]\n'


def test_a_committed_env_file_is_configuration_the_image_may_read_and_is_not_left_out(tmp_path):
    git_repository(tmp_path, {"go.mod": GO_MOD, "main.go": MAIN_WITH_DOTENV, ".env": "PORT=8080\n",
                              ".gitignore": "/bin/\n", "Dockerfile": SPLIT_BUILD}, {})
    entries = written(df020(tmp_path))
    assert ".env" not in entries and ".env.*" in entries and "bin/" in entries


def test_an_untracked_env_file_that_git_does_not_ignore_is_left_out(tmp_path):
    git_repository(tmp_path, {"go.mod": GO_MOD, "main.go": MAIN_WITH_DOTENV, ".gitignore": "/bin/\n",
                              "Dockerfile": SPLIT_BUILD}, {".env": "DB_PASSWORD=hunter2\n"})
    assert ".env" in written(df020(tmp_path))


def test_an_env_file_the_program_reads_in_an_image_of_the_whole_context_is_kept(tmp_path):
    git_repository(tmp_path, {"go.mod": GO_MOD, "main.go": MAIN_WITH_DOTENV, ".gitignore": ".env\n",
                              "Dockerfile": ALPINE_BUILD + 'CMD ["/app"]\n'}, {".env": "DB_PASSWORD=hunter2\n"})
    entries = written(df020(tmp_path))
    assert not {".env", ".env.*"} & set(entries) and ".git" in entries


def test_a_committed_env_production_keeps_the_dot_env_entry_for_the_secrets(tmp_path):
    git_repository(tmp_path, {"go.mod": GO_MOD, "main.go": MAIN_WITH_DOTENV, ".env.production": "PORT=80\n",
                              ".gitignore": ".env\n", "Dockerfile": SPLIT_BUILD}, {".env": "DB_PASSWORD=x\n"})
    entries = written(df020(tmp_path))
    assert ".env" in entries and ".env.*" not in entries and "!.env.example" not in entries


def test_a_held_env_file_in_a_tree_without_git_history_counts_as_committed(tmp_path):
    write_repository(tmp_path, {"go.mod": GO_MOD, "main.go": MAIN_WITH_DOTENV, ".env": "PORT=8080\n",
                                ".gitignore": "/bin/\n", "Dockerfile": ALPINE_BUILD})  # an empty .git/
    assert ".env" not in written(df020(tmp_path))


def test_an_ignored_env_file_is_left_out(tmp_path):
    write_repository(tmp_path, {"go.mod": GO_MOD, ".gitignore": ".env\n", "Dockerfile": ALPINE_BUILD})
    assert ".env" in written(df020(tmp_path))


@pytest.mark.parametrize("framework", ["next", "vite"])
def test_next_and_vite_builds_read_the_env_files_those_projects_commit(tmp_path, framework):
    package = '{"dependencies": {"%s": "^14.0.0"}}\n' % framework
    dockerfile = "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"npm\", \"start\"]\n"
    write_repository(tmp_path, {"package.json": package, ".gitignore": ".env*.local\n", "Dockerfile": dockerfile})
    entries = written(df020(tmp_path))
    assert not [entry for entry in entries if ".env" in entry] and "node_modules/" in entries
