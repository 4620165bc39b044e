"""The values a letter needs beyond the register: meeting details and agencies.

A review invitation needs the meeting's date, time, place and who it is with; a
referral consent letter needs the outside agency. Each value comes from a sheet
keyed by UPN (per pupil: 'Meetings' or 'Referrals', in the register workbook or
a file of its own) or from a command-line option that applies to every pupil
without a value in the sheet. A template that uses a value nobody gave is an
error naming the option and the sheet column, never a silent blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from ..codes import normalise_upn
from ..documents import uk_date
from ..errors import LetterError, Problem
from ..register import (
    CellValue,
    as_text,
    parse_date,
    read_table,
)
from ..register import find_sheet as find_named_sheet


@dataclass(frozen=True)
class DetailField:
    """One letter value: its template field (``letter.<key>``), option and column."""

    key: str
    label: str
    option: str
    example: str
    sheet: str
    column: str
    has_default: bool = False


DETAIL_FIELDS: dict[str, DetailField] = {
    f.key: f
    for f in (
        DetailField("meeting_date", "the meeting date", "--meeting-date", "YYYY-MM-DD", "Meetings", "Date"),
        DetailField("meeting_time", "the meeting time", "--meeting-time", "15:30", "Meetings", "Time"),
        DetailField("meeting_with", "who the meeting is with", "--meeting-with", "'Mrs Hughes (class teacher)'",
                    "Meetings", "With"),
        DetailField("meeting_place", "where the meeting is", "--meeting-place", "'the school library'",
                    "Meetings", "Place", has_default=True),
        DetailField("invited", "who is invited", "--invited", "'Mrs Hughes (class teacher); Dr Price (EP)'",
                    "Meetings", "Invited", has_default=True),
        DetailField("agency", "the outside agency", "--agency", "'educational psychology'", "Referrals", "Agency"),
    )
}

SHEET_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "Meetings": {
        "upn": ("UPN", "Unique Pupil Number", "Pupil UPN"),
        "meeting_date": ("Date", "Meeting Date", "Review Date", "Review Meeting Date"),
        "meeting_time": ("Time", "Meeting Time", "Start Time"),
        "meeting_with": ("With", "Meeting With", "Staff", "Who"),
        "meeting_place": ("Place", "Where", "Room", "Location", "Venue"),
        "invited": ("Invited", "Who Is Invited", "Invitees", "People Invited"),
    },
    "Referrals": {
        "upn": ("UPN", "Unique Pupil Number", "Pupil UPN"),
        "agency": ("Agency", "Outside Agency", "Service", "Referral To", "Referred To"),
    },
}
SHEET_NAMES = {"Meetings": ("meetings", "meeting", "reviewmeetings"), "Referrals": ("referrals", "referral")}

AGENCIES: dict[str, str] = {
    "EP": "the Educational Psychology Service",
    "EPS": "the Educational Psychology Service",
    "EDUCATIONAL PSYCHOLOGY": "the Educational Psychology Service",
    "EDUCATIONAL PSYCHOLOGIST": "the Educational Psychology Service",
    "EDUCATIONAL PSYCHOLOGY SERVICE": "the Educational Psychology Service",
    "SALT": "the Speech and Language Therapy Service",
    "SLT": "the Speech and Language Therapy Service",
    "SPEECH AND LANGUAGE THERAPY": "the Speech and Language Therapy Service",
    "SPEECH AND LANGUAGE": "the Speech and Language Therapy Service",
    "SPEECH AND LANGUAGE THERAPY SERVICE": "the Speech and Language Therapy Service",
    "OT": "the Occupational Therapy Service",
    "OCCUPATIONAL THERAPY": "the Occupational Therapy Service",
    "OCCUPATIONAL THERAPY SERVICE": "the Occupational Therapy Service",
    "PHYSIO": "the Physiotherapy Service",
    "PHYSIOTHERAPY": "the Physiotherapy Service",
    "CAMHS": "the Child and Adolescent Mental Health Service (CAMHS)",
    "STS": "the Specialist Teaching Service",
    "SPECIALIST TEACHING": "the Specialist Teaching Service",
    "SPECIALIST TEACHING SERVICE": "the Specialist Teaching Service",
    "SCHOOL NURSE": "the School Nursing Service",
    "PAEDIATRICIAN": "the Community Paediatric Service",
    "COMMUNITY PAEDIATRICS": "the Community Paediatric Service",
}


def agency_name(text: str) -> str:
    """'EP', 'educational psychology' -> 'the Educational Psychology Service';
    anything else as written (it reads after 'a referral to')."""
    key = re.sub(r"[^A-Z0-9]+", " ", text.upper().replace("&", " AND ")).strip()
    return AGENCIES.get(key, text.strip())


_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*([AaPp])?\.?\s*(?:[Mm]\.?)?")


def parse_time(value: CellValue) -> time:
    """An Excel time cell, '15:30', '15.30', '3:30pm', '3.30 pm' or '3pm' -> time."""
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, time):
        return value
    text = as_text(value)
    m = _TIME.fullmatch(text.strip())
    if m and not isinstance(value, (int, float)):
        hour, minute, half = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower()
        if half and not 1 <= hour <= 12:
            hour = -1
        elif half:
            hour = hour % 12 + (12 if half == "p" else 0)
        elif m.group(2) is None:
            hour = -1
        if 0 <= hour <= 23 and 0 <= minute <= 59:
            return time(hour, minute)
    raise ValueError(f"'{text}' is not a time; write it as 15:30 or 3.30pm")


def time_text(value: time) -> str:
    """time(15, 30) -> '3.30pm'; time(9, 0) -> '9.00am'; time(12, 0) -> '12.00pm'."""
    hour = value.hour % 12 or 12
    return f"{hour}.{value.minute:02d}{'am' if value.hour < 12 else 'pm'}"


def meeting_date_text(day: date) -> str:
    """date(2026, 12, 8) -> 'Tuesday 8 December 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


ADVICE_BEFORE = timedelta(days=14)


@dataclass(frozen=True)
class LetterDetails:
    """One pupil's letter values (or the command line's, for every pupil)."""

    meeting_date: date | None = None
    meeting_time: time | None = None
    meeting_with: str = ""
    meeting_place: str = ""
    agency: str = ""
    invited: str = ""

    def over(self, defaults: LetterDetails) -> LetterDetails:
        """These values, with the blanks filled from ``defaults``."""
        return replace(self, **{f.name: getattr(self, f.name) or getattr(defaults, f.name) for f in fields(self)})

    def has(self, key: str) -> bool:
        return bool(getattr(self, key))

    def context(self) -> dict[str, str]:
        """What a template sees as ``letter``: only the values that were given."""
        shown: dict[str, str] = {}
        if self.meeting_date:
            shown["meeting_date"] = meeting_date_text(self.meeting_date)
            shown["meeting_date_short"] = uk_date(self.meeting_date)
            shown["advice_due"] = meeting_date_text(self.advice_due)
            shown["advice_due_short"] = uk_date(self.advice_due)
        if self.meeting_time:
            shown["meeting_time"] = time_text(self.meeting_time)
        for key in ("meeting_with", "meeting_place", "agency"):
            if getattr(self, key):
                shown[key] = getattr(self, key)
        if self.invited:
            shown["invited"] = "; ".join(part.strip() for part in re.split(r"[;\n]", self.invited) if part.strip())
        return shown

    @property
    def advice_due(self) -> date:
        """When advice for the meeting is due: two weeks before it, so that it can
        be sent to everyone invited at least two weeks ahead (Code of Practice 9.176)."""
        assert self.meeting_date is not None
        return self.meeting_date - ADVICE_BEFORE


@dataclass
class DetailSheet:
    """A Meetings or Referrals sheet read by UPN. ``rows`` maps a UPN to its
    values; ``errors`` maps a UPN to why its row cannot be used; ``problems`` are
    the rows to look at (unknown UPNs, unreadable values)."""

    kind: str
    source: str
    rows: dict[str, LetterDetails] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    order: list[str] = field(default_factory=list)


def find_sheet(register_file: str | Path, kind: str) -> str | None:
    """The name of the register workbook's Meetings/Referrals sheet, or None."""
    return find_named_sheet(register_file, SHEET_NAMES[kind])


def details_sheet(register_file: str | Path, kind: str, given: Path | None = None) -> DetailSheet | None:
    """The Meetings or Referrals table: the ``given`` file's, else the register
    workbook's sheet, else None (see :func:`read_details`)."""
    if given is not None:
        return read_details(given, kind)
    name = find_sheet(register_file, kind)
    return read_details(register_file, kind, sheet=name) if name is not None else None


def read_details(path: str | Path, kind: str, *, sheet: str | None = None) -> DetailSheet:
    """Read a Meetings or Referrals table; raises LetterError when the file or
    sheet cannot be used at all (no UPN column, say)."""
    columns = SHEET_COLUMNS[kind]
    table = read_table(path, columns, sheet=sheet, required={"upn"}, error=LetterError)
    result = DetailSheet(kind, table.source)
    seen: dict[str, list[int]] = {}
    for row in table.rows:
        try:
            upn = normalise_upn(row.text("upn"))
        except ValueError as exc:
            result.problems.append(Problem("warning", f"{exc}; this row is not used", table.source, row.number,
                                           table.heading("upn")))
            continue
        seen.setdefault(upn, []).append(row.number)
        values: dict[str, object] = {}
        bad = []
        for key in columns:
            if key == "upn" or row.blank(key):
                continue
            try:
                if key == "meeting_date":
                    values[key] = parse_date(row.value(key))
                elif key == "meeting_time":
                    values[key] = parse_time(row.value(key))
                elif key == "agency":
                    values[key] = agency_name(row.text(key))
                else:
                    values[key] = row.text(key)
            except ValueError as exc:
                bad.append(f"column '{table.heading(key)}': {exc}")
        if bad:
            result.errors[upn] = f"{table.source}, row {row.number}: " + "; ".join(bad)
        result.rows[upn] = LetterDetails(**values)  # type: ignore[arg-type]
        if upn not in result.order:
            result.order.append(upn)
    for upn, numbers in seen.items():
        if len(numbers) > 1:
            listed = ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"
            result.errors[upn] = (f"{table.source}: UPN {upn} is on rows {listed}; keep one row per pupil "
                                  f"(make a second run with another sheet for a second {kind[:-1].lower()})")
    return result


def check_notice(meeting: date | None, day: date, notice_days: int, reason: str) -> str:
    """'' when the meeting is at least ``notice_days`` after the letter's date
    ``day`` (or the letter asks for no notice); with a ``reason`` for sending it
    sooner, the record of that ('short notice (9 days before the meeting, not
    14): REASON'). Raises LetterError when it is sooner and no reason was given."""
    if not notice_days or meeting is None or (meeting - day).days >= notice_days:
        return ""
    days = (meeting - day).days
    if not reason.strip():
        raise LetterError(
            f"the meeting on {uk_date(meeting)} is {days} day{'s' if days != 1 else ''} after the letter's date "
            f"{uk_date(day)}: everyone invited to an annual review must have at least two weeks' notice, and "
            "their advice is due two weeks before it (Code of Practice 9.176). Move the meeting, or give "
            "--short-notice \"REASON\" to send it anyway with the reason recorded")
    return f"short notice ({days} days before the meeting, not {notice_days}): {reason.strip()}"


def needed(fields_used: set[str]) -> list[DetailField]:
    """The letter values a template uses (``letter.meeting_date`` ...), in order."""
    keys = {f.split(".", 1)[1].removesuffix("_short") for f in fields_used if f.startswith("letter.")}
    if "advice_due" in keys:
        keys.add("meeting_date")
    return [f for key, f in DETAIL_FIELDS.items() if key in keys]


def unknown(fields_used: set[str]) -> list[str]:
    """``letter.*`` fields a template uses that formkit does not supply."""
    known = {f"letter.{k}" for k in DETAIL_FIELDS} | {f"letter.{k}" for k in
                                                       ("meeting_date_short", "advice_due", "advice_due_short")}
    return sorted(f for f in fields_used if f.startswith("letter.") and f not in known)


def missing_message(fields_missing: list[DetailField], template: str) -> str:
    """The error for values nobody gave, naming each option and sheet column."""
    parts = [f"{f.label} ({f.option} {f.example}, or a '{f.column}' column in a {f.sheet} sheet)"
             for f in fields_missing]
    return f"{template} needs " + "; ".join(parts)


__all__ = [
    "DETAIL_FIELDS", "DetailField", "DetailSheet", "LetterDetails", "agency_name", "check_notice", "find_sheet", "missing_message",
    "needed", "parse_time", "read_details", "time_text", "unknown",
]
