"""BuildKit's `# check=` parser directive, read as BuildKit reads it, and the rules it turns
off: only those that stand for a build check and say no more than it does."""
from __future__ import annotations

import pytest

import fixer
from fixer.engine.suppression import _check_skips
from fixer.rules import find_rule


@pytest.mark.parametrize(("value", "skipped"), [
    ("skip=FromAsCasing", {"FromAsCasing"}),
    ("skip=FromAsCasing,MaintainerDeprecated;error=true", {"FromAsCasing", "MaintainerDeprecated"}),
    ("skip=FromAsCasing, MaintainerDeprecated", {"FromAsCasing"}),  # BuildKit reads up to the first blank
    ("skip=all", {"all"}),
    ("skip=all,FromAsCasing", {"FromAsCasing"}),  # `all` only as the whole list
    ("skip=ALL", {"ALL"}),  # names as written: no check is called ALL
    ("skip=FromAsCasing;skip=MaintainerDeprecated", {"MaintainerDeprecated"}),  # the last skip= counts
    ("skip = FromAsCasing", set()),  # BuildKit refuses it: "invalid check option"
    ("SKIP=FromAsCasing", set()),
    ("error=true", set()),
])
def test_the_directive_is_read_as_buildkit_reads_it(value, skipped):
    assert _check_skips(value) == skipped


def findings(text: str, *rule_ids: str) -> set[str]:
    result = fixer.fix(text, rules=[find_rule(rule_id) for rule_id in rule_ids])
    return {finding.rule.id for finding in result.applied + result.remaining}


def test_skipped_checks_turn_off_the_rules_that_stand_for_them():
    text = "# check=skip=FromAsCasing,MaintainerDeprecated\nFROM alpine:3.20 as x\nMAINTAINER me\nCMD [\"x\"]\n"
    assert findings(text, "DF001", "DF014") == set()
    assert findings(text.replace("FromAsCasing,", ""), "DF001", "DF014") == {"DF001"}


def test_a_rule_that_finds_more_than_its_check_is_not_turned_off():
    shell_form_on_scratch = "# check=skip=all\nFROM scratch\nCOPY app /app\nCMD /app --x $HOME\n"
    assert findings(shell_form_on_scratch, "DF012") == {"DF012"}  # the container cannot start
    secret = "# check=skip=SecretsUsedInArgOrEnv\nFROM alpine:3.20\nENV API_TOKEN=abc123\n"
    assert findings(secret, "DF019") == {"DF019"}
