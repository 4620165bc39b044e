"""The letters sent, noted in the records store for each pupil's history.

A letter counts as sent when formkit writes it (or finds it already written:
kept by a rerun). The note holds the letter, its date and term, who it was to
(their names, no address), post or email, and the file with its sha256; the
same letter noted again changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..letters import LetterReport
from ..records import LetterSent, RecordStore, opened


def letters_of(report: LetterReport) -> list[LetterSent]:
    """A note for each letter ``report`` wrote or kept (not those that failed)."""
    name = Path(report.template).stem
    return [LetterSent(r.upn, name, report.letter or name, report.term, report.letter_date, r.recipient, r.delivery,
                       r.file or "", r.sha256)
            for r in report.letters if r.status in ("written", "kept") and r.upn and r.sha256]


def record_letters(store: Path | RecordStore, report: LetterReport, *, now: datetime | None = None) -> int:
    """Note the letters of ``report`` in the store (a path: made when not there;
    or a store the run holds, :func:`formkit.records.held_store`); returns how
    many were not noted before."""
    with opened(store) as db:
        return db.record_letters(letters_of(report), now=now)


__all__ = ["letters_of", "record_letters"]
