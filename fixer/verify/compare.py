"""Which differences between the original and the fixed image's config the fixes explain."""
from __future__ import annotations

from dataclasses import dataclass

FIELDS = ("User", "Entrypoint", "Cmd", "ExposedPorts", "Env", "WorkingDir", "Labels", "Healthcheck")

# What each rule may change in the final image's config. A rule that changes the base
# image (the split, a new Go version, a pinned tag) brings the base's Env and Labels along.
EXPLAINS = {
    "DF005": {"User"},
    "DF011": {"User", "Env", "Labels", "WorkingDir", "Healthcheck"},
    "DF012": {"Entrypoint", "Cmd"},
    "DF014": {"Labels"},
    "DF015": {"Env", "Labels"},
    "DF016": {"Env", "Labels"},
    "DF017": {"Env"},
    "DF018": {"Labels"},
    "DF021": {"Healthcheck"},
}


@dataclass
class Difference:
    field: str
    before: object
    after: object
    explained_by: tuple[str, ...]   # empty: nothing the fixes did explains it

    @property
    def explained(self) -> bool:
        return bool(self.explained_by)


def differences(before: dict, after: dict, rules: set[str]) -> list[Difference]:
    found = []
    for field in FIELDS:
        old, new = _normal(field, before.get(field)), _normal(field, after.get(field))
        if old == new:
            continue
        if field in ("Entrypoint", "Cmd") and _same_command(before.get(field), after.get(field)):
            explained = tuple(sorted(rule for rule in rules if field in EXPLAINS.get(rule, ())))
        else:
            explained = tuple(sorted(rule for rule in rules if field in EXPLAINS.get(rule, ())
                                     and rule != "DF012"))
        found.append(Difference(field, old, new, explained))
    return found


def _normal(field: str, value):
    if field == "Env":
        return dict(item.split("=", 1) for item in value or [] if "=" in item)
    if field in ("Labels", "ExposedPorts"):
        return dict(value or {})
    if field == "User":
        return value or "root"
    return value or None


def _same_command(old, new) -> bool:
    """Shell form turned exec form: ["/bin/sh", "-c", "a b"] and ["a", "b"]."""
    if not old or not new:
        return False
    if list(old[:2]) == ["/bin/sh", "-c"] and len(old) == 3:
        return old[2].split() == list(new)
    return False
