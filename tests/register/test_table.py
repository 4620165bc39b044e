"""formkit.table: finding the heading row, matching headings, reading .xlsx and CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from formkit.errors import InputFileError, RegisterError, SettingsError
from formkit.register.table import heading_key, read_table, sheet_names

DATA = Path(__file__).resolve().parents[1] / "data" / "register"

ALIASES: dict[str, tuple[str, ...]] = {
    "upn": ("UPN", "Unique Pupil Number"),
    "legal_surname": ("Legal Surname", "Surname", "Family Name"),
    "legal_forename": ("Legal Forename", "Forename"),
    "dob": ("DOB", "Date of Birth"),
}
REQUIRED = {"upn", "legal_surname"}


@pytest.fixture(autouse=True)
def _in_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("heading", ["Date of Birth", "date_of_birth", "DATE OF BIRTH", " Date-of-Birth: "])
def test_headings_match_ignoring_case_spaces_and_punctuation(heading: str) -> None:
    assert heading_key(heading) == "dateofbirth"


def test_xlsx_heading_row_below_title_rows_and_blank_rows_skipped() -> None:
    table = read_table("clean.xlsx", ALIASES, sheet="sen register", required=REQUIRED)
    assert table.file == "clean.xlsx"
    assert table.sheet == "SEN Register"
    assert table.source == "clean.xlsx, sheet 'SEN Register'"
    assert table.header_row == 4
    assert table.headings == {"upn": "UPN", "legal_surname": "Legal Surname",
                              "legal_forename": "Legal Forename", "dob": "DOB"}
    assert [row.number for row in table.rows] == [5, 6, 7, 9, 10, 11, 12]
    first = table.rows[0]
    assert first.text("legal_forename") == "Zoë"
    assert first.cell("dob").number_format == "DD/MM/YYYY"
    assert first.text("dob") == "14/03/2017"
    assert first.blank("class_name") and first.text("nothing") == ""
    assert "Reg Group" in table.unknown_headings


def test_csv_utf8_sig_and_cp1252_semicolon_read_the_same() -> None:
    utf8 = read_table("clean-utf8.csv", ALIASES, required=REQUIRED)
    cp1252 = read_table("clean-cp1252.csv", ALIASES, required=REQUIRED)
    assert (DATA / "clean-utf8.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"Zo\xeb" in (DATA / "clean-cp1252.csv").read_bytes()
    assert utf8.source == "clean-utf8.csv" and utf8.sheet is None
    assert utf8.header_row == cp1252.header_row == 4
    assert [r.number for r in utf8.rows] == [r.number for r in cp1252.rows] == [5, 6, 7, 9, 10, 11, 12]
    assert [r.text("legal_forename") for r in utf8.rows] == [r.text("legal_forename") for r in cp1252.rows]
    assert cp1252.rows[2].text("legal_surname") == "Ní Bhriain"


def test_tab_delimited_and_utf16(tmp_path: Path) -> None:
    text = "Notes\r\nUPN\tSurname\tForename\r\nE801200019001\tO'Connor-Nwosu\tZoë\r\n"
    for encoding in ("utf-8", "utf-16"):
        table = read_table(write(tmp_path / f"t-{encoding}.csv", text, encoding), ALIASES, required=REQUIRED)
        assert table.header_row == 2
        assert [(r.number, r.text("legal_surname"), r.text("legal_forename")) for r in table.rows] == [
            (3, "O'Connor-Nwosu", "Zoë")]


def test_quoted_multiline_cell_counts_as_one_row(tmp_path: Path) -> None:
    path = write(tmp_path / "m.csv", 'UPN,Surname\r\nA1,"two\r\nlines"\r\n\r\nB2,Three\r\n')
    table = read_table(path, ALIASES, required=REQUIRED)
    assert [(r.number, r.text("legal_surname")) for r in table.rows] == [(2, "two\nlines"), (4, "Three")]


def test_best_alias_wins_and_column_map_wins_over_aliases(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "UPN,Surname,Legal Surname,Family Name\r\nA1,S,L,F\r\n")
    assert read_table(path, ALIASES, required=REQUIRED).rows[0].text("legal_surname") == "L"
    mapped = read_table(path, ALIASES, required=REQUIRED, column_map={"family name": "legal_surname"})
    assert mapped.rows[0].text("legal_surname") == "F"
    assert mapped.heading("legal_surname") == "Family Name"


def test_column_map_names_a_heading_formkit_does_not_know(tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "Child ID,Child's Surname\r\nA1,Quinn\r\n")
    table = read_table(path, ALIASES, required=REQUIRED,
                       column_map={"Child ID": "upn", "Child's Surname": "legal_surname"})
    assert table.rows[0].text("legal_surname") == "Quinn"


def test_column_map_to_an_unknown_field_is_a_settings_error() -> None:
    with pytest.raises(SettingsError) as info:
        read_table("clean.xlsx", ALIASES, required=REQUIRED, column_map={"Kid": "child_name"})
    assert str(info.value) == (
        "[register.columns] in formkit.toml maps 'Kid' to 'child_name', which is not a formkit field;"
        " use one of: dob, legal_forename, legal_surname, upn")


def test_heading_row_must_be_in_the_first_30_rows(tmp_path: Path) -> None:
    ok = write(tmp_path / "ok.csv", "title\r\n" * 29 + "UPN,Surname\r\nA1,S\r\n")
    assert read_table(ok, ALIASES, required=REQUIRED).header_row == 30
    late = write(tmp_path / "late.csv", "title\r\n" * 30 + "UPN,Surname\r\nA1,S\r\n")
    with pytest.raises(RegisterError) as info:
        read_table(late, ALIASES, required=REQUIRED, error=RegisterError)
    assert str(info.value) == (
        "late.csv: cannot find the heading row: none of the first 30 rows has two or more headings"
        " formkit knows, such as UPN, Legal Surname; check this is the right file, or map your headings"
        " in [register.columns] in formkit.toml. The first rows read: row 1: 'title'; row 2: 'title'; row 3:"
        " 'title'").replace("late.csv", str(late))


def test_missing_required_columns_are_named_with_their_headings(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "Forename,DOB\r\nZoë,01/01/2017\r\n")
    with pytest.raises(InputFileError) as info:
        read_table(path, ALIASES, required=REQUIRED)
    assert info.value.row == 1
    assert info.value.message == (
        "the heading row has no columns for UPN (accepted headings: UPN, Unique Pupil Number); Legal Surname"
        " (accepted headings: Legal Surname, Surname, Family Name); rename the heading in the file, or map"
        " your own heading in [register.columns] in formkit.toml, e.g. \"Your heading\" = \"upn\". The headings"
        " read: 'Forename', 'DOB'")


def test_sheet_by_name_and_first_matching_sheet(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "Cover"
    wb.active["A1"] = "Read me first"
    wb.create_sheet("Old").append(["UPN", "Forename"])
    data = wb.create_sheet("Export")
    data.append(["UPN", "Surname"])
    data.append(["A1", "Smith"])
    wb.save(tmp_path / "w.xlsx")
    path = tmp_path / "w.xlsx"
    assert sheet_names(path) == ["Cover", "Old", "Export"]
    assert sheet_names("clean-utf8.csv") == []
    assert read_table(path, ALIASES, required=REQUIRED).sheet == "Export"
    assert read_table(path, ALIASES, sheet=" export ", required=REQUIRED).rows[0].text("legal_surname") == "Smith"
    with pytest.raises(InputFileError) as info:
        read_table(path, ALIASES, sheet="Targets", required=REQUIRED)
    assert info.value.message == "there is no sheet named 'Targets'; the sheets are 'Cover', 'Old', 'Export'"


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as info:
        read_table(write(tmp_path / "e.csv", "\r\n ,, \r\n"), ALIASES, required=REQUIRED)
    assert info.value.message == "the file is empty; it needs a heading row and one row per pupil"


NOT_A_SPREADSHEET = ("this file is not an Excel workbook (.xlsx) or CSV file; save it from Excel as .xlsx or CSV")
ENCRYPTED = ("this file is password-protected or an old .xls workbook; remove the password"
             " (File > Info > Protect Workbook) or save it from Excel as .xlsx")


@pytest.mark.parametrize("name, message", [
    ("garbage.xlsx", NOT_A_SPREADSHEET),
    ("renamed-docx.xlsx", NOT_A_SPREADSHEET),
    ("encrypted.xlsx", ENCRYPTED),
    ("build.py", NOT_A_SPREADSHEET),
    ("no-such-file.xlsx", "file not found; check the name and the folder"),
])
def test_unusable_files(name: str, message: str) -> None:
    with pytest.raises(InputFileError) as info:
        read_table(name, ALIASES, required=REQUIRED)
    assert str(info.value) == f"{name}: {message}"
    assert info.value.file == name


def test_binary_named_csv_and_folder(tmp_path: Path) -> None:
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"UPN,\x00\x01\x02")
    with pytest.raises(InputFileError) as info:
        read_table(binary, ALIASES, required=REQUIRED)
    assert info.value.message == NOT_A_SPREADSHEET
    with pytest.raises(InputFileError) as info:
        read_table(tmp_path, ALIASES, required=REQUIRED)
    assert info.value.message == "this is a folder, not a file; give the spreadsheet's name"


def test_xlsx_content_is_read_whatever_the_name(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes((DATA / "clean.xlsx").read_bytes())
    assert len(read_table(path, ALIASES, sheet="SEN Register", required=REQUIRED).rows) == 7


def test_wrong_sheet_dimension_from_an_mis_export_is_ignored(tmp_path: Path) -> None:
    import zipfile

    wb = Workbook()
    wb.active.append(["Title"])
    wb.active.append(["UPN", "Surname", "Forename"])
    wb.active.append(["A1", "Ng", "Zoë"])
    wb.save(tmp_path / "w.xlsx")
    fixed = tmp_path / "dim.xlsx"
    with zipfile.ZipFile(tmp_path / "w.xlsx") as src, zipfile.ZipFile(fixed, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:C3"/>' in data
                data = data.replace(b'<dimension ref="A1:C3"/>', b'<dimension ref="A1"/>')
            dst.writestr(item, data)
    table = read_table(fixed, ALIASES, required=REQUIRED)
    assert [(r.number, r.text("legal_forename")) for r in table.rows] == [(3, "Zoë")]
