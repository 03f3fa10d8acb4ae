"""The fix loop's lookups by bisection (issue 18.16) answer as the plain scans they replaced."""
from __future__ import annotations

import random

import fixer
from fixer.engine.fix import _Pass, apply_fixes
from fixer.rules import Diagnostic, Edit, Fix, Rule
from fixer.rules._support.stages import stage_and_position, stage_chain

RULE = Rule(id="T1", name="t", summary="t", check=lambda checker: (), fix_safety="safe")


def _overlaps(a, b) -> bool:
    if a[0] == a[1] or b[0] == b[1]:
        return b[0] <= a[0] <= b[1] or a[0] <= b[0] <= a[1]
    return a[0] < b[1] and b[0] < a[1]


def _applied_by_scanning(text: str, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    taken, used = [], []
    for diagnostic in sorted(diagnostics, key=lambda d: (d.fix.start, d.rule.id)):
        spans = [(edit.start, edit.end) for edit in diagnostic.fix.edits]
        if not any(_overlaps(span, other) for span in spans for other in taken):
            taken += spans
            used.append(diagnostic)
    return used


def _before_by_scanning(edits: list[Edit], offset: int) -> int:
    delta = 0
    for edit in edits:
        start = edit.start + delta
        if offset < start:
            break
        if offset < start + len(edit.replacement):
            return edit.start
        delta += len(edit.replacement) - (edit.end - edit.start)
    return offset - delta


def test_fixes_are_taken_as_by_comparing_each_with_every_one_taken():
    for seed in range(300):
        chance = random.Random(seed)
        diagnostics = []
        for _ in range(chance.randint(1, 12)):
            edits = []
            for _ in range(chance.randint(1, 3)):
                start = chance.randint(0, 40)
                edits.append(Edit(start, start + chance.choice([0, 0, 1, 2, 5]), "x"))
            edits.sort(key=lambda edit: (edit.start, edit.end))
            if any(_overlaps((a.start, a.end), (b.start, b.end)) for a, b in zip(edits, edits[1:], strict=False)):
                continue  # one fix's own edits never overlap
            diagnostics.append(Diagnostic(RULE, 1, "m", Fix(tuple(edits), "safe")))
        assert apply_fixes("a" * 50, diagnostics)[1] == _applied_by_scanning("a" * 50, diagnostics), seed


def test_a_later_offset_is_traced_back_as_by_walking_every_edit():
    for seed in range(300):
        chance = random.Random(seed)
        position, edits = 0, []
        for _ in range(chance.randint(0, 8)):
            position += chance.choice([0, 1, 3])
            end = position + chance.choice([0, 1, 2, 4])
            edits.append(Edit(position, end, "y" * chance.choice([0, 1, 3])))
            position = end + 1
        traced = _Pass(edits)
        for offset in range(position + 10):
            assert traced.before(offset) == _before_by_scanning(edits, offset), (seed, offset)


def test_stage_chains_follow_the_latest_earlier_stage_of_the_name():
    tree = fixer.parse("ARG V=1\nFROM alpine AS Base\nRUN a\nFROM base AS mid\nFROM golang AS other\n"
                       "FROM MID\nRUN b\nFROM later AS x\nFROM x\n")
    stages = tree.stages()
    assert [s.index for s in stage_chain(stages, stages[3])] == [3, 1, 0]
    assert [s.index for s in stage_chain(stages, stages[2])] == [2]
    assert [s.index for s in stage_chain(stages, stages[5])] == [5, 4]
    run_b = stages[3].instructions[1]
    assert stage_and_position(stages, run_b) == (stages[3], 1)
    assert stage_and_position(stages, tree.instructions[0]) is None  # the ARG before the first FROM
