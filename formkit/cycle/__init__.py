"""The cycle wing: assess, plan, do, review, term after term.

- :mod:`.outcomes`: what a review said about each target, and the term it reviews;
- :mod:`.plans`: each pupil's plan recorded when the IEPs are written, and the
  targets a term's documents start from (the plan, the review's outcomes).
"""

from __future__ import annotations

from .outcomes import STATUSES, TargetReview, previous_term, review_term, status_of, target_reviews, with_reviews
from .plans import TermTargets, plan_of, planned_register, record_ieps, reviewed_register, term_reviews

__all__ = [
    "STATUSES",
    "TargetReview",
    "TermTargets",
    "plan_of",
    "planned_register",
    "previous_term",
    "record_ieps",
    "review_term",
    "reviewed_register",
    "status_of",
    "target_reviews",
    "term_reviews",
    "with_reviews",
]
