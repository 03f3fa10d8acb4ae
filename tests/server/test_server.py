"""`dockerfix server` end to end: a real LSP client (pytest-lsp) talks to `python -m fixer server`
over standard input and output, as an editor does."""
from __future__ import annotations

import asyncio
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from fixer.rules import find_rule
from fixer.run import Overrides, SettingsFinder, fix_text
from fixer.server.lsp import explanation

pytestmark = pytest.mark.asyncio(loop_scope="function")


def recording_client() -> LanguageClient:
    """pytest-lsp's client, keeping every diagnostics notification (with its version)."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []

    def publish(ls: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        ls.diagnostics[params.uri] = params.diagnostics
        ls.published.append(params)
    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish})
    return client


SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "fixer", "server"], client_factory=recording_client)
NAIVE = 'FROM golang:1.23 as build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n'
GO_MOD = "module example.com/app\n\ngo 1.23\n"
MAIN_GO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n'
COMPOSE = ('version: "3.8"\nservices:\n  web:\n    build: .\n    depends_on:\n      - db\n'
           '  db:\n    image: postgres:16\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n')


async def start(lsp_client: LanguageClient, client: str = "visual-studio-code") -> types.InitializeResult:
    return await lsp_client.initialize_session(types.InitializeParams(capabilities=client_capabilities(client)))


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient):
    await start(lsp_client)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def neovim(lsp_client: LanguageClient):
    await start(lsp_client, "neovim@v0.11.0")  # UTF-8 positions: the first encoding it offers
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def plain(lsp_client: LanguageClient):
    """A client that applies edits to the open buffer only: no documentChanges, no file creation."""
    await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def project(tmp_path):
    (tmp_path / "go.mod").write_text(GO_MOD)
    (tmp_path / "main.go").write_text(MAIN_GO)
    (tmp_path / "Dockerfile").write_text(NAIVE)
    return tmp_path


# --- The client's side ------------------------------------------------------------------------

async def open_document(client: LanguageClient, path, text: str, language: str = "dockerfile") -> list:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))
    return await diagnostics_of(client, uri, 1)


async def change_document(client: LanguageClient, path, version: int, text: str) -> list:
    uri = path.as_uri()
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
    return await diagnostics_of(client, uri, version)


async def diagnostics_of(client: LanguageClient, uri: str, version: int, timeout: float = 30) -> list:
    """The diagnostics published for `version` of the document."""
    async def published():
        while True:
            for params in reversed(client.published):
                if params.uri == uri and params.version == version:
                    return params.diagnostics
            await asyncio.sleep(0.01)
    return await asyncio.wait_for(published(), timeout)


async def until(condition) -> None:
    while not condition():
        await asyncio.sleep(0.01)


async def actions_at(client: LanguageClient, path, line: int, only=None,
                     trigger=types.CodeActionTriggerKind.Automatic) -> list[types.CodeAction]:
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
        range=types.Range(start=types.Position(line=line, character=0), end=types.Position(line=line, character=0)),
        context=types.CodeActionContext(diagnostics=[], only=only, trigger_kind=trigger))) or []


def applied(text: str, edit: types.WorkspaceEdit, uri: str) -> str:
    """The text after the workspace edit's edits of `uri` (positions in UTF-16 units of ASCII text)."""
    if edit.changes is not None:
        edits = edit.changes.get(uri, [])
    else:
        edits = [e for change in edit.document_changes if isinstance(change, types.TextDocumentEdit)
                 and change.text_document.uri == uri for e in change.edits]
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(position: types.Position) -> int:
        return starts[position.line] + position.character if position.line < len(lines) else len(text)
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(e.range.start)] + e.new_text + text[offset(e.range.end):]
    return text


def send_raw(client: LanguageClient, body: bytes) -> None:
    """A message as bytes on the server's standard input, whatever it says."""
    client._server.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))


def cli_output(path, text: str) -> str:
    """What `dockerfix --write` makes of `text` as the file `path`."""
    return fix_text(str(path), text, SettingsFinder(Overrides()).for_path(str(path))).output


def codes(diagnostics) -> list[tuple[int, str]]:
    return sorted((d.range.start.line + 1, d.code) for d in diagnostics)


# --- The tests --------------------------------------------------------------------------------

@pytest_lsp.fixture(config=SERVER)
async def bare(lsp_client: LanguageClient):
    yield  # initialized by the test itself


async def test_initialize_says_what_the_server_does(bare: LanguageClient):
    result = await start(bare)
    capabilities = result.capabilities
    assert result.server_info.name == "dockerfix"
    assert capabilities.text_document_sync.change == types.TextDocumentSyncKind.Incremental
    assert capabilities.text_document_sync.save
    assert set(capabilities.code_action_provider.code_action_kinds) == {"quickfix", "source.fixAll.dockerfix"}
    assert capabilities.hover_provider
    await bare.shutdown_session()
    assert bare._server.returncode == 0  # shutdown, then exit: a clean end


async def test_a_naive_go_dockerfile_gets_the_command_lines_findings(client: LanguageClient, project):
    found = await open_document(client, project / "Dockerfile", NAIVE)
    # one check of the text as it is: DF007 (-s -w) comes once DF011 has split the stages
    assert codes(found) == [(1, "DF001"), (1, "DF005"), (1, "DF011"), (3, "DF009"), (3, "DF020")]
    as_casing = next(d for d in found if d.code == "DF001")
    assert as_casing.range == types.Range(start=types.Position(0, 0), end=types.Position(0, 25))  # columns
    assert as_casing.severity == types.DiagnosticSeverity.Hint  # the rule's severity: style
    assert as_casing.source == "dockerfix"
    assert as_casing.message == "'as' should match the casing of 'FROM'"
    assert as_casing.code_description.href.endswith("rules.md#df001-from-as-casing")


def severities(diagnostics) -> dict[str, types.DiagnosticSeverity]:
    return {d.code: d.severity for d in diagnostics}


async def test_a_findings_severity_is_its_rules(client: LanguageClient, project):
    text = NAIVE.replace("WORKDIR /src\n", "WORKDIR /src\nENV API_TOKEN=3c9f0a7e51d24b8f\n")
    found = severities(await open_document(client, project / "Dockerfile", text))
    assert found == {"DF019": types.DiagnosticSeverity.Error,         # secrets: error
                     "DF005": types.DiagnosticSeverity.Warning,       # non-root-user: warning
                     "DF011": types.DiagnosticSeverity.Warning,
                     "DF020": types.DiagnosticSeverity.Warning,
                     "DF009": types.DiagnosticSeverity.Information,   # go-module-cache-order: info
                     "DF001": types.DiagnosticSeverity.Hint}          # from-as-casing: style


async def test_a_findings_severity_is_as_the_configuration_sets_it(client: LanguageClient, project):
    (project / ".dockerfix.toml").write_text('severity = { DF009 = "error", "from-as-casing" = "warning", '
                                             'DF005 = "style" }\n')
    # hadolint's override: DL4000 is maintainer-to-label's (info), DL3002 non-root-user's (the
    # `severity` table has the last word on it)
    (project / ".hadolint.yaml").write_text("override:\n  error: [DL4000, DL3002]\n")
    text = NAIVE.replace("WORKDIR /src\n", "MAINTAINER someone@example.com\nWORKDIR /src\n")
    found = severities(await open_document(client, project / "Dockerfile", text))
    assert found == {"DF009": types.DiagnosticSeverity.Error, "DF001": types.DiagnosticSeverity.Warning,
                     "DF005": types.DiagnosticSeverity.Hint, "DF014": types.DiagnosticSeverity.Error,
                     "DF011": types.DiagnosticSeverity.Warning, "DF020": types.DiagnosticSeverity.Warning}
    # the code actions name the same diagnostics, severities and all
    action = next(a for a in await actions_at(client, project / "Dockerfile", 3) if a.title.startswith("DF009: "))
    assert action.diagnostics[0].severity == types.DiagnosticSeverity.Error
    # a configuration changed on disk counts from the next save (or opening) of the buffer
    (project / ".dockerfix.toml").write_text('severity = { DF009 = "style" }\n')
    published = len(client.published)
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=(project / "Dockerfile").as_uri())))
    await asyncio.wait_for(until(lambda: len(client.published) > published), 30)
    assert severities(client.published[-1].diagnostics)["DF009"] == types.DiagnosticSeverity.Hint


async def test_a_quick_fix_makes_one_fix_on_the_buffer(client: LanguageClient, project):
    await open_document(client, project / "Dockerfile", NAIVE)
    actions = await actions_at(client, project / "Dockerfile", 0)
    titles = [action.title for action in actions]
    assert "DF001: change line 1 to `FROM golang:1.23 AS build`" in titles
    action = next(a for a in actions if a.title.startswith("DF001: change"))
    assert action.kind == types.CodeActionKind.QuickFix and action.is_preferred
    assert action.diagnostics[0].code == "DF001"
    fixed = applied(NAIVE, action.edit, (project / "Dockerfile").as_uri())
    assert fixed == NAIVE.replace(" as ", " AS ")
    found = await change_document(client, project / "Dockerfile", 2, fixed)
    assert "DF001" not in [d.code for d in found]
    # the light bulb (asked at every move of the cursor) does not run the whole fix loop; the menu does
    assert "dockerfix: fix all" not in titles
    menu = await actions_at(client, project / "Dockerfile", 0, trigger=types.CodeActionTriggerKind.Invoked)
    assert menu[-1].title == "dockerfix: fix all" and menu[-1].kind == "source.fixAll.dockerfix"


async def test_fixes_are_made_on_the_unsaved_buffer_not_the_file_on_disk(client: LanguageClient, project):
    (project / "Dockerfile").write_text("FROM alpine:3.20\nCMD [\"true\"]\n")  # what is on disk
    buffer = "# not saved yet\n" + NAIVE
    await open_document(client, project / "Dockerfile", buffer)
    action = next(a for a in await actions_at(client, project / "Dockerfile", 1) if a.title.startswith("DF001"))
    assert applied(buffer, action.edit, (project / "Dockerfile").as_uri()) == buffer.replace(" as ", " AS ")
    assert action.edit.document_changes[0].text_document.version == 1  # the client refuses it for another version


async def test_fix_all_is_what_the_command_line_writes(client: LanguageClient, project):
    (project / ".dockerignore").write_text(".git\n.env\n")
    found = await open_document(client, project / "Dockerfile", NAIVE)
    assert "DF020" not in [d.code for d in found]
    actions = await actions_at(client, project / "Dockerfile", 0, only=[types.CodeActionKind.SourceFixAll])
    assert [(a.title, a.kind) for a in actions] == [("dockerfix: fix all", "source.fixAll.dockerfix")]
    fixed = applied(NAIVE, actions[0].edit, (project / "Dockerfile").as_uri())
    assert fixed == cli_output(project / "Dockerfile", NAIVE) != NAIVE
    assert "AS build" in fixed and "USER 65534:65534" in fixed
    found = await change_document(client, project / "Dockerfile", 2, fixed)
    assert list(found) == []
    assert await actions_at(client, project / "Dockerfile", 0, only=["source.fixAll.dockerfix"]) == []


async def test_an_unsafe_fix_says_so_and_why(client: LanguageClient, project):
    text = "FROM alpine:3.20\nCOPY server /server\nCMD [\"/server\"]\n"
    found = await open_document(client, project / "Dockerfile", text)
    assert codes(found) == [(1, "DF005")]
    assert "unsafe" not in found[0].message and "Go program" not in found[0].message   # the reason travels apart
    action = next(a for a in await actions_at(client, project / "Dockerfile", 0) if a.title.startswith("DF005:"))
    assert action.title.startswith(
        "DF005: add `USER 65534:65534` (unsafe: dockerfix saw no `go build` of this Dockerfile make /server")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=(project / "Dockerfile").as_uri()),
        position=types.Position(line=0, character=2)))
    assert hover.contents.value.startswith(
        "DF005, unsafe fix: dockerfix saw no `go build` of this Dockerfile make /server")
    assert not action.is_preferred
    fix_all = await actions_at(client, project / "Dockerfile", 0, only=["source.fixAll.dockerfix"])
    assert all("USER" not in applied(text, a.edit, (project / "Dockerfile").as_uri()) for a in fix_all)


async def test_suppressing_a_rule_here_writes_a_suppression_that_works(client: LanguageClient, project):
    uri = (project / "Dockerfile").as_uri()
    await open_document(client, project / "Dockerfile", NAIVE)
    action = next(a for a in await actions_at(client, project / "Dockerfile", 2)
                  if a.title == "DF009: suppress go-module-cache-order for this instruction")
    suppressed = applied(NAIVE, action.edit, uri)
    assert suppressed.splitlines()[2:4] == ["# dockerfix: ignore=DF009", "COPY . ."]
    found = await change_document(client, project / "Dockerfile", 2, suppressed)
    assert "DF009" not in [d.code for d in found] and "DF000" not in [d.code for d in found]
    # a second rule on the same instruction joins the suppression already there
    action = next(a for a in await actions_at(client, project / "Dockerfile", 0)
                  if a.title == "DF001: suppress from-as-casing for this instruction")
    twice = applied(suppressed, action.edit, uri)
    assert twice.startswith("# dockerfix: ignore=DF001\nFROM")
    action = next(a for a in await actions_at(client, project / "Dockerfile", 0)
                  if a.title == "DF011: suppress go-multi-stage for this instruction")
    twice = applied(suppressed, action.edit, uri)
    found = await change_document(client, project / "Dockerfile", 3, twice)
    action = next(a for a in await actions_at(client, project / "Dockerfile", 1)
                  if a.title == "DF001: suppress from-as-casing for this instruction")
    thrice = applied(twice, action.edit, uri)
    assert thrice.startswith("# dockerfix: ignore=DF011,DF001\nFROM")
    found = await change_document(client, project / "Dockerfile", 4, thrice)
    assert {"DF001", "DF011", "DF000"}.isdisjoint(d.code for d in found)


async def test_hover_on_a_finding_explains_its_rule(client: LanguageClient, project):
    await open_document(client, project / "Dockerfile", NAIVE)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=(project / "Dockerfile").as_uri()),
        position=types.Position(line=2, character=6)))
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert hover.contents.value.startswith("**DF009 go-module-cache-order**")
    assert "**Fix safety**" in hover.contents.value
    nothing = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=(project / "Dockerfile").as_uri()),
        position=types.Position(line=1, character=3)))
    assert nothing is None


async def test_hover_is_plain_text_for_a_client_without_markdown(plain: LanguageClient, project):
    await open_document(plain, project / "Dockerfile", NAIVE)
    hover = await plain.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=(project / "Dockerfile").as_uri()),
        position=types.Position(line=2, character=6)))
    assert hover.contents.kind == types.MarkupKind.PlainText
    # `dockerfix --explain` of each rule found there: DF009 and DF020
    assert hover.contents.value.startswith(explanation(find_rule("DF009"), markdown=False))
    assert explanation(find_rule("DF020"), markdown=False) in hover.contents.value


async def test_a_dockerignore_comes_as_a_file_creation(client: LanguageClient, project):
    await open_document(client, project / "Dockerfile", NAIVE)
    action = next(a for a in await actions_at(client, project / "Dockerfile", 2) if a.title.startswith("DF020:"))
    assert action.title == "DF020: create .dockerignore"
    create, write = action.edit.document_changes
    assert isinstance(create, types.CreateFile) and create.uri == (project / ".dockerignore").as_uri()
    assert write.text_document.uri == create.uri and "\nDockerfile*\n" in write.edits[0].new_text
    fix_all = (await actions_at(client, project / "Dockerfile", 0, only=["source.fixAll"]))[0]
    assert any(isinstance(change, types.CreateFile) for change in fix_all.edit.document_changes)


async def test_another_files_unsaved_text_is_never_overwritten(client: LanguageClient, project):
    (project / ".dockerignore").write_text(".git\n")  # on disk: lets .env in
    (project / ".gitignore").write_text(".env\n")  # .env files are a convention here
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=(project / ".dockerignore").as_uri(), language_id="ignore", version=1, text=".git\n.env\n")))
    found = await open_document(client, project / "Dockerfile", NAIVE)
    assert "DF020" in [d.code for d in found]
    actions = await actions_at(client, project / "Dockerfile", 2)
    titles = [a.title for a in actions if a.title.startswith("DF020:")]
    assert titles == ["DF020: suppress dockerignore for this instruction"]
    fix_all = (await actions_at(client, project / "Dockerfile", 0, only=["source.fixAll.dockerfix"]))[0]
    assert [change.text_document.uri for change in fix_all.edit.document_changes] == [(project / "Dockerfile").as_uri()]


async def test_a_client_that_cannot_create_files_gets_no_such_fix(plain: LanguageClient, project):
    uri = (project / "Dockerfile").as_uri()
    found = await open_document(plain, project / "Dockerfile", NAIVE)
    assert "DF020" in [d.code for d in found]
    actions = await actions_at(plain, project / "Dockerfile", 2)
    assert not [a for a in actions if a.title.startswith("DF020:") and "suppress" not in a.title]
    fix_all = (await actions_at(plain, project / "Dockerfile", 0, only=["source.fixAll.dockerfix"]))[0]
    assert set(fix_all.edit.changes) == {uri}  # the Dockerfile only
    assert applied(NAIVE, fix_all.edit, uri) == cli_output(project / "Dockerfile", NAIVE)


async def test_a_file_that_does_not_parse_gets_one_diagnostic_and_no_actions(client: LanguageClient, project):
    text = "FROM alpine:3.20\nRUN echo hi\nCOPPY . /src\nCMD [\"true\"]\n"
    found = await open_document(client, project / "Dockerfile", text)
    assert len(found) == 1
    assert found[0].range.start.line == 2 and found[0].severity == types.DiagnosticSeverity.Error
    assert found[0].code is None and found[0].message == "unknown instruction: COPPY"
    assert await actions_at(client, project / "Dockerfile", 2) == []
    assert await actions_at(client, project / "Dockerfile", 0, only=["source.fixAll.dockerfix"]) == []


async def test_a_compose_file(client: LanguageClient, tmp_path):
    path = tmp_path / "compose.yaml"
    path.write_text(COMPOSE)
    found = await open_document(client, path, COMPOSE, language="dockercompose")
    assert codes(found) == [(1, "DC001"), (5, "DC003")]
    assert severities(found) == {"DC001": types.DiagnosticSeverity.Information,
                                 "DC003": types.DiagnosticSeverity.Warning}
    assert found[0].code_description.href.endswith("#dc001-compose-version-obsolete")
    fix_all = (await actions_at(client, path, 0, only=["source.fixAll.dockerfix"]))[0]
    assert applied(COMPOSE, fix_all.edit, path.as_uri()) == cli_output(path, COMPOSE)
    action = next(a for a in await actions_at(client, path, 4) if a.title.startswith("DC003: suppress"))
    suppressed = applied(COMPOSE, action.edit, path.as_uri())
    assert suppressed.splitlines()[4] == "    # dockerfix: ignore=DC003"
    assert "DC003" not in [d.code for d in await change_document(client, path, 2, suppressed)]
    broken = await change_document(client, path, 3, "services:\n  web: [\n")
    assert len(broken) == 1 and broken[0].severity == types.DiagnosticSeverity.Error


async def test_yaml_that_is_not_compose_is_left_alone(client: LanguageClient, tmp_path):
    path = tmp_path / "deployment.yaml"
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=path.as_uri(), language_id="yaml", version=1, text="apiVersion: v1\nkind: Pod\n")))
    assert await actions_at(client, path, 0) == []
    assert path.as_uri() not in client.diagnostics


UNICODE = 'FROM golang:1.23\n# é 😀\nADD é😀.txt /srv/\nCMD ["/srv/x"]\n'


async def test_columns_are_in_utf16_units_by_default(client: LanguageClient, project):
    found = await open_document(client, project / "Dockerfile", UNICODE)
    add = next(d for d in found if d.code == "DF013")
    assert (add.range.start, add.range.end) == (types.Position(2, 0), types.Position(2, 17))  # 😀: two units


async def test_columns_are_in_utf8_units_for_a_client_that_asks(neovim: LanguageClient, project):
    found = await open_document(neovim, project / "Dockerfile", UNICODE)
    add = next(d for d in found if d.code == "DF013")
    assert (add.range.start, add.range.end) == (types.Position(2, 0), types.Position(2, 20))  # é: two, 😀: four
    action = next(a for a in await actions_at(neovim, project / "Dockerfile", 2) if a.title.startswith("DF013: "))
    edit = action.edit.document_changes[0].edits[0]
    assert (edit.range.start.line, edit.range.start.character, edit.new_text) == (2, 0, "COPY")


async def test_a_stale_request_is_dropped(client: LanguageClient, project):
    long = NAIVE + "".join(f"RUN echo step {i}\n" for i in range(3000))  # a check long enough to overtake
    await open_document(client, project / "Dockerfile", NAIVE)
    uri = (project / "Dockerfile").as_uri()
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=long)]))
    request = asyncio.ensure_future(actions_at(client, project / "Dockerfile", 0))
    await asyncio.sleep(0)
    found = await change_document(client, project / "Dockerfile", 3, NAIVE.replace(" as ", " AS "))
    with pytest.raises(Exception, match="changed"):
        await request
    assert "DF001" not in [d.code for d in found]
    assert [params.version for params in client.published if params.uri == uri] == [1, 3]  # never 2


async def test_nothing_the_client_sends_crashes_the_server(client: LanguageClient, project):
    missing = (project / "nothing-open" / "Dockerfile")
    assert await actions_at(client, missing, 0) == []  # a document that is not open: not read from disk
    await open_document(client, project / "Dockerfile", NAIVE)
    await actions_at(client, project / "Dockerfile", 10_000)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=(project / "Dockerfile").as_uri()),
        position=types.Position(line=99, character=99)))
    assert hover is None
    for body in (b"{not json", b'{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"x": 1}}',
                 b'{"jsonrpc": "2.0", "id": 7, "method": "textDocument/codeAction", "params": null}',
                 b'{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": '
                 b'{"uri": "file:///nowhere/Dockerfile", "version": 2}, "contentChanges": [{"text": "FROM x"}]}}',
                 b'[1, 2]', b'{"jsonrpc": "2.0", "id": 8, "method": "dockerfix/unknown"}'):
        send_raw(client, body)
    for text in ("", "\x00\ufeff", "FROM " + "a" * 100_000, "\r\r\n\\\n", "FROM scratch\nRUN <<EOF\n"):
        await change_document(client, project / "Dockerfile", 2 + len(text), text)
    assert codes(await change_document(client, project / "Dockerfile", 99, NAIVE))[0] == (1, "DF001")
