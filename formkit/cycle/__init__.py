"""The cycle wing: assess, plan, do, review, term after term.

- :mod:`.outcomes`: what a review said about each target, and the term it reviews;
- :mod:`.plans`: each pupil's plan recorded when the IEPs are written, and the
  targets a term's documents start from (the plan, the review's outcomes);
- :mod:`.sent`: the letters sent, noted in the store;
- :mod:`.decisions`: what a review decided, and the letter that follows it;
- :mod:`.next_targets`: next term's targets drafted from this term's reviews
  (``targets next``);
- :mod:`.history`: one pupil's cycle term by term (``records history``);
- :mod:`.due`: what is due, and when (``formkit due``);
- :mod:`.calendar`: those dates as an iCalendar file.
"""

from __future__ import annotations

from .calendar import calendar_bytes, write_calendar
from .due import (
    EHC_COLUMNS,
    EHC_PLAN_COLUMNS,
    DueItem,
    DueList,
    add_months,
    due_list,
    ehc_dates,
    initials,
    meeting_dates,
)
from .decisions import Decision, agency_in, letter_decisions, review_decisions
from .history import PupilCycle, TermCycle, format_cycle, pupil_cycle
from .next_targets import NextTargets, draft_next_targets, write_next_targets
from .outcomes import STATUSES, TargetReview, previous_term, review_term, status_of, target_reviews, with_reviews
from .plans import TermTargets, plan_of, planned_register, record_ieps, reviewed_register, term_reviews
from .sent import letters_of, record_letters

__all__ = [
    "Decision",
    "NextTargets",
    "agency_in",
    "draft_next_targets",
    "letter_decisions",
    "review_decisions",
    "write_next_targets",
    "DueItem",
    "DueList",
    "EHC_COLUMNS",
    "EHC_PLAN_COLUMNS",
    "add_months",
    "calendar_bytes",
    "due_list",
    "ehc_dates",
    "initials",
    "meeting_dates",
    "write_calendar",
    "STATUSES",
    "TargetReview",
    "TermTargets",
    "PupilCycle",
    "TermCycle",
    "format_cycle",
    "pupil_cycle",
    "plan_of",
    "planned_register",
    "previous_term",
    "letters_of",
    "record_ieps",
    "record_letters",
    "review_term",
    "reviewed_register",
    "status_of",
    "target_reviews",
    "term_reviews",
    "with_reviews",
]
