"""What a register's cells may hold once read: text a document can take, and
no more rows than a school could have.

:func:`clean_cell` undoes Excel's ``_xHHHH_`` escapes and removes the control
characters (``\\x0b``, ``\\x01``) that Word XML cannot hold, so one odd cell
never stops a batch part way. :func:`capped` stops reading a sheet or CSV file
one row past its limit of rows with data (:data:`MAX_ROWS` for pupils,
:data:`MAX_DETAIL_ROWS` for rows that come several per pupil), so a million-row
file costs no more than the limit to refuse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MAX_ROWS = 10_000
"""Rows with data a sheet or CSV file may have: five times a large secondary
school's roll (about 2,000 pupils), far below what would be slow. A library
caller reading a bigger register (a trust's central one) passes its own limit
(``read_table(..., max_rows=)``, ``load_register(..., max_rows=)``)."""
MAX_DETAIL_ROWS = 50_000
"""Rows with data a sheet or file of rows that come several per pupil may have
(targets, contacts, provision and tracker sources): five for each pupil of
:data:`MAX_ROWS`, so a multi-year provisions file of a large secondary is read."""
blank_row: list[Any] = []
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_cell(value: object, *, escaped: bool = True) -> object:
    """A cell's text with Excel's escapes (``_x000B_``) turned back into the
    characters they stand for (unless ``escaped`` is false: a workbook's values
    come undone already), a vertical tab or form feed (Word's and Excel's line
    breaks) as a new line, and any other control character removed: none can be
    written into a document. Other values are returned as they are."""
    if not isinstance(value, str):
        return value
    if escaped and "_x" in value:
        value = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), value)
    if _CONTROL.search(value):
        value = _CONTROL.sub(lambda m: "\n" if m.group(0) in "\x0b\x0c" else "", value)
    return value


def capped(rows: Iterable[list[Any]], limit: int = MAX_ROWS) -> list[list[Any]]:
    """``rows`` as a list, read no further than one past ``limit`` rows with
    data (blank rows are kept, as one shared empty row, for row numbers)."""
    kept: list[list[Any]] = []
    filled = 0
    for row in rows:
        if all(cell.blank for cell in row):
            kept.append(blank_row)
            continue
        kept.append(row)
        filled += 1
        if filled > limit:
            break
    return kept


def filled_rows(rows: list[list[Any]]) -> int:
    """How many of ``rows`` (as :func:`capped` gives them) hold data."""
    return sum(row is not blank_row for row in rows)


def limit_reason(limit: int) -> str:
    """Why formkit reads no more than ``limit`` rows, for the error that refuses a longer file."""
    if limit == MAX_ROWS:
        return "five times a large secondary school's roll"
    if limit == MAX_DETAIL_ROWS:
        return f"five rows for each of {MAX_ROWS:,} pupils"
    return "the limit this read was given"


__all__ = ["MAX_DETAIL_ROWS", "MAX_ROWS", "blank_row", "capped", "clean_cell", "filled_rows", "limit_reason"]
