"""The register wing: reading the SEN register (and its Targets and Contacts) into
:class:`~formkit.model.Pupil` records, with every problem found.

- :mod:`.table`: one sheet of an .xlsx or a .csv as rows, the heading row found;
- :mod:`.values`: cell values parsed (dates, percentages, yes/no, areas);
- :mod:`.pupils`: the register, Targets and Contacts turned into pupils, and the
  ``register check`` report;
- :mod:`.ctf`: a Common Transfer File read as the register;
- :mod:`.census`: the school census's rules every register is checked against;
- :mod:`.workbook`: ``register import``: a transfer file's pupils written into a
  register workbook, new or the SENCo's own.
"""

from __future__ import annotations

from .cell_text import MAX_DETAIL_ROWS, MAX_ROWS
from .columns import DRAFT_FROM, MAX_TARGETS
from .pupils import Register, format_report, load_register, upn_rows
from .table import Cell, find_header, find_sheet, heading_key, read_side_table, read_table, sheet_names
from .values import CellValue, as_text, is_blank, parse_area, parse_date, parse_percent


def __getattr__(name: str) -> object:
    """``register import`` (:mod:`.workbook`, which needs the OOXML wing) is loaded
    when first asked for, so reading a register does not import it."""
    if name in ("ImportResult", "import_transfers"):
        from . import workbook

        return getattr(workbook, name)
    raise AttributeError(f"module 'formkit.register' has no attribute {name!r}")

__all__ = [
    "DRAFT_FROM",
    "MAX_TARGETS",
    "MAX_DETAIL_ROWS",
    "MAX_ROWS",
    "Cell",
    "find_header",
    "find_sheet",
    "read_side_table",
    "heading_key",
    "read_table",
    "sheet_names",
    "as_text",
    "CellValue",
    "is_blank",
    "parse_area",
    "parse_date",
    "parse_percent",
    "format_report",
    "load_register",
    "Register",
    "upn_rows",
    "ImportResult",
    "import_transfers",
]
