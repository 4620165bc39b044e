"""A few columns of a worksheet read without decoding its other cells.

Finding which rows an update changes needs only the key columns (a provision
map's UPN, intervention and start date); decoding every cell of every row to
find them was most of an update's time. :func:`column_values` finds the cells of
the columns wanted with one regular-expression pass over the sheet's bytes
(the test on each cell's reference runs inside the expression) and decodes only
those, exactly as :class:`~formkit.ooxml.xlsx_package.Worksheet` decodes a
cell. The other cells are decoded only for the rows an edit touches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .cell_refs import column_letter
from .xlsx_package import ATTRS, Cell, Worksheet


def column_values(sheet: Worksheet, cols: Iterable[int]) -> dict[int, dict[int, Cell]]:
    """Row number -> {column: Cell} for every cell of the sheet in ``cols``
    (rows with none of them are left out). Raises WorkbookError as decoding the
    cells' rows would (a shared string that is not there, an odd reference)."""
    wanted = sorted(set(cols))
    found: dict[int, dict[int, Cell]] = {}
    if sheet.empty_data or not wanted:
        return found
    if sheet.rows and all(row._cells is not None for row in sheet.rows.values()):
        for number, row in sheet.rows.items():
            cells = {c: row.cells[c] for c in wanted if c in row.cells}
            if cells:
                found[number] = cells
        return found
    p = re.escape(sheet.prefix)
    letters = b"|".join(column_letter(c).encode() for c in wanted)
    pattern = re.compile(rb"<" + p + rb"c(?=\s)(?=[^>]*?\sr\s*=\s*[\"'](?:" + letters + rb")[0-9]+[\"'])" + ATTRS
                         + rb"(?:/>|>(.*?)</" + p + rb"c>)", re.S)
    for m in pattern.finditer(sheet.data, sheet.data_span[0], sheet.data_end):
        cell = sheet._cell(m)  # the same decoding as a row's cells
        found.setdefault(cell.row, {})[cell.col] = cell
    return found
