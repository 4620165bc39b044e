"""The compiled template: docxtpl's output, sandboxed, escaped and strict."""

from __future__ import annotations

import io
import json
import re

import docx
import pytest
from docxtpl import DocxTemplate
from lxml import etree

from formkit.errors import InputFileError, TemplateError
from formkit.documents.template import CompiledTemplate, make_environment, missing_fields

from tests.conftest import CORPUS, REPO, docx_text, part


def normalised(xml: bytes) -> bytes:
    """Canonical XML (C14N) with whitespace between tags removed."""
    canonical = etree.tostring(etree.fromstring(xml), method="c14n")
    return re.sub(rb">\s+<", b"><", canonical).strip()


def docxtpl_render(path, context) -> bytes:
    reference = DocxTemplate(str(path))
    reference.render(context, jinja_env=make_environment())
    out = io.BytesIO()
    reference.save(out)
    return out.getvalue()


CORPUS_CASES = sorted(p.stem for p in (CORPUS / "contexts").glob("*.json")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="docxtpl corpus (../shared/corpus/docxtpl) is absent")
@pytest.mark.parametrize("stem", CORPUS_CASES)
def test_corpus_renders_as_docxtpl_does(stem):
    template = CORPUS / f"{stem}.docx"
    context = json.loads((CORPUS / "contexts" / f"{stem}.json").read_text())
    ours = CompiledTemplate(template).render(context)
    theirs = docxtpl_render(template, context)
    assert normalised(part(ours)) == normalised(part(theirs))
    for name in zipfile_names(theirs):
        if re.fullmatch(r"word/(header|footer)\d*\.xml", name):
            assert normalised(part(ours, name)) == normalised(part(theirs, name)), name


def test_corpus_is_present_where_expected():
    if not CORPUS.is_dir():
        pytest.skip("docxtpl corpus is absent")
    assert len(CORPUS_CASES) >= 10


def zipfile_names(data: bytes) -> list[str]:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_compiled_template_renders_many_documents_each_with_its_own_data(docx_factory):
    compiled = CompiledTemplate(docx_factory("Name: {{ pupil.name }}", "DOB: {{ pupil.dob }}"))
    first = compiled.render({"pupil": {"name": "Zoë O'Connor", "dob": "01/02/2018"}})
    second = compiled.render({"pupil": {"name": "Bartosz Wiśniewski", "dob": "03/04/2017"}})
    assert "Name: Zoë O'Connor\nDOB: 01/02/2018" in docx_text(first)
    assert "Bartosz" not in docx_text(first)
    assert "Name: Bartosz Wiśniewski\nDOB: 03/04/2017" in docx_text(second)
    assert "Zoë" not in docx_text(second)


def test_same_data_gives_identical_bytes(docx_factory):
    compiled = CompiledTemplate(docx_factory("{{ a }}"))
    assert compiled.render({"a": "x"}) == compiled.render({"a": "x"})


def test_ampersand_and_angle_brackets_come_out_as_typed(docx_factory):
    out = CompiledTemplate(docx_factory("Strategy: {{ s }}")).render({"s": "Talk & draw; < 5 prompts > none"})
    assert "Strategy: Talk & draw; < 5 prompts > none" in docx_text(out)


def test_line_breaks_in_data_become_word_line_breaks(docx_factory):
    out = CompiledTemplate(docx_factory("{{ s }}")).render({"s": "first\nsecond"})
    assert b"<w:br/>" in part(out)
    assert "first\nsecond" in docx_text(out)


def test_missing_field_names_template_tag_paragraph_and_pupil(docx_factory):
    compiled = CompiledTemplate(docx_factory("Intro", "Class teacher: {{ pupil.teacher }}"))
    with pytest.raises(TemplateError) as caught:
        compiled.render({"pupil": {"name": "Jo"}}, pupil="Jo Smith (B801200005001)")
    assert str(caught.value) == (
        "t.docx, pupil Jo Smith (B801200005001): {{ pupil.teacher }} in the paragraph "
        "\"Class teacher: {{ pupil.teacher }}\" needs 'teacher', which the data does not supply. "
        "Check the spelling against the fields in docs/templates.md, or run 'formkit templates check'"
    )
    assert caught.value.tag == "{{ pupil.teacher }}"


def test_missing_top_level_name_is_an_error_not_a_blank(docx_factory):
    with pytest.raises(TemplateError, match="needs 'school'"):
        CompiledTemplate(docx_factory("{{ school.name }}")).render({})


@pytest.mark.parametrize(
    ("tag", "attr"),
    [
        ("{{ cycler.__init__.__globals__ }}", "__init__"),
        ("{{ ''.__class__.__mro__ }}", "__class__"),
        ("{{ pupil.__class__.__subclasses__() }}", "__class__"),
        ("{{ pupil['_secret'] }}", "_secret"),
    ],
)
def test_templates_cannot_reach_python_internals(docx_factory, tag, attr):
    with pytest.raises(TemplateError) as caught:
        CompiledTemplate(docx_factory(f"Hello {tag}"))
    assert str(caught.value) == (
        f"t.docx: {tag} in the paragraph \"Hello {tag}\" tries to reach Python internals ('{attr}'); "
        "formkit templates may only show data. Remove that tag"
    )


@pytest.mark.parametrize(
    "tag",
    [
        "{{ 'x' * 100000000 }}",
        "{{ 9 ** 9 ** 9 }}",
        "{{ '%099999999d' % 1 }}",
        "{{ 'x'.ljust(999999999) }}",
        "{{ 'x'|center(999999999) }}",
        "{{ '{:>999999999}'.format(1) }}",
        "{{ '{:{w}}'.format('a', w=999999999) }}",
        "{{ '%*s' % (999999999, 'x') }}",
        "{{ 'a\tb'.expandtabs(tabsize=999999999) }}",
        "{{ ('x' * 100000).replace('x', 'a much longer text') }}",
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = [ns.s, ns.s]|join %}{% endfor %}",
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s.join([ns.s, ns.s]) %}{% endfor %}",
        "{% set l = [] %}{% for i in range(100000) %}{% for j in range(1000) %}{{ l.append(i) or '' }}{% endfor %}{% endfor %}"
        .replace("append(i)", "append('x' * 100000)"),
        "{{ ['x' * 100000] * 100000 }}",
        "{{ ([1]|batch(500000000, 0)|first)|length }}",
        "{{ 'x'|indent(width=999999999) }}",
        "{{ '%.999999f' % 1 }}",
        "{{ lipsum(1000000) }}",
        "{% set ns = namespace(n=3) %}{% for i in range(64) %}{% set ns.n = ns.n * ns.n %}{% endfor %}",
    ],
)
def test_templates_cannot_exhaust_memory_or_time(docx_factory, tag):
    import time

    compiled = CompiledTemplate(docx_factory(f"Hello {tag}"))
    start = time.monotonic()
    with pytest.raises(TemplateError, match=r"asks for too much \(.*(limit|over|too large|exhaust memory)"):
        compiled.render({})
    assert time.monotonic() - start < 1.5


def test_constant_expressions_are_not_computed_when_a_template_loads(docx_factory):
    import time

    start = time.monotonic()
    compiled = CompiledTemplate(docx_factory("{{ ([1]|batch(500000000, 0)|first)|length }}"))
    assert time.monotonic() - start < 1
    with pytest.raises(TemplateError, match="a width of 500,000,000 is over formkit's limit of 10,000"):
        compiled.render({})


def test_ordinary_growth_stays_allowed(docx_factory):
    tags = ("{{ '{:,.2f}'.format(15000.5) }}|{{ 'ab' * 3 }}|{{ [1, 2]|join(', ') }}|{{ 'a b'|replace(' ', '-') }}|"
            "{% set l = [] %}{% for i in range(3) %}{{ l.append(i) or '' }}{% endfor %}{{ l|length }}|{{ 'x' ~ 1 }}|"
            "{{ '%5s' % 'r' }}|{{ 'x'|center(5) }}")
    assert "15,000.50|ababab|1, 2|a-b|3|x1|    r|  x  " in docx_text(CompiledTemplate(docx_factory(tags)).render({}))


def test_a_runaway_loop_is_stopped(docx_factory):
    import time

    compiled = CompiledTemplate(docx_factory("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"))
    start = time.monotonic()
    with pytest.raises(TemplateError, match="took over 2 s to fill in for one pupil"):
        compiled.render({})
    assert time.monotonic() - start < 4


def test_a_huge_output_is_stopped(docx_factory):
    compiled = CompiledTemplate(docx_factory("{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}"))
    with pytest.raises(TemplateError, match="over 32 MB of text|took over"):
        compiled.render({})


def test_word_curly_quotes_inside_tags_are_tolerated(docx_factory):
    compiled = CompiledTemplate(docx_factory("{% if status == \u201cK\u201d %}SEN support{% endif %}"))
    assert "SEN support" in docx_text(compiled.render({"status": "K"}))


def test_tag_split_across_runs_with_mixed_formatting(docx_factory):
    path = docx_factory([("Name: {{ pu", False), ("pil.na", True), ("me }}", False)])
    assert "Name: Amir" in docx_text(CompiledTemplate(path).render({"pupil": {"name": "Amir"}}))


def test_unclosed_tag_is_a_clear_error_naming_the_paragraph(docx_factory):
    with pytest.raises(TemplateError) as caught:
        CompiledTemplate(docx_factory("Fine", "{% for t in targets %}{{ t.target }}"))
    message = str(caught.value)
    assert message.startswith('t.docx: a tag in the paragraph "{% for t in targets %}{{ t.target }}" is broken (')
    assert "{% endfor %}" in message


def test_fields_lists_dotted_paths_through_loops(docx_factory):
    path = docx_factory("{{ pupil.name }} {{ school.name }}", "{% for t in targets %}{{ t.target }} {{ loop.index }}{% endfor %}")
    assert CompiledTemplate(path).fields() == {"pupil.name", "school.name", "targets", "targets[].target"}


def test_missing_fields_checks_inside_lists():
    context = {"pupil": {"name": "x"}, "targets": [{"target": "a"}]}
    assert missing_fields(["pupil.name", "pupil.age", "targets[].target", "targets[].area"], context) == [
        "pupil.age",
        "targets[].area",
    ]


def test_output_is_marked_confidential(docx_factory):
    out = CompiledTemplate(docx_factory("x")).render({})
    properties = docx.Document(io.BytesIO(out)).core_properties
    assert properties.category == "Confidential: SEN information (special category data)"
    assert properties.keywords.split()[0] == "Confidential"


def test_a_file_that_is_not_a_docx_is_refused_by_name(tmp_path):
    fake = tmp_path / "letter.docx"
    fake.write_bytes(b"this is not a zip")
    with pytest.raises(InputFileError) as caught:
        CompiledTemplate(fake)
    assert str(caught.value) == (
        f"{fake}: is not a Word document (.docx): it holds neither a Word or Excel package nor a PDF "
        "(plain text, or damaged). Open it and save it again as a Word document (.docx)"
    )


@pytest.mark.parametrize("name", ["iep", "iep_smart"])
def test_formkit_templates_render_as_docxtpl_does(name):
    from datetime import date

    from formkit.documents.context import build_context
    from formkit.model import Pupil, School, Target, Term

    pupil = Pupil(
        upn="B801200005001", legal_forename="Zoë", legal_surname="O'Connor-Nwosu", dob=date(2018, 5, 4), year=3,
        sen_status="K", primary_need="SPLD",
        targets=(Target(target="Read 20 words & spell 10"), Target(target="< 5 prompts")),
    )
    school = School(name="Hollybrook Primary School", senco="Mrs A. Okafor")
    term = Term(name="Autumn 2026", start=date(2026, 9, 3), end=date(2026, 12, 18))
    context = build_context(pupil, school, term, date(2026, 9, 3))
    template = REPO / "templates" / "docx" / f"{name}.docx"
    ours = CompiledTemplate(template).render(context)
    assert normalised(part(ours)) == normalised(part(docxtpl_render(template, context)))
