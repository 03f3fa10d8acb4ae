"""The shell view of RUN: command boundaries, words, spans back to the source, opacity."""
from __future__ import annotations

import pytest
import tree_sitter
import tree_sitter_bash
from conftest import corpus_files, history_files, needs_shared, read_utf8

import fixer
from fixer.syntax.shell import command_names, lex_script, shell_view

_BASH = tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))
DECLARATIONS = {"export", "declare", "local", "readonly", "typeset", "unset", "[", "[["}


def test_commands_operators_assignments_and_redirects():
    script = lex_script('apk update && CGO_ENABLED=0 go build -o /app . 2>/dev/null; echo "a b" | tee x')
    assert [c.argv for c in script.commands] == [["apk", "update"], ["go", "build", "-o", "/app", "."],
                                                 ["echo", "a b"], ["tee", "x"]]
    assert [o.text for o in script.operators] == ["&&", ";", "|"]
    assert [w.raw for w in script.commands[1].assignments] == ["CGO_ENABLED=0"]
    assert [(r.operator, r.target.raw) for r in script.commands[1].redirects] == [(">", "/dev/null")]


def test_reserved_words_are_not_command_names():
    script = lex_script("if [ -f x ]; then apk add git; fi")
    assert [c.name for c in script.commands] == ["[", "apk", None]
    assert [w.raw for w in script.commands[1].reserved] == ["then"]


def test_quotes_and_expansions_stay_inside_words():
    script = lex_script("""go build -ldflags "-s -w -X main.v=$(git describe --tags)" -o '/a b' .""")
    words = script.commands[0].words
    assert words[3].value == "-s -w -X main.v=$(git describe --tags)"
    assert words[3].expands
    assert words[5].value == "/a b" and not words[5].expands


def test_trailing_comment_is_found():
    script = lex_script("echo a # and the rest")
    assert script.text[script.comment_start:] == "# and the rest"
    assert lex_script("echo a#b").comment_start is None


@pytest.mark.parametrize("text, reason", [
    ("case $x in a) echo;; esac", "case"),
    ("f() { echo; }; f", "function"),
    ("echo 'unterminated", "single quote"),
    ('echo "unterminated', "double quote"),
    ("echo $(unterminated", "$("),
])
def test_unreadable_scripts_are_opaque(text, reason):
    assert reason in lex_script(text).opaque


def test_spans_map_back_across_continuation_lines():
    text = "FROM alpine\nRUN apk update \\\n  # a comment\n  && apk add \\\n     git\n"
    tree = fixer.parse(text)
    script = shell_view(tree, tree.instructions[1])
    git = script.commands[1].words[2]
    span = script.source_span(git.start, git.end)
    assert text[span.start:span.end] == "git"


def test_non_posix_shell_and_heredoc_are_opaque():
    tree = fixer.parse('FROM x\nSHELL ["pwsh", "-c"]\nRUN echo a\nFROM y\nRUN echo b\nRUN <<EOF\necho\nEOF\n')
    runs = [node for node in tree.instructions if node.keyword == "RUN"]
    assert "POSIX" in shell_view(tree, runs[0]).opaque
    assert shell_view(tree, runs[1]).opaque is None  # SHELL does not cross FROM
    assert "heredoc" in shell_view(tree, runs[2]).opaque


def test_exec_form_has_no_shell_view():
    tree = fixer.parse('FROM x\nRUN ["apk", "add", "git"]\n')
    assert shell_view(tree, tree.instructions[1]) is None


def _tree_sitter_command_names(text: str) -> list[str] | None:
    """Top-level command names per tree-sitter-bash (None if it cannot parse the text)."""
    tree = _BASH.parse(text.encode("utf-8"))
    if tree.root_node.has_error:
        return None
    names: list[str] = []

    def walk(node):
        if node.type in ("command_substitution", "process_substitution"):
            return
        if node.type == "command":
            name = node.child_by_field_name("name")
            names.append(name.text.decode("utf-8") if name else None)
        for child in node.children:
            walk(child)

    walk(tree.root_node)
    return names


def _our_command_names(script) -> list[str]:
    return [c.words[0].raw for c in script.commands
            if c.words and not c.compound_header and c.words[0].raw not in DECLARATIONS]


OWN_SCRIPTS = [
    "apk update && apk add --no-cache git ca-certificates && rm -rf /var/cache/apk/*",
    "set -eux; go mod download; CGO_ENABLED=0 go build -o /out/app ./cmd/app",
    "if [ -n \"$X\" ]; then echo yes; else echo no; fi && for f in a b; do cp $f /x; done",
    "adduser -D -H -u 10001 app || true; mkdir -p /data && chown 10001:10001 /data",
    "curl -fsSL https://x | tar -xz -C /usr/local && (cd /usr/local && ls) > /dev/null 2>&1",
]


@pytest.mark.parametrize("text", OWN_SCRIPTS)
def test_command_boundaries_agree_with_tree_sitter_bash(text):
    assert _our_command_names(lex_script(text)) == _tree_sitter_command_names(text)


@needs_shared
def test_command_boundaries_agree_with_tree_sitter_bash_on_real_runs():
    compared = 0
    for path in corpus_files() + history_files():
        text = read_utf8(path)
        try:
            tree = fixer.parse(text) if text is not None else None
        except fixer.DockerfileError:
            continue
        for node in tree.instructions if tree else ():
            script = shell_view(tree, node)
            if script is None or script.opaque:
                continue
            code = script.text if script.comment_start is None else script.text[:script.comment_start]
            theirs = _tree_sitter_command_names(code)
            if theirs is None:
                continue
            assert _our_command_names(script) == theirs, f"{path}: {code[:120]}"
            compared += 1
    assert compared > 1000


def test_command_names_are_what_the_shell_runs_in_every_run():
    tree = fixer.parse("FROM alpine\nRUN 'ap'k add git && \\\n    go build .\nONBUILD RUN apt-get update\n"
                       "RUN [\"curl\", \"x\"]\nRUN FOO=1 >/dev/null\nSHELL [\"cmd\", \"/S\", \"/C\"]\nRUN dir\n")
    # quotes removed as the shell removes them; exec form is no shell; an assignment alone runs nothing
    assert command_names(tree) == {"apk", "go", "apt-get", "dir"}
