"""The records wing: the SQLite store of what came back, with history, and exports.

- :mod:`.store`: :class:`RecordStore`;
- :mod:`.exports`: JSON, CSV and XLSX exports.
"""

from __future__ import annotations

from .exports import write_records
from .store import ImportSummary, RecordStore, default_store, format_history

__all__ = [
    "default_store",
    "format_history",
    "ImportSummary",
    "RecordStore",
    "write_records",
]
