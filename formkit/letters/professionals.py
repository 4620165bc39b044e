"""The outside professionals who work with a pupil: the Professionals sheet.

An EHC annual review invites everyone who works with the child and asks each of
them for advice (Code of Practice 9.166-9.176). The SENCo keeps them in a sheet
named **Professionals** (or **Agencies**) in the register workbook, or a file of
its own: one row per professional per pupil, keyed by UPN, with their name,
service and email, and when they became involved (and stopped, if they have).
docs/ehc.md is the user's description.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..codes import PRONOUNS
from ..errors import LetterError, Problem
from ..model import Contact, Pupil
from ..register import Register, parse_date, read_side_table, upn_rows
from .addressing import Addressing, Recipient

SHEET_NAMES = ("professionals", "professional", "agencies", "agency", "outsideagencies", "professionalsinvolved")
PROFESSIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": ("UPN", "Unique Pupil Number", "Pupil UPN"),
    "name": ("Name", "Professional", "Professional Name", "Contact Name", "Contact"),
    "service": ("Service", "Agency", "Outside Agency", "Team", "Organisation", "Organization"),
    "email": ("Email", "Email Address", "E-mail"),
    "since": ("Involved Since", "Since", "Date Involved", "Involved From", "From", "Start Date"),
    "until": ("Involved Until", "Until", "Involved To", "To", "End Date"),
}


@dataclass(frozen=True)
class Professional:
    """One professional working with one pupil."""

    upn: str
    name: str
    service: str = ""
    email: str = ""
    since: date | None = None
    until: date | None = None

    @property
    def label(self) -> str:
        """'Dr Hannah Price (Educational Psychology Service)'."""
        return f"{self.name} ({self.service})" if self.service else self.name

    def involved_on(self, day: date) -> bool:
        """Still involved on ``day``: no end date, or one not yet passed."""
        return self.until is None or self.until >= day

    def recipient(self) -> Recipient:
        """A letter to them: by email when they have an address, else for the office
        to send on, addressed to their service."""
        contact = Contact(name=self.name, salutation=self.name, email=self.email)
        return Recipient((contact,), "email" if self.email else "post", service=self.service)


@dataclass
class ProfessionalSheet:
    """The Professionals sheet by UPN, in row order, with the rows to look at."""

    source: str
    rows: dict[str, list[Professional]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def involved(self, upn: str, day: date) -> list[Professional]:
        """The pupil's professionals still involved on ``day``."""
        return [p for p in self.rows.get(upn, []) if p.involved_on(day)]


def professionals_for(register: Register, given: Path | None, *, to_them: bool, listing: bool, letter: str,
                      warnings: list[str]) -> ProfessionalSheet | None:
    """The Professionals sheet for a letter run: read when the letter goes to the
    professionals (then it must be there) or ``listing`` who is invited; else
    None, with a warning when a file was given for nothing."""
    if not to_them and not listing:
        if given is not None:
            warnings.append(f"{given} is not used: this letter needs nothing from a Professionals sheet")
        return None
    sheet = read_professionals(register, given)
    if sheet is None and to_them:
        raise LetterError(f"the {letter} letter goes to each professional working with the pupil: add a "
                          "Professionals sheet to the register workbook (UPN, Name, Service, Email), or give "
                          "--professionals FILE")
    if sheet is not None:
        warnings.extend(p.warning_text for p in sheet.problems)
    return sheet


def professional_recipients(pupil: Pupil, professionals: ProfessionalSheet | None, day: date) -> Addressing:
    """A letter to each professional still involved with the pupil on ``day``; a
    problem naming the sheet when there is none."""
    involved = professionals.involved(pupil.upn, day) if professionals else []
    if not involved:
        source = professionals.source if professionals else "the Professionals sheet"
        return Addressing(pupil, (), (f"no professional working with this pupil is listed in {source}; add each one "
                                      "(UPN, Name, Service, Email)",))
    problems = tuple(f"{p.label} has no email address: the letter is made for the office to send to them"
                     for p in involved if not p.email)
    return Addressing(pupil, tuple(p.recipient() for p in involved), problems)


def default_invited(pupil: Pupil, meeting_with: str, senco: str, professionals: ProfessionalSheet | None,
                    day: date) -> str:
    """Who an annual review invites when no one said (Code of Practice 9.168),
    one per line: the family, the child, the school's staff (``meeting_with``,
    else the class teacher and the SENCo), each professional still involved, and
    the local authority."""
    they = PRONOUNS[pupil.pronouns]["subject"]
    people = [f"You, {pupil.forename}'s parents and carers",
              f"{pupil.forename}, for as much of the meeting as {they} would like"]
    if meeting_with:
        people.append(meeting_with)
    else:
        if pupil.class_teacher:
            people.append(f"{pupil.class_teacher} ({pupil.forename}'s class teacher)")
        people.append(f"{senco} (SENCo)")
    people += [p.label for p in professionals.involved(pupil.upn, day)] if professionals else []
    people.append("an officer of the local authority's SEND team")
    return "\n".join(people)


def read_professionals(register: Register, given: Path | None = None) -> ProfessionalSheet | None:
    """The professionals of ``given`` (a workbook or CSV), else of the register
    workbook's Professionals sheet; None when there is neither. Raises
    InputFileError or LetterError when the file or sheet cannot be used at all."""
    table = read_side_table(register.file, given, SHEET_NAMES, PROFESSIONAL_COLUMNS, required={"upn", "name"},
                            error=LetterError)
    if table is None:
        return None
    rows, problems = upn_rows(table, register, "professional")
    result = ProfessionalSheet(table.source, problems=problems)
    for row, upn in rows:
        def warn(name: str, message: str) -> None:
            result.problems.append(Problem("warning", message, table.source, row.number, table.heading(name)))

        if row.blank("name"):
            warn("name", "the professional's name is blank; fill it in, or delete the row")
            continue
        dates: dict[str, date | None] = {}
        for key in ("since", "until"):
            dates[key] = None
            if not row.blank(key):
                try:
                    dates[key] = parse_date(row.value(key))
                except ValueError as exc:
                    warn(key, f"{exc}; the date is left out")
        email = row.text("email")
        if email and "@" not in email:
            warn("email", f"'{email}' does not look like an email address; check it")
            email = ""
        result.rows.setdefault(upn, []).append(
            Professional(upn, row.text("name"), row.text("service"), email, dates["since"], dates["until"]))
    result.problems.sort(key=lambda p: p.row or 0)
    return result


__all__ = ["PROFESSIONAL_COLUMNS", "Professional", "ProfessionalSheet", "default_invited", "professionals_for",
           "professional_recipients", "read_professionals"]
