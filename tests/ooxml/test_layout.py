"""A form's layout: the controls found without the table model are the controls
the table model holds, in the same order, so reading by tag first loses nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from formkit.forms.docx_form import read_docx
from formkit.ooxml import read_layouts

RETURNED = Path(__file__).resolve().parents[2] / "samples" / "returned"
FORMS = sorted(RETURNED.glob("*.docx"))


def _seen(layouts):
    return [[(c.kind, c.tag, c.alias, c.text, c.checked, c.full_date, c.items, c.label) for c in layout.controls]
            for layout in layouts]


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_controls_without_tables_are_the_tables_controls(path):
    quick = read_layouts(path)
    slow = read_layouts(path)
    for layout in slow:
        assert layout.tables is not None  # the table model built first: controls come from its cells
    assert _seen(quick) == _seen(slow)
    if "school referral form" not in path.name:  # the school's own form has no controls, only labels
        assert sum(len(layout.controls) for layout in quick) > 0


def test_a_form_whose_tags_find_every_field_is_read_without_its_tables(monkeypatch):
    from formkit.ooxml import layout as layout_module

    built = []
    real = layout_module.Layout.tables.fget

    def counted(self):
        built.append(self)
        return real(self)

    monkeypatch.setattr(layout_module.Layout, "tables", property(counted))
    raw = read_docx(RETURNED / "Kirkwood, Sam - Impact.docx")
    assert raw.values and all(v.how == "tag" for v in raw.values.values())
    assert built == []
    raw = read_docx(RETURNED / "Thompson, Oliver - Impact (saved in LibreOffice).docx")
    assert built  # LibreOffice dropped the tags: the labels in the tables are read
    assert raw.values["intervention"].text
