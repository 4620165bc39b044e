"""EHC and profile commands: generate profiles, generate annual-review, evidence-pack."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from typing import TYPE_CHECKING

from . import (
    audit_run,
    cli,
    generate_group,
    print_report,
    reports_errors,
    school_settings,
    upns,
    with_progress,
)

_FILE = click.Path(path_type=Path, dir_okay=False)
_DIR = click.Path(path_type=Path, file_okay=False)

if TYPE_CHECKING:
    from ..settings import Settings


@generate_group.command("profiles")
@click.option("--register", "register_file", required=True, type=_FILE, help="The SEN register (.xlsx or .csv).")
@click.option("--out", required=True, type=_DIR, help="Folder for the profiles.")
@click.option("--profiles", type=_FILE, help="Profiles file (default: the register's Profiles sheet).")
@click.option("--only", multiple=True, metavar="UPN", help="Only these pupils (repeat, or separate with commas).")
@click.option("--template", default="one_page_profile", show_default=True, help="Template name or a .docx path.")
@click.option("--overwrite", is_flag=True, help="Replace profiles that are already in the folder.")
@click.pass_context
@reports_errors
def generate_profiles_command(ctx: click.Context, register_file: Path, out: Path, profiles: Path | None,
                              only: tuple[str, ...], template: str, overwrite: bool) -> None:
    """Write a one-page profile for every pupil on the SEN register (and any
    other pupil with a Profiles row), one .docx each in OUT/<year group>/, with
    OUT/manifest.csv. Exits 1 if any profile failed."""
    from ..ehc import generate_profiles
    from ..register import load_register

    settings = school_settings(ctx)
    data = load_register(register_file, column_map=settings.column_map)
    report = with_progress(len(data.on_register()), lambda progress: generate_profiles(
        data, settings, out, profiles=profiles, only=upns(only), template=template, overwrite=overwrite,
        progress=progress))
    print_report(report, "profile")
    audit_run(ctx, settings, templates=[report.template], pupils=len(report.results),
              documents=report.count("written"), where=out, ok=report.ok)
    if not report.ok:
        sys.exit(1)


def records_store(settings: Settings, given: Path | None) -> Path | None:
    """--store, else the workspace's records store if it has been made; None otherwise."""
    from ..forms import FormsConfig
    from ..records import default_store

    if given is not None:
        return given
    found = default_store(settings.workspace, FormsConfig.load(settings).store)
    return found if found is not None and found.exists() else None


@generate_group.command("annual-review")
@click.option("--register", "register_file", required=True, type=_FILE, help="The SEN register (.xlsx or .csv).")
@click.option("--out", required=True, type=_DIR, help="Folder for the reports.")
@click.option("--meeting-date", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The review meeting's date, for pupils the Meetings sheet lacks.")
@click.option("--meetings", type=_FILE, help="Meetings file (default: the register's Meetings sheet).")
@click.option("--only", multiple=True, metavar="UPN", help="Only these pupils (repeat, or separate with commas).")
@click.option("--store", type=_FILE, help="Records database with the year's reviews and views (default: the "
              "workspace's).")
@click.option("--provision-map", type=_FILE, help="The provision map workbook, for the pupil's provision.")
@click.option("--outcomes", type=_FILE, help="EHCP outcomes file (default: the register's EHCP outcomes sheet).")
@click.option("--professionals", type=_FILE, help="Professionals file (default: the register's Professionals "
              "sheet).")
@click.option("--overwrite", is_flag=True, help="Replace reports that are already in the folder.")
@click.pass_context
@reports_errors
def generate_annual_review_command(ctx: click.Context, register_file: Path, out: Path, meeting_date: datetime | None,
                                   meetings: Path | None, only: tuple[str, ...], store: Path | None,
                                   provision_map: Path | None, outcomes: Path | None, professionals: Path | None,
                                   overwrite: bool) -> None:
    """Write the annual review report of each pupil with an EHC plan, pre-filled
    from the plan's outcomes, the year's IEP reviews and views (the records
    store) and the provision map, with the meeting's decisions to fill in: one
    .docx each in OUT/<year group>/, with OUT/manifest.csv. Exits 1 if any
    report failed."""
    from ..ehc import generate_annual_reviews
    from ..register import load_register

    settings = school_settings(ctx)
    data = load_register(register_file, column_map=settings.column_map)
    report = generate_annual_reviews(
        data, settings, out, meeting_date=meeting_date.date() if meeting_date else None, meetings=meetings,
        only=upns(only), store=records_store(settings, store), provision_map=provision_map, outcomes=outcomes,
        professionals=professionals, overwrite=overwrite)
    print_report(report, "report")
    audit_run(ctx, settings, templates=[report.template], pupils=len(report.results),
              documents=report.count("written"), where=out, ok=report.ok)
    if not report.ok:
        sys.exit(1)


@cli.command("evidence-pack")
@click.option("--register", "register_file", required=True, type=_FILE, help="The SEN register (.xlsx or .csv).")
@click.option("--only", multiple=True, required=True, metavar="UPN", help="The pupil (repeat for a pack each).")
@click.option("--out", required=True, type=_DIR, help="Folder for the pack and its parts.")
@click.option("--store", type=_FILE, help="Records database with the reviews and referrals (default: the "
              "workspace's).")
@click.option("--provision-map", type=_FILE, help="The provision map workbook, for the provision and its cost.")
@click.option("--ieps", multiple=True, type=_DIR, help="A folder of IEPs (repeat for each term's).")
@click.option("--profiles", type=_FILE, help="Profiles file (default: the register's Profiles sheet).")
@click.option("--professionals", type=_FILE, help="Professionals file (default: the register's Professionals "
              "sheet).")
@click.option("--date", "pack_date", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The pack's date (default: today): the terms up to it are covered.")
@click.option("--overwrite", is_flag=True, help="Replace a pack that is already there.")
@click.pass_context
@reports_errors
def evidence_pack_command(ctx: click.Context, register_file: Path, only: tuple[str, ...], out: Path,
                          store: Path | None, provision_map: Path | None, ieps: tuple[Path, ...],
                          profiles: Path | None, professionals: Path | None, pack_date: datetime | None,
                          overwrite: bool) -> None:
    """Write the evidence for an EHC needs-assessment request as one PDF per pupil
    (cover, contents, bookmarks, every page numbered): the one-page profile, each
    term's IEP and review, the referrals, the outside agencies, the provision with
    hours and cost, and the progress towards each target; the parts as .docx in
    OUT/<pupil>/. Says what is missing. Exits 1 if a pack failed."""
    from ..ehc import make_evidence_packs
    from ..register import load_register

    settings = school_settings(ctx)
    data = load_register(register_file, column_map=settings.column_map)
    report = make_evidence_packs(data, settings, out, only=upns(only), store=store, provision_map=provision_map,
                                 ieps=list(ieps), profiles=profiles, professionals=professionals,
                                 overwrite=overwrite, today=pack_date.date() if pack_date else None)
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for result in report.results:
        if result.status == "failed":
            click.echo(f"Failed: {result.name}: {result.reason}", err=True)
        elif result.status == "kept":
            click.echo(f"Kept: {result.pdf} is already there; --overwrite replaces it")
        else:
            click.echo(f"{result.name}: {result.pdf}, {result.pages} pages, {len(result.contents)} sections; "
                       f"{len(result.missing)} things missing (listed on its contents page). The parts are in "
                       f"{result.folder}.")
    audit_run(ctx, settings, templates=["evidence pack"], pupils=len(report.results),
              documents=sum(r.status == "written" for r in report.results), where=out, ok=report.ok)
    if report.unproven:
        raise click.ClickException(
            f"no evidence pack for {'; '.join(report.unproven)}: an IEP in {', '.join(str(f) for f in ieps)} is not "
            "provably theirs, so it is not put in a pack and nothing of theirs is made (the Failed: lines above say "
            "why)")
    if not report.ok:
        sys.exit(1)
