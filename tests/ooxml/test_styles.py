"""Templates carry only the styles they use: every shipped one, and the trim itself."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from formkit.ooxml.styles import STYLE_PARTS, trim_styles, unused_styles

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "docx"


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.docx")), ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_every_shipped_template_carries_only_the_styles_it_uses(path):
    data = path.read_bytes()
    assert unused_styles(data) == [], "run scripts/trim_template_styles.py"
    styles = docx.Document(io.BytesIO(data)).styles
    assert 10 <= len(styles) <= 25
    assert {"Normal", "Header", "Footer"} <= {style.name for style in styles}


def test_trimming_keeps_the_styles_used_their_chains_and_defaults_and_every_other_part(tmp_path):
    document = docx.Document()
    document.add_paragraph("A heading", style="Heading 1")
    document.add_paragraph("Quoted", style="Intense Quote")
    buffer = io.BytesIO()
    document.save(buffer)
    before = buffer.getvalue()
    after = trim_styles(before)
    kept = {style.style_id for style in docx.Document(io.BytesIO(after)).styles}
    assert {"Heading1", "Heading1Char", "IntenseQuote", "IntenseQuoteChar", "Normal", "DefaultParagraphFont",
            "TableNormal", "NoList"} <= kept
    assert "Title" not in kept and "Caption" not in kept and len(kept) < 25
    assert unused_styles(after) == []
    old, new = zipfile.ZipFile(io.BytesIO(before)), zipfile.ZipFile(io.BytesIO(after))
    assert [i.filename for i in old.infolist()] == [i.filename for i in new.infolist()]
    for name in old.namelist():
        if name not in STYLE_PARTS:
            assert old.read(name) == new.read(name), name
    assert b"w:latentStyles" in new.read("word/styles.xml") and b"w:docDefaults" in new.read("word/styles.xml")
