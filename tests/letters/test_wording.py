"""What each letter says to a family, for a pupil on SEN support (K) and one
with an EHC plan (E): an EHC plan pupil is not "on SEN support", their plan's
review is the annual review, and no letter states a number of targets that the
enclosed IEP could contradict."""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import pytest

from formkit.documents import CompiledTemplate, build_context, generate
from formkit.letters.details import LetterDetails
from formkit.letters.letter import LetterRequest, generate_letters

from .test_letters import text_of

LETTERS = Path(__file__).resolve().parents[2] / "templates" / "docx" / "letters"
DAY = date(2026, 9, 3)
K_PUPIL, E_PUPIL = "Q801200023013", "L801200025022"  # Chloé Martin (K, 3 targets), Ruby Clarke (E, 4 targets)
DETAILS = LetterDetails(meeting_date=date(2026, 12, 8), meeting_time=time(15, 30), meeting_with="the class teacher",
                        agency="the Educational Psychology Service")
FAMILY_LETTERS = ["sen_register", "iep_cover", "review_invite", "referral_consent"]
A_COUNT = re.compile(r"\b(up to|at most|one|two|three|four|five|six|\d+)\s+(SMART\s+)?targets?\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def settings(sample_settings):
    return sample_settings


@pytest.fixture(scope="module")
def register(sample_register):
    return sample_register


@pytest.fixture(scope="module")
def letters(tmp_path_factory, register, settings) -> dict[tuple[str, str], str]:
    """(letter, status) -> the text of that pupil's first letter."""
    ieps = tmp_path_factory.mktemp("ieps")
    generate(register, settings, ieps, only=[K_PUPIL, E_PUPIL], today=DAY)
    texts = {}
    for name in FAMILY_LETTERS:
        out = tmp_path_factory.mktemp(name)
        attach = ieps if name in ("sen_register", "iep_cover") else None
        report = generate_letters(register, settings, out, LetterRequest(
            name, letter_date=DAY, only=[K_PUPIL, E_PUPIL], details=DETAILS, attach_ieps=attach))
        assert report.ok, report.failed
        for result in report.letters:
            status = "E" if result.upn == E_PUPIL else "K"
            texts.setdefault((name, status), text_of(out / result.file))
    return texts


@pytest.mark.parametrize("name", FAMILY_LETTERS)
def test_a_pupil_with_an_ehc_plan_is_not_said_to_be_on_sen_support(letters, name):
    text = letters[name, "E"]
    assert "SEN support" not in text
    assert "EHC" in text and "Education, Health and Care" in text


@pytest.mark.parametrize("name", ["sen_register", "review_invite", "referral_consent"])
def test_a_pupil_on_sen_support_is_told_so(letters, name):
    text = letters[name, "K"]
    assert "SEN support" in text
    assert "EHC" not in text


@pytest.mark.parametrize("name", FAMILY_LETTERS)
@pytest.mark.parametrize("status", ["K", "E"])
def test_no_letter_states_a_number_of_targets(letters, name, status):
    assert not A_COUNT.search(letters[name, status]), A_COUNT.search(letters[name, status])


def test_the_sen_register_letter_for_an_ehc_plan_names_its_annual_review(letters):
    text = letters["sen_register", "E"]
    assert "Ruby has an Education, Health and Care (EHC) plan, so we are placing her on our Special" in text
    assert "reviewed with you at least once a year, at its annual review" in text
    assert "finding it difficult" not in text
    assert "In discussions with staff who work with your child" in letters["sen_register", "K"]


def test_the_review_invitation_is_the_iep_review_for_an_ehc_plan(letters):
    assert "Ruby Clarke (Year 1): IEP review meeting" in letters["review_invite", "E"]
    assert "This is not the annual review of the EHC plan" in letters["review_invite", "E"]
    assert "Chloé Martin (Year 3): SEN support review meeting" in letters["review_invite", "K"]
    assert "at least three times a year" in letters["review_invite", "K"]


def test_the_referral_consent_says_how_the_pupil_is_supported(letters):
    assert "We have been supporting Ruby through the provision in her Education, Health and Care (EHC) plan" in \
        letters["referral_consent", "E"]
    assert "We have been working with Chloé through SEN support" in letters["referral_consent", "K"]


@pytest.mark.parametrize("upn, absent", [(K_PUPIL, "plan EHC"), (E_PUPIL, "(SEN support)")])
def test_the_polish_sen_register_letter_reads_right_for_k_and_e(register, settings, tmp_path, upn, absent):
    from docx import Document

    pupil = register.by_upn(upn)
    context = build_context(pupil, settings.school, settings.term(None, DAY), DAY)
    context["recipient"] = {"names": "Anna Nowak", "salutation": "Pani Nowak", "address_lines": ["1 Road"],
                            "postcode": "EX1 1AA"}
    path = tmp_path / "pl.docx"
    path.write_bytes(CompiledTemplate(LETTERS / "sen_register.pl.docx").render(context))
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert absent not in text
    assert "do trzech" not in text and not A_COUNT.search(text)
    assert "rejestru" in text
