"""Forms back in a real browser: drop the sample returned forms, see their values, keep them."""

from __future__ import annotations

from formkit.records import RecordStore

from .conftest import SAMPLES, screenshot
from .test_term_page import choose_register

RETURNED = sorted((SAMPLES / "returned").iterdir())


def test_drop_the_returned_forms_see_each_value_and_keep_them(browser_page, server):
    page = browser_page
    choose_register(page, server)
    page.goto(server.base + "/forms-back")
    page.set_input_files("#forms-files", [str(p) for p in RETURNED])
    page.click("text=Read these forms")
    page.wait_for_selector("#read-title")
    assert page.inner_text("#read-title + .summary") == (
        "9 files: 8 read, 1 read with warnings, 0 rejected; 11 records.")
    headings = page.locator("details.file > summary").all_inner_texts()
    assert "Read with warnings Pembridge, Alex - Impact.docx (impact: Alex Pembridge (R801200023004))" in headings
    assert page.locator("details.file[open]").count() == 1
    page.screenshot(path=str(screenshot(page, "forms-back-read").with_name("forms-back-read-top.png")))
    kirkwood = page.locator("details.file", has_text="Kirkwood, Sam - Impact.docx")
    kirkwood.locator("summary").click()
    rows = dict(r.split("\t", 1) for r in kirkwood.locator("tbody tr").all_inner_texts())
    assert rows["Intervention"] == "Lego-based therapy" and rows["Start date"] == "14/09/2026"
    assert rows["UPN"] == "R801200021031"
    warning = page.locator("details.file", has_text="Pembridge").locator(".note").inner_text()
    assert warning == ("Warning: field 'end_date': 31/11/2026 is not a real date; check it and write it as "
                       "dd/mm/yyyy; the date is left blank")
    page.click("text=Keep them in the records store")
    kept = page.inner_text(".ok")
    assert kept == ("Records store formkit-records.sqlite: 11 added, 0 replacing an earlier version (kept as "
                    "history), 0 unchanged (already in the store).")
    with RecordStore.open(server.workspace.store()) as db:
        records = db.records()
    assert len(records) == 11
    assert {s.record.source_file for s in records} >= {"Kirkwood, Sam - Impact.docx", "Impact tracker - Years 4 and 5.xlsx"}
    screenshot(page, "forms-back-kept")


def test_a_rejected_form_says_why_in_the_clis_words(browser_page, server, tmp_path):
    fake = tmp_path / "Smith, Jo - Impact.docx"
    fake.write_bytes(b"this is not a Word document")
    page = browser_page
    page.goto(server.base + "/forms-back")
    page.set_input_files("#forms-files", str(fake))
    page.click("text=Read these forms")
    page.wait_for_selector("#read-title")
    assert page.inner_text("details.file p.error").startswith("Error: Smith, Jo - Impact.docx: is not a Word document")
    assert page.inner_text("p.nothing") == "Nothing to keep: no record could be read."
