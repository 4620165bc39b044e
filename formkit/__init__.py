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

_MODEL = ("Contact", "Pupil", "School", "Target", "Term")


def __getattr__(name: str) -> object:
    """The records are imported when first asked for, so that ``import formkit``
    (and the command line's start) loads no more than the errors."""
    if name in _MODEL:
        from . import model

        return getattr(model, name)
    raise AttributeError(f"module 'formkit' has no attribute {name!r}")


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
