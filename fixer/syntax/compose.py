"""A Compose file as text plus the YAML library's view of it.

ruamel.yaml re-emits only about 60% of real Compose files byte for byte, so dockerfix never
dumps YAML: the library locates nodes (line and column of keys, values and items) and
validates results; fixes are edits on spans of the original text, as for Dockerfiles.
"""
from __future__ import annotations

import warnings
from functools import lru_cache

from ..lazy_regex import lazy_regex
from ..records import record
from .errors import DockerfileError
from .tree import line_starts

TOP_LEVEL_KEYS = frozenset({"version", "name", "include", "services", "networks", "volumes", "configs", "secrets",
                            "models"})


# The line breaks of Compose's YAML library (Go's yaml.v3), and of the marks of load's reader;
# and the character ruamel.yaml counts in no column.
YAML_LINE_BREAK = lazy_regex("\r\n?|[\n\x85\u2028\u2029]")
NO_COLUMN = "\ufeff"


class ComposeError(DockerfileError):
    """Not YAML, or not a Compose file; names the line where it can."""


@record
class ComposeDocument:
    text: str
    data: list            # the documents' top-level mappings (ruamel CommentedMap), usually one
    line_starts: list[int]  # of the lines ruamel counts: see yaml_line_starts
    uncounted: bool = False  # the text has a U+FEFF, which ruamel counts in no column

    def offset(self, line: int, column: int = 0) -> int:
        """Source offset of a 0-based (line, column) as ruamel reports it."""
        if line >= len(self.line_starts):
            return len(self.text)
        if self.uncounted:
            return _column_offset(self.text, self.line_starts[line], column)
        return self.line_starts[line] + column

    def line_end(self, line: int) -> int:
        """Offset just past the line break of the 0-based `line`."""
        return self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)

    @property
    def newline(self) -> str:
        return "\r\n" if "\r\n" in self.text else "\n"

    def services(self):
        """(document, name, service mapping) for every service of every document."""
        for document in self.data:
            services = document.get("services") if hasattr(document, "get") else None
            if hasattr(services, "items"):
                for name, service in services.items():
                    if hasattr(service, "get"):
                        yield document, name, service


def load(text: str) -> ComposeDocument:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, YAMLError

    yaml = YAML(typ="rt")
    yaml.Reader = _reader()
    try:
        with warnings.catch_warnings():
            # An anchor defined twice: Compose (Go's yaml.v3) takes the later one, and so does
            # ruamel.yaml, after a warning that would reach the user's terminal.
            warnings.simplefilter("ignore", ReusedAnchorWarning)
            documents = [doc for doc in yaml.load_all(text) if doc is not None]
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise ComposeError(f"not valid YAML: {error.problem or error}", line) from None
    except YAMLError as error:
        raise ComposeError(f"not valid YAML: {error}") from None
    except (AttributeError, TypeError, ValueError, KeyError, RecursionError) as error:
        # ruamel.yaml fails this way on some malformed merges (`<<: *anchor`) it cannot build
        raise ComposeError(f"not valid YAML: the YAML library cannot build it ({error})") from None
    _check_aliases(documents)
    for document in documents:  # an empty or comment-only file is a Compose file with nothing in it
        if not hasattr(document, "items"):
            raise ComposeError("not a Compose file: the top level is not a mapping")
        unknown = [str(key) for key in document if str(key) not in TOP_LEVEL_KEYS and not str(key).startswith("x-")]
        if unknown:
            line = document.lc.key(unknown[0])[0] + 1 if hasattr(document, "lc") else 0
            raise ComposeError(f"not a Compose file: unknown top-level key '{unknown[0]}'", line)
        services = document.get("services")
        if services is not None and not hasattr(services, "items"):
            raise ComposeError("`services` must be a mapping", document.lc.key("services")[0] + 1)
    return ComposeDocument(text, documents, yaml_line_starts(text), NO_COLUMN in text)


MAX_REPEATED_NODES = 100_000  # the aliases of the largest real Compose file seen repeat some 4,000


def _check_aliases(documents: list) -> None:
    """Refuse an alias bomb: aliases that repeat more than MAX_REPEATED_NODES values, as a few
    hundred bytes of aliases of aliases can (each level multiplies), which every walk of the
    services would then visit (Compose refuses it too). What each mapping and list holds is
    counted once, so this takes time in the size of the text. (ruamel.yaml builds no cycle: an
    alias inside what it names reads as null.)"""
    counter = _AliasCounter()
    try:
        for document in documents:
            counter.size(document, document.lc.line + 1 if hasattr(document, "lc") else 0)
    except RecursionError:
        raise ComposeError("not valid YAML: nested too deeply") from None


class _AliasCounter:
    def __init__(self) -> None:
        self.sizes: dict[int, int] = {}  # id of a mapping or list -> its values, aliases expanded
        self.repeated = 0                # values the aliases so far repeat

    def size(self, node, line: int) -> int:
        """The values in `node`, aliases expanded (a scalar is 1); `line` (1-based) is where it is."""
        if not isinstance(node, (dict, list)):
            return 1
        if id(node) in self.sizes:  # met before: this is an alias, and repeats it
            self.repeated += self.sizes[id(node)]
            if self.repeated > MAX_REPEATED_NODES:
                raise ComposeError(f"aliases repeat more than {MAX_REPEATED_NODES:,} values (an alias bomb?): "
                                   "dockerfix does not read this file", line)
            return self.sizes[id(node)]
        if isinstance(node, dict):
            lines = node.lc.data if hasattr(node, "lc") and node.lc.data else {}
            total = 1 + sum(self.size(value, lines[key][0] + 1 if key in lines else line)
                            for key, value in node.items())
        else:  # an aliased item's line is where its anchor is: name the list's line instead
            total = 1 + sum(self.size(item, line) for item in node)
        self.sizes[id(node)] = total
        return total


def yaml_line_starts(text: str) -> list[int]:
    """Where each line starts as Compose numbers lines: after a `\\n`, a `\\r\\n`, a lone `\\r`,
    U+0085, U+2028 or U+2029 (a Dockerfile's lines end at `\\n` only)."""
    if text.isascii() and "\r" not in text:
        return line_starts(text)
    return [0] + [match.end() for match in YAML_LINE_BREAK.finditer(text)]


@lru_cache(maxsize=1)
def _reader():
    """ruamel.yaml's reader, its marks starting a line at U+0085, U+2028 and U+2029 as well.

    Its scanner ends a comment at them and goes on as on a new line, as Compose's yaml.v3 does;
    but in YAML 1.2 mode its reader counts them in no line, so the key after one
    (`# note<U+2028>key: 1`) would keep the column it has after the comment, and a valid file
    would be refused for its indentation."""
    from ruamel.yaml.reader import Reader

    class LineBreakingReader(Reader):
        forward = Reader.forward_1_1  # the same but for what it counts as a line break

    return LineBreakingReader


def _column_offset(text: str, start: int, column: int) -> int:
    """The offset of `column` in the line at `start`, counting no U+FEFF (the scanner skips a
    byte order mark before its first token)."""
    position = start + 1 if start == 0 and text.startswith(NO_COLUMN) else start
    while column and position < len(text):
        if text[position] != NO_COLUMN:
            column -= 1
        position += 1
    return position
