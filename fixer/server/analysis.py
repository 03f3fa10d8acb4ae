"""What the language server knows of one version of a buffer: its findings, each with its own
fix (edits on the buffer's text, not the file on disk), the text with every fix the settings
allow, or the error that keeps dockerfix from reading it. Nothing here speaks LSP
(fixer.server.lsp translates), and nothing here is thread-safe: the server runs it in one
worker thread.

The findings are those of one check of the buffer as it is, as an editor shows them (a
few milliseconds); the fixed text is the command line's whole fix loop (`dockerfix
--write`), run only when asked for, and so are unused suppressions (DF000): a suppression
is only known to be unused once the fixes that may bring its finding about have been made.
"""
from __future__ import annotations

import functools
import os

from ..config import ConfigError
from ..context import BuildContext, find_build_context
from ..engine import FixError, apply_fixes, check, fix, read, read_directive, trailing_comment
from ..files import is_compose_name, is_dockerfile_name
from ..records import field, record
from ..rules import Diagnostic, Edit, FileChange
from ..rules.unused_suppression import RULE as UNUSED
from ..run import Overrides, SettingsFinder, rules_for
from ..syntax import DockerfileError
from ..syntax.tree import Comment, Instruction, line_starts

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; type checkers take it as true
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ..engine import FixResult

DOCKERFILE, COMPOSE = "dockerfile", "compose"
DOCKERFILE_LANGUAGES = frozenset({"dockerfile", "containerfile"})
COMPOSE_LANGUAGES = frozenset({"dockercompose", "docker-compose", "yaml.docker-compose"})


def kind_of(path: str | None, language: str) -> str | None:
    """DOCKERFILE, COMPOSE, or None for a buffer dockerfix leaves alone. A YAML file counts as
    Compose by its name or its language only: an editor opens every YAML file, and on the
    command line only one named outright is read as Compose."""
    name = os.path.basename(path) if path else ""
    if is_compose_name(name) or language.lower() in COMPOSE_LANGUAGES:
        return COMPOSE
    if is_dockerfile_name(name) or language.lower() in DOCKERFILE_LANGUAGES:
        return DOCKERFILE
    return None


@record
class Problem:
    """A finding, or an error, and the text it is about (offsets of the analysed text)."""

    start: int
    end: int
    message: str                          # what is wrong (the fix, and why it is unsafe or missing, are apart)
    diagnostic: Diagnostic | None = None  # None: the file cannot be read (its syntax, its configuration)

    @property
    def fix(self):
        return self.diagnostic.fix if self.diagnostic else None


@record
class Analysis:
    path: str
    text: str
    kind: str
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True      # false: the text does not parse, so nothing is offered to fix it
    parsed: Any = None         # the Dockerfile tree or the Compose document
    fixing: Callable[[], FixResult] | None = None  # runs the command line's fix loop on the text: see fix_all
    fixed: "Fixed | None" = None


@record
class Fixed:
    """The text and the other files as `dockerfix --write` leaves them, or why it cannot fix them."""

    text: str | None = None
    files: list[FileChange] = field(default_factory=list)
    remaining: list[Diagnostic] = field(default_factory=list)
    error: str = ""


def fix_all(analysis: Analysis) -> Fixed:
    """The command line's whole fix loop on the analysed text: run when first asked for (it
    takes several checks, each as long as the one that found the problems), then kept."""
    if analysis.fixed is None:
        if analysis.fixing is None:  # a file the configuration leaves out
            analysis.fixed = Fixed(analysis.text)
        else:
            try:
                result = analysis.fixing()
                analysis.fixed = Fixed(result.output, list(result.files), result.remaining)
            except (FixError, DockerfileError) as error:
                analysis.fixed = Fixed(error=str(error))
            except Exception as error:  # noqa: BLE001 - as the command line: a bug keeps the file as it was
                analysis.fixed = Fixed(error=f"internal error: {error.__class__.__name__}: {error} (please report it)")
    return analysis.fixed


class Analyzer:
    """Analyses buffers with the configuration and build context the command line would use.
    What it knows of the disk (configuration files, go.mod, Go sources) it keeps until `refresh`."""

    def __init__(self):
        self.finder = SettingsFinder(Overrides())

    def refresh(self) -> None:
        """Look at the disk afresh (a file was opened or saved: the project may have changed)."""
        from .. import config
        from ..context import compose_tool, discovery, goprogram, project

        config.forget_directories()
        discovery.forget_directories()
        project.forget_projects()
        goprogram.forget_programs()
        compose_tool.forget()
        self.finder = SettingsFinder(Overrides())

    def analyze(self, path: str, text: str, kind: str, on_disk: bool = True) -> Analysis:
        """`path`: where the file is (for an unsaved new buffer, where it would be: then
        `on_disk` is false and no build context is looked for, as for standard input)."""
        analysis = Analysis(path, text, kind)
        try:
            if self.finder.excluded(path, with_ancestors=True):
                return analysis  # as `dockerfix --force-exclude`: the configuration leaves it out
            settings = self.finder.for_path(path)
        except ConfigError as error:
            _unreadable(analysis, f"configuration: {error}", 1)
            return analysis
        try:
            if kind == COMPOSE:
                _compose(analysis, settings)
            else:
                _dockerfile(analysis, settings, on_disk)
        except DockerfileError as error:  # ComposeError too
            _unreadable(analysis, error.message, error.line)
        return analysis


def _unreadable(analysis: Analysis, message: str, line: int) -> None:
    analysis.readable = False
    starts = _line_starts(analysis, None)
    start, end = _line_span(analysis.text, starts, line or 1, line or 1)
    analysis.problems = [Problem(start, end, message)]


def _dockerfile(analysis: Analysis, settings, on_disk: bool) -> None:
    text, path = analysis.text, analysis.path
    tree = analysis.parsed = read(text, DOCKERFILE)
    context: BuildContext | None
    if settings.context:
        context = BuildContext(os.path.abspath(settings.context), os.path.abspath(path), settings.context_how)
    else:
        context = find_build_context(path, tree) if on_disk else None
    rules, options = rules_for(settings, DOCKERFILE), settings.rule_options()
    analysis.fixing = functools.partial(fix, text, rules=rules, unsafe_fixes=settings.unsafe_fixes, context=context,
                                        options=options, tree=tree)
    found = check(tree, rules, context, options, report_unused=True)
    if any(diagnostic.rule is UNUSED for diagnostic in found):
        # A suppression may be for a finding that only comes once other fixes are made: which
        # ones suppress nothing, the command line says after its whole fix loop.
        fixed = fix_all(analysis)
        if not fixed.error:
            found = [d for d in found if d.rule is not UNUSED] + [_at_source(d) for d in fixed.remaining
                                                                  if d.rule is UNUSED]
    _add(analysis, found, tree)


def _at_source(diagnostic: Diagnostic) -> Diagnostic:
    """A diagnostic of the fixed text, placed where it is in the text as it was."""
    diagnostic.line = diagnostic.end_line = diagnostic.source_line
    return diagnostic


def _compose(analysis: Analysis, settings) -> None:
    text = analysis.text
    document = analysis.parsed = read(text, COMPOSE)
    rules, options = rules_for(settings, COMPOSE), settings.rule_options()
    context = os.path.dirname(os.path.abspath(analysis.path))
    analysis.fixing = functools.partial(fix, text, kind=COMPOSE, rules=rules, unsafe_fixes=settings.unsafe_fixes,
                                        options=options, context=context, tree=document)
    _add(analysis, check(document, rules, context, options, kind=COMPOSE), document)


def _add(analysis: Analysis, diagnostics: list[Diagnostic], parsed) -> None:
    starts = _line_starts(analysis, parsed)
    for diagnostic in sorted(diagnostics, key=lambda d: (d.line, d.rule.id)):
        start, end = _line_span(analysis.text, starts, diagnostic.line or 1, diagnostic.end_line or 1)
        analysis.problems.append(Problem(start, end, diagnostic.message, diagnostic))


def _line_starts(analysis: Analysis, parsed) -> list[int]:
    """Where the lines the rules count start: a Dockerfile's end at `\\n`; a Compose file's
    where its YAML library ends them."""
    if analysis.kind == COMPOSE:
        if parsed is not None:
            return parsed.line_starts
        from ..syntax.compose import yaml_line_starts

        return yaml_line_starts(analysis.text)
    return line_starts(analysis.text)


def _line_span(text: str, starts: list[int], first: int, last: int) -> tuple[int, int]:
    """From the first non-blank character of line `first` to the end of line `last`'s content."""
    first = max(1, min(first, len(starts)))
    last = max(first, min(last, len(starts)))
    start = starts[first - 1]
    end = starts[last] if last < len(starts) else len(text)
    while end > start and text[end - 1] in "\r\n\x85\u2028\u2029":
        end -= 1
    while start < end and text[start] in " \t\ufeff":
        start += 1
    return start, end


# --- One fix at a time ---------------------------------------------------------------------

def fixed_alone(analysis: Analysis, problem: Problem) -> str | None:
    """The text with this one problem's fix made, or None when the result does not read
    (BuildKit's grammar, or as a Compose file): a fix is only offered when it is whole."""
    new_text, _ = apply_fixes(analysis.text, [problem.diagnostic])  # type: ignore[list-item]  # one with a fix
    return new_text if _reads(analysis, new_text) else None


def _reads(analysis: Analysis, text: str) -> bool:
    try:
        read(text, analysis.kind)
    except DockerfileError:
        return False
    return True


# --- Suppressing a rule here ----------------------------------------------------------------

def suppression(analysis: Analysis, problem: Problem) -> Edit | None:
    """The edit that suppresses the problem's rule where it is: a `# dockerfix: ignore=ID` line
    above its instruction (or, in a Compose file, its line), or the rule added to such a line
    already there. None where a suppression cannot say it (an unused suppression itself, a
    finding outside any instruction, a line inside a multi-line YAML value)."""
    diagnostic = problem.diagnostic
    if diagnostic is None or diagnostic.rule is UNUSED or not analysis.readable:
        return None
    if analysis.kind == COMPOSE:
        return _compose_suppression(analysis, diagnostic)
    return _dockerfile_suppression(analysis, diagnostic)


def _dockerfile_suppression(analysis: Analysis, diagnostic: Diagnostic) -> Edit | None:
    tree = analysis.parsed
    nodes = tree.nodes
    index = next((i for i, node in enumerate(nodes) if isinstance(node, Instruction)
                  and node.start_line <= diagnostic.line <= node.end_line), None)
    if index is None:
        return None
    above = nodes[index - 1] if index else None
    if isinstance(above, Comment):
        edit = _extended(analysis.text, above.span.start, read_directive(above.text), diagnostic.rule.id)
        if edit is not None:
            return edit
    start = line_starts(analysis.text)[nodes[index].start_line - 1]
    return Edit(start, start, f"{_indent(analysis.text, start)}# dockerfix: ignore={diagnostic.rule.id}{tree.newline}")


def _compose_suppression(analysis: Analysis, diagnostic: Diagnostic) -> Edit | None:
    document, text = analysis.parsed, analysis.text
    starts = document.line_starts
    if not 1 <= diagnostic.line <= len(starts):
        return None
    start = starts[diagnostic.line - 1]
    edit = None
    if diagnostic.line > 1:
        above = text[starts[diagnostic.line - 2]:start].strip()
        content, comment = trailing_comment(above)
        if not content and comment:
            comment_start = text.index("#", starts[diagnostic.line - 2])
            edit = _extended(text, comment_start, read_directive(comment), diagnostic.rule.id)
    if edit is None:
        edit = Edit(start, start, f"{_indent(text, start)}# dockerfix: ignore={diagnostic.rule.id}{document.newline}")
    # Inside a block scalar the `#` line would be part of the value: a comment changes no data.
    try:
        unchanged = read(text[:edit.start] + edit.replacement + text[edit.end:], COMPOSE).data == document.data
    except DockerfileError:
        unchanged = False
    return edit if unchanged else None


def _extended(text: str, comment_start: int, directive, rule_id: str) -> Edit | None:
    """`# dockerfix: ignore=A` at `comment_start`, rewritten to name `rule_id` too; None when the
    comment is no such suppression (or one for every rule, or one that names it already)."""
    if directive is None or directive.kind != "ignore" or directive.problem or directive.every_rule \
            or rule_id in directive.rules:
        return None
    end = comment_start
    while end < len(text) and text[end] not in "\r\n":
        end += 1
    comment = text[comment_start:end].rstrip(" \t")
    return Edit(comment_start, comment_start + len(comment), f"{comment.rstrip(', ')},{rule_id}")


def _indent(text: str, start: int) -> str:
    end = start
    while end < len(text) and text[end] in " \t":
        end += 1
    return text[start:end]
