"""What a review said about each target, and which term a review belongs to.

An IEP review record (``forms`` kind ``iep-review``) holds, for each target, the
teacher's outcome, achieved %, progress band and evidence. :func:`target_reviews`
turns them into :class:`TargetReview`, each with a status: achieved, partly
achieved, not achieved, or not recorded. The status comes from (in this order)
a three-point band, the achieved %, a percentage band, then the outcome's first
words ("Achieved", "Partly ...", "Not yet ..."); docs/decisions.md gives the
reasons. :func:`match_reviews` pairs a plan's targets with their reviews, by
the target's words first and by number when the words were changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from ..model import Target, Term

Status = Literal["achieved", "partly achieved", "not achieved", "not recorded"]
STATUSES: tuple[Status, ...] = ("achieved", "partly achieved", "not achieved", "not recorded")
_BAND = re.compile(r"(\d+)\s*-\s*(\d+)\s*%|(\d+)\s*%\s*\+?")


def words_key(text: str) -> str:
    """A target's words as compared: accents, case, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("\u2019", "'")
    return re.sub(r"[\W_]+", " ", text).strip()


def band_floor(band: str) -> int | None:
    """The lowest percentage of a band: '50-74%' -> 50, '100%+' -> 100, '0%' -> 0."""
    m = _BAND.fullmatch(band.strip())
    if not m:
        return None
    return int(m.group(1) if m.group(1) is not None else m.group(3))


@dataclass(frozen=True)
class TargetReview:
    """One target as a review found it."""

    number: int
    target: str
    outcome: str
    achieved: int | None
    band: str
    evidence: str
    status: Status

    @property
    def carried(self) -> bool:
        """Carried into next term's plan: anything but achieved (not recorded
        is carried too, so that nobody's target is dropped unseen)."""
        return self.status != "achieved"

    @property
    def new_baseline(self) -> int | None:
        """The baseline for next term: the achieved %, else the band's lowest %."""
        if self.achieved is not None:
            return self.achieved
        return band_floor(self.band) if self.band else None

    def summary(self) -> str:
        """'partly achieved, 60%'; 'partly achieved, band 50-74%'; 'not recorded'."""
        if self.achieved is not None:
            return f"{self.status}, {self.achieved}%"
        if self.band and band_floor(self.band) is not None:
            return f"{self.status}, band {self.band}"
        return self.status

    def outcome_text(self) -> str:
        """What the IEP's Outcome column shows: 'Partly achieved (70%): Reads all
        20 words'; the teacher's words alone when they already say the status."""
        head = self.status.capitalize() if self.status != "not recorded" else ""
        measure = f"{self.achieved}%" if self.achieved is not None else ""
        if not measure and self.band and band_floor(self.band) is not None:
            measure = self.band
        if head and measure:
            head = f"{head} ({measure})"
        words = self.outcome.strip()
        if not head:
            return words or measure
        if not words or words_key(words) == words_key(self.status):
            return head
        return f"{head}: {words}"


def status_of(values: dict[str, Any]) -> Status:
    """A reviewed target's status (see the module's order of evidence)."""
    band = str(values.get("band") or "").strip()
    key = words_key(band)
    if key in ("achieved", "partially achieved", "partly achieved", "not achieved"):
        return {"achieved": "achieved", "not achieved": "not achieved"}.get(key, "partly achieved")  # type: ignore[return-value]
    percent = values.get("achieved_percent")
    if isinstance(percent, (int, float)):
        return "achieved" if percent >= 100 else ("not achieved" if percent <= 0 else "partly achieved")
    floor = band_floor(band) if band else None
    if floor is not None:
        return "achieved" if floor >= 100 else ("not achieved" if floor == 0 else "partly achieved")
    words = words_key(str(values.get("outcome") or ""))
    if re.match(r"(not|no)( yet)?( achieved| met)?\b", words):
        return "not achieved"
    if re.match(r"(partly|partially|part|some progress|nearly|almost)\b", words):
        return "partly achieved"
    if re.match(r"(fully )?(achieved|met|secure)\b", words):
        return "achieved"
    return "not recorded"


def target_reviews(values: dict[str, Any]) -> list[TargetReview]:
    """The targets of one IEP review record's values, in the form's order."""
    found = []
    for index, item in enumerate(values.get("targets") or [], 1):
        achieved = item.get("achieved_percent")
        found.append(TargetReview(
            int(item.get("number") or index), str(item.get("target") or ""), str(item.get("outcome") or ""),
            int(achieved) if isinstance(achieved, (int, float)) else None, str(item.get("band") or ""),
            str(item.get("evidence") or ""), status_of(item)))
    return found


def match_reviews(targets: Sequence[Target], reviewed: Sequence[TargetReview]) -> list[TargetReview | None]:
    """For each of ``targets`` (a plan's, in order), its review: the reviewed
    target with the same words, else the one with its number whose words match
    no other target; None when the review has nothing for it."""
    left = list(reviewed)
    found: list[TargetReview | None] = [None] * len(targets)
    for i, target in enumerate(targets):
        same = next((r for r in left if r.target and words_key(r.target) == words_key(target.target)), None)
        if same is not None:
            found[i] = same
            left.remove(same)
    own_words = {words_key(t.target) for t in targets}
    for i in range(len(targets)):
        if found[i] is None:
            by_number = next((r for r in left if r.number == i + 1
                              and (not r.target or words_key(r.target) not in own_words)), None)
            if by_number is not None:
                found[i] = by_number
                left.remove(by_number)
    return found


def review_term(day: date | None, terms: Sequence[Term]) -> Term | None:
    """The term a review dated ``day`` reviews: the term it falls in, else (in a
    holiday) the term that ended last before it; None before the first term or
    without a date."""
    if day is None:
        return None
    ordered = sorted(terms, key=lambda t: t.start)
    inside = next((t for t in ordered if t.start <= day <= t.end), None)
    if inside is not None:
        return inside
    ended = [t for t in ordered if t.end < day]
    return ended[-1] if ended else None


def previous_term(term: Term, terms: Sequence[Term]) -> Term | None:
    """The term before ``term`` in formkit.toml's dates, else None."""
    earlier = [t for t in sorted(terms, key=lambda t: t.start) if t.start < term.start]
    return earlier[-1] if earlier else None


def with_reviews(targets: Sequence[Target], reviews: Sequence[dict[str, Any]]) -> tuple[tuple[Target, ...], list[str]]:
    """The plan's ``targets`` with what the term's ``reviews`` (record values,
    oldest first) said: the last review's outcome and achieved %; an earlier
    review's achieved % as the half-term %; a review that gave a progress band
    but no % gives the band instead ('50-74%'). Returns the targets and a note for
    each reviewed target that matched none of the plan's."""
    notes: list[str] = []
    shown = list(targets)
    for position, values in enumerate(reviews):
        last = position == len(reviews) - 1
        reviewed = target_reviews(values)
        matched = match_reviews(shown, reviewed)
        for i, review in enumerate(matched):
            if review is None:
                continue
            band = review.band if review.achieved is None and band_floor(review.band) is not None else ""
            update: dict[str, Any] = {}
            if last:
                update["outcome"] = review.outcome_text()
                update |= {"achieved": review.achieved} if review.achieved is not None else {"achieved_band": band}
            else:
                update |= {"half_term": review.achieved} if review.achieved is not None else {"half_term_band": band}
            shown[i] = replace(shown[i], **update)
        if last:
            notes += [f"the review's target {r.number} ('{r.target[:40]}') matches none of the plan's targets, so it"
                      " is not shown" for r in reviewed if r not in matched]
    return tuple(shown), notes


__all__ = ["STATUSES", "Status", "TargetReview", "band_floor", "match_reviews", "previous_term", "review_term",
           "status_of", "target_reviews", "with_reviews", "words_key"]
