"""Turning what a returned form says into a typed record.

A reader (Word, PDF, spreadsheet) gives a :class:`RawForm`: for each field it
found, a :class:`Raw` value (the text shown, a tick state, a date picker's
date). :func:`build_record` makes the :class:`FormRecord`: dates as dates,
percentages 0-100, ratings from the configured scale, areas of need as the four
broad areas, numbers as numbers; and matches the pupil to the register by UPN,
otherwise by name and date of birth. A value it cannot use is left out with a
warning naming the field and the problem; a form with no pupil, or with nothing
filled in, is rejected.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..codes import normalise_upn
from ..errors import Problem
from ..model import Pupil
from ..ooxml import TICKS, UNCHECKED
from ..register import Register, parse_date, parse_percent
from .fields import (
    ENTRY_MEASURES,
    FieldDef,
    FormDef,
    FormsConfig,
    band_of,
    form_def,
    label_key,
    scale_for,
)

MONTHS = {m: i for i, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")), 1) for m in names}
_LONG_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})")
NOT_TICKED = frozenset({"", UNCHECKED, "no", "n", "-"})


@dataclass
class Raw:
    """One field as found: ``text`` shown, ``checked`` for a tick control,
    ``day`` from a date picker, and ``how`` it was found (tag, label, ...)."""

    text: str = ""
    checked: bool | None = None
    day: date | None = None
    how: str = ""


@dataclass
class RawForm:
    """A form as a reader found it; ``row`` is the sheet row for a tracker."""

    kind: str
    values: dict[str, Raw] = field(default_factory=dict)
    targets: list[dict[str, Raw]] = field(default_factory=list)
    row: int | None = None


@dataclass
class FormRecord:
    """One returned form (or tracker row) as a typed record.

    ``values`` hold the kind's record fields (formfields ``record_fields``) as
    Python values: str, int, float, date, list (areas, concern types, targets)
    or None when blank. ``key`` identifies the form for the records store: the
    kind, the pupil (UPN, else name and date of birth) and the kind's key
    fields, so a re-submission of the same form replaces the earlier one.
    """

    kind: str
    values: dict[str, Any]
    source_file: str
    source_sha256: str
    imported_at: datetime | None = None
    row: int | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def upn(self) -> str | None:
        return self.values.get("upn")

    @property
    def pupil_name(self) -> str:
        return self.values.get("pupil_name") or self.values.get("child_name") or ""

    @property
    def key(self) -> str:
        form = form_def(self.kind)
        who = self.upn or f"{_name_key(self.pupil_name)}|{_iso(self.values.get('dob'))}"
        parts = [label_key(str(_iso(self.values.get(name)) or "")) for name in form.key_fields]
        return "|".join([self.kind, who, *parts])

    def label(self) -> str:
        name = self.pupil_name or "no name"
        return f"{name} ({self.upn})" if self.upn else name

    def shown(self) -> list[tuple[str, str]]:
        """Each of the kind's record fields as a person reads it: (the form's
        label, the value: dates as dd/mm/yyyy, lists joined with '; ', each
        target on its own line, '' when blank)."""
        form = form_def(self.kind)
        labels = {f.name: f.label for f in (*form.fields, *form.target_fields)}
        return [(labels.get(name, name.replace("_", " ").capitalize()), _shown(self.values.get(name), labels))
                for name in form.record_fields]


def _shown(value: Any, labels: dict[str, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return "\n".join("; ".join(f"{labels.get(k, k)}: {_shown(v, labels)}" for k, v in item.items()
                                        if v not in (None, "")) for item in value)
        return "; ".join(_shown(v, labels) for v in value)
    return str(value)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _name_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    return label_key("".join(c for c in text if not unicodedata.combining(c)))


def parse_form_date(text: str) -> date:
    """A date as teachers type it: dd/mm/yyyy (and the register's other forms),
    or '3 September 2026', '3rd Sept 2026'. Raises ValueError."""
    m = _LONG_DATE.fullmatch(text.strip())
    if m and m.group(2).casefold() in MONTHS:
        try:
            return date(int(m.group(3)), MONTHS[m.group(2).casefold()], int(m.group(1)))
        except ValueError:
            raise ValueError(f"{text.strip()} is not a real date; check it") from None
    return parse_date(text)


def parse_tick(raw: Raw) -> tuple[bool, str | None]:
    """A tick: a check box's state, or a cell holding one of ✓ ✔ ☑ ☒ ■ X x or
    'yes'. Other text is read as not ticked, with a warning."""
    if raw.checked is not None:
        return raw.checked, None
    text = raw.text.strip()
    key = text.casefold()
    if key in TICKS:
        return True, None
    if key in NOT_TICKED:
        return False, None
    return False, f"'{text}' in a tick box is not a tick, so it is read as not ticked; use \u2713 or X"


def _number(text: str, integer: bool) -> int | float:
    cleaned = text.strip().replace(",", "")
    if integer:
        if re.fullmatch(r"\d+(?:\.0+)?", cleaned):
            return int(float(cleaned))
        raise ValueError(f"'{text.strip()}' is not a whole number; write it in figures, e.g. 12")
    if re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", cleaned):
        number = float(cleaned)
        return int(number) if number.is_integer() else number
    raise ValueError(f"'{text.strip()}' is not a number; write the score in figures, e.g. 85")


def convert(definition: FieldDef, raw: Raw, config: FormsConfig) -> tuple[Any, str | None]:
    """(typed value or None, warning or None) for one field."""
    if definition.type == "tick":
        return parse_tick(raw)
    text = raw.text.strip()
    if definition.type == "date":
        if not text and raw.day is None:
            return None, None
        try:
            return parse_form_date(text), None
        except ValueError as exc:
            if raw.day is not None:
                return raw.day, None
            return None, f"{exc}; the date is left blank"
    if not text:
        return None, None
    try:
        if definition.type in ("text", "long"):
            return text, None
        if definition.type in ("integer", "number"):
            return _number(text, definition.type == "integer"), None
        if definition.type == "percent":
            value, warning = parse_percent(text)
            if value > 100:
                return 100, f"{value}% is above 100%, so it is recorded as 100% (consistently used)"
            return value, warning
        if definition.choices == "entry_measure":
            return next((m for m in ENTRY_MEASURES if label_key(m) == label_key(text)), text), None
        scale = scale_for(definition.choices, config)
        return (scale.parse(text) if scale else text), None
    except ValueError as exc:
        return None, f"{exc}; the value is left blank"


class PupilIndex:
    """The register's pupils by UPN and by (name, date of birth), built once."""

    def __init__(self, register: Register | None) -> None:
        self.register = register
        self.by_upn: dict[str, Pupil] = {}
        self.by_name: dict[tuple[str, date], list[Pupil]] = {}
        self._name_keys: dict[str, set[str]] = {}
        for pupil in register.pupils if register else ():
            self.by_upn[pupil.upn] = pupil
            keys = {_name_key(n) for n in _names(pupil)}
            for key in keys:  # names that differ only as the key ignores (case, accents) count once
                self.by_name.setdefault((key, pupil.dob), []).append(pupil)
            self._name_keys[pupil.upn] = keys

    def match(self, upn_text: str, name: str, dob: date | None) -> tuple[Pupil | None, str | None, list[str]]:
        """(the pupil, the UPN to record, warnings): by UPN, else by name and
        date of birth. Without a register the form's UPN is kept as written."""
        warnings: list[str] = []
        upn: str | None = None
        if upn_text.strip():
            try:
                upn = normalise_upn(upn_text)
            except ValueError as exc:
                warnings.append(f"{exc}; the pupil is matched by name and date of birth instead")
        if self.register is None:
            return None, upn, warnings
        if upn and upn in self.by_upn:
            pupil = self.by_upn[upn]
            if name and _name_key(name) not in self._name_keys[upn]:
                warnings.append(f"the form names '{name}' but UPN {upn} is {pupil.name} on the register;"
                                " check the form is about the right child")
            return pupil, upn, warnings
        found = self.by_name.get((_name_key(name), dob), []) if name and dob else []
        if len(found) == 1:
            if upn:
                warnings.append(f"UPN {upn} is not on the register; matched by name and date of birth to"
                                f" {found[0].label}")
            return found[0], found[0].upn, warnings
        why = "no pupil on the register has this UPN, or this name and date of birth" if dob or upn else (
            "the form has no UPN or date of birth to match it by")
        warnings.append(f"{why}, so the record is kept without a register match; check the name and date of birth")
        return None, upn, warnings


def _names(pupil: Pupil) -> list[str]:
    return [f"{f} {s}" for f in (pupil.forename, pupil.legal_forename) for s in (pupil.surname, pupil.legal_surname)]


def build_record(raw: RawForm, *, file: str, sha256: str, pupils: PupilIndex, config: FormsConfig,
                 ) -> tuple[FormRecord | None, list[Problem], str | None]:
    """(record, problems, why rejected). The record is None when rejected."""
    form = form_def(raw.kind)
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    ticks: dict[str, list[str]] = {}

    def warn(name: str | None, message: str) -> None:
        problems.append(Problem("warning", message, file, raw.row, name))

    for definition in form.fields:
        found = raw.values.get(definition.name)
        if definition.group:
            ticks.setdefault(definition.group, [])
            if found is not None:
                ticked, warning = convert(definition, found, config)
                if warning:
                    warn(definition.name, warning)
                if ticked:
                    ticks[definition.group].append(definition.group_value or definition.name)
            continue
        value, warning = convert(definition, found, config) if found is not None else (None, None)
        if warning:
            warn(definition.name, warning)
        values[definition.name] = value
    values.update(ticks)
    if form.target_fields:
        values["targets"] = _targets(form, raw, config, warn)
    filled = [f.name for f in form.filled_by_teacher if _has(values, f, raw)]
    name = values.get("pupil_name") or values.get("child_name") or ""
    if not name and not values.get("upn"):
        return None, problems, "the form has no pupil's name or UPN, so formkit cannot tell whose it is"
    if not filled:
        return None, problems, "nothing has been filled in on this form"
    dob = values.get("dob")
    if dob is None and "dob" in raw.values:
        dob, _ = convert(FieldDef("dob", "DOB", "date"), raw.values["dob"], config)
    pupil, upn, warnings = pupils.match(values.get("upn") or "", name, dob)
    for warning in warnings:
        warn("upn", warning)
    values["upn"] = upn
    if pupil is not None:
        values["pupil_name" if "pupil_name" in form.record_fields else "child_name"] = name or pupil.name
    _check(form, values, warn)
    ordered = {name: values.get(name) for name in form.record_fields}
    return FormRecord(raw.kind, ordered, file, sha256, row=raw.row, problems=problems), problems, None


def _has(values: dict[str, Any], definition: FieldDef, raw: RawForm) -> bool:
    if definition.group:
        return bool(values.get(definition.group))
    if definition.name in {f.name for f in form_def(raw.kind).target_fields}:
        return any(t.get(definition.name) not in (None, "") for t in values.get("targets", []))
    return values.get(definition.name) not in (None, "", [])


def _targets(form: FormDef, raw: RawForm, config: FormsConfig, warn) -> list[dict[str, Any]]:
    targets = []
    for index, found in enumerate(raw.targets, 1):
        target: dict[str, Any] = {}
        for definition in form.target_fields:
            value, warning = convert(definition, found[definition.name], config) if definition.name in found else (
                None, None)
            if warning:
                warn(f"target {index} {definition.name}", warning)
            target[definition.name] = value
        if all(v in (None, "") for k, v in target.items() if k != "number"):
            continue
        target["number"] = target.get("number") or index
        percent, band = target.get("achieved_percent"), target.get("band")
        if config.progress_scale.name == "bands" and percent is not None:
            if band is None:
                target["band"] = band_of(percent)
            elif band != band_of(percent):
                warn(f"target {index} band", f"{percent}% is in the band {band_of(percent)}, but {band} is chosen;"
                                             " check which is right (both are kept)")
        targets.append(target)
    return targets


def _check(form: FormDef, values: dict[str, Any], warn) -> None:
    """Cross-field checks a SENCo would make."""
    planned, attended = values.get("sessions_planned"), values.get("sessions_attended")
    if planned is not None and attended is not None and attended > planned:
        warn("sessions_attended", f"{attended} sessions attended is more than the {planned} planned; check both")
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        warn("end_date", f"the end date {end:%d/%m/%Y} is before the start date {start:%d/%m/%Y}; check both")
    if form.kind == "referral" and not values.get("concern_type"):
        warn("concern_type", "neither SEND nor PASTORAL is ticked as the nature of concern")
    if form.kind == "referral" and not values.get("areas_of_need"):
        warn("areas_of_need", "no area of need is ticked")
