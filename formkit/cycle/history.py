"""One pupil's cycle, term by term: what ``formkit records history UPN`` shows.

For each term of formkit.toml in which anything happened, :func:`pupil_cycle`
gathers the pupil's plan (and how often it was replaced), the term's reviews
with each target's outcome, the provision (intervention impact forms in the
store, and the provision map's rows when one is given), the referrals and the
letters sent. What falls in no term is gathered under "Outside the term dates".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..documents import uk_date
from ..forms import FormRecord
from ..model import Term
from ..provision import ProvisionLine, pupil_provision
from ..records import LetterSent, Plan, RecordStore, StoredRecord, format_history, term_key
from .outcomes import match_reviews, review_term, target_reviews

OUTSIDE = "Outside the term dates"


@dataclass
class TermCycle:
    """What happened in one term (``term`` None: outside every term)."""

    term: Term | None
    plan: Plan | None = None
    replaced: int = 0
    reviews: list[FormRecord] = field(default_factory=list)
    impact: list[FormRecord] = field(default_factory=list)
    provision: list[ProvisionLine] = field(default_factory=list)
    referrals: list[FormRecord] = field(default_factory=list)
    letters: list[LetterSent] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.term.name if self.term else OUTSIDE


@dataclass
class PupilCycle:
    """A pupil's terms in date order, and every record the store keeps for them."""

    upn: str
    name: str
    terms: list[TermCycle]
    records: list[StoredRecord]

    @property
    def empty(self) -> bool:
        return not self.records and not any(t.plan or t.letters or t.provision for t in self.terms)


def _in(day: date | None, terms: Sequence[Term]) -> Term | None:
    return next((t for t in terms if day is not None and t.start <= day <= t.end), None)


def _overlaps(start: date | None, end: date | None, term: Term) -> bool:
    if start is None:
        return False
    return start <= term.end and (end or start) >= term.start


def pupil_cycle(store: Path, upn: str, terms: Sequence[Term], *, provision_map: Path | None = None) -> PupilCycle:
    """The pupil with ``upn``'s cycle from the store at ``store`` (and the
    provision map's rows for them, if given), over formkit.toml's ``terms``.
    Raises StoreError for a store that is not there."""
    ordered = sorted(terms, key=lambda t: t.start)
    with RecordStore.open(store) as db:
        plans = db.plans_for(upn, history=True)
        records = db.history(upn)
        letters = db.letters_for(upn)
    lines = pupil_provision(provision_map, upn) if provision_map is not None else []
    cycles: dict[str, TermCycle] = {t.name: TermCycle(t) for t in ordered}
    outside = TermCycle(None)

    def slot(term: Term | None) -> TermCycle:
        return cycles[term.name] if term is not None and term.name in cycles else outside

    by_name = {term_key(t.name): t for t in ordered}
    for plan in plans:
        here = slot(by_name.get(term_key(plan.term)))
        if plan.current:
            here.plan = plan
        else:
            here.replaced += 1
    current = [s.record for s in records if s.current]
    for record in current:
        values = record.values
        if record.kind == "iep-review":
            slot(review_term(values.get("review_date"), ordered)).reviews.append(record)
        elif record.kind == "impact":
            placed = [c for c in cycles.values() if c.term and _overlaps(values.get("start_date"),
                                                                          values.get("end_date"), c.term)]
            for here in placed or [outside]:
                here.impact.append(record)
        elif record.kind == "referral":
            slot(_in(values.get("referral_date"), ordered)).referrals.append(record)
    for line in lines:
        placed = [c for c in cycles.values() if c.term and _overlaps(line.start_date, line.end_date, c.term)]
        for here in placed or [outside]:
            here.provision.append(line)
    for letter in letters:
        slot(by_name.get(term_key(letter.term)) or _in(letter.letter_date, ordered)).letters.append(letter)
    for here in cycles.values():
        here.reviews.sort(key=lambda r: r.values.get("review_date") or date.max)
    found = [c for c in [*cycles.values(), outside]
             if c.plan or c.replaced or c.reviews or c.impact or c.provision or c.referrals or c.letters]
    name = next((p.pupil_name for p in reversed(plans)), "") or next(
        (s.record.pupil_name for s in reversed(records) if s.record.pupil_name), "")
    return PupilCycle("".join(upn.split()).upper(), name, found, records)


def _plan_lines(here: TermCycle) -> list[str]:
    plan = here.plan
    if plan is None:
        return ["  Plan: none recorded" + (f" ({here.replaced} replaced, kept as history)" if here.replaced else "")]
    replaced = f"; replaced {here.replaced} time{'s' if here.replaced != 1 else ''} (kept as history)" \
        if here.replaced else ""
    recorded = uk_date(plan.recorded_at.date()) if plan.recorded_at else ""
    lines = [f"  Plan: {len(plan.targets)} targets, {plan.template}, recorded {recorded}{replaced}; {plan.document}"
             f" (sha256 {plan.document_sha256[:12]})"]
    for number, target in enumerate(plan.targets, 1):
        baseline = f" (baseline {target.baseline}%)" if target.baseline is not None else ""
        lines.append(f"    {number}. {target.target}{baseline}")
    return lines


def _dates(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{uk_date(start)} to {uk_date(end)}"
    return f"from {uk_date(start)}" if start else (f"to {uk_date(end)}" if end else "no dates")


def _review_lines(here: TermCycle, today: date) -> list[str]:
    if not here.reviews:
        if here.term is None:
            return []
        due = here.term.review_date
        return [f"  Review: {'none back' if due < today else 'not yet'} (due {uk_date(due)})"]
    lines = []
    plan_targets = here.plan.targets if here.plan else ()
    for record in here.reviews:
        values = record.values
        parts = [p for p in (values.get("decision"), f"next review {uk_date(values['next_review_date'])}"
                             if values.get("next_review_date") else "") if p]
        lines.append(f"  Review {uk_date(values.get('review_date'))}: {'; '.join(parts) or 'no decision recorded'}"
                     f" (from {record.source_file})")
        reviewed = target_reviews(values)
        matched = match_reviews(plan_targets, reviewed) if plan_targets else []
        shown = {id(r): n for n, r in enumerate(matched, 1) if r is not None}
        for review in reviewed:
            number = shown.get(id(review), review.number)
            lines.append(f"    {number}. {review.outcome_text() or review.status}")
        if values.get("next_steps"):
            lines.append(f"    Next steps: {values['next_steps']}")
    return lines


def _provision_lines(here: TermCycle) -> list[str]:
    lines = []
    for record in here.impact:
        v = record.values
        dates = _dates(v.get("start_date"), v.get("end_date"))
        impact = f", impact {v['impact_rating']}" if v.get("impact_rating") else ""
        lines.append(f"  Provision: {v.get('intervention') or 'intervention'} ({dates}{impact}; impact form)")
    for line in here.provision:
        dates = _dates(line.start_date, line.end_date)
        who = f", {line.delivered_by}" if line.delivered_by else ""
        lines.append(f"  Provision: {line.intervention} ({dates}{who}; provision map row {line.row})")
    for record in here.referrals:
        v = record.values
        lines.append(f"  Referral {uk_date(v.get('referral_date'))}: {', '.join(v.get('concern_type') or []) or '-'}"
                     f"{'; ' + v['action_taken'] if v.get('action_taken') else ''}")
    return lines


def format_cycle(cycle: PupilCycle, today: date | None = None) -> str:
    """`formkit records history UPN`: the pupil's terms, then every record kept.
    A term's review is "none back" once its review date is before ``today``."""
    today = today or date.today()
    if cycle.empty:
        return f"Nothing in the store for UPN {cycle.upn}."
    lines = [f"{cycle.name} ({cycle.upn}): the cycle term by term"]
    for here in cycle.terms:
        span = f" ({uk_date(here.term.start)} to {uk_date(here.term.end)})" if here.term else ""
        lines += ["", f"{here.name}{span}"]
        lines += _plan_lines(here) if (here.term or here.plan or here.replaced) else []
        lines += _review_lines(here, today)
        lines += _provision_lines(here)
        for letter in here.letters:
            lines.append(f"  Letter sent {uk_date(letter.letter_date)}: {letter.title} to {letter.recipient}"
                         f" ({letter.delivery}); {letter.file}")
    if cycle.records:
        lines += ["", format_history(cycle.upn, cycle.records)]
    return "\n".join(lines)


__all__ = ["OUTSIDE", "PupilCycle", "TermCycle", "format_cycle", "pupil_cycle"]
