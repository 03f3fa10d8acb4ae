"""fixer.records: dataclass-like records without the start-up cost of dataclasses."""
from __future__ import annotations

import pytest

from fixer.records import FrozenInstanceError, field, record, replace


def test_a_mutable_default_is_refused_as_dataclasses_does():
    with pytest.raises(ValueError, match="default_factory"):
        @record
        class Shared:
            items: list = []  # noqa: RUF012 - the mistake under test


def test_kw_only_fields_must_be_named():
    @record(kw_only=True)
    class Named:
        a: int
        b: int = 2

    assert (Named(a=1).a, Named(a=1).b) == (1, 2)
    with pytest.raises(TypeError):
        Named(1)


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
