"""Parent letters as Word documents: who gets one, what each says, and the errors.

Every test opens the .docx files formkit writes. PDF conversion and the print
pack are in tests/letters/test_print_pack.py and tests/documents/test_pdf.py.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import sys
from datetime import date, time
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from formkit.documents.batch import document_path, generate
from formkit.cli import cli
from formkit.documents.context import build_context
from formkit.errors import LetterError, TemplateError
from formkit.letters.details import LetterDetails
from formkit.letters.letter import LetterRequest, example_letter_context, generate_letters
from formkit.register.pupils import load_register
from formkit.resources import bundled
from formkit.settings import load_settings
from formkit.documents.check import _EXAMPLE, check_template

REPO = Path(__file__).resolve().parents[2]
LETTERS = REPO / "templates" / "docx" / "letters"
SAMPLES = bundled("samples")
REGISTER = SAMPLES / "register.xlsx"
DAY = date(2026, 9, 3)
TERM = "Autumn 2026"
MEETING = LetterDetails(meeting_date=date(2026, 12, 8), meeting_time=time(15, 30),
                        meeting_with="Mrs Hughes (class teacher) and Mrs Okafor (SENCo)")


@pytest.fixture(scope="module")
def settings():
    return load_settings(None, cwd=SAMPLES)


@pytest.fixture(scope="module")
def register():
    return load_register(REGISTER)


@pytest.fixture(scope="module")
def sen_register(tmp_path_factory, register, settings):
    out = tmp_path_factory.mktemp("sen_register")
    return generate_letters(register, settings, out, LetterRequest("sen_register", letter_date=DAY,
                                                                   added_since=date(2020, 1, 1)))


def text_of(path: Path) -> str:
    """Every paragraph, table cell, header and footer of a .docx."""
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [" | ".join(c.text for c in r.cells) for t in document.tables for r in t.rows]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def manifest(out: Path) -> list[dict[str, str]]:
    with (out / "manifest.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def letter_for(report, name: str, recipient: str | None = None):
    return next(r for r in report.letters if r.name == name and (recipient is None or recipient in r.recipient))


# --------------------------------------------------------------------------- addressing and content


def test_one_letter_per_address_for_every_pupil_on_the_register(sen_register, register):
    assert sen_register.ok
    by_pupil: dict[str, list[str]] = {}
    for r in sen_register.letters:
        by_pupil.setdefault(r.name, []).append(r.recipient)
    assert set(by_pupil) == {p.name for p in register.on_register()}
    assert by_pupil["Declan O'Connor"] == ["Karen O'Connor", "Liam O'Connor"]
    assert by_pupil["Aarav Chaudhry"] == ["Priya Chaudhry and Vikram Chaudhry"]
    assert by_pupil["Jayden Smith-Nwosu"] == ["Tanya Smith"]  # the grandmother has no parental responsibility
    assert len(sen_register.letters) == 24


def test_each_letter_is_addressed_from_the_contact_record(sen_register):
    liam = letter_for(sen_register, "Declan O'Connor", "Liam")
    text = text_of(sen_register.out / liam.file)
    assert "Private and confidential\nLiam O'Connor\nFlat 2\n41 Station Road\nExampleton\nEX5 1DW" in text
    assert "Dear Mr O'Connor\n" in text and "3 September 2026" in text
    both = letter_for(sen_register, "Aarav Chaudhry")
    assert "Dear Mrs Chaudhry and Mr Chaudhry\n" in text_of(sen_register.out / both.file)
    assert liam.file == "Year 2/O'Connor, Declan (C801200024004) - SEN register letter - Autumn 2026 - Liam O'Connor.docx"


def test_no_letter_names_another_pupil_or_their_upn(sen_register, register):
    for letter in sen_register.letters:
        text = text_of(sen_register.out / letter.file)
        assert text.count(letter.name) >= 3, letter.file
        assert letter.recipient.split(" and ")[0] in text
        for other in register.pupils:
            if other.upn != letter.upn:
                assert other.name not in text and other.upn not in text, (letter.file, other.label)


@pytest.mark.parametrize("name, sentences", [
    ("Declan O'Connor", ["we are placing him on our Special", "This means that he is receiving", "He will talk",
                         "children of his age"]),
    ("Chloé Martin", ["we are placing her on our Special", "This means that she is receiving", "She will talk"]),
    ("Riley Parker-Evans", ["we are placing them on our Special", "This means that they are receiving",
                            "They will talk", "children of their age"]),
])
def test_pronouns_agree_for_he_she_and_they(sen_register, name, sentences):
    text = text_of(sen_register.out / letter_for(sen_register, name).file)
    for sentence in sentences:
        assert sentence in text, sentence
    assert "him/her" not in text and "they is" not in text


def test_reply_slip_names_the_pupil(sen_register):
    text = text_of(sen_register.out / letter_for(sen_register, "Chloé Martin").file)
    assert ("I can confirm that I have received your letter explaining that my child Chloé Martin (Year 3) is on "
            "the SEN register.") in text
    assert "To: Mrs Amara Okafor, SENCo" in text and "Signed: ___" in text and "Date: ___" in text


def test_polish_families_get_the_polish_letter_and_others_are_listed(sen_register):
    nowak = letter_for(sen_register, "Łukasz Nowak")
    text = text_of(sen_register.out / nowak.file)
    assert nowak.language == "Polish"
    assert "Szanowni Państwo," in text and "Łukasz ma trudności" in text and "03/09/2026" in text
    assert "Dear " not in text
    assert letter_for(sen_register, "Hafsa Ahmed").language == "English"
    assert "Hafsa Ahmed (B801200024013): Nadia Ahmed and Tariq Ahmed (Urdu)" in sen_register.untranslated
    assert not any("Nowak" in family for family in sen_register.untranslated)


def test_email_only_family_gets_an_email_letter_named_in_the_report(sen_register):
    riley = letter_for(sen_register, "Riley Parker-Evans")
    assert riley.delivery == "email" and riley.email == "dana.parker-evans@example.com"
    assert "By email: dana.parker-evans@example.com" in text_of(sen_register.out / riley.file)
    assert any("Riley Parker-Evans (N801200023031): Dana Parker-Evans has no postal address" in w
               for w in sen_register.warnings)
    assert [r.name for r in sen_register.emailed] == ["Riley Parker-Evans"]


def test_manifest_lists_recipient_pupil_and_files(sen_register):
    rows = manifest(sen_register.out)
    assert list(rows[0]) == ["recipient", "pupil", "upn", "class", "delivery", "email", "language", "files",
                             "sha256", "status", "detail"]
    assert len(rows) == 24 and {r["status"] for r in rows} == {"written"}
    liam = next(r for r in rows if r["recipient"] == "Liam O'Connor")
    assert liam["pupil"] == "Declan O'Connor" and liam["files"].endswith("Liam O'Connor.docx")
    assert (sen_register.out / liam["files"]).is_file()


def test_pupil_with_nobody_to_write_to_fails_by_name(tmp_path, settings):
    (tmp_path / "register.csv").write_text(
        "UPN,Legal Surname,Legal Forename,DOB,Year,SEN Status\nB801200005001,Kowalska,Zofia,01/02/2018,Y3,K\n"
        "M801200005002,Hughes,Ffion,01/02/2017,Y4,K\n", encoding="utf-8")
    (tmp_path / "contacts.csv").write_text(
        "UPN,Contact Name,Parental Responsibility,Address Line 1,Postcode\n"
        "B801200005001,Anna Kowalska,Y,1 Elm Road,EX1 2AB\nM801200005002,Gwen Hughes,N,2 Elm Road,EX1 2AB\n",
        encoding="utf-8")
    data = load_register(tmp_path / "register.csv", contacts=tmp_path / "contacts.csv")
    report = generate_letters(data, settings, tmp_path / "out", LetterRequest("iep_cover", letter_date=DAY))
    assert not report.ok and report.count("written") == 1
    [failed] = report.failed
    assert (failed.name, failed.reason) == ("Ffion Hughes", "no contact has parental responsibility and receives "
                                                            "mail: Gwen Hughes (no parental responsibility); check the "
                                                            "Contacts sheet")
    assert [r["status"] for r in manifest(tmp_path / "out")] == ["written", "failed"]


def test_existing_letters_are_kept_unless_overwrite(tmp_path, register, settings):
    request = LetterRequest("iep_cover", letter_date=DAY, only=["Q801200023013"])
    first = generate_letters(register, settings, tmp_path, request)
    path = tmp_path / first.letters[0].file
    path.write_bytes(b"edited by the SENCo")
    again = generate_letters(register, settings, tmp_path, request)
    assert again.letters[0].status == "kept" and path.read_bytes() == b"edited by the SENCo"
    generate_letters(register, settings, tmp_path, LetterRequest("iep_cover", letter_date=DAY, only=["Q801200023013"],
                                                                 overwrite=True))
    assert path.read_bytes().startswith(b"PK")


# --------------------------------------------------------------------------- the other letters


def test_iep_cover_has_parents_can_support_and_the_review_date(tmp_path, register, settings):
    report = generate_letters(register, settings, tmp_path, LetterRequest("iep_cover", letter_date=DAY))
    assert report.ok and len(report.letters) == 24
    text = text_of(tmp_path / letter_for(report, "Sam Kirkwood").file)
    assert "Telling Sam about changes ahead of time and using the Zones words at home." in text
    assert "how we will know they have achieved them" in text and "They are working on these targets" in text
    assert "by 09/12/2026" in text and "Individual Education Plan for Autumn 2026" in text
    assert any("--attach-ieps was not given" in w for w in report.warnings)


def test_review_invite_needs_its_meeting_details(tmp_path, register, settings):
    with pytest.raises(LetterError) as caught:
        generate_letters(register, settings, tmp_path / "out", LetterRequest("review_invite", letter_date=DAY))
    assert str(caught.value) == (
        "review_invite.docx needs the meeting date (--meeting-date YYYY-MM-DD, or a 'Date' column in a Meetings "
        "sheet); the meeting time (--meeting-time 15:30, or a 'Time' column in a Meetings sheet); who the meeting "
        "is with (--meeting-with 'Mrs Hughes (class teacher)', or a 'With' column in a Meetings sheet)")
    assert not (tmp_path / "out").exists()


def test_review_invite_with_options_says_when_where_and_how_to_rearrange(tmp_path, register, settings):
    report = generate_letters(register, settings, tmp_path, LetterRequest("review_invite", letter_date=DAY, details=MEETING))
    assert report.ok and len(report.letters) == 24
    text = text_of(tmp_path / letter_for(report, "Chloé Martin").file)
    for expected in ("Date | Tuesday 8 December 2026", "Time | 3.30pm",
                     "With | Mrs Hughes (class teacher) and Mrs Okafor (SENCo)", "Where | Hollybrook Primary School",
                     "please contact the school office on 01632 960123", "how you think she is getting on"):
        assert expected in text, expected


def test_meetings_sheet_gives_each_pupil_their_own_meeting(tmp_path, register, settings):
    sheet = tmp_path / "meetings.csv"
    sheet.write_text("UPN,Date,Time,With,Room\n"
                     "Q801200023013,08/12/2026,15:30,Mrs Hughes,the library\n"
                     "N801200023031,09/12/2026,,Mr Sutherland,\n", encoding="utf-8")
    report = generate_letters(register, settings, tmp_path / "out",
                              LetterRequest("review_invite", letter_date=DAY, meetings=sheet))
    assert {r.name for r in report.results} == {"Chloé Martin", "Riley Parker-Evans"}
    chloe = text_of(tmp_path / "out" / letter_for(report, "Chloé Martin").file)
    assert "Tuesday 8 December 2026" in chloe and "Where | the library" in chloe
    [failed] = report.failed
    assert failed.name == "Riley Parker-Evans"
    assert failed.reason == ("review_invite.docx needs the meeting time (--meeting-time 15:30, or a 'Time' column in "
                             "a Meetings sheet); none was given for this pupil")
    fixed = generate_letters(register, settings, tmp_path / "fixed", LetterRequest(
        "review_invite", letter_date=DAY, meetings=sheet, details=LetterDetails(meeting_time=time(9, 0))))
    assert fixed.ok and "9.00am" in text_of(tmp_path / "fixed" / letter_for(fixed, "Riley Parker-Evans").file)


def test_meeting_before_the_letter_is_a_failure(tmp_path, register, settings):
    details = LetterDetails(meeting_date=date(2026, 9, 1), meeting_time=time(9), meeting_with="Mrs Okafor")
    report = generate_letters(register, settings, tmp_path, LetterRequest("review_invite", letter_date=DAY, details=details,
                                                                          only=["Q801200023013"]))
    assert [f.reason for f in report.failed] == [
        "the meeting date 01/09/2026 is before the letter's date 03/09/2026; check the meeting date"]


def test_referral_consent_names_the_agency_from_the_referrals_sheet(tmp_path, register, settings):
    with pytest.raises(LetterError) as caught:
        generate_letters(register, settings, tmp_path / "x", LetterRequest("referral_consent", letter_date=DAY))
    assert str(caught.value) == (
        "choose the pupils for the referral_consent letter: a Referrals sheet in the register workbook (or "
        "--referrals FILE) with each pupil's UPN and agency, or --only UPN with --agency NAME")
    sheet = tmp_path / "referrals.csv"
    sheet.write_text("UPN,Agency\nN801200025004,SALT\n", encoding="utf-8")
    report = generate_letters(register, settings, tmp_path / "out",
                              LetterRequest("referral_consent", letter_date=DAY, referrals=sheet))
    [letter] = report.letters
    assert letter.name == "Łukasz Nowak"
    text = text_of(tmp_path / "out" / letter.file)
    assert "consent for a referral to the Speech and Language Therapy Service" in text
    assert "I give consent for Łukasz to be referred to the Speech and Language Therapy Service" in text


def test_sen_register_letter_needs_pupils_chosen(tmp_path, register, settings):
    with pytest.raises(LetterError) as caught:
        generate_letters(register, settings, tmp_path, LetterRequest("sen_register", letter_date=DAY))
    assert str(caught.value) == (
        "the sen_register letter tells families their child is being placed on the SEN register, so choose the "
        "pupils: --added-since YYYY-MM-DD (by the register's Date Added) or --only UPN")
    report = generate_letters(register, settings, tmp_path, LetterRequest("sen_register", letter_date=DAY,
                                                                          added_since=date(2026, 1, 1)))
    assert sorted({r.name for r in report.letters}) == ["Aarav Chaudhry", "Chloé Martin", "Declan O'Connor",
                                                        "Zoë Whitmore", "Łukasz Nowak"]


def test_unknown_letter_is_an_error_listing_the_letters(tmp_path, register, settings):
    with pytest.raises(LetterError) as caught:
        generate_letters(register, settings, tmp_path, LetterRequest("christmas", letter_date=DAY))
    assert str(caught.value) == ("there is no letter called 'christmas'; the letters are: sen_register, iep_cover, "
                                 "review_invite, referral_consent, removed_from_register, annual_review_invite, "
                                 "advice_request, or give a path to a .docx")


def test_own_letter_with_an_unknown_letter_field_is_refused(tmp_path, register, settings, docx_factory):
    template = docx_factory("Dear {{ recipient.salutation }}, see you on {{ letter.meeting_day }}", name="own.docx")
    with pytest.raises(TemplateError) as caught:
        generate_letters(register, settings, tmp_path, LetterRequest(template, letter_date=DAY))
    assert str(caught.value) == ("own.docx: uses letter.meeting_day, which formkit does not supply; the letter fields "
                                 "are listed in docs/templates.md")


# --------------------------------------------------------------------------- enclosing IEPs


@pytest.fixture(scope="module")
def ieps(tmp_path_factory, register, settings):
    out = tmp_path_factory.mktemp("ieps")
    generate(register, settings, out, term="Autumn 2026", today=DAY)
    return out


def test_attached_ieps_are_found_by_pupil(tmp_path, register, settings, ieps):
    report = generate_letters(register, settings, tmp_path, LetterRequest("iep_cover", letter_date=DAY, attach_ieps=ieps))
    assert report.ok
    for letter in report.letters:
        pupil = register.by_upn(letter.upn)
        assert letter.iep == str(document_path(ieps, pupil, "IEP", TERM))


def test_missing_or_wrong_iep_fails_that_pupil(tmp_path, register, settings, ieps):
    folder = tmp_path / "ieps"
    shutil.copytree(ieps, folder)
    chloe, riley = register.by_upn("Q801200023013"), register.by_upn("N801200023031")
    document_path(folder, chloe, "IEP", TERM).unlink()
    alex = register.by_upn("R801200023004")
    shutil.copyfile(document_path(folder, alex, "IEP", TERM), document_path(folder, riley, "IEP", TERM))
    report = generate_letters(register, settings, tmp_path / "out",
                              LetterRequest("iep_cover", letter_date=DAY, attach_ieps=folder))
    reasons = {f.name: f.reason for f in report.failed}
    assert reasons == {
        "Chloé Martin": f"no Autumn 2026 IEP for this pupil in {folder} (expected Year 3/Martin, Chloé (Q801200023013)"
                        " - IEP - Autumn 2026.docx); run 'formkit generate ieps --term \"Autumn 2026\"' into that "
                        "folder first",
        "Riley Parker-Evans": f"{document_path(folder, riley, 'IEP', TERM)} is not provably Riley Parker-Evans's IEP: "
                              "formkit wrote it for another pupil (its 'formkit UPN' property is not N801200023031). "
                              "It is left out; put this pupil's own IEP there "
                              "(formkit generate ieps --only N801200023031 --overwrite remakes it)",
    }
    assert report.count("written") == 24 - 2


def test_a_letter_never_encloses_another_terms_iep(tmp_path, register, settings, ieps):
    spring = date(2027, 1, 6)
    report = generate_letters(register, settings, tmp_path / "out",
                              LetterRequest("iep_cover", letter_date=spring, attach_ieps=ieps, only=["Q801200023013"]))
    assert [f.reason for f in report.failed] == [
        f"no Spring 2027 IEP for this pupil in {ieps} (expected Year 3/Martin, Chloé (Q801200023013) - IEP - Spring "
        "2027.docx); the folder has this pupil's IEP for Autumn 2026 only; run 'formkit generate ieps --term "
        "\"Spring 2027\"' into that folder first"]
    moved = tmp_path / "moved" / "3 Willow"
    moved.mkdir(parents=True)
    shutil.copyfile(document_path(ieps, register.by_upn("Q801200023013"), "IEP", TERM),
                    moved / "Martin, Chloé (Q801200023013) - IEP - Autumn 2026.docx")
    found = generate_letters(register, settings, tmp_path / "out2", LetterRequest(
        "iep_cover", letter_date=DAY, attach_ieps=tmp_path / "moved", only=["Q801200023013"]))
    assert found.ok and found.letters[0].iep == str(moved / "Martin, Chloé (Q801200023013) - IEP - Autumn 2026.docx")


# --------------------------------------------------------------------------- the templates


@pytest.mark.parametrize("path", sorted(LETTERS.glob("*.docx")), ids=lambda p: p.name)
def test_letter_templates_supply_every_field_and_keep_tags_whole(path, settings):
    check = check_template(path, settings, today=DAY, sections=example_letter_context())
    assert check.ok, check.missing
    assert {"recipient.names", "recipient.postcode", "school.name", "pupil.name"} <= set(check.fields)
    assert "recipient.salutation" in check.fields or path.name.endswith(".pl.docx")  # Polish: "Szanowni Państwo"
    document = docx.Document(str(path))
    runs = [r.text for p in document.paragraphs for r in p.runs]
    runs += [r.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs
             for r in p.runs]
    for text in runs:
        assert text.count("{{") + text.count("{%") == text.count("}}") + text.count("%}"), text
    section = document.sections[0]
    assert round(section.top_margin.mm) == 48 and round(section.left_margin.mm) == 20
    assert "Private and confidential" in text_of(path)


def test_letter_templates_build_deterministically(tmp_path):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import build_letter_templates
    finally:
        sys.path.pop(0)
    build_letter_templates.main(["build", str(tmp_path)])
    for built in sorted(tmp_path.glob("*.docx")):
        assert built.read_bytes() == (LETTERS / built.name).read_bytes(), f"{built.name}: run the build script"
    assert len(list(tmp_path.glob("*.docx"))) == 8


def test_templates_doc_lists_every_letter_field():
    from datetime import date as day

    from formkit.model import School, Term

    doc = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
    context = build_context(_EXAMPLE, School(name="S", senco="T"), Term(name="A", start=day(2026, 9, 3),
                                                                         end=day(2026, 12, 18)), DAY)
    context |= example_letter_context()
    for section in ("recipient", "letter", "pupil"):
        for key in context[section]:
            assert f"{section}.{key}" in doc, f"{section}.{key} missing from docs/templates.md"


# --------------------------------------------------------------------------- the command


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


def test_command_writes_letters_and_reports(tmp_path):
    out = tmp_path / "Letters"
    result = run("generate", "letters", "--register", str(REGISTER), "--letter", "review_invite", "--out", str(out),
                 "--date", "2026-09-03", "--meeting-date", "2026-12-08", "--meeting-time", "3.30pm",
                 "--meeting-with", "the class teacher", "--only", "Q801200023013,N801200023031")
    assert result.exit_code == 0, result.output
    assert "Autumn 2026: 2 letters written, 0 kept (already there), 0 failed, from template review_invite.docx." in (
        result.output)
    assert re.search(r"To email, not in the print pack: Riley Parker-Evans: Dana Parker-Evans "
                     r"<dana.parker-evans@example.com>: Year 3/Parker-Evans, Riley", result.output)
    assert len(list(out.rglob("*.docx"))) == 2 and not list(out.rglob("*.pdf"))


def test_command_bad_time_is_a_usage_error(tmp_path):
    result = run("generate", "letters", "--register", str(REGISTER), "--letter", "review_invite", "--out",
                 str(tmp_path / "o"), "--meeting-time", "25:00")
    assert result.exit_code == 2
    assert "Invalid value for '--meeting-time': '25:00' is not a time; write it as 15:30 or 3.30pm" in result.output


def test_missing_soffice_is_a_clear_error_and_nothing_is_written(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    out = tmp_path / "Letters"
    result = run("generate", "letters", "--register", str(REGISTER), "--letter", "iep_cover", "--out", str(out),
                 "--pdf", env={"PATH": str(empty), "FORMKIT_SOFFICE": ""})
    assert result.exit_code == 1
    assert result.output.endswith(
        "Error: LibreOffice is needed to make PDFs, and formkit cannot find it. Install it (Debian/Ubuntu: sudo "
        "apt-get install libreoffice-writer-nogui fonts-crosextra-carlito fonts-crosextra-caladea; Windows and "
        "macOS: https://www.libreoffice.org/download/), or set FORMKIT_SOFFICE to the full path of the soffice "
        "program\n")
    assert not out.exists()
    named = run("generate", "letters", "--register", str(REGISTER), "--letter", "iep_cover", "--out", str(out),
                "--print-pdf", str(tmp_path / "p.pdf"), env={"FORMKIT_SOFFICE": str(empty / "soffice")})
    assert named.exit_code == 1
    assert f"Error: there is no soffice program at {empty / 'soffice'}. LibreOffice is needed" in named.output
    assert not out.exists()


def test_manifest_cells_are_formula_safe(tmp_path, settings):
    (tmp_path / "register.csv").write_text(
        "UPN,Legal Surname,Legal Forename,DOB,Year,SEN Status\nB801200005001,Kowalska,Zofia,01/02/2018,Y3,K\n",
        encoding="utf-8")
    (tmp_path / "contacts.csv").write_text(
        "UPN,Contact Name,Address Line 1,Postcode\nB801200005001,=HYPERLINK(\"x\"),1 Elm Road,EX1 2AB\n",
        encoding="utf-8")
    data = load_register(tmp_path / "register.csv", contacts=tmp_path / "contacts.csv")
    generate_letters(data, settings, tmp_path / "out", LetterRequest("iep_cover", letter_date=DAY))
    raw = (tmp_path / "out" / "manifest.csv").read_text(encoding="utf-8-sig")
    assert next(csv.DictReader(io.StringIO(raw)))["recipient"] == "'=HYPERLINK(\"x\")"


def test_options_the_letter_does_not_use_are_reported(tmp_path, register, settings):
    report = generate_letters(register, settings, tmp_path, LetterRequest(
        "iep_cover", letter_date=DAY, added_since=date(2026, 6, 1), details=LetterDetails(agency="EP")))
    assert "--agency is not used: iep_cover.docx does not ask for the outside agency" in report.warnings
    assert sorted({r.name for r in report.letters}) == ["Aarav Chaudhry", "Zoë Whitmore"]


def test_workspace_copies_of_the_letters_are_used(tmp_path, register):
    from formkit.letters.letter import resolve_letter
    from formkit.settings import init_workspace

    init_workspace(tmp_path / "school")
    workspace = load_settings(tmp_path / "school" / "formkit.toml")
    letter = resolve_letter("sen_register", workspace)
    assert letter.path == tmp_path / "school" / "templates" / "letters" / "sen_register.docx"
    assert letter.variants == {"pl": tmp_path / "school" / "templates" / "letters" / "sen_register.pl.docx"}
