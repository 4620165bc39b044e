"""The bundled Word templates (templates/docx, built by scripts/build_templates.py).

Checks the files themselves (page, header rows, loop markers, every tag a field that
formkit/context.py provides) and renders them with plain docxtpl in the sandbox
formkit uses. Invented data only.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm
from docxtpl import DocxTemplate

from formkit.codes import Area, SenStatus
from formkit.documents.context import BANDS, BLANK_TARGET_ROWS, build_context
from formkit.model import Pupil, School, Target, Term

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "docx"
IEP = TEMPLATES / "iep.docx"
SMART = TEMPLATES / "iep_smart.docx"

IEP_COLUMNS = [
    "Target",
    "Achievement criteria",
    "Possible resources & techniques",
    "Possible class strategies/support",
    "Outcome",
]
SMART_COLUMNS = ["No.", "Target", "Baseline %", "Half-term achieved %", "Target achieved %"]
LOOPS = {"targets": "t", "bands": "b"}  # list in the context -> loop variable the templates use

VARIABLE = re.compile(r"\{\{(.*?)\}\}")
STATEMENT = re.compile(r"\{%(.*?)%\}")
NAME_PATH = re.compile(r"[a-z_]+(\.[a-z_]+)*")

TARGET_TEXTS = [
    "To read & spell words with 'ch' and 'sh' <digraphs> accurately",
    "To ask an adult for help using a help card when stuck",
    "To write two sentences with a capital letter & a full stop",
]


# --------------------------------------------------------------------------- data


@pytest.fixture
def school() -> School:
    return School(
        name="Hollybrook Primary School",
        address_lines=("Hollybrook Lane", "Exampleton"),
        postcode="EX1 2AB",
        senco="Mrs Amara Okafor",
    )


@pytest.fixture
def term() -> Term:
    return Term(name="Autumn 2026", start=date(2026, 9, 3), end=date(2026, 12, 18), review=date(2026, 12, 9))


def make_pupil(targets: tuple[Target, ...]) -> Pupil:
    return Pupil(
        upn="B801200005001",
        legal_forename="Zoë",
        legal_surname="O'Connor-Nwosu",
        dob=date(2018, 5, 14),
        year=3,
        class_name="3 Willow",
        sen_status=SenStatus.K,
        primary_need="SPLD",
        secondary_need="SEMH",
        pronouns="she",
        strengths="Kind to others; loves drawing & stories",
        concerns="Phonics and spelling",
        parents_can_support="Reading together for 10 minutes each evening",
        targets=targets,
    )


@pytest.fixture
def pupil() -> Pupil:
    return make_pupil(
        (
            Target(target=TARGET_TEXTS[0], area=Area.COGNITION, achievement_criteria="8 of 10 words",
                   resources="Phonics flashcards", strategies="Word mat on desk", baseline=20, half_term=45),
            Target(target=TARGET_TEXTS[1], area=Area.SEMH, achievement_criteria="Unprompted, 4 times a week",
                   resources="Help card", strategies="Check in at the start of each lesson", baseline=0),
            Target(target=TARGET_TEXTS[2], area=Area.COGNITION, baseline=10, half_term=30, achieved=80,
                   outcome="Achieved – move on to three sentences"),
        )
    )


@pytest.fixture
def context(pupil: Pupil, school: School, term: Term) -> dict[str, Any]:
    return build_context(pupil, school, term, date(2026, 9, 3))


# --------------------------------------------------------------------------- helpers


def template_parts(path: Path) -> dict[str, bytes]:
    """The XML parts docxtpl renders: body, headers, footers."""
    with zipfile.ZipFile(path) as z:
        return {
            name: z.read(name)
            for name in z.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name)
        }


def paragraph_texts(path: Path) -> list[str]:
    from lxml import etree

    texts = []
    for xml in template_parts(path).values():
        root = etree.fromstring(xml)
        for p in root.iter(qn("w:p")):
            texts.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return texts


def run_texts(path: Path) -> list[str]:
    from lxml import etree

    return [t.text or "" for xml in template_parts(path).values() for t in etree.fromstring(xml).iter(qn("w:t"))]


def resolve(context: dict[str, Any], dotted: str) -> Any:
    """Walk ``pupil.name`` / ``t.target`` through the context; KeyError if absent."""
    head, *rest = dotted.split(".")
    loop_lists = {var: name for name, var in LOOPS.items()}
    if head in loop_lists:
        items = context[loop_lists[head]]
        assert items, f"{loop_lists[head]} is empty in the test context"
        values = [item for item in items]
    else:
        values = [context[head]]
    for value in values:
        for key in rest:
            value = value[key]
        assert isinstance(value, str), f"{dotted} is not a string but {type(value).__name__}"
    return values


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def table_starting(document, header: list[str]):
    for table in document.tables:
        if [c.text for c in table.rows[0].cells] == header:
            return table
    raise AssertionError(f"no table with header row {header}")


def render(path: Path, context: dict[str, Any], out: Path):
    env = jinja2.sandbox.SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = DocxTemplate(path)
    template.render(context, jinja_env=env)
    template.save(out)
    return Document(out)


# --------------------------------------------------------------------------- the files


def test_iep_is_a4_landscape():
    section = Document(IEP).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert abs(section.page_width - Cm(29.7)) < Cm(0.05)
    assert abs(section.page_height - Cm(21.0)) < Cm(0.05)


def test_smart_is_a4():
    section = Document(SMART).sections[0]
    assert abs(min(section.page_width, section.page_height) - Cm(21.0)) < Cm(0.05)
    assert abs(max(section.page_width, section.page_height) - Cm(29.7)) < Cm(0.05)


@pytest.mark.parametrize("path, header", [(IEP, IEP_COLUMNS), (SMART, SMART_COLUMNS)])
def test_target_table_header_row(path, header):
    table = table_starting(Document(path), header)
    tr_pr = table.rows[0]._tr.trPr
    assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None, "header row should repeat on each page"
    assert table.style.name == "Table Grid"


@pytest.mark.parametrize("path, header, loop", [
    (IEP, IEP_COLUMNS, "{%tr for t in targets %}"),
    (SMART, SMART_COLUMNS, "{%tr for t in targets %}"),
    (SMART, ["Band", "What it looks like"], "{%tr for b in bands %}"),
])
def test_row_loop_markers_in_rows_of_their_own(path, header, loop):
    table = table_starting(Document(path), header)
    rows = [{cell.text for cell in row.cells} for row in table.rows]
    assert rows[1] == {loop}
    assert rows[3] == {"{%tr endfor %}"}
    assert len(rows) == 4
    data = table.rows[2]
    assert not any("{%" in cell.text for cell in data.cells)
    assert data._tr.trPr.find(qn("w:cantSplit")) is not None


@pytest.mark.parametrize("path", [IEP, SMART], ids=["iep", "iep_smart"])
def test_every_tag_is_in_one_run(path):
    for text in run_texts(path):
        opened = text.count("{{") + text.count("{%")
        closed = text.count("}}") + text.count("%}")
        assert opened == closed, f"a tag is split across runs near {text!r}"


@pytest.mark.parametrize("path", [IEP, SMART], ids=["iep", "iep_smart"])
def test_every_variable_is_in_the_context(path, context):
    used = set()
    for text in paragraph_texts(path):
        for statement in STATEMENT.findall(text):
            words = statement.split()
            assert words == ["tr", "endfor"] or (
                len(words) == 5 and words[:2] == ["tr", "for"] and words[3] == "in"
                and LOOPS.get(words[4]) == words[2]
            ), f"unexpected statement {{%{statement}%}}"
        for expression in VARIABLE.findall(text):
            name = expression.strip()
            assert NAME_PATH.fullmatch(name), f"tag {{{{{expression}}}}} is not a plain field name"
            used.add(name)
    assert used
    for name in sorted(used):
        try:
            resolve(context, name)
        except KeyError:
            pytest.fail(f"{{{{ {name} }}}} in {path.name} is not provided by formkit.context.build_context")
    assert {"pupil.name", "pupil.dob", "school.name", "iep.start_date", "iep.review_date"} <= used


# --------------------------------------------------------------------------- rendering


def test_render_iep(context, tmp_path):
    document = render(IEP, context, tmp_path / "iep.docx")
    text = all_text(document)
    assert "{{" not in text and "{%" not in text
    assert "Zoë O'Connor-Nwosu" in text
    assert "14/05/2018" in text
    assert "INDIVIDUAL EDUCATION PLAN – 2-Cognition and learning; 3-Social, emotional and mental health" in text
    table = table_starting(document, IEP_COLUMNS)
    rows = table.rows[1:]
    assert len(rows) == 3
    for row, target in zip(rows, context["targets"]):
        assert [c.text for c in row.cells] == [
            target["target"], target["achievement_criteria"], target["resources"],
            target["strategies"], target["outcome"],
        ]
    assert [row.cells[0].text for row in rows] == TARGET_TEXTS  # '&' and '<' as typed
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Confidential – Zoë O'Connor-Nwosu – Hollybrook Primary School")
    header = document.sections[0].header.paragraphs[0].text
    assert "Hollybrook Primary School" in header and "CONFIDENTIAL" in header


def test_render_smart(context, tmp_path):
    document = render(SMART, context, tmp_path / "iep_smart.docx")
    text = all_text(document)
    assert "{{" not in text and "{%" not in text
    assert "Zoë O'Connor-Nwosu" in text
    assert "14/05/2018" in text
    rows = table_starting(document, SMART_COLUMNS).rows[1:]
    assert [[c.text for c in row.cells] for row in rows] == [
        ["1", TARGET_TEXTS[0] + "\nCognition and learning", "20%", "45%", ""],
        ["2", TARGET_TEXTS[1] + "\nSocial, emotional and mental health", "0%", "", ""],
        ["3", TARGET_TEXTS[2] + "\nCognition and learning", "10%", "30%", "80%"],
    ]
    bands = table_starting(document, ["Band", "What it looks like"]).rows[1:]
    assert [(r.cells[0].text, r.cells[1].text) for r in bands] == list(BANDS)


@pytest.mark.parametrize("path, header", [(IEP, IEP_COLUMNS), (SMART, SMART_COLUMNS)])
def test_pupil_without_targets_gets_blank_rows(path, header, school, term, tmp_path):
    context = build_context(make_pupil(()), school, term, date(2026, 9, 3))
    document = render(path, context, tmp_path / path.name)
    rows = table_starting(document, header).rows[1:]
    assert len(rows) == BLANK_TARGET_ROWS
    for row in rows:
        assert not any(c.text.strip() for c in row.cells[1:])
