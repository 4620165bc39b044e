"""Every kind of document formkit writes, printed through LibreOffice as a SENCo
would print it: each PDF has the pages it should, and every line of text formkit
put in the document (the pupil's details, targets, addresses, the school's
wording) appears in the PDF's text, so nothing is cut off or lost off the page.

IEPs (both templates), each letter, each form, the one-page profile, the print
pack, the provision map and its report. The PDFs are made by the real
LibreOffice, as formkit's own PDFs are (``documents.convert``)."""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook
from pypdf import PdfReader

from formkit.documents import convert, generate
from formkit.forms.generate import generate_forms
from formkit.letters.details import LetterDetails
from formkit.letters.letter import LETTERS, LetterRequest, generate_letters
from formkit.letters.mailing import make_letters
from formkit.provision.report import build_report, write_report
from formkit.provision.update import new_map, update_map
from formkit.register.pupils import load_register
from formkit.resources import bundled
from formkit.settings import load_settings

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SAMPLES = bundled("samples")
DAY = date(2026, 9, 3)
TERM = "Autumn 2026"
RUBY, DECLAN, JAYDEN = "L801200025022", "C801200024004", "A801200024022"  # EHC plan, four targets; SEN support
MEETING = LetterDetails(meeting_date=date(2026, 12, 8), meeting_time=time(15, 30),
                        meeting_with="Mrs Hughes (class teacher) and Mrs Okafor (SENCo)")

PAGES = {
    "IEP": 1, "IEP (SMART)": 1, "IEP review": 1, "Impact": 1, "Referral": 1, "Parent views": 1, "My views": 2,
    "One-page profile": 1,
    **{kind.title: 1 for kind in LETTERS.values()},
}
"""How many pages each kind of document prints on, for the pupils printed here
(four targets; one family at one address). "My views" gives the child a
whole page to draw on."""
BOXES = re.compile("[\u2610\u2612]")
"""Tick boxes, which the PDF's text gives out of reading order (another font); counted on their own."""


@dataclass
class Printed:
    kind: str
    source: Path
    pdf: Path


def docx_lines(path: Path) -> list[str]:
    """Every paragraph of the document, its headers and footers, with the text
    of content controls: what formkit wrote, as the reader sees it."""
    lines = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                continue
            root = etree.fromstring(z.read(name))
            for p in root.iter(f"{W}p"):
                if p.find(f".//{W}p") is not None:
                    continue
                text = "".join(t.text or "" if t.tag == f"{W}t" else " " for t in p.iter(f"{W}t", f"{W}tab"))
                if text.strip():
                    lines.append(text)
    return lines


def squeeze(text: str) -> str:
    """Text compared without spaces, line breaks, page numbers or tick boxes (a wrapped line still matches)."""
    text = BOXES.sub("", unicodedata.normalize("NFKC", text).replace("\u2019", "'"))
    text = re.sub(r"Page\s*\d+\s*of\s*\d+", "", text)
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: Path) -> tuple[int, str]:
    reader = PdfReader(pdf)
    return len(reader.pages), squeeze(" ".join(page.extract_text() for page in reader.pages))


def boxes(pdf: Path) -> int:
    return sum(len(BOXES.findall(page.extract_text())) for page in PdfReader(pdf).pages)


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> list[Printed]:
    root = tmp_path_factory.mktemp("printed")
    settings = load_settings(None, cwd=SAMPLES)
    register = load_register(SAMPLES / "register.xlsx", column_map=settings.column_map)
    docs: list[tuple[str, Path]] = []
    for template, kind in (("iep", "IEP"), ("iep_smart", "IEP (SMART)")):
        report = generate(register, settings, root / "IEPs", template=template, kind=kind, only=[RUBY, DECLAN],
                          term=TERM, today=DAY)
        assert report.ok
        docs += [(kind, root / "IEPs" / r.file) for r in report.results]
    forms = {"iep-review": ([RUBY, DECLAN], "IEP review"), "impact": ([DECLAN], "Impact"),
             "referral": ([JAYDEN], "Referral"), "parent-views": ([RUBY], "Parent views"),
             "pupil-views": ([RUBY], "My views")}
    for kind, (only, title) in forms.items():
        report = generate_forms(register, settings, root / "Forms", kind=kind, only=only, term=TERM, today=DAY)
        assert report.ok
        docs += [(title, root / "Forms" / r.file) for r in report.results]
    referrals = root / "referrals.csv"
    referrals.write_text(f"UPN,Agency\n{DECLAN},SALT\n", encoding="utf-8")
    for name, kind in LETTERS.items():
        request = LetterRequest(name, letter_date=DAY, term=TERM, details=MEETING,
                                only={"referral_consent": [], "removed_from_register": [DECLAN]}.get(name, [RUBY]),
                                referrals=referrals if name == "referral_consent" else None)
        report = generate_letters(register, settings, root / "Letters" / name, request)
        assert report.ok and report.letters, name
        docs += [(kind.title, root / "Letters" / name / r.file) for r in report.letters]
    from formkit.ehc.profiles import generate_profiles

    profiles = generate_profiles(register, settings, root / "Profiles", only=[RUBY])
    docs += [("One-page profile", root / "Profiles" / r.file) for r in profiles.results if r.file]
    pairs = [(source, source.with_suffix(".pdf")) for _, source in docs]
    done = convert(pairs)
    assert done.ok, done.failed
    return [Printed(kind, source, source.with_suffix(".pdf")) for kind, source in docs]


def test_every_kind_of_document_is_printed(printed):
    kinds = {p.kind for p in printed}
    assert kinds == set(PAGES)


def test_each_document_prints_on_its_pages_with_every_line_formkit_wrote(printed):
    problems = []
    for item in printed:
        pages, text = pdf_text(item.pdf)
        if pages != PAGES[item.kind]:
            problems.append(f"{item.source.name}: {pages} pages, expected {PAGES[item.kind]}")
        lines = docx_lines(item.source)
        for line in lines:
            if squeeze(line) and squeeze(line) not in text:
                problems.append(f"{item.source.name}: not in the PDF: {line!r}")
        ticks = sum(len(BOXES.findall(line)) for line in lines)
        if boxes(item.pdf) != ticks:
            problems.append(f"{item.source.name}: {boxes(item.pdf)} tick boxes printed of {ticks}")
    assert problems == [], "\n".join(problems)


def test_no_prompt_prints_on_a_blank_form(printed):
    for item in printed:
        _, text = pdf_text(item.pdf)
        assert "Clickortap" not in text and "Chooseanitem" not in text, item.source.name


def test_the_print_pack_holds_every_line_of_each_familys_letter(tmp_path):
    settings = load_settings(None, cwd=SAMPLES)
    register = load_register(SAMPLES / "register.xlsx", column_map=settings.column_map)
    out = tmp_path / "Letters"
    request = LetterRequest("iep_cover", letter_date=DAY, term=TERM, only=[RUBY, DECLAN])
    report = make_letters(register, settings, out, request, print_pdf=tmp_path / "pack.pdf")
    assert report.ok and report.packs >= 2
    pages, text = pdf_text(tmp_path / "pack.pdf")
    assert pages == report.pack_pages
    for letter in report.letters:
        for line in docx_lines(out / letter.file):
            assert squeeze(line) in text, (letter.file, line)
        assert squeeze(letter.recipient) in text


def test_the_provision_map_prints_every_value_formkit_wrote(tmp_path):
    settings = load_settings(None, cwd=SAMPLES)
    book = tmp_path / "Provision map.xlsx"
    new_map(SAMPLES / "register.xlsx", book, settings=settings, provisions=SAMPLES / "provisions.xlsx")
    update_map(book, [SAMPLES / "returned"], register=SAMPLES / "register.xlsx", settings=settings)
    report = write_report(build_report(book), tmp_path / "report.xlsx")
    done = convert([(book, tmp_path / "map.pdf"), (report, tmp_path / "report.pdf")])
    assert done.ok, done.failed
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(book)
    ws = wb["Provision"]
    rows = [r for r in range(4, ws.max_row + 1) if ws[f"A{r}"].value]
    pages, text = pdf_text(tmp_path / "map.pdf")
    bands = pages - 2  # the Summary and Settings print on a page each
    assert bands % 3 == 0 and bands // 3 <= -(-len(rows) // 10)
    for r in rows:
        for cell in ws[r]:
            value = cell.value
            if isinstance(value, str) and not value.startswith("="):
                assert squeeze(value) in text, (cell.coordinate, value)
            elif isinstance(value, (date,)):
                assert squeeze(value.strftime("%d/%m/%Y")) in text, (cell.coordinate, value)
    for sheet in ("Summary", "Settings"):
        for row in wb[sheet].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and not cell.value.startswith("="):
                    assert squeeze(cell.value) in text, (sheet, cell.coordinate, cell.value)
    report_pages, report_text = pdf_text(tmp_path / "report.pdf")
    assert report_pages <= 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for row in load_workbook(report)["Report"].iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert squeeze(cell.value) in report_text, (cell.coordinate, cell.value)
