"""What the Compose rules share: where a key is, as a reportable node."""
from __future__ import annotations

from ...records import record


@record(frozen=True)
class Where:
    """A place in a Compose file, 1-based lines, as ComposeChecker.report expects of a node; `column`
    (1-based) where it is known, else the line's first character that is not a blank."""

    start_line: int
    end_line: int
    column: int = 0


def key_line(mapping, key, fallback: int = 0) -> int:
    """0-based line of `key` in a ruamel mapping; `fallback` for a key merged in from an anchor
    (`<<: *common`), which has no line of its own here."""
    try:
        position = mapping.lc.key(key)
    except (AttributeError, KeyError, TypeError):
        position = None
    return position[0] if position else fallback


def item_line(sequence, index: int, fallback: int = 0) -> int:
    try:
        position = sequence.lc.item(index)
    except (AttributeError, KeyError, IndexError, TypeError):
        position = None
    return position[0] if position else fallback


def key_position(mapping, key):
    """(line, column) of a key written in this mapping, or None (merged in from an anchor)."""
    try:
        return mapping.lc.key(key)
    except (AttributeError, KeyError, TypeError):
        return None


def at_key(mapping, key) -> Where:
    position = key_position(mapping, key)
    if position is None:  # merged in from an anchor
        return Where(1, 1)
    return Where(position[0] + 1, position[0] + 1, position[1] + 1)


def names(value) -> list[str]:
    """The service names a depends_on / links value lists (list form or mapping form)."""
    if hasattr(value, "keys"):
        return [str(key) for key in value.keys()]
    if isinstance(value, list):
        return [str(item).split(":", 1)[0] for item in value]
    return []


def plain(value, scalar=None):
    """YAML data as plain values to compare: mappings as lists of (key, value) pairs (merged
    keys included), tags kept, scalars with their kind ("3" and 3 differ, and so do true and 1).
    `scalar(value)` may stand in another plain value for a scalar that is not a key (None: keep it)."""
    tag = getattr(getattr(value, "tag", None), "value", None)
    if hasattr(value, "items"):
        body = [(plain(key), plain(item, scalar)) for key, item in value.items()]
    elif isinstance(value, list):
        body = [plain(item, scalar) for item in value]
    else:
        replaced = scalar(value) if scalar is not None else None
        return replaced if replaced is not None else _scalar(value)
    return (tag, body) if tag else body


def _scalar(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, float):
        return ("float", repr(float(value)))
    if isinstance(value, str):
        return ("str", str(value))
    if hasattr(value, "tag") and hasattr(value, "value"):  # a TaggedScalar: `!!str 12`, `!custom x`
        return ("tagged", getattr(value.tag, "value", None), str(value.value))
    return (type(value).__name__, repr(value))
