"""Reading a few columns from a sheet's bytes gives exactly what decoding its
rows gives, so an update that reads only its key columns matches the same rows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from formkit.ooxml import XlsxPackage, column_values, row_values
from formkit.provision.workbook import ProvisionMap
from tests.xlsx_features import build_feature_workbook

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _cells(cell):
    return (cell.value, cell.formula is not None if hasattr(cell, "formula_type") else cell.formula, cell.blank)


@pytest.mark.parametrize("build", ["features", "register"])
def test_column_values_are_the_decoded_rows_cells(tmp_path, build):
    path = build_feature_workbook(tmp_path / "map.xlsx") if build == "features" else SAMPLES / "register.xlsx"
    package = XlsxPackage(path)
    for name in package.sheets:
        quick = package.worksheet(name)
        whole = package.worksheet(name)
        whole.decode_all()
        cols = {c for row in whole.rows.values() for c in row.cells}
        wanted = sorted(cols)[::2] or [1]
        expected = {n: {c: _cells(row.cells[c]) for c in wanted if c in row.cells} for n, row in whole.rows.items()}
        got = {n: {c: _cells(cell) for c, cell in cells.items()} for n, cells in column_values(quick, wanted).items()}
        assert got == {n: cells for n, cells in expected.items() if cells}
        for n in list(quick.rows)[::3]:
            assert {c: _cells(cell) for c, cell in row_values(quick, n, wanted).items()} == expected[n]
        assert all(row._cells is None for row in quick.rows.values())  # nothing else was decoded


def test_provision_rows_are_the_rows_with_a_upn_or_an_intervention(tmp_path):
    pmap = ProvisionMap(build_feature_workbook(tmp_path / "map.xlsx"), required=("upn", "intervention"))
    keys = [(r.number, r.upn, r.intervention, r.start) for r in pmap.provision_rows()]
    assert keys
    assert keys == [(r.number, r.text("upn"), r.text("intervention"), r.values.get("start_date")) for r in pmap.rows
                    if r.text("upn") or r.text("intervention")]


def test_a_pupils_rows_and_the_last_row_are_those_the_key_columns_give(tmp_path):
    """An update reads the UPN column whole and the other key cells only in its
    pupils' rows: the same rows, and the same end of the provision rows."""
    path = build_feature_workbook(tmp_path / "map.xlsx")
    whole = ProvisionMap(path).provision_rows()
    upns = {"".join(r.upn.split()).upper() for r in whole if r.upn}
    assert len(upns) > 2
    for chosen in (upns, set(sorted(upns)[::2]), set()):
        assert ProvisionMap(path).rows_of(chosen) == [r for r in whole if "".join(r.upn.split()).upper() in chosen]
    assert ProvisionMap(path).last_data_row == max(r.number for r in whole)
    no_upn_below = _with_sheet(tmp_path, lambda d: d.replace(b"</sheetData>", b'<row r="90"><c r="D90" t="inlineStr">'
                                                             b"<is><t>ELSA</t></is></c></row></sheetData>"))
    assert ProvisionMap(no_upn_below).last_data_row == 90 == ProvisionMap(no_upn_below).provision_rows()[-1].number


def test_a_rows_chosen_values_are_those_of_the_whole_row(tmp_path):
    path = build_feature_workbook(tmp_path / "map.xlsx")
    quick, whole = ProvisionMap(path), ProvisionMap(path)
    names = ("pupil", "year", "class_name", "area", "start_date")
    for row in whole.rows:
        assert quick.values_of(row.number, names) == {n: v for n, v in row.values.items() if n in names}


def _with_sheet(tmp_path, change, source=None, sheet="Provision map"):
    import zipfile

    source = source or build_feature_workbook(tmp_path / "map.xlsx")
    package = XlsxPackage(source)
    part = package.sheets[sheet]
    target = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, change(data) if info.filename == part else data)
    return target


@pytest.mark.parametrize(("change", "says"), [
    (lambda d: d.replace(b'<row r="3"', b"<row", 1), "rows without row numbers"),
    (lambda d: d.replace(b'<row r="3"', b'<row r="1"', 1), "(rows)"),
    (lambda d: d.replace(b'</row><row r="3"', b'<row r="3"', 1).replace(b'</row><row r="4"', b'</row></row><row r="4"',
                                                                         1), "(rows)"),
    (lambda d: d.replace(b'<row r="3">', b'<row r="3"><!-- note -->', 1), "comments or CDATA among the cells"),
    (lambda d: d.replace(b'<c r="B3"', b'<c r="B"', 1), "cell reference 'B'"),
])
def test_a_sheet_written_oddly_is_refused_naming_what(tmp_path, change, says):
    from formkit.errors import WorkbookError

    path = _with_sheet(tmp_path, change)
    with pytest.raises(WorkbookError) as caught:
        sheet = XlsxPackage(path).worksheet("Provision map")
        sheet.decode_all()
    assert "cannot change exactly" in str(caught.value) and says in str(caught.value)


def test_a_sheet_that_is_not_well_formed_is_refused_naming_the_part(tmp_path):
    from formkit.errors import InputFileError

    path = _with_sheet(tmp_path, lambda d: d.replace(b"</row>", b"</rows>", 1))
    with pytest.raises(InputFileError) as caught:
        XlsxPackage(path).worksheet("Provision map")
    assert "its part xl/worksheets/sheet1.xml is not well-formed XML (mismatched tag); the file is damaged" in str(
        caught.value)


ODD_CELLS = (
    b'<c r="A{n}" t="inlineStr"><is><t>plain</t></is></c>'
    b'<c r="B{n}" t="inlineStr"><is><t></t></is></c>'
    b'<c r="C{n}" t="inlineStr"><is><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r></is></c>'
    b'<c r="D{n}" t="inlineStr"><is><t>a&amp;b_x000D_c</t><rPh sb="0" eb="1"><t>ph</t></rPh></is></c>'
    b'<c r="E{n}" t="s"><v>0</v></c>'
    b'<c r="F{n}"><v>46272</v></c><c r="G{n}"><v>2.5</v></c><c r="H{n}"><v>1E3</v></c>'
    b'<c r="I{n}" t="b"><v>1</v></c><c r="J{n}" t="e"><v>#N/A</v></c>'
    b'<c r="K{n}" t="str"><f>A1&amp;"x"</f><v>plainx</v></c><c r="L{n}"><f>1+1</f><v>2</v></c>'
    b'<c r="M{n}" s="1"/><c r="N{n}" t="inlineStr"/><c r="O{n}"></c>'
    b'<c r="P{n}" t=\'inlineStr\' s="1"><is><t xml:space="preserve"> sp </t></is></c>'
    b'<c r="Q{n}"><v>007</v></c><c r="R{n}"><v>12345678901234567890</v></c><c r="S{n}" t="s"><v> 1 </v></c>'
    b'<c r="T{n}" t="inlineStr"><is><t>x</t></is><extLst/></c><c r="U{n}" t="s"><v>1</v><extLst/></c>'
    b'<c r="V{n}" t="s"><is><t>x</t></is></c><c r="W{n}" t="inlineStr"><v>x</v></c>'
    b'<c r="X{n}" t="str"><v>a&amp;b</v></c><c r="Y{n}" t="b"><v>0</v></c>'
)


@pytest.mark.parametrize("plain", [True, False], ids=["every reference first", "a reference written last"])
def test_column_values_read_every_way_of_writing_a_cell_as_its_row_does(tmp_path, plain):
    """The quick pass over a column reads the usual cells as it finds them and
    leaves the others to the row's own decoding: both give the same values."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Sheet"
    source = tmp_path / "source.xlsx"
    book.save(source)
    rows = b"".join(b'<row r="%d">' % n + ODD_CELLS.replace(b"{n}", b"%d" % n) + b"</row>" for n in range(1, 81))
    if not plain:
        rows = rows.replace(b'<c r="Q2">', b'<c s="0" r="Q2">')
    strings = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">'
               b"<si><t>alpha</t></si><si><t>beta</t></si></sst>")
    path = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<sheetData>.*</sheetData>|<sheetData/>", lambda _: b"<sheetData>" + rows + b"</sheetData>",
                              data, flags=re.S)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId9" Target="sharedStrings.xml" Type="http:'
                                    b'//schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
                                    b"</Relationships>")
            zout.writestr(info, data)
        zout.writestr("xl/sharedStrings.xml", strings)
    package = XlsxPackage(path)
    quick, whole = package.worksheet("Sheet"), package.worksheet("Sheet")
    whole.decode_all()
    expected = {n: {c: _cells(cell) for c, cell in row.cells.items()} for n, row in whole.rows.items()}
    got = column_values(quick, range(1, 26))
    assert {n: {c: _cells(cell) for c, cell in cells.items()} for n, cells in got.items()} == expected
    assert expected[1][1] == ("plain", False, False) and expected[1][4][0] == "a&b\rc"
    assert [expected[1][c][0] for c in (5, 6, 17, 19, 21)] == ["alpha", 46272, 7, "beta", "beta"]
