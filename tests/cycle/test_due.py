"""formkit due: overdue first, termly reviews and meetings with parents, review
forms not back, EHC annual reviews and their invitations, plans not written;
and the calendar file, which names pupils by initials and UPN only."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

from click.testing import CliRunner
from icalendar import Calendar

from formkit.cli import cli
from formkit.cycle import add_months, calendar_bytes, due_list
from formkit.forms import read_forms
from formkit.model import Target
from formkit.records import Plan, RecordStore
from formkit.register import load_register
from formkit.resources import bundled
from formkit.settings import load_settings

SETTINGS = load_settings(None, cwd=bundled("samples"))
TERMS = SETTINGS.school.terms
REGISTER = load_register(bundled("samples", "register.xlsx"), column_map=SETTINGS.column_map)
AUTUMN = SETTINGS.school.term_named("Autumn 2026")
DECLAN, SAM = "C801200024004", "R801200021031"
NOW = datetime(2027, 1, 6, 9, 0, tzinfo=timezone.utc)

EHC_CSV = """UPN,Legal Surname,Legal Forename,DOB,Year,SEN Status,Date Added,EHCP last review,EHC plan date
B801200005001,Example,Ava,01/06/2022,R,E,01/09/2026,,15/07/2026
A801200006002,Sample,Ben,11/03/2017,5,E,01/09/2022,20/01/2026,10/01/2023
C801200007003,Invent,Cara,12/12/2018,3,E,01/09/2024,31/02/2026,
D801200008004,Madeup,Dev,14/02/2018,4,E,01/09/2024,,
"""


def plan(upn: str, name: str) -> Plan:
    return Plan(upn, name, AUTUMN.name, AUTUMN.start, AUTUMN.review_date, (Target(target="A target"),), "iep.docx",
                f"{name}.docx", "0" * 64)


def store_with_autumn(tmp_path: Path) -> Path:
    store = tmp_path / "s.sqlite"
    with RecordStore.open(store, create=True) as db:
        db.record_plans([plan(DECLAN, "Declan O'Connor"), plan(SAM, "Sam Kirkwood")], now=NOW)
        review = bundled("samples", "returned", "O'Connor, Declan - IEP review.docx")
        db.import_report(read_forms([review], register=REGISTER), now=NOW)
    return store


def test_a_review_not_back_is_overdue_and_listed_first(tmp_path):
    found = due_list(REGISTER, TERMS, store_with_autumn(tmp_path), on=date(2027, 1, 6), weeks=12)
    overdue = found.overdue
    assert [(i.day, i.upn, i.what) for i in overdue if i.kind == "review-form"] == [
        (date(2026, 12, 9), SAM, "no IEP review form back for Autumn 2026")]
    assert all(i.upn != DECLAN for i in overdue if i.kind == "review-form")
    spring = {i.upn: i for i in found.coming if i.kind == "review"}
    assert spring[DECLAN].day == date(2027, 3, 17)
    assert spring[DECLAN].what == "Spring 2027 IEP review and meeting with parents (2 of 3 this school year, Code of" \
                                  " Practice 6.65)"
    assert {i.what for i in found.later if i.upn == DECLAN and i.kind == "review"} == {
        "Summer 2027 IEP review and meeting with parents (3 of 3 this school year, Code of Practice 6.65)"}
    no_plan = {i.upn: i for i in overdue if i.kind == "plan"}
    assert DECLAN not in no_plan and SAM not in no_plan
    assert no_plan["X801200026022"].what == "no plan (IEP) recorded yet"
    assert "no plans are recorded for Spring 2027 yet: 'formkit generate ieps --term \"Spring 2027\"' records them" \
        in found.notes
    text = found.text()
    assert text.splitlines()[0].startswith(f"Due on 06/01/2027: {len(overdue)} overdue, {len(found.coming)} in the"
                                           " next 12 weeks")
    assert text.index("Overdue:") < text.index("In the next 12 weeks:")
    assert "  09/12/2026  Sam Kirkwood (R801200021031): no IEP review form back for Autumn 2026" in text


def test_once_the_terms_plans_are_written_a_pupil_without_one_is_listed(tmp_path):
    store = store_with_autumn(tmp_path)
    spring = SETTINGS.school.term_named("Spring 2027")
    with RecordStore.open(store) as db:
        db.record_plans([Plan(DECLAN, "Declan O'Connor", spring.name, spring.start, spring.review_date,
                              (Target(target="A target"),), "iep.docx", "d.docx", "1" * 64)], now=NOW)
    found = due_list(REGISTER, TERMS, store, on=date(2027, 1, 6))
    no_plan = {i.upn: i for i in found.overdue if i.kind == "plan"}
    assert DECLAN not in no_plan and no_plan[SAM].what == "no plan (IEP) for Spring 2027 yet"
    assert no_plan[SAM].day == date(2027, 1, 5)
    assert not any(n.startswith("no plans are recorded") for n in found.notes)


def test_a_review_without_parents_views_leaves_the_meeting_to_record(tmp_path):
    store = store_with_autumn(tmp_path)
    with RecordStore.open(store) as db:
        [stored] = db.reviews_for(DECLAN)
    values = dict(stored.record.values, parent_views=None)
    record = type(stored.record)("iep-review", values, "again.docx", "f" * 64)
    with RecordStore.open(store) as db:
        db.import_records([record], now=NOW)
    found = due_list(REGISTER, TERMS, store, on=date(2027, 1, 6))
    [meeting] = [i for i in found.items if i.upn == DECLAN and i.kind == "parents"]
    assert meeting.day == date(2026, 12, 9) and meeting in found.overdue
    assert meeting.what.startswith("meeting with parents not recorded: the Autumn 2026 review has no parents' views")


def test_ehc_annual_reviews_come_from_the_registers_date_columns(tmp_path):
    register_file = tmp_path / "ehc.csv"
    register_file.write_text(EHC_CSV, encoding="utf-8")
    register = load_register(register_file)
    found = due_list(register, TERMS, None, on=date(2027, 1, 6), weeks=52)
    ehc = {(i.upn, i.kind): i for i in found.items if i.kind.startswith("ehc")}
    assert ehc[("A801200006002", "ehc-review")].day == date(2027, 1, 20)
    assert ehc[("A801200006002", "ehc-invitations")].day == date(2027, 1, 6)
    assert "within 12 months of 20/01/2026 (EHCP last review; at least once a year)" in \
        ehc[("A801200006002", "ehc-review")].what
    assert ehc[("B801200005001", "ehc-review")].day == date(2027, 1, 15)
    assert "within 6 months of 15/07/2026 (EHC plan date; the child is under 5)" in \
        ehc[("B801200005001", "ehc-review")].what
    assert ehc[("B801200005001", "ehc-invitations")] in found.overdue
    assert not any(upn in ("C801200007003", "D801200008004") for upn, _ in ehc)
    assert any(n.startswith("Cara Invent (C801200007003): column 'EHCP last review': ") for n in found.notes)
    assert "Dev Madeup (D801200008004) has an EHC plan, but the register has no date of the last annual review (or" \
           " of the plan): add an 'EHCP last review' column (docs/register.md)" in found.notes
    assert any(n.startswith("no records store") for n in found.notes)


def test_months_are_added_as_a_calendar_does():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_the_calendar_names_pupils_by_initials_and_upn_only(tmp_path):
    register_file = tmp_path / "ehc.csv"
    register_file.write_text(EHC_CSV, encoding="utf-8")
    ics = tmp_path / "due.ics"
    runner = CliRunner()
    args = ["due", "--register", str(register_file), "--on", "2027-01-06", "--ics", str(ics)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Calendar: " in result.output and "events in" in result.output
    data = ics.read_bytes()
    calendar = Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    summaries = {str(e["summary"]) for e in events}
    assert "EHC annual review due: B.S. (A801200006002)" in summaries
    assert "EHC annual review invitations out: B.S. (A801200006002)" in summaries
    assert all(isinstance(e.decoded("dtstart"), date) and not isinstance(e.decoded("dtstart"), datetime)
               for e in events)
    for word in (b"Ben", b"Sample", b"Ava", b"Example", b"ASD", b"autis", b"EHC plan date"):
        assert word not in data, word
    if os.name == "posix":
        assert stat.S_IMODE(ics.stat().st_mode) == 0o600
    again = runner.invoke(cli, args)
    assert again.exit_code == 0
    uids = {str(e["uid"]) for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")}
    assert uids == {str(e["uid"]) for e in events} and len(uids) == len(events)


def test_calendar_errors_name_the_file(tmp_path):
    register_file = tmp_path / "ehc.csv"
    register_file.write_text(EHC_CSV, encoding="utf-8")
    missing = tmp_path / "nowhere" / "due.ics"
    result = CliRunner().invoke(cli, ["due", "--register", str(register_file), "--ics", str(missing)])
    assert result.exit_code == 1
    assert f"Error: {missing}: the folder for the calendar file does not exist; make it first or choose another" \
           " place" in result.output
    assert calendar_bytes([]).startswith(b"BEGIN:VCALENDAR")


def test_a_meeting_on_the_meetings_sheet_brings_its_report_due_two_weeks_after(tmp_path):
    register_file = tmp_path / "ehc.csv"
    register_file.write_text(EHC_CSV, encoding="utf-8")
    meetings = tmp_path / "meetings.csv"
    meetings.write_text("UPN,Date,Time\nA801200006002,13/01/2027,14:00\nD801200008004,04/12/2026,10:00\n",
                        encoding="utf-8")
    result = CliRunner().invoke(cli, ["due", "--register", str(register_file), "--on", "2026-12-10", "--weeks", "8",
                                      "--meetings", str(meetings)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert ("  18/12/2026  Dev Madeup (D801200008004): EHC annual review report to the local authority, two weeks "
            "after the meeting on 04/12/2026 (Code of Practice 9.176)") in lines
    assert ("  30/12/2026  Ben Sample (A801200006002): invitations to the EHC annual review out, and the advice in, "
            "two weeks before the meeting on 13/01/2027 (Code of Practice 9.176)") in lines
    assert "  13/01/2027  Ben Sample (A801200006002): EHC annual review meeting (Meetings sheet)" in lines
    assert ("  27/01/2027  Ben Sample (A801200006002): EHC annual review report to the local authority, two weeks "
            "after the meeting on 13/01/2027 (Code of Practice 9.176)") in lines
    assert not [line for line in lines if "Ben Sample" in line and "within 12 months" in line]


def test_a_meeting_already_held_leaves_its_report_and_the_next_review():
    register = load_register(bundled("samples", "register.xlsx"), column_map=SETTINGS.column_map)
    ruby = replace(register.by_upn("L801200025022"), extra={"EHCP last review": "20/01/2027"})
    register.pupils[:] = [ruby]
    found = due_list(register, TERMS, None, on=date(2027, 1, 25), weeks=52,
                     meetings={"L801200025022": date(2027, 1, 20)})
    kinds = {i.kind: i.day for i in found.items if i.kind.startswith("ehc")}
    assert kinds == {"ehc-report": date(2027, 2, 3), "ehc-review": date(2028, 1, 20),
                     "ehc-invitations": date(2028, 1, 6)}
    old = due_list(register, TERMS, None, on=date(2027, 1, 25), meetings={"L801200025022": date(2026, 1, 20)})
    assert not [i for i in old.items if i.kind == "ehc-report"]
