"""Excel's number formats: the built-in codes by id, and whether a code shows a date.

A cell's style points at a number format by id; ids below 164 that a workbook does
not define are Excel's built-in ones (ECMA-376 Part 1, 18.8.30). A cell holding a
number whose format shows days, months, years, hours or seconds holds a date or
time (Excel stores both as a count of days). Kept here, not taken from openpyxl,
so that reading a workbook's values does not load openpyxl (and numpy with it).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

BUILTIN_FORMATS: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
    18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: '_(* #,##0_);_(* \\(#,##0\\);_(* "-"_);_(@_)',
    42: '_("$"* #,##0_);_("$"* \\(#,##0\\);_("$"* "-"_);_(@_)',
    43: '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)',
    44: '_("$"* #,##0.00_)_("$"* \\(#,##0.00\\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
"""Excel's built-in number format codes by id (the ids a workbook may use
without writing the code down)."""

_NOT_SHOWN = re.compile(r"""
    \[(?!h+\]|m+\]|s+\])[^\]]*\]   # [Red], [$-809], [>=100]: all but elapsed [h] [mm] [ss]
    | "[^"]*"                      # quoted text
    | \\.                          # an escaped character
    | [_*].                        # padding (_x) and fill (*x) take one character
    """, re.VERBOSE)
_DATE_PART = re.compile(r"[dmyhs]", re.IGNORECASE)


def format_code(number_format_id: int, custom: dict[int, str]) -> str:
    """The code of format ``number_format_id``: the workbook's own, else Excel's
    built-in one, else 'General'."""
    return custom.get(number_format_id, BUILTIN_FORMATS.get(number_format_id, "General"))


def is_date_format(code: str | None) -> bool:
    """Whether a number shown with ``code`` reads as a date or time: its first
    section, without quoted text, escapes, colours and conditions, holds d, m, y,
    h or s ('dd/mm/yyyy', 'h:mm', '[h]:mm:ss'; not 'General', '0%', '"days" 0')."""
    if not code:
        return False
    first = code.split(";", 1)[0]
    return _DATE_PART.search(_NOT_SHOWN.sub("", first)) is not None


_EPOCH_1900 = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)


def from_serial(serial: float, *, date1904: bool = False) -> datetime | time:
    """The date and time Excel means by the day count ``serial``: a time of day for
    a fraction under one day, else a datetime (midnight for a whole day count).
    In the 1900 system the first 60 days are shifted a day, as Excel counts a
    29 February 1900 that never was."""
    days, fraction = divmod(serial, 1)
    part = timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= serial < 1 and part.days == 0:
        return (datetime.min + part).time()
    if not date1904 and 0 < serial < 60:
        days += 1
    return (_EPOCH_1904 if date1904 else _EPOCH_1900) + timedelta(days=days) + part


def from_iso(text: str) -> date | datetime | time | str:
    """An ISO 8601 cell of type ``d`` as a datetime (or date or time); the text
    itself when it is not ISO 8601."""
    for parse in (datetime.fromisoformat, time.fromisoformat):
        try:
            return parse(text.rstrip("Z"))
        except ValueError:
            continue
    return text


__all__ = ["BUILTIN_FORMATS", "format_code", "from_iso", "from_serial", "is_date_format"]
