"""A few columns of a worksheet read without decoding its other cells.

Finding which rows an update changes needs only the key columns (a provision
map's UPN, intervention and start date); decoding every cell of every row to
find them was most of an update's time. :func:`column_values` finds the cells of
the columns wanted with one regular-expression pass over the sheet's bytes
(the test on each cell's reference runs inside the expression) and decodes only
their values, exactly as :class:`~formkit.ooxml.xlsx_package.Worksheet` decodes a
cell's value. The other cells, and the byte spans an edit needs, are decoded
only for the rows an edit touches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from .cell_refs import column_letter, column_number
from .xlsx_package import ATTRS, Value, Worksheet

_FEW_ROWS = 1 << 16
"""Bytes of cells (a few rows) read in one pass for all the columns wanted, not one pass each."""
_KIND = re.compile(rb"""(?:^|\s)t\s*=\s*["']([^"']*)["']""")


class ColumnCell(NamedTuple):
    """A cell's value as :class:`~formkit.ooxml.xlsx_package.Cell` holds it, and
    whether the cell holds a formula."""

    value: Value
    formula: bool

    @property
    def blank(self) -> bool:
        return not self.formula and (self.value is None or (isinstance(self.value, str) and not self.value.strip()))


def column_values(sheet: Worksheet, cols: Iterable[int]) -> dict[int, dict[int, ColumnCell]]:
    """Row number -> {column: ColumnCell} for every cell of the sheet in ``cols``
    (rows with none of them are left out). Raises WorkbookError for a cell
    pointing at a shared string that is not there, as decoding its row would."""
    if sheet.empty_data:
        return {}
    return _decode(sheet, cols, sheet.data_span[0], sheet.data_end)


def row_values(sheet: Worksheet, number: int, cols: Iterable[int]) -> dict[int, ColumnCell]:
    """{column: ColumnCell} for the cells of row ``number`` in ``cols``, the
    others left undecoded."""
    row = sheet.rows.get(number)
    if row is None or row.closed:
        return {}
    return _decode(sheet, cols, row.content_start, row.end).get(number, {})


def _decode(sheet: Worksheet, cols: Iterable[int], start: int, end: int) -> dict[int, dict[int, ColumnCell]]:
    wanted = sorted(set(cols))
    found: dict[int, dict[int, ColumnCell]] = {}
    if not wanted:
        return found
    if end - start > _FEW_ROWS and _plain_cells(sheet, start, end):
        for col in wanted:
            _decode_plain(sheet, col, start, end, found)
        return found
    pattern, number_of = _columns_pattern(sheet.prefix, tuple(wanted))
    f_tag = sheet._f_tag
    for m in pattern.finditer(sheet.data, start, end):
        attrs, inner = m.group(3), m.group(4) or b""
        value = sheet.value_of(_kind(attrs), inner, (m.group(1) + m.group(2)).decode())
        col = number_of.get(m.group(1)) or column_number(m.group(1).decode())
        found.setdefault(int(m.group(2)), {})[col] = ColumnCell(value, f_tag in inner)
    return found


def _decode_plain(sheet: Worksheet, col: int, start: int, end: int, found: dict[int, dict[int, ColumnCell]]) -> None:
    """Add column ``col``'s cells to ``found``, every cell tag being written
    ``<c r="``: one pass finds them by their reference, and the usual contents
    (an inline string of one run, or a value alone) are read as they are found."""
    letter, pattern = column_letter(col), _plain_pattern(sheet.prefix, col)
    f_tag, strings = sheet._f_tag, sheet.package.strings if sheet.package.has_strings else []
    kinds: dict[bytes, str] = {}
    for number, attrs, run, raw, inner in pattern.findall(sheet.data, start, end):
        kind = kinds.get(attrs)
        if kind is None:
            kind = kinds[attrs] = _kind(attrs)
        if run and kind == "inlineStr":
            cell = ColumnCell(sheet.inline_text(run), False)
        elif raw and kind == "s" and raw.isdigit() and int(raw) < len(strings):
            cell = ColumnCell(strings[int(raw)], False)
        elif raw and kind == "n" and (value := _number(raw)) is not None:
            cell = ColumnCell(value, False)
        elif raw and kind != "inlineStr":
            cell = ColumnCell(sheet.value_from(kind, raw, letter + number.decode()), False)
        else:
            pre = sheet.prefix
            inner = (b"<%sis><%st>%s</%st></%sis>" % (pre, pre, run, pre, pre) if run else
                     b"<%sv>%s</%sv>" % (pre, raw, pre) if raw else inner)  # a usual shape of another type
            cell = ColumnCell(sheet.value_of(kind, inner, letter + number.decode()), f_tag in inner)
        row = found.get(n := int(number))
        if row is None:
            row = found[n] = {}
        row[col] = cell


@lru_cache(maxsize=256)
def _plain_pattern(prefix: bytes, col: int) -> re.Pattern[bytes]:
    """Column ``col``'s cells written ``<c r="``, the usual contents (one run of
    inline text, a value alone) in groups of their own."""
    p = re.escape(prefix)
    end_tag = rb"(?=</" + p + rb"c>)"
    usual = (rb"<" + p + rb"is><" + p + rb"t>([^<]+)</" + p + rb"t></" + p + rb"is>" + end_tag + rb"|<" + p
             + rb"v>([^<]+)</" + p + rb"v>" + end_tag + rb"|")
    return re.compile(rb"<" + p + rb'c r="' + column_letter(col).encode() + rb'([0-9]+)"' + ATTRS + rb"(?:/>|>(?:"
                      + usual + rb"(.*?))</" + p + rb"c>)", re.S)


@lru_cache(maxsize=64)
def _columns_pattern(prefix: bytes, cols: tuple[int, ...]) -> tuple[re.Pattern[bytes], dict[bytes, int]]:
    """:func:`_any_cell` for the columns ``cols``, and each column's number by its letters."""
    return (_any_cell(prefix, b"|".join(column_letter(c).encode() for c in cols)),
            {column_letter(c).encode(): c for c in cols})


@lru_cache(maxsize=64)
def _any_cell(prefix: bytes, letters: bytes) -> re.Pattern[bytes]:
    """A cell of the columns ``letters`` (joined by '|'), its reference wherever it is among the attributes."""
    p = re.escape(prefix)
    return re.compile(rb"<" + p + rb"c(?=\s)(?=[^>]*?\sr\s*=\s*[\"'](" + letters + rb")([0-9]+)[\"'])" + ATTRS
                      + rb"(?:/>|>(.*?)</" + p + rb"c>)", re.S)


@lru_cache(maxsize=16)
def _odd_cell(prefix: bytes) -> re.Pattern[bytes]:
    """A cell tag not written ``<c r="``."""
    return re.compile(rb"<" + re.escape(prefix) + rb'c(?! r=")[\s/>]')


def _number(raw: bytes) -> int | float | None:
    """A number cell's value as :meth:`Worksheet.value_from` reads it; None when
    it is not plain digits (left to that method)."""
    if not raw.isdigit() or len(raw) > 15:
        return None
    return int(raw)


def _kind(attrs: bytes) -> str:
    """A cell's type (its ``t``) from its start tag's attributes; 'n' without one."""
    if b"t" not in attrs:
        return "n"
    found = _KIND.search(attrs)
    return found.group(1).decode() if found else "n"


def _plain_cells(sheet: Worksheet, start: int, end: int) -> bool:
    """Whether every cell tag between ``start`` and ``end`` is written ``<c r="``
    (as Excel, LibreOffice and openpyxl write them), the reference first."""
    return _odd_cell(sheet.prefix).search(sheet.data, start, end) is None
