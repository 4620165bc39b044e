"""How tall a row must be to show the text formkit writes into its wrapped cells.

Excel fits a row to its wrapped text when it is edited, but a row written by a
program keeps the height stored in the file, and LibreOffice (7.4) prints and
shows a row with no stored height at one line, so a long note overprints the
rows below. :func:`fit_heights` works out, from the column widths and the cells'
wrap setting, how many lines each wrapped cell takes and gives the row that
height (:meth:`SheetEditor.set_height`); a row is never made shorter.

The estimate is for the sheet's default font (Calibri 11 in Excel's and
formkit's workbooks): a character a little narrower than the width unit, one line
the sheet's default row height. It errs towards a taller row, which prints a
little white space rather than hiding text.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Mapping

from .sheet_editor import SheetEditor
from .xlsx_package import MAIN, XlsxPackage, Worksheet

_COL = re.compile(rb"<(?:\w+:)?col\s([^>]*?)/?>")
_FORMAT = re.compile(rb"<(?:\w+:)?sheetFormatPr\s([^>]*?)/?>")
_ATTR = re.compile(rb"""(\w+)\s*=\s*(["'])(.*?)\2""")
_HEIGHT = re.compile(rb"""\sht\s*=\s*(["'])([0-9.]+)\1""")
CHARS_PER_WIDTH = 1.1
"""Characters of ordinary text (Calibri 11) that fit in one unit of column width."""


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {m.group(1): m.group(3) for m in _ATTR.finditer(raw)}


def wrapped_styles(package: XlsxPackage) -> set[int]:
    """The cell styles (cellXfs indices) whose alignment wraps text."""
    part = package._styles_part
    if not part or part not in package.parts:
        return set()
    xfs = package.xml(part).find(f"{{{MAIN}}}cellXfs")
    found = set()
    for index, xf in enumerate(xfs if xfs is not None else []):
        alignment = xf.find(f"{{{MAIN}}}alignment")
        if alignment is not None and alignment.get("wrapText", "0").lower() in ("1", "true"):
            found.add(index)
    return found


def column_widths(sheet: Worksheet) -> tuple[dict[int, float], float, float]:
    """(width by column number, the default width, the default row height in points), from the sheet's XML
    before its cells."""
    head = sheet.data[:sheet.data_span[0]]
    widths: dict[int, float] = {}
    for m in _COL.finditer(head):
        a = _attrs(m.group(1))
        try:
            low, high, width = int(a.get(b"min", b"1")), int(a.get(b"max", b"1")), float(a.get(b"width", b"0"))
        except ValueError:
            continue
        for col in range(low, min(high, low + 16384) + 1):
            widths[col] = width
    default, line = 8.43, 15.0
    found = _FORMAT.search(head)
    if found:
        a = _attrs(found.group(1))
        try:
            default = float(a[b"defaultColWidth"]) if b"defaultColWidth" in a else (
                float(a[b"baseColWidth"]) + 0.71 if b"baseColWidth" in a else default)
            line = float(a.get(b"defaultRowHeight", b"15")) or line
        except ValueError:
            pass
    return widths, default, line


def lines_needed(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` units wide."""
    per_line = max(1, int(width * CHARS_PER_WIDTH))
    return sum(max(1, len(textwrap.wrap(part, per_line, break_long_words=True))) for part in text.split("\n"))


def fit_heights(editor: SheetEditor, texts: Mapping[int, Mapping[int, str]]) -> None:
    """Give each row of ``texts`` (row -> column -> the text in the cell) the
    height its wrapped cells need, if that is more than it has."""
    sheet = editor.sheet
    wrapping = wrapped_styles(sheet.package)
    widths, default, line = column_widths(sheet)
    for number, cells in texts.items():
        lines = 1
        for col, text in cells.items():
            cell = sheet.cell(number, col)
            style = cell.style if cell is not None else sheet.style_for(number, col)
            if text and style in wrapping:
                lines = max(lines, lines_needed(text, widths.get(col, default)))
        if lines < 2:
            continue
        row = sheet.rows.get(number)
        current = _HEIGHT.search(row.attrs) if row is not None else None
        height = math.ceil(lines * line)
        if current is None or float(current.group(2)) < height:
            editor.set_height(number, height)
