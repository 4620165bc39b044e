"""What a school meets in its first week at the command line (issue 11): a
folder that is not there, a register without contacts, and warnings that are
said once, by the runs they matter to."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from formkit.cli import cli
from formkit.resources import bundled

SAMPLES = bundled("samples")
ZOE, RUBY = "Z801200026004", "L801200025022"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_reading_a_folder_that_is_not_there_says_so_like_a_missing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("read", "Returned", "missing.docx")
    assert result.exit_code == 1
    assert result.output == (
        "Error: Returned: file or folder not found; check the name and the folder\n"
        "Error: missing.docx: file not found; check the name and the folder\n"
        "2 files: 0 read, 0 read with warnings, 2 rejected; 0 records.\n"
        "Nothing written: no record could be read.\n")


def test_reading_an_empty_folder_says_it_holds_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Returned").mkdir()
    (tmp_path / "Returned" / "Thumbs.db").write_bytes(b"x")
    result = run("read", "Returned")
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: Returned: the folder holds no files to read; put the returned forms (.docx, .pdf or .xlsx) in it\n")


def test_register_check_warns_when_letters_would_have_no_one_to_go_to(tmp_path):
    register = tmp_path / "register.csv"
    shutil.copy(SAMPLES / "register.csv", register)
    result = run("register", "check", str(register))
    assert result.exit_code == 0
    assert (f"Warning: {register}: no pupil on the SEN register has a contact, so letters home cannot be made; add a"
            " sheet named Contacts (one row per parent or carer, keyed by UPN) or give --contacts FILE\n"
            ) in result.output
    assert result.output.endswith("0 errors, 2 warnings.\n")


def test_register_check_names_a_pupil_missing_from_the_contacts_sheet(tmp_path):
    register, contacts = tmp_path / "register.csv", tmp_path / "contacts.csv"
    shutil.copy(SAMPLES / "register.csv", register)
    contacts.write_text("UPN,Contact Name,Address,Postcode\n"
                        "L801200025022,Mrs Jo Clarke,1 High Street,EX1 1AA\n", encoding="utf-8")
    result = run("register", "check", str(register), "--contacts", str(contacts))
    assert "Ruby Clarke" not in result.output
    assert (f"Warning: {register}, row 5, Aarav Chaudhry (X801200026022): there are no contacts for this pupil in"
            f" {contacts}, so no letter home can be made for them; add a row for each parent or carer\n"
            ) in result.output
    assert result.output.count("there are no contacts for this pupil") == 22


def test_a_warning_is_said_once_and_targets_do_not_trouble_a_letter_run(tmp_path):
    """A register whose Targets sheet leaves two pupils out: the IEP run for one
    says so once (not "Warning: Warning:"), and nothing of the other; the letter
    run, whose letter shows no targets, does not mention targets at all."""
    book = load_workbook(SAMPLES / "register.xlsx")
    sheet = book["Targets"]
    for number in reversed([row[0].row for row in sheet.iter_rows(min_row=2) if row[0].value in (ZOE, RUBY)]):
        sheet.delete_rows(number)
    register = tmp_path / "register.xlsx"
    book.save(register)
    ieps = run("generate", "ieps", "--register", str(register), "--out", str(tmp_path / "IEPs"), "--only", ZOE,
               "--term", "Autumn 2026")
    assert ieps.exit_code == 0, ieps.output
    assert "Warning: Warning:" not in ieps.output
    assert ieps.output.count(f"Zoë Whitmore ({ZOE})") == 1
    assert ieps.output.count("Warning:") == 1  # nothing about the pupils not chosen
    assert (f"Warning: {register}, sheet 'SEN Register', row 7, Zoë Whitmore ({ZOE}): there are no targets for this"
            f" pupil in {register}, sheet 'Targets'; the IEP will have blank target rows to fill in\n") in ieps.output
    assert "contact" not in ieps.output
    letters = run("generate", "letters", "--register", str(register), "--letter", "iep_cover", "--out",
                  str(tmp_path / "Letters"), "--only", ZOE, "--attach-ieps", str(tmp_path / "IEPs"),
                  "--date", "2026-09-14")
    assert letters.exit_code == 0, letters.output
    assert "Warning: Warning:" not in letters.output
    assert "target" not in letters.output.lower(), letters.output


RETURNED = SAMPLES / "returned"


def test_read_without_out_shows_a_short_table_of_what_was_read(tmp_path):
    result = run("read", str(RETURNED / "Kirkwood, Sam - Impact.docx"), str(RETURNED / "Adeyemi, Grace - Referral.docx"),
                 "--store", str(tmp_path / "r.sqlite"))
    assert result.exit_code == 0, result.output
    table = result.output.split("What was read (every value: give --out FILE.xlsx):\n", 1)[1].split("Records store")[0]
    assert table == (
        "impact (1):\n"
        "  Pupil                         Intervention        Delivered by    Start date  End date\n"
        "  Sam Kirkwood (R801200021031)  Lego-based therapy  Mrs Ellis (TA)  14/09/2026  04/12/2026\n"
        "referral (1):\n"
        "  Pupil                          Name of carer  Concern type  Date        Referred by\n"
        "  Grace Adeyemi (G801200020049)  Funmi Adeyemi  SEND          05/10/2026  Ms Lawrence\n")


def test_a_referral_read_as_an_impact_form_is_said_to_be_a_referral(tmp_path):
    result = run("read", str(RETURNED / "Adeyemi, Grace - Referral.docx"), "--kind", "impact",
                 "--store", str(tmp_path / "r.sqlite"))
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: {RETURNED / 'Adeyemi, Grace - Referral.docx'}: is a referral form, not an intervention impact form;"
        " read it with --kind referral, or --kind auto\n")


def test_a_pdf_impact_form_read_as_a_referral_is_said_to_be_an_impact_form(tmp_path):
    pdf = Path(__file__).parent / "data" / "forms" / "impact.pdf"
    result = run("read", str(pdf), "--kind", "referral", "--store", str(tmp_path / "r.sqlite"))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {pdf}: is an intervention impact form, not a referral form; read it"
                                    " with --kind impact, or --kind auto\n")


def test_only_takes_several_upns_as_the_readme_shows(tmp_path):
    out = tmp_path / "Forms"
    result = run("generate", "forms", "--kind", "impact", "--register", str(SAMPLES / "register.xlsx"), "--out",
                 str(out), "--only", ZOE, "L801200025022", "--term", "Autumn 2026")
    assert result.exit_code == 0, result.output
    assert sorted(p.name.split(" (")[1][:13] for p in out.rglob("*.docx")) == ["L801200025022", ZOE]
    stray = run("generate", "forms", "--kind", "impact", "--register", str(SAMPLES / "register.xlsx"), "--out",
                str(out), "--only", ZOE, "--overwrite", "extra")
    assert stray.exit_code == 2 and "Got unexpected extra argument (extra)" in stray.output
