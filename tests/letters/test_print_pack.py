"""The print-ready pack, made for real with LibreOffice and read back with pypdf.

One module-scoped run converts the sample school's SEN register letters and IEPs
(about fifty documents) and merges them; every test reads what it wrote. The
family check scans every page of the print file: each pack names its own pupil
and carers, and no other pupil's name or UPN.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from formkit.documents.batch import generate
from formkit.letters.letter import LetterRequest
from formkit.letters.mailing import make_letters
from formkit.register.pupils import load_register
from formkit.resources import bundled
from formkit.settings import load_settings

SAMPLES = bundled("samples")
DAY = date(2026, 9, 3)


@pytest.fixture(scope="module")
def register():
    return load_register(SAMPLES / "register.xlsx")


@pytest.fixture(scope="module")
def run(tmp_path_factory, register):
    settings = load_settings(None, cwd=SAMPLES)
    root = tmp_path_factory.mktemp("mailing")
    generate(register, settings, root / "IEPs", term="Autumn 2026", today=DAY)
    request = LetterRequest("sen_register", letter_date=DAY, added_since=date(2020, 1, 1), attach_ieps=root / "IEPs")
    report = make_letters(register, settings, root / "Letters", request, print_pdf=root / "print.pdf")
    reader = PdfReader(str(root / "print.pdf"))
    pages = [page.extract_text() for page in reader.pages]
    with (root / "Letters" / "mailing.csv").open(encoding="utf-8-sig", newline="") as f:
        mailing = list(csv.DictReader(f))
    return report, reader, pages, mailing


def words(text: str) -> str:
    return " ".join(text.split())


def test_every_letter_and_iep_has_a_one_page_pdf(run):
    report, *_ = run
    assert report.ok, [f.reason for f in report.failed]
    assert report.pdfs == 24 + 23
    for letter in report.letters:
        pdf = report.out / letter.pdf
        assert letter.pdf == letter.file[:-5] + ".pdf"
        text = words(PdfReader(str(pdf)).pages[0].extract_text())
        assert len(PdfReader(str(pdf)).pages) == 1, letter.pdf
        assert letter.name in text
        iep = PdfReader(str(report.out / letter.iep_pdf))
        assert letter.name in words(iep.pages[0].extract_text())


def test_pack_has_the_cover_then_one_pack_per_posted_letter(run):
    report, reader, pages, mailing = run
    assert report.packs == len(mailing) == 23  # 24 letters, one of them for email
    assert "Riley Parker-Evans" not in {row["pupil"] for row in mailing}
    cover = words(pages[0])
    assert cover.startswith("Print pack: SEN register letter – Autumn 2026")
    assert "OFFICE COPY – do not post" in cover
    assert pages[1].strip() == ""
    assert mailing[0]["first_page"] == "3"
    for row in mailing:
        assert f"{row['pack']} {row['first_page']} {row['page_count']} {row['recipient']}" in cover
    last = mailing[-1]
    assert len(reader.pages) == report.pack_pages == int(last["first_page"]) + 2 * int(last["sheets"]) - 1


def test_every_pack_starts_on_an_odd_page_and_blank_pages_fill_the_rest(run):
    _, reader, pages, mailing = run
    expected = int(mailing[0]["first_page"])
    for row in mailing:
        first, count = int(row["first_page"]), int(row["page_count"])
        assert first == expected and first % 2 == 1, row
        assert count == 2  # the letter and a one-page IEP
        assert int(row["sheets"]) == 1
        expected = first + 2 * int(row["sheets"])
        for number in range(first + count, expected):
            assert pages[number - 1].strip() == "", f"page {number} should be blank"
    assert expected - 1 == len(reader.pages)


def test_every_page_of_every_pack_names_its_own_family_and_nobody_elses(run, register):
    _, _, pages, mailing = run
    for row in mailing:
        pupil = register.by_upn(row["upn"])
        first, count = int(row["first_page"]), int(row["page_count"])
        letter, iep = words(pages[first - 1]), words(pages[first])
        assert pupil.name in letter and pupil.name in iep
        assert row["recipient"] in letter
        assert row["postcode"] in letter and row["address_1"] in letter
        for number in range(first, first + count):
            text = words(pages[number - 1])
            for other in register.pupils:
                if other.upn != pupil.upn:
                    assert other.name not in text, (number, pupil.label, other.label)
                    assert other.upn not in text, (number, pupil.label, other.label)
                    assert f"{other.legal_forename} {other.legal_surname}" not in text, (number, other.label)


def test_packs_are_in_mailing_order_class_then_surname(run, register):
    _, _, _, mailing = run
    keys = []
    for row in mailing:
        pupil = register.by_upn(row["upn"])
        keys.append((pupil.year, pupil.class_name, pupil.surname.casefold(), pupil.forename.casefold()))
    assert keys == sorted(keys)
    assert mailing[0]["class"] == "RB, Reception" and mailing[-1]["class"] == "6L, Year 6"
    oconnor = [row["recipient"] for row in mailing if row["upn"] == "C801200024004"]
    assert oconnor == ["Karen O'Connor", "Liam O'Connor"]


def test_mailing_csv_has_the_address_for_envelopes(run):
    _, _, pages, mailing = run
    liam = next(row for row in mailing if row["recipient"] == "Liam O'Connor")
    assert [liam[f"address_{n}"] for n in range(1, 7)] == ["Flat 2", "41 Station Road", "Exampleton", "", "", ""]
    assert liam["postcode"] == "EX5 1DW" and liam["pupil"] == "Declan O'Connor" and liam["letter"] == (
        "SEN register letter")
    both = next(row for row in mailing if row["upn"] == "X801200026022")
    assert both["recipient"] == "Priya Chaudhry and Vikram Chaudhry"
    assert "Dear Mrs Chaudhry and Mr Chaudhry" in words(pages[int(both["first_page"]) - 1])


def test_polish_family_gets_the_polish_letter_in_the_pack(run):
    _, _, pages, mailing = run
    nowak = next(row for row in mailing if row["upn"] == "N801200025004")
    text = words(pages[int(nowak["first_page"]) - 1])
    assert "Szanowni Państwo" in text and "Łukasz Nowak" in text


def test_manifest_lists_each_letters_files_and_no_temporary_files_remain(run):
    report, *_ = run
    with (report.out / "manifest.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    liam = next(r for r in rows if r["recipient"] == "Liam O'Connor")
    files = liam["files"].split("; ")
    assert [Path(f).suffix for f in files] == [".docx", ".pdf", ".pdf"]
    assert files[2] == "Year 2/O'Connor, Declan (C801200024004) - IEP - Autumn 2026.pdf"
    assert all((report.out / f).is_file() for f in files)
    assert not [p for p in report.out.rglob("*") if p.name.startswith(".formkit-")]


def test_every_pdf_is_marked_confidential(run):
    from formkit.files import CONFIDENTIAL

    report, reader, *_ = run
    assert reader.metadata["/Subject"] == CONFIDENTIAL
    for letter in report.letters:
        metadata = PdfReader(str(report.out / letter.pdf)).metadata
        assert metadata.get("/Keywords", "").startswith("Confidential"), letter.pdf


def test_a_run_with_nothing_to_post_removes_an_earlier_mailing_list(tmp_path, register):
    settings = load_settings(None, cwd=SAMPLES)
    out = tmp_path / "Letters"
    out.mkdir()
    (out / "mailing.csv").write_text("recipient\nSomeone from an earlier run\n", encoding="utf-8")
    request = LetterRequest("iep_cover", letter_date=DAY, term="Autumn 2026", only=["N801200023031"])
    report = make_letters(register, settings, out, request, print_pdf=tmp_path / "print.pdf")
    assert [r.name for r in report.emailed] == ["Riley Parker-Evans"]
    assert "no letter is for posting, so no print pack was made" in report.warnings
    assert not (out / "mailing.csv").exists()
    assert not (tmp_path / "print.pdf").exists()


def test_a_long_cover_is_numbered_right_from_one_conversion(tmp_path, monkeypatch):
    """120 packs: the cover takes three pages, is made once from its estimate, and
    is padded to the even number of pages it was numbered for."""
    from pypdf import PdfWriter

    from formkit.letters import pack as pack_module
    from formkit.letters.pack import PackItem, build_print_pack

    items = []
    for number in range(120):
        pdf = tmp_path / f"{number}.pdf"
        writer = PdfWriter()
        writer.add_blank_page(width=595.28, height=841.89)
        with pdf.open("wb") as f:
            writer.write(f)
        items.append(PackItem(f"Carer Number{number} and Other Carer{number}", f"Pupil Number{number}",
                              f"A8012000{number:05d}", "3M, Year 3", ("1 Road",), "EX1 1AA", (pdf,)))
    made = []
    real = pack_module._cover_pdf

    def counted(*args):
        made.append(1)
        return real(*args)

    monkeypatch.setattr(pack_module, "_cover_pdf", counted)
    pack = build_print_pack(items, tmp_path / "print.pdf", title="Test", made_on=DAY)
    assert len(made) == 1
    reader = PdfReader(str(tmp_path / "print.pdf"))
    texts = [words(page.extract_text()) for page in reader.pages]
    printed = [n for n, text in enumerate(texts) if text]
    cover = [n for n in printed if n < pack.cover_pages]
    assert pack.cover_pages % 2 == 0 and len(cover) >= 3 and pack.cover_pages - len(cover) <= 2
    assert pack.entries[0].first_page == pack.cover_pages + 1
    assert all(texts[n] == "" for n in range(len(cover), pack.cover_pages))
    last = pack.cover_pages + 1 + 2 * 119
    assert pack.entries[-1].first_page == last and len(reader.pages) == last + 1
    assert f"120 {last} 1 Carer Number119 and Other Carer119" in " ".join(texts[:pack.cover_pages])


def test_the_cover_is_converted_with_one_page_letters(tmp_path, register, caplog):
    """Letters that show "page 1 of 1" have known pages before conversion, so the
    cover is made first and converted in the same soffice process as the letters;
    its first pages are still those of the packs as printed."""
    settings = load_settings(None, cwd=SAMPLES)
    request = LetterRequest("iep_cover", letter_date=DAY, term="Autumn 2026")
    with caplog.at_level("INFO", logger="formkit"):
        report = make_letters(register, settings, tmp_path / "Letters", request, print_pdf=tmp_path / "print.pdf")
    assert report.ok, [f.reason for f in report.failed]
    assert "the print pack's cover was converted with the letters" in caplog.messages
    reader = PdfReader(str(tmp_path / "print.pdf"))
    with (tmp_path / "Letters" / "mailing.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    cover = words(" ".join(page.extract_text() for page in reader.pages[:int(rows[0]["first_page"]) - 1]))
    for row in rows:
        first = words(reader.pages[int(row["first_page"]) - 1].extract_text())
        assert row["pupil"] in first and row["recipient"] in first
        assert f"{row['pack']} {row['first_page']} {row['page_count']} {row['recipient']}" in cover
    assert not [p for p in (tmp_path / "Letters").rglob("*") if p.name.startswith(".formkit-")]


def test_a_cover_made_for_other_page_counts_is_made_again(tmp_path):
    """The cover planned before conversion numbers the packs as one page each; when a
    pack turns out two pages it is not used, and the cover made instead is right."""
    from pypdf import PdfWriter

    from formkit.documents import convert
    from formkit.letters.pack import PackItem, build_print_pack, plan_cover

    items = []
    for number, pages in enumerate((2, 1)):
        pdf = tmp_path / f"{number}.pdf"
        writer = PdfWriter()
        for _ in range(pages):
            writer.add_blank_page(width=595.28, height=841.89)
        with pdf.open("wb") as f:
            writer.write(f)
        items.append(PackItem(f"Carer Number{number}", f"Pupil Number{number}", f"A8012000{number:05d}", "3M",
                              ("1 Road",), "EX1 1AA", (pdf,)))
    for counts, used in (((1, 1), False), ((2, 1), True)):
        plan = plan_cover(items, counts, tmp_path / f"plan-{counts[0]}", title="Test", made_on=DAY)
        assert convert([(plan.source, plan.pdf)]).ok
        pack = build_print_pack(items, tmp_path / f"print-{counts[0]}.pdf", title="Test", made_on=DAY, cover=plan)
        assert pack.cover_ahead is used
        assert [(e.first_page, e.page_count) for e in pack.entries] == [(3, 2), (5, 1)]
        reader = PdfReader(str(pack.path))
        cover = words(" ".join(page.extract_text() for page in reader.pages[:pack.cover_pages]))
        assert "1 3 2 Carer Number0" in cover and "2 5 1 Carer Number1" in cover
        assert len(reader.pages) == 6
