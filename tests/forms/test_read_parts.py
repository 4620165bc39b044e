"""A returned Word form is read from its bytes once, and only the parts that
hold its fields are parsed: the main document always, a header or footer only
when it holds a control (or when reading by label needs its text). Every part
read is still checked: sizes and CRC-32 against the zip's directory, no DOCTYPE."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from formkit import guard
from formkit.forms.read import read_forms

from tests.formhelpers import REGISTER

RETURNED = Path(__file__).resolve().parents[2] / "samples" / "returned"
DATA = Path(__file__).resolve().parents[1] / "data" / "forms"
IMPACT = RETURNED / "Kirkwood, Sam - Impact.docx"


def _rezip(source: Path, target: Path, change=lambda name, data: data, method=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", method) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info)))
    return target


def _parsed_parts(monkeypatch) -> list[str]:
    parsed: list[str] = []
    real = guard.parse_xml

    def counted(data, *, part, file=None):
        parsed.append(part)
        return real(data, part=part, file=file)

    monkeypatch.setattr(guard, "parse_xml", counted)
    return parsed


def test_a_form_whose_tags_find_every_field_parses_only_its_main_document(monkeypatch):
    with zipfile.ZipFile(IMPACT) as zf:
        assert any(n.startswith(("word/header", "word/footer")) for n in zf.namelist())
    parsed = _parsed_parts(monkeypatch)
    report = read_forms([IMPACT], register=REGISTER)
    assert report.ok and len(report.records) == 1
    assert parsed == ["word/document.xml"]
    assert report.records[0].source_sha256 == hashlib.sha256(IMPACT.read_bytes()).hexdigest()


def test_a_header_that_holds_a_control_is_still_parsed_and_read(monkeypatch):
    parsed = _parsed_parts(monkeypatch)
    report = read_forms([DATA / "legacy.docx"], register=REGISTER)
    assert report.records[0].upn == "R801200023004"  # from the control in the page header
    assert any(part.startswith("word/header") for part in parsed)


def test_a_form_stored_without_compression_reads_the_same(tmp_path: Path):
    stored = _rezip(IMPACT, tmp_path / "stored.docx", method=zipfile.ZIP_STORED)
    expected = read_forms([IMPACT], register=REGISTER).records[0].values
    report = read_forms([stored], register=REGISTER)
    assert report.ok and report.records[0].values == expected


def test_a_damaged_part_rejects_the_form_naming_it(tmp_path: Path):
    data = bytearray(IMPACT.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("word/document.xml")
    header = info.header_offset
    start = header + 30 + int.from_bytes(data[header + 26:header + 28], "little") + int.from_bytes(
        data[header + 28:header + 30], "little")
    data[start + info.compress_size // 2] ^= 0xFF
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(bytes(data))
    report = read_forms([damaged], register=REGISTER)
    assert not report.records
    assert report.files[0].status == "rejected"
    assert report.files[0].reason.startswith("is damaged or truncated (")
    assert report.files[0].reason.endswith("; save it again")


@pytest.mark.parametrize("part", ["word/document.xml", "word/_rels/document.xml.rels"])
def test_a_part_with_a_doctype_is_refused_before_it_is_parsed(tmp_path: Path, part: str):
    def with_doctype(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        head, _, rest = data.partition(b"?>")
        return head + b'?><!DOCTYPE d [<!ENTITY e "e">]>' + rest

    hostile = _rezip(IMPACT, tmp_path / "doctype.docx", with_doctype)
    report = read_forms([hostile], register=REGISTER)
    assert report.files[0].status == "rejected"
    assert report.files[0].reason.startswith(f"refused: its part {part} declares a DOCTYPE or entities")


def test_forms_of_one_template_parse_its_relationships_once(tmp_path: Path, monkeypatch):
    from formkit.ooxml import docx_package

    docx_package._internal_targets.cache_clear()
    copies = [tmp_path / f"form-{i}.docx" for i in range(3)]
    for copy in copies:
        copy.write_bytes(IMPACT.read_bytes())
    report = read_forms([tmp_path], register=REGISTER)
    assert report.ok and len(report.records) == 3
    info = docx_package._internal_targets.cache_info()
    assert (info.misses, info.hits) == (2, 4)  # the package's and the document's, then the same bytes again


def _sdt(tag: str, text: str) -> str:
    return (f'<w:sdt><w:sdtPr><w:tag w:val="{tag}"/><w:text/></w:sdtPr>'
            f'<w:sdtContent><w:r><w:t>{text}</w:t></w:r></w:sdtContent></w:sdt>')


def _cell(*content: str) -> str:
    return "<w:tc>" + "".join(f"<w:p>{c}</w:p>" for c in content) + "</w:tc>"


ODD_LAYOUTS = {
    "plain table": f"<w:tbl><w:tr>{_cell('Pupil')}{_cell(_sdt('pupil_name', 'Zoë'))}</w:tr></w:tbl>",
    "a table in a cell": (
        f"<w:tbl><w:tr>{_cell(_sdt('a', 'before'))}<w:tc><w:tbl><w:tr>{_cell(_sdt('inner', 'x'))}</w:tr></w:tbl>"
        f"<w:p>{_sdt('after', 'y')}</w:p></w:tc></w:tr></w:tbl><w:p>{_sdt('outside', 'z')}</w:p>"),
    "a row in a control": (
        f"<w:tbl><w:sdt><w:sdtPr><w:tag w:val='row'/></w:sdtPr><w:sdtContent><w:tr>{_cell(_sdt('in_row', 'r'))}"
        f"</w:tr></w:sdtContent></w:sdt></w:tbl>"),
    "a table in a control": (
        f"<w:sdt><w:sdtPr><w:tag w:val='block'/><w:text/></w:sdtPr><w:sdtContent><w:tbl><w:tr>"
        f"{_cell(_sdt('in_block', 'b'))}</w:tr></w:tbl></w:sdtContent></w:sdt>"),
}


@pytest.mark.parametrize("body", ODD_LAYOUTS.values(), ids=ODD_LAYOUTS.keys())
def test_controls_found_without_tables_are_the_tables_controls(body: str):
    from dataclasses import astuple

    from lxml import etree

    from formkit.ooxml import Layout
    from formkit.ooxml.wordml import NS_DECLS

    def read(tables_first: bool) -> list[tuple]:
        layout = Layout(etree.fromstring(f"<w:document {NS_DECLS}><w:body>{body}</w:body></w:document>"))
        if tables_first:
            assert layout.tables
        return [astuple(c) for c in layout.controls]

    quick = read(tables_first=False)
    assert quick == read(tables_first=True)
    assert quick
