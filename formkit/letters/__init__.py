"""The letters wing: letters home, one per family, and the print-ready pack.

- :mod:`.letter`: the letters run (one document per recipient);
- :mod:`.addressing`: recipients grouped by address;
- :mod:`.details`: meeting and agency details from a sheet or options, and the
  notice a meeting needs;
- :mod:`.professionals`: the professionals working with a pupil (an annual
  review invites them and asks each for advice);
- :mod:`.languages`: translated variants of a letter;
- :mod:`.enclosures`: the IEPs enclosed with a letter;
- :mod:`.pack`: the print-ready PDF and ``mailing.csv``;
- :mod:`.mailing`: the whole run, letters to pack.
"""

from __future__ import annotations

from .details import LetterDetails, details_sheet, parse_time, read_details
from .details import find_sheet as find_details_sheet
from .enclosures import iep_index, prove_iep
from .letter import (
    LETTERS,
    LetterReport,
    LetterRequest,
    example_letter_context,
    generate_letters,
    letter_names,
)
from .mailing import MAILING, make_letters
from .professionals import Professional, ProfessionalSheet, read_professionals

__all__ = [
    "LETTERS",
    "example_letter_context",
    "generate_letters",
    "letter_names",
    "LetterReport",
    "LetterRequest",
    "LetterDetails",
    "details_sheet",
    "parse_time",
    "read_details",
    "find_details_sheet",
    "MAILING",
    "make_letters",
    "Professional",
    "ProfessionalSheet",
    "read_professionals",
    "iep_index",
    "prove_iep",
]
