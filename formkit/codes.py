"""The DfE census codes and school words formkit understands.

SEN provision (N/K/E), SEN type codes with their broad areas of need, year groups,
pronouns, and the UPN check letter. Each ``parse_*`` function accepts the ways
schools and MIS exports write a value and returns the canonical form, or raises
``ValueError`` with a sentence saying what is accepted (the register reader turns it
into a problem naming the row and column).
"""

from __future__ import annotations

import re
from enum import Enum

from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError
from stdnum.gb import upn as _upn


class SenStatus(str, Enum):
    """SEN provision as the school census records it."""

    N = "N"
    K = "K"
    E = "E"

    @property
    def label(self) -> str:
        return {"N": "No SEN", "K": "SEN support", "E": "EHC plan"}[self.value]


class Area(str, Enum):
    """The four broad areas of need (SEND Code of Practice 6.28-6.35)."""

    COMMUNICATION = "Communication and interaction"
    COGNITION = "Cognition and learning"
    SEMH = "Social, emotional and mental health"
    SENSORY = "Sensory and/or physical needs"

    @property
    def number(self) -> int:
        """The area's number on the All Saints IEP title (seed 003, Appendix B)."""
        return list(Area).index(self) + 1


NEEDS: dict[str, tuple[str, Area | None]] = {
    "SLCN": ("Speech, language and communication needs", Area.COMMUNICATION),
    "ASD": ("Autistic spectrum disorder", Area.COMMUNICATION),
    "SPLD": ("Specific learning difficulty", Area.COGNITION),
    "MLD": ("Moderate learning difficulty", Area.COGNITION),
    "SLD": ("Severe learning difficulty", Area.COGNITION),
    "PMLD": ("Profound and multiple learning difficulty", Area.COGNITION),
    "SEMH": ("Social, emotional and mental health", Area.SEMH),
    "HI": ("Hearing impairment", Area.SENSORY),
    "VI": ("Visual impairment", Area.SENSORY),
    "MSI": ("Multi-sensory impairment", Area.SENSORY),
    "PD": ("Physical disability", Area.SENSORY),
    "OTH": ("Other difficulty/disability", None),
    "NSA": ("SEN support but no specialist assessment of type of need", None),
}

_NEED_ALIASES: dict[str, str] = {
    "SPEECH LANGUAGE AND COMMUNICATION NEEDS": "SLCN",
    "SPEECH LANGUAGE AND COMMUNICATION NEED": "SLCN",
    "SPEECH LANGUAGE AND COMMUNICATION": "SLCN",
    "AUTISTIC SPECTRUM DISORDER": "ASD",
    "AUTISM": "ASD",
    "AUTISM SPECTRUM DISORDER": "ASD",
    "SPECIFIC LEARNING DIFFICULTY": "SPLD",
    "MODERATE LEARNING DIFFICULTY": "MLD",
    "SEVERE LEARNING DIFFICULTY": "SLD",
    "PROFOUND AND MULTIPLE LEARNING DIFFICULTY": "PMLD",
    "PROFOUND AND MULTIPLE LEARNING DIFFICULTIES": "PMLD",
    "SOCIAL EMOTIONAL AND MENTAL HEALTH": "SEMH",
    "HEARING IMPAIRMENT": "HI",
    "VISUAL IMPAIRMENT": "VI",
    "MULTI SENSORY IMPAIRMENT": "MSI",
    "MULTISENSORY IMPAIRMENT": "MSI",
    "PHYSICAL DISABILITY": "PD",
    "OTHER DIFFICULTY DISABILITY": "OTH",
    "OTHER": "OTH",
    "SEN SUPPORT BUT NO SPECIALIST ASSESSMENT OF TYPE OF NEED": "NSA",
    "NO SPECIALIST ASSESSMENT": "NSA",
}

_STATUS_ALIASES: dict[str, SenStatus] = {
    "N": SenStatus.N,
    "NO SEN": SenStatus.N,
    "N NO SEN": SenStatus.N,
    "NO SPECIAL EDUCATIONAL NEED": SenStatus.N,
    "N NO SPECIAL EDUCATIONAL NEED": SenStatus.N,
    "NONE": SenStatus.N,
    "K": SenStatus.K,
    "SEN SUPPORT": SenStatus.K,
    "K SEN SUPPORT": SenStatus.K,
    "E": SenStatus.E,
    "EHCP": SenStatus.E,
    "EHC PLAN": SenStatus.E,
    "E EHC PLAN": SenStatus.E,
    "E EHCP": SenStatus.E,
    "EDUCATION HEALTH AND CARE PLAN": SenStatus.E,
    "E EDUCATION HEALTH AND CARE PLAN": SenStatus.E,
}

_PRE_2014_STATUS = {"A": "School Action", "P": "School Action Plus", "S": "Statement"}


def _key(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", " ", text.upper()).strip()


def parse_status(value: str) -> SenStatus:
    """'K', 'SEN Support', 'K - SEN Support', 'E', 'EHCP', 'EHC Plan', 'N' -> SenStatus.

    Pre-2014 codes (A, P, S) are refused with a sentence saying what they became.
    """
    key = _key(value)
    if key in _STATUS_ALIASES:
        return _STATUS_ALIASES[key]
    if key in _PRE_2014_STATUS:
        old = _PRE_2014_STATUS[key]
        new = "E (EHC plan)" if key == "S" else "K (SEN support)"
        raise ValueError(f"'{value}' is the pre-2014 code for {old}; write {new} instead")
    raise ValueError(f"'{value}' is not an SEN status; use K (SEN support), E (EHC plan) or N (no SEN)")


def parse_need(value: str) -> str:
    """A census SEN type code or its name ('SpLD', 'Autism', 'Speech, language and
    communication needs') -> the code ('SPLD', 'ASD', 'SLCN')."""
    key = _key(value)
    compact = key.replace(" ", "")
    if compact in NEEDS:
        return compact
    if key in _NEED_ALIASES:
        return _NEED_ALIASES[key]
    if compact in {"BESD", "SEBD"}:
        raise ValueError(f"'{value}' is an old code; since 2014 it is SEMH (social, emotional and mental health)")
    codes = ", ".join(NEEDS)
    raise ValueError(f"'{value}' is not a census SEN type; use one of {codes}")


def need_name(code: str) -> str:
    return NEEDS[code][0]


def need_area(code: str) -> Area | None:
    return NEEDS[code][1]


_YEAR_NAMES = {"N1": -2, "N2": -1, "NURSERY": -1, "R": 0, "REC": 0, "RECEPTION": 0, "YR": 0, "YEAR R": 0}


def parse_year(value: object) -> int:
    """'Y3', 'Year 3', 'NC Year 3', '3', 3, 'R', 'Reception' -> 3 or 0 (Reception).

    Nursery is -1 (N2) or -2 (N1). Years run to 14.
    """
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a year group")
    if isinstance(value, (int, float)):
        if float(value).is_integer() and -2 <= int(value) <= 14:
            return int(value)
        raise ValueError(f"'{value}' is not a year group; write it as 3, Y3 or Year 3 (R for Reception)")
    text = _key(str(value))
    if text in _YEAR_NAMES:
        return _YEAR_NAMES[text]
    m = re.fullmatch(r"(?:NC )?(?:YEAR|YR|Y)? ?(\d{1,2})", text)
    if m and 0 <= int(m.group(1)) <= 14:
        return int(m.group(1))
    raise ValueError(f"'{value}' is not a year group; write it as 3, Y3 or Year 3 (R for Reception)")


def year_label(year: int) -> str:
    """3 -> 'Year 3'; 0 -> 'Reception'; -1 -> 'Nursery'."""
    if year == 0:
        return "Reception"
    if year < 0:
        return "Nursery"
    return f"Year {year}"


PRONOUNS: dict[str, dict[str, str]] = {
    "he": {"subject": "he", "object": "him", "possessive": "his", "reflexive": "himself"},
    "she": {"subject": "she", "object": "her", "possessive": "her", "reflexive": "herself"},
    "they": {"subject": "they", "object": "them", "possessive": "their", "reflexive": "themselves"},
}

_PRONOUN_ALIASES = {
    "HE": "he", "HE HIM": "he", "HE HIM HIS": "he", "M": "he", "MALE": "he", "BOY": "he",
    "SHE": "she", "SHE HER": "she", "SHE HER HERS": "she", "F": "she", "FEMALE": "she", "GIRL": "she",
    "THEY": "they", "THEY THEM": "they", "THEY THEM THEIR": "they",
}


def parse_pronouns(value: str) -> str:
    """'he', 'She/her', 'they/them', or a gender column's 'M'/'F' -> 'he', 'she', 'they'."""
    key = _key(value)
    if key in _PRONOUN_ALIASES:
        return _PRONOUN_ALIASES[key]
    raise ValueError(f"'{value}' is not a set of pronouns; write he, she or they")


UPN_PATTERN = re.compile(r"[A-Z]\d{11}[0-9A-Z]")


def normalise_upn(value: str) -> str:
    """Upper-case a UPN and drop spaces; raise ValueError if it is not 13 characters
    of the UPN shape (letter, 11 digits, digit or letter)."""
    upn = re.sub(r"\s+", "", value).upper()
    if not UPN_PATTERN.fullmatch(upn):
        raise ValueError(
            f"'{value}' is not a UPN: a UPN is 13 characters, a letter then 12 digits"
            " (a temporary UPN ends in a letter)"
        )
    return upn


def upn_warning(upn: str) -> str | None:
    """Why a well-shaped UPN looks wrong (bad check letter, unknown LA), or None."""
    try:
        _upn.validate(upn)
    except InvalidChecksum:
        right = _upn.calc_check_digit(upn[1:])
        return f"the check letter of {upn} should be {right}; check the UPN against the MIS"
    except InvalidComponent:
        return f"{upn[1:4]} in {upn} is not a known local authority number; check the UPN against the MIS"
    except ValidationError:
        return f"{upn} does not pass the UPN check; check it against the MIS"
    return None
