"""Build the returned-form test inputs in this folder: python tests/data/forms/build.py

Every pupil here is invented (the sample school's pupils). The golden
*.expected.json files are not written here: tests/forms/test_read_golden.py writes
them when run with FORMKIT_REGEN=1, and they are reviewed by hand.

- legacy.docx: an impact form made with legacy form fields (FORMTEXT,
  FORMCHECKBOX, FORMDROPDOWN), as older school forms are, with the UPN in a
  content control in the page header;
- appendix-a.docx: a school's own referral in the seed 003 Appendix A layout,
  typed into cells (ticks as "X" and "yes"), no controls;
- tracker.xlsx: a teacher's impact tracker, with a row that has no pupil;
- impact.pdf: a fillable PDF impact form (text, check box with an "On" state,
  radio group, list box); xfa.pdf: an XFA-only form;
- la-request.pdf: a local authority's request form to fill, with its mapping
  la-request.toml.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pdfmaker import make_pdf  # noqa: E402

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
STAMP = (2026, 12, 1, 9, 0, 0)


def pinned(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=STAMP)
            entry.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2026-12-01T09:00:00Z", data)
            dst.writestr(entry, data)
    return out.getvalue()


def save(doc, name: str) -> None:
    doc.core_properties.created = datetime(2026, 12, 1)
    doc.core_properties.modified = datetime(2026, 12, 1)
    buffer = io.BytesIO()
    doc.save(buffer)
    (HERE / name).write_bytes(pinned(buffer.getvalue()))


def legacy_field(name: str, kind: str, value: str | bool, entries: tuple[str, ...] = ()) -> list:
    if kind == "FORMCHECKBOX":
        data = f'<w:checkBox><w:sizeAuto/><w:default w:val="0"/><w:checked w:val="{int(bool(value))}"/></w:checkBox>'
        result = ""
    elif kind == "FORMDROPDOWN":
        items = "".join(f'<w:listEntry w:val="{e}"/>' for e in entries)
        data = f'<w:ddList><w:result w:val="{entries.index(value)}"/>{items}</w:ddList>'
        result = ""
    else:
        data = "<w:textInput/>"
        result = value or "\u2002" * 5
    runs = [f'<w:r {W}><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="{name}"/><w:enabled/>'
            f'<w:calcOnExit w:val="0"/>{data}</w:ffData></w:fldChar></w:r>',
            f'<w:r {W}><w:instrText xml:space="preserve"> {kind} </w:instrText></w:r>',
            f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>']
    if result:
        runs.append(f'<w:r {W}><w:t xml:space="preserve">{result}</w:t></w:r>')
    runs.append(f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>')
    return [parse_xml(r) for r in runs]


def build_legacy() -> None:
    doc = Document()
    header = doc.sections[0].header.paragraphs[0]
    header.add_run("Pupil number: ")
    header._p.append(parse_xml(
        f'<w:sdt {W}><w:sdtPr><w:alias w:val="UPN"/><w:tag w:val="upn"/><w:id w:val="7"/><w:text/></w:sdtPr>'
        f'<w:sdtContent><w:r><w:t>R801200023004</w:t></w:r></w:sdtContent></w:sdt>'))
    doc.add_paragraph("Intervention impact form")
    rows = [
        ("Pupil", "pupil_name", "FORMTEXT", "Alex Pembridge"),
        ("Intervention", "intervention", "FORMTEXT", "Precision teaching"),
        ("Delivered by", "delivered_by", "FORMTEXT", "Mr Hale"),
        ("Start date", "start_date", "FORMTEXT", "3 November 2026"),
        ("End date", "end_date", "FORMTEXT", ""),
        ("Sessions planned", "sessions_planned", "FORMTEXT", "15"),
        ("Sessions attended", "sessions_attended", "FORMTEXT", "fifteen"),
        ("Entry measure", "entry_measure", "FORMDROPDOWN", "Standardised score"),
        ("Entry score", "entry_score", "FORMTEXT", "81"),
        ("Exit score", "exit_score", "FORMTEXT", "88.5"),
        ("Impact rating", "impact_rating", "FORMDROPDOWN", "+1"),
        ("Comment", "comment", "FORMTEXT", "Reads 30 words in 1 min 40 s"),
        ("Next step", "next_step", "FORMTEXT", "=HYPERLINK(\"x\") keep going"),
    ]
    table = doc.add_table(rows=len(rows), cols=2)
    for row, (label, name, kind, value) in zip(table.rows, rows):
        row.cells[0].text = label
        entries = ("Standardised score", "Reading age (months)") if name == "entry_measure" else (
            "-2", "-1", "0", "+1", "+2")
        for run in legacy_field(name, kind, value, entries):
            row.cells[1].paragraphs[0]._p.append(run)
    check = doc.add_paragraph("Parent informed: ")
    for run in legacy_field("parent_informed", "FORMCHECKBOX", True):
        check._p.append(run)
    save(doc, "legacy.docx")


def build_appendix_a() -> None:
    doc = Document()
    doc.add_paragraph("Request for SEND or PASTORAL Support")
    doc.add_paragraph("Please circle main nature of concern")
    table = doc.add_table(rows=12, cols=5)
    cells = [[c for c in row.cells] for row in table.rows]
    cells[0][0].text, cells[0][1].text, cells[0][2].text = "SEND", "", "PASTORAL"
    cells[0][3].text = "X"
    cells[1][0].text, cells[1][1].text, cells[1][3].text, cells[1][4].text = (
        "Child's name", "Jayden Smith-Nwosu", "D.O.B", "17/06/2020")
    for r, (label, value) in enumerate((("Name of carer", "Ms Tanya Smith"), ("Date", "16th Nov 2026"),
                                        ("Referred by", "Mrs Kaur"),
                                        ("Please provide clear reasons for referral with supporting evidence",
                                         "Leaves the room when frustrated, 4 times this week.")), 2):
        cells[r][0].text, cells[r][1].text = label, value
    cells[6][0].text = "Please tick the child's main area of need."
    for c, text in enumerate(("communication and interaction", "cognition and learning",
                              "social, emotional and mental health", "sensory and physical development"), 1):
        cells[6][c].text = text
    cells[7][1].text, cells[7][3].text, cells[7][4].text = "yes", "X", "maybe"
    cells[8][0].text = "Please provide a list of all interventions that have taken place while the child has been in your class."
    cells[8][1].text = "Zones of Regulation daily; lunchtime club twice a week"
    cells[9][0].text, cells[9][1].text, cells[9][3].text, cells[9][4].text = (
        "Reviewed by", "Mrs Okafor", "Date", "23/11/26")
    cells[10][0].text, cells[10][1].text = "Action taken", "ELSA referral"
    save(doc, "appendix-a.docx")


def build_tracker() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Intervention impact tracker"])
    sheet.append(["Pupil", "UPN", "DOB", "Intervention", "Delivered by", "Start date", "End date", "Sessions planned",
                  "Sessions attended", "Entry measure", "Entry score", "Exit score", "Impact", "Comment", "Next step"])
    sheet.append(["Ioana Popescu", "", date(2015, 10, 7), "Plus 1 maths", "Mrs Ellis", date(2026, 9, 7),
                  date(2026, 12, 7), 30, 28, "Standardised score", 70, 79, "+2", "=1+1", "Continue"])
    sheet.append(["Rahim Uddin", "G801200020022", None, "Social skills group", "Mr Hale", "07/09/2026", "07/12/2026",
                  12, 14, "Other", "n/a", 8, "-1", "Finds the group noisy", "Try 1:1"])
    sheet.append(["", "", None, "Lexia", "Mrs Ellis", date(2026, 9, 7), None, 20, 20, None, None, None, "0", "", ""])
    for row in sheet.iter_rows(min_row=3):
        for cell in (row[2], row[5], row[6]):
            cell.number_format = "dd/mm/yyyy"
    book.properties.created = datetime(2026, 12, 1)
    book.properties.modified = datetime(2026, 12, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    (HERE / "tracker.xlsx").write_bytes(pinned(buffer.getvalue()))


def build_pdfs() -> None:
    fields = [
        {"name": "form.pupil_name", "type": "text", "value": "Jordan Ellery-Shaw", "tooltip": "Pupil"},
        {"name": "form.UPN", "type": "text", "value": "E801200020040"},
        {"name": "form.intervention", "type": "text", "value": "Talk about texts"},
        {"name": "form.Delivered by", "type": "text", "value": "Miss Patel"},
        {"name": "form.start_date", "type": "text", "value": "01/10/2026"},
        {"name": "form.end_date", "type": "text", "value": "10/12/2026"},
        {"name": "form.sessions_planned", "type": "text", "value": "10"},
        {"name": "form.sessions_attended", "type": "text", "value": "9"},
        {"name": "form.entry_measure", "type": "choice", "options": ["Standardised score", "Reading age (months)"],
         "value": "Reading age (months)"},
        {"name": "form.entry_score", "type": "text", "value": "102"},
        {"name": "form.exit_score", "type": "text", "value": "110"},
        {"name": "form.impact_rating", "type": "radio", "states": ["-2", "-1", "0", "1", "2"], "value": "1"},
        {"name": "form.comment", "type": "text", "value": "Infers from the text with prompts"},
        {"name": "form.next_step", "type": "text", "value": ""},
        {"name": "form.parent_told", "type": "tick", "states": ["On"], "value": "On"},
    ]
    (HERE / "impact.pdf").write_bytes(make_pdf(fields))
    (HERE / "xfa.pdf").write_bytes(make_pdf(fields[:2], xfa=True))
    request = [
        {"name": "Child full name", "type": "text"},
        {"name": "Date of birth", "type": "text", "max_length": 10},
        {"name": "UPN", "type": "text", "max_length": 13},
        {"name": "School", "type": "text"},
        {"name": "EHC plan", "type": "tick", "states": ["Yes"]},
        {"name": "Primary need", "type": "choice", "options": ["SLCN", "ASD", "SPLD", "MLD", "SEMH", "HI", "VI", "PD"]},
        {"name": "Year group", "type": "radio", "states": ["Reception", "KS1", "KS2"]},
    ]
    (HERE / "la-request.pdf").write_bytes(make_pdf(request))


if __name__ == "__main__":
    build_legacy()
    build_appendix_a()
    build_tracker()
    build_pdfs()
    print(f"wrote the form test inputs into {HERE}")
