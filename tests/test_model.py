"""formkit.model and formkit.validation: records refuse a value of the wrong kind
when they are made, naming the field and why; are frozen, equal and hashable by
value; and go to JSON and back. formkit.toml's values are refused the same way."""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from formkit.codes import Area, SenStatus
from formkit.errors import SettingsError
from formkit.model import Contact, Pupil, School, Target, Term
from formkit.settings import load_settings
from formkit.validation import BadValue, RecordError, from_json, to_json

ZOE = {"upn": "E801200019001", "legal_forename": "Zoë", "legal_surname": "Ng", "dob": date(2017, 3, 14), "year": 4,
       "sen_status": SenStatus.K}


def refused(kind: type, **values: Any) -> list[str]:
    with pytest.raises(RecordError) as info:
        kind(**values)
    assert str(info.value).startswith(f"{kind.__name__}: ")
    return [str(bad) for bad in info.value.bad]


@pytest.mark.parametrize("changes, message", [
    ({"legal_surname": 7}, "legal_surname: must be text"),
    ({"dob": "2017-03-14"}, "dob: must be a date (without a time)"),
    ({"dob": datetime(2017, 3, 14, 9, 30)}, "dob: must be a date (without a time)"),
    ({"date_added": 20170314}, "date_added: must be a date (without a time)"),
    ({"year": "4"}, "year: must be a whole number from -2 to 14"),
    ({"year": 4.0}, "year: must be a whole number from -2 to 14"),
    ({"year": True}, "year: must be a whole number from -2 to 14"),
    ({"year": 15}, "year: must be a whole number from -2 to 14"),
    ({"year": -3}, "year: must be a whole number from -2 to 14"),
    ({"sen_status": "S"}, "sen_status: must be one of: N, K, E"),
    ({"sen_status": None}, "sen_status: must be one of: N, K, E"),
    ({"pronouns": "He"}, "pronouns: must be one of: he, she, they"),
    ({"primary_need": 3}, "primary_need: must be text"),
    ({"contacts": Contact(name="Ann Ng")}, "contacts: must be a list"),
    ({"contacts": ({"name": "Ann Ng"},)}, "contacts: item 1 must be a Contact"),
    ({"targets": (Target(target="To read"), Contact(name="Ann Ng"))}, "targets: item 2 must be a Target"),
    ({"extra": {"Favourite subject": 3}}, "extra: must be a table of text by text headings"),
    ({"extra": [("Favourite subject", "Art")]}, "extra: must be a table of text by text headings"),
    ({"nickname": "Zo"}, "nickname: is not a field of a Pupil"),
])
def test_a_pupil_refuses_each_kind_of_bad_value_naming_the_field(changes: dict[str, Any], message: str) -> None:
    assert refused(Pupil, **(ZOE | changes)) == [message]


@pytest.mark.parametrize("kind, values, message", [
    (Contact, {"name": "Ann Ng", "receives_mail": "yes"}, "receives_mail: must be true or false"),
    (Contact, {"name": "Ann Ng", "parental_responsibility": 1}, "parental_responsibility: must be true or false"),
    (Contact, {"name": "Ann Ng", "address_lines": ("1 High St", 2)}, "address_lines: item 2 must be text"),
    (Contact, {"name": "Ann Ng", "address_lines": "1 High St"}, "address_lines: must be a list"),
    (Contact, {}, "name: is missing"),
    (Target, {"target": "To read", "baseline": 201}, "baseline: must be a whole number from 0 to 200"),
    (Target, {"target": "To read", "achieved": -1}, "achieved: must be a whole number from 0 to 200"),
    (Target, {"target": "To read", "area": "Cognition"}, "area: must be one of: Communication and interaction,"
     " Cognition and learning, Social, emotional and mental health, Sensory and/or physical needs"),
    (Term, {"name": "Autumn", "start": date(2026, 9, 3), "end": "2026-12-18"}, "end: must be a date (without a time)"),
    (School, {"name": "Ash Primary", "senco": "Ms Khan", "terms": ({"name": "Autumn"},)},
     "terms: item 1 must be a Term"),
])
def test_every_record_refuses_a_bad_value(kind: type, values: dict[str, Any], message: str) -> None:
    assert refused(kind, **values) == [message]


def test_every_bad_value_is_named_in_field_order_with_what_was_given() -> None:
    with pytest.raises(RecordError) as info:
        Pupil(**(ZOE | {"year": 40, "pronouns": "it", "zz": 1}), upn_check=False)
    assert info.value.bad == (BadValue("year", "must be a whole number from -2 to 14", 40),
                              BadValue("pronouns", "must be one of: he, she, they", "it"),
                              BadValue("zz", "is not a field of a Pupil", 1),
                              BadValue("upn_check", "is not a field of a Pupil", False))
    assert refused(Pupil, upn="E801200019001") == [
        "legal_forename: is missing", "legal_surname: is missing", "dob: is missing", "year: is missing",
        "sen_status: is missing"]


def test_codes_become_their_enum_and_lists_become_tuples() -> None:
    pupil = Pupil(**(ZOE | {"sen_status": "E"}), contacts=[Contact(name="Ann Ng", address_lines=["1 High St"])],
                  targets=[Target(target="To read", area="Cognition and learning")])
    assert pupil.sen_status is SenStatus.E and pupil.targets[0].area is Area.COGNITION
    assert pupil.contacts == (Contact(name="Ann Ng", address_lines=("1 High St",)),)
    assert isinstance(pupil.contacts[0].address_lines, tuple) and isinstance(pupil.targets, tuple)


def test_records_are_frozen_equal_and_hashable_by_value_and_replace_checks_the_new_values() -> None:
    extra = {"Favourite subject": "Art"}
    pupil = Pupil(**ZOE, extra=extra)
    extra["Favourite subject"] = "Maths"
    assert pupil.extra == {"Favourite subject": "Art"}  # the record keeps its own copy
    with pytest.raises(FrozenInstanceError):
        pupil.year = 5  # type: ignore[misc]
    same = Pupil(**ZOE, extra={"Favourite subject": "Art"})
    assert same == pupil and hash(same) == hash(pupil) and len({pupil, same}) == 1
    assert replace(pupil, extra={}) != pupil
    assert replace(pupil, year=5).year == 5
    with pytest.raises(RecordError, match="year: must be a whole number from -2 to 14"):
        replace(pupil, year="5")
    with pytest.raises(TypeError):
        Pupil("E801200019001")  # keyword only


def test_a_full_record_goes_to_json_and_back_and_pickles() -> None:
    pupil = Pupil(**ZOE, preferred_forename="Zo", pronouns="she", primary_need="SLCN", date_added=date(2025, 9, 4),
                  contacts=(Contact(name="Ann Ng", address_lines=("1 High St", "Exampleton"), postcode="EX1 1AA"),),
                  targets=(Target(target="To read", area=Area.COGNITION, baseline=35, half_term=60),),
                  extra={"Favourite subject": "Art"})
    data = to_json(pupil)
    assert data["dob"] == "2017-03-14" and data["sen_status"] == "K" and data["targets"][0]["area"] == \
        "Cognition and learning" and data["contacts"][0]["address_lines"] == ["1 High St", "Exampleton"]
    assert from_json(Pupil, data) == pupil
    assert pickle.loads(pickle.dumps(pupil)) == pupil
    school = School(name="Ash Primary", senco="Ms Khan",
                    terms=(Term(name="Autumn 2026", start=date(2026, 9, 3), end=date(2026, 12, 18)),))
    assert from_json(School, to_json(school)) == school
    with pytest.raises(RecordError, match="dob: must be a date"):
        from_json(Pupil, data | {"dob": "14/03/2017"})


def test_a_targets_review_bands_are_for_the_documents_and_not_exported() -> None:
    target = Target(target="To read", half_term_band="50-74%", achieved_band="75-99%")
    data = to_json(target)
    assert "half_term_band" not in data and "achieved_band" not in data
    assert from_json(Target, data) == replace(target, half_term_band="", achieved_band="")


SCHOOL = '[school]\nname = "Ash Primary"\nsenco = "Ms Khan"\n'


def settings_error(tmp_path: Path, text: str, top: str = "") -> str:
    path = tmp_path / "formkit.toml"
    path.write_text(top + SCHOOL + text, encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    return str(info.value).removeprefix(f"{path}: ")


def test_settings_name_the_value_they_cannot_use(tmp_path: Path) -> None:
    assert settings_error(tmp_path, 'phone = 1632960123\n') == "has a value formkit cannot use: [school] phone must be text"
    assert settings_error(tmp_path, '[[terms]]\nname = "Autumn 2026"\nstart = 2026-09-03\n') == (
        "has a value formkit cannot use: [[terms]] end is missing")
    assert settings_error(tmp_path, '[[terms]]\nname = "Autumn 2026"\nstart = 2026-09-03\nend = 2026-12-18\n'
                                    'weeks = 15\n') == "has a value formkit cannot use: [[terms]] weeks is not a field of a Term"
    assert settings_error(tmp_path, '[[terms]]\nname = "Autumn 2026"\nstart = "03/09/2026"\nend = 2026-12-18\n') == (
        "term 'Autumn 2026' start '03/09/2026' is not a date; write it as 2026-09-03")
    assert settings_error(tmp_path, "", top='terms = ["Autumn"]\n') == (
        "has a value formkit cannot use: each [[terms]] entry must be a table with name, start and end")


def test_a_term_date_in_quotes_is_read_as_the_date_it_says(tmp_path: Path) -> None:
    path = tmp_path / "formkit.toml"
    path.write_text(SCHOOL + '[[terms]]\nname = "Autumn 2026"\nstart = "2026-09-03"\nend = 2026-12-18\n'
                    'review = " 2026-12-09"\n', encoding="utf-8")
    [term] = load_settings(path).school.terms
    assert (term.start, term.end, term.review) == (date(2026, 9, 3), date(2026, 12, 18), date(2026, 12, 9))
