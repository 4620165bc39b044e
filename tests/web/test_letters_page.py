"""Letters in a real browser: choose the letter and the pupils, preview one, write
them with the print pack, download it and mailing.csv, see whom to email."""

from __future__ import annotations

import csv
import io
import zipfile

from click.testing import CliRunner
from pypdf import PdfReader

from formkit.cli import cli
from formkit.records import RecordStore
from formkit.register import load_register

from .conftest import SAMPLES, screenshot
from .test_accessibility import CONTRAST, UNLABELLED
from .test_term_page import choose_register

REGISTER = load_register(SAMPLES / "register.xlsx")
CLASS_3S = {p.upn: p for p in REGISTER.in_class("3S") if p.on_register}


def finished(page) -> None:
    """Wait for the run to end (the script reloads the page), and say why if it failed."""
    page.wait_for_selector("#done-title, main .error", timeout=300_000)
    assert page.locator("main .error").count() == 0, page.inner_text("main .error")


def test_preview_one_pupils_letter_as_a_pdf(browser_page, server):
    page = browser_page
    choose_register(page, server)
    page.click("nav >> text=Letters")
    page.select_option("#letter", label="Review invitation")
    page.click("text=Meeting or referral details")
    page.fill("#meeting-date", "2027-01-20")
    page.fill("#meeting-time", "15:30")
    pupil = next(p for p in REGISTER.on_register() if p.class_name == "6L")
    page.select_option("#pupil", value=pupil.upn)
    page.click("text=Preview this pupil's letter")
    page.wait_for_selector("main .error")
    assert page.inner_text("main .error") == (
        "Error: review_invite.docx needs who the meeting is with (--meeting-with 'Mrs Hughes (class teacher)', "
        "or a 'With' column in a Meetings sheet)")
    page.fill("#meeting-with", "the class teacher and the SENCo")
    page.click("text=Preview this pupil's letter")
    page.wait_for_selector("#preview-title")
    screenshot(page, "letters-preview")
    assert page.evaluate(UNLABELLED) == [] and page.evaluate(CONTRAST) == []
    answer = page.request.get(server.base + page.locator("text=Open the preview").get_attribute("href"))
    assert answer.headers["content-type"] == "application/pdf" and answer.body().startswith(b"%PDF-")
    previews = list((server.workspace.root / "Previews" / "Letter").rglob("*.docx"))
    assert len(previews) == 1 and f"({pupil.upn}) - Review invitation - " in previews[0].name
    assert page.input_value("#meeting-date") == "2027-01-20", "what was typed is kept for the real run"
    assert page.eval_on_selector("#letter", "e => e.value") == "review_invite"


def test_a_class_gets_its_letters_the_print_pack_and_mailing_csv(browser_page, server):
    page = browser_page
    choose_register(page, server)
    page.goto(server.base + "/letters")
    page.check("#choose-class")
    page.select_option("#class", "3S")
    assert page.is_checked("#pdf")
    page.click("button:has-text('Write the letters')")
    finished(page)
    screenshot(page, "letters-done")
    assert page.evaluate(UNLABELLED) == [] and page.evaluate(CONTRAST) == []
    assert page.is_checked("#choose-class") and page.input_value("#class") == "3S", "the choice is kept"
    summary = page.inner_text("#done-title ~ .summary")
    assert summary.startswith("Autumn 2026: 2 letters written, 0 kept (already there), 0 failed, from template "
                              "iep_cover.docx.")
    assert "Print pack: 1 pack, " in page.inner_text("main")
    emailed = page.locator("table", has_text="To email, not in the print pack")
    riley = next(p for p in CLASS_3S.values() if not p.contacts[0].address_lines)
    assert riley.name in emailed.inner_text() and riley.contacts[0].email in emailed.inner_text()
    polish = next(p for p in CLASS_3S.values() if p.contacts[0].home_language == "Polish")
    assert page.inner_text("ul.untranslated").startswith(f"{polish.label}: {polish.contacts[0].name} ")
    assert page.inner_text("ul.untranslated").endswith("(Polish)")

    with page.expect_download() as caught:
        page.click("text=Download the print pack (PDF)")
    pdf = PdfReader(io.BytesIO(caught.value.path().read_bytes()))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert polish.contacts[0].name in text and riley.contacts[0].name not in text
    with page.expect_download() as caught:
        page.click("text=Download the mailing list (mailing.csv)")
    rows = list(csv.DictReader(io.StringIO(caught.value.path().read_text("utf-8-sig"))))
    assert [(r["upn"], r["postcode"]) for r in rows] == [(polish.upn, polish.contacts[0].postcode)]
    with page.expect_download() as caught:
        page.click("text=Download the letters (Word, zip)")
    with zipfile.ZipFile(caught.value.path()) as zf:
        names = [n for n in zf.namelist() if n.endswith(".docx")]
    assert sorted(n.split("(")[1][:13] for n in names) == sorted(CLASS_3S)

    with RecordStore.open(server.workspace.store()) as db:
        assert {upn for upn in CLASS_3S if db.letters_for(upn)} == set(CLASS_3S)
    runs = (server.workspace.root / "formkit-audit.jsonl").read_text()
    assert '"command": "generate letters"' in runs and '"where": "in the workspace, #' in runs
    assert "Letters/iep_cover" not in runs
    for secret in (polish.surname, riley.surname, polish.upn):
        assert secret not in runs


def test_pupils_new_since_a_date_or_ticked_in_a_list(browser_page, server):
    page = browser_page
    choose_register(page, server)
    page.goto(server.base + "/letters")
    page.select_option("#letter", "sen_register")
    page.check("#choose-added")
    page.fill("#added-since", "2026-06-01")
    page.uncheck("#pdf")
    page.uncheck("#ieps") if page.is_enabled("#ieps") else None
    page.click("button:has-text('Write the letters')")
    finished(page)
    new = {p.upn for p in REGISTER.on_register() if p.date_added and p.date_added.isoformat() >= "2026-06-01"}
    assert len(new) == 2
    out = server.workspace.root / "Letters" / "sen_register"
    manifest = list(csv.DictReader(io.StringIO((out / "manifest.csv").read_text("utf-8-sig"))))
    assert {r["upn"] for r in manifest} == new and all(r["status"] == "written" for r in manifest)
    assert page.locator("text=Download the print pack").count() == 0

    page.select_option("#letter", "iep_cover")
    page.check("#choose-list")
    ticked = [p.upn for p in REGISTER.on_register()][3:5]
    for upn in ticked:
        page.check(f"#pupil-{upn}")
    page.uncheck("#pdf")
    page.click("button:has-text('Write the letters')")
    finished(page)
    manifest = list(csv.DictReader(io.StringIO((server.workspace.root / "Letters" / "iep_cover" / "manifest.csv")
                                               .read_text("utf-8-sig"))))
    assert {r["upn"] for r in manifest} == set(ticked)


def test_an_error_is_the_one_the_command_line_prints(browser_page, server, monkeypatch):
    page = browser_page
    choose_register(page, server)
    page.goto(server.base + "/letters")
    page.select_option("#letter", "sen_register")
    page.uncheck("#pdf")
    page.click("button:has-text('Write the letters')")
    page.wait_for_selector("main .error")
    shown = page.inner_text("main .error")
    monkeypatch.chdir(server.workspace.root)
    result = CliRunner().invoke(cli, ["generate", "letters", "--register", str(server.workspace.register.path),
                                      "--letter", "sen_register", "--out", "Letters/cli"])
    assert result.exit_code == 1
    assert shown == result.output.strip().splitlines()[-1]
    assert shown.startswith("Error: the sen_register letter tells families their child is being placed on the SEN "
                            "register, so choose the pupils")
    page.check("#choose-list")
    page.click("button:has-text('Write the letters')")
    page.wait_for_selector("main .error")
    assert page.inner_text("main .error") == "Error: tick the pupils to write to, or choose all the letter's pupils"
    assert not (server.workspace.root / "Letters" / "sen_register").exists()


def test_without_libreoffice_the_letters_are_written_in_word_and_the_preview_is_text(browser_page, server,
                                                                                      monkeypatch, tmp_path):
    monkeypatch.setenv("FORMKIT_SOFFICE", str(tmp_path / "no-soffice"))
    page = browser_page
    choose_register(page, server)
    page.goto(server.base + "/letters")
    assert page.is_disabled("#pdf") and not page.is_checked("#pdf")
    assert f"not possible: there is no soffice program at {tmp_path / 'no-soffice'}" in page.inner_text("label[for=pdf]")
    pupil = next(iter(CLASS_3S.values()))
    page.select_option("#pupil", value=pupil.upn)
    page.click("text=Preview this pupil's letter")
    page.wait_for_selector("#preview-title")
    assert page.inner_text("#preview-title ~ .note").startswith("No PDF: there is no soffice program at")
    assert pupil.contacts[0].name.split()[0] in page.inner_text(".preview")
    page.check("#choose-class")
    page.select_option("#class", "3S")
    page.click("button:has-text('Write the letters')")
    finished(page)
    assert page.locator("text=Download the print pack").count() == 0
    out = server.workspace.root / "Letters" / "iep_cover"
    assert len(list(out.rglob("*.docx"))) == 2 and not list(out.rglob("*.pdf"))


def test_a_class_letter_with_the_keyboard_alone(browser_page, server):
    page = browser_page
    choose_register(page, server)
    page.goto(server.base + "/letters")
    page.focus("#choose-all")
    page.keyboard.press("ArrowDown")  # the radio group: arrows move the choice
    page.keyboard.press("ArrowDown")
    assert page.is_checked("#choose-class")
    page.focus("#class")
    page.keyboard.type("3S")
    assert page.input_value("#class") == "3S"
    page.focus("#pdf")
    page.keyboard.press("Space")
    assert not page.is_checked("#pdf")
    page.focus("button:has-text('Write the letters')")
    page.keyboard.press("Enter")
    finished(page)
    assert page.inner_text("#done-title ~ .summary").startswith("Autumn 2026: 2 letters written")


def test_each_family_gets_their_own_childs_iep_in_the_print_pack(browser_page, server):
    from formkit.documents import generate

    page = browser_page
    choose_register(page, server)
    ws = server.workspace
    made = generate(ws.load_register(), ws.settings(), ws.root / "IEPs", only=list(CLASS_3S))
    assert made.count("written") == 2
    page.goto(server.base + "/letters")
    assert page.is_checked("#ieps")
    page.check("#choose-class")
    page.select_option("#class", "3S")
    page.click("button:has-text('Write the letters')")
    finished(page)
    out = ws.root / "Letters" / "iep_cover"
    manifest = {r["upn"]: r for r in csv.DictReader(io.StringIO((out / "manifest.csv").read_text("utf-8-sig")))}
    for upn in CLASS_3S:
        iep = next(f for f in manifest[upn]["files"].split("; ") if " - IEP - " in f)
        assert f"({upn}) - IEP - Autumn 2026.pdf" in iep
    with page.expect_download() as caught:
        page.click("text=Download the print pack (PDF)")
    pages = PdfReader(io.BytesIO(caught.value.path().read_bytes())).pages
    posted = next(p for p in CLASS_3S.values() if p.contacts[0].address_lines)
    ieps = [p.extract_text() for p in pages if "INDIVIDUAL EDUCATION PLAN" in p.extract_text()]
    assert len(ieps) == 1 and f"DOB {posted.dob:%d/%m/%Y}" in ieps[0], "the posted family's pack holds their IEP"
