"""The OOXML wing: the one place that reads or writes .docx and .xlsx XML directly.

- :mod:`.docx_package`: a Word package read once, its parts as docxtpl sees
  them, new packages written with only the rendered parts changed;
- :mod:`.wordml`: WordprocessingML names and Word's placeholder prompts;
- :mod:`.controls`: making, finalising, filling and stripping content controls;
- :mod:`.joined`: rendered documents of one template joined into one, to convert once;
- :mod:`.styles`: the styles a document uses, and a copy with only those;
- :mod:`.layout`: reading a part as a form (tables, cells, controls, labels);
- :mod:`.xlsx_package`: reading a workbook's package, sheets, tables and cells
  with where each sits in the bytes;
- :mod:`.sheet_editor`: changing cells and appending rows in place;
- :mod:`.new_sheet`: a plain sheet added to a workbook, every other part kept;
- :mod:`.workbook_file`: the user's workbook on disk: refused while open, checked,
  backed up and swapped in whole.

Nothing here imports a job wing: what a job knows (a form's fields, a map's
columns) is passed in.
"""

from __future__ import annotations

from .controls import clear_prompts_document, fill_document, finalise_part, strip_document
from .docx_package import (
    CORE_PART,
    CUSTOM_PART,
    BodySlot,
    BrokenXML,
    DocxPackage,
    external_targets,
    parse_rendered,
    serialize,
    tables_need_fixing,
    text_of,
)
from .joined import JOIN_MARK, Joinable, read_joinable, write_joined
from .styles import trim_styles
from .layout import Control, Layout, LayoutCell, read_layouts, text_lines
from .new_sheet import NewSheet, add_sheet
from .row_heights import fit_heights, lines_needed
from .sheet_editor import Change, SheetEditor, build_package, recalc_workbook_xml
from .workbook_file import (
    build_edits,
    lock_files,
    read_bytes,
    refuse_if_open,
    refuse_unsafe,
    save_edits,
    verify_edits,
)
from .wordml import (
    CHECKED,
    CHOICE_PLACEHOLDER,
    DATE_PLACEHOLDER,
    PLACEHOLDERS,
    TEXT_PLACEHOLDER,
    TICKS,
    UNCHECKED,
)
from .xlsx_package import Cell, Table, Value, Worksheet, XlsxPackage, show
from .sheet_columns import column_values, row_values

__all__ = [
    "CORE_PART",
    "CUSTOM_PART",
    "BodySlot",
    "BrokenXML",
    "DocxPackage",
    "external_targets",
    "parse_rendered",
    "serialize",
    "tables_need_fixing",
    "text_of",
    "CHECKED",
    "CHOICE_PLACEHOLDER",
    "DATE_PLACEHOLDER",
    "PLACEHOLDERS",
    "TEXT_PLACEHOLDER",
    "TICKS",
    "UNCHECKED",
    "clear_prompts_document",
    "fill_document",
    "finalise_part",
    "strip_document",
    "JOIN_MARK",
    "Joinable",
    "read_joinable",
    "write_joined",
    "trim_styles",
    "Control",
    "Layout",
    "column_values",
    "row_values",
    "LayoutCell",
    "read_layouts",
    "text_lines",
    "Cell",
    "show",
    "Table",
    "Value",
    "Worksheet",
    "XlsxPackage",
    "build_package",
    "Change",
    "recalc_workbook_xml",
    "SheetEditor",
    "fit_heights",
    "lines_needed",
    "NewSheet",
    "add_sheet",
    "build_edits",
    "lock_files",
    "read_bytes",
    "refuse_if_open",
    "refuse_unsafe",
    "save_edits",
    "verify_edits",
]
