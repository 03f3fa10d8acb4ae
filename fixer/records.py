"""Record classes, the part of `dataclasses` dockerfix uses, without its start-up cost.

`dataclasses` imports `inspect` (and with it `ast`, `dis`, `tokenize`) and spends about half
a millisecond on each class; dockerfix defines some forty and a pre-commit hook pays for
all of them on every run. `record` gives the same generated `__init__` (it calls
`__post_init__` when the class has one), `__repr__`, `__eq__`/`__hash__`, `frozen` and
`slots`; `field(default=..., default_factory=..., repr=..., compare=...)` and `replace`
behave as in `dataclasses`.

Compiling an `__init__` costs a class a tenth of a millisecond or more, so the package's
own are compiled ahead of time: `fixer/_record_inits.py` holds each one's source and a
factory for it, and a class whose source is there, unchanged, takes it from there. Any
other class (or one changed since) has its `__init__` compiled as before.
`python -m fixer._record_inits` writes the file again; a test says when it must.
"""
from __future__ import annotations

_MISSING = object()


class FrozenInstanceError(AttributeError):
    pass


class Field:
    __slots__ = ("default", "default_factory", "repr", "compare")

    def __init__(self, default=_MISSING, default_factory=None, repr=True, compare=True):
        self.default, self.default_factory, self.repr, self.compare = default, default_factory, repr, compare


def field(*, default=_MISSING, default_factory=None, repr=True, compare=True) -> Field:
    return Field(default, default_factory, repr, compare)


def record(cls=None, /, *, frozen: bool = False, eq: bool = True, slots: bool = False):
    def wrap(cls):
        return _build(cls, frozen, eq, slots)
    return wrap if cls is None else wrap(cls)


def replace(obj, /, **changes):
    values = {name: getattr(obj, name) for name, _ in obj.__record_fields__}
    values.update(changes)
    return obj.__class__(**values)


def _build(cls, frozen: bool, eq: bool, slots: bool):
    inherited = [item for base in reversed(cls.__mro__[1:]) for item in getattr(base, "__record_fields__", ())]
    own = []
    for name in cls.__dict__.get("__annotations__", {}):
        value = cls.__dict__.get(name, _MISSING)
        own.append((name, value if isinstance(value, Field) else Field(default=value)))
    fields = [item for item in inherited if item[0] not in dict(own)] + own
    namespace = {"_MISSING": _MISSING, "_set": object.__setattr__}
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
        body.append(f"_set(self, {name!r}, {name})" if frozen else f"self.{name} = {name}")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(body or ["pass"])
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
    return built


_built: dict[str, tuple[str, tuple[str, ...]]] = {}  # class -> its __init__'s source and the names it uses


def _initializer(cls, source: str, namespace: dict):
    key = f"{cls.__module__}.{cls.__qualname__}"
    if "<locals>" not in key:
        _built[key] = (source, tuple(namespace))
    compiled = _compiled_ahead()
    if compiled is not None and compiled.SOURCES.get(key) == source:
        init = compiled.FACTORIES[key](**namespace)
    else:
        exec(source, namespace)  # noqa: S102 - the same technique dataclasses uses, once per class
        init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _compiled_ahead():
    try:
        from . import _record_inits
    except ImportError:  # not written yet
        return None
    return _record_inits


def generated_inits() -> str:
    """The text of fixer/_record_inits.py for every record class built so far."""
    lines = ['"""The __init__ of every record class, compiled with the package rather than at each start',
             "(see fixer.records). Written by `python -m fixer._record_inits`: do not edit.", '"""',
             "# ruff: noqa: E501", "", "SOURCES = {"]
    built = {key: value for key, value in sorted(_built.items()) if key.startswith("fixer.")}  # not the tests'
    for key, (source, _) in built.items():
        lines.append(f"    {key!r}: (")
        lines += [f"        {line!r}" for line in source.splitlines(keepends=True)]
        lines.append("    ),")
    lines.append("}")
    for key, (source, names) in built.items():
        lines += ["", "", f"def {_factory_name(key)}({', '.join(names)}):"]
        lines += [f"    {line}" for line in source.splitlines()]
        lines.append("    return __init__")
    lines += ["", "", "FACTORIES = {", *(f"    {key!r}: {_factory_name(key)}," for key in built), "}",
              "", "", 'if __name__ == "__main__":', "    from fixer.records import write_generated_inits", "",
              "    write_generated_inits()", ""]
    return "\n".join(lines)


def _factory_name(key: str) -> str:
    return "_" + "".join(char if char.isalnum() else "_" for char in key)


def import_every_module() -> None:
    """Import every module of the package, so that every record class is built."""
    import importlib
    import pkgutil

    package = importlib.import_module("fixer")
    for module in pkgutil.walk_packages(package.__path__, "fixer."):
        if module.name not in ("fixer.__main__", "fixer._record_inits"):
            importlib.import_module(module.name)


def write_generated_inits() -> None:
    """Write fixer/_record_inits.py for every record class of the package."""
    import os

    import_every_module()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_record_inits.py")
    with open(path, "w", encoding="utf-8") as file:
        file.write(generated_inits())


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
