"""Reading one cell's value the way schools write it.

Every ``parse_*`` function takes a raw cell value (a string from a CSV file, or a
str/int/float/bool/date/datetime from an Excel cell) and returns the canonical value,
or raises ``ValueError`` with one sentence saying what is wrong and how to write it.
The register reader turns that sentence into a problem naming the row and column.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..codes import Area, need_area, parse_need

CellValue = str | int | float | bool | date | datetime | time | None


def clean_text(text: str) -> str:
    """Strip a string, NFC-normalise it and turn Windows line ends into ``\\n``.

    Apostrophes, hyphens, accents and inner spaces are kept exactly as written.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).strip()


def is_blank(value: CellValue) -> bool:
    """True for an empty cell: None, or a string of only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: CellValue) -> str:
    """A cell value as the text a person would read in the cell.

    None -> ''; 3 and 3.0 -> '3'; 2.5 -> '2.5'; True -> 'Yes'; a date (or a
    datetime at midnight) -> '03/02/2017'; other datetimes -> '03/02/2017 14:30';
    a time -> '14:30'.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return clean_text(str(value))


_DMY = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{1,4})")
_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for name in names}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?([ /.-]+)([A-Za-z]+)\.?(?:\2|,? +)(\d{2}|\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME_TAIL = re.compile(r"(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_WRITE_DMY = "write it as dd/mm/yyyy, e.g. 03/02/2017"


def parse_date(value: CellValue) -> date:
    """An Excel date cell or a day-first date string -> date.

    Accepted strings: dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy and ISO
    yyyy-mm-dd, and the month in words as Excel and people write it: "14 Mar
    2017", "14 March 2017", "14th March 2017", "14-Mar-17" (Excel's d-mmm-yy; a
    two-digit year with a month name is 20yy, as every date a school register
    holds is); each optionally followed by a midnight time (``00:00`` or
    ``00:00:00``, as some MIS exports add). A date that does not exist
    (31/02/2017) is refused as "not a real date"; a two-digit year in figures
    (03/02/17) and any other form (02/03, 2017/02/03, March 14 2017) are refused
    with a request to write dd/mm/yyyy. A plain number is refused too: it is an Excel date shown as a
    number, and guessing would risk a wrong date of birth.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or isinstance(value, time):
        raise ValueError(f"'{as_text(value)}' is not a date; {_WRITE_DMY}")
    if isinstance(value, (int, float)):
        raise ValueError(
            f"{as_text(value)} is a number, not a date; format the cell as a date in Excel"
            f" or {_WRITE_DMY}"
        )
    text = clean_text(str(value))
    core = _TIME_TAIL.sub("", text, count=1) if text else text
    m = _ISO.fullmatch(core)
    worded = _DAY_MONTH_YEAR.fullmatch(core)
    if m:
        year, month, day = (int(g) for g in m.groups())
    elif worded and worded.group(3).casefold() in _MONTHS:
        day, month, year = int(worded.group(1)), _MONTHS[worded.group(3).casefold()], int(worded.group(4))
        year += 2000 if year < 100 else 0
    else:
        m = _DMY.fullmatch(core)
        if not m:
            raise ValueError(f"'{text}' is not a date formkit can read; {_WRITE_DMY}")
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if len(m.group(4)) != 4:
            raise ValueError(f"'{text}' has a {len(m.group(4))}-digit year; {_WRITE_DMY}")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{text} is not a real date; check it and write it as dd/mm/yyyy") from None


_YES = {"Y", "YES", "TRUE", "1", "T"}
_NO = {"N", "NO", "FALSE", "0", "F"}


def parse_yes_no(value: CellValue) -> bool:
    """Y/N, Yes/No, True/False, 1/0 (any case) or a TRUE/FALSE cell -> bool."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    key = as_text(value).upper()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(f"'{as_text(value)}' is not yes or no; write Y or N")


def parse_percent(value: CellValue, number_format: str = "") -> tuple[int, str | None]:
    """A progress percentage -> (whole number 0-200, warning or None).

    40, '40', '40%' and '100%+' (-> 100) are read as written. A number in a cell
    whose Excel number format contains '%' is a fraction (0.4 -> 40, 1 -> 100).
    Without that format, a number between 0 and 1 (exclusive) is taken as a
    fraction too, with a warning, since 0.4 might mean 0.4%. Halves round up.
    """
    warning: str | None = None
    if isinstance(value, bool) or isinstance(value, (date, time)):
        raise ValueError(f"'{as_text(value)}' is not a percentage; write a number such as 40 or 40%")
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in (number_format or ""):
            number *= 100
        elif 0 < number < 1:
            number *= 100
            warning = (
                f"{as_text(value)} was read as {_round(number)}%; write percentages as whole"
                f" numbers such as {_round(number)} or {_round(number)}% to be sure"
            )
    else:
        text = as_text(value)
        stripped = text.replace(" ", "")
        if stripped.endswith("%+"):
            stripped = stripped[:-2]
            explicit = True
        elif stripped.endswith("%"):
            stripped = stripped[:-1]
            explicit = True
        else:
            explicit = False
        try:
            number = Decimal(stripped)
        except InvalidOperation:
            raise ValueError(f"'{text}' is not a percentage; write a number such as 40 or 40%") from None
        if not number.is_finite():
            raise ValueError(f"'{text}' is not a percentage; write a number such as 40 or 40%")
        if not explicit and 0 < number < 1:
            number *= 100
            warning = (
                f"{text} was read as {_round(number)}%; write percentages as whole"
                f" numbers such as {_round(number)} or {_round(number)}% to be sure"
            )
    result = _round(number)
    if not 0 <= result <= 200:
        raise ValueError(f"{result}% is outside 0-200%; write a percentage such as 40 or 40%")
    return result, warning


def _round(number: Decimal) -> int:
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _key(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", " ", text.upper()).strip()


_AREA_NAMES: dict[str, Area] = {
    "COMMUNICATION AND INTERACTION": Area.COMMUNICATION,
    "COMMUNICATION INTERACTION": Area.COMMUNICATION,
    "COMMUNICATION": Area.COMMUNICATION,
    "C I": Area.COMMUNICATION,
    "CI": Area.COMMUNICATION,
    "COGNITION AND LEARNING": Area.COGNITION,
    "COGNITION LEARNING": Area.COGNITION,
    "COGNITION": Area.COGNITION,
    "C L": Area.COGNITION,
    "CL": Area.COGNITION,
    "SOCIAL EMOTIONAL AND MENTAL HEALTH": Area.SEMH,
    "SOCIAL EMOTIONAL MENTAL HEALTH": Area.SEMH,
    "SEMH": Area.SEMH,
    "SENSORY AND OR PHYSICAL NEEDS": Area.SENSORY,
    "SENSORY AND OR PHYSICAL": Area.SENSORY,
    "SENSORY AND PHYSICAL NEEDS": Area.SENSORY,
    "SENSORY AND PHYSICAL": Area.SENSORY,
    "SENSORY OR PHYSICAL": Area.SENSORY,
    "SENSORY PHYSICAL": Area.SENSORY,
    "SENSORY": Area.SENSORY,
    "PHYSICAL": Area.SENSORY,
    "S P": Area.SENSORY,
    "SP": Area.SENSORY,
}

_AREA_HELP = (
    "write the area (Communication and interaction, Cognition and learning,"
    " Social, emotional and mental health, Sensory and/or physical needs),"
    " its number 1-4, or a census need code such as SPLD"
)


def parse_area(value: CellValue) -> Area:
    """A broad area of need -> Area.

    Accepts the area's name (or a short form: 'Cognition', 'C&L', 'SEMH',
    'Sensory'), its number 1-4 ('2', 'Area 2'), or a census SEN type code or name
    mapped to its area ('SPLD' -> Cognition and learning). OTH and NSA belong to
    no area and are refused.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= int(value) <= 4:
            return list(Area)[int(value) - 1]
        raise ValueError(f"'{as_text(value)}' is not an area of need; {_AREA_HELP}")
    text = as_text(value)
    key = _key(text)
    m = re.fullmatch(r"(?:AREA )?([1-4])", key)
    if m:
        return list(Area)[int(m.group(1)) - 1]
    if key in _AREA_NAMES:
        return _AREA_NAMES[key]
    try:
        code = parse_need(text)
    except ValueError:
        raise ValueError(f"'{text}' is not an area of need; {_AREA_HELP}") from None
    area = need_area(code)
    if area is None:
        raise ValueError(f"{code} is not in one of the four broad areas; {_AREA_HELP}")
    return area


POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})")
_POSTCODE_TAIL = re.compile(r"(.*?)[\s,]*\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$", re.IGNORECASE)


def normalise_postcode(text: str) -> str | None:
    """'ex12ab', 'EX1 2AB', 'ex1  2ab' -> 'EX1 2AB'; None if it is not a UK postcode shape."""
    m = POSTCODE.fullmatch(re.sub(r"\s+", " ", text.strip().upper()))
    if not m:
        return None
    return f"{m.group(1)} {m.group(2)}"


def split_address(parts: list[str], postcode: str, *, whole: str = "") -> tuple[tuple[str, ...], str, bool]:
    """Address cells and a postcode cell -> (address lines, postcode, postcode_ok).

    ``whole`` is an address written in one cell (a register's Address column):
    it is split at its line breaks, or at its commas when it has none ("2 Church
    Lane, Exampleton"), a unit or house number staying with the street ("Flat 3,
    40 Mill Street" is one line). Each of ``parts`` (Address Line 1, Town ...) is
    one line, or several in a multi-line cell, and is never split at a comma:
    "Unit 9, Mill Lane" in Address Line 1 stays one line. Blank lines are
    dropped. When the postcode cell is blank and the last line is, or ends with,
    a UK postcode, it is moved to the postcode. A last line repeating the
    postcode is dropped. ``postcode_ok`` is False when a postcode was given but
    is not a UK postcode shape (it is kept as written).
    """
    whole = clean_text(whole)
    lines = _comma_lines(whole) if whole and "\n" not in whole else _cell_lines(whole)
    for part in parts:
        lines.extend(_cell_lines(part))
    code = clean_text(postcode)
    if code:
        normal = normalise_postcode(code)
        if lines and normalise_postcode(lines[-1]) == (normal or code.upper()):
            lines.pop()
        if normal is None:
            return tuple(lines), code, False
        return tuple(lines), normal, True
    if lines:
        m = _POSTCODE_TAIL.fullmatch(lines[-1])
        if m:
            rest = m.group(1).strip()
            code = f"{m.group(2).upper()} {m.group(3).upper()}"
            if rest:
                lines[-1] = rest
            else:
                lines.pop()
    return tuple(lines), code, True


def _cell_lines(text: str) -> list[str]:
    return [line for line in (clean_text(piece) for piece in text.split("\n")) if line]


_UNIT = re.compile(r"(?i)(?:flat|unit|apartment|apt|suite|room|block|studio)\.? *\w+|\d+[a-z]?")


def _comma_lines(text: str) -> list[str]:
    """A one-line address split at its commas, a unit or bare house number kept
    with what follows ("Flat 3, 40 Mill Street", "12, High Street" -> "12 High Street")."""
    lines: list[str] = []
    held = ""
    for piece in (clean_text(p) for p in text.split(",")):
        if not piece:
            continue
        if held:
            piece = f"{held}{' ' if held[0].isdigit() else ', '}{piece}"
            held = ""
        if _UNIT.fullmatch(piece):
            held = piece
            continue
        lines.append(piece)
    if held:
        lines.append(held)
    return lines


_SMALL_WORDS = {"and", "at", "by", "cum", "en", "in", "le", "next", "of", "on", "super", "the", "under", "upon"}


def _capitalise(piece: str) -> str:
    """One lower-cased name piece (no spaces or hyphens) with its capitals back:
    'o'brien' -> "O'Brien", 'mcdonald' -> 'McDonald', "john's" -> "John's", '12a' -> '12A'."""
    if any(ch.isdigit() for ch in piece):
        return piece.upper()
    for mark in ("'", "\u2019"):
        if mark in piece:
            head, tail = piece.split(mark, 1)
            if tail in ("s", ""):
                return _capitalise(head) + mark + tail
            return _capitalise(head) + mark + _capitalise(tail)
    if piece.startswith("mc") and len(piece) > 2:
        return "Mc" + piece[2:].capitalize()
    return piece[:1].upper() + piece[1:]


def tidy_capitals(text: str, *, address: bool = False) -> str:
    """A name or address line written all in capitals, as some MIS exports send
    it, in the capitals a letter uses: "O'BRIEN-KOWALSKI" -> "O'Brien-Kowalski",
    'MCDONALD' -> 'McDonald', 'SIÂN' -> 'Siân', "12A ST. MARY'S ROAD" ->
    "12A St. Mary's Road". With ``address``, small joining words after the first
    ('STOKE-ON-TRENT' -> 'Stoke-on-Trent') stay in lower case. Text with any lower
    case letter is returned as written (the MIS's capitals are then trusted);
    spaces are tidied to single spaces either way."""
    text = " ".join(clean_text(text).split())
    if text.upper() != text or text.lower() == text:  # some small letters, or no letters at all
        return text
    words = []
    for n, word in enumerate(text.lower().split(" ")):
        pieces = []
        for m, piece in enumerate(word.split("-")):
            small = address and (n or m) and piece in _SMALL_WORDS
            pieces.append(piece if small else _capitalise(piece))
        words.append("-".join(pieces))
    return " ".join(words)


_PHONE_GROUPS = ((re.compile(r"07\d{9}"), (5, 6)), (re.compile(r"02\d{9}"), (3, 4, 4)),
                 (re.compile(r"01(\d1|1\d)\d{7}"), (4, 3, 4)), (re.compile(r"0[389]\d{9}"), (4, 3, 4)),
                 (re.compile(r"01\d{9}"), (5, 6)), (re.compile(r"01\d{8}"), (5, 5)))


def tidy_phone(text: str) -> tuple[str, bool]:
    """A UK phone number as written ('07700900123', '0 7700 900 123', '+44 (0)7700
    900123') -> (the number spaced the usual way, True): '07700 900123',
    '020 7946 0018', '0113 496 0000', '01632 960123'. A number that is not a UK
    number's shape is returned as written, spaces tidied, with False; an
    international number ('+33 1 23 45 67 89') is kept as written, with True."""
    written = " ".join(clean_text(text).split())
    compact = re.sub(r"[\s().-]", "", written.replace("(0)", ""))
    if compact.startswith(("+44", "0044")):
        compact = "0" + compact[3 if compact.startswith("+") else 4:]
    elif compact.startswith(("+", "00")):
        return written, compact.lstrip("+").isdigit()
    for pattern, groups in _PHONE_GROUPS:
        if pattern.fullmatch(compact):
            pieces, at = [], 0
            for size in groups:
                pieces.append(compact[at:at + size])
                at += size
            return " ".join(pieces), True
    return written, False


def tidy_phones(text: str) -> tuple[str, list[str]]:
    """One or more phone numbers in a cell, separated by commas or semicolons,
    each perhaps followed by what it is ('07700900123 (mobile); 01632 960123')
    -> (each tidied by :func:`tidy_phone`, joined with ', '; the numbers that do
    not look like phone numbers)."""
    shown, bad = [], []
    for piece in re.split(r"[,;]", text):
        m = re.fullmatch(r"\s*(.*?)\s*(\([^()]*[A-Za-z][^()]*\))?\s*", piece)
        number, label = (m.group(1), m.group(2)) if m else (piece, None)
        if not number.strip():
            continue
        tidied, ok = tidy_phone(number)
        if not ok:
            bad.append(tidied)
        shown.append(f"{tidied} {label}" if label else tidied)
    return ", ".join(shown), bad
