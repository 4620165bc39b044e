"""One pupil's provision, row by row, with its hours and cost.

:func:`pupil_provision` reads the provision map (any layout
:class:`~formkit.provision.workbook.ProvisionMap` reads) and gives each of one
pupil's rows as a :class:`ProvisionLine`: what the intervention is, who delivers
it, how often and for how long, and its hours and cost per pupil, worked out as
the map's formulas do (:func:`~formkit.provision.report.row_costing`). The EHC
paperwork (the annual review report, the evidence pack) shows them term by term.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ..model import Term

from .report import _number, row_costing
from .workbook import ProvisionMap


@dataclass(frozen=True)
class ProvisionLine:
    """One row of the provision map for one pupil. ``hours`` and ``cost`` are
    None when the row cannot be costed (no role rate, sessions or minutes)."""

    row: int
    intervention: str
    delivered_by: str = ""
    group_size: float | None = None
    sessions_per_week: float | None = None
    minutes: float | None = None
    start_date: date | None = None
    end_date: date | None = None
    hours: float | None = None
    cost: float | None = None
    entry_measure: str = ""
    entry_score: float | None = None
    exit_score: float | None = None
    impact_rating: str = ""
    outside_agency: str = ""


def pupil_provision(path: Path | str, upn: str) -> list[ProvisionLine]:
    """The rows of the map at ``path`` for the pupil with ``upn`` (any case,
    spaces ignored), in the map's order; rows without an intervention are left
    out. Raises WorkbookError (or InputFileError) when the map cannot be read."""
    pmap = ProvisionMap(path)
    wanted = "".join(upn.split()).upper()
    found = []
    for row in pmap.rows:
        if "".join(row.text("upn").split()).upper() != wanted or not row.text("intervention"):
            continue
        hours, cost = row_costing(pmap, row, pmap.lists)
        start, end = row.values.get("start_date"), row.values.get("end_date")
        found.append(ProvisionLine(
            row.number, row.text("intervention"), row.text("delivered_by"), _number(row.values.get("group_size")),
            _number(row.values.get("sessions_per_week")), _number(row.values.get("minutes")),
            start if isinstance(start, date) else None, end if isinstance(end, date) else None, hours, cost,
            row.text("entry_measure"), _number(row.values.get("entry_score")),
            _number(row.values.get("exit_score")), row.text("impact_rating"), row.text("outside_agency")))
    return found


NO_START = "No start date"
OUTSIDE = "Outside the term dates"


@dataclass(frozen=True)
class TermShare:
    """A provision line's part in one term: its hours and cost for that term."""

    line: ProvisionLine
    hours: float | None
    cost: float | None


@dataclass
class TermProvision:
    """One term's provision for a pupil: each line's share, and the totals.
    ``term`` is the term's name, or NO_START / OUTSIDE for lines that fall in
    no term."""

    term: str
    shares: list[TermShare] = field(default_factory=list)

    @property
    def hours(self) -> float:
        return sum(s.hours or 0.0 for s in self.shares)

    @property
    def cost(self) -> float:
        return sum(s.cost or 0.0 for s in self.shares)


def by_term(lines: Sequence[ProvisionLine], terms: Sequence[Term]) -> list[TermProvision]:
    """``lines`` shared out over ``terms`` (in date order) by the days of each
    term they run in: a line with no end date runs to the end of the last term.
    A line's hours and cost are split in proportion, so the terms add up to the
    map's figures. Lines with no start date, or running in no term, are grouped
    under NO_START or OUTSIDE, after the terms; terms with no provision are left out."""
    ordered = sorted(terms, key=lambda t: t.start)
    groups: dict[str, TermProvision] = {t.name: TermProvision(t.name) for t in ordered}
    extra: dict[str, TermProvision] = {}
    last = ordered[-1].end if ordered else None
    for line in lines:
        if line.start_date is None:
            extra.setdefault(NO_START, TermProvision(NO_START)).shares.append(TermShare(line, line.hours, line.cost))
            continue
        end = line.end_date or last or line.start_date
        days = {t.name: _overlap(line.start_date, end, t) for t in ordered}
        total = sum(days.values())
        if not total:
            extra.setdefault(OUTSIDE, TermProvision(OUTSIDE)).shares.append(TermShare(line, line.hours, line.cost))
            continue
        for name, count in days.items():
            if count:
                part = count / total
                groups[name].shares.append(TermShare(
                    line, None if line.hours is None else round(line.hours * part, 1),
                    None if line.cost is None else round(line.cost * part, 2)))
    found = [g for g in groups.values() if g.shares]
    return found + [extra[k] for k in (NO_START, OUTSIDE) if k in extra]


def _overlap(start: date, end: date, term: Term) -> int:
    first, final = max(start, term.start), min(end, term.end)
    return (final - first + timedelta(days=1)).days if final >= first else 0


__all__ = ["NO_START", "OUTSIDE", "ProvisionLine", "TermProvision", "TermShare", "by_term", "pupil_provision"]
