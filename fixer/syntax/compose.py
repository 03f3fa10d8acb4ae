"""A Compose file as text plus the YAML library's view of it.

ruamel.yaml re-emits only about 60% of real Compose files byte for byte, so dockerfix never
dumps YAML: the library locates nodes (line and column of keys, values and items) and
validates results; fixes are edits on spans of the original text, as for Dockerfiles.
"""
from __future__ import annotations

import warnings

from ..records import record
from .errors import DockerfileError
from .tree import line_starts

TOP_LEVEL_KEYS = frozenset({"version", "name", "include", "services", "networks", "volumes", "configs", "secrets",
                            "models"})


class ComposeError(DockerfileError):
    """Not YAML, or not a Compose file; names the line where it can."""


@record
class ComposeDocument:
    text: str
    data: list            # the documents' top-level mappings (ruamel CommentedMap), usually one
    line_starts: list[int]

    def offset(self, line: int, column: int = 0) -> int:
        """Source offset of a 0-based (line, column) as ruamel reports it."""
        return self.line_starts[line] + column if line < len(self.line_starts) else len(self.text)

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
    return ComposeDocument(text, documents, line_starts(text))
