"""The language server: pygls speaks the protocol; this module says what dockerfix answers.

Every buffer is checked in one worker thread, so that the protocol goes on while a check
runs: a newer version of a buffer cancels the check of the older one if it has not started,
and the result of one that has is dropped (a request gets ContentModified, as LSP says).
Results are kept per version: the code actions and hovers of a version reuse its check.
"""
from __future__ import annotations

import asyncio
import difflib
import os
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..config import ConfigError
from ..records import record
from ..rules import SAFE, Rule
from ..rules.base import ERROR, INFO, STYLE, WARNING
from ..run import Overrides, SettingsFinder
from . import analysis as found
from .positions import PositionMap

FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.dockerfix"
SOURCE = "dockerfix"


class Stale(Exception):
    """The buffer changed while it was being checked."""


@record
class Checked:
    version: int
    analysis: found.Analysis
    positions: PositionMap
    severities: dict[str, str]  # rule id -> its severity as configured for the file


class DockerfixServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("dockerfix", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.analyzer = found.Analyzer()
        self.settings_finder = SettingsFinder(Overrides())  # for the severities (the analysis has the rest)
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dockerfix-check")
        self.checked: dict[str, Checked] = {}
        self.pending: dict[str, asyncio.Future] = {}
        self.refresh_due = True
        self.told: set[str] = set()  # buffers whose fixes failed, and the user was told

    # --- Checking ---------------------------------------------------------------------------

    def schedule(self, uri: str) -> None:
        """Check the buffer and publish its diagnostics, instead of any check still pending for it."""
        earlier = self.pending.pop(uri, None)
        if earlier is not None:
            earlier.cancel()
        self.pending[uri] = asyncio.ensure_future(self.publish(uri))

    async def publish(self, uri: str) -> None:
        try:
            checked = await self.check(uri)
        except Stale:
            return  # a newer version is being checked
        if checked is not None:
            diagnostics = [to_diagnostic(problem, checked) for problem in checked.analysis.problems]
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, version=checked.version, diagnostics=diagnostics))

    async def check(self, uri: str) -> Checked | None:
        """The check of the buffer's current version (None for a buffer dockerfix leaves alone)."""
        document = self.workspace.text_documents.get(uri)  # only open buffers: never the file on disk
        if document is None:
            return None
        path = to_fs_path(uri)
        kind = found.kind_of(path, document.language_id or "")
        if kind is None:
            return None
        version, text = document.version, document.source
        known = self.checked.get(uri)
        if known is not None and known.version == version and known.analysis.text == text:
            return known
        where = path or os.path.join(self.root_directory(), "compose.yaml" if kind == found.COMPOSE else "Dockerfile")
        loop = asyncio.get_running_loop()
        analysis, severities = await loop.run_in_executor(self.worker, self.analyze, where, text, kind,
                                                          path is not None)
        if self.workspace.text_documents.get(uri) is not document or document.version != version:
            raise Stale
        checked = self.checked[uri] = Checked(version, analysis, PositionMap(text, self.encoding), severities)
        return checked

    def analyze(self, path: str, text: str, kind: str, on_disk: bool) -> tuple[found.Analysis, dict]:
        """In the worker thread: the analysis, and the severities of the rules it found."""
        if self.refresh_due:
            self.refresh_due = False
            self.analyzer.refresh()
            self.settings_finder = SettingsFinder(Overrides())
        try:
            analysis = self.analyzer.analyze(path, text, kind, on_disk)
            return analysis, self.severities(path, analysis)
        except Exception as error:  # noqa: BLE001 - a bug in a rule must not take the editor's server down
            analysis = found.Analysis(path, text, kind, readable=False)
            analysis.problems = [found.Problem(0, 0, f"dockerfix internal error: {error.__class__.__name__}: "
                                                     f"{error} (please report it)")]
            return analysis, {}

    def severities(self, path: str, analysis: found.Analysis) -> dict[str, str]:
        """Rule id -> severity, for the rules of the analysis's findings, as the command line
        reports them for the file: the `severity` table, else .hadolint.yaml's `override:`,
        else the rule's own."""
        rules = {problem.diagnostic.rule for problem in analysis.problems if problem.diagnostic is not None}
        if not rules:
            return {}
        try:
            return self.settings_finder.for_path(path).severities(rules)
        except ConfigError:  # the analysis says so already, as its one problem
            return {}

    async def current(self, uri: str) -> Checked | None:
        """For a request: the check of the current version; a version that changed meanwhile
        makes the request stale."""
        try:
            return await self.check(uri)
        except Stale:
            raise JsonRpcContentModified("the document changed while dockerfix was checking it") from None

    async def in_worker(self, checked: Checked, uri: str, function, *args):
        """`function(*args)` in the worker thread, for a request on `checked`: stale if the
        buffer changed meanwhile."""
        result = await asyncio.get_running_loop().run_in_executor(self.worker, function, *args)
        document = self.workspace.text_documents.get(uri)
        if document is None or document.version != checked.version:
            raise JsonRpcContentModified("the document changed while dockerfix was answering")
        return result

    def forget(self, uri: str) -> None:
        pending = self.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self.checked.pop(uri, None)
        self.told.discard(uri)

    # --- What the client can do -------------------------------------------------------------

    @property
    def encoding(self) -> str:
        return _value(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    def root_directory(self) -> str:
        folders = list(self.workspace.folders.values())
        root = (to_fs_path(folders[0].uri) if folders else None) or self.workspace.root_path
        return root or os.getcwd()

    def can_change_files(self, creating: bool) -> bool:
        """Whether the client applies edits of other files than the buffer (and creates files)."""
        edit = self.client_capabilities.workspace.workspace_edit if self.client_capabilities.workspace else None
        # A client that lists resource operations takes documentChanges, the only place they can
        # be, though it may not say so (Neovim's capabilities do not).
        if edit is None or not (edit.document_changes or edit.resource_operations):
            return False
        return not creating or types.ResourceOperationKind.Create in (edit.resource_operations or ())

    def supports_markdown(self) -> bool:
        hover = self.client_capabilities.text_document.hover if self.client_capabilities.text_document else None
        return bool(hover and hover.content_format and types.MarkupKind.Markdown in hover.content_format)

    def can_apply(self, change) -> bool:
        """Whether the client can make a change to another file: it applies edits of other files
        (and creates files, for a new one), and has no unsaved text of its own for that file."""
        if not self.can_change_files(creating=change.before is None):
            return False
        opened = self.workspace.text_documents.get(from_fs_path(change.path))
        return opened is None or opened.source == (change.before or "")

    def workspace_edit(self, uri: str, version: int, edits: list[types.TextEdit], files=()) -> types.WorkspaceEdit:
        """The buffer's edits (refused by the client if the buffer is no longer at `version`)
        and the changes to other files, which the client must be able to make (can_apply)."""
        if not self.can_change_files(creating=False):
            return types.WorkspaceEdit(changes={uri: edits})
        changes: list = [_document_edit(uri, version, edits)] if edits else []
        for change in files:
            target = from_fs_path(change.path)
            opened = self.workspace.text_documents.get(target)
            if change.before is None:
                changes.append(types.CreateFile(uri=target))
            before = PositionMap(change.before or "", self.encoding)
            whole = types.Range(start=types.Position(0, 0), end=_position(before, len(before.text)))
            changes.append(_document_edit(target, opened.version if opened else None,
                                          [types.TextEdit(range=whole, new_text=change.after)]))
        return types.WorkspaceEdit(document_changes=changes)


def _document_edit(uri: str, version: int | None, edits: list[types.TextEdit]) -> types.TextDocumentEdit:
    return types.TextDocumentEdit(text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                                  edits=edits)


# --- Diagnostics ------------------------------------------------------------------------------

LSP_SEVERITIES = {ERROR: types.DiagnosticSeverity.Error, WARNING: types.DiagnosticSeverity.Warning,
                  INFO: types.DiagnosticSeverity.Information, STYLE: types.DiagnosticSeverity.Hint}


def severity(problem: found.Problem, severities: dict[str, str]) -> types.DiagnosticSeverity:
    """The finding's rule's severity as configured (`severities`: rule id -> severity; a rule
    not there has its own), in LSP's terms; a file that cannot be read (its syntax, its
    configuration) is an error."""
    diagnostic = problem.diagnostic
    if diagnostic is None:
        return types.DiagnosticSeverity.Error
    return LSP_SEVERITIES[severities.get(diagnostic.rule.id, diagnostic.rule.severity)]


def to_diagnostic(problem: found.Problem, checked: Checked) -> types.Diagnostic:
    rule = problem.diagnostic.rule if problem.diagnostic else None
    return types.Diagnostic(
        range=_range(checked.positions, problem.start, problem.end), message=problem.message,
        severity=severity(problem, checked.severities), source=SOURCE, code=rule.id if rule else None,
        code_description=types.CodeDescription(href=rule_url(rule)) if rule else None)


def rule_url(rule: Rule) -> str:
    """The rule's section of docs/rules.md: on the project's repository, if its metadata names
    one; else in this source tree; else the path in the repository."""
    from ..report.rules_doc import anchor

    return f"{_rules_document()}#{anchor(rule.id, rule.name)}"


@lru_cache(maxsize=1)
def _rules_document() -> str:
    from pathlib import Path

    from ..report.rules_doc import repository_document

    local = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    return repository_document() or (local.as_uri() if local.is_file() else "docs/rules.md")


def _range(positions: PositionMap, start: int, end: int) -> types.Range:
    return types.Range(start=_position(positions, start), end=_position(positions, end))


def _position(positions: PositionMap, offset: int) -> types.Position:
    line, character = positions.position(offset)
    return types.Position(line=line, character=character)


# --- Code actions -----------------------------------------------------------------------------

def code_actions(server: DockerfixServer, uri: str, checked: Checked,
                 params: types.CodeActionParams) -> list[types.CodeAction]:
    analysis, positions = checked.analysis, checked.positions
    if not analysis.readable:
        return []
    only = params.context.only
    first_line, last_line = params.range.start.line, params.range.end.line
    actions = []
    for problem in analysis.problems:
        if problem.diagnostic is None:
            continue
        lines = positions.position(problem.start)[0], positions.position(problem.end)[0]
        if lines[1] < first_line or lines[0] > last_line:
            continue
        diagnostic = to_diagnostic(problem, checked)
        if _wanted(types.CodeActionKind.QuickFix.value, only):
            actions += _fix_actions(server, uri, checked, problem, diagnostic)
            actions += _suppress_actions(server, uri, checked, problem, diagnostic)
    # Fixing all runs the whole fix loop: not for the light bulb an editor asks about at every
    # move of the cursor, only when fixing all is asked for, or the user opened the menu.
    asked = only is not None or params.context.trigger_kind == types.CodeActionTriggerKind.Invoked
    if asked and _wanted(FIX_ALL, only):
        actions += _fix_all_actions(server, uri, checked)
    return actions


def _wanted(kind: str, only) -> bool:
    """Whether the client asks for actions of `kind` (asking for `source` takes in `source.fixAll.x`)."""
    return only is None or any(kind == _value(asked) or kind.startswith(f"{_value(asked)}.") for asked in only)


def _value(kind) -> str:
    """An lsprotocol enumeration's string (str() of one is its Python name), or the string itself."""
    return getattr(kind, "value", kind)


def _fix_actions(server, uri, checked: Checked, problem: found.Problem, diagnostic) -> list[types.CodeAction]:
    fix = problem.fix
    if fix is None or problem.diagnostic is None or not all(server.can_apply(change) for change in fix.files):
        return []
    new_text = found.fixed_alone(checked.analysis, problem)
    if new_text is None:
        return []
    edits = [types.TextEdit(range=_range(checked.positions, edit.start, edit.end), new_text=edit.replacement)
             for edit in fix.edits]
    edit = server.workspace_edit(uri, checked.version, edits, fix.files)
    rule = problem.diagnostic.rule
    title = f"{rule.id}: {fix_title(checked.analysis.text, new_text, fix.files)}"
    if fix.applicability != SAFE:
        title += f" (unsafe: {problem.diagnostic.reason})" if problem.diagnostic.reason else " (unsafe)"
    return [types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                             is_preferred=fix.applicability == SAFE, edit=edit)]


def _suppress_actions(server, uri, checked: Checked, problem: found.Problem, diagnostic) -> list[types.CodeAction]:
    edit = found.suppression(checked.analysis, problem)
    if edit is None or problem.diagnostic is None:  # suppression() gives none for a problem without a finding
        return []
    rule = problem.diagnostic.rule
    where = "this line" if checked.analysis.kind == found.COMPOSE else "this instruction"
    text_edit = types.TextEdit(range=_range(checked.positions, edit.start, edit.end), new_text=edit.replacement)
    return [types.CodeAction(title=f"{rule.id}: suppress {rule.name} for {where}", kind=types.CodeActionKind.QuickFix,
                             diagnostics=[diagnostic],
                             edit=server.workspace_edit(uri, checked.version, [text_edit]))]


def _fix_all_actions(server, uri, checked: Checked) -> list[types.CodeAction]:
    fixed = found.fix_all(checked.analysis)
    if fixed.error or fixed.text is None or (fixed.text == checked.analysis.text and not fixed.files):
        return []
    edits = minimal_edits(checked.positions, fixed.text)
    files = [change for change in fixed.files if server.can_apply(change)]  # the buffer is fixed even so
    if not (edits or files):
        return []
    return [types.CodeAction(title="dockerfix: fix all", kind=FIX_ALL,
                             edit=server.workspace_edit(uri, checked.version, edits, files))]


def minimal_edits(positions: PositionMap, new_text: str) -> list[types.TextEdit]:
    """Edits that turn the text into `new_text`, one for each run of changed lines: the
    editor keeps the cursor and folds of the lines that stay."""
    old_lines, new_lines = _lines(positions.text), _lines(new_text)
    starts = positions.starts + [len(positions.text)]
    edits = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag != "equal":
            edits.append(types.TextEdit(range=_range(positions, starts[i1], starts[i2]),
                                        new_text="".join(new_lines[j1:j2])))
    return edits


def _lines(text: str) -> list[str]:
    starts = PositionMap(text).starts
    return [text[start:end] for start, end in zip(starts, starts[1:] + [len(text)], strict=True) if start < end]


def fix_title(old: str, new: str, files) -> str:
    """What a fix does, in a few words: the line it adds, removes or changes, the lines it
    rewrites, the files it creates or changes."""
    what = []
    if old != new:
        old_lines, new_lines = _lines(old), _lines(new)
        changes = [op for op in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes()
                   if op[0] != "equal"]
        tags = {op[0] for op in changes}
        if tags == {"insert"}:
            added = [line for _, _, _, j1, j2 in changes for line in new_lines[j1:j2] if line.strip()]
            what.append(f"add {_quoted(added[0])}" + (f" and {len(added) - 1} more lines" if len(added) > 1 else "")
                        if added else "add blank lines")
        elif tags == {"delete"}:
            removed = [line for _, i1, i2, _, _ in changes for line in old_lines[i1:i2]]
            what.append(f"remove {_quoted(removed[0])}" if len(removed) == 1 else _lines_of("remove", changes))
        elif len(changes) == 1 and changes[0][2] - changes[0][1] == 1 and changes[0][4] - changes[0][3] == 1:
            _, i1, _, j1, _ = changes[0]
            what.append(f"change line {i1 + 1} to {_quoted(new_lines[j1])}")
        else:
            what.append(_lines_of("rewrite", changes))
    for change in files:
        what.append(f"{'create' if change.before is None else 'update'} {os.path.basename(change.path)}")
    return ", ".join(what)


def _lines_of(verb: str, changes) -> str:
    first, last = changes[0][1] + 1, max(changes[-1][2], changes[-1][1] + 1)
    return f"{verb} line {first}" if first == last else f"{verb} lines {first}–{last}"


def _quoted(line: str, width: int = 60) -> str:
    line = line.strip()
    return f"`{line}`" if len(line) <= width else f"`{line[:width - 1]}…`"


# --- Hover ------------------------------------------------------------------------------------

def hover(server: DockerfixServer, checked: Checked, position: types.Position) -> types.Hover | None:
    offset = checked.positions.offset(position.line, position.character)
    under = [problem for problem in checked.analysis.problems
             if problem.diagnostic is not None and problem.start <= offset <= problem.end]
    rules = list(dict.fromkeys(problem.diagnostic.rule for problem in under if problem.diagnostic))
    if not rules:
        return None
    markdown = server.supports_markdown()
    statuses = [_fix_status(problem.diagnostic) for problem in under if problem.diagnostic]
    text = "\n\n---\n\n".join([status for status in statuses if status]
                                + [explanation(rule, markdown) for rule in rules])
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown if markdown
                                                    else types.MarkupKind.PlainText, value=text),
                       range=_range(checked.positions, under[0].start, under[0].end))


def _fix_status(diagnostic) -> str:
    """Why the finding's fix is unsafe, or why it has none ("" when there is nothing to say)."""
    from ..report.text import fix_status

    status = fix_status(diagnostic.fix.applicability if diagnostic.fix else None, diagnostic.reason)
    return f"{diagnostic.rule.id}, {status}" if status else ""


def explanation(rule: Rule, markdown: bool) -> str:
    """`dockerfix --explain RULE`, or the same as docs/rules.md shows it."""
    from ..report.rules_doc import as_markdown, doc_body
    from ..report.rules_doc import explanation as explained

    if not markdown:
        return explained(rule)
    return f"**{rule.id} {rule.name}**: {rule.summary} ([docs]({rule_url(rule)}))\n\n{as_markdown(doc_body(rule))}"


# --- The protocol -----------------------------------------------------------------------------

def create_server() -> DockerfixServer:
    server = DockerfixServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DockerfixServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.refresh_due = True  # a file opened: the project on disk may have changed since
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DockerfixServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: DockerfixServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.refresh_due = True  # a save (of go.mod, .dockerignore, …) may change what the checks read
        ls.checked.pop(params.text_document.uri, None)
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DockerfixServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]))
    async def code_action(ls: DockerfixServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        checked = await ls.current(uri)
        if checked is None:
            return None
        # In the worker: each fix is tried on the text, and fixing all runs the whole fix loop.
        actions = await ls.in_worker(checked, uri, code_actions, ls, uri, checked, params)
        fixed = checked.analysis.fixed
        if fixed is not None and fixed.error and uri not in ls.told:
            ls.told.add(uri)  # once per buffer: fix-on-save asks at every save
            ls.window_show_message(types.ShowMessageParams(
                type=types.MessageType.Warning, message=f"dockerfix cannot fix {os.path.basename(uri)}: {fixed.error}"))
        return actions

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: DockerfixServer, params: types.HoverParams) -> types.Hover | None:
        checked = await ls.current(params.text_document.uri)
        return hover(ls, checked, params.position) if checked else None

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: DockerfixServer, params) -> None:
        for uri in list(ls.pending):
            ls.forget(uri)
        ls.worker.shutdown(wait=False, cancel_futures=True)

    return server


def serve() -> None:
    create_server().start_io()
