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
