"""formkit: SEN paperwork for English schools, in Word and Excel.

The library is the product; the ``formkit`` command is a thin layer over it.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import (
    FormkitError,
    InputFileError,
    OutputError,
    Problem,
    RegisterError,
    SettingsError,
    TemplateError,
)
from .model import Contact, Pupil, School, Target, Term

__all__ = [
    "__version__",
    "FormkitError",
    "InputFileError",
    "OutputError",
    "Problem",
    "RegisterError",
    "SettingsError",
    "TemplateError",
    "Contact",
    "Pupil",
    "School",
    "Target",
    "Term",
]
