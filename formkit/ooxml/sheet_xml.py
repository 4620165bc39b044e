"""A worksheet part as XML, without building its cells as a tree.

A provision map of 20,000 rows is a sheet part of tens of megabytes; parsing it
whole with lxml cost as much as unzipping and rezipping the whole workbook.
:func:`parse_without_cells` checks the whole part is well-formed with expat
(which builds no tree) and parses with lxml only what is around the cells
(merged cells, protection, data validations, conditional formats, ...); the
cells are read from the bytes (:class:`~formkit.ooxml.xlsx_package.Worksheet`).
"""

from __future__ import annotations

import pyexpat
import re

from lxml import etree

from ..errors import InputFileError
from ..guard import parse_xml

_ATTRS = rb"""((?:[^>"']|"[^"]*"|'[^']*')*?)"""
_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData(?=[\s/>])" + _ATTRS + rb"(/?)>")


def parse_without_cells(data: bytes, part: str, file: str) -> etree._Element | None:
    """The part parsed with ``<sheetData>`` left empty, once the whole part is
    known to be well-formed (else InputFileError naming the part). None when the
    part is not one to cut so (no cells, or a DOCTYPE the guard's parse refuses):
    parse it whole then."""
    if not data.lstrip().startswith(b"<") or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return None
    try:
        pyexpat.ParserCreate().Parse(data, True)
    except pyexpat.ExpatError as exc:
        raise InputFileError(f"its part {part} is not well-formed XML ({pyexpat.errors.messages[exc.code]}); the"
                             " file is damaged", file=file) from None
    found = _SHEET_DATA.search(data)
    end = data.rfind(b"</" + (found.group(1) or b"") + b"sheetData>", found.end()) if found else -1  # there is one
    if found is None or found.group(3) == b"/" or end < 0:
        return None
    return parse_xml(data[:found.end()] + data[end:], part=part, file=file)
