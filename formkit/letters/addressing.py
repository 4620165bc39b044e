"""Who gets a pupil's letter, at which address, and how it is addressed.

The rules (docs/letters.md tells schools the same):

- Letters go to contacts with parental responsibility who receive mail. A
  grandparent without parental responsibility, or a parent marked as not
  receiving mail, gets none.
- Carers at the same postal address get one letter to both; carers at different
  addresses get a letter each. Addresses are compared ignoring case, spaces and
  punctuation, with the postcode.
- A carer with no postal address but an email address gets a letter written for
  email (``delivery == 'email'``): it is made, but is not in the print pack, and
  the run names them. A carer with neither is named as a problem.
- A pupil none of whose carers can be written to is a problem naming the pupil;
  they are never skipped silently.
- The salutation is the contacts' own ('Mrs Chaudhry'), joined with 'and' for
  two at one address; a contact without one is greeted by name. The first line
  of the address block is the contacts' names.
- A letter's language is the home language its recipients share; when carers at
  one address have different home languages, the letter is in English and the
  run says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..model import Contact, Pupil
from .languages import ENGLISH, language_code, language_name

Delivery = Literal["post", "email"]


@dataclass(frozen=True)
class Recipient:
    """One letter's addressees: one contact, or several at one address."""

    contacts: tuple[Contact, ...]
    delivery: Delivery = "post"
    service: str = ""
    """For a letter to a professional (a request for advice), their service."""

    @property
    def names(self) -> str:
        """'Priya Chaudhry' or 'Priya Chaudhry and Vikram Chaudhry'."""
        return _join([c.name for c in self.contacts])

    @property
    def salutation(self) -> str:
        """'Mrs Chaudhry and Mr Chaudhry'; a contact without a salutation by name."""
        return _join([c.salutation or c.name for c in self.contacts])

    @property
    def address_lines(self) -> tuple[str, ...]:
        """The postal lines without the postcode; for email, 'By email: ...'; a
        professional's service first."""
        lines = (f"By email: {self.email}",) if self.delivery == "email" else self.contacts[0].address_lines
        return (self.service, *lines) if self.service else lines

    @property
    def postcode(self) -> str:
        return self.contacts[0].postcode if self.delivery == "post" else ""

    @property
    def email(self) -> str:
        return "; ".join(c.email for c in self.contacts if c.email)

    @property
    def relationships(self) -> str:
        return _join([c.relationship for c in self.contacts if c.relationship])

    @property
    def language(self) -> str | None:
        """The ISO code of the home language every recipient shares; English when
        they differ; None when it is one formkit does not know."""
        codes = {language_code(c.home_language) for c in self.contacts}
        if len(codes) == 1:
            return codes.pop()
        return ENGLISH

    @property
    def language_label(self) -> str:
        """The home language as the register wrote it, e.g. 'Somali'; several
        joined with ' and '."""
        seen: list[str] = []
        for c in self.contacts:
            if c.home_language not in seen:
                seen.append(c.home_language)
        return " and ".join(seen)

    def context(self) -> dict[str, object]:
        """What a template sees as ``recipient``."""
        return {
            "names": self.names,
            "salutation": self.salutation,
            "address_lines": list(self.address_lines),
            "postcode": self.postcode,
            "address": ", ".join([*self.address_lines, self.postcode] if self.postcode else self.address_lines),
            "email": self.email,
            "relationships": self.relationships,
            "delivery": "email" if self.delivery == "email" else "post",
            "service": self.service,
        }


@dataclass(frozen=True)
class Addressing:
    """A pupil's letters: one Recipient each, and what someone should look at.
    ``problems`` are sentences that name the pupil's carers; ``ok`` is False when
    no letter at all can be sent for the pupil."""

    pupil: Pupil
    recipients: tuple[Recipient, ...]
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return bool(self.recipients)


def _join(parts: list[str]) -> str:
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def address_key(contact: Contact) -> str:
    """The address compared: lines and postcode, ignoring case, spaces and punctuation."""
    text = " ".join([*contact.address_lines, contact.postcode])
    return re.sub(r"[\W_]+", "", text.casefold())


def recipients_for(pupil: Pupil) -> Addressing:
    """Group the pupil's contacts into letters by the rules in this module's docstring."""
    problems: list[str] = []
    eligible = [c for c in pupil.contacts if c.parental_responsibility and c.receives_mail]
    if not pupil.contacts:
        return Addressing(pupil, (), ("there are no contacts for this pupil on the Contacts sheet; add the parents "
                                      "or carers with parental responsibility",))
    if not eligible:
        listed = ", ".join(f"{c.name} ({_why_not(c)})" for c in pupil.contacts)
        return Addressing(pupil, (), (f"no contact has parental responsibility and receives mail: {listed}; "
                                      "check the Contacts sheet",))
    by_address: dict[str, list[Contact]] = {}
    email_only: list[Contact] = []
    for contact in eligible:
        if contact.has_postal_address:
            by_address.setdefault(address_key(contact), []).append(contact)
        elif contact.email:
            email_only.append(contact)
        else:
            problems.append(f"{contact.name} has no postal address and no email address, so gets no letter; "
                            "add the address to the Contacts sheet")
    recipients = [Recipient(tuple(group)) for group in by_address.values()]
    for contact in email_only:
        recipients.append(Recipient((contact,), "email"))
        problems.append(f"{contact.name} has no postal address: the letter is written for email to {contact.email} "
                        "and is not in the print pack")
    for recipient in recipients:
        if len(recipient.contacts) > 1 and len({language_code(c.home_language) for c in recipient.contacts}) > 1:
            problems.append(f"{recipient.names} share an address but have different home languages "
                            f"({recipient.language_label}), so their letter is in {language_name(ENGLISH)}")
    if not recipients:
        problems.append("no letter can be sent: no contact with parental responsibility has a postal or email "
                        "address; add one to the Contacts sheet")
    return Addressing(pupil, tuple(recipients), tuple(problems))


def _why_not(contact: Contact) -> str:
    if not contact.parental_responsibility:
        return "no parental responsibility"
    return "does not receive mail"
