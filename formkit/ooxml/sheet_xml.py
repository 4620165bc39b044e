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
from collections.abc import Iterator
from functools import lru_cache

from lxml import etree

from ..errors import InputFileError
from ..guard import parse_xml

_ATTRS = rb"""((?:[^>"']|"[^"]*"|'[^']*')*?)"""
_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData(?=[\s/>])" + _ATTRS + rb"(/?)>")


def parse_without_cells(data: bytes, part: str, file: str, *, cells_checked: bool = False) -> etree._Element | None:
    """The part parsed with ``<sheetData>`` left empty, once the whole part is
    known to be well-formed (else InputFileError naming the part). None when the
    part is not one to cut so (no cells, or a DOCTYPE the guard's parse refuses):
    parse it whole then. With ``cells_checked`` (the caller has shown the cells
    well-formed, as :func:`check_rows` does for an edit's rows) only the part
    around the cells is checked, by parsing it."""
    if not data.lstrip().startswith(b"<") or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return None
    if not cells_checked:
        _check(data, part, file)
    found = _SHEET_DATA.search(data)
    end = data.rfind(b"</" + (found.group(1) or b"") + b"sheetData>", found.end()) if found else -1  # there is one
    if found is None or found.group(3) == b"/" or end < 0:
        return None
    return parse_xml(data[:found.end()] + data[end:], part=part, file=file)


def check_rows(rows: list[bytes], part: str, file: str) -> None:
    """Each of ``rows`` (a ``<row>`` element's bytes) is well-formed XML on its
    own, else InputFileError naming the part. A sheet that was well-formed stays
    so when whole rows are put in place of its rows or between them, each one
    checked so: what an edit wrote is checked without parsing the rest again."""
    for row in rows:
        _check(row, part, file)


def _check(data: bytes, part: str, file: str) -> None:
    try:
        pyexpat.ParserCreate().Parse(data, True)
    except pyexpat.ExpatError as exc:
        raise InputFileError(f"its part {part} is not well-formed XML ({pyexpat.errors.messages[exc.code]}); the"
                             " file is damaged", file=file) from None


_ROW_NUMBER = re.compile(rb"""(?:^|\s)r\s*=\s*["']([^"']*)["']""")


def find_rows(data: bytes, prefix: bytes, start: int, end: int) -> Iterator[tuple[int, int, int, int, bytes, bool]]:
    """Each ``<row>`` between ``start`` and ``end`` (the cells of a part checked
    well-formed, with no comments or CDATA among them) as (number, start, end,
    where its content starts, its start tag's attributes, whether it is
    self-closing). Each row tag is then a row and each row end tag ends one:
    rows whose tags do not go start, end, start, end are one inside another.
    ValueError naming what is unusual: rows without numbers, or rows."""
    close = b"</" + prefix + b"row>"
    seen: set[int] = set()
    after, skip, opened, find = start, len(close), 0, data.find
    for m in _row_tag(prefix).finditer(data, start, end):
        attrs, slash = m.group(1, 2)
        if attrs.startswith(b' r="'):  # as Excel writes it: the number first
            number_text = attrs[4:attrs.find(b'"', 4)]
        else:
            found = _ROW_NUMBER.search(attrs)
            number_text = found.group(1) if found else b""
        if not number_text.isdigit():
            raise ValueError("rows without row numbers")
        number, at, content = int(number_text), m.start(), m.end()
        if slash:
            after_row = content
        else:
            opened += 1
            last = find(close, content, end)
            after_row = last + skip
            if last < 0:
                raise ValueError("rows")
        if number in seen or at < after:
            raise ValueError("rows")
        seen.add(number)
        after = after_row
        yield number, at, after, content, attrs, bool(slash)
    if data.count(close, start, end) != opened:
        raise ValueError("rows")


@lru_cache(maxsize=16)
def _row_tag(prefix: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"<" + re.escape(prefix) + rb"row(?=[\s/>])" + _ATTRS + rb"(/?)>")


_ATTR_PAIR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def attributes(raw: bytes) -> dict[bytes, bytes]:
    """A start tag's attributes (the bytes between its name and ``>``) by name."""
    return {name: a if a or not b else b for name, a, b in _ATTR_PAIR.findall(raw)}
