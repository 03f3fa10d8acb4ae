"""The shell view of RUN: command boundaries, words, spans back to the source, opacity."""
from __future__ import annotations

import pytest
import tree_sitter
import tree_sitter_bash
from helpers import corpus_files, history_files, needs_shared, read_utf8

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


@pytest.mark.parametrize("text, words", [
    ("bash <(curl -fsSL https://x) -s y", ["bash", "<(curl -fsSL https://x)", "-s", "y"]),
    ("diff <(ls a) >(cat)", ["diff", "<(ls a)", ">(cat)"]),
    ("paste a<(cut -f1 x)b 2<(true)", ["paste", "a<(cut -f1 x)b", "2<(true)"]),
    ("diff <(sort 'a)' \"b)\") <(echo $(date))", ["diff", "<(sort 'a)' \"b)\")", "<(echo $(date))"]),
])
def test_a_process_substitution_is_a_word_as_bash_reads_it(text, words):
    script = lex_script(text)
    assert script.opaque is None and [[word.raw for word in command.words] for command in script.commands] == [words]
    assert all(word.expands for word in script.commands[0].words if "(" in word.raw)


def test_a_process_substitution_can_be_a_redirection_target():
    command, = lex_script("cat < <(echo hi) && done").commands[:1]
    assert command.argv == ["cat"] and [(r.operator, r.target.raw) for r in command.redirects] == [("<", "<(echo hi)")]


def test_an_ansi_c_quote_is_one_word_with_its_escaped_quote():
    words = lex_script("printf $'a\\'b\\n' c").commands[0].words
    assert [word.raw for word in words] == ["printf", "$'a\\'b\\n'", "c"] and words[1].expands


@pytest.mark.parametrize("text", ["echo > ; ls", "echo >", "echo > # note", "echo > > x", "((a<)) && echo",
                                  "echo >>(true) y", "cat <(unterminated", "echo $'open"])
def test_a_script_no_shell_can_read_is_opaque_not_a_crash(text):
    assert lex_script(text).opaque


# bash-only forms a RUN meets (under SHELL bash, or because /bin/sh is bash or busybox ash):
# each is lexed without error and every rule gets through a file with it
BASH_FORMS = [
    "bash <(curl x) y", "diff <(ls a) >(cat)", "cat < <(echo hi)", "tee >(gzip > a.gz) < x",
    "echo $'a\\'b' c", "echo $\"hello\"", "cp x.{a,b} /y", "[[ -f x && -n $y ]] && echo ok",
    "[[ a < b ]]", "(( i = 1 + 2 )) && echo $((i))", "((a<)) && apk add git", "coproc cat",
    "coproc NAME { cat; }", "make |& tee log", "make &>> log", "make &> /dev/null && apk add git",
    "apt-get update &>/dev/null; apt-get install -y x", "echo > ; apk add git", "a=(1 2) && echo ${a[@]}",
]


@pytest.mark.parametrize("form", BASH_FORMS)
def test_bash_only_forms_are_lexed_and_fixed_without_a_crash(form):
    lex_script(form)
    for text in (f"FROM alpine\nRUN {form}\n", f'FROM debian\nSHELL ["/bin/bash", "-c"]\nRUN {form}\n',
                 f"FROM alpine\nRUN apk add curl && \\\n    {form}\nUSER 1000\n"):
        tree = fixer.parse(text)
        for node in tree.instructions:
            shell_view(tree, node)
        fixer.fix(text, select=["ALL"], unsafe_fixes=True)


def test_lexed_scripts_are_frozen_and_shared():
    script = lex_script("apk add git && echo a > b")
    assert lex_script("apk add git && echo a > b") is script
    assert isinstance(script.commands, tuple) and isinstance(script.commands[0].words, tuple)
    hash(script)  # only immutable values inside: nothing a caller could change for the next file
    with pytest.raises(AttributeError):
        script.commands[0].words[0].value = "curl"


def test_the_shell_view_of_a_run_shares_the_lexed_commands_but_not_its_own_fields():
    tree = fixer.parse("FROM alpine\nRUN apk add git\nONBUILD RUN apk add git\n")
    first, second = (shell_view(tree, node) for node in tree.instructions[1:])
    assert first.commands is second.commands is lex_script("apk add git").commands
    assert (first.instruction, second.instruction) == tuple(tree.instructions[1:])
    assert lex_script("apk add git").instruction is None


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
    "diff <(sort a) <(sort b) && cat < <(echo hi) | tee >(gzip > x.gz)",
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


def test_commands_under_if_loops_or_after_or_may_not_run():
    script = lex_script('if [ "$X" = 1 ]; then apt-get update; fi && apt-get install -y a || true; '
                        'for p in a b; do apk add "$p"; done; make')
    ran = dict(zip((" ".join(c.argv) for c in script.commands), (not path for path in script.branches()),
                   strict=True))
    assert ran["apt-get update"] is False and ran["apk add $p"] is False and ran["true"] is False
    assert ran["apt-get install -y a"] is True and ran["make"] is True


def test_branches_tell_what_an_earlier_command_of_the_same_branch_covers():
    script = lex_script("if a; then apt-get update && apt-get install x; else apt-get install y; fi; "
                        "apt-get install z")
    paths = dict(zip((" ".join(c.argv) for c in script.commands), script.branches(), strict=True))
    update, then_install, else_install = paths["apt-get update"], paths["apt-get install x"], paths["apt-get install y"]
    assert then_install[:len(update)] == update
    assert else_install[:len(update)] != update
    assert paths["apt-get install z"] == ()
