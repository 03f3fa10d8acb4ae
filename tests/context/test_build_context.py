"""The build context layer: discovery, go.mod, .dockerignore, the Go sources' facts.
The real-world check is at the end: on every corpus entry, the facts dockerfix reads from
the context files agree with the manifest's columns."""
from __future__ import annotations

import csv
import re

import pytest
from helpers import SHARED, needs_shared
from hypothesis import given, settings
from hypothesis import strategies as st

from fixer.context import (
    BuildContext,
    GoModule,
    dockerignore,
    find_build_context,
    is_ignored,
    parse_dockerignore,
    parse_go_mod,
)
from fixer.syntax import parse


def write(root, files: dict[str, str]):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_go_mod_directives_with_comments_and_quotes():
    module = parse_go_mod('// header\nmodule "example.com/x/v2" // the module\n\ngo 1.22.3\n\ntoolchain go1.23.1\n')
    assert (module.path, module.go, module.toolchain) == ("example.com/x/v2", "1.22.3", "1.23.1")
    assert parse_go_mod("module m\n").go is None


@pytest.mark.parametrize("patterns, path, ignored", [
    ("*.md", "README.md", True),
    ("*.md", "docs/a.md", False),          # * stays within one path element
    ("**/*.md", "docs/a.md", True),
    ("**/*.md", "a.md", True),
    (".git", ".git/HEAD", True),           # a matched directory takes its contents with it
    ("/bin", "bin/app", True),             # a leading / is dropped
    ("*.md\n!README.md", "README.md", False),
    ("!README.md\n*.md", "README.md", True),  # the last match wins
    ("# a comment\n", "# a comment", False),
    ("ab?", "abc", True),
    ("[a-c]x", "bx", True),
    ("docs/", "docs/x", True),
])
def test_dockerignore_matches_like_buildkit(patterns, path, ignored):
    assert is_ignored(parse_dockerignore(patterns), path) is ignored


def test_dockerfile_specific_ignore_file_wins(tmp_path):
    write(tmp_path, {".dockerignore": "*.md\n", "build/api.Dockerfile": "FROM x\n",
                     "build/api.Dockerfile.dockerignore": ".env\n"})
    context = BuildContext(tmp_path, tmp_path / "build" / "api.Dockerfile")
    assert context.dockerignore_path == str(tmp_path / "build" / "api.Dockerfile.dockerignore")
    assert context.is_ignored(".env") and not context.is_ignored("README.md")


def test_go_sources_main_packages_imports_and_uses(tmp_path):
    write(tmp_path, {
        "go.mod": "module example.com/x\n\ngo 1.22\n",
        "cmd/api/main.go": 'package main\n\nimport (\n\t"net/http"\n\t_ "time/tzdata"\n)\n\n'
                           'func main() { http.ListenAndServe(":8080", nil) }\n',
        "cmd/worker/main.go": 'package main\n\nimport "time"\n\nfunc main() { time.LoadLocation("UTC") }\n',
        "internal/x/x.go": "package x\n",
        "cmd/api/main_test.go": 'package main\n\nimport "testing"\n',
        "vendor/y/main.go": "package main\n",
    })
    sources = BuildContext(tmp_path).go_sources
    assert sources.main_packages == ("cmd/api", "cmd/worker")
    assert {"net/http", "time/tzdata", "time"} <= sources.imports and "testing" not in sources.imports
    assert sources.serves_http and sources.loads_time_zones and sources.complete


def test_go_sources_know_what_the_root_package_embeds(tmp_path):
    write(tmp_path, {
        "main.go": 'package main\n\nimport "embed"\n\n//go:embed all:web "my files" `notes.txt` static/*.html\n'
                   "var assets embed.FS\n\nvar (\n\t//go:embed *.tmpl\n\ttemplates embed.FS\n)\n\nfunc main() {}\n",
        "cmd/tool/main.go": "package main\n\n//go:embed config.yaml\nvar config string\n\nfunc main() {}\n",
    })
    sources = BuildContext(tmp_path).go_sources
    assert [name for name in ("web", "my files", "notes.txt", "page.tmpl") if sources.embeds(name)] == \
        ["web", "my files", "notes.txt", "page.tmpl"]
    assert not sources.embeds("config.yaml")  # another package's
    assert not sources.embeds("static")  # only its .html files: the others may be read at run time


def test_context_is_the_dockerfiles_directory_by_default(tmp_path):
    write(tmp_path, {"Dockerfile": "FROM golang:1.22\nCOPY . .\n", "go.mod": "module m\n"})
    context = find_build_context(tmp_path / "Dockerfile", parse("FROM golang:1.22\nCOPY . .\n"))
    assert context.root == str(tmp_path)


def test_monorepo_dockerfile_in_build_finds_the_repository_root(tmp_path):
    text = "FROM golang:1.22\nCOPY go.mod go.sum ./\nCOPY cmd/ cmd/\n"
    write(tmp_path, {".git/HEAD": "", "go.mod": "module m\n", "go.sum": "", "cmd/app/main.go": "package main\n",
                     "build/Dockerfile": text})
    context = find_build_context(tmp_path / "build" / "Dockerfile", parse(text))
    assert context.root == str(tmp_path) and "ancestor" in context.how


def test_module_in_a_subdirectory_is_its_own_context(tmp_path):
    text = "FROM golang:1.22\nCOPY . .\n"
    write(tmp_path, {".git/HEAD": "", "services/api/go.mod": "module api\n", "services/api/Dockerfile": text})
    context = find_build_context(tmp_path / "services" / "api" / "Dockerfile", parse(text))
    assert context.root == str(tmp_path / "services" / "api")


def test_no_ancestor_fits_falls_back_to_the_dockerfiles_directory(tmp_path):
    text = "FROM golang:1.22\nCOPY missing.txt /\n"
    write(tmp_path, {".git/HEAD": "", "go.mod": "module m\n", "sub/Dockerfile": text})
    context = find_build_context(tmp_path / "sub" / "Dockerfile", parse(text))
    assert context.root == str(tmp_path / "sub")


def test_discovery_stops_at_the_repository_root(tmp_path):
    text = "FROM golang:1.22\nCOPY go.mod ./\n"
    write(tmp_path, {"go.mod": "module outside\n", "repo/.git/HEAD": "", "repo/sub/Dockerfile": text})
    context = find_build_context(tmp_path / "repo" / "sub" / "Dockerfile", parse(text))
    assert context.root == str(tmp_path / "repo" / "sub")


@needs_shared
def test_facts_read_from_corpus_context_files_match_the_manifest():
    corpus = SHARED / "corpus"
    with open(corpus / "manifest.tsv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    checked = 0
    for row in rows:
        folder = corpus / row["id"]
        context = BuildContext(folder, folder / "Dockerfile")
        assert (context.go_module is not None) == (row["has_go_mod"] == "true"), row["id"]
        if context.go_module is not None and row["go_directive"]:
            assert context.go_module.go == row["go_directive"], row["id"]
            checked += 1
        has_ignore = context.dockerignore_text is not None
        assert has_ignore == (row["has_dockerignore"] == "true"), row["id"]
    assert checked > 100


def test_go_mod_local_replacements_single_and_in_blocks_not_in_comments():
    text = ("module x\n\nreplace example.com/api => ./api/v2\n\nreplace (\n\tgithub.com/a/b v1.2.3 => "
            "github.com/c/d v1.2.4\n\tgithub.com/e/f => ../f // local\n\t// github.com/g/h => ./h\n)\n"
            "// replace y => ./commented\nreplace x => ./\nreplace(\n\tz => /abs/z\n)\n")
    assert parse_go_mod(text).local_replacements == ("./api/v2", "../f", "./", "/abs/z")
    assert parse_go_mod("module x\nreplace a => b v1.0.0\n").local_replacements == ()


def _go_mod_by_regex(text: str) -> GoModule:
    """The plain reading parse_go_mod speeds up: each directive by a multi-line regex search."""
    def value(pattern):
        match = re.search(pattern, text, re.M)
        return match.group(1).split("//", 1)[0] or None if match else None
    return GoModule(value(r"""^module[ \t]+["`]?([^\s"`]+)""") or "", value(r"^go[ \t]+(\S+)"),
                    value(r"^toolchain[ \t]+go(\S+)"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["module m", "module \"a/b\"", "go 1.22", "go", "gopher 1", "toolchain go1.23.1",
                                 "toolchain default", "\ttoolchain go1.9", "require x v1", "// go 1.1", "", "\r",
                                 "go 1.21 // pinned"]), max_size=8))
def test_go_mod_directives_found_by_line_search_match_a_regex_search(lines):
    text = "\n".join(lines)
    assert parse_go_mod(text) == _go_mod_by_regex(text)


def _local_replacements_by_lines(text: str) -> tuple[str, ...]:
    """The plain reading of parse_go_mod's replace directives: every line in turn."""
    found, in_block = [], False
    for line in text.split("\n"):
        words = line.split("//", 1)[0].split()
        if in_block and words == [")"]:
            in_block = False
            continue
        if not in_block:
            if words[:1] not in (["replace"], ["replace("]):
                continue
            if words[1:] == ["("] or words == ["replace("]:
                in_block = True
                continue
            words = words[1:]
        if "=>" in words and words.index("=>") + 1 < len(words):
            path = words[words.index("=>") + 1].strip('"`')
            if path in (".", "..") or path.startswith(("./", "../", "/")):
                found.append(path)
    return tuple(found)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["module m", "replace a => ./a", "replace a v1 => ../b v2", "replace (", ")",
                                 "\tc => ./c", "\td v1 => e v2", "replace f => g v1", "require (", "\tx v1",
                                 "// replace h => ./h", "replace i => ./i // local", "replace", "replacer j => ./j",
                                 "\tk =>", "\t) // end", ""]), max_size=10))
def test_go_mod_local_replacements_found_by_search_match_a_line_by_line_reading(lines):
    text = "\n".join(lines)
    assert parse_go_mod(text).local_replacements == _local_replacements_by_lines(text)


@settings(max_examples=600, deadline=None)
@given(pattern=st.text(alphabet="a.*?/[]!\\-", min_size=1, max_size=8), path=st.text(alphabet="a./-b", max_size=8))
def test_patterns_ruled_out_by_their_literal_ends_would_not_have_matched(pattern, path):
    """A pattern is only compiled when the path could match its literal start and end."""
    parents = dockerignore._parents(path)
    regex = dockerignore._compiled(pattern)
    expected = regex is not None and any(regex.fullmatch(parent) for parent in parents)
    assert dockerignore._matches(pattern, parents) is expected


def test_a_pattern_docker_refuses_leaves_nothing_out_and_crashes_nothing():
    # found by the property test above: `[]` made an invalid regex and dockerfix crashed
    assert not is_ignored(parse_dockerignore("[]\n[z-a]\n[[x]\n"), ".git")
    assert is_ignored(parse_dockerignore("[]\n.git\n"), ".git")


def test_script_text_reads_small_files_of_the_context_only(tmp_path):
    write(tmp_path, {"ctx/start.sh": "#!/bin/sh\nnpm start\n", "ctx/big.sh": "#" * 70000, "outside.sh": "rm -rf /\n"})
    context = BuildContext(tmp_path / "ctx")
    assert context.script_text("start.sh") == "#!/bin/sh\nnpm start\n"
    assert context.script_text("big.sh") is None and context.script_text("../outside.sh") is None
    assert context.script_text("missing.sh") is None and context.script_text(".") is None
