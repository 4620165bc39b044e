"""formkit register import: a transfer file's pupils written into a register
workbook, new or the SENCo's own, and read back by load_register."""

from __future__ import annotations

import os
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.table import Table

from formkit.cli import cli
from formkit.errors import OutputError, WorkbookError
from formkit.register import import_transfers, load_register
from formkit.resources import bundled
from formkit.validation import to_json

DATA = Path(__file__).resolve().parents[1] / "data" / "ctf"
TRANSFER = DATA / "transfer.xml"
TODAY = date(2026, 9, 1)
NOW = datetime(2026, 9, 1, 10, 15, 0)


def same_pupils(into: Path, transfer: Path = TRANSFER, drop: tuple[str, ...] = (), only: set[str] | None = None
                ) -> None:
    """Every pupil of the transfer file reads back from the workbook as it reads
    from the file (``only`` those fields; ``drop`` those fields of contacts)."""
    workbook = load_register(into, today=TODAY)
    for pupil in load_register(transfer, today=TODAY).pupils:
        back = workbook.by_upn(pupil.upn)
        assert back is not None, pupil.label
        mine, theirs = ({k: v for k, v in to_json(p).items() if k != "targets" and (only is None or k in only)}
                        for p in (pupil, back))
        for contact in mine.get("contacts", []) + theirs.get("contacts", []):
            for name in drop:
                contact.pop(name)
        assert theirs == mine, pupil.label


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_new_register_workbook_in_formkits_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = run("register", "import", str(TRANSFER))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Read {TRANSFER}: Common Transfer File 25.0 (full) from Oakfield Primary School (801/2000), 4 pupils.",
        "Added: Kuba O'Brien-Kowalski (M801200031001), row 2 of sheet 'Register'.",
        "Added: Isla McDonald (B801200031002), row 3 of sheet 'Register'.",
        "Added: Siân Pritchard (Q801200031003), row 4 of sheet 'Register'.",
        "Added: Tobi Adeyemi (E801200031004), row 5 of sheet 'Register'.",
        "Wrote register.xlsx: 4 pupils and 6 contacts, on its Register and Contacts sheets, with an empty Targets"
        " sheet. Open it in Excel to add classes and targets."]
    into = tmp_path / "register.xlsx"
    assert os.stat(into).st_mode & 0o777 == 0o600
    same_pupils(into)
    wb = load_workbook(into)
    assert wb.sheetnames == ["Register", "Contacts", "Targets"]
    assert wb.properties.category == "Confidential: SEN information (special category data)"
    assert [c.value for c in wb["Targets"][1]][:2] == ["UPN", "Target"] and wb["Targets"].max_row == 1
    register = wb["Register"]
    assert [c.value for c in register[2]][:7] == ["M801200031001", "O'Brien-Kowalski", "Jakub", "Kuba", None,
                                                  datetime(2017, 3, 14), "Y4"]
    assert register["F2"].number_format == "dd/mm/yyyy" and register.freeze_panes == "A2"
    contacts = wb["Contacts"]
    assert [c.value for c in contacts[3]] == [
        "M801200031001", "Mr Tomasz Kowalski", "Parent", "Yes", "Mr Kowalski", "Flat 2", "14 Mill & Forge Lane",
        None, None, "Exampleton", None, "EX2 7HB", "t.kowalski@example.org", "07700 900123 (mobile)", "POL"]


def test_importing_again_changes_nothing_and_says_why(tmp_path: Path):
    into = tmp_path / "register.xlsx"
    import_transfers([TRANSFER], into, today=TODAY)
    before = into.read_bytes()
    result = import_transfers([TRANSFER], into, today=TODAY)
    assert into.read_bytes() == before and not result.written and result.backup is None
    assert result.kept[0] == ("Kuba O'Brien-Kowalski (M801200031001) is already on the register (sheet 'Register',"
                              " row 2), so it was not changed.")
    assert result.text().splitlines()[-1] == f"{into} is unchanged: no pupil to add."
    assert list(tmp_path.iterdir()) == [into]


def test_rows_are_added_to_the_senco_workbook_and_nothing_else_changes(tmp_path: Path):
    into = tmp_path / "register.xlsx"
    shutil.copy(bundled("samples", "register.xlsx"), into)
    original = into.read_bytes()
    before = load_register(into, today=TODAY)
    result = import_transfers([TRANSFER], into, today=TODAY, now=NOW)
    assert result.written and result.backup == tmp_path / "register (backup 2026-09-01 101500).xlsx"
    assert result.backup.read_bytes() == original
    assert result.notes == ["sheet 'Contacts' has no column for Phone, so those values were not written; add the"
                            " column and import again, or type them in"]
    old, new = parts(result.backup), parts(into)
    assert list(new) == list(old)
    changed = {name for name in old if old[name] != new[name]}
    assert changed == {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet3.xml"}  # it recalculates already
    after = load_register(into, today=TODAY)
    assert after.pupils[:len(before.pupils)] == before.pupils
    same_pupils(into, drop=("phone",))
    sheet = load_workbook(into)["SEN Register"]
    assert [sheet.cell(35, c).value for c in (1, 2, 6)] == ["M801200031001", "O'Brien-Kowalski", "Y4"]  # its style
    assert sheet.cell(37, 6).value == "R"


def test_a_pupil_already_there_is_reported_with_what_differs(tmp_path: Path):
    into = tmp_path / "register.xlsx"
    shutil.copy(bundled("samples", "register.xlsx"), into)
    zoe = load_register(into, today=TODAY).by_upn("Z801200026004")
    assert zoe is not None and zoe.sen_status.value == "K"
    ctf = tmp_path / "zoe.xml"
    ctf.write_text("<CTfile><Header><CTFversion>25.0</CTFversion></Header><CTFpupilData><Pupil><UPN>Z801200026004"
                   "</UPN><Surname>WHITMORE</Surname><Forename>ZOË</Forename><DOB>2022-03-14</DOB><BasicDetails>"
                   "<NCyearActual>R</NCyearActual></BasicDetails><SENhistory><SEN><StartDate>2026-06-01</StartDate>"
                   "<SENprovision>E</SENprovision></SEN><SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>"
                   f"{zoe.primary_need}</SENtype></SENneed></SENneeds></SENhistory></Pupil></CTFpupilData></CTfile>",
                   encoding="utf-8")
    original = into.read_bytes()
    result = import_transfers([ctf], into, today=TODAY)
    assert into.read_bytes() == original
    row = next(n for n, line in enumerate(load_workbook(into)["SEN Register"].iter_rows(values_only=True), 1)
               if line[0] == "Z801200026004")
    assert result.kept == [f"Zoë Whitmore (Z801200026004) is already on the register (sheet 'SEN Register', row {row}),"
                           " so it was not changed; check: SEN status E in the transfer file, K in the register."]


def test_a_workbook_without_a_contacts_sheet_gets_one(tmp_path: Path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Register"
    ws.append(["UPN", "Surname", "Forename", "DOB", "Year", "SEN Status", "Primary Need", "Address"])
    ws.append(["B801200005001", "Nowak", "Ola", date(2018, 2, 1), "Year 3", "K", "SPLD", ""])
    ws["D2"].number_format = "dd/mm/yyyy"
    ws.add_table(Table(displayName="Pupils", ref="A1:H2"))
    into = tmp_path / "register.xlsx"
    wb.save(into)
    original = parts(into)
    result = import_transfers([TRANSFER], into, today=TODAY)
    assert result.notes[-1] == (f"{into} had no Contacts sheet, so formkit added one with the new pupils' contacts;"
                                " if you keep contacts in a separate file, copy them across")
    new = parts(into)
    assert {n for n in original if original[n] != new[n]} == {
        "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/worksheets/sheet1.xml",
        "xl/tables/table1.xml"}
    assert set(new) - set(original) == {"xl/worksheets/sheet2.xml"}
    book = load_workbook(into)
    assert book.sheetnames == ["Register", "Contacts"]
    assert book["Register"].tables["Pupils"].ref == "A1:H6"
    assert book["Register"]["E3"].value == "Year 4" and book["Register"]["D3"].is_date
    same_pupils(into, only={"upn", "legal_surname", "legal_forename", "dob", "year", "sen_status", "primary_need",
                            "contacts"})
    assert load_register(into, today=TODAY).by_upn("B801200005001") is not None


def test_pupils_with_problems_are_written_to_correct_and_the_rest_reported(tmp_path: Path):
    into = tmp_path / "register.xlsx"
    result = run("register", "import", str(DATA / "problems.xml"), "--into", str(into))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "Added: Arjun Patel (L801200031010), row 6 of sheet 'Register'." in lines
    assert [line for line in lines if line.startswith("Not imported:")] == [
        "Not imported: Pupil 6 (Jo Smith) of problems.xml: it has no usable UPN, so formkit cannot keep it apart"
        " from other pupils; type the pupil into the register once you have the UPN",
        "Not imported: Pupil 7 (Alfie Green, UPN A801200031011) of problems.xml: the transfer file gives UPN"
        " A801200031011 to more than one pupil; ask the sending school which is right",
        "Not imported: Pupil 8 (Alfie Green, UPN A801200031011) of problems.xml: the transfer file gives UPN"
        " A801200031011 to more than one pupil; ask the sending school which is right"]
    check = [str(p) for p in load_register(into, today=TODAY).errors]
    assert check == [
        f"Error: {into}, sheet 'Register', row 6, column 'DOB', Arjun Patel (L801200031010): 2016-13-01 is not a"
        " real date; check it and write it as dd/mm/yyyy",
        f"Error: {into}, sheet 'Register', row 6, column 'Year', Arjun Patel (L801200031010): 'X' is not a year"
        " group; write it as 3, Y3 or Year 3 (R for Reception)",
        f"Error: {into}, sheet 'Register', row 6, column 'SEN Status', Arjun Patel (L801200031010): 'A' is the"
        " pre-2014 code for School Action; write K (SEN support) instead"]


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path):
    ctf = tmp_path / "formula.xml"
    ctf.write_text(TRANSFER.read_text(encoding="utf-8").replace("<Surname>PRITCHARD</Surname>",
                                                                "<Surname>=HYPERLINK(\"x\")</Surname>"), encoding="utf-8")
    into = tmp_path / "register.xlsx"
    import_transfers([ctf], into, today=TODAY)
    cell = load_workbook(into)["Register"]["B4"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("x")', "s")
    mine = tmp_path / "mine.xlsx"
    shutil.copy(bundled("samples", "register.xlsx"), mine)
    import_transfers([ctf], mine, today=TODAY)
    assert load_register(mine, today=TODAY).by_upn("Q801200031003").legal_surname == '=HYPERLINK("x")'
    assert '<f>' not in parts(mine)["xl/worksheets/sheet1.xml"].decode("utf-8").split("Q801200031003")[1][:400]


def test_an_open_workbook_a_csv_and_a_dry_run_write_nothing(tmp_path: Path):
    into = tmp_path / "register.xlsx"
    shutil.copy(bundled("samples", "register.xlsx"), into)
    original = into.read_bytes()
    (tmp_path / "~$register.xlsx").write_bytes(b"owner")
    with pytest.raises(WorkbookError, match="is open in Excel"):
        import_transfers([TRANSFER], into, today=TODAY)
    (tmp_path / "~$register.xlsx").unlink()
    dry = import_transfers([TRANSFER], into, today=TODAY, dry_run=True)
    assert dry.text().splitlines()[-1] == f"Dry run: {into} would get 4 pupils and 6 contacts. Nothing was written."
    assert into.read_bytes() == original and sorted(p.name for p in tmp_path.iterdir()) == ["register.xlsx"]
    with pytest.raises(OutputError) as caught:
        import_transfers([TRANSFER], tmp_path / "register.csv", today=TODAY)
    assert str(caught.value) == (f"{tmp_path / 'register.csv'}: formkit imports into an Excel workbook; give a name"
                                 " ending in .xlsx (your own register workbook, or a new one)")
    assert not (tmp_path / "register.csv").exists() and not (tmp_path / "new.xlsx").exists()
    import_transfers([TRANSFER], tmp_path / "new.xlsx", today=TODAY, dry_run=True)
    assert not (tmp_path / "new.xlsx").exists()


def test_two_transfer_files_at_once_add_a_shared_pupil_once(tmp_path: Path):
    into = tmp_path / "register.xlsx"
    result = import_transfers([DATA / "partial.xml", DATA / "partial.xml"], into, today=TODAY)
    assert [label for label, _ in result.added] == ["Mai Nguyen (T801200031014)", "Chidi Okafor (G801200031015)"]
    assert result.kept == ["Mai Nguyen (T801200031014) is in two of the transfer files; it is added once",
                           "Chidi Okafor (G801200031015) is in two of the transfer files; it is added once"]
    assert str(result.problems[0]).startswith(f"Warning: {DATA / 'partial.xml'}: a partial transfer file has no"
                                              " contacts")
    assert load_workbook(into)["Contacts"].max_row == 1
