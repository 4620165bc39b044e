"""The EHC wing: one-page profiles, the annual review of an EHC plan, and the
evidence pack for an EHC needs-assessment request.

- :mod:`.profiles`: one-page profiles from the Profiles sheet;
- :mod:`.outcomes`: the EHCP outcomes sheet;
- :mod:`.config`: ``[ehc]`` in formkit.toml (the notional SEN threshold);
- :mod:`.history`: what the records store holds for one pupil;
- :mod:`.sections`: the pieces the EHC documents share, as template data;
- :mod:`.annual_review`: the annual review report, pre-filled for the meeting;
- :mod:`.evidence`: the parts of an EHC needs-assessment evidence pack;
- :mod:`.pages`: the pages the pack draws itself (the progress chart, footers);
- :mod:`.pack`: the evidence pack's PDF: contents, bookmarks, page numbers.
"""

from __future__ import annotations

from .annual_review import REPORT_AFTER, example_review_context, generate_annual_reviews, report_due
from .config import EhcConfig
from .evidence import example_evidence_context
from .outcomes import Outcome, OutcomeSheet, read_outcomes
from .pack import PackReport, PackResult, make_evidence_packs
from .profiles import (
    PROFILE_COLUMNS,
    Profile,
    ProfileSheet,
    example_profile_context,
    generate_profiles,
    profile_context,
    read_profiles,
)

__all__ = [
    "REPORT_AFTER",
    "example_review_context",
    "generate_annual_reviews",
    "report_due",
    "EhcConfig",
    "example_evidence_context",
    "Outcome",
    "OutcomeSheet",
    "read_outcomes",
    "PackReport",
    "PackResult",
    "make_evidence_packs",
    "PROFILE_COLUMNS",
    "Profile",
    "ProfileSheet",
    "example_profile_context",
    "generate_profiles",
    "profile_context",
    "read_profiles",
]
