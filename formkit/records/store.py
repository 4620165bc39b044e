"""The records store: an embedded SQLite database of every imported form record.

Each record is kept with its source file name, the file's sha256 and the import
time. Importing is idempotent and keeps history:

- a record from a file already imported (same sha256, same form) changes nothing;
- a record whose form is already in the store with the same answers changes
  nothing (the form was re-saved, say);
- a record whose form is in the store with different answers is added, and the
  earlier record is marked superseded by it: it stays, as history.

A form is "the same form" when its key matches: the kind, the pupil (UPN, else
name and date of birth) and the kind's key fields (referral date; review date;
intervention and start date), see :attr:`FormRecord.key`. The database file is
created readable by its owner only; it holds special category data.

The same file keeps the term cycle's records (:mod:`.plans`): each pupil's plan
for a term, and the letters sent. A store made by an earlier formkit (schema
version 1, form records only) opens as it is and gains the empty plan and
letter tables; nothing in it changes. A store made by a newer formkit is refused.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from .. import guard
from ..errors import FormkitError, InputFileError, OutputError
from ..files import private_dir
from ..forms import FormRecord, form_def
from .plans import (
    CYCLE_SCHEMA,
    LetterSent,
    Plan,
    PlanSummary,
    record_letters,
    record_plans,
    select_letters,
    select_plans,
    term_key,
)

DEFAULT_NAME = "formkit-records.sqlite"
SCHEMA_VERSION = 2
"""1: form records; 2: plans and letters sent added (a version 1 store gains them)."""
MAX_STORE_BYTES = 4 * 1024 ** 3
BUSY_SECONDS = 10
"""How long a run waits for another that has the store locked before saying the
store is busy (and storing nothing)."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    form_key TEXT NOT NULL,
    upn TEXT,
    pupil_name TEXT NOT NULL,
    data TEXT NOT NULL,
    source_file TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    source_row INTEGER,
    imported_at TEXT NOT NULL,
    superseded_by INTEGER REFERENCES records(id),
    superseded_at TEXT
);
CREATE INDEX IF NOT EXISTS records_by_key ON records(form_key);
CREATE INDEX IF NOT EXISTS records_by_upn ON records(upn);
CREATE INDEX IF NOT EXISTS records_by_sha ON records(source_sha256);
"""


class StoreError(FormkitError):
    """The records store cannot be opened, read or written."""


def _failure(exc: sqlite3.Error, path: Path, doing: str) -> FormkitError:
    """The error for a failed SQLite call: "busy" when another connection held
    the lock for longer than :data:`BUSY_SECONDS`."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(f"the store is busy: another program (another formkit run?) has had it locked for over "
                          f"{BUSY_SECONDS} s, so nothing was {doing}; try again when it has finished", file=str(path))
    verb = "read" if doing == "read" else "write to"
    return StoreError(f"cannot {verb} the records store ({exc})", file=str(path))


@dataclass(frozen=True)
class StoredRecord:
    """A record as the store holds it: its id, and when (and by which record)
    it was superseded, if it was."""

    id: int
    record: FormRecord
    superseded_by: int | None = None
    superseded_at: str | None = None

    @property
    def current(self) -> bool:
        return self.superseded_by is None


@dataclass
class ImportSummary:
    """How many records an import added, how many replaced an earlier version,
    and how many were already there."""

    added: list[FormRecord] = field(default_factory=list)
    superseded: list[FormRecord] = field(default_factory=list)
    unchanged: list[FormRecord] = field(default_factory=list)

    def text(self) -> str:
        return (f"{len(self.added)} added, {len(self.superseded)} replacing an earlier version (kept as history),"
                f" {len(self.unchanged)} unchanged (already in the store).")


def encode(values: dict[str, Any]) -> str:
    """Record values as JSON: dates as ISO dates, keys in record order."""
    return json.dumps(values, ensure_ascii=False, default=_iso, separators=(",", ":"))


def _iso(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__}")


def decode(kind: str, data: str) -> dict[str, Any]:
    """JSON back into typed values (the kind's date fields become dates)."""
    values = json.loads(data)
    form = form_def(kind)
    for definition in form.fields:
        if definition.type == "date" and isinstance(values.get(definition.name), str):
            values[definition.name] = date.fromisoformat(values[definition.name])
    return values


def default_store(workspace: Path | None, configured: str | None = None) -> Path | None:
    """The store of a workspace: [forms] store in formkit.toml (relative to the
    workspace), else WORKSPACE/formkit-records.sqlite; None without a workspace."""
    if workspace is None:
        return Path(configured) if configured else None
    return workspace / (configured or DEFAULT_NAME)


class RecordStore:
    """An open records database. Use :meth:`open`, as a context manager."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.db = connection
        self._held = False

    @classmethod
    def open(cls, path: Path | str, *, create: bool = False) -> RecordStore:
        """Open the store at ``path``; with ``create``, make it (mode 0600) if it
        is not there. Raises StoreError for a missing store (without ``create``)
        and InputFileError for a file that is not a formkit records database."""
        path = Path(path)
        if not path.exists():
            if not create:
                raise StoreError("no records store here; import forms first with 'formkit read FILES --store"
                                 f" {path}', or give the right --store", file=str(path))
            private_dir(path.parent)
            try:
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
            except OSError as exc:
                raise OutputError(f"cannot create the records store ({exc.strerror})", file=str(path)) from None
        elif path.stat().st_size:
            guard.check_file(path, "sqlite", max_bytes=MAX_STORE_BYTES)
        try:
            connection = sqlite3.connect(path, timeout=BUSY_SECONDS)
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                connection.close()
                raise StoreError(f"was made by a newer formkit (store version {version}); update formkit",
                                 file=str(path))
            if version < SCHEMA_VERSION:
                connection.executescript(_SCHEMA + CYCLE_SCHEMA)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                connection.commit()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise _failure(exc, path, "read or stored") from None
            raise InputFileError(f"is not a formkit records database ({exc}); give the right --store",
                                 file=str(path)) from None
        except sqlite3.DatabaseError as exc:
            raise InputFileError(f"is not a formkit records database ({exc}); give the right --store",
                                 file=str(path)) from None
        return cls(path, connection)

    def __enter__(self) -> RecordStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def held(self) -> Iterator[RecordStore]:
        """Take the store for writing now and keep it until the block ends, for
        a run that writes documents and notes them here: waits up to
        :data:`BUSY_SECONDS` for another run's lock, else raises the busy
        StoreError before the block (so before any document is written). What
        the block stores is one transaction, committed when the block ends and
        rolled back if it raises; other programs may read the store meanwhile."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _failure(exc, self.path, "written or stored") from None
        self._held = True
        try:
            yield self
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise
        finally:
            self._held = False

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction (or the one :meth:`held` keeps), its SQLite errors as StoreErrors."""
        try:
            if self._held:
                yield
                return
            with self.db:
                self.db.execute("BEGIN IMMEDIATE")
                yield
        except sqlite3.Error as exc:
            raise _failure(exc, self.path, "stored") from None

    def import_records(self, records: list[FormRecord], *, now: datetime | None = None) -> ImportSummary:
        """Add ``records`` (see the module's rules), in one transaction."""
        stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        summary = ImportSummary()
        with self._writing():
            for record in records:
                self._import_one(record, stamp, summary)
        return summary

    def import_report(self, report: Any, *, now: datetime | None = None) -> ImportSummary:
        """Import the records of a :class:`~formkit.forms.ReadReport`."""
        return self.import_records(report.records, now=now)

    def _import_one(self, record: FormRecord, stamp: str, summary: ImportSummary) -> None:
        key, data = record.key, encode(record.values)
        seen = self.db.execute("SELECT 1 FROM records WHERE form_key = ? AND source_sha256 = ? LIMIT 1",
                               (key, record.source_sha256)).fetchone()
        current = self.db.execute("SELECT id, data FROM records WHERE form_key = ? AND superseded_by IS NULL",
                                  (key,)).fetchone()
        if seen or (current and current[1] == data):
            summary.unchanged.append(record)
            return
        imported = record.imported_at.isoformat(timespec="seconds") if record.imported_at else stamp
        cursor = self.db.execute(
            "INSERT INTO records (kind, form_key, upn, pupil_name, data, source_file, source_sha256, source_row,"
            " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record.kind, key, record.upn, record.pupil_name, data, Path(record.source_file).name,
             record.source_sha256, record.row, imported))
        if current:
            self.db.execute("UPDATE records SET superseded_by = ?, superseded_at = ? WHERE id = ?",
                            (cursor.lastrowid, imported, current[0]))
            summary.superseded.append(record)
        else:
            summary.added.append(record)

    def _rows(self, where: str, args: tuple[Any, ...]) -> list[StoredRecord]:
        try:
            rows = self.db.execute(
                "SELECT id, kind, data, source_file, source_sha256, source_row, imported_at, superseded_by,"
                f" superseded_at FROM records {where}", args).fetchall()
        except sqlite3.Error as exc:
            raise _failure(exc, self.path, "read") from None
        found = []
        for ident, kind, data, source, sha, row, imported, by, at in rows:
            record = FormRecord(kind, decode(kind, data), source, sha, datetime.fromisoformat(imported), row)
            found.append(StoredRecord(ident, record, by, at))
        return found

    def records(self, *, history: bool = False, kind: str | None = None) -> list[StoredRecord]:
        """The current records (every version with ``history``), by kind, pupil and time."""
        clauses = [] if history else ["superseded_by IS NULL"]
        args: tuple[Any, ...] = ()
        if kind:
            clauses.append("kind = ?")
            args = (kind,)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return self._rows(f"{where} ORDER BY kind, upn, pupil_name, imported_at, id", args)

    def history(self, upn: str) -> list[StoredRecord]:
        """Every record for the pupil with ``upn``, oldest first, superseded ones included."""
        return self._rows("WHERE upn = ? ORDER BY imported_at, id", (_upn(upn),))

    def reviews_for(self, upn: str) -> list[StoredRecord]:
        """The pupil's current IEP reviews, oldest first by the review's own date
        (a review with no date last, by when it was imported)."""
        found = self._rows("WHERE upn = ? AND kind = 'iep-review' AND superseded_by IS NULL ORDER BY imported_at, id",
                           (_upn(upn),))
        return sorted(found, key=lambda s: (s.record.values.get("review_date") or date.max))

    def record_plans(self, plans: list[Plan], *, now: datetime | None = None) -> PlanSummary:
        """Keep each pupil's plan for its term, in one transaction: a pupil's plan
        for a term that already has one replaces it (the earlier one is kept as
        history) unless it is the same (see :mod:`formkit.records.plans`)."""
        stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        with self._writing():
            return record_plans(self.db, plans, stamp)

    def plans_for(self, upn: str, *, history: bool = False) -> list[Plan]:
        """The pupil's plans, one per term, oldest term first; with ``history``,
        the replaced ones too (each before the plan that replaced it)."""
        where = "WHERE upn = ?" + ("" if history else " AND superseded_by IS NULL")
        return self._plans(where, (_upn(upn),))

    def plan_for(self, upn: str, term: str) -> Plan | None:
        """The pupil's current plan for the term named ``term`` (any case), else None."""
        return next((p for p in self.plans_for(upn) if term_key(p.term) == term_key(term)), None)

    def plans_in(self, term: str) -> list[Plan]:
        """Every pupil's current plan for the term named ``term``, by UPN."""
        found = [p for p in self._plans("WHERE superseded_by IS NULL", ()) if term_key(p.term) == term_key(term)]
        return sorted(found, key=lambda p: p.upn)

    def plans(self) -> list[Plan]:
        """Every current plan, oldest term first."""
        return self._plans("WHERE superseded_by IS NULL", ())

    def _plans(self, where: str, args: tuple[Any, ...]) -> list[Plan]:
        try:
            return select_plans(self.db, where, args)
        except sqlite3.Error as exc:
            raise _failure(exc, self.path, "read") from None

    def record_letters(self, letters: list[LetterSent], *, now: datetime | None = None) -> int:
        """Keep a note of each letter sent (one already noted is skipped); returns how many were new."""
        stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        with self._writing():
            return record_letters(self.db, letters, stamp)

    def letters_for(self, upn: str) -> list[LetterSent]:
        """The letters sent for the pupil, by the letter's date."""
        try:
            return select_letters(self.db, _upn(upn))
        except sqlite3.Error as exc:
            raise _failure(exc, self.path, "read") from None


@contextmanager
def held_store(path: Path | None) -> Iterator[RecordStore | None]:
    """The store at ``path`` (made when not there) opened and :meth:`~RecordStore.held`
    for a run that writes documents and then notes them in it; None without a
    store. Raises the busy StoreError before the run, never after its documents."""
    if path is None:
        yield None
        return
    with RecordStore.open(path, create=True) as db, db.held():
        yield db


def opened(store: Path | RecordStore) -> AbstractContextManager[RecordStore]:
    """For a with block: ``store`` itself when it is an open store (left open
    after the block), else the store at that path, made when not there."""
    return nullcontext(store) if isinstance(store, RecordStore) else RecordStore.open(store, create=True)


def _upn(upn: str) -> str:
    return "".join(upn.split()).upper()


def format_history(upn: str, found: list[StoredRecord]) -> str:
    """`formkit records history`: one line per record, oldest first."""
    if not found:
        return f"No records for UPN {upn} in the store."
    name = found[-1].record.pupil_name
    lines = [f"{len(found)} record{'s' if len(found) != 1 else ''} for {name} ({found[-1].record.upn}):"]
    for stored in found:
        record = stored.record
        form = form_def(record.kind)
        detail = ", ".join(str(v) for v in (record.values.get(k) for k in form.key_fields) if v not in (None, ""))
        state = "current" if stored.current else f"superseded {stored.superseded_at} by #{stored.superseded_by}"
        stamp = record.imported_at.isoformat(timespec="minutes") if record.imported_at else ""
        lines.append(f"  #{stored.id} {stamp} {record.kind} {detail or '-'} [{state}]"
                     f" from {record.source_file} (sha256 {record.source_sha256[:12]})")
    return "\n".join(lines)
