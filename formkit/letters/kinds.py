"""The bundled letters, and how each chooses its pupils.

A letter goes to the pupils on the SEN register unless its kind says otherwise:
those added since a date (``sen_register``), those on a Meetings or Referrals
sheet, those with an EHC plan (the annual review's letters), or those whose
review decided it (``removed_from_register``; a referral can be chosen so too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ..codes import SenStatus
from ..errors import LetterError
from ..model import Pupil
from ..register import Register
from .details import DetailSheet

DECIDED = {"removed_from_register": "Remove from the SEN register"}
"""What a review decides for a letter chosen by reviews (the IEP review form's words)."""


@dataclass(frozen=True)
class LetterKind:
    """A bundled letter: its name, the words used in file names and reports, how
    its pupils are chosen ('all', 'added' by Date Added, 'sheet', 'ehc': the
    pupils with an EHC plan, or 'review': those whose review decided it),
    whether it tells the family an IEP is enclosed, who it goes to ('family', or
    each of the pupil's 'professionals'), and the days' notice of the meeting it
    must give (Code of Practice 9.176: two weeks)."""

    name: str
    title: str
    choose: str = "all"
    encloses_iep: bool = False
    to: str = "family"
    notice_days: int = 0


LETTERS: dict[str, LetterKind] = {
    k.name: k
    for k in (
        LetterKind("sen_register", "SEN register letter", choose="added", encloses_iep=True),
        LetterKind("iep_cover", "IEP letter", encloses_iep=True),
        LetterKind("review_invite", "Review invitation"),
        LetterKind("referral_consent", "Referral consent", choose="sheet"),
        LetterKind("removed_from_register", "Removal from the SEN register", choose="review"),
        LetterKind("annual_review_invite", "Annual review invitation", choose="ehc", notice_days=14),
        LetterKind("advice_request", "Request for advice", choose="ehc", to="professionals", notice_days=14),
    )
}


def choose_pupils(register: Register, kind: LetterKind | None, sheets: list[DetailSheet], warnings: list[str], *,
                  only: Sequence[str] = (), added_since: date | None = None,
                  decided: Mapping[str, str] | None = None) -> list[Pupil]:
    """The pupils to write to: ``only``'s; for a letter chosen by reviews, those
    whose review ``decided`` it; else those on the SEN register (with an EHC
    plan, for an annual review's letters), narrowed to the Meetings/Referrals
    sheet's pupils when there is one (or, for a referral without one, to those
    whose review decided it), and to those added since ``added_since`` when it
    is given (sen_register requires it). Raises LetterError when the letter's
    pupils cannot be chosen so, or a pupil named cannot have it."""
    decided = decided or {}
    if only:
        return _only(register, only, kind)
    if kind is not None and kind.choose == "review":
        if not decided:
            raise LetterError(f"no review in the records store decided '{DECIDED[kind.name]}', so no {kind.name} "
                              "letter is made; give --only UPN for a pupil who leaves the register")
        return _only(register, list(decided), kind)
    if kind is not None and kind.choose == "added" and added_since is None:
        raise LetterError(
            f"the {kind.name} letter tells families their child is being placed on the SEN register, so choose "
            "the pupils: --added-since YYYY-MM-DD (by the register's Date Added) or --only UPN")
    pupils = register.on_register()
    if sheets:
        listed = {upn for sheet in sheets for upn in sheet.order}
        for upn in sorted(listed):
            pupil = register.by_upn(upn)
            if pupil is None:
                warnings.append(f"UPN {upn} is in {_sources(sheets)} but not on the register; no letter is made")
            elif not pupil.on_register:
                warnings.append(f"{pupil.label} is in {_sources(sheets)} but has SEN status "
                                f"{pupil.sen_status.value}; no letter is made")
        pupils = [p for p in pupils if p.upn in listed]
        if kind is not None and kind.choose == "ehc":
            support = [p.label for p in pupils if p.sen_status is not SenStatus.E]
            if support:
                warnings.append(f"no {kind.title.lower()} for pupils without an EHC plan (status K) in "
                                f"{_sources(sheets)}: {', '.join(support)}")
    elif kind is not None and kind.choose == "sheet" and decided:
        pupils = [p for p in pupils if p.upn in decided]
    elif kind is not None and kind.choose == "sheet":
        raise LetterError(
            f"choose the pupils for the {kind.name} letter: a Referrals sheet in the register workbook (or "
            "--referrals FILE) with each pupil's UPN and agency, or --only UPN with --agency NAME")
    if kind is not None and kind.choose == "ehc":
        pupils = [p for p in pupils if p.sen_status is SenStatus.E]
    if added_since is not None:
        undated = [p.label for p in pupils if p.date_added is None]
        if undated:
            warnings.append(f"no Date Added on the register, so not chosen by --added-since: {', '.join(undated)}")
        pupils = [p for p in pupils if p.date_added and p.date_added >= added_since]
    return pupils


def _only(register: Register, only: Sequence[str], kind: LetterKind | None) -> list[Pupil]:
    chosen = register.pupils_named(only)
    for pupil in chosen:
        if not pupil.on_register and (kind is None or kind.choose != "review"):
            raise LetterError(f"{pupil.label} has SEN status {pupil.sen_status.value}, so is not on the SEN "
                              "register; no letter is made", file=register.file)
        if kind is not None and kind.choose == "review" and pupil.sen_status is SenStatus.E:
            raise LetterError(f"{pupil.label} has an EHC plan: only the local authority can end it, after an annual "
                              f"review, so no {kind.name} letter is made", file=register.file)
        if kind is not None and kind.choose == "ehc" and pupil.sen_status is not SenStatus.E:
            raise LetterError(f"{pupil.label} has SEN status {pupil.sen_status.value}, not E (an EHC plan), so has "
                              f"no annual review; no {kind.title.lower()} is made", file=register.file)
    return chosen


def _sources(sheets: list[DetailSheet]) -> str:
    return " and ".join(s.source for s in sheets)


__all__ = ["DECIDED", "LETTERS", "LetterKind", "choose_pupils"]
