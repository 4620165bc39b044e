"""Fillable PDFs: reading AcroForm fields, and filling a local authority's form."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from formkit.cli import cli
from formkit.errors import InputFileError
from formkit.forms.read import read_forms
from formkit.forms.pdf_form import PdfFormError, fill_values, load_mapping, pdf_fields, read_pdf
from formkit.resources import bundled

from tests.formhelpers import REGISTER

DATA = Path(__file__).resolve().parents[1] / "data" / "forms"
sys.path.insert(0, str(DATA))
from pdfmaker import make_pdf  # noqa: E402

SAMPLE_REGISTER = str(bundled("samples", "register.xlsx"))


def test_field_kinds_and_states():
    fields = {f.short_name: f for f in pdf_fields(DATA / "impact.pdf")}
    assert fields["parent_told"].type == "tick" and fields["parent_told"].on_state == "On"
    assert fields["impact_rating"].type == "radio" and fields["impact_rating"].value == "1"
    assert fields["entry_measure"].states == ("Standardised score", "Reading age (months)")


def test_checkbox_is_read_against_its_own_on_state(tmp_path):
    base = [{"name": "child_name", "type": "text", "value": "Grace Adeyemi"},
            {"name": "D.O.B", "type": "text", "value": "22/01/2016"},
            {"name": "referral_date", "type": "text", "value": "05/10/2026"},
            {"name": "Referred by", "type": "text", "value": "Ms Lawrence"}]
    ticks = [{"name": "area_cognition", "type": "tick", "states": ["Ja"], "value": "Ja"},
             {"name": "area_semh", "type": "tick", "states": ["Ja"], "value": "Off"},
             {"name": "concern_type", "type": "radio", "states": ["SEND", "PASTORAL"], "value": "SEND"}]
    path = tmp_path / "referral.pdf"
    path.write_bytes(make_pdf(base + ticks))
    raw = read_pdf(path)
    assert raw.kind == "referral"
    assert raw.values["area_cognition"].checked is True and raw.values["area_semh"].checked is False
    record = read_forms([path], register=REGISTER).records[0]
    assert record.values["areas_of_need"] == ["Cognition and learning"]
    assert record.values["concern_type"] == ["SEND"]
    assert record.upn == "G801200020049"


def test_xfa_only_form_is_refused():
    with pytest.raises(InputFileError) as caught:
        pdf_fields(DATA / "xfa.pdf")
    assert str(caught.value).endswith(
        "xfa.pdf: is an XFA form (made with Adobe LiveCycle Designer): its fields are not PDF form fields, so"
        " formkit cannot read or fill it. Ask for a fillable (AcroForm) version, or print it and fill it by hand")


def test_flat_pdf_is_rejected(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    path = tmp_path / "flat.pdf"
    with path.open("wb") as f:
        writer.write(f)
    assert read_forms([path]).files[0].reason == ("has no form fields (it is a flat PDF); formkit reads fillable PDF"
                                                  " forms")


def test_fill_values_are_checked_against_each_field():
    fields = pdf_fields(DATA / "la-request.pdf")
    context = {"pupil": {"name": "Ruby Clarke", "upn": "L801200025022", "dob": "23/05/2021"}}
    values = fill_values(fields, {"EHC plan": "yes", "Year group": "ks1", "Primary need": "ASD",
                                  "Child full name": "{{ pupil.name }}"}, context, form="la-request.pdf")
    assert values == {"EHC plan": "/Yes", "Year group": "/KS1", "Primary need": "ASD", "Child full name": "Ruby Clarke"}
    with pytest.raises(PdfFormError) as caught:
        fill_values(fields, {"EHC plan": "maybe"}, context, form="la-request.pdf", pupil="Ruby Clarke (L801200025022)")
    assert str(caught.value) == ("la-request.pdf, pupil Ruby Clarke (L801200025022): 'maybe' is not a state of the"
                                 " check box 'EHC plan'; it can be Yes (or yes) or Off (or no)")
    with pytest.raises(PdfFormError, match="'Year 9' is not one of the choices of 'Year group': Reception, KS1, KS2"):
        fill_values(fields, {"Year group": "Year 9"}, context, form="la-request.pdf")
    with pytest.raises(PdfFormError, match="'L8012000250221' is 14 characters; the field 'UPN' holds at most 13"):
        fill_values(fields, {"UPN": "{{ pupil.upn }}1"}, context, form="la-request.pdf")
    with pytest.raises(PdfFormError, match="the mapping names a field 'Surname' that the PDF does not have"):
        fill_values(fields, {"Surname": "x"}, context, form="la-request.pdf")


def test_cli_generate_pdf_fills_the_la_form_per_pupil(tmp_path):
    out = tmp_path / "requests"
    result = CliRunner().invoke(cli, ["generate", "pdf", "--form", str(DATA / "la-request.pdf"), "--fields",
                                      str(DATA / "la-request.toml"), "--register", SAMPLE_REGISTER, "--out", str(out),
                                      "--term", "Autumn 2026", "--only", "L801200025022,R801200021031"])
    assert result.exit_code == 0, result.output
    files = sorted(out.rglob("*.pdf"))
    assert [f.name for f in files] == ["Clarke, Ruby (L801200025022) - la-request.pdf",
                                      "Kirkwood, Sam (R801200021031) - la-request.pdf"]
    fields = {f.name: f.value for f in pdf_fields(files[0])}
    assert fields == {"Child full name": "Ruby Clarke", "Date of birth": "23/05/2021", "UPN": "L801200025022",
                      "School": "Hollybrook Primary School", "EHC plan": "Yes", "Primary need": "ASD",
                      "Year group": "KS1"}


def test_mapping_file_errors(tmp_path):
    bad = tmp_path / "map.toml"
    bad.write_text('"UPN" = 3\n', encoding="utf-8")
    with pytest.raises(InputFileError, match="the value of 'UPN' must be text in quotes"):
        load_mapping(bad)
