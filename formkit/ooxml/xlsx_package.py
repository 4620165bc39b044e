"""The xlsx layer, reading: a workbook's package, its sheets and their cells, byte for byte.

Loading and saving a workbook with openpyxl drops what openpyxl does not model
(shapes, x14 drop-downs and conditional formats, sparklines, slicers, cached
formula results, dynamic arrays, customXml, printer settings, ...), so formkit
never saves a provision map through it. :class:`XlsxPackage` reads the package
through the input guard and finds sheets, tables, styles and shared strings from
workbook.xml and the relationships. :class:`Worksheet` decodes a sheet's rows and
cells and keeps where each sits in the sheet's bytes, so that
:mod:`formkit.ooxml.sheet_editor` can change cells in place. This module and
:mod:`formkit.ooxml.sheet_editor` are the only modules that read or write sheet XML; this
one never changes anything.

Positions in the sheet's bytes come from regular expressions. The whole part is
first checked to be well-formed XML (expat, which builds no tree) with no
comments or CDATA among the cells, so every cell tag in the bytes is a cell; the
sheet without its cells is parsed with lxml (merged cells, protection, the
structures an edit grows), and each row's decoded cells are checked against its
cell tags; any disagreement refuses the edit rather than risking the file. A
large sheet is so never built as a tree: its rows are decoded only when used.
"""

from __future__ import annotations

import bisect
import posixpath
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import NoReturn

from lxml import etree

from ..errors import InputFileError, WorkbookError
from ..guard import parse_xml, read_zip
from .cell_refs import Box, box, box_text, column_number, overlaps, ref
from .cell_strings import string_text, unescape
from .cell_strings import unxml as _unxml
from .formulas import move_formula
from .sheet_cells import Cell, Row, Table
from .number_formats import format_code, is_date_format
from .sheet_xml import attributes as _attrs
from .sheet_xml import find_rows, parse_without_cells

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
ATTRS = rb"""((?:[^>"']|"[^"]*"|'[^']*')*?)"""
"""A regular expression (bytes) for the attributes of a start tag, quoted values
and all, as one group: put it between the tag's name and its ``/?>``."""
Value = str | int | float | bool | date | None


def local_name(el: etree._Element) -> str:
    """An element's tag without its namespace ('{ns}row' -> 'row'); '' for a
    comment or processing instruction."""
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def prefix_of(root: etree._Element) -> bytes:
    """The namespace prefix the part's root element is written with, as it
    appears before a tag name in the bytes (b'x:'), or b'' for none."""
    return (root.prefix.encode() + b":") if root.prefix else b""


class XlsxPackage:
    """A workbook package read whole through the input guard.

    ``parts`` holds every member's bytes and ``infos`` their zip entries, in the
    file's order (``members``: the two already read, by
    :func:`~formkit.guard.read_package_bytes`, for a workbook held in memory);
    ``sheets`` maps sheet names (in workbook order) to their part
    names. Raises InputFileError for a file that is not a
    workbook and WorkbookError for one formkit cannot edit safely (Strict Open XML).
    """

    def __init__(self, path: Path | str, *, members: tuple[list[zipfile.ZipInfo], dict[str, bytes]] | None = None
                 ) -> None:
        self.file = str(path)
        self.infos, self.parts = members if members is not None else read_zip(path, "xlsx")
        workbook = self._office_document()
        if workbook is None:
            raise InputFileError("is not an Excel workbook (.xlsx): it has no workbook part; save it from Excel as"
                                 " Excel Workbook", file=self.file)
        self.workbook_part = workbook
        self.workbook_xml = self.xml(workbook)
        if local_name(self.workbook_xml) != "workbook":
            raise InputFileError(f"is not an Excel workbook (.xlsx): its main part {workbook} is not a workbook; save"
                                 " it from Excel as Excel Workbook", file=self.file)
        if self.workbook_xml.tag.startswith(f"{{{STRICT}}}"):
            raise WorkbookError("is saved as Strict Open XML, which formkit cannot change safely; save it in Excel"
                                " as 'Excel Workbook (.xlsx)'", file=self.file)
        rels = self.rels(workbook)
        self.sheets: dict[str, str] = {}
        for sheet in self.workbook_xml.iter(f"{{{MAIN}}}sheet"):
            target = rels.get(sheet.get(f"{{{R_NS}}}id", ""))
            if target and target[0].endswith("/worksheet"):
                self.sheets[sheet.get("name", "")] = target[1]
        pr = self.workbook_xml.find(f"{{{MAIN}}}workbookPr")
        self.date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
        calc = self.workbook_xml.find(f"{{{MAIN}}}calcPr")
        self.full_calc_on_load = calc is not None and calc.get("fullCalcOnLoad", "0").lower() in ("1", "true")
        self._shared_part = next((t for kind, t in rels.values() if kind.endswith("/sharedStrings")), None)
        self._styles_part = next((t for kind, t in rels.values() if kind.endswith("/styles")), None)
        self._strings: list[str] | None = None
        self._formats: list[str] | None = None
        self._date_styles: list[bool] | None = None

    def xml(self, part: str) -> etree._Element:
        if part not in self.parts:
            raise InputFileError(f"is damaged: its part {part} is missing; save it again from Excel", file=self.file)
        return parse_xml(self.parts[part], part=part, file=self.file)

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, target part) for ``part`` (external targets left out)."""
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", name + ".rels")
        found: dict[str, tuple[str, str]] = {}
        if rels_part not in self.parts:
            return found
        for rel in self.xml(rels_part).iter(f"{{{PKG_REL}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[rel.get("Id", "")] = (rel.get("Type", ""), path)
        return found

    def _office_document(self) -> str | None:
        for kind, target in self.rels("").values():
            if kind.endswith("/officeDocument") and target in self.parts:
                return target
        return None

    @property
    def has_strings(self) -> bool:  # a shared strings part, where Excel keeps text
        return bool(self._shared_part and self._shared_part in self.parts)

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            part = self._shared_part
            self._strings = [] if not part or part not in self.parts else [
                string_text(si) for si in self.xml(part).iter(f"{{{MAIN}}}si")]
        return self._strings

    @property
    def formats(self) -> list[str]:
        """The number format code of each cell style (cellXfs), by style index."""
        if self._formats is None:
            self._formats = []
            if self._styles_part and self._styles_part in self.parts:
                styles = self.xml(self._styles_part)
                custom = {int(f.get("numFmtId", "0")): f.get("formatCode", "")
                          for f in styles.iter(f"{{{MAIN}}}numFmt")}
                xfs = styles.find(f"{{{MAIN}}}cellXfs")
                for xf in (xfs if xfs is not None else []):
                    number = int(xf.get("numFmtId", "0"))
                    self._formats.append(format_code(number, custom))
        return self._formats

    @property
    def date_styles(self) -> list[bool]:
        """Whether each cell style (cellXfs) shows a date, by style index."""
        if self._date_styles is None:
            self._date_styles = [is_date_format(code) for code in self.formats]
        return self._date_styles

    def is_date_style(self, style: int) -> bool:
        dates = self.date_styles
        return 0 <= style < len(dates) and dates[style]

    def first_date_style(self) -> int | None:
        return next((i for i, is_date in enumerate(self.date_styles) if is_date), None)

    def to_date(self, serial: float) -> date:
        base = date(1904, 1, 1) if self.date1904 else date(1899, 12, 30)
        return base + timedelta(days=int(serial))

    def serial(self, day: date) -> int:
        base = date(1904, 1, 1) if self.date1904 else date(1899, 12, 30)
        return (day - base).days

    def worksheet(self, name: str, *, cells_checked: bool = False) -> Worksheet:
        """The sheet ``name`` (WorkbookError if none); ``cells_checked`` as :class:`Worksheet` has it."""
        if name not in self.sheets:
            raise WorkbookError(f"has no worksheet named '{name}'", file=self.file)
        return Worksheet(self, name, self.sheets[name], cells_checked=cells_checked)

    def tables(self, part: str) -> list[Table]:
        found = []
        for kind, target in self.rels(part).values():
            if kind.endswith("/table") and target in self.parts:
                root = self.xml(target)
                found.append(Table(target, root.get("displayName") or root.get("name") or "", box(root.get("ref", "A1")),
                                   int(root.get("totalsRowCount", "0")), int(root.get("headerRowCount", "1"))))
        return found


_USUAL_CELL = re.compile(rb' r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]{1,9})")?(?: t="([a-zA-Z]{1,9})")?')
"""A cell's attributes as Excel writes them (reference, style, type, in that order, nothing else)."""


class Worksheet:
    """One worksheet's cells and the structures around them, read from its XML.

    Rows and cells carry their byte spans; ``data_span`` is the byte span of
    ``<sheetData>`` (its start tag to its end tag), ``data_end`` where its end tag
    starts, and ``empty_data`` says it was written self-closing
    (``<sheetData/>``). Raises WorkbookError when the sheet is written in a way
    formkit cannot edit exactly (rows or cells without references, or XML whose
    tags cannot be matched to lxml's parse), InputFileError when the part is not
    well-formed. ``cells_checked`` says the caller has shown the cells
    well-formed (a sheet formkit has just written, whose rows it checked), so
    only the XML around them is parsed.
    """

    def __init__(self, package: XlsxPackage, name: str, part: str, *, cells_checked: bool = False) -> None:
        self.package = package
        self.name = name
        self.part = part
        self.data = package.parts[part]
        cut = parse_without_cells(self.data, part, package.file, cells_checked=cells_checked)
        self.root = cut if cut is not None else package.xml(part)
        if local_name(self.root) != "worksheet":
            raise WorkbookError(f"sheet '{name}' is not a worksheet (a chart or dialog sheet)", file=package.file)
        self.prefix = prefix_of(self.root)
        self.rows: dict[int, Row] = {}
        self.shared: dict[str, tuple[int, int, str]] = {}
        self.arrays: list[tuple[Box, str]] = []
        self._all_decoded = False
        self._numbers: list[int] | None = None
        self._arrays_absent: bool | None = None
        self._read_rows()
        merged = self.root.find(f"{{{MAIN}}}mergeCells")
        self.merged = [box(m.get("ref", "A1")) for m in (merged if merged is not None else [])]
        protection = self.root.find(f"{{{MAIN}}}sheetProtection")
        self.protected = protection is not None and protection.get("sheet", "0").lower() in ("1", "true")
        self.tables = package.tables(part)
        cols = self.root.find(f"{{{MAIN}}}cols")
        self.column_styles: list[tuple[int, int, int]] = [
            (int(c.get("min", "1")), int(c.get("max", "1")), int(c.get("style", "0")))
            for c in (cols if cols is not None else [])]

    def _read_rows(self) -> None:
        p = re.escape(self.prefix)
        opening = re.search(rb"<" + p + rb"sheetData(?=[\s/>])" + ATTRS + rb"(/?)>", self.data)
        if opening is None:
            raise WorkbookError(f"sheet '{self.name}' has no cell data", file=self.package.file)
        self.empty_data = opening.group(2) == b"/"
        if self.empty_data:
            self.data_span = (opening.start(), opening.end())
            self.data_end = opening.start()
            return
        self.data_end = self.data.rfind(b"</" + self.prefix + b"sheetData>", opening.end())  # a sheet has one
        if self.data_end < 0:
            self.unusual("cell data without its end")
        self.data_span = (opening.start(), self.data_end)
        if b"!" in self.data and (b"<![CDATA[" in self.data  # a part without "!" has neither (a quick look)
                                  or self.data.find(b"<!--", opening.end(), self.data_end) >= 0):
            self.unusual("comments or CDATA among the cells")
        self._cell_re = re.compile(rb"<" + p + rb"c(?=[\s/>])" + ATTRS + rb"(?:/>|>(.*?)</" + p + rb"c>)", re.S)
        self._v_re = re.compile(rb"<" + p + rb"v>([^<]*)</" + p + rb"v>")
        self._f_tag = b"<" + self.prefix + b"f"
        self._f_re = re.compile(rb"<" + p + rb"f(?=[\s/>])" + ATTRS + rb"(?:/>|>([^<]*)</" + p + rb"f>)")
        self._t_re = re.compile(rb"<" + p + rb"t(?=[\s>])[^>]*>([^<]*)</" + p + rb"t>")
        self._rph_re = re.compile(rb"<" + p + rb"rPh(?=[\s>]).*?</" + p + rb"rPh>", re.S)
        self._cell_tag = re.compile(rb"<" + p + rb"c(?=[\s/>])")
        try:
            for number, start, end, content, attrs, closed in find_rows(self.data, self.prefix, opening.end(),
                                                                         self.data_end):
                self.rows[number] = Row(number, start, end, content, attrs, closed, -1, self)
        except ValueError as exc:
            self.unusual(str(exc))

    def _decode_row(self, row: Row) -> dict[int, Cell]:
        cells: dict[int, Cell] = {}
        if not row.closed:
            close = len(b"</" + self.prefix + b"row>")
            for m in self._cell_re.finditer(self.data, row.content_start, row.end - close):
                cell = self._cell(m)
                if cell.row != row.number:
                    self.unusual(f"row {row.number}")
                cells[cell.col] = cell
        if row.expected < 0:
            row.expected = 0 if row.closed else len(self._cell_tag.findall(self.data, row.content_start, row.end))
        if len(cells) != row.expected:
            self.unusual(f"row {row.number}")
        return cells

    def _cell(self, m: re.Match[bytes]) -> Cell:
        usual = _USUAL_CELL.fullmatch(m.group(1))
        if usual is not None:  # r, s and t as Excel writes them: read without a dictionary of attributes
            letters, digits, style, kind_raw = usual.groups()
            attrs = {b"s": style or b"0"}
            where, kind = (letters + digits).decode(), (kind_raw or b"n").decode()
            col, row = column_number(letters.decode()), int(digits)
        else:
            attrs = _attrs(m.group(1))
            where = attrs.get(b"r", b"").decode()
            letters_text = where.rstrip("0123456789")
            if not letters_text or not letters_text.isalpha() or not where[len(letters_text):].isdigit():
                self.unusual(f"cell reference '{where}'")
            col, row = column_number(letters_text), int(where[len(letters_text):])
            kind = attrs.get(b"t", b"n").decode()
        inner = m.group(2) or b""
        value = self.value_of(kind, inner, where)
        formula, formula_type, shared = None, "", None
        f = self._f_re.search(inner) if self._f_tag in inner else None
        if f is not None:
            f_attrs = _attrs(f.group(1))
            formula = _unxml(f.group(2)) if f.group(2) else ""
            formula_type = f_attrs.get(b"t", b"normal").decode()
            if formula_type == "shared":
                shared = f_attrs.get(b"si", b"").decode()
                if b"ref" in f_attrs:
                    self.shared[shared] = (row, col, formula)
            elif formula_type in ("array", "dataTable"):
                self.arrays.append((box(f_attrs.get(b"ref", where.encode()).decode()), where))
        rich = b"cm" in attrs or b"vm" in attrs
        return Cell(row, col, value, formula, formula_type, int(attrs.get(b"s", b"0")), m.start(), m.end(),
                    shared, rich)

    def value_of(self, kind: str, inner: bytes, where: str) -> Value:
        """The value of a cell of type ``kind`` (its ``t``) whose content is ``inner``."""
        if kind == "inlineStr":
            runs = self._t_re.findall(self._rph_re.sub(b"", inner) if b"rPh" in inner else inner)
            return unescape(_unxml(runs[0]) if len(runs) == 1 else "".join(_unxml(t) for t in runs))
        v = self._v_re.search(inner) if inner else None
        return self.value_from(kind, v.group(1) if v else None, where)

    def value_from(self, kind: str, raw: bytes | None, where: str) -> Value:
        """The value of a cell of type ``kind`` (not an inline string) whose
        ``<v>`` holds ``raw`` (None: it has none). WorkbookError, naming the cell,
        for a shared string that is not there or a number that is not one."""
        text = _unxml(raw) if raw is not None else None
        if kind == "s" and text is not None:
            try:
                return self.package.strings[int(text)]
            except (ValueError, IndexError):
                raise WorkbookError(f"cell {where} of sheet '{self.name}' points at a shared string that is not"
                                    " there; the file is damaged", file=self.package.file) from None
        if kind == "b":
            return text in ("1", "true")
        if kind in ("str", "e", "d"):
            return unescape(text) if text is not None else None
        if text:
            try:
                number = float(text)
            except ValueError:
                raise WorkbookError(f"cell {where} of sheet '{self.name}' holds '{text[:40]}' where its type says a"
                                    " number; the file is damaged", file=self.package.file) from None
            return int(number) if number.is_integer() and abs(number) < 2**53 else number
        return None

    def inline_text(self, raw: bytes) -> str:
        """An inline string's value from its one ``<t>``'s raw text."""
        return unescape(_unxml(raw))

    def unusual(self, what: str) -> NoReturn:
        """Refuse (WorkbookError) a sheet whose XML is written in a way formkit
        cannot change exactly; ``what`` names the part of it that is unusual."""
        raise WorkbookError(f"sheet '{self.name}' is written in a way formkit cannot change exactly ({what});"
                            " open it in Excel, save it, and run formkit again", file=self.package.file)

    def cell(self, row: int, col: int) -> Cell | None:
        found = self.rows.get(row)
        return found.cells.get(col) if found else None

    def iter_rows(self) -> Iterator[Row]:
        for number in sorted(self.rows):
            yield self.rows[number]

    def formula_at(self, cell: Cell) -> str | None:
        """The cell's formula as Excel would show it (without '='): a shared
        formula's dependent cell gets the anchor's formula moved to it."""
        if cell.formula is None:
            return None
        if cell.formula_type == "shared" and not cell.formula and cell.shared_index not in self.shared:
            self._find_shared(cell.shared_index or "")
        if cell.formula_type == "shared" and not cell.formula and cell.shared_index in self.shared:
            row, col, text = self.shared[cell.shared_index]
            return move_formula(text, cell.row - row, cell.col - col)
        return cell.formula

    def display(self, cell: Cell | None) -> str:
        """The cell as a person reads it in a change report."""
        if cell is None:
            return "(blank)"
        formula = self.formula_at(cell)
        if formula is not None:
            return "=" + formula
        return show(cell.value, self.package.is_date_style(cell.style) and isinstance(cell.value, (int, float))
                    and not isinstance(cell.value, bool), self.package)

    def style_for(self, row: int, col: int, model: int | None = None) -> int:
        """The style a new cell at (row, col) takes: the model row's cell in that
        column, else the nearest cell above in the column, else the column's."""
        rows = self.rows
        model_row = rows.get(model) if model else None
        if model_row is not None and (found := model_row.cells.get(col)) is not None:
            return found.style
        if self._numbers is None:
            self._numbers = sorted(rows)
        at = bisect.bisect_left(self._numbers, row) - 1  # the rows above, nearest first, up to 49 rows up
        while at >= 0 and self._numbers[at] > row - 50:
            found = rows[self._numbers[at]].cells.get(col)
            if found is not None:
                return found.style
            at -= 1
        return next((s for lo, hi, s in self.column_styles if lo <= col <= hi), 0)

    def _find_shared(self, index: str) -> None:
        """Find shared formula ``index``'s anchor (the cell whose formula has a
        ``ref``) by its formula tag, decoding that cell alone; else every row."""
        p = re.escape(self.prefix)
        tag = re.compile(rb"<" + p + rb"f(?=\s)(?=[^>]*\ssi\s*=\s*[\"']" + re.escape(index.encode())
                         + rb"[\"'])(?=[^>]*\sref\s*=)")
        found = tag.search(self.data, self.data_span[0], self.data_end)
        start = self.data.rfind(b"<" + self.prefix + b"c", self.data_span[0], found.start()) if found else -1
        m = self._cell_re.match(self.data, start) if start >= 0 else None
        if m is not None and m.end() > found.start():  # type: ignore[union-attr]
            self._cell(m)  # registers the anchor in self.shared
        if index not in self.shared:
            self.decode_all()

    @property
    def may_hold_arrays(self) -> bool:
        """False when no cell can hold an array formula or data table (the words are nowhere in the cells)."""
        start, end = self.data_span[0], self.data_end
        return self.data.find(b"array", start, end) >= 0 or self.data.find(b"dataTable", start, end) >= 0

    def decode_all(self) -> None:
        """Decode every row, so shared-formula anchors and array ranges are known."""
        if not self._all_decoded:
            for row in self.rows.values():
                row.cells  # noqa: B018 - decoding fills self.shared and self.arrays
            self._all_decoded = True

    def array_at(self, row: int, col: int) -> str | None:
        if self._arrays_absent is None:
            self._arrays_absent = not self.may_hold_arrays
        if self._arrays_absent:
            return None
        self.decode_all()
        for area, anchor in self.arrays:
            if overlaps(area, (col, row, col, row)):
                return anchor
        return None


def show(value: Value, as_date: bool = False, package: XlsxPackage | None = None) -> str:
    """A value as a change report shows it: '(blank)', dates dd/mm/yyyy, 3 not 3.0."""
    if value is None or (isinstance(value, str) and not value):
        return "(blank)"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (date, datetime)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (int, float)):
        if as_date and package is not None:
            return package.to_date(value).strftime("%d/%m/%Y")
        return str(int(value)) if float(value).is_integer() else f"{value:g}"
    return value
