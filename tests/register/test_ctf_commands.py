"""A Common Transfer File given as the register to real commands: the check, IEPs
and letters, each opened and read back."""

from __future__ import annotations

from pathlib import Path

import docx
from click.testing import CliRunner

from formkit.cli import cli

from tests.conftest import docx_text

DATA = Path(__file__).resolve().parents[1] / "data" / "ctf"
TRANSFER = str(DATA / "transfer.xml")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def letter_text(path: Path) -> str:
    document = docx.Document(str(path))
    return "\n".join([p.text for p in document.paragraphs]
                     + [" | ".join(c.text for c in r.cells) for t in document.tables for r in t.rows])


def test_register_check_reports_on_a_transfer_file():
    result = run("register", "check", TRANSFER)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{TRANSFER}: Common Transfer File 25.0 (full) from Oakfield Primary School (801/2000).",
        f"Warning: {TRANSFER}: a transfer file holds no targets, so IEPs will have blank target rows to fill in;"
        " give a targets file",
        "4 pupils read: 2 on the SEN register (1 K, 1 E), 2 without SEN; 0 errors, 1 warning."]


def test_register_check_names_the_pupil_and_element_and_exits_1():
    problems = str(DATA / "problems.xml")
    result = run("register", "check", problems)
    assert result.exit_code == 1
    assert (f"Error: {problems}, Pupil 5 (Arjun Patel, UPN L801200031010), BasicDetails/NCyearActual: 'X' is not a"
            " year group formkit knows (R, N1, N2 or 1 to 14); write the year group the pupil joins in the register"
            ) in result.output.splitlines()


def test_ieps_from_a_transfer_file(tmp_path: Path):
    out = tmp_path / "IEPs"
    result = run("generate", "ieps", "--register", TRANSFER, "--out", str(out), "--term", "Autumn 2026")
    assert result.exit_code == 0, result.output
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.docx")) == [
        "Year 2/McDonald, Isla (B801200031002) - IEP - Autumn 2026.docx",
        "Year 4/O'Brien-Kowalski, Kuba (M801200031001) - IEP - Autumn 2026.docx"]
    text = docx_text(out / "Year 4" / "O'Brien-Kowalski, Kuba (M801200031001) - IEP - Autumn 2026.docx")
    assert "Kuba O'Brien-Kowalski" in text and "Communication and interaction" in text
    assert "Isla" not in text and "B801200031002" not in text


def test_letters_go_to_each_parent_at_their_own_address_and_not_to_a_relative(tmp_path: Path):
    out = tmp_path / "Letters"
    result = run("generate", "letters", "--register", TRANSFER, "--letter", "iep_cover", "--out", str(out),
                 "--date", "2026-09-10")
    assert result.exit_code == 0, result.output
    letters = sorted(str(p.relative_to(out)) for p in out.rglob("*.docx"))
    assert letters == [
        "Year 2/McDonald, Isla (B801200031002) - IEP letter - Autumn 2026 - Ms Fiona McDonald.docx",
        "Year 4/O'Brien-Kowalski, Kuba (M801200031001) - IEP letter - Autumn 2026 - Mr Tomasz Kowalski.docx",
        "Year 4/O'Brien-Kowalski, Kuba (M801200031001) - IEP letter - Autumn 2026 - Mrs Anna O'Brien.docx"]
    dad = letter_text(out / letters[1])
    assert "Mr Tomasz Kowalski\nFlat 2\n14 Mill & Forge Lane\nExampleton\nEX2 7HB" in dad
    assert "Fernhill Road" not in dad and "Dear Mr Kowalski" in dad
    mum = letter_text(out / letters[2])
    assert "Mrs Anna O'Brien\n12 Fernhill Road\nExampleton\nExampleshire\nEX1 4QT" in mum
    assert "Morag" not in letter_text(out / letters[0])  # the grandmother has no parental responsibility
