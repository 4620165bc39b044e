"""Updating the SENCo's provision map: matching, sources, and never harming the file."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from openpyxl import Workbook

from formkit.provision import update as provision_update
from formkit.errors import WorkbookError
from formkit.provision.workbook import ProvisionMap
from formkit.ooxml import lock_files
from formkit.provision.update import new_map, update_map
from formkit.resources import bundled
from formkit.settings import load_settings

NOW = datetime(2026, 12, 18, 10, 15, 0)
SETTINGS = load_settings(None, cwd=bundled("samples"))
IMPACT_FIELDS = ["kind", "upn", "pupil_name", "intervention", "delivered_by", "start_date", "end_date",
                 "sessions_planned", "sessions_attended", "entry_measure", "entry_score", "exit_score",
                 "impact_rating", "comment", "next_step", "source_file", "source_sha256", "imported_at"]
SAM = {"kind": "impact", "upn": "R801200021031", "pupil_name": "Sam Kirkwood", "intervention": "Lego-based therapy",
       "delivered_by": "Mrs Ellis (TA)", "start_date": "2026-09-14", "end_date": "2026-12-04",
       "sessions_planned": 24, "sessions_attended": 21, "entry_measure": "Boxall Profile score", "entry_score": 42,
       "exit_score": 55, "impact_rating": "+1", "comment": "Takes turns", "next_step": "Continue in spring",
       "source_file": "Kirkwood, Sam - Impact.docx", "source_sha256": "0" * 64,
       "imported_at": "2026-12-10T09:00:00+00:00"}


@pytest.fixture
def sample_map(tmp_path: Path) -> Path:
    """The sample school's provision map, as `provision-map new` builds it."""
    out = tmp_path / "Provision map.xlsx"
    new_map(bundled("samples", "register.xlsx"), out, settings=SETTINGS, provisions=bundled("samples", "provisions.xlsx"))
    return out


def write_json(path: Path, *records: dict) -> Path:
    path.write_text(json.dumps(list(records), indent=2), encoding="utf-8")
    return path


def row_of(book: Path, upn: str, intervention: str) -> dict:
    pmap = ProvisionMap(book)
    return next(r for r in pmap.rows if r.text("upn") == upn and r.text("intervention") == intervention).values


def test_an_impact_record_updates_its_row(sample_map, tmp_path):
    result = update_map(sample_map, [write_json(tmp_path / "impact.json", SAM)], now=NOW)
    row = row_of(sample_map, "R801200021031", "Lego-based therapy")
    assert (row["end_date"], row["exit_score"], row["impact_rating"]) == (date(2026, 12, 4), 55,
                                                                          "+1 More than expected")
    assert row["notes"] == "Takes turns. Next step: Continue in spring. Attended 21 of 24 sessions."
    assert row["delivered_by"] == "Teaching assistant"
    assert result.summary() == (f"{sample_map}: 1 row updated, 0 rows added, 4 cells. The previous version is kept"
                                " as Provision map (backup 2026-12-18 101500).xlsx.")


def test_backup_holds_the_original_and_a_rerun_changes_nothing(sample_map, tmp_path):
    original = sample_map.read_bytes()
    source = write_json(tmp_path / "impact.json", SAM)
    first = update_map(sample_map, [source], now=NOW)
    assert first.backup == sample_map.with_name("Provision map (backup 2026-12-18 101500).xlsx")
    assert first.backup.read_bytes() == original
    updated = sample_map.read_bytes()
    again = update_map(sample_map, [source], now=NOW)
    assert again.changes == [] and again.backup is None and not again.written
    assert again.summary() == f"{sample_map} is up to date: nothing to change."
    assert sample_map.read_bytes() == updated


def test_dry_run_reports_the_same_changes_and_writes_nothing(sample_map, tmp_path):
    before = sample_map.read_bytes()
    mtime = sample_map.stat().st_mtime_ns
    source = write_json(tmp_path / "impact.json", SAM, {**SAM, "intervention": "Talk Boost KS2"})
    dry = update_map(sample_map, [source], dry_run=True, now=NOW)
    assert sample_map.read_bytes() == before and sample_map.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in sample_map.parent.iterdir()) == ["Provision map.xlsx", "impact.json"]
    assert dry.summary() == (f"Dry run: {sample_map} would change: 1 row updated, 1 row added, 23 cells."
                             " Nothing was written.")
    real = update_map(sample_map, [source], now=NOW)
    assert [str(c) for c in real.changes] == [str(c) for c in dry.changes]


@pytest.mark.parametrize(("lock", "program"), [("~$Provision map.xlsx", "Excel"),
                                               (".~lock.Provision map.xlsx#", "LibreOffice")])
def test_refuses_while_the_workbook_is_open(sample_map, tmp_path, lock, program):
    (tmp_path / lock).write_text("owner")
    before = sample_map.read_bytes()
    with pytest.raises(WorkbookError) as caught:
        update_map(sample_map, [write_json(tmp_path / "impact.json", SAM)], now=NOW)
    assert str(caught.value) == (
        f"{sample_map}: is open in {program} (its lock file {lock} is beside it); close the workbook and run formkit"
        f" again. If {program} is not running, the lock was left by a crash: delete {lock}")
    assert sample_map.read_bytes() == before
    assert lock_files(sample_map) == [tmp_path / lock]


def test_refuses_when_the_file_changed_on_disk_after_it_was_read(sample_map, tmp_path, monkeypatch):
    real_read = provision_update.read_sources

    def read_while_excel_saves(paths, lists, **options):
        found = real_read(paths, lists, **options)
        sample_map.write_bytes(sample_map.read_bytes() + b"")  # same bytes: not a change
        saved = bytearray(sample_map.read_bytes())
        saved[-30] ^= 1  # someone saved a different version meanwhile
        sample_map.write_bytes(bytes(saved))
        return found

    monkeypatch.setattr(provision_update, "read_sources", read_while_excel_saves)
    with pytest.raises(WorkbookError) as caught:
        update_map(sample_map, [write_json(tmp_path / "impact.json", SAM)], now=NOW)
    assert str(caught.value) == (f"{sample_map}: changed on disk while formkit was working (was it saved in Excel?);"
                                 " nothing was written. Run formkit again")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Provision map.xlsx", "impact.json"]


def test_new_provisions_are_added_with_pupil_details_from_the_map(sample_map, tmp_path):
    record = {**SAM, "intervention": "Drawing and talking", "start_date": "2027-01-11"}
    result = update_map(sample_map, [write_json(tmp_path / "j.json", record)], now=NOW)
    added = row_of(sample_map, "R801200021031", "Drawing and talking")
    assert (result.rows_added, result.rows_updated, result.problems) == (1, 0, [])
    assert (added["pupil"], added["year"], added["class_name"], added["area"]) == (
        "Sam Kirkwood", "Year 5", "5D", "Social, emotional and mental health")
    assert added["start_date"] == date(2027, 1, 11) and added["exit_score"] == 55
    assert result.change_lines()[0] == ("Row 31 (new: Sam Kirkwood (R801200021031), Drawing and talking from"
                                        " 11/01/2027):")


def test_another_start_date_adds_a_row_and_says_why(sample_map, tmp_path):
    record = {**SAM, "start_date": "2026-09-15"}
    result = update_map(sample_map, [write_json(tmp_path / "i.json", record)], now=NOW)
    assert result.rows_added == 1
    assert [str(p) for p in result.problems] == [
        f"Warning: {tmp_path / 'i.json'}, Sam Kirkwood (R801200021031), Lego-based therapy from 15/09/2026: row 21 has"
        " this pupil and intervention with another start date, so a new row is added; if one of the dates is a"
        " typing mistake, correct it and delete the extra row"]


def test_intervention_names_match_ignoring_case_and_spacing(sample_map, tmp_path):
    record = {**SAM, "intervention": "  lego-based   THERAPY "}
    result = update_map(sample_map, [write_json(tmp_path / "i.json", record)], now=NOW)
    assert (result.rows_updated, result.rows_added) == (1, 0)


def test_notes_the_senco_wrote_are_kept_and_unknown_choices_only_fill_blanks(sample_map, tmp_path):
    update_map(sample_map, [write_json(tmp_path / "a.json", SAM)], now=NOW)
    later = {**SAM, "comment": "A different comment", "impact_rating": "Brilliant", "exit_score": 57}
    result = update_map(sample_map, [write_json(tmp_path / "b.json", later)], now=NOW)
    row = row_of(sample_map, "R801200021031", "Lego-based therapy")
    assert row["notes"].startswith("Takes turns.") and row["impact_rating"] == "+1 More than expected"
    assert row["exit_score"] == 57
    assert [str(c) for c in result.changes] == ["Provision!T21: 55 -> 57"]
    assert any("'Brilliant' is not one of the drop-down's choices" in str(p) for p in result.problems)


def test_two_rows_with_the_same_provision_are_both_left_alone(tmp_path):
    book = tmp_path / "twice.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["UPN", "Intervention", "Start Date", "Exit Score"])
    ws.append(["R801200021031", "ELSA", date(2026, 9, 28), None])
    ws.append(["R801200021031", "ELSA", date(2026, 9, 28), None])
    wb.save(book)
    record = {**SAM, "intervention": "ELSA", "start_date": "2026-09-28"}
    result = update_map(book, [write_json(tmp_path / "e.json", record)], now=NOW)
    assert result.changes == []
    assert [p.message for p in result.problems] == [
        "rows 2 and 3 of the provision map are both this provision; formkit changes neither until one is removed"]


def test_reads_csv_and_xlsx_exports_and_skips_other_kinds(sample_map, tmp_path):
    export = tmp_path / "records.csv"
    with export.open("w", newline="", encoding="utf-8-sig") as f:
        writer = csv.DictWriter(f, IMPACT_FIELDS)
        writer.writeheader()
        writer.writerow(SAM)
        writer.writerow({"kind": "referral", "upn": "R801200021031", "pupil_name": "Sam Kirkwood"})
    result = update_map(sample_map, [export], now=NOW, dry_run=True)
    assert result.rows_updated == 1
    assert result.notes == [f"{export}: 1 referral record skipped (not impact records)"]
    book = tmp_path / "records.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Impact"
    ws.append(IMPACT_FIELDS)
    ws.append([SAM[f] if f not in ("start_date", "end_date") else date.fromisoformat(SAM[f]) for f in IMPACT_FIELDS])
    wb.save(book)
    assert update_map(sample_map, [book], now=NOW, dry_run=True).rows_updated == 1


def test_reads_the_records_store(sample_map, tmp_path):
    from formkit.records import store as records
    from formkit.forms.record import FormRecord

    values = {k: SAM[k] for k in IMPACT_FIELDS[1:15]}
    values.update(start_date=date(2026, 9, 14), end_date=date(2026, 12, 4))
    store = tmp_path / "records.sqlite"
    with records.RecordStore.open(store, create=True) as opened:
        opened.import_records([FormRecord("impact", values, "Kirkwood, Sam - Impact.docx", "0" * 64,
                                          datetime(2026, 12, 10, tzinfo=timezone.utc))])
    result = update_map(sample_map, [store], now=NOW, dry_run=True)
    assert result.rows_updated == 1 and {c.cell for c in result.changes} == {"M21", "T21", "V21", "X21"}


def test_bad_rows_are_named_and_the_rest_applied(sample_map, tmp_path):
    source = write_json(tmp_path / "i.json", {**SAM, "upn": "R80120002103"}, {**SAM, "exit_score": 56},
                        {**SAM, "intervention": "ELSA", "upn": "Q801200023013", "start_date": "31/02/2026"})
    result = update_map(sample_map, [source], now=NOW)
    assert [str(p) for p in result.problems] == [
        f"Error: {source}, column 'upn', Sam Kirkwood (R80120002103): 'R80120002103' is not a UPN: a UPN is 13"
        " characters, a letter then 12 digits (a temporary UPN ends in a letter)",
        f"Error: {source}, column 'start_date', Sam Kirkwood (Q801200023013): 31/02/2026 is not a real date; check"
        " it and write it as dd/mm/yyyy; the start date tells this provision apart, so the row is not used"]
    assert result.has_errors and result.rows_updated == 1


def test_a_provisions_sheet_updates_frequency_and_staff(sample_map, tmp_path):
    sheet = tmp_path / "changes.csv"
    sheet.write_text("Pupil UPN,Programme,Date Commenced,Frequency,Time Allocated,Staff\n"
                     "R801200021031,Lego-based therapy,14/09/2026,Daily,1 hour,HLTA\n", encoding="utf-8")
    result = update_map(sample_map, [sheet], now=NOW)
    assert result.change_lines() == ["Row 21 (R801200021031, Lego-based therapy from 14/09/2026):",
                                     "  Provision!H21: Teaching assistant -> HLTA",
                                     "  Provision!J21: 2 -> 5", "  Provision!K21: 30 -> 60"]


def test_missing_start_date_column_is_refused(tmp_path):
    book = tmp_path / "map.xlsx"
    wb = Workbook()
    wb.active.append(["UPN", "Intervention", "Exit Score"])
    wb.save(book)
    with pytest.raises(WorkbookError) as caught:
        update_map(book, [write_json(tmp_path / "i.json", SAM)])
    assert str(caught.value) == (
        f"{book}: the heading row of sheet 'Sheet' (row 1) has no column for Start Date (accepted headings: Start"
        " Date, Date Commenced, Started, Start); add it or rename your heading")


def test_a_map_without_a_table_grows_its_drop_downs_and_formats(tmp_path):
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = tmp_path / "plain.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Provision"
    ws.append(["Provision map 2026-27"])
    ws.append(["Pupil", "UPN", "Intervention", "Start Date", "Impact Rating", "Notes"])
    ws.append(["Samuel Kirkwood", "R801200021031", "Lego-based therapy", date(2026, 9, 14), None, "Keep"])
    dv = DataValidation(type="list", formula1='"+1,0,-1"')
    dv.add("E3:E3")
    ws.add_data_validation(dv)
    ws.conditional_formatting.add("E3:E3", CellIsRule(operator="equal", formula=['"-1"'], font=Font(color="9C0006")))
    wb.save(book)
    new = {**SAM, "intervention": "ELSA", "start_date": "2026-09-28", "pupil_name": "Sam Kirkwood"}
    result = update_map(book, [write_json(tmp_path / "i.json", SAM, new)], now=NOW)
    assert (result.rows_updated, result.rows_added) == (1, 1)
    sheet = load_map_sheet(book)
    assert 'sqref="E3:E4"' in sheet and sheet.count('sqref="E3:E4"') == 2
    assert row_of(book, "R801200021031", "Lego-based therapy")["pupil"] == "Samuel Kirkwood"
    assert row_of(book, "R801200021031", "Lego-based therapy")["notes"] == "Keep"
    assert row_of(book, "R801200021031", "ELSA")["pupil"] == "Samuel Kirkwood"


def load_map_sheet(book: Path) -> str:
    import zipfile

    with zipfile.ZipFile(book) as zf:
        return zf.read("xl/worksheets/sheet1.xml").decode()


REGISTER = bundled("samples", "register.xlsx")


def tracker(path: Path, *rows: list) -> Path:
    """A teacher's impact tracker with a DOB column, some rows without a UPN."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Impact tracker"
    ws.append(["Pupil", "DOB", "UPN", "Intervention", "Start date", "Exit score"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_with_the_register_a_row_without_a_upn_is_matched_by_name_and_date_of_birth(sample_map, tmp_path):
    sheet = tracker(tmp_path / "tracker.xlsx",
                    ["Sam Kirkwood", date(2016, 12, 29), None, "Lego-based therapy", date(2026, 9, 14), 55],
                    ["Sam Kirkwood", date(2016, 12, 30), None, "Lego-based therapy", date(2026, 9, 14), 56])
    without = update_map(sample_map, [sheet], now=NOW, dry_run=True)
    assert without.changes == [] and [str(p) for p in without.problems] == [
        f"Error: {sheet}, row {n}, column 'UPN', Sam Kirkwood: the UPN is blank, so formkit"
        " cannot tell which provision this is; fill it in" for n in (2, 3)]
    result = update_map(sample_map, [sheet], now=NOW, register=REGISTER)
    assert result.change_lines() == ["Row 21 (Sam Kirkwood (R801200021031), Lego-based therapy from 14/09/2026):",
                                     "  Provision!T21: (blank) -> 55"]
    assert [str(p) for p in result.problems] == [
        f"Error: {sheet}, row 3, column 'UPN', Sam Kirkwood: the UPN is blank, and no one"
        f" pupil in the register {REGISTER} has this name and date of birth, so formkit cannot tell which provision"
        " this is; fill in the UPN"]
    assert row_of(sample_map, "R801200021031", "Lego-based therapy")["exit_score"] == 55


def test_impact_forms_are_read_with_the_register(sample_map, tmp_path):
    from formkit.ooxml import fill_document

    from tests.formhelpers import blank_form

    form = tmp_path / "Kirkwood, Sam - Impact.docx"
    form.write_bytes(fill_document(blank_form("impact", "R801200021031"), {
        "pupil_name": "Ruby Clarke", "intervention": "Lego-based therapy", "start_date": "14/09/2026",
        "exit_score": "55"}))
    assert update_map(sample_map, [form], now=NOW, dry_run=True).problems == []
    result = update_map(sample_map, [form], now=NOW, dry_run=True, register=REGISTER)
    assert [str(p) for p in result.problems] == [
        f"Warning: {form}, column 'upn': the form names 'Ruby Clarke' but UPN R801200021031 is Sam Kirkwood on the"
        " register; check the form is about the right child"]
    assert [str(c) for c in result.changes] == ["Provision!T21: (blank) -> 55"]


def test_with_the_register_a_pupil_on_the_map_keeps_the_maps_details(sample_map, tmp_path):
    record = {**SAM, "pupil_name": "Samuel Kirkwood", "intervention": "Drawing and talking",
              "start_date": "2027-01-11"}
    stranger = {**SAM, "upn": "B801200005001", "pupil_name": "Nobody Here", "intervention": "Lexia"}
    result = update_map(sample_map, [write_json(tmp_path / "j.json", record, stranger)], now=NOW, dry_run=True,
                        register=REGISTER)
    lines = result.change_lines()
    assert lines[lines.index("Row 31 (new: Samuel Kirkwood (R801200021031), Drawing and talking from"
                             " 11/01/2027):") + 1:][:5] == [
        "  Provision!A31: (blank) -> R801200021031", "  Provision!B31: (blank) -> Sam Kirkwood",
        "  Provision!C31: (blank) -> Year 5", "  Provision!D31: (blank) -> 5D",
        "  Provision!E31: (blank) -> Social, emotional and mental health"]
    assert result.notes == [
        "row 32 (Nobody Here (B801200005001), Lexia from 14/09/2026) is new: fill in its Year, Class, Area of Need,"
        f" which the records do not give (UPN B801200005001 is not in the register {REGISTER})"]


def test_an_update_leaves_the_document_properties_as_they_were(sample_map, tmp_path):
    import warnings
    import zipfile

    from openpyxl import load_workbook

    from formkit.files import CONFIDENTIAL

    def members(book: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(book) as zf:
            return {name: zf.read(name) for name in zf.namelist()}

    before = members(sample_map)
    record = {**SAM, "intervention": "Drawing and talking", "start_date": "2027-01-11"}
    result = update_map(sample_map, [write_json(tmp_path / "i.json", SAM, record)], now=NOW)
    after = members(sample_map)
    assert result.rows_updated == 1 and result.rows_added == 1
    assert {name for name in before if before[name] != after[name]} == {"xl/worksheets/sheet1.xml",
                                                                         "xl/tables/table1.xml"}
    assert after["docProps/core.xml"] == before["docProps/core.xml"]
    assert after["docProps/app.xml"] == before["docProps/app.xml"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = load_workbook(sample_map, read_only=True)
    assert book.properties.category == CONFIDENTIAL
    book.close()


def test_an_update_fills_the_placeholder_rows_new_wrote_instead_of_listing_a_pupil_twice(tmp_path):
    from formkit.provision.report import build_report

    book = tmp_path / "Provision map.xlsx"
    new_map(bundled("samples", "register.xlsx"), book, settings=SETTINGS)
    before = {r.number: r.text("upn") for r in ProvisionMap(book).rows}
    result = update_map(book, [bundled("samples", "provisions.xlsx")], now=NOW)
    rows = ProvisionMap(book).rows
    reference = tmp_path / "built with provisions.xlsx"
    new_map(bundled("samples", "register.xlsx"), reference, settings=SETTINGS,
            provisions=bundled("samples", "provisions.xlsx"))
    given = sorted((r.text("upn"), r.text("intervention")) for r in ProvisionMap(reference).rows)
    assert sorted((r.text("upn"), r.text("intervention")) for r in rows if r.text("intervention")) == given
    with_provision = {upn for upn, _ in given}
    assert 0 < len(with_provision) < len(before)
    # each pupil's first provision went into the row new wrote for them: the same row, the same pupil
    for number, upn in before.items():
        row = next(r for r in rows if r.number == number)
        assert row.text("upn") == upn
        assert bool(row.text("intervention")) == (upn in with_provision)
    placeholders = [r.text("upn") for r in rows if not r.text("intervention")]
    assert not set(placeholders) & with_provision
    assert len(placeholders) == len(set(placeholders))
    assert result.rows_updated == len(with_provision)
    assert result.rows_added == len(given) - len(with_provision)
    assert build_report(book).waiting == len(placeholders) == len(before) - len(with_provision)
    again = update_map(book, [bundled("samples", "provisions.xlsx")], now=NOW)
    assert again.changes == []


def test_a_written_row_that_is_not_well_formed_is_caught_and_nothing_is_written(sample_map, tmp_path, monkeypatch):
    """The check after writing parses the rows formkit wrote (not the whole
    sheet again): a row whose text went unescaped reads back as intended
    through the sheet's byte positions, but is refused as not well-formed."""
    from formkit.ooxml import sheet_editor

    before = sample_map.read_bytes()
    monkeypatch.setattr(sheet_editor, "_xml_text", lambda text: text.encode("utf-8"))
    record = {**SAM, "comment": "Takes turns & shares"}
    with pytest.raises(WorkbookError) as caught:
        update_map(sample_map, [write_json(tmp_path / "impact.json", record)], now=NOW)
    assert str(caught.value).startswith(f"{sample_map}: the updated workbook would not open (")
    assert "its part xl/worksheets/sheet1.xml is not well-formed XML" in str(caught.value)
    assert str(caught.value).endswith("; nothing was written")
    assert sample_map.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Provision map.xlsx", "impact.json"]


@pytest.mark.parametrize("damage,why", [
    (lambda parts: {**parts, "docProps/app.xml": parts["docProps/app.xml"] + b" "},
     "part docProps/app.xml did not come out as intended"),
    (lambda parts: {**parts, "xl/extra.xml": b"<extra/>"}, "part xl/extra.xml is not meant to be there"),
    (lambda parts: {name: body for name, body in parts.items() if name != "docProps/app.xml"},
     "part docProps/app.xml is missing"),
])
def test_a_written_file_that_differs_from_what_was_checked_is_refused(sample_map, tmp_path, monkeypatch, damage, why):
    """The edited sheet is read back from memory while the package is
    compressed; the file on disk must then hold exactly those parts, byte for
    byte: an unchanged part that came out different, a part nobody wrote or a
    part left out, and nothing is replaced."""
    from formkit.ooxml import workbook_file
    from formkit.ooxml.zip_members import build_package

    def damaged(package, changed, added, source):
        data = build_package(package, changed, added, source)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = {info.filename: zf.read(info) for info in zf.infolist()}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, body in damage(parts).items():
                zf.writestr(name, body)
        return out.getvalue()

    before = sample_map.read_bytes()
    monkeypatch.setattr(workbook_file, "build_package", damaged)
    with pytest.raises(WorkbookError) as caught:
        update_map(sample_map, [write_json(tmp_path / "impact.json", SAM)], now=NOW)
    assert str(caught.value) == f"{sample_map}: the updated workbook did not check out ({why}); nothing was written"
    assert sample_map.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Provision map.xlsx", "impact.json"]
