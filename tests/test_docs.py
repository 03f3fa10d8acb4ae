"""Documentation that must not drift from the code."""
from __future__ import annotations

from conftest import ROOT

from fixer.report.rules_doc import render
from fixer.rules import ALL_RULES


def test_docs_rules_md_is_generated_from_the_rules():
    on_disk = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert on_disk == render(), "regenerate: .venv/bin/python -m fixer.report.rules_doc > docs/rules.md"


def test_every_rule_documents_what_why_example_and_safety():
    for rule in ALL_RULES:
        for section in ("What it does", "Why", "Example", "Fix safety"):
            assert f"\n{section}\n" in rule.doc, f"{rule.id} lacks '{section}'"


def test_readme_rules_table_lists_every_rule():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in ALL_RULES:
        assert f"| {rule.id} | {rule.name} |" in readme, rule.id


def test_pre_commit_hooks_run_the_command():
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "id: dockerfix\n" in hooks and "id: dockerfix-check\n" in hooks
    assert "entry: dockerfix --write" in hooks and "entry: dockerfix --check" in hooks


def test_pre_commit_file_pattern_matches_what_discovery_fixes():
    import re

    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    pattern = re.compile(re.search(r"files: (.+)", hooks).group(1).strip())
    for name in ("Dockerfile", "build/api.Dockerfile", "Dockerfile.dev", "Containerfile", "compose.yaml",
                 "deploy/docker-compose.yml", "docker-compose.prod.yml", "compose.override.yaml",
                 "deploy/docker-compose-dev.yml"):
        assert pattern.search(name), name
    for name in ("README.md", "Dockerfile.dockerignore", "compose.json", "go.mod"):
        assert not pattern.search(name), name
