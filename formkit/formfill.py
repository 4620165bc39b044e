"""What a teacher (or another editor) does to a form, done to a .docx in memory:
set its content controls' values, or strip the controls and keep their text.

Used to build the returned samples, the benchmark's forms and test inputs; the
OOXML work itself is :mod:`formkit.controls`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from datetime import date

from lxml import etree

from . import controls
from .docxpackage import serialize

_PARTS = ("word/document.xml", "word/header", "word/footer")


def _rewrite(data: bytes, change: Callable[[etree._Element], object]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename.startswith(_PARTS) and info.filename.endswith(".xml"):
                root = etree.fromstring(part)
                change(root)
                part = serialize(root)
            target.writestr(info, part)
    return out.getvalue()


def fill_document(data: bytes, values: Mapping[str, str | bool | date]) -> bytes:
    """``data`` with the controls tagged by ``values``' keys set (see
    :func:`formkit.controls.fill`). Raises KeyError naming tags no control has."""
    missing: set[str] = set(values)

    def change(root: etree._Element) -> None:
        found = set(values) - set(controls.fill(root, values))
        missing.difference_update(found)

    result = _rewrite(data, change)
    if missing:
        raise KeyError(f"no control is tagged {', '.join(sorted(missing))}")
    return result


def strip_document(data: bytes) -> bytes:
    """``data`` without content controls; their text stays where it was."""
    return _rewrite(data, controls.strip)
