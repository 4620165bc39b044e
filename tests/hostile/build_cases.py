"""Build the hostile input files in tests/hostile/cases/ (deterministic).

    python tests/hostile/build_cases.py

Every file is small; the 50 MB case is made at test time instead.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from openpyxl import Workbook
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, StreamObject

HERE = Path(__file__).resolve().parent / "cases"
STAMP = (2026, 9, 1, 0, 0, 0)

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>\n"
)
XXE = '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, STAMP), data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def _docx_members(body_text: str = "Hello {{ pupil.name }}") -> dict[str, bytes]:
    document = docx.Document()
    document.add_paragraph(body_text)
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _xlsx_members() -> dict[str, bytes]:
    wb = Workbook()
    ws = wb.active
    ws.title = "SEN Register"
    ws.append(["UPN", "Legal Surname", "Legal Forename", "DOB", "Year", "SEN Status"])
    ws.append(["B801200005001", "Nowak", "Ola", "01/02/2018", "Y3", "K"])
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


_LINKED_PICTURE = (
    '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
    '<wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="Picture 1"/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr>'
    '<pic:cNvPr id="0" name="logo.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
    '<a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:link="rIdLinked"/>'
    '<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
    '<a:ext cx="914400" cy="914400"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
    '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>'
)


def linked_image(members: dict[str, bytes], url: str) -> dict[str, bytes]:
    """A copy of a .docx's parts whose body shows an image linked (not embedded) from ``url``."""
    members = dict(members)
    rels = members["word/_rels/document.xml.rels"].decode("utf-8")
    members["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdLinked" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"'
        f' Target="{url}" TargetMode="External"/></Relationships>')).encode("utf-8")
    document = members["word/document.xml"].decode("utf-8")
    members["word/document.xml"] = document.replace("<w:sectPr", _LINKED_PICTURE + "<w:sectPr", 1).encode("utf-8")
    return members


def _with_doctype(members: dict[str, bytes], part: str, doctype: str) -> dict[str, bytes]:
    xml = members[part].decode("utf-8")
    xml = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
    members = dict(members)
    members[part] = (doctype + xml.lstrip()).encode("utf-8")
    return members


def build() -> None:
    HERE.mkdir(exist_ok=True)
    (HERE / "not-a-zip.docx").write_bytes(b"Dear Parent/Carer,\nthis is plain text with a .docx name.\n")
    (HERE / "not-a-zip.xlsx").write_bytes(b"\x00\x01\x02 binary rubbish \xff\xfe")
    good_docx = _docx_members()
    _zip(HERE / "template.docx", good_docx)
    whole = (HERE / "template.docx").read_bytes()
    (HERE / "truncated.docx").write_bytes(whole[: len(whole) // 2])
    good_xlsx = _xlsx_members()
    _zip(HERE / "register.xlsx", good_xlsx)
    data = (HERE / "register.xlsx").read_bytes()
    (HERE / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    (HERE / "pdf-named.docx").write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    _zip(HERE / "workbook-named.docx", good_xlsx)
    _zip(HERE / "document-named.xlsx", good_docx)
    bomb = dict(good_docx)
    bomb["word/media/zeros.bin"] = b"\0" * (200 * 1024 * 1024)
    _zip(HERE / "zip-bomb.docx", bomb)
    ratio = dict(good_xlsx)
    ratio["xl/media/zeros.bin"] = b"\0" * (20 * 1024 * 1024)
    _zip(HERE / "zip-bomb.xlsx", ratio)
    _zip(HERE / "entities.docx", _with_doctype(good_docx, "word/document.xml", LAUGHS))
    _zip(HERE / "external-entity.docx", _with_doctype(good_docx, "word/document.xml", XXE))
    _zip(HERE / "entities.xlsx", _with_doctype(good_xlsx, "xl/worksheets/sheet1.xml", LAUGHS))
    _zip(HERE / "external-entity.xlsx", _with_doctype(good_xlsx, "xl/worksheets/sheet1.xml", XXE))
    (HERE / "password.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4088)
    for name, paragraphs in {
        "internals.docx": ["Name: {{ cycler.__init__.__globals__ }}"],
        "mro.docx": ["{{ ''.__class__.__mro__ }}"],
        "missing-field.docx": ["Name: {{ pupil.name }}", "Shoe size: {{ pupil.shoe_size }}"],
        "unclosed.docx": ["Targets:", "{% for t in targets %}{{ t.target }}"],
        "broken-tag.docx": ["Name: {{ pupil.name }", "DOB: {{ pupil.dob }}"],
        "split-paragraphs.docx": ["Name: {{ pupil.", "name }}"],
        "memory.docx": ["{{ 'x' * 900000000 }}"],
        "runaway.docx": ["{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"],
    }.items():
        document = docx.Document()
        for text in paragraphs:
            document.add_paragraph(text)
        buffer = io.BytesIO()
        document.save(buffer)
        with zipfile.ZipFile(buffer) as zf:
            _zip(HERE / name, {n: zf.read(n) for n in zf.namelist()})
    split = docx.Document()
    paragraph = split.add_paragraph("Name: ")
    for text, bold in (("{{ pu", False), ("pil.na", True), ("me }}", False)):
        paragraph.add_run(text).bold = bold
    buffer = io.BytesIO()
    split.save(buffer)
    with zipfile.ZipFile(buffer) as zf:
        _zip(HERE / "split-runs.docx", {n: zf.read(n) for n in zf.namelist()})
    _xfa_only_pdf(HERE / "xfa-only.pdf")
    csvs = {
        "missing-columns.csv": "UPN,Surname,Forename,Year\nB801200005001,Nowak,Ola,Y3\n",
        "blank-rows.csv": "UPN,Surname,Forename,DOB,Year,SEN Status\n,,,,,\n,,,,,\n",
        "duplicates.csv": "UPN,Surname,Forename,DOB,Year,SEN Status\nB801200005001,Nowak,Ola,01/02/2018,Y3,K\nB801200005001,Nowak,Ola,01/02/2018,Y3,K\n",
        "impossible-date.csv": "UPN,Surname,Forename,DOB,Year,SEN Status\nB801200005001,Nowak,Ola,31/02/2017,Y3,K\n",
        "future-dob.csv": "UPN,Surname,Forename,DOB,Year,SEN Status\nB801200005001,Nowak,Ola,01/02/2031,Y3,K\n",
        "path-names.csv": "UPN,Surname,Forename,DOB,Year,SEN Status,Primary Need\nB801200005001,../../../tmp/evil,..\\\\..\\\\win,01/02/2018,Y3,K,SPLD\nM801200005002,/etc/passwd,a/b,03/04/2018,Y3,K,SLCN\n",
        "formulas.csv": "UPN,Surname,Forename,DOB,Year,SEN Status,Primary Need,Strengths\nB801200005001,=HYPERLINK(\"http://x\"),+SUM(1),01/02/2018,Y3,K,SPLD,@cmd\nM801200005002,-2+3,Ola,03/04/2018,Y3,K,SLCN,=1+1\n",
    }
    for name, text in csvs.items():
        (HERE / name).write_text(text, encoding="utf-8", newline="")
    _transfer_files()


def _transfer_files() -> None:
    """Hostile Common Transfer Files (the register's .xml kind)."""
    pupil = ("<Pupil><UPN>B801200005001</UPN><Surname>{surname}</Surname><Forename>Ola</Forename>"
             "<DOB>2018-02-01</DOB><BasicDetails><NCyearActual>3</NCyearActual></BasicDetails></Pupil>")

    def ctf(surname: str = "Nowak") -> str:
        return ("<CTfile><Header><CTFversion>25.0</CTFversion></Header><CTFpupilData>"
                + pupil.format(surname=surname) + "</CTFpupilData></CTfile>\n")

    cases = {
        "ctf-doctype.xml": '<?xml version="1.0"?>\n<!DOCTYPE CTfile SYSTEM "http://example.invalid/ctf.dtd">\n' + ctf(),
        "ctf-entities.xml": LAUGHS.replace("lolz", "CTfile") + ctf("&lol9;"),
        "ctf-external-entity.xml": XXE.replace("DOCTYPE d", "DOCTYPE CTfile") + ctf("&xxe;"),
        "ctf-deep.xml": ctf().replace("<Header>", "<Header>" + "<x>" * 5000 + "</x>" * 5000),
        "ctf-truncated.xml": ctf()[:150],
    }
    for name, text in cases.items():
        (HERE / name).write_text(text, encoding="utf-8", newline="")
    laughs16 = LAUGHS.replace("lolz", "CTfile").replace('"1.0"', '"1.0" encoding="UTF-16"') + ctf("&lol9;")
    (HERE / "ctf-utf16-entities.xml").write_bytes(laughs16.encode("utf-16"))
    (HERE / "ctf-utf16-no-mark.xml").write_bytes(laughs16.encode("utf-16-le"))


def _xfa_only_pdf(path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    xfa = StreamObject()
    xfa.set_data(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template/></xdp:xdp>')
    acroform = DictionaryObject({
        NameObject("/Fields"): ArrayObject(),
        NameObject("/XFA"): writer._add_object(xfa),
        NameObject("/NeedsRendering"): NumberObject(1),
    })
    writer._root_object[NameObject("/AcroForm")] = writer._add_object(acroform)
    writer.add_metadata({"/Producer": "formkit test case"})
    with path.open("wb") as f:
        writer.write(f)


if __name__ == "__main__":
    build()
