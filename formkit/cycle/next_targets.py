"""Next term's targets, drafted from this term's reviews (``formkit targets next``).

For each pupil on the SEN register, :func:`draft_next_targets` starts from the
pupil's recorded plan of the term reviewed and what its last review said:

- a target reviewed as not achieved, partly achieved or not recorded is carried,
  its new baseline the review's achieved % (else its band's lowest %), the
  review's next steps beside it; an achieved target is not carried;
- a target the review left out is carried as planned, and one the review added
  (not in the plan) is carried if it was not achieved, each saying so;
- each pupil gets blank rows up to four targets, for the SENCo's new ones;
- a pupil with no review back is listed first, with their last plan's targets
  (else the Targets sheet's), so that nobody is dropped silently.

Every row says where it came from. :func:`write_next_targets` writes the
workbook: a Targets sheet in the layout ``generate ieps --targets`` reads (its
blank rows are read as rows still to write), and a Decisions sheet with each
review decision a letter follows (:mod:`.decisions`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..documents import uk_date
from ..errors import FormkitError, OutputError
from ..files import CONFIDENTIAL, atomic_write, sheet_safe
from ..model import Pupil, Target, Term
from ..ooxml import lines_needed
from ..records import Plan, RecordStore
from ..register import DRAFT_FROM, MAX_TARGETS, Register
from .decisions import REMOVE, Decision, review_decisions
from .outcomes import TargetReview, match_reviews, previous_term, target_reviews
from .plans import term_reviews

HEADINGS = ("UPN", "Pupil", "Target", "Area", "Achievement Criteria", "Resources", "Strategies", "Baseline %",
            "Next steps", DRAFT_FROM)
DECISION_HEADINGS = ("UPN", "Pupil", "Term", "Review date", "Decision", "Next steps", "Letter", "Agency",
                     "What follows")
SHOWN = 8
"""How many pupils with no review back the report names (the workbook lists them all)."""
WIDTHS = (16, 22, 48, 22, 36, 28, 28, 11, 40, 44)


@dataclass(frozen=True)
class DraftRow:
    """One row of the draft: a target (None: a blank row to write one in)."""

    upn: str
    pupil: str
    target: Target | None
    next_steps: str
    source: str


@dataclass
class NextTargets:
    """The draft: its rows (pupils with no review back first), the decisions,
    and counts for the report."""

    term: Term
    from_term: Term
    rows: list[DraftRow] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    no_review: list[str] = field(default_factory=list)
    carried: int = 0
    achieved: int = 0
    listed: int = 0
    reviewed: int = 0

    @property
    def blank(self) -> int:
        return sum(1 for r in self.rows if r.target is None)

    def text(self) -> str:
        lines = [f"{self.term.name}'s targets drafted from {self.from_term.name}: {self.reviewed} pupils reviewed, "
                 f"{self.carried} targets carried, {self.achieved} achieved (not carried), {self.listed} from the "
                 f"plans of pupils with no review back, {self.blank} blank rows for new targets."]
        if self.no_review:
            names = ", ".join(self.no_review[:SHOWN])
            more = f" and {len(self.no_review) - SHOWN} more" if len(self.no_review) > SHOWN else ""
            lines.append(f"No review back for {self.from_term.name}, so listed first with their last plan's targets: "
                         f"{names}{more}")
        for decision in self.decisions:
            lines.append(f"Decision: {decision.text()}")
        return "\n".join(lines)


def _order(pupil: Pupil) -> tuple[Any, ...]:
    return (pupil.year, pupil.class_name.casefold(), pupil.surname.casefold(), pupil.forename.casefold(), pupil.upn)


def _carried(target: Target, baseline: int | None) -> Target:
    """The target for next term: its words and support kept, measured from ``baseline``."""
    return replace(target, baseline=target.baseline if baseline is None else baseline, half_term=None, achieved=None,
                   outcome="", half_term_band="", achieved_band="")


def _from_review(pupil: Pupil, plan: Plan | None, values: dict[str, Any], term: Term,
                 draft: NextTargets) -> list[DraftRow]:
    steps = str(values.get("next_steps") or "")
    reviewed = target_reviews(values)
    planned = list(plan.targets) if plan is not None else []
    matched = match_reviews(planned, reviewed)
    rows = []

    def carry(target: Target, review: TargetReview, where: str) -> None:
        if review.status == "achieved":
            draft.achieved += 1
            return
        draft.carried += 1
        rows.append(DraftRow(pupil.upn, pupil.name, _carried(target, review.new_baseline), steps,
                             f"carried from {where}: {review.summary()}"))

    for target, review in zip(planned, matched):
        if review is None:
            draft.carried += 1
            rows.append(DraftRow(pupil.upn, pupil.name, _carried(target, None), steps,
                                 f"carried from {term.name}: not in its review, so as planned"))
        else:
            carry(target, review, term.name)
    extra = "" if plan is None else " (not in the recorded plan)"
    for review in reviewed:
        if review not in matched and review.target.strip():
            carry(Target(target=review.target), review, f"{term.name}'s review{extra}")
    return rows


def _last_plan(db: RecordStore, pupil: Pupil, term: Term) -> tuple[tuple[Target, ...], str]:
    """The targets of the pupil's plan for ``term``, else their latest plan
    before it, else the Targets sheet; and where they came from."""
    plan = db.plan_for(pupil.upn, term.name)
    if plan is None:
        earlier = [p for p in db.plans_for(pupil.upn) if p.term_start <= term.start]
        plan = earlier[-1] if earlier else None
    if plan is not None and plan.targets:
        planned = "as planned" if plan.term == term.name else f"from {plan.term}'s plan"
        return plan.targets, f"no review back for {term.name}: carried {planned}"
    return pupil.targets, f"no review back for {term.name} and no recorded plan: the Targets sheet's target"


def draft_next_targets(register: Register, store: Path | None, terms: Sequence[Term], term: Term,
                       from_term: Term | None = None) -> NextTargets:
    """Draft ``term``'s targets for the register's pupils from the reviews of
    ``from_term`` (default: the term before ``term``) in ``store``. Raises
    FormkitError when there is no term before ``term`` or no store."""
    reviewed_term = from_term or previous_term(term, terms)
    if reviewed_term is None:
        raise FormkitError(f"{term.name} is the first term in formkit.toml, so there is no term before it to draft "
                           "from; give --from-term NAME")
    if reviewed_term.start >= term.start:
        raise FormkitError(f"--from-term {reviewed_term.name} does not come before {term.name}; give the term whose "
                           "reviews the new targets follow")
    if store is None or not store.exists():
        where = f" ({store} does not exist)" if store is not None else ""
        raise FormkitError(f"targets are drafted from the plans and reviews in the records store{where}; give "
                           "--store FILE (the one 'generate ieps' and 'read' used), or run in a workspace made by "
                           "'formkit init'")
    draft = NextTargets(term, reviewed_term)
    first: list[DraftRow] = []
    then: list[DraftRow] = []
    with RecordStore.open(store) as db:
        for pupil in sorted(register.on_register(), key=_order):
            reviews = term_reviews(db, pupil.upn, reviewed_term, terms)
            if reviews:
                draft.reviewed += 1
                rows = _from_review(pupil, db.plan_for(pupil.upn, reviewed_term.name), reviews[-1], reviewed_term,
                                    draft)
                into = then
            else:
                draft.no_review.append(pupil.label)
                targets, source = _last_plan(db, pupil, reviewed_term)
                rows = [DraftRow(pupil.upn, pupil.name, _carried(t, None), "", source)
                        for t in targets if t.target.strip()]
                draft.listed += len(rows)
                into = first
            new = f"new target for {term.name}"
            rows += [DraftRow(pupil.upn, pupil.name, None, "", new) for _ in range(MAX_TARGETS - len(rows))]
            into.extend(rows)
    draft.decisions = review_decisions(register, store, terms, reviewed_term)
    leaving = {d.upn for d in draft.decisions if d.decision == REMOVE}
    draft.rows = [replace(r, source=f"{r.source}; but the review decided: {REMOVE} (see Decisions)")
                  if r.upn in leaving else r for r in first + then]
    return draft


def _cells(row: DraftRow) -> list[Any]:
    t = row.target
    if t is None:
        return [row.upn, row.pupil, "", "", "", "", "", None, row.next_steps, row.source]
    return [row.upn, row.pupil, t.target, t.area.value if t.area else "", t.achievement_criteria, t.resources,
            t.strategies, t.baseline, row.next_steps, row.source]


def _decision_cells(d: Decision) -> list[Any]:
    return [d.upn, d.pupil, d.term, uk_date(d.review_date) if d.review_date else "", d.decision, d.next_steps,
            d.letter, d.agency, d.follows]


def _sheet(book: Any, title: str, headings: Sequence[str], rows: list[list[Any]], widths: Sequence[int]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.append(list(headings))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append([None] * len(headings))
        lines = max((lines_needed(str(v), w) for v, w in zip(values, widths) if v not in (None, "")), default=1)
        if lines > 1:  # LibreOffice and Excel do not grow a row for wrapped text in a file they did not lay out
            sheet.row_dimensions[sheet.max_row].height = 15 * lines
        for column, value in enumerate(values, 1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=sheet.max_row, column=column)
            cell.value = value if isinstance(value, int) else sheet_safe(value)
            if isinstance(value, str):
                cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def next_targets_bytes(draft: NextTargets) -> bytes:
    """The workbook: Targets (the draft) and Decisions."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    book.properties.category = CONFIDENTIAL
    book.properties.creator = "formkit"
    book.properties.title = f"Targets for {draft.term.name}, drafted from {draft.from_term.name}'s reviews"
    _sheet(book, "Targets", HEADINGS, [_cells(r) for r in draft.rows], WIDTHS)
    _sheet(book, "Decisions", DECISION_HEADINGS, [_decision_cells(d) for d in draft.decisions],
           (16, 22, 14, 12, 30, 40, 22, 36, 60))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_next_targets(draft: NextTargets, out: Path, *, overwrite: bool = False) -> None:
    """Write the draft to ``out`` (.xlsx) whole, owner-only. An existing file is
    the SENCo's edited draft, so it is refused unless ``overwrite``."""
    if out.suffix.lower() != ".xlsx":
        raise OutputError("must be an .xlsx file (the Targets workbook generate ieps --targets reads)", file=str(out))
    if out.exists() and not overwrite:
        raise OutputError("is already there (perhaps with your edits); give another --out, or --overwrite to "
                          "replace it", file=str(out))
    if not out.parent.is_dir():
        raise OutputError("cannot be written: its folder does not exist", file=str(out))
    data = next_targets_bytes(draft)
    try:
        atomic_write(out, data)
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", file=str(out)) from None


__all__ = ["DECISION_HEADINGS", "DraftRow", "HEADINGS", "NextTargets", "draft_next_targets", "next_targets_bytes",
           "write_next_targets"]
