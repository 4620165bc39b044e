"""``[ehc]`` in formkit.toml: the settings of the EHC paperwork.

- ``notional_threshold``: the school's notional SEN budget per pupil a year (the
  "element 2" figure many local authorities expect a school to have spent before
  it asks for an EHC needs assessment or top-up funding). Default £6,000.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from ..errors import SettingsError
from ..settings import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_THRESHOLD = 6000.0


@dataclass(frozen=True)
class EhcConfig:
    """The ``[ehc]`` section, with its defaults."""

    notional_threshold: float = DEFAULT_THRESHOLD

    @classmethod
    def load(cls, settings: Settings | None) -> EhcConfig:
        """Read ``[ehc]`` from the settings' formkit.toml (the defaults without one).
        Raises SettingsError naming the file for a value formkit cannot use."""
        if settings is None or settings.path is None:
            return cls()
        try:
            data = tomllib.loads(settings.path.read_text(encoding="utf-8")).get("ehc", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return cls()  # load_settings has already read the file; it reports its own errors
        where = str(settings.path)
        if not isinstance(data, dict):
            raise SettingsError("[ehc] must be a section", file=where)
        threshold = data.get("notional_threshold", DEFAULT_THRESHOLD)
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or threshold < 0:
            raise SettingsError("[ehc] notional_threshold must be an amount in pounds, e.g. 6000", file=where)
        return cls(float(threshold))


__all__ = ["DEFAULT_THRESHOLD", "EhcConfig"]
