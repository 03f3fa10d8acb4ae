"""What a rule is and what it returns: diagnostics, each with an optional fix of source edits."""
from __future__ import annotations

from collections.abc import Callable, Iterable  # not typing: its import is 3 ms of every run

from ..records import field, record
from ..syntax.edits import Edit
from ..syntax.tree import Dockerfile, Node

SAFE = "safe"      # applied by default
UNSAFE = "unsafe"  # applied only with --unsafe-fixes
MIXED = "mixed"    # a rule's fix is safe in some cases and unsafe in others, each saying why
NO_FIX = "none"    # the rule only reports: what it finds is for the file's owners to decide


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

    def __post_init__(self) -> None:
        if not self.end_line:
            self.end_line = self.line
        if not self.source_line:
            self.source_line = self.line

    @property
    def text(self) -> str:
        """The message as shown, with the reason the fix is unsafe or missing."""
        return shown_message(self.message, self.fix.applicability if self.fix else None, self.reason)


def shown_message(message: str, applicability: str | None, reason: str) -> str:
    if not reason:
        return message
    return f"{message} ({'unsafe' if applicability == UNSAFE else 'not fixed'}: {reason})"


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

    @property
    def applicabilities(self) -> frozenset[str]:
        """The applicabilities the rule's fixes may have, by its declared fix safety."""
        return APPLICABILITIES[self.fix_safety]


APPLICABILITIES = {SAFE: frozenset({SAFE}), UNSAFE: frozenset({UNSAFE}), MIXED: frozenset({SAFE, UNSAFE}),
                   NO_FIX: frozenset()}


@record
class Checker:
    """What a rule reads: the tree, the build context (may be None), and the options."""

    tree: Dockerfile
    context: object | None = None
    options: dict = field(default_factory=dict)

    def report(self, rule: Rule, node: Node, message: str, *edits: Edit, applicability: str | None = None,
               files: tuple[FileChange, ...] = (), reason: str = "", evidence=()) -> Diagnostic:
        """A finding at `node`; with edits or files, a fix whose `applicability` (SAFE or
        UNSAFE) must be given: a fix is safe only where the rule says so."""
        fix = None
        if edits or files:
            if applicability not in (SAFE, UNSAFE):
                raise ValueError(f"{rule.id}: a fix must say its applicability (safe or unsafe)")
            fix = Fix(tuple(edits), applicability, files)
        return Diagnostic(rule, node.start_line, message, fix, node.end_line, reason=reason,
                          evidence=tuple(evidence))
