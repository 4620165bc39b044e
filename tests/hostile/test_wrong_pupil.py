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


def _refused_for_ann(school, tmp_path: Path, case: str, command: list[str], error: str) -> Path:
    """Put the case's wrong IEP where Ann's should be, run ``command`` (with
    IEPS for the IEP folder) in its own process and check the refusal: exit 1,
    ``error`` as its Error: line (IEPS for the folder), the Failed: line naming
    Ann, the IEP folder untouched, within the time and memory. The work folder."""
    source, toml, register = school
    ieps = tmp_path / "ieps"
    shutil.copytree(source / "ieps", ieps)
    CASES[case](ieps, register)
    before = {p: p.read_bytes() for p in ieps.rglob("*") if p.is_file()}
    work = tmp_path / "work"
    work.mkdir()
    code, output, seconds, peak_mb = run_measured(
        ["--config", str(toml), *[str(ieps) if a == "IEPS" else a for a in command]], work)
    assert code == 1, output
    assert "Traceback" not in output
    assert f"Error: no {error.replace('IEPS', str(ieps))} (the Failed: lines above say why)" in output.splitlines()
    assert f"Failed: Ann Lee: {document_path(ieps, register.by_upn(ANN), 'IEP', TERM)} is not provably Ann Lee's IEP: " \
        in output
    assert {p: p.read_bytes() for p in ieps.rglob("*") if p.is_file()} == before
    assert seconds < MAX_SECONDS, f"took {seconds:.1f} s"
    assert peak_mb < MAX_RSS_MB, f"used {peak_mb:.0f} MB"
    return work


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs POSIX wait4 to measure memory")
@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_letter_never_encloses_another_pupils_iep(school, tmp_path: Path, case: str):
    source = school[0]
    work = _refused_for_ann(
        school, tmp_path, case,
        ["generate", "letters", "--register", str(source / "register.csv"), "--contacts", str(source / "contacts.csv"),
         "--letter", "iep_cover", "--out", "out", "--attach-ieps", "IEPS", "--date", "2026-09-03", "--store",
         str(tmp_path / "records.db")],
        f"letter for Ann Lee ({ANN}): the IEP in IEPS is not provably theirs, so it is not enclosed and nothing of "
        "theirs is made or packed")
    letters = [p for p in contents(work / "out") if p.endswith(".docx")]
    assert len(letters) == 2 and not [p for p in letters if f"({ANN})" in p], letters


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs POSIX wait4 to measure memory")
@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_an_evidence_pack_never_holds_another_pupils_iep(school, tmp_path: Path, case: str):
    """The pack goes to the local authority: an IEP named as Ann's that is not
    provably hers fails her pack before anything of hers is written (no part, no
    PDF, not an IEP made again from her plan in its place), naming her, exit 1."""
    work = _refused_for_ann(
        school, tmp_path, case,
        ["evidence-pack", "--register", str(school[0] / "register.csv"), "--only", ANN, "--out", "out", "--ieps",
         "IEPS", "--date", "2026-12-01"],
        f"evidence pack for Ann Lee ({ANN}): an IEP in IEPS is not provably theirs, so it is not put in a pack and "
        "nothing of theirs is made")
    assert [p for p in (work / "out").rglob("*") if p.is_file()] == [], "something of Ann's was written"
