"""A workbook's cell values, read as a stream: what a register or list needs.

:class:`SheetValues` opens an .xlsx or .xlsm held in memory (already checked by
the input guard), lists its worksheets in workbook order (chart sheets left out)
and yields each sheet's rows as lists of ``(value, number format)`` from column A,
a row for every row number (an empty list for a row with no cells), so a row's
place in the list is its number in Excel. Values are what Excel shows once
calculated: text (shared, inline or a formula's), int or float, bool, the error
text ('#N/A'), a datetime or time for a number in a date format, None for an
empty cell. Text is given as stored (Excel's ``_xHHHH_`` escapes kept for the
reader to undo). A sheet is parsed with lxml's iterparse and each row dropped
once yielded, so memory stays that of one row; a caller that stops early (a row
limit) parses no further. Reading never loads openpyxl.

Parsing is safe as the guard's is (no DOCTYPE or entities, no network, no huge
trees); a part that is missing, damaged or not well-formed raises
:class:`SheetValuesError`.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time

from lxml import etree

from ..guard import parse_xml
from .cell_refs import column_number
from .number_formats import format_code, from_iso, from_serial, is_date_format

SheetValue = str | int | float | bool | date | datetime | time | None
_MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "http://purl.oclc.org/ooxml/officeDocument/relationships")
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


class SheetValuesError(Exception):
    """The workbook's parts cannot be read (missing, damaged, not well-formed)."""


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _texts(el: etree._Element) -> str:
    """The text of a string item (<si> or <is>): its <t>, or its runs' <t>s
    joined; phonetic guides (<rPh>) left out."""
    parts = []
    for child in el:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


class SheetValues:
    """The values of a workbook's worksheets; see the module's docstring."""

    def __init__(self, data: bytes) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            self._names = set(self._zip.namelist())
            workbook = self._office_document()
            root = self._xml(workbook)
            if _local(root.tag) != "workbook":
                raise SheetValuesError(f"its main part {workbook} is not a workbook")
            rels = self._rels(workbook)
            pr = next((e for e in root if _local(e.tag) == "workbookPr"), None)
            self.date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
            self.sheets: dict[str, str] = {}
            for sheet in root.iter():
                if _local(sheet.tag) != "sheet":
                    continue
                rid = next((sheet.get(f"{{{ns}}}id") for ns in _REL if sheet.get(f"{{{ns}}}id")), "")
                kind, target = rels.get(rid or "", ("", ""))
                if kind.endswith("/worksheet") and target in self._names:
                    self.sheets[sheet.get("name", "")] = target
            self._strings = self._shared_strings(rels)
            self._formats, self._dates = self._styles(rels)
        except SheetValuesError:
            raise
        except Exception as exc:  # a zip or XML that is not what Excel writes
            raise SheetValuesError(str(exc)) from exc

    def _read(self, part: str) -> bytes:
        if part not in self._names:
            raise SheetValuesError(f"the part {part} is missing")
        return self._zip.read(part)

    def _xml(self, part: str) -> etree._Element:
        return parse_xml(self._read(part), part=part)

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels_part not in self._names:
            return {}
        found = {}
        for rel in self._xml(rels_part):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            found[rel.get("Id", "")] = (rel.get("Type", ""), resolved)
        return found

    def _office_document(self) -> str:
        for kind, target in self._rels("").values():
            if kind.endswith("/officeDocument") and target in self._names:
                return target
        raise SheetValuesError("it has no workbook part")

    def _shared_strings(self, rels: dict[str, tuple[str, str]]) -> list[str]:
        part = next((t for kind, t in rels.values() if kind.endswith("/sharedStrings")), None)
        if part is None or part not in self._names:
            return []
        return [_texts(si) for si in self._xml(part) if _local(si.tag) == "si"]

    def _styles(self, rels: dict[str, tuple[str, str]]) -> tuple[list[str], list[bool]]:
        part = next((t for kind, t in rels.values() if kind.endswith("/styles")), None)
        if part is None or part not in self._names:
            return [], []
        styles = self._xml(part)
        custom: dict[int, str] = {}
        formats: list[str] = []
        for section in styles:
            if _local(section.tag) == "numFmts":
                custom.update((int(f.get("numFmtId", "0")), f.get("formatCode", "")) for f in section)
        for section in styles:
            if _local(section.tag) == "cellXfs":
                formats = [format_code(int(xf.get("numFmtId", "0")), custom) for xf in section]
        return formats, [is_date_format(code) for code in formats]

    def rows(self, sheet: str) -> Iterator[list[tuple[SheetValue, str]]]:
        """The rows of worksheet ``sheet`` (one of :attr:`sheets`), from row 1,
        each from column A; raises SheetValuesError for a damaged sheet."""
        part = self.sheets[sheet]
        data = self._read(part)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            parse_xml(data, part=part)  # refused, naming the part
        events = etree.iterparse(io.BytesIO(data), events=("end",), resolve_entities=False, no_network=True,
                                 load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)
        number = 0
        try:
            for _, el in events:
                if _local(el.tag) != "row":
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
            if _local(c.tag) != "c":
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
            inline = next((e for e in c if _local(e.tag) == "is"), None)
            return _texts(inline) if inline is not None else None
        v = next((e for e in c if _local(e.tag) == "v"), None)
        text = v.text if v is not None else None
        if text is None:
            return None
        if kind == "s":
            try:
                return self._strings[int(text)]
            except (ValueError, IndexError):
                raise SheetValuesError(f"cell {c.get('r')} points at a shared string that is not there") from None
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind in ("str", "e"):
            return text
        if kind == "d":
            return from_iso(text)
        try:
            number: int | float = float(text) if any(ch in text for ch in ".eE") else int(text)
        except ValueError:
            raise SheetValuesError(f"cell {c.get('r')} holds '{text}', which is not a number") from None
        if 0 <= style < len(self._dates) and self._dates[style]:
            return from_serial(number, date1904=self.date1904)
        return number

    def close(self) -> None:
        self._zip.close()


__all__ = ["SheetValue", "SheetValues", "SheetValuesError"]
