"""Shared helpers: small real .docx templates built with python-docx."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import docx
import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "docxtpl"


def make_docx(path: Path, paragraphs: Sequence[str | Sequence[tuple[str, bool]]]) -> Path:
    """A .docx with one paragraph per item; an item given as (text, bold) pairs is
    written as several runs, as Word splits a tag typed with mixed formatting."""
    document = docx.Document()
    for item in paragraphs:
        paragraph = document.add_paragraph()
        runs = [(item, False)] if isinstance(item, str) else item
        for text, bold in runs:
            paragraph.add_run(text).bold = bold
    document.save(path)
    return path


def docx_text(data: bytes | Path) -> str:
    """All paragraph and table-cell text of a .docx, one paragraph per line."""
    document = docx.Document(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def part(data: bytes, name: str = "word/document.xml") -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


OWN_SCHOOL = {
    "name": "Elm Street Academy",
    "address": ["1 Elm Street", "Exampleford"],
    "postcode": "EX9 9ZZ",
    "phone": "01632 960999",
    "email": "office@elmstreet.example.sch.uk",
    "senco": "Mr Tom Reyes",
    "head_teacher": "Ms Jo Lindqvist",
    "letter_signatory": "Mr Tom Reyes, SENCo",
}
"""An invented school's details, as a SENCo fills them in after 'formkit init'."""


def fill_in_school(toml: Path, **details: object) -> Path:
    """Replace every FILL IN line of the [school] section that 'formkit init'
    wrote with OWN_SCHOOL's value (or ``details``'), as the SENCo does."""
    import json
    import re

    values = OWN_SCHOOL | details
    text = toml.read_text(encoding="utf-8")
    for key, value in values.items():
        text = re.sub(rf"(?m)^{key} = .*$", lambda _m: f"{key} = {json.dumps(value, ensure_ascii=False)}", text,
                      count=1)
    toml.write_text(text, encoding="utf-8")
    return toml


@pytest.fixture(scope="session")
def sample_settings():
    """The bundled sample school's settings (Hollybrook Primary)."""
    from formkit.resources import bundled
    from formkit.settings import load_settings

    return load_settings(None, cwd=bundled("samples"))


@pytest.fixture(scope="session")
def sample_register():
    """The bundled sample register, read once."""
    from formkit.register import load_register
    from formkit.resources import bundled

    return load_register(bundled("samples", "register.xlsx"))


@pytest.fixture
def docx_factory(tmp_path: Path):
    def build(*paragraphs: str | Sequence[tuple[str, bool]], name: str = "t.docx") -> Path:
        return make_docx(tmp_path / name, paragraphs)

    return build


@pytest.fixture(autouse=True)
def _work_in_a_temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in its own folder, so nothing (an audit log, a demo) lands in the repo."""
    monkeypatch.chdir(tmp_path)
