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
- :mod:`.sheet_values`: a workbook's cell values, streamed, for reading a register or list;
- :mod:`.number_formats`: Excel's built-in number formats and which show dates;
- :mod:`.sheet_editor`: changing cells and appending rows in place;
- :mod:`.new_sheet`: a plain sheet added to a workbook, every other part kept;
- :mod:`.workbook_file`: the user's workbook on disk: refused while open, checked,
  backed up and swapped in whole.

Nothing here imports a job wing: what a job knows (a form's fields, a map's
columns) is passed in.

The names are loaded when first used (each from its own module), so a caller
that reads a workbook's values does not load the Word modules, and the other
way round.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from .controls import clear_prompts_document, fill_document, finalise_part, strip_document
    from .docx_package import (
        BodySlot,
        BrokenXML,
        CORE_PART,
        CUSTOM_PART,
        DocxFile,
        DocxPackage,
        external_targets,
        parse_rendered,
        serialize,
        tables_need_fixing,
        text_of,
    )
    from .joined import JOIN_MARK, Joinable, read_joinable, write_joined
    from .layout import Control, Layout, LayoutCell, read_layouts, text_lines
    from .new_sheet import NewSheet, add_sheet
    from .row_heights import fit_heights, lines_needed
    from .sheet_columns import ColumnCell, column_values, row_values
    from .sheet_editor import Change, SheetEditor, recalc_workbook_xml
    from .sheet_values import SheetValue, SheetValues, SheetValuesError
    from .styles import trim_styles
    from .wordml import (
        CHECKED,
        CHOICE_PLACEHOLDER,
        DATE_PLACEHOLDER,
        PLACEHOLDERS,
        TEXT_PLACEHOLDER,
        TICKS,
        UNCHECKED,
    )
    from .workbook_file import (
        build_edits,
        lock_files,
        read_bytes,
        refuse_if_open,
        refuse_unsafe,
        save_edits,
        verify_written,
    )
    from .xlsx_package import Cell, Table, Value, Worksheet, XlsxPackage, show
    from .zip_members import build_package

_HOME = {
    "clear_prompts_document": "controls",
    "fill_document": "controls",
    "finalise_part": "controls",
    "strip_document": "controls",
    "BodySlot": "docx_package",
    "BrokenXML": "docx_package",
    "CORE_PART": "docx_package",
    "CUSTOM_PART": "docx_package",
    "DocxFile": "docx_package",
    "DocxPackage": "docx_package",
    "external_targets": "docx_package",
    "parse_rendered": "docx_package",
    "serialize": "docx_package",
    "tables_need_fixing": "docx_package",
    "text_of": "docx_package",
    "JOIN_MARK": "joined",
    "Joinable": "joined",
    "read_joinable": "joined",
    "write_joined": "joined",
    "Control": "layout",
    "Layout": "layout",
    "LayoutCell": "layout",
    "read_layouts": "layout",
    "text_lines": "layout",
    "NewSheet": "new_sheet",
    "add_sheet": "new_sheet",
    "fit_heights": "row_heights",
    "lines_needed": "row_heights",
    "ColumnCell": "sheet_columns",
    "column_values": "sheet_columns",
    "row_values": "sheet_columns",
    "Change": "sheet_editor",
    "SheetEditor": "sheet_editor",
    "build_package": "zip_members",
    "recalc_workbook_xml": "sheet_editor",
    "SheetValue": "sheet_values",
    "SheetValues": "sheet_values",
    "SheetValuesError": "sheet_values",
    "trim_styles": "styles",
    "CHECKED": "wordml",
    "CHOICE_PLACEHOLDER": "wordml",
    "DATE_PLACEHOLDER": "wordml",
    "PLACEHOLDERS": "wordml",
    "TEXT_PLACEHOLDER": "wordml",
    "TICKS": "wordml",
    "UNCHECKED": "wordml",
    "build_edits": "workbook_file",
    "lock_files": "workbook_file",
    "read_bytes": "workbook_file",
    "refuse_if_open": "workbook_file",
    "refuse_unsafe": "workbook_file",
    "save_edits": "workbook_file",
    "verify_written": "workbook_file",
    "Cell": "xlsx_package",
    "Table": "xlsx_package",
    "Value": "xlsx_package",
    "Worksheet": "xlsx_package",
    "XlsxPackage": "xlsx_package",
    "show": "xlsx_package",
}


__getattr__ = lazy_names(__name__, _HOME, globals())


__all__ = [
    "BodySlot",
    "BrokenXML",
    "CHECKED",
    "CHOICE_PLACEHOLDER",
    "CORE_PART",
    "CUSTOM_PART",
    "Cell",
    "Change",
    "ColumnCell",
    "Control",
    "DATE_PLACEHOLDER",
    "DocxFile",
    "DocxPackage",
    "JOIN_MARK",
    "Joinable",
    "Layout",
    "LayoutCell",
    "NewSheet",
    "PLACEHOLDERS",
    "SheetEditor",
    "SheetValue",
    "SheetValues",
    "SheetValuesError",
    "TEXT_PLACEHOLDER",
    "TICKS",
    "Table",
    "UNCHECKED",
    "Value",
    "Worksheet",
    "XlsxPackage",
    "add_sheet",
    "build_edits",
    "build_package",
    "clear_prompts_document",
    "column_values",
    "external_targets",
    "fill_document",
    "finalise_part",
    "fit_heights",
    "lines_needed",
    "lock_files",
    "parse_rendered",
    "read_bytes",
    "read_joinable",
    "read_layouts",
    "recalc_workbook_xml",
    "refuse_if_open",
    "refuse_unsafe",
    "row_values",
    "save_edits",
    "serialize",
    "show",
    "strip_document",
    "tables_need_fixing",
    "text_lines",
    "text_of",
    "trim_styles",
    "verify_written",
    "write_joined",
]
