"""A look at one document before the batch: as a PDF when LibreOffice is there,
else as its text, so a SENCo can check a template with one pupil first."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConversionError
from ..ooxml import text_lines
from .pdf import convert, find_soffice


@dataclass(frozen=True)
class Preview:
    """One document made ready to look at. ``pdf`` is its PDF (beside it), or
    None when there is none: then ``lines`` hold its text and ``note`` says why
    there is no PDF."""

    document: Path
    pdf: Path | None = None
    lines: list[str] = field(default_factory=list)
    note: str = ""


def preview_document(document: Path, *, soffice: str | Path | None = None) -> Preview:
    """Make ``document`` (a .docx formkit wrote) ready to look at: converted to
    PDF beside it by LibreOffice when LibreOffice is installed and the
    conversion works, else read as text (the reason in ``note``). Raises
    InputFileError only if the document cannot be read at all."""
    try:
        program = find_soffice(soffice)
    except ConversionError as exc:
        return Preview(document, None, text_lines(document), str(exc))
    dest = document.with_suffix(".pdf")
    try:
        result = convert([(document, dest)], soffice=program)
    except ConversionError as exc:
        return Preview(document, None, text_lines(document), str(exc))
    if document in result.failed or not dest.is_file():
        why = result.failed.get(document, "LibreOffice did not write a PDF for it")
        return Preview(document, None, text_lines(document), f"{document.name}: {why}")
    return Preview(document, dest)
