"""A workbook's values read as a stream, without openpyxl: the same values openpyxl reads.

openpyxl (read-only, calculated values) is the reference: every workbook in
samples/ and tests/data that openpyxl can open must read the same, cell for cell,
with the same date and percent formats. Hand-written sheets then cover what
openpyxl never writes: inline and rich text with phonetic guides, cached formula
results, errors, ISO dates, rows and cells without references, the 1904 system.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from datetime import datetime, time
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from formkit.errors import InputFileError
from formkit.guard import read_package_bytes
from formkit.ooxml import SheetValues, SheetValuesError
from formkit.ooxml.number_formats import is_date_format

ROOT = Path(__file__).resolve().parents[2]
READING_MODULES = ["formkit.ooxml", "formkit.ooxml.cell_refs", "formkit.ooxml.cell_strings",
                   "formkit.ooxml.formulas", "formkit.ooxml.number_formats", "formkit.ooxml.sheet_cells",
                   "formkit.ooxml.sheet_values", "formkit.ooxml.sheet_xml", "formkit.ooxml.xlsx_package"]
WORKBOOKS = sorted(p for folder in ("samples", "tests/data") for p in (ROOT / folder).rglob("*.xls[xm]"))


def _trimmed(rows):
    rows = [list(r) for r in rows]
    for row in rows:
        while row and row[-1][0] is None:
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _openpyxl_rows(data: bytes) -> dict[str, list[list[tuple[object, tuple[bool, bool]]]]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        found = {}
        for ws in workbook.worksheets:
            ws.reset_dimensions()
            found[ws.title] = _trimmed(
                [(c.value, (is_date_format(code := getattr(c, "number_format", "") or ""), "%" in code)) for c in row]
                for row in ws.iter_rows())
        return found
    finally:
        workbook.close()


def _values(data: bytes) -> SheetValues:
    return SheetValues("book.xlsx", read_package_bytes(data, "book.xlsx"))


def _formkit_rows(data: bytes) -> dict[str, list[list[tuple[object, tuple[bool, bool]]]]]:
    workbook = _values(data)
    return {title: _trimmed([(v, (is_date_format(code), "%" in code)) for v, code in row]
                            for row in workbook.rows(title)) for title in workbook.sheets}


def _openable(path: Path) -> bool:
    try:
        load_workbook(path, read_only=True).close()
        return True
    except Exception:
        return False


@pytest.mark.parametrize("path", [p for p in WORKBOOKS if _openable(p)], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_workbook_in_the_repository_reads_as_openpyxl_reads_it(path):
    data = path.read_bytes()
    assert _formkit_rows(data) == _openpyxl_rows(data)


def test_a_workbook_openpyxl_writes_with_every_kind_of_value_reads_the_same():
    wb = Workbook()
    ws = wb.active
    ws.title = "Register"
    ws.append(["UPN", "DOB", "Start", "Progress", "EHC", "Score", "Note"])
    ws.append(["A123456789012", datetime(2016, 9, 3), time(8, 45), 0.75, True, 12.5, "=B2"])
    ws["B2"].number_format = "dd/mm/yyyy"
    ws["C2"].number_format = "h:mm"
    ws["D2"].number_format = "0%"
    ws["B9"] = datetime(1900, 2, 1)  # before Excel's 29 February 1900 that never was
    ws["G12"] = "after a gap"
    wb.create_sheet("Targets").append(["UPN", "Target"])
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    assert _formkit_rows(data) == _openpyxl_rows(data)
    rows = list(_values(data).rows("Register"))
    assert rows[1][1] == (datetime(2016, 9, 3), "dd/mm/yyyy") and rows[1][2] == (time(8, 45), "h:mm")
    assert rows[8][1][0] == datetime(1900, 2, 1)
    assert len(rows) == 12 and rows[11][6][0] == "after a gap"


def _package(sheet: str, *, strings: str = "", date1904: bool = False) -> bytes:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                        f'<Relationship Id="r1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<workbook xmlns="{main}" xmlns:r="{rel}"><workbookPr date1904="{int(date1904)}"/>'
                            '<sheets><sheet name="Pupils" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="/xl/worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>'),
        "xl/sharedStrings.xml": f'<sst xmlns="{main}">{strings}</sst>',
        "xl/styles.xml": (f'<styleSheet xmlns="{main}"><numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
                          '</numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="9"/>'
                          '<xf numFmtId="0" /></cellXfs></styleSheet>'),
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{sheet}</sheetData></worksheet>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return out.getvalue()


def test_what_excel_and_other_programs_write_that_openpyxl_does_not():
    strings = ('<si><t xml:space="preserve"> Jo </t></si>'
               '<si><r><t>Ann</t></r><r><rPr><b/></rPr><t>-Marie</t></r><rPh><t>アン</t></rPh></si>'
               '<si><t>line_x000B_break</t></si>')
    sheet = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>'
             '<row><c t="inlineStr"><is><r><t>inline </t></r><r><t>rich</t></r></is></c>'
             '<c t="str"><f>A1&amp;"!"</f><v> Jo !</v></c><c t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'
             '<row r="5"><c r="B5" s="1"><v>42616</v></c><c r="C5" s="2"><v>0.5</v></c>'
             '<c r="D5" t="b"><v>1</v></c><c r="E5" t="d"><v>2016-09-03T00:00:00</v></c>'
             '<c r="F5" s="3"/><c r="G5"><f>SUM(1,2)</f></c><c r="H5" t="s"><v>2</v></c><c r="I5"><v>1E3</v></c></row>')
    rows = list(_values(_package(sheet, strings=strings)).rows("Pupils"))
    assert [[v for v, _ in row] for row in rows] == [
        [" Jo ", None, "Ann-Marie"],
        ["inline rich", " Jo !", "#DIV/0!"],
        [],
        [],
        [None, datetime(2016, 9, 3), 0.5, True, datetime(2016, 9, 3), None, None, "line\x0bbreak", 1000.0],
    ]
    assert [code for _, code in rows[4][1:3]] == ["dd/mm/yyyy", "0%"]


def test_a_1904_workbook_counts_its_dates_from_1904():
    rows = list(_values(_package('<row r="1"><c r="A1" s="1"><v>41154</v></c></row>', date1904=True))
                .rows("Pupils"))
    assert rows[0][0][0] == datetime(2016, 9, 3)


@pytest.mark.parametrize("sheet, why", [
    ('<row r="1"><c r="A1" t="s"><v>7</v></c></row>', "shared string that is not there"),
    ('<row r="1"><c r="A1"><v>twelve</v></c></row>', "not a number"),
    ('<row r="1"><c r="A1"><v>1</v></c>', "not well-formed"),
])
def test_a_damaged_sheet_is_refused_saying_what_is_wrong(sheet, why):
    with pytest.raises(SheetValuesError, match=why):
        list(_values(_package(sheet)).rows("Pupils"))


def test_a_package_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(InputFileError, match="it has no workbook part"):
        _values(out.getvalue())


def test_a_word_document_is_not_a_workbook_with_no_sheets():
    word = (ROOT / "templates" / "docx" / "iep.docx").read_bytes()
    with pytest.raises(InputFileError, match="its main part word/document.xml is not a workbook"):
        _values(word)


def test_reading_a_workbooks_values_loads_no_openpyxl_and_no_word_modules():
    code = ("import sys; from formkit.ooxml import SheetValues; from formkit.guard import read_package_bytes;"
            f"from pathlib import Path; data = Path({str(ROOT / 'samples' / 'register.xlsx')!r}).read_bytes();"
            "w = SheetValues('register.xlsx', read_package_bytes(data, 'register.xlsx'));"
            "[list(w.rows(t)) for t in w.sheets];"
            "print(sorted(m for m in sys.modules if m.startswith(('openpyxl', 'numpy', 'docx', 'formkit.ooxml'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == str(READING_MODULES)
