"""The provision map report: cost, hours and pupils, and which interventions work."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from openpyxl import load_workbook

from formkit.errors import OutputError
from formkit.provision.report import build_report, write_report
from formkit.provision.update import new_map, update_map
from formkit.resources import bundled
from formkit.settings import load_settings
from formkit.files import CONFIDENTIAL

from tests.xlsx_features import build_feature_workbook

SETTINGS = load_settings(None, cwd=bundled("samples"))
REGISTER = """UPN,Legal Surname,Legal Forename,DOB,Year,Reg Group,SEN Status,Primary Need
R801200023004,Pembridge,Alex,03/03/2018,3,3H,K,SPLD
U801200021013,Gallagher,Siobhán,05/05/2016,5,5D,K,SEMH
"""
PROVISIONS = """UPN,Intervention,Delivered By,Group Size,Sessions per Week,Minutes per Session,Start Date,End Date
R801200023004,Toe by Toe,TA,1,5,15,07/09/2026,
R801200023004,Precision teaching,HLTA,2,3,10,07/09/2026,
U801200021013,ELSA,Teaching assistant,1,1,30,14/09/2026,11/12/2026
"""


@pytest.fixture
def small_map(tmp_path: Path) -> Path:
    """Two pupils, three provisions; costs worked out by hand below."""
    (tmp_path / "register.csv").write_text(REGISTER, encoding="utf-8")
    (tmp_path / "provisions.csv").write_text(PROVISIONS, encoding="utf-8")
    out = tmp_path / "map.xlsx"
    new_map(tmp_path / "register.csv", out, settings=SETTINGS, provisions=tmp_path / "provisions.csv")
    impact = tmp_path / "impact.json"
    impact.write_text(json.dumps([
        {"kind": "impact", "upn": "R801200023004", "intervention": "Toe by Toe", "start_date": "2026-09-07",
         "entry_measure": "Reading age (months)", "entry_score": 84, "exit_score": 93},
        {"kind": "impact", "upn": "U801200021013", "intervention": "ELSA", "start_date": "2026-09-14",
         "entry_measure": "Emotional literacy checklist", "entry_score": 18, "exit_score": 24}]), encoding="utf-8")
    update_map(out, [impact])
    return out


def test_cost_hours_and_pupils_add_up_as_the_formulas_do(small_map):
    report = build_report(small_map)
    # Toe by Toe: 5 x 15 min x 38 weeks = 47.5 h x £16 = £760; Precision teaching: 3 x 10 min x 38 = 19 h
    # x £20 / 2 = £190; ELSA: 14/09-11/12 is 13 weeks, 1 x 30 min = 6.5 h x £16 = £104
    year3, year5 = report.by_year
    assert (year3.label, year3.pupils, year3.provisions, year3.hours, year3.cost) == ("Year 3", 1, 2, 66.5, 950.0)
    assert (year5.label, year5.pupils, year5.provisions, year5.hours, year5.cost) == ("Year 5", 1, 1, 6.5, 104.0)
    assert (report.total.pupils, report.total.provisions, report.total.hours, report.total.cost) == (2, 3, 73.0,
                                                                                                     1054.0)
    areas = {g.label: (g.pupils, g.cost) for g in report.by_area}
    assert areas == {"Communication and interaction": (0, 0.0), "Cognition and learning": (1, 950.0),
                     "Social, emotional and mental health": (1, 104.0), "Sensory and/or physical needs": (0, 0.0)}
    assert [(l.intervention, l.pupils, l.average) for l in report.interventions] == [
        ("Toe by Toe", 1, 9.0), ("ELSA", 1, 6.0), ("Precision teaching", 1, None)]


def test_the_text_report(small_map):
    text = build_report(small_map).text()
    assert text.splitlines()[3:7] == [
        "By year group                          Pupils Provisions    Hours        Cost",
        "Year 3                                      1          2     66.5     £950.00",
        "Year 5                                      1          1      6.5     £104.00",
        "All pupils                                  2          3     73.0   £1,054.00",
    ]
    assert ("Toe by Toe                    Reading age (months)                        1      1     +9.0     £760.00"
            in text)
    assert "Siobhán" not in text and "Pembridge" not in text


def test_the_report_as_a_sheet_and_as_a_chart(small_map, tmp_path):
    report = build_report(small_map)
    sheet = write_report(report, tmp_path / "out" / "report.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ws = load_workbook(sheet)["Report"]
    values = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    assert ["Year 3", 1, 2, 66.5, 950] in values and ["Toe by Toe", "Reading age (months)", 1, 1, 9, 47.5, 760] in values
    assert len(ws._charts) == 1
    assert ws.parent.properties.category == CONFIDENTIAL == "Confidential: SEN information (special category data)"
    picture = write_report(report, tmp_path / "report.png")
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size > 20_000


def test_the_report_refuses_other_file_types(small_map, tmp_path):
    with pytest.raises(OutputError) as caught:
        write_report(build_report(small_map), tmp_path / "report.pdf")
    assert str(caught.value) == (f"{tmp_path / 'report.pdf'}: the report can be written as an Excel workbook (.xlsx)"
                                 " or a chart picture (.png)")


def test_a_workbook_saved_by_excel_is_reported_from_its_cached_results(tmp_path):
    book = build_feature_workbook(tmp_path / "map.xlsx")
    report = build_report(book)
    assert report.total.cost == pytest.approx(304 + 760 + 3 * 202.67)
    assert [g.label for g in report.by_year] == ["(no year group)"]
    assert [(l.intervention, l.average) for l in report.interventions][0] == ("Lego-based therapy", 4.0)
