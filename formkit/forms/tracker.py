"""Reading a teacher's tracker sheet: one intervention impact record per row.

The sheet has the impact form's columns, headed by the form's labels or the
record's field names ("Pupil", "UPN", "Intervention", "Delivered by", "Start
date", ..., or pupil_name, upn, ...), in any order, with title rows above the
headings if wanted (see :mod:`formkit.register.table`). A "DOB" column, when there is
one, helps match pupils who have no UPN. Excel date and number cells are read
as they are; text cells are read like a form's text.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from ..errors import Problem
from ..register import MAX_DETAIL_ROWS, as_text, read_table
from .fields import IMPACT, FieldDef
from .record import Raw, RawForm


def _aliases(definition: FieldDef) -> tuple[str, ...]:
    return tuple(dict.fromkeys((definition.label, definition.name, *definition.labels)))


TRACKER_COLUMNS: dict[str, tuple[str, ...]] = {
    **{f.name: _aliases(f) for f in IMPACT.fields},
    "dob": ("DOB", "Date of birth", "D.O.B"),
}


def read_tracker(path: Path) -> tuple[list[RawForm], list[Problem]]:
    """One raw impact form per non-blank row of the sheet with the impact
    columns. Raises InputFileError when no sheet has an Intervention column."""
    table = read_table(path, TRACKER_COLUMNS, required={"intervention"}, max_rows=MAX_DETAIL_ROWS)
    forms = []
    for row in table.rows:
        raw = RawForm("impact", row=row.number)
        for name in TRACKER_COLUMNS:
            cell = row.cell(name)
            if cell.blank:
                continue
            value = cell.value
            day = value.date() if isinstance(value, datetime) else value if isinstance(value, date) else None
            raw.values[name] = Raw(as_text(value), day=day, how="column")
        forms.append(raw)
    return forms, []
