"""The README's promises: its set-up commands are the ones CI and users run."""

from __future__ import annotations

import re
from pathlib import Path

from formkit.documents.context import build_context
from formkit.documents.check import _EXAMPLE

REPO = Path(__file__).resolve().parent.parent


def readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_has_the_two_setup_commands():
    blocks = re.findall(r"```sh\n(.*?)\n```", readme(), re.DOTALL)
    assert "pip install -e . && formkit demo" in blocks
    assert "pip install -e '.[test]' && python -m pytest" in blocks


def test_ci_runs_the_readmes_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e '.[test]' && python -m pytest" in ci.splitlines()


def test_templates_doc_lists_every_context_field():
    from datetime import date

    from formkit.model import School, Term

    context = build_context(_EXAMPLE, School(name="S", senco="T"), Term(name="A", start=date(2026, 9, 3), end=date(2026, 12, 18)), date(2026, 9, 3))
    doc = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
    for section in ("school", "pupil", "term", "iep"):
        for key in context[section]:
            assert f"{section}.{key}" in doc, f"{section}.{key} missing from docs/templates.md"
    for key in context["targets"][0]:
        assert f"t.{key}" in doc or f"targets[].{key}" in doc, key


def test_license_changelog_and_typed_marker_exist():
    assert (REPO / "LICENSE").read_text().startswith("MIT License")
    assert (REPO / "CHANGELOG.md").exists()
    assert (REPO / "formkit" / "py.typed").exists()
