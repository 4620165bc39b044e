"""formkit records history UPN: the pupil's cycle term by term (plan, review
and outcomes, provision, letters sent), and the letters noted as sent."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner

from formkit.cli import cli
from formkit.records import RecordStore
from formkit.resources import bundled

REGISTER = str(bundled("samples", "register.xlsx"))
DECLAN = "C801200024004"
REVIEW = str(bundled("samples", "returned", "O'Connor, Declan - IEP review.docx"))


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_history_shows_the_cycle_term_by_term(tmp_path):
    store = str(tmp_path / "s.sqlite")
    autumn = ["generate", "ieps", "--register", REGISTER, "--only", DECLAN, "--store", store, "--term", "Autumn 2026"]
    run(*autumn, "--out", str(tmp_path / "IEPs"))
    letters = run("generate", "letters", "--register", REGISTER, "--letter", "iep_cover", "--only", DECLAN, "--out",
                  str(tmp_path / "L"), "--date", "2026-09-04", "--store", store)
    assert f"Records store {store}: 2 letters noted as sent." in letters
    again = run("generate", "letters", "--register", REGISTER, "--letter", "iep_cover", "--only", DECLAN, "--out",
                str(tmp_path / "L"), "--date", "2026-09-04", "--store", store)
    assert "0 letters noted as sent." in again
    run("read", REVIEW, "--register", REGISTER, "--store", store)
    run(*autumn, "--out", str(tmp_path / "IEPs again"))
    output = run("records", "history", DECLAN.lower(), "--store", store, "--provision-map",
                 str(bundled("samples", "provisions.xlsx")))
    lines = output.splitlines()
    assert lines[0] == "Declan O'Connor (C801200024004): the cycle term by term"
    assert lines[2] == "Autumn 2026 (03/09/2026 to 18/12/2026)"
    assert lines[3].startswith("  Plan: 3 targets, iep.docx, recorded ")
    assert "replaced 1 time (kept as history); Year 2/O'Connor, Declan (C801200024004) - IEP" in lines[3]
    assert lines[4] == ("    1. To read and spell the 20 Year 2 common exception words from the class list"
                        " (baseline 35%)")
    review = lines.index("  Review 09/12/2026: Set new targets; next review 17/03/2027 (from O'Connor, Declan - IEP"
                         " review.docx)")
    assert lines[review + 1:review + 5] == [
        "    1. Partly achieved (70%): Reads all 20 words; spells 14 of 20",
        "    2. Partly achieved (50-74%): Reads ai, ee and igh words; oa not yet secure",
        "    3. Achieved (100%)",
        "    Next steps: Move on to Year 2 spelling patterns; keep the word mat.",
    ]
    assert any(line.startswith("  Provision: ") and "provision map row" in line for line in lines)
    sent = [line for line in lines if line.startswith("  Letter sent 04/09/2026: IEP letter to ")]
    assert len(sent) == 2 and all("(post)" in line for line in sent)
    assert "1 record for Declan O'Connor (C801200024004):" in lines
    with RecordStore.open(tmp_path / "s.sqlite") as db:
        [letter, _] = db.letters_for(DECLAN)
    assert letter.letter == "iep_cover" and letter.term == "Autumn 2026" and letter.letter_date == date(2026, 9, 4)


def test_a_term_whose_review_date_has_passed_says_none_back(tmp_path):
    store = str(tmp_path / "s.sqlite")
    run("generate", "ieps", "--register", REGISTER, "--only", DECLAN, "--store", store, "--term", "Autumn 2026",
        "--out", str(tmp_path / "IEPs"))
    output = run("records", "history", DECLAN, "--store", store)
    assert "  Review: none back (due 09/12/2026)" in output.splitlines() or \
        "  Review: not yet (due 09/12/2026)" in output.splitlines()
    nobody = run("records", "history", "B801200005001", "--store", store)
    assert nobody == "Nothing in the store for UPN B801200005001.\n"
