"""The EHC needs-assessment evidence pack: one PDF per pupil.

:func:`make_evidence_packs` writes, for each chosen pupil, the parts of their
evidence (:mod:`formkit.ehc.evidence`) as Word documents in
``OUT/<Surname>, <Forename> (<UPN>)/``, converts every chosen pupil's parts to
PDF with LibreOffice in one go (:func:`formkit.documents.convert_joined`: one
template's parts joined, each PDF checked to name its own pupil), then every
pupil's cover together, and merges them (pypdf) behind a cover page and a contents page that
gives each part's page, into ``OUT/<Surname>, <Forename> (<UPN>) - EHC evidence
pack.pdf``. Each part has a PDF bookmark; every page is footed "Confidential",
with the pupil's initials and "evidence pack page x of y"; what is missing is
listed on the contents page and in the run's warnings. docs/ehc.md is the
user's description.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from ..documents import CompiledTemplate, JoinItem, build_context, convert_joined, find_soffice, uk_date
from ..errors import FormkitError, IdentityError, InputFileError, RegisterError
from ..files import CONFIDENTIAL, atomic_write, inside, private_dir
from ..forms import FormsConfig
from ..letters import read_professionals
from ..model import Pupil, Term
from ..records import default_store
from ..register import Register
from ..resources import find_template
from ..settings import Settings
from .config import EhcConfig
from .evidence import Parts, Sources, evidence_parts, initials
from .history import pupil_records
from .pages import footers
from .profiles import read_profiles

KIND = "EHC evidence pack"
Status = Literal["written", "kept", "failed"]


@dataclass
class PackResult:
    """One pupil's pack: where it is, its pages, its contents and what is missing."""

    upn: str
    name: str
    status: Status
    pdf: Path | None = None
    folder: Path | None = None
    pages: int = 0
    contents: list[tuple[str, int]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    reason: str = ""


@dataclass
class PackReport:
    """Every chosen pupil's pack, and what someone should look at. ``unproven``
    names the pupils whose pack was not made because an IEP named as theirs is
    not provably theirs."""

    out: Path
    results: list[PackResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unproven: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.status != "failed" for r in self.results)


def pack_pupils(register: Register, only: Sequence[str]) -> list[Pupil]:
    """The pupils named by UPN: each on the SEN register (there is a graduated
    approach to show). Raises RegisterError when none is named."""
    if not only:
        raise RegisterError("choose the pupil the evidence pack is for: --only UPN (an evidence pack holds one "
                            "pupil's records)", file=register.file)
    chosen = register.pupils_named(only)
    for pupil in chosen:
        if not pupil.on_register:
            raise RegisterError(f"{pupil.label} has SEN status {pupil.sen_status.value}, so is not on the SEN "
                                "register: there are no IEPs or reviews to send", file=register.file)
    return chosen


def make_evidence_packs(
    register: Register,
    settings: Settings,
    out: Path,
    *,
    only: Sequence[str],
    store: Path | None = None,
    provision_map: Path | None = None,
    ieps: Sequence[Path] = (),
    profiles: Path | None = None,
    professionals: Path | None = None,
    overwrite: bool = False,
    today: date | None = None,
    soffice: str | Path | None = None,
) -> PackReport:
    """Write each chosen pupil's evidence pack into ``out`` (see the module's
    docstring). Raises FormkitError before writing anything when LibreOffice, a
    pupil, the store or a sheet cannot be used; a pupil whose pack fails is a
    failed result, naming why: one whose IEP folders hold a file named as their
    IEP that is not provably theirs fails with nothing of theirs written, and is
    named in ``unproven``."""
    day = today or date.today()
    program = find_soffice(soffice)
    pupils = pack_pupils(register, only)
    where = store or default_store(settings.workspace, FormsConfig.load(settings).store)
    if where is not None and not where.exists():
        if store is not None:
            raise InputFileError("no records store here; give the store 'formkit read' keeps the forms in",
                                 file=str(store))
        where = None
    profile_sheet = read_profiles(register, profiles)
    professional_sheet = read_professionals(register, professionals)
    threshold = EhcConfig.load(settings).notional_threshold
    report = PackReport(out)
    for sheet in (profile_sheet, professional_sheet):
        if sheet is not None:
            report.warnings.extend(p.warning_text for p in sheet.problems)
    private_dir(out)
    made: list[_Pack] = []
    for pupil in pupils:
        stem = f"{pupil.surname}, {pupil.forename} ({pupil.upn})"
        pdf, folder = inside(out, f"{stem} - {KIND}.pdf"), inside(out, stem)
        if pdf.exists() and not overwrite:
            report.results.append(PackResult(pupil.upn, pupil.name, "kept", pdf, folder,
                                             reason="already there; --overwrite replaces it"))
            continue
        sources = Sources(settings, pupil_records(where, pupil.upn), profile_sheet, professional_sheet,
                          provision_map, ieps, threshold)
        try:
            made.append(_Pack(pupil, sources, folder, pdf, evidence_parts(pupil, sources, folder, day)))
        except IdentityError as exc:
            report.unproven.append(pupil.label)
            report.results.append(PackResult(pupil.upn, pupil.name, "failed", folder=folder, reason=exc.message))
        except FormkitError as exc:
            report.results.append(PackResult(pupil.upn, pupil.name, "failed", folder=folder, reason=str(exc)))
    _convert_parts(made, out, program)
    _covers(made, day, program, out)
    for pack in made:
        try:
            result = pack.failed or _assemble(pack, day)
        except FormkitError as exc:
            result = PackResult(pack.pupil.upn, pack.pupil.name, "failed", folder=pack.folder, reason=str(exc))
        report.results.append(result)
        report.warnings.extend(f"{pack.pupil.label}: {gap}" for gap in result.missing)
    order = {pupil.upn: number for number, pupil in enumerate(pupils)}
    report.results.sort(key=lambda r: order.get(r.upn, len(order)))
    return report


@dataclass
class _Pack:
    """One pupil's pack on its way: its parts written, then converted, then its cover."""

    pupil: Pupil
    sources: Sources
    folder: Path
    dest: Path
    found: Parts
    readers: list[PdfReader] = field(default_factory=list)
    cover: bytes = b""
    pages: list[tuple[str, int]] = field(default_factory=list)
    failed: PackResult | None = None

    def fail(self, reason: str) -> None:
        self.failed = self.failed or PackResult(self.pupil.upn, self.pupil.name, "failed", folder=self.folder,
                                                reason=reason)


def _convert_parts(packs: list[_Pack], out: Path, program: Path) -> None:
    """Every pack's Word parts to PDF in one go (joined where they share a
    template: one pupil's IEPs of several terms, several pupils' reviews), each
    checked to name its own pupil; then each pack's PDFs read."""
    items = [JoinItem(part.source, part.pdf, (pack.pupil.name,), (pack.pupil.name, pack.pupil.upn))
             for pack in packs for part in pack.found.parts if part.source.suffix == ".docx"]
    done = convert_joined(items, soffice=program, work_dir=out)
    for pack in packs:
        for part in pack.found.parts:
            if part.source in done.failed:
                pack.fail(f"{part.source.name} could not be made into a PDF: {done.failed[part.source]}")
        if pack.failed is None:
            try:
                pack.readers = [_read(p.pdf) for p in pack.found.parts]
            except FormkitError as exc:
                pack.fail(str(exc))


def _covers(packs: list[_Pack], day: date, program: Path, out: Path) -> None:
    """Each pack's cover and contents pages, numbered for the pages they take:
    all converted together, guessed at two pages, and made again (together)
    for the packs whose cover took another number of pages."""
    todo = {id(pack): 2 for pack in packs if pack.failed is None}
    for _ in range(4):
        if not todo:
            return
        items, pending = [], []
        for pack in packs:
            if id(pack) not in todo:
                continue
            front = todo[id(pack)]
            pack.pages, first = [], front + 1
            for part, reader in zip(pack.found.parts, pack.readers):
                pack.pages.append((part.title, first))
                first += len(reader.pages)
            try:
                source = _cover_source(pack, day)
            except FormkitError as exc:
                pack.fail(str(exc))
                del todo[id(pack)]
                continue
            items.append(JoinItem(source, source.with_suffix(".pdf"), (pack.pupil.name,),
                                  (pack.pupil.name, pack.pupil.upn)))
            pending.append(pack)
        done = convert_joined(items, soffice=program, work_dir=out)
        for pack, item in zip(pending, items):
            if item.source in done.failed:
                pack.fail(f"the evidence pack's cover could not be made: {done.failed[item.source]}")
                del todo[id(pack)]
                continue
            cover = item.dest.read_bytes()
            item.dest.unlink()
            actual = len(PdfReader(io.BytesIO(cover)).pages)
            if actual == todo[id(pack)]:
                pack.cover = cover
                del todo[id(pack)]
            else:
                todo[id(pack)] = actual
    for pack in packs:  # pragma: no cover - the front pages settle after one retry
        if id(pack) in todo:
            pack.fail("the evidence pack's contents would not settle on a page count")


def _assemble(pack: _Pack, day: date) -> PackResult:
    pupil, found = pack.pupil, pack.found
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pack.cover)), import_outline=False)
    for reader in pack.readers:
        writer.append(reader, import_outline=False)
    _foot(writer, f"Confidential \u2013 {initials(pupil)}")
    writer.add_outline_item(title="Cover", page_number=0)
    writer.add_outline_item(title="Contents", page_number=1)
    for title, first in pack.pages:
        writer.add_outline_item(title=title, page_number=first - 1)
    writer.page_mode = "/UseOutlines"
    writer.add_metadata({"/Title": f"{KIND}: {initials(pupil)}", "/Subject": CONFIDENTIAL,
                         "/Keywords": CONFIDENTIAL, "/Producer": "formkit"})
    buffer = io.BytesIO()
    writer.write(buffer)
    atomic_write(pack.dest, buffer.getvalue())
    for part in found.parts:
        if part.source.suffix == ".docx":
            part.pdf.unlink(missing_ok=True)
    return PackResult(pupil.upn, pupil.name, "written", pack.dest, pack.folder, len(writer.pages),
                      [("Cover", 1), ("Contents", 2), *pack.pages], found.missing)


def _read(path: Path) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        if not reader.pages:
            raise InputFileError("has no pages; run the evidence pack again", file=str(path))
        return reader
    except (PdfReadError, OSError, ValueError) as exc:
        raise InputFileError(f"cannot be read as a PDF ({exc}); run the evidence pack again", file=str(path)) from None


def _cover_source(pack: _Pack, day: date) -> Path:
    """The cover and contents pages as a .docx in the pupil's folder (kept there)."""
    settings = pack.sources.settings
    template = find_template("evidence_cover", settings.workspace, "ehc")
    if template is None:
        raise FormkitError("the template ehc/evidence_cover.docx is missing from formkit's installation; reinstall "
                           "formkit")
    term = next((t for t in settings.school.terms if t.start <= day <= t.end), None) or Term(
        name="(no term)", start=day, end=day)
    context = build_context(pack.pupil, settings.school, term, day)
    context["pack"] = {"date": uk_date(day)}
    context["sections"] = [{"title": title, "page": str(page)} for title, page in pack.pages]
    context["missing"] = pack.found.missing
    source = pack.folder / "00 Cover and contents.docx"
    atomic_write(source, CompiledTemplate(template).render(context, pupil=pack.pupil.label))
    return source


def _foot(writer: PdfWriter, text: str) -> None:
    """Lay the footer, with 'evidence pack page x of y', over every page."""
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in writer.pages]
    overlay = PdfReader(io.BytesIO(footers(sizes, text)))
    for page, foot in zip(writer.pages, overlay.pages):
        page.merge_page(foot)


__all__ = ["KIND", "PackReport", "PackResult", "make_evidence_packs", "pack_pupils"]
