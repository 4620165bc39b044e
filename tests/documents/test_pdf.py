"""Word to PDF with LibreOffice for real: batches, profiles, checks, and errors."""

from __future__ import annotations

import os
import zipfile
from datetime import date, time
from pathlib import Path

import pytest
from pypdf import PdfReader

from formkit.documents import pdf as pdf
from formkit.errors import ConversionError
from formkit.letters.details import LetterDetails
from formkit.letters.letter import LetterRequest, generate_letters
from formkit.register.pupils import load_register
from formkit.resources import bundled
from formkit.settings import load_settings

from tests.conftest import make_docx

REGISTER = load_register(bundled("samples", "register.xlsx"))
SETTINGS = load_settings(None, cwd=bundled("samples"))
DETAILS = LetterDetails(meeting_date=date(2026, 12, 8), meeting_time=time(15, 30), agency="CAMHS",
                        meeting_with="Miss Williams (class teacher) and Mrs Amara Okafor (SENCo)",
                        meeting_place="the Rainbow Room, next to the main school office")
NAMES = ["-starts with a dash", "Zoë O'Connor-Nwosu", "same", "Łukasz Wiśniewski", "five", "six", "seven"]


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Twelve documents in batches of three, two processes at once: one of them broken,
    two with the same name in different folders, and the four letters for one pupil."""
    root = tmp_path_factory.mktemp("convert")
    pairs = []
    for index, name in enumerate(NAMES):
        folder = root / "in" / ("b" if index == 2 else "a")
        folder.mkdir(parents=True, exist_ok=True)
        source = make_docx(folder / f"{name}.docx", [f"Document {index}: {name}"])
        pairs.append((source, root / "out" / f"{index} {name}.pdf"))
    same = make_docx(root / "in" / "a" / "same.docx", ["Document 7: the other same"])
    pairs.append((same, root / "out" / "7 other same.pdf"))
    for letter in ("iep_cover", "review_invite", "referral_consent", "sen_register"):
        report = generate_letters(REGISTER, SETTINGS, root / "letters", LetterRequest(
            letter, letter_date=date(2026, 9, 3), only=["F801200022004"], details=DETAILS))
        [written] = report.letters
        pairs.append((root / "letters" / written.file, root / "out" / f"{letter}.pdf"))
    broken = root / "in" / "broken.docx"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("junk.bin", os.urandom(300))
    pairs.append((broken, root / "out" / "broken.pdf"))
    result = pdf.convert(pairs, batch_size=3, workers=2, work_dir=root)
    return root, pairs, result


def test_every_good_document_has_its_own_one_page_pdf(converted):
    root, pairs, result = converted
    assert len(result.converted) == 12
    for index, (source, dest) in enumerate(pairs[:8]):
        assert result.converted[source] == dest
        reader = PdfReader(str(dest))
        assert len(reader.pages) == 1
        text = reader.pages[0].extract_text()
        assert text.startswith(f"Document {index}:"), (dest, text)


def test_many_documents_per_soffice_call_and_the_broken_one_is_named(converted):
    root, pairs, result = converted
    broken = pairs[-1][0]
    assert result.failed == {broken: "LibreOffice did not write a PDF for it"}
    assert not pairs[-1][1].exists()
    assert result.calls == 6  # five batches of at most three, then the broken one tried once more alone


@pytest.mark.parametrize("letter", ["iep_cover", "review_invite", "referral_consent", "sen_register"])
def test_each_letter_fits_on_one_page(converted, letter):
    root, *_ = converted
    reader = PdfReader(str(root / "out" / f"{letter}.pdf"))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Anne-Marie D'Souza" in text and "Private and confidential" in text


def test_work_folder_and_profiles_are_removed(converted):
    root, *_ = converted
    assert not [p for p in root.iterdir() if p.name.startswith(".formkit-")]


def test_a_batch_past_its_time_limit_is_stopped_and_named(tmp_path):
    source = make_docx(tmp_path / "slow.docx", ["slow"])
    result = pdf.convert([(source, tmp_path / "slow.pdf")], timeout=0.01)
    assert result.failed == {source: "LibreOffice took longer than 0.01 s for a batch of 1 documents and was stopped"}
    assert not (tmp_path / "slow.pdf").exists()


def test_batches_stay_well_under_the_soffice_limit():
    assert pdf.MAX_BATCH <= 150 < 240
    jobs = [pdf._Job(Path(f"{i}.docx"), Path(f"{i}.pdf"), Path(f"{i}.docx")) for i in range(500)]
    sizes = [len(b) for b in pdf._batches(jobs, pdf.MAX_BATCH, 2)]
    assert sum(sizes) == 500 and max(sizes) <= pdf.MAX_BATCH and len(sizes) == 4


def test_soffice_is_found_on_path_or_named(monkeypatch, tmp_path):
    assert pdf.find_soffice().name in ("soffice", "libreoffice")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("FORMKIT_SOFFICE", raising=False)
    with pytest.raises(ConversionError) as caught:
        pdf.find_soffice()
    assert str(caught.value) == pdf.INSTALL_HELP
    assert str(caught.value).startswith("LibreOffice is needed to make PDFs, and formkit cannot find it.")
    with pytest.raises(ConversionError) as named:
        pdf.find_soffice(tmp_path / "soffice")
    assert str(named.value) == f"there is no soffice program at {tmp_path / 'soffice'}. {pdf.INSTALL_HELP}"


def test_metric_compatible_fonts_are_installed():
    assert pdf.missing_fonts() == [], "install fonts-crosextra-carlito and fonts-crosextra-caladea"
