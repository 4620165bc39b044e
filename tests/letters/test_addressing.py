"""Who a pupil's letters go to: one per address, carers with parental responsibility who receive mail."""

from __future__ import annotations

from datetime import date

from formkit.letters.addressing import recipients_for
from formkit.letters.languages import language_code
from formkit.model import Contact, Pupil


def pupil(*contacts: Contact) -> Pupil:
    return Pupil(upn="B801200005001", legal_forename="Zofia", legal_surname="Kowalska", dob=date(2018, 2, 1), year=3,
                 sen_status="K", contacts=contacts)


def carer(name: str, salutation: str = "", lines: tuple[str, ...] = ("1 Elm Road", "Exampleton"),
          postcode: str = "EX1 2AB", **more) -> Contact:
    return Contact(name=name, salutation=salutation, address_lines=lines, postcode=postcode, **more)


def test_carers_at_one_address_get_one_letter_to_both():
    result = recipients_for(pupil(carer("Anna Kowalska", "Mrs Kowalska"), carer("Jan Kowalski", "Mr Kowalski",
                                                                                 lines=("1 ELM ROAD.", "exampleton"))))
    assert result.ok and result.problems == ()
    [letter] = result.recipients
    assert letter.names == "Anna Kowalska and Jan Kowalski"
    assert letter.salutation == "Mrs Kowalska and Mr Kowalski"
    assert letter.address_lines == ("1 Elm Road", "Exampleton") and letter.postcode == "EX1 2AB"


def test_carers_at_two_addresses_get_a_letter_each():
    result = recipients_for(pupil(carer("Anna Kowalska", "Mrs Kowalska"),
                                  carer("Jan Kowalski", "Mr Kowalski", lines=("Flat 2", "41 Station Road"),
                                        postcode="EX5 1DW")))
    assert [(r.names, r.address_lines, r.postcode) for r in result.recipients] == [
        ("Anna Kowalska", ("1 Elm Road", "Exampleton"), "EX1 2AB"),
        ("Jan Kowalski", ("Flat 2", "41 Station Road"), "EX5 1DW"),
    ]


def test_no_parental_responsibility_or_no_mail_gets_nothing():
    result = recipients_for(pupil(carer("Anna Kowalska"), carer("Ewa Nowak", parental_responsibility=False,
                                                                lines=("4 Tannery Lane",)),
                                  carer("Piotr Kowalski", receives_mail=False, lines=("9 Park Road",))))
    assert [r.names for r in result.recipients] == ["Anna Kowalska"]
    assert result.problems == ()


def test_salutation_falls_back_to_the_name():
    [letter] = recipients_for(pupil(carer("Anna Kowalska"))).recipients
    assert letter.salutation == "Anna Kowalska"


def test_email_only_carer_gets_an_email_letter_and_is_named():
    result = recipients_for(pupil(carer("Dana Parker-Evans", lines=(), postcode="", email="dana@example.com")))
    [letter] = result.recipients
    assert letter.delivery == "email" and letter.address_lines == ("By email: dana@example.com",)
    assert result.problems == ("Dana Parker-Evans has no postal address: the letter is written for email to "
                               "dana@example.com and is not in the print pack",)


def test_pupil_nobody_can_be_written_to_is_a_named_problem():
    nobody = recipients_for(pupil())
    assert not nobody.ok
    assert nobody.problems == ("there are no contacts for this pupil on the Contacts sheet; add the parents or "
                               "carers with parental responsibility",)
    no_pr = recipients_for(pupil(carer("Ewa Nowak", parental_responsibility=False)))
    assert no_pr.problems == ("no contact has parental responsibility and receives mail: Ewa Nowak (no parental "
                              "responsibility); check the Contacts sheet",)
    no_address = recipients_for(pupil(carer("Anna Kowalska", lines=(), postcode="")))
    assert not no_address.ok
    assert no_address.problems[-1].startswith("no letter can be sent")
    assert "Anna Kowalska has no postal address and no email address" in no_address.problems[0]


def test_language_is_shared_or_english():
    same = recipients_for(pupil(carer("A", home_language="Polish"), carer("B", home_language="pl"))).recipients[0]
    assert same.language == "pl"
    mixed = recipients_for(pupil(carer("A", home_language="Polish"), carer("B", home_language="English")))
    assert mixed.recipients[0].language == "en"
    assert "different home languages (Polish and English)" in mixed.problems[0]
    assert recipients_for(pupil(carer("A", home_language="Klingon"))).recipients[0].language is None


def test_language_codes():
    assert [language_code(t) for t in ("Polish", "POL", "pl", "", "English", "ENB", "Somali", "Bengali")] == [
        "pl", "pl", "pl", "en", "en", "en", "so", "bn"]
