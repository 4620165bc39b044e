"""Term start commands: init, register check, templates check, generate ieps, demo."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from . import (
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
    with_progress,
)


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@reports_errors
def init(folder: Path) -> None:
    """Make a workspace in FOLDER: formkit.toml to edit, and template copies."""
    from ..settings import init_workspace

    for path in init_workspace(folder):
        click.echo(f"wrote {path}")
    click.echo(f"Now edit {folder / 'formkit.toml'}: put your school's details where it says FILL IN, and your "
               "term dates. formkit writes no documents for families until every FILL IN is filled in.")


@cli.group()
def register() -> None:
    """Read and check the SEN register."""


@register.command("check")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--targets", type=click.Path(path_type=Path, dir_okay=False), help="Targets file (default: the register's Targets sheet).")
@click.option("--contacts", type=click.Path(path_type=Path, dir_okay=False), help="Contacts file (default: the register's Contacts sheet).")
@click.pass_context
@reports_errors
def register_check(ctx: click.Context, file: Path, targets: Path | None, contacts: Path | None) -> None:
    """Report every problem in the register FILE, with row, column and fix.

    Exits 1 if any row cannot be used.
    """
    from ..register import format_report, load_register

    settings = plain_settings(ctx)
    result = load_register(file, targets=targets, contacts=contacts, column_map=settings.column_map)
    click.echo(format_report(result))
    if result.has_errors:
        sys.exit(1)


@register.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--into", type=click.Path(path_type=Path, dir_okay=False), default=Path("register.xlsx"),
              show_default=True, help="The register workbook to add the pupils to (made if it does not exist).")
@click.option("--dry-run", is_flag=True, help="Report what would be added; write nothing.")
@click.pass_context
@reports_errors
def register_import(ctx: click.Context, files: tuple[Path, ...], into: Path, dry_run: bool) -> None:
    """Put the pupils of Common Transfer FILES (.xml) into a register workbook.

    A new workbook gets Register, Contacts and Targets sheets; your own gets rows
    added at the end (a backup is kept). A pupil already there is reported, not
    changed. Exits 1 if a pupil could not be imported or has errors to fix.
    """
    from ..register import import_transfers

    settings = plain_settings(ctx)
    result = import_transfers(list(files), into, dry_run=dry_run, column_map=settings.column_map)
    click.echo(result.text())
    if result.has_errors:
        sys.exit(1)


@cli.group()
def templates() -> None:
    """Check Word templates before a batch runs."""


@templates.command("check")
@click.argument("template")
@click.option("--register", "register_file", type=click.Path(path_type=Path, dir_okay=False), help="Check against this register's pupils.")
@click.option("--targets", type=click.Path(path_type=Path, dir_okay=False), help="Targets file for --register.")
@click.pass_context
@reports_errors
def templates_check(ctx: click.Context, template: str, register_file: Path | None, targets: Path | None) -> None:
    """List the fields TEMPLATE (a name or a .docx path) uses, and those the data
    does not supply. Exits 1 if the template cannot be used."""
    from ..documents import check_template, resolve_template
    from ..ehc import example_evidence_context, example_profile_context, example_review_context
    from ..letters import example_letter_context
    from ..register import load_register

    settings = plain_settings(ctx)
    data = load_register(register_file, targets=targets, column_map=settings.column_map) if register_file else None
    sections = (example_letter_context() | example_profile_context() | example_review_context()
                | example_evidence_context())
    check = check_template(resolve_template(template, settings), settings, data, sections=sections)
    click.echo(check.text())
    if not check.ok:
        sys.exit(1)


@generate_group.command("ieps")
@click.option("--register", "register_file", required=True, type=click.Path(path_type=Path, dir_okay=False), help="The SEN register (.xlsx or .csv).")
@click.option("--out", required=True, type=click.Path(path_type=Path, file_okay=False), help="Folder for the IEPs.")
@click.option("--targets", type=click.Path(path_type=Path, dir_okay=False), help="Targets file (default: the register's Targets sheet).")
@click.option("--template", default="iep", show_default=True, help="Template name (iep, iep_smart) or a .docx path.")
@click.option("--only", multiple=True, metavar="UPN", help="Only these pupils (repeat, or separate with commas).")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option("--overwrite", is_flag=True, help="Replace IEPs that are already in the folder.")
@click.option("--term", help="Term name from formkit.toml (default: the current or next term).")
@click.option("--store", type=click.Path(path_type=Path, dir_okay=False),
              help="Records database to keep each pupil's plan in (default: the workspace's).")
@click.pass_context
@reports_errors
def generate_ieps(
    ctx: click.Context,
    register_file: Path,
    out: Path,
    targets: Path | None,
    template: str,
    only: tuple[str, ...],
    jobs: int,
    overwrite: bool,
    term: str | None,
    store: Path | None,
) -> None:
    """Write an IEP for every pupil with SEN status K or E, one .docx each, in
    OUT/<year group>/, with OUT/manifest.csv, and keep each pupil's plan for the
    term in the records store. For a term whose reviews are in the store, each
    target shows its outcome. Exits 1 if any pupil failed."""
    from ..cycle import record_ieps, reviewed_register
    from ..documents import generate
    from ..records import held_store
    from ..register import load_register

    settings = school_settings(ctx)
    data = load_register(register_file, targets=targets, column_map=settings.column_map)
    chosen_term = settings.term(term, date.today())
    where = store_path(settings, store)
    with held_store(where) as db:  # busy: refused before any IEP is written
        chosen = reviewed_register(data, where, chosen_term, settings.school.terms)
        report = with_progress(
            len(data.on_register()),
            lambda progress: generate(
                chosen.register, settings, out, template=template, only=upns(only), jobs=jobs, overwrite=overwrite,
                term=chosen_term.name, progress=progress
            ),
        )
        report.warnings.extend(chosen.notes)
        print_report(report, "IEP")
        if chosen.reviewed:
            click.echo(f"{chosen.reviewed} IEPs show the outcomes of their {chosen_term.name} review.")
        if db is None:
            click.echo(f"Plans not kept in a records store: {NO_STORE}.")
        else:
            summary = record_ieps(db, report, chosen.register, chosen_term, planned=chosen.planned)
            click.echo(f"Records store {where}: {summary.text()}")
    audit_run(ctx, settings, templates=[report.template], pupils=len(report.results),
              documents=report.count("written"), where=out, ok=report.ok)
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.option("--out", default="formkit-demo", show_default=True, type=click.Path(path_type=Path, file_okay=False), help="Folder for the demo's documents.")
@reports_errors
def demo(out: Path) -> None:
    """Run two terms' paperwork on the bundled invented pupils: autumn IEPs,
    letters home, forms for teachers, the returned forms read into records, the
    spring targets drafted from the reviews and the spring IEPs, the provision
    map, and an EHC pupil's annual review invitation and evidence pack."""
    from .. import audit
    from ..demo import run_demo

    report = run_demo(out)
    click.echo("1. Term start")
    print_report(report.ieps, "IEP")
    sample = next((r for r in report.ieps.results if r.status == "written"), None)
    if sample and sample.file:
        click.echo(f"   Open one: {report.ieps.out / sample.file}")
    click.echo(f"2. IEP copies home: {report.letters.count('written')} letters ({report.letters.template}) in {report.letters.out}")
    click.echo("3. Forms for teachers, and the returned ones read into records")
    click.echo(report.forms.text())
    click.echo("4. Next term: the reviews back draft the spring targets, and the spring IEPs are written")
    click.echo(report.cycle.text())
    click.echo(f"5. The provision map, updated from the returned impact forms: {report.provision.workbook}")
    click.echo(report.provision.text())
    click.echo("6. EHC paperwork: an annual review invitation and an evidence pack")
    click.echo(report.ehc.text())
    documents = report.ieps.count("written") + report.letters.count("written") + report.cycle.ieps.count("written")
    audit.record(None, command="demo", templates=[report.ieps.template, report.letters.template],
                 pupils=len(report.ieps.results), documents=documents, where=str(out),
                 outcome="ok" if report.ok else "some failed")
    if not report.ok:
        sys.exit(1)
