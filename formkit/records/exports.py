"""Writing form records to JSON, CSV or Excel: one row (or object) per record.

Columns are ``kind``, the kind's record fields in the order of
:mod:`formkit.forms.fields` (for impact records exactly: upn, pupil_name,
intervention, delivered_by, start_date, end_date, sessions_planned,
sessions_attended, entry_measure, entry_score, exit_score, impact_rating,
comment, next_step), then ``source_file``, ``source_sha256`` and
``imported_at``. Dates are ISO dates (real date cells in Excel). Lists (areas of
need, concern types) are joined with "; " in CSV and Excel; an IEP review's
targets become target_1_target, target_1_outcome, ... columns there, and stay a
list in JSON. A CSV or workbook holding several kinds has the union of their
columns. CSV cells and Excel text never run as formulas (text starting with
= + - @ is kept as text: in CSV with a leading apostrophe). Files are written
whole or not at all.

An existing file is replaced only when it is a records file formkit wrote (a
JSON list of records, a CSV whose heading row starts ``kind`` and holds
``source_sha256``, a workbook of records sheets each headed ``kind``), or when
the caller says ``overwrite``: ``--out`` never replaces a provision map or any
other file by a slip of the keyboard. A symbolic link is followed: the file it
points to is replaced, the link kept.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import guard
from ..errors import FormkitError, OutputError
from ..files import CONFIDENTIAL, atomic_write, write_csv
from ..forms import FORMS, FormRecord, form_def

PROVENANCE = ("source_file", "source_sha256", "imported_at")
FORMATS = (".json", ".csv", ".xlsx")
SHEET_NAMES = {"referral": "Referrals", "iep-review": "IEP reviews", "impact": "Impact", "parent-views": "Parent views",
               "pupil-views": "Pupil views"}


def record_object(record: FormRecord, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """One record as a JSON-ready dict: kind, fields, provenance (dates ISO)."""
    values = {k: _plain(v) for k, v in record.values.items()}
    stamp = record.imported_at.isoformat(timespec="seconds") if record.imported_at else None
    return {"kind": record.kind, **values, "source_file": Path(record.source_file).name,
            "source_sha256": record.source_sha256, "imported_at": stamp, **(extra or {})}


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def flat_row(record: FormRecord, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """One record as a flat row: lists joined, targets spread into columns."""
    row: dict[str, Any] = {}
    for key, value in record_object(record, extra).items():
        if key == "targets" and isinstance(value, list):
            for target in value:
                number = target.get("number")
                for name, item in target.items():
                    if name != "number":
                        row[f"target_{number}_{name}"] = item
        elif isinstance(value, list):
            row[key] = "; ".join(str(v) for v in value)
        else:
            row[key] = value
    return row


def columns(rows: Sequence[dict[str, Any]], kinds: Sequence[str]) -> list[str]:
    """kind, each kind's fields in order (targets spread), provenance, then extras."""
    ordered = ["kind"]
    for kind in kinds:
        for name in form_def(kind).record_fields:
            if name == "targets":
                spread = sorted({k for r in rows for k in r if k.startswith("target_")},
                                key=lambda k: (int(k.split("_")[1]), _target_order(k)))
                ordered += [k for k in spread if k not in ordered]
            elif name not in ordered:
                ordered.append(name)
    ordered += list(PROVENANCE)
    for row in rows:
        ordered += [k for k in row if k not in ordered]
    return ordered


def _target_order(key: str) -> int:
    name = key.split("_", 2)[2]
    names = [f.name for f in FORMS["iep-review"].target_fields]
    return names.index(name) if name in names else len(names)


def check_records_out(path: Path, *, overwrite: bool = False) -> Path:
    """The file to write records to for ``path`` (a link's target); raise
    OutputError, before anything is read or written, for a suffix formkit does
    not write, a folder, or an existing file that is not a records file formkit
    wrote (unless ``overwrite``)."""
    if path.suffix.lower() not in FORMATS:
        raise OutputError("must end in .json, .csv or .xlsx", file=str(path))
    target = path.resolve() if path.is_symlink() else path
    if target.is_dir():
        raise OutputError("is a folder; give a file name such as records.csv", file=str(path))
    if target.exists() and not overwrite and not is_records_file(target):
        raise OutputError("already exists and is not a records file formkit wrote, so formkit will not replace it; "
                          "give another file name, or add --overwrite to replace it", file=str(path))
    return target


def is_records_file(path: Path) -> bool:
    """Whether ``path`` is a records file as :func:`write_records` writes them
    (read through the input guard; anything it refuses is not)."""
    suffix = path.suffix.lower()
    try:
        guard.check_file(path, {".json": "json", ".csv": "csv"}.get(suffix, "xlsx"))
        if suffix == ".json":
            found = json.loads(path.read_text(encoding="utf-8"))
            return isinstance(found, list) and all(isinstance(o, dict) and "kind" in o and "source_sha256" in o
                                                   for o in found)
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as f:
                heading = next(csv.reader([f.readline()]), [])
            return heading[:1] == ["kind"] and "source_sha256" in heading
        if suffix == ".xlsx":
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True)
            try:
                return bool(book.sheetnames) and all(
                    name in SHEET_NAMES.values() and book[name]["A1"].value == "kind" for name in book.sheetnames)
            finally:
                book.close()
    except (FormkitError, OSError, ValueError, KeyError, csv.Error, zipfile.BadZipFile):
        return False
    return False


def write_records(path: Path, records: Sequence[FormRecord], extras: Sequence[dict[str, Any]] | None = None, *,
                  overwrite: bool = False) -> None:
    """Write ``records`` to ``path`` as .json, .csv or .xlsx (by its suffix).
    Raises OutputError (nothing written) as :func:`check_records_out` does, and
    for a file that cannot be written."""
    target = check_records_out(path, overwrite=overwrite)
    suffix = path.suffix.lower()
    extras = list(extras) if extras is not None else [{} for _ in records]
    kinds = [k for k in FORMS if any(r.kind == k for r in records)]
    try:
        if suffix == ".json":
            objects = [record_object(r, e) for r, e in zip(records, extras)]
            atomic_write(target, (json.dumps(objects, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        elif suffix == ".csv":
            rows = [flat_row(r, e) for r, e in zip(records, extras)]
            header = columns(rows, kinds or ["impact"])
            write_csv(target, header, ([_cell(row.get(c)) for c in header] for row in rows))
        else:
            atomic_write(target, _workbook(records, extras, kinds))
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", file=str(path)) from None


def _cell(value: Any) -> Any:
    return "" if value is None else value


def _workbook(records: Sequence[FormRecord], extras: Sequence[dict[str, Any]], kinds: list[str]) -> bytes:
    """One sheet per kind (an empty Impact sheet when there are no records)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    book.properties.category = CONFIDENTIAL
    book.properties.creator = "formkit"
    for kind in kinds or ["impact"]:
        sheet = book.create_sheet(SHEET_NAMES[kind])
        rows = [flat_row(r, e) for r, e in zip(records, extras) if r.kind == kind]
        header = columns(rows, [kind])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([None] * len(header))
            for index, name in enumerate(header, 1):
                _put(sheet.cell(row=sheet.max_row, column=index), row.get(name))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _put(cell: Any, value: Any) -> None:
    """A value into a cell: numbers and ISO dates typed, text always as text."""
    if value is None or value == "":
        return
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        value = str(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            cell.value = date.fromisoformat(value)
            cell.number_format = "dd/mm/yyyy"
            return
        except ValueError:
            pass
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
