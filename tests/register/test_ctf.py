"""formkit.register.ctf: a Common Transfer File read as the register.

Golden files: tests/data/ctf/<name>.expected.json hold the pupils as
``formkit.validation.to_json``, the problems as strings and the report's summary.
After a deliberate change, rebuild them with FORMKIT_REGEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from formkit.codes import SenStatus
from formkit.errors import InputFileError, RegisterError
from formkit.register import Register, format_report, load_register
from formkit.register.ctf import read_transfer
from formkit.register.values import tidy_capitals, tidy_phone, tidy_phones
from formkit.validation import to_json

DATA = Path(__file__).resolve().parents[1] / "data" / "ctf"
TODAY = date(2026, 9, 1)


@pytest.fixture(autouse=True)
def _in_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA)


def golden(name: str, register: Register) -> dict[str, Any]:
    path = DATA / f"{name}.expected.json"
    got = {
        "rows_read": register.rows_read,
        "origin": register.origin,
        "pupils": [to_json(p) for p in register.pupils],
        "problems": [str(p) for p in register.problems],
        "report": format_report(register).splitlines()[-1],
    }
    if os.environ.get("FORMKIT_REGEN"):
        path.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert got == expected
    return expected


def test_a_full_transfer_file_gives_the_register_records() -> None:
    register = load_register("transfer.xml", today=TODAY)
    golden("transfer", register)
    assert register.origin == "Common Transfer File 25.0 (full) from Oakfield Primary School (801/2000)"
    assert [str(p) for p in register.problems] == [
        "Warning: transfer.xml: a transfer file holds no targets, so IEPs will have blank target rows to fill in;"
        " give a targets file"]
    kuba, isla, sian, tobi = register.pupils
    assert (kuba.label, kuba.sen_status, kuba.date_added) == (
        "Kuba O'Brien-Kowalski (M801200031001)", SenStatus.E, date(2021, 9, 6))  # K, then E: on since K began
    assert (kuba.primary_need, kuba.secondary_need, kuba.pronouns, kuba.year) == ("ASD", "SLCN", "he", 4)
    mum, dad = kuba.contacts  # in their Order, not the file's
    assert (mum.name, mum.salutation, mum.address_lines, mum.postcode) == (
        "Mrs Anna O'Brien", "Mrs O'Brien", ("12 Fernhill Road", "Exampleton", "Exampleshire"), "EX1 4QT")
    assert (dad.address_lines, dad.postcode) == (("Flat 2", "14 Mill & Forge Lane", "Exampleton"), "EX2 7HB")
    assert (mum.phone, dad.phone) == ("01632 960123 (home), 07700 900456 (mobile)", "07700 900123 (mobile)")
    assert mum.home_language == "POL"
    assert (isla.name, isla.primary_need, isla.secondary_need) == ("Isla McDonald", "SPLD", "SEMH")  # by rank
    gran = isla.contacts[1]
    assert (gran.relationship, gran.parental_responsibility, gran.address_lines) == (
        "Relative", False, ("Rose Cottage", "3 Church Lane", "Little Example-on-Sea"))
    assert (sian.legal_forename, sian.sen_status, sian.year, sian.contacts[0].home_language) == (
        "Siân", SenStatus.N, 0, "English")
    assert (tobi.name, tobi.sen_status, tobi.date_added) == ("Tobi Adeyemi", SenStatus.N, None)
    assert tobi.contacts[0].relationship == "Foster parent"
    assert format_report(register).splitlines() == [
        "transfer.xml: Common Transfer File 25.0 (full) from Oakfield Primary School (801/2000).",
        str(register.problems[0]),
        "4 pupils read: 2 on the SEN register (1 K, 1 E), 2 without SEN; 0 errors, 1 warning."]


def test_every_problem_names_the_pupil_and_the_element() -> None:
    register = load_register("problems.xml", today=TODAY)
    expected = golden("problems", register)
    assert expected["report"] == ("9 pupils read: 4 on the SEN register (3 K, 1 E), 1 without SEN, 4 not used"
                                  " because of errors; 6 errors, 21 warnings.")
    lines = [str(p) for p in register.problems]
    assert ("Warning: problems.xml, Pupil 1 (Megan Hughes, UPN U801200031006), SENhistory/SEN[2]/StartDate:"
            " '2023-02-30' is not a real date (a transfer file writes dates as yyyy-mm-dd), so formkit cannot tell"
            " when this SEN record started") in lines
    megan = register.by_upn("U801200031006")
    assert megan is not None and (megan.primary_need, megan.secondary_need) == ("MLD", "SPLD")
    assert [c.name for c in megan.contacts] == ["Mr Gareth Hughes"]
    assert megan.contacts[0].parental_responsibility is False
    assert [p.pupil for p in register.unreadable_rows] == [
        "Pupil 5 (Arjun Patel, UPN L801200031010)"] * 3 + ["Pupil 6 (Jo Smith)",
                                                          "Pupil 7 (Alfie Green, UPN A801200031011)",
                                                          "Pupil 8 (Alfie Green, UPN A801200031011)"]


def test_a_partial_file_without_contacts_says_letters_will_need_them() -> None:
    register = load_register("partial.xml", today=TODAY)
    golden("partial", register)
    assert str(register.problems[0]) == (
        "Warning: partial.xml: a partial transfer file has no contacts, so letters home will need contacts: add a"
        " Contacts sheet to the register or give a contacts file")
    mai = register.pupils[0]
    assert (mai.pronouns, mai.sen_status, mai.primary_need) == ("she", SenStatus.K, "HI")


def test_targets_and_contacts_files_go_with_a_transfer_file(tmp_path: Path) -> None:
    (tmp_path / "targets.csv").write_text("UPN,Target\nT801200031014,Sit near the front and face the speaker\n"
                                          "M801200031001,Not on this register\n", encoding="utf-8")
    (tmp_path / "contacts.csv").write_text("UPN,Contact Name,Salutation,Address,Postcode\n"
                                           "T801200031014,Mrs Lan Nguyen,Mrs Nguyen,4 Bay Road,EX5 5AA\n",
                                           encoding="utf-8")
    register = load_register("partial.xml", targets=tmp_path / "targets.csv", contacts=tmp_path / "contacts.csv",
                             today=TODAY)
    mai = register.by_upn("T801200031014")
    assert mai is not None and [t.target for t in mai.targets] == ["Sit near the front and face the speaker"]
    assert [(c.name, c.address_lines, c.postcode) for c in mai.contacts] == [("Mrs Lan Nguyen", ("4 Bay Road",),
                                                                               "EX5 5AA")]
    assert [str(p) for p in register.problems] == [
        f"Warning: {tmp_path / 'targets.csv'}, row 3, column 'UPN': UPN M801200031001 is not on the SEN register in"
        " partial.xml, so this target is not used; check the UPN"]


@pytest.mark.parametrize("content, says", [
    (b'<?xml version="1.0"?><Workbook><Sheet/></Workbook>',
     "is XML, but not a Common Transfer File: it starts with <Workbook>, not <CTfile>"),
    (b"<CTfile><Header><CTFversion>25.0</CTFversion></Header></CTfile>", "has no pupils (no CTFpupilData/Pupil)"),
    (b"UPN,Surname\nB801200005001,Nowak\n", "is named .xml but does not hold XML"),
    (b"<CTfile><Header>", "is not well-formed XML (line 1: "),
])
def test_files_that_are_not_a_transfer_file_are_named(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "transfer.xml"
    path.write_bytes(content)
    with pytest.raises((RegisterError, InputFileError)) as caught:
        load_register(path, today=TODAY)
    assert str(caught.value).startswith(f"{path}: {says}")


def test_the_file_kind_decides_not_its_name(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.append(["UPN", "Surname", "Forename", "DOB", "Year", "SEN Status"])
    workbook.active.append(["B801200005001", "Nowak", "Ola", "01/02/2018", "Y3", "K"])
    workbook.save(tmp_path / "register.xml")
    assert [p.name for p in load_register(tmp_path / "register.xml", today=TODAY).pupils] == ["Ola Nowak"]
    (tmp_path / "transfer.dat").write_bytes((DATA / "partial.xml").read_bytes())
    assert load_register(tmp_path / "transfer.dat", today=TODAY).unit == "pupil"


def test_a_namespaced_utf16_transfer_file_reads_the_same(tmp_path: Path) -> None:
    xml = (DATA / "partial.xml").read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    xml = xml.replace("<CTfile ", '<CTfile xmlns="urn:example:ctf" ')
    (tmp_path / "partial.xml").write_bytes(xml.encode("utf-16"))
    again = load_register(tmp_path / "partial.xml", today=TODAY)
    assert again.pupils == load_register("partial.xml", today=TODAY).pupils


def test_open_records_and_the_run_that_gives_the_date_added(tmp_path: Path) -> None:
    def history(*records: tuple[str, str, str]) -> Path:
        sen = "".join(f"<SEN><StartDate>{s}</StartDate>{f'<EndDate>{e}</EndDate>' if e else ''}"
                      f"<SENprovision>{p}</SENprovision></SEN>" for s, e, p in records)
        path = tmp_path / "one.xml"
        path.write_text(f"<CTfile><Header><CTFversion>25.0</CTFversion></Header><CTFpupilData><Pupil>"
                        "<UPN>B801200005001</UPN><Surname>Nowak</Surname><Forename>Ola</Forename><DOB>2018-02-01"
                        "</DOB><BasicDetails><NCyearActual>3</NCyearActual></BasicDetails><SENhistory>"
                        f"{sen}<SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>SPLD</SENtype></SENneed>"
                        "</SENneeds></SENhistory></Pupil></CTFpupilData></CTfile>", encoding="utf-8")
        return path

    def read(*records: tuple[str, str, str]) -> tuple[SenStatus, date | None]:
        pupil = read_transfer(history(*records), today=TODAY).pupils[0].pupil
        assert pupil is not None
        return pupil.sen_status, pupil.date_added

    assert read(("2022-09-05", "2024-01-14", "K"), ("2024-01-15", "", "E")) == (SenStatus.E, date(2022, 9, 5))
    assert read(("2020-09-01", "2021-07-20", "K"), ("2021-07-21", "2022-09-01", "N"),
                ("2022-09-02", "", "K")) == (SenStatus.K, date(2022, 9, 2))
    assert read(("2020-09-01", "2021-01-01", "K"), ("2022-09-02", "", "K")) == (SenStatus.K, date(2022, 9, 2))
    assert read(("2020-09-01", "2025-07-18", "K")) == (SenStatus.N, None)  # came off SEN support
    assert read(("2020-09-01", "2027-07-18", "K")) == (SenStatus.K, date(2020, 9, 1))  # ends later: still open
    assert read(("2024-01-15", "", "E"), ("2022-09-05", "2024-01-14", "K")) == (SenStatus.E, date(2022, 9, 5))


@pytest.mark.parametrize("written, shown", [
    ("O'BRIEN-KOWALSKI", "O'Brien-Kowalski"), ("MCDONALD", "McDonald"), ("SIÂN", "Siân"), ("ÉLODIE", "Élodie"),
    ("de Souza", "de Souza"), ("McDonald", "McDonald"), ("  ANNE-MARIE   ", "Anne-Marie"), ("O\u2019NEILL", "O\u2019Neill"),
])
def test_names_in_capitals_get_their_capitals_back(written: str, shown: str) -> None:
    assert tidy_capitals(written) == shown


@pytest.mark.parametrize("written, shown", [
    ("12A ST. MARY'S ROAD", "12A St. Mary's Road"), ("STOKE-ON-TRENT", "Stoke-on-Trent"),
    ("NEWCASTLE UPON TYNE", "Newcastle upon Tyne"), ("MILL & FORGE LANE", "Mill & Forge Lane"),
    ("THE OLD FORGE", "The Old Forge"),
])
def test_addresses_in_capitals_read_as_on_an_envelope(written: str, shown: str) -> None:
    assert tidy_capitals(written, address=True) == shown


@pytest.mark.parametrize("written, shown, ok", [
    ("07700900123", "07700 900123", True), ("0 7700 900 123", "07700 900123", True),
    ("+44 (0)7700 900123", "07700 900123", True), ("020 7946 0018", "020 7946 0018", True),
    ("01134960000", "0113 496 0000", True), ("01632  960123", "01632 960123", True),
    ("+33 1 23 45 67 89", "+33 1 23 45 67 89", True), ("12345", "12345", False), ("ring the office", "ring the office", False),
])
def test_phone_numbers_with_spaces_are_tidied(written: str, shown: str, ok: bool) -> None:
    assert tidy_phone(written) == (shown, ok)


def test_a_phone_cell_may_hold_several_numbers() -> None:
    assert tidy_phones("07700900123 (mobile); 01632960123 (home), 999") == (
        "07700 900123 (mobile), 01632 960123 (home), 999", ["999"])
