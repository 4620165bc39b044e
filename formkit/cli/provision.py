"""Provision map commands: provision-map new, update and report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import audit_run, cli, plain_settings, reports_errors, school_settings

_FILE = click.Path(path_type=Path, dir_okay=False)


@cli.group("provision-map")
def provision_map() -> None:
    """Build the SENCo's provision map workbook, keep it up to date, report on it."""


@provision_map.command("new")
@click.option("--register", "register_file", required=True, type=_FILE, help="The SEN register (.xlsx or .csv).")
@click.option("--provisions", type=_FILE, help="Provisions sheet: one row per pupil per intervention.")
@click.option("--out", required=True, type=_FILE, help="The new workbook (.xlsx); must not exist yet.")
@click.pass_context
@reports_errors
def provision_map_new(ctx: click.Context, register_file: Path, provisions: Path | None, out: Path) -> None:
    """Build a new provision map workbook from the bundled template: one row per
    provision in --provisions (pupil details from the register), or without it
    one row per pupil with SEN support or an EHC plan. Exits 1 if any row had an error."""
    from ..provision import new_map

    settings = school_settings(ctx, for_families=False)
    result = new_map(register_file, out, settings=settings, provisions=provisions)
    click.echo(result.text())
    if result.written:
        audit_run(ctx, settings, templates=["provision_map.xlsx"], pupils=result.pupils, documents=1, where=out,
                  ok=not result.has_errors)
    if result.has_errors:
        sys.exit(1)


@provision_map.command("update")
@click.argument("workbook", type=_FILE)
@click.option("--from", "sources", required=True, multiple=True, type=click.Path(path_type=Path),
              help="Provisions sheet, impact records export (.json/.csv/.xlsx), impact forms (.docx),"
                   " records store (.db), or a folder of them. Repeat for several.")
@click.option("--dry-run", is_flag=True, help="Print every change cell by cell and write nothing.")
@click.option("--register", "register_file", type=_FILE,
              help="The SEN register (.xlsx or .csv): pupil details for new rows, and pupils matched on forms.")
@click.pass_context
@reports_errors
def provision_map_update(ctx: click.Context, workbook: Path, sources: tuple[Path, ...], dry_run: bool,
                         register_file: Path | None) -> None:
    """Apply records to the provision map WORKBOOK: rows matched by UPN,
    intervention and start date are updated, new provisions are added at the end.
    With --register, a row added for a pupil new to the map gets the pupil's name,
    year, class and area of need from the register, and forms are matched to the
    register's pupils. Prints every change (sheet, cell, old -> new), keeps a
    backup beside the workbook, and never changes rows or columns it does not
    know. Exits 1 if a record had an error."""
    from ..provision import update_map

    settings = plain_settings(ctx)
    result = update_map(workbook, sources, dry_run=dry_run, settings=settings, register=register_file)
    click.echo(result.text())
    if result.written:
        audit_run(ctx, settings, templates=[], pupils=result.pupils, documents=1, where=workbook,
                  ok=not result.has_errors)
    if result.has_errors:
        sys.exit(1)


@provision_map.command("report")
@click.argument("workbook", type=_FILE)
@click.option("--out", type=_FILE, help="Also write the report as a sheet (.xlsx) or a chart picture (.png).")
@reports_errors
def provision_map_report(workbook: Path, out: Path | None) -> None:
    """Cost and hours by year group and by area of need, and each intervention's
    pupils and average progress (exit minus entry score): which interventions work."""
    from ..provision import build_report, write_report

    report = build_report(workbook)
    click.echo(report.text())
    if out is not None:
        click.echo(f"\nWrote {write_report(report, out)}.")
