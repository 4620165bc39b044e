"""The EHC needs-assessment evidence pack, made for real: two terms of IEPs
written by formkit, José's autumn and spring reviews and a referral filled in as
teachers would and read into a records store, the sample provision map, and
LibreOffice for every part. The PDF is opened with pypdf: its contents page, its
bookmarks, its sections, its page count and every page's footer; and every page
is scanned for any other pupil's name or UPN."""

from __future__ import annotations

import os
import re
import shutil
import stat
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from formkit.cli import cli
from formkit.documents import generate
from formkit.ehc import make_evidence_packs
from formkit.forms import read_forms
from formkit.ooxml import fill_document
from formkit.provision import new_map
from formkit.records import RecordStore
from formkit.resources import bundled

from tests.formhelpers import REGISTER, SETTINGS, blank_form

SAMPLES = bundled("samples")
JOSE, RUBY = "V801200021004", "L801200025022"
DAY = date(2027, 4, 20)


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    root = tmp_path_factory.mktemp("evidence")
    generate(REGISTER, SETTINGS, root / "IEPs Autumn 2026", template="iep_smart", only=[JOSE, RUBY],
             term="Autumn 2026", today=date(2026, 9, 3))
    generate(REGISTER, SETTINGS, root / "IEPs Spring 2027", template="iep_smart", only=[JOSE, RUBY],
             term="Spring 2027", today=date(2027, 1, 5))
    forms = {
        "autumn.docx": fill_document(blank_form("iep-review", JOSE), {
            "target_1_achieved_percent": "55%", "target_2_achieved_percent": "40%", "target_3_band": "25-49%",
            "target_1_outcome": "Partly: 2s and 10s secure", "decision": "Continue with the current targets",
            "next_steps": "Daily practice of the 5s"}),
        "spring.docx": fill_document(blank_form("iep-review", JOSE), {
            "review_date": date(2027, 3, 17), "target_1_achieved_percent": "70%", "target_2_achieved_percent": "45%",
            "target_3_achieved_percent": "35%", "decision": "Request an EHC needs assessment",
            "next_steps": "Collate the evidence for the LA"}),
        "referral.docx": fill_document(blank_form("referral", JOSE), {
            "concern_send": True, "referral_date": date(2026, 11, 2), "referred_by": "Mr Dunmore",
            "reasons": "Working at Year 2 in maths despite catch-up", "area_cognition": True}),
        "ruby.docx": fill_document(blank_form("iep-review", RUBY), {"target_1_achieved_percent": "80%"}),
    }
    for name, data in forms.items():
        (root / name).write_bytes(data)
    report = read_forms([root / name for name in forms], register=REGISTER)
    assert report.ok, report.text()
    with RecordStore.open(root / "records.sqlite", create=True) as store:
        store.import_report(report)
    new_map(SAMPLES / "register.xlsx", root / "map.xlsx", settings=SETTINGS, provisions=SAMPLES / "provisions.xlsx")
    return root


@pytest.fixture(scope="module")
def pack(sources, tmp_path_factory):
    out = tmp_path_factory.mktemp("packs")
    report = make_evidence_packs(REGISTER, SETTINGS, out, only=[JOSE], store=sources / "records.sqlite",
                                 provision_map=sources / "map.xlsx",
                                 ieps=[sources / "IEPs Autumn 2026", sources / "IEPs Spring 2027"], today=DAY)
    [result] = report.results
    reader = PdfReader(str(result.pdf))
    return report, result, reader, [words(page.extract_text()) for page in reader.pages]


EXPECTED = [
    ("Cover", "EVIDENCE FOR AN EHC NEEDS ASSESSMENT REQUEST"),
    ("Contents", "CONTENTS"),
    ("One-page profile", "ONE-PAGE PROFILE"),
    ("IEP: Autumn 2026", "SEND SUPPORT PLAN – SMART TARGETS"),
    ("IEP review: Autumn 2026", "IEP REVIEW"),
    ("IEP: Spring 2027", "SEND SUPPORT PLAN – SMART TARGETS"),
    ("IEP review: Spring 2027", "IEP REVIEW"),
    ("Referral: 02/11/2026", "Request for SEND or PASTORAL support"),
    ("Outside agencies involved", "OUTSIDE AGENCIES INVOLVED"),
    ("Provision, term by term, with hours and cost", "PROVISION, TERM BY TERM"),
    ("Progress towards each target", "PROGRESS TOWARDS EACH TARGET"),
    ("Progress chart", "Progress towards each target: José Ferreira"),
]


def test_one_pdf_with_its_parts_beside_it(pack):
    report, result, reader, pages = pack
    assert report.ok and result.status == "written"
    assert result.pdf.name == f"Ferreira, José ({JOSE}) - EHC evidence pack.pdf"
    assert stat.S_IMODE(os.stat(result.pdf).st_mode) == 0o600
    parts = sorted(p.name for p in result.folder.iterdir())
    assert parts == ["00 Cover and contents.docx", "01 One-page profile.docx", "02 IEP - Autumn 2026.docx",
                     "03 IEP review - Autumn 2026.docx", "04 IEP - Spring 2027.docx",
                     "05 IEP review - Spring 2027.docx", "06 Referral - 02-11-2026.docx", "07 Outside agencies.docx",
                     "08 Provision.docx", "09 Progress.docx", "10 Progress chart.pdf", "10 Progress chart.png"]
    assert reader.metadata["/Subject"].startswith("Confidential")


def test_the_contents_page_gives_each_sections_page_and_the_page_is_that_section(pack):
    _, result, reader, pages = pack
    assert [title for title, _ in result.contents] == [title for title, _ in EXPECTED]
    contents = pages[1]
    for (title, first), (_, heading) in zip(result.contents, EXPECTED):
        assert heading in pages[first - 1], (title, first)
        if first > 2:
            assert f"{title} {first}" in contents, title
    starts = [first for _, first in result.contents]
    assert starts == sorted(starts) and starts[:3] == [1, 2, 3]
    assert len(reader.pages) == result.pages > starts[-1] - 1


def test_a_bookmark_for_each_section(pack):
    _, result, reader, _ = pack
    marks = [(item.title, reader.get_destination_page_number(item) + 1) for item in reader.outline]
    assert marks == result.contents


def test_every_page_is_footed_confidential_with_initials_and_page_x_of_y(pack):
    _, _, reader, pages = pack
    total = len(pages)
    for number, text in enumerate(pages, 1):
        assert f"Confidential – J.F. – evidence pack page {number} of {total}" in text, number


def test_the_pack_names_this_pupil_only(pack):
    _, _, _, pages = pack
    others = [p for p in REGISTER.pupils if p.upn != JOSE]
    for number, text in enumerate(pages, 1):
        for pupil in others:
            assert pupil.upn not in text, (number, pupil.label)
            assert pupil.name not in text and f"{pupil.legal_forename} {pupil.legal_surname}" not in text, (
                number, pupil.label)


def test_the_reviews_referral_provision_and_progress_are_there(pack):
    _, result, _, pages = pack
    page = dict(result.contents)
    autumn = pages[page["IEP review: Autumn 2026"] - 1]
    assert "Partly: 2s and 10s secure" in autumn and "Continue with the current targets" in autumn
    assert "Request an EHC needs assessment" in pages[page["IEP review: Spring 2027"] - 1]
    assert "Working at Year 2 in maths despite catch-up" in pages[page["Referral: 02/11/2026"] - 1]
    assert not [n for n, text in enumerate(pages, 1) if "Click or tap" in text]  # unanswered boxes are blank
    agencies = pages[page["Outside agencies involved"] - 1]
    assert "Dr Hannah Price Educational Psychology Service 02/03/2026" in agencies
    provision = pages[page["Provision, term by term, with hours and cost"] - 1]
    assert "Numicon catch-up" in provision and "Total for Autumn 2026" in provision
    assert ("The year: 38.0 hours, £253.33: £5,746.67 below the notional SEN threshold of £6,000.00." in provision)
    progress = pages[page["Progress towards each target"] - 1]
    assert "To recall the 2, 5 and 10 times tables in any order Autumn 2026 40% 55%" in progress
    assert "Spring 2027 40% 70%" in progress


def test_each_missing_piece_is_named(pack):
    report, result, _, pages = pack
    assert result.missing[1:] == ["Summer 2027's review is not due until 07/07/2027"]
    assert re.fullmatch(r"no IEP for Summer 2027 in .*IEPs Autumn 2026, .*IEPs Spring 2027, and no plan for it in "
                        r"the records store", result.missing[0])
    assert "Not in this pack:" in pages[1] and "Summer 2027's review is not due until 07/07/2027" in pages[1]
    assert report.warnings == [f"José Ferreira ({JOSE}): {gap}" for gap in result.missing]


def test_a_term_with_no_review_back_is_said(sources, tmp_path):
    report = make_evidence_packs(REGISTER, SETTINGS, tmp_path, only=[RUBY], store=sources / "records.sqlite",
                                 ieps=[sources / "IEPs Autumn 2026"], today=DAY)
    [result] = report.results
    assert result.status == "written"
    assert "no review back for Spring 2027" in result.missing
    assert (f"no IEP for Spring 2027 in {sources / 'IEPs Autumn 2026'}, and no plan for it in the records store"
            in result.missing)
    assert "no provision map was given, so the provision is not in the pack" in result.missing
    contents = words(PdfReader(str(result.pdf)).pages[1].extract_text())
    assert "no review back for Spring 2027" in contents


def test_without_iep_folders_each_terms_iep_is_made_again_from_its_recorded_plan(sources, tmp_path):
    store = tmp_path / "records.sqlite"
    shutil.copyfile(sources / "records.sqlite", store)
    planned = CliRunner().invoke(cli, ["generate", "ieps", "--register", str(SAMPLES / "register.xlsx"), "--only",
                                       JOSE, "--term", "Autumn 2026", "--template", "iep_smart", "--store",
                                       str(store), "--out", str(tmp_path / "IEPs")])
    assert "1 plans recorded" in planned.output, planned.output
    report = make_evidence_packs(REGISTER, SETTINGS, tmp_path / "out", only=[JOSE], store=store, today=DAY)
    [result] = report.results
    assert result.status == "written"
    page = dict(result.contents)
    pages = [words(p.extract_text()) for p in PdfReader(str(result.pdf)).pages]
    autumn = pages[page["IEP: Autumn 2026"] - 1]
    assert "SMART" in autumn.upper() and "José Ferreira" in autumn and "55%" in autumn and "40%" in autumn
    assert ("no IEP for Spring 2027: no plan for it in the records store, and no IEP folders were given (--ieps)"
            in result.missing)


def test_the_command_needs_a_pupil_on_the_sen_register(tmp_path):
    missing = CliRunner().invoke(cli, ["evidence-pack", "--register", str(SAMPLES / "register.xlsx"), "--out",
                                       str(tmp_path)])
    assert missing.exit_code == 2 and "Missing option '--only'" in missing.output
    result = CliRunner().invoke(cli, ["evidence-pack", "--register", str(SAMPLES / "register.xlsx"), "--out",
                                      str(tmp_path), "--only", "Y801200026013"])
    assert result.exit_code == 1
    assert result.output.endswith(f"Error: {SAMPLES / 'register.xlsx'}: Tobiah Mensah (Y801200026013) has SEN status "
                                  "N, so is not on the SEN register: there are no IEPs or reviews to send\n")
    assert not list(tmp_path.iterdir())


def test_two_pupils_packs_are_converted_together_and_each_names_its_pupil_only(sources, tmp_path, caplog):
    """José's and Ruby's packs: their parts converted in one go (each pupil's IEPs
    joined, each PDF checked to name its own pupil), their covers joined into one
    conversion; each pack still names its own pupil and nobody else."""
    with caplog.at_level("INFO", logger="formkit"):
        report = make_evidence_packs(REGISTER, SETTINGS, tmp_path, only=[JOSE, RUBY],
                                     store=sources / "records.sqlite", provision_map=sources / "map.xlsx",
                                     ieps=[sources / "IEPs Autumn 2026", sources / "IEPs Spring 2027"], today=DAY)
    assert [(r.upn, r.status) for r in report.results] == [(JOSE, "written"), (RUBY, "written")]
    assert "2 documents joined into 1 for LibreOffice" in caplog.messages  # the two covers
    for result in report.results:
        pupil = next(p for p in REGISTER.pupils if p.upn == result.upn)
        pages = [words(page.extract_text()) for page in PdfReader(str(result.pdf)).pages]
        assert len(pages) == result.pages and pupil.name in pages[0]
        contents = dict(result.contents)
        assert "SEND SUPPORT PLAN – SMART TARGETS" in pages[contents["IEP: Autumn 2026"] - 1]
        for text in pages:
            for other in REGISTER.pupils:
                if other.upn != pupil.upn:
                    assert other.upn not in text and other.name not in text, (result.upn, other.label)
