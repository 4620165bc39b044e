"""Build formkit's two bundled Word templates with python-docx.

    python scripts/build_templates.py [OUTDIR]

writes ``iep.docx`` (the All Saints IEP, seed 003 Appendix B/C) and
``iep_smart.docx`` (the MIJS SMART plan with percentage bands, seed 000) into
OUTDIR (default: templates/docx in the repository).

The output is deterministic: the same script gives byte-identical files, so the
built templates can be kept in the repository and rebuilt after a change here.

Rules the templates keep (docs/templates.md explains them to schools):
- every tag is typed in a run of its own, so Word's XML holds it in one piece;
- tags hold only variable names from formkit/context.py and the docxtpl row loops
  ``{%tr for t in targets %}`` / ``{%tr endfor %}``, each in a row of its own;
- ordinary Word formatting only (Table Grid, shading, Calibri 11), so a SENCo can
  open the file in Word or LibreOffice and change wording, logo and colours.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "templates" / "docx"

FONT = "Calibri"
HEADER_FILL = "D9E2F3"  # pale blue: shaded header rows, still clear on a grey-scale printer
LABEL_FILL = "F2F2F2"  # pale grey: the label cells of the details table
TITLE_COLOUR = RGBColor(0x1F, 0x38, 0x64)
CONFIDENTIAL_COLOUR = RGBColor(0xC0, 0x00, 0x00)
HINT_COLOUR = RGBColor(0x59, 0x59, 0x59)
MARGIN = Cm(1.5)
FIXED_TIME = datetime(2026, 1, 1, tzinfo=timezone.utc)

IEP_COLUMNS = (
    "Target",
    "Achievement criteria",
    "Possible resources & techniques",
    "Possible class strategies/support",
    "Outcome",
)
IEP_FIELDS = ("target", "achievement_criteria", "resources", "strategies", "outcome")
SMART_COLUMNS = ("No.", "Target", "Baseline %", "Half-term achieved %", "Target achieved %")


# --------------------------------------------------------------------------- document


def new_document(*, landscape: bool, title: str) -> Document:
    doc = Document()
    section = doc.sections[0]
    width, height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.header_distance = Cm(0.8)
    section.footer_distance = Cm(0.8)
    _set_defaults(doc, usable_width(doc))
    props = doc.core_properties
    props.title = title
    props.author = "formkit"
    props.last_modified_by = "formkit"
    props.revision = 1
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    return doc


def usable_width(doc: Document) -> int:
    section = doc.sections[0]
    return section.page_width - section.left_margin - section.right_margin


def _set_defaults(doc: Document, width: int) -> None:
    """Calibri 11, British English, modest paragraph spacing, header/footer tabs."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-GB")
    lang.set(qn("w:eastAsia"), "en-GB")
    spacing = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "80")
    spacing.set(qn("w:line"), "252")

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)

    heading = doc.styles["Heading 1"]
    heading.font.name = FONT
    heading.font.size = Pt(15)
    heading.font.bold = True
    heading.font.color.rgb = TITLE_COLOUR
    heading.paragraph_format.space_before = Pt(0)
    heading.paragraph_format.space_after = Pt(2)
    fonts = heading.element.rPr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)

    for name in ("Header", "Footer"):
        style = doc.styles[name]
        style.font.size = Pt(9)
        tabs = style.element.pPr.find(qn("w:tabs"))
        for tab in list(tabs):
            tabs.remove(tab)
        style.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)


def save_deterministic(doc: Document, path: Path) -> None:
    """Save with fixed zip timestamps so a rebuild gives the same bytes, with only
    the styles the template uses (python-docx's blank document has 164)."""
    from formkit.ooxml.styles import trim_styles

    buffer = io.BytesIO()
    doc.save(buffer)
    buffer = io.BytesIO(trim_styles(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


# --------------------------------------------------------------------------- runs


def add_text(paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False,
             size: float | None = None, colour: RGBColor | None = None):
    """One run holding ``text``; a tag is always passed whole to one call."""
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if size:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour
    return run


def add_field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES) as begin/instruction/separate/result/end runs."""

    def run_with(child) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def tight(paragraph: Paragraph, after: float = 0) -> Paragraph:
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


# --------------------------------------------------------------------------- tables


def new_table(doc: Document, rows: int, widths: list[int]) -> Table:
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(sum(int(w) for w in widths) // 635))
    tbl_w.set(qn("w:type"), "dxa")
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", 40), ("left", 100), ("bottom", 40), ("right", 100)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(value))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    look = tbl_pr.find(qn("w:tblLook"))  # schema order: ... tblLayout, tblCellMar, tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
    for col, width in zip(table.columns, widths):
        col.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
    return table


def add_row(table: Table, widths: list[int]) -> _Row:
    row = table.add_row()
    for cell, width in zip(row.cells, widths):
        cell.width = width
    return row


def shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _tr_pr(row: _Row):
    return row._tr.get_or_add_trPr()


def repeat_as_header(row: _Row) -> None:
    """The row repeats at the top of each page the table runs onto (w:tblHeader)."""
    el = OxmlElement("w:tblHeader")
    _tr_pr(row).append(el)
    cant_split(row)


def cant_split(row: _Row) -> None:
    """The row is never broken across two pages (w:cantSplit)."""
    _tr_pr(row).insert(0, OxmlElement("w:cantSplit"))


def min_height(row: _Row, height: int) -> None:
    row.height = height
    tr_h = _tr_pr(row).find(qn("w:trHeight"))
    tr_h.set(qn("w:hRule"), "atLeast")


def cell_text(cell: _Cell, text: str, *, bold: bool = False, italic: bool = False,
              size: float | None = None, colour: RGBColor | None = None) -> Paragraph:
    paragraph = tight(cell.paragraphs[0])
    add_text(paragraph, text, bold=bold, italic=italic, size=size, colour=colour)
    return paragraph


def header_row(row: _Row, titles: tuple[str, ...]) -> None:
    for cell, title in zip(row.cells, titles):
        cell_text(cell, title, bold=True)
        shade(cell, HEADER_FILL)
    repeat_as_header(row)


def loop_rows(table: Table, widths: list[int], loop: str, cells: list[list[tuple[str, dict]]],
              data_height: int | None = None) -> None:
    """Three rows: ``{%tr for ... %}``, the data row, ``{%tr endfor %}``.

    docxtpl removes the two marker rows and repeats the data row once per item.
    ``cells`` gives, per column, the paragraphs of the data cell as (text, run format).
    """
    opener = add_row(table, widths)
    cell_text(_whole_row(opener), loop, size=9, colour=HINT_COLOUR)
    data = add_row(table, widths)
    for cell, paragraphs in zip(data.cells, cells):
        first = True
        for text, fmt in paragraphs:
            paragraph = tight(cell.paragraphs[0] if first else cell.add_paragraph())
            first = False
            add_text(paragraph, text, **fmt)
    cant_split(data)
    if data_height:
        min_height(data, data_height)
    closer = add_row(table, widths)
    cell_text(_whole_row(closer), "{%tr endfor %}", size=9, colour=HINT_COLOUR)


def _whole_row(row: _Row) -> _Cell:
    """A marker row is one cell across the table, so the tag reads on one line."""
    cells = row.cells
    return cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]


# --------------------------------------------------------------------------- parts


def header_and_footer(doc: Document) -> None:
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    add_text(header, "{{ school.name }}")
    add_text(header, "\t")
    add_text(header, "CONFIDENTIAL", bold=True, size=10, colour=CONFIDENTIAL_COLOUR)
    _bottom_border(header)

    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    add_text(footer, "Confidential – {{ pupil.name }} – {{ school.name }}")
    add_text(footer, "\tPage ")
    add_field(footer, "PAGE", "1")
    add_text(footer, " of ")
    add_field(footer, "NUMPAGES", "1")


def _bottom_border(paragraph: Paragraph) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "4"), ("space", "1"), ("color", "auto")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    p_pr.append(borders)


def title_block(doc: Document, title: str, subtitle: str) -> None:
    heading = doc.add_paragraph(style=doc.styles["Heading 1"])
    add_text(heading, title)
    school = tight(doc.add_paragraph(), after=6)
    add_text(school, subtitle, bold=True)


def details_table(doc: Document, label: int) -> Table:
    """Name, DOB, year, class, level of SEN, need, strengths, concerns, dates."""
    value = (usable_width(doc) - 2 * label) // 2
    widths = [label, value, label, value]
    rows = (
        ("Name", "{{ pupil.name }}", "DOB", "{{ pupil.dob }}"),
        ("Year", "{{ pupil.year }}", "Class", "{{ pupil.class }}"),
        ("Level of SEN", "{{ pupil.sen_status_label }}", "Primary need", "{{ pupil.primary_need_name }}"),
        ("Areas of strength", "{{ pupil.strengths }}", None, None),
        ("Areas of concern", "{{ pupil.concerns }}", None, None),
        ("Start date", "{{ iep.start_date }}", "Review date", "{{ iep.review_date }}"),
    )
    table = new_table(doc, len(rows), widths)
    for row, (label1, value1, label2, value2) in zip(table.rows, rows):
        cells = row.cells
        cell_text(cells[0], label1, bold=True)
        shade(cells[0], LABEL_FILL)
        if label2 is None:
            merged = cells[1].merge(cells[3])
            cell_text(merged, value1)
        else:
            cell_text(cells[1], value1)
            cell_text(cells[2], label2, bold=True)
            shade(cells[2], LABEL_FILL)
            cell_text(cells[3], value2)
        cant_split(row)
    return table


def spacer(doc: Document, points: float = 6) -> None:
    paragraph = tight(doc.add_paragraph())
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(points)


def parents_box(doc: Document, height: int) -> None:
    table = new_table(doc, 1, [usable_width(doc)])
    paragraph = cell_text(table.rows[0].cells[0], "Parents can support by: ", bold=True)
    add_text(paragraph, "{{ pupil.parents_can_support }}")
    cant_split(table.rows[0])
    min_height(table.rows[0], height)


# --------------------------------------------------------------------------- templates


def build_iep(path: Path) -> None:
    """The All Saints IEP (seed 003, Appendix B/C), A4 landscape."""
    doc = new_document(landscape=True, title="Individual Education Plan")
    header_and_footer(doc)
    title_block(doc, "INDIVIDUAL EDUCATION PLAN – {{ pupil.areas_numbered }}", "{{ school.name }}")
    details_table(doc, label=Cm(3.4))
    spacer(doc)

    total = usable_width(doc)
    first = Cm(6.2)
    rest = (total - first) // 4
    widths = [first, rest, rest, rest, total - first - 3 * rest]
    table = new_table(doc, 1, widths)
    header_row(table.rows[0], IEP_COLUMNS)
    loop_rows(
        table,
        widths,
        "{%tr for t in targets %}",
        [[("{{ t." + field + " }}", {})] for field in IEP_FIELDS],
        data_height=Cm(2.2),
    )
    spacer(doc)
    parents_box(doc, Cm(1.8))
    save_deterministic(doc, path)


def build_smart(path: Path) -> None:
    """The MIJS SMART plan (seed 000): targets with percentages and the band key."""
    doc = new_document(landscape=False, title="SEND Support Plan - SMART targets")
    header_and_footer(doc)
    title_block(doc, "SEND SUPPORT PLAN – SMART TARGETS", "{{ school.name }}")
    details_table(doc, label=Cm(3.4))

    smart = tight(doc.add_paragraph(), after=4)
    smart.paragraph_format.space_before = Pt(6)
    add_text(smart, "SMART targets are Specific, Measurable, Achievable, Relevant and Time-bound; "
                    "we review them together by the review date.", italic=True, size=10)

    total = usable_width(doc)
    number, percent = Cm(1.2), Cm(2.3)
    widths = [number, total - number - 3 * percent, percent, percent, percent]
    table = new_table(doc, 1, widths)
    header_row(table.rows[0], SMART_COLUMNS)
    plain: dict = {}
    loop_rows(
        table,
        widths,
        "{%tr for t in targets %}",
        [
            [("{{ t.number }}", {"bold": True})],
            [("{{ t.target }}", plain), ("{{ t.area }}", {"italic": True, "size": 9, "colour": HINT_COLOUR})],
            [("{{ t.baseline }}", plain)],
            [("{{ t.half_term }}", plain)],
            [("{{ t.achieved }}", plain)],
        ],
        data_height=Cm(1.6),
    )
    _centre_columns(table, (0, 2, 3, 4))

    key = tight(doc.add_paragraph(), after=3)
    key.paragraph_format.space_before = Pt(8)
    key.paragraph_format.keep_with_next = True
    add_text(key, "Percentage band key", bold=True)
    band = Cm(2.3)
    widths = [band, total - band]
    bands = new_table(doc, 1, widths)
    header_row(bands.rows[0], ("Band", "What it looks like"))
    loop_rows(
        bands,
        widths,
        "{%tr for b in bands %}",
        [[("{{ b.band }}", {"bold": True})], [("{{ b.descriptor }}", {})]],
    )
    spacer(doc)
    parents_box(doc, Cm(1.8))
    save_deterministic(doc, path)


def _centre_columns(table: Table, columns: tuple[int, ...]) -> None:
    for row in table.rows:
        if row.cells[0].text.startswith("{%tr"):
            continue
        for index in columns:
            for paragraph in row.cells[index].paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    build_iep(out / "iep.docx")
    build_smart(out / "iep_smart.docx")
    print(f"wrote {out / 'iep.docx'} and {out / 'iep_smart.docx'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
