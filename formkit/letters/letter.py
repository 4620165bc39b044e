"""Parent letters: one Word document per family, from the SEN register.

:func:`generate_letters` writes, for each chosen pupil, one letter per recipient
(see :mod:`formkit.letters.addressing`), from a letter template compiled once, in the
family's home language when a translated variant of the template exists. It
reuses the IEP batch's pieces: the compiled template, the per-pupil context,
whole-file writes, kept files and the manifest's shape. A pupil whose letter
cannot be made (no carer to write to, no IEP to enclose, a meeting date missing)
is a failed result naming the pupil and the reason; everyone else's letters are
written. docs/letters.md is the user's description.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..documents import (
    BatchReport,
    CompiledTemplate,
    DocumentResult,
    build_context,
    document_stem,
    empty_fields,
    merge_csv,
    render_one,
    uk_date,
    unreadable_results,
)
from ..errors import FormkitError, IdentityError, LetterError, TemplateError
from ..files import inside, private_dir
from ..model import Pupil
from ..register import Register
from ..resources import find_template
from ..settings import Settings
from .addressing import Recipient, recipients_for
from .details import (
    DETAIL_FIELDS,
    DetailField,
    DetailSheet,
    LetterDetails,
    check_notice,
    find_sheet,
    missing_message,
    needed,
    read_details,
    unknown,
)
from .enclosures import IepIndex, find_iep, iep_index
from .kinds import LETTERS, LetterKind, choose_pupils
from .languages import ENGLISH, language_name
from .professionals import ProfessionalSheet, default_invited, professional_recipients, professionals_for

MANIFEST = "manifest.csv"
_VARIANT = re.compile(r"[a-z]{2,3}")


@dataclass(frozen=True)
class LetterRequest:
    """What to write: the letter (a name or a .docx path) and its options.

    ``details`` are the command line's values for every pupil (a Meetings or
    Referrals sheet's row wins for its pupil). ``only`` and ``added_since``
    choose pupils; ``attach_ieps`` is the folder of IEPs to enclose;
    ``professionals`` is the Professionals file (default: the register's sheet).
    ``short_notice`` is the reason a meeting is sooner than the letter's notice
    allows; without it such a pupil's letter is refused. ``from_reviews`` maps
    the UPN of each pupil whose review decided what this letter follows to the
    agency it named ('' for none): they are the letter's pupils when neither
    ``only`` nor a sheet chooses them, and a sheet's or the options' agency wins.
    """

    letter: str | Path
    letter_date: date | None = None
    term: str | None = None
    only: Sequence[str] = ()
    added_since: date | None = None
    details: LetterDetails = LetterDetails()
    meetings: Path | None = None
    referrals: Path | None = None
    attach_ieps: Path | None = None
    overwrite: bool = False
    professionals: Path | None = None
    short_notice: str = ""
    from_reviews: Mapping[str, str] | None = None


@dataclass(frozen=True)
class LetterResult(DocumentResult):
    """One letter: the DocumentResult fields plus its recipient and, after
    conversion, its PDF. ``order`` is the mailing order (class, then surname)."""

    recipient: str = ""
    delivery: str = "post"
    language: str = ""
    year: str = ""
    class_name: str = ""
    address_lines: tuple[str, ...] = ()
    postcode: str = ""
    email: str = ""
    pdf: str = ""
    iep: str = ""
    iep_pdf: str = ""
    order: tuple[Any, ...] = ()


@dataclass
class LetterReport(BatchReport):
    """A letter run: results (one per letter, or per pupil that failed), the
    families whose letter is in English for want of a translation, and what
    the PDF and print-pack steps made. ``unproven`` names the pupils whose IEP
    could not be proved theirs, so whose letter was not made."""

    letter: str = ""
    letter_date: date = field(default_factory=date.today)
    untranslated: list[str] = field(default_factory=list)
    unproven: list[str] = field(default_factory=list)
    pdfs: int = 0
    print_pdf: Path | None = None
    pack_pages: int = 0
    packs: int = 0

    @property
    def letters(self) -> list[LetterResult]:
        return [r for r in self.results if isinstance(r, LetterResult) and r.file]

    @property
    def emailed(self) -> list[LetterResult]:
        return [r for r in self.letters if r.delivery == "email" and r.status != "failed"]

    def write_manifest(self) -> None:
        """DIR/manifest.csv with the letters' own columns (:func:`write_manifest`)."""
        write_manifest(self)


@dataclass
class LetterTemplate:
    """A letter template and its translated variants (``NAME.<code>.docx`` beside
    it), each compiled the first time a family needs it."""

    path: Path
    kind: LetterKind | None
    variants: dict[str, Path]
    _compiled: dict[str, CompiledTemplate] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.kind.title if self.kind else self.path.stem

    @property
    def needs(self) -> list[DetailField]:
        """The letter values (meeting date, agency ...) the template uses."""
        if "needs" not in self._cache:
            self._cache["needs"] = needed(self.compiled().fields())
        return self._cache["needs"]

    def compiled(self, language: str = ENGLISH) -> CompiledTemplate:
        key = language if language in self.variants else ENGLISH
        if key not in self._compiled:
            self._compiled[key] = CompiledTemplate(self.variants.get(key, self.path))
        return self._compiled[key]

    def has(self, language: str) -> bool:
        return language == ENGLISH or language in self.variants


def letter_names() -> list[str]:
    """The bundled letters' names, in the order docs/letters.md gives them."""
    return list(LETTERS)


def resolve_letter(letter: str | Path, settings: Settings | None = None) -> LetterTemplate:
    """A letter given by path, or by name: the workspace's templates/letters/NAME.docx
    (the school's edited copy) first, then the bundled one. Raises LetterError
    for an unknown name and TemplateError for a missing path."""
    path = Path(letter)
    if path.suffix.lower() == ".docx" or len(path.parts) > 1:
        if not path.is_file():
            raise TemplateError("letter template not found; check the path", template=str(path))
        return LetterTemplate(path, None, _variants(path))
    name = str(letter)
    found = find_template(name, settings.workspace if settings is not None else None, "letters")
    if found is not None:
        return LetterTemplate(found, LETTERS.get(name), _variants(found))
    known = ", ".join(letter_names())
    raise LetterError(f"there is no letter called '{name}'; the letters are: {known}, or give a path to a .docx")


def _variants(path: Path) -> dict[str, Path]:
    found = {}
    for candidate in sorted(path.parent.glob(f"{path.stem}.*.docx")):
        code = candidate.name[len(path.stem) + 1:-len(".docx")]
        if _VARIANT.fullmatch(code):
            found[code] = candidate
    return found


def mailing_order(pupil: Pupil) -> tuple[Any, ...]:
    """Class (in year order, so Reception comes before Year 1), then surname and forename."""
    return (pupil.year, pupil.class_name.casefold(), pupil.surname.casefold(), pupil.forename.casefold(), pupil.upn)


def letter_path(out: Path, pupil: Pupil, title: str, term: str, recipient: Recipient, taken: set[Path]) -> Path:
    """DIR/<Year N>/<Surname>, <Forename> (<UPN>) - <title> - <term> - <recipient>.docx,
    unique in the run: the documents' naming scheme, with whom the letter is to."""
    stem = f"{document_stem(pupil, title, term)} - {recipient.names}"
    path = inside(out, pupil.year_label, f"{stem}.docx")
    number = 2
    while path in taken:
        path = inside(out, pupil.year_label, f"{stem} ({number}).docx")
        number += 1
    taken.add(path)
    return path


def _read_sheets(register: Register, request: LetterRequest, kinds: set[str], warnings: list[str]
                 ) -> list[DetailSheet]:
    sheets = []
    for kind, given in (("Meetings", request.meetings), ("Referrals", request.referrals)):
        if kind not in kinds:
            if given is not None:
                warnings.append(f"{given} is not used: this letter needs nothing from a {kind} sheet")
            continue
        if given is not None:
            sheets.append(read_details(given, kind))
        else:
            name = find_sheet(register.file, kind)
            if name is not None:
                sheets.append(read_details(register.file, kind, sheet=name))
    for sheet in sheets:
        warnings.extend(p.warning_text for p in sheet.problems)
    return sheets


def letter_context(pupil: Pupil, recipient: Recipient, settings: Settings, term: Any, day: date,
                   details: LetterDetails) -> dict[str, Any]:
    """The context of one letter: the pupil's (build_context, with ``today`` the
    letter's date), plus ``recipient`` and ``letter``."""
    context = build_context(pupil, settings.school, term, day)
    context["recipient"] = recipient.context()
    context["letter"] = details.context()
    return context


def example_letter_context() -> dict[str, Any]:
    """A recipient and every letter value, invented, for checking a letter template
    without a register (``formkit templates check``)."""
    from datetime import time

    from ..model import Contact

    carer = Contact(name="Alex Example", salutation="Mx Example", address_lines=("1 Example Road", "Exampleton"),
                    postcode="EX1 1AA")
    details = LetterDetails(date(2026, 12, 8), time(15, 30), "the class teacher and the SENCo", "the school library",
                            "the Educational Psychology Service", "You; Alex; the class teacher; the SENCo")
    return {"recipient": Recipient((carer,)).context(), "letter": details.context()}


def generate_letters(
    register: Register,
    settings: Settings,
    out: Path,
    request: LetterRequest,
    *,
    progress: Callable[[int], None] | None = None,
    expect: Callable[[int], None] | None = None,
    written: Callable[[LetterResult], None] | None = None,
) -> LetterReport:
    """Write the letters of ``request`` into ``out`` and DIR/manifest.csv.
    ``expect`` is told how many pupils will have letters, before the first is
    written; ``progress`` is called with 1 after each pupil's; ``written`` with
    each letter's result as soon as it is written (so that converting can start).

    Raises FormkitError before writing anything when the letter, term, pupils
    or a value every pupil needs is wrong; a single pupil's problem is a failed
    result naming them.
    """
    settings.check_details()
    day = request.letter_date or date.today()
    term = settings.term(request.term, day)
    template = resolve_letter(request.letter, settings)
    main = template.compiled()
    used = main.fields()
    strange = unknown(used)
    if strange:
        raise TemplateError(f"uses {', '.join(strange)}, which formkit does not supply; the letter fields are listed "
                            "in docs/templates.md", template=main.name)
    wanted = template.needs
    warnings: list[str] = [f"{f.option} is not used: {main.name} does not ask for {f.label}"
                           for f in DETAIL_FIELDS.values() if request.details.has(f.key) and f not in wanted]
    sheets = _read_sheets(register, request, {f.sheet for f in wanted}, warnings)
    pupils = choose_pupils(register, template.kind, sheets, warnings, only=request.only,
                           added_since=request.added_since, decided=request.from_reviews)
    lacking = [f for f in wanted if not request.details.has(f.key) and not f.has_default
               and not any(s.kind == f.sheet for s in sheets) and not (f.key == "agency" and request.from_reviews)]
    if lacking and pupils:
        raise LetterError(missing_message(lacking, main.name))
    to_them = template.kind is not None and template.kind.to == "professionals"
    professionals = professionals_for(register, request.professionals, to_them=to_them, listing=DETAIL_FIELDS[
        "invited"] in wanted, letter=template.kind.name if template.kind else main.name, warnings=warnings)
    index = iep_index(request.attach_ieps) if request.attach_ieps else None
    private_dir(out)
    report = LetterReport(out=out, template=template.path.name, term=term.name, letter=template.title, letter_date=day)
    report.results.extend(unreadable_results(register, request.only))
    report.warnings.extend(register.run_warnings(targets=any(f.startswith("targets") for f in used),
                                                 contacts=not to_them, only=pupils if request.only else None))
    report.warnings.extend(warnings)
    if template.kind and template.kind.encloses_iep and request.attach_ieps is None:
        report.warnings.append(f"the {template.kind.name} letter says the IEP is enclosed, but --attach-ieps was not "
                               "given: put each pupil's IEP in the envelope by hand, or give --attach-ieps DIR")
    taken: set[Path] = set()
    if expect:
        expect(len(pupils))
    for pupil in pupils:
        results = _pupil_letters(pupil, template, request, settings, term, day, sheets, professionals, index, out,
                                 taken, report)
        report.results.extend(results)
        if written:
            for result in results:
                written(result)
        if progress:
            progress(1)
    write_manifest(report)
    return report


def _pupil_letters(pupil: Pupil, template: LetterTemplate, request: LetterRequest, settings: Settings, term: Any,
                   day: date, sheets: list[DetailSheet], professionals: ProfessionalSheet | None,
                   index: IepIndex | None, out: Path, taken: set[Path], report: LetterReport
                   ) -> list[LetterResult]:
    def failed(reason: str) -> list[LetterResult]:
        return [LetterResult(pupil.upn, pupil.name, "failed", reason=reason, year=pupil.year_label,
                             class_name=pupil.class_name, order=mailing_order(pupil))]

    try:
        details = _details_for(pupil, template, request, settings, sheets, day, professionals)
        iep = str(find_iep(request.attach_ieps, pupil, index, term.name)) if request.attach_ieps and index else ""
    except FormkitError as exc:
        if isinstance(exc, IdentityError):
            report.unproven.append(pupil.label)
        return failed(_reason(exc))
    notice = check_notice(details.meeting_date, day, template.kind.notice_days if template.kind else 0,
                          request.short_notice)
    if notice:
        report.warnings.append(f"{pupil.label}: {notice}")
    to_them = template.kind is not None and template.kind.to == "professionals"
    addressing = professional_recipients(pupil, professionals, day) if to_them else recipients_for(pupil)
    problems = list(addressing.problems)
    if not addressing.ok:
        report.warnings.extend(f"{pupil.label}: {problem}" for problem in problems[:-1])
        return failed(problems[-1])
    report.warnings.extend(f"{pupil.label}: {problem}" for problem in problems)
    results = []
    for number, recipient in enumerate(addressing.recipients):
        language = recipient.language if recipient.language and template.has(recipient.language) else ENGLISH
        if recipient.language != ENGLISH and language == ENGLISH:
            report.untranslated.append(f"{pupil.label}: {recipient.names} ({recipient.language_label})")
        compiled = template.compiled(language)
        context = letter_context(pupil, recipient, settings, term, day, details)
        if number == 0:
            blank = [f for f in empty_fields(compiled.fields(), context) if f.startswith("pupil.")]
            if blank:
                report.warnings.append(f"{pupil.label}: blank in the letter: {', '.join(blank)}")
        dest = letter_path(out, pupil, template.title, term.name, recipient, taken)
        done = render_one(compiled, (pupil.upn, pupil.name, pupil.label, context, str(dest), str(out),
                                      request.overwrite))
        posted = recipient.delivery == "post"
        reason = "; ".join(r for r in (done.reason, notice) if r)
        results.append(LetterResult(
            pupil.upn, pupil.name, done.status, done.file, done.sha256, reason, recipient=recipient.names,
            delivery=recipient.delivery, language=language_name(language), year=pupil.year_label,
            class_name=pupil.class_name, address_lines=recipient.address_lines if posted else (),
            postcode=recipient.postcode, email="" if posted else recipient.email, iep=iep,
            order=(*mailing_order(pupil), number),
        ))
    return results


def _reason(exc: FormkitError) -> str:
    """The error's text without the pupil, whom the result already names."""
    return str(FormkitError(exc.message, file=exc.file, row=exc.row, field=exc.field))


def _details_for(pupil: Pupil, template: LetterTemplate, request: LetterRequest, settings: Settings,
                 sheets: list[DetailSheet], day: date, professionals: ProfessionalSheet | None = None
                 ) -> LetterDetails:
    """The pupil's sheet row, blanks filled from the command line, the meeting
    place defaulting to the school and who is invited to everyone the pupil's
    review needs. Raises LetterError for a value nobody gave, and for a meeting
    sooner than the letter's notice allows without --short-notice."""
    details = LetterDetails()
    for sheet in sheets:
        if pupil.upn in sheet.errors:
            raise LetterError(sheet.errors[pupil.upn], pupil=pupil.label)
        details = sheet.rows.get(pupil.upn, LetterDetails()).over(details)
    reviewed = LetterDetails(agency=(request.from_reviews or {}).get(pupil.upn, ""))
    details = details.over(request.details).over(reviewed).over(LetterDetails(meeting_place=settings.school.name))
    if DETAIL_FIELDS["invited"] in template.needs and not details.invited:
        details = replace(details, invited=default_invited(pupil, details.meeting_with, settings.school.senco,
                                                             professionals, day))
    lacking = [f for f in template.needs if not details.has(f.key)]
    if lacking:
        raise LetterError(missing_message(lacking, template.path.name) + "; none was given for this pupil")
    if details.meeting_date and details.meeting_date < day:
        raise LetterError(f"the meeting date {uk_date(details.meeting_date)} is before the letter's date "
                          f"{uk_date(day)}; check the meeting date")
    check_notice(details.meeting_date, day, template.kind.notice_days if template.kind else 0, request.short_notice)
    return details


def write_manifest(report: LetterReport) -> None:
    """DIR/manifest.csv: one row per letter (and per pupil who got none), with
    its recipient, pupil and files; every cell formula-safe. Merged with the
    rows of earlier runs whose letters are still in the folder, so it lists
    every letter formkit wrote there (:func:`formkit.documents.merge_csv`)."""
    rows = []
    for r in report.results:
        files = [f for f in (r.file, getattr(r, "pdf", ""), getattr(r, "iep_pdf", "")) if f]
        rows.append([
            getattr(r, "recipient", ""), r.name, r.upn, getattr(r, "class_name", ""), getattr(r, "delivery", ""),
            getattr(r, "email", ""), getattr(r, "language", ""), "; ".join(files), r.sha256, r.status, r.reason,
        ])
    merge_csv(report.manifest, ["recipient", "pupil", "upn", "class", "delivery", "email", "language", "files",
                                "sha256", "status", "detail"], rows, key="files")


__all__ = [
    "LETTERS", "LetterKind", "LetterReport", "LetterRequest", "LetterResult", "LetterTemplate", "example_letter_context",
    "generate_letters", "letter_context", "letter_names", "letter_path", "mailing_order", "resolve_letter",
    "write_manifest",
]
