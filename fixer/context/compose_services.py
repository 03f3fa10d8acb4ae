"""The Compose services that build a Dockerfile, and whether they define a healthcheck.

A service's own `healthcheck:` replaces the image's HEALTHCHECK for that service: where the
maintainers define the check in Compose, one in the image is theirs to want. Which Compose
files build the Dockerfile is the project model's answer (fixer.context.project); the Compose
files beside the Dockerfile and at the top of its build context are read as well. A service
counts when its `build:` (a context, or `context` and `dockerfile`) names this Dockerfile; a
service that runs a tag the Dockerfile is built as (`image:` of a `docker build -t`
elsewhere) is not found: the project model records no tags.
"""
from __future__ import annotations

import os

from ..files import is_compose_name
from ..records import record
from .reading import read_text


@record(frozen=True)
class ComposeService:
    file: str          # the Compose file, relative to the repository (or the build context)
    line: int          # the service's first line, 1-based
    name: str
    healthcheck: bool  # it defines `healthcheck:` (a test, or `disable: true`)

    def __str__(self) -> str:
        return f"service {self.name} ({self.file}:{self.line})"


def services_building(context) -> tuple[ComposeService, ...]:
    """The Compose services whose `build:` is the context's Dockerfile; () when the context
    has no Dockerfile path or no Compose file builds it. Unreadable Compose files are passed over."""
    dockerfile = getattr(context, "dockerfile", None)
    if context is None or not dockerfile:
        return ()
    dockerfile = os.path.abspath(dockerfile)
    root, files = _compose_files(context, dockerfile)
    if not files:
        return ()
    from ..syntax.compose import ComposeError, load  # only a Dockerfile with Compose files near it pays

    found = []
    for path in files:
        text = read_text(path)
        try:
            document = load(text) if text is not None else None
        except ComposeError:
            document = None
        if document is None:
            continue
        for _, name, service in document.services():
            if _builds(service.get("build"), os.path.dirname(path)) == dockerfile:
                line = service.lc.line + 1 if hasattr(service, "lc") else 0
                found.append(ComposeService(os.path.relpath(path, root).replace(os.sep, "/"), line, str(name),
                                            "healthcheck" in service))
    return tuple(found)


def _compose_files(context, dockerfile: str) -> tuple[str, list[str]]:
    """(the directory paths are shown relative to, the Compose files to read): those the
    project model says build the Dockerfile, and those beside it and at the top of its context
    (the project model reads a Compose file only when its text names a container tool)."""
    project = context.project
    found = []
    if project is not None:
        paths = [build.source.rsplit(":", 1)[0] for build in project.builds_of(dockerfile) if build.kind == "compose"]
        found += [os.path.join(project.root, path) for path in paths]
    for directory in dict.fromkeys((os.path.dirname(dockerfile), os.path.abspath(context.root))):
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            continue
        found += [os.path.join(directory, name) for name in names if is_compose_name(name)]
    root = project.root if project is not None else os.path.abspath(context.root)
    return root, list(dict.fromkeys(os.path.normpath(path) for path in found))


def _builds(build, base: str) -> str | None:
    """The absolute path of the Dockerfile a service's `build:` names, or None."""
    if isinstance(build, str):
        context_word, dockerfile_word = build, "Dockerfile"
    elif hasattr(build, "get") and "dockerfile_inline" not in build:
        context_word = build.get("context") or "."
        dockerfile_word = build.get("dockerfile") or "Dockerfile"
    else:
        return None
    if not isinstance(context_word, str) or not isinstance(dockerfile_word, str) or "://" in context_word \
            or "$" in context_word + dockerfile_word:
        return None
    return os.path.abspath(os.path.join(base, context_word, dockerfile_word))
