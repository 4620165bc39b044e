"""Matching a form to its pupil by name and date of birth, with the register's names as schools write them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from stdnum.gb import upn as upn_check

from formkit.forms.record import PupilIndex
from formkit.register import load_register


def _register(tmp_path: Path, rows: list[list[str]]):
    path = tmp_path / "register.csv"
    lines = ["UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,SEN Status"]
    lines += [",".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_register(path, today=date(2026, 9, 1))


def _upn(body: str) -> str:
    return upn_check.calc_check_digit(body) + body


def test_a_preferred_name_that_differs_only_by_an_accent_still_matches_one_pupil(tmp_path: Path):
    zoe = _upn("801200026004")
    register = _register(tmp_path, [[zoe, "Whitmore", "Zoë", "Zoe", "03/02/2018", "Y3", "K"],
                                    [_upn("801200026005"), "Whitmore", "Amir", "", "03/02/2018", "Y3", "K"]])
    pupil, upn, warnings = PupilIndex(register).match("", "Zoe Whitmore", date(2018, 2, 3))
    assert (pupil.upn if pupil else None, upn) == (zoe, zoe), warnings


def test_two_pupils_of_one_name_and_birthday_are_never_guessed_between(tmp_path: Path):
    register = _register(tmp_path, [[_upn("801200026004"), "Begum", "Aisha", "", "03/02/2018", "Y3", "K"],
                                    [_upn("801200026005"), "Begum", "Aisha", "", "03/02/2018", "Y3", "K"]])
    pupil, upn, warnings = PupilIndex(register).match("", "Aisha Begum", date(2018, 2, 3))
    assert (pupil, upn) == (None, None)
    assert "kept without a register match" in warnings[-1]
