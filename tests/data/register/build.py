"""Build the register test files in this folder: python tests/data/register/build.py

Every pupil, parent and address here is invented. UPNs use LA 801 and a made-up
establishment number, with the check letter computed by python-stdnum.
The golden *.expected.json files are not written here: tests/register/test_register.py
writes them when run with FORMKIT_REGEN=1, and they are reviewed by hand.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from stdnum.gb.upn import calc_check_digit

HERE = Path(__file__).resolve().parent
FIXED_TIME = datetime(2026, 9, 1, 8, 15)


def upn(serial: int, la: str = "801", year: str = "19") -> str:
    body = f"{la}2000{year}{serial:03d}"
    return calc_check_digit(body) + body


def bad_check(serial: int) -> str:
    good = upn(serial)
    wrong = "A" if good[0] != "A" else "B"
    return wrong + good[1:]


def unknown_la(serial: int) -> str:
    body = f"9992000{19}{serial:03d}"
    return calc_check_digit(body) + body


Pct = tuple[float, str]  # (value, number format): an Excel percent cell


def save(wb: Workbook, name: str) -> None:
    wb.properties.created = FIXED_TIME
    wb.save(HERE / name)
    # openpyxl stamps the save time into docProps/core.xml; rewrite it so rebuilds are byte-stable
    raw = (HERE / name).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 9, 1, 8, 15, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>2026-09-01T08:15:00Z\g<2>", data)
            dst.writestr(info, data)
    (HERE / name).write_bytes(out.getvalue())


def fill(ws, rows: list[list[object]]) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c)
            if isinstance(value, tuple):
                cell.value, cell.number_format = value
            else:
                cell.value = value
                if isinstance(value, (date, datetime)):
                    cell.number_format = "DD/MM/YYYY"


def write_csv(name: str, rows: list[list[object]], encoding: str, delimiter: str = ",") -> None:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else as_csv(v) for v in row])
    (HERE / name).write_bytes(buf.getvalue().encode(encoding))


def as_csv(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, tuple):
        number, fmt = value
        return f"{round(number * 100)}%" if "%" in fmt else str(number)
    return str(value)


# ---- the clean register: title rows, a blank row, three sheets ----------------

TITLE = [["Hollybrook Primary School – SEN Register"], ["Exported 01/09/2026 08:15 from the MIS"], []]
REGISTER_HEAD = ["UPN", "Legal Surname", "Legal Forename", "Preferred Forename", "DOB", "Year", "Reg Group",
                 "SEN Status", "Primary Need", "Secondary Need", "Pronouns", "Date Added", "Class Teacher",
                 "Strengths", "Concerns", "Parents Can Support By"]
CLEAN_PUPILS = [
    [upn(1), "O'Connor-Nwosu", "Zoë", "", date(2017, 3, 14), "Y4", "4H", "K", "SPLD", "", "she",
     date(2024, 10, 7), "Mrs Hale", "Loves drawing and stories", "Spelling; reading fluency",
     "Reading together for ten minutes each evening"],
    [upn(2), "Kowalczyk-Smith", "Mateusz", "Matt", date(2016, 1, 30), 5, "5W", "E", "ASD", "SLCN", "he/him",
     date(2022, 5, 3), "Mr Whyte", "Memory for facts; Lego", "Changes to routine\nGroup work",
     "Talking through the next day's timetable"],
    [upn(3), "Ní Bhriain", "Aoife", "", date(2019, 11, 2), "Year 2", "2B", "SEN Support", "SEMH", "", "",
     None, "Miss Brennan", "Kind to others", "Leaving class when upset", ""],
    [upn(4), "Adeyemi", "Reuben", "", date(2017, 6, 21), "Y4", "4H", "N", "", "", "he",
     None, "Mrs Hale", "", "", ""],
    [upn(5), "Martin-Dubois", "Élodie", "", date(2021, 4, 9), "R", "RB", "K", "SLCN", "", "F",
     date(2026, 7, 1), "Mrs Patel", "Singing", "Speech sounds", "Naming pictures in books"],
    [upn(6), "Thompson", "Kai", "", date(2015, 8, 31), "Y6", "6T", "N", "", "", "",
     None, "Mr Osei", "", "", ""],
    [upn(7), "Llewellyn", "Siân", "", date(2018, 2, 27), "Y3", "3L", "K", "MLD", "", "she",
     date(2025, 1, 13), "Ms Evans", "Practical tasks", "Number bonds", "Counting games at home"],
]

TARGET_HEAD = ["UPN", "Area", "Target", "Achievement Criteria", "Possible Resources & Techniques",
               "Possible Class Strategies/Support", "Baseline %", "Half-term Achieved %", "Target Achieved %",
               "Outcome"]
P = "0%"
CLEAN_TARGETS = [
    [upn(1), "Cognition and learning", "To spell the Year 3/4 statutory words ending in -tion",
     "8 of 10 words correct in dictation", "Nessy; look-say-cover-write-check", "Word mat on desk",
     (0.2, P), (0.5, P), None, ""],
    [upn(1), "Cognition and learning", "To read a Book Band 12 text with 95% accuracy", "Running record",
     "Daily reading with TA", "Pre-teach key words", (0.4, P), None, None, ""],
    [upn(1), "SEMH", "To ask for help using a help card", "Uses the card 3 times a week",
     "Help card", "Check-ins at the start of tasks", (0.25, P), None, None, ""],
    [upn(2), 1, "To take turns in a group game of four", "Waits for his turn in 4 of 5 games",
     "Lego therapy", "Visual turn-taking cue", (0.3, P), (0.45, P), (0.6, P), "Partially achieved"],
    [upn(2), "SLCN", "To retell a short story in order", "Uses first, next, last", "Story maps",
     "Talk partners", (0.1, P), None, None, ""],
    [upn(2), "3", "To use a calm-down plan when anxious", "Chooses a strategy from the plan",
     "Zones of Regulation", "Quiet space available", (1.0, P), None, None, "Achieved"],
    [upn(3), "Social, emotional and mental health", "To stay in class for a whole lesson",
     "Stays for 5 lessons in a week", "Emotion coaching", "Movement breaks", (0.5, P), None, None, ""],
    [upn(3), "SEMH", "To name two feelings", "Names feelings with a picture prompt", "Feelings fan",
     "Meet and greet", (0.0, P), None, None, ""],
    [upn(5), "Communication and interaction", "To say /k/ at the start of words",
     "Correct in 8 of 10 picture names", "Speech sound cards", "Model correct sounds", (0.15, P), None, None, ""],
    [upn(5), "C&I", "To follow a two-part instruction", "Follows 4 of 5 instructions", "Barrier games",
     "Short, clear instructions", (0.3, P), None, None, ""],
    [upn(7), "Cognition and learning", "To know number bonds to 10", "Recalls 10 of 10 in a game",
     "Numicon", "Number line on desk", (0.6, P), (0.75, P), None, ""],
    [upn(7), 2, "To count on in tens from any number", "Counts on accurately to 100", "100 square",
     "Adult models counting", (0.35, P), None, None, ""],
]

CONTACT_HEAD = ["UPN", "Contact Name", "Relationship", "Parental Responsibility", "Salutation", "Address",
                "Postcode", "Email", "Home Language", "Receives Mail"]
CLEAN_CONTACTS = [
    [upn(1), "Mrs Grace O'Connor-Nwosu", "Mother", "Yes", "Mrs O'Connor-Nwosu",
     "12 Fernhill Road\nExampleton\nEX1 4QT", "", "grace.oconnor@example.com", "English", "Y"],
    [upn(1), "Mr Chidi Nwosu", "Father", "Y", "Mr Nwosu", "Flat 3, 40 Mill Street, Exampleton", "ex2 7hb",
     "", "Igbo", "N"],
    [upn(2), "Ms Anna Kowalczyk", "Mother", "TRUE", "Ms Kowalczyk", "7 Orchard Close\nLower Hollybrook",
     "EX3 9PL", "anna.k@example.org", "Polish", "1"],
    [upn(3), "Ms Siobhán Ní Bhriain", "Mother", "", "Ms Ní Bhriain", "2 Church Lane, Exampleton EX1 2DD",
     "", "", "", ""],
    [upn(5), "Mrs Claire Martin", "Grandmother", "No", "Mrs Martin", "19 Beech Avenue\nExampleton", "EX4 1RS",
     "", "French", "Yes"],
    [upn(7), "Mr Rhys Llewellyn", "Father", "Yes", "Mr Llewellyn", "Unit 9, Mill Lane\nExampleton", "EX2 5JW",
     "", "Welsh", "Yes"],
]

CLEAN_REGISTER = TITLE + [REGISTER_HEAD] + CLEAN_PUPILS[:3] + [[]] + CLEAN_PUPILS[3:]


def build_clean() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "SEN Register"
    fill(ws, CLEAN_REGISTER)
    fill(wb.create_sheet("Targets"), [TARGET_HEAD] + CLEAN_TARGETS)
    fill(wb.create_sheet("Contacts"), [CONTACT_HEAD] + CLEAN_CONTACTS)
    save(wb, "clean.xlsx")
    write_csv("clean-utf8.csv", CLEAN_REGISTER, "utf-8-sig")
    write_csv("clean-cp1252.csv", CLEAN_REGISTER, "cp1252", delimiter=";")
    write_csv("clean-excel-bom-cp1252.csv", CLEAN_REGISTER, "cp1252")  # then Excel's BOM before the cp1252 bytes
    excel = HERE / "clean-excel-bom-cp1252.csv"
    excel.write_bytes(b"\xef\xbb\xbf" + excel.read_bytes())
    write_csv("clean-targets.csv", [TARGET_HEAD] + CLEAN_TARGETS, "utf-8-sig")
    write_csv("clean-contacts.csv", [CONTACT_HEAD] + CLEAN_CONTACTS, "cp1252")


# ---- a register with every kind of problem -----------------------------------

PROBLEM_HEAD = ["UPN", "Surname", "Forename", "Date of Birth", "Year Group", "Class", "SEN Status",
                "Primary Need", "Gender"]
PROBLEM_REGISTER = [
    ["Oakfield Junior School: SEN register (test)"],                                       # 1
    PROBLEM_HEAD,                                                                           # 2
    [upn(11), "Fairweather", "Isla", date(2016, 5, 4), 5, "5F", "K", "SPLD", "F"],          # 3 ok, 5 targets
    ["B80120001", "Quayle", "Ned", date(2016, 6, 1), 5, "5F", "K", "MLD", "M"],             # 4 bad UPN shape
    [bad_check(13), "Abara", "Tobi", date(2017, 1, 15), 4, "4A", "K", "SLCN", "M"],         # 5 check letter
    [unknown_la(14), "Brook", "Hana", date(2017, 2, 11), 4, "4A", "N", "", "F"],            # 6 unknown LA
    [upn(15), "Carver", "Leo", date(2018, 3, 3), 3, "3C", "K", "ASD", "M"],                 # 7 duplicate
    [upn(16), "", "Mia", date(2018, 4, 8), 3, "3C", "K", "SEMH", "F"],                      # 8 no surname
    [upn(17), "Dunmore", "Ravi", date(2016, 9, 9), 5, "5F", "K", "", "M"],                  # 9 no need
    [upn(18), "Ellery", "Bea", date(2019, 1, 20), 2, "2E", "", "", "F"],                    # 10 blank status
    [upn(15), "Carver", "Leon", date(2018, 3, 3), 3, "3C", "K", "ASD", "M"],                # 11 duplicate
    [upn(19), "Ferris", "Jude", "31/02/2017", 4, "4A", "K", "MLD", "M"],                    # 12 not a date
    [upn(20), "Grant", "Ada", "03/02/17", 4, "4A", "K", "MLD", "F"],                        # 13 2-digit year
    [upn(21), "Hollis", "Finn", date(2030, 1, 1), 1, "1H", "K", "HI", "M"],                 # 14 future DOB
    [upn(22), "Ingram", "Tess", "12/08/1990", 6, "6I", "N", "", "F"],                       # 15 age > 25
    [upn(23), "Jessop", "Kit", date(2016, 7, 7), "Year 15", "5F", "K", "VI", ""],           # 16 bad year
    [upn(24), "Kaur", "Simran", date(2017, 8, 8), 4, "4A", "A", "", "F"],                   # 17 pre-2014
    [upn(25), "Lowe", "Ivo", date(2018, 9, 9), 3, "3C", "K", "Dyslexia", "M"],              # 18 bad need
    [upn(26), "Mbeki", "Ola", date(2019, 10, 10), 2, "2E", "N", "", "X"],                   # 19 pronouns
    [],                                                                                     # 20 blank
    [upn(27), "Novak", "Ema", date(2015, 11, 11), 6, "6I", "E", "NSA", "F"],                # 21 E + NSA
    [upn(28), "Okoro", "Dara", (42000, "General"), 5, "5F", "K", "PD", "M"],                # 22 number DOB
    ["", "Pryce", "Alfie", date(2017, 12, 12), 4, "4A", "K", "MLD", "M"],                   # 23 blank UPN
]
PROBLEM_TARGETS = [
    ["UPN", "Target", "Area", "Baseline %", "Target Achieved %"],                           # 1
    [upn(11), "Target one", "SPLD", (0.1, P), None],                                        # 2
    [upn(11), "Target two", 2, 0.4, None],                                                  # 3 fraction
    [upn(11), "Target three", "Cognition", 40, None],                                       # 4
    [upn(11), "Target four", "", "40%", "100%+"],                                           # 5
    [upn(11), "Target five", "", None, None],                                               # 6 5th target
    [upn(99), "Not ours", "", None, None],                                                  # 7 unknown UPN
    [bad_check(13), "", "", None, None],                                                    # 8 blank target
    [bad_check(13), "Target", "", "lots", None],                                            # 9 bad percent
    [bad_check(13), "Target", "Maths", None, None],                                         # 10 bad area
    [upn(15), "For a duplicate pupil", "", None, None],                                     # 11 skipped
    [upn(17), "Target", "OTH", None, None],                                                 # 12 OTH area
    [upn(17), "Target", "", 250, None],                                                     # 13 > 200
]
PROBLEM_CONTACTS = [
    ["UPN", "Name", "PR", "Address", "Postcode", "Email"],                                  # 1
    [upn(98), "Mr Nobody", "Y", "1 High Street", "EX1 1AA", ""],                            # 2 unknown UPN
    [upn(11), "", "Y", "1 High Street", "EX1 1AA", ""],                                     # 3 blank name
    [upn(11), "Mrs Fairweather", "maybe", "1 High Street", "EX1 1AA", ""],                  # 4 bad PR
    [upn(11), "Mr Fairweather", "N", "1 High Street", "EXAMPLE", ""],                       # 5 bad postcode
    [upn(17), "Ms Dunmore", "Y", "4 Low Road", "EX2 2BB", "dunmore.example.com"],           # 6 bad email
    ["X12", "Mr Shape", "Y", "", "", ""],                                                   # 7 bad UPN
    [upn(17), "Mr Dunmore", "Y", "4 Low Road, Exampleton", "", ""],                         # 8 no postcode
]


def build_problems() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Register"
    fill(ws, PROBLEM_REGISTER)
    fill(wb.create_sheet("Targets"), PROBLEM_TARGETS)
    fill(wb.create_sheet("Contacts"), PROBLEM_CONTACTS)
    save(wb, "problems.xlsx")


# ---- other headings: MIS-style aliases, and a column_map -------------------------

def build_aliases() -> None:
    head = ["Pupil UPN", "SURNAME", "first_name", "Known As", "date_of_birth", "NC Year", "Form",
            "SEN Provision", "SEN Need 1", "SEN Need 2", "Sex", "SEN Start Date"]
    rows = [
        [upn(31), "Wiśniewska", "Łucja", "Lucy", "05-06-2018", "NC Year 3", "3W", "K - SEN Support",
         "Specific learning difficulty", "", "Female", "2025-09-10"],
        [upn(32), "D'Souza", "Aarav", "", "14.07.2019", "Y2", "2S", "EHCP",
         "Autism", "Speech, language and communication needs", "M", "01/03/2024"],
        [f"{upn(33)[:5]} {upn(33)[5:]}".lower(), "Åberg", "Nils", "", "2021-02-03", "Reception", "RB",
         "No SEN", "", "", "", ""],
    ]
    write_csv("aliases.tsv.csv", [head] + rows, "utf-8-sig", delimiter="\t")
    contacts_head = ["Pupil UPN", "Parent Name", "PR", "Addressee", "Address Line 1", "Address Line 2",
                     "Town", "County", "Post Code", "Email Address", "First Language", "Correspondence"]
    contacts = [
        [upn(31), "Mrs Ewa Wiśniewska", "Y", "Mrs Wiśniewska", "Flat 2", "14 Station Road", "Exampleton",
         "Devonshire", "ex1  3ab", "", "Polish", "Y"],
        [upn(32), "Mr Rohan D'Souza", "No", "", "9 Kiln Lane", "", "Exampleton", "", "", "", "", "No"],
    ]
    write_csv("aliases-contacts.csv", [contacts_head] + contacts, "utf-8")
    mapped_head = ["Child ID", "Child's Surname", "Child's First Name", "Birthday", "Yr", "SEN Status",
                   "Need"]
    mapped = [[upn(34), "Quinn-Ortiz", "Marisol", "22/10/2016", "5", "K", "SEMH"]]
    write_csv("mapped.csv", [["Export: Pupil list"], mapped_head] + mapped, "utf-8-sig")


# ---- Excel date cells vs strings; percent cells ---------------------------------

def build_dates() -> None:
    head = ["UPN", "Legal Surname", "Legal Forename", "DOB", "Year", "SEN Status", "Date Added"]
    cells: list[object] = [
        date(2017, 2, 3), datetime(2017, 2, 3, 0, 0), "03/02/2017", "3/2/2017", "03-02-2017", "03.02.2017",
        "2017-02-03", "2017-02-03 00:00:00", " 03/02/2017 ",
    ]
    rows = [[upn(40 + i), "Datewright", f"Pupil{i}", c, 4, "N", date(2025, 9, 1)] for i, c in enumerate(cells)]
    wb = Workbook()
    fill(wb.active, [head] + rows)
    save(wb, "dates.xlsx")


def build_percents() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "SEN Register"
    fill(ws, [["UPN", "Legal Surname", "Legal Forename", "DOB", "Year", "SEN Status", "Primary Need"],
              [upn(50), "Percival", "Nia", date(2017, 5, 5), 4, "K", "MLD"]])
    fill(wb.create_sheet("Targets"), [
        ["UPN", "SMART Target", "Baseline"],
        [upn(50), "a", (0.4, "0%")],
        [upn(50), "b", (0.405, "0.0%")],
        [upn(50), "c", (1, "0%")],
        [upn(50), "d", (1.25, "0%")],
        [upn(50), "e", 40],
        [upn(50), "f", "40%"],
        [upn(50), "g", "100%+"],
        [upn(50), "h", 0.4],
        [upn(50), "i", (0, "0%")],
    ])
    save(wb, "percents.xlsx")


# ---- files formkit cannot use ----------------------------------------------------

def build_unusable() -> None:
    (HERE / "garbage.xlsx").write_bytes(bytes(range(256)) * 4)
    (HERE / "encrypted.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        for name, text in {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                   'package/2006/content-types"><Default Extension="xml" ContentType='
                                   '"application/xml"/></Types>',
            "word/document.xml": '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                                 'wordprocessingml/2006/main"><w:body><w:p/></w:body></w:document>',
        }.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 9, 1, 8, 15, 0)), text)
    (HERE / "renamed-docx.xlsx").write_bytes(docx.getvalue())
    wb = Workbook()
    fill(wb.active, [["SEN register"], ["UPN", "Surname", "Forename", "Year", "SEN Status"],
                     [upn(60), "Nodate", "Pat", 3, "K"]])
    save(wb, "missing-column.xlsx")
    write_csv("no-header.csv", [["Some notes about pupils"], ["nothing", "here"], ["1", "2"]], "utf-8")


if __name__ == "__main__":
    build_clean()
    build_problems()
    build_aliases()
    build_dates()
    build_percents()
    build_unusable()
