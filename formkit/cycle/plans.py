"""Each pupil's plan for a term, recorded when the IEPs are written, and the
targets the term's documents start from.

- :func:`record_ieps`: after ``generate ieps``, each pupil's plan (targets as
  written, template, the document's sha256) kept in the records store;
- :func:`planned_register`: the register with each pupil's targets taken from
  the term's recorded plan (the IEP review forms are pre-filled from it);
- :func:`reviewed_register`: the register with each pupil's targets showing the
  outcomes of the term's reviews (an IEP written for a reviewed term).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ..documents import BatchReport
from ..model import Pupil, Target, Term
from ..records import Plan, PlanSummary, RecordStore, opened, term_key
from ..register import Register
from .outcomes import review_term, with_reviews, words_key


def plan_of(pupil: Pupil, term: Term, template: str, document: str, sha256: str) -> Plan:
    """The plan of ``pupil`` for ``term``: their targets as written (blank rows
    left for the planning meeting are not targets yet, so are left out)."""
    return Plan(pupil.upn, pupil.name, term.name, term.start, term.review_date,
                tuple(t for t in pupil.targets if t.target.strip()), template, document, sha256)


def record_ieps(store: Path | RecordStore, report: BatchReport, register: Register, term: Term, *,
                planned: dict[str, tuple[Target, ...]] | None = None, now: datetime | None = None) -> PlanSummary:
    """Record the plan of every pupil whose IEP the run wrote; an IEP the run
    kept (already there) is recorded only when the term has no plan for that
    pupil yet (it was written before formkit kept plans). A failed pupil has no
    plan. ``planned`` gives a pupil's targets as planned where the IEP showed
    more (a review's outcomes, :attr:`TermTargets.planned`). ``store`` is a
    path (the store is made when not there) or a store the run already holds
    (:func:`formkit.records.held_store`, taken before the IEPs were written)."""
    with opened(store) as db:
        plans, already = [], []
        for result in report.results:
            pupil = register.by_upn(result.upn) if result.upn else None
            if pupil is None or result.file is None or result.status == "failed":
                continue
            recorded = db.plan_for(pupil.upn, term.name) if result.status == "kept" else None
            if recorded is not None:
                already.append(recorded)
                continue
            if planned and pupil.upn in planned:
                pupil = replace(pupil, targets=planned[pupil.upn])
            plans.append(plan_of(pupil, term, report.template, result.file, result.sha256))
        summary = db.record_plans(plans, now=now)
    summary.unchanged += already
    return summary


@dataclass
class TermTargets:
    """A register whose pupils' targets were chosen for a term's documents, and
    a note for each pupil whose targets are not what the Targets sheet says."""

    register: Register
    notes: list[str] = field(default_factory=list)
    planned: dict[str, tuple[Target, ...]] = field(default_factory=dict)
    """By UPN, a pupil's targets as planned, where the documents show more (outcomes)."""
    from_plan: int = 0
    reviewed: int = 0


def planned_register(register: Register, store: Path | None, term: Term) -> TermTargets:
    """The register with each pupil's targets from their recorded plan for
    ``term`` (when there is one; otherwise the Targets sheet's), for the term's
    IEP review forms. Without a store, the register as it is."""
    if store is None or not store.exists():
        return TermTargets(register)
    chosen = TermTargets(register)
    pupils = []
    with RecordStore.open(store) as db:
        for pupil in register.pupils:
            plan = db.plan_for(pupil.upn, term.name) if pupil.on_register else None
            if plan is not None and plan.targets:
                chosen.from_plan += 1
                pupil = replace(pupil, targets=plan.targets)
            pupils.append(pupil)
    chosen.register = replace(register, pupils=pupils)
    return chosen


def term_reviews(db: RecordStore, upn: str, term: Term, terms: Sequence[Term]) -> list[dict[str, Any]]:
    """The values of the pupil's current reviews of ``term``, oldest first."""
    return [s.record.values for s in db.reviews_for(upn)
            if (found := review_term(s.record.values.get("review_date"), terms)) is not None
            and term_key(found.name) == term_key(term.name)]


def _same_targets(a: Sequence[Target], b: Sequence[Target]) -> bool:
    return [words_key(t.target) for t in a if t.target.strip()] == [words_key(t.target) for t in b if t.target.strip()]


def reviewed_register(register: Register, store: Path | None, term: Term, terms: Sequence[Term]) -> TermTargets:
    """The register for IEPs of ``term``: a pupil whose review of the term is in
    the store gets each target's outcome and achieved % from it (an earlier
    review in the term gives the half-term %). Once a term is reviewed its plan
    is a record: the targets are the recorded plan's (the Targets sheet may have
    moved on to next term, which a note says). Without a store, or for a pupil
    with no review of the term, the register's targets as they are."""
    if store is None or not store.exists():
        return TermTargets(register)
    chosen = TermTargets(register)
    pupils = []
    with RecordStore.open(store) as db:
        for pupil in register.pupils:
            reviews = term_reviews(db, pupil.upn, term, terms) if pupil.on_register else []
            if reviews:
                plan = db.plan_for(pupil.upn, term.name)
                targets: Sequence[Target] = pupil.targets
                if plan is not None and plan.targets:
                    if not _same_targets(plan.targets, pupil.targets):
                        chosen.notes.append(f"{pupil.label}: {term.name} has been reviewed, so the IEP shows the"
                                            f" targets of its recorded plan, not those in the Targets sheet")
                    targets = plan.targets
                chosen.planned[pupil.upn] = tuple(targets)
                shown, notes = with_reviews(targets, reviews)
                chosen.notes += [f"{pupil.label}: {note}" for note in notes]
                chosen.reviewed += 1
                pupil = replace(pupil, targets=shown)
            pupils.append(pupil)
    chosen.register = replace(register, pupils=pupils)
    return chosen


__all__ = ["TermTargets", "plan_of", "planned_register", "record_ieps", "reviewed_register", "term_reviews"]
