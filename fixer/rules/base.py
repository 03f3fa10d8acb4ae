"""What a rule is and what it returns: diagnostics, each with an optional fix of source edits."""
from __future__ import annotations

from collections.abc import Callable, Iterable  # not typing (docs/performance.md, imports on demand)
from functools import cached_property

from ..records import field, record
from ..syntax.edits import Edit
from ..syntax.tree import Dockerfile, Node

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; type checkers take it as true
if TYPE_CHECKING:
    from ..context import BuildContext
    from ..syntax.compose import ComposeDocument
    from .compose.support import Where
    from .semantic import SemanticIndex

SAFE = "safe"      # applied by default
UNSAFE = "unsafe"  # applied only with --unsafe-fixes
MIXED = "mixed"    # a rule's fix is safe in some cases and unsafe in others, each saying why
NO_FIX = "none"    # the rule only reports: what it finds is for the file's owners to decide

# How much a finding matters, most first: `--fail-level` gates on it, the reports show it
ERROR = "error"      # the image or file is wrong or leaks: a secret, a broken reference, a typo'd suppression
WARNING = "warning"  # a real cost to security, size or correctness that should be fixed
INFO = "info"        # advice that may not apply: what the build or the orchestrator may do instead
STYLE = "style"      # how the file reads: no effect on the image
SEVERITIES = (ERROR, WARNING, INFO, STYLE)


def at_least(severity: str, level: str) -> bool:
    """Whether `severity` is `level` or more severe (`level` "none": never)."""
    return level in SEVERITIES and SEVERITIES.index(severity) <= SEVERITIES.index(level)


@record(frozen=True)
class FileChange:
    """A change to another file of the build context (`.dockerignore`): its whole new text.

    `merge` combines two changes to the same file proposed for different Dockerfiles, so
    that what one needs is not taken away by the other.
    """

    path: str
    before: str | None             # None: the file does not exist yet
    after: str
    merge: Callable[["FileChange", "FileChange"], "FileChange"] | None = None


def merge_file_changes(changes) -> dict[str, FileChange]:
    """One change per file: changes to the same file combined with their `merge`."""
    merged: dict[str, FileChange] = {}
    for change in changes:
        earlier = merged.get(change.path)
        merged[change.path] = earlier.merge(earlier, change) if earlier and earlier.merge else change
    return merged


@record(frozen=True, slots=True)
class Fix:
    """Edits of the Dockerfile and changes to other files, applied together or not at all.
    Its applicability is said where the fix is made: there is no default."""

    edits: tuple[Edit, ...]
    applicability: str
    files: tuple[FileChange, ...] = ()

    @property
    def start(self) -> int:
        return min((edit.start for edit in self.edits), default=0)


@record(slots=True)
class Diagnostic:
    """What a rule found. `message` says what is wrong; `reason` why the fix is unsafe, or
    why there is none; `evidence` what the fix (or its refusal) rests on, one fact a line
    with where it was found ("CI builds this file with context `.` (.github/workflows/x.yml:12)")."""

    rule: "Rule"
    line: int                  # in the text the rule read (a later fix pass reads the text so far)
    message: str
    fix: Fix | None = None
    end_line: int = 0
    source_line: int = 0       # the same place in the original text (set by the fix loop)
    reason: str = ""
    evidence: tuple[str, ...] = ()
    column: int = 0            # 1-based, in characters, of `line`; 0: not known
    end_column: int = 0        # just past the node's last character on `end_line`; 0: not known
    read: str | None = None    # the text the rule read: what the fix's edit offsets count in

    def __post_init__(self) -> None:
        if not self.end_line:
            self.end_line = self.line
        if not self.source_line:
            self.source_line = self.line

    @property
    def severity(self) -> str:
        """The rule's own severity (the configuration may set another: config.Settings.severities)."""
        return self.rule.severity

@record(frozen=True, eq=False)  # one object per rule: identity is equality
class Rule:
    id: str                   # stable code, e.g. DF002
    name: str                 # readable name, e.g. apk-no-cache
    summary: str
    check: Callable[[Checker], Iterable[Diagnostic]] | Callable[[ComposeChecker], Iterable[Diagnostic]]  # by `kind`
    doc: str = ""             # the rule module's docstring: what / why / example / fix safety
    default: bool = True      # on unless the user selects it
    fix_safety: str = ""      # SAFE, UNSAFE, MIXED or NO_FIX: every rule says which (there is no default)
    hadolint: tuple[str, ...] = ()
    buildkit: tuple[str, ...] = ()
    kind: str = "dockerfile"  # or "compose": which files the rule reads
    severity: str = WARNING   # the default; the configuration's `severity` table may set another
    security_severity: float | None = None  # a security rule: its CVSS-like score (0.1-10), as code scanning ranks
    options: tuple[str, ...] = ()  # the configuration options it reads, by name (fixer.rules.options)

    def __post_init__(self) -> None:
        if self.fix_safety not in APPLICABILITIES:
            raise ValueError(f"{self.id}: fix_safety must be one of {', '.join(APPLICABILITIES)}, "
                             f"not {self.fix_safety!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.id}: severity must be one of {', '.join(SEVERITIES)}, not {self.severity!r}")

    @property
    def applicabilities(self) -> frozenset[str]:
        """The applicabilities the rule's fixes may have, by its declared fix safety."""
        return APPLICABILITIES[self.fix_safety]


APPLICABILITIES = {SAFE: frozenset({SAFE}), UNSAFE: frozenset({UNSAFE}), MIXED: frozenset({SAFE, UNSAFE}),
                   NO_FIX: frozenset()}


class _Reporting:
    """What every checker does for its rules: make diagnostics, placed on lines and columns.
    A checker has `tree` (with its `text`), and says where the lines it counts start."""

    tree: Dockerfile | ComposeDocument

    def report(self, rule: Rule, node: Node | Where, message: str, *edits: Edit, applicability: str | None = None,
               files: tuple[FileChange, ...] = (), reason: str = "", evidence=()) -> Diagnostic:
        """A finding at `node`; with edits or files, a fix whose `applicability` (SAFE or
        UNSAFE) must be given: a fix is safe only where the rule says so."""
        fix = None
        if edits or files:
            if applicability not in (SAFE, UNSAFE):
                raise ValueError(f"{rule.id}: a fix must say its applicability (safe or unsafe)")
            fix = Fix(tuple(edits), applicability, files)
        column, end_column = self.columns(node)
        return Diagnostic(rule, node.start_line, message, fix, node.end_line, reason=reason,
                          evidence=tuple(evidence), column=column, end_column=end_column, read=self.tree.text)

    def line_starts(self) -> list[int]:
        raise NotImplementedError

    def columns(self, node) -> tuple[int, int]:
        """The 1-based columns where `node` starts on its first line (its first character that is
        not a blank) and ends on its last (just past its last character that is not a blank or
        line break); 0 where that is not known. A node without a span (a Compose `Where`) has
        the column it says, or starts at its line's first character that is not a blank."""
        if getattr(node, "column", 0):
            return node.column, 0
        text, starts = self.tree.text, self.line_starts()
        if not 0 < node.start_line <= len(starts):
            return 0, 0
        line_start = starts[node.start_line - 1]
        line_end = starts[node.start_line] if node.start_line < len(starts) else len(text)
        span = getattr(node, "span", None)
        offset = span.start if span is not None and line_start <= span.start < line_end else line_start
        while offset < line_end and text[offset] in " \t\ufeff":
            offset += 1
        return offset - line_start + 1, self._end_column(node, span, starts)

    def _end_column(self, node, span, starts: list[int]) -> int:
        if span is None or not 0 < node.end_line <= len(starts) or span.end <= span.start:
            return 0
        text, end = self.tree.text, span.end
        while end > span.start and text[end - 1] in " \t\r\n\x0b\x0c\x85\u2028\u2029":
            end -= 1
        line_start = starts[node.end_line - 1]
        line_end = starts[node.end_line] if node.end_line < len(starts) else len(text)
        return end - line_start + 1 if line_start < end <= line_end else 0


@record
class Checker(_Reporting):
    """What a Dockerfile rule reads: the tree, the build context (may be None), the options,
    and the semantic index of the tree (`index`: what rules derive from it and share, read
    once per pass; see fixer.rules.semantic)."""

    tree: Dockerfile
    context: BuildContext | None = None
    options: dict = field(default_factory=dict)

    @cached_property
    def index(self) -> SemanticIndex:
        from .semantic import SemanticIndex  # the contract does not depend on what rules share

        return SemanticIndex(self.tree)

    def line_starts(self) -> list[int]:
        """Where the tree's lines start: they end at `\\n`."""
        return self.index.line_starts


@record
class ComposeChecker(_Reporting):
    """What a Compose rule reads: the document, the Compose file's directory (may be None),
    and the options."""

    tree: ComposeDocument
    context: str | None = None
    options: dict = field(default_factory=dict)

    def line_starts(self) -> list[int]:
        """Where the document's lines start, as its YAML library counts them."""
        return self.tree.line_starts
