"""Cell references and ranges as Excel writes them: 'C5', 'A3:X50', 'A:C'.

Worked out here rather than through openpyxl's helpers, so that reading or
editing a workbook's XML does not import openpyxl (and numpy) for them.
"""

from __future__ import annotations

import re
from functools import lru_cache

Box = tuple[int, int, int, int]
"""A cell range as (first column, first row, last column, last row), 1-based."""


@lru_cache(maxsize=None)
def column_letter(col: int) -> str:
    """3 -> 'C', 28 -> 'AB' (1 to 16384, Excel's columns)."""
    if not 1 <= col <= 16384:
        raise ValueError(f"column {col} is outside Excel's columns 1 to 16384")
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """'C' -> 3, 'ab' -> 28."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def ref(row: int, col: int) -> str:
    """(5, 3) -> 'C5'."""
    return f"{column_letter(col)}{row}"


_RANGE_END = re.compile(r"([A-Za-z]{1,3})?(\d+)?")


def box(text: str) -> Box:
    """'A3:X50' or 'E5' -> a Box; whole columns ('A:C') or rows ('3:9') run to the
    sheet's edge. Raises ValueError for text that is not a range."""
    ends = [_RANGE_END.fullmatch(end) for end in text.replace("$", "").split(":")]
    if len(ends) > 2 or not all(end and end.group(0) for end in ends):
        raise ValueError(f"{text!r} is not a cell range")
    (l1, r1), (l2, r2) = ends[0].groups(), ends[-1].groups()  # type: ignore[union-attr]
    c1, c2 = (column_number(x) if x else 0 for x in (l1, l2))
    n1, n2 = (int(x) if x else 0 for x in (r1, r2))
    return (c1 or 1, n1 or 1, c2 or 16384, n2 or 1048576)


def box_text(b: Box) -> str:
    """A Box as Excel writes a range: 'A3:X50', or 'E5' for one cell."""
    first, last = ref(b[1], b[0]), ref(b[3], b[2])
    return first if first == last else f"{first}:{last}"


def overlaps(a: Box, b: Box) -> bool:
    """Whether the two ranges share at least one cell."""
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]
