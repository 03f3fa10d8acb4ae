"""The real Compose files of ../shared/compose, read where they lie.

Every file loads (or is refused with a clean error naming the line); fixed with every
Compose rule, safe and unsafe, the output is a Compose file the YAML library reads, a
fixed point, and byte-identical to the input wherever no fix applies (fixes edit spans;
nothing is ever re-emitted). How many files each rule changes is recorded and reviewed.
"""
from __future__ import annotations

import collections

import pytest
from helpers import SHARED, needs_shared

from fixer.engine.compose import fix_compose
from fixer.rules import ALL_RULES
from fixer.syntax.compose import ComposeError, load

pytestmark = needs_shared
COMPOSE_RULES = [rule for rule in ALL_RULES if rule.kind == "compose"]
EXPECTED_CHANGES = {"safe": {"DC001": 2, "DC003": 5}, "unsafe": {"DC001": 12, "DC003": 5, "DC004": 1}}


def compose_files():
    files = sorted(path for path in (SHARED / "compose").glob("*/*") if path.suffix in (".yml", ".yaml"))
    assert files, f"no Compose files in {SHARED / 'compose'}: every test here would pass on nothing"
    return files


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_every_output_is_compose_yaml_and_a_fixed_point(unsafe):
    changed = collections.Counter()
    for path in compose_files():
        text = path.read_bytes().decode("utf-8")
        try:
            load(text)
        except ComposeError:
            continue
        result = fix_compose(text, rules=COMPOSE_RULES, unsafe_fixes=unsafe)
        load(result.output)
        assert fix_compose(result.output, rules=COMPOSE_RULES, unsafe_fixes=unsafe).output == result.output, path
        if not result.applied:
            assert result.output == text
        for rule_id in {d.rule.id for d in result.applied}:
            changed[rule_id] += 1
    assert dict(changed) == EXPECTED_CHANGES["unsafe" if unsafe else "safe"]


def test_every_file_is_read_or_refused_with_a_line():
    refused = []
    for path in compose_files():
        try:
            load(path.read_bytes().decode("utf-8"))
        except ComposeError as error:
            refused.append((path.parent.name, error.message, error.line))
    assert all(message for _, message, _ in refused)
    assert not refused, refused


def test_the_command_reads_every_file_as_compose_by_its_real_name():
    # `docker-compose-nginx.yaml`, `compose-env.yaml`: named on the command line, these were
    # read as Dockerfiles (the routing goes by the file name, not by fix_compose)
    from fixer.run import Overrides, SettingsFinder, fix_text

    finder = SettingsFinder(Overrides(isolated=True))
    errors = {}
    for path in compose_files():
        result = fix_text(str(path), path.read_bytes().decode("utf-8"), finder.for_path(str(path)))
        if result.error:
            errors[path.name] = result.error
    assert not errors, errors
