"""Generating fillable forms: real templates, tagged controls, placeholders cleared where filled."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from lxml import etree

from formkit.cli import cli
from formkit.errors import RegisterError
from formkit.forms.fields import FORMS, THREE_POINT, FormsConfig
from formkit.forms.generate import generate_forms, select_for_form
from formkit.ooxml.wordml import BLANK_PROMPT
from formkit.resources import bundled

from tests.formhelpers import REGISTER, SETTINGS, TERM_START, blank_form

REPO = Path(__file__).resolve().parents[2]
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "w14": "http://schemas.microsoft.com/office/word/2010/wordml"}
SAMPLE_REGISTER = str(bundled("samples", "register.xlsx"))


def controls_of(data: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return {sdt.find("w:sdtPr/w:tag", NS).get(f"{{{NS['w']}}}val"): sdt for sdt in root.iter(f"{{{NS['w']}}}sdt")}


def text(sdt: etree._Element) -> str:
    return "".join(sdt.find("w:sdtContent", NS).itertext())


def test_form_templates_are_built_by_the_script_deterministically(tmp_path):
    import subprocess
    import sys

    subprocess.run([sys.executable, str(REPO / "scripts" / "build_form_templates.py"), str(tmp_path)], check=True,
                   capture_output=True)
    for name in ("referral.docx", "iep_review.docx", "impact.docx"):
        assert (tmp_path / name).read_bytes() == (REPO / "templates" / "docx" / "forms" / name).read_bytes(), name


@pytest.mark.parametrize("kind", ["referral", "iep-review", "impact"])
def test_every_field_is_a_control_tagged_with_its_name_and_alias_and_label(kind):
    upn = "G801200020049" if kind == "referral" else "L801200025022"
    data = blank_form(kind, upn)
    found = controls_of(data)
    form = FORMS[kind]
    expected = {f.name for f in form.fields}
    expected |= {f"target_{n}_{f.name}" for n in range(1, 5) for f in form.target_fields
                 if f.name not in ("number", "target")}
    assert set(found) == expected
    for tag, sdt in found.items():
        alias = sdt.find("w:sdtPr/w:alias", NS).get(f"{{{NS['w']}}}val")
        assert alias, tag
    document = docx.Document(io.BytesIO(data))
    labels = {cell.text.strip() for table in document.tables for row in table.rows for cell in row.cells}
    for field in form.fields:
        assert field.label in labels or any(label.startswith(field.label) for label in labels), field.name


def test_placeholder_flag_is_cleared_where_formkit_filled_a_value():
    found = controls_of(blank_form("iep-review", "L801200025022"))
    for tag in ("pupil_name", "dob", "upn", "review_date"):
        assert found[tag].find("w:sdtPr/w:showingPlcHdr", NS) is None, tag
        assert found[tag].find(".//w:rStyle", NS) is None, tag
    assert text(found["pupil_name"]) == "Ruby Clarke"
    assert found["review_date"].find("w:sdtPr/w:date", NS).get(f"{{{NS['w']}}}fullDate") == "2026-12-09T00:00:00Z"
    for tag in ("pupil_views", "decision", "next_review_date", "target_1_outcome"):
        assert found[tag].find("w:sdtPr/w:showingPlcHdr", NS) is not None, tag
    # an unanswered box prints blank: no "Choose an item." or "Click or tap to enter a date." on paper
    assert text(found["decision"]) == text(found["next_review_date"]) == BLANK_PROMPT
    ids = [sdt.find("w:sdtPr/w:id", NS).get(f"{{{NS['w']}}}val") for sdt in found.values()]
    assert len(set(ids)) == len(ids)


def test_referral_ticks_the_pupils_areas_and_names_the_carer():
    found = controls_of(blank_form("referral", "A801200024022"))
    checked = {tag: sdt.find(".//w14:checked", NS).get(f"{{{NS['w14']}}}val") for tag, sdt in found.items()
               if sdt.find(".//w14:checkbox", NS) is not None}
    assert checked == {"concern_send": "0", "concern_pastoral": "0", "area_communication": "0",
                       "area_cognition": "0", "area_semh": "1", "area_sensory": "0"}
    assert text(found["carer_name"]) == "Tanya Smith"
    assert text(found["area_semh"]) == "\u2612"


def test_configured_scale_fills_the_drop_downs(tmp_path):
    config = FormsConfig(impact_scale=THREE_POINT)
    found = controls_of(blank_form("impact", "R801200021031", config))
    items = [i.get(f"{{{NS['w']}}}value") for i in found["impact_rating"].iter(f"{{{NS['w']}}}listItem")]
    assert items == ["Not achieved", "Partially achieved", "Achieved"]


def test_who_gets_which_form():
    referrals = select_for_form(REGISTER, "referral")
    assert [p.name for p in referrals][:2] == ["Tobiah Mensah", "Amelia-Rose Turner"]
    assert all(not p.on_register for p in referrals) and len(referrals) == 7
    assert len(select_for_form(REGISTER, "impact")) == 23
    assert [p.upn for p in select_for_form(REGISTER, "referral", ["r801200021031"])] == ["R801200021031"]
    with pytest.raises(RegisterError, match="no pupil with UPN B801200005001 could be read from the register"):
        select_for_form(REGISTER, "impact", ["B801200005001"])


def test_generate_forms_writes_year_folders_manifest_and_a_blank_referral(tmp_path):
    report = generate_forms(REGISTER, SETTINGS, tmp_path, kind="referral", term="Autumn 2026", today=TERM_START)
    assert report.ok and report.count("written") == 8
    assert (tmp_path / "Referral - blank form.docx").exists()
    assert (tmp_path / "Year 6" / "Adeyemi, Grace (G801200020049) - Referral - Autumn 2026.docx").exists()
    blank = controls_of((tmp_path / "Referral - blank form.docx").read_bytes())
    assert text(blank["child_name"]) == BLANK_PROMPT
    assert (tmp_path / "manifest.csv").read_text(encoding="utf-8-sig").startswith("upn,name,file,sha256,status,detail")
    again = generate_forms(REGISTER, SETTINGS, tmp_path, kind="referral", term="Autumn 2026", today=TERM_START)
    assert again.count("kept") == 8


def test_cli_generate_forms(tmp_path):
    out = tmp_path / "reviews"
    result = CliRunner().invoke(cli, ["generate", "forms", "--kind", "iep-review", "--register", SAMPLE_REGISTER,
                                      "--out", str(out), "--term", "Autumn 2026", "--only", "L801200025022"])
    assert result.exit_code == 0, result.output
    assert "Autumn 2026: 1 iep-review forms written, 0 kept (already there), 0 failed, from template iep_review.docx." \
        in result.output
    assert [p.name for p in out.rglob("*.docx")] == ["Clarke, Ruby (L801200025022) - IEP review - Autumn 2026.docx"]


def test_cli_generate_forms_refuses_an_unknown_kind(tmp_path):
    result = CliRunner().invoke(cli, ["generate", "forms", "--kind", "letter", "--register", SAMPLE_REGISTER,
                                      "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert ("Invalid value for '--kind': 'letter' is not one of 'referral', 'iep-review', 'impact', 'parent-views',"
            " 'pupil-views'.") in result.output


def test_the_workspace_copy_of_a_form_is_used(tmp_path):
    from formkit.forms.generate import template_path
    from formkit.settings import init_workspace, load_settings

    init_workspace(tmp_path / "school")
    settings = load_settings(tmp_path / "school" / "formkit.toml")
    assert template_path("impact", settings) == tmp_path / "school" / "templates" / "forms" / "impact.docx"
    assert template_path("impact", None).parent.name == "forms"
