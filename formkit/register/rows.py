"""One row of the register, the Targets sheet or the Contacts sheet, read into a
record: every value parsed, every problem reported with its row, its column
heading as the user wrote it, the pupil, and how to fix it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ..codes import (
    SenStatus,
    normalise_upn,
    parse_need,
    parse_pronouns,
    parse_status,
    parse_year,
    upn_warning,
)
from ..errors import Problem, Severity
from ..model import Contact, Pupil, Target
from ..validation import RecordError
from .census import status_findings
from .columns import DRAFT_FROM, MAX_AGE
from .table import Row, Table, heading_key
from .values import parse_area, parse_date, parse_percent, parse_yes_no, split_address, tidy_phones


class RowReport:
    """Collects the problems of one table, naming its file and the user's headings."""

    def __init__(self, table: Table, problems: list[Problem]) -> None:
        self.table = table
        self.problems = problems
        self.failed = False

    def add(self, severity: Severity, row: int | None, name: str | None, message: str, pupil: str | None = None,
            topic: str | None = None) -> None:
        heading = self.table.heading(name) if name else None
        self.problems.append(Problem(severity, message, self.table.source, row, heading, pupil, topic=topic))
        if severity == "error":
            self.failed = True


def row_label(row: Row, upn: str | None) -> str | None:
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


def read_pupil(row: Row, report: RowReport, today: date) -> tuple[str | None, Pupil | None]:
    """One register row -> (its UPN if readable, the Pupil or None); problems go to report."""
    upn = read_upn(row, report, row_label(row, None), "pupil")
    label = row_label(row, upn)
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
        found = dob_problem(values["dob"], today)
        if found:
            (error if found[0] == "error" else warn)("dob", found[1])
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
    for name, message in status_findings(values.get("sen_status"), values.get("primary_need"),
                                         values.get("secondary_need")):
        warn(name, message)
    if not row.blank("pronouns"):
        try:
            values["pronouns"] = parse_pronouns(row.text("pronouns"))
        except ValueError as exc:
            warn("pronouns", f"{exc}; documents use they/them until it is fixed")
    if not row.blank("date_added"):
        values["date_added"] = _parse(row, "date_added", parse_date, error, raw=True)
    values["extra"] = extra_values(row)
    if report.failed:
        return upn, None
    return upn, _build(Pupil, values, report, n, label)


def extra_values(row: Row) -> dict[str, str]:
    """The row's other columns as text, by heading (the first of two alike);
    a percentage cell as '85%'."""
    found: dict[str, str] = {}
    for heading, cell in row.extra:
        if heading in found:
            continue
        value = cell.value
        if "%" in cell.number_format and isinstance(value, (int, float)) and not isinstance(value, bool):
            found[heading] = f"{value * 100:g}%"
        else:
            found[heading] = cell.text
    return found


def _parse(row: Row, name: str, parser: Callable[[Any], Any], error: Callable[[str, str], None], *,
           raw: bool = False) -> Any:
    """parser(cell text, or the raw cell value if ``raw``); a ValueError becomes an error, giving None."""
    try:
        return parser(row.value(name) if raw else row.text(name))
    except ValueError as exc:
        error(name, str(exc))
        return None


def dob_problem(dob: date | None, today: date) -> tuple[Severity, str] | None:
    """Why a date of birth cannot be right: in the future (an error), or making the
    pupil older than a school's pupils (a warning); None when it is plausible."""
    if dob is not None and dob > today:
        return "error", f"the date of birth {dob:%d/%m/%Y} is in the future; check it against the MIS"
    if dob is not None and _age(dob, today) > MAX_AGE:
        return "warning", (f"the date of birth {dob:%d/%m/%Y} makes this pupil {_age(dob, today)} years old;"
                           " check it against the MIS")
    return None


def _age(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _build(model: type[Any], values: dict[str, Any], report: RowReport, row: int,
           label: str | None) -> Any:
    """Make the record; a RecordError becomes one error per bad value, in plain words."""
    try:
        return model(**{k: v for k, v in values.items() if v is not None})
    except RecordError as exc:
        for bad in exc.bad:
            report.add("error", row, bad.field if bad.field in report.table.headings else None,
                       f"the value '{values.get(bad.field, '')}' cannot be used: it {bad.reason}; correct it", label)
        return None


def read_upn(row: Row, report: RowReport, label: str | None, kind: str) -> str | None:
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
            report.add("warning", row.number, "upn", warning, row_label(row, upn))
    return upn


_TARGET_DETAILS = ("area", "achievement_criteria", "resources", "strategies", "baseline", "half_term", "achieved",
                   "outcome")


def read_target(row: Row, report: RowReport, label: str | None) -> Target | None:
    """One Targets row as a Target; None for a row with an error (reported),
    or for a blank row ``targets next`` left for a new target (nothing but its
    UPN, the pupil's name and a From cell saying so)."""
    n = row.number

    def error(name: str, message: str) -> None:
        report.add("error", n, name, message, label)

    if row.blank("target"):
        if all(row.blank(name) for name in _TARGET_DETAILS) and any(
                heading_key(h) == heading_key(DRAFT_FROM) and not c.blank for h, c in row.extra):
            return None  # a row 'formkit targets next' left for a new target, not written yet
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


def read_contact(row: Row, report: RowReport, label: str | None) -> Contact | None:
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
    # an address line column is one line ("Unit 9, Mill Lane"); a Town cell may say "Town, County"
    parts = [row.text(name) for name in ("address_1", "address_2", "address_3", "address_4")] + [
        piece for name in ("town", "county") for piece in row.text(name).split(",")]
    values["address_lines"], values["postcode"], postcode_ok = split_address(
        [p for p in parts if p], row.text("postcode"), whole=row.text("address"))
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
    if not row.blank("phone"):
        values["phone"], odd = tidy_phones(row.text("phone"))
        for number in odd:
            report.add("warning", n, "phone", f"'{number}' does not look like a UK phone number; check it", label)
    values["home_language"] = row.text("home_language") or "English"
    if report.failed:
        return None
    return _build(Contact, values, report, n, label)
