"""The annual review report of an EHC plan, pre-filled for the meeting.

:func:`generate_annual_reviews` writes, for each pupil with an EHC plan, the
school's review report (Code of Practice 9.176-9.177), filled from what formkit
already holds: the plan's outcomes (the EHCP outcomes sheet), with this year's
IEP targets in each outcome's area as evidence; the year's IEP reviews (the
records store); the pupil's provision from the provision map, term by term with
hours and cost; the family's and the child's views (their forms, read back); and
the professionals asked for advice. The meeting's decisions are left to fill in.
The report is due with the local authority two weeks after the meeting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..codes import SenStatus
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
from ..errors import FormkitError, RegisterError
from ..letters import ProfessionalSheet, details_sheet, read_professionals
from ..model import Pupil, Term
from ..provision import by_term, pupil_provision
from ..register import Register
from ..settings import Settings
from .config import EhcConfig
from .history import pupil_records
from .outcomes import OutcomeSheet, read_outcomes
from .sections import (
    decision_rows,
    missing_reviews,
    outcome_rows,
    professional_rows,
    provision_rows,
    provision_total,
    review_rows,
    reviews_by_term,
    views_context,
)

TEMPLATE = "annual_review_report"
KIND = "Annual review report"
REPORT_AFTER = timedelta(days=14)
"""The school sends its review report within two weeks of the meeting (9.176)."""
YEAR = timedelta(days=365)


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def report_due(meeting: date) -> date:
    """When the review report is due with the local authority: two weeks after the meeting."""
    return meeting + REPORT_AFTER


@dataclass(frozen=True)
class ReviewSources:
    """Where one run's reports are filled from: the records store, the provision
    map, the EHCP outcomes and Professionals sheets (each may be missing)."""

    store: Path | None = None
    provision_map: Path | None = None
    outcomes: OutcomeSheet | None = None
    professionals: ProfessionalSheet | None = None


def year_terms(settings: Settings, meeting: date) -> list[Term]:
    """The terms in the year before the meeting (those that started in it)."""
    return sorted((t for t in settings.school.terms if meeting - YEAR < t.start <= meeting), key=lambda t: t.start)


def review_context(pupil: Pupil, settings: Settings, meeting: date, sources: ReviewSources, *,
                   threshold: float, today: date) -> tuple[dict[str, Any], list[str]]:
    """The report's template data for one pupil, and what is missing from it (one
    sentence each). Raises FormkitError when a source cannot be read at all."""
    terms = year_terms(settings, meeting)
    term = settings.term(None, meeting) if settings.school.terms else Term(name="(no term)", start=meeting,
                                                                           end=meeting)
    context = build_context(pupil, settings.school, term, today)
    missing: list[str] = []
    outcomes = sources.outcomes.rows.get(pupil.upn, []) if sources.outcomes else []
    if not outcomes:
        where = sources.outcomes.source if sources.outcomes else "an EHCP outcomes sheet"
        missing.append(f"no outcomes for {pupil.forename} in {where}: copy them from section E of the EHC plan")
    records = pupil_records(sources.store, pupil.upn)
    if sources.store is None:
        missing.append("no records store was given, so the year's IEP reviews and views are not in the report")
    cycle, _ = reviews_by_term(records.of("iep-review"), terms)
    if sources.store is not None:
        missing += missing_reviews(cycle, min(meeting, today))
    parent = records.latest("parent-views", meeting)
    child = records.latest("pupil-views", meeting)
    if sources.store is not None and parent is None:
        missing.append("no \u201cYour views\u201d form back from the family yet")
    if sources.store is not None and child is None:
        missing.append(f"no \u201cMy views\u201d form back from {pupil.forename} yet")
    provision: list[Any] = []
    if sources.provision_map is None:
        missing.append("no provision map was given, so the provision is not in the report")
    else:
        provision = by_term(pupil_provision(sources.provision_map, pupil.upn), settings.school.terms)
        if not provision:
            missing.append(f"the provision map has no rows for {pupil.forename}")
    people = sources.professionals.involved(pupil.upn, meeting) if sources.professionals else []
    context["review"] = {
        "meeting_date": long_date(meeting), "meeting_date_short": uk_date(meeting),
        "report_due": long_date(report_due(meeting)), "report_due_short": uk_date(report_due(meeting)),
        "year_from": uk_date(meeting - YEAR),
    }
    context["outcomes"], loose = outcome_rows(outcomes, cycle, pupil)
    context["other_targets"] = "\n".join(loose)
    context["reviews"] = review_rows(cycle)
    context["decisions"] = decision_rows(cycle)
    context["provision"] = provision_rows(provision)
    context["provision_total"] = provision_total(provision, threshold)
    context["parent_views"] = views_context(parent, "parent-views")
    context["pupil_views"] = views_context(child, "pupil-views")
    context["professionals"] = professional_rows(people)
    context["missing"] = list(missing)
    return context, missing


def review_pupils(register: Register, only: Sequence[str]) -> list[Pupil]:
    """The pupils with an EHC plan, or ``only``'s (each must have one)."""
    if not only:
        chosen = [p for p in register.pupils if p.sen_status is SenStatus.E]
        if not chosen and not register.unreadable_rows:
            raise RegisterError("no pupil on it has SEN status E (an EHC plan), so there is no annual review to "
                                "report; check the SEN Status column", file=register.file)
        return chosen
    chosen = register.pupils_named(only)
    for pupil in chosen:
        if pupil.sen_status is not SenStatus.E:
            raise RegisterError(f"{pupil.label} has SEN status {pupil.sen_status.value}, not E (an EHC plan), so has "
                                "no annual review", file=register.file)
    return chosen


def meeting_dates(register: Register, pupils: Sequence[Pupil], given: date | None, meetings: Path | None
                  ) -> dict[str, date | str]:
    """Each pupil's meeting date: the Meetings sheet's (``meetings``, else the
    register's sheet), else ``given``; a pupil with neither maps to why not."""
    sheet = details_sheet(register.file, "Meetings", meetings)
    found: dict[str, date | str] = {}
    for pupil in pupils:
        if sheet is not None and pupil.upn in sheet.errors:
            found[pupil.upn] = sheet.errors[pupil.upn]
            continue
        row = sheet.rows.get(pupil.upn) if sheet is not None else None
        day = (row.meeting_date if row is not None else None) or given
        found[pupil.upn] = day or ("no meeting date: give --meeting-date YYYY-MM-DD, or a 'Date' column in a "
                                   "Meetings sheet")
    return found


def generate_annual_reviews(
    register: Register,
    settings: Settings,
    out: Path,
    *,
    meeting_date: date | None = None,
    meetings: Path | None = None,
    only: Sequence[str] = (),
    store: Path | None = None,
    provision_map: Path | None = None,
    outcomes: Path | None = None,
    professionals: Path | None = None,
    template: str | Path = TEMPLATE,
    overwrite: bool = False,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchReport:
    """Write each chosen pupil's annual review report into OUT/<year group>/
    ("<Surname>, <Forename> (<UPN>) - Annual review report.docx") and
    OUT/manifest.csv. What is missing for a pupil (no outcomes, no review back
    for a term, no views yet) is a warning naming them and is listed in the
    report itself. Raises FormkitError before writing anything when the
    template, a source or ``only`` is wrong."""
    today = today or date.today()
    threshold = EhcConfig.load(settings).notional_threshold
    path = resolve_template(template, settings)
    compiled = CompiledTemplate(path)
    pupils = review_pupils(register, only)
    sources = ReviewSources(store, provision_map, read_outcomes(register, outcomes),
                            read_professionals(register, professionals))
    dates = meeting_dates(register, pupils, meeting_date, meetings)
    report = BatchReport(out=out, template=path.name, term="Annual reviews")
    report.results.extend(unreadable_results(register, only))
    report.warnings.extend(register.run_warnings(contacts=False))
    for sheet in (sources.outcomes, sources.professionals):
        if sheet is not None:
            report.warnings.extend(p.warning_text for p in sheet.problems)
    tasks = []
    for pupil in pupils:
        day = dates[pupil.upn]
        if not isinstance(day, date):
            report.results.append(DocumentResult(pupil.upn, pupil.name, "failed", None, "", day))
            continue
        try:
            context, missing = review_context(pupil, settings, day, sources, threshold=threshold, today=today)
        except FormkitError as exc:
            report.results.append(DocumentResult(pupil.upn, pupil.name, "failed", None, "", str(exc)))
            continue
        report.warnings.extend(f"{pupil.label}: {gap}" for gap in missing)
        tasks.append((pupil.upn, pupil.name, pupil.label, context, str(document_path(out, pupil, KIND)), str(out),
                      overwrite))
    return write_batch(compiled, tasks, report, progress)


def example_review_context() -> dict[str, Any]:
    """Every section of the report, invented, for checking a template without a register."""
    row = {"term": "Autumn 2026", "number": "1", "target": "To ...", "outcome": "Achieved", "achieved": "80%",
           "band": "75-99%", "review_date": "09/12/2026", "decision": "Set new targets", "next_steps": "...",
           "pupil_views": "...", "parent_views": "...", "intervention": "Lego-based therapy",
           "delivered_by": "Teaching assistant", "how_often": "2 x 30 min a week, group of 3", "hours": "12.5",
           "cost": "£66.56", "total": "", "area": "Communication and interaction", "by": "End of Key Stage 1",
           "evidence": "Autumn 2026: To ... – 80%", "name": "Dr A Example", "service": "Educational Psychology",
           "email": "a@example.org", "since": "01/09/2025", "until": ""}
    return {
        "review": {"meeting_date": "Tuesday 6 October 2026", "meeting_date_short": "06/10/2026",
                   "report_due": "Tuesday 20 October 2026", "report_due_short": "20/10/2026",
                   "year_from": "06/10/2025"},
        "outcomes": [row], "reviews": [row], "decisions": [row], "provision": [row], "professionals": [row],
        "provision_total": {"hours": "57.1", "cost": "£1,342.67", "threshold": "£6,000.00",
                            "against": "£4,657.33 below the notional SEN threshold of £6,000.00", "uncosted": "0"},
        "parent_views": views_context(None, "parent-views"), "pupil_views": views_context(None, "pupil-views"),
        "missing": ["no review back for Spring 2027"], "other_targets": "Autumn 2026: To ...",
    }


__all__ = ["KIND", "REPORT_AFTER", "ReviewSources", "example_review_context", "generate_annual_reviews",
           "report_due", "review_context", "review_pupils", "year_terms"]
