"""A whole mailing in one call: the letters, their PDFs, and the print pack.

:func:`make_letters` is what ``formkit generate letters`` runs. It finds
LibreOffice before writing anything (so a missing soffice costs nothing), writes
the letters (:func:`formkit.letters.generate_letters`), converts every letter and
enclosed IEP to PDF in as few soffice calls as the batch limit allows
(:func:`formkit.documents.convert`), merges the families' packs in mailing order into
one print-ready PDF (:func:`formkit.letters.pack.build_print_pack`), and writes
DIR/manifest.csv and DIR/mailing.csv. A document that does not convert makes its
letter fail, naming the pupil and the reason; the other packs are still made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..documents import JoinItem, convert, convert_joined, find_soffice, missing_fonts
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
from .pack import PackItem, build_print_pack, write_mailing_csv

MAILING = "mailing.csv"
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
    converted joined (:func:`formkit.documents.convert_joined`) unless ``join``
    is False (then one by one, in batches, as before joining was made).

    Raises ConversionError before writing anything when soffice is missing, and
    FormkitError as generate_letters does.
    """
    say = notify or (lambda message: None)
    program = find_soffice(soffice) if pdf or print_pdf else None
    if print_pdf is not None and print_pdf.is_dir():
        raise OutputError("is a folder; give a file name for the print pack, such as letters.pdf", file=str(print_pdf))
    report = generate_letters(register, settings, out, request, progress=progress, expect=expect)
    try:
        pages: dict[Path, list] = {}
        if program is not None:
            pages = _convert(report, program, workers, say, join, print_pdf is not None)
        if print_pdf is not None:
            _print_pack(report, print_pdf, program, request, say, pages)
    finally:
        write_manifest(report)
    return report


def _convert(report: LetterReport, program: Path, workers: int | None, say: Notify, join: bool,
             keep_pages: bool) -> dict[Path, list]:
    """Convert the letters and IEPs; the pages of those converted joined, by PDF
    (with ``keep_pages``, for the print pack)."""
    out = report.out
    jobs: dict[Path, JoinItem] = {}
    for letter in report.letters:
        if letter.status != "failed" and letter.file:
            source = out / letter.file
            jobs[source] = JoinItem(source, source.with_suffix(".pdf"), (letter.name, letter.recipient),
                                    (letter.name, letter.recipient, letter.upn))
            if letter.iep and Path(letter.iep) not in jobs:
                jobs[Path(letter.iep)] = JoinItem(Path(letter.iep), inside(out, letter.year, Path(letter.iep).stem +
                                                                           ".pdf"), (letter.name,),
                                                  (letter.name, letter.upn))
    if not jobs:
        return {}
    missing = missing_fonts()
    if missing:
        report.warnings.append(
            f"the font{'s' if len(missing) > 1 else ''} {' and '.join(missing)} (metric-compatible with Calibri and "
            "Cambria) cannot be found, so the PDFs may break lines and pages differently from Word; install them "
            "(Debian/Ubuntu: fonts-crosextra-carlito fonts-crosextra-caladea)")
    say(f"Converting {len(jobs)} documents to PDF with LibreOffice ...")
    if join:
        done = convert_joined(list(jobs.values()), soffice=program, work_dir=out, workers=workers,
                              keep_pages=keep_pages)
    else:
        done = convert([(job.source, job.dest) for job in jobs.values()], soffice=program, work_dir=out,
                       workers=workers)
    report.pdfs = len(done.converted)
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
                pages: dict[Path, list]) -> None:
    out = report.out
    posted = [r for r in report.letters if r.status != "failed" and r.delivery == "post" and r.pdf]
    posted.sort(key=lambda r: r.order)
    items = []
    for r in posted:
        pdfs = [out / r.pdf]
        if request.attach_ieps is not None:
            pdfs.append(out / r.iep_pdf)
        label = f"{r.class_name}, {r.year}" if r.class_name else r.year
        items.append(PackItem(r.recipient, r.name, r.upn, label, r.address_lines, r.postcode, tuple(pdfs)))
    if not items:
        report.warnings.append("no letter is for posting, so no print pack was made")
        stale = out / MAILING
        if stale.exists():
            stale.unlink()
            report.warnings.append(f"removed {stale}, which listed an earlier run's envelopes")
        return
    say(f"Merging {len(items)} packs into {dest} ...")
    pack = build_print_pack(items, dest, title=f"{report.letter} – {report.term}", made_on=report.letter_date,
                            soffice=program, work_dir=out, pages=pages)
    write_mailing_csv(pack, out / MAILING, report.letter)
    report.print_pdf = dest
    report.pack_pages = pack.pages
    report.packs = len(pack.entries)


__all__ = ["MAILING", "make_letters"]
