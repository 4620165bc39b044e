"""Reading a few columns from a sheet's bytes gives exactly what decoding its
rows gives, so an update that reads only its key columns matches the same rows."""

from __future__ import annotations

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


def test_a_rows_chosen_values_are_those_of_the_whole_row(tmp_path):
    path = build_feature_workbook(tmp_path / "map.xlsx")
    quick, whole = ProvisionMap(path), ProvisionMap(path)
    names = ("pupil", "year", "class_name", "area", "start_date")
    for row in whole.rows:
        assert quick.values_of(row.number, names) == {n: v for n, v in row.values.items() if n in names}


def _with_sheet(tmp_path, change):
    import zipfile

    source = build_feature_workbook(tmp_path / "map.xlsx")
    package = XlsxPackage(source)
    part = package.sheets["Provision map"]
    target = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, change(data) if info.filename == part else data)
    return target


@pytest.mark.parametrize(("change", "says"), [
    (lambda d: d.replace(b'<row r="3"', b"<row", 1), "rows without row numbers"),
    (lambda d: d.replace(b'<row r="3"', b'<row r="1"', 1), "(rows)"),
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
