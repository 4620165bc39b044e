"""The provision map wing: building the SENCo's map, keeping it up to date, and
reporting on it.

- :mod:`.columns`: the map's columns, headings, drop-down lists and cell values;
- :mod:`.workbook`: reading a map back wherever its heading row and columns are;
- :mod:`.sources`: provision records from sheets, impact forms and the store;
- :mod:`.update`: ``new`` and ``update``, changing only the cells reported;
- :mod:`.report`: cost, hours and progress by year group and area of need;
- :mod:`.lines`: one pupil's provision, row by row, with hours and cost.
"""

from __future__ import annotations

from .lines import NO_START, OUTSIDE, ProvisionLine, TermProvision, TermShare, by_term, pupil_provision
from .report import ProvisionReport, build_report, write_report
from .update import UpdateResult, new_map, update_map

__all__ = [
    "new_map",
    "update_map",
    "UpdateResult",
    "build_report",
    "ProvisionReport",
    "write_report",
    "NO_START",
    "OUTSIDE",
    "ProvisionLine",
    "TermProvision",
    "TermShare",
    "by_term",
    "pupil_provision",
]
