"""The provision map template, the sample provisions, and `provision-map new`."""

from __future__ import annotations

import importlib.util
import warnings
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from formkit.errors import OutputError
from formkit.provision.columns import COLUMNS
from formkit.provision.workbook import ProvisionMap
from formkit.provision.update import new_map
from formkit.resources import bundled
from formkit.settings import load_settings
from formkit.files import CONFIDENTIAL

REPO = Path(__file__).resolve().parents[2]
SETTINGS = load_settings(None, cwd=bundled("samples"))
TEMPLATE = bundled("templates", "xlsx", "provision_map.xlsx")


def run_script(name: str, out: Path) -> None:
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main([name, str(out)])


@pytest.mark.parametrize(("script", "built"), [("build_provision_template", TEMPLATE),
                                               ("build_provision_samples", bundled("samples", "provisions.xlsx"))])
def test_the_scripts_rebuild_the_committed_files_exactly(tmp_path, script, built, capsys):
    run_script(script, tmp_path / "out.xlsx")
    assert (tmp_path / "out.xlsx").read_bytes() == built.read_bytes()


def open_book(path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_workbook(path)


def test_the_template_is_a_provision_map_a_senco_would_adopt():
    wb = open_book(TEMPLATE)
    assert wb.sheetnames == ["Provision", "Summary", "Settings"]
    ws = wb["Provision"]
    assert [c.value for c in ws[3]] == [aliases[0] for aliases in COLUMNS.values()]
    assert ws.freeze_panes == "C4"
    assert ws.tables["ProvisionMap"].ref == "A3:X4"
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists == {"E4": "=AreasOfNeed", "G4": "=Waves", "H4": "=Roles", "V4": "=Ratings"}
    assert {str(r.sqref) for r in ws.conditional_formatting} == {"V4", "U4"}
    assert ws["Q4"].value == '=IF(OR(O4="",P4=""),"",ROUND(P4*O4/MAX(I4,1),2))'
    assert ws["U4"].value == '=IF(AND(ISNUMBER(S4),ISNUMBER(T4)),T4-S4,"")'
    assert ws["L4"].number_format == "dd/mm/yyyy"
    summary = wb["Summary"]
    assert summary["E7"].value == "=SUMIFS(ProvisionMap[Cost per Pupil],ProvisionMap[Year],$A7)"
    assert summary["A6"].value == "Nursery" and summary["A14"].value == "All pupils"
    settings = wb["Settings"]
    assert (settings["A4"].value, settings["B4"].value, settings["J3"].value, settings["J4"].value) == (
        "Teaching assistant", 16, "Weeks per year", 38)
    assert wb.defined_names["Rates"].attr_text == "Settings!$A$4:$B$20"


def test_new_without_provisions_lists_every_pupil_on_the_register(tmp_path):
    out = tmp_path / "map.xlsx"
    result = new_map(bundled("samples", "register.xlsx"), out, settings=SETTINGS)
    assert result.summary() == (f"Wrote {out}: 23 rows for 23 pupils. Open it in Excel; the Summary sheet adds it"
                                " up.")
    pmap = ProvisionMap(out)
    assert len(pmap.rows) == 23 and all(not r.text("intervention") for r in pmap.rows)
    assert pmap.rows[0].values == {"upn": "X801200026022", "pupil": "Aarav Chaudhry", "year": "Reception",
                                   "class_name": "RB", "area": "Communication and interaction"}
    assert pmap.rows[0].formulas == {"weeks", "hours", "hourly_cost", "cost_per_pupil", "progress"}
    ws = open_book(out)["Provision"]
    assert ws["A1"].value == "Provision map: Hollybrook Primary School"
    assert ws.tables["ProvisionMap"].ref == "A3:X26"
    assert {str(dv.sqref) for dv in ws.data_validations.dataValidation} == {"E4:E26", "G4:G26", "H4:H26", "V4:V26"}
    assert ws["Q26"].value == '=IF(OR(O26="",P26=""),"",ROUND(P26*O26/MAX(I26,1),2))'


def test_new_with_provisions_reads_headings_and_values_as_schools_write_them(tmp_path):
    out = tmp_path / "map.xlsx"
    result = new_map(bundled("samples", "register.xlsx"), out, settings=SETTINGS,
                     provisions=bundled("samples", "provisions.xlsx"))
    assert (result.rows_added, result.pupils, result.problems) == (27, 22, [])
    rows = {(r.text("upn"), r.text("intervention")): r.values for r in ProvisionMap(out).rows}
    aarav = rows[("X801200026022", "Speech & language programme")]
    assert (aarav["year"], aarav["class_name"], aarav["delivered_by"], aarav["group_size"],
            aarav["sessions_per_week"], aarav["minutes"], aarav["start_date"], aarav["outside_agency"]) == (
        "Reception", "RB", "Teaching assistant", 2, 3, 15, date(2026, 9, 14), "NHS Speech and Language Therapy")
    declan = rows[("C801200024004", "Precision teaching")]
    assert (declan["sessions_per_week"], declan["minutes"], declan["end_date"]) == (5, 10, date(2026, 10, 23))


def test_new_refuses_to_overwrite_a_map(tmp_path):
    out = tmp_path / "map.xlsx"
    out.write_bytes(b"the SENCo's map")
    with pytest.raises(OutputError) as caught:
        new_map(bundled("samples", "register.xlsx"), out, settings=SETTINGS)
    assert str(caught.value) == (f"{out}: already exists; formkit will not overwrite a provision map. Use 'formkit"
                                 " provision-map update' to bring it up to date, or choose another name")
    assert out.read_bytes() == b"the SENCo's map"


def test_new_wants_an_xlsx_name(tmp_path):
    with pytest.raises(OutputError) as caught:
        new_map(bundled("samples", "register.xlsx"), tmp_path / "map.xls", settings=SETTINGS)
    assert str(caught.value) == f"{tmp_path / 'map.xls'}: the provision map must be an Excel workbook whose name ends in .xlsx"


def test_a_new_map_is_marked_confidential_as_formkits_documents_are(tmp_path):
    assert open_book(TEMPLATE).properties.category == CONFIDENTIAL
    for provisions in (None, bundled("samples", "provisions.xlsx")):
        out = tmp_path / f"map {provisions is None}.xlsx"
        new_map(bundled("samples", "register.xlsx"), out, settings=SETTINGS, provisions=provisions)
        properties = open_book(out).properties
        assert properties.category == CONFIDENTIAL == "Confidential: SEN information (special category data)"
        assert (properties.title, properties.creator) == ("Provision map", "formkit")
