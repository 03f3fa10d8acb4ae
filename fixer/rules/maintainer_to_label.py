"""maintainer-to-label (DF014): the deprecated `MAINTAINER` becomes an OCI authors label.

What it does
    Replaces `MAINTAINER <text>` with `LABEL org.opencontainers.image.authors="<text>"`.
    Comment lines inside the instruction's continuation (BuildKit skips them) move above
    it, in their order.

Why
    MAINTAINER has been deprecated since Docker 1.13: tools read the authors from the
    image's labels, where MAINTAINER does not put them. hadolint: DL4000; BuildKit:
    MaintainerDeprecated.

Example
    MAINTAINER Jane Doe <jane@example.com>
    ->
    LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"

Fix safety
    Not reported where BuildKit's `# check=skip=MaintainerDeprecated` (or `skip=all`) turns
    the check off. Safe: the text is kept, quoted so that LABEL does not expand `$` or split it. A
    MAINTAINER inside ONBUILD is an error dockerfix refuses anyway. Not fixed: a MAINTAINER
    with a suppression comment (`# dockerfix:`, `# hadolint`) inside its continuation, which
    would start to suppress findings above it, or one above every instruction, where a
    comment moved above it could become a parser directive.
"""
from __future__ import annotations

from ..syntax.edits import comments_moved_above
from .base import SAFE, Checker, Edit, Rule

MESSAGE = "MAINTAINER is deprecated: use the org.opencontainers.image.authors label"


def check(checker: Checker):
    tree = checker.tree
    for node in tree.instructions:
        if node.keyword != "MAINTAINER" or not node.arguments:
            continue
        written = tree.text[node.keyword_span.start:node.keyword_span.end]
        keyword = "label" if written.islower() else "LABEL"
        value = node.arguments.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
        start, end = node.keyword_span.start, node.arguments_source_end
        kept = comments_moved_above(tree, node, start, end)
        if kept is None:
            yield checker.report(RULE, node, MESSAGE, reason="a comment inside the instruction would start to "
                                                             "mean something above it")
            continue
        yield checker.report(RULE, node, MESSAGE, *kept,
                             Edit(start, end, f'{keyword} org.opencontainers.image.authors="{value}"'),
                             applicability=SAFE)


RULE = Rule(id="DF014", name="maintainer-to-label",
            summary="MAINTAINER becomes an org.opencontainers.image.authors label",
            check=check, doc=__doc__, hadolint=("DL4000",), buildkit=("MaintainerDeprecated",), fix_safety=SAFE,
            severity="info")
