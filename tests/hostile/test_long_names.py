"""Names too long for a file name: a 134-character Bengali surname is 402 bytes.
Two pupils share it, and one has carers at two addresses. Each run is the real
command in its own process: every file name keeps its extension and the pupil's
UPN, fits in 255 bytes, is unique, and nothing hangs or prints a traceback.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from formkit.cli import cli
from tests.conftest import fill_in_school
from tests.hostile.test_hostile import MAX_RSS_MB, MAX_SECONDS
from tests.hostile.test_nothing_lost import run

pytestmark = pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs POSIX wait4 to measure memory")

SURNAME = "রহমানচৌধুরী" * 12 + "রহমানচৌধুর"
RAHIM, AMINA = "Y801200007001", "M801200007002"
TERM = "Autumn 2026"


@pytest.fixture
def school(tmp_path: Path) -> tuple[Path, str, str, str]:
    assert len(SURNAME) >= 134 and len(SURNAME.encode("utf-8")) > 255
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "ws")]).exit_code == 0
    toml = fill_in_school(tmp_path / "ws" / "formkit.toml")
    register = tmp_path / "register.csv"
    with register.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["UPN", "Surname", "Forename", "DOB", "Year", "SEN Status", "Primary Need"])
        out.writerow([RAHIM, SURNAME, "Rahim", "14/03/2017", "Y3", "K", "SLCN"])
        out.writerow([AMINA, SURNAME, "Amina", "02/05/2017", "Y3", "K", "SPLD"])
    contacts = tmp_path / "contacts.csv"
    with contacts.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["UPN", "Contact Name", "Salutation", "Address Line 1", "Town", "Postcode", "Receives Mail"])
        out.writerow([RAHIM, f"Nasrin {SURNAME}", "Mrs Rahman", "1 Mill Lane", "Exampleton", "EX1 1AA", "Y"])
        out.writerow([RAHIM, f"Karim {SURNAME}", "Mr Rahman", "9 Orchard Way", "Exampleton", "EX3 5NB", "Y"])
        out.writerow([AMINA, f"Salma {SURNAME}", "Mrs Rahman", "4 Elm Street", "Exampleton", "EX1 2AB", "Y"])
    (tmp_path / "work").mkdir()
    return tmp_path, str(toml), str(register), str(contacts)


def names(folder: Path, suffix: str) -> list[str]:
    return sorted(p.name for p in folder.rglob(f"*{suffix}"))


def test_long_names_keep_their_upn_and_extension_fit_and_stay_unique(school):
    tmp_path, toml, register, contacts = school
    config = "--config"
    ieps = ["generate", "ieps", "--register", register, "--out", str(tmp_path / "IEPs"), "--term", TERM]
    code, output, seconds, peak = run([config, toml, *ieps], tmp_path / "work", timeout=30)
    assert code == 0 and "Traceback" not in output, output
    written = names(tmp_path / "IEPs", ".docx")
    assert len(written) == 2, written
    assert all(len(name.encode("utf-8")) <= 255 for name in written)
    assert {name[name.index("("):] for name in written} == {f"({RAHIM}) - IEP - {TERM}.docx",
                                                             f"({AMINA}) - IEP - {TERM}.docx"}
    assert seconds < MAX_SECONDS and peak < MAX_RSS_MB

    code, output, _, _ = run([config, toml, *ieps], tmp_path / "work", timeout=30)
    assert code == 0 and "Traceback" not in output, output
    assert f"{TERM}: 0 IEPs written, 2 kept (already there), 0 failed" in output

    code, output, seconds, peak = run(
        [config, toml, "generate", "letters", "--register", register, "--contacts", contacts, "--letter", "iep_cover",
         "--out", str(tmp_path / "Letters"), "--attach-ieps", str(tmp_path / "IEPs"), "--date", "2026-09-03",
         "--store", str(tmp_path / "records.db")], tmp_path / "work", timeout=30)
    assert code == 0 and "Traceback" not in output, output
    letters = names(tmp_path / "Letters", ".docx")
    assert len(letters) == 3 and len(set(letters)) == 3, letters
    assert sum(f"({RAHIM}) - IEP letter - {TERM}" in n for n in letters) == 2
    assert all(len(n.encode("utf-8")) <= 255 and n.endswith(".docx") for n in letters)
    assert seconds < MAX_SECONDS and peak < MAX_RSS_MB
