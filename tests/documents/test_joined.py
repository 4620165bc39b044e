"""Many letters to PDF as one joined document, for real with LibreOffice, cut back by page.

One module-scoped run converts the sample school's SEN register letters (one of
them made two pages long), a document with two sections and a document that
does not show the names it is said to, with two workers. Every test reads the
PDFs it wrote.
"""

from __future__ import annotations

import logging
import math
import re
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from formkit.documents import JoinItem, convert_joined
from formkit.documents.pdf_text import TextReader
from formkit.letters.letter import LetterRequest, generate_letters
from formkit.ooxml.joined import read_joinable
from formkit.register.pupils import load_register
from formkit.resources import bundled
from formkit.settings import load_settings

from tests.conftest import make_docx

REGISTER = load_register(bundled("samples", "register.xlsx"))
SETTINGS = load_settings(None, cwd=bundled("samples"))
LONG = "L801200025022"  # Ruby Clarke: her letter is made two pages long


def words(text: str) -> str:
    return " ".join(text.split())


def lengthen(path: Path) -> None:
    """The letter's body written out twice over, so it takes two pages."""
    with zipfile.ZipFile(path) as z:
        parts = {info.filename: z.read(info.filename) for info in z.infolist()}
    xml = parts["word/document.xml"].decode("utf-8")
    start, end = xml.index("<w:body>") + len("<w:body>"), xml.rindex("<w:sectPr")
    parts["word/document.xml"] = (xml[:start] + xml[start:end] * 2 + xml[end:]).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def two_sections(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Section one of the two-section document")
    document.add_section()
    document.add_paragraph("Section two of the two-section document")
    document.save(path)
    return path


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("joined")
    report = generate_letters(REGISTER, SETTINGS, root / "letters", LetterRequest(
        "sen_register", letter_date=date(2026, 9, 3), added_since=date(2020, 1, 1)))
    items = []
    for letter in report.letters:
        source = root / "letters" / letter.file
        if letter.upn == LONG:
            lengthen(source)
        items.append(JoinItem(source, source.with_suffix(".pdf"), (letter.name, letter.recipient),
                              (letter.name, letter.recipient, letter.upn)))
    sections = two_sections(root / "two sections.docx")
    items.append(JoinItem(sections, root / "two sections.pdf", ("Section one",), ("Section one",)))
    # a copy of a letter that claims another pupil: its check fails, so it is converted on its own
    claimed = root / "claimed.docx"
    claimed.write_bytes(items[0].source.read_bytes())
    items.append(JoinItem(claimed, root / "claimed.pdf", ("Nobody Atall",), ("Nobody Atall",)))
    logger = logging.getLogger("formkit")
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = records.append  # type: ignore[method-assign]
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.INFO)
    try:
        result = convert_joined(items, workers=2, work_dir=root)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
    return root, report, items, result, [r.getMessage() for r in records]


def test_every_document_has_its_own_pdf_naming_its_own_family_and_nobody_else(run):
    _, report, items, result, _ = run
    assert result.ok, result.failed
    assert set(result.converted) == {item.source for item in items}
    letters = items[:len(report.letters)]
    for item, letter in zip(letters, report.letters):
        reader = PdfReader(str(item.dest))
        text = words(" ".join(page.extract_text() for page in reader.pages))
        assert letter.name in text and letter.recipient in text
        assert len(reader.pages) == (2 if letter.upn == LONG else 1), item.dest.name
        for other in REGISTER.pupils:
            if other.upn != letter.upn:
                assert other.name not in text, (item.dest.name, other.label)


def test_page_numbers_and_counts_restart_for_each_letter(run):
    _, report, items, *_ = run
    for item, letter in zip(items, report.letters):
        pages = PdfReader(str(item.dest)).pages
        feet = [re.search(r"(\d+) / (\d+)\s*$", page.extract_text()).groups() for page in pages]
        expected = [("1", "2"), ("2", "2")] if letter.upn == LONG else [("1", "1")]
        assert feet == expected, item.dest.name
        assert f"Private and confidential – {letter.name} –" in words(pages[-1].extract_text())


def test_letters_convert_in_one_soffice_call_per_worker_and_a_second_for_the_longer_letter(run):
    *_, result, messages = run
    # round 1: two joined documents, one per worker, the two-section document converted as it
    # is in one of them; round 2: the two-page letter joined again showing "of 2"; then the
    # document whose names check failed, on its own
    assert result.calls == 4
    joins = [m for m in messages if "joined into" in m]
    assert joins == ["25 documents joined into 2 for LibreOffice", "1 document joined into 1 for LibreOffice"]


def test_what_could_not_be_joined_is_converted_on_its_own_and_said_at_v(run):
    root, _, items, result, messages = run
    assert PdfReader(str(root / "two sections.pdf")).pages[1].extract_text().startswith("Section two")
    claimed = words(PdfReader(str(root / "claimed.pdf")).pages[0].extract_text())
    assert items[0].names[0] in claimed
    assert ("1 document converted on its own, not joined: it has more than one section" in messages)
    assert ("1 document converted on its own, not joined: its pages did not name its own pupil "
            "and recipient" in messages)
    assert all("Clarke" not in m and "Nobody" not in m for m in messages)


def test_metadata_is_each_letters_own_and_no_work_files_remain(run):
    root, report, items, *_ = run
    titles = set()
    for item in items[:len(report.letters)]:
        titles.add(docx.Document(str(item.source)).core_properties.title)
        metadata = PdfReader(str(item.dest)).metadata
        assert metadata["/Keywords"].startswith("Confidential")
        assert metadata["/Title"] == docx.Document(str(item.source)).core_properties.title
        assert item.dest.stat().st_mode & 0o777 == 0o600
    assert titles == {"Letter: placing a child on the SEN register", "Pismo: wpisanie dziecka do rejestru SEN"}
    assert not [p for p in root.rglob("*") if p.name.startswith(".formkit-")]


def test_fast_page_text_is_pypdfs_text_without_spaces(run):
    _, _, items, *_ = run
    reader = TextReader()
    pdfs = [PdfReader(str(item.dest)) for item in items[:5]]  # kept open: fonts are known by their PDF
    for pdf in pdfs:
        for page in pdf.pages:
            assert reader._fast(page) == "".join(page.extract_text().split())


def test_documents_that_cannot_be_joined_say_why(tmp_path):
    assert read_joinable(two_sections(tmp_path / "two.docx")).reason == "it has more than one section"
    plain = read_joinable(make_docx(tmp_path / "plain.docx", ["No header or footer"]))
    assert plain.reason == "it has no header of its own on every page, so it would show the one before it"
    numbered = docx.Document()
    numbered.add_paragraph("First", style="List Number")
    numbered.save(tmp_path / "numbered.docx")
    assert read_joinable(tmp_path / "numbered.docx").reason == (
        "it has numbered lists, which would run on from one document to the next")


def test_v_says_when_a_schools_own_letter_cannot_be_joined(tmp_path, caplog):
    """A school's own letter with a second section: `formkit -v generate letters --pdf`
    still makes every PDF, one by one, and says why at -v without naming anyone."""
    from click.testing import CliRunner

    from formkit.cli import cli

    own = docx.Document(str(bundled("templates", "docx", "letters", "iep_cover.docx")))
    own.add_section()
    own.add_paragraph("A second section of the school's own letter.")
    own.save(tmp_path / "our letter.docx")
    out = tmp_path / "Letters"
    with caplog.at_level(logging.INFO, logger="formkit"):
        result = CliRunner().invoke(cli, ["-v", "generate", "letters", "--register",
                                          str(bundled("samples", "register.xlsx")), "--letter",
                                          str(tmp_path / "our letter.docx"), "--out", str(out), "--date", "2026-09-03",
                                          "--only", "Q801200023013,F801200022004", "--pdf"],
                                    catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "2 PDFs made with LibreOffice." in result.output
    messages = [record.getMessage() for record in caplog.records]
    assert "2 documents converted on their own, not joined: it has more than one section" in messages
    for pdf in out.rglob("*.pdf"):
        assert "A second section" in " ".join(page.extract_text() for page in PdfReader(str(pdf)).pages)


def test_conversion_starts_while_later_documents_are_still_coming(tmp_path, caplog):
    """Told how many will come, JoinedConversion starts the first worker's joined
    document as soon as its share is there, before the rest are added. Its share
    is more than an even one (FIRST_SHARE), as the last starts only when all
    are there."""
    from formkit.documents import JoinedConversion
    from formkit.documents.joined import FIRST_SHARE

    report = generate_letters(REGISTER, SETTINGS, tmp_path / "letters", LetterRequest(
        "iep_cover", letter_date=date(2026, 9, 3), term="Autumn 2026"))
    letters = [letter for letter in report.letters if letter.file]
    items = [JoinItem(tmp_path / "letters" / letter.file, (tmp_path / "letters" / letter.file).with_suffix(".pdf"),
                      (letter.name, letter.recipient), (letter.name, letter.recipient, letter.upn))
             for letter in letters]
    share = math.ceil(len(items) * FIRST_SHARE / 2)
    assert len(items) // 2 < share < len(items)
    with caplog.at_level("DEBUG", logger="formkit"), JoinedConversion(workers=2) as joining:
        joining.expect(len(items))
        for item in items[:share]:
            joining.add(item)
        assert caplog.messages[-1] == f"joined document 1 started: {share} documents and 0 alongside"
        for item in items[share:]:
            joining.add(item)
        assert sum("started" in m for m in caplog.messages) == 1
        result = joining.finish()
    assert result.ok and set(result.converted) == {item.source for item in items}
    for item, letter in zip(items, letters):
        text = words(" ".join(page.extract_text() for page in PdfReader(str(item.dest)).pages))
        assert letter.name in text and letter.recipient in text
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".formkit-")]
