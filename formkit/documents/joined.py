"""Many documents to PDF as one: joined, converted once per worker, cut back by page.

LibreOffice's cost is per document, so :func:`convert_joined` joins the rendered
documents of one template (``ooxml.write_joined``: each one section on its own
pages, page numbers restarting, its own headers and footers, a bookmark at its
start), converts the joined documents with :func:`formkit.documents.pdf.convert`
(one per worker, both workers busy, each with its own profile), and cuts each
joined PDF back into one PDF per document. :class:`JoinedConversion` does the
same for documents that come one at a time as they are written, starting a
worker's soffice process as soon as its share is there, so LibreOffice converts
the first letters while the rest are still being written. A document's pages are
proved, never guessed:

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
import math
import os
import re
import shutil
import tempfile
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from ..errors import FormkitError
from ..files import atomic_write, private_dir
from ..ooxml import JOIN_MARK, Joinable, read_joinable, write_joined
from .pdf import MIN_PER_WORKER, START_SECONDS, Conversion, convert, find_soffice
from .pdf_text import TextReader

log = logging.getLogger("formkit")

MAX_JOINED = 300
"""Documents in one joined document, at most: a few seconds of LibreOffice each."""
FIRST_SHARE = 1.2
"""A document joined and converted while the rest are still being written takes this many
times its even share: it starts sooner, and the last one starts only when every document is
written, so an even split leaves one LibreOffice working alone at the end."""
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
    alongside: Callable[[Mapping[Path, int]], Sequence[tuple[Path, Path]]] | None = None,
) -> Conversion:
    """Convert each item's .docx to its .pdf, joined where that can be proved
    right; otherwise (and for anything a check refuses) one by one in batches.
    Returns a :class:`Conversion` as :func:`convert` does; with ``keep_pages``,
    its ``pages`` holds each joined PDF's pages by destination (for a merge).
    ``alongside`` is as for :class:`JoinedConversion`.

    Raises ConversionError when soffice is missing or cannot run at all."""
    with JoinedConversion(soffice=soffice, work_dir=work_dir, workers=workers, progress=progress,
                          keep_pages=keep_pages, alongside=alongside) as joining:
        joining.expect(len(items))
        for item in items:
            joining.add(item)
        return joining.finish()


@dataclass
class _Started:
    """One soffice process: its joined documents (each with its chunk), and the
    documents it converts as they are (not joinable, or handed in alongside)."""

    joined: list[tuple[list[_Doc], Path, Path]]
    plain: list[tuple[Path, Path]]
    work: Path
    future: Future[Conversion] | None = None

    @property
    def size(self) -> int:
        return sum(len(chunk) for chunk, _, _ in self.joined) + len(self.plain)


class JoinedConversion:
    """:func:`convert_joined` for documents that come one at a time, as they are
    written: once :meth:`expect` has said how many will come, a worker's share
    of one template's documents is joined and its soffice process started as
    soon as they are all there (never on the last document: what is left is
    joined when :meth:`finish` is called), so LibreOffice converts the first
    letters while the rest are still being written.

    ``alongside``, when given, is called once, when :meth:`finish` starts the
    last joined documents, with the pages each document that is joined and shows
    its page count will have if it converts (by its ``dest``; a count the joined
    PDF then proves). The (.docx, .pdf) pairs it returns (a cover page made for
    those counts) are converted in the same soffice process as the last joined
    document, so they cost no start of their own: each one converted is in
    ``converted``; one that does not convert is left out (and is not in
    ``failed``: the caller makes it another way).

    Use it as a context manager: leaving the block waits for any soffice
    process still running and removes the work files, whether or not
    :meth:`finish` was reached. Raises ConversionError when soffice is missing
    (on creation) or cannot run at all (from :meth:`finish`).
    """

    def __init__(self, *, soffice: str | Path | None = None, work_dir: Path | None = None, workers: int | None = None,
                 progress: Callable[[int], None] | None = None, keep_pages: bool = False,
                 alongside: Callable[[Mapping[Path, int]], Sequence[tuple[Path, Path]]] | None = None) -> None:
        self._program = find_soffice(soffice)
        self._base = work_dir
        self._workers = max(1, workers or min(os.cpu_count() or 1, 4))
        self._progress, self._keep_pages, self._alongside = progress, keep_pages, alongside
        self._result = Conversion()
        self._expected: int | None = None
        self._items: list[JoinItem] = []
        self._alone: list[tuple[JoinItem, str]] = []
        self._groups: dict[str, list[_Doc]] = {}
        self._joined: list[_Doc] = []
        self._started: list[_Started] = []
        self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="formkit-soffice")
        self._work: Path | None = None
        self._failed: dict[Path, str] = {}
        self._count = 0

    def __enter__(self) -> JoinedConversion:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True)
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)

    def expect(self, count: int) -> None:
        """Say how many documents :meth:`add` will be given (a guess is fine)."""
        self._expected = count

    def add(self, item: JoinItem) -> None:
        """Take ``item``'s document (already written); it is read now."""
        if self._base is None:
            self._base = item.dest.parent
        self._items.append(item)
        try:
            joinable = read_joinable(item.source)
        except FormkitError as exc:
            self._alone.append((item, f"it could not be read for joining ({exc})"))
            return
        if joinable.reason:
            self._alone.append((item, joinable.reason))
            return
        group = self._groups.setdefault(joinable.key, [])
        group.append(_Doc(item, joinable))
        if self._expected is not None and len(self._items) < self._expected:
            share = min(MAX_JOINED, max(2, math.ceil(self._expected * FIRST_SHARE / self._workers)))
            if len(group) >= share:
                self._start([group[:share]], "round-1")
                del group[:share]
                self._launch()

    def finish(self) -> Conversion:
        """Convert what is left, cut every joined PDF back into one PDF per
        document, join again the documents that turned out longer than their
        page count showed, and convert the rest one by one in batches."""
        result = self._result
        if not self._items:
            return result
        pending: list[_Doc] = []
        for docs in self._groups.values():
            if len(docs) == 1:
                self._alone.append((docs[0].item, "it is the only document from its template left to join"))
            else:
                pending.extend(docs)
        self._groups = {}
        running = sum(started.future is not None and not started.future.done() for started in self._started)
        slots = max(1, self._workers - running)
        chunks = _chunks(pending, slots) if pending else []
        extra: list[tuple[Path, Path]] = []
        if chunks and self._alongside is not None:
            extra = list(self._alongside({doc.item.dest: doc.pages for doc in [*self._joined, *pending]
                                          if doc.joinable.counts_pages}))
        if self._alone:
            _say(self._alone)
        plain, self._alone = [(item.source, item.dest) for item, _ in self._alone], []
        for joined, alone in _share(chunks, plain, slots):
            self._start(joined, "round-1", alone)
        waiting = [started for started in self._started if started.future is None]
        if extra and waiting:
            min(waiting, key=lambda started: started.size).plain.extend(extra)
        self._launch()
        if self._joined:
            _said(len(self._joined), self._count)
        retry = []
        for doc, pages in self._collect():
            if doc.joinable.counts_pages:
                doc.pages = pages
                retry.append(doc)
            else:
                self._alone.append((doc.item, f"it has {pages} pages, not the {doc.pages} its page count showed"))
        if retry:
            self._joined, before = [], self._count
            for joined, _ in _share(_chunks(retry, self._workers), [], self._workers):
                self._start(joined, "round-2")
            self._launch()
            _said(len(retry), self._count - before)
            for doc, pages in self._collect():
                self._alone.append((doc.item, f"it has {pages} pages, not the {doc.pages} its page count showed"))
        by_source = {item.source: item for item in self._items}
        for source, why in list(result.failed.items()):
            self._alone.append((by_source[source], why))
            del result.failed[source]
        result.failed.update(self._failed)
        if self._alone:
            _say(self._alone)
            done = convert([(item.source, item.dest) for item, _ in self._alone], soffice=self._program,
                           work_dir=self._base, workers=self._workers, progress=self._progress)
            result.converted.update(done.converted)
            result.failed.update(done.failed)
            result.calls += done.calls
        return result

    def _start(self, chunks: list[list[_Doc]], round_name: str, plain: Sequence[tuple[Path, Path]] = ()) -> None:
        """Join each of ``chunks``; one soffice process will convert them all, and
        ``plain`` as they are. In :meth:`add` the process starts at once; in
        :meth:`finish`, when :meth:`_launch` is called (so that what goes alongside
        can be added to the last one)."""
        if self._work is None:
            assert self._base is not None
            private_dir(self._base)
            self._work = Path(tempfile.mkdtemp(prefix=".formkit-joined-", dir=self._base)).resolve()
        work = self._work / round_name
        work.mkdir(mode=0o700, exist_ok=True)
        joined = []
        for chunk in chunks:
            number, self._count = self._count, self._count + 1
            source, pdf = work / f"joined-{number:03d}.docx", work / f"joined-{number:03d}.pdf"
            write_joined([(doc.joinable, doc.pages) for doc in chunk], source)
            self._joined.extend(chunk)
            joined.append((chunk, source, pdf))
        self._started.append(_Started(joined, list(plain), work))

    def _launch(self) -> None:
        """Start every soffice process :meth:`_start` has prepared and not started."""
        for started in self._started:
            if started.future is not None:
                continue
            documents = [*((source, pdf) for _, source, pdf in started.joined), *started.plain]
            limit = START_SECONDS + SECONDS_PER_JOINED * started.size
            started.future = self._pool.submit(
                convert, documents, soffice=self._program, work_dir=started.work, workers=1,
                batch_size=1, min_per_worker=1, timeout=limit, marked=True, together=[list(range(len(documents)))])
            log.debug("joined document %s started: %d documents and %d alongside",
                      ", ".join(str(int(source.stem.split("-")[-1]) + 1) for _, source, _ in started.joined),
                      sum(len(c) for c, _, _ in started.joined), len(started.plain))

    def _collect(self) -> list[tuple[_Doc, int]]:
        """Wait for every started conversion, cutting each joined PDF as it comes;
        the documents to join again, with the pages they had. A document whose
        pages fail a check other than its page count is put in ``failed`` for
        now and taken out again by :meth:`finish`'s batches; one converted as
        it is that has no PDF is failed for good (its process tried it twice)."""
        started, self._started = self._started, []
        by_future = {s.future: s for s in started if s.future is not None}
        items = {item.source for item in self._items}
        again: list[tuple[_Doc, int]] = []
        for future in as_completed(by_future):
            one = by_future[future]
            done = future.result()
            self._result.calls += done.calls
            for source, dest in one.plain:
                if source in done.converted:
                    self._result.converted[source] = dest
                    if self._progress and source in items:
                        self._progress(1)
                elif source in items:
                    self._failed[source] = done.failed.get(source, "LibreOffice did not write a PDF for it")
            for chunk, source, pdf in one.joined:
                if source not in done.converted:
                    _refuse(chunk, f"its joined document did not convert ({done.failed.get(source, 'no PDF')})",
                            self._result)
                    continue
                again.extend(_cut(pdf, chunk, self._result, self._progress, self._keep_pages))
        return again


def _share(chunks: list[list[_Doc]], plain: list[tuple[Path, Path]], slots: int
           ) -> list[tuple[list[list[_Doc]], list[tuple[Path, Path]]]]:
    """The joined documents and the documents converted as they are, shared out
    among at most ``slots`` soffice processes, each about as long as the others
    (a process is started only for MIN_PER_WORKER documents or more, as in
    :func:`convert`: a start costs about as much as that many documents)."""
    units: list[tuple[int, list[_Doc] | tuple[Path, Path]]] = [(len(c), c) for c in chunks] + [(1, p) for p in plain]
    if not units:
        return []
    slots = max(1, min(slots, len(units), sum(size for size, _ in units) // MIN_PER_WORKER))
    shares: list[tuple[list[list[_Doc]], list[tuple[Path, Path]]]] = [([], []) for _ in range(slots)]
    sizes = [0] * len(shares)
    for size, unit in sorted(units, key=lambda u: -u[0]):
        at = sizes.index(min(sizes))
        sizes[at] += size
        if isinstance(unit, list):
            shares[at][0].append(unit)
        else:
            shares[at][1].append(unit)
    return shares


def _said(documents: int, joined: int) -> None:
    log.info("%d document%s joined into %d for LibreOffice", documents, "s" if documents > 1 else "", joined)


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
    ranges = [reader.pages[first:end] for first, end in zip(starts, ends)]
    texts = ["".join(texts.squashed(page) for page in pages) for pages in ranges]
    wrong = _names_wrong(chunk, texts)
    for doc, pages, why in zip(chunk, ranges, wrong):
        if doc.joinable.counts_pages and len(pages) != doc.pages:
            again.append((doc, len(pages)))
            continue
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


def _names_wrong(chunk: list[_Doc], texts: list[str]) -> list[str]:
    """For each document of ``chunk`` and the text of its pages: '' when the
    text names all of the document's names and no other document's marks (a
    mark it shares with another document is its own); else why (without the
    names). Each mark is looked for once in all the texts put together, so a
    chunk costs time in proportion to its marks, not to their square."""
    wrong = ["" if all("".join(name.split()) in text for name in doc.item.names)
             else "its pages did not name its own pupil and recipient" for doc, text in zip(chunk, texts)]
    owners: dict[str, set[int]] = {}
    for index, doc in enumerate(chunk):
        for mark in doc.item.marks:
            squashed = "".join(mark.split())
            if squashed:
                owners.setdefault(squashed, set()).add(index)
    whole = "\0".join(texts)
    starts = list(accumulate((len(text) + 1 for text in texts[:-1]), initial=0))
    for mark, own in owners.items():
        at = whole.find(mark)
        while at != -1:
            index = bisect_right(starts, at) - 1
            if index not in own and not wrong[index]:
                wrong[index] = "its pages named another document's pupil or recipient"
            at = whole.find(mark, at + 1)
    return wrong


def _say(alone: list[tuple[JoinItem, str]]) -> None:
    for why, count in Counter(why for _, why in alone).items():
        log.info("%d document%s converted on %s own, not joined: %s", count, "s" if count > 1 else "",
                 "their" if count > 1 else "its", why)
    for item, why in alone:
        log.debug("not joined: %s: %s", item.source.name, why)


__all__ = ["JoinItem", "JoinedConversion", "MAX_JOINED", "convert_joined"]
