"""Reading what goes into the provision map: provisions sheets and impact records.

A source is one of:

- a **provisions sheet** (.xlsx, .xlsm or .csv): one row per pupil per
  intervention, with columns for the Provision sheet's fields under any of the
  headings in :data:`formkit.provision.COLUMNS`;
- an **impact records export** (.json, .csv or .xlsx) written by formkit's forms
  reader: the impact record's fields (upn, pupil_name, intervention,
  delivered_by, start_date, end_date, sessions_planned, sessions_attended,
  entry_measure, entry_score, exit_score, impact_rating, comment, next_step)
  plus kind, source_file, source_sha256 and imported_at;
- returned **impact forms** (.docx, .pdf), read by :func:`formkit.forms.read_forms`
  (with the SEN register when one is given, so its pupil matching and checks
  apply), and formkit's **records store** (.db, .sqlite), whose current impact
  records are read through :class:`formkit.records.RecordStore`;
- a **folder**: every source file in it, in name order. In a folder, forms of
  another kind and spreadsheets without UPN and Intervention columns are
  skipped with a note rather than stopping the update.

Each usable row becomes a :class:`~formkit.provision.ProvisionRecord`; every
problem is a :class:`~formkit.errors.Problem` naming the file, row, column and
pupil. A row whose UPN, intervention or start date cannot be read is left out (an
error); a bad value in another column leaves that value out (an error) and keeps
the rest; records of another kind than impact are skipped with a note. With a
register, a row with no UPN but a pupil's name and date of birth (a DOB column)
takes the UPN of the one register pupil with that name and date of birth, as the
forms reader matches them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from .. import guard
from ..codes import normalise_upn
from ..errors import FormkitError, InputFileError, Problem
from ..forms import TRACKER_COLUMNS, PupilIndex
from ..guard import check_file
from ..register import MAX_DETAIL_ROWS, Register, as_text, is_blank, parse_date, read_table
from ..settings import Settings
from .columns import COLUMNS, IMPACT_EXTRAS, Lists, ProvisionRecord, cell_value

ALIASES: dict[str, tuple[str, ...]] = {**COLUMNS, **IMPACT_EXTRAS, "dob": TRACKER_COLUMNS["dob"]}
TABLE_SUFFIXES = {".csv", ".xlsx", ".xlsm"}
FORM_SUFFIXES = {".docx", ".docm", ".pdf"}
STORE_SUFFIXES = {".db", ".sqlite", ".sqlite3"}
SUFFIXES = TABLE_SUFFIXES | FORM_SUFFIXES | STORE_SUFFIXES | {".json"}
_SKIP = {"kind", "source_file", "source_sha256", "imported_at", "sessions_planned", "sessions_attended",
         "comment", "next_step", "pupil_name", "upn", "intervention", "start_date", "dob"}


@dataclass
class Sources:
    """The records read from every source, in order, with the problems found."""

    records: list[ProvisionRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def read_sources(paths: Sequence[Path | str], lists: Lists | None = None, *,
                 settings: Settings | None = None, register: Register | None = None) -> Sources:
    """Read every source in ``paths`` (files or folders) into records.

    ``settings`` (formkit.toml) gives the forms reader the school's rating
    scales. ``register`` (optional) is passed to the forms reader, which matches
    each form's pupil by UPN, else by name and date of birth, and warns when they
    disagree; in a sheet, a row with no UPN is matched by its name and DOB
    columns. Raises InputFileError for a missing file, a folder with no source
    files, or a file of a kind formkit does not read; problems with rows are
    collected.
    """
    lists = lists or Lists()
    found = Sources()
    reading = _Reading(lists, found, settings, register)
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                           and not p.name.startswith(("~$", ".")))
            if not files:
                raise InputFileError("is a folder with no provisions sheets, impact forms or records exports in it"
                                     " (.xlsx, .csv, .json, .docx, .db)", file=str(path))
        else:
            files = [path]
        for file in files:
            if not path.is_dir():
                _read_one(file, reading)
                continue
            try:
                _read_one(file, reading)
            except FormkitError as exc:
                found.notes.append(f"{file}: skipped ({exc.message})")
    return found


@dataclass
class _Reading:
    """What every source of one read shares: the lists, the results so far, the
    settings, and the register with its index of pupils (built once)."""

    lists: Lists
    found: Sources
    settings: Settings | None
    register: Register | None
    pupils: PupilIndex | None = None

    def __post_init__(self) -> None:
        self.pupils = PupilIndex(self.register) if self.register is not None else None


def _read_one(path: Path, reading: _Reading) -> None:
    suffix = path.suffix.lower()
    found = reading.found
    found.files.append(str(path))
    if suffix == ".json":
        check_file(path, "json")
        rows = _json_rows(path)
    elif suffix in TABLE_SUFFIXES:
        table = read_table(path, ALIASES, required={"upn", "intervention"}, max_rows=MAX_DETAIL_ROWS)
        rows = [(row.number, {name: row.value(name) for name in table.headings}, table.headings)
                for row in table.rows]
        _convert(rows, table.source, reading)
        return
    elif suffix in FORM_SUFFIXES:
        rows = [(None, record, {}) for record in _impact_forms(path, reading)]
    elif suffix in STORE_SUFFIXES:
        rows = [(None, record, {}) for record in _records_store(path)]
    else:
        raise InputFileError("is not a source formkit reads: give a provisions sheet (.xlsx or .csv), impact"
                             " forms (.docx), or impact records (.json, .csv, .xlsx, .db)", file=str(path))
    _convert(rows, str(path), reading)


def _json_rows(path: Path) -> list[tuple[int | None, dict[str, Any], dict[str, str]]]:
    guard.check_file(path, "json")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputFileError(f"is not a JSON file formkit can read ({exc}); export the records again",
                             file=str(path)) from None
    if isinstance(data, Mapping) and isinstance(data.get("records"), list):
        data = data["records"]
    if not isinstance(data, list) or not all(isinstance(item, Mapping) for item in data):
        raise InputFileError("holds no impact records: it should be a list of records, each with upn,"
                             " intervention and start_date", file=str(path))
    return [(None, dict(item), {}) for item in data]


def record_fields(record: Any) -> dict[str, Any]:
    """A form record (formkit.forms.record.FormRecord: ``kind`` and ``values``), or
    a plain mapping of the contract's fields -> one dict of fields with its kind."""
    if isinstance(record, Mapping):
        return dict(record)
    return {"kind": getattr(record, "kind", ""), **dict(getattr(record, "values", {}))}


def _impact_forms(path: Path, reading: _Reading) -> list[dict[str, Any]]:
    """The impact records on returned forms, read by the forms reader (with the
    register, when there is one); its findings (a rejected file, a field it could
    not read, a pupil it could not match) become problems."""
    from ..forms import read_forms

    found = reading.found
    report = read_forms([path], reading.register, settings=reading.settings)
    for outcome in report.files:
        if outcome.status == "rejected":
            found.problems.append(Problem("error", f"this form cannot be read: {outcome.reason}", outcome.file))
        for problem in outcome.problems:
            found.problems.append(problem if problem.file else replace(problem, file=outcome.file))
    return [record_fields(r) for r in report.records]


def _records_store(path: Path) -> list[dict[str, Any]]:
    """The current (not superseded) impact records in formkit's records store."""
    from ..records import RecordStore

    with RecordStore.open(path) as store:
        return [record_fields(stored.record) for stored in store.records(kind="impact")]


def _kind(raw: Mapping[str, Any]) -> str:
    kind = as_text(raw.get("kind")).casefold()
    return "impact" if "impact" in kind else kind


def _convert(rows: Iterable[tuple[int | None, dict[str, Any], Mapping[str, str]]], source: str,
             reading: _Reading) -> None:
    found = reading.found
    skipped: dict[str, int] = {}
    for number, raw, headings in rows:
        kind = _kind(raw)
        if kind not in ("", "impact"):
            skipped[kind] = skipped.get(kind, 0) + 1
            continue
        record = _record(raw, source, number, headings, reading, found.problems)
        if record is not None:
            found.records.append(record)
    for kind, count in skipped.items():
        found.notes.append(f"{source}: {count} {kind} record{'s' if count != 1 else ''} skipped (not impact records)")


def _record(raw: Mapping[str, Any], source: str, number: int | None, headings: Mapping[str, str],
            reading: _Reading, problems: list[Problem]) -> ProvisionRecord | None:
    """One input row -> a record, or None when its key cannot be read."""
    lists = reading.lists
    raw = {k: v for k, v in raw.items() if not is_blank(v)}
    pupil = as_text(raw.get("pupil") or raw.get("pupil_name")) or None
    given_upn = as_text(raw.get("upn"))
    label = (f"{pupil} ({given_upn})" if given_upn else pupil) if pupil else (given_upn or None)

    def add(severity: str, name: str | None, message: str) -> None:
        heading = headings.get(name, name) if name else None
        problems.append(Problem(severity, message, source, number, heading, label))  # type: ignore[arg-type]

    values: dict[str, Any] = {}
    upn_text = as_text(raw.get("upn"))
    if not upn_text and reading.pupils is not None and pupil and "dob" in raw:
        upn_text = _match(reading.pupils, pupil, raw["dob"]) or ""
        if not upn_text:
            register = reading.register.file if reading.register else "register"
            add("error", "upn", f"the UPN is blank, and no one pupil in the register {register} has this name and"
                " date of birth, so formkit cannot tell which provision this is; fill in the UPN")
            return None
    for name, text in (("upn", upn_text), ("intervention", as_text(raw.get("intervention")))):
        if not text:
            what = "UPN" if name == "upn" else "intervention"
            add("error", name, f"the {what} is blank, so formkit cannot tell which provision this is; fill it in")
            return None
    try:
        upn = normalise_upn(upn_text)
    except ValueError as exc:
        add("error", "upn", str(exc))
        return None
    intervention = as_text(raw["intervention"])
    start: date | None = None
    if "start_date" in raw:
        try:
            start = parse_date(raw["start_date"])
        except ValueError as exc:
            add("error", "start_date", f"{exc}; the start date tells this provision apart, so the row is not used")
            return None
    else:
        add("warning", "start_date", "there is no start date; the row is matched on UPN and intervention alone")
    values.update(upn=upn, intervention=intervention)
    if start:
        values["start_date"] = start
    if pupil:
        values["pupil"] = pupil
    for name, value in raw.items():
        if name in _SKIP or name == "pupil" or name not in COLUMNS:
            continue
        try:
            values[name], warning = cell_value(name, value, lists)
        except ValueError as exc:
            add("error", name, f"{exc}; this value is not written")
            continue
        if warning:
            add("warning", name, warning)
    notes = _notes(raw)
    if notes and "notes" not in values:
        values["notes"] = notes
    return ProvisionRecord(upn, intervention, start, values, f"{source}, row {number}" if number else source)


def _match(pupils: PupilIndex, name: str, dob: Any) -> str | None:
    """The UPN of the one register pupil with this name and date of birth, or None
    (no such pupil, several, or a date of birth that is not a date)."""
    try:
        day = parse_date(dob)
    except ValueError:
        return None
    pupil, _, _ = pupils.match("", name, day)
    return pupil.upn if pupil is not None else None


def _notes(raw: Mapping[str, Any]) -> str:
    """An impact form's comment, next step and attendance as one Notes cell."""
    parts = []
    comment = as_text(raw.get("comment"))
    if comment:
        parts.append(comment if comment.endswith((".", "!", "?")) else comment + ".")
    step = as_text(raw.get("next_step"))
    if step:
        parts.append(f"Next step: {step}" + ("" if step.endswith((".", "!", "?")) else "."))
    attended, planned = raw.get("sessions_attended"), raw.get("sessions_planned")
    if not is_blank(attended) and not is_blank(planned):
        parts.append(f"Attended {as_text(attended)} of {as_text(planned)} sessions.")
    return " ".join(parts)

