"""The records formkit works with: pupils, their contacts and targets, the school.

Records hold only what the documents need (UK GDPR data minimisation). They are
frozen dataclasses made by ``validation.record``, so a value of the wrong kind is
refused when the record is made (a ``RecordError`` naming each bad field and why);
the register reader turns that into a problem naming the row and column. A record
is changed by ``dataclasses.replace``, which checks the new values the same way,
and goes to and from JSON by ``validation.to_json`` and ``from_json``.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from dataclasses import field

from .codes import Area, SenStatus, need_area, need_name, year_label
from .validation import not_exported, ranged, record

Pronouns = Literal["he", "she", "they"]


@record
class Contact:
    """A parent or carer as the MIS holds them.

    ``address_lines`` are the postal lines without the postcode. A contact gets
    letters when they have parental responsibility and ``receives_mail`` is true.
    ``phone`` is for the SENCo who rings to arrange a meeting: one or more
    numbers as written ('07700 900123 (mobile), 01632 960123 (home)').
    """

    name: str
    relationship: str = ""
    parental_responsibility: bool = True
    salutation: str = ""
    address_lines: tuple[str, ...] = ()
    postcode: str = ""
    email: str = ""
    phone: str = ""
    home_language: str = "English"
    receives_mail: bool = True

    @property
    def has_postal_address(self) -> bool:
        return bool(self.address_lines) and bool(self.postcode)


@record
class Target:
    """One SMART target on an IEP (seed 003 Appendix B/C; seed 000 percentages)."""

    target: str
    area: Area | None = None
    achievement_criteria: str = ""
    resources: str = ""
    strategies: str = ""
    baseline: int | None = ranged(0, 200, default=None)
    half_term: int | None = ranged(0, 200, default=None)
    achieved: int | None = ranged(0, 200, default=None)
    outcome: str = ""
    half_term_band: str = not_exported("")
    """A review's progress band ('50-74%'), shown where it gave no half-term %
    (for the documents only: not exported, not kept in a plan)."""
    achieved_band: str = not_exported("")
    """A review's progress band, shown where it gave no achieved %."""


@record
class Pupil:
    """A pupil from the SEN register, with their contacts and current targets,
    and the register's columns formkit does not know in ``extra`` (compared for
    equality, but not hashed, being a dict)."""

    upn: str
    legal_forename: str
    legal_surname: str
    preferred_forename: str = ""
    preferred_surname: str = ""
    dob: date
    year: int = ranged(-2, 14)
    class_name: str = ""
    sen_status: SenStatus
    primary_need: str | None = None
    secondary_need: str | None = None
    pronouns: Pronouns = "they"
    date_added: date | None = None
    class_teacher: str = ""
    strengths: str = ""
    concerns: str = ""
    parents_can_support: str = ""
    contacts: tuple[Contact, ...] = ()
    targets: tuple[Target, ...] = ()
    extra: dict[str, str] = field(default_factory=dict, hash=False)
    """The register's other columns, by heading as written: what a school adds
    for its own templates (``pupil.extra["Favourite subject"]``)."""

    @property
    def forename(self) -> str:
        """The name the school uses: preferred forename, else legal forename."""
        return self.preferred_forename or self.legal_forename

    @property
    def surname(self) -> str:
        return self.preferred_surname or self.legal_surname

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def label(self) -> str:
        """How errors and reports name the pupil: 'Jo Smith (A123456789012)'."""
        return f"{self.name} ({self.upn})"

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def on_register(self) -> bool:
        return self.sen_status in (SenStatus.K, SenStatus.E)

    @property
    def areas(self) -> tuple[Area, ...]:
        """Broad areas of need of the primary then secondary need, without repeats."""
        found: list[Area] = []
        for code in (self.primary_need, self.secondary_need):
            area = need_area(code) if code else None
            if area and area not in found:
                found.append(area)
        return tuple(found)

    @property
    def primary_need_name(self) -> str:
        return need_name(self.primary_need) if self.primary_need else ""

    @property
    def secondary_need_name(self) -> str:
        return need_name(self.secondary_need) if self.secondary_need else ""


@record
class Term:
    """A school term; the IEP runs from ``start`` to its ``review`` date."""

    name: str
    start: date
    end: date
    review: date | None = None

    @property
    def review_date(self) -> date:
        return self.review or self.end


@record
class School:
    """The school's own details, from formkit.toml."""

    name: str
    address_lines: tuple[str, ...] = ()
    postcode: str = ""
    phone: str = ""
    email: str = ""
    senco: str
    head_teacher: str = ""
    letter_signatory: str = ""
    terms: tuple[Term, ...] = ()

    @property
    def signatory(self) -> str:
        return self.letter_signatory or self.senco

    def term_for(self, day: date) -> Term | None:
        """The term that contains ``day``, else the next one to start, else None."""
        for term in sorted(self.terms, key=lambda t: t.start):
            if term.start <= day <= term.end or day < term.start:
                return term
        return None

    def term_named(self, name: str) -> Term | None:
        wanted = name.strip().casefold()
        for term in self.terms:
            if term.name.casefold() == wanted:
                return term
        return None
