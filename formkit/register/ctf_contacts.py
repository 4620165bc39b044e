"""A transfer file's contacts and addresses, read into the register's Contact.

A ``Contact`` has ``Order``, ``Title``, ``Forename``, ``Surname``, a
``Relationship`` code (PAR, STP, FOF, CAR, REL, ... shown in words),
``Responsibility`` (parental responsibility: true or false), an ``Address`` or
``AddressAsPupil`` (the pupil's own address), ``Phones/Phone`` and ``Email``. An
address is BS7666 (``SAON``, ``PAON``, ``Street``, ``Locality``, ``Town``,
``AdministrativeArea``) or ``AddressLines``, with a ``PostCode``; it becomes the
same address block as the register's Contacts sheet gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


from ..errors import Severity
from ..model import Contact
from ..validation import RecordError
from .ctf_elements import Element, kid, kids, text
from .values import parse_yes_no, split_address, tidy_capitals, tidy_phone

Add = Callable[[Severity, str | None, str], None]
"""How a reader reports a problem: severity, element path, message."""

RELATIONSHIPS = {
    "PAR": "Parent", "STP": "Step-parent", "FOF": "Foster parent", "CAR": "Carer", "REL": "Relative",
    "OTH": "Other contact", "DOC": "Doctor", "CHM": "Childminder", "SWR": "Social worker",
}
"""The DfE's contact relationship codes, in words."""

PHONE_TYPES = {"H": "home", "M": "mobile", "W": "work", "D": "daytime", "E": "evening", "F": "fax"}


@dataclass(frozen=True)
class Address:
    """An address block (lines without the postcode, and the postcode), with what
    is wrong with it to report wherever it is used."""

    lines: tuple[str, ...]
    postcode: str
    issues: tuple[tuple[str, str], ...] = ()
    town: str = ""
    county: str = ""
    """The town and county when the file names them (BS7666's Town and
    AdministrativeArea, or County): the last of ``lines``, for a register's Town
    and County columns."""


def read_address(el: Element, where: str, add: Add | None = None) -> Address | None:
    """The Address element ``el`` (None: no address) as an address block. Its
    problems are kept in ``Address.issues``, and also reported through ``add``
    when given."""
    if el is None:
        return None
    bs = kid(el, "BS7666Address")
    parts: list[str] = []
    town = area = ""
    if bs is not None:
        saon, paon, street = (text(bs, n) for n in ("SAON", "PAON", "Street"))
        parts.append(saon)
        if paon and street and paon[:1].isdigit():
            parts.append(f"{paon} {street}")
        else:
            parts += [paon, street]
        town = text(bs, "Town") or text(bs, "PostTown")
        parts += [text(bs, "Locality"), town]
        area = text(bs, "AdministrativeArea")
        if area.casefold() != town.casefold():
            parts.append(area)
    else:
        lines = kid(el, "AddressLines")
        parts += [text(lines, f"AddressLine{n}") for n in range(1, 6)]
    county = text(el, "County")
    if county and county.casefold() not in (p.casefold() for p in parts):
        parts.append(county)
    county = county or (area if area.casefold() != town.casefold() else "")
    postcode = text(el, "PostCode") or text(bs, "PostCode")
    address_lines, code, ok = split_address([tidy_capitals(p, address=True) for p in parts if p], postcode)
    issues: list[tuple[str, str]] = []
    if not ok:
        issues.append((f"{where}/PostCode", f"'{code}' does not look like a UK postcode (such as EX1 2AB);"
                                            " check it"))
    elif address_lines and not code:
        issues.append((f"{where}/PostCode", "the address has no postcode, so letters cannot be posted to it;"
                                            " add the postcode in the register"))
    if add is not None:
        for element, message in issues:
            add("warning", element, message)
    named = [tidy_capitals(t, address=True) for t in (town, county)]
    tail = list(address_lines)
    found = {}
    for key, name in reversed(list(zip(("town", "county"), named))):
        if name and tail and tail[-1] == name:
            found[key] = tail.pop()
    return Address(address_lines, code, tuple(issues), found.get("town", ""), found.get("county", ""))


def _order(contact: Element, n: int) -> tuple[int, int]:
    order = text(contact, "Order")
    return (int(order) if order.isdigit() else 10_000, n)


def read_contacts(el: Element, home: Address | None, language: str, add: Add
                  ) -> tuple[list[Contact], list[dict[str, Any]]]:
    """The Contacts element's contacts, in their Order, as Contacts and as the
    values a register's Contacts sheet would hold. ``home`` is the pupil's own
    address (for AddressAsPupil); ``language`` the pupil's home language code."""
    contacts: list[Contact] = []
    rows: list[dict[str, Any]] = []
    items = sorted(enumerate(kids(el, "Contact"), start=1), key=lambda item: _order(item[1], item[0]))
    at_home: list[bool] = []
    for n, contact in items:
        values = _contact_values(contact, f"Contacts/Contact[{n}]", home, language, add, at_home)
        if values is None:
            continue
        rows.append(dict(values))
        for key in ("town", "county"):
            values.pop(key)
        try:
            contacts.append(Contact(**values))
        except RecordError as exc:
            bad = exc.bad[0]
            add("warning", f"Contacts/Contact[{n}]",
                f"this contact cannot be used (its {bad.field.replace('_', ' ')} {bad.reason}); it is left out")
    if at_home and home is not None:
        for element, message in home.issues:
            add("warning", element, message)
    return contacts, rows


def _contact_values(contact: Element, where: str, home: Address | None, language: str, add: Add,
                    at_home: list[bool]) -> dict[str, Any] | None:
    title, forename, surname = (tidy_capitals(text(contact, n)) for n in ("Title", "Forename", "Surname"))
    if not forename and not surname:
        add("warning", where, "this contact has no name, so it is left out")
        return None
    values: dict[str, Any] = {
        "name": " ".join(p for p in (title, forename, surname) if p),
        "salutation": f"{title} {surname}" if title and surname else "",
        "relationship": _relationship(text(contact, "Relationship"), f"{where}/Relationship", add),
        "parental_responsibility": _responsibility(text(contact, "Responsibility"), f"{where}/Responsibility",
                                                   add),
        "email": text(contact, "Email"),
        "home_language": "English" if language.upper() in ("", "ENG", "ENB") else language,
    }
    address = _address(contact, where, home, add, at_home)
    values["address_lines"], values["postcode"] = (address.lines, address.postcode) if address else ((), "")
    values["town"], values["county"] = (address.town, address.county) if address else ("", "")
    phones = []
    for m, phone in enumerate(kids(kid(contact, "Phones"), "Phone"), start=1):
        raw = text(phone, "PhoneNo")
        if not raw:
            continue
        number, ok = tidy_phone(raw)
        if not ok:
            add("warning", f"{where}/Phones/Phone[{m}]/PhoneNo",
                f"'{number}' does not look like a UK phone number; it is kept as written")
        kind = PHONE_TYPES.get(text(phone, "TelephoneType").upper())
        phones.append(f"{number} ({kind})" if kind else number)
    values["phone"] = ", ".join(phones)
    if values["email"] and "@" not in values["email"]:
        add("warning", f"{where}/Email", f"'{values['email']}' does not look like an email address; check it")
    return values


def _relationship(code: str, where: str, add: Add) -> str:
    if code.upper() in RELATIONSHIPS:
        return RELATIONSHIPS[code.upper()]
    if re.fullmatch(r"[A-Z]{2,4}", code):
        known = ", ".join(f"{c} ({w.lower()})" for c, w in RELATIONSHIPS.items())
        add("warning", where, f"'{code}' is not a relationship code formkit knows ({known}); it is kept as written")
    return code


def _responsibility(raw: str, where: str, add: Add) -> bool:
    """Parental responsibility as the file says it; when it says nothing (or
    something that is not true or false), the contact is taken not to have it,
    so no letter about the pupil goes to them until the register says so."""
    if raw:
        try:
            return parse_yes_no(raw)
        except ValueError:
            pass
    shown = f"'{raw}' is not true or false" if raw else "Responsibility is blank"
    add("warning", where, f"{shown}, so formkit treats this contact as not having parental responsibility and"
                          " sends them no letters; check it and write Y in the register if they have it")
    return False


def _address(contact: Element, where: str, home: Address | None, add: Add, at_home: list[bool]
             ) -> Address | None:
    """The contact's own Address, or the pupil's for AddressAsPupil (noted in
    ``at_home``, so the pupil's address problems are reported once)."""
    as_pupil = text(contact, "AddressAsPupil")
    own = kid(contact, "Address")
    try:
        lives_with_pupil = bool(as_pupil) and parse_yes_no(as_pupil)
    except ValueError:
        add("warning", f"{where}/AddressAsPupil", f"'{as_pupil}' is not true or false; formkit uses the contact's"
                                                  " own address, if any")
        lives_with_pupil = False
    if lives_with_pupil and own is None:
        if home is None:
            add("warning", f"{where}/AddressAsPupil", "the contact lives at the pupil's address, but the pupil has"
                                                      " no Address; add the address in the register")
            return None
        at_home.append(True)
        return home
    return read_address(own, f"{where}/Address", add)
