"""Helpers for the form tests: generate a form, and fill it as a teacher would."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx

from formkit.forms.fields import FormsConfig
from formkit.forms.generate import FormTemplate, form_context, template_path
from formkit.register.pupils import load_register
from formkit.resources import bundled
from formkit.settings import load_settings

SETTINGS = load_settings(None, cwd=bundled("samples"))
REGISTER = load_register(bundled("samples", "register.xlsx"), column_map=SETTINGS.column_map)
TERM_START = date(2026, 9, 3)


def blank_form(kind: str, upn: str, config: FormsConfig | None = None) -> bytes:
    """A generated, pre-filled form for the sample pupil with ``upn``."""
    pupil = REGISTER.by_upn(upn)
    template = FormTemplate(template_path(kind, SETTINGS), config or FormsConfig())
    return template.render(form_context(pupil, SETTINGS, "Autumn 2026", TERM_START), pupil=pupil.label)


def type_into_cells(data: bytes, typed: dict[str, str]) -> bytes:
    """Type text into the (empty) cell beside each label, with python-docx, as a
    teacher does in a form that has lost its controls; a label may be given as
    'Label@below' to type into the cell under it."""
    document = docx.Document(io.BytesIO(data))
    for label, text in typed.items():
        name, _, where = label.partition("@")
        done = False
        for table in document.tables:
            rows = table.rows
            for r, row in enumerate(rows):
                cells = row.cells
                for i, cell in enumerate(cells):
                    if done or cell.text.strip() != name:
                        continue
                    if where == "below":
                        target = rows[r + 1].cells[i]
                    else:
                        target = next(c for c in cells[i + 1:] if c._tc is not cell._tc)
                    for paragraph in target.paragraphs[1:]:
                        paragraph._p.getparent().remove(paragraph._p)
                    target.paragraphs[0].text = text
                    done = True
        assert done, f"no cell labelled {label}"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_resave(files: list[Path], out: Path, profile: Path) -> list[Path]:
    """Open and save ``files`` as .docx with LibreOffice, in one soffice call."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "docx",
                    "--outdir", str(out), *map(str, files)], check=True, timeout=240, capture_output=True)
    return [out / f.name for f in files]
