"""Form commands: generate forms and PDF forms, read returned forms, the records store."""

from __future__ import annotations

import sys
from datetime import date, datetime, timezone
from pathlib import Path

import click

from ..errors import FormkitError
from . import (
    LazyChoice,
    audit_run,
    cli,
    generate_group,
    plain_settings,
    print_report,
    reports_errors,
    school_settings,
    store_path,
    NO_STORE,
    upns,
)

_FILE = click.Path(path_type=Path, dir_okay=False)
_DIR = click.Path(path_type=Path, file_okay=False)


def _kinds() -> tuple[str, ...]:
    from ..forms import KINDS

    return KINDS


@generate_group.command("forms")
@click.option("--kind", required=True, type=LazyChoice(_kinds), help="Which form.")
@click.option("--register", "register_file", required=True, type=_FILE, help="The SEN register (.xlsx or .csv).")
@click.option("--out", required=True, type=_DIR, help="Folder for the forms.")
@click.option("--targets", type=_FILE, help="Targets file (default: the register's Targets sheet).")
@click.option("--only", multiple=True, metavar="UPN", help="Only these pupils (repeat, or separate with commas).")
@click.option("--overwrite", is_flag=True, help="Replace forms that are already in the folder.")
@click.option("--term", help="Term name from formkit.toml (default: the current or next term).")
@click.option("--store", type=_FILE, help="Records database with the term's plans (default: the workspace's).")
@click.pass_context
@reports_errors
def generate_forms_command(ctx: click.Context, kind: str, register_file: Path, out: Path, targets: Path | None,
                           only: tuple[str, ...], overwrite: bool, term: str | None, store: Path | None) -> None:
    """Write a fillable Word form per pupil, pre-filled from the register:
    referrals for pupils without SEN (and a blank one), IEP reviews and impact
    forms for pupils on the SEN register, the family's and the child's views for
    pupils with an EHC plan. An IEP review lists the targets of the term's
    recorded plan (else the Targets sheet's). Exits 1 if any form failed."""
    from ..cycle import planned_register
    from ..forms import generate_forms
    from ..register import load_register

    settings = school_settings(ctx)
    data = load_register(register_file, targets=targets, column_map=settings.column_map)
    if kind == "iep-review":
        planned = planned_register(data, store_path(settings, store), settings.term(term, date.today()))
        data = planned.register
        click.echo(f"Targets from the term's recorded plans: {planned.from_plan} pupils; the others' from the"
                   " Targets sheet.")
    report = generate_forms(data, settings, out, kind=kind, only=upns(only), overwrite=overwrite, term=term)
    print_report(report, f"{kind} form")
    audit_run(ctx, settings, templates=[report.template], pupils=len(report.results),
              documents=report.count("written"), where=out, ok=report.ok)
    if not report.ok:
        sys.exit(1)


@generate_group.command("pdf")
@click.option("--form", "form", required=True, type=_FILE, help="The fillable PDF form to fill.")
@click.option("--fields", "fields", required=True, type=_FILE, help="Field mapping (TOML): PDF field = value.")
@click.option("--register", "register_file", required=True, type=_FILE, help="The SEN register (.xlsx or .csv).")
@click.option("--out", required=True, type=_DIR, help="Folder for the filled PDFs.")
@click.option("--only", multiple=True, metavar="UPN", help="Only these pupils (repeat, or separate with commas).")
@click.option("--overwrite", is_flag=True, help="Replace PDFs that are already in the folder.")
@click.option("--term", help="Term name from formkit.toml (default: the current or next term).")
@click.pass_context
@reports_errors
def generate_pdf_command(ctx: click.Context, form: Path, fields: Path, register_file: Path, out: Path,
                         only: tuple[str, ...], overwrite: bool, term: str | None) -> None:
    """Fill a fillable PDF (such as a local authority's request form) for each
    pupil on the SEN register, checking every value against its field. Exits 1
    if any pupil's PDF failed."""
    from ..forms import generate_pdf_forms
    from ..register import load_register

    settings = school_settings(ctx)
    data = load_register(register_file, column_map=settings.column_map)
    report = generate_pdf_forms(data, settings, form, fields, out, only=upns(only), overwrite=overwrite, term=term)
    print_report(report, "PDF form")
    audit_run(ctx, settings, templates=[form.name], pupils=len(report.results),
              documents=report.count("written"), where=out, ok=report.ok)
    if not report.ok:
        sys.exit(1)


@cli.command("read")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=_FILE, help="Write the records to FILE (.json, .csv or .xlsx).")
@click.option("--overwrite", is_flag=True, help="Replace --out even if it is not a records file formkit wrote.")
@click.option("--register", "register_file", type=_FILE, help="Match pupils to this register.")
@click.option("--kind", default="auto", show_default=True, type=LazyChoice(_kinds, "auto"), help="Form kind.")
@click.option("--store", type=_FILE, help="Records database (default: the workspace's).")
@click.pass_context
@reports_errors
def read_command(ctx: click.Context, paths: tuple[Path, ...], out: Path | None, overwrite: bool,
                 register_file: Path | None, kind: str, store: Path | None) -> None:
    """Read returned forms (.docx, .pdf, .xlsx files and folders) into records,
    report every file, and keep the records in the store, then write --out
    (which replaces only a records file formkit wrote, unless --overwrite).
    Without --out it shows every value read. Exits 1 if any file was rejected."""
    from ..forms import read_forms, records_table
    from ..records import RecordStore, check_records_out, write_records
    from ..register import load_register

    settings = plain_settings(ctx)
    if out is not None:
        check_records_out(out, overwrite=overwrite)
    data = load_register(register_file, column_map=settings.column_map) if register_file else None
    report = read_forms(paths, data, kind, settings=settings)
    click.echo(report.text())
    if not report.records:
        click.echo("Nothing written: no record could be read.")
        sys.exit(0 if report.ok else 1)
    if out is None:
        click.echo(f"What was read (every value: give --out FILE.xlsx):\n{records_table(report.records)}")
    where = store_path(settings, store)
    if where is None:
        click.echo(f"Not kept in a records store: {NO_STORE}.")
    else:
        with RecordStore.open(where, create=True) as db:
            click.echo(f"Records store {where}: {db.import_report(report, now=datetime.now(timezone.utc)).text()}")
    if out is not None:
        write_records(out, report.records, overwrite=overwrite)
        click.echo(f"Records written to {out}.")
    audit_run(ctx, settings, templates=[], pupils=len({r.upn for r in report.records}),
              documents=len(report.records), where=out or where or "", ok=report.ok)
    if not report.ok:
        sys.exit(1)


@cli.group("records")
def records_group() -> None:
    """The records store of imported forms."""


@records_group.command("export")
@click.option("--out", required=True, type=_FILE, help="FILE.json, FILE.csv or FILE.xlsx.")
@click.option("--store", type=_FILE, help="Records database (default: the workspace's).")
@click.option("--kind", type=LazyChoice(_kinds), help="Only records of this kind.")
@click.option("--history", is_flag=True, help="Include superseded records (with their status).")
@click.option("--overwrite", is_flag=True, help="Replace --out even if it is not a records file formkit wrote.")
@click.pass_context
@reports_errors
def records_export(ctx: click.Context, out: Path, store: Path | None, kind: str | None, history: bool,
                   overwrite: bool) -> None:
    """Write the current records (one row each) to a JSON, CSV or Excel file.
    An existing --out is replaced only when it is a records file formkit wrote,
    unless --overwrite."""
    from ..records import RecordStore, check_records_out, write_records

    check_records_out(out, overwrite=overwrite)
    where = _needed(ctx, store)
    with RecordStore.open(where) as db:
        found = db.records(history=history, kind=kind)
    extras = [{"record_id": s.id, "status": "current" if s.current else "superseded"} for s in found] if history else None
    write_records(out, [s.record for s in found], extras, overwrite=overwrite)
    click.echo(f"{len(found)} record{'s' if len(found) != 1 else ''} written to {out}.")


@records_group.command("history")
@click.argument("upn")
@click.option("--store", type=_FILE, help="Records database (default: the workspace's).")
@click.option("--provision-map", type=_FILE, help="Also show the pupil's rows of this provision map, by term.")
@click.pass_context
@reports_errors
def records_history(ctx: click.Context, upn: str, store: Path | None, provision_map: Path | None) -> None:
    """Show the pupil with UPN's cycle term by term (plan, review and each
    target's outcome, provision, referrals, letters sent), then every record
    kept for them, oldest first, superseded ones included."""
    from ..cycle import format_cycle, pupil_cycle

    settings = plain_settings(ctx)
    where = _needed(ctx, store)
    click.echo(format_cycle(pupil_cycle(where, upn, settings.school.terms, provision_map=provision_map)))


def _needed(ctx: click.Context, store: Path | None) -> Path:
    where = store_path(plain_settings(ctx), store)
    if where is None:
        raise FormkitError(f"there is no records store here: {NO_STORE}")
    return where
