"""The term cycle's own records in the store: each pupil's plan for a term, and
the letters sent.

A :class:`Plan` is what ``generate ieps`` wrote for one pupil and term: the
targets as written (with their baselines), the template, the document's file
and sha256. Recording a plan for a pupil and term that already has one changes
nothing when everything is the same; otherwise the new plan is added and the
earlier one is marked superseded by it, and stays as history (as form records
do). A :class:`LetterSent` is one letter written to one recipient; the same
letter (same file contents) is recorded once.

The tables live in the same SQLite file as the form records (schema version 2;
a version 1 store gains them, empty, the first time this formkit opens it).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..model import Target
from ..validation import from_json, to_json

CYCLE_SCHEMA = """
CREATE TABLE IF NOT EXISTS plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    upn TEXT NOT NULL,
    pupil_name TEXT NOT NULL,
    term TEXT NOT NULL,
    term_start TEXT NOT NULL,
    review_date TEXT NOT NULL,
    targets TEXT NOT NULL,
    template TEXT NOT NULL,
    document TEXT NOT NULL,
    document_sha256 TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    superseded_by INTEGER REFERENCES plans(id),
    superseded_at TEXT
);
CREATE INDEX IF NOT EXISTS plans_by_pupil ON plans(upn, term);
CREATE TABLE IF NOT EXISTS letters_sent (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    upn TEXT NOT NULL,
    letter TEXT NOT NULL,
    title TEXT NOT NULL,
    term TEXT NOT NULL,
    letter_date TEXT NOT NULL,
    recipient TEXT NOT NULL,
    delivery TEXT NOT NULL,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (upn, sha256)
);
CREATE INDEX IF NOT EXISTS letters_by_pupil ON letters_sent(upn);
"""


def term_key(name: str) -> str:
    """A term's name as compared: 'autumn  2026 ' and 'Autumn 2026' are one term."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Plan:
    """One pupil's IEP for one term, as written. ``document`` is the file's path
    relative to the IEP folder of the run (``Year 3/...docx``); ``id`` and
    ``superseded_*`` are the store's (None before it is recorded)."""

    upn: str
    pupil_name: str
    term: str
    term_start: date
    review_date: date
    targets: tuple[Target, ...]
    template: str
    document: str
    document_sha256: str
    recorded_at: datetime | None = None
    id: int | None = None
    superseded_by: int | None = None
    superseded_at: str | None = None

    @property
    def current(self) -> bool:
        return self.superseded_by is None

    def same_as(self, other: Plan) -> bool:
        """The same plan: targets, template and document all unchanged."""
        return (_targets_json(self.targets), self.template, self.document_sha256, self.review_date) == (
            _targets_json(other.targets), other.template, other.document_sha256, other.review_date)


@dataclass(frozen=True)
class LetterSent:
    """One letter written for a pupil, to one recipient (names only, no address)."""

    upn: str
    letter: str
    title: str
    term: str
    letter_date: date
    recipient: str
    delivery: str
    file: str
    sha256: str
    recorded_at: datetime | None = None
    id: int | None = None


@dataclass
class PlanSummary:
    """What recording plans did: plans added (a pupil's first for the term),
    plans replacing an earlier one (kept as history), and plans already there."""

    added: list[Plan] = field(default_factory=list)
    replaced: list[Plan] = field(default_factory=list)
    unchanged: list[Plan] = field(default_factory=list)

    def text(self) -> str:
        return (f"{len(self.added)} plans recorded, {len(self.replaced)} replacing the term's earlier plan (kept as"
                f" history), {len(self.unchanged)} unchanged.")


def _targets_json(targets: Iterable[Target]) -> str:
    """A plan's targets as the store keeps them: a JSON list of each target's
    exported fields (the review bands are the documents' only, never kept)."""
    return json.dumps([to_json(t) for t in targets], ensure_ascii=False, separators=(",", ":"))


def _targets_from(data: str) -> tuple[Target, ...]:
    """The targets :func:`_targets_json` kept, as written by this or earlier
    versions (the same fields, areas by name, percentages or null)."""
    return tuple(from_json(Target, item) for item in json.loads(data))


_PLAN_COLUMNS = ("id, upn, pupil_name, term, term_start, review_date, targets, template, document, document_sha256,"
                 " recorded_at, superseded_by, superseded_at")


def _plan(row: tuple[Any, ...]) -> Plan:
    ident, upn, name, term, start, review, targets, template, document, sha, recorded, by, at = row
    return Plan(upn, name, term, date.fromisoformat(start), date.fromisoformat(review), _targets_from(targets),
                template, document, sha, datetime.fromisoformat(recorded), ident, by, at)


def record_plans(db: sqlite3.Connection, plans: Iterable[Plan], stamp: str) -> PlanSummary:
    """Record ``plans`` (in the caller's transaction): see the module's rules."""
    summary = PlanSummary()
    for plan in plans:
        current = [p for p in select_plans(db, "WHERE upn = ? AND superseded_by IS NULL", (plan.upn,))
                   if term_key(p.term) == term_key(plan.term)]
        if current and current[-1].same_as(plan):
            summary.unchanged.append(current[-1])
            continue
        cursor = db.execute(
            "INSERT INTO plans (upn, pupil_name, term, term_start, review_date, targets, template, document,"
            " document_sha256, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (plan.upn, plan.pupil_name, plan.term, plan.term_start.isoformat(), plan.review_date.isoformat(),
             _targets_json(plan.targets), plan.template, plan.document, plan.document_sha256, stamp))
        for earlier in current:
            db.execute("UPDATE plans SET superseded_by = ?, superseded_at = ? WHERE id = ?",
                       (cursor.lastrowid, stamp, earlier.id))
        (summary.replaced if current else summary.added).append(plan)
    return summary


def select_plans(db: sqlite3.Connection, where: str, args: tuple[Any, ...]) -> list[Plan]:
    """Plans matching ``where``, by term start, then the order they were recorded."""
    rows = db.execute(f"SELECT {_PLAN_COLUMNS} FROM plans {where} ORDER BY term_start, id", args).fetchall()
    return [_plan(row) for row in rows]


def record_letters(db: sqlite3.Connection, letters: Iterable[LetterSent], stamp: str) -> int:
    """Record ``letters`` (in the caller's transaction); one already recorded (same
    pupil, same file contents) is skipped. Returns how many were added."""
    added = 0
    for letter in letters:
        cursor = db.execute(
            "INSERT OR IGNORE INTO letters_sent (upn, letter, title, term, letter_date, recipient, delivery, file,"
            " sha256, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (letter.upn, letter.letter, letter.title, letter.term, letter.letter_date.isoformat(), letter.recipient,
             letter.delivery, letter.file, letter.sha256, stamp))
        added += cursor.rowcount
    return added


def select_letters(db: sqlite3.Connection, upn: str) -> list[LetterSent]:
    rows = db.execute("SELECT upn, letter, title, term, letter_date, recipient, delivery, file, sha256, recorded_at,"
                      " id FROM letters_sent WHERE upn = ? ORDER BY letter_date, id", (upn,)).fetchall()
    return [LetterSent(u, letter, title, term, date.fromisoformat(day), recipient, delivery, file, sha,
                       datetime.fromisoformat(recorded), ident)
            for u, letter, title, term, day, recipient, delivery, file, sha, recorded, ident in rows]


__all__ = ["CYCLE_SCHEMA", "LetterSent", "Plan", "PlanSummary", "record_letters", "record_plans", "select_letters",
           "select_plans", "term_key"]
