"""Registers too big or too odd: a million rows is refused quickly, many
problems of one kind are summarised, and control characters in cells (or Excel's
``_x000B_`` escapes) are cleaned on reading instead of stopping a batch part way.
The real command in its own process; the files are made here."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.hostile.test_hostile import MAX_RSS_MB, MAX_SECONDS, TERM, contents, run_measured

pytestmark = pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs POSIX wait4 to measure memory")
HEADINGS = "UPN,Surname,Forename,DOB,Year,SEN Status\n"


def test_a_register_of_a_million_rows_is_refused_quickly(tmp_path: Path):
    register = tmp_path / "million.csv"
    register.write_text(HEADINGS + "X,N,O,1/2/17,3,K\n" * 1_000_000, encoding="utf-8")
    assert 10 * 1024 * 1024 < register.stat().st_size < 20 * 1024 * 1024
    work = tmp_path / "work"
    work.mkdir()
    for command in (["register", "check", str(register)],
                    ["generate", "ieps", "--register", str(register), "--out", "out", *TERM]):
        code, output, seconds, peak_mb = run_measured(command, work)
        assert code == 1, output
        assert f"Error: {register}: holds more than 10,000 rows; formkit reads up to 10,000 (five times a large " \
               "secondary school's roll). Check that this is the right file, or split it" in output
        assert "Traceback" not in output and len(output.splitlines()) < 5
        assert contents(work) == [] and seconds < MAX_SECONDS and peak_mb < MAX_RSS_MB, (seconds, peak_mb)


def test_many_problems_of_one_kind_are_summarised(tmp_path: Path):
    register = tmp_path / "dates.csv"
    register.write_text(HEADINGS + "".join(f"B80120000{i:04d},Nowak,Ola,31/02/2017,Y3,K\n" for i in range(3000))
                        + "B801200005001,Nowak,Ola,01/02/2018,Y3,K\n" * 3000, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    code, output, seconds, peak_mb = run_measured(["register", "check", str(register)], work)
    assert code == 1 and "Traceback" not in output
    lines = output.splitlines()
    assert len(lines) < 200, len(lines)
    assert sum(line.startswith("Error: ") and "31/02/2017 is not a real date" in line for line in lines) == 50
    assert "... and 2,950 more errors like the ones above in the column 'DOB' (31/02/2017 is not a real date)." in lines
    assert any("UPN B801200005001 is on rows 3002, 3003, 3004, 3005 and 2,996 more" in line for line in lines)
    assert "6000 rows read" in lines[-1]
    assert contents(work) == [] and seconds < MAX_SECONDS and peak_mb < MAX_RSS_MB, (seconds, peak_mb)


def _document_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("word/document.xml").decode("utf-8")


def test_control_characters_in_a_csv_cell_are_cleaned_on_reading(tmp_path: Path):
    register = tmp_path / "register.csv"
    register.write_text(HEADINGS.strip() + ",Strengths\nB801200005001,Nowak,Ola\x01,01/02/2018,Y3,K,Reads\x0bwell\x1f\n",
                        encoding="utf-8")
    code, output, _, _ = run_measured(["generate", "ieps", "--register", str(register), "--out", "out", *TERM], tmp_path)
    assert code == 0, output
    assert "1 IEPs written, 0 kept (already there), 0 failed" in output
    [iep] = list((tmp_path / "out").rglob("*.docx"))
    xml = _document_text(iep)
    assert "Ola Nowak" in xml and "Reads" in xml and "well" in xml and "Reads well" not in xml
    assert not any(chr(c) in xml for c in (1, 0x0b, 0x1f))


def test_excel_escapes_in_a_workbook_cell_are_read_as_the_characters(tmp_path: Path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "SEN Register"
    sheet.append(["UPN", "Surname", "Forename", "DOB", "Year", "SEN Status", "Strengths"])
    sheet.append(["B801200005001", "Nowak", "Ola", "01/02/2018", "Y3", "K", "Reads_x000B_well, _x005F_x000B_ kept"])
    register = tmp_path / "register.xlsx"
    workbook.save(register)
    code, output, _, _ = run_measured(["generate", "ieps", "--register", str(register), "--out", "out", *TERM], tmp_path)
    assert code == 0, output
    [iep] = list((tmp_path / "out").rglob("*.docx"))
    xml = _document_text(iep)
    assert "Reads_x000B_well" not in xml and "Reads" in xml and "well, _x000B_ kept" in xml
