"""Provision map in a real browser: a dry run as a table of cells, apply it, the report."""

from __future__ import annotations

import hashlib
import io

import openpyxl

from formkit.provision import new_map

from .conftest import SAMPLES, screenshot
from .test_term_page import choose_register

IMPACT = [SAMPLES / "returned" / name for name in (
    "Kirkwood, Sam - Impact.docx", "Pembridge, Alex - Impact.docx",
    "Thompson, Oliver - Impact (saved in LibreOffice).docx", "Impact tracker - Years 4 and 5.xlsx")]


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_dry_run_then_apply_then_the_report(browser_page, server):
    workbook = server.workspace.root / "Provision map.xlsx"
    new_map(SAMPLES / "register.xlsx", workbook, provisions=SAMPLES / "provisions.xlsx", settings=server.workspace.settings())
    before = digest(workbook)
    page = browser_page
    choose_register(page, server)
    page.goto(server.base + "/provision-map")
    assert page.eval_on_selector("#workbook", "e => e.value") == "Provision map.xlsx"
    page.set_input_files("#sources", [str(p) for p in IMPACT])
    page.click("text=Show what would change")
    page.wait_for_selector("#changes-title")
    assert page.inner_text("#changes-title") == "What would change"
    summary = page.inner_text("section .summary")
    assert summary.startswith(f"Dry run: {workbook} would change: ") and summary.endswith("Nothing was written.")
    rows = page.locator("table.changes tbody tr:not(.row-head)")
    assert rows.count() > 0
    assert page.locator("table.changes tr.row-head").first.inner_text().startswith("Row ")
    where, old, new = rows.first.locator("td").all_inner_texts()
    sheet, cell = where.split("!")
    assert digest(workbook) == before, "a dry run writes nothing"
    screenshot(page, "provision-dry-run")
    page.click("text=Apply the changes")
    page.wait_for_selector("text=Changes made")
    assert "The previous version is kept as" in page.inner_text("section .summary")
    assert digest(workbook) != before
    value = openpyxl.load_workbook(workbook)[sheet][cell].value
    shown = value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value)
    assert shown == new or str(value) in new
    assert len(list(server.workspace.root.glob("Provision map (backup*).xlsx"))) == 1
    screenshot(page, "provision-applied")
    page.click("text=See the report")
    page.wait_for_selector("h1:text('Provision map report')")
    assert page.locator("table").first.locator("tr.total th").inner_text() == "All pupils"
    screenshot(page, "provision-report")
    with page.expect_download() as caught:
        page.click("text=Download the chart (picture)")
    assert caught.value.path().read_bytes().startswith(b"\x89PNG")
    with page.expect_download() as caught:
        page.click("text=Download the report (Excel)")
    assert caught.value.suggested_filename == "Provision map report.xlsx"
    assert openpyxl.load_workbook(io.BytesIO(caught.value.path().read_bytes())).sheetnames


def test_the_map_is_updated_from_the_forms_kept_in_the_store(browser_page, server):
    page = browser_page
    choose_register(page, server)
    page.goto(server.base + "/provision-map")
    page.click("button:has-text(\"Make a new provision map\")")
    assert page.inner_text(".ok").startswith(f"Wrote {server.workspace.root / 'Provision map.xlsx'}: ")
    page.goto(server.base + "/forms-back")
    page.set_input_files("#forms-files", [str(p) for p in IMPACT])
    page.click("text=Read these forms")
    page.click("text=Keep them in the records store")
    page.goto(server.base + "/provision-map")
    assert page.is_checked("#store")
    page.click("text=Show what would change")
    page.wait_for_selector("#changes-title")
    assert "rows added" in page.inner_text("section .summary") or "row added" in page.inner_text("section .summary")


def test_without_sources_the_page_says_what_to_choose(browser_page, server):
    new_map(SAMPLES / "register.xlsx", server.workspace.root / "Provision map.xlsx", settings=server.workspace.settings())
    page = browser_page
    page.goto(server.base + "/provision-map")
    page.click("text=Show what would change")
    assert page.inner_text("[role=alert]") == (
        "Error: choose what to update the map from: the forms kept in the records store, or drop impact forms "
        "or a provisions sheet")
