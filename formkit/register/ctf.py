"""Reading a Common Transfer File (CTF), as a pupil's record arrives from their
last school, into the same records as the register spreadsheet.

A CTF is the DfE's XML file (versions 24 and 25 are read): ``CTfile/Header``
(``CTFversion``, ``DocumentQualifier`` full or partial, ``SourceSchool``) and one
``CTfile/CTFpupilData/Pupil`` per pupil. From each pupil formkit reads the UPN,
names, date of birth, ``Gender`` (``Sex`` from CTF 25), ``BasicDetails``
(preferred names, ``NCyearActual``, home language), the ``SENhistory`` (the open
``SEN`` record is the status; ``SENneeds`` ranked into primary and secondary
need) and the ``Contacts`` with their addresses (:mod:`.ctf_contacts`). Names and
addresses sent in capitals get their capitals back; every problem names the pupil
and the element ("Pupil 3 (Ola Nowak, UPN ...), SENhistory/SEN[2]/StartDate").

The file passes the guard first (size, its real kind, no DOCTYPE or entities, a
hardened parser). docs/register.md is the user's description; docs/decisions.md
says why the choices below were made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any


from .. import guard
from ..codes import SenStatus, normalise_upn, parse_need, parse_pronouns, parse_status, parse_year, upn_warning
from ..errors import Problem, RegisterError, Severity
from ..model import Contact, Pupil
from ..validation import RecordError
from .census import NO_PRIMARY_NEED, RankedNeed, order_needs, status_findings
from .ctf_contacts import read_address, read_contacts
from .ctf_elements import kid, kids, local, text
from .rows import dob_problem
from .values import parse_date, tidy_capitals

KIND = "a Common Transfer File (.xml)"
VERSIONS = ("24", "25")
MAX_PUPILS = 5000
"""More pupils than any school sends or receives in one file."""
RUN_GAP = timedelta(days=7)
"""An SEN record ending at most this long before the next one starts continues it."""
_ON_SEN = {"K", "E", "A", "P", "S"}


@dataclass(frozen=True)
class TransferHeader:
    """What the file's Header says: its version, full or partial, and who sent it."""

    version: str = ""
    qualifier: str = ""
    school: str = ""
    lea: str = ""
    estab: str = ""

    def describe(self) -> str:
        """'Common Transfer File 25.0 (partial) from Oakfield Primary School (801/2000)'."""
        line = "Common Transfer File" + (f" {self.version}" if self.version else "")
        if self.qualifier:
            line += f" ({self.qualifier})"
        if self.school or self.lea:
            line += " from " + (self.school or "a school")
            number = "/".join(p for p in (self.lea, self.estab) if p)
            line += f" ({number})" if number else ""
        return line


@dataclass
class TransferPupil:
    """One Pupil element read: its number in the file (1-based), how problems name
    it, the UPN if readable, the Pupil (None when an error keeps it out), and the
    values as read (raw text where a value could not be used), which ``register
    import`` writes so that the SENCo can correct them in the workbook."""

    number: int
    label: str
    upn: str | None
    pupil: Pupil | None
    values: dict[str, Any]
    contacts: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Transfer:
    """A whole transfer file read: its header, every pupil, every problem."""

    file: str
    header: TransferHeader
    pupils: list[TransferPupil]
    problems: list[Problem]
    has_contacts: bool

    @property
    def usable(self) -> list[Pupil]:
        return [p.pupil for p in self.pupils if p.pupil is not None]


_SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".csv", ".txt", ".tsv"}


def is_transfer_file(path: str | Path) -> bool:
    """Whether ``path`` is to be read as a Common Transfer File: its bytes are XML
    and its name is not a spreadsheet's (an .xlsx holding XML is a broken
    workbook, and is reported as one). Raises RegisterError for a file named
    .xml that holds something else; False when the file cannot be read (the
    spreadsheet reader then says why)."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError:
        return False
    xml = guard.sniff(head) == "other" and guard.looks_like_xml(head)
    if path.suffix.lower() == ".xml" and not xml and guard.sniff(head) != "zip":
        raise RegisterError("is named .xml but does not hold XML, so it is not a Common Transfer File; check it is"
                            " the file the school sent", file=str(path))
    return xml and path.suffix.lower() not in _SPREADSHEET_SUFFIXES


def read_transfer(path: str | Path, *, today: date | None = None) -> Transfer:
    """Read the CTF at ``path``, one pupil at a time. Raises InputFileError when
    the file is not safe XML, and RegisterError when it is XML but not a CTF,
    holds no pupils or more than :data:`MAX_PUPILS`; the problems of single
    pupils are in ``Transfer.problems`` (an ``error`` keeps that pupil out, a
    ``warning`` is for someone to look at), in the file's order."""
    today = today or date.today()
    name = str(path)
    header, found = TransferHeader(), []
    for tag, el in guard.iter_xml_file(path, kind=KIND, wanted=frozenset({"Header", "Pupil"})):
        if not tag and local(el) != "CTfile":
            raise RegisterError(f"is XML, but not a Common Transfer File: it starts with <{local(el)}>, not"
                                " <CTfile>; check it is the CTF the school sent", file=name)
        if tag == "Header" and el.getparent() is not None and local(el.getparent()) == "CTfile":
            header = _read_header(el)
        elif tag == "Pupil" and el.getparent() is not None and local(el.getparent()) == "CTFpupilData":
            if len(found) == MAX_PUPILS:
                raise RegisterError(f"holds more than {MAX_PUPILS:,} pupils; formkit reads up to {MAX_PUPILS:,}"
                                    " from one file, so split it", file=name)
            found.append(_PupilReader(name, len(found) + 1, el, today).read())
    if not found:
        raise RegisterError("has no pupils (no CTFpupilData/Pupil); ask the sending school to export it again"
                            " with the pupils in it", file=name)
    _refuse_duplicates(found, name)
    problems = _header_problems(header, name) + [p for pupil in found for p in pupil.problems]
    return Transfer(name, header, found, problems, any(p.contacts for p in found))


def no_contacts_warning(transfer: Transfer) -> Problem | None:
    """The warning for a transfer file without any contacts (a partial file,
    typically), or None when it has some."""
    if transfer.has_contacts:
        return None
    kind = "a partial transfer file" if transfer.header.qualifier.lower() == "partial" else "this transfer file"
    return Problem("warning", f"{kind} has no contacts, so letters home will need contacts: add a Contacts sheet"
                              " to the register or give a contacts file", transfer.file)


def _read_header(el: Any) -> TransferHeader:
    school = kid(el, "SourceSchool")
    return TransferHeader(text(el, "CTFversion"), text(el, "DocumentQualifier"),
                          tidy_capitals(text(school, "SchoolName")), text(school, "LEA"), text(school, "Estab"))


def _header_problems(header: TransferHeader, name: str) -> list[Problem]:
    if header.version.split(".")[0] in VERSIONS:
        return []
    shown = f"CTF version {header.version}" if header.version else "no CTFversion"
    return [Problem("warning", f"the file says {shown}; formkit reads versions 24 and 25, so check what it read",
                    name, element="Header/CTFversion")]


def _refuse_duplicates(pupils: list[TransferPupil], name: str) -> None:
    """A UPN on two pupils of the file: neither is used (formkit cannot tell which is right)."""
    numbers: dict[str, list[int]] = {}
    for p in pupils:
        if p.upn:
            numbers.setdefault(p.upn, []).append(p.number)
    for p in pupils:
        holders = numbers.get(p.upn or "", [])
        if len(holders) > 1:
            listed = (", ".join(map(str, holders[:-1])) + f" and {holders[-1]}" if len(holders) <= 4 else
                      f"{', '.join(map(str, holders[:3]))} and {len(holders) - 3:,} more")
            at = next((i + 1 for i, q in enumerate(p.problems) if q.element == "UPN"), 0)
            p.problems.insert(at, Problem("error", f"UPN {p.upn} is on pupils {listed} of this file; formkit"
                                                   " cannot tell which is right, so ask the sending school",
                                          name, pupil=p.label, element="UPN"))
            p.pupil = None


class _PupilReader:
    """Reads one Pupil element; problems name the pupil and the element."""

    def __init__(self, file: str, number: int, el: Any, today: date) -> None:
        self.file, self.number, self.el, self.today = file, number, el, today
        self.problems: list[Problem] = []
        self.failed = False
        forename, surname = tidy_capitals(text(el, "Forename")), tidy_capitals(text(el, "Surname"))
        raw = text(el, "UPN")
        self.values: dict[str, Any] = {"legal_forename": forename, "legal_surname": surname, "upn": raw}
        try:
            self.upn: str | None = normalise_upn(raw)
        except ValueError:
            self.upn = None
        name = " ".join(p for p in (forename, surname) if p)
        shown = self.upn or raw
        inside = ", ".join(p for p in (name, f"UPN {shown}" if shown else "") if p)
        self.label = f"Pupil {number}" + (f" ({inside})" if inside else "")

    def add(self, severity: Severity, element: str | None, message: str) -> None:
        self.problems.append(Problem(severity, message, self.file, pupil=self.label, element=element))
        self.failed = self.failed or severity == "error"

    def _check_upn(self, raw: str) -> None:
        if not raw:
            self.add("error", "UPN", "the UPN is blank; every pupil needs one, so ask the sending school for it")
        elif self.upn is None:
            try:
                normalise_upn(raw)
            except ValueError as exc:
                self.add("error", "UPN", str(exc))
        else:
            self.values["upn"] = self.upn
            warning = upn_warning(self.upn)
            if warning:
                self.add("warning", "UPN", warning)

    def read(self) -> TransferPupil:
        el, values = self.el, self.values
        self._check_upn(values["upn"])
        for key, element in (("legal_surname", "Surname"), ("legal_forename", "Forename")):
            if not values[key]:
                self.add("error", element, f"the {element.lower()} is blank; ask the sending school for it")
        basic = kid(el, "BasicDetails")
        for key, element in (("preferred_surname", "PreferredSurname"), ("preferred_forename", "PreferredForename")):
            preferred = tidy_capitals(text(basic, element))
            values[key] = "" if preferred == values[key.replace("preferred", "legal")] else preferred
        self._dob(text(el, "DOB"))
        self._year(text(basic, "NCyearActual"))
        sex = kid(el, "Sex") if kid(el, "Sex") is not None else kid(el, "Gender")
        if text(sex):
            try:
                values["pronouns"] = parse_pronouns(text(sex))
            except ValueError:
                self.add("warning", local(sex), f"'{text(sex)}' is not M or F; documents use they/them")
        self._sen_status(kid(el, "SENhistory"))
        self._needs()
        pupil_address = read_address(kid(el, "Address"), "Address")
        language = _home_language(basic)
        contacts, self.contact_values = read_contacts(kid(el, "Contacts"), pupil_address, language, self.add)
        pupil = None if self.failed else self._build(contacts)
        return TransferPupil(self.number, self.label, self.upn, pupil, values, self.contact_values, self.problems)

    def _dob(self, raw: str) -> None:
        if not raw:
            self.add("error", "DOB", "the date of birth is blank; ask the sending school for it")
            return
        try:
            dob = parse_date(raw)
        except ValueError:
            self.values["dob"] = raw
            self.add("error", "DOB", f"'{raw}' is not a real date (a transfer file writes dates as yyyy-mm-dd);"
                                     " ask the sending school to correct it")
            return
        self.values["dob"] = dob
        found = dob_problem(dob, self.today)
        if found:
            self.add(found[0], "DOB", found[1])

    def _year(self, raw: str) -> None:
        where = "BasicDetails/NCyearActual"
        if not raw:
            self.add("error", where, "the year group is blank; formkit needs it, so ask the sending school for it")
            return
        try:
            self.values["year"] = parse_year(raw)
        except ValueError:
            self.values["year"] = raw
            self.add("error", where, f"'{raw}' is not a year group formkit knows (R, N1, N2 or 1 to 14); write"
                                     " the year group the pupil joins in the register")

    def _sen_status(self, history: Any) -> None:
        """The open SEN record (no end date, or one still to come; the latest start
        if several) gives the status; the unbroken run of K and E records up to it
        gives the date the pupil was added to the register."""
        records = []
        for n, sen in enumerate(kids(history, "SEN"), start=1):
            where = f"SENhistory/SEN[{n}]"
            start = self._date(sen, "StartDate", where)
            end = self._date(sen, "EndDate", where)
            if start and end and end < start:
                self.add("warning", f"{where}/EndDate", f"the SEN record ends ({end:%d/%m/%Y}) before it starts"
                                                        f" ({start:%d/%m/%Y}); check the dates")
            records.append((start, end, text(sen, "SENprovision"), where))
        if not records:
            self.values["sen_status"] = SenStatus.N
            return
        records.sort(key=lambda r: r[0] or date.min)
        open_ = [r for r in records if r[1] is None or r[1] >= self.today]
        if not open_:
            self.values["sen_status"] = SenStatus.N
            return
        current = open_[-1]
        if len(open_) > 1:
            others = " and ".join(r[3] for r in open_[:-1])
            self.add("warning", current[3], f"{others} {'is' if len(open_) == 2 else 'are'} still open too; the"
                                            " census allows one SEN record at a time, so formkit uses"
                                            f" {current[3]}, the latest start date it can read")
        if not current[2]:
            self.values["sen_status"] = SenStatus.N
            self.add("warning", f"{current[3]}/SENprovision", "SENprovision is blank, so formkit treats the pupil"
                                                              " as N (no SEN); check it with the sending school")
            return
        try:
            self.values["sen_status"] = parse_status(current[2])
        except ValueError as exc:
            self.values["sen_status"] = current[2]
            self.add("error", f"{current[3]}/SENprovision", str(exc))
            return
        if self.values["sen_status"] is not SenStatus.N:
            start = current[0]
            for earlier in reversed(records[:records.index(current)]):
                if earlier[2].upper() not in _ON_SEN or earlier[1] is None or start is None or (
                        earlier[1] + RUN_GAP < start):
                    break
                start = earlier[0]
            self.values["date_added"] = start

    def _date(self, el: Any, name: str, where: str) -> date | None:
        raw = text(el, name)
        if not raw:
            if name == "StartDate":
                self.add("warning", f"{where}/{name}", "the SEN record has no start date; check it with the"
                                                       " sending school")
            return None
        try:
            return parse_date(raw)
        except ValueError:
            self.add("warning", f"{where}/{name}", f"'{raw}' is not a real date (a transfer file writes dates as"
                                                   " yyyy-mm-dd), so formkit cannot tell when this SEN record"
                                                   f" {'started' if name == 'StartDate' else 'ended'}")
            return None

    def _needs(self) -> None:
        """SENneeds inside SENhistory, beside it, or inside an SEN record, ranked."""
        history = kid(self.el, "SENhistory")
        places = [("SENhistory/SENneeds", kid(history, "SENneeds")), ("SENneeds", kid(self.el, "SENneeds"))]
        places += [(f"SENhistory/SEN[{n}]/SENneeds", kid(sen, "SENneeds"))
                   for n, sen in enumerate(kids(history, "SEN"), start=1)]
        needs: list[RankedNeed] = []
        for prefix, container in places:
            for n, need in enumerate(kids(container, "SENneed"), start=1):
                where = f"{prefix}/SENneed[{n}]"
                raw, rank_text = text(need, "SENtype"), text(need, "SENtypeRank")
                if not raw:
                    self.add("warning", f"{where}/SENtype", "SENtype is blank, so this need is left out")
                    continue
                try:
                    code = parse_need(raw)
                except ValueError as exc:
                    self.add("warning", f"{where}/SENtype", f"{exc}; this need is left out, so add it to the"
                                                            " register once you know it")
                    continue
                rank = int(rank_text) if rank_text.isdigit() and int(rank_text) > 0 else None
                if rank_text and rank is None:
                    self.add("warning", f"{where}/SENtypeRank", f"'{rank_text}' is not a rank (1 for the primary"
                                                                " need, 2 for the secondary)")
                needs.append(RankedNeed(code, rank, where))
        ordered, findings = order_needs(needs)
        for where, message in findings:
            self.add("warning", where, message)
        where_of = {}
        for key, need in zip(("primary_need", "secondary_need"), ordered):
            self.values[key] = need.code
            where_of[key] = need.where
        status = self.values.get("sen_status")
        for key, message in status_findings(status if isinstance(status, SenStatus) else None,
                                            self.values.get("primary_need"), self.values.get("secondary_need")):
            self.add("warning", where_of.get(key or "", "SENhistory"), message)
        if status in (SenStatus.K, SenStatus.E) and not self.values.get("primary_need"):
            self.add("warning", "SENhistory/SENneeds", NO_PRIMARY_NEED.replace(
                "add the census code", "add the census code in the register"))

    def _build(self, contacts: list[Contact]) -> Pupil | None:
        try:
            return Pupil(**{k: v for k, v in self.values.items() if v not in (None, "")}, contacts=tuple(contacts))
        except RecordError as exc:
            for bad in exc.bad:
                self.add("error", None, f"the {bad.field.replace('_', ' ')} '{self.values.get(bad.field, '')}'"
                                        f" cannot be used: it {bad.reason}")
            return None


def _home_language(basic: Any) -> str:
    """The pupil's home language code from BasicDetails/Languages (a 'home' type
    first, then 'first language', then the first listed); '' when none."""
    types = kids(kid(basic, "Languages"), "Type")
    by_type = {text(t, "LanguageType").upper(): text(t, "Language") for t in reversed(types)}
    for wanted in ("HOM", "H", "FLL", "F", "M"):
        if by_type.get(wanted):
            return by_type[wanted]
    return next((text(t, "Language") for t in types if text(t, "Language")), "")
