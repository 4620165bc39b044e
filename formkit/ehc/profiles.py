"""One-page profiles (seed 000): what matters to a pupil and how they like to be
supported, on one page.

A profile's words come from a **Profiles** sheet in the register workbook (or a
file of its own): one row per pupil, keyed by UPN, with a column for each of
the profile's three boxes. Each line of a cell (Alt+Enter in Excel) becomes a
bullet. :func:`generate_profiles` writes one profile per pupil on the SEN
register, and for any other pupil with a row in the sheet, from the
``one_page_profile`` template; a pupil on the register without a row gets a
profile with empty boxes to fill in with them, and the run says so.
docs/ehc.md is the user's description.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..documents import (
    BatchReport,
    CompiledTemplate,
    DocumentResult,
    build_context,
    document_path,
    resolve_template,
    uk_date,
    unreadable_results,
    write_batch,
)
from ..errors import Problem, RegisterError
from ..model import Pupil, Term
from ..register import Register, parse_date, read_side_table, upn_rows
from ..settings import Settings

TEMPLATE = "one_page_profile"
KIND = "One-page profile"
SHEET_NAMES = ("profiles", "profile", "onepageprofiles", "onepageprofile", "pupilprofiles")
PROFILE_COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": ("UPN", "Unique Pupil Number", "Pupil UPN"),
    "admire": ("What people like and admire about me", "What people like about me", "Like and admire about me",
               "Like and admire", "Admire", "What we like and admire"),
    "important": ("What is important to me", "Important to me", "What matters to me", "Important"),
    "support": ("How best to support me", "How to support me", "How best to support", "How I like to be supported",
                "Support me", "Support"),
    "date": ("Date", "Date Written", "Updated", "Last Updated", "Reviewed"),
}
BOXES = ("admire", "important", "support")
_BULLET = re.compile(r"^\s*(?:[\u2022\u2023\u25e6\u2043\u2219*\-\u2013]\s*)")


@dataclass(frozen=True)
class Profile:
    """One pupil's row of the Profiles sheet: the three boxes' text and its date."""

    upn: str
    admire: str = ""
    important: str = ""
    support: str = ""
    date: date | None = None


@dataclass
class ProfileSheet:
    """The Profiles sheet read by UPN: ``rows``; ``errors`` (UPN -> why that
    pupil's row cannot be used, e.g. two rows); ``problems`` to look at."""

    source: str
    rows: dict[str, Profile] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def lines(text: str) -> list[str]:
    """A cell's lines, each a bullet: blank lines dropped, a typed bullet ('•', '-')
    removed."""
    found = [_BULLET.sub("", line).strip() for line in text.replace("\r", "\n").split("\n")]
    return [line for line in found if line]


def read_profiles(register: Register, given: Path | None = None) -> ProfileSheet | None:
    """The profiles of ``given`` (a workbook or CSV), else of the register
    workbook's Profiles sheet; None when there is neither. Raises
    InputFileError or RegisterError when the file or sheet cannot be used at all."""
    table = read_side_table(register.file, given, SHEET_NAMES, PROFILE_COLUMNS, required={"upn"},
                            error=RegisterError)
    if table is None:
        return None
    rows, problems = upn_rows(table, register, "profile")
    result = ProfileSheet(table.source, problems=problems)
    seen: dict[str, list[int]] = {}
    for row, upn in rows:
        seen.setdefault(upn, []).append(row.number)
        day = None
        if not row.blank("date"):
            try:
                day = parse_date(row.value("date"))
            except ValueError as exc:
                result.problems.append(Problem("warning", f"{exc}; the profile is written without a date",
                                               table.source, row.number, table.heading("date")))
        result.rows[upn] = Profile(upn, *(row.text(name) for name in BOXES), date=day)
    result.problems.sort(key=lambda p: p.row or 0)
    for upn, numbers in seen.items():
        if len(numbers) > 1:
            listed = ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"
            result.errors[upn] = (f"{table.source}: UPN {upn} is on rows {listed}; keep one profile row per"
                                  " pupil")
    return result


def profile_context(profile: Profile | None) -> dict[str, Any]:
    """What a template sees as ``profile``: each box's text and its lines
    (``admire``, ``admire_lines``, ...) and the date; all blank without a row."""
    shown: dict[str, Any] = {}
    for name in BOXES:
        text = getattr(profile, name) if profile else ""
        shown[name] = text
        shown[f"{name}_lines"] = lines(text)
    shown["date"] = uk_date(profile.date) if profile else ""
    return shown


def example_profile_context() -> dict[str, Any]:
    """An invented profile, for checking a template without a register."""
    example = Profile("B801200005001", "Kind to everyone\nGreat at Lego", "My dog, Biscuit\nKnowing what happens"
                      " next", "Show me, then let me try\nGive me time to answer", date(2026, 9, 10))
    return {"profile": profile_context(example)}


def _term(settings: Settings, today: date) -> Term:
    """A profile carries no term: the current one, or the day itself without term dates."""
    if not settings.school.terms:
        return Term(name="(no term)", start=today, end=today)
    return settings.term(None, today)


def profile_pupils(register: Register, sheet: ProfileSheet | None, only: Sequence[str] = ()) -> list[Pupil]:
    """Who gets a profile: ``only``'s pupils, else every pupil on the SEN
    register and any other pupil with a row in the Profiles sheet, in register order."""
    if only:
        return register.pupils_named(only)
    listed = set(sheet.rows) | set(sheet.errors) if sheet else set()
    chosen = [p for p in register.pupils if p.on_register or p.upn in listed]
    if not chosen and not register.unreadable_rows:
        raise RegisterError("no pupil is on the SEN register (K or E) and there is no Profiles sheet row, so there"
                            " is no profile to write; check the SEN Status column", file=register.file)
    return chosen


def profile_task(pupil: Pupil, settings: Settings, sheet: ProfileSheet | None, today: date
                 ) -> tuple[dict[str, Any], str | None]:
    """(the pupil's profile context, why it cannot be made or None)."""
    context = build_context(pupil, settings.school, _term(settings, today), today)
    if sheet is not None and pupil.upn in sheet.errors:
        return context, sheet.errors[pupil.upn]
    context["profile"] = profile_context(sheet.rows.get(pupil.upn) if sheet else None)
    return context, None


def generate_profiles(
    register: Register,
    settings: Settings,
    out: Path,
    *,
    profiles: Path | None = None,
    only: Sequence[str] = (),
    template: str | Path = TEMPLATE,
    overwrite: bool = False,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchReport:
    """Write one profile per chosen pupil into OUT/<year group>/ ("<Surname>,
    <Forename> (<UPN>) - One-page profile.docx") and OUT/manifest.csv.

    Raises FormkitError before writing anything when the template, the
    Profiles file or ``only`` is wrong; a pupil whose profile cannot be made
    (two rows in the sheet, say) is a failed result, and the others are written.
    """
    today = today or date.today()
    sheet = read_profiles(register, profiles)
    path = resolve_template(template, settings)
    compiled = CompiledTemplate(path)
    pupils = profile_pupils(register, sheet, only)
    report = BatchReport(out=out, template=path.name, term="One-page profiles")
    report.results.extend(unreadable_results(register, only))
    report.warnings.extend(register.run_warnings(targets=False, contacts=False))
    if sheet is None:
        report.warnings.append("there is no Profiles sheet and no --profiles file, so every profile has empty boxes"
                               " to fill in; add a sheet named Profiles (see docs/ehc.md)")
    else:
        report.warnings.extend(p.warning_text for p in sheet.problems)
    tasks = []
    for pupil in pupils:
        context, why = profile_task(pupil, settings, sheet, today)
        if why is not None:
            report.results.append(_failed(pupil, why))
            continue
        if sheet is not None and pupil.upn not in sheet.rows:
            report.warnings.append(f"{pupil.label} has no row in {sheet.source}: the profile has empty boxes to"
                                   " fill in with them")
        tasks.append((pupil.upn, pupil.name, pupil.label, context, str(document_path(out, pupil, KIND)), str(out),
                      overwrite))
    return write_batch(compiled, tasks, report, progress)


def _failed(pupil: Pupil, reason: str) -> DocumentResult:
    return DocumentResult(pupil.upn, pupil.name, "failed", None, "", reason)


__all__ = ["KIND", "PROFILE_COLUMNS", "Profile", "ProfileSheet", "example_profile_context", "generate_profiles",
           "lines", "profile_context", "profile_pupils", "profile_task", "read_profiles"]
