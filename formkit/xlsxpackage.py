"""The xlsx layer: read a workbook's package and change cells in place, byte for byte.

Loading and saving a workbook with openpyxl drops what openpyxl does not model
(shapes, x14 drop-downs and conditional formats, sparklines, slicers, cached
formula results, dynamic arrays, customXml, printer settings, ...). This module
never re-serialises a part it does not have to. :class:`XlsxPackage` reads the
package through the input guard and finds sheets, tables, styles and shared
strings from workbook.xml and the relationships. :class:`SheetEditor` records cell
changes and appended rows, and :meth:`SheetEditor.parts` splices them into the
original bytes of the sheet: every byte outside the changed cells is kept. Parts
that must follow a change are edited the same way: a table's ``ref`` when rows are
appended inside it, and ``<calcPr fullCalcOnLoad="1">`` in workbook.xml so Excel
recalculates formulas whose inputs changed. Shared strings are never touched:
text is written as inline strings. This is the only module that reads or writes
sheet XML.

Positions in the sheet's bytes come from regular expressions and are checked
against lxml's parse of the same bytes (element counts, cell references, attribute
values); any disagreement refuses the edit rather than risking the file.
"""

from __future__ import annotations

import html
import io
import math
import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import NoReturn
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree
from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import get_column_letter, range_boundaries

from .errors import InputFileError, WorkbookError
from .guard import parse_xml, read_zip

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_Q = {name: f"{{{MAIN}}}{name}" for name in ("c", "v", "f", "is", "t", "rPh", "row", "sheetData")}
_ATTRS = rb"""((?:[^>"']|"[^"]*"|'[^']*')*?)"""
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CALC_FOLLOWERS = ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                   "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst")

Value = str | int | float | bool | date | None
Box = tuple[int, int, int, int]
"""A cell range as (first column, first row, last column, last row), 1-based."""


def ref(row: int, col: int) -> str:
    """(5, 3) -> 'C5'."""
    return f"{get_column_letter(col)}{row}"


def box(text: str) -> Box:
    """'A3:X50' or 'E5' -> a Box; whole columns or rows run to the sheet's edge."""
    c1, r1, c2, r2 = range_boundaries(text.replace("$", ""))
    return (c1 or 1, r1 or 1, c2 or 16384, r2 or 1048576)


def box_text(b: Box) -> str:
    first, last = ref(b[1], b[0]), ref(b[3], b[2])
    return first if first == last else f"{first}:{last}"


def overlaps(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _text_of(el: etree._Element) -> str:
    """The text of a shared or inline string, leaving out phonetic runs."""
    return _unescape("".join(t.text or "" for t in el.iter(_Q["t"])
                             if (parent := t.getparent()) is None or parent.tag != _Q["rPh"]))


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _xml_text(text: str) -> bytes:
    """Text for an XML element: escaped, invalid characters written as Excel's _xHHHH_."""
    text = text.replace("_x", "_x005F_x") if _ESCAPED.search(text) else text
    text = _BAD_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return escape(text).encode("utf-8")


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


@dataclass(frozen=True)
class Change:
    """One reported change: the sheet, the cell ('M21'), the old and new value as
    a person reads them, and the cell's row and column numbers."""

    sheet: str
    cell: str
    old: str
    new: str
    row: int = 0
    col: int = 0

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}: {self.old} -> {self.new}"


class XlsxPackage:
    """A workbook package read whole through the input guard.

    ``parts`` holds every member's bytes; ``sheets`` maps sheet names (in workbook
    order) to their part names. Raises InputFileError for a file that is not a
    workbook and WorkbookError for one formkit cannot edit safely (Strict Open XML).
    """

    def __init__(self, path: Path | str) -> None:
        self.file = str(path)
        self.infos, self.parts = read_zip(path, "xlsx")
        workbook = self._office_document()
        if workbook is None:
            raise InputFileError("is not an Excel workbook (.xlsx): it has no workbook part; save it from Excel as"
                                 " Excel Workbook", file=self.file)
        self.workbook_part = workbook
        self.workbook_xml = self.xml(workbook)
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
    def strings(self) -> list[str]:
        if self._strings is None:
            part = self._shared_part
            self._strings = [] if not part or part not in self.parts else [
                _text_of(si) for si in self.xml(part).iter(f"{{{MAIN}}}si")]
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
                    self._formats.append(custom.get(number, BUILTIN_FORMATS.get(number, "General")))
        return self._formats

    def is_date_style(self, style: int) -> bool:
        formats = self.formats
        return 0 <= style < len(formats) and is_date_format(formats[style])

    def first_date_style(self) -> int | None:
        return next((i for i, code in enumerate(self.formats) if is_date_format(code)), None)

    def to_date(self, serial: float) -> date:
        base = date(1904, 1, 1) if self.date1904 else date(1899, 12, 30)
        return base + timedelta(days=int(serial))

    def serial(self, day: date) -> int:
        base = date(1904, 1, 1) if self.date1904 else date(1899, 12, 30)
        return (day - base).days

    def worksheet(self, name: str) -> Worksheet:
        if name not in self.sheets:
            raise WorkbookError(f"has no worksheet named '{name}'", file=self.file)
        return Worksheet(self, name, self.sheets[name])

    def tables(self, part: str) -> list[Table]:
        found = []
        for kind, target in self.rels(part).values():
            if kind.endswith("/table") and target in self.parts:
                root = self.xml(target)
                found.append(Table(target, root.get("displayName") or root.get("name") or "", box(root.get("ref", "A1")),
                                   int(root.get("totalsRowCount", "0")), int(root.get("headerRowCount", "1"))))
        return found

    def build(self, changed: dict[str, bytes]) -> bytes:
        """The package as bytes with ``changed`` parts replaced; every other member
        keeps its bytes, name, order, date and compression method."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            for info in self.infos:
                if info.is_dir():
                    continue
                entry = zipfile.ZipInfo(info.filename, info.date_time)
                entry.compress_type = info.compress_type
                entry.external_attr = info.external_attr
                entry.create_system = info.create_system
                entry.comment = info.comment
                zf.writestr(entry, changed.get(info.filename, self.parts[info.filename]))
        return out.getvalue()

    def recalc_workbook_xml(self) -> bytes:
        """workbook.xml with ``fullCalcOnLoad="1"`` on calcPr (added if missing), so
        Excel recalculates every formula when the file is next opened."""
        data = self.parts[self.workbook_part]
        if self.full_calc_on_load:
            return data
        prefix = _prefix(self.workbook_xml)
        edits = _Splicer(data)
        calc = _locate(data, self.workbook_xml, "calcPr")
        if calc:
            el, start, end, closed = calc[0]
            value = _attr_span(data, start, end, "fullCalcOnLoad")
            if value:
                edits.add(value[0], value[1], b"1")
            else:
                at = end - (2 if closed else 1)
                edits.add(at, at, b' fullCalcOnLoad="1"')
        else:
            new = b"<" + prefix + b'calcPr fullCalcOnLoad="1"/>'
            followers = [hit for name in _CALC_FOLLOWERS for hit in _locate(data, self.workbook_xml, name)
                         if hit[0].getparent() is self.workbook_xml]
            at = min((hit[1] for hit in followers), default=data.rindex(b"</"))
            edits.add(at, at, new)
        return edits.apply()


def _prefix(root: etree._Element) -> bytes:
    return (root.prefix.encode() + b":") if root.prefix else b""


def _locate(xml: bytes, root: etree._Element, local: str, skip: tuple[int, int] | None = None
            ) -> list[tuple[etree._Element, int, int, bool]]:
    """Each element named ``local`` (any namespace), in document order, with the
    byte span of its start tag and whether it is self-closing. lxml's elements and
    the tags found in the bytes must agree in number, else WorkbookError."""
    elements = [root] if _local(root) == local else []
    for child in root:
        if child.tag != _Q["sheetData"]:
            elements.extend(el for el in child.iter() if _local(el) == local)
    pattern = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?" + local.encode() + rb"(?=[\s/>])" + _ATTRS + rb"(/?)>")
    if skip is None:
        found = list(pattern.finditer(xml))
    else:
        found = list(pattern.finditer(xml, 0, skip[0])) + list(pattern.finditer(xml, skip[1]))
    if len(found) != len(elements):
        raise WorkbookError(f"holds <{local}> elements formkit cannot place exactly (comments or unusual XML);"
                            " open it in Excel, save it, and run formkit again")
    return [(el, m.start(), m.end(), m.group(2) == b"/") for el, m in zip(elements, found)]


def _attr_span(xml: bytes, start: int, end: int, name: str) -> tuple[int, int] | None:
    m = re.compile(rb"(?:^|\s)" + name.encode() + rb"""\s*=\s*(["'])(.*?)\1""", re.S).search(xml, start, end)
    return (m.start(2), m.end(2)) if m else None


class _Splicer:
    """Replacements of byte ranges of one part, applied in one pass."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.edits: list[tuple[int, int, int, bytes]] = []

    def add(self, start: int, end: int, new: bytes) -> None:
        self.edits.append((start, end, len(self.edits), new))

    def apply(self) -> bytes:
        pieces, at = [], 0
        for start, end, _, new in sorted(self.edits):
            if start < at:
                raise WorkbookError("formkit planned two overlapping edits in one part; nothing was written")
            pieces += [self.data[at:start], new]
            at = end
        pieces.append(self.data[at:])
        return b"".join(pieces)


class Worksheet:
    """One worksheet's cells and the structures around them, read from its XML.

    Rows and cells carry their byte spans. Raises WorkbookError when the sheet is
    written in a way formkit cannot edit exactly (rows or cells without
    references, or XML whose tags cannot be matched to lxml's parse).
    """

    def __init__(self, package: XlsxPackage, name: str, part: str) -> None:
        self.package = package
        self.name = name
        self.part = part
        self.data = package.parts[part]
        self.root = package.xml(part)
        if _local(self.root) != "worksheet":
            raise WorkbookError(f"sheet '{name}' is not a worksheet (a chart or dialog sheet)", file=package.file)
        self.prefix = _prefix(self.root)
        self.rows: dict[int, Row] = {}
        self.shared: dict[str, tuple[int, int, str]] = {}
        self.arrays: list[tuple[Box, str]] = []
        self._all_decoded = False
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
        opening = re.search(rb"<" + p + rb"sheetData(?=[\s/>])" + _ATTRS + rb"(/?)>", self.data)
        if opening is None:
            raise WorkbookError(f"sheet '{self.name}' has no cell data", file=self.package.file)
        self._empty_data = opening.group(2) == b"/"
        if self._empty_data:
            self.data_span = (opening.start(), opening.end())
            self.data_end = opening.start()
            return
        self.data_end = self.data.index(b"</" + self.prefix + b"sheetData>", opening.end())
        self.data_span = (opening.start(), self.data_end)
        if b"<![CDATA[" in self.data or b"<!--" in self.data[opening.end():self.data_end]:
            self._unusual("comments or CDATA among the cells")
        self._cell_re = re.compile(rb"<" + p + rb"c(?=[\s/>])" + _ATTRS + rb"(?:/>|>(.*?)</" + p + rb"c>)", re.S)
        self._v_re = re.compile(rb"<" + p + rb"v>([^<]*)</" + p + rb"v>")
        self._f_tag = b"<" + self.prefix + b"f"
        self._f_re = re.compile(rb"<" + p + rb"f(?=[\s/>])" + _ATTRS + rb"(?:/>|>([^<]*)</" + p + rb"f>)")
        self._t_re = re.compile(rb"<" + p + rb"t(?=[\s>])[^>]*>([^<]*)</" + p + rb"t>")
        self._rph_re = re.compile(rb"<" + p + rb"rPh(?=[\s>]).*?</" + p + rb"rPh>", re.S)
        row_re = re.compile(rb"<" + p + rb"row(?=[\s/>])" + _ATTRS + rb"(/?)>")
        close = b"</" + self.prefix + b"row>"
        sheet_data = self.root.find(_Q["sheetData"])
        elements = [el for el in (sheet_data if sheet_data is not None else []) if el.tag == _Q["row"]]
        if len(elements) != len(row_re.findall(self.data, opening.end(), self.data_end)):
            self._unusual("rows")
        at = opening.end()
        for el in elements:
            m = row_re.search(self.data, at, self.data_end)
            if m is None:
                self._unusual("rows")
                return
            closed = m.group(2) == b"/"
            end = m.end() if closed else self.data.index(close, m.end()) + len(close)
            number = _attrs(m.group(1)).get(b"r")
            if number is None or el.get("r") != number.decode():
                self._unusual("rows without row numbers")
            self.rows[int(number)] = Row(int(number), m.start(), end, m.end(), m.group(1), closed, len(el), self)
            at = end

    def _decode_row(self, row: Row) -> dict[int, Cell]:
        cells: dict[int, Cell] = {}
        if not row.closed:
            close = len(b"</" + self.prefix + b"row>")
            for m in self._cell_re.finditer(self.data, row.content_start, row.end - close):
                cell = self._cell(m)
                if cell.row != row.number:
                    self._unusual(f"row {row.number}")
                cells[cell.col] = cell
        if len(cells) != row.expected:
            self._unusual(f"row {row.number}")
        return cells

    def _cell(self, m: re.Match[bytes]) -> Cell:
        attrs = _attrs(m.group(1))
        where = attrs.get(b"r", b"").decode()
        letters = where.rstrip("0123456789")
        if not letters or not letters.isalpha() or not where[len(letters):].isdigit():
            self._unusual(f"cell reference '{where}'")
        col, row = _column_number(letters), int(where[len(letters):])
        kind = attrs.get(b"t", b"n").decode()
        inner = m.group(2) or b""
        v = self._v_re.search(inner) if inner and kind != "inlineStr" else None
        text = _unxml(v.group(1)) if v else None
        value: str | int | float | bool | None = None
        if kind == "s" and text is not None:
            try:
                value = self.package.strings[int(text)]
            except (ValueError, IndexError):
                raise WorkbookError(f"cell {where} of sheet '{self.name}' points at a shared string that is not"
                                    " there; the file is damaged", file=self.package.file) from None
        elif kind == "inlineStr":
            runs = self._t_re.findall(self._rph_re.sub(b"", inner) if b"rPh" in inner else inner)
            value = _unescape(_unxml(runs[0]) if len(runs) == 1 else "".join(_unxml(t) for t in runs))
        elif kind == "b":
            value = text in ("1", "true")
        elif kind in ("str", "e", "d"):
            value = _unescape(text) if text is not None else None
        elif text:
            number = float(text)
            value = int(number) if number.is_integer() and abs(number) < 2**53 else number
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

    def _unusual(self, what: str) -> NoReturn:
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
        if cell.formula_type == "shared" and not cell.formula:
            self.decode_all()
        if cell.formula_type == "shared" and not cell.formula and cell.shared_index in self.shared:
            row, col, text = self.shared[cell.shared_index]
            return Translator("=" + text, origin=ref(row, col)).translate_formula(cell.ref)[1:]
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
        for source in ((model,) if model else ()) + tuple(range(row - 1, max(row - 50, 0), -1)):
            found = self.cell(source, col) if source else None
            if found is not None:
                return found.style
        return next((s for lo, hi, s in self.column_styles if lo <= col <= hi), 0)

    def decode_all(self) -> None:
        """Decode every row, so shared-formula anchors and array ranges are known."""
        if not self._all_decoded:
            for row in self.rows.values():
                row.cells  # noqa: B018 - decoding fills self.shared and self.arrays
            self._all_decoded = True

    def array_at(self, row: int, col: int) -> str | None:
        self.decode_all()
        for area, anchor in self.arrays:
            if overlaps(area, (col, row, col, row)):
                return anchor
        return None


_ATTR_PAIR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {name: a if a or not b else b for name, a, b in _ATTR_PAIR.findall(raw)}


def _unxml(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return html.unescape(text) if "&" in text else text


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


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


@dataclass
class _Pending:
    xml: bytes
    value: Value
    formula: str | None
    style: int


class SheetEditor:
    """Changes to one worksheet, kept apart from the original until :meth:`parts`.

    :meth:`write` sets a value; :meth:`append_rows` adds rows after the data,
    copying the model row's formulas and formats and growing the table, data
    validations and conditional formats that follow the data. Every change is
    recorded in ``changes``, in the order made.
    """

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.package = sheet.package
        self.changes: list[Change] = []
        self.notes: list[str] = []
        self._pending: dict[int, dict[int, _Pending]] = {}
        self._new_rows: dict[int, bytes] = {}
        self._grow: tuple[int, int, int, int, int] | None = None
        self._grow_table: Table | None = None
        self._change_at: dict[str, int] = {}
        self._date_styles: dict[int, int | None] = {}

    @property
    def changed(self) -> bool:
        return bool(self._pending)

    def write(self, row: int, col: int, value: Value, *, over_new_formula: bool = False) -> None:
        """Put ``value`` (text, number, bool or date) in a cell, keeping its style
        (a date gets a date style if the cell has none). Text is always stored as
        text, so '=1+1' stays those characters. Refuses (WorkbookError) a cell that
        holds a formula, belongs to an array formula or merged range, or would lose
        linked data; ``over_new_formula`` lets a value replace a formula that this
        editor copied into a new row."""
        sheet, where = self.sheet, ref(row, col)
        cell = sheet.cell(row, col)
        pending = self._pending.get(row, {}).get(col)
        if cell is not None and (cell.formula is not None or cell.rich):
            raise WorkbookError(f"cell {where} of sheet '{sheet.name}' holds a formula or linked data; formkit does"
                                " not replace it", file=self.package.file)
        if pending is not None and pending.formula is not None and not over_new_formula:
            raise WorkbookError(f"cell {where} of sheet '{sheet.name}' has a formula", file=self.package.file)
        anchor = sheet.array_at(row, col)
        if anchor is not None:
            raise WorkbookError(f"cell {where} of sheet '{sheet.name}' is part of the array formula in {anchor};"
                                " formkit will not write inside it", file=self.package.file)
        for area in sheet.merged:
            if overlaps(area, (col, row, col, row)) and (area[0], area[1]) != (col, row):
                raise WorkbookError(f"cell {where} of sheet '{sheet.name}' is inside the merged cells"
                                    f" {box_text(area)}; unmerge them so formkit can write there",
                                    file=self.package.file)
        style = pending.style if pending else (cell.style if cell else sheet.style_for(row, col))
        if isinstance(value, (date, datetime)) and not self.package.is_date_style(style):
            date_style = self._date_style(row, col)
            if date_style is None:
                self.notes.append(f"{sheet.name}!{where}: no date format in the workbook, so the date is written"
                                  " as text dd/mm/yyyy")
                value = value.strftime("%d/%m/%Y")
            else:
                style = date_style
        self._put(row, col, _Pending(self._cell_xml(where, style, value, None), value, None, style))
        self._report(Change(sheet.name, where, sheet.display(cell), show(value), row, col))

    def _report(self, change: Change) -> None:
        """Record a change; a later change to the same cell replaces the earlier one."""
        at = self._change_at.get(change.cell)
        if at is None:
            self._change_at[change.cell] = len(self.changes)
            self.changes.append(change)
        else:
            self.changes[at] = change

    def _date_style(self, row: int, col: int) -> int | None:
        """A date style for a column: the nearest date-formatted cell above in it,
        else any in it, else the workbook's first date style."""
        if col not in self._date_styles:
            found = None
            for number in sorted(self.sheet.rows, reverse=True):
                cell = self.sheet.rows[number].cells.get(col)
                if cell is not None and self.package.is_date_style(cell.style):
                    found = cell.style
                    if number < row:
                        break
            self._date_styles[col] = found if found is not None else self.package.first_date_style()
        return self._date_styles[col]

    def _put(self, row: int, col: int, pending: _Pending) -> None:
        self._pending.setdefault(row, {})[col] = pending

    def _cell_xml(self, where: str, style: int, value: Value, formula: str | None) -> bytes:
        p = self.sheet.prefix
        head = b"<" + p + b'c r="' + where.encode() + b'"' + (b' s="%d"' % style if style else b"")
        if formula is not None:
            return head + b"><" + p + b"f>" + _xml_text(formula) + b"</" + p + b"f></" + p + b"c>"
        if value is None:
            return head + b"/>"
        if isinstance(value, bool):
            return head + b' t="b"><' + p + b"v>" + (b"1" if value else b"0") + b"</" + p + b"v></" + p + b"c>"
        if isinstance(value, (date, datetime)):
            value = self.package.serial(value if not isinstance(value, datetime) else value.date())
        if isinstance(value, (int, float)) and math.isfinite(value):
            number = repr(value) if isinstance(value, float) and not value.is_integer() else str(int(value))
            return head + b"><" + p + b"v>" + number.encode() + b"</" + p + b"v></" + p + b"c>"
        text = _xml_text(str(value))
        space = b' xml:space="preserve"' if str(value) != str(value).strip() or "\n" in str(value) else b""
        return (head + b' t="inlineStr"><' + p + b"is><" + p + b"t" + space + b">" + text + b"</" + p + b"t></"
                + p + b"is></" + p + b"c>")

    def append_rows(self, first: int, count: int, *, model: int | None, span: tuple[int, int],
                    table: Table | None, header_row: int) -> None:
        """Make rows ``first`` .. ``first + count - 1`` ready for values: formats
        and formulas copied from row ``model`` (formula row numbers moved to each
        new row, no cached results), and the table, data validations, conditional
        formats, ignored errors, sheet filter and dimension that end with the data
        grown over them. Columns ``span`` bound the provision table.

        Refuses (WorkbookError, nothing changed) when something would be lost or
        moved: a value or foreign formula already in those rows, merged cells or an
        array formula across them, another table there, a total row where the
        rows must go, or a model formula formkit cannot copy.
        """
        sheet, last = self.sheet, first + count - 1
        sheet.decode_all()
        area = (span[0], first, span[1], last)
        for merged in sheet.merged:
            if overlaps(merged, area):
                raise self._refuse(f"the merged cells {box_text(merged)} lie where the new rows go; unmerge them")
        for array, anchor in sheet.arrays:
            if overlaps(array, area):
                raise self._refuse(f"the array formula in {anchor} covers {box_text(array)}, where the new rows go")
        for other in sheet.tables:
            if other is table:
                continue
            if overlaps(other.box, (span[0], first, span[1], last)):
                raise self._refuse(f"the table '{other.name}' ({box_text(other.box)}) is where the new rows go")
        if table is not None and table.totals_rows and last > table.box[3] - table.totals_rows:
            raise self._refuse(
                f"the table '{table.name}' has a Total row (row {table.box[3]}) where the new rows go; turn it off"
                " (Table Design > Total Row), run formkit, then turn it on again")
        formulas = self._model_formulas(model, span) if model else {}
        movers = {col: Translator("=" + text, origin=ref(model or 0, col)) for col, (text, _) in formulas.items()}
        for number in range(first, last + 1):
            row = sheet.rows.get(number)
            for col in range(span[0], span[1] + 1):
                cell = row.cells.get(col) if row else None
                if cell is None or cell.blank:
                    continue
                moved = movers[col].translate_formula(ref(number, col))[1:] if col in movers else None
                if cell.formula is None or sheet.formula_at(cell) != moved:
                    raise self._refuse(f"{cell.ref} holds {sheet.display(cell)} below the provision rows; formkit"
                                       " would have to insert rows in the middle and move it. Move it further down"
                                       " or to another sheet")
            if row is None:
                self._new_rows[number] = self._row_attrs(model)
            for col in range(span[0], span[1] + 1):
                cell = row.cells.get(col) if row else None
                if cell is not None and not cell.blank:
                    continue
                where = ref(number, col)
                style = cell.style if cell is not None else sheet.style_for(number, col, model)
                if col in movers:
                    text = movers[col].translate_formula(where)[1:]
                    self._put(number, col, _Pending(self._cell_xml(where, style, None, text), None, text, style))
                    self._report(Change(sheet.name, where, "(blank)", "=" + text, number, col))
                elif cell is None and style:
                    self._put(number, col, _Pending(self._cell_xml(where, style, None, None), None, None, style))
        self._grow = (first - 1, last, header_row, span[0], span[1])
        self._grow_table = table

    def _model_formulas(self, model: int, span: tuple[int, int]) -> dict[int, tuple[str, str]]:
        found: dict[int, tuple[str, str]] = {}
        row = self.sheet.rows.get(model)
        for col, cell in (row.cells.items() if row else ()):
            if cell.formula is None or not span[0] <= col <= span[1]:
                continue
            if cell.formula_type in ("array", "dataTable") or cell.rich:
                raise self._refuse(f"{cell.ref} holds an array or dynamic-array formula, which formkit cannot copy"
                                   " to new rows")
            try:
                found[col] = (self.sheet.formula_at(cell) or "", cell.ref)
            except Exception:  # openpyxl's tokenizer on a formula it cannot read
                raise self._refuse(f"the formula in {cell.ref} cannot be copied to new rows") from None
        return found

    def _row_attrs(self, model: int | None) -> bytes:
        row = self.sheet.rows.get(model) if model else None
        if row is None:
            return b""
        attrs = re.sub(rb"""\s(?:r|hidden|collapsed)\s*=\s*(["']).*?\1""", b"", row.attrs)
        return attrs.rstrip()

    def _refuse(self, why: str) -> WorkbookError:
        return WorkbookError(f"cannot add rows to sheet '{self.sheet.name}' safely: {why}. Nothing was changed",
                             file=self.package.file)

    def parts(self) -> dict[str, bytes]:
        """The changed parts: the sheet, and a grown table's part."""
        if not self._pending:
            return {}
        sheet, p = self.sheet, self.sheet.prefix
        edits = _Splicer(sheet.data)
        rows_after = sorted(sheet.rows)
        for number in sorted(self._pending):
            cells = self._pending[number]
            row = sheet.rows.get(number)
            if row is None:
                body = b"".join(cells[c].xml for c in sorted(cells))
                xml = b"<" + p + b'row r="%d"' % number + self._new_rows.get(number, b"") + b">" + body + \
                    b"</" + p + b"row>"
                following = next((n for n in rows_after if n > number), None)
                at = sheet.rows[following].start if following is not None else sheet.data_end
                if sheet._empty_data:
                    edits.add(sheet.data_span[0], sheet.data_span[1], b"<" + p + b"sheetData>" + xml)
                    edits.add(sheet.data_span[1], sheet.data_span[1], b"</" + p + b"sheetData>")
                else:
                    edits.add(at, at, xml)
                continue
            if row.closed:
                body = b"".join(cells[c].xml for c in sorted(cells))
                edits.add(row.start, row.end, b"<" + p + b"row" + row.attrs + b">" + body + b"</" + p + b"row>")
                continue
            existing = sorted(row.cells)
            for col in sorted(cells):
                cell = row.cells.get(col)
                if cell is not None:
                    edits.add(cell.start, cell.end, cells[col].xml)
                    continue
                after = next((c for c in existing if c > col), None)
                at = row.cells[after].start if after is not None else row.end - len(b"</" + p + b"row>")
                edits.add(at, at, cells[col].xml)
        changed: dict[str, bytes] = {}
        if self._grow:
            changed.update(self._grow_ranges(edits))
        changed[sheet.part] = edits.apply()
        return changed

    def _grow_ranges(self, edits: _Splicer) -> dict[str, bytes]:
        """Grow every range that ends with the data (old last row) to the new last
        row: conditional formats and data validations (main and x14), ignored
        errors, the sheet's filter, the dimension, and the provision table."""
        assert self._grow is not None
        old_last, new_last, header, first_col, last_col = self._grow
        sheet = self.sheet

        def grown(text: str) -> str:
            out = []
            for piece in text.split():
                try:
                    b = box(piece)
                except (ValueError, TypeError):
                    out.append(piece)
                    continue
                follows = (b[1] <= old_last + 1 and max(old_last, header + 1) <= b[3] < new_last
                           and b[0] <= last_col and b[2] >= first_col)
                out.append(box_text((b[0], b[1], b[2], new_last)) if follows else piece)
            return " ".join(out)

        for local in ("conditionalFormatting", "dataValidation", "ignoredError", "autoFilter", "dimension"):
            attr = "sqref" if local not in ("autoFilter", "dimension") else "ref"
            for el, start, end, _ in _locate(sheet.data, sheet.root, local, sheet.data_span):
                if local == "autoFilter" and el.getparent() is not sheet.root:
                    continue
                span = _attr_span(sheet.data, start, end, attr)
                if span is None:
                    continue
                old = sheet.data[span[0]:span[1]].decode()
                if el.get(attr) != old:
                    sheet._unusual(f"<{local}> {attr}")
                if local == "dimension":
                    b = box(old.split(":")[0] + ":" + old.split(":")[-1]) if old else (1, 1, 1, 1)
                    new = box_text((min(b[0], first_col), b[1], max(b[2], last_col), max(b[3], new_last)))
                else:
                    new = grown(old)
                if new != old:
                    edits.add(span[0], span[1], new.encode())
        for el, start, end, closed in _locate(sheet.data, sheet.root, "sqref", sheet.data_span):
            parent = el.getparent()
            if closed or parent is None or _local(parent) not in ("conditionalFormatting", "dataValidation"):
                continue
            close = sheet.data.index(b"</", end)
            old = sheet.data[end:close].decode()
            if (el.text or "") != old:
                sheet._unusual("<sqref>")
            new = grown(old)
            if new != old:
                edits.add(end, close, new.encode())
        table = self._grow_table
        if table is None or table.box[3] >= new_last:
            return {}
        data = self.package.parts[table.part]
        root = self.package.xml(table.part)
        table_edits = _Splicer(data)
        new_ref = box_text((table.box[0], table.box[1], table.box[2], new_last))
        for local in ("table", "autoFilter"):
            for el, start, end, _ in _locate(data, root, local):
                if local == "autoFilter" and el.getparent() is not root:
                    continue
                span = _attr_span(data, start, end, "ref")
                if span is not None:
                    table_edits.add(span[0], span[1], new_ref.encode())
        return {table.part: table_edits.apply()}
