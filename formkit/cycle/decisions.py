"""What a review decided, and the letter that follows it.

An IEP review form ends with a decision (``forms`` DECISIONS). Three of them
start something beyond next term's targets:

- "Remove from the SEN register": the ``removed_from_register`` letter;
- "Involve a specialist": the ``referral_consent`` letter, to the agency the
  review's next steps name (:func:`agency_in`), else one the SENCo names;
- "Request an EHC needs assessment": the ``referral_consent`` letter, to the
  local authority, and ``formkit evidence-pack`` for the request.

:func:`review_decisions` finds them, each pupil's latest review first deciding;
:func:`letter_decisions` gives the pupils (and agency) a letter run is for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..documents import uk_date
from ..model import Term
from ..records import RecordStore, term_key
from ..register import Register
from .outcomes import review_term, words_key

REMOVE = "Remove from the SEN register"
SPECIALIST = "Involve a specialist"
EHC_REQUEST = "Request an EHC needs assessment"
LOCAL_AUTHORITY = "the local authority, for an EHC needs assessment"
LETTER_OF = {REMOVE: "removed_from_register", SPECIALIST: "referral_consent", EHC_REQUEST: "referral_consent"}

AGENCIES: tuple[tuple[str, str], ...] = (
    ("educational psycholog", "the Educational Psychology Service"),
    ("speech and language", "the Speech and Language Therapy Service"),
    ("salt", "the Speech and Language Therapy Service"),
    ("occupational therap", "the Occupational Therapy Service"),
    ("physiotherap", "the Physiotherapy Service"),
    ("camhs", "CAMHS (Child and Adolescent Mental Health Services)"),
    ("mental health", "CAMHS (Child and Adolescent Mental Health Services)"),
    ("paediatric", "the Community Paediatrics Service"),
    ("school nurs", "the School Nursing Service"),
    ("specialist teach", "the Specialist Teaching Service"),
    ("hearing", "the Hearing Impairment Service"),
    ("visual", "the Visual Impairment Service"),
    ("behaviour support", "the Behaviour Support Service"),
    ("early help", "Early Help"),
)
"""Words in a review's next steps, and the agency they name, in this order."""


def agency_in(text: str) -> str:
    """The outside agency ``text`` (a review's next steps) names, or ''."""
    key = f" {words_key(text)} "
    return next((agency for words, agency in AGENCIES if f" {words}" in key), "")


@dataclass(frozen=True)
class Decision:
    """One pupil's review decision that a letter follows. ``agency`` is blank
    when the review names none (the SENCo names it); ``term`` is the term the
    review reviews ('' when its date is in no term)."""

    upn: str
    pupil: str
    term: str
    review_date: date | None
    decision: str
    next_steps: str
    letter: str
    agency: str

    @property
    def follows(self) -> str:
        """What the SENCo does next, in words (the Decisions sheet's last column)."""
        if self.decision == REMOVE:
            return ("formkit generate letters --letter removed_from_register (sent to the pupils whose review says "
                    "so); then mark the pupil N on the register")
        if self.decision == EHC_REQUEST:
            return (f"formkit generate letters --letter referral_consent (agency: {LOCAL_AUTHORITY}); then formkit "
                    f"evidence-pack --only {self.upn}")
        if self.agency:
            return f"formkit generate letters --letter referral_consent (agency: {self.agency})"
        return ("formkit generate letters --letter referral_consent --only " + self.upn + " --agency NAME (the "
                "review's next steps name no agency)")

    def text(self) -> str:
        day = uk_date(self.review_date) if self.review_date else "undated"
        return f"{self.pupil} ({self.upn}): review {day}: {self.decision}. Next: {self.follows}"


def review_decisions(register: Register, store: Path | None, terms: Sequence[Term],
                     term: Term | None = None) -> list[Decision]:
    """The decisions a letter follows, one per pupil on ``register``: the
    pupil's latest review (of ``term``, when given) if it decided one of them.
    Empty without a store."""
    if store is None or not store.exists():
        return []
    found = []
    with RecordStore.open(store) as db:
        for pupil in register.pupils:
            reviews = [s.record.values for s in db.reviews_for(pupil.upn)]
            if term is not None:
                reviews = [v for v in reviews if (t := review_term(v.get("review_date"), terms)) is not None
                           and term_key(t.name) == term_key(term.name)]
            if not reviews:
                continue
            values = reviews[-1]
            decision = str(values.get("decision") or "")
            if decision not in LETTER_OF:
                continue
            reviewed = review_term(values.get("review_date"), terms)
            steps = str(values.get("next_steps") or "")
            agency = {SPECIALIST: agency_in(steps), EHC_REQUEST: LOCAL_AUTHORITY}.get(decision, "")
            found.append(Decision(pupil.upn, pupil.name, reviewed.name if reviewed else "",
                                  values.get("review_date"), decision, steps, LETTER_OF[decision], agency))
    return found


def letter_decisions(register: Register, store: Path | None, terms: Sequence[Term], letter: str) -> dict[str, str]:
    """For a letters run of ``letter``: UPN -> the agency (or '') of each pupil
    whose latest review decided what that letter follows. Empty for other letters."""
    return {d.upn: d.agency for d in review_decisions(register, store, terms) if d.letter == letter}


__all__ = ["AGENCIES", "Decision", "EHC_REQUEST", "LETTER_OF", "LOCAL_AUTHORITY", "REMOVE", "SPECIALIST", "agency_in",
           "letter_decisions", "review_decisions"]
