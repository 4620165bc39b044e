"""The forms wing: fillable forms for teachers, and reading them back.

- :mod:`.fields`: the forms' fields, labels, types and rating scales;
- :mod:`.generate`: writing forms pre-filled from the register (Word and PDF);
- :mod:`.read`: reading returned forms, a report per file;
- :mod:`.docx_form`, :mod:`.pdf_form`, :mod:`.tracker`: one reader per format;
- :mod:`.record`: typed values, and pupils matched to the register.

The names are loaded when first used (each from its own module), so reading
returned forms (for the provision map, say) does not load the Word template
engine or the PDF libraries that writing forms needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from .fields import FORMS, KINDS, FormsConfig, form_def
    from .generate import form_from_record, generate_forms, generate_pdf_forms
    from .read import ReadReport, read_forms, records_table
    from .record import FormRecord, PupilIndex
    from .tracker import TRACKER_COLUMNS

_HOME = {
    "FORMS": "fields",
    "KINDS": "fields",
    "FormsConfig": "fields",
    "form_def": "fields",
    "form_from_record": "generate",
    "generate_forms": "generate",
    "generate_pdf_forms": "generate",
    "ReadReport": "read",
    "read_forms": "read",
    "records_table": "read",
    "FormRecord": "record",
    "PupilIndex": "record",
    "TRACKER_COLUMNS": "tracker",
}


__getattr__ = lazy_names(__name__, _HOME, globals())


__all__ = [
    "FORMS",
    "KINDS",
    "form_def",
    "FormsConfig",
    "FormRecord",
    "PupilIndex",
    "read_forms",
    "records_table",
    "ReadReport",
    "form_from_record",
    "generate_forms",
    "generate_pdf_forms",
    "TRACKER_COLUMNS",
]
