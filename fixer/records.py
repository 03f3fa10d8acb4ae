"""Record classes, the part of `dataclasses` dockerfix uses, without its start-up cost.

`dataclasses` imports `inspect` (and with it `ast`, `dis`, `tokenize`) and spends about half
a millisecond on each class; dockerfix defines some forty and a pre-commit hook pays for
all of them on every run. `record` gives the same generated `__init__` (it calls
`__post_init__` when the class has one), `__repr__`, `__eq__`/`__hash__`, `frozen` and
`slots`; `field(default=..., default_factory=..., repr=..., compare=...)` and `replace`
behave as in `dataclasses`.

As in `dataclasses`, a mutable default is refused: every instance would share it; use
`field(default_factory=...)`. Mutable means what `dataclasses` takes it to mean, a value
whose type is unhashable (a list, dict, set, bytearray), and also any record that is not
frozen. `kw_only=True` makes every field keyword-only.

A frozen record's `__init__` stores each field through its slot descriptor when it has one
(`slots=True`), a third cheaper than `object.__setattr__`.
"""
from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing; type checkers take it as true
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, dataclass_transform
else:
    def dataclass_transform(**_):  # what a type checker reads (PEP 681): at run time nothing
        return lambda decorated: decorated

_MISSING = object()


class FrozenInstanceError(AttributeError):
    pass


class Field:
    __slots__ = ("default", "default_factory", "repr", "compare")

    def __init__(self, default=_MISSING, default_factory=None, repr=True, compare=True):
        self.default, self.default_factory, self.repr, self.compare = default, default_factory, repr, compare


def field(*, default: Any = _MISSING, default_factory: Callable[[], Any] | None = None, repr: bool = True,
          compare: bool = True) -> Any:  # Any: a type checker takes `name: int = field(...)` as an int
    return Field(default, default_factory, repr, compare)


@dataclass_transform(field_specifiers=(field, Field))
def record(cls=None, /, *, frozen: bool = False, eq: bool = True, slots: bool = False, kw_only: bool = False):
    def wrap(cls):
        return _build(cls, frozen, eq, slots, kw_only)
    return wrap if cls is None else wrap(cls)


def replace(obj, /, **changes):
    values = {name: getattr(obj, name) for name, _ in obj.__record_fields__}
    values.update(changes)
    return obj.__class__(**values)


def _build(cls, frozen: bool, eq: bool, slots: bool, kw_only: bool):
    inherited = [item for base in reversed(cls.__mro__[1:]) for item in getattr(base, "__record_fields__", ())]
    own = []
    for name in cls.__dict__.get("__annotations__", {}):
        value = cls.__dict__.get(name, _MISSING)
        spec = value if isinstance(value, Field) else Field(default=value)
        if spec.default is not _MISSING and _mutable(spec.default):
            raise ValueError(f"mutable default {type(spec.default).__name__} for field {name} of {cls.__name__}: "
                             "use field(default_factory=...)")
        own.append((name, spec))
    fields = [item for item in inherited if item[0] not in dict(own)] + own
    namespace = {"_MISSING": _MISSING, "_set": object.__setattr__}
    own_names = {name for name, _ in own}
    params, body = [], []
    for index, (name, spec) in enumerate(fields):
        if spec.default_factory is not None:
            namespace[f"_f{index}"] = spec.default_factory
            params.append(f"{name}=_MISSING")
            body.append(f"{name} = _f{index}() if {name} is _MISSING else {name}")
        elif spec.default is not _MISSING:
            namespace[f"_d{index}"] = spec.default
            params.append(f"{name}=_d{index}")
        else:
            params.append(name)
        if not frozen:
            body.append(f"self.{name} = {name}")
        elif slots if name in own_names else type(getattr(cls, name, None)) is _SLOT:  # an inherited slot
            body.append(f"_s{index}(self, {name})")
        else:
            body.append(f"_set(self, {name!r}, {name})")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    signature = ", ".join(["*", *params] if kw_only and params else params)
    source = f"def __init__(self, {signature}):\n    " + "\n    ".join(body or ["pass"])
    attributes = dict(cls.__dict__)
    for name, _ in own:
        attributes.pop(name, None)
    attributes.pop("__dict__", None)
    attributes.pop("__weakref__", None)
    if slots:
        attributes["__slots__"] = tuple(name for name, _ in own)
    attributes["__init__"] = _initializer(cls, source, namespace)
    attributes["__record_fields__"] = tuple(fields)
    attributes.setdefault("__repr__", _repr)
    if eq:
        attributes["__eq__"] = _eq
        attributes["__hash__"] = _hash if frozen else None
    if frozen:
        attributes["__setattr__"] = _frozen
        attributes["__delattr__"] = _frozen
    built = type(cls)(cls.__name__, cls.__bases__, attributes)
    built.__qualname__ = cls.__qualname__
    for index, (name, _) in enumerate(fields):
        if f"_s{index}" in source:  # a frozen record stores the field through its slot
            namespace[f"_s{index}"] = getattr(built, name).__set__
    return built


def _mutable(default) -> bool:
    """What dataclasses refuses as a default (an instance of an unhashable type), and a record
    that is not frozen (hashable by identity when it is not compared, but still shared)."""
    kind = type(default)
    return kind.__hash__ is None or hasattr(kind, "__record_fields__") and kind.__setattr__ is not _frozen


class _Slotted:
    __slots__ = ("slot",)


_SLOT = type(_Slotted.__dict__["slot"])  # types.MemberDescriptorType, without importing types


def _initializer(cls, source: str, namespace: dict):
    exec(source, namespace)  # noqa: S102 - the same technique dataclasses uses, once per class
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _repr(self) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name, spec in self.__record_fields__ if spec.repr)
    return f"{type(self).__name__}({shown})"


def _key(self) -> tuple:
    return tuple(getattr(self, name) for name, spec in self.__record_fields__ if spec.compare)


def _eq(self, other):
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _key(self) == _key(other)


def _hash(self) -> int:
    return hash(_key(self))


def _frozen(self, name, *args):
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
