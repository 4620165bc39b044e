"""formkit.register and formkit.values: the SEN register, targets and contacts.

Golden files: tests/data/register/<name>.expected.json hold the pupils as
``formkit.validation.to_json`` and the problems as strings. After a deliberate
change, rebuild them with FORMKIT_REGEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from formkit.codes import Area, SenStatus
from formkit.errors import InputFileError, RegisterError, SettingsError
from formkit.model import Pupil
from formkit.register import Register, format_report, load_register
from formkit.register.columns import CONTACT_COLUMNS, REGISTER_COLUMNS, TARGET_COLUMNS
from formkit.register.rows import RowReport, _build
from formkit.register.table import read_table
from formkit.register.values import parse_area, parse_date, parse_percent, parse_yes_no, split_address
from formkit.validation import from_json, to_json

DATA = Path(__file__).resolve().parents[1] / "data" / "register"
TODAY = date(2026, 9, 1)
MAPPING = {"Child ID": "upn", "Child's Surname": "legal_surname", "Child's First Name": "legal_forename",
           "Birthday": "dob", "Yr": "year", "Need": "primary_need"}


@pytest.fixture(autouse=True)
def _in_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA)


def snapshot(register: Register) -> dict[str, Any]:
    return {
        "rows_read": register.rows_read,
        "pupils": [to_json(p) for p in register.pupils],
        "problems": [str(p) for p in register.problems],
        "report": format_report(register).splitlines()[-1],
    }


def golden(name: str, register: Register) -> dict[str, Any]:
    path = DATA / f"{name}.expected.json"
    got = snapshot(register)
    if os.environ.get("FORMKIT_REGEN"):
        path.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert got == expected
    return expected


# ---- golden files -------------------------------------------------------------------

def test_clean_workbook_with_title_rows_targets_and_contacts() -> None:
    register = load_register(Path("clean.xlsx"), today=TODAY)
    golden("clean", register)
    assert register.file == "clean.xlsx"
    assert register.problems == [] and not register.has_errors
    assert format_report(register) == (
        "7 rows read: 5 on the SEN register (4 K, 1 E), 2 without SEN; 0 errors, 0 warnings.")
    zoe = register.by_upn("e801 2000 1900 1")
    assert zoe is not None and zoe.label == "Zoë O'Connor-Nwosu (E801200019001)"
    assert [c.address_lines for c in zoe.contacts] == [("12 Fernhill Road", "Exampleton"),
                                                      ("Flat 3, 40 Mill Street", "Exampleton")]
    assert [c.postcode for c in zoe.contacts] == ["EX1 4QT", "EX2 7HB"]
    assert [t.baseline for t in zoe.targets] == [20, 40, 25]
    assert [p.forename for p in register.on_register()] == ["Zoë", "Matt", "Aoife", "Élodie", "Siân"]


@pytest.mark.parametrize("name", ["clean-utf8.csv", "clean-cp1252.csv", "clean-excel-bom-cp1252.csv"])
def test_same_register_as_csv_gives_the_same_pupils(name: str) -> None:
    register = load_register(name, targets=Path("clean-targets.csv"), contacts=Path("clean-contacts.csv"),
                             today=TODAY)
    expected = json.loads((DATA / "clean.expected.json").read_text(encoding="utf-8"))
    assert [to_json(p) for p in register.pupils] == expected["pupils"]
    assert register.problems == []
    assert register.rows_read == 7


PROBLEMS_SAMPLE = [
    "Error: problems.xlsx, sheet 'Register', row 4, column 'UPN', Ned Quayle (B80120001): 'B80120001' is not"
    " a UPN: a UPN is 13 characters, a letter then 12 digits (a temporary UPN ends in a letter)",
    "Warning: problems.xlsx, sheet 'Register', row 5, column 'UPN', Tobi Abara (A801200019013): the check"
    " letter of A801200019013 should be W; check the UPN against the MIS",
    "Error: problems.xlsx, sheet 'Register', row 7, column 'UPN', Leo Carver (Z801200019015): UPN"
    " Z801200019015 is on rows 7 and 11; keep one row per pupil",
    "Error: problems.xlsx, sheet 'Register', row 11, column 'UPN', Leon Carver (Z801200019015): UPN"
    " Z801200019015 is on rows 7 and 11; keep one row per pupil",
    "Error: problems.xlsx, sheet 'Register', row 8, column 'Surname', Mia (N801200019016): the legal surname"
    " is blank; fill it in as the MIS has it",
    "Warning: problems.xlsx, sheet 'Register', row 9, column 'Primary Need', Ravi Dunmore (C801200019017):"
    " the primary need is blank, so the IEP title will show no area of need; add the census code, e.g. SPLD",
    "Warning: problems.xlsx, sheet 'Register', row 10, column 'SEN Status', Bea Ellery (R801200019018): the"
    " SEN status is blank, so formkit treats the pupil as N (no SEN); write K or E if they are on the SEN"
    " register",
    "Error: problems.xlsx, sheet 'Register', row 12, column 'Date of Birth', Jude Ferris (F801200019019):"
    " 31/02/2017 is not a real date; check it and write it as dd/mm/yyyy",
    "Error: problems.xlsx, sheet 'Register', row 13, column 'Date of Birth', Ada Grant (R801200019020):"
    " '03/02/17' has a 2-digit year; write it as dd/mm/yyyy, e.g. 03/02/2017",
    "Error: problems.xlsx, sheet 'Register', row 14, column 'Date of Birth', Finn Hollis (F801200019021):"
    " the date of birth 01/01/2030 is in the future; check it against the MIS",
    "Warning: problems.xlsx, sheet 'Register', row 15, column 'Date of Birth', Tess Ingram (V801200019022):"
    " the date of birth 12/08/1990 makes this pupil 36 years old; check it against the MIS",
    "Warning: problems.xlsx, sheet 'Register', row 3, Isla Fairweather (T801200019011): this pupil has 5"
    " targets in problems.xlsx, sheet 'Targets'; an IEP holds 3 or 4, so keep the ones for this term",
    "Warning: problems.xlsx, sheet 'Register', row 21, Ema Novak (Q801200019027): there are no targets for"
    " this pupil in problems.xlsx, sheet 'Targets'; the IEP will have blank target rows to fill in",
    "Warning: problems.xlsx, sheet 'Targets', row 7, column 'UPN': UPN K801200019099 is not on the SEN"
    " register in problems.xlsx, sheet 'Register', so this target is not used; check the UPN",
    "Error: problems.xlsx, sheet 'Targets', row 8, column 'Target', Tobi Abara (A801200019013): the target is"
    " blank; write the target, or delete the row",
    "Warning: problems.xlsx, sheet 'Targets', row 3, column 'Baseline %', Isla Fairweather (T801200019011):"
    " 0.4 was read as 40%; write percentages as whole numbers such as 40 or 40% to be sure",
    "Warning: problems.xlsx, sheet 'Contacts', row 2, column 'UPN': UPN W801200019098 is not on the SEN"
    " register in problems.xlsx, sheet 'Register', so this contact is not used; check the UPN",
    "Warning: problems.xlsx, sheet 'Contacts', row 8, column 'Postcode', Ravi Dunmore (C801200019017): the"
    " address has no"
    " postcode, so letters cannot be posted to this contact; add the postcode",
]


def test_register_with_every_kind_of_problem() -> None:
    register = load_register("problems.xlsx", today=TODAY)
    expected = golden("problems", register)
    for line in PROBLEMS_SAMPLE:
        assert line in expected["problems"]
    assert expected["report"] == (
        "20 rows read: 4 on the SEN register (3 K, 1 E), 4 without SEN, 12 not used because of errors;"
        " 20 errors, 19 warnings.")
    assert register.has_errors and len(register.errors) == 20 and len(register.warnings) == 19
    rows = [(p.file, p.row or 0) for p in register.problems]
    order = ["problems.xlsx, sheet 'Register'", "problems.xlsx, sheet 'Targets'", "problems.xlsx, sheet 'Contacts'"]
    assert rows == sorted(rows, key=lambda r: (order.index(r[0]), r[1]))


def test_errors_leave_the_row_out_and_warnings_keep_it() -> None:
    register = load_register("problems.xlsx", today=TODAY)
    used = [p.legal_forename for p in register.pupils]
    assert used == ["Isla", "Tobi", "Hana", "Ravi", "Bea", "Tess", "Ola", "Ema"]
    assert register.by_upn("Z801200019015") is None  # both duplicate rows are left out
    bea = register.by_upn("R801200019018")
    assert bea is not None and bea.sen_status is SenStatus.N
    ola = register.by_upn("B801200019026")
    assert ola is not None and ola.pronouns == "they"
    isla = register.by_upn("T801200019011")
    assert isla is not None
    assert [t.target for t in isla.targets] == ["Target one", "Target two", "Target three", "Target four",
                                                "Target five"]
    assert [t.achieved for t in isla.targets] == [None, None, None, 100, None]
    assert [c.name for c in isla.contacts] == ["Mr Fairweather"]
    assert isla.contacts[0].postcode == "EXAMPLE" and not isla.contacts[0].parental_responsibility
    ravi = register.by_upn("C801200019017")
    assert ravi is not None and ravi.targets == () and [c.name for c in ravi.contacts] == ["Ms Dunmore", "Mr Dunmore"]


def test_mis_headings_tab_csv_and_address_lines() -> None:
    register = load_register("aliases.tsv.csv", contacts=Path("aliases-contacts.csv"), today=TODAY)
    golden("aliases", register)
    lucy = register.by_upn("U801200019031")
    assert lucy is not None
    assert (lucy.legal_forename, lucy.forename, lucy.year, lucy.sen_status, lucy.primary_need, lucy.pronouns) == (
        "Łucja", "Lucy", 3, SenStatus.K, "SPLD", "she")
    assert lucy.dob == date(2018, 6, 5) and lucy.date_added == date(2025, 9, 10)
    mum = lucy.contacts[0]
    assert mum.address_lines == ("Flat 2", "14 Station Road", "Exampleton", "Devonshire")
    assert mum.postcode == "EX1 3AB" and mum.home_language == "Polish"
    nils = register.by_upn("x801 2000 1903 3")
    assert nils is not None and nils.upn == "X801200019033" and nils.year == 0


def test_column_map_from_formkit_toml() -> None:
    register = load_register("mapped.csv", column_map=MAPPING, today=TODAY)
    golden("mapped", register)
    pupil = register.pupils[0]
    assert (pupil.legal_surname, pupil.dob, pupil.year, pupil.primary_need) == (
        "Quinn-Ortiz", date(2016, 10, 22), 5, "SEMH")
    assert pupil.pronouns == "they"  # no pronouns column: no problem, they/them


def test_without_the_column_map_the_headings_are_not_found() -> None:
    with pytest.raises(RegisterError) as info:
        load_register("mapped.csv", today=TODAY)
    assert str(info.value).startswith("mapped.csv: cannot find the heading row:")


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Forename,DOB,Year,SEN\r\nZoë,01/01/2017,3,K\r\n", encoding="utf-8")
    with pytest.raises(RegisterError) as info:
        load_register(path, today=TODAY)
    assert info.value.message == (
        "the heading row has no columns for UPN (accepted headings: UPN, Unique Pupil Number, Pupil UPN);"
        " Legal Surname (accepted headings: Legal Surname, Surname, Last Name, Family Name); rename the heading"
        " in the file, or map your own heading in [register.columns] in formkit.toml, e.g."
        " \"Your heading\" = \"upn\". The headings read: 'Forename', 'DOB', 'Year', 'SEN'")


def test_column_map_to_an_unknown_field() -> None:
    with pytest.raises(SettingsError) as info:
        load_register("mapped.csv", column_map={"Child ID": "pupil_number"})
    assert str(info.value) == (
        "[register.columns] in formkit.toml maps 'Child ID' to 'pupil_number', which is not a formkit field;"
        " the fields are listed in docs/register.md (e.g. upn, legal_surname, dob, target)")


def test_excel_date_cells_and_date_strings() -> None:
    register = load_register("dates.xlsx", today=TODAY)
    assert register.problems == []
    assert [p.dob for p in register.pupils] == [date(2017, 2, 3)] * 9
    assert {p.date_added for p in register.pupils} == {date(2025, 9, 1)}


def test_percent_cells() -> None:
    register = load_register("percents.xlsx", today=TODAY)
    nia = register.pupils[0]
    assert [t.baseline for t in nia.targets] == [40, 41, 100, 125, 40, 40, 100, 40, 0]
    assert [str(p) for p in register.warnings if p.topic != "contacts"][-1] == (
        "Warning: percents.xlsx, sheet 'Targets', row 9, column 'Baseline', Nia Percival (F801200019050):"
        " 0.4 was read as 40%; write percentages as whole numbers such as 40 or 40% to be sure")


def test_targets_file_overrides_the_targets_sheet(tmp_path: Path) -> None:
    targets = tmp_path / "targets.csv"
    targets.write_text("UPN,SMART Target,Success Criteria,Area\r\nE801200019001,To read CVC words,8 of 10,2\r\n",
                       encoding="utf-8")
    register = load_register("clean.xlsx", targets=targets, today=TODAY)
    zoe = register.by_upn("E801200019001")
    assert zoe is not None and [(t.target, t.achievement_criteria, t.area) for t in zoe.targets] == [
        ("To read CVC words", "8 of 10", Area.COGNITION)]
    assert [p.message for p in register.warnings] == [
        f"there are no targets for this pupil in {targets}; the IEP will have blank target rows to fill in"] * 4
    assert len(register.pupils[0].contacts) == 2  # contacts still come from the Contacts sheet


def test_register_sheet_is_found_by_name(tmp_path: Path) -> None:
    wb = Workbook()
    head = ["UPN", "Surname", "Forename", "DOB", "Year", "SEN"]
    wb.active.title = "Last year"
    wb.active.append(head)
    wb.active.append(["E801200019001", "Old", "Row", "01/01/2017", 3, "K"])
    current = wb.create_sheet("SEN register ")
    current.append(head)
    current.append(["E801200019001", "O'Connor-Nwosu", "Zoë", "14/03/2017", 4, "K"])
    wb.create_sheet("IEP Targets 2026").append(["UPN", "Target"])
    wb.save(tmp_path / "r.xlsx")
    register = load_register(tmp_path / "r.xlsx", today=TODAY)
    assert [p.legal_surname for p in register.pupils] == ["O'Connor-Nwosu"]
    assert [str(p) for p in register.problems if p.topic != "contacts"][1:] == [
        f"Warning: {tmp_path / 'r.xlsx'}, sheet 'SEN register ', row 2, Zoë O'Connor-Nwosu (E801200019001): there"
        f" are no targets for this pupil in {tmp_path / 'r.xlsx'}, sheet 'IEP Targets 2026'; the IEP will have"
        " blank target rows to fill in"]


def test_docs_list_every_column_and_heading() -> None:
    doc = (DATA.parent.parent.parent / "docs" / "register.md").read_text(encoding="utf-8")
    for columns in (REGISTER_COLUMNS, TARGET_COLUMNS, CONTACT_COLUMNS):
        for name, headings in columns.items():
            assert f"`{name}`" in doc or name.startswith("address_"), name
            for heading in headings:
                assert heading in doc, heading


@pytest.mark.parametrize("name, kind, message", [
    ("garbage.xlsx", InputFileError,
     "garbage.xlsx: this file is not an Excel workbook (.xlsx) or CSV file; save it from Excel as .xlsx or CSV"),
    ("renamed-docx.xlsx", InputFileError,
     "renamed-docx.xlsx: this file is not an Excel workbook (.xlsx) or CSV file; save it from Excel as .xlsx"
     " or CSV"),
    ("encrypted.xlsx", InputFileError,
     "encrypted.xlsx: this file is password-protected or an old .xls workbook; remove the password"
     " (File > Info > Protect Workbook) or save it from Excel as .xlsx"),
    ("missing-column.xlsx", RegisterError,
     "missing-column.xlsx, row 2: the heading row has no column for DOB (accepted headings: DOB, Date of"
     " Birth, Birth Date); rename the heading in the file, or map your own heading in [register.columns] in"
     " formkit.toml, e.g. \"Your heading\" = \"dob\". The headings read: 'UPN', 'Surname', 'Forename', 'Year',"
     " 'SEN Status'"),
    ("no-header.csv", RegisterError,
     "no-header.csv: cannot find the heading row: none of the first 30 rows has two or more headings formkit"
     " knows, such as UPN, Legal Surname, Legal Forename, DOB, Year, SEN Status; check this is the right"
     " file, or map your headings in [register.columns] in formkit.toml. The first rows read: row 1: 'Some notes"
     " about pupils'; row 2: 'nothing', 'here'; row 3: '1', '2'"),
    ("not-here.xlsx", InputFileError, "not-here.xlsx: file not found; check the name and the folder"),
])
def test_unusable_files(name: str, kind: type[Exception], message: str) -> None:
    with pytest.raises(kind) as info:
        load_register(name, today=TODAY)
    assert str(info.value) == message


def test_unusable_targets_file_is_named() -> None:
    with pytest.raises(InputFileError) as info:
        load_register("clean.xlsx", targets=Path("encrypted.xlsx"), today=TODAY)
    assert info.value.file == "encrypted.xlsx"


def test_validation_error_becomes_a_plain_problem() -> None:
    table = read_table("clean.xlsx", {"upn": ("UPN",), "year": ("Year",)}, required={"upn"})
    problems: list[Any] = []
    made = _build(Pupil, {"upn": "E801200019001", "legal_forename": "Zoë", "legal_surname": "Ng",
                          "dob": date(2017, 3, 14), "year": 40, "sen_status": SenStatus.K},
                  RowReport(table, problems), 5, "Zoë Ng (E801200019001)")
    assert made is None
    assert [str(p) for p in problems] == [
        "Error: clean.xlsx, sheet 'SEN Register', row 5, column 'Year', Zoë Ng (E801200019001): the value '40'"
        " cannot be used: it must be a whole number from -2 to 14; correct it"]


# ---- cell values -----------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    date(2017, 2, 3), datetime(2017, 2, 3, 9, 30), "03/02/2017", "3/2/2017", "03-02-2017", "03.02.2017",
    "2017-02-03", "2017-02-03T00:00:00", "03/02/2017 00:00", "3 Feb 2017", "03 February 2017", "3-Feb-17",
    "3-feb-2017", "3rd February 2017", "3 Feb, 2017", "3 Feb 2017 00:00",
])
def test_parse_date_accepts(value: object) -> None:
    assert parse_date(value) == date(2017, 2, 3)  # type: ignore[arg-type]


@pytest.mark.parametrize("value, message", [
    ("31/02/2017", "31/02/2017 is not a real date; check it and write it as dd/mm/yyyy"),
    ("02/31/2017", "02/31/2017 is not a real date; check it and write it as dd/mm/yyyy"),
    ("03/02/17", "'03/02/17' has a 2-digit year; write it as dd/mm/yyyy, e.g. 03/02/2017"),
    ("2017/02/03", "'2017/02/03' is not a date formkit can read; write it as dd/mm/yyyy, e.g. 03/02/2017"),
    ("3 Fbe 2017", "'3 Fbe 2017' is not a date formkit can read; write it as dd/mm/yyyy, e.g. 03/02/2017"),
    ("Feb 3 2017", "'Feb 3 2017' is not a date formkit can read; write it as dd/mm/yyyy, e.g. 03/02/2017"),
    ("30 Feb 2017", "30 Feb 2017 is not a real date; check it and write it as dd/mm/yyyy"),
    ("03/02", "'03/02' is not a date formkit can read; write it as dd/mm/yyyy, e.g. 03/02/2017"),
    (42000, "42000 is a number, not a date; format the cell as a date in Excel or write it as dd/mm/yyyy,"
            " e.g. 03/02/2017"),
])
def test_parse_date_refuses(value: object, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date(value)  # type: ignore[arg-type]
    assert str(info.value) == message


@pytest.mark.parametrize("value, fmt, expected", [
    (40, "General", (40, None)), ("40", "", (40, None)), ("40%", "", (40, None)), (" 100%+ ", "", (100, None)),
    (0.4, "0%", (40, None)), (1, "0%", (100, None)), (0, "General", (0, None)), (1, "General", (1, None)),
    (37.5, "General", (38, None)),
    (0.4, "General", (40, "0.4 was read as 40%; write percentages as whole numbers such as 40 or 40% to be sure")),
    ("0.25", "", (25, "0.25 was read as 25%; write percentages as whole numbers such as 25 or 25% to be sure")),
])
def test_parse_percent(value: object, fmt: str, expected: tuple[int, str | None]) -> None:
    assert parse_percent(value, fmt) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["most", "-5", 201, True])
def test_parse_percent_refuses(value: object) -> None:
    with pytest.raises(ValueError):
        parse_percent(value)  # type: ignore[arg-type]


def test_parse_yes_no() -> None:
    assert [parse_yes_no(v) for v in ("Y", "yes", "TRUE", "1", 1, True)] == [True] * 6
    assert [parse_yes_no(v) for v in ("n", "No", "false", "0", 0, False)] == [False] * 6
    with pytest.raises(ValueError, match="'perhaps' is not yes or no; write Y or N"):
        parse_yes_no("perhaps")


@pytest.mark.parametrize("value, area", [
    ("Cognition and learning", Area.COGNITION), ("cognition & learning", Area.COGNITION), (2, Area.COGNITION),
    ("Area 3", Area.SEMH), ("C&I", Area.COMMUNICATION), ("ASD", Area.COMMUNICATION), ("SpLD", Area.COGNITION),
    ("Sensory and/or physical needs", Area.SENSORY), ("HI", Area.SENSORY), ("4", Area.SENSORY),
])
def test_parse_area(value: object, area: Area) -> None:
    assert parse_area(value) is area  # type: ignore[arg-type]


@pytest.mark.parametrize("whole, parts, postcode, expected", [
    ("12 Fernhill Road\nExampleton\nEX1 4QT", [], "", (("12 Fernhill Road", "Exampleton"), "EX1 4QT", True)),
    ("2 Church Lane, Exampleton EX1 2DD", [], "", (("2 Church Lane", "Exampleton"), "EX1 2DD", True)),
    ("", ["Flat 3", "40 Mill Street", "Exampleton"], "ex2 7hb",
     (("Flat 3", "40 Mill Street", "Exampleton"), "EX2 7HB", True)),
    ("1 High St, Exampleton, EX1 1AA", [], "EX1 1AA", (("1 High St", "Exampleton"), "EX1 1AA", True)),
    ("1 High St", [], "abroad", (("1 High St",), "abroad", False)),
    ("1 High St, , Exampleton", [], "", (("1 High St", "Exampleton"), "", True)),
    # an address line column is one line, commas and all; a unit or number keeps to its street in one cell
    ("", ["Unit 9, Mill Lane", "Exampleton"], "EX2 5JW", (("Unit 9, Mill Lane", "Exampleton"), "EX2 5JW", True)),
    ("Unit 9, Mill Lane\nExampleton", [], "", (("Unit 9, Mill Lane", "Exampleton"), "", True)),
    ("Flat 3, 40 Mill Street, Exampleton", [], "", (("Flat 3, 40 Mill Street", "Exampleton"), "", True)),
    ("12, High Street, Exampleton", [], "", (("12 High Street", "Exampleton"), "", True)),
])
def test_split_address(whole: str, parts: list[str], postcode: str, expected: tuple[Any, ...]) -> None:
    assert split_address(parts, postcode, whole=whole) == expected


def test_golden_files_hold_only_json_types() -> None:
    for path in DATA.glob("*.expected.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert set(data) == {"rows_read", "pupils", "problems", "report"}
        for pupil in data["pupils"]:
            assert to_json(from_json(Pupil, pupil)) == pupil


def test_text_is_stripped_and_nfc_normalised(tmp_path: Path) -> None:
    path = tmp_path / "nfd.csv"
    path.write_text("UPN,Surname,Forename,DOB,Year,SEN\r\nE801200019001, O\u2019Connor-Nwosu ,Zoe\u0308,14/03/2017,4,N\r\n",
                    encoding="utf-8")
    pupil = load_register(path, today=TODAY).pupils[0]
    assert (pupil.legal_forename, pupil.legal_surname) == ("Zoë", "O\u2019Connor-Nwosu")
