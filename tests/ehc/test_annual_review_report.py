"""The annual review report, made for real: the sample school's provision map,
a records store holding Ruby's autumn review and her family's and her own views
(filled in as they would be and read back), her EHCP outcomes and
professionals from the sample register. The .docx is opened and read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from formkit.ehc import EhcConfig, generate_annual_reviews, read_outcomes, report_due
from formkit.errors import RegisterError, SettingsError
from formkit.forms import read_forms
from formkit.model import Term
from formkit.ooxml import fill_document
from formkit.provision import ProvisionLine, by_term, new_map
from formkit.records import RecordStore
from formkit.resources import bundled
from formkit.settings import load_settings

from tests.ehc.test_profiles import paragraphs
from tests.conftest import docx_text
from tests.formhelpers import REGISTER, SETTINGS, blank_form

RUBY, ZOE = "L801200025022", "Z801200026004"
MEETING = date(2027, 1, 20)
TODAY = date(2027, 1, 6)
SAMPLES = bundled("samples")


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    root = tmp_path_factory.mktemp("review")
    review = fill_document(blank_form("iep-review", RUBY), {
        "target_1_outcome": "Moves with one prompt", "target_1_achieved_percent": "80%",
        "target_2_band": "25-49%", "target_3_achieved_percent": "75%", "decision": "Set new targets",
        "next_steps": "Keep targets 2 and 4", "pupil_views": "I like trains"})
    parent = fill_document(blank_form("parent-views", RUBY), {
        "relationship": "Mother", "going_well": "Calmer at home", "concerns": "Lunchtimes", "date": date(2027, 1, 8)})
    child = fill_document(blank_form("pupil-views", RUBY), {
        "like": "Music", "how": "I drew pictures", "helped_by": "Mrs Ellis", "date": date(2027, 1, 9)})
    for name, data in (("review.docx", review), ("parent.docx", parent), ("child.docx", child)):
        (root / name).write_bytes(data)
    report = read_forms([root / "review.docx", root / "parent.docx", root / "child.docx"], register=REGISTER)
    assert report.ok, report.text()
    with RecordStore.open(root / "records.sqlite", create=True) as store:
        store.import_report(report)
    new_map(SAMPLES / "register.xlsx", root / "map.xlsx", settings=SETTINGS, provisions=SAMPLES / "provisions.xlsx")
    return root


def test_the_report_is_filled_from_everything_formkit_holds(sources, tmp_path):
    report = generate_annual_reviews(REGISTER, SETTINGS, tmp_path, meeting_date=MEETING, only=[RUBY],
                                     store=sources / "records.sqlite", provision_map=sources / "map.xlsx",
                                     today=TODAY)
    assert report.ok and report.count("written") == 1
    assert report.warnings == []
    path = tmp_path / "Year 1" / f"Clarke, Ruby ({RUBY}) - Annual review report.docx"
    text = docx_text(path)
    assert "Meeting | Wednesday 20 January 2027 | Report due | Wednesday 3 February 2027" in text
    assert "Not in this report yet" not in text
    assert ("1 | Ruby will move between activities and places in school calmly, using her visual timetable "
            "(Communication and interaction; by End of Key Stage 1) | Autumn 2026: To use her visual timetable to "
            "move between activities calmly – 80%, 75-99%, Moves with one prompt") in text
    assert "Autumn 2026 | 2 | To ask for help using her help card or the words 'help please' |  |  | 25-49%" in text
    assert "Autumn 2026 | 09/12/2026 | Set new targets | Keep targets 2 and 4" in text
    assert "Autumn 2026 | Lego-based therapy | Teaching assistant | 2 x 30 min a week, group of 3 | 12.5 | £66.56" in text
    assert "The year: 57.0 hours, £1,342.67: £4,657.33 below the notional SEN threshold of £6,000.00." in text
    assert "Written by | Helen Clarke (Mother), 08/01/2027" in text and "What is going well | Calmer at home" in text
    assert "How | I drew pictures (Mrs Ellis), 09/01/2027" in text and "What I like at school | Music" in text
    assert "Dr Hannah Price | Educational Psychology Service | 12/11/2024 | " in text
    assert "6. The meeting's decisions (to fill in at the meeting)" in text
    assert "{{" not in text and "{%" not in text
    for pupil in REGISTER.pupils:
        if pupil.upn != RUBY:
            assert pupil.upn not in text and pupil.name not in text, pupil.label


def test_what_is_missing_is_said_in_the_report_and_the_run(sources, tmp_path):
    report = generate_annual_reviews(REGISTER, SETTINGS, tmp_path, meeting_date=date(2027, 3, 31),
                                     only=["D801200022022"], store=sources / "records.sqlite",
                                     today=date(2027, 3, 24))
    assert report.ok
    gaps = ["no review back for Autumn 2026", "no review back for Spring 2027",
            "no \u201cYour views\u201d form back from the family yet", "no \u201cMy views\u201d form back from "
            "Oliver yet", "no provision map was given, so the provision is not in the report"]
    assert report.warnings == [f"Oliver Thompson (D801200022022): {gap}" for gap in gaps]
    lines = paragraphs(tmp_path / "Year 4" / "Thompson, Oliver (D801200022022) - Annual review report.docx")
    assert "Not in this report yet:" in lines
    assert [line.strip("\u2022 ") for line in lines if line.startswith("\u2022")] == gaps


def test_only_pupils_with_an_ehc_plan_and_a_meeting_date(sources, tmp_path):
    with pytest.raises(RegisterError) as caught:
        generate_annual_reviews(REGISTER, SETTINGS, tmp_path, meeting_date=MEETING, only=[ZOE])
    assert str(caught.value).endswith(f"Zoë Whitmore ({ZOE}) has SEN status K, not E (an EHC plan), so has no "
                                      "annual review")
    report = generate_annual_reviews(REGISTER, SETTINGS, tmp_path, today=TODAY)
    assert {r.status for r in report.results} == {"failed"} and len(report.results) == 5
    assert report.failed[0].reason == ("no meeting date: give --meeting-date YYYY-MM-DD, or a 'Date' column in a "
                                       "Meetings sheet")
    assert not list(tmp_path.rglob("*.docx"))


def test_the_report_is_due_two_weeks_after_the_meeting():
    assert report_due(date(2027, 1, 20)) == date(2027, 2, 3)


def test_the_outcomes_sheet_and_its_problems(tmp_path):
    sheet = read_outcomes(REGISTER)
    assert [o.number for o in sheet.rows[RUBY]] == [1, 2, 3, 4] and sheet.problems == []
    given = tmp_path / "outcomes.csv"
    given.write_text("UPN,Area,Outcome,By\n"
                     f"{RUBY},Hearing,Ruby will ...,Year 2\n"
                     f"{RUBY},SEMH,,\n"
                     "B801200005001,SEMH,Someone else,\n", encoding="utf-8")
    read = read_outcomes(REGISTER, given)
    assert [(o.outcome, o.area) for o in read.rows[RUBY]] == [("Ruby will ...", None)]
    assert [str(p) for p in read.problems] == [
        f"Warning: {given}, row 2, column 'Area': 'Hearing' is not an area of need; write the area (Communication"
        " and interaction, Cognition and learning, Social, emotional and mental health, Sensory and/or physical"
        " needs), its number 1-4, or a census need code such as SPLD; the outcome is used without an area",
        f"Warning: {given}, row 3, column 'Outcome': the outcome is blank; write it as the EHC plan has it, or"
        " delete the row",
        f"Warning: {given}, row 4, column 'UPN': UPN B801200005001 is not on the register in {REGISTER.file}, so"
        " this outcome is not used; check the UPN",
    ]


def test_the_notional_threshold_is_a_setting(tmp_path):
    toml = tmp_path / "formkit.toml"
    toml.write_text('[school]\nname = "S"\nsenco = "T"\n[ehc]\nnotional_threshold = 7500\n', encoding="utf-8")
    assert EhcConfig.load(load_settings(toml)).notional_threshold == 7500
    toml.write_text('[school]\nname = "S"\nsenco = "T"\n[ehc]\nnotional_threshold = "lots"\n', encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        EhcConfig.load(load_settings(toml))
    assert str(caught.value) == f"{toml}: [ehc] notional_threshold must be an amount in pounds, e.g. 6000"
    assert EhcConfig.load(SETTINGS).notional_threshold == 6000


def test_provision_is_shared_out_over_the_terms_by_days():
    autumn = Term(name="Autumn", start=date(2026, 9, 1), end=date(2026, 12, 20))
    spring = Term(name="Spring", start=date(2027, 1, 4), end=date(2027, 3, 31))
    lines = [ProvisionLine(2, "All year", start_date=date(2026, 9, 1), hours=40.0, cost=400.0),
             ProvisionLine(3, "Autumn only", start_date=date(2026, 10, 1), end_date=date(2026, 11, 30), hours=9.0,
                           cost=90.0),
             ProvisionLine(4, "Undated", hours=1.0, cost=10.0),
             ProvisionLine(5, "Last year", start_date=date(2025, 9, 1), end_date=date(2025, 12, 1), cost=5.0)]
    groups = by_term(lines, [spring, autumn])
    assert [g.term for g in groups] == ["Autumn", "Spring", "No start date", "Outside the term dates"]
    autumn_all, autumn_only = groups[0].shares
    assert autumn_only.cost == 90.0 and autumn_all.cost == round(400 * 111 / (111 + 87), 2)
    assert groups[0].cost + groups[1].cost == pytest.approx(490.0, abs=0.01)
    assert groups[2].cost == 10.0 and groups[3].shares[0].hours is None
