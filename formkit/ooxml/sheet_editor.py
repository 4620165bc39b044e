"""The xlsx layer, editing: change cells of a workbook in place, byte for byte.

:class:`SheetEditor` records cell changes and appended rows on a
:class:`~formkit.ooxml.xlsx_package.Worksheet`, and :meth:`SheetEditor.parts` splices
them into the original bytes of the sheet: every byte outside the changed cells
is kept. Parts that must follow a change are edited the same way: a table's
``ref`` when rows are appended inside it, the ranges of drop-downs and
conditional formats that end with the data, and (:func:`recalc_workbook_xml`)
``<calcPr fullCalcOnLoad="1">`` in workbook.xml so Excel recalculates formulas
whose inputs changed. Shared strings are never touched: text is written as inline
strings. :func:`~formkit.ooxml.zip_members.build_package` puts the changed
parts back into the package with every other member as it was. This module and
:mod:`formkit.ooxml.xlsx_package` (which reads) are the only modules that read
or write sheet XML.

An element's place in a part's bytes is found by regular expression and checked
against lxml's parse of the same bytes; any disagreement refuses the edit
(WorkbookError) rather than risking the file.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

from ..errors import WorkbookError
from .cell_strings import ESCAPED
from .formulas import FormulaError, move_formula
from .xlsx_package import (
    ATTRS,
    MAIN,
    Table,
    Value,
    Worksheet,
    XlsxPackage,
    box,
    box_text,
    local_name,
    overlaps,
    prefix_of,
    ref,
    show,
)

_SHEET_DATA = f"{{{MAIN}}}sheetData"
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CALC_FOLLOWERS = ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                   "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst")


def _xml_text(text: str) -> bytes:
    """Text for an XML element: escaped, invalid characters written as Excel's _xHHHH_."""
    text = text.replace("_x", "_x005F_x") if ESCAPED.search(text) else text
    text = _BAD_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


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


def recalc_workbook_xml(package: XlsxPackage) -> bytes:
    """``package``'s workbook.xml with ``fullCalcOnLoad="1"`` on calcPr (added if
    missing), so Excel recalculates every formula when the file is next opened;
    every other byte of the part is kept."""
    data = package.parts[package.workbook_part]
    if package.full_calc_on_load:
        return data
    prefix = prefix_of(package.workbook_xml)
    edits = _Splicer(data)
    calc = _locate(data, package.workbook_xml, "calcPr")
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
        followers = [hit for name in _CALC_FOLLOWERS for hit in _locate(data, package.workbook_xml, name)
                     if hit[0].getparent() is package.workbook_xml]
        at = min((hit[1] for hit in followers), default=data.rindex(b"</"))
        edits.add(at, at, new)
    return edits.apply()


def _locate(xml: bytes, root: etree._Element, local: str, skip: tuple[int, int] | None = None
            ) -> list[tuple[etree._Element, int, int, bool]]:
    """Each element named ``local`` (any namespace), in document order, with the
    byte span of its start tag and whether it is self-closing. lxml's elements and
    the tags found in the bytes must agree in number, else WorkbookError."""
    elements = [root] if local_name(root) == local else []
    for child in root:
        if child.tag != _SHEET_DATA:
            elements.extend(el for el in child.iter() if local_name(el) == local)
    pattern = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?" + local.encode() + rb"(?=[\s/>])" + ATTRS + rb"(/?)>")
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
        self._heights: dict[int, float] = {}
        self.written_rows: list[bytes] = []
        """Each ``<row>`` element :meth:`parts` put into the sheet, whole."""

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

    def set_height(self, row: int, points: float) -> None:
        """Give a row formkit writes the height its text needs (``ht``, without
        ``customHeight``, so Excel still fits it to its contents as they change;
        a row the user gave a height of their own keeps ``customHeight``).
        Applied only to rows that have a cell change."""
        self._heights[row] = points

    def _start_tag(self, attrs: bytes, number: int) -> bytes:
        """A row's start tag with its attributes, the height set by :meth:`set_height` replacing any other."""
        height = self._heights.get(number)
        if height is not None:
            attrs = re.sub(rb"""\sht\s*=\s*(["']).*?\1""", b"", attrs) + b' ht="%s"' % (b"%g" % round(height, 2))
        return b"<" + self.sheet.prefix + b"row" + attrs + b">"

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
        if sheet.may_hold_arrays:
            sheet.decode_all()  # every array formula's range known
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
        movers = {col: text for col, (text, _) in self._model_formulas(model, span).items()} if model else {}
        origin = model or 0  # the row the formulas that move are written in
        for number in range(first, last + 1):
            row = sheet.rows.get(number)
            for col in range(span[0], span[1] + 1):
                cell = row.cells.get(col) if row else None
                if cell is None or cell.blank:
                    continue
                moved = move_formula(movers[col], number - origin) if col in movers else None
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
                    text = move_formula(movers[col], number - origin)
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
            except FormulaError:
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
        """The changed parts: the sheet, and a grown table's part. Each row
        written is one splice, a whole ``<row>`` element put in place of the
        row's own or between two rows; :attr:`written_rows` keeps them, so the
        new sheet can be checked well-formed without parsing the rest again."""
        self.written_rows = []
        if not self._pending:
            return {}
        sheet, p = self.sheet, self.sheet.prefix
        close = b"</" + p + b"row>"
        edits = _Splicer(sheet.data)
        rows_after = sorted(sheet.rows)
        for number in sorted(self._pending):
            cells = self._pending[number]
            row = sheet.rows.get(number)
            if row is None or row.closed:
                body = b"".join(cells[c].xml for c in sorted(cells))
                attrs = row.attrs if row is not None else b' r="%d"' % number + self._new_rows.get(number, b"")
                xml = self._start_tag(attrs, number) + body + close
                self.written_rows.append(xml)
                if row is not None:
                    edits.add(row.start, row.end, xml)
                elif sheet.empty_data:
                    edits.add(sheet.data_span[1], sheet.data_span[1], xml)
                else:
                    after = bisect.bisect_right(rows_after, number)
                    at = sheet.rows[rows_after[after]].start if after < len(rows_after) else sheet.data_end
                    edits.add(at, at, xml)
                continue
            inside = _Splicer(sheet.data[row.start:row.end])
            if number in self._heights:
                inside.add(0, row.content_start - row.start, self._start_tag(row.attrs, number))
            existing = sorted(row.cells)
            for col in sorted(cells):
                cell = row.cells.get(col)
                if cell is not None:
                    inside.add(cell.start - row.start, cell.end - row.start, cells[col].xml)
                    continue
                following = next((c for c in existing if c > col), None)
                at = row.cells[following].start if following is not None else row.end - len(close)
                inside.add(at - row.start, at - row.start, cells[col].xml)
            xml = inside.apply()
            self.written_rows.append(xml)
            edits.add(row.start, row.end, xml)
        if sheet.empty_data:
            edits.add(sheet.data_span[0], sheet.data_span[1], b"<" + p + b"sheetData>")
            edits.add(sheet.data_span[1], sheet.data_span[1], b"</" + p + b"sheetData>")
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
                    sheet.unusual(f"<{local}> {attr}")
                if local == "dimension":
                    b = box(old.split(":")[0] + ":" + old.split(":")[-1]) if old else (1, 1, 1, 1)
                    new = box_text((min(b[0], first_col), b[1], max(b[2], last_col), max(b[3], new_last)))
                else:
                    new = grown(old)
                if new != old:
                    edits.add(span[0], span[1], new.encode())
        for el, start, end, closed in _locate(sheet.data, sheet.root, "sqref", sheet.data_span):
            parent = el.getparent()
            if closed or parent is None or local_name(parent) not in ("conditionalFormatting", "dataValidation"):
                continue
            close = sheet.data.index(b"</", end)
            old = sheet.data[end:close].decode()
            if (el.text or "") != old:
                sheet.unusual("<sqref>")
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
