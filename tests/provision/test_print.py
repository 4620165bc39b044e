"""The provision map prints as a school would print it: A4 landscape at a readable
size, three pages across with UPN, Pupil and the headings on each, wrapped text
in rows tall enough for it, and the layout kept when update grows the sheet.
The workbook is printed for real through LibreOffice Calc."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from formkit.documents.pdf import convert
from formkit.provision.update import new_map, update_map
from formkit.resources import bundled
from formkit.settings import load_settings

SETTINGS = load_settings(None, cwd=bundled("samples"))
LONG = ("Takes turns in a group of four with no reminders and now starts the game himself; still needs the"
        " adult to help him finish it")
SAM = {"kind": "impact", "upn": "R801200021031", "pupil_name": "Sam Kirkwood", "intervention": "Lego-based therapy",
       "delivered_by": "Mrs Ellis (TA)", "start_date": "2026-09-14", "end_date": "2026-12-04",
       "sessions_planned": 24, "sessions_attended": 21, "entry_measure": "Boxall Profile score", "entry_score": 42,
       "exit_score": 55, "impact_rating": "+1", "comment": LONG, "next_step": "Continue in spring"}
NEWCOMER = {**SAM, "upn": "E801200020040", "pupil_name": "Jordan Ellery-Shaw", "intervention": "Socially Speaking",
            "start_date": "2026-11-02", "comment": "Joins in", "next_step": "Keep going"}
NOTE = f"{LONG}. Next step: Continue in spring. Attended 21 of 24 sessions."


def layout(path: Path) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        setup = ws.page_setup
        out[ws.title] = (setup.orientation, setup.paperSize, setup.scale, ws.sheet_properties.pageSetUpPr.fitToPage
                         if ws.sheet_properties.pageSetUpPr else None, setup.fitToWidth, ws.print_title_rows,
                         ws.print_title_cols, [b.id for b in ws.col_breaks.brk], setup.pageOrder)
    return out


@pytest.fixture
def grown(tmp_path: Path) -> tuple[Path, dict]:
    """The sample map after an update that changes one row and adds another."""
    book = tmp_path / "Provision map.xlsx"
    new_map(bundled("samples", "register.xlsx"), book, settings=SETTINGS, provisions=bundled("samples", "provisions.xlsx"))
    before = layout(book)
    source = tmp_path / "impact.json"
    source.write_text(json.dumps([SAM, NEWCOMER]), encoding="utf-8")
    result = update_map(book, [source], register=bundled("samples", "register.xlsx"))
    assert (result.rows_updated, result.rows_added) == (1, 1)
    return book, before


def test_the_map_prints_three_pages_across_at_85_percent_with_its_headings_on_every_page(grown):
    book, before = grown
    assert layout(book) == before
    assert before["Provision"] == ("landscape", 9, 85, None, None, "$3:$3", "$A:$B", [8, 17], "overThenDown")
    assert before["Summary"][:4] == ("portrait", 9, None, True)
    assert before["Settings"][:4] == ("landscape", 9, None, True)


def row_heights(book: Path) -> dict[int, float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ws = load_workbook(book)["Provision"]
    return {n: d.height for n, d in ws.row_dimensions.items() if d.height}


def test_rows_formkit_writes_are_tall_enough_for_their_wrapped_text(grown):
    book, _ = grown
    heights = row_heights(book)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ws = load_workbook(book)["Provision"]
    sam = next(r for r in range(4, ws.max_row + 1) if ws[f"A{r}"].value == "R801200021031"
               and ws[f"F{r}"].value == "Lego-based therapy")
    assert ws[f"X{sam}"].value == NOTE
    assert heights[sam] >= 15 * 5  # 180 characters in a column 34 wide
    assert heights[3] == 45


def page_words(reader: PdfReader, number: int) -> list[tuple[float, float, str]]:
    found: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((tm[4], tm[5], text))

    reader.pages[number].extract_text(visitor_text=visit)
    return found


def test_printed_through_calc_no_text_is_cut_off_or_printed_over_the_next_row(grown, tmp_path):
    book, _ = grown
    pdf = tmp_path / "map.pdf"
    result = convert([(book, pdf)])
    assert result.ok, result.failed
    reader = PdfReader(pdf)
    text = [" ".join(page.extract_text().split()) for page in reader.pages]
    provision = [i for i, t in enumerate(text) if "UPN Pupil" in t]
    assert len(provision) % 3 == 0 and len(provision) >= 3
    assert len(reader.pages) == len(provision) + 2  # Summary and Settings: one page each
    for i in provision:
        assert "Confidential: SEN provision" in text[i] and f"Page {i + 1} of {len(reader.pages)}" in text[i]
    across = [text[i] for i in provision[:3]]
    assert "Delivered By" in across[0] and "Cost per Pupil" in across[1] and "Notes" in across[2]
    assert "Speech and language therapist" in " ".join(text)  # a role's whole name, wrapped, not cut off
    assert "Minutes per Session" in across[1]
    joined = " ".join(text)
    assert NOTE in joined
    # the note's lines all sit between its row's UPN and the next row's: nothing overprints
    page = next(i for i in provision if "Notes" in text[i] and "R801200021031" in text[i]
                and "Takes turns" in text[i])
    words = page_words(reader, page)
    upns = sorted({y for x, y, t in words if re.fullmatch(r"[A-Z]\d{12}", t.strip())}, reverse=True)
    sam_y = next(y for x, y, t in words if t.strip() == "R801200021031")
    below = max((y for y in upns if y < sam_y), default=0.0)
    note_x = next(x for x, y, t in words if t.startswith("Takes turns"))
    lines = [(y, t) for x, y, t in words if abs(x - note_x) < 1 and below < y <= sam_y + 1]
    assert " ".join(t.strip() for _, t in sorted(lines, reverse=True)) == NOTE
    assert "Cost (£)" in text[-2] and "All pupils" in text[-2]  # the Summary's cost column on its page


def test_the_report_workbook_prints_one_page_wide_with_its_chart_on_the_page(grown, tmp_path):
    from formkit.provision.report import build_report, write_report

    book, _ = grown
    report = build_report(book)
    out = write_report(report, tmp_path / "report.xlsx")
    pdf = tmp_path / "report.pdf"
    assert convert([(out, pdf)]).ok
    reader = PdfReader(pdf)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert len(reader.pages) == 2
    assert "Page 2 of 2" in text and "Confidential: SEN provision" in text
    for line in report.interventions:
        assert line.intervention in text and (line.measure or "") in text
        assert f"£{line.cost:,.2f}" in text  # the cost column is on the page, not cut off
    assert f"£{report.total.cost:,.2f}" in text and "Cost by year group" in text
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ws = load_workbook(out)["Report"]
    chart = ws._charts[0]
    assert chart.anchor._from.col == 0  # under the tables, not off to the right of the page
