"""The README's "Your own school" steps, run as written in a fresh workspace.

Each line of the block is run as a command in its own process, in the folder
the block's `cd` leaves it in; the test fails at the first step that exits
non-zero (or prints a doubled "Warning: Warning:"), showing its output. Between
the steps the test does what the block's comments ask of the school: fill in
formkit.toml, save the register export and a transfer file in the workspace,
and put the filled-in forms in Returned.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from formkit.ooxml import fill_document
from tests.formhelpers import soffice

REPO = Path(__file__).resolve().parent.parent
SCHOOL = {
    "name": "Oakfield Primary School", "address": ["12 Station Road", "Ashby"], "postcode": "AB1 2CD",
    "phone": "01234 567890", "email": "office@oakfield.example.sch.uk", "senco": "Ms J Patel",
    "head_teacher": "Mr R Singh", "letter_signatory": "Ms J Patel, SENCo",
}
IMPACT = {"intervention": "Lego-based therapy", "delivered_by": "Mrs Ellis (TA)", "start_date": date(2026, 9, 14),
          "end_date": date(2026, 12, 4), "sessions_planned": "24", "sessions_attended": "21",
          "entry_measure": "Reading age (months)", "entry_score": "84", "exit_score": "92", "impact_rating": "1"}


def own_school_steps() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Your own school", 1)[1]
    block = re.search(r"```sh\n(.*?)\n```", section, re.DOTALL)
    assert block, "the README's 'Your own school' section has no sh block"
    return block.group(1).splitlines()


def fill_in_settings(workspace: Path) -> None:
    """What the school does to formkit.toml: its own details for every FILL IN."""
    path = workspace / "formkit.toml"
    text = path.read_text(encoding="utf-8")
    for key, value in SCHOOL.items():
        shown = "[" + ", ".join(f'"{v}"' for v in value) + "]" if isinstance(value, list) else f'"{value}"'
        text, count = re.subn(rf"^{key} = .*$", f"{key} = {shown}", text, count=1, flags=re.MULTILINE)
        assert count == 1, f"formkit.toml made by init has no [school] {key}"
    assert "FILL IN" not in text.split("[school]", 1)[1].split("[[terms]]", 1)[0]
    path.write_text(text, encoding="utf-8")


def save_exports(workspace: Path) -> None:
    """The school's own files: the register export and a new pupil's transfer file."""
    shutil.copy(REPO / "samples" / "register.xlsx", workspace / "register.xlsx")
    shutil.copy(REPO / "tests" / "data" / "ctf" / "transfer.xml", workspace / "transfer.xml")


def return_forms(workspace: Path) -> None:
    """Two teachers fill in their impact forms (in Word's controls) and send them back."""
    returned = workspace / "Returned"
    returned.mkdir()
    forms = sorted((workspace / "Forms").rglob("*.docx"))[:2]
    assert forms, "generate forms wrote no forms"
    for form in forms:
        (returned / form.name).write_bytes(fill_document(form.read_bytes(), IMPACT))


def run(args: list[str], cwd: Path) -> str:
    exe = shutil.which("formkit", path=str(Path(sys.executable).parent))
    command = [exe] if exe else [sys.executable, "-m", "formkit"]
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run(command + args[1:], cwd=cwd, capture_output=True, text=True, timeout=600, env=env)
    output = done.stdout + done.stderr
    shown = shlex.join(args)
    assert done.returncode == 0, f"README step failed (exit {done.returncode}): {shown}\n{output}"
    assert "Warning: Warning:" not in output, f"{shown}\n{output}"
    return output


def test_the_readmes_own_school_steps_work_as_written(tmp_path: Path) -> None:
    if soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed, but .ci/run installs it: the install failed")
        pytest.skip("LibreOffice (soffice) is not installed: the README's --print-pdf step needs it")
    cwd = tmp_path
    outputs: dict[str, str] = {}
    for line in own_school_steps():
        args = shlex.split(line, comments=True)
        if not args:  # a comment for the school: do what it says
            assert "Returned" in line, f"the test does not know what this step asks: {line}"
            return_forms(cwd)
            continue
        if args[0] == "cd":
            cwd = cwd / args[1]
            fill_in_settings(cwd)
            save_exports(cwd)
            continue
        assert args[0] == "formkit", f"not a formkit command: {line}"
        outputs[" ".join(args[1:3])] = run(args, cwd)

    assert "0 errors" in outputs["register check"]
    assert (cwd / "post.pdf").stat().st_size > 0 and (cwd / "Letters" / "mailing.csv").exists()
    records = load_workbook(cwd / "returned.xlsx", read_only=True)
    rows = list(records.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 3 and "Lego-based therapy" in rows[1]
    assert (cwd / "Provision map.xlsx").exists()
    update = outputs["provision-map update"]
    assert "Lego-based therapy" in update and "dry run" in update.lower(), update
