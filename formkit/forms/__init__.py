"""The forms wing: fillable forms for teachers, and reading them back.

- :mod:`.fields`: the forms' fields, labels, types and rating scales;
- :mod:`.generate`: writing forms pre-filled from the register (Word and PDF);
- :mod:`.read`: reading returned forms, a report per file;
- :mod:`.docx_form`, :mod:`.pdf_form`, :mod:`.tracker`: one reader per format;
- :mod:`.record`: typed values, and pupils matched to the register.
"""

from __future__ import annotations

from .fields import FORMS, KINDS, FormsConfig, form_def
from .generate import form_from_record, generate_forms, generate_pdf_forms
from .read import ReadReport, read_forms, records_table
from .record import FormRecord, PupilIndex
from .tracker import TRACKER_COLUMNS

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
