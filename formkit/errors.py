"""The errors formkit raises for a user's mistake, and the problems it reports.

Every error a user can cause is a :class:`FormkitError`. Its ``str()`` is one line
that says where (file, row, field, pupil), what is wrong and how to fix it; the CLI
prints it as ``Error: ...`` and exits 1. Anything else escaping formkit is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


class FormkitError(Exception):
    """Base of every error caused by input, settings or templates.

    ``message`` says what is wrong and how to fix it; ``file``, ``row``, ``field``
    and ``pupil`` locate it, and are put in front of the message by ``str()``.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        field: str | None = None,
        pupil: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        self.field = field
        self.pupil = pupil

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"column '{self.field}'")
        if self.pupil:
            parts.append(f"pupil {self.pupil}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class SettingsError(FormkitError):
    """formkit.toml is missing, unreadable or holds a value formkit cannot use."""


class InputFileError(FormkitError):
    """An input file cannot be opened or read as the kind of file it claims to be."""


class RegisterError(FormkitError):
    """The SEN register (or its targets or contacts) cannot be used."""


class TemplateError(FormkitError):
    """A Word template is broken, unsafe, or asks for data that is not there.

    ``fatal`` is False only when the template is sound but one pupil's data lacks
    something it asks for (a batch then names that pupil and goes on).
    """

    def __init__(
        self,
        message: str,
        *,
        template: str | None = None,
        tag: str | None = None,
        paragraph: str | None = None,
        pupil: str | None = None,
        fatal: bool = True,
    ) -> None:
        super().__init__(message, file=template, pupil=pupil)
        self.template = template
        self.tag = tag
        self.paragraph = paragraph
        self.fatal = fatal


class OutputError(FormkitError):
    """An output file or folder cannot be written safely."""


class WorkbookError(FormkitError):
    """The SENCo's workbook cannot be changed safely: it is open, it changed on
    disk, or an update would lose something in it. Nothing has been written."""


class LetterError(FormkitError):
    """A letter cannot be made as asked: a value it needs was not given, or the
    pupils or details for it cannot be used."""


class IdentityError(LetterError):
    """A document to enclose cannot be proved to be the pupil's (by what formkit
    wrote into it, or its exact name and date of birth fields), or says it is
    someone else's. The pupil's letter is not made."""


class ConversionError(FormkitError):
    """LibreOffice is missing or cannot turn documents into PDF."""


Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, found while reading it.

    An ``error`` means the row (or file) cannot be used; a ``warning`` means it is
    used but someone should look. ``row`` is the spreadsheet row number as the user
    sees it (1-based, counting title rows). In an XML file (a Common Transfer File)
    there are no rows: ``pupil`` says which pupil ("Pupil 3 (Ola Nowak, UPN ...)")
    and ``element`` where in it ("SENhistory/SEN[2]/StartDate"). ``topic`` says
    what a problem is about when only some jobs need it ('targets' matter to IEPs,
    not to letters; 'contacts' to letters, not to IEPs).
    """

    severity: Severity
    message: str
    file: str | None = None
    row: int | None = None
    field: str | None = None
    pupil: str | None = None
    element: str | None = None
    topic: str | None = None

    @property
    def what(self) -> str:
        """What is wrong: the message up to its first '; ' (else its first ': ')."""
        return self._split()[0]

    @property
    def fix(self) -> str:
        """How to put it right: the rest of the message after that, or ''."""
        return self._split()[1]

    def _split(self) -> tuple[str, str]:
        for mark in ("; ", ": "):
            what, found, fix = self.message.partition(mark)
            if found:
                return what, fix
        return self.message, ""

    @property
    def warning_text(self) -> str:
        """The text a run prints after its own "Warning: ": a warning without its
        severity ("register.xlsx, row 4, ...: message"), an error with it."""
        return str(self).partition(": ")[2] if self.severity == "warning" else str(self)

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"column '{self.field}'")
        if self.pupil:
            parts.append(self.pupil)
        if self.element:
            parts.append(self.element)
        where = ", ".join(parts)
        label = self.severity.capitalize()
        return f"{label}: {where}: {self.message}" if where else f"{label}: {self.message}"
