"""One-page profiles and the register's own columns (pupil.extra), for real:
the profiles are rendered from the bundled template and read back with
python-docx; one is made into a PDF with LibreOffice to show it fits a page."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from formkit.cli import cli
from formkit.documents import convert, generate
from formkit.ehc import generate_profiles, read_profiles
from formkit.errors import RegisterError
from formkit.register import load_register
from formkit.resources import bundled
from formkit.settings import load_settings

from tests.conftest import docx_text

SAMPLES = bundled("samples")
REGISTER = SAMPLES / "register.xlsx"
DAY = date(2026, 9, 14)
RUBY, ZOE, TOBIAH = "L801200025022", "Z801200026004", "Y801200026013"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def settings():
    return load_settings(None, cwd=SAMPLES)


@pytest.fixture(scope="module")
def register():
    return load_register(REGISTER)


def paragraphs(path: Path) -> list[str]:
    """Every paragraph of a .docx, body and table cells, in order (merged cells once)."""
    document = docx.Document(str(path))
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        seen = set()
        for cell in table._cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                found += [p.text for p in cell.paragraphs]
    return found


def profile_file(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Profiles"
    ws.append(["UPN", "What people like and admire about me", "What is important to me", "How best to support me",
               "Date"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_the_sample_profiles_sheet_is_read_by_upn(register):
    sheet = read_profiles(register)
    assert sheet is not None and sheet.source == f"{REGISTER}, sheet 'Profiles'"
    assert sheet.problems == [] and sheet.errors == {}
    ruby = sheet.rows[RUBY]
    assert ruby.important.splitlines()[0] == "Trains, especially steam trains"
    assert ruby.date == date(2026, 9, 14)


def test_a_profile_per_register_pupil_with_bullets_and_nobody_else(tmp_path, settings, register):
    report = generate_profiles(register, settings, tmp_path / "P", today=DAY)
    assert report.ok and report.count("written") == 23
    names = {r.file for r in report.results}
    assert "Year 1/Clarke, Ruby (L801200025022) - One-page profile.docx" in names
    path = tmp_path / "P" / "Year 1" / "Clarke, Ruby (L801200025022) - One-page profile.docx"
    text = docx_text(path)
    assert "ONE-PAGE PROFILE" in text and "Ruby Clarke" in text and "Date 14/09/2026" in text
    lines = paragraphs(path)
    assert "\u2022\tTrains, especially steam trains" in lines
    assert "\u2022\tWarn me before something changes" in lines
    assert "{%" not in text and "{{" not in text
    others = [p for p in register.pupils if p.upn != RUBY]
    for pupil in others:
        assert pupil.upn not in text and pupil.name not in text, pupil.label
    without = [w for w in report.warnings if "has no row in" in w]
    assert len(without) == 23 - 4
    assert f"Zoë Whitmore ({ZOE}) has no row" not in " ".join(without)


def test_a_pupil_without_a_row_gets_empty_boxes(tmp_path, settings, register):
    report = generate_profiles(register, settings, tmp_path / "P", only=["D801200022022", "N801200025004"],
                               today=DAY)
    assert report.ok
    assert report.warnings == [f"Łukasz Nowak (N801200025004) has no row in {REGISTER}, sheet 'Profiles': the "
                               "profile has empty boxes to fill in with them"]
    empty = paragraphs(tmp_path / "P" / "Year 1" / "Nowak, Łukasz (N801200025004) - One-page profile.docx")
    assert "What is important to me" in empty
    assert [p for p in empty if p.startswith("\u2022")] == []


def test_a_profiles_file_its_problems_and_a_pupil_not_on_the_register(tmp_path, settings, register):
    given = profile_file(tmp_path / "profiles.xlsx", [
        [TOBIAH, "Brilliant at building", "Football", "Let me move", "01/09/2026"],
        [ZOE, "Kind", "Dressing up", "Pictures", "31/02/2026"],
        [ZOE, "Kind", "Dressing up", "Pictures", ""],
        ["B801200005001", "x", "y", "z", ""],
        ["not a upn", "x", "y", "z", ""],
    ])
    report = generate_profiles(register, settings, tmp_path / "P", profiles=given, today=DAY)
    failed = {r.upn: r.reason for r in report.failed}
    assert failed == {ZOE: f"{given}: UPN {ZOE} is on rows 3 and 4; keep one profile row per pupil"}
    tobiah = next(r for r in report.results if r.upn == TOBIAH)
    assert tobiah.status == "written"  # no SEN, but the sheet has a profile for him
    problems = [w for w in report.warnings if w.startswith(str(given))]
    assert problems == [
        f"{given}, row 3, column 'Date': 31/02/2026 is not a real date; check it and write it as dd/mm/yyyy; the profile is written"
        " without a date",
        f"{given}, row 5, column 'UPN': UPN B801200005001 is not on the register in {REGISTER}, so this"
        " profile is not used; check the UPN",
        f"{given}, row 6, column 'UPN': 'not a upn' is not a UPN: a UPN is 13 characters, a letter then"
        " 12 digits (a temporary UPN ends in a letter); this row is not used",
    ]


def test_cli_generate_profiles_and_a_missing_profiles_file(tmp_path):
    result = run("generate", "profiles", "--register", str(REGISTER), "--out", str(tmp_path / "P"), "--only", RUBY)
    assert result.exit_code == 0, result.output
    assert "One-page profiles: 1 profiles written, 0 kept (already there), 0 failed, from template" \
           " one_page_profile.docx." in result.output
    again = run("generate", "profiles", "--register", str(REGISTER), "--out", str(tmp_path / "P"), "--only", RUBY)
    assert "0 profiles written, 1 kept" in again.output
    missing = run("generate", "profiles", "--register", str(REGISTER), "--out", str(tmp_path / "Q"),
                  "--profiles", str(tmp_path / "nope.xlsx"))
    assert missing.exit_code == 1
    assert missing.output.endswith(f"Error: {tmp_path / 'nope.xlsx'}: file not found; check the name and the folder\n")
    assert not (tmp_path / "Q").exists()


def test_the_profile_fits_one_a4_page(tmp_path, settings, register):
    report = generate_profiles(register, settings, tmp_path / "P", only=[RUBY], today=DAY)
    source = tmp_path / "P" / report.results[0].file
    done = convert([(source, tmp_path / "ruby.pdf")], work_dir=tmp_path)
    assert not done.failed
    reader = PdfReader(str(tmp_path / "ruby.pdf"))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Ruby Clarke" in text and "What people like and admire about me" in text
    assert "How best to support me" in text and "Use my Now & Next board and few words" in text


# ---- the register's own columns -----------------------------------------------------------


def extra_register(path: Path) -> Path:
    """The sample register with two columns of the school's own on the register sheet."""
    wb = load_workbook(REGISTER)
    ws = wb["SEN Register"]
    ws.cell(4, 17, "Favourite subject")
    ws.cell(4, 18, "Attendance")
    for row in range(5, ws.max_row + 1):
        if ws.cell(row, 1).value == RUBY:
            ws.cell(row, 17, "Music")
            ws.cell(row, 18, 0.955).number_format = "0.0%"
    wb.save(path)
    return path


def test_extra_columns_reach_templates_by_heading(tmp_path, settings):
    register = load_register(extra_register(tmp_path / "reg.xlsx"))
    ruby = register.by_upn(RUBY)
    assert ruby.extra == {"Favourite subject": "Music", "Attendance": "95.5%"}
    assert register.by_upn(ZOE).extra == {"Favourite subject": "", "Attendance": ""}
    template = tmp_path / "mine.docx"
    document = docx.Document()
    document.add_paragraph("{{ pupil.name }} likes \u201c{{ pupil.extra[\u201cFavourite subject\u201d] }}\u201d; "
                           "attendance {{ pupil.extra['Attendance'] }}")
    document.save(str(template))
    report = generate(register, settings, tmp_path / "out", template=template, only=[RUBY], term="Autumn 2026",
                      today=DAY)
    assert report.ok, report.failed
    text = docx_text(tmp_path / "out" / report.results[0].file)
    assert "Ruby Clarke likes \u201cMusic\u201d; attendance 95.5%" in text


def test_templates_check_lists_the_registers_own_columns(tmp_path):
    path = extra_register(tmp_path / "reg.xlsx")
    template = tmp_path / "mine.docx"
    document = docx.Document()
    document.add_paragraph("{{ pupil.extra['Favourite subject'] }} {{ pupil.extra['Shoe size'] }}")
    document.save(str(template))
    result = run("templates", "check", str(template), "--register", str(path))
    assert result.exit_code == 1
    assert 'Not supplied by formkit\'s data (fix the spelling; see docs/templates.md):\n  pupil.extra["Shoe size"]' \
           in result.output
    assert result.output.endswith(
        "The register's own columns, which templates can use:\n"
        '  pupil.extra["Favourite subject"]\n  pupil.extra["Attendance"]\n')
    assert 'Blank for 22 of 23 pupils: pupil.extra["Favourite subject"]' in result.output


def test_two_columns_with_one_heading_warn(tmp_path):
    path = tmp_path / "reg.csv"
    path.write_text("UPN,Surname,Forename,DOB,Year,SEN Status,Notes,Notes\n"
                    "B801200005001,Nowak,Ola,01/02/2017,Y3,K,first,second\n", encoding="utf-8")
    register = load_register(path)
    assert register.pupils[0].extra == {"Notes": "first"}
    assert [str(p) for p in register.warnings if p.topic != "contacts"][-1] == (
        f"Warning: {path}, row 1: two columns are headed 'Notes'; templates see the first as"
        ' pupil.extra["Notes"], so rename the other')
