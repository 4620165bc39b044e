"""What the school census would reject or query in a pupil's SEN record.

The census collects one SEN provision (N, K or E) per pupil and, for K and E, the
SEN types ranked 1 (the primary need) and 2 (the secondary need). Every register
(a spreadsheet or a Common Transfer File) is checked against the same rules here:

- an SEN type that is not a census code (the readers refuse it where they parse it);
- two needs of one rank, and a need without a rank (a transfer file's SENneeds);
- NSA (no specialist assessment) with an EHC plan: a plan names the need;
- a pupil with SEN support or a plan but no primary need;
- needs recorded for a pupil without SEN (N);
- one need given as both primary and secondary, or a secondary need without a
  primary one (a spreadsheet's two need columns).

Each check returns ``(field, message)`` findings, ``field`` being
``primary_need`` or ``secondary_need`` (or None for the pupil as a whole), so each
reader can say where in its own file the problem is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..codes import SenStatus

NSA_WITH_PLAN = ("NSA (no specialist assessment) is only used with K; an EHC plan names the need, so write its"
                 " census code, e.g. ASD")
NO_PRIMARY_NEED = ("the primary need is blank, so the IEP title will show no area of need; add the census code,"
                   " e.g. SPLD")

Finding = tuple[str | None, str]


@dataclass(frozen=True)
class RankedNeed:
    """One need as a transfer file lists it: its census code, its rank (None when
    the file gives none) and where it is ('SENneeds/SENneed[2]')."""

    code: str
    rank: int | None
    where: str


def order_needs(needs: Sequence[RankedNeed]) -> tuple[list[RankedNeed], list[tuple[str, str]]]:
    """The needs in census order (by rank, the file's order breaking ties; needs
    without a rank last, in the file's order), and ``(where, message)`` for each
    need that shares a rank with an earlier one or has no rank. The first of the
    ordered needs is the primary need, the second the secondary."""
    findings: list[tuple[str, str]] = []
    first_of: dict[int, RankedNeed] = {}
    for need in needs:
        if need.rank is None:
            findings.append((need.where, f"{need.code} has no SENtypeRank; the census ranks each need (1 primary,"
                                         " 2 secondary), so formkit has put it after the ranked needs"))
        elif need.rank in first_of:
            earlier = first_of[need.rank]
            findings.append((need.where, f"{need.code} has rank {need.rank}, like {earlier.code} at {earlier.where};"
                                         " the census allows one need per rank, so formkit has put it after"
                                         f" {earlier.code}; ask for the ranks to be corrected"))
        else:
            first_of[need.rank] = need
    ranked = sorted((n for n in needs if n.rank is not None), key=lambda n: n.rank or 0)
    return ranked + [n for n in needs if n.rank is None], findings


def status_findings(status: SenStatus | None, primary: str | None, secondary: str | None) -> list[Finding]:
    """What the census would query in a pupil's status and two needs (the
    missing-primary-need check is :data:`NO_PRIMARY_NEED`, which each reader
    words for its own columns)."""
    findings: list[Finding] = []
    if status is SenStatus.E and "NSA" in (primary, secondary):
        findings.append(("primary_need" if primary == "NSA" else "secondary_need", NSA_WITH_PLAN))
    if status is SenStatus.N and (primary or secondary):
        needs = " and ".join(n for n in (primary, secondary) if n)
        findings.append(("primary_need" if primary else "secondary_need",
                         f"the SEN status is N (no SEN), but {needs} is recorded as a need; the census records"
                         " needs only with K or E, so correct the status or remove the need"))
    if primary and primary == secondary:
        findings.append(("secondary_need", f"{primary} is both the primary and the secondary need; the census"
                                           " records each need once, so clear the secondary need or change it"))
    elif secondary and not primary:
        findings.append(("secondary_need", f"there is a secondary need ({secondary}) but no primary need; the"
                                           " census ranks the main need first, so move it to the primary need"))
    return findings
