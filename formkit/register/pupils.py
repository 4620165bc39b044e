"""Reading the SEN register, its targets and contacts into Pupil records.

:func:`load_register` reads the register (a sheet of an .xlsx workbook or a CSV
file, as a MIS exports it), the pupils' IEP targets and their parents' or carers'
contact details, and returns a :class:`Register`: the pupils whose rows could be
used, each with their targets and contacts, and a list of problems. A problem of
severity ``error`` means the row was left out; a ``warning`` means the row was
used but someone should look at it. Each problem names the file, row, the column
heading as the user wrote it, and the pupil, and says how to fix it.
docs/register.md is the user's description of all of this.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..codes import (
    SenStatus,
    normalise_upn,
    parse_need,
    parse_pronouns,
    parse_status,
    parse_year,
    upn_warning,
)
from ..errors import Problem, RegisterError, SettingsError, Severity
from ..model import Contact, Pupil, Target
from .table import Row, Table, heading_key, read_table, sheet_names
from .values import parse_area, parse_date, parse_percent, parse_yes_no, split_address

_UPN = ("UPN", "Unique Pupil Number", "Pupil UPN")

REGISTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": _UPN,
    "legal_surname": ("Legal Surname", "Surname", "Last Name", "Family Name"),
    "legal_forename": ("Legal Forename", "Forename", "First Name", "Given Name", "Legal First Name"),
    "preferred_forename": ("Preferred Forename", "Preferred First Name", "Known As", "Preferred Name"),
    "preferred_surname": ("Preferred Surname", "Preferred Last Name"),
    "dob": ("DOB", "Date of Birth", "Birth Date"),
    "year": ("Year", "NC Year", "Year Group", "National Curriculum Year", "Curriculum Year"),
    "class_name": ("Reg Group", "Class", "Form", "Registration Group", "Reg"),
    "sen_status": ("SEN Status", "SEN Provision", "SEN", "SEN Stage"),
    "primary_need": ("Primary Need", "SEN Need 1", "Primary SEN Type", "SEN Type 1", "Need 1", "Primary Need Type"),
    "secondary_need": ("Secondary Need", "SEN Need 2", "Secondary SEN Type", "SEN Type 2", "Need 2"),
    "pronouns": ("Pronouns", "Gender", "Sex"),
    "date_added": ("Date Added", "Date Added to Register", "SEN Start Date"),
    "class_teacher": ("Class Teacher", "Teacher"),
    "strengths": ("Strengths", "Areas of Strength"),
    "concerns": ("Concerns", "Areas of Concern"),
    "parents_can_support": ("Parents Can Support By", "Home Support", "Support at Home"),
}
REGISTER_REQUIRED = {"upn", "legal_surname", "legal_forename", "dob", "year", "sen_status"}

TARGET_COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": _UPN,
    "target": ("Target", "SMART Target"),
    "area": ("Area", "Area of Need"),
    "achievement_criteria": ("Achievement Criteria", "Success Criteria"),
    "resources": ("Resources", "Resources and Techniques", "Possible Resources & Techniques", "Techniques"),
    "strategies": ("Strategies", "Class Strategies", "Class Strategies/Support", "Possible Class Strategies/Support"),
    "baseline": ("Baseline %", "Baseline"),
    "half_term": ("Half-term Achieved %", "Half Term %"),
    "achieved": ("Target Achieved %", "Achieved %"),
    "outcome": ("Outcome",),
}
TARGET_REQUIRED = {"upn", "target"}

CONTACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": _UPN,
    "name": ("Contact Name", "Name", "Carer Name", "Parent Name"),
    "relationship": ("Relationship",),
    "parental_responsibility": ("Parental Responsibility", "PR"),
    "salutation": ("Salutation", "Addressee"),
    "address": ("Address",),
    **{f"address_{n}": (f"Address Line {n}", f"Address {n}") for n in range(1, 5)},
    "town": ("Town",),
    "county": ("County",),
    "postcode": ("Postcode", "Post Code"),
    "email": ("Email", "Email Address"),
    "home_language": ("Home Language", "Language", "First Language"),
    "receives_mail": ("Receives Mail", "Correspondence", "Mail"),
}
CONTACT_REQUIRED = {"upn", "name"}

MAX_TARGETS = 4
MAX_AGE = 25


@dataclass
class Register:
    """The pupils read from a register, in file order, and the problems found.

    ``rows_read`` counts the register's non-blank data rows; rows with an error
    are not in ``pupils``.
    """

    file: str
    pupils: list[Pupil]
    problems: list[Problem]
    rows_read: int
    source: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    @property
    def unreadable_rows(self) -> list[Problem]:
        """Errors on the register sheet itself: each is a pupil row not used."""
        return [p for p in self.errors if p.file == self.source]

    def on_register(self) -> list[Pupil]:
        """The pupils with SEN support (K) or an EHC plan (E)."""
        return [p for p in self.pupils if p.on_register]

    def by_upn(self, upn: str) -> Pupil | None:
        """The pupil with this UPN (any case, spaces ignored), or None."""
        wanted = "".join(upn.split()).upper()
        return next((p for p in self.pupils if p.upn == wanted), None)

    def pupils_named(self, upns: Sequence[str]) -> list[Pupil]:
        """The pupils with these UPNs (an --only list), in the order given, each
        once. Raises RegisterError naming a UPN that is not a UPN, or that no
        readable row of the register holds."""
        chosen: list[Pupil] = []
        for raw in upns:
            try:
                upn = normalise_upn(raw)
            except ValueError as exc:
                raise RegisterError(f"--only {exc}", file=self.file) from None
            pupil = self.by_upn(upn)
            if pupil is None:
                raise RegisterError(f"no pupil with UPN {upn} could be read from the register; check the UPN", file=self.file)
            if pupil not in chosen:
                chosen.append(pupil)
        return chosen


class _Report:
    """Collects the problems of one table, naming its file and the user's headings."""

    def __init__(self, table: Table, problems: list[Problem]) -> None:
        self.table = table
        self.problems = problems
        self.failed = False

    def add(self, severity: Severity, row: int | None, name: str | None, message: str, pupil: str | None = None
            ) -> None:
        heading = self.table.heading(name) if name else None
        self.problems.append(Problem(severity, message, self.table.source, row, heading, pupil))
        if severity == "error":
            self.failed = True


def load_register(
    path: str | Path,
    *,
    targets: Path | None = None,
    contacts: Path | None = None,
    column_map: dict[str, str] | None = None,
    today: date | None = None,
) -> Register:
    """Read the SEN register at ``path`` with its targets and contacts.

    The register is the sheet named 'SEN Register' or 'Register' if there is one,
    else the first sheet holding the register's columns. Targets come from the
    ``targets`` file if given, else a 'Targets' sheet in the register workbook;
    contacts likewise from ``contacts`` or a 'Contacts' sheet. ``column_map``
    ("Their heading" -> field) applies to all three; a field unknown to all of
    them raises SettingsError. ``today`` (default: today) checks dates of birth.

    Raises InputFileError or RegisterError when a file cannot be used at all;
    problems with single rows are returned in ``Register.problems``.
    """
    today = today or date.today()
    mapping = _split_map(column_map or {})
    names = sheet_names(path)
    table = read_table(path, REGISTER_COLUMNS, sheet=_pick_sheet(names, "senregister", "register"),
                       required=REGISTER_REQUIRED, column_map=mapping["register"], error=RegisterError)
    if not table.rows:
        raise RegisterError(
            "has a heading row but no pupils below it; export the register again with its pupils",
            file=table.source,
        )
    problems: list[Problem] = []
    report = _Report(table, problems)
    read: list[tuple[Row, str | None, Pupil | None]] = []
    for row in table.rows:
        report.failed = False
        upn, pupil = _read_pupil(row, report, today)
        read.append((row, upn, None if report.failed else pupil))
    pupils, excluded = _drop_duplicates(read, report)
    _check_primary_need(table, pupils, report)

    sources = [table.source]
    target_table = _side_table(path, targets, names, "targets", TARGET_COLUMNS, TARGET_REQUIRED, mapping)
    found_targets: dict[str, list[Target]] = {upn: [] for upn in pupils}
    if target_table is not None:
        sources.append(target_table.source)
        _read_side(target_table, pupils, excluded, table.source, problems, "target", _read_target, found_targets)
    found_contacts: dict[str, list[Contact]] = {upn: [] for upn in pupils}
    contact_table = _side_table(path, contacts, names, "contacts", CONTACT_COLUMNS, CONTACT_REQUIRED, mapping)
    if contact_table is not None:
        sources.append(contact_table.source)
        _read_side(contact_table, pupils, excluded, table.source, problems, "contact", _read_contact,
                   found_contacts)

    finished: list[Pupil] = []
    for upn, (row, pupil) in pupils.items():
        own = found_targets[upn]
        if pupil.on_register and target_table is not None:
            if not own:
                report.add("warning", row.number, None,
                           f"there are no targets for this pupil in {target_table.source}; the IEP will"
                           " have blank target rows to fill in", pupil.label)
            elif len(own) > MAX_TARGETS:
                report.add("warning", row.number, None,
                           f"this pupil has {len(own)} targets in {target_table.source}; an IEP holds 3 or 4,"
                           " so keep the ones for this term", pupil.label)
        finished.append(pupil.model_copy(update={"targets": tuple(own), "contacts": tuple(found_contacts[upn])}))
    if target_table is None and any(p.on_register for p in finished):
        problems.append(Problem(
            "warning", "there is no Targets sheet and no targets file, so IEPs will have blank target rows"
            " to fill in; add a sheet named Targets or give a targets file", table.source))
    order = {source: i for i, source in enumerate(sources)}
    problems.sort(key=lambda p: (order.get(p.file or "", len(order)), p.row or 0))
    return Register(str(path), finished, problems, len(table.rows), table.source)


def _split_map(column_map: dict[str, str]) -> dict[str, dict[str, str]]:
    tables = {"register": REGISTER_COLUMNS, "targets": TARGET_COLUMNS, "contacts": CONTACT_COLUMNS}
    known = {name for columns in tables.values() for name in columns}
    for heading, name in column_map.items():
        if name not in known:
            raise SettingsError(
                f"[register.columns] in formkit.toml maps '{heading}' to '{name}', which is not a formkit"
                f" field; the fields are listed in docs/register.md (e.g. upn, legal_surname, dob, target)"
            )
    return {kind: {h: n for h, n in column_map.items() if n in columns} for kind, columns in tables.items()}


def _pick_sheet(names: list[str], *wanted: str) -> str | None:
    """The first sheet named exactly like one of ``wanted``, else the first whose
    name contains the last of them ('Targets 2026' for 'target')."""
    keys = {heading_key(n): n for n in reversed(names)}
    for key in wanted:
        if key in keys:
            return keys[key]
    return next((n for n in names if wanted[-1] in heading_key(n)), None)


def _side_table(
    path: str | Path, given: Path | None, names: list[str], kind: str,
    columns: dict[str, tuple[str, ...]], required: set[str], mapping: dict[str, dict[str, str]],
) -> Table | None:
    """The targets or contacts table: the given file, else the sheet in the register workbook."""
    if given is not None:
        return read_table(given, columns, required=required, column_map=mapping[kind], error=RegisterError)
    sheet = _pick_sheet(names, kind, kind[:-1])
    if sheet is None:
        return None
    return read_table(path, columns, sheet=sheet, required=required, column_map=mapping[kind],
                      error=RegisterError)


def _label(row: Row, upn: str | None) -> str | None:
    forename = row.text("preferred_forename") or row.text("legal_forename")
    surname = row.text("preferred_surname") or row.text("legal_surname")
    name = " ".join(part for part in (forename, surname) if part)
    shown = upn or row.text("upn")
    if name and shown:
        return f"{name} ({shown})"
    return name or (f"UPN {shown}" if shown else None)


_BLANK_REQUIRED = {
    "legal_surname": "the legal surname is blank; fill it in as the MIS has it",
    "legal_forename": "the legal forename is blank; fill it in as the MIS has it",
    "dob": "the date of birth is blank; write it as dd/mm/yyyy",
    "year": "the year group is blank; write it as 3, Y3 or Year 3 (R for Reception)",
}


def _read_pupil(row: Row, report: _Report, today: date) -> tuple[str | None, Pupil | None]:
    """One register row -> (its UPN if readable, the Pupil or None); problems go to report."""
    upn = _read_upn(row, report, _label(row, None), "pupil")
    label = _label(row, upn)
    n = row.number

    def error(name: str, message: str) -> None:
        report.add("error", n, name, message, label)

    def warn(name: str | None, message: str) -> None:
        report.add("warning", n, name, message, label)

    values: dict[str, Any] = {"upn": upn}
    for name in ("legal_surname", "legal_forename", "preferred_forename", "preferred_surname",
                 "class_name", "class_teacher", "strengths", "concerns", "parents_can_support"):
        values[name] = row.text(name)
    for name in ("legal_surname", "legal_forename", "dob", "year"):
        if row.blank(name):
            error(name, _BLANK_REQUIRED[name])
    if not row.blank("dob"):
        values["dob"] = _parse(row, "dob", parse_date, error, raw=True)
        dob = values["dob"]
        if dob is not None and dob > today:
            error("dob", f"the date of birth {dob:%d/%m/%Y} is in the future; check it against the MIS")
        elif dob is not None and _age(dob, today) > MAX_AGE:
            warn("dob", f"the date of birth {dob:%d/%m/%Y} makes this pupil {_age(dob, today)} years old;"
                        " check it against the MIS")
    if not row.blank("year"):
        values["year"] = _parse(row, "year", parse_year, error, raw=True)
    if row.blank("sen_status"):
        values["sen_status"] = SenStatus.N
        warn("sen_status", "the SEN status is blank, so formkit treats the pupil as N (no SEN); write K or E"
                           " if they are on the SEN register")
    else:
        values["sen_status"] = _parse(row, "sen_status", parse_status, error)
    for name in ("primary_need", "secondary_need"):
        if not row.blank(name):
            values[name] = _parse(row, name, parse_need, error)
    if values.get("sen_status") is SenStatus.E and "NSA" in (values.get("primary_need"),
                                                             values.get("secondary_need")):
        warn("primary_need", "NSA (no specialist assessment) is only used with K; an EHC plan names the need,"
                             " so write its census code, e.g. ASD")
    if not row.blank("pronouns"):
        try:
            values["pronouns"] = parse_pronouns(row.text("pronouns"))
        except ValueError as exc:
            warn("pronouns", f"{exc}; documents use they/them until it is fixed")
    if not row.blank("date_added"):
        values["date_added"] = _parse(row, "date_added", parse_date, error, raw=True)
    if report.failed:
        return upn, None
    return upn, _build(Pupil, values, report, n, label)


def _parse(row: Row, name: str, parser: Callable[[Any], Any], error: Callable[[str, str], None], *,
           raw: bool = False) -> Any:
    """parser(cell text, or the raw cell value if ``raw``); a ValueError becomes an error, giving None."""
    try:
        return parser(row.value(name) if raw else row.text(name))
    except ValueError as exc:
        error(name, str(exc))
        return None


def _age(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _build(model: type[BaseModel], values: dict[str, Any], report: _Report, row: int,
           label: str | None) -> Any:
    """Make the record; a ValidationError becomes one error per bad value, in plain words."""
    try:
        return model(**{k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else None
            shown = values.get(name, "") if name else ""
            report.add("error", row, name if name in report.table.headings else None,
                       f"the value '{shown}' cannot be used ({err['msg'].lower()}); correct it", label)
        return None


def _read_upn(row: Row, report: _Report, label: str | None, kind: str) -> str | None:
    if row.blank("upn"):
        why = "every pupil needs one" if kind == "pupil" else f"so formkit knows whose {kind} this is"
        report.add("error", row.number, "upn", f"the UPN is blank; copy it from the MIS ({why})", label)
        return None
    try:
        upn = normalise_upn(row.text("upn"))
    except ValueError as exc:
        report.add("error", row.number, "upn", str(exc), label)
        return None
    if kind == "pupil":
        warning = upn_warning(upn)
        if warning:
            report.add("warning", row.number, "upn", warning, _label(row, upn))
    return upn


def _drop_duplicates(
    read: list[tuple[Row, str | None, Pupil | None]], report: _Report
) -> tuple[dict[str, tuple[Row, Pupil]], set[str]]:
    """UPN -> (row, pupil) for usable rows, and the UPNs whose rows were left out."""
    rows_of: dict[str, list[int]] = {}
    for row, upn, _ in read:
        if upn:
            rows_of.setdefault(upn, []).append(row.number)
    pupils: dict[str, tuple[Row, Pupil]] = {}
    excluded: set[str] = set()
    for row, upn, pupil in read:
        if upn and len(rows_of[upn]) > 1:
            numbers = rows_of[upn]
            listed = ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"
            report.add("error", row.number, "upn", f"UPN {upn} is on rows {listed}; keep one row per pupil",
                       _label(row, upn))
            excluded.add(upn)
        elif pupil is not None:
            pupils[pupil.upn] = (row, pupil)
        elif upn:
            excluded.add(upn)
    return pupils, excluded


def _check_primary_need(table: Table, pupils: dict[str, tuple[Row, Pupil]], report: _Report) -> None:
    missing = [(row, p) for row, p in pupils.values() if p.on_register and not p.primary_need]
    if not missing:
        return
    if not table.has("primary_need"):
        report.add("warning", None, None,
                   "there is no primary need column, so IEP titles will show no area of need; add a column"
                   " headed Primary Need holding the census code, e.g. SPLD")
        return
    for row, pupil in missing:
        report.add("warning", row.number, "primary_need",
                   "the primary need is blank, so the IEP title will show no area of need; add the census"
                   " code, e.g. SPLD", pupil.label)


def _read_side(
    table: Table, pupils: dict[str, tuple[Row, Pupil]], excluded: set[str], register: str,
    problems: list[Problem], kind: str, reader: Callable[[Row, _Report, str | None], Any],
    found: dict[str, list[Any]],
) -> None:
    """Read target or contact rows and attach each usable one to its pupil."""
    report = _Report(table, problems)
    for row in table.rows:
        report.failed = False
        upn = _read_upn(row, report, None, kind)
        if upn is None or upn in excluded:
            continue
        if upn not in pupils:
            report.add("warning", row.number, "upn",
                       f"UPN {upn} is not on the SEN register in {register}, so this {kind} is not used;"
                       " check the UPN")
            continue
        record = reader(row, report, pupils[upn][1].label)
        if record is not None and not report.failed:
            found[upn].append(record)


def _read_target(row: Row, report: _Report, label: str | None) -> Target | None:
    n = row.number

    def error(name: str, message: str) -> None:
        report.add("error", n, name, message, label)

    if row.blank("target"):
        error("target", "the target is blank; write the target, or delete the row")
        return None
    values: dict[str, Any] = {name: row.text(name) for name in
                              ("target", "achievement_criteria", "resources", "strategies", "outcome")}
    if not row.blank("area"):
        values["area"] = _parse(row, "area", parse_area, error, raw=True)
    for name in ("baseline", "half_term", "achieved"):
        cell = row.cell(name)
        if cell.blank:
            continue
        try:
            values[name], warning = parse_percent(cell.value, cell.number_format)
        except ValueError as exc:
            error(name, str(exc))
            continue
        if warning:
            report.add("warning", n, name, warning, label)
    if report.failed:
        return None
    return _build(Target, values, report, n, label)


def _read_contact(row: Row, report: _Report, label: str | None) -> Contact | None:
    n = row.number

    def error(name: str, message: str) -> None:
        report.add("error", n, name, message, label)

    if row.blank("name"):
        error("name", "the contact's name is blank; fill it in, or delete the row")
        return None
    values: dict[str, Any] = {name: row.text(name) for name in ("name", "relationship", "salutation", "email")}
    for name in ("parental_responsibility", "receives_mail"):
        if not row.blank(name):
            values[name] = _parse(row, name, parse_yes_no, error, raw=True)
    parts = [row.text(name) for name in
             ("address", "address_1", "address_2", "address_3", "address_4", "town", "county")]
    values["address_lines"], values["postcode"], postcode_ok = split_address(
        [p for p in parts if p], row.text("postcode"))
    if not postcode_ok:
        report.add("warning", n, "postcode",
                   f"'{values['postcode']}' does not look like a UK postcode (such as EX1 2AB); check it", label)
    elif values["address_lines"] and not values["postcode"] and values.get("receives_mail") is not False:
        report.add("warning", n, "postcode",
                   "the address has no postcode, so letters cannot be posted to this contact; add the postcode",
                   label)
    if values["email"] and "@" not in values["email"]:
        report.add("warning", n, "email", f"'{values['email']}' does not look like an email address; check it",
                   label)
    values["home_language"] = row.text("home_language") or "English"
    if report.failed:
        return None
    return _build(Contact, values, report, n, label)


def format_report(register: Register) -> str:
    """The text of ``formkit register check``: one problem a line, then a summary.

    The summary reads like "30 rows read: 23 on the SEN register (18 K, 5 E), 7
    without SEN; 0 errors, 2 warnings." and adds "N not used" when rows had errors.
    """
    def plural(count: int, noun: str) -> str:
        return f"{count} {noun}" if count == 1 else f"{count} {noun}s"

    lines = [str(p) for p in register.problems]
    k = sum(p.sen_status is SenStatus.K for p in register.pupils)
    e = sum(p.sen_status is SenStatus.E for p in register.pupils)
    without = sum(p.sen_status is SenStatus.N for p in register.pupils)
    unused = register.rows_read - len(register.pupils)
    summary = (f"{plural(register.rows_read, 'row')} read: {k + e} on the SEN register ({k} K, {e} E),"
               f" {without} without SEN")
    if unused:
        summary += f", {unused} not used because of errors"
    summary += f"; {plural(len(register.errors), 'error')}, {plural(len(register.warnings), 'warning')}."
    lines.append(summary)
    return "\n".join(lines)
