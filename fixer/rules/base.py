"""What a rule is and what it returns: diagnostics, each with an optional fix of source edits."""
from __future__ import annotations

from collections.abc import Callable, Iterable  # not typing: its import is 3 ms of every run

from ..records import field, record
from ..syntax.tree import Dockerfile, Node

SAFE = "safe"      # applied by default
UNSAFE = "unsafe"  # applied only with --unsafe-fixes
MIXED = "mixed"    # a rule's fix is safe in some cases and unsafe in others, each saying why
NO_FIX = "none"    # the rule only reports: what it finds is for the file's owners to decide


@record(frozen=True, slots=True)
class Edit:
    """Replace source[start:end] with `replacement` (an insertion when start == end)."""

    start: int
    end: int
    replacement: str


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
    edits: tuple[Edit, ...]
    applicability: str = SAFE
    files: tuple[FileChange, ...] = ()

    @property
    def start(self) -> int:
        return min((edit.start for edit in self.edits), default=0)


@record(slots=True)
class Diagnostic:
    rule: "Rule"
    line: int                  # in the text the rule read (a later fix pass reads the text so far)
    message: str
    fix: Fix | None = None
    end_line: int = 0
    source_line: int = 0       # the same place in the original text (set by the fix loop)

    def __post_init__(self) -> None:
        if not self.end_line:
            self.end_line = self.line
        if not self.source_line:
            self.source_line = self.line


@record(frozen=True, eq=False)  # one object per rule: identity is equality
class Rule:
    id: str                   # stable code, e.g. DF002
    name: str                 # readable name, e.g. apk-no-cache
    summary: str
    check: Callable[["Checker"], Iterable[Diagnostic]]
    doc: str = ""             # the rule module's docstring: what / why / example / fix safety
    default: bool = True      # on unless the user selects it
    fix_safety: str = SAFE
    hadolint: tuple[str, ...] = ()
    buildkit: tuple[str, ...] = ()
    kind: str = "dockerfile"  # or "compose": which files the rule reads


@record
class Checker:
    """What a rule reads: the tree, the build context (may be None), and the options."""

    tree: Dockerfile
    context: object | None = None
    options: dict = field(default_factory=dict)

    def report(self, rule: Rule, node: Node, message: str, *edits: Edit,
               applicability: str = SAFE, files: tuple[FileChange, ...] = ()) -> Diagnostic:
        fix = Fix(tuple(edits), applicability, files) if edits or files else None
        return Diagnostic(rule, node.start_line, message, fix, node.end_line)
