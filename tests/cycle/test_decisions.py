"""What follows a review's decision: the Decisions sheet of targets next, the
removed_from_register letter for the pupils whose review says so, and
referral_consent to the agency the review named (through the CLI)."""

from __future__ import annotations

from pathlib import Path

import docx
from click.testing import CliRunner
from openpyxl import load_workbook

from formkit.cli import cli
from formkit.cycle import agency_in
from formkit.ooxml import fill_document
from formkit.resources import bundled

REGISTER = str(bundled("samples", "register.xlsx"))
DECLAN = "C801200024004"
SAM = "R801200021031"
RUBY = "L801200025022"


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def fail(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 1, result.output
    return result.output


def text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def reviewed(tmp_path: Path) -> Path:
    """Autumn IEPs and reviews for Declan (leaves the register) and Sam (speech therapy)."""
    store = tmp_path / "s.sqlite"
    both = ("--only", DECLAN, "--only", SAM, "--store", str(store), "--term", "Autumn 2026")
    run("generate", "ieps", "--register", REGISTER, "--out", str(tmp_path / "IEPs"), *both)
    run("generate", "forms", "--kind", "iep-review", "--register", REGISTER, "--out", str(tmp_path / "F"), *both)
    decided = {DECLAN: ("Remove from the SEN register", "Keep the word mat in class"),
               SAM: ("Involve a specialist", "Refer to speech and language therapy for an assessment")}
    forms = sorted((tmp_path / "F").rglob("*.docx"))
    for form in forms:
        upn = DECLAN if DECLAN in form.name else SAM
        decision, steps = decided[upn]
        form.write_bytes(fill_document(form.read_bytes(), {"decision": decision, "next_steps": steps}))
    run("read", *map(str, forms), "--register", REGISTER, "--store", str(store))
    return store


def test_decisions_sheet_and_the_letters_that_follow(tmp_path):
    store = reviewed(tmp_path)
    out = tmp_path / "next.xlsx"
    output = run("targets", "next", "--register", REGISTER, "--term", "Spring 2027", "--out", str(out),
                 "--store", str(store))
    assert (f"Decision: Declan O'Connor ({DECLAN}): review 09/12/2026: Remove from the SEN register. Next: formkit "
            "generate letters --letter removed_from_register") in output
    targets = [row for row in load_workbook(out)["Targets"].iter_rows(values_only=True) if row[0] == DECLAN]
    assert targets[0][9] == ("carried from Autumn 2026: not recorded; but the review decided: "
                             "Remove from the SEN register (see Decisions)")
    rows = list(load_workbook(out)["Decisions"].iter_rows(values_only=True))
    assert rows[0] == ("UPN", "Pupil", "Term", "Review date", "Decision", "Next steps", "Letter", "Agency",
                       "What follows")
    by_upn = {row[0]: row for row in rows[1:]}
    assert sorted(by_upn) == sorted([DECLAN, SAM])
    assert by_upn[DECLAN][2:8] == ("Autumn 2026", "09/12/2026", "Remove from the SEN register",
                                   "Keep the word mat in class", "removed_from_register", None)
    assert by_upn[SAM][4:8] == ("Involve a specialist", "Refer to speech and language therapy for an assessment",
                                "referral_consent", "the Speech and Language Therapy Service")

    letters = run("generate", "letters", "--register", REGISTER, "--letter", "removed_from_register", "--out",
                  str(tmp_path / "L"), "--date", "2026-12-14", "--store", str(store))
    assert "Reviews in the records store decided this letter for 1 pupils." in letters
    written = sorted((tmp_path / "L").rglob("*.docx"))
    assert written and all(DECLAN in p.name for p in written)
    body = text(written[0])
    assert "Declan O'Connor (Year 2): no longer on the SEN register" in body
    assert "he has been taken off the school's SEN register" in body and "What we will keep doing" in body

    consent = run("generate", "letters", "--register", REGISTER, "--letter", "referral_consent", "--out",
                  str(tmp_path / "R"), "--date", "2026-12-14", "--store", str(store))
    assert "Reviews in the records store decided this letter for 1 pupils." in consent
    sent = sorted((tmp_path / "R").rglob("*.docx"))
    assert sent and all(SAM in p.name for p in sent)
    assert "consent for a referral to the Speech and Language Therapy Service" in text(sent[0])
    own = run("generate", "letters", "--register", REGISTER, "--letter", "referral_consent", "--out",
              str(tmp_path / "R2"), "--date", "2026-12-14", "--store", str(store), "--agency", "the school nurse")
    assert "consent for a referral to the school nurse" in text(sorted((tmp_path / "R2").rglob("*.docx"))[0])
    assert "Autumn 2026: 1 letters written" in own


def test_removed_from_register_needs_a_review_or_only(tmp_path):
    output = fail("generate", "letters", "--register", REGISTER, "--letter", "removed_from_register", "--out",
                  str(tmp_path / "L"), "--store", str(tmp_path / "none.sqlite"))
    assert output.endswith("Error: no review in the records store decided 'Remove from the SEN register', so no "
                           "removed_from_register letter is made; give --only UPN for a pupil who leaves the "
                           "register\n")
    run("generate", "letters", "--register", REGISTER, "--letter", "removed_from_register", "--out",
        str(tmp_path / "L"), "--only", DECLAN, "--store", str(tmp_path / "s.sqlite"))
    assert all(DECLAN in p.name for p in (tmp_path / "L").rglob("*.docx"))
    ehc = fail("generate", "letters", "--register", REGISTER, "--letter", "removed_from_register", "--out",
               str(tmp_path / "E"), "--only", RUBY)
    assert ehc.endswith(f"Ruby Clarke ({RUBY}) has an EHC plan: only the local authority can end it, after an "
                        "annual review, so no removed_from_register letter is made\n")


def test_the_agency_named_in_the_next_steps():
    assert agency_in("Refer to the Ed Psych? No: educational psychologist to observe") == \
        "the Educational Psychology Service"
    assert agency_in("Ask CAMHS for advice") == "CAMHS (Child and Adolescent Mental Health Services)"
    assert agency_in("Keep going with phonics") == ""
