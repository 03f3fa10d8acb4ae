"""The modules of a package of dockerfix's own, found in its directory: how the rule registry
(fixer.rules) finds the rule modules, so that a rule is one module and no list names it."""
from __future__ import annotations

import os


def module_names(package_path) -> list[str]:
    """The names of the modules in the directories `package_path` (a package's `__path__`),
    sorted: what `pkgutil.iter_modules` gives, less sub-packages and `_private` modules.
    pkgutil itself only where a directory cannot be listed (an install in a zip file): it
    imports typing (docs/performance.md, imports on demand)."""
    names: set[str] = set()
    for directory in package_path:
        try:
            entries = os.listdir(directory)
        except OSError:
            import pkgutil

            names.update(module.name for module in pkgutil.iter_modules([directory]) if not module.ispkg)
            continue
        names.update(entry[:-3] for entry in entries if entry.endswith(".py") and entry[:-3].isidentifier())
    return sorted(name for name in names if not name.startswith("_"))
