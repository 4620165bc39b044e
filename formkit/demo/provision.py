"""The provision map step of the demo: the end of the cycle for the invented sample school."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..files import private_dir
from ..provision import ProvisionReport, UpdateResult, build_report, new_map, update_map
from ..resources import bundled
from ..settings import load_settings

MAP_NAME = "Provision map.xlsx"


@dataclass
class ProvisionDemo:
    """What the demo did: the map built, the update applied, and the report."""

    workbook: Path
    built: UpdateResult
    updated: UpdateResult
    report: ProvisionReport

    def text(self) -> str:
        return "\n".join([self.built.summary(), self.updated.text(), "", self.report.text()])


def run_provision_demo(out: Path, sources: Sequence[Path] | None = None) -> ProvisionDemo:
    """Build OUT/'Provision map.xlsx' for the sample register and
    samples/provisions.xlsx, apply the impact records in ``sources`` (default:
    the returned forms and tracker in samples/returned/) with the sample
    register, and report on it.
    An earlier demo map (and its backups) in OUT is replaced. Only invented
    pupils are involved."""
    settings = load_settings(None, cwd=bundled("samples"))
    private_dir(out)
    workbook = out / MAP_NAME
    for old in [workbook, *out.glob(f"{workbook.stem} (backup *){workbook.suffix}")]:
        old.unlink(missing_ok=True)
    register = bundled("samples", "register.xlsx")
    built = new_map(register, workbook, settings=settings, provisions=bundled("samples", "provisions.xlsx"))
    updated = update_map(workbook, list(sources) if sources is not None else [bundled("samples", "returned")],
                         settings=settings, register=register)
    return ProvisionDemo(workbook, built, updated, build_report(workbook))
