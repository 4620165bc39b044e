"""What the records store holds for one pupil, for the EHC paperwork: the current
IEP reviews, referrals, impact records and views, oldest first, and which term
each review belongs to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..forms import FormRecord
from ..model import Term
from ..records import RecordStore

DATE_OF = {"iep-review": "review_date", "referral": "referral_date", "impact": "start_date", "parent-views": "date",
           "pupil-views": "date"}


@dataclass
class PupilRecords:
    """One pupil's current records by kind, each list oldest first (by the form's
    own date, else the time it was imported). ``store`` is None when no records
    store was given."""

    store: Path | None = None
    by_kind: dict[str, list[FormRecord]] = field(default_factory=dict)

    def of(self, kind: str) -> list[FormRecord]:
        return self.by_kind.get(kind, [])

    def latest(self, kind: str, before: date | None = None) -> FormRecord | None:
        """The newest record of ``kind`` dated on or before ``before`` (any, without it)."""
        found = [r for r in self.of(kind) if before is None or (record_date(r) or date.min) <= before]
        return found[-1] if found else None


def record_date(record: FormRecord) -> date | None:
    """The date the form itself carries (a review's date, a referral's ...), else None."""
    value = record.values.get(DATE_OF.get(record.kind, ""))
    return value if isinstance(value, date) else None


def pupil_records(store: Path | None, upn: str) -> PupilRecords:
    """The current records of the pupil with ``upn`` in the store at ``store``
    (none when ``store`` is None). Raises StoreError when the store cannot be opened."""
    found = PupilRecords(store)
    if store is None:
        return found
    with RecordStore.open(store) as db:
        kept = [s.record for s in db.history(upn) if s.current]
    for record in sorted(kept, key=lambda r: (record_date(r) or date.min, r.imported_at.isoformat() if r.imported_at else "")):
        found.by_kind.setdefault(record.kind, []).append(record)
    return found


def term_of(day: date | None, terms: Sequence[Term]) -> Term | None:
    """The term that contains ``day``, else None."""
    if day is None:
        return None
    return next((t for t in terms if t.start <= day <= t.end), None)


__all__ = ["PupilRecords", "pupil_records", "record_date", "term_of"]
