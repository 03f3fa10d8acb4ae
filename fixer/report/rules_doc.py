"""docs/rules.md and the README's rule table, generated from the rules' declarations and
their modules' docstrings (the single source), and the options from theirs
(fixer.rules.options).

    python -m fixer.report.rules_doc > docs/rules.md
    python -m fixer.report.rules_doc --readme    # the table between the README's markers

A test fails when either file and the rules disagree.
"""
from __future__ import annotations

import re
import sys
from functools import lru_cache

from ..rules import ALL_RULES
from ..rules.options import OPTIONS, options_of, rules_reading

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
    parts.append(_options_table())
    for rule in ALL_RULES:
        body = doc_body(rule)
        parts.append(f"\n## {rule.id} {rule.name}\n\n{rule.summary[:1].upper()}{rule.summary[1:]}.\n\n"
                     f"Severity: {_severity(rule)}.\n\n{_rule_options(rule)}")
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


OPTIONS_HEADER = """
## Options

What the configuration (`[tool.dockerfix]` or `.dockerfix.toml`) can tell the rules that
read it. A file that extends another merges a table key by key; any other value replaces
the other file's.

| option | takes | default | read by | what it sets |
|---|---|---|---|---|
"""


def _options_table() -> str:
    rows = [f"| `{option.name}` | {option.value} | {_default(option)} | "
            + ", ".join(f"[{rule.id}](#{anchor(rule.id, rule.name)})" for rule in rules_reading(option, ALL_RULES))
            + f" | {option.description} |\n" for option in OPTIONS]
    return OPTIONS_HEADER + "".join(rows)


def _rule_options(rule) -> str:
    """The options `rule` reads, as its section lists them ("" when it reads none)."""
    declared = options_of(rule)
    if not declared:
        return ""
    items = "".join(f"- `{option.name}`: {_option_line(option)}\n" for option in declared)
    return f"Options (the configuration's keys it reads):\n\n{items}\n"


def _option_line(option) -> str:
    """One option as a sentence: what it sets, what it takes, its default."""
    what = f"{option.description[:1].upper()}{option.description[1:]}"
    return f"{what}. Takes {option.value}; default: {_default(option)}."


def _default(option) -> str:
    return option.default_text or f"`{option.default}`"


README_HEADER = """| id | name | on | fix | options | what |
|---|---|---|---|---|---|
"""
README_FIX = {"mixed": "safe / unsafe"}   # the paragraph under the README's table says what that means


def readme_table() -> str:
    """The README's rule table: what stands between its markers. The Dockerfile rules first."""
    rows = []
    for rule in sorted(ALL_RULES, key=lambda rule: (rule.kind != "dockerfile", rule.id)):
        options = ", ".join(f"`{option.name}`" for option in options_of(rule))
        rows.append(f"| [{rule.id}](docs/rules.md#{anchor(rule.id, rule.name)}) | {rule.name} | "
                    f"{'yes' if rule.default else 'no'} | {README_FIX.get(rule.fix_safety, rule.fix_safety)} | "
                    f"{options} | {rule.summary}{_also_reported_by(rule)} |\n")
    return README_HEADER + "".join(rows)


def _also_reported_by(rule) -> str:
    """The other linters' names for what the rule reports, as " (hadolint: DL3019; BuildKit: X)", or ""."""
    names = [f"{linter}: {', '.join(codes)}" for linter, codes in (("hadolint", rule.hadolint),
                                                                   ("BuildKit", rule.buildkit)) if codes]
    return f" ({'; '.join(names)})" if names else ""


def doc_body(rule) -> str:
    """The rule's docstring after its first line: the What / Why / Example / Fix safety sections."""
    return rule.doc.split("\n", 1)[1].strip("\n") if "\n" in rule.doc else ""


def explanation(rule) -> str:
    """What `dockerfix --explain RULE` prints: the docstring's sections, and the options the rule reads."""
    options = "".join(f"\n    {option.name}: {_option_line(option)}" for option in options_of(rule))
    return f"{rule.id} {rule.name}: {rule.summary}\n\n{doc_body(rule).strip()}" + (
        f"\n\nOptions{options}" if options else "")


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
    sys.stdout.write(readme_table() if sys.argv[1:] == ["--readme"] else render())
