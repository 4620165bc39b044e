"""Every page: usable with the keyboard, every control labelled, text at WCAG 2.1 AA contrast."""

from __future__ import annotations

import pytest

from formkit.web.app import PAGES

from .conftest import SAMPLES, screenshot

CONTRAST = """() => {
  function rgb(text) { const m = text.match(/[\\d.]+/g); return m ? m.map(Number) : [0, 0, 0, 0]; }
  function lum(c) {
    const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function background(el) {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c;
    }
    return [255, 255, 255, 1];
  }
  const low = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || el.closest(".skip")) continue;
    const fg = lum(rgb(style.color)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const needed = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < needed) low.push(node.textContent.trim().slice(0, 40) + " " + ratio.toFixed(2));
  }
  return low;
}"""

UNLABELLED = """() => Array.from(document.querySelectorAll("input, select, textarea, button"))
  .filter(e => e.type !== "hidden")
  .filter(e => e.tagName === "BUTTON" ? !e.textContent.trim() : !(e.labels && e.labels.length) && !e.getAttribute("aria-label"))
  .map(e => e.outerHTML.slice(0, 80))"""


@pytest.fixture
def with_register(browser_page):
    page = browser_page
    page.goto(page.url.rstrip("/") + "/register")
    page.set_input_files("#register-file", str(SAMPLES / "register.xlsx"))
    page.click("text=Check this register")
    page.wait_for_selector("#report-title")
    return page


@pytest.mark.parametrize("url", [url for _, url, _, _ in PAGES] + ["/audit"])
def test_each_page_is_labelled_readable_and_keyboard_first(with_register, server, url):
    page = with_register
    page.goto(server.base + url)
    screenshot(page, "page-" + (url.strip("/") or "start"))
    assert page.evaluate(UNLABELLED) == []
    assert page.evaluate(CONTRAST) == []
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the page"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for _ in range(80):  # Tab reaches every control, each showing where focus is
        page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        tag = page.evaluate("document.activeElement.tagName")
        if tag == "BODY":
            break
        assert outline != "none", page.evaluate("document.activeElement.outerHTML.slice(0, 80)")


def test_the_register_can_be_dropped_with_the_keyboard_alone(browser_page, server):
    page = browser_page
    page.goto(server.base + "/register")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # skip to the page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "register-file"
    page.set_input_files("#register-file", str(SAMPLES / "register.xlsx"))  # the browser's own file chooser
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Check this register"
    page.keyboard.press("Enter")
    page.wait_for_selector("#report-title")
    assert "23 on the SEN register" in page.inner_text(".summary")
