"""What a register's cells may hold once read: text a document can take, and
no more rows than a school could have.

:func:`clean_cell` undoes Excel's ``_xHHHH_`` escapes and removes the control
characters (``\\x0b``, ``\\x01``) that Word XML cannot hold, so one odd cell
never stops a batch part way. :func:`capped` stops reading a sheet or CSV file
past :data:`MAX_ROWS` rows with data, so a million-row file costs no more than
the limit to refuse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MAX_ROWS = 10_000
"""Rows with data a sheet or CSV file may have: five times a large secondary
school's roll (about 2,000 pupils), far below what would be slow."""
blank_row: list[Any] = []
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_cell(value: object) -> object:
    """A cell's text with Excel's escapes (``_x000B_``) turned back into the
    characters they stand for, a vertical tab or form feed (Word's and Excel's
    line breaks) as a new line, and any other control character removed: none
    can be written into a document. Other values are returned as they are."""
    if not isinstance(value, str):
        return value
    if "_x" in value:
        value = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), value)
    if _CONTROL.search(value):
        value = _CONTROL.sub(lambda m: "\n" if m.group(0) in "\x0b\x0c" else "", value)
    return value


def capped(rows: Iterable[list[Any]]) -> list[list[Any]]:
    """``rows`` as a list, read no further than one past :data:`MAX_ROWS` rows
    with data (blank rows are kept, as one shared empty row, for row numbers)."""
    kept: list[list[Any]] = []
    filled = 0
    for row in rows:
        if all(cell.blank for cell in row):
            kept.append(blank_row)
            continue
        kept.append(row)
        filled += 1
        if filled > MAX_ROWS:
            break
    return kept


__all__ = ["MAX_ROWS", "blank_row", "capped", "clean_cell"]
