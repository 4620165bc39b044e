"""What's due in a real browser: the same list as 'formkit due', its calendar, and the recent runs."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner

from formkit.cli import cli
from formkit.cycle import due_list
from formkit.register import load_register
from formkit.settings import load_settings

from .conftest import SAMPLES, screenshot
from .test_accessibility import CONTRAST, UNLABELLED
from .test_term_page import choose_register


def test_whats_due_is_the_command_lines_list_with_the_recent_runs(browser_page, server, monkeypatch):
    page = browser_page
    choose_register(page, server)
    root = server.workspace.root
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["due", "--register", str(server.workspace.register.path), "--on", "2026-12-01",
                                      "--weeks", "12"])
    assert result.exit_code == 0, result.output
    page.click("nav >> text=What's due")
    page.fill("#on", "2026-12-01")
    page.fill("#weeks", "12")
    page.click("text=Show what's due")
    page.wait_for_selector("#due-title")
    screenshot(page, "whats-due")
    assert page.evaluate(UNLABELLED) == [] and page.evaluate(CONTRAST) == []
    assert page.inner_text("#due-title ~ .summary") == result.output.splitlines()[0]
    found = due_list(load_register(SAMPLES / "register.xlsx"), load_settings(root / "formkit.toml").school.terms,
                     server.workspace.store(), on=date(2026, 12, 1), weeks=12)
    assert found.items, "the sample register has dates due"
    for title, items in (("Overdue", found.overdue), ("In the next 12 weeks", found.coming)):
        table = page.locator("table", has=page.locator(f"caption:text-is('{title}')"))
        if not items:
            assert table.count() == 0
            continue
        rows = table.locator("tbody tr")
        assert rows.count() == len(items)
        first = items[0]
        assert rows.first.inner_text().split("\t") == [first.day.strftime("%d/%m/%Y"), f"{first.pupil} ({first.upn})",
                                                        first.what]
    runs = page.locator("table", has=page.locator("caption:text-matches('newest first')"))
    assert "due" in runs.locator("tbody tr").first.inner_text()

    with page.expect_download() as caught:
        page.click("text=Download the dates to come")
    ics = caught.value.path().read_text()
    assert ics.startswith("BEGIN:VCALENDAR") and ics.count("BEGIN:VEVENT") == len(found.coming) + len(found.later)
    for item in found.items:
        assert item.pupil.split()[-1] not in ics, "the calendar names pupils by initials and UPN only"


def test_a_wrong_number_of_weeks_is_said_in_words(browser_page, server):
    page = browser_page
    choose_register(page, server)
    page.goto(server.base + "/due?on=2026-12-01&weeks=0")
    assert page.inner_text("main .error") == "Error: '0' is not a number of weeks from 1 to 104"
    page.goto(server.base + "/due?on=1%20Dec")
    assert page.inner_text("main .error") == "Error: '1 Dec' is not a date; give it as YYYY-MM-DD"


def test_whats_due_asks_for_the_register_first(browser_page, server):
    page = browser_page
    page.goto(server.base + "/due")
    assert page.inner_text("main .note") == "First choose or drop the SEN register on the Register page."
    assert "No runs yet." in page.inner_text("main")
