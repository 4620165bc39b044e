"""A choice answered in words on a school's own referral form: typed beside its
label, or left standing when the other option was deleted. Read as the teacher
meant it; a warning only when the words really leave it open."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from formkit.forms.read import read_forms

from tests.formhelpers import REGISTER

NOTHING = "neither SEND nor PASTORAL is ticked as the nature of concern"  # as for any form with nothing chosen


def own_form(path: Path, choice: list[tuple[str, ...]], paragraphs: tuple[str, ...] = ()) -> Path:
    """A school's own referral form, made in Word without content controls."""
    document = docx.Document()
    document.add_paragraph("Request for SEND or PASTORAL support")
    for text in paragraphs:
        document.add_paragraph(text)
    rows = [*choice, ("Child's name", "Grace Adeyemi"), ("D.O.B", "22/01/2016"), ("Referred by", "Ms Lawrence"),
            ("Reasons for referral", "Struggles to retain number facts")]
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for cells, texts in zip(table.rows, rows):
        for cell, text in zip(cells.cells, texts):
            cell.text = text
    document.save(str(path))
    return path


@pytest.mark.parametrize("choice, paragraphs, chosen", [
    ([("Nature of concern", "Pastoral")], (), ["PASTORAL"]),
    ([("Type of concern", "SEND and pastoral")], (), ["SEND", "PASTORAL"]),
    ([("SEND / PASTORAL", "send")], (), ["SEND"]),
    ([], ("Nature of concern: SEND",), ["SEND"]),
    ([("SEND (delete as appropriate)", "")], (), ["SEND"]),
    ([("/ PASTORAL", "")], (), ["PASTORAL"]),
    ([("SEND", "", "", "")], (), ["SEND"]),  # the PASTORAL label and its box deleted
    ([("SEND", "", "PASTORAL", "X")], (), ["PASTORAL"]),  # ticked beside its label, as before
], ids=["typed beside the label", "both typed", "typed beside the options", "after a colon",
        "the other deleted", "the first deleted", "a label and box deleted", "a tick"])
def test_a_choice_in_words_is_read(tmp_path, choice, paragraphs, chosen):
    report = read_forms([own_form(tmp_path / "form.docx", choice, paragraphs)], register=REGISTER)
    assert report.ok, report.text()
    assert report.records[0].values["concern_type"] == chosen
    assert not [p for p in report.files[0].problems if p.field == "concern_type"], report.text()


@pytest.mark.parametrize("choice, paragraphs", [
    ([("SEND / PASTORAL (delete as appropriate)", "")], ()),
    ([("SEND", "", "PASTORAL", "")], ()),
    ([("Nature of concern", "")], ()),
], ids=["nothing deleted", "neither ticked", "nothing typed"])
def test_a_choice_left_as_the_blank_form_has_it_is_unanswered_without_a_warning(tmp_path, choice, paragraphs):
    report = read_forms([own_form(tmp_path / "form.docx", choice, paragraphs)], register=REGISTER)
    assert report.records[0].values["concern_type"] == []
    assert [p.message for p in report.files[0].problems if p.field == "concern_type"] == [NOTHING], report.text()


@pytest.mark.parametrize("typed, warning", [
    ("SEND or pastoral?", "'SEND or pastoral?' gives both as alternatives; delete the one that does not apply"),
    ("not SEND", "'not SEND' does not say which; delete the options that do not apply, or tick one"),
    ("behaviour", "'behaviour' names neither SEND nor PASTORAL; write one, or both"),
])
def test_an_answer_that_leaves_it_open_is_a_warning(tmp_path, typed, warning):
    report = read_forms([own_form(tmp_path / "form.docx", [("Nature of concern", typed)])], register=REGISTER)
    assert report.records[0].values["concern_type"] == []
    assert [p.message for p in report.files[0].problems if p.field == "concern_type"] == [warning, NOTHING]
