"""docs/rules.md, generated from the rule modules' docstrings (the single source).

    python -m fixer.report.rules_doc > docs/rules.md

A test fails when the file and the rules disagree.
"""
from __future__ import annotations

import re
import sys
from functools import lru_cache

from ..rules import ALL_RULES

HEADER = """# dockerfix rules

Generated from the rules' own documentation by `python -m fixer.report.rules_doc`; do not
edit by hand. `dockerfix --explain RULE` shows the same for one rule.

Severity is the default (the `severity` table of the configuration sets another): `error`,
`warning`, `info` or `style`. `dockerfix --check` fails on a file it would change, and on a
finding it leaves at or above `--fail-level` (default `warning`). A security rule carries a
score as GitHub code scanning ranks it (SARIF `security-severity`).

| id | name | severity | on by default | fix | hadolint | BuildKit |
|---|---|---|---|---|---|---|
"""


def anchor(rule_id: str, name: str) -> str:
    """The anchor of a rule's section (its heading `## DF004 consecutive-run`), as GitHub makes it."""
    return f"{rule_id.lower()}-{name}"


def render() -> str:
    parts = [HEADER]
    for rule in ALL_RULES:
        parts.append(f"| [{rule.id}](#{anchor(rule.id, rule.name)}) | {rule.name} | {_severity(rule)} | "
                     f"{'yes' if rule.default else 'no'} | {rule.fix_safety} | {', '.join(rule.hadolint) or '—'} | "
                     f"{', '.join(rule.buildkit) or '—'} |\n")
    parts.append(_hadolint_mapping())
    for rule in ALL_RULES:
        body = doc_body(rule)
        parts.append(f"\n## {rule.id} {rule.name}\n\n{rule.summary[:1].upper()}{rule.summary[1:]}.\n\n"
                     f"Severity: {_severity(rule)}.\n\n")
        parts.append(as_markdown(body))
    parts.append(FILE_ERRORS)
    return re.sub(r"\n{3,}", "\n\n", "".join(parts))


def _severity(rule) -> str:
    if rule.security_severity is None:
        return rule.severity
    return f"{rule.severity} (security {rule.security_severity:.1f})"


FILE_ERRORS = """
## DF999 file-error

Not a rule: how the machine-readable reports (SARIF, GitLab, rdjson, JUnit, checkstyle)
name a file dockerfix cannot read, parse or fix. Such a file is never written, cannot be
ignored, and makes the run exit 2; the other files are fixed all the same.
"""


HADOLINT_HEADER = """
## hadolint's rules

hadolint's suppressions switch off the dockerfix rules that report what the hadolint rules
they name report: `# hadolint ignore=DL…` above an instruction, `# hadolint global
ignore=DL…` anywhere in a file, and `ignored:` in the nearest `.hadolint.yaml` (unless the
dockerfix configuration selects the rule by name). A rule listed with several codes is
switched off by any one of them. `override:` there sets the severity of the rules its codes
map to (the most severe, where a rule's codes are given different ones), unless the
dockerfix configuration's `severity` table names the rule. Codes no dockerfix rule reports
are left to hadolint.

| hadolint | dockerfix |
|---|---|
"""


def _hadolint_mapping() -> str:
    """Each hadolint code some rule declares, with the rules that report the same thing."""
    codes = sorted({code for rule in ALL_RULES for code in rule.hadolint})
    rows = [f"| {code} | " + ", ".join(f"[{rule.id}](#{anchor(rule.id, rule.name)}) {rule.name}"
                                       for rule in ALL_RULES if code in rule.hadolint) + " |\n" for code in codes]
    return HADOLINT_HEADER + "".join(rows)


def doc_body(rule) -> str:
    """The rule's docstring after its first line: the What / Why / Example / Fix safety sections."""
    return rule.doc.split("\n", 1)[1].strip("\n") if "\n" in rule.doc else ""


def explanation(rule) -> str:
    """What `dockerfix --explain RULE` prints."""
    return f"{rule.id} {rule.name}: {rule.summary}\n\n{doc_body(rule).strip()}"


@lru_cache(maxsize=1)
def repository_document() -> str | None:
    """docs/rules.md on the repository the package metadata names, or None when it names none."""
    from importlib import metadata

    try:
        urls = metadata.metadata("dockerfix").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for label, _, url in (entry.partition(", ") for entry in urls):
        if label.strip().lower() in ("repository", "source", "source code", "homepage") and url.startswith("http"):
            return f"{url.rstrip('/')}/blob/main/docs/rules.md"
    return None


def as_markdown(body: str) -> str:
    """The docstring's sections (a heading line, then text indented by four) as markdown."""
    out = []
    for line in body.splitlines():
        if line and not line.startswith(" "):
            out.append(f"\n**{line.strip()}**\n\n")
        else:
            out.append(line[4:] + "\n" if line.startswith("    ") else line + "\n")
    text = "".join(out).strip("\n") + "\n"
    return _fence_examples(text)


def _fence_examples(text: str) -> str:
    """The Example section's Dockerfile lines as a code block."""
    marker = "**Example**\n\n"
    if marker not in text:
        return text
    before, rest = text.split(marker, 1)
    example, _, after = rest.partition("\n**")
    after = ("\n**" + after) if after else ""
    return f"{before}{marker}```dockerfile\n{example.strip()}\n```\n{after}"


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(render())
