"""A mutational fuzzer over the real files of ../shared/corpus.

Each example takes a corpus file and mutates it the ways real edits and real mistakes do, and
the ways that broke dockerfix before (issue 18): lines deleted, duplicated, swapped, indented or
inserted from a Dockerfile-ish alphabet; line endings switched; continuations added or
removed, with odd white space after the escape, blank and comment lines inside them, and one
left open at the end of the file; text cut short; bash-only shell forms (process
substitution, `$'…'`, `[[ ]]`, `(( ))`, `|&`, `&>`, coproc); heredocs, closed or not; JSON
forms at their edges (empty, nested, numbers, hostile VOLUME paths, escapes); the escape
directive added, changed or written with odd white space; a byte order mark; and the
characters Python takes for line breaks or white space and Go does not (U+2028, `\\x85`,
`\\x1c`, `\\v`, a lone `\\r`, a no-break space) put anywhere.

For every mutant: dockerfix either refuses it with a clean parse error or reads it exactly as
BuildKit does and prints it back byte for byte; the shell view of every RUN is built without
error; fixing it gives a file both parsers read alike, and fixing that again changes nothing.
The edit helpers of fixer.syntax.edits are checked on the same mutants, BuildKit judging:
removing an instruction removes that instruction and nothing else, and lines inserted before
an instruction or appended at the end are instructions of their own.

A line repeated hundreds of times stands for the huge counts that once grew faster than
their size. Compose files are mutated too (lines deleted, duplicated or repeated hundreds of
times, CRLF, an alias bomb of up to ten levels, a lone `\\r`, U+2028 or a byte order mark put
anywhere): each is refused cleanly or fixed to a fixed point. And the configuration: hostile
values for its keys (wrong types, out-of-range numbers, a newline or `&` in a health check
path, `ALL` and typos where rules are named) give a clear error naming the file, or work;
never a traceback.

A fast slice runs with the suite; DOCKERFIX_FUZZ_EXAMPLES=5000 runs long. Every failure
found becomes a test or a fixture in fixtures/syntax/ or fixtures/rules/.
"""
from __future__ import annotations

import json

import dockerfile as buildkit
import pytest
from helpers import (
    FUZZ_EXAMPLES,
    LINE_PIECES,
    SHARED,
    buildkit_view,
    corpus_files,
    disagreement,
    needs_shared,
    read_utf8,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fixer
from fixer.context import BuildContext
from fixer.syntax.edits import CannotClose, append_lines, insert_before, removal
from fixer.syntax.shell import lex_script, shell_view

pytestmark = needs_shared
SETTINGS = settings(max_examples=max(FUZZ_EXAMPLES // 2, 60), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
EXTRA_LINES = LINE_PIECES + ["FROM golang:1.23", "COPY . .", "RUN go build -o /x .", "USER root", 'CMD ["/x"]',
                             "RUN apk add git && \\", "  # a comment", "WORKDIR /src", "FROM scratch",
                             "COPY --from=0 /x /x", "ENV A=1 \\", "RUN apt-get update", "RUN apt-get install -y x"]
BASH_FORMS = ["bash <(curl -fsSL https://x) -s", "diff <(ls a) >(cat)", "cat < <(echo hi)", "echo $'a\\'b' c",
              'echo $"hi"', "cp x.{a,b} /y", "[[ -f x && -n $y ]] && echo ok", "(( i = 1 + 2 ))", "((a<))",
              "coproc cat", "make |& tee log", "make &>> log", "apt-get update &>/dev/null", "echo > ; ls",
              "a=(1 2) && echo ${a[@]}", "tee >(gzip > a.gz) < x", "echo ${x//a/b} ${#x} ${x:1:2}"]
HEREDOCS = ["RUN <<EOF\napk add git\nEOF", "RUN <<-EOT bash\n\techo $HOME\n\tEOT", "COPY <<'EOF' /etc/x\n$A \\\nEOF",
            "RUN <<A <<B\na\nA\nb\nB", "RUN cat <<EOF > /x && sh <<EOF2\nx\nEOF\ny\nEOF2", "RUN 3<<E cat\nE",
            "RUN <<EOF\nno terminator", "RUN cat <<EOF\nRUN apk add curl\nEOF", "ONBUILD RUN <<E\nx\nE",
            'RUN <<"E F"\nx\nE F', "RUN python3 <<EOF\nprint(1)\n  EOF\nEOF"]
JSON_LINES = ['CMD ["a", "b"]', "CMD []", "SHELL []", 'SHELL ["/bin/bash", "-c"]', 'ENTRYPOINT ["/app"',
              "CMD [1e400]", 'CMD [1, "a"]', 'CMD ["a"] trailing', 'CMD [["a"]]', "CMD " + "[" * 60,
              'VOLUME ["/data\\nRUN rm -rf /"]', 'VOLUME ["/x;touch /p"]', 'VOLUME ["/srv/my data"]',
              'VOLUME ["/x\\\\"]', "VOLUME [\"/srv/it's\"]", 'COPY ["a b", "/c/"]', 'RUN ["sh", "-c", "echo \\u2028"]',
              'CMD ["\\ud800"]', 'ADD ["x",', 'HEALTHCHECK CMD ["true"]', 'ONBUILD CMD ["x"]', 'CMD [ "a" ,"b" ]',
              "CMD ['a']", 'ENTRYPOINT ["/app", "--port=8080"]', 'CMD ["a\\u0000b"]', 'CMD {"a": 1}',
              'RUN ["apk", "add", "git"]', 'VOLUME ["/data"]', 'VOLUME ["/a", "/b c"]']
DIRECTIVES = ["# escape=`", "# escape=\\", "#escape=`", "# ESCAPE = `", "#\u00a0escape=`", "# escape=`\v",
              "# syntax=docker/dockerfile:1", "# check=skip=all", "# escape=x", "#  escape =\t` \t", "# syntax=x"]
ODD_AFTER_ESCAPE = [" ", "\t", " \t ", "\v", "\f", "\u00a0", "\u3000", "\r"]
LINES_INSIDE_CONTINUATION = ["", "   ", "\t# a comment", "\u00a0# a comment", "# a comment \\", "\u2028", "\x1c"]
# (no NUL: the oracle hands the text to Go as a C string, which ends at it)
ODD_CHARACTERS = ["\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e", "\x1f", "\v", "\f", "\r", "\u00a0",
                  "\u3000", "\ufeff", "\u200b"]
KINDS = ["delete", "duplicate", "swap", "insert", "crlf", "continuation", "cut", "bash", "heredoc",
         "odd-continuation", "open-at-end", "odd-character", "json", "jsonify", "directive", "backtick", "bom",
         "indent", "many"]


def _texts() -> list[str]:
    texts = []
    for path in corpus_files():
        text = read_utf8(path)
        if text is not None and len(text) < 20000:
            texts.append(text)
    return texts


TEXTS = _texts() if corpus_files() else [""]


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")):]


def _mutate(draw, lines: list[str], kind: str) -> list[str]:
    at = draw(st.integers(0, max(len(lines) - 1, 0)))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    if kind == "delete" and len(lines) > 1:
        del lines[at]
    elif kind == "duplicate":
        lines.insert(at, lines[at])
    elif kind == "swap" and len(lines) > 1:
        other = draw(st.integers(0, len(lines) - 1))
        lines[at], lines[other] = lines[other], lines[at]
    elif kind == "insert":
        lines.insert(at, draw(st.sampled_from(EXTRA_LINES)) + newline)
    elif kind == "crlf":
        lines = [line.rstrip("\r\n") + "\r\n" if line.endswith("\n") else line for line in lines]
    elif kind == "continuation":
        line = lines[at].rstrip("\r\n")
        lines[at] = (line[:-1] if line.endswith("\\") else line + " \\") + _ending(lines[at])
    elif kind == "cut":
        text = "".join(lines)
        lines = [text[:draw(st.integers(0, len(text)))]]
    elif kind == "bash":
        form = draw(st.sampled_from(BASH_FORMS))
        line = lines[at].rstrip("\r\n")
        if line.lstrip().upper().startswith("RUN ") and not line.endswith("\\") and draw(st.booleans()):
            lines[at] = f"{line} && {form}{_ending(lines[at]) or newline}"
        else:
            lines.insert(at, f"RUN {form}{newline}")
    elif kind == "heredoc":
        lines.insert(at, draw(st.sampled_from(HEREDOCS)).replace("\n", newline) + newline)
    elif kind == "odd-continuation":
        line = lines[at].rstrip("\r\n")
        inside = draw(st.lists(st.sampled_from(LINES_INSIDE_CONTINUATION), max_size=2))
        lines[at:at + 1] = [line + " \\" + draw(st.sampled_from(ODD_AFTER_ESCAPE)) + newline,
                            *(piece + newline for piece in inside)]
    elif kind == "open-at-end":
        text = "".join(lines).rstrip("\r\n")
        lines = [text + draw(st.sampled_from([" \\", " \\" + newline, " \\" + newline + "# a note" + newline,
                                              " \\" + newline + newline, "\\ \t" + newline]))]
    elif kind == "odd-character":
        line = lines[at]
        cut = draw(st.integers(0, len(line)))
        lines[at] = line[:cut] + draw(st.sampled_from(ODD_CHARACTERS)) + line[cut:]
    elif kind == "many" and lines:  # a huge count, at a size a test run can afford
        lines[at:at + 1] = [lines[at] if lines[at].endswith("\n") else lines[at] + newline] * draw(st.integers(50, 400))
    elif kind == "json":
        lines.insert(at, draw(st.sampled_from(JSON_LINES)) + newline)
    elif kind == "jsonify":
        lines[at] = _jsonified(lines[at])
    elif kind == "directive":
        lines.insert(draw(st.integers(0, min(2, len(lines)))), draw(st.sampled_from(DIRECTIVES)) + newline)
    elif kind == "backtick":  # the whole file written for the other escape character
        lines = ["# escape=`" + newline] + [_backticked(line) for line in lines]
    elif kind == "bom" and lines and not lines[0].startswith("\ufeff"):
        lines[0] = "\ufeff" + lines[0]
    elif kind == "indent":
        lines[at] = draw(st.sampled_from([" ", "\t", "  \t", "\u00a0", "\u3000"])) + lines[at]
    return lines


def _jsonified(line: str) -> str:
    """A shell-form RUN, CMD or ENTRYPOINT line in exec form (its words split at blanks)."""
    keyword, _, rest = line.rstrip("\r\n").lstrip().partition(" ")
    if keyword.upper() not in ("RUN", "CMD", "ENTRYPOINT") or not rest.strip() or rest.endswith("\\"):
        return line
    return f"{keyword} {json.dumps(rest.split(), ensure_ascii=False)}{_ending(line)}"


def _backticked(line: str) -> str:
    body = line.rstrip("\r\n")
    if body.rstrip(" \t").endswith("\\") and not body.lstrip().startswith("#"):
        body = body.rstrip(" \t")[:-1] + "`"
    return body + _ending(line)


@st.composite
def mutant(draw):
    lines = draw(st.sampled_from(TEXTS)).splitlines(keepends=True) or ["FROM alpine\n"]
    for _ in range(draw(st.integers(1, 4))):
        lines = _mutate(draw, lines, draw(st.sampled_from(KINDS)))
    return "".join(lines)


@SETTINGS
@given(mutant(), st.booleans())
def test_mutated_corpus_files_parse_like_buildkit_and_fix_to_a_fixed_point(text, unsafe):
    assert disagreement(text) is None
    try:
        tree = fixer.parse(text)
    except fixer.DockerfileError:
        return
    assert tree.to_source() == text
    for node in tree.instructions:
        shell_view(tree, node)
        for heredoc in node.heredocs:
            lex_script(heredoc.content)
    try:
        once = fixer.fix(text, unsafe_fixes=unsafe, select=["ALL"])
    except fixer.DockerfileError:
        return  # grammar accepted, but not a buildable file (unknown instruction): refused
    buildkit.parse_string(once.output)
    assert disagreement(once.output) is None
    assert fixer.fix(once.output, unsafe_fixes=unsafe, select=["ALL"]).output == once.output


def _instructions(text: str) -> list[tuple] | str:
    """BuildKit's instructions without their line numbers (or its error)."""
    found = buildkit_view(text)
    return found if isinstance(found, str) else [item[:3] + item[5:] for item in found]


USER = _instructions("USER 1\n")[0]


@SETTINGS
@given(mutant(), st.data())
def test_the_edit_helpers_remove_and_insert_exactly_what_they_say_on_mutated_files(text, data):
    before = _instructions(text)
    try:
        tree = fixer.parse(text)
    except fixer.DockerfileError:
        return
    if isinstance(before, str) or len(before) < 2 or len(before) != len(tree.instructions):
        return  # refused, too short to lose an instruction, or read otherwise (the test above says so)
    index = data.draw(st.integers(0, len(tree.instructions) - 1))
    node = tree.instructions[index]
    escape = tree.escape
    cases = [(removal(tree, node), before[:index] + before[index + 1:]),
             (insert_before(tree, node, ["USER 1"]), before[:index] + [USER] + before[index:])]
    try:
        cases.append((append_lines(tree, ["USER 1"]), before + [USER]))
    except CannotClose:  # `RUN a \\ \\` at the end: nothing can follow it, and the helper says so
        pass
    for edits, expected in cases:
        result = _applied(text, edits)
        assert _instructions(result) == expected, (edits, result)
        assert disagreement(result) is None
        assert fixer.parse(result).escape == escape


def _applied(text: str, edits) -> str:
    for edit in sorted(edits, key=lambda edit: (edit.start, edit.end), reverse=True):
        text = text[:edit.start] + edit.replacement + text[edit.end:]
    return text


@pytest.mark.parametrize("runtime", ["alpine", "scratch", "distroless"])
def test_every_corpus_file_with_every_rule_and_unsafe_fixes_stays_valid(runtime, tmp_path):
    context = BuildContext(tmp_path)
    for text in TEXTS:
        try:
            result = fixer.fix(text, select=["ALL"], unsafe_fixes=True, context=context,
                               options={"runtime_base": runtime})
        except fixer.DockerfileError:
            continue
        buildkit.parse_string(result.output)
        again = fixer.fix(result.output, select=["ALL"], unsafe_fixes=True, context=context,
                          options={"runtime_base": runtime})
        assert again.output == result.output


def _compose_texts() -> list[str]:
    texts = []
    for path in sorted((SHARED / "compose").glob("*/*")):
        if path.suffix in (".yml", ".yaml"):
            texts.append(path.read_bytes().decode("utf-8"))
    return texts or ["services: {}\n"]


COMPOSE_TEXTS = _compose_texts() if (SHARED / "compose").is_dir() else ["services: {}\n"]
COMPOSE_LINES = ["version: '3'", "    depends_on:", "      - db", "    links:", "      - db", "  db:",
                 "    healthcheck:", "      test: [CMD, true]", "    environment:", "      DB_PASSWORD: x",
                 "    privileged: true", "# a comment", "", "x-a: &a {b: 1}", "    <<: *a", "---"]


@st.composite
def compose_mutant(draw):
    lines = draw(st.sampled_from(COMPOSE_TEXTS)).splitlines(keepends=True) or ["services: {}\n"]
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        kind = draw(st.sampled_from(["delete", "duplicate", "insert", "crlf", "alias-bomb", "odd-character",
                                     "many"]))
        if kind == "delete" and len(lines) > 1:
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "insert":
            lines.insert(at, draw(st.sampled_from(COMPOSE_LINES)) + "\n")
        elif kind == "crlf":
            lines = [line.rstrip("\r\n") + "\r\n" if line.endswith("\n") else line for line in lines]
        elif kind == "alias-bomb":
            lines[at:at] = _alias_bomb(draw(st.integers(2, 10)), draw(st.integers(2, 9)))
        elif kind == "odd-character":
            character = draw(st.sampled_from(["\r", "\u2028", "\u2029", "\x85", "\x0c", "\t", "\ufeff"]))
            line = lines[at] if lines else ""
            cut = draw(st.integers(0, len(line)))
            lines[at:at + 1] = [line[:cut] + character + line[cut:]]
        elif kind == "many" and lines:
            lines[at:at + 1] = [lines[at]] * draw(st.integers(50, 400))
    return "".join(lines)


def _alias_bomb(levels: int, width: int) -> list[str]:
    """Top-level extension keys whose anchors each repeat the one before `width` times."""
    found = ["x-b0: &b0 [lol]\n"]
    for level in range(1, levels):
        found.append(f"x-b{level}: &b{level} [{', '.join([f'*b{level - 1}'] * width)}]\n")
    return found


@SETTINGS
@given(compose_mutant(), st.booleans())
def test_mutated_compose_files_are_refused_cleanly_or_fixed_to_a_fixed_point(text, unsafe):
    from fixer.engine.compose import fix_compose
    from fixer.rules import ALL_RULES
    from fixer.syntax.compose import ComposeError, load

    rules = [rule for rule in ALL_RULES if rule.kind == "compose"]
    try:
        load(text)
    except ComposeError:
        return
    result = fix_compose(text, rules=rules, unsafe_fixes=unsafe)
    load(result.output)
    assert fix_compose(result.output, rules=rules, unsafe_fixes=unsafe).output == result.output


HOSTILE_VALUES = ['"soon"', "-1", "70000", "1e400", '"/h?a=1&b=2"', '"a\\nb"', '["ALL"]', '[""]', '["DF04"]', "[1, 2]",
                  "true", '{ a = 1 }', '"${HOME}"', '"\\u2028"', '"' + "x" * 5000 + '"', "[[1]]", '"ALL"', '"none"',
                  '{ path = "/h?a=1&b=2", port = 8080 }', '{ path = "/a\\nRUN x", port = 80 }', "{ port = -5 }",
                  '{ interval = "soon", retries = -1 }', '{ DF002 = "fatal" }', '{ "Dockerfile" = ["ALL"] }']
CONFIGURATION_KEYS = ["select", "ignore", "extend-select", "unsafe-fixes", "exclude", "extend-exclude", "context",
                      "fail-level", "user", "runtime-base", "runtime-image", "healthcheck", "base-image-pins",
                      "compose-limits", "per-file-ignores", "severity", "extend", "no-such-key"]


@settings(max_examples=max(FUZZ_EXAMPLES // 3, 40), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(CONFIGURATION_KEYS), st.sampled_from(HOSTILE_VALUES), min_size=1, max_size=4))
def test_hostile_configuration_is_a_clear_error_or_works_never_a_crash(tmp_path_factory, values):
    from helpers import run

    project = tmp_path_factory.mktemp("config")
    dockerfile = project / "Dockerfile"
    dockerfile.write_text("FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n")
    (project / ".dockerfix.toml").write_text("".join(f"{key} = {value}\n" for key, value in values.items()))
    result = run("--check", str(dockerfile))
    assert result.exit_code in (0, 1, 2), result
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    if result.exit_code == 2:
        assert ".dockerfix.toml" in result.stderr, result.stderr  # the error names the file
    assert dockerfile.read_text().startswith("FROM golang:1.22\nCOPY . .\n")  # --check writes nothing
