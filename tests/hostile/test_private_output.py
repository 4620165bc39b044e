"""Privacy of what formkit leaves behind, run through the real command in its own
process: the audit log holds nothing the user typed (a folder named after a
pupil, a template named after one), and every file formkit writes, the PDFs
LibreOffice makes included, is readable by its owner only.
"""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from formkit.cli import cli
from formkit.resources import bundled
from tests.conftest import fill_in_school
from tests.hostile.test_hostile import MAX_RSS_MB, MAX_SECONDS, run_measured

REGISTER = str(bundled("samples", "register.xlsx"))
TYPED = "Zoë Whitmore Z801200026004"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "ws")]).exit_code == 0
    fill_in_school(tmp_path / "ws" / "formkit.toml")
    return tmp_path / "ws"


def test_formkit_init_makes_its_settings_and_template_copies_private(workspace: Path):
    made = [workspace, *workspace.rglob("*")]
    loose = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in made
             if stat.S_IMODE(p.stat().st_mode) != (0o700 if p.is_dir() else 0o600)}
    assert loose == {} and any(p.suffix == ".docx" for p in made), loose


def test_the_audit_log_holds_no_path_or_template_name_the_user_typed(workspace: Path, tmp_path: Path):
    template = workspace / f"IEP for {TYPED}.docx"
    shutil.copyfile(bundled("templates", "docx", "iep.docx"), template)
    code, output, seconds, peak = run_measured(
        ["--config", str(workspace / "formkit.toml"), "generate", "ieps", "--register", REGISTER, "--out",
         str(workspace / f"IEPs for {TYPED}"), "--template", str(template), "--term", "Autumn 2026", "--only",
         "Z801200026004"], workspace)
    assert code == 0, output
    text = (workspace / "formkit-audit.jsonl").read_text(encoding="utf-8")
    for typed in ("Zoë", "Whitmore", "Z801200026004", "IEPs for"):
        assert typed not in text, text
    [entry] = [json.loads(line) for line in text.splitlines()]
    assert entry["templates"] == ["own template"]
    assert entry["where"].startswith("in the workspace, #") and len(entry["where"]) == len("in the workspace, #") + 12
    assert seconds < MAX_SECONDS and peak < MAX_RSS_MB


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_every_file_a_letter_run_writes_is_private_pdfs_included(workspace: Path, tmp_path: Path):
    config = ["--config", str(workspace / "formkit.toml")]
    made = CliRunner().invoke(cli, [*config, "generate", "ieps", "--register", REGISTER, "--out",
                                    str(tmp_path / "IEPs"), "--term", "Autumn 2026", "--only", "Z801200026004"])
    assert made.exit_code == 0, made.output
    code, output, _, _ = run_measured(
        [*config, "generate", "letters", "--register", REGISTER, "--letter", "iep_cover", "--out", "Letters",
         "--attach-ieps", str(tmp_path / "IEPs"), "--date", "2026-09-03", "--only", "Z801200026004",
         "--print-pdf", "Letters/post.pdf"], workspace)
    assert code == 0, output
    written = list((workspace / "Letters").rglob("*"))
    assert any(p.suffix == ".pdf" and "IEP" in p.name for p in written)
    assert any(p.name == "post.pdf" for p in written)
    loose = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in written
             if stat.S_IMODE(p.stat().st_mode) != (0o700 if p.is_dir() else 0o600)}
    assert loose == {}, loose


def test_piped_output_names_pupils_only_in_the_lines_docs_security_lists(tmp_path: Path):
    """What a SENCo pipes or saves: a pupil's name or UPN appears only in the
    Warning:, Failed: and Error: lines about that pupil (docs/security.md, What
    appears on screen); the summaries and the -v log lines name no one."""
    register = tmp_path / "register.csv"
    register.write_text("UPN,Surname,Forename,DOB,Year,SEN Status,Primary Need\n"
                        "Y801200007001,Lee,Ann,14/03/2017,Y3,K,SLCN\n"
                        "M801200007002,Leeds,Joann,31/02/2017,Y3,K,SLCN\n"
                        "B801200007003,Brown,Mia,14/03/1990,Y3,K,\n", encoding="utf-8")
    pupils = ["Y801200007001", "M801200007002", "B801200007003", "Ann Lee", "Joann", "Leeds", "Mia Brown"]
    work = tmp_path / "work"
    work.mkdir()
    for command in (["-v", "generate", "ieps", "--register", str(register), "--out", "out", "--term", "Autumn 2026"],
                    ["-v", "register", "check", str(register)]):
        code, output, seconds, peak = run_measured(command, work)
        assert code == 1 and "Traceback" not in output, output
        naming = [line for line in output.splitlines() if any(p in line for p in pupils)]
        assert naming and all(line.startswith(("Warning: ", "Failed: ", "Error: ")) for line in naming), output
        assert any(line.startswith(("Autumn 2026: 2 IEPs written", "3 rows read")) for line in output.splitlines())
        assert seconds < MAX_SECONDS and peak < MAX_RSS_MB
