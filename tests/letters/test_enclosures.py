"""An IEP goes into a family's envelope only when it proves it is their child's.

The pupils here are invented so that one's name sits inside another's ("Ann Lee"
in "Joann Leeds") and one's UPN sits inside another's surname: a name or UPN
found in the text proves nothing. Each test opens the IEPs formkit writes.
"""

from __future__ import annotations

import csv
import shutil
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest

from formkit.documents import TERM_PROPERTY, UPN_PROPERTY, document_path, generate
from formkit.errors import IdentityError
from formkit.letters.enclosures import iep_index, prove_iep
from formkit.letters.letter import LetterRequest, generate_letters
from formkit.ooxml import DocxPackage
from formkit.register import load_register
from formkit.resources import bundled
from formkit.settings import load_settings

DAY = date(2026, 9, 3)
TERM = "Autumn 2026"
ANN, JOANN, MIA = "Y801200007001", "M801200007002", "B801200007003"
PUPILS = [
    (ANN, "Lee", "Ann", "14/03/2017", "Works well with her partner."),
    (JOANN, "Leeds", "Joann", "02/05/2017", "Sits with Ann Lee for reading."),
    (MIA, f"Brown-{ANN}", "Mia", "14/03/2017", "Enjoys number games."),
]


def write_register(folder: Path) -> Path:
    register = folder / "register.csv"
    with register.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["UPN", "Surname", "Forename", "DOB", "Year", "SEN Status", "Primary Need", "Strengths"])
        for upn, surname, forename, dob, strengths in PUPILS:
            out.writerow([upn, surname, forename, dob, "Y3", "K", "SLCN", strengths])
    contacts = folder / "contacts.csv"
    with contacts.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["UPN", "Contact Name", "Salutation", "Address Line 1", "Town", "Postcode", "Receives Mail"])
        for upn, surname, *_ in PUPILS:
            out.writerow([upn, f"Sam {surname}", f"Mx {surname}", "1 Mill Lane", "Exampleton", "EX1 1AA", "Y"])
    return register


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    folder = tmp_path_factory.mktemp("school")
    register = load_register(write_register(folder), contacts=folder / "contacts.csv")
    settings = load_settings(None, cwd=bundled("samples"))
    ieps = folder / "ieps"
    generate(register, settings, ieps, term=TERM, today=DAY)
    return register, settings, ieps


def iep_of(folder: Path, register, upn: str) -> Path:
    return document_path(folder, register.by_upn(upn), "IEP", TERM)


def hand_made(path: Path, name: str, dob: str, *, extra: str = "") -> Path:
    """An IEP a school typed itself: a Name and DOB table, no formkit properties."""
    document = docx.Document()
    document.add_heading("Individual Education Plan", 1)
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["Name", name, "DOB", dob]):
        cell.text = text
    document.add_paragraph(extra or "Targets: to read ten tricky words.")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def test_every_pupil_document_carries_whose_it_is_and_its_term(school):
    register, _, ieps = school
    for upn, *_ in PUPILS:
        properties = DocxPackage.open(iep_of(ieps, register, upn)).custom_properties()
        assert properties == {UPN_PROPERTY: upn, TERM_PROPERTY: TERM}
    with zipfile.ZipFile(iep_of(ieps, register, ANN)) as z:
        assert "docProps/custom.xml" in z.namelist()
        assert b"/docProps/custom.xml" in z.read("[Content_Types].xml")


def test_a_document_made_from_a_pupils_iep_carries_the_new_pupils_identity(school, tmp_path):
    register, settings, ieps = school
    template = tmp_path / "our iep.docx"
    shutil.copyfile(iep_of(ieps, register, JOANN), template)
    out = tmp_path / "again"
    generate(register, settings, out, template=template, only=[ANN], term=TERM, today=DAY)
    properties = DocxPackage.open(iep_of(out, register, ANN)).custom_properties()
    assert properties[UPN_PROPERTY] == ANN and list(properties).count(UPN_PROPERTY) == 1


@pytest.mark.parametrize("other", [JOANN, MIA], ids=["name inside another's name", "UPN inside another's surname"])
def test_another_pupils_iep_saved_over_this_pupils_file_is_refused(school, tmp_path, other):
    register, _, ieps = school
    folder = tmp_path / "ieps"
    shutil.copytree(ieps, folder)
    shutil.copyfile(iep_of(folder, register, other), iep_of(folder, register, ANN))
    with pytest.raises(IdentityError) as caught:
        prove_iep(iep_of(folder, register, ANN), register.by_upn(ANN), TERM, iep_index(folder).manifest)
    assert str(caught.value) == (
        f"pupil Ann Lee ({ANN}): {iep_of(folder, register, ANN)} is not provably Ann Lee's IEP: formkit wrote it for "
        f"another pupil (its 'formkit UPN' property is not {ANN}). It is left out; "
        f"put this pupil's own IEP there (formkit generate ieps --only {ANN} --overwrite remakes it)")


def test_a_letter_run_leaves_out_the_pupil_whose_iep_is_not_theirs(school, tmp_path):
    register, settings, ieps = school
    folder = tmp_path / "ieps"
    shutil.copytree(ieps, folder)
    shutil.copyfile(iep_of(folder, register, JOANN), iep_of(folder, register, ANN))
    report = generate_letters(register, settings, tmp_path / "out",
                              LetterRequest("iep_cover", letter_date=DAY, attach_ieps=folder))
    assert report.unproven == [f"Ann Lee ({ANN})"]
    assert [f.upn for f in report.failed] == [ANN]
    assert "formkit wrote it for another pupil" in report.failed[0].reason
    assert sorted(r.upn for r in report.letters) == sorted([JOANN, MIA])
    assert not [p for p in (tmp_path / "out").rglob("*.docx") if f"({ANN})" in p.name]


def test_an_iep_of_another_term_is_refused_even_under_this_terms_name(school, tmp_path):
    register, settings, ieps = school
    spring = tmp_path / "spring"
    generate(register, settings, spring, term="Spring 2027", only=[ANN], today=date(2027, 1, 6))
    folder = tmp_path / "ieps"
    shutil.copytree(ieps, folder)
    shutil.copyfile(document_path(spring, register.by_upn(ANN), "IEP", "Spring 2027"), iep_of(folder, register, ANN))
    with pytest.raises(IdentityError, match="formkit wrote it for Spring 2027, not Autumn 2026"):
        prove_iep(iep_of(folder, register, ANN), register.by_upn(ANN), TERM)


def test_a_hand_made_iep_is_proved_by_its_exact_name_and_date_of_birth(tmp_path, school):
    register, *_ = school
    ann = register.by_upn(ANN)
    for name, dob in [("Ann Lee", "14/03/2017"), ("LEE, Ann", "14 March 2017"), ("Ann  Lee", "2017-03-14")]:
        prove_iep(hand_made(tmp_path / f"{dob}.docx", name, dob), ann, TERM)


@pytest.mark.parametrize("name, dob, extra, says", [
    ("Joann Leeds", "02/05/2017", "", "its Name field says 'Joann Leeds', not Ann Lee"),
    ("Ann Leeds", "14/03/2017", "", "its Name field says 'Ann Leeds', not Ann Lee"),
    ("Ann Lee", "15/03/2017", "", "its date of birth field says '15/03/2017', not 14/03/2017"),
    ("Ann Lee", "", "", "nothing in it proves whose it is"),
    ("", "", f"Ann Lee {ANN} 14/03/2017", "nothing in it proves whose it is"),
], ids=["another pupil", "a name that contains hers", "another date of birth", "no date of birth",
        "only her name and UPN in the text"])
def test_a_hand_made_iep_without_exact_fields_is_refused(tmp_path, school, name, dob, extra, says):
    register, *_ = school
    with pytest.raises(IdentityError, match=says):
        prove_iep(hand_made(tmp_path / "iep.docx", name, dob, extra=extra), register.by_upn(ANN), TERM)


def test_a_formkit_iep_whose_name_field_was_changed_to_another_pupil_is_refused(school, tmp_path):
    register, _, ieps = school
    path = tmp_path / "iep.docx"
    document = docx.Document(str(iep_of(ieps, register, ANN)))
    document.tables[0].rows[0].cells[1].text = "Joann Leeds"
    document.save(str(path))
    with pytest.raises(IdentityError, match="its Name field says 'Joann Leeds', not Ann Lee"):
        prove_iep(path, register.by_upn(ANN), TERM)


def test_an_iep_listed_in_the_manifest_with_its_sha256_is_proved(school, tmp_path):
    register, *_ = school
    folder = tmp_path / "ieps"
    path = hand_made(iep_of(folder, register, ANN), "", "")
    from formkit.files import sha256, write_csv

    rel = path.relative_to(folder).as_posix()
    write_csv(folder / "manifest.csv", ["upn", "name", "file", "sha256", "status", "detail"],
              [[ANN, "Ann Lee", rel, sha256(path.read_bytes()), "written", ""]])
    prove_iep(path, register.by_upn(ANN), TERM, iep_index(folder).manifest)
    with pytest.raises(IdentityError, match="nothing in it proves"):
        prove_iep(path, register.by_upn(MIA), TERM, iep_index(folder).manifest)
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(IdentityError, match="nothing in it proves"):
        prove_iep(path, register.by_upn(ANN), TERM, iep_index(folder).manifest)
