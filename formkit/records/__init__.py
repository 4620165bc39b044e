"""The records wing: the SQLite store of what came back, with history, and exports.

- :mod:`.store`: :class:`RecordStore` (form records, and through it the cycle's);
- :mod:`.plans`: each pupil's plan for a term, and the letters sent;
- :mod:`.exports`: JSON, CSV and XLSX exports.
"""

from __future__ import annotations

from .exports import check_records_out, write_records
from .plans import LetterSent, Plan, PlanSummary, term_key
from .store import ImportSummary, RecordStore, StoredRecord, StoreError, default_store, format_history, held_store, opened

__all__ = [
    "check_records_out",
    "default_store",
    "format_history",
    "held_store",
    "ImportSummary",
    "LetterSent",
    "opened",
    "Plan",
    "PlanSummary",
    "RecordStore",
    "StoredRecord",
    "StoreError",
    "term_key",
    "write_records",
]
