"""The second term of the demo: the autumn plans kept, the reviews that came
back (the forms step read them) drafting the spring targets, and the spring
IEPs written from them beside the autumn ones."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..cycle import NextTargets, draft_next_targets, record_ieps, write_next_targets
from ..documents import BatchReport, generate
from ..register import load_register
from ..resources import bundled
from ..settings import load_settings


@dataclass
class CycleDemo:
    """The spring targets drafted (and where), and the spring IEPs."""

    draft: NextTargets
    targets: Path
    ieps: BatchReport

    @property
    def ok(self) -> bool:
        return self.ieps.ok

    def text(self) -> str:
        return "\n".join([
            self.draft.text(),
            f"Spring targets drafted for the SENCo to edit: {self.targets}",
            f"{self.ieps.term}: {self.ieps.count('written')} IEPs written from them, beside the autumn ones in "
            f"{self.ieps.out}",
        ])


def run_cycle_demo(out: Path, autumn_ieps: BatchReport) -> CycleDemo:
    """Keep the autumn plans of ``autumn_ieps`` in OUT/records.sqlite (whose
    reviews the forms step read), draft the next term's targets into
    'OUT/Targets <term>.xlsx', and write that term's IEPs from it into OUT/IEPs."""
    settings = load_settings(None, cwd=bundled("samples"))
    register_file = bundled("samples", "register.xlsx")
    register = load_register(register_file, column_map=settings.column_map)
    autumn, spring = sorted(settings.school.terms, key=lambda t: t.start)[:2]
    store = out / "records.sqlite"
    record_ieps(store, autumn_ieps, register, autumn)
    draft = draft_next_targets(register, store, settings.school.terms, spring, autumn)
    targets = out / f"Targets {spring.name}.xlsx"
    write_next_targets(draft, targets, overwrite=True)
    spring_register = load_register(register_file, targets=targets, column_map=settings.column_map)
    ieps = generate(spring_register, settings, out / "IEPs", term=spring.name, today=spring.start, overwrite=True)
    record_ieps(store, ieps, spring_register, spring)
    return CycleDemo(draft, targets, ieps)


__all__ = ["CycleDemo", "run_cycle_demo"]
