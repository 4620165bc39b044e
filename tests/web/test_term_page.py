"""Term start in a real browser: preview one IEP, write them all, download the zip."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile

from formkit.documents import BatchReport
from formkit.register import load_register

from .conftest import SAMPLES, screenshot


def choose_register(page, server):
    page.goto(server.base + "/register")
    page.set_input_files("#register-file", str(SAMPLES / "register.xlsx"))
    page.click("text=Check this register")
    page.wait_for_selector("#report-title")


def test_preview_one_pupils_iep_as_a_pdf(browser_page, server):
    page = browser_page
    choose_register(page, server)
    page.click("nav >> text=Term start")
    page.select_option("#pupil", label=page.locator("#pupil option").nth(2).inner_text())
    chosen = page.eval_on_selector("#pupil", "e => e.value")
    page.click("text=Preview this pupil's IEP")
    page.wait_for_selector("#preview-title")
    screenshot(page, "term-start-preview")
    link = page.locator("text=Open the preview")
    answer = page.request.get(server.base + link.get_attribute("href"))
    assert answer.headers["content-type"] == "application/pdf" and answer.body().startswith(b"%PDF-")
    previews = list((server.workspace.root / "Previews" / "IEP").rglob("*.docx"))
    assert len(previews) == 1 and f"({chosen})" in previews[0].name


def test_write_all_ieps_with_progress_and_download_the_zip(browser_page, server):
    page = browser_page
    choose_register(page, server)
    page.goto(server.base + "/term-start")
    page.click("text=Write all the IEPs")
    page.wait_for_selector("#done-title", timeout=120_000)
    summary = page.inner_text("#done-title + .summary, section .summary")
    assert summary.startswith("Autumn 2026: 23 IEPs written, 0 kept (already there), 0 failed, from template iep.docx.")
    screenshot(page, "term-start-done")
    with page.expect_download() as caught:
        page.click("text=Download the IEPs (zip)")
    data = caught.value.path().read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest = list(csv.DictReader(io.StringIO(zf.read("manifest.csv").decode("utf-8-sig"))))
        expected = {p.upn for p in load_register(SAMPLES / "register.xlsx").on_register()}
        assert {row["upn"] for row in manifest} == expected
        for row in manifest:
            assert row["status"] == "written"
            assert hashlib.sha256(zf.read(row["file"])).hexdigest() == row["sha256"]
            assert row["file"].endswith(f"({row['upn']}) - IEP - Autumn 2026.docx")
        assert len(zf.namelist()) == len(expected) + 1
    runs = (server.workspace.root / "formkit-audit.jsonl").read_text()
    assert '"command": "generate ieps"' in runs and '"documents": 23' in runs


def test_the_progress_bar_is_fed_from_the_batch_and_a_second_click_starts_nothing(browser_page, server):
    page = browser_page
    choose_register(page, server)
    page.goto(server.base + "/term-start")
    token = page.eval_on_selector("input[name=csrf]", "e => e.value")
    form = {"csrf": token, "template": "iep", "term": "Autumn 2026"}
    headers = {"Origin": server.base}
    first = page.request.post(server.base + "/term-start/write", form=form, headers=headers, max_redirects=0)
    second = page.request.post(server.base + "/term-start/write", form=form, headers=headers, max_redirects=0)
    job = first.headers["location"].split("job=")[1]
    assert second.headers["location"] == first.headers["location"], "the second click joined the running job"
    seen = []
    while True:
        progress = page.request.get(f"{server.base}/jobs/{job}.json").json()
        seen.append((progress["done"], progress["total"]))
        if progress["state"] != "running":
            break
    assert progress["state"] == "done" and progress["done"] == 23
    assert all(total == 23 for _, total in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    page.goto(server.base + "/term-start?job=" + job)
    assert page.inner_text("section .summary").startswith("Autumn 2026: 23 IEPs written")
    assert len([j for j in server.workspace.jobs._jobs.values() if j.kind == "ieps"]) == 1


def test_a_running_job_shows_a_progress_bar_that_the_script_follows(browser_page, server):
    import threading

    from formkit.web.jobs import Job

    release = threading.Event()

    def slow(job: Job) -> BatchReport:
        job.say("writing the IEPs")
        job.advance(5)
        release.wait(30)
        return BatchReport(out=server.workspace.root / "IEPs", template="iep.docx", term="Autumn 2026")

    page = browser_page
    choose_register(page, server)
    job = server.workspace.jobs.start("test", "Writing the IEPs", "ieps", slow, total=23)
    try:
        page.goto(f"{server.base}/term-start?job={job.id}")
        page.wait_for_function("document.querySelector('progress').value == 5")
        assert page.locator("progress").get_attribute("max") == "23"
        assert page.inner_text(".stage") == "5 of 23: writing the IEPs"
        screenshot(page, "term-start-progress")
    finally:
        release.set()
    page.wait_for_selector("#done-title")  # the script reloads the page when the job ends
    assert page.inner_text("section .summary").startswith("Autumn 2026: 0 IEPs written")


def test_without_libreoffice_the_preview_is_the_ieps_text(browser_page, server, monkeypatch, tmp_path):
    monkeypatch.setenv("FORMKIT_SOFFICE", str(tmp_path / "no-soffice"))
    page = browser_page
    choose_register(page, server)
    page.goto(server.base + "/term-start")
    label = page.locator("#pupil option").first.inner_text()
    page.click("text=Preview this pupil's IEP")
    page.wait_for_selector("#preview-title")
    assert page.inner_text(".note").startswith(f"No PDF: there is no soffice program at {tmp_path / 'no-soffice'}")
    assert label.split(" (")[0] in page.inner_text(".preview")


def test_term_start_asks_for_the_register_first(browser_page, server):
    page = browser_page
    page.goto(server.base + "/term-start")
    assert page.inner_text("main .note") == "First choose or drop the SEN register on the Register page."
    answer = page.request.post(server.base + "/term-start/write", headers={"Origin": server.base},
                               form={"csrf": server.workspace.csrf, "template": "iep"})
    assert answer.status == 400
    assert ("Error: no register is chosen yet; choose or drop the SEN register on the Register page first"
            in answer.text())


def test_a_runaway_template_is_stopped_in_the_pages_worker_thread(browser_page, server):
    """The page writes IEPs in a job's thread, where a signal sets no time limit:
    the school's own template that loops without end is stopped within its 2 s
    and named, and no IEP is written."""
    import time

    from tests.conftest import make_docx

    make_docx(server.workspace.root / "templates" / "runaway.docx",
              ["Name: {{ pupil.name }}", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"])
    page = browser_page
    choose_register(page, server)
    page.goto(server.base + "/term-start")
    page.select_option("#template", "runaway")
    start = time.monotonic()
    page.click("text=Write all the IEPs")
    page.wait_for_selector(".error[role=alert]", timeout=15_000)
    seconds = time.monotonic() - start
    assert page.inner_text(".error[role=alert]").startswith(
        "Error: runaway.docx: the template took over 2 s to fill in for one pupil")
    assert seconds < 8, f"stopped after {seconds:.1f} s"
    assert not list((server.workspace.root / "IEPs").rglob("*.docx"))
