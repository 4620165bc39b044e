"""The worst failure: another child's IEP in a family's envelope. Each case puts
a wrong IEP where the pupil's should be and runs the real letters command in its
own process: an `Error:` line naming the pupil, exit 1, no letter for that
pupil, the others made, under 5 s and 300 MB.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from formkit.cli import cli
from formkit.documents import document_path
from formkit.register import load_register
from tests.conftest import fill_in_school
from tests.hostile.test_hostile import MAX_RSS_MB, MAX_SECONDS, contents, run_measured
from tests.letters.test_enclosures import ANN, JOANN, MIA, TERM, hand_made, write_register


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    folder = tmp_path_factory.mktemp("school")
    assert CliRunner().invoke(cli, ["init", str(folder / "ws")]).exit_code == 0
    toml = fill_in_school(folder / "ws" / "formkit.toml")
    register = write_register(folder)
    made = CliRunner().invoke(cli, ["--config", str(toml), "generate", "ieps", "--register", str(register),
                                    "--out", str(folder / "ieps"), "--term", TERM])
    assert made.exit_code == 0, made.output
    return folder, toml, load_register(register)


def wrong_formkit_iep(other: str):
    def put(folder: Path, register) -> None:
        shutil.copyfile(document_path(folder, register.by_upn(other), "IEP", TERM),
                        document_path(folder, register.by_upn(ANN), "IEP", TERM))
    return put


def classmates_hand_made_iep(folder: Path, register) -> None:
    hand_made(document_path(folder, register.by_upn(ANN), "IEP", TERM), "Priya Shah", "01/06/2017",
              extra=f"Priya reads with Ann Lee ({ANN}), born 14/03/2017.")


CASES = {
    "a pupil whose name holds hers": wrong_formkit_iep(JOANN),
    "a pupil whose surname holds her UPN": wrong_formkit_iep(MIA),
    "a classmate's IEP that mentions her": classmates_hand_made_iep,
}


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs POSIX wait4 to measure memory")
@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_letter_never_encloses_another_pupils_iep(school, tmp_path: Path, case: str):
    source, toml, register = school
    ieps = tmp_path / "ieps"
    shutil.copytree(source / "ieps", ieps)
    CASES[case](ieps, register)
    before = {p: p.read_bytes() for p in ieps.rglob("*") if p.is_file()}
    work = tmp_path / "work"
    work.mkdir()
    code, output, seconds, peak_mb = run_measured(
        ["--config", str(toml), "generate", "letters", "--register", str(source / "register.csv"), "--contacts",
         str(source / "contacts.csv"), "--letter", "iep_cover", "--out", "out", "--attach-ieps", str(ieps),
         "--date", "2026-09-03", "--store", str(tmp_path / "records.db")], work)
    assert code == 1, output
    assert "Traceback" not in output
    assert (f"Error: no letter for Ann Lee ({ANN}): the IEP in {ieps} is not provably theirs, so it is not enclosed "
            "and nothing of theirs is made or packed (the Failed: lines above say why)") in output.splitlines()
    assert f"Failed: Ann Lee: {document_path(ieps, register.by_upn(ANN), 'IEP', TERM)} is not provably Ann Lee's IEP: " \
        in output
    letters = [p for p in contents(work / "out") if p.endswith(".docx")]
    assert len(letters) == 2 and not [p for p in letters if f"({ANN})" in p], letters
    assert {p: p.read_bytes() for p in ieps.rglob("*") if p.is_file()} == before
    assert seconds < MAX_SECONDS, f"took {seconds:.1f} s"
    assert peak_mb < MAX_RSS_MB, f"used {peak_mb:.0f} MB"
