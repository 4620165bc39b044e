"""The outcomes of each pupil's EHC plan: the EHCP outcomes sheet.

The local authority writes the outcomes into the plan (section E); the school's
annual review reports progress towards each (Code of Practice 9.176-9.177). The
SENCo copies them into a sheet named **EHCP outcomes** in the register workbook,
or a file of its own: one row per outcome, keyed by UPN, with its area of need and
when it should be achieved by. docs/ehc.md is the user's description.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..codes import Area
from ..errors import Problem, RegisterError
from ..register import Register, parse_area, read_side_table, upn_rows

SHEET_NAMES = ("ehcpoutcomes", "ehcoutcomes", "outcomes", "ehcplanoutcomes", "planoutcomes")
OUTCOME_COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": ("UPN", "Unique Pupil Number", "Pupil UPN"),
    "outcome": ("Outcome", "EHCP Outcome", "EHC Plan Outcome", "Outcomes"),
    "area": ("Area", "Area of Need", "Broad Area"),
    "by": ("By", "By When", "Achieve By", "Target Date", "Timescale"),
}


@dataclass(frozen=True)
class Outcome:
    """One outcome of a pupil's EHC plan, numbered in the sheet's order."""

    upn: str
    number: int
    outcome: str
    area: Area | None = None
    by: str = ""


@dataclass
class OutcomeSheet:
    """The EHCP outcomes sheet by UPN, in row order, with the rows to look at."""

    source: str
    rows: dict[str, list[Outcome]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_outcomes(register: Register, given: Path | None = None) -> OutcomeSheet | None:
    """The outcomes of ``given`` (a workbook or CSV), else of the register
    workbook's EHCP outcomes sheet; None when there is neither. Raises
    InputFileError or RegisterError when the file or sheet cannot be used at all."""
    table = read_side_table(register.file, given, SHEET_NAMES, OUTCOME_COLUMNS, required={"upn", "outcome"},
                            error=RegisterError)
    if table is None:
        return None
    rows, problems = upn_rows(table, register, "outcome")
    result = OutcomeSheet(table.source, problems=problems)
    for row, upn in rows:
        def warn(name: str, message: str) -> None:
            result.problems.append(Problem("warning", message, table.source, row.number, table.heading(name)))

        if row.blank("outcome"):
            warn("outcome", "the outcome is blank; write it as the EHC plan has it, or delete the row")
            continue
        area = None
        if not row.blank("area"):
            try:
                area = parse_area(row.value("area"))
            except ValueError as exc:
                warn("area", f"{exc}; the outcome is used without an area")
        own = result.rows.setdefault(upn, [])
        own.append(Outcome(upn, len(own) + 1, row.text("outcome"), area, row.text("by")))
    result.problems.sort(key=lambda p: p.row or 0)
    return result


__all__ = ["OUTCOME_COLUMNS", "Outcome", "OutcomeSheet", "read_outcomes"]
