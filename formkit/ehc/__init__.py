"""The EHC wing: one-page profiles, the annual review of an EHC plan, and the
evidence pack for an EHC needs-assessment request.

- :mod:`.profiles`: one-page profiles from the Profiles sheet.
"""

from __future__ import annotations

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
    "PROFILE_COLUMNS",
    "Profile",
    "ProfileSheet",
    "example_profile_context",
    "generate_profiles",
    "profile_context",
    "read_profiles",
]
