"""A whole mailing in one call: the letters, their PDFs, and the print pack.

:func:`make_letters` is what ``formkit generate letters`` runs. It finds
LibreOffice before writing anything (so a missing soffice costs nothing), writes
the letters (:func:`formkit.letters.generate_letters`), converts every letter and
enclosed IEP to PDF joined into one document per worker, the first worker's
starting while the later letters are still being written
(:class:`formkit.documents.JoinedConversion`; in batches with ``join=False``),
merges the families' packs in mailing order into
one print-ready PDF (:func:`formkit.letters.pack.build_print_pack`), and writes
DIR/manifest.csv and DIR/mailing.csv. A document that does not convert makes its
letter fail, naming the pupil and the reason; the other packs are still made.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from ..documents import JoinedConversion, JoinItem, convert, find_soffice, missing_fonts
from ..errors import OutputError
from ..files import inside
from ..register import Register
from ..settings import Settings
from .letter import (
    LetterReport,
    LetterRequest,
    LetterResult,
    generate_letters,
    write_manifest,
)
from .pack import CoverPlan, PackItem, build_print_pack, plan_cover, write_mailing_csv

MAILING = "mailing.csv"
log = logging.getLogger("formkit")
Notify = Callable[[str], None]


def make_letters(
    register: Register,
    settings: Settings,
    out: Path,
    request: LetterRequest,
    *,
    pdf: bool = False,
    print_pdf: Path | None = None,
    soffice: str | Path | None = None,
    workers: int | None = None,
    notify: Notify | None = None,
    progress: Callable[[int], None] | None = None,
    expect: Callable[[int], None] | None = None,
    join: bool = True,
) -> LetterReport:
    """Write the letters of ``request`` into ``out``; with ``pdf`` (implied by
    ``print_pdf``) convert them and any enclosed IEPs; with ``print_pdf`` merge
    the posted letters into that file and write DIR/mailing.csv. ``progress``
    and ``expect`` are as for :func:`generate_letters`. The documents are
    converted joined (:class:`formkit.documents.JoinedConversion`), starting
    while the later letters are still being written, unless ``join`` is False
    (then one by one, in batches, as before joining was made). When every
    posted letter's pages are known before conversion, the print pack's cover
    is made first and converted with the letters.

    Raises ConversionError before writing anything when soffice is missing, and
    FormkitError as generate_letters does.
    """
    say = notify or (lambda message: None)
    program = find_soffice(soffice) if pdf or print_pdf else None
    if print_pdf is not None and print_pdf.is_dir():
        raise OutputError("is a folder; give a file name for the print pack, such as letters.pdf", file=str(print_pdf))
    jobs: dict[Path, JoinItem] = {}
    covers: list[CoverPlan] = []
    box: list[LetterReport] = []
    with ExitStack() as stack:
        stack.callback(_remove_covers, covers)
        joining = None
        if program is not None and join:
            ahead = _cover_ahead(box, out, request, covers) if print_pdf is not None else None
            joining = stack.enter_context(JoinedConversion(soffice=program, work_dir=out, workers=workers,
                                                           keep_pages=print_pdf is not None, alongside=ahead))

        def written(letter: LetterResult) -> None:
            for job in _jobs(out, letter, jobs):
                if joining is not None:
                    joining.add(job)

        def expecting(count: int) -> None:
            if joining is not None:
                joining.expect(count * (2 if request.attach_ieps is not None else 1))
            if expect:
                expect(count)

        report = generate_letters(register, settings, out, request, progress=progress, expect=expecting,
                                  written=written if program is not None else None)
        box.append(report)
        try:
            pages: dict[Path, list] = {}
            if program is not None:
                pages = _convert(report, jobs, program, workers, say, joining)
            if print_pdf is not None:
                _print_pack(report, print_pdf, program, request, say, pages, covers[0] if covers else None)
        finally:
            _remove_covers(covers)
            write_manifest(report)
    return report


def _remove_covers(covers: list[CoverPlan]) -> None:
    for plan in covers:
        shutil.rmtree(plan.source.parent, ignore_errors=True)
    covers.clear()


def _title(report: LetterReport) -> str:
    return f"{report.letter} – {report.term}"


def _posted(report: LetterReport, request: LetterRequest,
            pdf_of: Callable[[LetterResult], tuple[Path, ...] | None]) -> list[PackItem]:
    """The print pack's items, in mailing order: each posted letter with the
    PDFs ``pdf_of`` gives it (None: it has none)."""
    posted = sorted((r for r in report.letters if r.status != "failed" and r.delivery == "post"),
                    key=lambda r: r.order)
    items = []
    for r in posted:
        pdfs = pdf_of(r)
        if pdfs is None:
            continue
        label = f"{r.class_name}, {r.year}" if r.class_name else r.year
        items.append(PackItem(r.recipient, r.name, r.upn, label, r.address_lines, r.postcode, pdfs))
    return items


def _cover_ahead(box: list[LetterReport], out: Path, request: LetterRequest,
                 made: list[CoverPlan]) -> Callable[[Mapping[Path, int]], list[tuple[Path, Path]]]:
    """For :class:`JoinedConversion`: when every posted letter's pages are known
    before conversion, the cover made for them, to convert with the letters
    (``box`` holds the report by then; ``made`` gets the plan)."""
    def ahead(expected: Mapping[Path, int]) -> list[tuple[Path, Path]]:
        report = box[0]
        items = _posted(report, request, lambda r: _planned_pdfs(report, r, request))
        if not items or any(pdf not in expected for item in items for pdf in item.pdfs):
            return []
        counts = [sum(expected[pdf] for pdf in item.pdfs) for item in items]
        folder = Path(tempfile.mkdtemp(prefix=".formkit-cover-", dir=out))
        plan = plan_cover(items, counts, folder, title=_title(report), made_on=report.letter_date)
        made.append(plan)
        return [(plan.source, plan.pdf)]
    return ahead


def _planned_pdfs(report: LetterReport, letter: LetterResult, request: LetterRequest) -> tuple[Path, ...] | None:
    if not letter.file:
        return None
    pdfs = [_letter_pdf(report.out, letter)]
    if request.attach_ieps is not None:
        if not letter.iep:
            return None
        pdfs.append(_iep_pdf(report.out, letter))
    return tuple(pdfs)


def _letter_pdf(out: Path, letter: LetterResult) -> Path:
    return (out / letter.file).with_suffix(".pdf")


def _iep_pdf(out: Path, letter: LetterResult) -> Path:
    return inside(out, letter.year, Path(letter.iep).stem + ".pdf")


def _jobs(out: Path, letter: LetterResult, jobs: dict[Path, JoinItem]) -> list[JoinItem]:
    """The documents to convert for ``letter`` (it, and its IEP unless another
    letter has it already), also noted in ``jobs``."""
    if letter.status == "failed" or not letter.file:
        return []
    source = out / letter.file
    new = [JoinItem(source, _letter_pdf(out, letter), (letter.name, letter.recipient),
                    (letter.name, letter.recipient, letter.upn))]
    if letter.iep and Path(letter.iep) not in jobs:
        new.append(JoinItem(Path(letter.iep), _iep_pdf(out, letter), (letter.name,), (letter.name, letter.upn)))
    for job in new:
        jobs[job.source] = job
    return new


def _convert(report: LetterReport, jobs: dict[Path, JoinItem], program: Path, workers: int | None, say: Notify,
             joining: JoinedConversion | None) -> dict[Path, list]:
    """Convert the letters and IEPs (``joining`` has been given them as they were
    written; without it they are converted one by one in batches); the pages of
    those converted joined, by PDF."""
    out = report.out
    if not jobs:
        return {}
    missing = missing_fonts()
    if missing:
        report.warnings.append(
            f"the font{'s' if len(missing) > 1 else ''} {' and '.join(missing)} (metric-compatible with Calibri and "
            "Cambria) cannot be found, so the PDFs may break lines and pages differently from Word; install them "
            "(Debian/Ubuntu: fonts-crosextra-carlito fonts-crosextra-caladea)")
    say(f"Converting {len(jobs)} documents to PDF with LibreOffice ...")
    if joining is not None:
        done = joining.finish()
    else:
        done = convert([(job.source, job.dest) for job in jobs.values()], soffice=program, work_dir=out,
                       workers=workers)
    report.pdfs = sum(1 for source in done.converted if source in jobs)
    for index, result in enumerate(report.results):
        if not isinstance(result, LetterResult) or not result.file or result.status == "failed":
            continue
        source = out / result.file
        iep = Path(result.iep) if result.iep else None
        why = {"the letter": done.failed.get(source), "the IEP": done.failed.get(iep) if iep else None}
        failed = [f"{what} could not be made into a PDF: {reason}" for what, reason in why.items() if reason]
        if failed:
            report.results[index] = replace(result, status="failed", reason=failed[0])
            continue
        report.results[index] = replace(
            result, pdf=done.converted[source].relative_to(out).as_posix(),
            iep_pdf=done.converted[iep].relative_to(out).as_posix() if iep is not None else "")
    return done.pages


def _print_pack(report: LetterReport, dest: Path, program: Path | None, request: LetterRequest, say: Notify,
                pages: dict[Path, list], cover: CoverPlan | None) -> None:
    out = report.out
    items = _posted(report, request, lambda r: (out / r.pdf, *([out / r.iep_pdf] if request.attach_ieps is not None
                                                                else [])) if r.pdf else None)
    if not items:
        report.warnings.append("no letter is for posting, so no print pack was made")
        stale = out / MAILING
        if stale.exists():
            stale.unlink()
            report.warnings.append(f"removed {stale}, which listed an earlier run's envelopes")
        return
    say(f"Merging {len(items)} packs into {dest} ...")
    pack = build_print_pack(items, dest, title=_title(report), made_on=report.letter_date,
                            soffice=program, work_dir=out, pages=pages, cover=cover)
    if cover is not None:
        log.info("the print pack's cover %s", "was converted with the letters" if pack.cover_ahead else
                 "was made again: the packs did not have the pages it was made for")
    write_mailing_csv(pack, out / MAILING, report.letter)
    report.print_pdf = dest
    report.pack_pages = pack.pages
    report.packs = len(pack.entries)


__all__ = ["MAILING", "make_letters"]
