"""Library pieces the page shows (and the command line may too)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from formkit.documents import preview_document
from formkit.errors import Problem, RegisterError
from formkit.forms import read_forms
from formkit.ooxml import text_lines
from formkit.register import load_register

from .conftest import SAMPLES


def test_a_problem_splits_into_what_is_wrong_and_how_to_fix_it():
    p = Problem("error", "the target is blank; write the target, or delete the row")
    assert (p.what, p.fix) == ("the target is blank", "write the target, or delete the row")
    p = Problem("error", "'A1' is not a UPN: a UPN is 13 characters")
    assert (p.what, p.fix) == ("'A1' is not a UPN", "a UPN is 13 characters")
    assert (Problem("warning", "odd").what, Problem("warning", "odd").fix) == ("odd", "")


def test_the_register_counts_pupils_by_year_and_status_and_finds_a_class():
    register = load_register(SAMPLES / "register.xlsx")
    counts = dict(register.counts())
    assert list(counts)[0] == "Reception" and list(counts)[-1] == "All"
    assert counts["All"] == {"N": 7, "K": 18, "E": 5}
    assert sum(row["K"] for year, row in register.counts() if year != "All") == 18
    assert register.classes() == ["1P", "2K", "3H", "3S", "4W", "5D", "6L", "RB"]
    assert {p.class_name for p in register.in_class(" 3h ")} == {"3H"}
    with pytest.raises(RegisterError) as caught:
        register.in_class("9Z")
    assert str(caught.value).endswith("no pupil is in class '9Z'; the classes are: 1P, 2K, 3H, 3S, 4W, 5D, 6L, RB")


def test_a_documents_text_in_reading_order():
    lines = text_lines(SAMPLES / "returned" / "Kirkwood, Sam - Impact.docx")
    assert lines[:2] == ["INTERVENTION IMPACT FORM", "Hollybrook Primary School"]
    assert lines.index("Pupil") + 1 == lines.index("Sam Kirkwood")


def test_returned_forms_are_reported_and_recorded_under_their_labels(tmp_path):
    stored = tmp_path / "0001.docx"
    shutil.copyfile(SAMPLES / "returned" / "Kirkwood, Sam - Impact.docx", stored)
    report = read_forms([stored], labels={stored: "Kirkwood, Sam - Impact.docx"})
    assert report.files[0].file == "Kirkwood, Sam - Impact.docx"
    assert report.records[0].source_file == "Kirkwood, Sam - Impact.docx"
    shown = dict(report.records[0].shown())
    assert shown["Intervention"] == "Lego-based therapy" and shown["Start date"] == "14/09/2026"


def test_a_preview_is_a_pdf_with_libreoffice(tmp_path):
    document = tmp_path / "form.docx"
    shutil.copyfile(SAMPLES / "returned" / "Kirkwood, Sam - Impact.docx", document)
    preview = preview_document(document)
    assert preview.pdf == document.with_suffix(".pdf")
    assert preview.pdf.read_bytes().startswith(b"%PDF-") and preview.lines == []


def test_without_libreoffice_a_preview_is_the_text_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMKIT_SOFFICE", str(tmp_path / "no-soffice"))
    document = tmp_path / "form.docx"
    shutil.copyfile(SAMPLES / "returned" / "Kirkwood, Sam - Impact.docx", document)
    preview = preview_document(document)
    assert preview.pdf is None and "Sam Kirkwood" in preview.lines
    assert preview.note.startswith(f"there is no soffice program at {tmp_path / 'no-soffice'}")
    assert not document.with_suffix(".pdf").exists()
