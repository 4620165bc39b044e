"""The EHC templates: rebuilt byte for byte by their script, and every field
they use supplied (formkit templates check, by name)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from formkit.cli import cli

REPO = Path(__file__).resolve().parents[2]
NAMES = ["one_page_profile", "annual_review_report", "evidence_cover", "evidence_agencies", "evidence_provision",
         "evidence_progress"]


def test_the_ehc_templates_build_deterministically(tmp_path):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import build_ehc_templates
    finally:
        sys.path.pop(0)
    build_ehc_templates.main(["build", str(tmp_path)])
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.docx"))
    assert {p.stem for p in built} == set(NAMES)
    for path in built:
        assert (tmp_path / path).read_bytes() == (REPO / "templates" / "docx" / path).read_bytes(), \
            f"{path}: run scripts/build_ehc_templates.py"


@pytest.mark.parametrize("name", NAMES)
def test_templates_check_supplies_every_field(name):
    result = CliRunner().invoke(cli, ["templates", "check", name], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{name}.docx uses ") and "Every field is supplied." in result.output
