"""Templates that would take more than their limits, at load time or by making
huge values, and field mappings for `generate pdf` that try the same: each is
refused with one `Error:` line, exit 1, nothing written, within 5 s and 300 MB.
The real command in its own process; the templates are made here."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest

from formkit.resources import bundled
from tests.hostile.test_hostile import MAX_RSS_MB, MAX_SECONDS, REGISTER, TERM, contents, run_measured

FORMS = Path(__file__).resolve().parents[1] / "data" / "forms"

GROWTH = {
    "folds a constant when it loads": ("{{ ([1]|batch(500000000, 0)|first)|length }}",
                                       "a width of 500,000,000 is over formkit's limit of 10,000"),
    "gives a format width as a keyword": ("{{ '{:{w}}'.format('a', w=900000000) }}",
                                          "a width of 900,000,000 is over formkit's limit of 10,000"),
    "gives a width with %*s": ("{{ '%*s' % (900000000, 'x') }}",
                               "a width of 900,000,000 is over formkit's limit of 10,000"),
    "expands tabs": ("{{ 'a\\tb'.expandtabs(tabsize=900000000) }}",
                     "a tab size of 900,000,000 is over formkit's limit of 10,000"),
    "replaces with a longer text": ("{{ ('x' * 900000).replace('x', 'xxxxxxxxxxxxxxxxxxxx') }}",
                                    "replace() would make text of over 1,000,000 characters"),
    "doubles with ~": ("{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}"
                       "{% endfor %}{{ ns.s }}", "joining text with ~ would make text of over 1,000,000 characters"),
    "doubles with join": ("{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = [ns.s, ns.s]|join %}"
                          "{% endfor %}{{ ns.s }}", "join would make text of over 1,000,000 characters"),
    "appends in a loop": ("{% set l = [] %}{% for i in range(100000) %}{% for j in range(100000) %}"
                          "{{ l.append('x' * 100000) or '' }}{% endfor %}{% endfor %}",
                          "its tags would make over 32 MB of values for one document"),
}


def _template(folder: Path, name: str, text: str) -> Path:
    document = docx.Document()
    document.add_paragraph("Name: {{ pupil.name }}")
    document.add_paragraph(text)
    path = folder / name
    document.save(str(path))
    return path


def _refused(command: list[str], work: Path, *says: str) -> None:
    code, output, seconds, peak_mb = run_measured(command, work)
    assert code == 1, output
    errors = [line for line in output.splitlines() if line.startswith("Error: ")]
    assert errors and all(text in errors[0] for text in says), output
    assert "Traceback" not in output
    assert contents(work) == [], "something was written"
    assert seconds < MAX_SECONDS, f"took {seconds:.1f} s"
    assert peak_mb < MAX_RSS_MB, f"used {peak_mb:.0f} MB"


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs POSIX wait4 to measure memory")
@pytest.mark.parametrize("case", list(GROWTH), ids=list(GROWTH))
def test_a_template_that_grows_a_value_past_its_limit_is_refused(tmp_path: Path, case: str):
    text, says = GROWTH[case]
    template = _template(tmp_path, "growth.docx", text)
    work = tmp_path / "work"
    work.mkdir()
    _refused(["generate", "ieps", "--register", REGISTER, "--out", "out", "--template", str(template), *TERM], work,
             f'growth.docx: a tag in the paragraph "{text[:40]}', says)


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs POSIX wait4 to measure memory")
@pytest.mark.parametrize("case", ["folds a constant when it loads", "appends in a loop"])
def test_templates_check_fails_a_template_that_would_take_too_much(tmp_path: Path, case: str):
    text, says = GROWTH[case]
    template = _template(tmp_path, "growth.docx", text)
    work = tmp_path / "work"
    work.mkdir()
    _refused(["templates", "check", str(template), "--register", REGISTER], work, "growth.docx: a tag in the paragraph",
             says)


MAPPINGS = {
    "runs away": ('{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}',
                  "took over 2 s to fill in for one pupil"),
    "grows a value": ("{{ '{:{w}}'.format('a', w=900000000) }}",
                      "asks for too much (a width of 900,000,000 is over formkit's limit of 10,000)"),
    "folds a constant": ("{{ ([1]|batch(500000000, 0)|first)|length }}",
                         "asks for too much (a width of 500,000,000"),
    "reaches internals": ("{{ ''.__class__.__mro__ }}", "tries to reach Python internals"),
    "makes a huge value": ("{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}",
                           "asks for too much (it would make text of over 1,000,000 characters)"),
}


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs POSIX wait4 to measure memory")
@pytest.mark.parametrize("case", list(MAPPINGS), ids=list(MAPPINGS))
def test_a_pdf_field_mapping_has_the_limits_of_a_word_template(tmp_path: Path, case: str):
    text, says = MAPPINGS[case]
    mapping = tmp_path / "fields.toml"
    mapping.write_text('"UPN" = "{{ pupil.upn }}"\n"School" = """' + text + '"""\n', encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    _refused(["generate", "pdf", "--form", str(FORMS / "la-request.pdf"), "--fields", str(mapping),
              "--register", str(bundled("samples", "register.xlsx")), "--out", "out", *TERM], work,
             f"{mapping}: the value for 'School' ({text}) {says}")


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs POSIX wait4 to measure memory")
@pytest.mark.parametrize("command", ["generate ieps", "templates check"])
def test_a_template_too_big_to_load_in_time_is_stopped(tmp_path: Path, command: str):
    """100,000 tags (under 1 MB of XML, so no zip-bomb check applies): Jinja's
    lexer, parser and code generator took 19 s and 980 MB before loading was
    timed; now loading stops at its 2 s."""
    template = _template(tmp_path, "huge.docx", "{{ a }}" * 100_000)
    work = tmp_path / "work"
    work.mkdir()
    args = (["generate", "ieps", "--register", REGISTER, "--out", "out", "--template", str(template), *TERM]
            if command == "generate ieps" else ["templates", "check", str(template), "--register", REGISTER])
    _refused(args, work, "huge.docx: the template took over 2 s to load (an ordinary one takes under 50 ms)")
