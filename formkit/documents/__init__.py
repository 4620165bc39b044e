"""The documents wing: Word templates compiled once and rendered for each pupil.

- :mod:`.sandbox`: the Jinja sandbox and the limits every template runs under;
- :mod:`.template`: :class:`CompiledTemplate`, rendering and readable errors;
- :mod:`.fields`: the fields a template uses, and which a context lacks;
- :mod:`.context`: the data a template sees for one pupil;
- :mod:`.batch`: one document per pupil, written safely, with a manifest;
- :mod:`.check`: ``formkit templates check``;
- :mod:`.pdf`: the one module that runs LibreOffice (documents to PDF);
- :mod:`.joined`: many documents converted as one joined document, cut back by page;
- :mod:`.pdf_text`: the text of PDF pages, read fast (for checking every page);
- :mod:`.preview`: one document as a PDF, or its text without LibreOffice.

The names are loaded when first used (each from its own module), so a caller
that needs the date helpers or the rating bands does not load docxtpl, pypdf or
LibreOffice's runner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from .batch import (
        BatchReport,
        DocumentResult,
        document_path,
        document_stem,
        generate,
        preflight,
        render_one,
        resolve_template,
        unreadable_results,
        write_batch,
    )
    from .check import check_template
    from .context import BANDS, build_context, target_context, uk_date
    from .fields import empty_fields
    from .joined import JoinedConversion, JoinItem, convert_joined
    from .manifest import merge_csv
    from .pdf import convert, find_soffice, missing_fonts
    from .preview import Preview, preview_document
    from .sandbox import TextTemplate, make_environment
    from .template import TERM_PROPERTY, UPN_PROPERTY, CompiledTemplate

_HOME = {
    "BatchReport": "batch",
    "DocumentResult": "batch",
    "document_path": "batch",
    "document_stem": "batch",
    "generate": "batch",
    "preflight": "batch",
    "render_one": "batch",
    "resolve_template": "batch",
    "unreadable_results": "batch",
    "write_batch": "batch",
    "check_template": "check",
    "BANDS": "context",
    "build_context": "context",
    "target_context": "context",
    "uk_date": "context",
    "empty_fields": "fields",
    "JoinedConversion": "joined",
    "JoinItem": "joined",
    "convert_joined": "joined",
    "merge_csv": "manifest",
    "convert": "pdf",
    "find_soffice": "pdf",
    "missing_fonts": "pdf",
    "Preview": "preview",
    "preview_document": "preview",
    "TextTemplate": "sandbox",
    "make_environment": "sandbox",
    "TERM_PROPERTY": "template",
    "UPN_PROPERTY": "template",
    "CompiledTemplate": "template",
}


__getattr__ = lazy_names(__name__, _HOME, globals())


__all__ = [
    "merge_csv",
    "make_environment",
    "TextTemplate",
    "empty_fields",
    "CompiledTemplate",
    "UPN_PROPERTY",
    "TERM_PROPERTY",
    "BANDS",
    "build_context",
    "target_context",
    "uk_date",
    "BatchReport",
    "document_path",
    "document_stem",
    "DocumentResult",
    "generate",
    "preflight",
    "render_one",
    "resolve_template",
    "unreadable_results",
    "write_batch",
    "check_template",
    "convert",
    "convert_joined",
    "JoinedConversion",
    "JoinItem",
    "find_soffice",
    "missing_fonts",
    "Preview",
    "preview_document",
]
