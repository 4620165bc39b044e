"""The demo: term start for the bundled invented pupils of Hollybrook Primary."""

from __future__ import annotations

from pathlib import Path

from .batch import BatchReport, generate
from .register import load_register
from .resources import bundled
from .settings import load_settings


def run_demo(out: Path) -> BatchReport:
    """Generate every sample pupil's IEP into ``out`` for the sample's first term,
    replacing earlier demo files. Only invented pupils are involved."""
    settings = load_settings(None, cwd=bundled("samples"))
    register = load_register(bundled("samples", "register.xlsx"), column_map=settings.column_map)
    first = min(settings.school.terms, key=lambda t: t.start)
    return generate(register, settings, out, term=first.name, today=first.start, overwrite=True)
