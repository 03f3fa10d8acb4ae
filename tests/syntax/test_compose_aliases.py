"""Alias bombs: a few hundred bytes of YAML aliases of aliases expand to billions of values.

The loader counts what the aliases repeat, each mapping and list once, and refuses a file
past the bound with the line where it was crossed (exit 2), before any rule walks it.
"""
from __future__ import annotations

import itertools
import string
import time

import pytest

from fixer.cli import main
from fixer.syntax.compose import MAX_REPEATED_NODES, ComposeError, load


def alias_bomb(levels: int) -> str:
    """Level one is a list of nine values, each next level a list of nine aliases of the one
    before: 9**levels values, in about 45 bytes a level."""
    names = string.ascii_lowercase[:levels]
    lines = [f"x-{names[0]}: &{names[0]} [{', '.join(['A=1'] * 9)}]"]
    lines += [f"x-{name}: &{name} [{', '.join([f'*{before}'] * 9)}]" for before, name in itertools.pairwise(names)]
    lines += ["services:", "  web:", "    image: alpine", f"    environment: *{names[-1]}"]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_the_line_that_crosses_the_bound_and_quickly():
    started = time.perf_counter()
    with pytest.raises(ComposeError, match="aliases repeat more than 100,000 values") as refused:
        load(alias_bomb(9))  # 387 million values: 38 s and 659 MB before the bound
    assert time.perf_counter() - started < 5
    assert refused.value.line == 6  # x-f: nine aliases of x-e, 66,430 values each


def test_the_command_names_the_file_and_line_and_exits_2(tmp_path, capsys):
    path = tmp_path / "compose.yaml"
    path.write_text(alias_bomb(10))
    assert main([str(path)]) == 2
    assert f"{path}:6: error: aliases repeat more than" in capsys.readouterr().err


def test_aliases_that_repeat_what_real_files_do_are_read():
    services = "".join(f"  s{i}:\n    <<: *defaults\n    image: app{i}\n    environment: *env\n" for i in range(300))
    text = ("x-env: &env\n" + "".join(f"  KEY_{i}: value\n" for i in range(40)) +
            "x-defaults: &defaults\n  restart: always\n  logging: {driver: json-file, options: {max-size: 1m}}\n"
            "services:\n" + services)
    assert len(load(text).data[0]["services"]) == 300  # some 12,000 repeated values


def test_the_bound_counts_each_repetition():
    ten = "x-a: &a [" + ", ".join(["1"] * 9) + "]\n"  # a list and its nine values: ten
    uses = MAX_REPEATED_NODES // 10
    fits = ten + "x-b: [" + ", ".join(["*a"] * uses) + "]\n"
    load(fits)
    with pytest.raises(ComposeError, match="alias bomb"):
        load(ten + "x-b: [" + ", ".join(["*a"] * (uses + 1)) + "]\n")
