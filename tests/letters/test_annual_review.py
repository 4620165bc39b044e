"""The annual review's letters: the invitation to families and the requests for
advice to professionals, with the two weeks' notice of Code of Practice 9.176.
Every test opens the .docx files formkit writes; one makes PDFs with LibreOffice."""

from __future__ import annotations

import csv
from datetime import date, time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from formkit.cli import cli
from formkit.documents import convert
from formkit.errors import LetterError
from formkit.letters import LetterDetails, LetterRequest, generate_letters
from formkit.register import load_register
from formkit.resources import bundled
from formkit.settings import load_settings

from tests.letters.test_letters import text_of

SAMPLES = bundled("samples")
REGISTER = SAMPLES / "register.xlsx"
DAY = date(2026, 9, 14)
MEETING = LetterDetails(meeting_date=date(2026, 10, 6), meeting_time=time(14, 0), meeting_place="the SENCo's office")
RUBY, OLIVER, ZOE = "L801200025022", "D801200022022", "Z801200026004"
EHC = {"Ruby Clarke", "Oliver Thompson", "Sam Kirkwood", "Jordan Ellery-Shaw", "Rahim Uddin"}


@pytest.fixture(scope="module")
def settings():
    return load_settings(None, cwd=SAMPLES)


@pytest.fixture(scope="module")
def register():
    return load_register(REGISTER)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def manifest(out: Path) -> list[dict[str, str]]:
    with (out / "manifest.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_invitation_goes_to_each_family_of_a_pupil_with_an_ehc_plan(tmp_path, settings, register):
    report = generate_letters(register, settings, tmp_path, LetterRequest("annual_review_invite", letter_date=DAY,
                                                                          details=MEETING))
    assert report.ok and {r.name for r in report.letters} == EHC
    ruby = next(r for r in report.letters if r.name == "Ruby Clarke")
    assert ruby.file == "Year 1/Clarke, Ruby (L801200025022) - Annual review invitation - Autumn 2026 - Helen Clarke and Simon " \
                        "Clarke.docx"
    text = text_of(tmp_path / ruby.file)
    assert "Ruby Clarke (Year 1): annual review of her Education, Health and Care plan" in text
    assert "Date | Tuesday 6 October 2026" in text and "Time | 2.00pm" in text
    assert "Where | the SENCo's office" in text
    assert ("Invited | You, Ruby's parents and carers; Ruby, for as much of the meeting as she would like; Mr Patel "
            "(Ruby's class teacher); Mrs Amara Okafor (SENCo); Dr Hannah Price (Educational Psychology Service); Mr "
            "Tom Ashby (Speech and Language Therapy Service); Ms Priya Nair (Autism Outreach Team); an officer of "
            "the local authority's SEND team") in text
    assert "Your views, and Ruby's, matter most" in text and "Please return them by Tuesday 22 September 2026" in text
    assert "Ruby will come to:" in text
    for pupil in register.pupils:
        if pupil.upn != RUBY:
            assert pupil.name not in text and pupil.upn not in text, pupil.label


def test_a_meeting_less_than_two_weeks_away_is_refused_naming_the_pupil(tmp_path, settings, register):
    soon = LetterDetails(meeting_date=date(2026, 9, 25), meeting_time=time(9, 0))
    report = generate_letters(register, settings, tmp_path, LetterRequest(
        "annual_review_invite", letter_date=DAY, details=soon, only=[RUBY, OLIVER]))
    assert report.letters == [] and {f.name for f in report.failed} == {"Ruby Clarke", "Oliver Thompson"}
    assert report.failed[0].reason == (
        "the meeting on 25/09/2026 is 11 days after the letter's date 14/09/2026: everyone invited to an annual "
        "review must have at least two weeks' notice, and their advice is due two weeks before it (Code of Practice "
        "9.176). Move the meeting, or give --short-notice \"REASON\" to send it anyway with the reason recorded")
    assert not list(tmp_path.rglob("*.docx"))
    exactly = generate_letters(register, settings, tmp_path / "ok", LetterRequest(
        "annual_review_invite", letter_date=date(2026, 9, 11), details=soon, only=[RUBY]))
    assert exactly.ok  # 14 days is two weeks' notice


def test_short_notice_sends_it_and_records_the_reason(tmp_path, settings, register):
    soon = LetterDetails(meeting_date=date(2026, 9, 25), meeting_time=time(9, 0))
    report = generate_letters(register, settings, tmp_path, LetterRequest(
        "annual_review_invite", letter_date=DAY, details=soon, only=[RUBY],
        short_notice="the family asked for the first date the EP could come"))
    assert report.ok and len(report.letters) == 1
    record = "short notice (11 days before the meeting, not 14): the family asked for the first date the EP could come"
    assert report.warnings[-1] == f"Ruby Clarke ({RUBY}): {record}"
    [row] = manifest(tmp_path)
    assert row["status"] == "written" and row["detail"] == record


def test_cli_refuses_and_then_sends_at_short_notice(tmp_path):
    base = ["generate", "letters", "--register", str(REGISTER), "--letter", "annual_review_invite", "--date",
            "2026-09-14", "--meeting-date", "2026-09-25", "--meeting-time", "09:00", "--only", RUBY]
    refused = run(*base, "--out", str(tmp_path / "a"))
    assert refused.exit_code == 1
    assert "Failed: Ruby Clarke: the meeting on 25/09/2026 is 11 days after the letter's date 14/09/2026:" in \
           refused.output
    sent = run(*base, "--out", str(tmp_path / "b"), "--short-notice", "the EP's only free date")
    assert sent.exit_code == 0, sent.output
    assert ("Warning: Ruby Clarke (L801200025022): short notice (11 days before the meeting, not 14): the EP's only "
            "free date") in sent.output


def test_only_a_pupil_with_an_ehc_plan_has_an_annual_review(tmp_path, settings, register):
    with pytest.raises(LetterError) as caught:
        generate_letters(register, settings, tmp_path, LetterRequest("annual_review_invite", letter_date=DAY,
                                                                     details=MEETING, only=[ZOE]))
    assert str(caught.value) == (f"{REGISTER}: Zoë Whitmore ({ZOE}) has SEN status K, not E (an EHC plan), so has "
                                 "no annual review; no annual review invitation is made")


def test_the_meetings_sheet_says_who_is_invited(tmp_path, settings, register):
    sheet = tmp_path / "meetings.csv"
    sheet.write_text("UPN,Date,Time,Invited\n"
                     f"{OLIVER},13/10/2026,10:00,You; Oliver; Mrs Marsh (physiotherapist)\n"
                     f"{ZOE},13/10/2026,11:00,\n", encoding="utf-8")
    report = generate_letters(register, settings, tmp_path / "out", LetterRequest(
        "annual_review_invite", letter_date=DAY, meetings=sheet))
    assert report.ok and [r.name for r in report.letters] == ["Oliver Thompson"]
    assert report.warnings[-1] == (f"no annual review invitation for pupils without an EHC plan (status K) in "
                                   f"{sheet}: Zoë Whitmore ({ZOE})")
    text = text_of(tmp_path / "out" / report.letters[0].file)
    assert "Invited | You; Oliver; Mrs Marsh (physiotherapist)" in text
    assert "Where | Hollybrook Primary School" in text


def test_a_request_for_advice_goes_to_each_professional_involved(tmp_path, settings, register):
    report = generate_letters(register, settings, tmp_path, LetterRequest("advice_request", letter_date=DAY,
                                                                          details=MEETING))
    assert sorted((r.name, r.recipient) for r in report.letters) == [
        ("Oliver Thompson", "Mr Gareth Lloyd"), ("Oliver Thompson", "Mrs Julie Marsh"),
        ("Ruby Clarke", "Dr Hannah Price"), ("Ruby Clarke", "Mr Tom Ashby"), ("Ruby Clarke", "Ms Priya Nair")]
    assert all(r.delivery == "email" for r in report.letters)
    assert sorted(f.name for f in report.failed) == ["Jordan Ellery-Shaw", "Rahim Uddin", "Sam Kirkwood"]
    assert report.failed[0].reason == (f"no professional working with this pupil is listed in {REGISTER}, sheet "
                                       "'Professionals'; add each one (UPN, Name, Service, Email)")
    price = next(r for r in report.letters if r.recipient == "Dr Hannah Price")
    text = text_of(tmp_path / price.file)
    assert "Dear Dr Hannah Price" in text and "Educational Psychology Service" in text
    assert "By email: hannah.price@exampleton-eps.example.org" in text
    assert "Request for advice: Ruby Clarke, born 23/05/2021: annual review of her EHC plan" in text
    assert "Advice by | Tuesday 22 September 2026" in text
    assert "Please send your advice by Tuesday 22 September 2026, covering:" in text
    assert "Tom Ashby" not in text and "Oliver" not in text


def test_a_request_for_advice_needs_the_professionals(tmp_path, settings):
    register = load_register(SAMPLES / "register.csv")
    with pytest.raises(LetterError) as caught:
        generate_letters(register, settings, tmp_path, LetterRequest("advice_request", letter_date=DAY,
                                                                     details=MEETING, only=[RUBY]))
    assert str(caught.value) == (
        "the advice_request letter goes to each professional working with the pupil: add a Professionals sheet to "
        "the register workbook (UPN, Name, Service, Email), or give --professionals FILE")
    given = tmp_path / "professionals.csv"
    given.write_text("UPN,Name,Service,Email,Involved Since,Involved Until\n"
                     f"{RUBY},Dr Sam Okoye,Community Paediatrics,,01/01/2025,\n"
                     f"{RUBY},Ms Left Early,CAMHS,left@example.org,01/01/2024,31/08/2026\n"
                     f"{RUBY},Mr Typo,OT,not-an-email,,\n", encoding="utf-8")
    report = generate_letters(register, settings, tmp_path / "out", LetterRequest(
        "advice_request", letter_date=DAY, details=MEETING, only=[RUBY], professionals=given))
    assert [(r.recipient, r.delivery) for r in report.letters] == [("Dr Sam Okoye", "post"), ("Mr Typo", "post")]
    assert f"{given}, row 4, column 'Email': 'not-an-email' does not look like an email address; check it" \
           in report.warnings
    assert (f"Ruby Clarke ({RUBY}): Dr Sam Okoye (Community Paediatrics) has no email address: the letter is made "
            "for the office to send to them") in report.warnings


def test_both_letters_fit_one_page(tmp_path, settings, register):
    invite = generate_letters(register, settings, tmp_path / "i", LetterRequest(
        "annual_review_invite", letter_date=DAY, details=MEETING, only=[RUBY]))
    advice = generate_letters(register, settings, tmp_path / "a", LetterRequest(
        "advice_request", letter_date=DAY, details=MEETING, only=[RUBY]))
    jobs = [(tmp_path / "i" / invite.letters[0].file, tmp_path / "invite.pdf"),
            (tmp_path / "a" / advice.letters[0].file, tmp_path / "advice.pdf")]
    done = convert(jobs, work_dir=tmp_path)
    assert not done.failed
    for _, pdf in jobs:
        pages = PdfReader(str(pdf)).pages
        assert len(pages) == 1, pdf.name
        assert "Ruby Clarke" in pages[0].extract_text()
