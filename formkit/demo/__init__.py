"""The demo: two terms' paperwork for the invented pupils of Hollybrook Primary.

Term start (IEPs), the IEP copies home (letters), the forms teachers fill in and
reading the returned ones into records, the spring term's targets drafted from
the reviews and its IEPs written, then the provision map, and last an EHC
pupil's annual review invitation and evidence pack. Only invented
pupils are involved; earlier demo files in the output folder are replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..documents import BatchReport, generate
from ..files import private_dir
from ..letters import LetterReport, LetterRequest, generate_letters
from ..register import load_register
from ..resources import bundled
from ..settings import load_settings
from .cycle import CycleDemo, run_cycle_demo
from .ehc import EhcDemo, run_ehc_demo
from .forms import FormsDemoReport, run_forms_demo
from .provision import ProvisionDemo, run_provision_demo


@dataclass
class DemoReport:
    """Each step's own report, in the order the demo ran them."""

    out: Path
    ieps: BatchReport
    letters: LetterReport
    forms: FormsDemoReport
    cycle: CycleDemo
    provision: ProvisionDemo
    ehc: EhcDemo

    @property
    def ok(self) -> bool:
        return self.ieps.ok and self.letters.ok and self.forms.ok and self.cycle.ok and self.ehc.ok


def run_demo(out: Path) -> DemoReport:
    """Run every step into ``out``: IEPs/ (autumn, then spring), letters/,
    forms/, records.sqlite, 'Targets Spring 2027.xlsx', 'Provision map.xlsx' updated from the returned impact forms, and EHC/: an
    annual review invitation and an evidence pack."""
    settings = load_settings(None, cwd=bundled("samples"))
    register = load_register(bundled("samples", "register.xlsx"), column_map=settings.column_map)
    first = min(settings.school.terms, key=lambda t: t.start)
    private_dir(out)
    ieps = generate(register, settings, out / "IEPs", term=first.name, today=first.start, overwrite=True)
    letters = generate_letters(
        register,
        settings,
        out / "letters",
        LetterRequest(letter="iep_cover", term=first.name, letter_date=first.start, overwrite=True),
    )
    forms = run_forms_demo(out)
    cycle = run_cycle_demo(out, ieps)
    provision = run_provision_demo(out)
    return DemoReport(out, ieps, letters, forms, cycle, provision, run_ehc_demo(out))
