"""Reading a provision map back (:class:`ProvisionMap`) wherever its heading row
is and in whatever order its columns are, with the lists on its Settings sheet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import WorkbookError
from ..ooxml import Cell, ColumnCell, SheetEditor, Table, Value, Worksheet, XlsxPackage, column_values, fit_heights, row_values
from ..register import Cell as TableCell
from ..register import as_text, find_header, heading_key, parse_date
from .columns import (
    AREAS,
    COLUMNS,
    DATE_FIELDS,
    DEFAULT_RATES,
    RATINGS,
    SETTINGS_COLUMNS,
    WAVES,
    WEEKS_PER_YEAR,
    Lists,
    make_key,
)


@dataclass(frozen=True)
class ProvisionRow:
    """A data row's key cells as text (the start date as a date when it is one)."""

    number: int
    upn: str
    intervention: str
    start: date | str | None

    @property
    def key(self) -> tuple[str, str, date | str | None] | None:
        """(UPN, intervention, start) as records are matched; None without both."""
        return make_key(self.upn, self.intervention, self.start) if self.upn and self.intervention else None


@dataclass
class MapRow:
    """One row of the Provision sheet below the headings: its row number, the
    values of the known columns (dates as dates), and which hold formulas."""

    number: int
    values: dict[str, Value]
    formulas: set[str]

    def text(self, name: str) -> str:
        return as_text(self.values.get(name))  # type: ignore[arg-type]


class ProvisionMap:
    """The Provision sheet of a workbook, read without changing anything.

    The sheet is the one named 'Provision' or 'Provision map', else the first
    whose headings include UPN and Intervention. The heading row is the provision
    table's first row when there is one, else found among the first 30 rows by its
    headings (aliases in :data:`COLUMNS`, any order). ``rows`` are the rows below
    it that hold a value in a known column; a row of formulas alone is not data.
    They are decoded when first asked for: an update reads only
    :meth:`provision_rows` (the key columns) and the rows it changes (:meth:`row`).
    Raises WorkbookError when no such sheet or a required column is missing.
    """

    def __init__(self, path: Path | str, *, required: tuple[str, ...] = ("upn", "intervention")) -> None:
        self.package = XlsxPackage(path)
        self.file = str(path)
        name = self._choose_sheet()
        self.sheet: Worksheet = self.package.worksheet(name)
        found = self._header(self.sheet)
        if found is None:
            raise WorkbookError(f"sheet '{name}' has no heading row with UPN and Intervention", file=self.file)
        self.header_row, self.columns = found
        missing = [n for n in required if n not in self.columns]
        if missing:
            wanted = "; ".join(f"{COLUMNS[n][0]} (accepted headings: {', '.join(COLUMNS[n])})" for n in missing)
            raise WorkbookError(f"the heading row of sheet '{name}' (row {self.header_row}) has no column for"
                                f" {wanted}; add it or rename your heading", file=self.file)
        header = self.sheet.rows[self.header_row]
        used = [c for c, cell in header.cells.items() if not cell.blank]
        self.table: Table | None = next((t for t in self.sheet.tables if t.box[1] == self.header_row), None)
        first = min(used + ([self.table.box[0]] if self.table else []))
        last = max(used + ([self.table.box[2]] if self.table else []))
        self.span = (first, last)
        self.lists = read_lists(self.package)
        self._rows: list[MapRow] | None = None
        self._decoded: dict[int, MapRow | None] = {}
        self._keys: list[ProvisionRow] | None = None
        self._upns: dict[int, dict[int, ColumnCell]] | None = None

    def _choose_sheet(self) -> str:
        names = list(self.package.sheets)
        for wanted in ("provision", "provisionmap"):
            for name in names:
                if heading_key(name) == wanted:
                    return name
        for name in names:
            sheet = self.package.worksheet(name)
            found = self._header(sheet)
            if found and {"upn", "intervention"} <= set(found[1]):
                return name
        raise WorkbookError("has no sheet named Provision, and no sheet with UPN and Intervention headings;"
                            " is this the provision map?", file=self.file)

    @staticmethod
    def _header(sheet: Worksheet) -> tuple[int, dict[str, int]] | None:
        for table in sheet.tables:
            row = sheet.rows.get(table.box[1])
            if row is not None:
                found = find_header([_dense(row.cells, sheet)], COLUMNS)
                if found and {"upn", "intervention"} <= set(found[1]):
                    return table.box[1], {n: c + 1 for n, c in found[1].items()}
        numbers = sorted(sheet.rows)[:30]
        dense = [_dense(sheet.rows[n].cells, sheet) for n in numbers]
        found = find_header(dense, COLUMNS)
        if found is None:
            return None
        return numbers[found[0]], {n: c + 1 for n, c in found[1].items()}

    @property
    def rows(self) -> list[MapRow]:
        """Every data row below the headings, each cell of the known columns decoded."""
        if self._rows is None:
            self._rows = [r for r in map(self.row, sorted(n for n in self.sheet.rows if n > self.header_row))
                          if r is not None]
        return self._rows

    def row(self, number: int) -> MapRow | None:
        """Row ``number`` decoded, or None when it is not a data row (no value in
        a known column, or formulas alone)."""
        if number not in self._decoded:
            row = self.sheet.rows.get(number)
            self._decoded[number] = self._map_row(number, row.cells) if row is not None else None
        return self._decoded[number]

    def values_of(self, number: int, names: Iterable[str]) -> dict[str, Value]:
        """The values (decoded as :attr:`rows` has them) of columns ``names`` in
        data row ``number``, its other cells left undecoded."""
        if number in self._decoded:
            row = self._decoded[number]
            return {n: v for n, v in row.values.items() if n in names} if row is not None else {}
        wanted = {self.columns[n]: n for n in names if n in self.columns}
        cells = row_values(self.sheet, number, wanted)
        found = {wanted[c]: self.decode(wanted[c], cell.value, 0) for c, cell in cells.items()}
        return {n: v for n, v in found.items() if v is not None}

    def _map_row(self, number: int, cells: Mapping[int, Cell]) -> MapRow | None:
        values: dict[str, Value] = {}
        formulas: set[str] = set()
        has_value = False
        for name, col in self.columns.items():
            cell = cells.get(col)
            if cell is None:
                continue
            if cell.formula is not None:
                formulas.add(name)
            elif not cell.blank:
                has_value = True
            value = self.decode(name, cell.value, cell.style)
            if value is not None:
                values[name] = value
        return MapRow(number, values, formulas) if has_value else None

    def provision_rows(self) -> list[ProvisionRow]:
        """The data rows holding a UPN or an intervention, in order, read from
        those columns and the start date's alone (the rows :attr:`rows` holds
        with either, with the same values)."""
        if self._keys is None:
            found = column_values(self.sheet, self._key_columns())
            self._keys = [row for n in sorted(found) if n > self.header_row
                          and (row := self._key_row(n, found[n])) is not None]
        return self._keys

    def rows_of(self, upns: set[str]) -> list[ProvisionRow]:
        """The rows of :meth:`provision_rows` whose UPN, without spaces and in
        capitals, is one of ``upns``: only the UPN column is read whole, the
        other key cells only in those rows."""
        found = self._upn_cells()
        upn_col = self.columns["upn"]
        rows = []
        for number in sorted(found):
            if "".join(_text(found[number][upn_col]).split()).upper() in upns:
                row = self._key_row(number, {**found[number], **row_values(self.sheet, number, self._key_columns())})
                if row is not None:
                    rows.append(row)
        return rows

    def _key_columns(self) -> list[int]:
        return [self.columns[n] for n in ("upn", "intervention", "start_date") if n in self.columns]

    def _upn_cells(self) -> dict[int, dict[int, ColumnCell]]:
        """The UPN cells of the rows below the headings, by row number."""
        if self._upns is None:
            found = column_values(self.sheet, [self.columns["upn"]])
            self._upns = {n: cells for n, cells in found.items() if n > self.header_row}
        return self._upns

    def _key_row(self, number: int, cells: Mapping[int, ColumnCell]) -> ProvisionRow | None:
        """Row ``number`` as :meth:`provision_rows` has it, from its key cells; None without a UPN or an intervention."""
        upn, intervention = _text(cells.get(self.columns["upn"])), _text(cells.get(self.columns.get("intervention", 0)))
        if not upn and not intervention:
            return None
        if all(c.blank for c in cells.values()) and self.row(number) is None:
            return None  # formulas alone (and blanks) in the key columns: a data row only with other values
        cell = cells.get(self.columns.get("start_date", 0))
        start = self.decode("start_date", cell.value, 0) if cell is not None else None
        return ProvisionRow(number, upn, intervention, start if isinstance(start, (date, str)) else None)

    def decode(self, name: str, value: Value, style: int) -> Value:
        if name in DATE_FIELDS:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return self.package.to_date(value)
            if isinstance(value, str) and value.strip():
                try:
                    return parse_date(value)
                except ValueError:
                    return value.strip()
        if isinstance(value, str):
            return value.strip() or None
        return value

    @property
    def last_data_row(self) -> int:
        """The last row with a UPN or an intervention: the end of the provision
        rows. Anything below it (a total, a note) is not a provision row."""
        if self._keys is not None:
            return max([self.header_row, *(r.number for r in self._keys)])
        found = self._upn_cells()
        upn_col = self.columns["upn"]
        last = max([self.header_row, *(n for n, cells in found.items() if _text(cells[upn_col]))])
        below = [n for n in self.sheet.rows if n > last]  # a UPN-less row with an intervention may follow
        cols = self._key_columns()
        if len(below) > 1000:
            tail = {n: cells for n, cells in column_values(self.sheet, cols).items() if n > last}
        else:
            tail = {n: row_values(self.sheet, n, cols) for n in below}
        return max([last, *(n for n, cells in tail.items() if cells and self._key_row(n, cells) is not None)])

    def fit_rows(self, editor: SheetEditor) -> None:
        """Make every row ``editor`` writes tall enough for its wrapped text (a
        note, an intervention's name), counting the row's other cells too, so
        nothing prints over the row below."""
        texts: dict[int, dict[int, str]] = {}
        for change in editor.changes:
            if not change.new.startswith("="):
                texts.setdefault(change.row, {})[change.col] = change.new
        for number, cells in texts.items():
            row = self.row(number)  # only the rows written are decoded
            for name, col in self.columns.items():
                if row is not None and col not in cells:
                    cells[col] = row.text(name)
        fit_heights(editor, texts)

    def key(self, row: MapRow) -> tuple[str, str, date | str | None] | None:
        upn, intervention = row.text("upn"), row.text("intervention")
        if not upn or not intervention:
            return None
        start = row.values.get("start_date")
        return make_key(upn, intervention, start if isinstance(start, (date, str)) else None)


def _text(cell: ColumnCell | None) -> str:
    """A key cell's text, as ``as_text`` reads the cell's decoded value (a text
    field's: stripped, blank as None)."""
    if cell is None:
        return ""
    value = cell.value
    if isinstance(value, str):
        if value.isascii() and "\r" not in value:
            return value.strip()
        value = value.strip() or None
    return as_text(value)  # type: ignore[arg-type]


def _dense(cells: Mapping[int, Cell], sheet: Worksheet) -> list[TableCell]:
    """One row's cells as table.py's dense row (formulas read as blank), for finding headings."""
    if not cells:
        return []
    out = [TableCell()] * max(cells)
    for col, cell in cells.items():
        out[col - 1] = TableCell(cell.value if cell.formula is None else None)
    return out


def read_lists(package: XlsxPackage) -> Lists:
    """The drop-down choices and costing settings on the workbook's Settings
    sheet; a list that is absent or empty keeps formkit's default."""
    name = next((n for n in package.sheets if heading_key(n) == "settings"), None)
    if name is None:
        return Lists()
    sheet = package.worksheet(name)
    numbers = sorted(sheet.rows)
    dense = [_dense(sheet.rows[n].cells, sheet) for n in numbers[:30]]
    found = find_header(dense, SETTINGS_COLUMNS)
    if found is None:
        return Lists()
    index, columns = found
    below = numbers[index + 1:]

    def column(name: str) -> list[Value]:
        col = columns.get(name)
        if col is None:
            return []
        values: list[Value] = []
        for n in below:
            cell = sheet.rows[n].cells.get(col + 1)
            values.append(None if cell is None else cell.value)
        return values

    roles = [as_text(v) for v in column("role")]
    rates = column("rate")
    pairs = tuple((role, float(rate) if isinstance(rate, (int, float)) and not isinstance(rate, bool) else None)
                  for role, rate in zip(roles, rates + [None] * len(roles)) if role)
    texts = {n: tuple(as_text(v) for v in column(n) if as_text(v)) for n in ("area", "wave", "rating")}
    weeks = next((v for v in column("weeks") if isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0),
                 WEEKS_PER_YEAR)
    return Lists(pairs or DEFAULT_RATES, texts["area"] or AREAS, texts["wave"] or WAVES, texts["rating"] or RATINGS,
                 float(weeks))
