"""The pieces the EHC documents share, as template data: a pupil's IEP reviews
term by term, their provision with hours and cost, each target's progress across
the terms, their views, and the professionals involved. Every value is a string
(or a list of dicts of strings), formatted as the other documents' are."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..documents import uk_date
from ..forms import FormRecord
from ..letters import Professional
from ..model import Pupil, Term
from ..provision import TermProvision
from .history import record_date, term_of
from .outcomes import Outcome


def money(value: float) -> str:
    """1140.0 -> '£1,140.00'."""
    return f"£{value:,.2f}"


def hours_text(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def percent(value: Any) -> str:
    return "" if value in (None, "") else f"{value}%"


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def how_often(share_line: Any) -> str:
    """'2 x 30 min a week, group of 3' (or '1:1'); '' when the map does not say."""
    sessions, minutes, group = share_line.sessions_per_week, share_line.minutes, share_line.group_size
    if sessions is None or minutes is None:
        return ""
    text = f"{sessions:g} x {minutes:g} min a week"
    if group is not None:
        text += ", 1:1" if group <= 1 else f", group of {group:g}"
    return text


@dataclass(frozen=True)
class TermReview:
    """One term of the cycle: the term and its IEP review record (None when none
    came back)."""

    term: Term
    review: FormRecord | None


def reviews_by_term(reviews: Sequence[FormRecord], terms: Sequence[Term]) -> tuple[list[TermReview],
                                                                                   list[FormRecord]]:
    """Each term in ``terms`` (oldest first) with its latest review dated in it,
    and the reviews dated in none of them."""
    ordered = sorted(terms, key=lambda t: t.start)
    found: dict[str, FormRecord] = {}
    loose = []
    for review in reviews:
        term = term_of(record_date(review), ordered)
        if term is None:
            loose.append(review)
        else:
            found[term.name] = review
    return [TermReview(t, found.get(t.name)) for t in ordered], loose


def review_rows(cycle: Sequence[TermReview]) -> list[dict[str, str]]:
    """One row per reviewed target: term, number, target, outcome, achieved %, band."""
    rows = []
    for item in cycle:
        if item.review is None:
            continue
        for target in item.review.values.get("targets") or []:
            rows.append({
                "term": item.term.name, "number": str(target.get("number") or ""),
                "target": target.get("target") or "", "outcome": target.get("outcome") or "",
                "achieved": percent(target.get("achieved_percent")), "band": target.get("band") or "",
            })
    return rows


def decision_rows(cycle: Sequence[TermReview]) -> list[dict[str, str]]:
    """One row per review: term, review date, decision, next steps, views."""
    rows = []
    for item in cycle:
        if item.review is None:
            continue
        values = item.review.values
        rows.append({"term": item.term.name, "review_date": uk_date(values.get("review_date")),
                     "decision": values.get("decision") or "", "next_steps": values.get("next_steps") or "",
                     "pupil_views": values.get("pupil_views") or "", "parent_views": values.get("parent_views") or ""})
    return rows


def missing_reviews(cycle: Sequence[TermReview], day: date) -> list[str]:
    """'no review back for Spring 2027' for each term whose review date has passed
    on ``day`` with no review in the store."""
    return [f"no review back for {item.term.name}" for item in cycle
            if item.review is None and item.term.review_date < day]


def provision_rows(terms: Sequence[TermProvision]) -> list[dict[str, str]]:
    """One row per provision per term, then a total row per term."""
    rows = []
    for group in terms:
        for share in group.shares:
            line = share.line
            rows.append({"term": group.term, "intervention": line.intervention, "delivered_by": line.delivered_by,
                         "how_often": how_often(line), "hours": hours_text(share.hours),
                         "cost": "" if share.cost is None else money(share.cost), "total": ""})
        rows.append({"term": group.term, "intervention": f"Total for {group.term}", "delivered_by": "",
                     "how_often": "", "hours": hours_text(group.hours), "cost": money(group.cost), "total": "yes"})
    return rows


def provision_total(terms: Sequence[TermProvision], threshold: float) -> dict[str, str]:
    """The year's hours and cost (each provision's own, as the map gives them, not
    the sum of the rounded term shares), and how the cost compares with the
    notional SEN threshold."""
    lines = {s.line.row: s.line for g in terms for s in g.shares}
    hours = sum(line.hours or 0.0 for line in lines.values())
    cost = sum(line.cost or 0.0 for line in lines.values())
    gap = cost - threshold
    if gap > 0:
        against = f"{money(gap)} above the notional SEN threshold of {money(threshold)}"
    elif gap < 0:
        against = f"{money(-gap)} below the notional SEN threshold of {money(threshold)}"
    else:
        against = f"exactly the notional SEN threshold of {money(threshold)}"
    uncosted = sum(1 for line in lines.values() if line.cost is None)
    return {"hours": hours_text(hours), "cost": money(cost), "threshold": money(threshold), "against": against,
            "uncosted": str(uncosted)}


def target_areas(pupil: Pupil) -> dict[str, str]:
    """Each of the register's targets (text compared loosely) -> its broad area."""
    return {_key(t.target): t.area.value for t in pupil.targets if t.area}


_STOP = frozenset("a an and at by for from her his in into is it of on or she he the their them they this to "
                  "use using when who will with".split())


def _words(text: str) -> set[str]:
    """The content words of a target or outcome, each cut to its first five letters
    ('activities' and 'activity' agree)."""
    return {w[:5] for w in _key(text).split() if w not in _STOP and len(w) > 2}


def best_outcome(target: str, area: str | None, outcomes: Sequence[Outcome]) -> Outcome | None:
    """The outcome a target works towards: of the outcomes in the target's area (all,
    when either has none), the one sharing the most content words with it; None
    when it shares none with any."""
    words = _words(target)
    candidates = [o for o in outcomes if area is None or o.area is None or o.area.value == area] or list(outcomes)
    scored = [(len(words & _words(o.outcome)), -o.number, o) for o in candidates]
    best = max(scored, key=lambda s: (s[0], s[1]), default=None)
    return best[2] if best and best[0] else None


def outcome_rows(outcomes: Sequence[Outcome], cycle: Sequence[TermReview], pupil: Pupil
                 ) -> tuple[list[dict[str, str]], list[str]]:
    """Each EHCP outcome with, as evidence, this year's reviewed IEP targets that
    work towards it ('Autumn 2026: To ... – 80%, 75-99%', one per line; see
    :func:`best_outcome`); and the targets placed under none."""
    areas = target_areas(pupil)
    evidence: dict[int, list[str]] = {o.number: [] for o in outcomes}
    loose = []
    for item in cycle:
        for target in (item.review.values.get("targets") or []) if item.review else []:
            text = target.get("target") or ""
            result = ", ".join(p for p in (percent(target.get("achieved_percent")), target.get("band") or "",
                                             target.get("outcome") or "") if p)
            line = f"{item.term.name}: {text}" + (f" – {result}" if result else "")
            found = best_outcome(text, areas.get(_key(text)), outcomes)
            (evidence[found.number] if found else loose).append(line)
    rows = [{"number": str(o.number), "outcome": o.outcome, "area": o.area.value if o.area else "", "by": o.by,
             "evidence": "\n".join(evidence[o.number])} for o in outcomes]
    return rows, loose


VIEW_FIELDS = {
    "parent-views": ("completed_by", "relationship", "going_well", "concerns", "changes", "aspirations",
                     "plan_changes", "discuss", "date"),
    "pupil-views": ("like", "good_at", "hard", "helps", "future", "picture", "how", "helped_by", "date"),
}


def views_context(record: FormRecord | None, kind: str) -> dict[str, str]:
    """A views form's answers as text (all blank without one), and ``by``: who
    wrote it and when ('Helen Clarke (Mother), 20/09/2026'; for the child, how
    and with whom)."""
    shown = {name: "" for name in VIEW_FIELDS[kind]}
    if record is not None:
        for name in VIEW_FIELDS[kind]:
            value = record.values.get(name)
            shown[name] = uk_date(value) if isinstance(value, date) else str(value or "")
    who, detail = ("completed_by", "relationship") if kind == "parent-views" else ("how", "helped_by")
    by = shown[who] + (f" ({shown[detail]})" if shown[detail] else "")
    shown["by"] = ", ".join(p for p in (by.strip(), shown["date"]) if p)
    return shown


def professional_rows(professionals: Sequence[Professional]) -> list[dict[str, str]]:
    return [{"name": p.name, "service": p.service, "email": p.email, "since": uk_date(p.since),
             "until": uk_date(p.until)} for p in professionals]


__all__ = ["TermReview", "decision_rows", "how_often", "missing_reviews", "money", "outcome_rows",
           "professional_rows", "provision_rows", "provision_total", "review_rows", "reviews_by_term", "best_outcome",
           "target_areas", "views_context"]
