"""maintainer-to-label (DF014): the deprecated `MAINTAINER` becomes an OCI authors label.

What it does
    Replaces `MAINTAINER <text>` with `LABEL org.opencontainers.image.authors="<text>"`.

Why
    MAINTAINER has been deprecated since Docker 1.13: tools read the authors from the
    image's labels, where MAINTAINER does not put them. hadolint: DL4000; BuildKit:
    MaintainerDeprecated.

Example
    MAINTAINER Jane Doe <jane@example.com>
    ->
    LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"

Fix safety
    Safe: the text is kept, quoted so that LABEL does not expand `$` or split it. A
    MAINTAINER inside ONBUILD is an error dockerfix refuses anyway.
"""
from __future__ import annotations

from .base import SAFE, Checker, Edit, Rule


def check(checker: Checker):
    tree = checker.tree
    for node in tree.instructions:
        if node.keyword != "MAINTAINER" or not node.arguments:
            continue
        written = tree.text[node.keyword_span.start:node.keyword_span.end]
        keyword = "label" if written.islower() else "LABEL"
        value = node.arguments.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
        end = node.arguments_source_end
        yield checker.report(RULE, node, "MAINTAINER is deprecated: use the org.opencontainers.image.authors label",
                             Edit(node.keyword_span.start, end,
                                  f'{keyword} org.opencontainers.image.authors="{value}"'), applicability=SAFE)


RULE = Rule(id="DF014", name="maintainer-to-label",
            summary="MAINTAINER becomes an org.opencontainers.image.authors label",
            check=check, doc=__doc__, hadolint=("DL4000",), buildkit=("MaintainerDeprecated",))
