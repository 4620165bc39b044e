"""What is due, and when: ``formkit due``.

For each pupil on the SEN register (K or E), from the register, formkit.toml's
terms and the records store:

- **each term's IEP review, with the meeting with parents** (at the term's
  review date; parents are met at least three times a year, Code of Practice
  6.65); once the review is back without parents' views, the meeting is listed
  as not recorded;
- **review forms not back**: a past term of this school year whose plan was
  recorded and whose review is not in the store;
- **EHC annual reviews** (status E): within 12 months of the last (6 for a child
  under 5), from a register column such as "EHCP last review" or "EHC plan
  date"; the invitations go out at least two weeks before (Code 9.176); with
  the meeting's date in a Meetings sheet, the meeting, the invitations and
  advice two weeks before it, and the annual review report to the local
  authority two weeks after it (9.176);
- **plans not written**: a pupil new to the register with no plan yet, or with
  none for this term when the other pupils have theirs.

Overdue items come first, oldest first; then what falls in the next weeks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ..codes import SenStatus
from ..documents import uk_date
from ..letters import details_sheet
from ..model import Pupil, Term
from ..records import Plan, RecordStore, term_key
from ..register import Register, parse_date
from .outcomes import review_term

EHC_COLUMNS = ("EHCP last review", "EHC plan last review", "Last annual review", "EHCP annual review",
               "Annual review date", "Last EHCP review", "EHCP review date")
"""Register headings giving the date of the last EHC annual review (compared
ignoring case, spaces and punctuation)."""
EHC_PLAN_COLUMNS = ("EHC plan date", "EHCP date", "Date of EHC plan", "EHCP issued", "EHC plan issued",
                    "EHCP start date")
"""Register headings giving the date the EHC plan was issued (used when no review has been held)."""
NOTICE = timedelta(days=14)
MEETINGS_A_YEAR = 3


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


@dataclass(frozen=True)
class DueItem:
    """One thing due for one pupil. ``what`` is the line shown on screen;
    ``event`` the calendar's words, which never name the pupil or their needs."""

    day: date
    kind: str
    upn: str
    pupil: str
    initials: str
    what: str
    event: str


@dataclass
class DueList:
    """Everything due on ``on``: the items, and notes on what could not be worked out."""

    on: date
    weeks: int
    items: list[DueItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def overdue(self) -> list[DueItem]:
        return sorted((i for i in self.items if i.day < self.on), key=lambda i: (i.day, i.pupil, i.kind))

    @property
    def coming(self) -> list[DueItem]:
        """Due from ``on`` to ``weeks`` weeks after it."""
        end = self.on + timedelta(weeks=self.weeks)
        return sorted((i for i in self.items if self.on <= i.day <= end), key=lambda i: (i.day, i.pupil, i.kind))

    @property
    def later(self) -> list[DueItem]:
        end = self.on + timedelta(weeks=self.weeks)
        return sorted((i for i in self.items if i.day > end), key=lambda i: (i.day, i.pupil, i.kind))

    def text(self) -> str:
        """The screen's list: overdue first, then the coming weeks, then the notes."""
        lines = [f"Due on {uk_date(self.on)}: {len(self.overdue)} overdue, {len(self.coming)} in the next"
                 f" {self.weeks} weeks, {len(self.later)} later."]
        for title, items in (("Overdue", self.overdue), (f"In the next {self.weeks} weeks", self.coming)):
            if items:
                lines += ["", f"{title}:"]
                lines += [f"  {uk_date(i.day)}  {i.pupil} ({i.upn}): {i.what}" for i in items]
        if self.later:
            lines += ["", f"Later: {len(self.later)} more dates, the first on {uk_date(self.later[0].day)}"
                      " (all of them are in the calendar file, with --ics)."]
        if self.notes:
            lines += ["", *(f"Note: {note}" for note in self.notes)]
        return "\n".join(lines)


def initials(pupil: Pupil) -> str:
    """'Declan O'Connor' -> 'D.O.': what the calendar calls a pupil, with the UPN."""
    return "".join(f"{part[0].upper()}." for part in (pupil.forename, pupil.surname) if part)


def add_months(day: date, months: int) -> date:
    """``day`` moved on by ``months`` (the last day of the month when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def school_year(day: date, terms: Sequence[Term]) -> list[Term]:
    """The terms of the school year (1 September to 31 August) that ``day`` is in."""
    first = date(day.year if day.month >= 9 else day.year - 1, 9, 1)
    return sorted((t for t in terms if first <= t.start < date(first.year + 1, 9, 1)), key=lambda t: t.start)


def _current(on: date, terms: Sequence[Term]) -> Term | None:
    return next((t for t in sorted(terms, key=lambda t: t.start) if on <= t.end), None)


@dataclass
class _Pupil:
    pupil: Pupil
    plans: list[Plan]
    reviewed: dict[str, list[dict]]  # term key -> review values


def _item(p: Pupil, day: date, kind: str, what: str, event: str) -> DueItem:
    return DueItem(day, kind, p.upn, p.name, initials(p), what, f"{event}: {initials(p)} ({p.upn})")


def ehc_dates(pupil: Pupil) -> tuple[date | None, str, str]:
    """The date the next EHC annual review counts from: (date, which column, a
    problem). The latest date among the register's last-review and plan-date
    columns; a column that is there but unreadable is a problem."""
    found: list[tuple[date, str]] = []
    problems = []
    wanted = {_key(c) for c in (*EHC_COLUMNS, *EHC_PLAN_COLUMNS)}
    for heading, text in pupil.extra.items():
        if _key(heading) not in wanted or not text.strip():
            continue
        try:
            found.append((parse_date(text), heading))
        except ValueError as exc:
            problems.append(f"column '{heading}': {exc}")
    if not found:
        return None, "", "; ".join(problems)
    day, heading = max(found)
    return day, heading, "; ".join(problems)


def _meeting_items(p: Pupil, meeting: date, last: date | None, notes: list[str]) -> list[DueItem]:
    """The annual review meeting of the Meetings sheet: before it the meeting,
    the invitations and advice; the report two weeks after it. A meeting before
    the register's last review is an old one, and says nothing."""
    report = _item(p, meeting + NOTICE, "ehc-report", f"EHC annual review report to the local authority, two weeks"
                   f" after the meeting on {uk_date(meeting)} (Code of Practice 9.176)", "EHC annual review report due")
    if last is not None and meeting < last:
        return []
    if last is not None and meeting == last:
        return [report]
    if last is not None and meeting > add_months(last, 12):
        notes.append(f"{p.label}: the annual review meeting on {uk_date(meeting)} is more than 12 months after the"
                     f" last, on {uk_date(last)}; an EHC plan is reviewed at least once a year (Code of Practice 9.166)")
    return [
        _item(p, meeting, "ehc-meeting", "EHC annual review meeting (Meetings sheet)", "EHC annual review meeting"),
        _item(p, meeting - NOTICE, "ehc-invitations", f"invitations to the EHC annual review out, and the advice"
              f" in, two weeks before the meeting on {uk_date(meeting)} (Code of Practice 9.176)",
              "EHC annual review invitations out and advice in"),
        report,
    ]


def _ehc_items(p: Pupil, on: date, notes: list[str], meeting: date | None = None) -> list[DueItem]:
    last, heading, problem = ehc_dates(p)
    if meeting is not None:
        held = _meeting_items(p, meeting, last, notes)
        if held and held[0].kind == "ehc-meeting":
            return held
    else:
        held = []
    if problem:
        notes.append(f"{p.label}: {problem}")
    if last is None:
        if not problem:
            notes.append(f"{p.label} has an EHC plan, but the register has no date of the last annual review"
                         " (or of the plan): add an 'EHCP last review' column (docs/register.md)")
        return held
    under_five = (on.year - p.dob.year - ((on.month, on.day) < (p.dob.month, p.dob.day))) < 5
    months = 6 if under_five else 12
    due = add_months(last, months)
    why = "the child is under 5" if under_five else "at least once a year"
    return held + [
        _item(p, due, "ehc-review", f"EHC annual review, within {months} months of {uk_date(last)} ({heading}; {why})",
              "EHC annual review due"),
        _item(p, due - NOTICE, "ehc-invitations", f"invitations to the EHC annual review out, at least two weeks"
              f" before a meeting on {uk_date(due)} at the latest (Code of Practice 9.176)",
              "EHC annual review invitations out"),
    ]


def _term_items(info: _Pupil, on: date, year_terms: Sequence[Term]) -> list[DueItem]:
    p = info.pupil
    planned = {term_key(plan.term) for plan in info.plans}
    items = []
    for number, term in enumerate(year_terms, 1):
        reviews = info.reviewed.get(term_key(term.name), [])
        meeting = f"{number} of {max(MEETINGS_A_YEAR, len(year_terms))} this school year"
        if reviews:
            if not any(r.get("parent_views") for r in reviews):
                items.append(_item(p, reviews[-1].get("review_date") or term.review_date, "parents",
                                   f"meeting with parents not recorded: the {term.name} review has no parents' views"
                                   f" ({meeting}, Code of Practice 6.65)", "Meeting with parents to record"))
            continue
        if term.review_date < on:
            if term_key(term.name) in planned:
                items.append(_item(p, term.review_date, "review-form", f"no IEP review form back for {term.name}",
                                   "IEP review form not back"))
        else:
            items.append(_item(p, term.review_date, "review", f"{term.name} IEP review and meeting with parents"
                               f" ({meeting}, Code of Practice 6.65)", "IEP review and meeting with parents"))
    return items


def _plan_items(info: _Pupil, current: Term | None, planned_now: bool, first_plans: date) -> list[DueItem]:
    p = info.pupil
    if current is None:
        return []
    if not info.plans and not info.reviewed:
        start = max(current.start, p.date_added) if p.date_added else current.start
        if p.date_added and p.date_added >= first_plans:
            what = f"new to the SEN register (added {uk_date(p.date_added)}): no plan (IEP) yet"
        else:
            what = "no plan (IEP) recorded yet"
        return [_item(p, start, "plan", what, "Plan (IEP) to write")]
    if planned_now and all(term_key(plan.term) != term_key(current.name) for plan in info.plans):
        return [_item(p, current.start, "plan", f"no plan (IEP) for {current.name} yet", "Plan (IEP) to write")]
    return []


def due_list(register: Register, terms: Sequence[Term], store: Path | None, *, on: date, weeks: int = 8,
             meetings: Mapping[str, date] | None = None) -> DueList:
    """What is due for the register's pupils on ``on`` (see the module). Without
    a store, only the dates the register and term dates give (reviews, EHC
    annual reviews). ``meetings`` gives pupils' annual review meeting dates by
    UPN (:func:`meeting_dates`). Raises StoreError for a store that cannot be read."""
    result = DueList(on, weeks)
    year_terms = school_year(on, terms)
    current = _current(on, terms)
    if not year_terms:
        result.notes.append(f"formkit.toml has no terms in the school year of {uk_date(on)}: add them to [[terms]]")
    elif len(year_terms) < MEETINGS_A_YEAR:
        result.notes.append(f"formkit.toml has {len(year_terms)} terms this school year; parents are met at least"
                            " three times a year (Code of Practice 6.65), so plan the other meetings too")
    pupils = register.on_register()
    infos = []
    first_plans = date.max
    with RecordStore.open(store) if store is not None and store.exists() else _NoStore() as db:
        for pupil in pupils:
            plans = db.plans_for(pupil.upn) if db else []
            reviewed: dict[str, list[dict]] = {}
            for stored in (db.reviews_for(pupil.upn) if db else []):
                term = review_term(stored.record.values.get("review_date"), terms)
                if term is not None:
                    reviewed.setdefault(term_key(term.name), []).append(stored.record.values)
            first_plans = min([first_plans, *(plan.term_start for plan in plans)])
            infos.append(_Pupil(pupil, plans, reviewed))
    if store is None:
        result.notes.append("no records store, so reviews back and plans written are not known: give --store FILE,"
                            " or run in a workspace made by 'formkit init'")
    planned_now = current is not None and any(term_key(p.term) == term_key(current.name)
                                              for info in infos for p in info.plans)
    if store is not None and current is not None and current.start <= on and not planned_now:
        result.notes.append(f"no plans are recorded for {current.name} yet: 'formkit generate ieps --term"
                            f" \"{current.name}\"' records them")
    for info in infos:
        result.items += _term_items(info, on, year_terms)
        if first_plans != date.max:
            result.items += _plan_items(info, current, planned_now, first_plans)
        if info.pupil.sen_status is SenStatus.E:
            result.items += _ehc_items(info.pupil, on, result.notes, (meetings or {}).get(info.pupil.upn))
    return result


def meeting_dates(register: Register, meetings: Path | None = None) -> tuple[dict[str, date], list[str]]:
    """The annual review meeting dates by UPN of the pupils with an EHC plan,
    from the Meetings sheet (``meetings``, else the register workbook's), and
    notes on its rows that cannot be used. Empty without a sheet."""
    sheet = details_sheet(register.file, "Meetings", meetings)
    if sheet is None:
        return {}, []
    ehc = {p.upn for p in register.pupils if p.sen_status is SenStatus.E}
    found = {upn: row.meeting_date for upn, row in sheet.rows.items() if upn in ehc and row.meeting_date}
    notes = [f"{sheet.source}: {error}" for upn, error in sheet.errors.items() if upn in ehc]
    return found, notes


class _NoStore:
    """Stands in for an open store when there is none: falsy, and closes nothing."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


__all__ = ["DueItem", "DueList", "EHC_COLUMNS", "EHC_PLAN_COLUMNS", "add_months", "due_list", "ehc_dates",
           "initials", "meeting_dates", "school_year"]
