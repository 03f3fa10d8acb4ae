"""The fix loop, one for every kind of file: check, apply the fixes that do not overlap,
re-read, repeat.

After every pass the new text must read as its kind of file (a Dockerfile: BuildKit's
grammar and its checks; a Compose file: the YAML library and Compose's top level); if it
does not, the whole run is abandoned with an error naming the rules whose fixes broke it,
and the caller keeps the original text. The loop stops when a pass has nothing to apply;
a file still changing after MAX_PASSES passes is an error too. Suppression comments are
read afresh in every pass, and every diagnostic says where its line was in the original.

What differs between kinds is a FileKind: how to read the text, the checker its rules get,
its suppressions, where its lines start. DOCKERFILE is here; COMPOSE (fixer.engine.compose)
is imported only when a Compose file is fixed.
"""
from __future__ import annotations

import bisect
from collections.abc import Callable

from ..records import field, record
from ..rules import SAFE, Diagnostic, FileChange, Rule, merge_file_changes, resolve
from ..rules.base import Checker
from ..syntax import DockerfileError, parse
from ..syntax.edits import CannotClose
from ..syntax.tree import Comment, Dockerfile, Span, line_starts
from ..syntax.validate import validate
from . import suppression

MAX_PASSES = 10


class FixError(Exception):
    """Fixing went wrong; the original file must be kept. Names the rules involved."""

    def __init__(self, message: str, rules: list[Rule], line: int = 0):
        names = ", ".join(sorted({f"{rule.id} ({rule.name})" for rule in rules}))
        super().__init__(f"{message}: {names}" if names else message)
        self.rules = rules
        self.line = line


@record
class FixResult:
    source: str
    output: str
    applied: list[Diagnostic] = field(default_factory=list)     # diagnostics whose fix was applied
    remaining: list[Diagnostic] = field(default_factory=list)   # what is left in the output
    files: list[FileChange] = field(default_factory=list)       # other files of the context to change

    @property
    def changed(self) -> bool:
        return self.output != self.source or bool(self.files)


@record(frozen=True)
class FileKind:
    """What the fix loop needs to know of a kind of file."""

    name: str                                   # the `Rule.kind` of the rules that read it
    read: Callable                              # (text) -> parse; DockerfileError
    validate: Callable                          # (parse) -> None: one the caller made, checked as `read` checks
    checker: Callable                           # (parse, context, options) -> what its rules read
    suppressions: Callable                      # (parse) -> [suppression.Suppression]
    line_starts: Callable[[str], list[int]]     # where the lines the rules count start
    refused: str                                # what a text `read` refuses is: "BuildKit rejects"
    detail: Callable = str                      # (DockerfileError) -> what it says in a FixError


def parse_valid(text: str) -> Dockerfile:
    """A Dockerfile's tree, refused (DockerfileError) where BuildKit would refuse to build it."""
    tree = parse(text)
    validate(tree)
    return tree


DOCKERFILE = FileKind("dockerfile", parse_valid, validate, Checker, suppression.suppressions, line_starts,
                      "BuildKit rejects")


def file_kind(name: str) -> FileKind:
    """The kind of file named as rules name it ("dockerfile" or "compose")."""
    if name == DOCKERFILE.name:
        return DOCKERFILE
    if name == "compose":
        from .compose import COMPOSE  # the YAML library and the Compose rules only for Compose files

        return COMPOSE
    raise ValueError(f"no such kind of file: {name!r} (dockerfile or compose)")


def read(text: str, kind: str = "dockerfile"):
    """`text` read as a file of `kind`: a Dockerfile tree or a Compose document. Raises
    DockerfileError (ComposeError for Compose) for a file that kind cannot be."""
    return file_kind(kind).read(text)


def check(tree, rules: list[Rule], context=None, options: dict | None = None, report_unused: bool = False,
          usage: dict | None = None, *, kind: str = "dockerfile") -> list[Diagnostic]:
    """The diagnostics of `rules` on `tree` (what `read` gives for `kind`), less those a
    suppression comment covers, in line order; and, when asked and DF000 is among the
    rules, one for each suppression that covered nothing (`usage`: what the suppressions
    covered in earlier passes, carried over)."""
    return _check(file_kind(kind), tree, rules, context, options, report_unused, usage)


def _check(kind: FileKind, parsed, rules: list[Rule], context, options: dict | None, report_unused: bool,
           usage: dict | None) -> list[Diagnostic]:
    checker = kind.checker(parsed, context, options or {})
    found = kind.suppressions(parsed)
    diagnostics = suppression.apply([d for rule in rules for d in _rule_diagnostics(rule, checker)], found, usage)
    unused_rule = next((rule for rule in rules if rule.id == suppression.UNUSED_SUPPRESSION), None)
    if report_unused and unused_rule is not None:
        diagnostics += _unused(checker, unused_rule, found, {rule.id for rule in rules})
    diagnostics.sort(key=lambda diagnostic: (diagnostic.line, diagnostic.rule.id))
    return diagnostics


def _rule_diagnostics(rule: Rule, checker) -> list[Diagnostic]:
    """What `rule` finds. A fix that would need a line after a last instruction which no line
    can follow (syntax.edits.CannotClose) becomes a finding without a fix: the file is still
    checked, and nothing is swallowed into that instruction."""
    found: list[Diagnostic] = []
    try:
        for diagnostic in rule.check(checker):
            found.append(diagnostic)
    except CannotClose as error:
        node = Comment(Span(0, 0), error.line or 1, error.line or 1)
        found.append(checker.report(rule, node, "a fix would add a line after the last instruction, and no line "
                                    "can follow it", reason=error.message))
    return found


def _unused(checker, unused_rule: Rule, found, running: set[str]) -> list[Diagnostic]:
    unused = []
    for item in found:
        if item.from_hadolint:
            continue
        node = Comment(Span(0, 0), item.line, item.line)
        if item.problem:
            unused.append(checker.report(unused_rule, node, item.problem))
        if item.rules:
            idle = sorted((item.rules & running) - item.used)
        else:
            idle = ["any rule"] if item.every_rule and not item.used else []
        if idle:
            unused.append(checker.report(unused_rule, node, f"{', '.join(idle)} reports nothing here: "
                                                            "remove the suppression"))
    return unused


def fix(text: str, *, kind: str = "dockerfile", select: list[str] | None = None, ignore: list[str] | None = None,
        unsafe_fixes: bool = False, context=None, options: dict | None = None, rules: list[Rule] | None = None,
        tree=None) -> FixResult:
    """Fix `text`, a file of `kind` ("dockerfile" or "compose"; `tree`: what `read` gives for
    it, when the caller has it). `rules` (else those `select` and `ignore` name) of other
    kinds are left out. Raises DockerfileError (ComposeError) for bad input and FixError
    when fixing fails."""
    file = file_kind(kind)
    rules = [rule for rule in (rules if rules is not None else resolve(select, ignore, file.name))
             if rule.kind == file.name or rule.id == suppression.UNUSED_SUPPRESSION]
    if tree is None:
        tree = file.read(text)
    else:
        file.validate(tree)
    result = FixResult(text, text)
    seen = {text}
    usage: dict = {}
    history = _History(text, file.line_starts)
    for _ in range(MAX_PASSES):
        # Unused suppressions are only final in the pass that applies nothing; they carry no fix,
        # so reporting them in every pass costs nothing and saves running the rules again.
        diagnostics = _check(file, tree, rules, context, options, True, usage)
        history.place(diagnostics, result.output)
        fixes = [d for d in diagnostics if d.fix and d.fix.edits and (unsafe_fixes or d.fix.applicability == SAFE)]
        if not fixes:
            _take_file_changes(result, diagnostics, unsafe_fixes)
            return result
        tree, used = _next_pass(result, fixes, seen, file)
        history.passes.append(_Pass(edit for d in used for edit in d.fix.edits))
    raise FixError(f"fixes did not settle after {MAX_PASSES} passes", [d.rule for d in fixes], _first_line(fixes))


def _next_pass(result: FixResult, fixes: list[Diagnostic], seen: set[str], file: FileKind):
    """Apply the fixes that do not overlap, read the new text and record it; returns what was
    read and the fixes used. Output the kind refuses, and text seen before (fixes undoing
    each other), are a FixError naming the rules."""
    new_text, used = apply_fixes(result.output, fixes)
    try:
        parsed = file.read(new_text)
    except DockerfileError as error:
        raise FixError(f"fixes made a file {file.refused} ({file.detail(error)})", [d.rule for d in used],
                       _first_line(used)) from None
    if new_text in seen:
        raise FixError("fixes undo each other", [d.rule for d in used], _first_line(used))
    seen.add(new_text)
    result.output = new_text
    result.applied.extend(used)
    return parsed, used


class _History:
    """The edits of every pass, to say where a line of a later pass's text was originally
    (`line_starts`: where the lines the rules count start in a text)."""

    def __init__(self, original: str, line_starts: Callable[[str], list[int]]):
        self.original = original
        self.line_starts = line_starts
        self.original_starts: list[int] | None = None  # read when a later pass has something to place
        self.passes: list[_Pass] = []

    def place(self, diagnostics: list[Diagnostic], text: str) -> None:
        if not self.passes or not diagnostics:
            return
        if self.original_starts is None:
            self.original_starts = self.line_starts(self.original)
        starts = self.line_starts(text)
        for diagnostic in diagnostics:
            offset = starts[min(diagnostic.line, len(starts)) - 1] if diagnostic.line > 0 else 0
            for edits in reversed(self.passes):
                offset = edits.before(offset)
            diagnostic.source_line = bisect.bisect_right(self.original_starts, offset)


class _Pass:
    """The edits of one pass, in order, with where each starts in the text after them and how
    far they moved the text that follows them."""

    def __init__(self, edits) -> None:
        self.edits = sorted(edits, key=lambda edit: (edit.start, edit.end))
        self.moved_starts: list[int] = []
        self.shifts: list[int] = []
        shift = 0
        for edit in self.edits:
            self.moved_starts.append(edit.start + shift)
            shift += len(edit.replacement) - (edit.end - edit.start)
            self.shifts.append(shift)

    def before(self, offset: int) -> int:
        """Where `offset` of the text after the edits was before them (inside a replacement: its
        start). Only the last edit starting at or before `offset` can hold it: the moved starts
        are in order, and an edit's replacement ends where the next one starts, or before."""
        index = bisect.bisect_right(self.moved_starts, offset) - 1
        if index < 0:
            return offset
        edit = self.edits[index]
        if offset < self.moved_starts[index] + len(edit.replacement):
            return edit.start
        return offset - self.shifts[index]


def _take_file_changes(result: FixResult, diagnostics: list[Diagnostic], unsafe_fixes: bool) -> None:
    """Once the Dockerfile is settled, the fixes that change other files are applied as well."""
    for diagnostic in diagnostics:
        fix = diagnostic.fix
        if fix and fix.files and not fix.edits and (unsafe_fixes or fix.applicability == SAFE):
            result.applied.append(diagnostic)
        else:
            result.remaining.append(diagnostic)
    result.files = changed_files(result.applied)


def changed_files(applied: list[Diagnostic]) -> list[FileChange]:
    """The other files the applied fixes change, one change per file."""
    merged = merge_file_changes(change for d in applied if d.fix for change in d.fix.files)
    return [change for change in merged.values() if change.after != (change.before or "")]


def _first_line(diagnostics: list[Diagnostic]) -> int:
    return min((d.line for d in diagnostics), default=0)


def _fix_order(diagnostic: Diagnostic) -> tuple[int, str]:
    return diagnostic.fix.start, diagnostic.rule.id  # type: ignore[union-attr]  # apply_fixes: each has a fix


def apply_fixes(text: str, diagnostics: list[Diagnostic]) -> tuple[str, list[Diagnostic]]:
    """Apply, in source order, every fix that touches nothing an earlier one touched.

    A fix that overlaps (or inserts where another already edits) waits for the next pass,
    when it is computed again on the new text.
    """
    taken: list[tuple[int, int]] = []  # sorted
    used: list[Diagnostic] = []
    for diagnostic in sorted(diagnostics, key=_fix_order):
        spans = [(edit.start, edit.end) for edit in diagnostic.fix.edits]  # type: ignore[union-attr]  # each has a fix
        if any(_overlaps_taken(span, taken) for span in spans):
            continue
        for span in spans:
            bisect.insort(taken, span)
        used.append(diagnostic)
    edits = sorted((edit for d in used for edit in d.fix.edits),  # type: ignore[union-attr]  # each has a fix
                   key=lambda edit: (edit.start, edit.end))
    pieces: list[str] = []
    position = 0
    for edit in edits:
        pieces.append(text[position:edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces), used


def _overlaps_taken(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    """Whether `span` overlaps one of the sorted spans `taken`. Those do not overlap each other,
    so their ends are sorted too, and only the ones that start before `span` ends and end after
    it starts (a run of neighbours, found by bisection) can overlap it."""
    first = bisect.bisect_left(taken, span[0], key=lambda other: other[1])
    last = bisect.bisect_right(taken, span[1], key=lambda other: other[0])
    return any(_overlaps(span, other) for other in taken[first:last])


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # an insertion collides with anything at its point
        return b[0] <= a[0] <= b[1] or a[0] <= b[0] <= a[1]
    return a[0] < b[1] and b[0] < a[1]
