"""Many documents to PDF as one: joined, converted once per worker, cut back by page.

LibreOffice's cost is per document, so :func:`convert_joined` joins the rendered
documents of one template (``ooxml.write_joined``: each one section on its own
pages, page numbers restarting, its own headers and footers, a bookmark at its
start), converts the joined documents with :func:`formkit.documents.pdf.convert`
(one per worker, both workers busy, each with its own profile), and cuts each
joined PDF back into one PDF per document. A document's pages are proved, never
guessed:

- they run from its bookmark's named destination to the next document's, and
  every document of the joined PDF must have one, in order, on a later page
  than the one before;
- a document that shows its page count ("page 1 of 1") must have exactly the
  pages it was joined as showing (one, at first; a document that turned out
  longer is joined again showing the pages it has, then checked again);
- its pages must name all of its ``names`` (its pupil, its recipient) and no
  ``mark`` of any other document in the same joined PDF (another pupil's name,
  UPN or recipient), before its PDF is written.

A document that cannot be joined (another template's sections, footnotes,
numbered lists: see ``ooxml.joined``), or whose pages fail a check, is converted
on its own in today's batches instead; the log says how many and why at -v
(``formkit -v``), without naming anyone.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from ..errors import FormkitError
from ..files import atomic_write, private_dir
from ..ooxml import JOIN_MARK, Joinable, read_joinable, write_joined
from .pdf import START_SECONDS, Conversion, convert, find_soffice
from .pdf_text import TextReader

log = logging.getLogger("formkit")

MAX_JOINED = 250
"""Documents in one joined document, at most: a few seconds of LibreOffice each."""
SECONDS_PER_JOINED = 2
_DESTINATION = re.compile(re.escape(JOIN_MARK) + r"(\d{5})$")
_INFO = {"title": "/Title", "author": "/Author", "subject": "/Subject", "keywords": "/Keywords"}


@dataclass(frozen=True)
class JoinItem:
    """One document to convert: ``source`` .docx to ``dest`` .pdf. Its PDF must
    show every one of ``names``; no other document's ``marks`` may appear in it
    (so ``marks`` holds ``names`` and whatever else identifies it, such as a UPN)."""

    source: Path
    dest: Path
    names: tuple[str, ...]
    marks: tuple[str, ...]


@dataclass
class _Doc:
    item: JoinItem
    joinable: Joinable
    pages: int = 1


def convert_joined(
    items: Sequence[JoinItem],
    *,
    soffice: str | Path | None = None,
    work_dir: Path | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    keep_pages: bool = False,
) -> Conversion:
    """Convert each item's .docx to its .pdf, joined where that can be proved
    right; otherwise (and for anything a check refuses) one by one in batches.
    Returns a :class:`Conversion` as :func:`convert` does; with ``keep_pages``,
    its ``pages`` holds each joined PDF's pages by destination (for a merge). Raises ConversionError
    when soffice is missing or cannot run at all."""
    program = find_soffice(soffice)
    result = Conversion()
    if not items:
        return result
    workers = max(1, workers or min(os.cpu_count() or 1, 4))
    base = work_dir or items[0].dest.parent
    private_dir(base)
    alone: list[tuple[JoinItem, str]] = []
    groups: dict[str, list[_Doc]] = {}
    for item in items:
        try:
            joinable = read_joinable(item.source)
        except FormkitError as exc:
            alone.append((item, f"it could not be read for joining ({exc})"))
            continue
        if joinable.reason:
            alone.append((item, joinable.reason))
        else:
            groups.setdefault(joinable.key, []).append(_Doc(item, joinable))
    pending = []
    for docs in groups.values():
        if len(docs) == 1:
            alone.append((docs[0].item, "it is the only document from its template"))
        else:
            pending.extend(docs)
    work = Path(tempfile.mkdtemp(prefix=".formkit-joined-", dir=base)).resolve()
    try:
        for attempt in (1, 2):
            if not pending:
                break
            longer = _round(program, pending, work / f"round-{attempt}", workers, result, progress, keep_pages)
            pending = []
            for doc, pages in longer:
                if attempt == 1 and doc.joinable.counts_pages:
                    doc.pages = pages
                    pending.append(doc)
                else:
                    alone.append((doc.item, f"it has {pages} pages, not the {doc.pages} its page count showed"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    by_source = {item.source: item for item in items}
    for source, why in list(result.failed.items()):
        alone.append((by_source[source], why))
        del result.failed[source]
    if alone:
        _say(alone)
        done = convert([(item.source, item.dest) for item, _ in alone], soffice=program, work_dir=base,
                       workers=workers, progress=progress)
        result.converted.update(done.converted)
        result.failed.update(done.failed)
        result.calls += done.calls
    return result


def _round(program: Path, docs: list[_Doc], work: Path, workers: int, result: Conversion,
           progress: Callable[[int], None] | None, keep_pages: bool) -> list[tuple[_Doc, int]]:
    """Join, convert and cut ``docs``; the ones to join again, with the pages they had.
    A document whose pages fail a check other than its page count is put in
    ``result.failed`` for now and taken out again by the caller's batches."""
    work.mkdir(parents=True, mode=0o700)
    chunks = _chunks(docs, workers)
    sources = []
    for number, chunk in enumerate(chunks):
        source = work / f"joined-{number:03d}.docx"
        write_joined([(doc.joinable, doc.pages) for doc in chunk], source)
        sources.append((source, work / f"joined-{number:03d}.pdf"))
    log.info("%d document%s joined into %d for LibreOffice", len(docs), "s" if len(docs) > 1 else "", len(chunks))
    limit = START_SECONDS + SECONDS_PER_JOINED * max(len(chunk) for chunk in chunks)
    done = convert(sources, soffice=program, work_dir=work, workers=workers, batch_size=1, min_per_worker=1,
                   timeout=limit, marked=True)
    result.calls += done.calls
    again: list[tuple[_Doc, int]] = []
    for (source, pdf), chunk in zip(sources, chunks):
        if source not in done.converted:
            _refuse(chunk, f"its joined document did not convert ({done.failed.get(source, 'no PDF')})", result)
            continue
        again.extend(_cut(pdf, chunk, result, progress, keep_pages))
    return again


def _chunks(docs: list[_Doc], workers: int) -> list[list[_Doc]]:
    """Each template's documents in order, in pieces of at most MAX_JOINED, the
    pieces as even as lets every worker have one; the largest first, so that the
    workers finish together."""
    size = min(MAX_JOINED, max(2, -(-len(docs) // workers)))
    groups: dict[str, list[_Doc]] = {}
    for doc in docs:
        groups.setdefault(doc.joinable.key, []).append(doc)
    chunks = []
    for group in groups.values():
        count = -(-len(group) // size)
        step = -(-len(group) // count)
        chunks.extend(group[i:i + step] for i in range(0, len(group), step))
    return sorted(chunks, key=len, reverse=True)


def _refuse(chunk: list[_Doc], why: str, result: Conversion) -> None:
    for doc in chunk:
        result.failed[doc.item.source] = why


def _cut(pdf: Path, chunk: list[_Doc], result: Conversion, progress: Callable[[int], None] | None,
         keep_pages: bool) -> list[tuple[_Doc, int]]:
    try:
        reader = PdfReader(io.BytesIO(pdf.read_bytes()))
        starts = _starts(reader, len(chunk))
    except (PdfReadError, OSError, ValueError) as exc:
        _refuse(chunk, f"its joined PDF could not be cut ({exc})", result)
        return []
    texts = TextReader()
    info = {key: value for key, value in (reader.metadata or {}).items() if key in ("/Creator", "/Producer",
                                                                                       "/CreationDate")}
    again = []
    ends = [*starts[1:], len(reader.pages)]
    for index, (doc, first, end) in enumerate(zip(chunk, starts, ends)):
        pages = reader.pages[first:end]
        if doc.joinable.counts_pages and len(pages) != doc.pages:
            again.append((doc, len(pages)))
            continue
        why = _names_wrong(doc, chunk, "".join(texts.squashed(page) for page in pages))
        if why:
            result.failed[doc.item.source] = why
            continue
        writer = PdfWriter()
        for page in pages:
            writer.add_page(page)
        writer.add_metadata({**info, **{_INFO[k]: v for k, v in doc.joinable.properties.items()}})
        buffer = io.BytesIO()
        writer.write(buffer)
        try:
            private_dir(doc.item.dest.parent)
            atomic_write(doc.item.dest, buffer.getvalue(), durable=False)
        except (OSError, FormkitError) as exc:
            result.failed[doc.item.source] = (f"its PDF could not be saved as {doc.item.dest} "
                                              f"({getattr(exc, 'strerror', None) or exc})")
            continue
        result.converted[doc.item.source] = doc.item.dest
        if keep_pages:
            result.pages[doc.item.dest] = pages
        if progress:
            progress(1)
    return again


def _starts(reader: PdfReader, count: int) -> list[int]:
    """The first page of each joined document, from its named destination; raises
    ValueError unless there is one per document, each after the one before."""
    found: dict[int, int] = {}
    for name, destination in reader.named_destinations.items():
        match = _DESTINATION.search(name)
        if match:
            found[int(match.group(1))] = reader.get_destination_page_number(destination)
    starts = [found.get(number, -1) for number in range(1, count + 1)]
    if starts[0] != 0 or any(b <= a for a, b in zip(starts, starts[1:])) or starts[-1] >= len(reader.pages):
        raise ValueError("LibreOffice did not mark where each document starts")
    return starts


def _names_wrong(doc: _Doc, chunk: list[_Doc], text: str) -> str:
    """'' when the text names all of the document's names and no other
    document's marks; else why (without the names)."""
    own = {"".join(mark.split()) for mark in doc.item.marks}
    if not all("".join(name.split()) in text for name in doc.item.names):
        return "its pages did not name its own pupil and recipient"
    for other in chunk:
        if other is not doc:
            for mark in other.item.marks:
                squashed = "".join(mark.split())
                if squashed and squashed not in own and squashed in text:
                    return "its pages named another document's pupil or recipient"
    return ""


def _say(alone: list[tuple[JoinItem, str]]) -> None:
    for why, count in Counter(why for _, why in alone).items():
        log.info("%d document%s converted on %s own, in batches, not joined: %s", count, "s" if count > 1 else "",
                 "their" if count > 1 else "its", why)
    for item, why in alone:
        log.debug("not joined: %s: %s", item.source.name, why)


__all__ = ["JoinItem", "MAX_JOINED", "convert_joined"]
