"""Row limits: a register holds at most 10,000 pupils' rows unless a library
caller asks for more; rows that come several per pupil (targets, contacts,
provision and tracker sources) may be five times as many. Real files, written
here and read by formkit."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from stdnum.gb import upn as upn_check

from formkit.errors import RegisterError
from formkit.provision.sources import read_sources
from formkit.register import MAX_DETAIL_ROWS, MAX_ROWS, load_register

TODAY = date(2026, 9, 1)
REGISTER_HEADINGS = ["UPN", "Surname", "Forename", "DOB", "Year", "SEN Status"]
TARGET_HEADINGS = ["UPN", "Area", "Target"]


def upn(i: int) -> str:
    body = f"8012000{20 + i // 1000:02d}{i % 1000:03d}"
    return upn_check.calc_check_digit(body) + body


def pupil_row(i: int) -> list[str]:
    return [upn(i), f"Surname{i}", f"Forename{i}", "01/02/2018", "Y3", "K"]


def target_rows(pupils: int, each: int) -> list[list[str]]:
    return [[upn(i), "Cognition and learning", f"Target {n + 1} of pupil {i}"] for i in range(pupils) for n in range(each)]


def write_csv(path: Path, headings: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(headings)
        writer.writerows(rows)
    return path


def test_the_limits_are_ten_thousand_pupils_and_five_rows_each() -> None:
    assert (MAX_ROWS, MAX_DETAIL_ROWS) == (10_000, 50_000)


def test_a_register_over_the_limit_is_refused_unless_the_caller_allows_more(tmp_path: Path) -> None:
    register = write_csv(tmp_path / "trust.csv", REGISTER_HEADINGS, [pupil_row(i) for i in range(MAX_ROWS + 1)])
    with pytest.raises(RegisterError) as refused:
        load_register(register, today=TODAY)
    assert str(refused.value) == (f"{register}: holds more than 10,000 rows; formkit reads up to 10,000 (five times"
                                  " a large secondary school's roll). Check that this is the right file, or split it")
    read = load_register(register, today=TODAY, max_rows=20_000)
    assert len(read.pupils) == MAX_ROWS + 1 and read.pupils[-1].upn == upn(MAX_ROWS)
    with pytest.raises(RegisterError, match=r"holds more than 5,000 rows; formkit reads up to 5,000 \(the limit this"
                                            r" read was given\)\. Check that"):
        load_register(register, today=TODAY, max_rows=5_000)


def test_a_register_of_exactly_the_limit_is_read_with_its_title_and_heading_rows(tmp_path: Path) -> None:
    """The limit counts pupils' rows: the heading row and title rows above it are not among them."""
    register = tmp_path / "full.csv"
    with register.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerows([["SEN register, Elm Street Academy"], ["Exported 01/09/2026"], [], REGISTER_HEADINGS])
        writer.writerows(pupil_row(i) for i in range(MAX_ROWS))
    read = load_register(register, today=TODAY)
    assert len(read.pupils) == MAX_ROWS and read.pupils[-1].upn == upn(MAX_ROWS - 1)


def test_a_targets_file_may_hold_five_rows_a_pupil_and_no_more(tmp_path: Path) -> None:
    pupils = 2_600
    register = write_csv(tmp_path / "register.csv", REGISTER_HEADINGS, [pupil_row(i) for i in range(pupils)])
    targets = write_csv(tmp_path / "targets.csv", TARGET_HEADINGS, target_rows(pupils, 4))
    read = load_register(register, targets=targets, today=TODAY)
    assert [t.target for t in read.pupils[-1].targets] == [f"Target {n + 1} of pupil {pupils - 1}" for n in range(4)]
    assert sum(len(p.targets) for p in read.pupils) == 4 * pupils > MAX_ROWS
    too_many = write_csv(tmp_path / "too_many.csv", TARGET_HEADINGS,
                         [[upn(0), "Cognition and learning", "Again"]] * (MAX_DETAIL_ROWS + 1))
    with pytest.raises(RegisterError) as refused:
        load_register(register, targets=too_many, today=TODAY)
    assert str(refused.value) == (f"{too_many}: holds more than 50,000 rows; formkit reads up to 50,000 (five rows"
                                  " for each of 10,000 pupils). Check that this is the right file, or split it")


def test_a_targets_sheet_beyond_the_pupil_limit_is_read_whole_from_the_register_workbook(tmp_path: Path) -> None:
    """The register sheet is read first at 10,000 rows; the Targets sheet of the
    same workbook, cut short there, is read again at its own limit, not lost."""
    pupils = 2_600
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Register")
    sheet.append(REGISTER_HEADINGS)
    for i in range(pupils):
        sheet.append(pupil_row(i))
    sheet = workbook.create_sheet("Targets")
    sheet.append(TARGET_HEADINGS)
    for row in target_rows(pupils, 4):
        sheet.append(row)
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    read = load_register(path, today=TODAY)
    assert len(read.pupils) == pupils
    assert all(len(p.targets) == 4 for p in read.pupils)
    assert read.pupils[-1].targets[-1].target == f"Target 4 of pupil {pupils - 1}"


def test_a_provisions_sheet_of_several_years_is_read_past_the_pupil_limit(tmp_path: Path) -> None:
    rows = [[upn(r // 6), "ELSA", f"{1 + r % 28:02d}/09/2026"] for r in range(12_000)]
    provisions = write_csv(tmp_path / "provisions.csv", ["UPN", "Intervention", "Start Date"], rows)
    found = read_sources([provisions])
    assert not found.errors, found.errors[:3]
    assert len(found.records) == 12_000 and found.records[-1].upn == upn(11_999 // 6)
