"""The print-ready pack: every family's letter (and IEP) in one PDF, in mailing order.

:func:`build_print_pack` merges the converted PDFs with pypdf. Each family's
pack starts on an odd page, so that printing the file double-sided never puts
two families on one sheet: a blank page follows any pack with an odd number of
pages. The file opens with an office cover page listing the packs (marked not to
be posted), itself padded to an even number of pages; its length is estimated
before it is made, so it is converted once (a longer one is made again). When
every letter's page count is known before conversion (joined letters that show
"page 1 of 1"), :func:`plan_cover` makes the cover first and it is converted
with the letters, costing no soffice start of its own. :func:`write_mailing_csv`
writes the list the office uses for envelopes and for checking the pile: each
pack's recipient, address lines, pupil, first page and page count.
"""

from __future__ import annotations

import io
import math
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from .. import guard
from ..documents import convert, merge_csv
from ..errors import ConversionError, InputFileError, OutputError
from ..files import CONFIDENTIAL, atomic_write, private_dir
from ..ooxml import trim_styles

ADDRESS_COLUMNS = 6
_COVER_ROW_MM, _COVER_LINE_MM = 6.15, 4.2
"""A cover row's height (a line of 9 pt text, at least 6 mm) and each wrapped line's, a little over LibreOffice's."""
_COVER_FIRST_MM, _COVER_PAGE_MM = 222.0, 260.0
"""The room for rows on the cover's first page (under the heading and note) and on each later page."""
_A4 = (595.28, 841.89)


@dataclass(frozen=True)
class PackItem:
    """One family's pack: its PDFs in order (the letter, then the IEP) and what
    the cover page and mailing.csv say about it."""

    recipient: str
    pupil: str
    upn: str
    class_name: str
    address_lines: tuple[str, ...]
    postcode: str
    pdfs: tuple[Path, ...]


@dataclass(frozen=True)
class PackEntry:
    """Where a pack is in the print file. ``page_count`` counts its printed
    pages; ``sheets`` the double-sided sheets it takes (a blank back page
    included)."""

    item: PackItem
    number: int
    first_page: int
    page_count: int

    @property
    def sheets(self) -> int:
        return math.ceil(self.page_count / 2)


@dataclass(frozen=True)
class CoverPlan:
    """A cover made before the letters are converted (:func:`plan_cover`), for
    the page counts they are expected to have: ``source`` is its .docx, ``pdf``
    where its PDF is to be, ``cover_pages`` the pages it is numbered for."""

    counts: tuple[int, ...]
    cover_pages: int
    source: Path
    pdf: Path


@dataclass(frozen=True)
class PrintPack:
    path: Path
    pages: int
    cover_pages: int
    entries: tuple[PackEntry, ...]
    cover_ahead: bool = False
    """Whether the cover planned before conversion (:func:`plan_cover`) was used."""


def _load(path: Path) -> list[PageObject]:
    """A converted PDF's pages, after the input guard."""
    guard.check_file(path, "pdf", max_bytes=guard.MAX_INPUT_BYTES * 5)
    data = path.read_bytes()
    try:
        pages = list(PdfReader(io.BytesIO(data)).pages)
    except (PdfReadError, OSError, ValueError) as exc:
        raise InputFileError(f"cannot be read as a PDF ({exc}); convert it again", file=str(path)) from None
    if not pages:
        raise InputFileError("has no pages; convert it again", file=str(path))
    return pages


def build_print_pack(
    items: Sequence[PackItem],
    dest: Path,
    *,
    title: str,
    made_on: date,
    soffice: str | Path | None = None,
    work_dir: Path | None = None,
    pages: Mapping[Path, Sequence[PageObject]] | None = None,
    cover: CoverPlan | None = None,
) -> PrintPack:
    """Merge ``items`` (already in mailing order) into ``dest``, whole or not at all.
    ``pages`` gives, for PDFs just made, the pages their files hold (the joined
    conversion's), which are merged as they are instead of reading the files back.
    ``cover`` is a cover planned and converted with the letters: it is used when
    the packs have exactly the pages it was made for and its PDF fits the pages
    it is numbered for; otherwise the cover is made (and converted) here.

    Raises OutputError when there is nothing to print or ``dest`` cannot be
    written, InputFileError for an unreadable PDF, ConversionError when the cover
    page cannot be made.
    """
    if not items:
        raise OutputError("there are no letters to print, so no print pack was made", file=str(dest))
    if dest.is_dir():
        raise OutputError("is a folder; give a file name for the print pack, such as letters.pdf", file=str(dest))
    known = pages or {}
    sources: dict[Path, Sequence[PageObject]] = {}
    for item in items:
        for pdf in item.pdfs:
            if pdf not in sources:
                sources[pdf] = known[pdf] if pdf in known else _load(pdf)
    counts = [sum(len(sources[pdf]) for pdf in item.pdfs) for item in items]
    made = _premade(cover, counts)
    if made is not None:
        cover_pages, front = cover.cover_pages, made  # type: ignore[union-attr]
        entries = _layout(items, counts, cover_pages)
    else:
        cover_pages, entries, front = _make_cover(items, counts, title, made_on, work_dir or dest.parent, soffice)
    writer = PdfWriter()
    writer.append(front)
    while len(writer.pages) < cover_pages:
        _pad(writer, always=True)
    for entry in entries:
        for pdf in entry.item.pdfs:
            for page in sources[pdf]:
                writer.add_page(page)
        _pad(writer)
    writer.add_metadata({"/Title": title, "/Subject": CONFIDENTIAL, "/Keywords": CONFIDENTIAL, "/Producer": "formkit"})
    buffer = io.BytesIO()
    writer.write(buffer)
    private_dir(dest.parent)
    try:
        atomic_write(dest, buffer.getvalue())
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror})", file=str(dest)) from None
    return PrintPack(dest, len(writer.pages), cover_pages, tuple(entries), made is not None)


def plan_cover(items: Sequence[PackItem], counts: Sequence[int], folder: Path, *, title: str,
               made_on: date) -> CoverPlan:
    """Write the cover's .docx into ``folder`` for packs of ``counts`` pages,
    to be converted with the letters (:func:`build_print_pack` uses it only if
    the packs turn out to have exactly those pages)."""
    cover_pages = _even(_cover_estimate(items))
    source = folder / "cover.docx"
    private_dir(folder)
    atomic_write(source, _cover_docx(_layout(items, list(counts), cover_pages), title, made_on), durable=False)
    return CoverPlan(tuple(counts), cover_pages, source, folder / "cover.pdf")


def _premade(cover: CoverPlan | None, counts: list[int]) -> PdfReader | None:
    if cover is None or cover.counts != tuple(counts) or not cover.pdf.is_file():
        return None
    try:
        reader = PdfReader(io.BytesIO(cover.pdf.read_bytes()))
        return reader if 0 < len(reader.pages) <= cover.cover_pages else None
    except (PdfReadError, OSError, ValueError):
        return None


def _make_cover(items: Sequence[PackItem], counts: list[int], title: str, made_on: date, folder: Path,
                soffice: str | Path | None) -> tuple[int, list[PackEntry], PdfReader]:
    """The cover converted on its own: numbered for its estimated pages, and made
    again for the pages it has if it is longer."""
    work = Path(tempfile.mkdtemp(prefix=".formkit-cover-", dir=folder))
    try:
        cover_pages = _even(_cover_estimate(items))
        for _ in range(2):
            entries = _layout(items, counts, cover_pages)
            cover = _cover_pdf(entries, title, made_on, work, soffice)
            actual = len(PdfReader(io.BytesIO(cover)).pages)
            if actual <= cover_pages:
                return cover_pages, entries, PdfReader(io.BytesIO(cover))
            cover_pages = _even(actual)
        raise ConversionError("the print pack's cover page would not settle on a page count")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _even(pages: int) -> int:
    return pages + pages % 2


def _pad(writer: PdfWriter, *, always: bool = False) -> None:
    """A blank page when the file has an odd number of pages (or ``always``), the size of the last."""
    if always or len(writer.pages) % 2:
        last = writer.pages[-1].mediabox
        writer.add_blank_page(width=float(last.width), height=float(last.height))


def _cover_estimate(items: Sequence[PackItem]) -> int:
    """The cover's pages, estimated from its rows a little on the long side, so
    that it is converted once: numbered for this many pages (a blank page or two
    more than it needs at worst), it is converted again only if it is longer."""
    pages, room = 1, _COVER_FIRST_MM
    for item in items:
        lines = max(math.ceil(len(item.recipient) / 40), math.ceil((len(item.pupil) + len(item.upn) + 3) / 34),
                    math.ceil(len(item.class_name) / 11), 1)
        height = _COVER_ROW_MM + _COVER_LINE_MM * (lines - 1)
        if height > room:
            pages, room = pages + 1, _COVER_PAGE_MM
        room -= height
    return pages


def _layout(items: Sequence[PackItem], counts: list[int], cover_pages: int) -> list[PackEntry]:
    entries = []
    page = cover_pages + 1
    for number, (item, count) in enumerate(zip(items, counts), 1):
        entries.append(PackEntry(item, number, page, count))
        page += _even(count)
    return entries


def _cover_pdf(entries: list[PackEntry], title: str, made_on: date, work: Path, soffice: str | Path | None) -> bytes:
    """The office cover page, converted."""
    source = work / "cover.docx"
    source.write_bytes(_cover_docx(entries, title, made_on))
    done = convert([(source, work / "cover.pdf")], soffice=soffice, work_dir=work, workers=1)
    if not done.ok:
        raise ConversionError(f"the print pack's cover page could not be made: {done.failed[source]}")
    return (work / "cover.pdf").read_bytes()


def _cover_docx(entries: list[PackEntry], title: str, made_on: date) -> bytes:
    """The office cover page as a .docx: a table of the packs."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(15))
    section.top_margin, section.bottom_margin = Mm(15), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(9)
    heading = doc.add_paragraph()
    heading.add_run(f"Print pack: {title}").bold = True
    heading.runs[0].font.size = Pt(14)
    total = entries[-1].first_page + _even(entries[-1].page_count) - 1
    note = doc.add_paragraph(
        f"Made {made_on:%d/%m/%Y} by formkit: {len(entries)} packs, {total} pages. Print double-sided; each pack "
        "starts on a new sheet. OFFICE COPY – do not post these cover pages; shred them when the letters have gone."
    )
    note.runs[0].bold = True
    table = doc.add_table(rows=1, cols=6)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    widths = [Mm(11), Mm(15), Mm(12), Mm(64), Mm(56), Mm(22)]
    for column, width in zip(table.columns, widths):
        column.width = width
    for cell, text, width in zip(table.rows[0].cells, ("Pack", "First page", "Pages", "Recipient", "Pupil", "Class"),
                                 widths):
        cell.width = width
        cell.paragraphs[0].add_run(text).bold = True
    _repeat_header(table.rows[0])
    for entry in entries:
        row = table.add_row()
        values = (str(entry.number), str(entry.first_page), str(entry.page_count), entry.item.recipient,
                  f"{entry.item.pupil} ({entry.item.upn})", entry.item.class_name)
        for cell, text in zip(row.cells, values):  # add_row gives each cell its column's width
            cell.paragraphs[0].add_run(text)
        row.height = Mm(6)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    buffer = io.BytesIO()
    doc.save(buffer)
    return trim_styles(buffer.getvalue())  # python-docx's 164 styles, of which it uses 8


def _repeat_header(row) -> None:
    """The heading row repeats on every cover page and is never split."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert(0, OxmlElement("w:cantSplit"))
    tr_pr.append(OxmlElement("w:tblHeader"))


def write_mailing_csv(pack: PrintPack, path: Path, letter: str) -> None:
    """DIR/mailing.csv: one row per pack, in the print file's order, with the
    address split into lines for envelopes or labels, and the print file it
    is in (``print_file``: relative to DIR when inside it); cells
    formula-safe. The rows of an earlier run's print file that is still there
    are kept, so the CSV describes every print pack it names
    (:func:`formkit.documents.merge_csv`)."""
    header = ["pack", "recipient", *[f"address_{n}" for n in range(1, ADDRESS_COLUMNS + 1)], "postcode",
              "pupil", "upn", "class", "letter", "first_page", "page_count", "sheets", "print_file"]
    where = pack.path.resolve()
    folder = path.parent.resolve()
    shown = where.relative_to(folder).as_posix() if where.is_relative_to(folder) else str(where)
    rows = []
    for entry in pack.entries:
        item = entry.item
        lines = list(item.address_lines)
        if len(lines) > ADDRESS_COLUMNS:
            lines = [*lines[:ADDRESS_COLUMNS - 1], ", ".join(lines[ADDRESS_COLUMNS - 1:])]
        lines += [""] * (ADDRESS_COLUMNS - len(lines))
        rows.append([entry.number, item.recipient, *lines, item.postcode, item.pupil, item.upn, item.class_name,
                     letter, entry.first_page, entry.page_count, entry.sheets, shown])
    merge_csv(path, header, rows, key="print_file", within=False)


__all__ = ["CoverPlan", "PackEntry", "PackItem", "PrintPack", "build_print_pack", "plan_cover", "write_mailing_csv"]
