"""The Register page in a real browser: drop the register, see its report."""

from __future__ import annotations

from .conftest import SAMPLES, screenshot


def test_the_start_page_lists_the_terms_jobs(browser_page):
    from formkit.web.app import PAGES

    page = browser_page
    assert page.title() == "Start · formkit"
    assert page.locator("nav a").all_inner_texts() == [label for _, _, label, _ in PAGES]
    assert page.locator(".cards h2").all_inner_texts() == [label for _, _, label, about in PAGES if about]
    assert page.inner_text("header .school") == "for Elm Street Academy"
    screenshot(page, "start")


def test_drop_the_sample_register_and_see_its_report(browser_page, server):
    page = browser_page
    page.click("text=Register")
    page.set_input_files("#register-file", str(SAMPLES / "register.xlsx"))
    page.click("text=Check this register")
    page.wait_for_selector("#report-title")
    assert page.inner_text(".summary").startswith(
        "30 rows read: 23 on the SEN register (18 K, 5 E), 7 without SEN; 0 errors, 0 warnings.")
    counts = page.locator("table.counts tr.total").inner_text().split("\t")
    assert counts == ["All", "18", "5", "7"]
    screenshot(page, "register")
    dropped = list((server.workspace.root / "Dropped files" / "Register").rglob("*"))
    assert [p.name for p in dropped if p.is_file()] == ["0001.xlsx"]
    assert server.workspace.register is not None and server.workspace.register.label == "register.xlsx"


def test_a_register_with_problems_shows_row_column_problem_and_fix(browser_page, tmp_path):
    lines = (SAMPLES / "register.csv").read_text(encoding="utf-8-sig").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("UPN,"))
    upn = lines[at + 1].split(",")[0]
    lines[at + 1] = lines[at + 1].replace(upn, "A123", 1)
    bad = tmp_path / "register.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = browser_page
    page.goto(page.url.split("/?")[0].rstrip("/") + "/register")
    page.set_input_files("#register-file", str(bad))
    page.click("text=Check this register")
    page.wait_for_selector("#report-title")
    error = page.locator("table").first.locator("tbody tr.error")
    assert error.count() == 1
    assert error.locator("td").all_inner_texts() == [
        str(at + 2), "UPN", "Error 'A123' is not a UPN", "a UPN is 13 characters, a letter then 12 digits (a temporary UPN ends in a letter)"]
    assert "1 not used because of errors; 1 error" in page.inner_text(".summary")
    screenshot(page, "register-problems")


def test_a_file_that_is_not_a_register_gets_the_clis_error(browser_page, tmp_path):
    fake = tmp_path / "register.xlsx"
    fake.write_text("not a workbook")
    page = browser_page
    page.goto(page.url.rstrip("/") + "/register")
    page.set_input_files("#register-file", str(fake))
    page.click("text=Check this register")
    page.wait_for_selector("[role=alert]")
    alert = page.inner_text("[role=alert]")
    assert alert == ("Error: register.xlsx: is not a Excel workbook (.xlsx): it holds neither a Word or Excel "
                     "package nor a PDF (plain text, or damaged). Open it and save it again as a Excel workbook (.xlsx)")
