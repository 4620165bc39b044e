"""A new worksheet added to a user's workbook, every other part kept as it was.

:func:`add_sheet` writes a sheet of text cells (a heading row and rows below it)
as a new part, and adds it at the end of the workbook: a ``<sheet>`` in
workbook.xml, a relationship in its .rels and an override in
[Content_Types].xml, each spliced into the original bytes. The sheet is plain
(inline strings, no styles), with column widths and its heading row frozen, so
nothing in styles.xml or shared strings changes.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import WorkbookError
from .sheet_editor import _xml_text
from .xlsx_package import MAIN, R_NS, XlsxPackage, ref

_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


@dataclass(frozen=True)
class NewSheet:
    """What adding a sheet does: the ``<sheet>`` entry for workbook.xml (put in by
    :meth:`into_workbook`, after any other change to that part), the parts changed
    (its .rels, [Content_Types].xml) and the part added (the sheet)."""

    name: str
    part: str
    entry: bytes
    changed: dict[str, bytes]
    added: dict[str, bytes]
    file: str = ""

    def into_workbook(self, workbook: bytes) -> bytes:
        """workbook.xml's bytes with this sheet listed last."""
        return _insert_before_close(workbook, "sheets", self.entry, "workbook part", self.file)


def _insert_before_close(data: bytes, local: str, new: bytes, what: str, file: str) -> bytes:
    """``new`` put just before the one closing tag ``</local>`` (any prefix)."""
    found = list(re.finditer(rb"</(?:[A-Za-z_][\w.-]*:)?" + local.encode() + rb"\s*>", data))
    if len(found) != 1:
        raise WorkbookError(f"its {what} is written in a way formkit cannot add a sheet to; open it in Excel, save"
                            " it, and run formkit again", file=file)
    at = found[0].start()
    return data[:at] + new + data[at:]


def _prefix(data: bytes, local: str) -> bytes:
    m = re.search(rb"<([A-Za-z_][\w.-]*:)?" + local.encode() + rb"(?=[\s/>])", data)
    return (m.group(1) or b"") if m else b""


def add_sheet(package: XlsxPackage, name: str, rows: Sequence[Sequence[str]], widths: Sequence[int] = ()
              ) -> NewSheet:
    """A sheet named ``name`` holding ``rows`` (the first is the heading row, frozen)
    as text, with ``widths`` (in characters) for its columns. Raises WorkbookError
    when the workbook has a sheet of that name or is written in a way formkit
    cannot add to exactly."""
    if name.casefold() in (n.casefold() for n in package.sheets):
        raise WorkbookError(f"already has a sheet named '{name}'", file=package.file)
    folder = posixpath.dirname(package.workbook_part)
    n = 1
    while posixpath.join(folder, f"worksheets/sheet{n}.xml") in package.parts:
        n += 1
    part = posixpath.join(folder, f"worksheets/sheet{n}.xml")
    rels_part = posixpath.join(folder, "_rels", posixpath.basename(package.workbook_part) + ".rels")
    if rels_part not in package.parts or "[Content_Types].xml" not in package.parts:
        raise WorkbookError("is missing parts every workbook has; save it again from Excel", file=package.file)
    ids = set(re.findall(rb'\bId\s*=\s*"([^"]*)"', package.parts[rels_part]))
    rid = next(f"rIdFormkit{i}" for i in range(1, 10_000) if f"rIdFormkit{i}".encode() not in ids)
    sheet_ids = [int(s.get("sheetId", "0")) for s in package.workbook_xml.iter(f"{{{MAIN}}}sheet")
                 if s.get("sheetId", "0").isdigit()]
    workbook = package.parts[package.workbook_part]
    p = _prefix(workbook, "sheets")
    r = next((k for k, v in package.workbook_xml.nsmap.items() if v == R_NS and k), None)
    rattr = f'{r}:id="{rid}"'.encode() if r else f'xmlns:fkr="{R_NS}" fkr:id="{rid}"'.encode()
    entry = (b"<" + p + b'sheet name="' + _xml_text(name).replace(b'"', b"&quot;") + b'" sheetId="%d" '
             % (max(sheet_ids, default=0) + 1) + rattr + b"/>")
    _insert_before_close(workbook, "sheets", entry, "workbook part", package.file)
    changed = {
        rels_part: _insert_before_close(
            package.parts[rels_part], "Relationships",
            f'<Relationship Id="{rid}" Type="{_WORKSHEET}" Target="worksheets/sheet{n}.xml"/>'.encode(),
            "relationships part", package.file),
        "[Content_Types].xml": _insert_before_close(
            package.parts["[Content_Types].xml"], "Types",
            f'<Override PartName="/{part}" ContentType="{_CONTENT_TYPE}"/>'.encode(), "content types part",
            package.file),
    }
    return NewSheet(name, part, entry, changed, {part: sheet_xml(rows, widths)}, package.file)


def sheet_xml(rows: Sequence[Sequence[str]], widths: Sequence[int] = ()) -> bytes:
    """A worksheet part of text cells, the first row frozen as headings, printed
    landscape and one page wide."""
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'.encode(),
           b'<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft"'
           b' state="frozen"/></sheetView></sheetViews>']
    if widths:
        out.append(b"<cols>" + b"".join(b'<col min="%d" max="%d" width="%d" customWidth="1"/>' % (i, i, w)
                                        for i, w in enumerate(widths, start=1)) + b"</cols>")
    out.append(b"<sheetData>")
    for number, row in enumerate(rows, start=1):
        cells = b"".join(b'<c r="' + ref(number, col).encode() + b'" t="inlineStr"><is><t xml:space="preserve">'
                         + _xml_text(value) + b"</t></is></c>" for col, value in enumerate(row, start=1) if value)
        out.append(b'<row r="%d">' % number + cells + b"</row>")
    out.append(b'</sheetData><pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3"'
               b' footer="0.3"/><pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>')
    return b"".join(out)
