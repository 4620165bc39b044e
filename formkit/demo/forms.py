"""The forms step of the demo: the sample pupils' forms written, the returned
samples read back and kept in the records store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..documents import BatchReport
from ..files import private_dir
from ..forms import ReadReport, generate_forms, read_forms
from ..records import ImportSummary, RecordStore
from ..register import load_register
from ..resources import bundled
from ..settings import load_settings


TERM_FORMS = ("referral", "iep-review", "impact")
"""The termly forms; the views for an annual review are the EHC step's."""


@dataclass
class FormsDemoReport:
    """What the forms demo did: the forms generated per kind, what was read from
    samples/returned/, what the store made of it, and where everything is."""

    out: Path
    generated: dict[str, BatchReport] = field(default_factory=dict)
    read: ReadReport | None = None
    imported: ImportSummary | None = None
    store: Path | None = None

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.generated.values()) and (self.read is None or self.read.ok)

    def text(self) -> str:
        lines = []
        for kind, report in self.generated.items():
            lines.append(f"{kind}: {report.count('written')} forms written to {report.out}")
        if self.read is not None:
            lines.append(self.read.text())
        if self.imported is not None and self.store is not None:
            lines.append(f"Records store {self.store}: {self.imported.text()}")
        return "\n".join(lines)


def run_forms_demo(out: Path, *, now: datetime | None = None) -> FormsDemoReport:
    """Go on from term start: write the sample pupils' referral, IEP review and
    impact forms into OUT/forms/<kind>/, read the returned forms in
    samples/returned/ (invented pupils) into the records store OUT/records.sqlite,
    and return what happened. Earlier demo files are replaced."""
    settings = load_settings(None, cwd=bundled("samples"))
    register = load_register(bundled("samples", "register.xlsx"), column_map=settings.column_map)
    first = min(settings.school.terms, key=lambda t: t.start)
    report = FormsDemoReport(out=out)
    private_dir(out)
    for kind in TERM_FORMS:
        report.generated[kind] = generate_forms(register, settings, out / "forms" / kind, kind=kind, overwrite=True,
                                                term=first.name, today=first.start)
    report.read = read_forms([bundled("samples", "returned")], register=register, settings=settings)
    report.store = out / "records.sqlite"
    with RecordStore.open(report.store, create=True) as store:
        report.imported = store.import_report(report.read, now=now or datetime.now(timezone.utc))
    return report
