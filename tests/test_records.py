"""fixer.records: dataclass-like records whose __init__ the package compiles ahead of time."""
from __future__ import annotations

from pathlib import Path

import pytest

import fixer
from fixer import records
from fixer.records import FrozenInstanceError, field, record, replace

GENERATED = Path(fixer.__file__).parent / "_record_inits.py"


def test_the_initializers_compiled_ahead_are_those_of_the_records_as_they_are():
    records.import_every_module()
    assert records.generated_inits() == GENERATED.read_text(encoding="utf-8"), \
        "a record class changed: run `python -m fixer._record_inits` and commit fixer/_record_inits.py"


def test_the_package_records_take_their_initializer_from_the_generated_module():
    from fixer.rules.base import Diagnostic
    from fixer.syntax.tree import Instruction, Span

    for cls in (Span, Instruction, Diagnostic):
        assert cls.__init__.__code__.co_filename == str(GENERATED)
        assert cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__"
    assert Span(1, 2) == Span(start=1, end=2) and Span(1, 2).end == 2


def test_a_record_changed_since_the_file_was_written_is_compiled_as_before(monkeypatch):
    monkeypatch.setattr(records, "_built", dict(records._built))  # what the file is compared with stays as it was

    class Span:  # the name of a generated one, other fields
        start: int
        width: int = 1

    Span.__module__, Span.__qualname__ = "fixer.syntax.tree", "Span"
    built = record(slots=True)(Span)
    assert built.__init__.__code__.co_filename == "<string>"
    assert (built(3).start, built(3).width, built(3, 4).width) == (3, 1, 4)


def test_records_behave_as_dataclasses_do():
    @record(frozen=True)
    class Point:
        x: int
        tags: list = field(default_factory=list, compare=False)
        label: str = field(default="", compare=False)

        def __post_init__(self):
            self.tags.append("made")

    first, second = Point(1), Point(1, label="other")
    assert first == second and hash(first) == hash(second) and first.tags == ["made"]
    assert first.tags is not second.tags
    assert repr(first) == "Point(x=1, tags=['made'], label='')" and replace(first, x=2).x == 2
    with pytest.raises(FrozenInstanceError):
        first.x = 3
