"""The rule registries: Dockerfile rules imported with fixer.rules, Compose rules on demand."""
from __future__ import annotations

from fixer.rules import ALL_RULES, DOCKERFILE_RULES, compose_rules, find_rule, resolve


def test_all_rules_are_both_registries_once_in_id_order():
    assert list(ALL_RULES) == sorted(DOCKERFILE_RULES + compose_rules(), key=lambda rule: rule.id)
    assert len({rule.id for rule in ALL_RULES}) == len(ALL_RULES)
    assert {rule.kind for rule in DOCKERFILE_RULES} == {"dockerfile"}
    assert {rule.kind for rule in compose_rules()} == {"compose"}


def test_resolve_gives_the_rules_of_one_kind():
    assert resolve(["DC005", "DF002"], kind="dockerfile") == [find_rule("DF002")]
    assert resolve(["DC005", "DF002"], kind="compose") == [find_rule("compose-secret-environment")]
    assert resolve(["ALL"], ["DF002"], kind="dockerfile") == [r for r in DOCKERFILE_RULES if r.id != "DF002"]
    assert resolve(kind="compose") == [find_rule("DF000")] + [rule for rule in compose_rules() if rule.default]
