"""Reading a spreadsheet (.xlsx, .xlsm or .csv) into rows of known columns.

MIS exports differ in headings ("DOB", "Date of Birth"), put title rows above the
heading row, and come as Excel workbooks or as CSV in UTF-8 or Windows-1252 with a
comma, semicolon or tab between values. :func:`read_table` copes with all of that
and returns a :class:`Table` whose rows hold cells under formkit's field names,
each row keeping the row number the user sees in Excel. Any file it cannot use
raises a :class:`~formkit.errors.FormkitError` naming the file; a user's file never
causes a traceback.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .. import guard
from ..errors import FormkitError, InputFileError, SettingsError
from .cell_text import MAX_ROWS, capped, clean_cell, filled_rows, limit_reason
from .values import CellValue, as_text, is_blank

HEADER_SCAN_ROWS = 30
"""How many rows from the top are searched for the heading row. A file is read
that many rows past its row limit, since the limit counts the rows below the
heading row (the pupils), not the title and heading rows above them."""

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_NOT_A_SPREADSHEET = (
    "this file is not an Excel workbook (.xlsx) or CSV file; save it from Excel as .xlsx or CSV"
)
_ENCRYPTED = (
    "this file is password-protected or an old .xls workbook; remove the password"
    " (File > Info > Protect Workbook) or save it from Excel as .xlsx"
)
_CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_DELIMITERS = (",", ";", "\t")


def heading_key(text: str) -> str:
    """The form headings are compared in: case, spaces and punctuation ignored.

    'Date of Birth', 'date_of_birth' and 'DATE OF BIRTH' all give 'dateofbirth'.
    """
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class Cell:
    """One cell: its value and, for Excel cells, its number format ('' for CSV)."""

    value: CellValue = None
    number_format: str = ""

    @property
    def blank(self) -> bool:
        return is_blank(self.value)

    @property
    def text(self) -> str:
        """The value as text, stripped and NFC-normalised (see values.as_text)."""
        return as_text(self.value)


_BLANK = Cell()


@dataclass(frozen=True)
class Row:
    """One data row: the user's row number (1-based, counting title rows) and its
    cells by field name. Fields whose column is absent read as a blank cell.
    ``extra`` holds the cells of the columns formkit does not know, as
    (heading as written, cell), in column order."""

    number: int
    cells: Mapping[str, Cell]
    extra: tuple[tuple[str, Cell], ...] = ()

    def cell(self, name: str) -> Cell:
        return self.cells.get(name, _BLANK)

    def value(self, name: str) -> CellValue:
        return self.cell(name).value

    def text(self, name: str) -> str:
        return self.cell(name).text

    def blank(self, name: str) -> bool:
        return self.cell(name).blank


@dataclass(frozen=True)
class Table:
    """The rows of one sheet (or CSV file) under formkit's field names.

    ``file`` is the path as given; ``source`` is how problems name the place,
    which adds the sheet when the workbook has more than one ("reg.xlsx, sheet
    'Targets'"). ``headings`` maps each found field to its heading as written in
    the file. Fully blank rows are left out of ``rows``.
    """

    file: str
    sheet: str | None
    source: str
    header_row: int
    headings: dict[str, str]
    rows: tuple[Row, ...]
    unknown_headings: tuple[str, ...] = field(default=())

    def has(self, name: str) -> bool:
        return name in self.headings

    def heading(self, name: str) -> str | None:
        """The user's heading for a field, or None when the file has no such column."""
        return self.headings.get(name)


RawRow = list[Cell]


def sheet_names(path: str | Path, *, max_rows: int = MAX_ROWS) -> list[str]:
    """The sheet names of a workbook, in order; [] for a CSV file. ``max_rows``
    is the limit the sheets will be read at (the parse is kept for them).

    Raises InputFileError as read_table does for a missing or unusable file.
    """
    loaded = _load(Path(path), str(path), max_rows)
    return [] if isinstance(loaded, str) else list(loaded)


def find_sheet(path: str | Path, names: Iterable[str]) -> str | None:
    """The first sheet of the workbook at ``path`` whose name, compared as
    :func:`heading_key` does, is one of ``names`` ('onepageprofiles', ...); None
    for a CSV file, a file that cannot be read, or no such sheet."""
    wanted = set(names)
    try:
        found = sheet_names(path)
    except FormkitError:
        return None
    return next((n for n in found if heading_key(n) in wanted), None)


def read_side_table(
    register_file: str | Path,
    given: str | Path | None,
    names: Iterable[str],
    aliases: Mapping[str, tuple[str, ...]],
    *,
    required: set[str],
    error: type[FormkitError] = InputFileError,
    max_rows: int = MAX_ROWS,
) -> Table | None:
    """A sheet kept beside the register: the file ``given`` (a workbook or CSV)
    when there is one, else the register workbook's sheet named one of
    ``names`` (see :func:`find_sheet`); None when there is neither. Raises as
    :func:`read_table` does."""
    if given is not None:
        return read_table(given, aliases, required=required, error=error, max_rows=max_rows)
    sheet = find_sheet(register_file, names)
    if sheet is None:
        return None
    return read_table(register_file, aliases, sheet=sheet, required=required, error=error, max_rows=max_rows)


def read_table(
    path: str | Path,
    aliases: Mapping[str, tuple[str, ...]],
    *,
    sheet: str | None = None,
    required: set[str],
    column_map: Mapping[str, str] | None = None,
    error: type[FormkitError] = InputFileError,
    max_rows: int = MAX_ROWS,
) -> Table:
    """Read the table of known columns from a workbook sheet or CSV file.

    ``aliases`` maps each field to the headings that name it; ``column_map``
    ("Their heading" -> field, from formkit.toml) comes first, and a mapping to a
    field not in ``aliases`` raises SettingsError. The heading row is the row of
    the first 30 that matches the most fields (at least two; the earliest wins a
    tie). When two columns name the same field the mapped one wins, then the one
    whose heading comes first in the field's aliases. ``sheet`` is matched
    ignoring case and spaces; without it the first sheet holding every required
    column is read (else the first with a heading row, to report what is missing).

    A sheet or file with more than ``max_rows`` rows with data (default
    :data:`~.cell_text.MAX_ROWS`) is refused after reading one row past it.

    Raises InputFileError when the file is missing or not a workbook/CSV, and
    ``error`` (default InputFileError) when no heading row is found, a required
    column is missing or there are too many rows.
    """
    name = str(path)
    mapping = _check_map(column_map or {}, aliases)
    loaded = _load(Path(path), name, max_rows)
    if isinstance(loaded, str):
        candidates = [_parse_csv(loaded, d, name, max_rows) for d in _DELIMITERS]
        scored = [(_find_header(rows, aliases, mapping), i) for i, rows in enumerate(candidates)]
        best = max(scored, key=lambda s: (s[0][1] if s[0] else 0, -s[1]))
        rows = candidates[best[1]]
        return _build(rows, name, None, name, aliases, required, mapping, error, max_rows)
    sheets = loaded
    many = len(sheets) > 1
    if sheet is not None:
        wanted = heading_key(sheet)
        found = [s for s in sheets if heading_key(s) == wanted]
        if not found:
            listed = ", ".join(f"'{s}'" for s in sheets)
            raise error(f"there is no sheet named '{sheet}'; the sheets are {listed}", file=name)
        chosen = found[0]
    else:
        chosen = _choose_sheet(sheets, aliases, mapping, required)
    source = f"{name}, sheet '{chosen}'" if many else name
    return _build(sheets[chosen], name, chosen, source, aliases, required, mapping, error, max_rows)


def _check_map(column_map: Mapping[str, str], aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    result: dict[str, str] = {}
    for heading, name in column_map.items():
        if name not in aliases:
            known = ", ".join(sorted(aliases))
            raise SettingsError(
                f"[register.columns] in formkit.toml maps '{heading}' to '{name}', which is not"
                f" a formkit field; use one of: {known}"
            )
        result[heading_key(heading)] = name
    return result


def _load(path: Path, name: str, max_rows: int = MAX_ROWS) -> str | dict[str, list[RawRow]]:
    """A CSV file's text, or a workbook's rows by sheet name (each read no
    further than one past ``max_rows`` rows with data); raises InputFileError.

    The content decides, not the name: a zip is read as a workbook, an OLE2 file
    (encrypted workbook or old .xls) is refused, and anything else is CSV only
    when named .csv, .txt or .tsv. The last file's parse is reused while its
    bytes (and kind of name) are the same, unless a sheet of it was cut short at
    a lower limit than this read's.
    """
    try:
        guard.check_size(path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError("file not found; check the name and the folder", file=name) from None
    except IsADirectoryError:
        raise InputFileError("this is a folder, not a file; give the spreadsheet's name", file=name) from None
    except PermissionError:
        raise InputFileError(
            "formkit is not allowed to open this file; if it is open in Excel, close it and try again",
            file=name,
        ) from None
    except OSError as exc:
        raise InputFileError(f"the file cannot be read ({exc.strerror or exc})", file=name) from None
    if data.startswith(_OLE2):
        raise InputFileError(_ENCRYPTED, file=name)
    key = hashlib.sha256(data).digest() + bytes([path.suffix.lower() in _CSV_SUFFIXES])
    if _last_loaded is not None and _last_loaded[0] == key and max_rows <= _last_loaded[2]:
        return _last_loaded[1]
    loaded: str | dict[str, list[RawRow]]
    whole = float("inf")
    if data.startswith(_ZIP):
        loaded = _read_workbook(guard.read_package_bytes(data, name), name, max_rows)
        if any(filled_rows(rows) > max_rows + HEADER_SCAN_ROWS for rows in loaded.values()):
            whole = max_rows
    elif path.suffix.lower() in _CSV_SUFFIXES:
        loaded = _decode(data, name)
    else:
        raise InputFileError(_NOT_A_SPREADSHEET, file=name)
    _remember(key, loaded, whole)
    return loaded


_last_loaded: tuple[bytes, str | dict[str, list[RawRow]], float] | None = None


def _remember(key: bytes, loaded: str | dict[str, list[RawRow]], limit: float) -> None:
    """Keep the last file read, so the register's sheets are parsed once, not
    once per sheet; ``limit`` is the highest row limit the parse serves (infinite
    when no sheet was cut short)."""
    global _last_loaded
    _last_loaded = (key, loaded, limit)


def _read_workbook(members: tuple[list[zipfile.ZipInfo], dict[str, bytes]], name: str, max_rows: int
                   ) -> dict[str, list[RawRow]]:
    from ..ooxml import SheetValues  # only for a workbook: a CSV register needs no XML

    try:
        workbook = SheetValues(name, members)
        sheets: dict[str, list[RawRow]] = {
            title: capped(([Cell(clean_cell(value, escaped=False), code) for value, code in row]
                           for row in workbook.rows(title)), max_rows + HEADER_SCAN_ROWS)
            for title in workbook.sheets}
    except Exception as exc:  # not a workbook, a damaged sheet, any value a damaged part holds
        raise InputFileError(_NOT_A_SPREADSHEET, file=name) from exc
    if not sheets:
        raise InputFileError("this workbook has no worksheets; save it from Excel as .xlsx", file=name)
    return sheets


def _decode(data: bytes, name: str) -> str:
    """A CSV file's text, its encoding found from its bytes.

    UTF-16 when it starts with that BOM; else UTF-8 (a UTF-8 BOM dropped); else
    Windows-1252, which Excel's plain "CSV" writes. A file with a UTF-8 BOM and
    Windows-1252 bytes (saved by two programs in turn) is read line by line, each
    line as UTF-8 where it is UTF-8 and as Windows-1252 where not, so the BOM
    never sticks to the first heading and no accent is garbled.
    """
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in data[:4096] and not utf16:
        raise InputFileError(_NOT_A_SPREADSHEET, file=name)
    if utf16:
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputFileError(_NOT_A_SPREADSHEET, file=name) from None
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lines = []
    for number, line in enumerate(body.splitlines(keepends=True), start=1):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                lines.append(line.decode("cp1252"))
            except UnicodeDecodeError:
                raise InputFileError(f"line {number} holds bytes that are not text in UTF-8 or Windows-1252; save"
                                     " the file again from Excel as \"CSV UTF-8\"", file=name) from None
    return "".join(lines)


def _parse_csv(text: str, delimiter: str, name: str, max_rows: int) -> list[RawRow]:
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return capped(([Cell(clean_cell(value)) for value in record] for record in reader),
                      max_rows + HEADER_SCAN_ROWS)
    except csv.Error as exc:
        raise InputFileError(f"this CSV file cannot be read ({exc}); save it again from Excel as CSV",
                             file=name) from None


def _alias_rank(aliases: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, int]]:
    rank: dict[str, tuple[str, int]] = {}
    for name, headings in aliases.items():
        for i, heading in enumerate(headings):
            rank.setdefault(heading_key(heading), (name, i))
    return rank


def _match(row: RawRow, rank: Mapping[str, tuple[str, int]], mapping: Mapping[str, str]) -> dict[str, int]:
    """field -> column index for one candidate heading row."""
    best: dict[str, tuple[int, int]] = {}
    for index, cell in enumerate(row):
        if not isinstance(cell.value, str):
            continue
        key = heading_key(cell.value)
        if not key:
            continue
        if key in mapping:
            name, score = mapping[key], -1
        elif key in rank:
            name, score = rank[key]
        else:
            continue
        if name not in best or score < best[name][0]:
            best[name] = (score, index)
    return {name: index for name, (_, index) in best.items()}


def _find_header(
    rows: list[RawRow], aliases: Mapping[str, tuple[str, ...]], mapping: Mapping[str, str]
) -> tuple[int, int, dict[str, int]] | None:
    """(row index, number of fields matched, field -> column) of the heading row."""
    best: tuple[int, int, dict[str, int]] | None = None
    rank = _alias_rank(aliases)
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        matched = _match(row, rank, mapping)
        if len(matched) >= 2 and (best is None or len(matched) > best[1]):
            best = (i, len(matched), matched)
    return best


def find_header(
    rows: list[RawRow], aliases: Mapping[str, tuple[str, ...]], column_map: Mapping[str, str] | None = None
) -> tuple[int, dict[str, int]] | None:
    """The heading row among the first 30 ``rows`` (the one matching the most
    fields, at least two; the earliest wins a tie), as (0-based row index,
    field -> 0-based column index), or None. Headings are compared as
    :func:`heading_key` does; ``column_map`` is checked as in :func:`read_table`."""
    found = _find_header(rows, aliases, _check_map(column_map or {}, aliases))
    return (found[0], found[2]) if found else None


def _choose_sheet(
    sheets: dict[str, list[RawRow]],
    aliases: Mapping[str, tuple[str, ...]],
    mapping: Mapping[str, str],
    required: set[str],
) -> str:
    first_with_header: str | None = None
    for title, rows in sheets.items():
        header = _find_header(rows, aliases, mapping)
        if header is None:
            continue
        if required <= set(header[2]):
            return title
        first_with_header = first_with_header or title
    return first_with_header or next(iter(sheets))


def _example_headings(aliases: Mapping[str, tuple[str, ...]], names: Iterable[str]) -> str:
    return ", ".join(aliases[n][0] for n in names if aliases.get(n))


def _shown_rows(rows: list[RawRow], *, count: int = 3, cells: int = 8, width: int = 30) -> str:
    """The first ``count`` non-blank rows as read, for an error that says what
    formkit saw: "row 1: 'UPN;Surname;Forename'; row 2: ..." (cells quoted,
    each cut at ``width`` characters, at most ``cells`` a row)."""
    shown = []
    for number, row in enumerate(rows, start=1):
        texts = [as_text(c.value) for c in row if not c.blank]
        if not texts:
            continue
        cut = [repr(t if len(t) <= width else t[:width - 1] + "…") for t in texts[:cells]]
        more = f" and {len(texts) - cells} more" if len(texts) > cells else ""
        shown.append(f"{', '.join(cut)}{more}" if len(rows) == 1 else f"row {number}: {', '.join(cut)}{more}")
        if len(shown) == count:
            break
    return "; ".join(shown) or "nothing"


def _build(
    rows: list[RawRow],
    name: str,
    sheet: str | None,
    source: str,
    aliases: Mapping[str, tuple[str, ...]],
    required: set[str],
    mapping: Mapping[str, str],
    error: type[FormkitError],
    max_rows: int = MAX_ROWS,
) -> Table:
    if not any(not cell.blank for row in rows for cell in row):
        where = f"the sheet '{sheet}' is empty" if sheet else "the file is empty"
        raise error(f"{where}; it needs a heading row and one row per pupil", file=source)
    header = _find_header(rows, aliases, mapping)
    if filled_rows(rows[header[0] + 1:] if header else rows) > max_rows:
        raise error(
            f"holds more than {max_rows:,} rows; formkit reads up to {max_rows:,} ({limit_reason(max_rows)})."
            " Check that this is the right file, or split it",
            file=source,
        )
    ordered_required = [n for n in aliases if n in required]
    if header is None:
        raise error(
            f"cannot find the heading row: none of the first {HEADER_SCAN_ROWS} rows has two or more"
            f" headings formkit knows, such as {_example_headings(aliases, ordered_required)};"
            " check this is the right file, or map your headings in [register.columns] in formkit.toml."
            f" The first rows read: {_shown_rows(rows)}",
            file=source,
        )
    index, _, columns = header
    missing = [n for n in ordered_required if n not in columns]
    if missing:
        wanted = "; ".join(
            f"{aliases[n][0]} (accepted headings: {', '.join(aliases[n])})" for n in missing
        )
        noun = "column" if len(missing) == 1 else "columns"
        example = missing[0]
        raise error(
            f"the heading row has no {noun} for {wanted}; rename the heading in the file, or map"
            f" your own heading in [register.columns] in formkit.toml, e.g. \"Your heading\" = \"{example}\"."
            f" The headings read: {_shown_rows([rows[index]], cells=40)}",
            file=source,
            row=index + 1,
        )
    head = rows[index]
    headings = {n: as_text(head[i].value) for n, i in columns.items()}
    used = set(columns.values())
    others = [(i, as_text(c.value)) for i, c in enumerate(head) if i not in used and not c.blank]
    unknown = tuple(heading for _, heading in others)
    data: list[Row] = []
    for number, raw in enumerate(rows[index + 1:], start=index + 2):
        if all(cell.blank for cell in raw):
            continue
        cells = {n: raw[i] for n, i in columns.items() if i < len(raw)}
        extra = tuple((heading, raw[i] if i < len(raw) else _BLANK) for i, heading in others)
        data.append(Row(number, cells, extra))
    return Table(name, sheet, source, index + 1, headings, tuple(data), unknown)
