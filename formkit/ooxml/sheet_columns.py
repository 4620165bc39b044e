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
from dataclasses import dataclass

from .cell_refs import column_letter, column_number
from .xlsx_package import ATTRS, Value, Worksheet

_KIND = re.compile(rb"""(?:^|\s)t\s*=\s*["']([^"']*)["']""")


@dataclass(frozen=True, slots=True)
class ColumnCell:
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
    p = re.escape(sheet.prefix)
    letters = b"|".join(column_letter(c).encode() for c in wanted)
    pattern = re.compile(rb"<" + p + rb"c(?=\s)(?=[^>]*?\sr\s*=\s*[\"'](" + letters + rb")([0-9]+)[\"'])" + ATTRS
                         + rb"(?:/>|>(.*?)</" + p + rb"c>)", re.S)
    number_of = {column_letter(c).encode(): c for c in wanted}
    f_tag = sheet._f_tag
    for m in pattern.finditer(sheet.data, start, end):
        attrs, inner = m.group(3), m.group(4) or b""
        kind_found = _KIND.search(attrs) if b"t" in attrs else None
        kind = kind_found.group(1).decode() if kind_found else "n"
        value = sheet.value_of(kind, inner, (m.group(1) + m.group(2)).decode())
        col = number_of.get(m.group(1)) or column_number(m.group(1).decode())
        found.setdefault(int(m.group(2)), {})[col] = ColumnCell(value, f_tag in inner)
    return found
