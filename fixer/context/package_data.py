"""The data tables dockerfix ships inside its package (fixer/rules/data/*.toml), read once a
process: the modules that use them read no file themselves."""
from __future__ import annotations

import os
from functools import lru_cache


@lru_cache(maxsize=None)
def shipped_toml(module_file: str, relative: str) -> dict:
    """The TOML file at `relative` (a `/`-separated path) beside `module_file`, the `__file__`
    of the module that ships it, parsed. Every caller gets the same table: none may change it."""
    import tomllib  # only a run whose rules need a table pays for the parser

    path = os.path.join(os.path.dirname(module_file), *relative.split("/"))
    with open(path, "rb") as file:
        return tomllib.load(file)
