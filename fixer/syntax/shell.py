"""The shell view of a RUN instruction: what `/bin/sh -c` receives, split into commands.

A shell-form RUN hands its joined arguments to the shell. This module lexes that string
the POSIX way (quotes, escapes, `$(...)`, backticks, `${...}`, comments, operators and
redirections) into a flat list of simple commands joined by control operators, each with
leading `VAR=value` assignments, argv words and redirections. Every token keeps its offsets
in the script, and `Script.source_span` maps them back to the Dockerfile source, so a fix
edits only the bytes it means to. Variables are never expanded.

Two bash forms are read as bash reads them, because a RUN under `SHELL ["/bin/bash", "-c"]`
uses them and a POSIX reading would cut their words apart: a process substitution
(`<(cmd)`, `>(cmd)`) is part of a word, and so is an ANSI-C quote (`$'a\\'b'`). Both mark
the word as expanding. Other bash forms (`[[ ]]`, `(( ))`, `{a,b}`, `|&`, `coproc`) are
read the POSIX way, and `&>` as dash reads it (`&`, then `>`); they never stop the lexer.

Constructs that a rule could not rewrite safely make the script `opaque` (with the reason):
`case`, function definitions, unterminated quotes, a redirection without a target (a syntax
error to any shell), heredoc RUNs and non-POSIX shells. Rules leave opaque scripts alone.

Scripts, commands, words and operators are frozen records holding tuples: a script lexed
once is shared by every RUN with the same text, in every pass of the fix loop and in
every file of a run.

We lex by hand rather than with tree-sitter-bash: the view must follow POSIX sh (what
`/bin/sh` is in Alpine and Debian images), not Bash; it needs only words and operators,
not a full grammar; and importing tree-sitter costs ~25 ms of start-up, a third of the
budget of a pre-commit run. tree-sitter-bash serves the tests instead, as a cross-check
that our command boundaries agree with a real shell grammar.
"""
from __future__ import annotations

from functools import lru_cache

from ..lazy_regex import lazy_regex
from ..records import record
from .tree import Dockerfile, Instruction, Span

OPERATOR_STARTS = frozenset("&|;()\n")
# `&>` is `&` and then `>`, as POSIX sh (dash) reads it; bash and busybox ash read one redirection
REDIRECT_STARTS = frozenset("0123456789<>")
SPECIAL_STARTS = OPERATOR_STARTS | REDIRECT_STARTS | {"#"}  # what may start something other than a word
PLAIN_RUN = lazy_regex(r"[^ \t\r\v\f\n;&|()<>\\'\"$`]+")
# a whole word (possessive: no shorter match), not followed by a quote, an expansion or a process substitution
SIMPLE_WORD = lazy_regex(r"[^ \t\r\v\f\n;&|()<>\\'\"$`]++(?![\\'\"$`]|[<>]\()")
DOUBLE_QUOTED_RUN = lazy_regex(r'[^"\\$`]+')
BALANCED_SKIP = {"(": lazy_regex(r"[^\\'\"()]*"), "{": lazy_regex(r'[^\\"{}]*')}  # what _balanced looks past
OPERATOR = lazy_regex(r"&&|\|\||;;|\|&|[;&|()\n]")
REDIRECT = lazy_regex(r"\d*(<<<|<<-|<<|>>|<&|>&|<>|>\||<|>)")
RESERVED_PREFIXES = frozenset({"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}"})
ASSIGNMENT = lazy_regex(r"[A-Za-z_][A-Za-z0-9_]*=")
PARAMETER = lazy_regex(r"[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-]")
LEX_CACHE_LIMIT = 8192  # longer scripts are lexed afresh, not kept
POSIX_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"})


@record(frozen=True, slots=True)
class Word:
    start: int            # offsets in Script.text
    end: int
    raw: str              # as written
    value: str            # quotes and escapes removed, expansions left as written
    expands: bool         # contains $..., `...`, <(...) outside single quotes


@record(frozen=True, slots=True)
class Redirect:
    operator: str
    target: Word          # a script with a redirection without a target is opaque
    start: int
    end: int


@record(frozen=True, slots=True)
class SimpleCommand:
    start: int
    end: int
    reserved: tuple[Word, ...] = ()      # if, then, do, ! ...
    assignments: tuple[Word, ...] = ()
    words: tuple[Word, ...] = ()
    redirects: tuple[Redirect, ...] = ()
    compound_header: bool = False        # for/select headers: not a command

    @property
    def name(self) -> str | None:
        return self.words[0].value if self.words else None

    @property
    def argv(self) -> list[str]:
        return [word.value for word in self.words]


@record(frozen=True, slots=True)
class Operator:
    text: str
    start: int
    end: int


OPENING_WORDS = frozenset({"if", "while", "until", "for", "select", "case"})
CLOSING_WORDS = frozenset({"fi", "done", "esac"})


@record(frozen=True, slots=True)
class Script:
    text: str
    commands: tuple[SimpleCommand, ...]
    operators: tuple[Operator, ...]    # operators[i] follows commands[i] (the last may have none)
    comment_start: int | None = None   # an unquoted `#` comments out the rest of the line
    opaque: str | None = None          # why rules must not rewrite this script
    instruction: Instruction | None = None
    offset: int = 0                    # where text starts in the instruction's logical line

    def source_span(self, start: int, end: int) -> Span:
        """Dockerfile source span of the script range [start, end)."""
        logical = self.instruction.logical  # type: ignore[union-attr]  # a script read from an instruction
        return logical.source_span(self.offset + start, self.offset + end)

    def source_offset(self, index: int) -> int:
        logical = self.instruction.logical  # type: ignore[union-attr]  # a script read from an instruction
        if index >= len(self.text):
            return logical.source_end() if self.text else self.source_span(0, 0).start
        return logical.source_offset(self.offset + index)

    def branches(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """For each command, the branches it runs in, outermost first: (block, branch) for each
        `if` (its `elif`/`else` are other branches), loop or `case` around it, and a branch of
        its own after `||`. A command runs whenever another does that shares its path up to
        the other's depth, and after it: `()` runs always."""
        stack: list[tuple[int, int]] = []
        found, blocks = [], 0
        for position, command in enumerate(self.commands):
            if command.compound_header:  # `for i in …`: its words are the header, not reserved
                blocks += 1
                stack.append((blocks, 0))
            for word in command.reserved:
                if word.value in OPENING_WORDS:
                    blocks += 1
                    stack.append((blocks, 0))
                elif word.value in ("elif", "else") and stack:
                    stack[-1] = (stack[-1][0], stack[-1][1] + 1)
                elif word.value in CLOSING_WORDS and stack:
                    stack.pop()
            path = tuple(stack)
            if 0 < position <= len(self.operators) and self.operators[position - 1].text == "||":
                blocks += 1
                path += ((blocks, 0),)
            found.append(path)
        return tuple(found)


class _Unreadable(Exception):
    """What makes a script opaque, found while lexing it."""


def lex_script(text: str) -> Script:
    """Split a shell command string into simple commands and control operators. Scripts
    lexed from the same short text are one object (the same RUN comes back in every pass of
    the fix loop, and in many files): it is frozen."""
    return _lex(text) if len(text) > LEX_CACHE_LIMIT else _lexed(text)


@lru_cache(maxsize=2048)
def _lexed(text: str) -> Script:
    return _lex(text)


def _lex(text: str) -> Script:
    lexer = _Lexer(text)
    opaque = None
    try:
        lexer.run()
    except _Unreadable as error:
        opaque = str(error)
    except RecursionError:  # `$("$("…` hundreds deep: nothing a rule should rewrite
        return Script(text, (), (), opaque="the script nests too deeply to read")
    return Script(text, tuple(lexer.commands), tuple(lexer.operators), lexer.comment_start, opaque)


def shell_view(tree: Dockerfile, instruction: Instruction) -> Script | None:
    """The shell view of a shell-form RUN (or the RUN inside ONBUILD); None for exec form."""
    target = instruction.sub or instruction
    if target.keyword != "RUN" or target.json:
        return None
    if not tree.shell_views:
        _lex_every_run(tree)
    return tree.shell_views[id(instruction)]


def command_names(tree: Dockerfile) -> frozenset[str]:
    """The names of the simple commands of every shell-form RUN (opaque scripts' too): a rule
    about `apk` has nothing to do in a file whose RUNs never run it."""
    found = tree.cache.get("shell.command_names")
    if found is None:
        if not tree.shell_views:
            _lex_every_run(tree)
        found = tree.cache["shell.command_names"] = frozenset(
            command.name for script in tree.shell_views.values() for command in script.commands if command.words)
    return found


def _lex_every_run(tree: Dockerfile) -> None:
    """Lex each shell-form RUN once, with the SHELL in effect for it (a SHELL ends at FROM)."""
    shell: tuple[str, ...] | None = None
    for node in tree.instructions:
        if node.keyword == "FROM":
            shell = None
        elif node.keyword == "SHELL" and node.json:
            shell = node.values
        target = node.sub or node
        if target.keyword != "RUN" or target.json:
            continue
        lexed = lex_script(target.arguments)
        opaque = lexed.opaque
        if shell is not None and not is_posix_shell(shell):
            opaque = f"SHELL {shell[0]} is not a POSIX shell" if shell else "SHELL [] names no shell"
        elif target.heredocs:
            opaque = "the RUN uses a heredoc"
        tree.shell_views[id(node)] = Script(lexed.text, lexed.commands, lexed.operators, lexed.comment_start,
                                            opaque, node, target.arguments_start)


def is_posix_shell(shell: tuple[str, ...]) -> bool:
    return bool(shell) and shell[0].rsplit("/", 1)[-1].lower() in POSIX_SHELLS


class _Command:
    """A simple command while the lexer reads it (frozen into a SimpleCommand at its end)."""

    __slots__ = ("start", "end", "reserved", "assignments", "words", "redirects", "compound_header")

    def __init__(self, start: int):
        self.start = self.end = start
        self.reserved: list[Word] = []
        self.assignments: list[Word] = []
        self.words: list[Word] = []
        self.redirects: list[Redirect] = []
        self.compound_header = False

    def frozen(self) -> SimpleCommand:
        return SimpleCommand(self.start, self.end, tuple(self.reserved), tuple(self.assignments), tuple(self.words),
                             tuple(self.redirects), self.compound_header)


class _Lexer:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.commands: list[SimpleCommand] = []
        self.operators: list[Operator] = []
        self.comment_start: int | None = None
        self.command: _Command | None = None
        self.pending_redirect: tuple[str, int, int] | None = None  # (operator, start, end) awaiting its target

    def run(self) -> None:
        text, size = self.text, len(self.text)
        while self.pos < size:
            ch = text[self.pos]
            if ch in " \t\r\v\f":
                self.pos += 1
            elif ch not in SPECIAL_STARTS:
                self._word()
            elif ch == "#":
                self.comment_start = self.pos
                break
            elif self._operator():
                continue
            elif self._redirect():
                continue
            else:
                self._word()
        self._no_pending_redirect()
        self._finish_command()

    def _operator(self) -> bool:
        if self.text[self.pos] not in OPERATOR_STARTS:
            return False
        op = OPERATOR.match(self.text, self.pos).group()
        self._no_pending_redirect()
        if op == ";;":
            raise _Unreadable("the RUN uses a case statement")
        if op == "(" and self.command and self.command.words and not self.command.redirects:
            raise _Unreadable("the RUN defines a shell function")
        self._finish_command()
        self.operators.append(Operator(op, self.pos, self.pos + len(op)))
        self.pos += len(op)
        return True

    def _redirect(self) -> bool:
        if self.text[self.pos] not in REDIRECT_STARTS:
            return False
        match = REDIRECT.match(self.text, self.pos)
        if not match or match.group(1) in ("<", ">") and self.text.startswith("(", match.end()):
            return False  # not a redirection, or bash's process substitution: a word
        self._no_pending_redirect()
        command = self._current(self.pos)
        self.pending_redirect = (match.group(1), self.pos, match.end())
        command.end = match.end()
        self.pos = match.end()
        return True

    def _no_pending_redirect(self) -> None:
        """Something other than a word follows a redirection operator (or nothing does): every
        shell refuses the script."""
        if self.pending_redirect is not None:
            raise _Unreadable(f"a redirection ({self.pending_redirect[0]}) has no target")

    def _word(self) -> None:
        start = self.pos
        simple = SIMPLE_WORD.match(self.text, start)
        if simple:  # most words: no quotes, escapes or expansions
            self.pos = simple.end()
            raw = simple.group()
            word = Word(start, self.pos, raw, raw, False)
        else:
            value, expands = self._scan_word()
            word = Word(start, self.pos, self.text[start:self.pos], value, expands)
        command = self.command or self._current(start)
        command.end = word.end
        if self.pending_redirect is not None:
            operator, redirect_start, _ = self.pending_redirect
            self.pending_redirect = None
            command.redirects.append(Redirect(operator, word, redirect_start, word.end))
        elif command.words or command.compound_header:
            command.words.append(word)
        elif not command.assignments and word.raw in RESERVED_PREFIXES:
            command.reserved.append(word)
        elif word.raw in ("for", "select", "case"):
            if word.raw == "case":
                raise _Unreadable("the RUN uses a case statement")
            command.compound_header = True
            command.words.append(word)
        elif ASSIGNMENT.match(word.raw):
            command.assignments.append(word)
        else:
            command.words.append(word)

    def _current(self, start: int) -> _Command:
        if self.command is None:
            self.command = _Command(start)
        return self.command

    def _finish_command(self) -> None:
        command = self.command
        if command is not None:
            self.commands.append(command.frozen())
        elif self.operators and len(self.operators) > len(self.commands):
            # keep operators[i] paired with commands[i]: an empty slot for a leading operator
            self.commands.append(SimpleCommand(self.pos, self.pos))
        self.command = None

    def _scan_word(self) -> tuple[str, bool]:
        text = self.text
        out: list[str] = []
        expands = False
        while self.pos < len(text):
            plain = PLAIN_RUN.match(text, self.pos)
            if plain:  # the common case: a run of characters that mean nothing special
                out.append(plain.group())
                self.pos = plain.end()
                continue
            ch = text[self.pos]
            if ch in "<>" and text.startswith("(", self.pos + 1):  # bash's process substitution
                out.append(self._process_substitution())
                expands = True
                continue
            if ch in " \t\r\v\f\n;&|()<>":
                break
            if ch == "\\":
                out.append(text[self.pos + 1:self.pos + 2])
                self.pos += 2
            elif ch == "'":
                end = text.find("'", self.pos + 1)
                if end < 0:
                    raise _Unreadable("unterminated single quote")
                out.append(text[self.pos + 1:end])
                self.pos = end + 1
            elif ch == '"':
                inner, inner_expands = self._double_quoted()
                out.append(inner)
                expands |= inner_expands
            elif ch == "$" and text.startswith("'", self.pos + 1):
                out.append(self._ansi_c_quoted())
                expands = True
            elif ch == "$" or ch == "`":
                out.append(self._expansion())
                expands = True
            else:
                out.append(ch)
                self.pos += 1
        return "".join(out), expands

    def _process_substitution(self) -> str:
        """Skip bash's `<(...)` or `>(...)` at the cursor and return it as written."""
        start = self.pos
        self.pos = self._balanced(self.pos + 1, "(", ")")
        return self.text[start:self.pos]

    def _ansi_c_quoted(self) -> str:
        """Skip bash's `$'...'` at the cursor (a backslash escapes the next character, a quote
        too) and return it as written: its value depends on the shell."""
        text, start = self.text, self.pos
        end = self.pos + 2
        while end < len(text) and text[end] != "'":
            end += 2 if text[end] == "\\" else 1
        if end >= len(text):
            raise _Unreadable("unterminated $' quote")
        self.pos = end + 1
        return text[start:self.pos]

    def _double_quoted(self) -> tuple[str, bool]:
        text = self.text
        self.pos += 1
        out: list[str] = []
        expands = False
        while self.pos < len(text):
            plain = DOUBLE_QUOTED_RUN.match(text, self.pos)
            if plain:
                out.append(plain.group())
                self.pos = plain.end()
                if self.pos >= len(text):
                    break
            ch = text[self.pos]
            if ch == '"':
                self.pos += 1
                return "".join(out), expands
            if ch == "\\":
                nxt = text[self.pos + 1:self.pos + 2]
                out.append(nxt if nxt in '$`"\\' else ch + nxt)
                self.pos += 2
            elif ch == "$" or ch == "`":
                out.append(self._expansion())
                expands = True
            else:
                out.append(ch)
                self.pos += 1
        raise _Unreadable("unterminated double quote")

    def _expansion(self) -> str:
        """Skip the expansion at the cursor and return it as written."""
        start = self.pos
        self._skip_expansion()
        return self.text[start:self.pos]

    def _skip_expansion(self) -> None:
        text = self.text
        if text[self.pos] == "`":
            end = self.pos + 1
            while end < len(text) and text[end] != "`":
                end += 2 if text[end] == "\\" else 1
            if end >= len(text):
                raise _Unreadable("unterminated backquote")
            self.pos = end + 1
            return
        nxt = text[self.pos + 1:self.pos + 2]
        if nxt == "(":
            self.pos = self._balanced(self.pos + 1, "(", ")")
        elif nxt == "{":
            self.pos = self._balanced(self.pos + 1, "{", "}")
        else:
            self.pos += 1
            match = PARAMETER.match(text, self.pos)
            if match:
                self.pos = match.end()

    def _balanced(self, pos: int, opening: str, closing: str) -> int:
        """Offset just past the bracket that closes the one at `pos`, skipping quotes."""
        text = self.text
        depth = 0
        skip = BALANCED_SKIP[opening]
        while pos < len(text):
            pos = skip.match(text, pos).end()
            if pos >= len(text):
                break
            ch = text[pos]
            if ch == "\\":
                pos += 2
                continue
            if ch == "'" and opening == "(":
                end = text.find("'", pos + 1)
                if end < 0:
                    break
                pos = end + 1
                continue
            if ch == '"':
                saved = self.pos
                self.pos = pos
                self._double_quoted()
                pos, self.pos = self.pos, saved
                continue
            if ch == opening:
                depth += 1
            elif ch == closing:
                depth -= 1
                if depth == 0:
                    return pos + 1
            pos += 1
        raise _Unreadable(f"unterminated {'$(' if opening == '(' else '${'}")
