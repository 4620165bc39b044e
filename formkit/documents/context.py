"""The data a template sees: one pupil's record, the school, the term.

Every value is a string (or a list of dicts of strings), already formatted the way
an English school writes it (dates as 03/09/2026, years as 'Year 3'), so templates
need no filters. The context holds one pupil and no other; docs/templates.md lists
every field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..codes import PRONOUNS, Area
from ..model import Pupil, School, Target, Term

BANDS: tuple[tuple[str, str], ...] = (
    ("0%", "Not present."),
    ("1-24%", "Only beginning to emerge. High level of prompt or support."),
    ("25-49%", "Evidence of progress, lower level of prompt or support, but still needs moderate to high support."),
    ("50-74%", "Needs moderate support, beginning to be spontaneous, reminders less frequent."),
    ("75-99%", "Mostly independent/spontaneous, only occasional reminders. Is used frequently and maintained over time."),
    ("100%+", "Consistently used and applied within a range of settings/contexts and with a range of people. Independent and unprompted."),
)

BLANK_TARGET_ROWS = 3


def uk_date(day: date | None) -> str:
    """date(2026, 9, 3) -> '03/09/2026'; None -> ''."""
    return day.strftime("%d/%m/%Y") if day else ""


def long_date(day: date | None) -> str:
    """date(2026, 9, 3) -> '3 September 2026'; None -> ''."""
    return f"{day.day} {day:%B %Y}" if day else ""


def percent(value: int | None) -> str:
    return "" if value is None else f"{value}%"


def age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _areas_text(areas: tuple[Area, ...]) -> str:
    return "; ".join(a.value for a in areas)


def target_context(number: int, target: Target) -> dict[str, str]:
    return {
        "number": str(number),
        "area": target.area.value if target.area else "",
        "target": target.target,
        "achievement_criteria": target.achievement_criteria,
        "resources": target.resources,
        "strategies": target.strategies,
        "baseline": percent(target.baseline),
        "half_term": percent(target.half_term) or target.half_term_band,
        "achieved": percent(target.achieved) or target.achieved_band,
        "outcome": target.outcome,
    }


def _blank_target(number: int) -> dict[str, str]:
    return {key: "" for key in target_context(1, Target(target=""))} | {"number": str(number)}


def pupil_context(pupil: Pupil, today: date) -> dict[str, Any]:
    """The pupil's fields. Pronouns agree with their verb: 'they are', 'she is',
    'he has'; the capitalised forms start a sentence."""
    pronouns = PRONOUNS[pupil.pronouns]
    they = pronouns["subject"]
    are, have = ("are", "have") if pupil.pronouns == "they" else ("is", "has")
    return {
        "upn": pupil.upn,
        "name": pupil.name,
        "forename": pupil.forename,
        "surname": pupil.surname,
        "legal_forename": pupil.legal_forename,
        "legal_surname": pupil.legal_surname,
        "legal_name": f"{pupil.legal_forename} {pupil.legal_surname}",
        "dob": uk_date(pupil.dob),
        "dob_long": long_date(pupil.dob),
        "age": str(age_on(pupil.dob, today)),
        "year": pupil.year_label,
        "class": pupil.class_name,
        "class_teacher": pupil.class_teacher,
        "sen_status": pupil.sen_status.value,
        "sen_status_label": pupil.sen_status.label,
        "primary_need": pupil.primary_need or "",
        "primary_need_name": pupil.primary_need_name,
        "secondary_need": pupil.secondary_need or "",
        "secondary_need_name": pupil.secondary_need_name,
        "areas": _areas_text(pupil.areas) or pupil.primary_need_name,
        "areas_numbered": "; ".join(f"{a.number}-{a.value}" for a in pupil.areas) or pupil.primary_need_name,
        "date_added": uk_date(pupil.date_added),
        "strengths": pupil.strengths,
        "concerns": pupil.concerns,
        "parents_can_support": pupil.parents_can_support,
        "extra": dict(pupil.extra),
        "they": pronouns["subject"],
        "them": pronouns["object"],
        "their": pronouns["possessive"],
        "themselves": pronouns["reflexive"],
        "They": they.capitalize(),
        "they_are": f"{they} {are}",
        "They_are": f"{they} {are}".capitalize(),
        "they_have": f"{they} {have}",
    }


def school_context(school: School) -> dict[str, Any]:
    return {
        "name": school.name,
        "address_lines": list(school.address_lines),
        "address": ", ".join([*school.address_lines, school.postcode] if school.postcode else school.address_lines),
        "postcode": school.postcode,
        "phone": school.phone,
        "email": school.email,
        "senco": school.senco,
        "head_teacher": school.head_teacher,
        "signatory": school.signatory,
    }


def build_context(pupil: Pupil, school: School, term: Term, today: date) -> dict[str, Any]:
    """The whole context for one pupil's document.

    A pupil with no targets gets ``BLANK_TARGET_ROWS`` empty target rows, so the IEP
    has rows to write into at the planning meeting (the batch report says so).
    """
    targets = [target_context(i, t) for i, t in enumerate(pupil.targets, 1)]
    if not targets:
        targets = [_blank_target(i) for i in range(1, BLANK_TARGET_ROWS + 1)]
    return {
        "school": school_context(school),
        "pupil": pupil_context(pupil, today),
        "targets": targets,
        "term": {
            "name": term.name,
            "start": uk_date(term.start),
            "end": uk_date(term.end),
            "review": uk_date(term.review_date),
        },
        "iep": {"start_date": uk_date(term.start), "review_date": uk_date(term.review_date)},
        "bands": [{"band": band, "descriptor": text} for band, text in BANDS],
        "today": uk_date(today),
        "today_long": long_date(today),
    }
