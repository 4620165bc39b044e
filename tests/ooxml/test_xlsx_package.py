"""The xlsx layer: an update changes only the reported cells and the parts that
must follow them; everything openpyxl would drop survives byte for byte; what
cannot be guaranteed is refused with a message naming it."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import Table

from formkit.errors import WorkbookError
from formkit.provision.update import update_map
from formkit.ooxml.xlsx_package import XlsxPackage

from tests.xlsx_features import (LAST, PRINTER_SETTINGS, SHEET, VBA_PROJECT, build_feature_workbook, cells_of, parts_of,
                            rows_of)

NOW = datetime(2026, 12, 18, 10, 15, 0)
TABLE = "xl/tables/table1.xml"
WORKBOOK = "xl/workbook.xml"


def impact_json(path: Path, *records: dict) -> Path:
    path.write_text(json.dumps([{"kind": "impact", **r} for r in records]), encoding="utf-8")
    return path


ALEX = {"upn": "R801200023004", "pupil_name": "Alex Pembridge", "intervention": "Toe by Toe",
        "delivered_by": "Mr Hale (HLTA)", "start_date": "2026-09-21", "end_date": "2026-11-27",
        "sessions_planned": 30, "sessions_attended": 27, "entry_measure": "Reading age (months)", "entry_score": 84,
        "exit_score": 93, "impact_rating": "+2", "comment": "Reading age up 9 months", "next_step": "Stride Ahead"}
CHLOE_NEW = {"upn": "Q801200023013", "pupil_name": "Chloé Martin", "intervention": "Zones of Regulation",
             "delivered_by": "Learning mentor", "start_date": "2027-01-11", "entry_score": 6,
             "comment": "=HYPERLINK(\"http://example.invalid\")"}


def outside_sheet_data(xml: bytes) -> bytes:
    return re.sub(rb"<sheetData>.*</sheetData>", b"<sheetData/>", xml, flags=re.S)


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_update_keeps_every_untouched_part_and_cell_byte_for_byte(tmp_path, suffix):
    book = build_feature_workbook(tmp_path / f"map{suffix}", macro=suffix == ".xlsm")
    before = parts_of(book)
    source = impact_json(tmp_path / "impact.json", ALEX, CHLOE_NEW)

    result = update_map(book, [source], now=NOW)

    after = parts_of(book)
    assert result.written and result.rows_updated == 1 and result.rows_added == 1
    assert list(after) == list(before)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {SHEET, TABLE, WORKBOOK}
    if suffix == ".xlsm":
        assert after["xl/vbaProject.bin"] == VBA_PROJECT
    assert after["xl/printerSettings/printerSettings1.bin"] == PRINTER_SETTINGS
    # workbook.xml: only the request to recalculate on open
    assert after[WORKBOOK] == before[WORKBOOK].replace(b'<calcPr calcId="191029"/>',
                                                       b'<calcPr calcId="191029" fullCalcOnLoad="1"/>')
    # the table grows by the one new row, nothing else in its part changes
    assert after[TABLE] == before[TABLE].replace(f'ref="A3:Q{LAST}"'.encode(), f'ref="A3:Q{LAST + 1}"'.encode())
    # outside the cells: the dimension and the ranges that follow the data grow (main and x14 drop-downs and
    # conditional formats); sparklines, drawing, printer settings, slicer list stay as they were
    expected = outside_sheet_data(before[SHEET])
    for old, new in ((b'<dimension ref="A1:Q8"/>', b'<dimension ref="A1:Q9"/>'),
                     (b'sqref="N4:N8"', b'sqref="N4:N9"'), (b'sqref="O4:O8"', b'sqref="O4:O9"'),
                     (b"<xm:sqref>M4:M8</xm:sqref>", b"<xm:sqref>M4:M9</xm:sqref>"),
                     (b"<xm:sqref>F4:F8</xm:sqref>", b"<xm:sqref>F4:F9</xm:sqref>")):
        assert expected.count(old) == 1, old
        expected = expected.replace(old, new)
    assert outside_sheet_data(after[SHEET]) == expected
    assert b"<xm:sqref>Q8</xm:sqref>" in after[SHEET] and b"<xm:sqref>Q9</xm:sqref>" not in after[SHEET]
    # inside the cells: every row but the updated and the new one is the same bytes
    old_rows, new_rows = rows_of(before[SHEET]), rows_of(after[SHEET])
    assert set(new_rows) == set(old_rows) | {9}
    assert {n for n in old_rows if old_rows[n] != new_rows[n]} == {5}
    # and in the updated row, only the reported cells differ
    reported = {c.cell for c in result.changes}
    old_cells, new_cells = cells_of(before[SHEET]), cells_of(after[SHEET])
    differ = {ref for ref in set(old_cells) | set(new_cells) if old_cells.get(ref) != new_cells.get(ref)}
    assert {ref for ref in differ if ref.endswith("5")} == {"M5", "O5", "P5"} == {
        ref for ref in reported if ref.endswith("5")}
    assert {ref for ref in differ if not ref.endswith(("5", "9"))} == set()
    assert {ref for ref in reported if ref.endswith("9")} == {"A9", "B9", "C9", "D9", "E9", "F9", "K9", "L9", "N9",
                                                                "P9"}
    # formulas copied to the new row, row numbers moved, no cached result; text is never a formula
    assert new_cells["K9"] == b'<c r="K9" s="3"><f>ROUND(I9*J9/60*38*16/H9,2)</f></c>'
    assert b"<f>" not in new_cells["P9"] and b't="inlineStr"' in new_cells["P9"]
    # cached results elsewhere are kept
    assert b"<v>304.0</v>" in new_rows[4]


def test_the_change_report_says_old_and_new(tmp_path):
    book = build_feature_workbook(tmp_path / "map.xlsx")
    result = update_map(book, [impact_json(tmp_path / "i.json", ALEX, CHLOE_NEW)], now=NOW, dry_run=True)
    assert result.change_lines()[:5] == [
        "Row 5 (Alex Pembridge (R801200023004), Toe by Toe from 21/09/2026):",
        "  Provision map!M5: (blank) -> 93",
        "  Provision map!O5: (blank) -> +2 Significantly more than expected",
        "  Provision map!P5: (blank) -> Reading age up 9 months. Next step: Stride Ahead. Attended 27 of 30"
        " sessions.",
        "Row 9 (new: Chloé Martin (Q801200023013), Zones of Regulation from 11/01/2027):",
    ]
    assert "  Provision map!K9: (blank) -> =ROUND(I9*J9/60*38*16/H9,2)" in result.change_lines()
    assert result.notes == ["the provision map has no end date column, so those values are not written",
                            "the provision map has no entry measure column, so those values are not written"]


def test_dates_take_a_date_format_and_text_is_never_a_formula(tmp_path):
    book = build_feature_workbook(tmp_path / "map.xlsx")
    update_map(book, [impact_json(tmp_path / "i.json", CHLOE_NEW)], now=NOW)
    package = XlsxPackage(book)
    sheet = package.worksheet("Provision map")
    start = sheet.cell(9, 5)
    assert package.is_date_style(start.style) and sheet.display(start) == "11/01/2027"
    notes = sheet.cell(9, 16)
    assert notes.formula is None and notes.value == '=HYPERLINK("http://example.invalid").'


def test_formula_cells_keep_their_formula(tmp_path):
    book = build_feature_workbook(tmp_path / "map.xlsx")
    before = parts_of(book)[SHEET]
    source = tmp_path / "p.csv"
    source.write_text("UPN,Intervention,Start Date,Cost,Group Size\nR801200023004,Toe by Toe,21/09/2026,999,2\n",
                      encoding="utf-8")
    result = update_map(book, [source], now=NOW)
    assert [str(c) for c in result.changes] == ["Provision map!H5: 1 -> 2"]
    assert cells_of(parts_of(book)[SHEET])["K5"] == cells_of(before)["K5"]


def small_map(path: Path, *, rows: int = 2, below: str | None = None, merged: str | None = None,
              totals: bool = False, array: bool = False, protect: bool = False) -> Path:
    """A plain provision map made with openpyxl, with one awkward feature."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Provision"
    ws.append(["UPN", "Pupil", "Intervention", "Start Date", "Exit Score", "Progress"])
    for r in range(2, rows + 2):
        ws.append([f"R80120002300{r}", f"Pupil {r}", "ELSA", datetime(2026, 9, 14), None, f'=IF(E{r}="","",E{r})'])
        ws.cell(r, 4).number_format = "dd/mm/yyyy"
    if array:
        ws[f"F{rows + 1}"] = ArrayFormula(f"F{rows + 1}", f"=SUM(E{rows + 1}:E{rows + 1}*1)")
    if below:
        ws[f"B{rows + 2}"] = below
    if merged:
        ws.merge_cells(merged)
    if totals:
        ws.append(["Total", None, None, None, f"=SUBTOTAL(109,E2:E{rows + 1})", None])
        table = Table(displayName="Provisions", ref=f"A1:F{rows + 2}", totalsRowCount=1)
    else:
        table = Table(displayName="Provisions", ref=f"A1:F{rows + 1}")
    ws.add_table(table)
    if protect:
        ws.protection.sheet = True
    wb.save(path)
    return path


NEW_ROW = {"upn": "A801200024022", "pupil_name": "New Pupil", "intervention": "Toe by Toe",
           "start_date": "2026-10-05", "exit_score": 5}


@pytest.mark.parametrize(("features", "message"), [
    ({"below": "Total"}, "Provision!B4 holds Total below the provision rows; formkit would have to insert rows in the"
                         " middle and move it. Move it further down or to another sheet"),
    ({"merged": "A4:C4"}, "the merged cells A4:C4 lie where the new rows go; unmerge them"),
    ({"totals": True}, "the table 'Provisions' has a Total row (row 4) where the new rows go; turn it off"
                       " (Table Design > Total Row), run formkit, then turn it on again"),
    ({"array": True}, "F3 holds an array or dynamic-array formula, which formkit cannot copy to new rows"),
])
def test_refuses_what_it_cannot_add_without_loss(tmp_path, features, message):
    book = small_map(tmp_path / "map.xlsx", **features)
    before = book.read_bytes()
    with pytest.raises(WorkbookError) as caught:
        update_map(book, [impact_json(tmp_path / "i.json", NEW_ROW)], now=NOW)
    if "holds Total" in message:
        message = message.replace("Provision!B4", "B4")
    assert str(caught.value) == f"{book}: cannot add rows to sheet 'Provision' safely: {message}. Nothing was changed"
    assert book.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["i.json", "map.xlsx"]


def test_refuses_a_protected_sheet(tmp_path):
    book = small_map(tmp_path / "map.xlsx", protect=True)
    with pytest.raises(WorkbookError) as caught:
        update_map(book, [impact_json(tmp_path / "i.json", NEW_ROW)], now=NOW)
    assert str(caught.value) == (f"{book}: sheet 'Provision' is protected; unprotect it (Review > Unprotect Sheet),"
                                 " run formkit, then protect it again")


def test_refuses_strict_open_xml(tmp_path):
    book = small_map(tmp_path / "map.xlsx")
    parts = parts_of(book)
    parts[WORKBOOK] = parts[WORKBOOK].replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                                              b"http://purl.oclc.org/ooxml/spreadsheetml/main")
    with zipfile.ZipFile(book, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    with pytest.raises(WorkbookError) as caught:
        XlsxPackage(book)
    assert str(caught.value) == (f"{book}: is saved as Strict Open XML, which formkit cannot change safely; save it"
                                 " in Excel as 'Excel Workbook (.xlsx)'")


def test_a_row_with_room_below_is_appended_and_prepared_rows_are_filled(tmp_path):
    book = small_map(tmp_path / "map.xlsx", rows=2)
    result = update_map(book, [impact_json(tmp_path / "i.json", NEW_ROW)], now=NOW)
    sheet = XlsxPackage(book).worksheet("Provision")
    assert [sheet.display(sheet.cell(4, c)) for c in range(1, 7)] == [
        "A801200024022", "New Pupil", "Toe by Toe", "05/10/2026", "5", '=IF(E4="","",E4)']
    assert result.rows_added == 1
    assert b'ref="A1:F4"' in parts_of(book)[TABLE]


def test_shared_formulas_are_moved_to_new_rows_and_a_missing_calc_setting_is_added(tmp_path):
    book = small_map(tmp_path / "map.xlsx", rows=2)
    parts = parts_of(book)
    sheet = parts[SHEET]
    sheet = re.sub(rb'<c r="F2"><f>[^<]*</f><v></v></c>', b'<c r="F2"><f t="shared" ref="F2:F3" si="0">'
                   b'IF(E2="","",E2)</f><v></v></c>', sheet)
    sheet = re.sub(rb'<c r="F3"><f>[^<]*</f><v></v></c>', b'<c r="F3"><f t="shared" si="0"/><v></v></c>', sheet)
    assert sheet.count(b't="shared"') == 2
    parts[SHEET] = sheet
    parts[WORKBOOK] = re.sub(rb"<calcPr[^>]*/>", b"", parts[WORKBOOK])
    with zipfile.ZipFile(book, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    result = update_map(book, [impact_json(tmp_path / "i.json", NEW_ROW)], now=NOW)
    after = parts_of(book)
    assert cells_of(after[SHEET])["F4"] == b'<c r="F4"><f>IF(E4="","",E4)</f></c>'
    assert rows_of(after[SHEET])[3] == rows_of(sheet)[3]
    assert b'<calcPr fullCalcOnLoad="1"/>' in after[WORKBOOK]
    assert "  Provision!F4: (blank) -> =IF(E4=\"\",\"\",E4)" in result.change_lines()


def test_rows_are_written_into_a_sheet_saved_without_cells(tmp_path):
    """A sheet whose cell data is written <sheetData/> takes several new rows."""
    from openpyxl import load_workbook

    from formkit.ooxml import SheetEditor, save_edits

    source = tmp_path / "source.xlsx"
    Workbook().save(source)
    book = tmp_path / "book.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, data.replace(b"<sheetData></sheetData>", b"<sheetData/>"))
    assert b"<sheetData/>" in zipfile.ZipFile(book).read("xl/worksheets/sheet1.xml")
    package = XlsxPackage(book)
    editor = SheetEditor(package.worksheet("Sheet"))
    editor.write(1, 1, "first")
    editor.write(2, 2, "second")
    save_edits(book, package, book.read_bytes(), [editor], now=NOW)
    sheet = load_workbook(book)["Sheet"]
    assert (sheet["A1"].value, sheet["B2"].value, sheet.max_row) == ("first", "second", 2)
