"""The records a worksheet is read into: its cells, its rows (each decoded
from the sheet's bytes when first used) and its tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cell_refs import Box, ref

if TYPE_CHECKING:
    from .xlsx_package import Worksheet


@dataclass(slots=True)
class Cell:
    """One cell as stored: its decoded value (str, int, float, bool or None; errors
    as their text), its formula (without '='), style index, and byte span."""

    row: int
    col: int
    value: str | int | float | bool | None
    formula: str | None
    formula_type: str
    style: int
    start: int
    end: int
    shared_index: str | None = None
    rich: bool = False

    @property
    def ref(self) -> str:
        return ref(self.row, self.col)

    @property
    def blank(self) -> bool:
        return self.formula is None and (self.value is None or (isinstance(self.value, str) and not self.value.strip()))


@dataclass(slots=True)
class Row:
    """One ``<row>``: its number, byte span and attributes. Its cells are decoded
    from the bytes on first use, and checked against lxml's count of them."""

    number: int
    start: int
    end: int
    content_start: int
    attrs: bytes
    closed: bool
    expected: int
    sheet: Worksheet
    _cells: dict[int, Cell] | None = None

    @property
    def cells(self) -> dict[int, Cell]:
        if self._cells is None:
            self._cells = self.sheet._decode_row(self)
        return self._cells


@dataclass(frozen=True)
class Table:
    """An Excel table (ListObject) on a sheet: its part, name and range."""

    part: str
    name: str
    box: Box
    totals_rows: int
    header_rows: int


__all__ = ["Cell", "Row", "Table"]
