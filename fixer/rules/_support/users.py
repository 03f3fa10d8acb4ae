"""Users: what a USER instruction names."""
from __future__ import annotations

from ...syntax.tree import Instruction

ROOT_NAMES = frozenset({"root", "0"})


def is_root_user(user: Instruction) -> bool:
    """Whether a USER instruction names root (by name or uid)."""
    return user.arguments.split(":", 1)[0].strip() in ROOT_NAMES
