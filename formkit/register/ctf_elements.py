"""Walking the elements of a parsed Common Transfer File by their names.

The guard parses the file (:func:`formkit.guard.read_xml_file`); these helpers
only read the tree it returns, by local name, so a file with or without a
namespace reads the same, and a missing element reads as empty.
"""

from __future__ import annotations

from typing import Any

from .values import clean_text

Element = Any
"""An element of the parsed tree (lxml's, which this wing does not import)."""


def local(el: Element) -> str:
    """An element's name without its namespace ('' for a comment)."""
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def kids(el: Element, name: str) -> list[Element]:
    """The children of ``el`` (None: none) named ``name`` in any namespace or
    none, in order."""
    return list(el.iterchildren("{*}" + name)) if el is not None else []


def kid(el: Element, *path: str) -> Element:
    """The first element along ``path`` below ``el``, or None."""
    for name in path:
        found = kids(el, name)
        el = found[0] if found else None
    return el


def text(el: Element, *path: str) -> str:
    """The text of the element along ``path`` (stripped, NFC), '' when absent or empty."""
    found = kid(el, *path) if path else el
    if found is None:
        return ""
    raw = found.text if len(found) == 0 else "".join(found.itertext())
    return clean_text(raw) if raw else ""
