"""A workbook's cell values, read as a stream: what a register or list needs.

:class:`SheetValues` takes an .xlsx or .xlsm already read and checked by the
input guard (:func:`~formkit.guard.read_package_bytes`), finds its worksheets,
shared strings, number formats and date system through
:class:`~.xlsx_package.XlsxPackage`, and yields each sheet's rows as lists of
``(value, number format)`` from column A, a row for every row number (an empty
list for a row with no cells), so a row's place in the list is its number in
Excel. Values are what Excel shows once calculated: text (shared, inline or a
formula's, Excel's ``_xHHHH_`` escapes undone), int or float, bool, the error
text ('#N/A'), a datetime or time for a number in a date format, None for an
empty cell.

Unlike :class:`~.xlsx_package.Worksheet` (which keeps each cell's place in the
bytes, to edit it, and refuses a sheet written unusually), a sheet is read here
as any well-formed sheet may be written: rows and cells without references are
placed after the one before. It is parsed with lxml's iterparse and each row
dropped once yielded, so memory stays that of one row; a caller that stops
early (a row limit) parses no further. Reading never loads openpyxl. A sheet
that is damaged or not well-formed raises :class:`SheetValuesError`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time

from lxml import etree

from ..guard import parse_xml
from .cell_refs import column_number
from .number_formats import from_iso, from_serial
from .cell_strings import string_text, unescape
from .xlsx_package import XlsxPackage, local_name

SheetValue = str | int | float | bool | date | datetime | time | None


class SheetValuesError(Exception):
    """A sheet's cells cannot be read (damaged, not well-formed)."""


class SheetValues:
    """The values of a workbook's worksheets; see the module's docstring.
    ``file`` names the workbook in errors; ``members`` are its checked parts.
    Raises InputFileError (from XlsxPackage) for a package that is not a workbook."""

    def __init__(self, file: str, members: tuple[list[zipfile.ZipInfo], dict[str, bytes]]) -> None:
        self.package = XlsxPackage(file, members=members)
        self.sheets = self.package.sheets
        self._formats = self.package.formats
        self._dates = self.package.date_styles

    def rows(self, sheet: str) -> Iterator[list[tuple[SheetValue, str]]]:
        """The rows of worksheet ``sheet`` (one of :attr:`sheets`), from row 1,
        each from column A; raises SheetValuesError for a damaged sheet."""
        part = self.sheets[sheet]
        data = self.package.parts[part]
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            parse_xml(data, part=part, file=self.package.file)  # refused, naming the part
        events = etree.iterparse(io.BytesIO(data), events=("end",), resolve_entities=False, no_network=True,
                                 load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)
        number = 0
        try:
            for _, el in events:
                if local_name(el) != "row":
                    continue
                given = el.get("r")
                at = int(given) if given and given.isdigit() else number + 1
                while number + 1 < at:
                    number += 1
                    yield []
                number = at
                yield self._row(el)
                el.clear(keep_tail=True)
                parent = el.getparent()
                while parent is not None and el.getprevious() is not None:
                    del parent[0]
        except etree.XMLSyntaxError as exc:
            raise SheetValuesError(f"sheet '{sheet}' is not well-formed XML ({exc.msg})") from None

    def _row(self, row: etree._Element) -> list[tuple[SheetValue, str]]:
        cells: list[tuple[SheetValue, str]] = []
        for c in row:
            if local_name(c) != "c":
                continue
            where = c.get("r")
            col = column_number(where.rstrip("0123456789")) if where else len(cells) + 1
            while len(cells) < col - 1:
                cells.append((None, "General"))
            style = int(c.get("s", "0") or 0)
            code = self._formats[style] if 0 <= style < len(self._formats) else "General"
            value = self._value(c, c.get("t", "n"), style)
            if len(cells) == col - 1:
                cells.append((value, code))
            else:
                cells[col - 1] = (value, code)
        return cells

    def _value(self, c: etree._Element, kind: str, style: int) -> SheetValue:
        if kind == "inlineStr":
            inline = next((e for e in c if local_name(e) == "is"), None)
            return string_text(inline) if inline is not None else None
        v = next((e for e in c if local_name(e) == "v"), None)
        text = v.text if v is not None else None
        if text is None:
            return None
        if kind == "s":
            try:
                return self.package.strings[int(text)]
            except (ValueError, IndexError):
                raise SheetValuesError(f"cell {c.get('r')} points at a shared string that is not there") from None
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "str":
            return unescape(text)
        if kind == "e":
            return text
        if kind == "d":
            return from_iso(text)
        try:
            number: int | float = float(text) if any(ch in text for ch in ".eE") else int(text)
        except ValueError:
            raise SheetValuesError(f"cell {c.get('r')} holds '{text}', which is not a number") from None
        if 0 <= style < len(self._dates) and self._dates[style]:
            return from_serial(number, date1904=self.package.date1904)
        return number


__all__ = ["SheetValue", "SheetValues", "SheetValuesError"]
