"""Names a package offers, each imported from its own module when first used.

A wing's ``__init__`` lists where each of its names lives and sets
``__getattr__ = lazy_names(__name__, HOME, globals())`` (PEP 562): importing the
wing then loads none of its modules, and ``from formkit.ooxml import
SheetValues`` loads only the one that holds it. That keeps start-up short: a
command loads what it uses, not every library the wing could need.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, home: Mapping[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``home`` maps each name to the
    module (relative to the package) that holds it; a name once loaded is kept
    in ``namespace`` (the package's globals), so it is looked up only once. An
    unknown name is an AttributeError, as for any module."""

    def __getattr__(name: str) -> Any:
        if name not in home:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{home[name]}", package), name)
        namespace[name] = value
        return value

    return __getattr__
