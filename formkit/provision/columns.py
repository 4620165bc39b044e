"""The provision map's columns: the headings schools give them, the lists its
drop-downs offer (roles with hourly rates, areas of need, waves, impact ratings),
and how a value from a provisions sheet or an impact form becomes a cell value.

A provision map is the SENCo's workbook with one row per pupil per intervention
(seed 003: the intervention, the date it commenced, the time allocated, its
frequency, outside agencies; seed 002: updated from intervention impact forms).
:mod:`formkit.provision.workbook` reads a map back; docs/provision-map.md
describes it for SENCos.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from ..codes import Area, normalise_upn, parse_year, year_label
from ..ooxml import Value
from ..register import as_text, parse_area, parse_date

_UPN = ("UPN", "Unique Pupil Number", "Pupil UPN")

COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": _UPN,
    "pupil": ("Pupil", "Pupil Name", "Name", "Child", "Student"),
    "year": ("Year", "Year Group", "NC Year"),
    "class_name": ("Class", "Reg Group", "Form"),
    "area": ("Area of Need", "Area", "Primary Area of Need", "Need"),
    "intervention": ("Intervention", "Provision", "Programme", "Intervention Name"),
    "wave": ("Wave",),
    "delivered_by": ("Delivered By", "Staff", "Staff Role", "Role", "Adult"),
    "group_size": ("Group Size", "Pupils in Group", "Group"),
    "sessions_per_week": ("Sessions per Week", "Frequency", "Sessions a Week", "Times per Week"),
    "minutes": ("Minutes per Session", "Minutes", "Session Length (mins)", "Time Allocated", "Duration (mins)"),
    "start_date": ("Start Date", "Date Commenced", "Started", "Start"),
    "end_date": ("End Date", "Date Ended", "End", "Finish Date"),
    "weeks": ("Weeks", "Number of Weeks", "Duration (weeks)"),
    "hours": ("Hours", "Total Hours"),
    "hourly_cost": ("Hourly Cost", "Hourly Rate", "Cost per Hour"),
    "cost_per_pupil": ("Cost per Pupil", "Cost"),
    "entry_measure": ("Entry Measure", "Measure", "Assessment"),
    "entry_score": ("Entry Score", "Entry", "Baseline", "Score Before"),
    "exit_score": ("Exit Score", "Exit", "Score After"),
    "progress": ("Progress", "Progress (exit - entry)"),
    "impact_rating": ("Impact Rating", "Impact", "Rating"),
    "outside_agency": ("Outside Agency", "Outside Agencies", "Agency", "External Agency"),
    "notes": ("Notes", "Note", "Comments"),
}
"""Each field of the Provision sheet with the headings that name it; the first
heading is the template's, and the order is the template's column order."""

FORMULA_FIELDS = ("weeks", "hours", "hourly_cost", "cost_per_pupil", "progress")
DATE_FIELDS = ("start_date", "end_date")
NUMBER_FIELDS = ("group_size", "sessions_per_week", "minutes", "weeks", "hours", "hourly_cost", "cost_per_pupil")
SCORE_FIELDS = ("entry_score", "exit_score")
LIST_FIELDS = ("area", "wave", "delivered_by", "impact_rating")
PUPIL_FIELDS = ("pupil", "year", "class_name", "area")
FILL_ONLY_FIELDS = ("notes", "pupil")
"""Fields formkit writes only into a blank cell: the SENCo's notes stay theirs, and
the pupil's name as the map spells it stays (the UPN says who the row is)."""

IMPACT_EXTRAS: dict[str, tuple[str, ...]] = {
    "pupil_name": ("pupil_name",),
    "sessions_planned": ("sessions_planned", "Sessions Planned"),
    "sessions_attended": ("sessions_attended", "Sessions Attended"),
    "comment": ("comment",),
    "next_step": ("next_step", "Next Step", "Next Steps"),
    "kind": ("kind",),
    "source_file": ("source_file",),
    "source_sha256": ("source_sha256",),
    "imported_at": ("imported_at",),
}
"""The impact record's fields that are not Provision columns (shared contract
with the forms reader and its exports)."""

DEFAULT_RATES: tuple[tuple[str, float], ...] = (
    ("Teaching assistant", 16.0),
    ("HLTA", 20.0),
    ("Teacher", 40.0),
    ("SENCo", 45.0),
    ("Learning mentor", 18.0),
    ("Speech and language therapist", 60.0),
    ("Occupational therapist", 55.0),
    ("Educational psychologist", 90.0),
)
WAVES = ("Wave 1", "Wave 2", "Wave 3")
RATINGS = (
    "+2 Significantly more than expected",
    "+1 More than expected",
    "0 As expected",
    "-1 Less than expected",
    "-2 Significantly less than expected",
)
AREAS = tuple(a.value for a in Area)
WEEKS_PER_YEAR = 38

_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "teacher": ("teacher", "class teacher"),
    "hlta": ("hlta", "higher level teaching assistant"),
    "teaching assistant": ("ta", "teaching assistant", "lsa", "learning support assistant", "support assistant"),
    "senco": ("senco", "sendco", "inclusion lead"),
    "learning mentor": ("learning mentor", "mentor"),
    "speech and language therapist": ("salt", "slt", "speech and language therapist", "speech therapist",
                                      "speech and language therapy"),
    "occupational therapist": ("ot", "occupational therapist", "occupational therapy"),
    "educational psychologist": ("ep", "educational psychologist"),
}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_SMALL_WORDS = {"once": 1, "one": 1, "weekly": 1, "twice": 2, "two": 2, "three": 3, "four": 4, "five": 5,
                "daily": 5}


_WORD = re.compile(r"[a-z0-9+-]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold().replace("&", " and "))


def _contains(words: list[str], phrase: list[str]) -> bool:
    first, n = phrase[0], len(phrase)
    if first not in words:
        return False
    return n == 1 or any(words[i:i + n] == phrase for i, word in enumerate(words) if word == first)


@dataclass(frozen=True)
class Lists:
    """The choices the workbook's drop-downs offer and its costing settings (from
    its Settings sheet, else formkit's defaults)."""

    rates: tuple[tuple[str, float | None], ...] = DEFAULT_RATES
    areas: tuple[str, ...] = AREAS
    waves: tuple[str, ...] = WAVES
    ratings: tuple[str, ...] = RATINGS
    weeks_per_year: float = WEEKS_PER_YEAR

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(role for role, _ in self.rates)

    def rate(self, role: str) -> float | None:
        key = role.strip().casefold()
        return next((rate for name, rate in self.rates if name.casefold() == key), None)

    def role(self, text: str) -> str | None:
        """'TA', 'Mrs Khan (TA)', 'speech therapist' -> the role as the list spells
        it; the longest matching name or alias wins ('HLTA' over 'TA')."""
        words = _words(text)
        best: tuple[int, str] | None = None
        for role, pw in self._role_phrases:
            if _contains(words, pw) and (best is None or len(pw) > best[0]):
                best = (len(pw), role)
        return best[1] if best else None

    @cached_property
    def _role_phrases(self) -> tuple[tuple[str, list[str]], ...]:
        """Each role with each of its names and aliases as words (read once per list)."""
        return tuple((role, pw) for role in self.roles
                     for phrase in (role.casefold(), *_ROLE_WORDS.get(role.casefold(), ()))
                     if (pw := _words(phrase)))

    def rating(self, text: str) -> str | None:
        """'+2', '+2 Significantly more than expected', 'significantly more than
        expected', 'Achieved' -> the list's item, matched ignoring case."""
        key = " ".join(_words(text))
        for item in self.ratings:
            words = _words(item)
            if key in (" ".join(words), words[0] if words else "", " ".join(words[1:])):
                return item
        return None

    def wave(self, text: str) -> str | None:
        m = re.fullmatch(r"(?:wave|w)?\s*([0-9])", text.strip().casefold())
        wanted = f"wave {m.group(1)}" if m else text.strip().casefold()
        return next((w for w in self.waves if w.casefold() == wanted), None)

    def area(self, text: str) -> str | None:
        key = text.strip().casefold()
        found = next((a for a in self.areas if a.casefold() == key), None)
        if found:
            return found
        try:
            return parse_area(text).value
        except ValueError:
            return None


@dataclass
class ProvisionRecord:
    """What one input row says about one pupil's intervention.

    ``values`` holds cell values by field (only the ones given); ``source`` names
    the file and row for messages. The record's key is (UPN, intervention ignoring
    case and spacing, start date).
    """

    upn: str
    intervention: str
    start_date: date | None
    values: dict[str, Value] = field(default_factory=dict)
    source: str = ""

    @property
    def key(self) -> tuple[str, str, date | str | None]:
        return make_key(self.upn, self.intervention, self.start_date)

    @property
    def label(self) -> str:
        pupil = self.values.get("pupil")
        who = f"{pupil} ({self.upn})" if pupil else self.upn
        if not self.intervention:
            return who
        start = f" from {self.start_date:%d/%m/%Y}" if self.start_date else ""
        return f"{who}, {self.intervention}{start}"


def make_key(upn: str, intervention: str, start: date | str | None) -> tuple[str, str, date | str | None]:
    start_key = start.strip().casefold() if isinstance(start, str) else start
    return ("".join(upn.split()).upper(), " ".join(intervention.casefold().split()), start_key or None)


def parse_number(field_name: str, value: Value) -> float:
    """A count, duration or money value as schools write it -> a number.

    Numbers pass through; text may carry units or words: '20 mins', '1 hour'
    (minutes: 60), '£16.50', '3x weekly', 'twice a week', 'daily' (5 a week).
    Raises ValueError with a sentence for anything else or a negative value.
    """
    if isinstance(value, bool) or value is None or isinstance(value, date):
        raise ValueError(f"'{as_text(value)}' is not a number")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = as_text(value).casefold().replace(",", "").replace("£", "")
        m = _NUMBER.search(text)
        if m:
            number = float(m.group())
        else:
            words = [w for w in _words(text) if w in _SMALL_WORDS]
            if not words:
                raise ValueError(f"'{as_text(value)}' is not a number; write a number such as 3")
            number = float(_SMALL_WORDS[words[0]])
        if field_name == "minutes" and re.search(r"\bh(ou)?rs?\b", text) and "min" not in text:
            number *= 60
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"'{as_text(value)}' is not a number formkit can use; write a number such as 3")
    return int(number) if number.is_integer() else number


def parse_score(value: Value) -> int | float | str:
    """An entry or exit score: a number ('12', 12, '40%' -> 40) or, when it is not
    one, the text as written (progress is then not calculated)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = as_text(value)
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*%?", text.replace(",", ""))
    if m:
        number = float(m.group(1))
        return int(number) if number.is_integer() else number
    return text


def cell_value(field_name: str, raw: Value, lists: Lists) -> tuple[Value, str | None]:
    """One input value -> (the value to write, a warning or None).

    Raises ValueError (with a sentence) when the value cannot be used at all.
    A list field's value that is not one of the drop-down's choices is kept as
    written, with a warning; such a value only fills a blank cell.
    """
    if field_name == "upn":
        return normalise_upn(as_text(raw)), None
    if field_name in DATE_FIELDS:
        return parse_date(raw), None
    if field_name in NUMBER_FIELDS:
        number = parse_number(field_name, raw)
        if field_name == "group_size" and number < 1:
            raise ValueError(f"a group size of {as_text(raw)} is not possible; write 1 for one-to-one")
        return number, None
    if field_name in SCORE_FIELDS:
        score = parse_score(raw)
        warning = None if not isinstance(score, str) else (
            f"'{score}' is not a number, so the progress for this row cannot be worked out")
        return score, warning
    if field_name == "year":
        return year_label(parse_year(raw)), None
    text = as_text(raw)
    finder = {"area": lists.area, "wave": lists.wave, "delivered_by": lists.role,
              "impact_rating": lists.rating}.get(field_name)
    if finder is None:
        return text, None
    found = finder(text)
    if found is not None:
        return found, None
    choices = {"area": lists.areas, "wave": lists.waves, "delivered_by": lists.roles,
               "impact_rating": lists.ratings}[field_name]
    shown = ", ".join(choices)
    return text, f"'{text}' is not one of the drop-down's choices ({shown}); it is written only into a blank cell"


def is_known(field_name: str, value: Value, lists: Lists) -> bool:
    """Whether a list field's value is one of the workbook's choices."""
    if field_name not in LIST_FIELDS or not isinstance(value, str):
        return True
    choices = {"area": lists.areas, "wave": lists.waves, "delivered_by": lists.roles,
               "impact_rating": lists.ratings}[field_name]
    return value in choices


SETTINGS_COLUMNS: dict[str, tuple[str, ...]] = {
    "role": ("Role", "Staff Role"),
    "rate": ("Hourly Rate (£)", "Hourly Rate", "Rate", "Cost per Hour"),
    "area": ("Area of Need", "Areas of Need"),
    "wave": ("Wave", "Waves"),
    "rating": ("Impact Rating", "Impact Ratings", "Rating"),
    "weeks": ("Weeks per Year",),
}
