"""Reading the small inputs in tests/data/forms/ against their golden records,
and every file's outcome with exact texts.

Golden files: tests/data/forms/<name>.expected.json hold the records (as
exported to JSON, without the import time) and the file's report lines. Run
with FORMKIT_REGEN=1 to rewrite them, then review the diff by hand.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from formkit.cli import cli
from formkit.records.exports import record_object
from formkit.forms.read import read_forms

from formkit.resources import bundled

from tests.formhelpers import REGISTER, blank_form

DATA = Path(__file__).resolve().parents[1] / "data" / "forms"


def golden(name: str, report) -> dict:
    got = {
        "records": [{k: v for k, v in record_object(r).items() if k != "imported_at"} for r in report.records],
        "report": report.files[0].text().replace(str(DATA) + os.sep, "").splitlines(),
    }
    path = DATA / f"{name}.expected.json"
    if os.environ.get("FORMKIT_REGEN"):
        path.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert got == json.loads(path.read_text(encoding="utf-8"))
    return got


@pytest.mark.parametrize("name", ["legacy.docx", "appendix-a.docx", "tracker.xlsx", "impact.pdf"])
def test_golden_records(name):
    report = read_forms([DATA / name], register=REGISTER)
    golden(name.rsplit(".", 1)[0], report)


def test_legacy_fields_and_a_header_control_are_read():
    record = read_forms([DATA / "legacy.docx"], register=REGISTER).records[0]
    assert record.upn == "R801200023004"  # from the content control in the page header
    assert record.values["entry_measure"] == "Standardised score"  # FORMDROPDOWN
    assert record.values["impact_rating"] == "+1"


def test_appendix_a_ticks_and_dates():
    report = read_forms([DATA / "appendix-a.docx"], register=REGISTER)
    record = report.records[0]
    assert record.upn == "A801200024022"  # matched by name and date of birth
    assert record.values["concern_type"] == ["PASTORAL"]
    assert record.values["areas_of_need"] == ["Communication and interaction", "Social, emotional and mental health"]
    assert report.files[0].text().splitlines()[1:] == [
        "  warning: field 'area_sensory': 'maybe' in a tick box is not a tick, so it is read as not ticked;"
        " use \u2713 or X",
        "  warning: field 'review_date': '23/11/26' has a 2-digit year; write it as dd/mm/yyyy, e.g. 03/02/2017;"
        " the date is left blank",
    ]


def test_without_a_register_the_forms_upn_is_kept_and_nothing_is_matched():
    report = read_forms([DATA / "appendix-a.docx", DATA / "impact.pdf"])
    assert [r.upn for r in report.records] == [None, "E801200020040"]


def test_a_pupil_not_on_the_register_is_a_warning(tmp_path):
    from formkit.ooxml import fill_document

    data = fill_document(blank_form("impact", "R801200021031"), {"upn": "B801200005001", "pupil_name": "Nobody Here",
                                                                "intervention": "Lexia"})
    path = tmp_path / "stranger.docx"
    path.write_bytes(data)
    outcome = read_forms([path], register=REGISTER).files[0]
    assert outcome.text().splitlines() == [
        f"read with warnings: {path} (impact, Nobody Here (B801200005001))",
        "  warning: field 'upn': no pupil on the register has this UPN, or this name and date of birth, so the"
        " record is kept without a register match; check the name and date of birth",
    ]


def test_a_name_that_does_not_fit_the_upn_is_a_warning(tmp_path):
    from formkit.ooxml import fill_document

    data = fill_document(blank_form("impact", "R801200021031"), {"pupil_name": "Ruby Clarke", "intervention": "Lexia"})
    path = tmp_path / "mixed.docx"
    path.write_bytes(data)
    outcome = read_forms([path], register=REGISTER).files[0]
    assert "  warning: field 'upn': the form names 'Ruby Clarke' but UPN R801200021031 is Sam Kirkwood on the" \
           " register; check the form is about the right child" in outcome.text().splitlines()


def test_rejected_files_say_why_and_the_rest_are_read(tmp_path):
    (tmp_path / "renamed.docx").write_bytes((DATA / "impact.pdf").read_bytes())
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "empty.docx").write_bytes(b"")
    (tmp_path / "blank.docx").write_bytes(blank_form("impact", "R801200021031"))
    (tmp_path / "xfa.pdf").write_bytes((DATA / "xfa.pdf").read_bytes())
    (tmp_path / "z-good.docx").write_bytes((DATA / "legacy.docx").read_bytes())
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    (tmp_path / "manifest.csv").write_text("upn,file\n", encoding="utf-8")
    hostile = tmp_path / "doctype.docx"
    with zipfile.ZipFile(DATA / "legacy.docx") as src, zipfile.ZipFile(hostile, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "b">]>', 1)
            dst.writestr(item, data)
    report = read_forms([tmp_path], register=REGISTER)
    lines = [line.replace(str(tmp_path) + os.sep, "") for line in report.text().splitlines()]
    assert lines[:2] == [
        "Error: blank.docx: nothing has been filled in on this form",
        "Error: doctype.docx: refused: its part word/document.xml declares a DOCTYPE or entities, which Word and"
        " Excel never write (entity expansion or external entities are an attack)",
    ]
    assert lines[2:6] == [
        "Error: empty.docx: is empty; it should be a Word document (.docx)",
        "Error: notes.txt: is not a form file formkit reads: give Word (.docx), PDF (.pdf) or Excel (.xlsx) files",
        "Error: renamed.docx: is not a Word document (.docx): it holds a PDF. Open it and save it again as a Word"
        " document (.docx)",
        "Error: xfa.pdf: is an XFA form (made with Adobe LiveCycle Designer): its fields are not PDF form fields,"
        " so formkit cannot read or fill it. Ask for a fillable (AcroForm) version, or print it and fill it by hand",
    ]
    assert lines[6].startswith("read with warnings: z-good.docx (impact, Alex Pembridge (R801200023004))")
    assert lines[-2:] == ["ignored (system files and formkit's lists): .DS_Store, manifest.csv",
                          "7 files: 0 read, 1 read with warnings, 6 rejected; 1 record."]
    assert not report.ok


def test_not_a_known_form(tmp_path, docx_factory):
    path = docx_factory("Minutes of the governors' meeting", "Present: all")
    outcome = read_forms([path]).files[0]
    assert outcome.reason == ("is not a form formkit knows: no referral, IEP review, intervention impact or views title"
                              " or labels found. Use the forms from 'formkit generate forms', or give --kind")


def test_cli_read_exit_code_and_outputs(tmp_path):
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    out = tmp_path / "records.csv"
    result = CliRunner().invoke(cli, ["read", str(DATA / "legacy.docx"), str(tmp_path / "bad.docx"), "--out", str(out),
                                      "--store", str(tmp_path / "store.sqlite")])
    assert result.exit_code == 1
    assert f"Error: {tmp_path / 'bad.docx'}: is not a Word document (.docx): it holds neither a Word or Excel" \
           " package nor a PDF (plain text, or damaged)." in result.output
    assert "2 files: 0 read, 1 read with warnings, 1 rejected; 1 record.\n" in result.output
    assert "Records store" in result.output and "1 added," in result.output
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == ("kind,upn,pupil_name,intervention,delivered_by,start_date,end_date,sessions_planned,"
                      "sessions_attended,entry_measure,entry_score,exit_score,impact_rating,comment,next_step,"
                      "source_file,source_sha256,imported_at")


def test_kind_can_be_forced():
    report = read_forms([DATA / "tracker.xlsx"], kind="referral")
    assert report.files[0].reason == ("is a spreadsheet; formkit reads impact records from tracker sheets, not"
                                      " referral forms")


def test_legacy_check_box_and_drop_down_states():
    from formkit.ooxml import controls as controls
    from formkit.ooxml import read_layouts as read_parts

    found = {c.tag: c for layout in read_parts(DATA / "legacy.docx") for c in layout.controls}
    assert found["parent_informed"].kind == "legacy-tick" and found["parent_informed"].checked is True
    assert found["impact_rating"].kind == "legacy-choice" and found["impact_rating"].text == "+1"
    assert found["end_date"].kind == "legacy-text" and found["end_date"].text == ""
    assert found["upn"].kind == "text" and found["upn"].text == "R801200023004"
    assert controls.TICKS >= {"\u2713", "x", "yes"}


def test_a_folder_formkit_wrote_reads_back_without_its_manifest(tmp_path):
    out = tmp_path / "Forms"
    runner = CliRunner()
    made = runner.invoke(cli, ["generate", "forms", "--kind", "impact", "--register", str(bundled("samples", "register.xlsx")),
                               "--out", str(out), "--only", "R801200021031"])
    assert made.exit_code == 0, made.output
    assert (out / "manifest.csv").is_file()
    report = read_forms([out], register=REGISTER)
    assert report.ignored == [str(out / "manifest.csv")]
    assert [f.reason for f in report.files] == ["nothing has been filled in on this form"]
