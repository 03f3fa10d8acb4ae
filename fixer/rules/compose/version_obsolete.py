"""compose-version-obsolete (DC001): the top-level `version:` key goes.

What it does
    Removes the top-level `version:` key of a Compose file, with its value: the whole line
    in a block mapping; in a flow mapping (`{"version": "3.8", "services": {…}}`) only the
    key, the value and the comma that separates them from the next entry (or the previous
    one), and the line itself when nothing else is left on it.

Why
    The Compose Specification ignores `version`; Docker Compose v2 warns that it is obsolete
    ("the attribute `version` is obsolete, it will be ignored"). It only misleads readers
    into thinking a file format version still matters.

Example
    version: "3.8"
    services:
      web:
        image: nginx:1.27
    ->
    services:
      web:
        image: nginx:1.27

Fix safety
    Not every tool ignores the key: docker-compose v1 before 1.27 reads a file without it as
    the v1 format (and rejects `services:`), and `docker stack deploy` and docker/cli's
    compose loader before Docker 23 (libcompose, tools vendoring them) refuse it. So the fix
    is safe only on positive evidence that Compose v2 or the Compose Specification reads the
    file, given as file:line: `docker compose` (with a space) in the repository's CI
    workflows, Makefiles, scripts, docs or Go sources; the Go code reading Compose files with
    compose-go; another Compose file of the repository that already has no `version:`; or a
    feature of the Compose Specification in this file (top-level `name:` or `include:`, a
    service's `profiles:` or `develop:`, a `depends_on` `condition:` in a 3.x file). Such a
    feature settles it whatever else the repository runs: a tool that needs `version` refuses
    the file anyway. Without one, the fix is unsafe, naming the evidence, where the
    repository runs `docker-compose` (with a hyphen) or `docker stack deploy`, pins
    docker-compose 1.x, or vendors docker/cli's compose loader or libcompose, even when there
    is evidence for v2 too; and unsafe where nothing in the repository says which tool reads
    the file.

    The fix is made only when the file, read again with the YAML library, holds exactly what
    it held less `version` (comments aside). Otherwise it is reported without a fix, saying
    why: a value dockerfix cannot delimit (a block scalar, a collection, a plain scalar
    running over several lines), something else on the key's line in a block mapping,
    comments between the key and the comma before it in a flow mapping, or an anchor on the
    value that the rest of the file uses.
"""
from __future__ import annotations

from ...context.compose_tool import compose_tools
from ...syntax.compose import ComposeError, load
from ..base import MIXED, SAFE, UNSAFE, ComposeChecker, Edit, Rule
from .support import at_key, key_line, key_position, plain

MESSAGE = "`version` is obsolete: Compose ignores it"
BLANKS = " \t"


def check(checker: ComposeChecker):
    document = checker.tree
    for index, mapping in enumerate(document.data):
        if "version" not in mapping or key_position(mapping, "version") is None:
            continue  # merged in from an anchor: not written here
        where = at_key(mapping, "version")
        edits, problem = _removal(document, mapping)
        if edits and not _only_version_goes(document, edits, index):
            edits, problem = (), _why_not_exactly(document, mapping)
        if not edits:
            yield checker.report(RULE, where, MESSAGE, reason=problem)
            continue
        safe, reason, evidence = _which_tool(checker)
        yield checker.report(RULE, where, MESSAGE, *edits, applicability=SAFE if safe else UNSAFE, reason=reason,
                             evidence=("the file read again holds what it held, less `version`", *evidence))


# What each older tool does with a file without `version`, for the reason of an unsafe fix.
LEGACY_TOOLS = {
    "docker-compose": "the repository runs docker-compose ({}); before 1.27 it reads a file without `version` "
                      "as the v1 format",
    "docker-compose 1.x": "the repository pins docker-compose 1.x ({}); before 1.27 it needs `version`",
    "docker stack deploy": "the repository runs docker stack deploy ({}); before Docker 23 it needs `version`",
    "compose loader": "the repository uses docker/cli's compose loader or libcompose ({}); they need `version`",
}
DOCS_ONLY = {"docker-compose": "the repository's docs tell users to run docker-compose ({}); before 1.27 it reads "
                               "a file without `version` as the v1 format"}
SHOWN_CLUES = 3


def _which_tool(checker: ComposeChecker) -> tuple[bool, str, tuple[str, ...]]:
    """Whether the fix is safe, why not, and the lines it rests on: positive evidence that
    Compose v2 or the Compose Specification reads the file, and none that an older tool does."""
    features = [f"this file, line {line}: {what}" for line, what in _specification_features(checker.tree)]
    if features:  # only a tool that reads the Specification runs this file: each of those ignores `version`
        return True, "", (*features[:SHOWN_CLUES], "a tool that needs `version` refuses this file anyway")
    v2: list[str] = []
    legacy = []
    if checker.context is not None:
        tools = compose_tools(checker.context)
        v2 += [f"{clue} ({clue.kind})" for clue in tools.v2]
        legacy = list(tools.legacy)
    if legacy:
        reasons = [_legacy_reason(kind, [clue.where for clue in legacy if clue.kind == kind])
                   for kind in dict.fromkeys(clue.kind for clue in legacy)]
        also = f"; whatever says Compose v2 reads it ({v2[0]})" if v2 else ""
        firsts = {clue.kind: f"{clue} ({clue.kind})" for clue in reversed(legacy)}  # each kind's first
        return False, "; ".join(reasons) + also, tuple(list(reversed(firsts.values()))[:SHOWN_CLUES] + v2[:1])
    if not v2:
        return False, "nothing in the repository says which Compose tool reads this file", ()
    return True, "", tuple(v2[:SHOWN_CLUES])


def _legacy_reason(kind: str, places: list[str]) -> str:
    only_docs = all(_in_docs(place) for place in places) and kind in DOCS_ONLY
    template = DOCS_ONLY[kind] if only_docs else LEGACY_TOOLS[kind]
    return template.format(_places(places, mark_docs=not only_docs))


def _places(places: list[str], mark_docs: bool = True) -> str:
    """Where the clues are, what the repository runs (scripts, CI, Makefiles) before what its
    docs say, docs marked as such."""
    ranked = sorted(places, key=_in_docs)
    shown = ", ".join(f"{place} (docs)" if mark_docs and _in_docs(place) else place
                      for place in ranked[:SHOWN_CLUES])
    return shown if len(places) <= SHOWN_CLUES else f"{shown} and {len(places) - SHOWN_CLUES} more"


DOC_SUFFIXES = (".md", ".rst", ".adoc")


def _in_docs(place: str) -> bool:
    path = place.rsplit(":", 1)[0]
    return path.lower().endswith(DOC_SUFFIXES) or "ISSUE_TEMPLATE/" in path


def _specification_features(document) -> list[tuple[int, str]]:
    """(line, what) of the Compose Specification's own features in the file: an older tool
    would refuse it anyway, so whatever reads it reads the Specification."""
    found = []
    for mapping in document.data:
        if not hasattr(mapping, "get"):
            continue
        found += [(key_line(mapping, key) + 1, f"top-level `{key}:`") for key in ("name", "include")
                  if key in mapping]
        version = str(mapping.get("version", ""))
        for name, service in (mapping.get("services") or {}).items() if hasattr(mapping.get("services"),
                                                                                "items") else ():
            if not hasattr(service, "get"):
                continue
            found += [(key_line(service, key) + 1, f"`{key}:` of service {name}") for key in ("profiles", "develop")
                      if key in service]
            depends_on = service.get("depends_on")
            if version.startswith("3") and hasattr(depends_on, "values") and any(
                    hasattr(entry, "get") and "condition" in entry for entry in depends_on.values()):
                found.append((key_line(service, "depends_on") + 1, f"`depends_on` with `condition:` in a "
                              f"version {version} file (service {name})"))
    return found


def _removal(document, mapping) -> tuple[tuple[Edit, ...], str]:
    """The edits removing `version` and its value, or none and why."""
    text = document.text
    key_line, key_column = mapping.lc.key("version")
    start = document.offset(key_line, key_column)
    flow = bool(mapping.fa.flow_style())
    value_end = _scalar_end(text, document.offset(*mapping.lc.value("version")), flow)
    if value_end is None:
        return (), "its value is not a scalar dockerfix can delimit"
    if flow:
        return _flow_removal(text, start, value_end)
    return _block_removal(document, key_line, start, value_end)


def _why_not_exactly(document, mapping) -> str:
    if document.text[document.offset(*mapping.lc.value("version")):].startswith("&"):
        return "the rest of the file uses the anchor on its value"
    return "the file would read differently without it"


def _block_removal(document, key_line: int, start: int, value_end: int) -> tuple[tuple[Edit, ...], str]:
    """The key's lines, through its value's (a quoted value may span several), with a blank
    line after them when they open the file or follow a blank line."""
    text = document.text
    line_start = document.offset(key_line)
    if text[line_start:start].strip(BLANKS):
        return (), "something else is on its line"
    after = _line_rest(text, value_end)
    if after is None:
        return (), "something else follows its value on the line"
    last_line = text.count("\n", 0, value_end)
    if _continues(text, after, start - line_start):
        return (), "its value runs on over the next line"
    end = after
    if _blank(document, last_line + 1) and (key_line == 0 or _blank(document, key_line - 1)):
        end = document.line_end(last_line + 1)  # no blank line left behind at the top, or doubled
    return (Edit(line_start, end, ""),), ""


def _flow_removal(text: str, start: int, value_end: int) -> tuple[tuple[Edit, ...], str]:
    """In `{…}`: the key, its value and the comma after them (or, for the last entry, the
    comma before them); the line too when nothing else is left on it."""
    following = _skip_blanks_and_comments(text, value_end)
    if following < len(text) and text[following] == ",":
        end = following + 1
        while end < len(text) and text[end] in BLANKS:
            end += 1
        return (_span_or_line(text, start, end),), ""
    if following >= len(text) or text[following] != "}":
        return (), "dockerfix cannot tell where its entry ends"
    before = start
    while before > 0 and text[before - 1] in BLANKS + "\r\n":
        before -= 1
    if before == 0 or text[before - 1] not in ",{":
        return (), "comments stand between it and the entry before it"
    if text[before - 1] == "{":  # the only entry
        if before == start or "\n" in text[before:following]:
            return (_span_or_line(text, start, value_end),), ""
        return (Edit(before, following, ""),), ""  # `{ version: "3" }`: `{}`
    comma = before - 1
    if "\n" not in text[comma:start]:
        return (Edit(comma, value_end, ""),), ""
    return (Edit(comma, comma + 1, ""), _span_or_line(text, start, value_end)), ""


def _continues(text: str, index: int, key_column: int) -> bool:
    """Whether the line at `index` goes on a plain scalar of a key at `key_column`: it is
    indented deeper and is not a comment."""
    end = text.find("\n", index)
    line = text[index:end if end >= 0 else len(text)]
    content = line.lstrip(BLANKS)
    return bool(content.strip()) and not content.startswith("#") and len(line) - len(content) > key_column


def _span_or_line(text: str, start: int, end: int) -> Edit:
    """Remove text[start:end]; with its whole line when only blanks (and a comment) are left
    on it; with the blanks before it when it ended the line."""
    line_start = text.rfind("\n", 0, start) + 1
    after = _line_rest(text, end)
    if after is not None and not text[line_start:start].strip(BLANKS):
        return Edit(line_start, after, "")
    if after is not None and _line_break_at(text, _skip_blanks(text, end)):
        while start > line_start and text[start - 1] in BLANKS:
            start -= 1
    return Edit(start, end, "")


def _scalar_end(text: str, start: int, flow: bool) -> int | None:
    """Where the scalar starting at `start` (after its anchor or tag, if any) ends; None for
    a block scalar, a collection or a quoted scalar left open."""
    while start < len(text) and text[start] in "&!":
        while start < len(text) and text[start] not in BLANKS + "\r\n":
            start += 1
        start = _skip_blanks(text, start)
    if start >= len(text) or text[start] in "|>[{\r\n":
        return None
    if text[start] in "\"'":
        return _quoted_end(text, start)
    stops = "\r\n,}]" if flow else "\r\n"
    end = start
    while end < len(text) and text[end] not in stops and not text.startswith((" #", "\t#"), end):
        end += 1
    while end > start and text[end - 1] in BLANKS:
        end -= 1
    return end


def _quoted_end(text: str, start: int) -> int | None:
    quote, index = text[start], start + 1
    while index < len(text):
        if quote == '"' and text[index] == "\\":
            index += 2
        elif text[index] == quote and quote == "'" and text.startswith("''", index):
            index += 2
        elif text[index] == quote:
            return index + 1
        else:
            index += 1
    return None


def _line_rest(text: str, index: int) -> int | None:
    """Past the line break ending the line at `index`, when only blanks and a comment follow
    `index` on it; None otherwise."""
    index = _skip_blanks(text, index)
    if index < len(text) and text[index] == "#":
        index = text.find("\n", index)
        index = len(text) if index < 0 else index
    if index < len(text) and text[index] == "\r" and text.startswith("\r\n", index):
        return index + 2
    if index < len(text) and text[index] == "\n":
        return index + 1
    return index if index == len(text) else None


def _line_break_at(text: str, index: int) -> bool:
    return index >= len(text) or text[index] in "\r\n"


def _skip_blanks(text: str, index: int) -> int:
    while index < len(text) and text[index] in BLANKS:
        index += 1
    return index


def _skip_blanks_and_comments(text: str, index: int) -> int:
    while index < len(text):
        if text[index] in BLANKS + "\r\n":
            index += 1
        elif text[index] == "#":
            newline = text.find("\n", index)
            index = len(text) if newline < 0 else newline
        else:
            break
    return index


def _only_version_goes(document, edits: tuple[Edit, ...], index: int) -> bool:
    """Whether the text with `edits` reads as the same documents, less `version` in the
    `index`th: the edits are checked, not trusted."""
    pieces, position = [], 0
    for edit in sorted(edits, key=lambda edit: edit.start):
        pieces += [document.text[position:edit.start], edit.replacement]
        position = edit.end
    try:
        after = load("".join(pieces) + document.text[position:])
    except ComposeError:
        return False
    expected = [plain(mapping) for mapping in document.data]
    if not isinstance(expected[index], list):  # a tagged top level: not worth the trouble
        return False
    expected[index] = [(key, value) for key, value in expected[index] if key != ("str", "version")]
    return [plain(mapping) for mapping in after.data] == expected


def _blank(document, line: int) -> bool:
    if line < 0 or line >= len(document.line_starts):
        return False
    return not document.text[document.offset(line):document.line_end(line)].strip()


RULE = Rule(id="DC001", name="compose-version-obsolete", summary="the obsolete top-level `version:` key goes",
            check=check, doc=__doc__, kind="compose", fix_safety=MIXED, severity="info")
