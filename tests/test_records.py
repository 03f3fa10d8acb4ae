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


@pytest.mark.parametrize("default", [[], {}, set(), bytearray(b"x")])
def test_every_unhashable_default_is_refused(default):
    with pytest.raises(ValueError, match="mutable default"):
        @record
        class Shared:
            items: object = default


def test_a_record_that_can_change_is_refused_as_a_default_and_a_frozen_one_is_taken():
    @record(slots=True)
    class Open:
        start: int

    @record(frozen=True, slots=True)
    class Closed:
        start: int

    @record(slots=True, eq=False)
    class Identified:  # hashable by identity, as dataclasses would let through
        start: int

    with pytest.raises(ValueError, match="mutable default Open"):
        @record
        class Holder:
            at: Open = Open(0)
    with pytest.raises(ValueError, match="mutable default Identified"):
        @record
        class Keeper:
            at: Identified = Identified(0)

    @record
    class Taker:
        at: Closed = Closed(0)

    assert Taker().at is Taker().at  # one shared default: harmless, as it cannot change


def test_frozen_records_with_slots_and_inherited_fields_are_built_and_stay_frozen():
    @record(frozen=True, slots=True, eq=False)
    class Base:
        a: int

    @record(frozen=True, slots=True, eq=False)
    class Child(Base):
        b: str = "x"

    @record(frozen=True)
    class Plain:  # no slots: stored with object.__setattr__
        c: int

    child = Child(1)
    assert (child.a, child.b, Plain(3).c) == (1, "x", 3)
    for target, name in ((child, "a"), (child, "b"), (Plain(3), "c")):
        with pytest.raises(FrozenInstanceError):
            setattr(target, name, 0)
