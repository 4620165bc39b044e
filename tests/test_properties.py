"""Property-based: any bytes or any table given to a reader gives records or a
FormkitError, never another exception."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from formkit.errors import FormkitError
from formkit.model import Pupil
from formkit.register import load_register
from formkit.register.columns import REGISTER_COLUMNS, TARGET_COLUMNS
from formkit.documents.template import CompiledTemplate

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

HEADINGS = [h for aliases in REGISTER_COLUMNS.values() for h in aliases[:2]] + ["Notes", "", "Target"]
text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
cell = st.one_of(
    st.none(),
    text,
    st.sampled_from(["K", "E", "N", "SEN Support", "Y3", "R", "SPLD", "B801200005001", "31/02/2017", "01/02/2018", "=1+1"]),
    st.integers(-10**6, 10**6),
    st.floats(allow_nan=True, allow_infinity=False),
    st.dates(date(1900, 1, 1), date(2100, 1, 1)),
)
tables = st.lists(st.lists(cell, min_size=0, max_size=8), min_size=0, max_size=12)
headers = st.lists(st.sampled_from(HEADINGS), min_size=0, max_size=10)


def check_register(path: Path) -> None:
    try:
        result = load_register(path)
    except FormkitError as exc:
        assert str(exc)
        return
    for pupil in result.pupils:
        assert isinstance(pupil, Pupil)
    for problem in result.problems:
        assert problem.message


@SETTINGS
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".xlsx", ".csv", ".txt", ".xls"]))
def test_any_bytes_as_a_register(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("bytes") / f"register{suffix}"
    path.write_bytes(data)
    check_register(path)


@SETTINGS
@given(header=headers, rows=tables, title_rows=st.integers(0, 3))
def test_any_table_as_a_csv_register(tmp_path_factory, header, rows, title_rows):
    path = tmp_path_factory.mktemp("csv") / "register.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for _ in range(title_rows):
        writer.writerow(["Hollybrook Primary School export"])
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else (v.strftime("%d/%m/%Y") if isinstance(v, date) else v) for v in row])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    check_register(path)


@SETTINGS
@given(header=headers, rows=tables, target_rows=tables)
def test_any_table_as_an_xlsx_register_with_targets(tmp_path_factory, header, rows, target_rows):
    path = tmp_path_factory.mktemp("xlsx") / "register.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "SEN Register"
    ws.append(header)
    for row in rows:
        ws.append([datetime(v.year, v.month, v.day) if isinstance(v, date) else v for v in row])
    targets = wb.create_sheet("Targets")
    targets.append([aliases[0] for aliases in TARGET_COLUMNS.values()])
    for row in target_rows:
        targets.append([datetime(v.year, v.month, v.day) if isinstance(v, date) else v for v in row])
    wb.save(path)
    check_register(path)


@SETTINGS
@given(members=st.dictionaries(st.sampled_from(["[Content_Types].xml", "_rels/.rels", "word/document.xml",
                                                 "word/_rels/document.xml.rels", "docProps/core.xml", "x/../../evil"]),
                               st.one_of(st.binary(max_size=300), text.map(str.encode),
                                         st.just(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{{ x }}</w:t></w:r></w:p></w:body></w:document>'),
                                         st.just(b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')),
                               max_size=6))
def test_any_zip_as_a_template(tmp_path_factory, members):
    path = tmp_path_factory.mktemp("zip") / "template.docx"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    try:
        CompiledTemplate(path).render({"x": "value"})
    except FormkitError as exc:
        assert str(exc)


@SETTINGS
@given(data=st.binary(max_size=3000))
def test_any_bytes_as_a_template(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "template.docx"
    path.write_bytes(data)
    try:
        CompiledTemplate(path)
    except FormkitError as exc:
        assert str(exc)


@SETTINGS
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".docx", ".pdf", ".xlsx"]))
def test_any_bytes_as_a_returned_form(tmp_path_factory, data, suffix):
    from formkit.forms.read import read_forms

    path = tmp_path_factory.mktemp("form") / f"form{suffix}"
    path.write_bytes(data)
    try:
        report = read_forms([path])
    except FormkitError as exc:
        assert str(exc)
        return
    assert len(report.files) == 1
    assert report.files[0].status in ("read", "read with warnings", "rejected")


@SETTINGS
@given(paragraphs=st.lists(st.one_of(text, st.sampled_from(["Child's name", "D.O.B", "Referred by", "Date", "\u2713", "X",
                                                               "31/02/2017", "Reviewed by", "SEND", "PASTORAL"])),
                           max_size=12),
       cells=st.lists(st.lists(st.one_of(text, st.sampled_from(["Child's name", "D.O.B", "Name of carer", "yes", "\u2611",
                                                                  "01/02/2018", "Intervention", "Entry score", "12"])),
                               min_size=1, max_size=4), max_size=6))
def test_any_table_layout_as_a_school_made_form(tmp_path_factory, paragraphs, cells):
    import docx

    from formkit.forms.read import read_forms

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if cells:
        width = max(len(row) for row in cells)
        table = document.add_table(rows=len(cells), cols=width)
        for r, row in enumerate(cells):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    path = tmp_path_factory.mktemp("form") / "school form.docx"
    document.save(path)
    try:
        report = read_forms([path])
    except FormkitError as exc:
        assert str(exc)
        return
    assert report.files[0].status in ("read", "read with warnings", "rejected")
