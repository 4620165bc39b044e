"""The web page's test harness: a real server on a free port, and real headless
Debian Chromium driven by Playwright (no browser download: Debian's
/usr/bin/chromium, which .ci/run installs when it is missing).

Every server is started on 127.0.0.1 port 0 (a free port) in the test's own
workspace, and stopped at the end of the test whatever happens.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from formkit.web import Server
from tests.conftest import fill_in_school

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--lang=en-GB"]
SHOTS = REPO / "tests" / "web" / "screenshots"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace made by 'formkit init', the school's details filled in."""
    from formkit.settings import init_workspace

    folder = tmp_path / "school"
    init_workspace(folder)
    fill_in_school(folder / "formkit.toml")
    return folder


@pytest.fixture
def server(workspace: Path) -> Iterator[Server]:
    running = Server(workspace, port=0)
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: apt-get install -y chromium chromium-driver (.ci/run does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium, server: Server, tmp_path: Path):
    """A fresh browser context (its own cookies and downloads) on the server's
    start page, opened with the token as the SENCo's browser is."""
    context = chromium.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900},
                                  locale="en-GB")
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(server.url)
    try:
        yield page
    finally:
        context.close()


def screenshot(page, name: str) -> Path:
    """Save the whole page as tests/web/screenshots/NAME.png (not committed), to look at."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
